use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

const COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];

fn binding_request(txid: [u8; 12]) -> Vec<u8> {
    let mut request = vec![0x00, 0x01, 0x00, 0x00];
    request.extend_from_slice(&COOKIE);
    request.extend_from_slice(&txid);
    request
}

/// The attributes of a STUN message, as (type, value).
fn attributes(message: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut rest = &message[20..];
    let mut out = Vec::new();
    while rest.len() >= 4 {
        let kind = u16::from_be_bytes([rest[0], rest[1]]);
        let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
        out.push((kind, rest[4..4 + len].to_vec()));
        rest = &rest[(4 + len.div_ceil(4) * 4).min(rest.len())..];
    }
    out
}

/// Decodes an XOR-MAPPED-ADDRESS (IPv4) by hand.
fn xor_mapped_v4(value: &[u8]) -> SocketAddr {
    assert_eq!(value.len(), 8);
    assert_eq!(value[1], 0x01, "IPv4 family");
    let port = u16::from_be_bytes([value[2] ^ COOKIE[0], value[3] ^ COOKIE[1]]);
    let ip = Ipv4Addr::new(
        value[4] ^ COOKIE[0],
        value[5] ^ COOKIE[1],
        value[6] ^ COOKIE[2],
        value[7] ^ COOKIE[3],
    );
    SocketAddr::new(IpAddr::V4(ip), port)
}

async fn exchange(socket: &UdpSocket, packet: &[u8], wait: Duration) -> Option<Vec<u8>> {
    socket.send(packet).await.unwrap();
    let mut buf = vec![0u8; 2048];
    let n = tokio::time::timeout(wait, socket.recv(&mut buf))
        .await
        .ok()?
        .unwrap();
    buf.truncate(n);
    Some(buf)
}

async fn connected(server: SocketAddr) -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.connect(server).await.unwrap();
    socket
}

#[tokio::test]
async fn stun_maps_the_source_address() {
    let lab = crate::lab().await;
    let socket = connected(lab.stun).await;
    let txid = *b"md-lab-txid1";
    let reply = exchange(&socket, &binding_request(txid), Duration::from_secs(2))
        .await
        .expect("a STUN reply");
    assert_eq!(&reply[..2], &[0x01, 0x01], "Binding success");
    assert_eq!(
        usize::from(u16::from_be_bytes([reply[2], reply[3]])),
        reply.len() - 20
    );
    assert_eq!(&reply[4..8], &COOKIE);
    assert_eq!(&reply[8..20], &txid);
    let attrs = attributes(&reply);
    let mapped = attrs
        .iter()
        .find(|(t, _)| *t == 0x0020)
        .expect("XOR-MAPPED-ADDRESS");
    assert_eq!(xor_mapped_v4(&mapped.1), socket.local_addr().unwrap());
    let software = attrs.iter().find(|(t, _)| *t == 0x8022).expect("SOFTWARE");
    assert_eq!(software.1, b"md-lab");
    assert_eq!(lab.counters().stun_requests, 1);
}

#[tokio::test]
async fn stun_ignores_what_is_not_a_binding_request() {
    let lab = crate::lab().await;
    let socket = connected(lab.stun).await;
    let mut indication = binding_request([1; 12]);
    indication[1] = 0x11; // Binding indication
    let mut no_cookie = binding_request([1; 12]);
    no_cookie[4] = 0;
    for packet in [
        indication,
        no_cookie,
        b"hello".to_vec(),
        binding_request([2; 12])[..19].to_vec(),
    ] {
        assert!(exchange(&socket, &packet, Duration::from_millis(300))
            .await
            .is_none());
    }
    assert_eq!(lab.counters().stun_requests, 0);
}

#[tokio::test]
async fn stun_wrong_txid_changes_the_transaction_id() {
    let lab = crate::lab().await;
    let socket = connected(lab.stun_wrong_txid).await;
    let txid = *b"md-lab-txid2";
    let reply = exchange(&socket, &binding_request(txid), Duration::from_secs(2))
        .await
        .expect("a STUN reply");
    assert_eq!(&reply[..2], &[0x01, 0x01]);
    assert_eq!(&reply[4..8], &COOKIE);
    assert_ne!(&reply[8..20], &txid);
    // Otherwise a perfectly valid answer.
    let attrs = attributes(&reply);
    let mapped = attrs
        .iter()
        .find(|(t, _)| *t == 0x0020)
        .expect("XOR-MAPPED-ADDRESS");
    assert_eq!(xor_mapped_v4(&mapped.1), socket.local_addr().unwrap());
    assert_eq!(lab.counters().stun_wrong_txid_requests, 1);
    assert_eq!(lab.counters().stun_requests, 0);
}

#[tokio::test]
async fn garbage_is_32_random_bytes_that_are_not_stun() {
    let lab = crate::lab().await;
    let socket = connected(lab.udp_garbage).await;
    let first = exchange(&socket, &binding_request([3; 12]), Duration::from_secs(2))
        .await
        .unwrap();
    let second = exchange(&socket, b"x", Duration::from_secs(2))
        .await
        .unwrap();
    for reply in [&first, &second] {
        assert_eq!(reply.len(), 32);
        assert_ne!(reply[0] & 0xc0, 0, "top bits of a STUN header are zero");
    }
    assert_ne!(first, second);
    assert_eq!(lab.counters().udp_garbage_datagrams, 2);
}

