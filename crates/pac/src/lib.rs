//! Proxy auto-config (PAC) scripts, evaluated with the embedded QuickJS engine.
//!
//! Why this exists: when the computer's proxy setting is "use this PAC file" (or
//! WPAD), the Zoom client runs that script to choose a proxy for every server it
//! talks to. Our own HTTP client (reqwest) does not evaluate PAC scripts, so to
//! test the path Zoom really takes we must run the script ourselves and ask it
//! what it says for each Zoom URL.
//!
//! [`find_proxy`] runs `FindProxyForURL(url, host)` (or `FindProxyForURLEx`
//! when the script defines it, as Windows does) and [`parse_answer`] turns the
//! answer (`"PROXY a:8080; DIRECT"`) into a list of [`PacProxy`].
//!
//! The helper functions a PAC script may call (`isInNet`, `shExpMatch`,
//! `dnsResolve`, `weekdayRange`, … and Microsoft's IPv6 `…Ex` functions) are
//! our own implementation of the Netscape/Mozilla PAC specification, following
//! what Chrome and Windows do where they differ from the letter of it.
//!
//! A PAC file is untrusted input: each evaluation gets a fresh engine with a
//! memory limit, a stack limit and a deadline, on its own thread, so a broken or
//! hostile script returns an error instead of hanging or crashing the app.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::{Coerced, Context, Ctx, Function, Runtime, Type, Value};

pub use md_net::PacProxy;

/// The environment the PAC helper functions see.
pub struct PacEnv<'a> {
    /// myIpAddress() (an IPv6 address here makes myIpAddress() say
    /// "127.0.0.1", as browsers do; myIpAddressEx() gives it as it is).
    pub my_ip: IpAddr,
    /// dnsResolve()/isResolvable()/isInNet() host lookups: a blocking function the caller gives
    /// (tests pass a fixed map; the engine passes a real resolver with a short timeout).
    /// dnsResolve() is IPv4-only in PAC, so the resolver should prefer an IPv4 address
    /// when a name has both. It is never called for IP literals, and each name is looked
    /// up at most once per evaluation.
    pub resolve: &'a (dyn Fn(&str) -> Option<IpAddr> + Sync),
    /// Longest the script may run (an infinite loop in a PAC file must not hang us).
    pub time_limit: Duration,
}

impl std::fmt::Debug for PacEnv<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacEnv")
            .field("my_ip", &self.my_ip)
            .field("time_limit", &self.time_limit)
            .finish_non_exhaustive()
    }
}

/// Why a PAC script gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacError {
    /// The script does not compile: message with line where QuickJS says it.
    #[error("the proxy script has an error: {0}")]
    Syntax(String),
    /// No FindProxyForURL function.
    #[error("the proxy script defines no FindProxyForURL function")]
    NoFunction,
    /// Threw while running.
    #[error("the proxy script failed: {0}")]
    Runtime(String),
    /// Ran past the time limit.
    #[error("the proxy script ran for more than {0:?}")]
    TooSlow(Duration),
    /// Returned something that is not a PAC answer (not a string, or an unknown keyword).
    #[error("the proxy script returned {0:?}, which is not a proxy list")]
    BadAnswer(String),
}

/// Evaluates `script`'s FindProxyForURL(url, host). Blocking (call from spawn_blocking).
///
/// Uses `FindProxyForURLEx` instead when the script defines it (Windows does the same).
/// Each call starts a fresh engine on a short-lived thread of its own; `env.resolve` is
/// called on the calling thread whenever the script looks a name up.
pub fn find_proxy(
    script: &str,
    url: &str,
    host: &str,
    env: &PacEnv,
) -> Result<Vec<PacProxy>, PacError> {
    let answer = run_script(script, url, host, env, None)?;
    parse_answer(&answer)
}

