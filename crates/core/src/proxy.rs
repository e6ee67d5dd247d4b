//! The proxy Zoom's traffic takes, and whether it lets Zoom through.
//!
//! The Zoom client follows the system's proxy settings: a manual proxy with
//! its exception list, or a proxy auto-config (PAC) script it downloads and
//! asks for each URL. [`route`] does the same for one URL (reqwest reads
//! neither PAC nor Windows' per-scheme form by itself, so the engine decides
//! here and hands the probes an explicit proxy). [`tunnel`] opens a
//! connection through the chosen proxy the way Zoom does — HTTP `CONNECT`
//! or SOCKS5 — so a proxy that wants a sign-in (407) or refuses Zoom (403)
//! is seen as such.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use serde_json::json;

use crate::facts::collect::Fact;
use crate::facts::ProxySettings;
use crate::finding::{Finding, Status};
use crate::net::{self, NetError};
use crate::pac::{self, PacProxy};
use crate::profile::Endpoint;

/// How the proxy for one URL was chosen, and the proxies to try in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    pub url: String,
    /// In order of preference; `[Direct]` when no proxy applies.
    pub chain: Vec<PacProxy>,
    /// "no proxy set", "manual proxy (environment)", "exception list",
    /// "proxy script http://…"…
    pub how: String,
}

impl Route {
    pub fn direct(url: &str, how: impl Into<String>) -> Route {
        Route {
            url: url.to_string(),
            chain: vec![PacProxy::Direct],
            how: how.into(),
        }
    }

    /// The first choice, when it is a proxy.
    pub fn first_proxy(&self) -> Option<&PacProxy> {
        self.chain.first().filter(|p| **p != PacProxy::Direct)
    }
}

/// Why the route could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("the proxy script {url} could not be read: {why}")]
    PacFetch { url: String, why: String },
    #[error("the proxy script {url}: {error}")]
    Pac { url: String, error: pac::PacError },
}

/// Largest proxy script read (real ones are a few KiB; some reach 100s).
const PAC_CAP: usize = 1024 * 1024;

/// The proxy script the settings point at, looked for and downloaded once
/// per run: every URL is then decided against the same script, and a
/// script server that does not answer costs one wait, not one per URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    /// No script: manual settings or none.
    NotSet,
    /// Automatic discovery is on but no "wpad" host answers: apps use the
    /// manual settings, or go direct.
    NotFound,
    Fetched {
        url: String,
        text: String,
    },
    Failed(RouteError),
}

/// Looks for the script `settings` name (or that WPAD finds) and fetches it.
pub async fn find_script(settings: &ProxySettings, timeout: Duration) -> Script {
    let url = match (&settings.pac_url, settings.auto_detect) {
        (Some(u), _) => u.clone(),
        // Automatic discovery by DNS (WPAD): a host named "wpad" in the
        // local domain serves the script.
        (None, true) => match net::resolve_system("wpad", 80, timeout).await {
            Ok(_) => "http://wpad/wpad.dat".to_string(),
            Err(_) => return Script::NotFound,
        },
        (None, false) => return Script::NotSet,
    };
    match fetch_pac(&url, timeout).await {
        Ok(text) => Script::Fetched { url, text },
        Err(e) => Script::Failed(e),
    }
}

/// The proxy an application following `settings` uses for `url`, with the
/// script found by [`find_script`]. `my_ip` is what the script's
/// `myIpAddress()` returns; `timeout` bounds the script's run.
pub async fn route(
    settings: &ProxySettings,
    script: &Script,
    url: &url::Url,
    my_ip: IpAddr,
    timeout: Duration,
) -> Result<Route, RouteError> {
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    if settings.is_direct() {
        return Ok(Route::direct(url.as_str(), "no proxy is set"));
    }
    match script {
        Script::Failed(e) => return Err(e.clone()),
        Script::Fetched { url: pac_url, text } => {
            let chain = evaluate(text.clone(), url.as_str(), host, my_ip, timeout)
                .await
                .map_err(|error| RouteError::Pac {
                    url: pac_url.clone(),
                    error,
                })?;
            return Ok(Route {
                url: url.to_string(),
                chain,
                how: format!("the proxy script {pac_url}"),
            });
        }
        Script::NotFound if manual_for(settings, url).is_none() => {
            return Ok(Route::direct(
                url.as_str(),
                "automatic proxy discovery found no proxy script (no \"wpad\" host)",
            ));
        }
        Script::NotFound | Script::NotSet => {}
    }
    if bypassed(host, &settings.bypass) {
        return Ok(Route::direct(
            url.as_str(),
            format!("{host} is on the proxy exception list"),
        ));
    }
    Ok(match manual_for(settings, url) {
        Some(hop) => Route {
            url: url.to_string(),
            chain: vec![hop],
            how: format!("the manual proxy setting ({})", settings.source),
        },
        None => Route::direct(
            url.as_str(),
            format!(
                "the manual proxy setting ({}) has no proxy for {} addresses",
                settings.source,
                url.scheme()
            ),
        ),
    })
}

