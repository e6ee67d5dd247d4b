//! Fuzz inputs sent over loopback (127.0.0.1 only) to the real clients: a
//! DNS server whose answer is the input (hickory's resolver parses it as in
//! `dns.reference`), an HTTP server whose response is the input
//! (`http1::get` reads and parses it as the internet check does), and a
//! proxy whose answer to CONNECT or to the SOCKS5 handshake is the input
//! (`proxy::tunnel`, as the proxy check and every check through a proxy).
//!
//! Each fuzzing thread has its own single-threaded runtime and servers; the
//! servers run only while a lookup or request is being made.

use std::cell::RefCell;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, MessageType};
use hickory_proto::rr::rdata::{A, AAAA};
use hickory_proto::rr::{RData, Record, RecordType};
use meeting_doctor_core::probes::dns::{reference_lookup, Answer};
use meeting_doctor_core::profile::Resolver;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

/// The name looked up (the generated seeds answer for it).
pub const NAME: &str = "zoom.us";

struct Servers {
    runtime: tokio::runtime::Runtime,
    dns: SocketAddr,
    dns_answer: Arc<Mutex<Vec<u8>>>,
    http: SocketAddr,
    http_response: Arc<Mutex<Vec<u8>>>,
    proxy: SocketAddr,
    proxy_answer: Arc<Mutex<Vec<u8>>>,
}

thread_local! {
    static SERVERS: RefCell<Option<Servers>> = const { RefCell::new(None) };
}

fn with_servers<T>(f: impl FnOnce(&Servers) -> T) -> T {
    SERVERS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let servers = slot.get_or_insert_with(start);
        f(servers)
    })
}

fn start() -> Servers {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let dns_answer = Arc::new(Mutex::new(Vec::new()));
    let http_response = Arc::new(Mutex::new(Vec::new()));
    let proxy_answer = Arc::new(Mutex::new(Vec::new()));
    let (dns, http, proxy) = runtime.block_on(async {
        let loopback = (Ipv4Addr::LOCALHOST, 0);
        let udp = UdpSocket::bind(loopback).await.expect("udp");
        let http = TcpListener::bind(loopback).await.expect("tcp");
        let proxy = TcpListener::bind(loopback).await.expect("tcp");
        let addrs = (
            udp.local_addr().unwrap(),
            http.local_addr().unwrap(),
            proxy.local_addr().unwrap(),
        );
        tokio::spawn(serve_dns(udp, Arc::clone(&dns_answer)));
        tokio::spawn(serve_http(http, Arc::clone(&http_response)));
        tokio::spawn(serve_proxy(proxy, Arc::clone(&proxy_answer)));
        addrs
    });
    Servers {
        runtime,
        dns,
        dns_answer,
        http,
        http_response,
        proxy,
        proxy_answer,
    }
}

/// A correct answer to `query` (A 203.0.113.7 / AAAA 2001:db8::7).
fn valid_answer(query: &[u8]) -> Option<Vec<u8>> {
    let request = Message::from_vec(query).ok()?;
    let mut response = Message::response(request.metadata.id, request.metadata.op_code);
    response.metadata.recursion_desired = request.metadata.recursion_desired;
    response.metadata.recursion_available = true;
    response.queries.clone_from(&request.queries);
    let q = request.queries.first()?;
    let rdata = match q.query_type() {
        RecordType::A => RData::A(A(Ipv4Addr::new(203, 0, 113, 7))),
        RecordType::AAAA => RData::AAAA(AAAA(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7))),
        _ => return response.to_vec().ok(),
    };
    response
        .answers
        .push(Record::from_rdata(q.name().clone(), 60, rdata));
    response.to_vec().ok()
}