/// Parses a PAC answer like "PROXY a:8080; SOCKS5 b:1080; DIRECT" (case-insensitive keywords,
/// extra spaces and empty entries tolerated). An empty string means DIRECT (as browsers treat it).
///
/// An address without a port gets the keyword's default one (80 for PROXY/HTTP,
/// 443 for HTTPS, 1080 for SOCKS), so every address comes back as "host:port".
pub fn parse_answer(answer: &str) -> Result<Vec<PacProxy>, PacError> {
    let bad = || PacError::BadAnswer(shorten(answer, 200));
    let mut list = Vec::new();
    for entry in answer.split(';') {
        let mut words = entry.split_whitespace();
        let Some(keyword) = words.next() else {
            continue;
        };
        let address = words.next();
        if words.next().is_some() {
            return Err(bad());
        }
        let keyword = keyword.to_ascii_uppercase();
        let proxy = match (keyword.as_str(), address) {
            ("DIRECT", None) => PacProxy::Direct,
            ("PROXY" | "HTTP", Some(a)) => PacProxy::Proxy(endpoint(a, 80).ok_or_else(bad)?),
            ("HTTPS", Some(a)) => PacProxy::Https(endpoint(a, 443).ok_or_else(bad)?),
            ("SOCKS" | "SOCKS4" | "SOCKS5", Some(a)) => {
                PacProxy::Socks(endpoint(a, 1080).ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        };
        list.push(proxy);
    }
    if list.is_empty() {
        list.push(PacProxy::Direct);
    }
    Ok(list)
}

/// "host", "host:port", "[v6]" or "[v6]:port" → "host:port"; None when it is not one.
fn endpoint(address: &str, default_port: u16) -> Option<String> {
    let (host, port) = if let Some(rest) = address.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        inside.parse::<Ipv6Addr>().ok()?;
        let port = if after.is_empty() {
            None
        } else {
            Some(after.strip_prefix(':')?)
        };
        (format!("[{inside}]"), port)
    } else {
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (address, None),
        };
        let valid = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !valid {
            return None;
        }
        (host.to_string(), port)
    };
    let port = match port {
        None => default_port,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            p.parse::<u16>().ok().filter(|&p| p != 0)?
        }
        Some(_) => return None,
    };
    Some(format!("{host}:{port}"))
}

/// At most `max` characters of `text`, with "…" when cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------
// The engine.

/// QuickJS heap for one evaluation. Big generated corporate PAC files (thousands
/// of rules) need a few MiB; a runaway allocation stops here.
const MEMORY_LIMIT: usize = 16 << 20;
/// QuickJS's own stack limit (deep recursion becomes a JavaScript error)…
const JS_STACK_LIMIT: usize = 1 << 20;
/// …well inside the stack of the thread it runs on.
const THREAD_STACK: usize = 8 << 20;
/// The file name QuickJS puts in messages ("proxy.pac:3:9").
const SCRIPT_NAME: &str = "proxy.pac";
/// Names remembered per evaluation (past this, lookups are still made, not kept).
const DNS_CACHE_MAX: usize = 4096;

/// A fixed "now" for the date and time helpers (tests only use it).
#[derive(Debug, Clone, Copy)]
struct FixedNow {
    /// The parts are UTC (else local time).
    utc: bool,
    /// Year, month (0 = January, as in JavaScript), day, hour, minute, second.
    parts: [i32; 6],
}

/// What the script thread tells the calling thread.
enum Msg {
    /// Look this name up with `PacEnv::resolve` and send the answer back.
    Resolve(String),
    /// Finished: the string the function returned, or why not.
    Done(Result<String, PacError>),
}

/// What the script thread needs (everything but the resolver, which stays on
/// the calling thread).
struct Job<'s> {
    script: &'s str,
    url: &'s str,
    host: &'s str,
    my_ip: IpAddr,
    time_limit: Duration,
    deadline: Option<Instant>,
    now: Option<FixedNow>,
}

