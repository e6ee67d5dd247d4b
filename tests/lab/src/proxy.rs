//! HTTP proxies, as a corporate network runs them: one that lets traffic
//! through (CONNECT tunnels and absolute-form requests), one that wants a
//! sign-in (407), and one whose policy refuses everything (403).

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::stats::bump;
use crate::{Context, Ctx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Tunnels CONNECT and forwards `GET http://…` to the origin.
    Open,
    /// Answers every request with 407 Proxy Authentication Required.
    Auth,
    /// Answers every request with 403 Forbidden (a policy that blocks the destination).
    Deny,
}

const MAX_HEAD: usize = 16 * 1024;

pub(crate) async fn serve(
    ctx: &Ctx,
    ip: IpAddr,
    kind: Kind,
) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind((ip, 0))
        .await
        .with_context(|| format!("binding the {kind:?} proxy on {ip}"))?;
    let addr = listener.local_addr()?;
    let task = ctx.accept_each(listener, move |stream, ctx| async move {
        let _ = handle(&ctx, stream, kind).await;
    });
    Ok((addr, task))
}

async fn handle(ctx: &Ctx, mut client: TcpStream, kind: Kind) -> io::Result<()> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return reply(&mut client, "400 Bad Request", "").await;
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let leftover = buf[head_end..].to_vec();
    let mut parts = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let stats = ctx.stats();
    match kind {
        Kind::Auth => {
            bump(&stats.proxy_auth_requests);
            return reply(
                &mut client,
                "407 Proxy Authentication Required",
                "Proxy-Authenticate: Basic realm=\"Lab proxy\"\r\n",
            )
            .await;
        }
        Kind::Deny => {
            bump(&stats.proxy_deny_requests);
            return reply(&mut client, "403 Forbidden", "").await;
        }
        Kind::Open => bump(&stats.proxy_open_requests),
    }
    if method.eq_ignore_ascii_case("CONNECT") {
        let Ok(mut upstream) = connect(target).await else {
            return reply(&mut client, "502 Bad Gateway", "").await;
        };
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
        upstream.write_all(&leftover).await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    // Absolute form: GET http://host:port/path HTTP/1.1
    let Some(rest) = target.strip_prefix("http://") else {
        return reply(&mut client, "400 Bad Request", "").await;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = if authority.contains(':') && !authority.ends_with(']') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let Ok(mut upstream) = connect(&authority).await else {
        return reply(&mut client, "502 Bad Gateway", "").await;
    };
    let path = if path.is_empty() { "/" } else { path };
    let rewritten = head.replacen(target, path, 1);
    upstream.write_all(rewritten.as_bytes()).await?;
    upstream.write_all(&leftover).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

async fn connect(authority: &str) -> io::Result<TcpStream> {
    tokio::time::timeout(Duration::from_secs(3), TcpStream::connect(authority))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "upstream connect"))?
}

async fn reply(client: &mut TcpStream, status: &str, headers: &str) -> io::Result<()> {
    let msg =
        format!("HTTP/1.1 {status}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n");
    client.write_all(msg.as_bytes()).await?;
    client.shutdown().await
}
