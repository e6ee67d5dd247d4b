//! The two DNS personas: a "primary" resolver (the one the system is configured
//! with, possibly a filtering one) and a "reference" resolver (a trustworthy
//! public one). The first label of the query name picks the behaviour.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, SOA};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::task::JoinHandle;

use crate::stats::bump;
use crate::{Ctx, PUBLIC_ANSWER_V4, PUBLIC_ANSWER_V6};

const TTL: u32 = 60;
/// How long a TCP client may stay idle between two queries.
const TCP_IDLE: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Persona {
    Primary,
    Reference,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Behaviour {
    Answer(Ipv4Addr, Ipv6Addr),
    NxDomain,
    ServFail,
    Silent,
}

fn behaviour(persona: Persona, first_label: &str) -> Behaviour {
    use Behaviour::{Answer, NxDomain, ServFail, Silent};
    let public = Answer(PUBLIC_ANSWER_V4, PUBLIC_ANSWER_V6);
    let sinkhole = Answer(Ipv4Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED);
    let loopback = Answer(Ipv4Addr::LOCALHOST, Ipv6Addr::LOCALHOST);
    match (first_label, persona) {
        ("sinkhole", _) => sinkhole,
        ("private", _) => Answer(
            Ipv4Addr::new(10, 0, 0, 1),
            Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 1),
        ),
        ("loopback" | "localhost", _) => loopback,
        ("nx", _) => NxDomain,
        ("servfail", _) => ServFail,
        ("silent", _) => Silent,
        ("blockedlocal", Persona::Primary) => NxDomain,
        ("sinkholedlocal", Persona::Primary) => sinkhole,
        _ => public,
    }
}

/// What to do with one received DNS message.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Not a well-formed query: ignored, not counted.
    Malformed,
    /// A query deliberately left unanswered.
    Silent,
    /// A query and its encoded response.
    Reply(Vec<u8>),
}

pub(crate) fn handle(persona: Persona, packet: &[u8]) -> Outcome {
    let Ok(request) = Message::from_vec(packet) else {
        return Outcome::Malformed;
    };
    if request.metadata.message_type != MessageType::Query {
        return Outcome::Malformed;
    }
    let mut response = Message::response(request.metadata.id, request.metadata.op_code);
    response.metadata.recursion_desired = request.metadata.recursion_desired;
    response.metadata.checking_disabled = request.metadata.checking_disabled;
    response.metadata.recursion_available = true;
    response.queries.clone_from(&request.queries);
    if request.edns.is_some() {
        let mut edns = Edns::new();
        edns.set_max_payload(1232);
        response.edns = Some(edns);
    }

    if request.metadata.op_code != OpCode::Query {
        response.metadata.response_code = ResponseCode::NotImp;
        return encode(&response);
    }
    let [query] = request.queries.as_slice() else {
        response.metadata.response_code = ResponseCode::FormErr;
        return encode(&response);
    };

    let name = query.name();
    let first_label = name
        .iter()
        .next()
        .map(|label| String::from_utf8_lossy(label).to_ascii_lowercase())
        .unwrap_or_default();
    match behaviour(persona, &first_label) {
        Behaviour::Silent => return Outcome::Silent,
        Behaviour::ServFail => {
            response.metadata.response_code = ResponseCode::ServFail;
        }
        Behaviour::NxDomain => {
            response.metadata.authoritative = true;
            response.metadata.response_code = ResponseCode::NXDomain;
            response.authorities.push(soa(name));
        }
        Behaviour::Answer(v4, v6) => {
            response.metadata.authoritative = true;
            let rdata = match query.query_type() {
                RecordType::A => Some(RData::A(A(v4))),
                RecordType::AAAA => Some(RData::AAAA(AAAA(v6))),
                _ => None,
            };
            match rdata {
                Some(rdata) => response
                    .answers
                    .push(Record::from_rdata(name.clone(), TTL, rdata)),
                // NOERROR without data, with the SOA a real server sends for negative caching.
                None => response.authorities.push(soa(name)),
            }
        }
    }
    encode(&response)
}

