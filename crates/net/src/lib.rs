//! Small network helpers shared by the probes: name resolution through the
//! operating system (as the Zoom app itself resolves), connects under a
//! deadline, and telling socket errors apart.

pub mod head;
pub mod hop;
pub mod http1;
pub mod stun;
pub mod trust;
pub mod tunnel;

pub use hop::PacProxy;

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
                Some(code) if os_codes::DENIED.contains(&code) => NetError::LocalFirewall,
                Some(code) if os_codes::UNREACHABLE.contains(&code) => NetError::Unreachable,
                _ => NetError::Other,
            },
        }
    }

    /// For UDP: Windows reports an ICMP "port unreachable" on the next
    /// receive as WSAECONNRESET ("reset"), where Linux and macOS say
    /// "refused". A datagram has no connection to reset: it was refused.
    pub fn classify_datagram(e: &io::Error) -> NetError {
        match NetError::classify(e) {
            NetError::Reset => NetError::Refused,
            other => other,
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

/// The OS's own numbers for the errors above, for the rare error that
/// `ErrorKind` leaves as "other". Each system numbers them differently:
/// Winsock's `WSAE*` codes on Windows, BSD errno on macOS, Linux errno.
mod os_codes {
    #[cfg(windows)]
    mod codes {
        pub const DENIED: &[i32] = &[10013]; // WSAEACCES
        pub const UNREACHABLE: &[i32] = &[10051, 10065]; // WSAENETUNREACH, WSAEHOSTUNREACH
    }
    #[cfg(target_os = "macos")]
    mod codes {
        pub const DENIED: &[i32] = &[1, 13]; // EPERM, EACCES
        pub const UNREACHABLE: &[i32] = &[51, 65]; // ENETUNREACH, EHOSTUNREACH
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    mod codes {
        pub const DENIED: &[i32] = &[1, 13]; // EPERM, EACCES
        pub const UNREACHABLE: &[i32] = &[101, 113]; // ENETUNREACH, EHOSTUNREACH
    }
    pub use codes::{DENIED, UNREACHABLE};
}

/// Receives one datagram on a connected UDP socket, with any error the
/// socket holds (an ICMP "port unreachable" from the far side) returned as
/// the error. Under Wine a socket with such an error pending says "readable"
/// and then has nothing to read: the plain `recv` spins on it and never
/// yields to the timers. Asking for the pending error (SO_ERROR) ends that
/// and gives the same "refused" as Linux and Windows.
pub async fn recv_datagram(sock: &tokio::net::UdpSocket, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        sock.readable().await?;
        match sock.try_recv(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if let Some(pending) = sock.take_error()? {
                    return Err(pending);
                }
                // A wake-up with nothing behind it: let timers and the other
                // checks run before looking again.
                tokio::task::yield_now().await;
            }
            Err(e) => return Err(e),
        }
    }
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
            let (nowhere, mut v): (Vec<SocketAddr>, Vec<SocketAddr>) =
                addrs.partition(|a| a.ip().is_unspecified());
            // 0.0.0.0 and :: are a DNS filter's "nowhere", never a server:
            // Linux and macOS would connect them to this computer itself,
            // Windows refuses them. Not sent to on any system.
            if v.is_empty() && !nowhere.is_empty() {
                let mut ips: Vec<IpAddr> = nowhere.iter().map(|a| a.ip()).collect();
                ips.dedup();
                return Err(ResolveError::PointsNowhere(ips));
            }
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
    /// Only 0.0.0.0 or `::` came back: a filter's answer.
    PointsNowhere(Vec<IpAddr>),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::Timeout => f.write_str("the lookup timed out"),
            ResolveError::Failed(e) => write!(f, "the lookup failed: {e}"),
            ResolveError::PointsNowhere(ips) => {
                let ips: Vec<String> = ips.iter().map(IpAddr::to_string).collect();
                write!(
                    f,
                    "the lookup gave only {}, an address that goes nowhere (a DNS filter's answer)",
                    ips.join(" and ")
                )
            }
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
        // Each system's own numbers, where ErrorKind may leave them "other".
        let (denied, unreachable) = if cfg!(windows) {
            (10013, 10065) // WSAEACCES, WSAEHOSTUNREACH
        } else if cfg!(target_os = "macos") {
            (1, 65)
        } else {
            (1, 101)
        };
        assert_eq!(
            NetError::classify(&io::Error::from_raw_os_error(denied)),
            NetError::LocalFirewall
        );
        assert_eq!(
            NetError::classify(&io::Error::from_raw_os_error(unreachable)),
            NetError::Unreachable
        );
        assert_eq!(
            NetError::classify(&io::Error::from(K::ConnectionReset)),
            NetError::Reset
        );
        // Windows' WSAECONNRESET on a UDP receive is an ICMP refusal.
        assert_eq!(
            NetError::classify_datagram(&io::Error::from(K::ConnectionReset)),
            NetError::Refused
        );
        assert_eq!(
            NetError::classify_datagram(&io::Error::from(K::TimedOut)),
            NetError::Silent
        );
    }
}
