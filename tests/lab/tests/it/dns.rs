use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use hickory_proto::op::{Message, MessageType, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use md_lab::{PUBLIC_ANSWER_V4, PUBLIC_ANSWER_V6};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Addrs(Ipv4Addr, Ipv6Addr),
    Nx,
    ServFail,
    Silent,
}

const PUBLIC: Expect = Expect::Addrs(PUBLIC_ANSWER_V4, PUBLIC_ANSWER_V6);
const SINKHOLE: Expect = Expect::Addrs(Ipv4Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED);
const LOOPBACK: Expect = Expect::Addrs(Ipv4Addr::LOCALHOST, Ipv6Addr::LOCALHOST);
const PRIVATE: Expect = Expect::Addrs(
    Ipv4Addr::new(10, 0, 0, 1),
    Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 1),
);

/// (query name, primary persona, reference persona)
const TABLE: &[(&str, Expect, Expect)] = &[
    ("ok.zoom.us.", PUBLIC, PUBLIC),
    ("zoom.us.", PUBLIC, PUBLIC),
    ("anything.example.", PUBLIC, PUBLIC),
    ("SinkHole.zoom.us.", SINKHOLE, SINKHOLE),
    ("private.zoom.us.", PRIVATE, PRIVATE),
    ("loopback.zoom.us.", LOOPBACK, LOOPBACK),
    ("nx.zoom.us.", Expect::Nx, Expect::Nx),
    ("servfail.zoom.us.", Expect::ServFail, Expect::ServFail),
    ("silent.zoom.us.", Expect::Silent, Expect::Silent),
    ("blockedlocal.zoom.us.", Expect::Nx, PUBLIC),
    ("sinkholedlocal.zoom.us.", SINKHOLE, PUBLIC),
    ("localhost.", LOOPBACK, LOOPBACK),
];

pub fn query(id: u16, name: &str, rtype: RecordType) -> Vec<u8> {
    let mut message = Message::query();
    message.metadata.id = id;
    message.metadata.recursion_desired = true;
    message.add_query(Query::query(Name::from_ascii(name).unwrap(), rtype));
    message.to_vec().unwrap()
}

/// Sends one query over UDP; `None` if nothing came back within `wait`.
pub async fn udp_exchange(server: SocketAddr, packet: &[u8], wait: Duration) -> Option<Vec<u8>> {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.connect(server).await.unwrap();
    socket.send(packet).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(wait, socket.recv(&mut buf))
        .await
        .ok()?
        .unwrap();
    buf.truncate(n);
    Some(buf)
}

async fn tcp_exchange(server: SocketAddr, packet: &[u8], wait: Duration) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect(server).await.unwrap();
    let mut framed = (packet.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(packet);
    stream.write_all(&framed).await.unwrap();
    tokio::time::timeout(wait, async {
        let len = stream.read_u16().await.unwrap();
        let mut reply = vec![0u8; usize::from(len)];
        stream.read_exact(&mut reply).await.unwrap();
        reply
    })
    .await
    .ok()
}