#[tokio::test]
async fn udp_silent_reads_and_never_replies() {
    let lab = crate::lab().await;
    let socket = connected(lab.udp_silent).await;
    assert!(exchange(
        &socket,
        &binding_request([4; 12]),
        Duration::from_millis(500)
    )
    .await
    .is_none());
    assert_eq!(lab.counters().udp_silent_datagrams, 1);
}

#[tokio::test]
async fn udp_closed_is_refused() {
    let lab = crate::lab().await;
    let socket = connected(lab.udp_closed).await;
    socket.send(&binding_request([5; 12])).await.unwrap();
    let mut buf = [0u8; 64];
    let result = tokio::time::timeout(Duration::from_secs(2), socket.recv(&mut buf))
        .await
        .expect("the ICMP error arrives");
    assert_eq!(result.unwrap_err().kind(), ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn tcp_closed_is_refused() {
    let lab = crate::lab().await;
    let err = TcpStream::connect(lab.tcp_closed).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn tcp_silent_times_out() {
    let lab = crate::lab().await;
    let attempt =
        tokio::time::timeout(Duration::from_secs(1), TcpStream::connect(lab.tcp_silent)).await;
    assert!(attempt.is_err(), "connect should hang, got {attempt:?}");
}

#[tokio::test]
async fn tcp_open_holds_the_connection_until_the_peer_closes() {
    let lab = crate::lab().await;
    let mut stream = TcpStream::connect(lab.tcp_open).await.unwrap();
    stream.write_all(b"hello?\r\n").await.unwrap();
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
    assert!(
        read.is_err(),
        "the server neither answers nor closes: {read:?}"
    );
    assert_eq!(lab.counters().tcp_accepts, 1);
    drop(stream);
}

#[tokio::test]
async fn everything_stops_when_the_lab_is_dropped() {
    let lab = crate::lab().await;
    let (tcp_open, http, stun) = (lab.tcp_open, lab.http, lab.stun);
    let mut held = TcpStream::connect(tcp_open).await.unwrap();
    drop(lab);
    // The tasks are cancelled asynchronously: give them a moment.
    let mut refused = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if TcpStream::connect(http).await.is_err() && TcpStream::connect(tcp_open).await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "listeners still accept after the lab was dropped");
    // The held connection is closed by the server.
    let mut buf = [0u8; 8];
    let read = tokio::time::timeout(Duration::from_secs(2), held.read(&mut buf))
        .await
        .unwrap();
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    // Nobody answers STUN any more: refused (or, at worst, silence).
    let socket = connected(stun).await;
    socket.send(&binding_request([6; 12])).await.unwrap();
    let mut buf = [0u8; 64];
    match tokio::time::timeout(Duration::from_millis(500), socket.recv(&mut buf)).await {
        Ok(Ok(n)) => panic!("a reply of {n} bytes after the lab was dropped"),
        Ok(Err(e)) => assert_eq!(e.kind(), ErrorKind::ConnectionRefused),
        Err(_) => {}
    }
}

#[tokio::test]
async fn an_ipv6_lab_maps_ipv6_sources() {
    let cfg = md_lab::LabConfig {
        ip: "::1".parse().unwrap(),
        dns_port: 0,
    };
    let lab = match md_lab::Lab::start(cfg).await {
        Ok(lab) => lab,
        Err(e) if UdpSocket::bind("[::1]:0").await.is_err() => {
            eprintln!("!!!!! SKIPPED: no IPv6 loopback here ({e}) !!!!!");
            return;
        }
        Err(e) => panic!("an IPv6 lab starts: {e}"),
    };
    assert!(lab.stun.is_ipv6() && lab.tcp_silent.is_ipv6() && lab.dns.is_ipv6());
    let socket = UdpSocket::bind("[::1]:0").await.unwrap();
    socket.connect(lab.stun).await.unwrap();
    let txid = *b"md-lab-txid6";
    let reply = exchange(&socket, &binding_request(txid), Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(&reply[8..20], &txid);
    let attrs = attributes(&reply);
    let (_, value) = attrs
        .iter()
        .find(|(t, _)| *t == 0x0020)
        .expect("XOR-MAPPED-ADDRESS");
    assert_eq!((value.len(), value[1]), (20, 0x02), "IPv6 family");
    let key: Vec<u8> = COOKIE.iter().chain(txid.iter()).copied().collect();
    let port = u16::from_be_bytes([value[2] ^ COOKIE[0], value[3] ^ COOKIE[1]]);
    let octets: [u8; 16] = std::array::from_fn(|i| value[4 + i] ^ key[i]);
    let mapped = SocketAddr::new(IpAddr::from(octets), port);
    assert_eq!(mapped, socket.local_addr().unwrap());

    let attempt =
        tokio::time::timeout(Duration::from_secs(1), TcpStream::connect(lab.tcp_silent)).await;
    assert!(attempt.is_err(), "connect should hang, got {attempt:?}");
    let err = TcpStream::connect(lab.tcp_closed).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
}

#[test]
fn labs_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<md_lab::Lab>();
    #[cfg(target_os = "linux")]
    {
        assert_send_sync::<md_lab::netns::NsLab>();
        assert_send_sync::<md_lab::netns::NetNs>();
    }
}
