//! Linux network namespaces for the lab (needs root).
//!
//! A [`NetNs`] is a private network stack with its own loopback, its own
//! `/etc/resolv.conf` (through `/etc/netns/NAME`, which `ip netns exec`
//! bind-mounts), and [`start_lab_in`] runs a whole lab inside it, so a process
//! started with [`NetNs::command`] sees the lab as its only network.

// Entering a namespace takes `setns(2)`, which only exists as an `unsafe`
// FFI call in `libc`. This is the only module of the lab allowed to use
// `unsafe`, for that one call (see `enter`).
#![allow(unsafe_code)]

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::ops::Deref;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::thread;

use crate::{stats, Context, Counters, Lab, LabConfig, LabInfo};

/// A network namespace, deleted (with its `/etc/netns` files) on drop.
#[derive(Debug)]
pub struct NetNs {
    /// The name `ip netns` knows it by.
    pub name: String,
}

fn ip(args: &[&str]) -> io::Result<()> {
    let output = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running ip {}", args.join(" ")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "ip {} failed ({}): {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

impl NetNs {
    /// Creates a namespace named `prefix`, the process id and a counter, with
    /// its loopback interface up.
    pub fn create(prefix: &str) -> io::Result<NetNs> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "{prefix}{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        ip(&["netns", "add", &name])?;
        // From here on, dropping `ns` deletes the namespace again.
        let ns = NetNs { name };
        ip(&["-n", &ns.name, "link", "set", "lo", "up"])?;
        Ok(ns)
    }

    /// `/var/run/netns/NAME`, the handle `setns(2)` opens.
    pub fn path(&self) -> PathBuf {
        Path::new("/var/run/netns").join(&self.name)
    }

    /// `/etc/netns/NAME`: files here replace those of `/etc` for `ip netns exec`.
    pub fn etc_dir(&self) -> PathBuf {
        Path::new("/etc/netns").join(&self.name)
    }

    /// Writes `/etc/netns/NAME/FILE`, seen as `/etc/FILE` by [`NetNs::command`].
    pub fn set_etc_file(&self, file: &str, contents: &str) -> io::Result<()> {
        let dir = self.etc_dir();
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(file);
        std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))
    }

    /// The `resolv.conf` processes started with [`NetNs::command`] see.
    pub fn set_resolv_conf(&self, contents: &str) -> io::Result<()> {
        self.set_etc_file("resolv.conf", contents)
    }

    /// Adds an address (e.g. "203.0.113.10/32") to the namespace's loopback.
    pub fn add_address(&self, cidr: &str) -> io::Result<()> {
        ip(&["-n", &self.name, "addr", "add", cidr, "dev", "lo"])
    }

    /// `ip netns exec NAME program`: add arguments, then run it.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name]).arg(program);
        command
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        if let Err(e) = ip(&["netns", "del", &self.name]) {
            eprintln!("md-lab: {e}");
        }
        match std::fs::remove_dir_all(self.etc_dir()) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                eprintln!("md-lab: removing {}: {e}", self.etc_dir().display());
            }
            _ => {}
        }
    }
}

/// Whether network namespaces can be used here: running as root, and
/// `ip netns` can really create and delete one. Checked once per process.
pub fn netns_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        // The owner of /proc/self is the process's effective user.
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        root && cfg!(target_os = "linux") && NetNs::create("mdprobe").is_ok()
    })
}

/// Moves the calling thread into the network namespace at `path`.
fn enter(path: &Path) -> io::Result<()> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    // SAFETY: setns(2) takes a file descriptor and a flag and touches no
    // memory of ours; the descriptor is valid for the whole call because
    // `file` outlives it. It only changes the network namespace of the
    // calling thread, which is a thread the lab spawned for this purpose.
    let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error()).with_context(|| format!("setns {}", path.display()))
    }
}

/// Runs `f` on a new thread inside the namespace and returns its result:
/// sockets it creates live in the namespace.
pub fn run_in<T, F>(ns: &NetNs, f: F) -> io::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let path = ns.path();
    thread::Builder::new()
        .name(format!("md-lab-in-{}", ns.name))
        .spawn(move || enter(&path).map(|()| f()))
        .context("spawning a thread")?
        .join()
        .map_err(|_| io::Error::other("the thread inside the namespace panicked"))?
}

/// A lab running inside a network namespace, on a thread of its own.
///
/// Dereferences to the lab's [`LabInfo`]; its addresses are only reachable
/// from inside the namespace. Dropping it stops the lab and joins the thread.
#[derive(Debug)]
pub struct NsLab {
    info: LabInfo,
    stats: Arc<stats::Stats>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl NsLab {
    /// The addresses and CA files of the lab (also reachable through `Deref`).
    pub fn info(&self) -> &LabInfo {
        &self.info
    }

    /// A snapshot of how many requests each server has seen so far.
    pub fn counters(&self) -> Counters {
        self.stats.snapshot()
    }
}

impl Deref for NsLab {
    type Target = LabInfo;

    fn deref(&self) -> &LabInfo {
        &self.info
    }
}

impl Drop for NsLab {
    fn drop(&mut self) {
        // Dropping the sender wakes the lab thread, which drops its lab.
        self.shutdown.take();
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                eprintln!("md-lab: the lab thread of a namespace panicked");
            }
        }
    }
}

type Started = io::Result<(LabInfo, Arc<stats::Stats>)>;

/// Starts a lab inside `ns`: a dedicated thread enters the namespace (network
/// namespaces are per thread, and accepted sockets inherit the listener's),
/// runs a current-thread tokio runtime there and serves until the returned
/// [`NsLab`] is dropped. Use `cfg.dns_port = 53` when the namespace's
/// `resolv.conf` says "nameserver 127.0.0.1".
pub fn start_lab_in(ns: &NetNs, cfg: LabConfig) -> io::Result<NsLab> {
    let path = ns.path();
    let (started_tx, started_rx) = mpsc::channel::<Started>();
    let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = thread::Builder::new()
        .name(format!("md-lab-{}", ns.name))
        .spawn(move || {
            let runtime = enter(&path).and_then(|()| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .context("building the lab's runtime")
            });
            let runtime = match runtime {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = started_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let lab = match Lab::start(cfg).await {
                    Ok(lab) => lab,
                    Err(e) => {
                        let _ = started_tx.send(Err(e));
                        return;
                    }
                };
                if started_tx
                    .send(Ok((lab.info().clone(), lab.stats_handle())))
                    .is_ok()
                {
                    // Sent or dropped: either way, time to stop.
                    let _ = shutdown_rx.await;
                }
                drop(lab);
            });
        })
        .context("spawning the lab thread")?;

    let started = started_rx
        .recv()
        .map_err(|_| io::Error::other("the lab thread ended before starting the lab"));
    match started {
        Ok(Ok((info, stats))) => Ok(NsLab {
            info,
            stats,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        }),
        Ok(Err(e)) | Err(e) => {
            let _ = thread.join();
            Err(e).with_context(|| format!("starting the lab in namespace {}", ns.name))
        }
    }
}

/// For tests that need namespaces: false when they are available; true (skip,
/// with a loud line) when they are not and `MD_SKIP_NETNS` is set; otherwise
/// a panic, so a machine without them cannot pass those tests silently.
pub fn skip_without_netns() -> bool {
    if netns_available() {
        return false;
    }
    if std::env::var_os("MD_SKIP_NETNS").is_some() {
        eprintln!("SKIPPED: network namespaces are not available (MD_SKIP_NETNS set)");
        return true;
    }
    panic!("these tests need root and `ip netns` (set MD_SKIP_NETNS=1 to skip them on purpose)");
}
