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

/// What FindProxyForURL returned, parsed: in order of preference.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "address", rename_all = "snake_case")]
pub enum PacProxy {
    /// Connect without a proxy.
    Direct,
    /// An HTTP proxy (`PROXY` or `HTTP`), as "host:port".
    Proxy(String),
    /// An HTTP proxy reached over TLS (`HTTPS`), as "host:port".
    Https(String),
    /// A SOCKS proxy (`SOCKS`, `SOCKS4`, `SOCKS5`), as "host:port".
    Socks(String),
}

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
    crate::net::in_network(addr, net, bits)
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
mod tests {
    use super::*;
    use std::net::Ipv4Addr;
    use std::sync::atomic::AtomicUsize;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/../../tests/fixtures/pac/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The lab's DNS: a fixed map.
    fn lab_dns(name: &str) -> Option<IpAddr> {
        let ip = match name {
            "intranet.corp.example" => "10.1.2.3",
            "wiki.corp.example" => "10.1.9.9",
            "hr.corp.example" => "172.20.4.5",
            "printer" => "192.168.7.20",
            "zoom.us" | "us04web.zoom.us" => "170.114.52.2",
            "www.example.com" => "93.184.215.14",
            "v6only.example" => "2001:db8::1",
            "mapped.example" => "::ffff:10.9.8.7",
            _ => return None,
        };
        ip.parse().ok()
    }

