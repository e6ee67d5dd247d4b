//! The Meeting Doctor test lab: a set of REAL servers that the engine's tests
//! probe over real sockets.
//!
//! Every server stands for exactly one situation a Zoom client can meet in the
//! wild (a working resolver, a DNS sinkhole, a STUN server, a firewall that
//! drops SYNs, a corporate TLS-inspection box, a captive portal, ...). They all
//! bind to one configurable IP address (loopback by default) on random ports,
//! run as tasks on the tokio runtime that calls [`Lab::start`], and stop when
//! the [`Lab`] is dropped.
//!
//! The [`netns`] module runs the same lab inside a Linux network namespace, so
//! that a whole process (through `ip netns exec`) can see the lab as its DNS
//! server and network.
//!
//! # DNS
//!
//! Both personas answer over UDP and TCP. The first label of the query name
//! (case-insensitive) picks the answer to A and AAAA queries (TTL 60); other
//! types get NOERROR without answers (but `nx`, `servfail` and `silent` apply
//! to every type):
//!
//! | first label        | primary persona          | reference persona |
//! |--------------------|--------------------------|-------------------|
//! | `ok`, anything else| 203.0.113.10 / 2001:db8::10 | same           |
//! | `sinkhole`         | 0.0.0.0 / ::             | same              |
//! | `private`          | 10.0.0.1 / fd00::1       | same              |
//! | `loopback`, `localhost` | 127.0.0.1 / ::1     | same              |
//! | `nx`               | NXDOMAIN                 | same              |
//! | `servfail`         | SERVFAIL                 | same              |
//! | `silent`           | no reply at all          | same              |
//! | `blockedlocal`     | NXDOMAIN                 | like `ok`         |
//! | `sinkholedlocal`   | 0.0.0.0 / ::             | like `ok`         |
//!
//! # HTTP
//!
//! [`LabInfo::http`] (and every TLS server after its handshake) answers one
//! request per connection: `GET /generate_204`, `/ok`, `/portal` (302 to a
//! captive portal), `/portal-page`, `/portal-hostile` (a sign-in page
//! whose title carries terminal escape sequences), `/date-skew/{secs}`,
//! `/no-date`, `/status/{ok,outage,degraded,garbage,nocomponent,hostile}`
//! (Statuspage v2 `summary.json`; `hostile`: an outage whose incident name
//! carries escape sequences), `/status-huge?bytes=N` (a status page that
//! goes on for N bytes, without a Content-Length), `/download?bytes=N`,
//! `/slow-download?bytes=N&kbps=K`,
//! `/pac?proxy=HOST:PORT` (a proxy auto-config script: plain names and
//! `*.direct.test` direct, the rest through that proxy; `&all=1` sends plain
//! names through it too), `/pac-broken` (a
//! script with a syntax error), and `POST /upload`; anything else is 404, and a malformed request 400.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::watch;
use tokio::task::JoinHandle;

mod dns;
mod http;
// Network namespaces are Linux's; the loopback lab runs everywhere.
#[cfg(target_os = "linux")]
pub mod netns;
mod profile;
mod proxy;
mod stats;
mod stun;
mod tcp;
mod tls;
mod udp;

pub use http::{HOSTILE_INCIDENT_NAME, HOSTILE_PORTAL_TITLE};
pub use profile::LabProfile;
pub use stats::{Counters, HttpCounters};

/// The IPv4 address every "healthy" DNS answer of the lab points at.
pub const PUBLIC_ANSWER_V4: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);
/// The IPv6 address every "healthy" DNS answer of the lab points at.
pub const PUBLIC_ANSWER_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10);

/// Where the lab listens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabConfig {
    /// The address every server binds to.
    pub ip: IpAddr,
    /// The port of the primary DNS persona (UDP and TCP); 0 picks a random one.
    pub dns_port: u16,
}

impl Default for LabConfig {
    fn default() -> Self {
        LabConfig {
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            dns_port: 0,
        }
    }
}