/// Answers each query with the input (its id made the query's), then with
/// a correct answer, so that a mutant the resolver rejects costs no timeout.
async fn serve_dns(socket: UdpSocket, answer: Arc<Mutex<Vec<u8>>>) {
    let mut buf = vec![0u8; 4096];
    loop {
        let Ok((n, peer)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        let query = &buf[..n];
        let mut reply = answer.lock().map(|a| a.clone()).unwrap_or_default();
        if reply.len() >= 2 && n >= 2 {
            reply[..2].copy_from_slice(&query[..2]);
        }
        let _ = socket.send_to(&reply, peer).await;
        if let Some(valid) = valid_answer(query) {
            let _ = socket.send_to(&valid, peer).await;
        }
    }
}

/// Sends the input as the response, in pieces of varying size, and closes.
async fn serve_http(listener: TcpListener, response: Arc<Mutex<Vec<u8>>>) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        // The request head (one read is enough for our GET on loopback).
        let mut request = [0u8; 2048];
        let _ = stream.read(&mut request).await;
        let bytes = response.lock().map(|r| r.clone()).unwrap_or_default();
        let step = 1 + bytes.len() % 7 * 613 + bytes.first().map_or(0, |b| usize::from(*b));
        for piece in bytes.chunks(step) {
            if stream.write_all(piece).await.is_err() {
                break;
            }
            let _ = stream.flush().await;
            tokio::task::yield_now().await;
        }
        let _ = stream.shutdown().await;
    }
}

/// Reads the client's first bytes (CONNECT or the SOCKS5 greeting), sends the
/// input whole, stops sending and reads what else comes (the SOCKS5 request)
/// until the client closes, so that nothing it sent is left unread (which
/// would reset the connection before it reads the answer).
async fn serve_proxy(listener: TcpListener, answer: Arc<Mutex<Vec<u8>>>) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let mut request = [0u8; 2048];
        let _ = stream.read(&mut request).await;
        let bytes = answer.lock().map(|a| a.clone()).unwrap_or_default();
        let _ = stream.write_all(&bytes).await;
        let _ = stream.shutdown().await;
        let _ = tokio::time::timeout(Duration::from_secs(3), async {
            while matches!(stream.read(&mut request).await, Ok(n) if n > 0) {}
        })
        .await;
    }
}

/// `proxy::tunnel` to zoom.us:443 through the proxy answering `input`: a
/// SOCKS5 proxy when the input starts with 5 (a SOCKS5 answer does), an
/// HTTP proxy otherwise.
pub fn proxy_tunnel(input: &[u8]) -> Result<(), String> {
    use meeting_doctor_core::pac::PacProxy;
    use meeting_doctor_core::proxy::{tunnel, TunnelError};
    with_servers(|s| {
        *s.proxy_answer.lock().unwrap() = input.to_vec();
        let hop = if input.first() == Some(&5) {
            PacProxy::Socks(s.proxy.to_string())
        } else {
            PacProxy::Proxy(s.proxy.to_string())
        };
        let timeout = Duration::from_secs(2);
        let began = Instant::now();
        let result = s.runtime.block_on(tunnel(&hop, NAME, 443, timeout));
        if began.elapsed() > timeout + Duration::from_secs(2) {
            return Err(format!("the tunnel took {:?}", began.elapsed()));
        }
        match result {
            Err(TunnelError::Refused { status, .. }) if (200..300).contains(&status) => {
                Err(format!("refused with {status}"))
            }
            Err(TunnelError::Refused { status, .. }) if !(100..600).contains(&status) => {
                Err(format!("status {status}"))
            }
            _ => Ok(()),
        }
    })
}

/// Proxy answers: seeds.
pub fn proxy_seeds() -> Vec<Vec<u8>> {
    let mut named = vec![5, 0, 5, 0, 0, 3, 7];
    named.extend_from_slice(b"zoom.us");
    named.extend_from_slice(&443u16.to_be_bytes());
    vec![
        b"HTTP/1.1 200 Connection established\r\n\r\n".to_vec(),
        b"HTTP/1.0 200 OK\r\nProxy-Agent: squid\r\n\r\n".to_vec(),
        b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\n\r\n<html>Blocked by policy</html>".to_vec(),
        vec![5, 0, 5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90],
        vec![5, 0, 5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1f, 0x90],
        named,
        vec![5, 0xff],
        vec![5, 0, 5, 5, 0, 1, 0, 0, 0, 0, 0, 0],
    ]
}

/// `dns.reference`'s lookup of [`NAME`] on the server answering `input`.
pub fn dns_lookup(input: &[u8]) -> Result<(), String> {
    with_servers(|s| {
        *s.dns_answer.lock().unwrap() = input.to_vec();
        let timeout = Duration::from_millis(300);
        let began = Instant::now();
        let answer = s
            .runtime
            .block_on(reference_lookup(&Resolver(s.dns), NAME, timeout));
        // The probe's own timeout holds whatever comes back.
        if began.elapsed() > timeout + Duration::from_secs(2) {
            return Err(format!(
                "the lookup took {:?} (timeout {timeout:?})",
                began.elapsed()
            ));
        }
        match answer {
            Answer::Addresses { addresses } | Answer::Sinkhole { addresses }
                if addresses.is_empty() =>
            {
                Err("an answer with no addresses".into())
            }
            _ => Ok(()),
        }
    })
}

