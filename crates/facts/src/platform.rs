//! The one seam between the engine and the computer it reads: which OS it
//! is, how its commands run, and where the Linux readers look. The run and
//! the fixer take a [`Platform`]; [`Platform::this_computer`] is the real
//! one, and a test replays another OS's recorded outputs through
//! [`Platform::replay`], so a whole run can be judged as Windows or macOS
//! on Linux (`tests/fixtures/<os>/`).

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use md_model::system::Os;

use crate::collect::{self, Fact, Facts, LinuxEnv, STEP};
use crate::command::{Executor, Replay, System};
use crate::model::{DnsServers, ProxySettings};

/// An OS, the executor its commands go through, and the Linux readers'
/// files and variables.
#[derive(Debug, Clone)]
pub struct Platform {
    pub os: Os,
    pub exec: Arc<dyn Executor>,
    pub linux: LinuxEnv,
}

impl Platform {
    /// The computer this program runs on.
    pub fn this_computer() -> Platform {
        Platform {
            os: Os::current(),
            exec: Arc::new(System),
            linux: LinuxEnv::current(),
        }
    }

    /// Another computer, from recorded outputs: `os`'s readers run their
    /// commands against `replay` (a command it has no output for is "not
    /// found", so that fact is unknown). Linux readers that read files
    /// look under a folder that does not exist unless [`Platform::with_linux`]
    /// says otherwise.
    pub fn replay(os: Os, replay: Replay) -> Platform {
        let nowhere = PathBuf::from("/nonexistent/meeting-doctor-replay");
        Platform {
            os,
            exec: Arc::new(replay),
            linux: LinuxEnv {
                home: Some(nowhere.join("home")),
                resolv_conf: nowhere.join("resolv.conf"),
                opt_zoom: nowhere.join("opt/zoom"),
                vars: vec![],
            },
        }
    }

    /// Where the Linux readers look (a test's temp home and files).
    pub fn with_linux(mut self, linux: LinuxEnv) -> Platform {
        self.linux = linux;
        self
    }

    /// The proxy settings as the Zoom client reads them.
    pub async fn proxy_settings(&self) -> Fact<ProxySettings> {
        let exec = self.exec.as_ref();
        match self.os {
            Os::Linux => collect::linux_proxy(exec, &self.linux).await,
            Os::Windows => {
                collect::read_fact(
                    exec,
                    &crate::windows::proxy_spec(),
                    crate::windows::parse_proxy,
                )
                .await
            }
            Os::Macos => {
                collect::read_fact(
                    exec,
                    &crate::macos::proxy_spec(),
                    crate::macos::parse_scutil_proxy,
                )
                .await
            }
        }
    }

    /// The DNS servers the computer is set to use.
    pub async fn dns_servers(&self) -> Fact<DnsServers> {
        let exec = self.exec.as_ref();
        match self.os {
            Os::Linux => collect::linux_dns(exec, &self.linux).await,
            Os::Windows => {
                collect::read_fact(
                    exec,
                    &crate::windows::dns_servers_spec(),
                    crate::windows::parse_dns_servers,
                )
                .await
            }
            Os::Macos => {
                collect::read_fact(
                    exec,
                    &crate::macos::dns_servers_spec(),
                    crate::macos::parse_scutil_dns,
                )
                .await
            }
        }
    }

    /// Every fact, with the route looked up toward `zoom` and the proxy
    /// settings already read, if they were.
    pub async fn facts(&self, zoom: Option<IpAddr>, proxy: Option<Fact<ProxySettings>>) -> Facts {
        let exec = self.exec.as_ref();
        match self.os {
            Os::Linux => collect::linux(exec, &self.linux, zoom, proxy).await,
            Os::Windows => collect::windows(exec, zoom, proxy).await,
            Os::Macos => collect::macos(exec, zoom, proxy).await,
        }
    }

    /// [`Platform::facts`] for a Zoom server given as (host, port): the
    /// route is looked up for the address the host resolves to (a route
    /// lookup sends nothing).
    pub async fn facts_toward(
        &self,
        host: Option<(String, u16)>,
        proxy: Option<Fact<ProxySettings>>,
    ) -> Facts {
        let zoom = match host {
            Some((h, port)) => md_net::resolve_system(&h, port, STEP)
                .await
                .ok()
                .and_then(|a| a.first().map(|s| s.ip())),
            None => None,
        };
        self.facts(zoom, proxy).await
    }
}