/// The SOA of the (synthetic) zone holding `name`: its last two labels.
fn soa(name: &Name) -> Record {
    let zone = name.trim_to(2);
    let host = |label: &str| {
        Name::from_ascii(label)
            .and_then(|l| l.append_domain(&zone))
            .unwrap_or_else(|_| zone.clone())
    };
    let rdata = SOA::new(
        host("ns"),
        host("hostmaster"),
        2024010101,
        3600,
        600,
        86400,
        TTL,
    );
    Record::from_rdata(zone.clone(), TTL, RData::SOA(rdata))
}

fn encode(message: &Message) -> Outcome {
    match message.to_vec() {
        Ok(bytes) => Outcome::Reply(bytes),
        // Cannot happen for the messages built above; behave like a server
        // that dropped the packet rather than panic.
        Err(_) => Outcome::Silent,
    }
}

fn count(ctx: &Ctx, persona: Persona, tcp: bool) {
    let stats = ctx.stats();
    bump(match persona {
        Persona::Primary => &stats.dns_queries,
        Persona::Reference => &stats.dns_reference_queries,
    });
    if tcp {
        bump(&stats.dns_tcp_queries);
    }
}

/// Serves one persona over UDP and TCP.
pub(crate) fn serve(
    ctx: &Ctx,
    persona: Persona,
    udp: UdpSocket,
    tcp: TcpListener,
) -> [JoinHandle<()>; 2] {
    let udp_task = {
        let ctx = ctx.clone();
        ctx.clone().spawn(async move {
            if let Err(e) = serve_udp(&ctx, persona, udp).await {
                eprintln!("md-lab: DNS over UDP stopped: {e}");
            }
        })
    };
    let tcp_task = {
        let ctx = ctx.clone();
        ctx.clone().spawn(async move {
            loop {
                let stream = match tcp.accept().await {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        eprintln!("md-lab: DNS over TCP: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let conn_ctx = ctx.clone();
                ctx.spawn(async move {
                    // A broken connection only ends that connection.
                    let _ = serve_tcp_connection(&conn_ctx, persona, stream).await;
                });
            }
        })
    };
    [udp_task, tcp_task]
}

async fn serve_udp(ctx: &Ctx, persona: Persona, socket: UdpSocket) -> io::Result<()> {
    let socket = Arc::new(socket);
    let mut buf = vec![0u8; 65535];
    loop {
        let (len, peer) = match socket.recv_from(&mut buf).await {
            Ok(received) => received,
            // ICMP errors from earlier replies surface here on Linux: not fatal.
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => continue,
            Err(e) => return Err(e),
        };
        match handle(persona, &buf[..len]) {
            Outcome::Malformed => {}
            Outcome::Silent => count(ctx, persona, false),
            Outcome::Reply(reply) => {
                count(ctx, persona, false);
                // A client that went away is not the server's problem.
                let _ = socket.send_to(&reply, peer).await;
            }
        }
    }
}

async fn serve_tcp_connection(
    ctx: &Ctx,
    persona: Persona,
    mut stream: TcpStream,
) -> io::Result<()> {
    loop {
        let len = match tokio::time::timeout(TCP_IDLE, stream.read_u16()).await {
            Ok(Ok(len)) => usize::from(len),
            // EOF, error or idle for too long: close like a real server.
            Ok(Err(_)) | Err(_) => return Ok(()),
        };
        let mut packet = vec![0u8; len];
        tokio::time::timeout(TCP_IDLE, stream.read_exact(&mut packet))
            .await
            .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
        match handle(persona, &packet) {
            // A stream that stops making sense is closed.
            Outcome::Malformed => return Ok(()),
            Outcome::Silent => count(ctx, persona, true),
            Outcome::Reply(reply) => {
                count(ctx, persona, true);
                let len = u16::try_from(reply.len())
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "reply too long"))?;
                let mut framed = Vec::with_capacity(reply.len() + 2);
                framed.extend_from_slice(&len.to_be_bytes());
                framed.extend_from_slice(&reply);
                stream.write_all(&framed).await?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::Query;

    fn query(name: &str, rtype: RecordType) -> Vec<u8> {
        let mut message = Message::query();
        message.metadata.id = 0x4242;
        message.metadata.recursion_desired = true;
        message.add_query(Query::query(Name::from_ascii(name).unwrap(), rtype));
        message.to_vec().unwrap()
    }

    fn reply(persona: Persona, name: &str, rtype: RecordType) -> Message {
        match handle(persona, &query(name, rtype)) {
            Outcome::Reply(bytes) => Message::from_vec(&bytes).unwrap(),
            other => panic!("no reply for {name}: {other:?}"),
        }
    }

    #[test]
    fn labels_are_case_insensitive_and_unknown_ones_are_ok() {
        for name in ["OK.zoom.lab.test.", "Whatever.example.", "zoom.us."] {
            let m = reply(Persona::Primary, name, RecordType::A);
            assert_eq!(m.metadata.id, 0x4242);
            assert_eq!(m.metadata.message_type, MessageType::Response);
            assert!(m.metadata.recursion_available && m.metadata.recursion_desired);
            assert_eq!(m.answers.len(), 1, "{name}");
            assert_eq!(m.answers[0].data, RData::A(A(PUBLIC_ANSWER_V4)));
            assert_eq!(m.answers[0].ttl, TTL);
            assert_eq!(
                m.queries,
                Message::from_vec(&query(name, RecordType::A))
                    .unwrap()
                    .queries
            );
        }
    }

    #[test]
    fn other_types_get_an_empty_noerror_with_soa() {
        let m = reply(Persona::Primary, "ok.lab.test.", RecordType::MX);
        assert_eq!(m.metadata.response_code, ResponseCode::NoError);
        assert!(m.answers.is_empty());
        assert_eq!(m.authorities.len(), 1);
        assert_eq!(m.authorities[0].record_type(), RecordType::SOA);
    }

    #[test]
    fn personas_differ_only_on_local_filtering() {
        let p = reply(Persona::Primary, "blockedlocal.zoom.us.", RecordType::A);
        assert_eq!(p.metadata.response_code, ResponseCode::NXDomain);
        let r = reply(Persona::Reference, "blockedlocal.zoom.us.", RecordType::A);
        assert_eq!(r.answers[0].data, RData::A(A(PUBLIC_ANSWER_V4)));
        let p = reply(
            Persona::Primary,
            "sinkholedlocal.zoom.us.",
            RecordType::AAAA,
        );
        assert_eq!(p.answers[0].data, RData::AAAA(AAAA(Ipv6Addr::UNSPECIFIED)));
        let r = reply(
            Persona::Reference,
            "sinkholedlocal.zoom.us.",
            RecordType::AAAA,
        );
        assert_eq!(r.answers[0].data, RData::AAAA(AAAA(PUBLIC_ANSWER_V6)));
    }

    #[test]
    fn silent_and_garbage() {
        assert_eq!(
            handle(Persona::Reference, &query("silent.x.", RecordType::A)),
            Outcome::Silent
        );
        assert_eq!(handle(Persona::Primary, b""), Outcome::Malformed);
        assert_eq!(handle(Persona::Primary, &[0xff; 7]), Outcome::Malformed);
        let mut truncated = query("ok.zoom.us.", RecordType::A);
        truncated.truncate(truncated.len() - 3);
        assert_eq!(handle(Persona::Primary, &truncated), Outcome::Malformed);
        // A response is not a query.
        let Outcome::Reply(response) = handle(Persona::Primary, &query("ok.x.", RecordType::A))
        else {
            panic!("no reply");
        };
        assert_eq!(handle(Persona::Primary, &response), Outcome::Malformed);
    }

    #[test]
    fn edns_is_echoed() {
        let mut message = Message::query();
        message.add_query(Query::query(
            Name::from_ascii("ok.x.").unwrap(),
            RecordType::A,
        ));
        message.edns = Some(Edns::new());
        let Outcome::Reply(bytes) = handle(Persona::Primary, &message.to_vec().unwrap()) else {
            panic!("no reply");
        };
        assert!(Message::from_vec(&bytes).unwrap().edns.is_some());
    }
}
