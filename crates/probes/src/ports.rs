//! `tcp.<port>` and `udp.<port>`: can this computer reach Zoom on each port
//! Zoom publishes? TCP passes only on a completed connection; UDP only when a
//! STUN Binding Response carrying our transaction id comes back.

use md_model::ids::CheckId;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::net::UdpSocket;

use md_model::finding::{Finding, Status};
use md_model::profile::PortTarget;
use md_net::stun;
use md_net::{self as net, ms, NetError};

fn no_host(id: CheckId, proto: &str, port: u16) -> Finding {
    Finding::new(id, Status::Unknown, format!("Couldn't test port {port}: no server is known to answer there."))
        .detail(format!("the profile lists {proto} {port} without a host; no public server is documented to answer on it, so a result would prove nothing"))
        .evidence(json!({ "port": port, "reason": "no_known_responder" }))
}

fn lookup_failed(id: CheckId, host: &str, port: u16, e: &net::ResolveError) -> Finding {
    let summary = match e {
        net::ResolveError::PointsNowhere(_) => {
            format!("Skipped because the name lookup for {host} is blocked.")
        }
        _ => format!("Skipped because this computer could not look up {host}."),
    };
    Finding::new(id, Status::Skipped, summary)
        .detail(format!("{host}: {e}"))
        .evidence(json!({ "host": host, "port": port, "stage": "dns" }))
}

/// `tcp.<port>`: connected (with RTT), refused, or silent — told apart.
pub async fn tcp(target: &PortTarget, timeout: Duration) -> Finding {
    let port = target.port.0;
    let id = CheckId::Tcp(port);
    let Some(host) = &target.host else {
        return no_host(id, "TCP", port);
    };
    let deadline = Instant::now() + timeout;
    let addrs = match net::resolve_system(&host.0, port, timeout).await {
        Ok(a) => a,
        Err(e) => return lookup_failed(id, &host.0, port, &e),
    };
    let (stream, attempts) =
        net::connect_any(&addrs, deadline.saturating_duration_since(Instant::now())).await;
    let tried: Vec<_> = attempts
        .iter()
        .map(|a| match a.outcome {
            Ok(d) => json!({ "address": a.addr.to_string(), "connect_ms": ms(d) }),
            Err(kind) => {
                json!({ "address": a.addr.to_string(), "error": kind, "message": a.error })
            }
        })
        .collect();
    let detail: Vec<String> = attempts
        .iter()
        .map(|a| match a.outcome {
            Ok(d) => format!("TCP {} connected in {} ms", a.addr, ms(d)),
            Err(_) => format!("TCP {}: {}", a.addr, a.error.as_deref().unwrap_or("failed")),
        })
        .collect();
    if stream.is_some() {
        let last = attempts.last();
        let rtt = last.and_then(|a| a.outcome.ok()).unwrap_or_default();
        return Finding::new(id, Status::Pass, format!("Zoom's servers answer on port {port}."))
            .detail(detail.join("\n"))
            .evidence(json!({ "host": host.0, "port": port, "address": last.map(|a| a.addr.to_string()), "connect_ms": ms(rtt), "attempts": tried }));
    }
    let kind = attempts
        .last()
        .and_then(|a| a.outcome.err())
        .unwrap_or(NetError::Silent);
    let summary = match kind {
        NetError::Refused => format!("The connection to Zoom on port {port} was refused."),
        NetError::Silent => {
            format!("Zoom never answered on port {port}; something on the way is dropping it.")
        }
        NetError::LocalFirewall => {
            format!("A firewall on this computer blocks Zoom on port {port}.")
        }
        NetError::Unreachable => {
            format!("There is no route from this computer to Zoom (port {port}).")
        }
        _ => format!("Couldn't connect to Zoom on port {port}."),
    };
    let mut detail = detail;
    if detail.is_empty() {
        detail.push(format!("no time left to connect to {}", host.0));
    }
    Finding::new(id, Status::Fail, summary)
        .detail(detail.join("\n"))
        .evidence(json!({ "host": host.0, "port": port, "error": kind, "attempts": tried }))
}

/// What one STUN exchange produced.
#[derive(Debug)]
pub enum StunOutcome {
    Answered {
        from: SocketAddr,
        rtt: Duration,
        response: stun::BindingResponse,
        ignored: Vec<String>,
    },
    /// Failed to send or receive: refused (ICMP), blocked locally, unreachable.
    NetError {
        kind: NetError,
        message: String,
        ignored: Vec<String>,
    },
    /// Nothing valid came back in time; `ignored` lists what did come.
    Silent { sent: u32, ignored: Vec<String> },
}