/// The addresses of a running lab and the PEM files of its certificate authorities.
///
/// [`Lab`] and [`netns::NsLab`] both dereference to it, so `lab.dns` works on either.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabInfo {
    /// "Primary" DNS persona (UDP and TCP on the same port).
    pub dns: SocketAddr,
    /// "Reference" DNS persona (UDP and TCP on the same port), another port.
    pub dns_reference: SocketAddr,
    /// UDP socket that reads queries and never answers.
    pub dns_silent: SocketAddr,
    /// RFC 5389 STUN Binding responder.
    pub stun: SocketAddr,
    /// Answers a valid-looking Binding success with a DIFFERENT transaction id.
    pub stun_wrong_txid: SocketAddr,
    /// Answers any datagram with 32 random bytes that are not STUN.
    pub udp_garbage: SocketAddr,
    /// Bound UDP socket that reads and never replies.
    pub udp_silent: SocketAddr,
    /// A UDP port with nothing bound: ICMP port unreachable, ECONNREFUSED.
    pub udp_closed: SocketAddr,
    /// Accepts and keeps each connection open until the peer closes it.
    pub tcp_open: SocketAddr,
    /// Nothing listening: connects are answered with RST.
    pub tcp_closed: SocketAddr,
    /// SYNs are silently dropped (full accept queue): connects time out.
    pub tcp_silent: SocketAddr,
    /// TLS 1.3/1.2, leaf for "localhost" and the lab's IP, signed by "Lab Public Root CA".
    pub tls_public: SocketAddr,
    /// Same names, leaf signed by "Lab Inspection CA" (a corporate SSL-inspection box).
    pub tls_inspected: SocketAddr,
    /// Public CA, leaf expired 30 days ago.
    pub tls_expired: SocketAddr,
    /// Public CA, leaf valid from 30 days in the future.
    pub tls_not_yet_valid: SocketAddr,
    /// Public CA, leaf only for "wrong.lab.test".
    pub tls_wrong_name: SocketAddr,
    /// Plain HTTP/1.1 server (the TLS servers serve the same routes).
    pub http: SocketAddr,
    /// An HTTP proxy that tunnels CONNECT and forwards `GET http://…`.
    pub proxy_open: SocketAddr,
    /// An HTTP proxy that wants a sign-in: 407 to everything.
    pub proxy_auth: SocketAddr,
    /// An HTTP proxy whose policy refuses everything: 403.
    pub proxy_deny: SocketAddr,
    /// PEM of the "Lab Public Root CA".
    pub public_ca_pem: PathBuf,
    /// PEM of the "Lab Inspection CA".
    pub inspection_ca_pem: PathBuf,
}

/// A running lab. Dereferences to its [`LabInfo`]; every server stops when it is dropped.
#[derive(Debug)]
pub struct Lab {
    info: LabInfo,
    stats: Arc<stats::Stats>,
    tasks: Vec<JoinHandle<()>>,
    /// Dropping the sender wakes every task's receiver: that is the shutdown signal.
    _shutdown: watch::Sender<()>,
    _dir: tempfile::TempDir,
}

impl Deref for Lab {
    type Target = LabInfo;

    fn deref(&self) -> &LabInfo {
        &self.info
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Connection tasks stop through the watch channel (the sender drops
        // right after this); the listeners stop here.
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// What every server task gets: the shutdown signal and the counters.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    shutdown: watch::Receiver<()>,
    stats: Arc<stats::Stats>,
}

impl Ctx {
    /// Spawns `fut` on the current runtime; it is cancelled when the lab shuts down.
    pub(crate) fn spawn<F>(&self, fut: F) -> JoinHandle<()>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let mut shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                // Err once the sender is dropped: the lab is gone.
                _ = shutdown.changed() => {}
                () = fut => {}
            }
        })
    }

    /// Accepts connections on `listener` until the lab shuts down, handing
    /// each to `handle` in a task of its own. A failed accept (out of
    /// descriptors, an aborted handshake) is retried after a pause.
    pub(crate) fn accept_each<F, Fut>(&self, listener: TcpListener, handle: F) -> JoinHandle<()>
    where
        F: Fn(tokio::net::TcpStream, Ctx) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let ctx = self.clone();
        self.spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        ctx.spawn(handle(stream, ctx.clone()));
                    }
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                }
            }
        })
    }

    pub(crate) fn stats(&self) -> &stats::Stats {
        &self.stats
    }
}