/// Runs the script and returns the string FindProxyForURL returned, unparsed.
///
/// The QuickJS functions we give the script must be `'static`, so they cannot
/// borrow `env.resolve`; instead the script runs on a scoped thread and asks the
/// calling thread, over a channel, to resolve names for it.
fn run_script(
    script: &str,
    url: &str,
    host: &str,
    env: &PacEnv,
    now: Option<FixedNow>,
) -> Result<String, PacError> {
    let job = Job {
        script,
        url,
        host,
        my_ip: env.my_ip,
        time_limit: env.time_limit,
        deadline: Instant::now().checked_add(env.time_limit),
        now,
    };
    let (to_caller, from_worker) = mpsc::channel::<Msg>();
    let (to_worker, from_caller) = mpsc::channel::<Option<IpAddr>>();
    std::thread::scope(|scope| {
        let done = to_caller.clone();
        let worker = std::thread::Builder::new()
            .name("pac-script".into())
            .stack_size(THREAD_STACK)
            .spawn_scoped(scope, move || {
                let result = run_in_engine(&job, to_caller, from_caller);
                let _ = done.send(Msg::Done(result));
            });
        let worker = match worker {
            Ok(worker) => worker,
            Err(e) => {
                return Err(PacError::Runtime(format!(
                    "could not start the script engine: {e}"
                )))
            }
        };
        let mut result = None;
        // Ends with Done, or with every sender gone if the thread died.
        while let Ok(msg) = from_worker.recv() {
            match msg {
                Msg::Resolve(name) => {
                    let _ = to_worker.send((env.resolve)(&name));
                }
                Msg::Done(r) => {
                    result = Some(r);
                    break;
                }
            }
        }
        let joined = worker.join();
        match (result, joined) {
            (Some(r), _) => r,
            (None, _) => Err(PacError::Runtime(
                "the script engine stopped unexpectedly".into(),
            )),
        }
    })
}

/// The script thread: one fresh QuickJS runtime, set up, used and dropped.
fn run_in_engine(
    job: &Job<'_>,
    to_caller: mpsc::Sender<Msg>,
    from_caller: mpsc::Receiver<Option<IpAddr>>,
) -> Result<String, PacError> {
    let engine = |e: rquickjs::Error| PacError::Runtime(format!("the script engine failed: {e}"));
    let runtime = Runtime::new().map_err(engine)?;
    runtime.set_memory_limit(MEMORY_LIMIT);
    runtime.set_max_stack_size(JS_STACK_LIMIT);
    let stopped = Arc::new(AtomicBool::new(false));
    {
        let stopped = Arc::clone(&stopped);
        let deadline = job.deadline;
        runtime.set_interrupt_handler(Some(Box::new(move || {
            if stopped.load(Ordering::Relaxed) {
                return true;
            }
            let late = deadline.is_some_and(|d| Instant::now() >= d);
            if late {
                stopped.store(true, Ordering::Relaxed);
            }
            late
        })));
    }
    let resolver = Rc::new(Resolver {
        asks: to_caller,
        answers: from_caller,
        cache: RefCell::new(HashMap::new()),
        deadline: job.deadline,
        stopped: Arc::clone(&stopped),
    });
    let result = {
        let context = Context::full(&runtime).map_err(engine)?;
        context.with(|ctx| evaluate(&ctx, job, resolver))
    };
    drop(runtime);
    // Stopped means the script was cut short (or a lookup was refused), so
    // whatever came out is not the script's real answer.
    if stopped.load(Ordering::Relaxed) {
        return Err(PacError::TooSlow(job.time_limit));
    }
    result
}

/// Inside the engine: helpers, script, FindProxyForURL, its answer as text.
fn evaluate(ctx: &Ctx<'_>, job: &Job<'_>, resolver: Rc<Resolver>) -> Result<String, PacError> {
    install_helpers(ctx, job, resolver).map_err(|e| {
        PacError::Runtime(format!(
            "could not set up the PAC functions: {}",
            fault(ctx, e).text
        ))
    })?;

    let mut options = EvalOptions::default();
    options.strict = false; // PAC files are plain sloppy-mode scripts
    options.filename = Some(SCRIPT_NAME.to_string());
    if let Err(e) = ctx.eval_with_options::<(), _>(job.script, options) {
        if let rquickjs::Error::InvalidString(nul) = &e {
            return Err(PacError::Syntax(format!(
                "the script contains a zero byte at offset {}",
                nul.nul_position()
            )));
        }
        let fault = fault(ctx, e);
        return Err(if fault.syntax {
            PacError::Syntax(fault.text)
        } else {
            PacError::Runtime(fault.text)
        });
    }

    // Looked up by name rather than on the global object, so `let`/`const`
    // definitions are found too.
    let function: Value = ctx
        .eval(
            "typeof FindProxyForURLEx === 'function' ? FindProxyForURLEx : \
             typeof FindProxyForURL === 'function' ? FindProxyForURL : undefined",
        )
        .map_err(|e| PacError::Runtime(fault(ctx, e).text))?;
    let Some(function) = function.into_function() else {
        return Err(PacError::NoFunction);
    };
    let answer: Value = function
        .call((job.url, job.host))
        .map_err(|e| PacError::Runtime(fault(ctx, e).text))?;
    match answer.as_string() {
        Some(text) => text
            .to_string()
            .map_err(|_| PacError::BadAnswer("text that is not valid Unicode".into())),
        None => Err(PacError::BadAnswer(render(&answer))),
    }
}

