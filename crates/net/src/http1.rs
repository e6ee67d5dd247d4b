//! A minimal plain-HTTP/1.1 GET used by the internet, captive-portal and
//! clock checks. It exists because those checks need what a general client
//! hides: which stage failed (name lookup, connect, answer), the exact
//! request/response timing, and redirects reported rather than followed.

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate as net;
pub use crate::head::parse_head;
use crate::{ConnectAttempt, NetError, PacProxy, ResolveError};

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub addr: SocketAddr,
    pub connect: Duration,
    /// Wall-clock time just before the request was written.
    pub sent_at: SystemTime,
    /// From writing the request to reading the end of the response head.
    pub round_trip: Duration,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub enum Failure {
    Lookup(ResolveError),
    Connect(Vec<ConnectAttempt>),
    /// Connected, but the answer did not come (in full) before the deadline.
    NoAnswer,
    /// The connection broke while waiting for the answer.
    Broken(NetError, String),
    /// Something answered, but not with HTTP.
    NotHttp(String),
}

impl Failure {
    /// The one-word stage that failed, for evidence and diagnosis.
    pub fn stage(&self) -> &'static str {
        match self {
            Failure::Lookup(_) => "dns",
            Failure::Connect(_) => "connect",
            Failure::NoAnswer | Failure::Broken(..) | Failure::NotHttp(_) => "http",
        }
    }

    /// How the connection failed, in the shared vocabulary.
    pub fn net_error(&self) -> Option<NetError> {
        match self {
            Failure::Lookup(_) | Failure::NotHttp(_) => None,
            Failure::Connect(attempts) => attempts.last().and_then(|a| a.outcome.err()),
            Failure::NoAnswer => Some(NetError::Silent),
            Failure::Broken(e, _) => Some(*e),
        }
    }

    pub fn describe(&self, host: &str) -> String {
        match self {
            Failure::Lookup(e) => format!("looking up {host}: {e}"),
            Failure::Connect(attempts) => {
                let parts: Vec<String> = attempts
                    .iter()
                    .map(|a| format!("{}: {}", a.addr, a.error.as_deref().unwrap_or("failed")))
                    .collect();
                format!("connecting to {host}: {}", parts.join("; "))
            }
            Failure::NoAnswer => {
                format!("{host} accepted the connection but sent no answer in time")
            }
            Failure::Broken(_, e) => format!("the connection to {host} broke: {e}"),
            Failure::NotHttp(e) => format!("{host} did not answer in HTTP: {e}"),
        }
    }

    pub fn evidence(&self) -> serde_json::Value {
        json!({ "stage": self.stage(), "error": self.net_error() })
    }
}

const MAX_HEAD: usize = 16 * 1024;

/// GETs an `http://` URL within `timeout` (lookup, connect and answer
/// together), reading at most `body_cap` bytes of body.
pub async fn get(url: &url::Url, timeout: Duration, body_cap: usize) -> Result<Response, Failure> {
    get_via(url, None, timeout, body_cap).await
}

/// [`get`] through an HTTP proxy (an absolute-form request) or a SOCKS
/// proxy (a tunnel), as the system would send it. Lookup and connect
/// failures are then the proxy's.
pub async fn get_via(
    url: &url::Url,
    via: Option<&PacProxy>,
    timeout: Duration,
    body_cap: usize,
) -> Result<Response, Failure> {
    let deadline = Instant::now() + timeout;
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_string();
    let port = url.port_or_known_default().unwrap_or(80);
    let (connect_host, connect_port, absolute) = match via {
        Some(PacProxy::Proxy(p)) => match crate::tunnel::split_host_port(p) {
            Some((h, pp)) => (h, pp, true),
            None => (host.clone(), port, false),
        },
        _ => (host.clone(), port, false),
    };
    if let Some(hop @ PacProxy::Socks(_)) = via {
        return match crate::tunnel::tunnel(hop, &host, port, timeout).await {
            Ok((stream, took)) => {
                let addr = stream
                    .peer_addr()
                    .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
                exchange(url, stream, addr, took, deadline, body_cap, false).await
            }
            Err(e) => Err(Failure::NotHttp(format!("through the proxy: {e}"))),
        };
    }
    let addrs = net::resolve_system(&connect_host, connect_port, timeout)
        .await
        .map_err(Failure::Lookup)?;
    let left = deadline.saturating_duration_since(Instant::now());
    let (stream, attempts) = net::connect_any(&addrs, left).await;
    let Some(stream) = stream else {
        return Err(Failure::Connect(attempts));
    };
    let connected = attempts
        .last()
        .map(|a| (a.addr, a.outcome.unwrap_or_default()));
    let (addr, connect) = connected.unwrap_or((addrs[0], Duration::ZERO));
    exchange(url, stream, addr, connect, deadline, body_cap, absolute).await
}

async fn exchange(
    url: &url::Url,
    mut stream: tokio::net::TcpStream,
    addr: SocketAddr,
    connect: Duration,
    deadline: Instant,
    body_cap: usize,
    absolute: bool,
) -> Result<Response, Failure> {
    let mut path = url.path().to_string();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(q);
    }
    let host_header = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    if absolute {
        let mut u = url.clone();
        u.set_fragment(None);
        path = u.to_string();
    }
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: meeting-doctor/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let sent_at = SystemTime::now();
    let start = Instant::now();
    let io = async {
        stream.write_all(request.as_bytes()).await?;
        let mut buf = Vec::with_capacity(4096);
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok::<_, std::io::Error>((buf, None, start.elapsed()));
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            if buf.len() > MAX_HEAD {
                return Ok((buf, None, start.elapsed()));
            }
        };
        let round_trip = start.elapsed();
        while buf.len() < head_end + body_cap {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Ok((buf, Some(head_end), round_trip))
    };
    let left = deadline.saturating_duration_since(Instant::now());
    let (buf, head_end, round_trip) = match tokio::time::timeout(left, io).await {
        Err(_) => return Err(Failure::NoAnswer),
        Ok(Err(e)) => return Err(Failure::Broken(NetError::classify(&e), e.to_string())),
        Ok(Ok(r)) => r,
    };
    let Some(head_end) = head_end else {
        return Err(if buf.is_empty() {
            Failure::Broken(NetError::Reset, "closed without answering".into())
        } else {
            Failure::NotHttp("no complete HTTP header".into())
        });
    };
    let (status, headers) = parse_head(&buf[..head_end]).map_err(Failure::NotHttp)?;
    let mut body = buf[head_end..].to_vec();
    body.truncate(body_cap);
    Ok(Response {
        status,
        headers,
        body,
        addr,
        connect,
        sent_at,
        round_trip,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