/// The manual proxy for a URL's scheme: https → the HTTPS proxy, http → the
/// HTTP proxy, then SOCKS for either (curl and the desktops do the same).
fn manual_for(settings: &ProxySettings, url: &url::Url) -> Option<PacProxy> {
    let scheme_proxy = match url.scheme() {
        "https" | "wss" => settings.https.as_ref(),
        _ => settings.http.as_ref(),
    };
    scheme_proxy
        .map(|p| PacProxy::Proxy(with_port(p, 8080)))
        .or_else(|| {
            settings
                .socks
                .as_ref()
                .map(|s| PacProxy::Socks(with_port(s, 1080)))
        })
}

fn with_port(hp: &str, default: u16) -> String {
    let has_port = hp
        .rsplit_once(':')
        .is_some_and(|(h, p)| !h.is_empty() && !h.ends_with(':') && p.parse::<u16>().is_ok());
    if has_port {
        hp.to_string()
    } else {
        format!("{hp}:{default}")
    }
}

/// True when `host` matches an exception: `*` (everything), `<local>`
/// (plain host names), `*.example.com` and `.example.com` (subdomains),
/// `example.com` (itself and its subdomains, as no_proxy means it),
/// `10.*` style wildcards and `10.0.0.0/8` networks.
pub fn bypassed(host: &str, bypass: &[String]) -> bool {
    let host = host.to_ascii_lowercase();
    let ip: Option<IpAddr> = host.parse().ok();
    bypass.iter().any(|raw| {
        let pat = raw.trim().to_ascii_lowercase();
        let pat = pat.trim_matches(['[', ']']);
        if pat.is_empty() {
            return false;
        }
        if pat == "*" {
            return true;
        }
        if pat == "<local>" {
            return !host.contains('.') && ip.is_none();
        }
        if let (Some((net, bits)), Some(ip)) = (pat.split_once('/'), ip) {
            return net::in_network(ip, net, bits);
        }
        if pat.contains('*') {
            return glob(pat, &host);
        }
        let bare = pat.trim_start_matches('.');
        host == bare || host.ends_with(&format!(".{bare}"))
    })
}