/// Defines the PAC helper functions as globals.
fn install_helpers<'js>(
    ctx: &Ctx<'js>,
    job: &Job<'_>,
    resolver: Rc<Resolver>,
) -> rquickjs::Result<()> {
    let init: Function = ctx.eval(PRELUDE)?;
    let lookup = Function::new(ctx.clone(), move |name: String, ipv4_only: bool| {
        resolver.lookup(&name, ipv4_only)
    })?;
    let in_net = Function::new(ctx.clone(), |addr: String, prefix: String| {
        in_net_ex(&addr, &prefix)
    })?;
    let sort = Function::new(ctx.clone(), |list: String| sort_ip_list(&list))?;
    let my_ip = canonical(job.my_ip);
    let my_ipv4 = match my_ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(_) => "127.0.0.1".to_string(),
    };
    let now: Option<Vec<i32>> = job.now.map(|n| {
        let mut v = vec![i32::from(n.utc)];
        v.extend_from_slice(&n.parts);
        v
    });
    init.call::<_, ()>((
        ctx.globals(),
        lookup,
        in_net,
        sort,
        my_ipv4,
        my_ip.to_string(),
        now,
    ))
}

/// Name lookups for the script, answered by the calling thread.
struct Resolver {
    asks: mpsc::Sender<Msg>,
    answers: mpsc::Receiver<Option<IpAddr>>,
    cache: RefCell<HashMap<String, Option<IpAddr>>>,
    deadline: Option<Instant>,
    stopped: Arc<AtomicBool>,
}

impl Resolver {
    /// The address as text; IPv4 only when `ipv4_only` (dnsResolve), any for the Ex functions.
    fn lookup(&self, name: &str, ipv4_only: bool) -> Option<String> {
        match canonical(self.resolve(name)?) {
            IpAddr::V4(v4) => Some(v4.to_string()),
            IpAddr::V6(v6) if !ipv4_only => Some(v6.to_string()),
            IpAddr::V6(_) => None,
        }
    }

    fn resolve(&self, name: &str) -> Option<IpAddr> {
        let name = name.trim();
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        if let Ok(ip) = literal.parse::<IpAddr>() {
            return Some(ip);
        }
        let plausible = !name.is_empty()
            && name.len() <= 253
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !plausible {
            return None;
        }
        let key = name.to_lowercase();
        if let Some(known) = self.cache.borrow().get(&key) {
            return *known;
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            // Out of time: refuse, and make sure the run ends as TooSlow.
            self.stopped.store(true, Ordering::Relaxed);
            return None;
        }
        let answer = match self.asks.send(Msg::Resolve(key.clone())) {
            Ok(()) => self.answers.recv().ok().flatten(),
            Err(_) => None,
        };
        let mut cache = self.cache.borrow_mut();
        if cache.len() < DNS_CACHE_MAX {
            cache.insert(key, answer);
        }
        answer
    }
}

/// `::ffff:a.b.c.d` → `a.b.c.d`; anything else unchanged.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// isInNetEx's test: is `addr` inside `prefix` ("10.0.0.0/8", "2001:db8::/32")?
fn in_net_ex(addr: &str, prefix: &str) -> bool {
    let Ok(addr) = addr.trim().parse::<IpAddr>() else {
        return false;
    };
    let Some((net, bits)) = prefix.trim().split_once('/') else {
        return false;
    };
    md_net::in_network(addr, net, bits)
}