fn check(reply: Option<Vec<u8>>, id: u16, name: &str, rtype: RecordType, expect: Expect) {
    let context = format!("{name} {rtype} expecting {expect:?}");
    let Some(reply) = reply else {
        assert_eq!(expect, Expect::Silent, "no reply for {context}");
        return;
    };
    assert_ne!(expect, Expect::Silent, "a reply for {context}");
    let m = Message::from_vec(&reply).unwrap();
    assert_eq!(m.metadata.id, id, "{context}");
    assert_eq!(m.metadata.message_type, MessageType::Response, "{context}");
    assert!(m.metadata.recursion_available, "{context}");
    assert!(m.metadata.recursion_desired, "{context}");
    assert_eq!(m.queries.len(), 1, "{context}");
    assert_eq!(m.queries[0].name().to_ascii(), name, "{context}");
    assert_eq!(m.queries[0].query_type(), rtype, "{context}");
    match expect {
        Expect::Addrs(v4, v6) => {
            assert_eq!(m.metadata.response_code, ResponseCode::NoError, "{context}");
            assert!(m.metadata.authoritative, "{context}");
            assert_eq!(m.answers.len(), 1, "{context}");
            let answer = &m.answers[0];
            assert_eq!(answer.ttl, 60, "{context}");
            assert_eq!(answer.name.to_ascii(), name, "{context}");
            let ip = match &answer.data {
                RData::A(a) => IpAddr::V4(a.0),
                RData::AAAA(aaaa) => IpAddr::V6(aaaa.0),
                other => panic!("{context}: unexpected {other:?}"),
            };
            let want = match rtype {
                RecordType::A => IpAddr::V4(v4),
                _ => IpAddr::V6(v6),
            };
            assert_eq!(ip, want, "{context}");
        }
        Expect::Nx => {
            assert_eq!(
                m.metadata.response_code,
                ResponseCode::NXDomain,
                "{context}"
            );
            assert!(m.answers.is_empty(), "{context}");
            assert_eq!(m.authorities[0].record_type(), RecordType::SOA, "{context}");
        }
        Expect::ServFail => {
            assert_eq!(
                m.metadata.response_code,
                ResponseCode::ServFail,
                "{context}"
            );
            assert!(m.answers.is_empty(), "{context}");
        }
        Expect::Silent => unreachable!(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_personas_answer_per_label_over_udp() {
    let lab = crate::lab().await;
    let mut id = 100;
    let mut expected_queries = 0;
    for &(name, primary, reference) in TABLE {
        for rtype in [RecordType::A, RecordType::AAAA] {
            for (server, expect) in [(lab.dns, primary), (lab.dns_reference, reference)] {
                id += 1;
                // Silence is checked with the 500 ms a test can afford.
                let wait = if expect == Expect::Silent { 500 } else { 2000 };
                let reply =
                    udp_exchange(server, &query(id, name, rtype), Duration::from_millis(wait))
                        .await;
                check(reply, id, name, rtype, expect);
            }
            expected_queries += 1;
        }
    }
    let counters = lab.counters();
    assert_eq!(counters.dns_queries, expected_queries);
    assert_eq!(counters.dns_reference_queries, expected_queries);
    assert_eq!(counters.dns_tcp_queries, 0);
}

#[tokio::test]
async fn other_types_get_noerror_without_answers() {
    let lab = crate::lab().await;
    for name in ["ok.zoom.us.", "sinkhole.zoom.us."] {
        let reply = udp_exchange(
            lab.dns,
            &query(7, name, RecordType::TXT),
            Duration::from_secs(2),
        )
        .await
        .expect("a reply");
        let m = Message::from_vec(&reply).unwrap();
        assert_eq!(m.metadata.response_code, ResponseCode::NoError);
        assert!(m.answers.is_empty());
    }
    // The name decides NXDOMAIN whatever the type.
    let reply = udp_exchange(
        lab.dns,
        &query(8, "nx.zoom.us.", RecordType::MX),
        Duration::from_secs(2),
    )
    .await
    .expect("a reply");
    assert_eq!(
        Message::from_vec(&reply).unwrap().metadata.response_code,
        ResponseCode::NXDomain
    );
}

#[tokio::test]
async fn tcp_answers_with_length_prefix() {
    let lab = crate::lab().await;
    for &(name, primary, reference) in TABLE {
        let wait = |e: Expect| Duration::from_millis(if e == Expect::Silent { 500 } else { 2000 });
        let reply = tcp_exchange(
            lab.dns_reference,
            &query(9, name, RecordType::A),
            wait(reference),
        )
        .await;
        check(reply, 9, name, RecordType::A, reference);
        let reply = tcp_exchange(lab.dns, &query(10, name, RecordType::AAAA), wait(primary)).await;
        check(reply, 10, name, RecordType::AAAA, primary);
    }
    let counters = lab.counters();
    assert_eq!(counters.dns_tcp_queries, 2 * TABLE.len() as u64);
    assert_eq!(counters.dns_queries, TABLE.len() as u64);
    // Several queries on one connection.
    let mut stream = TcpStream::connect(lab.dns).await.unwrap();
    for id in [1u16, 2, 3] {
        let packet = query(id, "ok.zoom.us.", RecordType::A);
        stream
            .write_all(&(packet.len() as u16).to_be_bytes())
            .await
            .unwrap();
        stream.write_all(&packet).await.unwrap();
        let len = stream.read_u16().await.unwrap();
        let mut reply = vec![0u8; usize::from(len)];
        stream.read_exact(&mut reply).await.unwrap();
        check(Some(reply), id, "ok.zoom.us.", RecordType::A, PUBLIC);
    }
}

#[tokio::test]
async fn malformed_datagrams_are_ignored() {
    let lab = crate::lab().await;
    for garbage in [
        &b""[..],
        b"\x12",
        &[0xffu8; 40],
        &query(3, "ok.zoom.us.", RecordType::A)[..14],
    ] {
        let reply = udp_exchange(lab.dns, garbage, Duration::from_millis(300)).await;
        assert!(reply.is_none(), "replied to {garbage:?}");
    }
    assert_eq!(lab.counters().dns_queries, 0);
    // Still serving.
    let reply = udp_exchange(
        lab.dns,
        &query(4, "ok.zoom.us.", RecordType::A),
        Duration::from_secs(2),
    )
    .await;
    check(reply, 4, "ok.zoom.us.", RecordType::A, PUBLIC);
}

#[tokio::test]
async fn the_silent_dns_server_never_answers() {
    let lab = crate::lab().await;
    for name in ["ok.zoom.us.", "nx.zoom.us."] {
        let reply = udp_exchange(
            lab.dns_silent,
            &query(5, name, RecordType::A),
            Duration::from_millis(500),
        )
        .await;
        assert!(reply.is_none());
    }
    assert_eq!(lab.counters().dns_silent_datagrams, 2);
}
