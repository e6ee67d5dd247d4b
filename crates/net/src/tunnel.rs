//! A connection through the chosen proxy: HTTP CONNECT or SOCKS5.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate as net;
use crate::{NetError, PacProxy};

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

pub(super) fn connect_error(attempts: &[net::ConnectAttempt]) -> TunnelError {
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

pub(super) fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

pub(super) async fn http_connect(
    stream: &mut TcpStream,
    host: &str,
    port: u16,
) -> Result<(), TunnelError> {
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
        crate::head::parse_head(&head).map_err(|message| TunnelError::Garbage { message })?;
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
pub(super) async fn socks5(
    stream: &mut TcpStream,
    host: &str,
    port: u16,
) -> Result<(), TunnelError> {
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