/// sortIpAddressList: IPv6 first, then IPv4, each ascending; None if any entry
/// is not an address (the script then gets `false`).
fn sort_ip_list(list: &str) -> Option<String> {
    let mut addrs = list
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<IpAddr>().ok())
        .collect::<Option<Vec<_>>>()?;
    if addrs.is_empty() {
        return None;
    }
    addrs.sort_by_key(|a| (a.is_ipv4(), *a));
    let texts: Vec<String> = addrs.iter().map(IpAddr::to_string).collect();
    Some(texts.join(";"))
}

/// A JavaScript error, as text for a person.
struct Fault {
    /// It was a SyntaxError.
    syntax: bool,
    text: String,
}

/// Turns an rquickjs error (usually "an exception is pending") into a [`Fault`].
fn fault(ctx: &Ctx<'_>, error: rquickjs::Error) -> Fault {
    if !matches!(error, rquickjs::Error::Exception) {
        return Fault {
            syntax: false,
            text: error.to_string(),
        };
    }
    let thrown = ctx.catch();
    if let Some(exception) = thrown.as_exception() {
        let name = exception
            .get::<_, Option<Coerced<String>>>("name")
            .ok()
            .flatten()
            .map_or_else(|| "Error".to_string(), |n| n.0);
        let message = exception.message().unwrap_or_default();
        let place = exception
            .stack()
            .and_then(|s| location(&s))
            .unwrap_or_default();
        let text = if message.is_empty() {
            format!("{name}{place}")
        } else {
            format!("{name}: {message}{place}")
        };
        return Fault {
            syntax: name == "SyntaxError",
            text: shorten(&text, 500),
        };
    }
    let text = match thrown.as_string() {
        Some(s) => s.to_string().unwrap_or_else(|_| "a string".into()),
        None => render(&thrown),
    };
    Fault {
        syntax: false,
        text: shorten(&text, 500),
    }
}

/// " (line 3, column 9)" from the first "proxy.pac:3:9" in a QuickJS stack.
fn location(stack: &str) -> Option<String> {
    let marker = format!("{SCRIPT_NAME}:");
    let start = stack.find(&marker)? + marker.len();
    let mut numbers = stack[start..].split(|c: char| !c.is_ascii_digit());
    let line = numbers.next().filter(|n| !n.is_empty())?;
    match numbers.next().filter(|n| !n.is_empty()) {
        Some(column) => Some(format!(" (line {line}, column {column})")),
        None => Some(format!(" (line {line})")),
    }
}

/// A non-string JavaScript value as JavaScript would print it, without running
/// any of the script's code.
fn render(value: &Value<'_>) -> String {
    match value.type_of() {
        Type::Uninitialized | Type::Undefined => "undefined".into(),
        Type::Null => "null".into(),
        Type::Bool => value.as_bool().unwrap_or_default().to_string(),
        Type::Int | Type::Float => {
            let n = value.as_number().unwrap_or(f64::NAN);
            if n.is_nan() {
                "NaN".into()
            } else if n.is_infinite() {
                if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
            } else if n == 0.0 {
                "0".into()
            } else {
                n.to_string()
            }
        }
        Type::String => "a string".into(),
        Type::Symbol => "a Symbol".into(),
        Type::BigInt => "a BigInt".into(),
        Type::Array => "[object Array]".into(),
        Type::Function | Type::Constructor => "[object Function]".into(),
        Type::Exception => "[object Error]".into(),
        Type::Promise => "[object Promise]".into(),
        _ => "[object Object]".into(),
    }
}