/// Sends a Binding Request to `addr` and waits for our answer, retransmitting
/// as RFC 5389 §7.2.1 says (RTO 500 ms, doubling) until `timeout`.
pub async fn stun_exchange(addr: SocketAddr, timeout: Duration) -> StunOutcome {
    let bind: SocketAddr = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    }
    .parse()
    .unwrap_or(addr);
    let sock = match UdpSocket::bind(bind).await {
        Ok(s) => s,
        Err(e) => {
            return StunOutcome::NetError {
                kind: NetError::classify_datagram(&e),
                message: e.to_string(),
                ignored: vec![],
            }
        }
    };
    // A connected socket receives ICMP errors (port unreachable → ECONNREFUSED).
    if let Err(e) = sock.connect(addr).await {
        return StunOutcome::NetError {
            kind: NetError::classify_datagram(&e),
            message: e.to_string(),
            ignored: vec![],
        };
    }
    let txid = stun::new_transaction_id();
    let request = stun::binding_request(&txid);
    let deadline = Instant::now() + timeout;
    let mut rto = Duration::from_millis(500);
    let mut sent = 0u32;
    let mut ignored = Vec::new();
    let mut buf = [0u8; 1500];
    loop {
        let now = Instant::now();
        if now >= deadline {
            return StunOutcome::Silent { sent, ignored };
        }
        let sent_at = Instant::now();
        if let Err(e) = sock.send(&request).await {
            return StunOutcome::NetError {
                kind: NetError::classify_datagram(&e),
                message: e.to_string(),
                ignored,
            };
        }
        sent += 1;
        let wait_until = (sent_at + rto).min(deadline);
        rto *= 2;
        loop {
            let left = wait_until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match tokio::time::timeout(left, net::recv_datagram(&sock, &mut buf)).await {
                Err(_) => break,
                Ok(Err(e)) => {
                    return StunOutcome::NetError {
                        kind: NetError::classify_datagram(&e),
                        message: e.to_string(),
                        ignored,
                    }
                }
                Ok(Ok(n)) => match stun::parse_binding_response(&buf[..n], &txid) {
                    Ok(response) => {
                        return StunOutcome::Answered {
                            from: addr,
                            rtt: sent_at.elapsed(),
                            response,
                            ignored,
                        }
                    }
                    Err(e) => {
                        if ignored.len() < 8 {
                            ignored.push(format!("{n} bytes: {e}"));
                        }
                    }
                },
            }
        }
    }
}

/// `udp.<port>`: a STUN Binding Request; silence, ICMP unreachable and a
/// local EPERM are told apart.
pub async fn udp(target: &PortTarget, timeout: Duration) -> Finding {
    let port = target.port.0;
    let id = CheckId::Udp(port);
    let Some(host) = &target.host else {
        return no_host(id, "UDP", port);
    };
    let deadline = Instant::now() + timeout;
    let addrs = match net::resolve_system(&host.0, port, timeout).await {
        Ok(a) => a,
        Err(e) => return lookup_failed(id, &host.0, port, &e),
    };
    let addr = addrs[0];
    let outcome = stun_exchange(addr, deadline.saturating_duration_since(Instant::now())).await;
    judge_udp(id, &host.0, port, addr, outcome)
}

fn judge_udp(
    id: CheckId,
    host: &str,
    port: u16,
    addr: SocketAddr,
    outcome: StunOutcome,
) -> Finding {
    match outcome {
        StunOutcome::Answered { rtt, response, ignored, .. } => {
            Finding::new(id, Status::Pass, format!("Audio and video can get through on port {port}."))
                .detail(format!(
                    "UDP: STUN Binding Response from {addr} in {} ms; mapped address {}{}",
                    ms(rtt),
                    response.mapped.map(|m| m.to_string()).unwrap_or_else(|| "not given".into()),
                    if ignored.is_empty() { String::new() } else { format!("; ignored: {}", ignored.join("; ")) }
                ))
                .evidence(json!({ "host": host, "port": port, "address": addr.to_string(), "rtt_ms": ms(rtt), "mapped_address": response.mapped.map(|m| m.to_string()), "server_software": response.software, "ignored": ignored }))
        }
        StunOutcome::NetError { kind, message, ignored } => {
            let summary = match kind {
                NetError::LocalFirewall => format!("A firewall on this computer blocks Zoom's audio and video (port {port})."),
                NetError::Refused => format!("Zoom's audio and video were turned away on port {port}."),
                NetError::Unreachable => format!("There is no route from this computer for audio and video (port {port})."),
                _ => format!("Couldn't send the audio and video test (port {port})."),
            };
            Finding::new(id, Status::Fail, summary)
                .detail(format!("UDP {addr}: {message}"))
                .evidence(json!({ "host": host, "port": port, "address": addr.to_string(), "error": kind, "ignored": ignored }))
        }
        StunOutcome::Silent { sent, ignored } if !ignored.is_empty() => {
            Finding::new(id, Status::Fail, format!("Something answered on port {port}, but not with a real reply to our test."))
                .detail(format!("UDP: {sent} STUN requests to {addr}; no valid answer; received instead: {}", ignored.join("; ")))
                .evidence(json!({ "host": host, "port": port, "address": addr.to_string(), "error": "invalid_answer", "sent": sent, "ignored": ignored }))
        }
        StunOutcome::Silent { sent, .. } => {
            Finding::new(id, Status::Fail, format!("Audio and video get no answer on port {port}; this network seems to block them."))
                .detail(format!("UDP: {sent} STUN requests to {addr}, no answer"))
                .evidence(json!({ "host": host, "port": port, "address": addr.to_string(), "error": NetError::Silent, "sent": sent }))
        }
    }
}