/// `http1::get` of the server answering `input`.
pub fn http_get(input: &[u8]) -> Result<(), String> {
    with_servers(|s| {
        *s.http_response.lock().unwrap() = input.to_vec();
        let url = url::Url::parse(&format!("http://{}/fuzz?x=1", s.http)).unwrap();
        let timeout = Duration::from_secs(2);
        let body_cap = 4096;
        let began = Instant::now();
        let result = s
            .runtime
            .block_on(meeting_doctor_core::http1::get(&url, timeout, body_cap));
        if began.elapsed() > timeout + Duration::from_secs(2) {
            return Err(format!("the request took {:?}", began.elapsed()));
        }
        match result {
            Ok(r) if !(100..600).contains(&r.status) => Err(format!("status {}", r.status)),
            Ok(r) if r.body.len() > body_cap => Err(format!("a body of {}", r.body.len())),
            _ => Ok(()),
        }
    })
}

/// DNS answers for the lookup's questions, as hickory encodes them: seeds.
pub fn dns_seeds() -> Vec<Vec<u8>> {
    use hickory_proto::op::{Edns, Query, ResponseCode};
    use hickory_proto::rr::rdata::{CNAME, SOA};
    use hickory_proto::rr::Name;
    let name = Name::from_ascii(format!("{NAME}.")).unwrap();
    let mut seeds = Vec::new();
    for (qtype, kind) in [
        (RecordType::A, 0),
        (RecordType::AAAA, 0),
        (RecordType::A, 1),
        (RecordType::A, 2),
        (RecordType::AAAA, 3),
        (RecordType::A, 4),
    ] {
        let mut m = Message::response(0x1234, hickory_proto::op::OpCode::Query);
        m.metadata.message_type = MessageType::Response;
        m.metadata.recursion_desired = true;
        m.metadata.recursion_available = true;
        m.queries.push(Query::query(name.clone(), qtype));
        match kind {
            // Plain answers, two each.
            0 => {
                for i in 1..=2u8 {
                    let rdata = match qtype {
                        RecordType::A => RData::A(A(Ipv4Addr::new(170, 114, 52, i))),
                        _ => RData::AAAA(AAAA(Ipv6Addr::new(
                            0x2407,
                            0x30c0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            u16::from(i),
                        ))),
                    };
                    m.answers.push(Record::from_rdata(name.clone(), 300, rdata));
                }
            }
            // A CNAME chain, as Zoom's names are.
            1 => {
                let alias = Name::from_ascii("zoom.us.cdn.example.").unwrap();
                m.answers.push(Record::from_rdata(
                    name.clone(),
                    300,
                    RData::CNAME(CNAME(alias.clone())),
                ));
                m.answers.push(Record::from_rdata(
                    alias,
                    60,
                    RData::A(A(Ipv4Addr::new(170, 114, 52, 2))),
                ));
            }
            // NXDOMAIN with the SOA.
            2 => {
                m.metadata.response_code = ResponseCode::NXDomain;
                let soa = SOA::new(
                    Name::from_ascii("ns.zoom.us.").unwrap(),
                    Name::from_ascii("hostmaster.zoom.us.").unwrap(),
                    2024010101,
                    3600,
                    600,
                    86400,
                    60,
                );
                m.authorities
                    .push(Record::from_rdata(name.clone(), 60, RData::SOA(soa)));
            }
            // With EDNS.
            3 => {
                let mut edns = Edns::new();
                edns.set_max_payload(1232);
                m.edns = Some(edns);
                m.answers.push(Record::from_rdata(
                    name.clone(),
                    300,
                    RData::AAAA(AAAA(Ipv6Addr::LOCALHOST)),
                ));
            }
            // A sinkhole.
            _ => {
                m.answers.push(Record::from_rdata(
                    name.clone(),
                    300,
                    RData::A(A(Ipv4Addr::UNSPECIFIED)),
                ));
            }
        }
        seeds.push(m.to_vec().unwrap());
    }
    seeds
}
