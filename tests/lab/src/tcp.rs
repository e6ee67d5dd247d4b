//! TCP servers: an open port, a closed port (RST) and a port whose SYNs are dropped.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;

use crate::stats::bump;
use crate::{Context, Ctx};

/// Accepts, then holds each connection until the peer closes it.
pub(crate) async fn open(ctx: &Ctx, ip: IpAddr) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind((ip, 0))
        .await
        .with_context(|| format!("binding the open TCP server on {ip}"))?;
    let addr = listener.local_addr()?;
    let task = ctx.accept_each(listener, |mut stream, ctx| async move {
        bump(&ctx.stats().tcp_accepts);
        let mut sink = [0u8; 4096];
        // Until EOF or an error, whatever the peer sends is ignored.
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    });
    Ok((addr, task))
}

/// A TCP port nobody listens on: the kernel answers SYNs with RST.
pub(crate) async fn closed_port(ip: IpAddr) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind((ip, 0))
        .await
        .with_context(|| format!("binding the closed TCP port on {ip}"))?;
    let addr = listener.local_addr()?;
    drop(listener);
    Ok(addr)
}

/// A listener whose SYNs are silently dropped, like behind a dropping firewall.
///
/// It listens with a backlog of 0, and the lab fills its accept queue with one
/// connection of its own that is never accepted: Linux then drops every
/// further SYN, so connects time out instead of being refused.
pub(crate) async fn silent(ctx: &Ctx, ip: IpAddr) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let socket = match ip {
        IpAddr::V4(_) => TcpSocket::new_v4(),
        IpAddr::V6(_) => TcpSocket::new_v6(),
    }
    .context("creating the silent TCP socket")?;
    socket
        .bind(SocketAddr::new(ip, 0))
        .with_context(|| format!("binding the silent TCP server on {ip}"))?;
    let listener = socket
        .listen(0)
        .context("listening on the silent TCP socket")?;
    let addr = listener.local_addr()?;
    let filler = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(addr))
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))
        .and_then(|connected| connected)
        .with_context(|| format!("filling the accept queue of {addr}"))?;
    // Both stay alive, un-accepted, until the lab shuts down.
    let task = ctx.spawn(async move {
        let _keep = (listener, filler);
        std::future::pending::<()>().await;
    });
    Ok((addr, task))
}