impl Lab {
    /// Starts every server on the runtime of the caller.
    pub async fn start(cfg: LabConfig) -> io::Result<Lab> {
        let ip = cfg.ip;
        let (shutdown_tx, shutdown_rx) = watch::channel(());
        let stats = Arc::new(stats::Stats::default());
        let ctx = Ctx {
            shutdown: shutdown_rx,
            stats: Arc::clone(&stats),
        };
        let mut tasks = Vec::new();

        // DNS.
        let (udp, tcp) = bind_udp_and_tcp(ip, cfg.dns_port)
            .await
            .context("binding the primary DNS server")?;
        let dns = udp.local_addr()?;
        tasks.extend(dns::serve(&ctx, dns::Persona::Primary, udp, tcp));
        let (udp, tcp) = bind_udp_and_tcp(ip, 0)
            .await
            .context("binding the reference DNS server")?;
        let dns_reference = udp.local_addr()?;
        tasks.extend(dns::serve(&ctx, dns::Persona::Reference, udp, tcp));
        let (dns_silent, task) = udp::silent(&ctx, ip, udp::SilentKind::Dns).await?;
        tasks.push(task);

        // UDP.
        let (stun, task) = udp::stun(&ctx, ip, udp::StunKind::Correct).await?;
        tasks.push(task);
        let (stun_wrong_txid, task) =
            udp::stun(&ctx, ip, udp::StunKind::WrongTransactionId).await?;
        tasks.push(task);
        let (udp_garbage, task) = udp::garbage(&ctx, ip).await?;
        tasks.push(task);
        let (udp_silent, task) = udp::silent(&ctx, ip, udp::SilentKind::Plain).await?;
        tasks.push(task);
        let udp_closed = udp::closed_port(ip).await?;

        // TCP.
        let (tcp_open, task) = tcp::open(&ctx, ip).await?;
        tasks.push(task);
        let tcp_closed = tcp::closed_port(ip).await?;
        let (tcp_silent, task) = tcp::silent(&ctx, ip).await?;
        tasks.push(task);

        // TLS.
        let pki = tls::Pki::generate(ip)?;
        let mut tls_addrs = Vec::with_capacity(tls::Kind::ALL.len());
        for kind in tls::Kind::ALL {
            let (addr, task) = tls::serve(&ctx, ip, kind, pki.server_config(kind)).await?;
            tls_addrs.push(addr);
            tasks.push(task);
        }
        let [tls_public, tls_inspected, tls_expired, tls_not_yet_valid, tls_wrong_name] =
            <[SocketAddr; 5]>::try_from(tls_addrs)
                .map_err(|_| io::Error::other("one address per TLS server"))?;

        // HTTP.
        let listener = TcpListener::bind((ip, 0))
            .await
            .context("binding the HTTP server")?;
        let http = listener.local_addr()?;
        tasks.push(http::serve(&ctx, listener));

        // Proxies.
        let (proxy_open, task) = proxy::serve(&ctx, ip, proxy::Kind::Open).await?;
        tasks.push(task);
        let (proxy_auth, task) = proxy::serve(&ctx, ip, proxy::Kind::Auth).await?;
        tasks.push(task);
        let (proxy_deny, task) = proxy::serve(&ctx, ip, proxy::Kind::Deny).await?;
        tasks.push(task);

        let dir = tempfile::Builder::new()
            .prefix("md-lab-")
            .tempdir()
            .context("creating the lab's temporary directory")?;
        let public_ca_pem = dir.path().join("lab-public-root-ca.pem");
        std::fs::write(&public_ca_pem, pki.public_ca_pem())
            .with_context(|| format!("writing {}", public_ca_pem.display()))?;
        let inspection_ca_pem = dir.path().join("lab-inspection-ca.pem");
        std::fs::write(&inspection_ca_pem, pki.inspection_ca_pem())
            .with_context(|| format!("writing {}", inspection_ca_pem.display()))?;

        Ok(Lab {
            info: LabInfo {
                dns,
                dns_reference,
                dns_silent,
                stun,
                stun_wrong_txid,
                udp_garbage,
                udp_silent,
                udp_closed,
                tcp_open,
                tcp_closed,
                tcp_silent,
                tls_public,
                tls_inspected,
                tls_expired,
                tls_not_yet_valid,
                tls_wrong_name,
                http,
                proxy_open,
                proxy_auth,
                proxy_deny,
                public_ca_pem,
                inspection_ca_pem,
            },
            stats,
            tasks,
            _shutdown: shutdown_tx,
            _dir: dir,
        })
    }

    /// The addresses and CA files of this lab (also reachable through `Deref`).
    pub fn info(&self) -> &LabInfo {
        &self.info
    }

    /// A snapshot of how many requests each server has seen so far.
    pub fn counters(&self) -> Counters {
        self.stats.snapshot()
    }

    /// For [`netns::NsLab`], which hands the counters out of its thread.
    #[cfg(target_os = "linux")]
    pub(crate) fn stats_handle(&self) -> Arc<stats::Stats> {
        Arc::clone(&self.stats)
    }
}

/// Binds a UDP socket and a TCP listener on the same port (`port` 0: a random one).
async fn bind_udp_and_tcp(ip: IpAddr, port: u16) -> io::Result<(UdpSocket, TcpListener)> {
    if port != 0 {
        let udp = UdpSocket::bind((ip, port))
            .await
            .with_context(|| format!("binding UDP {}", SocketAddr::new(ip, port)))?;
        let tcp = TcpListener::bind((ip, port))
            .await
            .with_context(|| format!("binding TCP {}", SocketAddr::new(ip, port)))?;
        return Ok((udp, tcp));
    }
    // A random UDP port may be taken for TCP: try a few.
    let mut last_error = None;
    for _ in 0..32 {
        let udp = UdpSocket::bind((ip, 0))
            .await
            .with_context(|| format!("binding UDP {ip}:0"))?;
        let port = udp.local_addr()?.port();
        match TcpListener::bind((ip, port)).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => return Err(e).with_context(|| format!("binding TCP {ip}:{port}")),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::from(io::ErrorKind::AddrInUse)))
        .context("no port free for both UDP and TCP")
}

/// Adds a human context to an `io::Error`, keeping its kind.
pub(crate) trait Context<T> {
    fn context(self, what: &str) -> io::Result<T>;
    fn with_context(self, what: impl FnOnce() -> String) -> io::Result<T>;
}

impl<T> Context<T> for io::Result<T> {
    fn context(self, what: &str) -> io::Result<T> {
        self.map_err(|e| io::Error::new(e.kind(), format!("{what}: {e}")))
    }

    fn with_context(self, what: impl FnOnce() -> String) -> io::Result<T> {
        self.map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", what())))
    }
}