/// The PAC helper functions, in JavaScript (our own implementation of the
/// Netscape/Mozilla PAC spec, with Chrome's and Windows' choices where they
/// differ). A function expression: called once with the global object, the
/// Rust bridges and the machine's address, it defines the helpers as globals.
const PRELUDE: &str = r#"(function (global, lookup, inNetEx, sortList, myIpV4, myIp, fixedNow) {
  "use strict";
  var DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
  var MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

  function now() {
    if (fixedNow === null || fixedNow === undefined) return new Date();
    var p = fixedNow;
    if (p[0] === 1) return new Date(Date.UTC(p[1], p[2], p[3], p[4], p[5], p[6]));
    return new Date(p[1], p[2], p[3], p[4], p[5], p[6]);
  }
  function clock(utc) {
    var d = now();
    if (utc) {
      return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(),
               weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
               second: d.getUTCSeconds() };
    }
    return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(),
             weekday: d.getDay(), hour: d.getHours(), minute: d.getMinutes(),
             second: d.getSeconds() };
  }
  function argList(args) {
    var list = [];
    for (var i = 0; i < args.length; i++) list.push(args[i]);
    return list;
  }
  // Removes a trailing "GMT" argument; true if there was one.
  function takeGmt(list) {
    var last = list[list.length - 1];
    if (list.length > 0 && typeof last === "string" && last.toUpperCase() === "GMT") {
      list.pop();
      return true;
    }
    return false;
  }
  function nameIndex(names, value) {
    if (typeof value !== "string") return -1;
    return names.indexOf(value.toUpperCase());
  }
  // A whole number given as a number or as digits; null otherwise.
  function whole(value) {
    if (typeof value === "number") return value === Math.floor(value) ? value : null;
    if (typeof value === "string" && /^\s*\d{1,9}\s*$/.test(value)) return parseInt(value, 10);
    return null;
  }
  function dottedQuad(text) {
    var m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (m === null) return false;
    for (var i = 1; i <= 4; i++) if (+m[i] > 255) return false;
    return true;
  }
  // Shell-style match of the whole text: * is any run, ? any one character,
  // everything else literal. A loop, not a RegExp, so nothing needs escaping
  // and no pattern can backtrack exponentially.
  function glob(text, pattern) {
    var t = 0, p = 0, star = -1, resume = 0;
    while (t < text.length) {
      var c = p < pattern.length ? pattern.charAt(p) : null;
      if (c === "*") {
        star = p++;
        resume = t;
      } else if (c !== null && (c === "?" || c === text.charAt(t))) {
        t++;
        p++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern.charAt(p) === "*") p++;
    return p === pattern.length;
  }
  function resolve4(host) {
    var ip = lookup(String(host), true);
    return typeof ip === "string" ? ip : null;
  }
  function resolveAny(host) {
    var ip = lookup(String(host), false);
    return typeof ip === "string" ? ip : "";
  }
  function toNumber(ip) {
    var b = String(ip).split(".");
    return ((b[0] & 255) << 24) | ((b[1] & 255) << 16) | ((b[2] & 255) << 8) | (b[3] & 255);
  }
  // Year, month, day picked out of dateRange's arguments, in any order.
  function dateSpec(list) {
    var spec = { year: null, month: null, day: null };
    for (var i = 0; i < list.length; i++) {
      var month = nameIndex(MONTHS, list[i]);
      if (month >= 0) {
        if (spec.month !== null) return null;
        spec.month = month;
        continue;
      }
      var n = whole(list[i]);
      if (n !== null && n >= 1 && n <= 31) {
        if (spec.day !== null) return null;
        spec.day = n;
      } else if (n !== null && n > 31) {
        if (spec.year !== null) return null;
        spec.year = n;
      } else {
        return null;
      }
    }
    return spec;
  }
  function sameFields(a, b) {
    return (a.year === null) === (b.year === null) &&
           (a.month === null) === (b.month === null) &&
           (a.day === null) === (b.day === null);
  }
  // One comparable number from the fields `shape` has.
  function dateKey(shape, year, month, day) {
    return (shape.year === null ? 0 : year) * 10000 +
           (shape.month === null ? 0 : month + 1) * 100 +
           (shape.day === null ? 0 : day);
  }

  var helpers = {
    isPlainHostName: function (host) {
      return String(host).search(/[.:]/) === -1;
    },
    dnsDomainIs: function (host, domain) {
      var h = String(host).toLowerCase(), d = String(domain).toLowerCase();
      return h.length >= d.length && h.substring(h.length - d.length) === d;
    },
    localHostOrDomainIs: function (host, hostdom) {
      var h = String(host).toLowerCase(), full = String(hostdom).toLowerCase();
      if (h === full) return true;
      return h.indexOf(".") === -1 && full.substring(0, h.length + 1) === h + ".";
    },
    isResolvable: function (host) {
      return resolve4(host) !== null;
    },
    isInNet: function (host, pattern, mask) {
      var h = String(host);
      var ip = dottedQuad(h) ? h : resolve4(h);
      if (ip === null || !dottedQuad(String(pattern)) || !dottedQuad(String(mask))) return false;
      var m = toNumber(mask);
      return (toNumber(ip) & m) === (toNumber(pattern) & m);
    },
    dnsResolve: function (host) {
      return resolve4(host);
    },
    convert_addr: function (ipchars) {
      return toNumber(ipchars);
    },
    myIpAddress: function () {
      return myIpV4;
    },
    dnsDomainLevels: function (host) {
      return String(host).split(".").length - 1;
    },
    shExpMatch: function (str, shexp) {
      return glob(String(str), String(shexp));
    },
    weekdayRange: function () {
      var a = argList(arguments), utc = takeGmt(a);
      if (a.length < 1 || a.length > 2) return false;
      var from = nameIndex(DAYS, a[0]);
      var to = a.length === 2 ? nameIndex(DAYS, a[1]) : from;
      if (from < 0 || to < 0) return false;
      var today = clock(utc).weekday;
      return from <= to ? (today >= from && today <= to) : (today >= from || today <= to);
    },
    dateRange: function () {
      var a = argList(arguments), utc = takeGmt(a), n = a.length;
      if (n < 1 || n > 6 || (n > 1 && n % 2 !== 0)) return false;
      var half = n === 1 ? 1 : n / 2;
      var from = dateSpec(a.slice(0, half));
      var to = n === 1 ? from : dateSpec(a.slice(half));
      if (from === null || to === null || !sameFields(from, to)) return false;
      var c = clock(utc);
      var lo = dateKey(from, from.year, from.month, from.day);
      var hi = dateKey(to, to.year, to.month, to.day);
      var today = dateKey(from, c.year, c.month, c.day);
      if (lo <= hi) return today >= lo && today <= hi;
      if (from.year !== null) return false;
      return today >= lo || today <= hi; // wraps past the end of the year or month
    },
    timeRange: function () {
      var a = argList(arguments), utc = takeGmt(a), n = a.length, v = [];
      for (var i = 0; i < n; i++) {
        var x = whole(a[i]);
        if (x === null) return false;
        v.push(x);
      }
      var c = clock(utc);
      if (n === 1) return c.hour === v[0];
      if (n === 2) {
        return v[0] <= v[1] ? (c.hour >= v[0] && c.hour < v[1])
                            : (c.hour >= v[0] || c.hour < v[1]);
      }
      var t = c.hour * 3600 + c.minute * 60 + c.second, lo, hi;
      if (n === 4) {
        lo = v[0] * 3600 + v[1] * 60;
        hi = v[2] * 3600 + v[3] * 60 + 59;
      } else if (n === 6) {
        lo = v[0] * 3600 + v[1] * 60 + v[2];
        hi = v[3] * 3600 + v[4] * 60 + v[5];
      } else {
        return false;
      }
      return lo <= hi ? (t >= lo && t <= hi) : (t >= lo || t <= hi);
    },
    alert: function () {},
    isResolvableEx: function (host) {
      return resolveAny(host) !== "";
    },
    dnsResolveEx: function (host) {
      return resolveAny(host);
    },
    myIpAddressEx: function () {
      return myIp;
    },
    isInNetEx: function (host, prefix) {
      var ip = resolveAny(host);
      return ip !== "" && inNetEx(ip, String(prefix));
    },
    sortIpAddressList: function (list) {
      var sorted = sortList(String(list));
      return typeof sorted === "string" ? sorted : false;
    },
    getClientVersion: function () {
      return "1.0";
    }
  };
  for (var name in helpers) global[name] = helpers[name];
})"#;

#[cfg(test)]
mod tests;
