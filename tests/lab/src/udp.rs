//! UDP servers: STUN (correct and lying), garbage, silent, and a closed port.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::AtomicU64;

use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

use crate::stats::bump;
use crate::{stun, Context, Ctx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StunKind {
    Correct,
    WrongTransactionId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SilentKind {
    Dns,
    Plain,
}

async fn bind(ip: IpAddr, what: &str) -> io::Result<(UdpSocket, SocketAddr)> {
    let socket = UdpSocket::bind((ip, 0))
        .await
        .with_context(|| format!("binding the {what} server on {ip}"))?;
    let addr = socket.local_addr()?;
    Ok((socket, addr))
}

/// Receives datagrams for ever, calling `reply` on each; sends what it returns.
async fn serve(socket: UdpSocket, mut reply: impl FnMut(&[u8], SocketAddr) -> Option<Vec<u8>>) {
    let mut buf = vec![0u8; 65535];
    loop {
        let (len, peer) = match socket.recv_from(&mut buf).await {
            Ok(received) => received,
            // An ICMP error about an earlier reply, or a transient failure:
            // a real server keeps serving.
            Err(_) => continue,
        };
        if let Some(answer) = reply(&buf[..len], peer) {
            let _ = socket.send_to(&answer, peer).await;
        }
    }
}

pub(crate) async fn stun(
    ctx: &Ctx,
    ip: IpAddr,
    kind: StunKind,
) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let (socket, addr) = bind(ip, "STUN").await?;
    let task_ctx = ctx.clone();
    let task = ctx.spawn(serve(socket, move |packet, peer| {
        let txid = stun::parse_binding_request(packet)?;
        let stats = task_ctx.stats();
        match kind {
            StunKind::Correct => {
                bump(&stats.stun_requests);
                Some(stun::binding_success(&txid, peer))
            }
            StunKind::WrongTransactionId => {
                bump(&stats.stun_wrong_txid_requests);
                // Every byte differs from the request's: never the same id.
                let other = txid.map(|b| b ^ 0x5a);
                Some(stun::binding_success(&other, peer))
            }
        }
    }));
    Ok((addr, task))
}

pub(crate) async fn garbage(ctx: &Ctx, ip: IpAddr) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let (socket, addr) = bind(ip, "UDP garbage").await?;
    let task_ctx = ctx.clone();
    let random = RandomState::new();
    let mut sequence = 0u64;
    let task = ctx.spawn(serve(socket, move |_, _| {
        bump(&task_ctx.stats().udp_garbage_datagrams);
        let mut bytes = Vec::with_capacity(32);
        for _ in 0..4 {
            sequence = sequence.wrapping_add(1);
            bytes.extend_from_slice(&random.hash_one(sequence).to_le_bytes());
        }
        // The two top bits of every STUN message are zero: set them so this
        // can never be taken for STUN.
        bytes[0] |= 0xc0;
        Some(bytes)
    }));
    Ok((addr, task))
}

pub(crate) async fn silent(
    ctx: &Ctx,
    ip: IpAddr,
    kind: SilentKind,
) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let what = match kind {
        SilentKind::Dns => "silent DNS",
        SilentKind::Plain => "silent UDP",
    };
    let (socket, addr) = bind(ip, what).await?;
    let task_ctx = ctx.clone();
    let task = ctx.spawn(serve(socket, move |_, _| {
        let stats = task_ctx.stats();
        let counter: &AtomicU64 = match kind {
            SilentKind::Dns => &stats.dns_silent_datagrams,
            SilentKind::Plain => &stats.udp_silent_datagrams,
        };
        bump(counter);
        None
    }));
    Ok((addr, task))
}

/// A UDP port nothing is bound to: the kernel answers ICMP port unreachable.
pub(crate) async fn closed_port(ip: IpAddr) -> io::Result<SocketAddr> {
    let (socket, addr) = bind(ip, "closed UDP").await?;
    drop(socket);
    Ok(addr)
}