/// `*` matches any run of characters.
fn glob(pat: &str, s: &str) -> bool {
    let parts: Vec<&str> = pat.split('*').collect();
    let mut rest = s;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// Downloads a proxy script (always directly, as the OS does).
async fn fetch_pac(pac_url: &str, timeout: Duration) -> Result<String, RouteError> {
    let err = |why: String| RouteError::PacFetch {
        url: pac_url.to_string(),
        why,
    };
    let url = url::Url::parse(pac_url).map_err(|e| err(format!("not a usable address ({e})")))?;
    let bytes = match url.scheme() {
        "file" => {
            let path = url
                .to_file_path()
                .map_err(|_| err("not a usable file address".into()))?;
            read_pac_file(path, timeout).await.map_err(err)?
        }
        "http" | "https" => {
            let client = reqwest::Client::builder()
                .no_proxy()
                .timeout(timeout)
                .tls_backend_preconfigured(tls_for_fetch().map_err(err)?)
                .build()
                .map_err(|e| err(e.to_string()))?;
            let resp = client
                .get(url)
                .send()
                .await
                .map_err(|e| err(reqwest_reason(&e)))?;
            let status = resp.status();
            if !status.is_success() {
                return Err(err(format!("the server answered {status}")));
            }
            if resp.content_length().is_some_and(|n| n > PAC_CAP as u64) {
                return Err(err(too_big()));
            }
            let mut body = Vec::new();
            let mut resp = resp;
            while let Some(chunk) = resp.chunk().await.map_err(|e| err(reqwest_reason(&e)))? {
                if body.len() + chunk.len() > PAC_CAP {
                    return Err(err(too_big()));
                }
                body.extend_from_slice(&chunk);
            }
            body
        }
        other => return Err(err(format!("{other}: addresses are not supported"))),
    };
    String::from_utf8(bytes).map_err(|_| err("it is not text".into()))
}

fn too_big() -> String {
    format!("it is larger than {} KiB", PAC_CAP / 1024)
}

/// Reads a proxy script file: a regular file of at most [`PAC_CAP`] bytes,
/// within `timeout`. A FIFO with no writer (opening it waits for one), a
/// device such as `/dev/zero` (endless) or a file on a hung network share
/// must neither hang the check nor fill the memory. The read runs on a
/// thread of its own, not the async workers or tokio's blocking pool, so
/// one that never returns holds up nothing (a runtime waits for its
/// blocking tasks when it shuts down); that thread ends when its read does.
async fn read_pac_file(path: std::path::PathBuf, timeout: Duration) -> Result<Vec<u8>, String> {
    read_pac_file_with(path, timeout, read_capped).await
}

async fn read_pac_file_with(
    path: std::path::PathBuf,
    timeout: Duration,
    read: fn(&std::path::Path) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("md-pac-file".into())
        .spawn(move || {
            let _ = tx.send(read(&path));
        })
        .map_err(|e| format!("cannot start reading it: {e}"))?;
    match tokio::time::timeout(timeout, rx).await {
        Ok(Ok(read)) => read,
        Ok(Err(_)) => Err("reading it stopped unexpectedly".into()),
        Err(_) => Err(format!(
            "reading it took longer than {:.1} s",
            timeout.as_secs_f64()
        )),
    }
}

fn read_capped(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let not_a_file = || "it is not a regular file (it is a pipe, a device or a folder)".to_string();
    // Looked at before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    if meta.len() > PAC_CAP as u64 {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // And again once open, in case it was swapped meanwhile.
    if !file.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err(not_a_file());
    }
    let mut data = Vec::new();
    file.take(PAC_CAP as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| e.to_string())?;
    if data.len() > PAC_CAP {
        // It grew while being read.
        return Err(too_big());
    }
    Ok(data)
}

fn tls_for_fetch() -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        let _ = roots.add(cert);
    }
    Ok(
        rustls::ClientConfig::builder_with_provider(crate::context::crypto_provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

fn reqwest_reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        e.to_string()
    }
}

/// Runs the script on a blocking thread; its DNS helpers use the system
/// resolver with a short limit of their own.
async fn evaluate(
    script: String,
    url: &str,
    host: &str,
    my_ip: IpAddr,
    timeout: Duration,
) -> Result<Vec<PacProxy>, pac::PacError> {
    let handle = tokio::runtime::Handle::current();
    let (url, host) = (url.to_string(), host.to_string());
    let run = tokio::task::spawn_blocking(move || {
        let resolve = move |name: &str| -> Option<IpAddr> {
            handle
                .block_on(net::resolve_system(
                    name,
                    0,
                    Duration::from_millis(1000).min(timeout),
                ))
                .ok()
                .and_then(|a| a.first().map(|s| s.ip()))
        };
        let env = pac::PacEnv {
            my_ip,
            resolve: &resolve,
            time_limit: timeout,
        };
        pac::find_proxy(&script, &url, &host, &env)
    });
    match run.await {
        Ok(r) => r,
        Err(e) => Err(pac::PacError::Runtime(e.to_string())),
    }
}

/// The address this computer uses toward `dest` (a UDP "connect" sends nothing).
pub fn local_ip_toward(dest: Option<IpAddr>) -> IpAddr {
    let dest = dest.unwrap_or(IpAddr::from([192, 0, 2, 1]));
    let bind: IpAddr = if dest.is_ipv4() {
        IpAddr::from([0, 0, 0, 0])
    } else {
        IpAddr::from([0u16; 8])
    };
    std::net::UdpSocket::bind((bind, 0))
        .and_then(|s| {
            s.connect((dest, 9))?;
            s.local_addr()
        })
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

/// Why a connection through a proxy did not open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TunnelError {
    #[error("the proxy's name could not be looked up: {message}")]
    Lookup { message: String },
    #[error("the proxy could not be reached: the connection {}", error.plain())]
    Connect { error: NetError, message: String },
    #[error("the proxy answered {status} {reason}")]
    Refused {
        status: u16,
        reason: String,
        /// Proxy-Authenticate, when the proxy wants a sign-in.
        authenticate: Option<String>,
    },
    #[error("the SOCKS proxy refused: {message}")]
    Socks { message: String },
    #[error("the proxy did not answer in time")]
    NoAnswer,
    #[error("the proxy's answer made no sense: {message}")]
    Garbage { message: String },
    #[error("{message}")]
    Unsupported { message: String },
}

