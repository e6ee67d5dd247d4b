//! Small network helpers shared by the probes: name resolution through the
//! operating system (as the Zoom app itself resolves), connects under a
//! deadline, and telling socket errors apart.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::net::TcpStream;

/// Why a socket operation failed, in the terms a diagnosis needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetError {
    /// The far side answered "nothing here" (TCP RST, ICMP port unreachable).
    Refused,
    /// Nothing answered before the deadline: dropped silently somewhere.
    Silent,
    /// This computer refused to send it (a local firewall rule: EPERM/EACCES).
    LocalFirewall,
    /// No route to the network or host.
    Unreachable,
    /// The connection was cut after it started.
    Reset,
    /// Anything else.
    Other,
}

impl NetError {
    pub fn classify(e: &io::Error) -> NetError {
        use io::ErrorKind as K;
        match e.kind() {
            K::ConnectionRefused => NetError::Refused,
            K::TimedOut | K::WouldBlock => NetError::Silent,
            K::PermissionDenied => NetError::LocalFirewall,
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                NetError::Reset
            }
            K::NetworkUnreachable | K::HostUnreachable | K::AddrNotAvailable => {
                NetError::Unreachable
            }
            _ => match e.raw_os_error() {
                Some(code) if code == libc_codes::EPERM || code == libc_codes::EACCES => {
                    NetError::LocalFirewall
                }
                Some(code)
                    if code == libc_codes::ENETUNREACH || code == libc_codes::EHOSTUNREACH =>
                {
                    NetError::Unreachable
                }
                _ => NetError::Other,
            },
        }
    }

    /// Plain words for a person.
    pub fn plain(self) -> &'static str {
        match self {
            NetError::Refused => "was turned away",
            NetError::Silent => "got no answer",
            NetError::LocalFirewall => "was stopped by a firewall on this computer",
            NetError::Unreachable => "found no route to it",
            NetError::Reset => "was cut off",
            NetError::Other => "failed",
        }
    }
}

/// errno values (Linux numbering; on other systems these comparisons are
/// only a fallback after `ErrorKind`, which is portable).
mod libc_codes {
    pub const EPERM: i32 = 1;
    pub const EACCES: i32 = 13;
    pub const ENETUNREACH: i32 = 101;
    pub const EHOSTUNREACH: i32 = 113;
}

/// Resolution through the operating system's resolver (getaddrinfo), with a
/// deadline. The blocking lookup may outlive the deadline in its thread; the
/// caller does not wait for it.
pub async fn resolve_system(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<Vec<SocketAddr>, ResolveError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    match tokio::time::timeout(timeout, tokio::net::lookup_host((host, port))).await {
        Err(_) => Err(ResolveError::Timeout),
        Ok(Err(e)) => Err(ResolveError::Failed(e.to_string())),
        Ok(Ok(addrs)) => {
            let mut v: Vec<SocketAddr> = addrs.collect();
            // IPv4 first: the Zoom app and most networks still prefer it, and
            // a broken IPv6 path should not mask a working IPv4 one.
            v.sort_by_key(|a| a.is_ipv6());
            v.dedup();
            if v.is_empty() {
                Err(ResolveError::Failed("no addresses".into()))
            } else {
                Ok(v)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    Timeout,
    Failed(String),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::Timeout => f.write_str("the lookup timed out"),
            ResolveError::Failed(e) => write!(f, "the lookup failed: {e}"),
        }
    }
}

/// The result of trying to connect to each address of a target in turn.
#[derive(Debug)]
pub struct ConnectAttempt {
    pub addr: SocketAddr,
    pub outcome: Result<Duration, NetError>,
    pub error: Option<String>,
}

/// Connects to the first address that accepts, trying each in turn within
/// one overall `timeout`. Returns the stream (if any) and every attempt.
pub async fn connect_any(
    addrs: &[SocketAddr],
    timeout: Duration,
) -> (Option<TcpStream>, Vec<ConnectAttempt>) {
    let deadline = Instant::now() + timeout;
    let mut attempts = Vec::new();
    for &addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let start = Instant::now();
        match tokio::time::timeout(left, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                attempts.push(ConnectAttempt {
                    addr,
                    outcome: Ok(start.elapsed()),
                    error: None,
                });
                return (Some(stream), attempts);
            }
            Ok(Err(e)) => attempts.push(ConnectAttempt {
                addr,
                outcome: Err(NetError::classify(&e)),
                error: Some(e.to_string()),
            }),
            Err(_) => attempts.push(ConnectAttempt {
                addr,
                outcome: Err(NetError::Silent),
                error: Some(format!("no answer within {} ms", left.as_millis())),
            }),
        }
    }
    (None, attempts)
}

/// True when `ip` is inside the network `net`/`bits` ("10.0.0.0", "8").
/// Mismatched families and bad prefixes are false.
pub fn in_network(ip: IpAddr, net: &str, bits: &str) -> bool {
    let (Ok(net), Ok(bits)) = (net.trim().parse::<IpAddr>(), bits.trim().parse::<u32>()) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// True for answers a filtering resolver gives instead of the real address:
/// unspecified, loopback, private, link-local and shared (CGNAT) ranges.
pub fn is_sinkhole(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_unspecified()
                || v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_unspecified()
                || v6.is_loopback()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_sinkhole(IpAddr::V4(v4)))
        }
    }
}

pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sinkhole_ranges() {
        for ip in [
            "0.0.0.0",
            "127.0.0.1",
            "127.1.2.3",
            "10.1.1.1",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "169.254.1.1",
            "::",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_sinkhole(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "203.0.113.10",
            "170.114.52.2",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2001:db8::10",
            "2606:4700::1",
        ] {
            assert!(!is_sinkhole(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn socket_errors_are_told_apart() {
        use io::ErrorKind as K;
        assert_eq!(
            NetError::classify(&io::Error::from(K::ConnectionRefused)),
            NetError::Refused
        );
        assert_eq!(
            NetError::classify(&io::Error::from(K::TimedOut)),
            NetError::Silent
        );
        assert_eq!(
            NetError::classify(&io::Error::from_raw_os_error(1)),
            NetError::LocalFirewall
        );
        assert_eq!(
            NetError::classify(&io::Error::from_raw_os_error(101)),
            NetError::Unreachable
        );
        assert_eq!(
            NetError::classify(&io::Error::from(K::ConnectionReset)),
            NetError::Reset
        );
    }
}