    fn env_with(my_ip: &str) -> PacEnv<'static> {
        PacEnv {
            my_ip: my_ip.parse().expect("address"),
            resolve: &lab_dns,
            time_limit: Duration::from_secs(5),
        }
    }

    fn office() -> PacEnv<'static> {
        env_with("10.20.30.40")
    }

    fn proxy(a: &str) -> PacProxy {
        PacProxy::Proxy(a.into())
    }

    fn host_of(url: &str) -> &str {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or(rest);
        authority.split(':').next().unwrap_or(authority)
    }

    fn pac(name: &str, url: &str, env: &PacEnv) -> Vec<PacProxy> {
        find_proxy(&fixture(name), url, host_of(url), env)
            .unwrap_or_else(|e| panic!("{name} for {url}: {e}"))
    }

    /// Monday 15 January 2024, 10:30:00 local time.
    const MONDAY_MORNING: FixedNow = FixedNow {
        utc: false,
        parts: [2024, 0, 15, 10, 30, 0],
    };

    /// The value of a JavaScript expression, as the text String() makes of it.
    fn eval_at(expr: &str, env: &PacEnv, now: Option<FixedNow>) -> String {
        let script = format!("function FindProxyForURL(url, host) {{ return String({expr}); }}");
        run_script(&script, "http://x/", "x", env, now).unwrap_or_else(|e| panic!("{expr}: {e}"))
    }

    fn eval(expr: &str) -> String {
        eval_at(expr, &office(), Some(MONDAY_MORNING))
    }

    fn check_table(table: &[(&str, &str)], env: &PacEnv, now: Option<FixedNow>) {
        for (expr, want) in table {
            assert_eq!(eval_at(expr, env, now), *want, "{expr}");
        }
    }

    // --- realistic PAC files ------------------------------------------------

    #[test]
    fn zoom_goes_direct_and_the_rest_through_the_proxy() {
        let env = office();
        let corp = vec![proxy("proxy.corp.example:8080")];
        for (url, want) in [
            ("https://zoom.us/", vec![PacProxy::Direct]),
            (
                "https://us04web.zoom.us/wc/join/123",
                vec![PacProxy::Direct],
            ),
            ("https://ZOOM.US/signin", vec![PacProxy::Direct]),
            ("https://file.zoomgov.com/x", vec![PacProxy::Direct]),
            ("https://zoom.com/", vec![PacProxy::Direct]),
            ("https://notzoom.us/", corp.clone()),
            ("https://www.example.com/", corp.clone()),
            ("http://zoom.us.evil.example/", corp.clone()),
        ] {
            assert_eq!(pac("zoom-direct.pac", url, &env), want, "{url}");
        }
    }

    #[test]
    fn the_office_subnet_decides_by_my_ip_address() {
        let url = "https://us04web.zoom.us/";
        assert_eq!(
            pac("office-subnet.pac", url, &env_with("10.20.30.40")),
            vec![proxy("proxy.corp.example:8080"), PacProxy::Direct]
        );
        assert_eq!(
            pac("office-subnet.pac", url, &env_with("192.168.5.9")),
            vec![proxy("branch-proxy.corp.example:3128")]
        );
        assert_eq!(
            pac("office-subnet.pac", url, &env_with("203.0.113.7")),
            vec![PacProxy::Direct]
        );
        // No IPv4 address: myIpAddress() says 127.0.0.1, the "off the network" branch.
        assert_eq!(
            pac("office-subnet.pac", url, &env_with("2001:db8::5")),
            vec![PacProxy::Direct]
        );
        // Plain host names are local wherever we are.
        assert_eq!(
            pac(
                "office-subnet.pac",
                "http://printer/",
                &env_with("10.20.30.40")
            ),
            vec![PacProxy::Direct]
        );
    }

    #[test]
    fn internal_hosts_are_found_by_resolving_them() {
        let env = office();
        let corp = vec![proxy("proxy.corp.example:3128")];
        for (url, want) in [
            ("http://intranet.corp.example/", vec![PacProxy::Direct]),
            ("https://hr.corp.example/pay", vec![PacProxy::Direct]),
            ("http://printer/status", vec![PacProxy::Direct]),
            ("http://127.0.0.1:8080/", vec![PacProxy::Direct]),
            ("http://192.168.1.1/", vec![PacProxy::Direct]),
            ("https://zoom.us/", corp.clone()),
            ("https://www.example.com/", corp.clone()),
            ("https://unknown.example/", corp.clone()),
            // IPv6-only: dnsResolve is IPv4-only, so not internal.
            ("https://v6only.example/", corp.clone()),
            ("https://mapped.example/", vec![PacProxy::Direct]),
        ] {
            assert_eq!(pac("internal-dns.pac", url, &env), want, "{url}");
        }
    }

    #[test]
    fn url_patterns_choose_the_proxy() {
        let env = office();
        for (url, want) in [
            (
                "http://download.example.com/downloads/zoom.pkg",
                vec![proxy("cache.corp.example:3128")],
            ),
            ("https://us04web.zoom.us/wc/join/1", vec![PacProxy::Direct]),
            ("wss://us04web.zoom.us/ws", vec![PacProxy::Direct]),
            (
                "http://www.example.com/index.html",
                vec![proxy("proxy.corp.example:8080")],
            ),
            (
                "ftp://files.example.com/pub/",
                vec![PacProxy::Socks("socks.corp.example:1080".into())],
            ),
            (
                "https://www.example.com/",
                vec![
                    PacProxy::Https("secure-proxy.corp.example:443".into()),
                    PacProxy::Direct,
                ],
            ),
        ] {
            assert_eq!(pac("url-patterns.pac", url, &env), want, "{url}");
        }
    }

    #[test]
    fn plain_and_corporate_host_names_skip_the_proxy() {
        let env = office();
        let corp = vec![proxy("proxy.corp.example:8080")];
        for (url, want) in [
            ("http://intranet/", vec![PacProxy::Direct]),
            ("http://wiki/", vec![PacProxy::Direct]),
            ("http://wiki.corp.example/", vec![PacProxy::Direct]),
            ("https://intranet.corp.example/", vec![PacProxy::Direct]),
            ("https://corp.example.attacker.example/", corp.clone()),
            ("https://zoom.us/", corp.clone()),
            ("https://a.b.c.d.example.com/", vec![PacProxy::Direct]),
        ] {
            assert_eq!(pac("plain-hosts.pac", url, &env), want, "{url}");
        }
    }

    #[test]
    fn failover_list_keeps_its_order() {
        assert_eq!(
            pac("failover.pac", "https://zoom.us/", &office()),
            vec![
                proxy("proxy-a.corp.example:3128"),
                proxy("proxy-b.corp.example:3128"),
                PacProxy::Direct,
            ]
        );
    }

    #[test]
    fn bypass_list_of_a_generated_pac_file() {
        let env = office();
        let cloud = vec![
            proxy("gateway.cloudproxy.example:80"),
            proxy("gateway2.cloudproxy.example:80"),
            PacProxy::Direct,
        ];
        for (url, want) in [
            ("https://us04web.zoom.us/", vec![PacProxy::Direct]),
            ("https://zoom.us/", vec![PacProxy::Direct]),
            ("https://Zoom.US/", vec![PacProxy::Direct]),
            ("https://localhost:9000/", vec![PacProxy::Direct]),
            ("http://10.4.4.4/", vec![PacProxy::Direct]),
            ("https://www.example.com/", cloud.clone()),
            ("https://zoomus.example/", cloud.clone()),
        ] {
            assert_eq!(pac("bypass-list.pac", url, &env), want, "{url}");
        }
    }

    // --- helper functions ---------------------------------------------------

    #[test]
    fn host_name_helpers() {
        check_table(
            &[
                ("isPlainHostName('www')", "true"),
                ("isPlainHostName('www.zoom.us')", "false"),
                ("isPlainHostName('::1')", "false"),
                ("dnsDomainIs('www.zoom.us', '.zoom.us')", "true"),
                ("dnsDomainIs('WWW.ZOOM.US', '.zoom.us')", "true"),
                ("dnsDomainIs('zoom.us', '.zoom.us')", "false"),
                ("dnsDomainIs('www', '.zoom.us')", "false"),
                (
                    "localHostOrDomainIs('www.netscape.com', 'www.netscape.com')",
                    "true",
                ),
                ("localHostOrDomainIs('www', 'www.netscape.com')", "true"),
                (
                    "localHostOrDomainIs('www.mcom.com', 'www.netscape.com')",
                    "false",
                ),
                (
                    "localHostOrDomainIs('home.netscape.com', 'www.netscape.com')",
                    "false",
                ),
                ("localHostOrDomainIs('ww', 'www.netscape.com')", "false"),
                ("dnsDomainLevels('www')", "0"),
                ("dnsDomainLevels('www.zoom.us')", "2"),
            ],
            &office(),
            None,
        );
    }

    #[test]
    fn dns_helpers() {
        check_table(
            &[
                ("dnsResolve('intranet.corp.example')", "10.1.2.3"),
                ("dnsResolve('INTRANET.corp.example')", "10.1.2.3"),
                ("dnsResolve('nowhere.example')", "null"),
                ("dnsResolve('v6only.example')", "null"),
                ("dnsResolve('mapped.example')", "10.9.8.7"),
                ("dnsResolve('192.0.2.7')", "192.0.2.7"),
                ("dnsResolve('')", "null"),
                ("dnsResolve('bad host/name')", "null"),
                ("isResolvable('intranet.corp.example')", "true"),
                ("isResolvable('nowhere.example')", "false"),
                ("isResolvable('10.0.0.1')", "true"),
                ("isInNet('10.1.2.3', '10.0.0.0', '255.0.0.0')", "true"),
                ("isInNet('11.1.2.3', '10.0.0.0', '255.0.0.0')", "false"),
                ("isInNet('172.20.1.1', '172.16.0.0', '255.240.0.0')", "true"),
                (
                    "isInNet('172.32.1.1', '172.16.0.0', '255.240.0.0')",
                    "false",
                ),
                (
                    "isInNet('192.168.1.77', '192.168.1.0', '255.255.255.0')",
                    "true",
                ),
                (
                    "isInNet('192.168.2.77', '192.168.1.0', '255.255.255.0')",
                    "false",
                ),
                (
                    "isInNet('intranet.corp.example', '10.0.0.0', '255.0.0.0')",
                    "true",
                ),
                (
                    "isInNet('nowhere.example', '10.0.0.0', '255.0.0.0')",
                    "false",
                ),
                ("isInNet('10.1.2.3', '10.0.0.0', 'bogus')", "false"),
                ("isInNet('10.1.2.3', '10.0.0.300', '255.0.0.0')", "false"),
                ("isInNet('1.2.3.4', '0.0.0.0', '0.0.0.0')", "true"),
                ("convert_addr('104.16.41.2')", "1745889538"),
                ("convert_addr('192.168.1.1')", "-1062731519"),
                ("myIpAddress()", "10.20.30.40"),
                ("myIpAddressEx()", "10.20.30.40"),
            ],
            &office(),
            None,
        );
        let v6 = env_with("2001:db8::5");
        check_table(
            &[
                ("myIpAddress()", "127.0.0.1"),
                ("myIpAddressEx()", "2001:db8::5"),
            ],
            &v6,
            None,
        );
    }

    #[test]
    fn microsoft_ipv6_helpers() {
        check_table(
            &[
                ("dnsResolveEx('v6only.example')", "2001:db8::1"),
                ("dnsResolveEx('intranet.corp.example')", "10.1.2.3"),
                ("dnsResolveEx('nowhere.example')", ""),
                ("isResolvableEx('v6only.example')", "true"),
                ("isResolvableEx('nowhere.example')", "false"),
                ("isInNetEx('2001:db8::1', '2001:db8::/32')", "true"),
                ("isInNetEx('2001:db9::1', '2001:db8::/32')", "false"),
                ("isInNetEx('v6only.example', '2001:db8::/32')", "true"),
                ("isInNetEx('10.1.2.3', '10.0.0.0/8')", "true"),
                ("isInNetEx('10.1.2.3', '10.1.2.3/32')", "true"),
                ("isInNetEx('11.1.2.3', '10.0.0.0/8')", "false"),
                ("isInNetEx('10.1.2.3', '2001:db8::/32')", "false"),
                ("isInNetEx('10.1.2.3', '10.0.0.0/33')", "false"),
                ("isInNetEx('10.1.2.3', '10.0.0.0')", "false"),
                ("isInNetEx('1.2.3.4', '0.0.0.0/0')", "true"),
                (
                    "sortIpAddressList('10.2.2.2;2001:db8::1;10.1.1.1;::1')",
                    "::1;2001:db8::1;10.1.1.1;10.2.2.2",
                ),
                (
                    "sortIpAddressList('10.2.2.2; 10.1.1.1')",
                    "10.1.1.1;10.2.2.2",
                ),
                ("sortIpAddressList('bogus;10.1.1.1')", "false"),
                ("sortIpAddressList('')", "false"),
                ("getClientVersion()", "1.0"),
            ],
            &office(),
            None,
        );
    }

    #[test]
    fn sh_exp_match() {
        check_table(
            &[
                (
                    "shExpMatch('http://home.netscape.com/people/ari/index.html', '*/ari/*')",
                    "true",
                ),
                (
                    "shExpMatch('http://home.netscape.com/people/montulli/index.html', '*/ari/*')",
                    "false",
                ),
                ("shExpMatch('www.zoom.us', '*.zoom.us')", "true"),
                ("shExpMatch('zoom.us', '*.zoom.us')", "false"),
                ("shExpMatch('a.b', 'a?b')", "true"),
                ("shExpMatch('ab', 'a?b')", "false"),
                ("shExpMatch('axb', 'a.b')", "false"),
                ("shExpMatch('a+b', 'a+b')", "true"),
                ("shExpMatch('aab', 'a+b')", "false"),
                ("shExpMatch('(x)[y]{z}^$|\\\\', '(x)[y]{z}^$|\\\\')", "true"),
                ("shExpMatch('abc', 'a*c*')", "true"),
                ("shExpMatch('abcd', 'a*c')", "false"),
                ("shExpMatch('abc', '')", "false"),
                ("shExpMatch('', '*')", "true"),
                ("shExpMatch('a*c', 'a*c')", "true"),
                ("shExpMatch('WWW.ZOOM.US', '*.zoom.us')", "false"),
                ("shExpMatch('line\\nbreak', 'line*')", "true"),
                (
                    "shExpMatch('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '*a*a*a*a*a*a*a*b')",
                    "false",
                ),
            ],
            &office(),
            None,
        );
    }

    #[test]
    fn weekday_range() {
        check_table(
            &[
                ("weekdayRange('MON')", "true"),
                ("weekdayRange('mon')", "true"),
                ("weekdayRange('TUE')", "false"),
                ("weekdayRange('MON', 'FRI')", "true"),
                ("weekdayRange('TUE', 'FRI')", "false"),
                ("weekdayRange('FRI', 'MON')", "true"),
                ("weekdayRange('SAT', 'SUN')", "false"),
                ("weekdayRange('XYZ')", "false"),
                ("weekdayRange()", "false"),
            ],
            &office(),
            Some(MONDAY_MORNING),
        );
        // Sunday 23:30 UTC: GMT reads the UTC day.
        let sunday_late_utc = FixedNow {
            utc: true,
            parts: [2024, 0, 14, 23, 30, 0],
        };
        check_table(
            &[
                ("weekdayRange('SUN', 'GMT')", "true"),
                ("weekdayRange('MON', 'GMT')", "false"),
                ("weekdayRange('SAT', 'SUN', 'GMT')", "true"),
            ],
            &office(),
            Some(sunday_late_utc),
        );
    }

    #[test]
    fn date_range() {
        check_table(
            &[
                ("dateRange(15)", "true"),
                ("dateRange(16)", "false"),
                ("dateRange('JAN')", "true"),
                ("dateRange('FEB')", "false"),
                ("dateRange(2024)", "true"),
                ("dateRange(2023)", "false"),
                ("dateRange(1, 20)", "true"),
                ("dateRange(16, 31)", "false"),
                ("dateRange(25, 16)", "true"),
                ("dateRange('DEC', 'FEB')", "true"),
                ("dateRange('MAR', 'NOV')", "false"),
                ("dateRange(1, 'JAN', 31, 'JAN')", "true"),
                ("dateRange(16, 'JAN', 31, 'MAR')", "false"),
                ("dateRange(1, 'DEC', 20, 'JAN')", "true"),
                ("dateRange('JUN', 2023, 'MAR', 2024)", "true"),
                ("dateRange('FEB', 2024, 'MAR', 2024)", "false"),
                ("dateRange(1, 'JAN', 2024, 14, 'JAN', 2024)", "false"),
                ("dateRange(15, 'JAN', 2024, 15, 'JAN', 2024)", "true"),
                ("dateRange(1, 'JAN', 2025, 1, 'JAN', 2024)", "false"),
                ("dateRange(2020, 2030)", "true"),
                ("dateRange('JAN', 2024, 5)", "false"),
                ("dateRange(1, 'JAN')", "false"),
                ("dateRange('BOGUS')", "false"),
                ("dateRange()", "false"),
            ],
            &office(),
            Some(MONDAY_MORNING),
        );
        let new_year_utc = FixedNow {
            utc: true,
            parts: [2024, 0, 1, 0, 30, 0],
        };
        check_table(
            &[
                ("dateRange(1, 'GMT')", "true"),
                ("dateRange('JAN', 'GMT')", "true"),
                ("dateRange(2023, 'GMT')", "false"),
            ],
            &office(),
            Some(new_year_utc),
        );
    }

    #[test]
    fn time_range() {
        check_table(
            &[
                ("timeRange(10)", "true"),
                ("timeRange(11)", "false"),
                ("timeRange(9, 11)", "true"),
                ("timeRange(8, 10)", "false"),
                ("timeRange(10, 10)", "false"),
                ("timeRange(22, 11)", "true"),
                ("timeRange(11, 10)", "false"),
                ("timeRange(0, 24)", "true"),
                ("timeRange(10, 30, 10, 30)", "true"),
                ("timeRange(10, 31, 12, 0)", "false"),
                ("timeRange(9, 0, 10, 29)", "false"),
                ("timeRange(23, 0, 10, 45)", "true"),
                ("timeRange(10, 30, 0, 10, 30, 0)", "true"),
                ("timeRange(10, 30, 1, 11, 0, 0)", "false"),
                ("timeRange('10')", "true"),
                ("timeRange('x')", "false"),
                ("timeRange(1, 2, 3)", "false"),
                ("timeRange()", "false"),
            ],
            &office(),
            Some(MONDAY_MORNING),
        );
        let late_utc = FixedNow {
            utc: true,
            parts: [2024, 0, 15, 23, 15, 0],
        };
        check_table(
            &[
                ("timeRange(23, 'GMT')", "true"),
                ("timeRange(22, 24, 'GMT')", "true"),
                ("timeRange(23, 20, 23, 59, 'GMT')", "false"),
            ],
            &office(),
            Some(late_utc),
        );
    }

    #[test]
    fn real_clock_is_used_without_a_fixed_time() {
        // Whatever today is, it is one of the seven days and inside the year.
        assert_eq!(
            eval_at("weekdayRange('SUN', 'SAT')", &office(), None),
            "true"
        );
        assert_eq!(eval_at("timeRange(0, 24)", &office(), None), "true");
        assert_eq!(
            eval_at("dateRange(1, 'JAN', 31, 'DEC')", &office(), None),
            "true"
        );
    }

    #[test]
    fn alert_does_nothing() {
        assert_eq!(eval("alert('hello')"), "undefined");
    }

    #[test]
    fn resolver_is_called_at_evaluation_time_once_per_name() {
        let calls = AtomicUsize::new(0);
        let resolve = |name: &str| {
            calls.fetch_add(1, Ordering::SeqCst);
            (name == "meet.corp.example").then_some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9)))
        };
        let env = PacEnv {
            my_ip: "10.0.0.1".parse().expect("ip"),
            resolve: &resolve,
            time_limit: Duration::from_secs(5),
        };
        let script = "function FindProxyForURL(url, host) {
            var a = dnsResolve(host), b = dnsResolve(host), c = isResolvable('10.0.0.1');
            return a === b && isInNet(host, '10.0.0.0', '255.0.0.0') ? 'DIRECT' : 'PROXY p:1';
        }";
        assert_eq!(
            find_proxy(
                script,
                "https://meet.corp.example/",
                "meet.corp.example",
                &env
            ),
            Ok(vec![PacProxy::Direct])
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            find_proxy(
                script,
                "https://elsewhere.example/",
                "elsewhere.example",
                &env
            ),
            Ok(vec![proxy("p:1")])
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    // --- parse_answer -------------------------------------------------------

    #[test]
    fn parse_answer_table() {
        let ok: &[(&str, Vec<PacProxy>)] = &[
            ("DIRECT", vec![PacProxy::Direct]),
            ("", vec![PacProxy::Direct]),
            ("   ", vec![PacProxy::Direct]),
            (";;", vec![PacProxy::Direct]),
            ("PROXY a:8080", vec![proxy("a:8080")]),
            ("proxy a:8080", vec![proxy("a:8080")]),
            ("HTTP a:8080", vec![proxy("a:8080")]),
            ("PROXY a", vec![proxy("a:80")]),
            ("PROXY 10.0.0.1:3128", vec![proxy("10.0.0.1:3128")]),
            (
                "PROXY [2001:db8::1]:3128",
                vec![proxy("[2001:db8::1]:3128")],
            ),
            ("PROXY [2001:db8::1]", vec![proxy("[2001:db8::1]:80")]),
            (
                "HTTPS secure:8443",
                vec![PacProxy::Https("secure:8443".into())],
            ),
            ("https secure", vec![PacProxy::Https("secure:443".into())]),
            ("SOCKS s:1080", vec![PacProxy::Socks("s:1080".into())]),
            ("SOCKS4 s:1081", vec![PacProxy::Socks("s:1081".into())]),
            ("socks5 s", vec![PacProxy::Socks("s:1080".into())]),
            (
                "PROXY a:8080; SOCKS5 b:1080; DIRECT",
                vec![
                    proxy("a:8080"),
                    PacProxy::Socks("b:1080".into()),
                    PacProxy::Direct,
                ],
            ),
            (
                "  PROXY   a:8080 ;;\tDIRECT ; ",
                vec![proxy("a:8080"), PacProxy::Direct],
            ),
            ("PROXY a:8080;", vec![proxy("a:8080")]),
            ("direct", vec![PacProxy::Direct]),
        ];
        for (answer, want) in ok {
            assert_eq!(parse_answer(answer).as_ref(), Ok(want), "{answer:?}");
        }
        for bad in [
            "BOGUS x",
            "PROXY",
            "DIRECT x",
            "PROXY a b",
            "PROXY a:0",
            "PROXY a:99999",
            "PROXY a:",
            "PROXY a:80x",
            "PROXY http://a:8080",
            "PROXY :8080",
            "PROXY [nonsense]:80",
            "PROXY ::1",
            "PROXY a:8080; BOGUS",
            "SOCKS6 s:1",
        ] {
            assert_eq!(
                parse_answer(bad),
                Err(PacError::BadAnswer(bad.to_string())),
                "{bad:?}"
            );
        }
        let long = format!("BOGUS {}", "x".repeat(1000));
        match parse_answer(&long) {
            Err(PacError::BadAnswer(text)) => assert!(text.chars().count() <= 201),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pac_proxy_serializes_as_kind_and_address() {
        let json = serde_json::to_value(vec![PacProxy::Direct, proxy("a:1")]).expect("json");
        assert_eq!(
            json,
            serde_json::json!([{"kind": "direct"}, {"kind": "proxy", "address": "a:1"}])
        );
    }

    // --- broken and hostile scripts -----------------------------------------

    fn run(script: &str) -> Result<Vec<PacProxy>, PacError> {
        find_proxy(script, "https://zoom.us/", "zoom.us", &office())
    }

    fn quick() -> PacEnv<'static> {
        PacEnv {
            time_limit: Duration::from_millis(200),
            ..office()
        }
    }

    #[test]
    fn syntax_error_names_the_line() {
        let err = run("function FindProxyForURL(url, host) {\n  return 'DIRECT'\n  if (\n}\n")
            .expect_err("syntax error");
        match err {
            PacError::Syntax(text) => {
                assert!(text.contains("SyntaxError"), "{text}");
                assert!(text.contains("line 4"), "{text}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_function_is_no_function() {
        assert_eq!(run("var x = 1;"), Err(PacError::NoFunction));
        assert_eq!(run(""), Err(PacError::NoFunction));
        assert_eq!(
            run("var FindProxyForURL = 'DIRECT';"),
            Err(PacError::NoFunction)
        );
        assert_eq!(
            run("function findProxyForUrl(u, h) { return 'DIRECT'; }"),
            Err(PacError::NoFunction)
        );
    }

    #[test]
    fn other_ways_of_defining_the_function_are_found() {
        assert_eq!(
            run("let FindProxyForURL = (url, host) => 'PROXY p:1';"),
            Ok(vec![proxy("p:1")])
        );
        assert_eq!(
            run("var FindProxyForURL = function (url, host) { return 'SOCKS s:2'; };"),
            Ok(vec![PacProxy::Socks("s:2".into())])
        );
        // Windows prefers the Ex function when a script has both.
        assert_eq!(
            run("function FindProxyForURL(u, h) { return 'PROXY old:1'; }\n\
                 function FindProxyForURLEx(u, h) { return 'PROXY new:1'; }"),
            Ok(vec![proxy("new:1")])
        );
        // Sloppy mode, as browsers run PAC files: undeclared variables are fine.
        assert_eq!(
            run("function FindProxyForURL(u, h) { answer = 'DIRECT'; return answer; }"),
            Ok(vec![PacProxy::Direct])
        );
        // The arguments arrive as given.
        assert_eq!(
            run("function FindProxyForURL(u, h) { return 'PROXY ' + h + ':' + u.length; }"),
            Ok(vec![proxy("zoom.us:16")])
        );
    }

    #[test]
    fn a_throw_is_a_runtime_error() {
        match run("function FindProxyForURL(u, h) {\n  throw new Error('boom');\n}") {
            Err(PacError::Runtime(text)) => {
                assert!(text.contains("Error: boom"), "{text}");
                assert!(text.contains("line 2"), "{text}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            run("function FindProxyForURL(u, h) { throw 'plain text'; }"),
            Err(PacError::Runtime("plain text".into()))
        );
        assert_eq!(
            run("function FindProxyForURL(u, h) { throw 42; }"),
            Err(PacError::Runtime("42".into()))
        );
        match run("function FindProxyForURL(u, h) { return noSuchFunction(h); }") {
            Err(PacError::Runtime(text)) => assert!(text.contains("ReferenceError"), "{text}"),
            other => panic!("{other:?}"),
        }
        // Thrown while the script itself runs, before FindProxyForURL is called.
        match run(
            "undefinedThing.property = 1;\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }",
        ) {
            Err(PacError::Runtime(text)) => assert!(text.contains("line 1"), "{text}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn answers_that_are_not_text_are_bad_answers() {
        for (body, shown) in [
            ("return 42;", "42"),
            ("return 1.5;", "1.5"),
            ("return;", "undefined"),
            ("return null;", "null"),
            ("return true;", "true"),
            ("return {};", "[object Object]"),
            ("return ['DIRECT'];", "[object Array]"),
            ("return function () {};", "[object Function]"),
            ("return new String('DIRECT');", "[object Object]"),
            ("return 'BOGUS x';", "BOGUS x"),
        ] {
            let script = format!("function FindProxyForURL(u, h) {{ {body} }}");
            assert_eq!(
                run(&script),
                Err(PacError::BadAnswer(shown.into())),
                "{body}"
            );
        }
    }

    #[test]
    fn an_endless_loop_is_stopped() {
        let started = Instant::now();
        let result = find_proxy(
            "function FindProxyForURL(u, h) { while (true) {} }",
            "https://zoom.us/",
            "zoom.us",
            &quick(),
        );
        assert_eq!(result, Err(PacError::TooSlow(Duration::from_millis(200))));
        assert!(started.elapsed() < Duration::from_secs(10));
        // In the script body, and inside a try/catch that would like to swallow it.
        for script in [
            "for (;;) {}\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }",
            "function FindProxyForURL(u, h) { for (;;) { try { while (true) {} } catch (e) {} } }",
        ] {
            assert_eq!(
                find_proxy(script, "https://zoom.us/", "zoom.us", &quick()),
                Err(PacError::TooSlow(Duration::from_millis(200))),
                "{script}"
            );
        }
    }

    #[test]
    fn endless_recursion_is_an_error() {
        match run("function f(n) { return f(n + 1) + 1; }\n\
                   function FindProxyForURL(u, h) { return f(0); }")
        {
            Err(PacError::Runtime(text)) => assert!(text.contains("stack"), "{text}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_huge_allocation_is_an_error() {
        for script in [
            "function FindProxyForURL(u, h) { var a = []; while (true) a.push('x'.repeat(65536) + a.length); }",
            "function FindProxyForURL(u, h) { var s = 'x'; while (true) s = s + s; }",
            "function FindProxyForURL(u, h) { return 'PROXY ' + 'x'.repeat(100000000); }",
            "var big = new Array(100000000).fill(1);\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }",
        ] {
            let result = find_proxy(script, "https://zoom.us/", "zoom.us", &quick());
            assert!(
                matches!(result, Err(PacError::Runtime(_) | PacError::TooSlow(_))),
                "{script}: {result:?}"
            );
        }
        // And the next script runs normally.
        assert_eq!(
            run("function FindProxyForURL(u, h) { return 'DIRECT'; }"),
            Ok(vec![PacProxy::Direct])
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        // xorshift: the same "random" bytes every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..40 {
            let len = 1 + (round * 97) % 3000;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            let script = String::from_utf8_lossy(&bytes);
            assert!(run(&script).is_err(), "round {round}");
        }
        for script in [
            "\0",
            "function FindProxyForURL(u, h) { return 'DIRECT'; }\0",
            "\u{feff}\u{fffd}\u{fffd}",
            "((((((((((((((((((((((((((((((((((((((((((((((((((",
            &"[".repeat(200_000),
            &"{".repeat(200_000),
            "}}}}",
            "function FindProxyForURL(u, h) { return '\\uD800'; }",
        ] {
            let result = run(script);
            assert!(result.is_err(), "{:?}: {result:?}", shorten(script, 40));
        }
    }

    #[test]
    fn a_big_generated_pac_file_still_works() {
        let mut script = String::from("/* generated */\nfunction FindProxyForURL(url, host) {\n");
        for i in 0..20_000 {
            script.push_str(&format!(
                "  if (shExpMatch(host, '*.site{i}.example') || dnsDomainIs(host, 'site{i}.example')) return 'PROXY p{i}.corp.example:8080';\n"
            ));
        }
        script.push_str("  return 'DIRECT';\n}\n");
        assert!(script.len() > 1_000_000);
        let env = office();
        assert_eq!(
            find_proxy(
                &script,
                "https://a.site19999.example/",
                "a.site19999.example",
                &env
            ),
            Ok(vec![proxy("p19999.corp.example:8080")])
        );
        assert_eq!(
            find_proxy(&script, "https://zoom.us/", "zoom.us", &env),
            Ok(vec![PacProxy::Direct])
        );
    }

    #[test]
    fn evaluations_run_side_by_side() {
        let script = fixture("zoom-direct.pac");
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let script = &script;
                    s.spawn(move || {
                        let host = if i % 2 == 0 {
                            "zoom.us"
                        } else {
                            "www.example.com"
                        };
                        find_proxy(script, &format!("https://{host}/"), host, &office())
                    })
                })
                .collect();
            for (i, h) in handles.into_iter().enumerate() {
                let want = if i % 2 == 0 {
                    vec![PacProxy::Direct]
                } else {
                    vec![proxy("proxy.corp.example:8080")]
                };
                assert_eq!(h.join().expect("thread"), Ok(want));
            }
        });
    }

    #[test]
    fn env_debug_does_not_need_the_resolver() {
        let text = format!("{:?}", office());
        assert!(text.contains("10.20.30.40"), "{text}");
    }
}