impl TunnelError {
    /// The proxy wants credentials (HTTP 407, or SOCKS5 with no method we offer).
    pub fn wants_sign_in(&self) -> bool {
        matches!(self, TunnelError::Refused { status: 407, .. })
            || matches!(self, TunnelError::Socks { message } if message.contains("sign-in"))
    }
}

/// Opens a connection to `host:port` through `hop`, within `timeout`.
/// Returns the stream (already tunnelled) and how long the proxy took.
pub async fn tunnel(
    hop: &PacProxy,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, Duration), TunnelError> {
    let deadline = Instant::now() + timeout;
    let start = Instant::now();
    let (proxy, socks) = match hop {
        PacProxy::Direct => {
            let addrs = net::resolve_system(host, port, timeout)
                .await
                .map_err(|e| TunnelError::Lookup {
                    message: e.to_string(),
                })?;
            let (s, attempts) = net::connect_any(&addrs, timeout).await;
            return match s {
                Some(s) => Ok((s, start.elapsed())),
                None => Err(connect_error(&attempts)),
            };
        }
        PacProxy::Proxy(p) => (p, false),
        PacProxy::Socks(p) => (p, true),
        PacProxy::Https(p) => {
            return Err(TunnelError::Unsupported {
                message: format!("{p} is an HTTPS proxy, which this check can't test yet"),
            })
        }
    };
    let (phost, pport) = split_host_port(proxy).ok_or_else(|| TunnelError::Garbage {
        message: format!("{proxy:?} is not a host:port"),
    })?;
    let addrs = net::resolve_system(&phost, pport, timeout)
        .await
        .map_err(|e| TunnelError::Lookup {
            message: e.to_string(),
        })?;
    let left = deadline.saturating_duration_since(Instant::now());
    let (stream, attempts) = net::connect_any(&addrs, left).await;
    let Some(mut stream) = stream else {
        return Err(connect_error(&attempts));
    };
    let left = deadline.saturating_duration_since(Instant::now());
    let talk = async {
        if socks {
            socks5(&mut stream, host, port).await
        } else {
            http_connect(&mut stream, host, port).await
        }
    };
    match tokio::time::timeout(left, talk).await {
        Err(_) => Err(TunnelError::NoAnswer),
        Ok(Err(e)) => Err(e),
        Ok(Ok(())) => Ok((stream, start.elapsed())),
    }
}

fn connect_error(attempts: &[net::ConnectAttempt]) -> TunnelError {
    let last = attempts.last();
    TunnelError::Connect {
        error: last
            .and_then(|a| a.outcome.err())
            .unwrap_or(NetError::Silent),
        message: attempts
            .iter()
            .map(|a| format!("{}: {}", a.addr, a.error.as_deref().unwrap_or("failed")))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// "host:port", "[v6]:port" → parts.
pub fn split_host_port(hp: &str) -> Option<(String, u16)> {
    let (h, p) = hp.rsplit_once(':')?;
    let port = p.parse().ok()?;
    let h = h.trim_matches(['[', ']']);
    (!h.is_empty()).then(|| (h.to_string(), port))
}

fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

async fn http_connect(stream: &mut TcpStream, host: &str, port: u16) -> Result<(), TunnelError> {
    let auth = authority(host, port);
    let req = format!(
        "CONNECT {auth} HTTP/1.1\r\nHost: {auth}\r\nUser-Agent: meeting-doctor/{}\r\nProxy-Connection: keep-alive\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let io = |e: std::io::Error| TunnelError::Connect {
        error: NetError::classify(&e),
        message: e.to_string(),
    };
    stream.write_all(req.as_bytes()).await.map_err(io)?;
    // Read the head byte by byte: nothing after it may be consumed (it
    // belongs to the tunnelled connection).
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.map_err(io)?;
        if n == 0 {
            return Err(TunnelError::Garbage {
                message: if head.is_empty() {
                    "the proxy closed the connection without answering".into()
                } else {
                    "the proxy closed the connection mid-answer".into()
                },
            });
        }
        head.push(byte[0]);
        if head.len() > 16 * 1024 {
            return Err(TunnelError::Garbage {
                message: "the answer's header is too long".into(),
            });
        }
    }
    let (status, headers) =
        crate::http1::parse_head(&head).map_err(|message| TunnelError::Garbage { message })?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&head);
    let reason = text
        .lines()
        .next()
        .and_then(|l| l.splitn(3, ' ').nth(2))
        .unwrap_or("")
        .trim()
        .to_string();
    Err(TunnelError::Refused {
        status,
        reason,
        authenticate: headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("proxy-authenticate"))
            .map(|(_, v)| v.clone()),
    })
}

/// RFC 1928: no-authentication method, CONNECT by domain name.
async fn socks5(stream: &mut TcpStream, host: &str, port: u16) -> Result<(), TunnelError> {
    let io = |e: std::io::Error| TunnelError::Connect {
        error: NetError::classify(&e),
        message: e.to_string(),
    };
    let garbage = |m: &str| TunnelError::Garbage { message: m.into() };
    stream.write_all(&[5, 1, 0]).await.map_err(io)?;
    let mut reply = [0u8; 2];
    stream.read_exact(&mut reply).await.map_err(io)?;
    if reply[0] != 5 {
        return Err(garbage("not a SOCKS5 proxy"));
    }
    if reply[1] == 0xFF {
        return Err(TunnelError::Socks {
            message: "it wants a sign-in".into(),
        });
    }
    if reply[1] != 0 {
        return Err(garbage("it chose a method that was not offered"));
    }
    let mut req = vec![5, 1, 0];
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => {
            req.push(1);
            req.extend_from_slice(&a.octets());
        }
        Ok(IpAddr::V6(a)) => {
            req.push(4);
            req.extend_from_slice(&a.octets());
        }
        Err(_) => {
            let name = host.as_bytes();
            if name.len() > 255 {
                return Err(garbage("host name too long for SOCKS5"));
            }
            req.push(3);
            req.push(name.len() as u8);
            req.extend_from_slice(name);
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    stream.write_all(&req).await.map_err(io)?;
    let mut head = [0u8; 4];
    stream.read_exact(&mut head).await.map_err(io)?;
    if head[0] != 5 {
        return Err(garbage("not a SOCKS5 answer"));
    }
    if head[1] != 0 {
        let why = match head[1] {
            1 => "general failure",
            2 => "not allowed by its rules",
            3 => "network unreachable",
            4 => "host unreachable",
            5 => "connection refused",
            6 => "time to live expired",
            7 => "command not supported",
            8 => "address type not supported",
            _ => "an unknown error",
        };
        return Err(TunnelError::Socks {
            message: why.into(),
        });
    }
    let rest = match head[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => {
            let mut len = [0u8; 1];
            stream.read_exact(&mut len).await.map_err(io)?;
            len[0] as usize + 2
        }
        _ => return Err(garbage("unknown address type in the answer")),
    };
    let mut skip = vec![0u8; rest];
    stream.read_exact(&mut skip).await.map_err(io)?;
    Ok(())
}

/// `proxy`: the proxy Zoom's traffic to `zoom` takes and whether it lets
/// Zoom through. A proxy is a fact, not a fault: only a proxy that refuses,
/// wants a sign-in or is unreachable fails.
pub async fn check(
    settings: &Fact<ProxySettings>,
    script: &Script,
    zoom: Option<&Endpoint>,
    my_ip: IpAddr,
    timeout: Duration,
) -> (Finding, Option<Route>) {
    let id = "proxy";
    let (settings, read_from) = match settings {
        Fact::Known { value, source } => (value, source.clone()),
        Fact::Unknown { reason } => {
            return (
                Finding::new(id, Status::Unknown, "Couldn't check the proxy settings.")
                    .detail(reason.clone())
                    .evidence(json!({ "reason": reason })),
                None,
            )
        }
    };
    let mut ev = json!({ "settings": settings, "read_from": read_from });
    if settings.is_direct() {
        let f = Finding::new(id, Status::Pass, "No proxy is set up on this computer.")
            .detail(format!("no proxy in {read_from}"))
            .evidence(ev);
        return (f, None);
    }
    let Some(zoom) = zoom else {
        let f = Finding::new(
            id,
            Status::Unknown,
            "A proxy is set up; couldn't test it without a Zoom address to try.",
        )
        .detail(format!("{settings:?}"))
        .evidence(ev);
        return (f, None);
    };
    let host = zoom.host.0.as_str();
    let url = match url::Url::parse(&format!("https://{zoom}/")) {
        Ok(u) => u,
        Err(e) => {
            return (
                Finding::new(id, Status::Unknown, "Couldn't test the proxy.").detail(e.to_string()),
                None,
            )
        }
    };
    let route = match self::route(settings, script, &url, my_ip, timeout).await {
        Ok(r) => r,
        Err(e) => {
            ev["error"] = json!(e.to_string());
            let f = Finding::new(
                id,
                Status::Warn,
                "This computer's automatic proxy script doesn't work, so apps may not know how to reach Zoom.",
            )
            .detail(format!("{e}\nsettings read from {read_from}"))
            .evidence(ev);
            return (f, None);
        }
    };
    ev["route"] = json!(route);
    if route.first_proxy().is_none() {
        let f = Finding::new(
            id,
            Status::Pass,
            "A proxy is set up, but Zoom's traffic goes straight out.",
        )
        .detail(format!("{url}: DIRECT, by {}", route.how))
        .evidence(ev);
        return (f, Some(route));
    }
    // Try each choice in order, as applications fall back along the list.
    let mut tried = Vec::new();
    for hop in &route.chain {
        let result = tunnel(hop, host, zoom.port, timeout).await;
        match result {
            Ok((_, took)) => {
                ev["tried"] = json!(tried
                    .iter()
                    .map(|(h, e): &(PacProxy, TunnelError)| json!({"via": h, "error": e}))
                    .collect::<Vec<_>>());
                ev["used"] = json!(hop);
                let name = hop_name(hop);
                let (status, summary) = match (&tried.first(), hop) {
                    (None, _) => (
                        Status::Pass,
                        format!("Zoom's traffic goes through a proxy ({name}), and it lets Zoom through."),
                    ),
                    (Some((first, _)), PacProxy::Direct) => (
                        Status::Warn,
                        format!("The proxy {} isn't working; Zoom's traffic falls back to going straight out.", hop_name(first)),
                    ),
                    (Some((first, _)), _) => (
                        Status::Warn,
                        format!("The proxy {} isn't working; Zoom's traffic falls back to {name}.", hop_name(first)),
                    ),
                };
                let mut detail = format!(
                    "{url}: {} (by {}); CONNECT {zoom} via {name} opened in {:.0} ms",
                    chain_text(&route.chain),
                    route.how,
                    took.as_secs_f64() * 1000.0
                );
                for (h, e) in &tried {
                    detail.push_str(&format!("\n{} failed: {e}", hop_name(h)));
                }
                return (
                    Finding::new(id, status, summary)
                        .detail(detail)
                        .evidence(ev),
                    Some(route),
                );
            }
            Err(e) => {
                // Apps move down the list only when a proxy can't be
                // reached; a proxy that answers (407, 403) has decided.
                let unreachable = matches!(
                    e,
                    TunnelError::Connect { .. }
                        | TunnelError::Lookup { .. }
                        | TunnelError::NoAnswer
                );
                tried.push((hop.clone(), e));
                if !unreachable {
                    break;
                }
            }
        }
    }
    let Some((first, err)) = tried.last() else {
        return (
            Finding::new(id, Status::Unknown, "Couldn't test the proxy.").evidence(ev),
            Some(route),
        );
    };
    let name = hop_name(first);
    let summary = match err {
        e if e.wants_sign_in() => {
            format!("The proxy ({name}) asks for a sign-in before it lets Zoom through.")
        }
        TunnelError::Refused { status, reason, .. } => {
            format!("The proxy ({name}) refuses to connect to Zoom ({status} {reason}).")
        }
        TunnelError::Socks { message } => {
            format!("The proxy ({name}) refuses to connect to Zoom: {message}.")
        }
        TunnelError::Connect { .. } | TunnelError::Lookup { .. } | TunnelError::NoAnswer => {
            format!("The proxy set on this computer ({name}) isn't answering.")
        }
        TunnelError::Unsupported { .. } => {
            let f = Finding::new(
                id,
                Status::Unknown,
                format!("Zoom's traffic goes through a proxy ({name}) that couldn't be tested."),
            )
            .detail(err.to_string())
            .evidence(ev);
            return (f, Some(route));
        }
        TunnelError::Garbage { .. } => {
            format!("The proxy ({name}) gave an answer that makes no sense.")
        }
    };
    ev["tried"] = json!(tried
        .iter()
        .map(|(h, e)| json!({"via": h, "error": e}))
        .collect::<Vec<_>>());
    let detail = std::iter::once(format!(
        "{url}: {} (by {})",
        chain_text(&route.chain),
        route.how
    ))
    .chain(tried.iter().map(|(h, e)| {
        let mut line = format!("CONNECT {zoom} via {}: {e}", hop_name(h));
        if let TunnelError::Refused {
            authenticate: Some(a),
            ..
        } = e
        {
            line.push_str(&format!(" (Proxy-Authenticate: {a})"));
        }
        line
    }))
    .collect::<Vec<_>>()
    .join("\n");
    (
        Finding::new(id, Status::Fail, summary)
            .detail(detail)
            .evidence(ev),
        Some(route),
    )
}

fn hop_name(hop: &PacProxy) -> String {
    match hop {
        PacProxy::Direct => "a direct connection".into(),
        PacProxy::Proxy(p) | PacProxy::Https(p) => p.clone(),
        PacProxy::Socks(p) => format!("SOCKS {p}"),
    }
}

fn chain_text(chain: &[PacProxy]) -> String {
    chain
        .iter()
        .map(|h| match h {
            PacProxy::Direct => "DIRECT".to_string(),
            PacProxy::Proxy(p) => format!("PROXY {p}"),
            PacProxy::Https(p) => format!("HTTPS {p}"),
            PacProxy::Socks(p) => format!("SOCKS5 {p}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(f: impl FnOnce(&mut ProxySettings)) -> ProxySettings {
        let mut s = ProxySettings {
            source: "test".into(),
            ..Default::default()
        };
        f(&mut s);
        s
    }

    #[test]
    fn exceptions_match_as_the_systems_do() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cases: &[(&str, &[&str], bool)] = &[
            ("zoom.us", &["*.zoom.us"], false),
            ("us04web.zoom.us", &["*.zoom.us"], true),
            ("us04web.zoom.us", &[".zoom.us"], true),
            ("zoom.us", &["zoom.us"], true),
            ("us04web.zoom.us", &["zoom.us"], true),
            ("notzoom.us", &["zoom.us"], false),
            ("intranet", &["<local>"], true),
            ("zoom.us", &["<local>"], false),
            ("10.1.2.3", &["10.*"], true),
            ("10.1.2.3", &["10.0.0.0/8"], true),
            ("11.1.2.3", &["10.0.0.0/8"], false),
            ("zoom.us", &["*"], true),
            ("ZOOM.US", &["Zoom.us"], true),
            ("zoom.us", &[""], false),
            ("::1", &["::1/128"], true),
            ("zoom.us", &["10.0.0.0/99"], false),
        ];
        for (host, pats, want) in cases {
            assert_eq!(bypassed(host, &list(pats)), *want, "{host} vs {pats:?}");
        }
    }

    #[tokio::test]
    async fn manual_settings_pick_the_proxy_for_the_scheme() {
        let ip = IpAddr::from([127, 0, 0, 1]);
        let t = Duration::from_secs(1);
        let https = url::Url::parse("https://zoom.us/").unwrap();
        let http = url::Url::parse("http://zoom.us/").unwrap();
        let s = settings(|s| {
            s.http = Some("proxy.corp:3128".into());
            s.https = Some("secure.corp".into());
        });
        let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
        assert_eq!(r.chain, vec![PacProxy::Proxy("secure.corp:8080".into())]);
        let r = route(&s, &Script::NotSet, &http, ip, t).await.unwrap();
        assert_eq!(r.chain, vec![PacProxy::Proxy("proxy.corp:3128".into())]);
        // Only an HTTP proxy: HTTPS goes direct, as curl and the desktops do.
        let s = settings(|s| s.http = Some("proxy.corp:3128".into()));
        let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
        assert_eq!(r.chain, vec![PacProxy::Direct]);
        assert!(r.how.contains("no proxy for https"), "{}", r.how);
        // SOCKS for anything without its own proxy.
        let s = settings(|s| s.socks = Some("127.0.0.1".into()));
        let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
        assert_eq!(r.chain, vec![PacProxy::Socks("127.0.0.1:1080".into())]);
        // Exceptions win.
        let s = settings(|s| {
            s.https = Some("p:1".into());
            s.bypass = vec![".zoom.us".into()];
        });
        let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
        assert_eq!(r.chain, vec![PacProxy::Direct]);
        assert!(r.how.contains("exception"), "{}", r.how);
        let r = route(&settings(|_| {}), &Script::NotSet, &https, ip, t)
            .await
            .unwrap();
        assert_eq!(r.how, "no proxy is set");
    }

    /// A `file://` proxy script that is a FIFO nobody writes to, an
    /// endless device or a huge file ends at once, saying why; a real one
    /// is read.
    #[tokio::test]
    async fn a_proxy_script_file_is_read_with_a_size_and_a_time_limit() {
        let dir = tempfile::tempdir().unwrap();
        let at = |path: &std::path::Path| {
            settings(|s| s.pac_url = Some(url::Url::from_file_path(path).unwrap().to_string()))
        };
        let limit = Duration::from_secs(2);
        let script = dir.path().join("proxy.pac");
        std::fs::write(
            &script,
            "function FindProxyForURL(u, h) { return \"DIRECT\"; }\n",
        )
        .unwrap();
        match find_script(&at(&script), limit).await {
            Script::Fetched { text, .. } => assert!(text.starts_with("function")),
            other => panic!("{other:?}"),
        }

        let fifo = dir.path().join("never-written.pac");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let huge = dir.path().join("huge.pac");
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(20 * 1024 * 1024)
            .unwrap();
        let cases: &[(&std::path::Path, &str)] = &[
            (&fifo, "it is not a regular file"),
            (
                std::path::Path::new("/dev/zero"),
                "it is not a regular file",
            ),
            (&huge, "it is larger than 1024 KiB"),
            (dir.path(), "it is not a regular file"),
            (&dir.path().join("missing.pac"), "No such file"),
        ];
        for (path, why) in cases {
            let start = Instant::now();
            let found = tokio::time::timeout(limit * 2, find_script(&at(path), limit))
                .await
                .unwrap_or_else(|_| panic!("{} was still being read", path.display()));
            assert!(
                start.elapsed() < limit,
                "{}: {:?}",
                path.display(),
                start.elapsed()
            );
            match found {
                Script::Failed(e @ RouteError::PacFetch { .. }) => {
                    let message = e.to_string();
                    assert!(message.contains(why), "{message}");
                    assert!(
                        message.starts_with("the proxy script file:///"),
                        "{message}"
                    );
                    assert!(message.contains("could not be read"), "{message}");
                }
                other => panic!("{}: {other:?}", path.display()),
            }
        }
    }

    /// A read that never ends (a hung network share) is given up at the
    /// time limit, and its thread does not hold up the runtime.
    #[tokio::test]
    async fn a_proxy_script_file_read_that_hangs_is_given_up_in_time() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("swapped.pac");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Past the look before opening: open() itself waits for a writer.
        let start = Instant::now();
        let read = read_pac_file_with(fifo.clone(), Duration::from_millis(300), |p| {
            std::fs::File::open(p)
                .map(|_| Vec::new())
                .map_err(|e| e.to_string())
        })
        .await;
        let took = start.elapsed();
        assert_eq!(read, Err("reading it took longer than 0.3 s".to_string()));
        assert!(took < Duration::from_millis(1000), "{took:?}");
        // Let the stuck thread finish.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
    }

    #[test]
    fn host_port_splitting() {
        assert_eq!(split_host_port("a:1"), Some(("a".into(), 1)));
        assert_eq!(split_host_port("[::1]:8080"), Some(("::1".into(), 8080)));
        assert_eq!(split_host_port("a"), None);
        assert_eq!(split_host_port(":1"), None);
        assert_eq!(split_host_port("a:99999"), None);
        assert_eq!(with_port("a", 8080), "a:8080");
        assert_eq!(with_port("a:1", 8080), "a:1");
    }
}
