//! Collecting the facts of this computer: run each reader's command through
//! an executor, parse, and keep either the value or why it is not known.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::command::{CommandSpec, ExecError, Executor};
use super::model::*;
use super::{linux, macos, windows};
use md_model::system::Os;

mod on_linux;
mod on_macos;
mod on_windows;
mod read;
#[cfg(test)]
mod tests;
mod this_computer;

pub use on_linux::*;
pub use on_macos::*;
pub use on_windows::*;
pub use read::pick_firewall;
use read::*;
pub(crate) use read::{read as read_fact, STEP};
pub use this_computer::*;

/// A fact, or the reason it is not known ("needs administrator rights",
/// "ufw is not installed", "could not read the output: …").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Fact<T> {
    Known { value: T, source: String },
    Unknown { reason: String },
}

impl<T> Fact<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Fact::Known { value, .. } => Some(value),
            Fact::Unknown { .. } => None,
        }
    }

    pub fn unknown(reason: impl Into<String>) -> Fact<T> {
        Fact::Unknown {
            reason: reason.into(),
        }
    }
}

/// Everything the readers found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facts {
    pub os: Os,
    pub proxy: Fact<ProxySettings>,
    /// Windows only: the machine-wide WinHTTP proxy (services and updaters
    /// use it; the Zoom client follows the Internet Settings above).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub winhttp: Option<Fact<ProxySettings>>,
    pub interfaces: Fact<Vec<Interface>>,
    pub default_routes: Fact<Vec<DefaultRoute>>,
    pub route_to_zoom: Fact<Route>,
    pub dns_servers: Fact<DnsServers>,
    pub firewall: Fact<FirewallState>,
    pub security: Fact<Vec<SecurityProduct>>,
    pub zoom: Fact<ZoomInstall>,
    /// Zoom's processes now running (the client, its helpers).
    pub zoom_processes: Fact<super::process::ZoomProcesses>,
    pub link: Fact<NetworkLink>,
}

/// Where the Linux readers look, so tests can point them at a temp home.
#[derive(Debug, Clone)]
pub struct LinuxEnv {
    pub home: Option<PathBuf>,
    pub resolv_conf: PathBuf,
    /// Where the Zoom tarball installs (/opt/zoom).
    pub opt_zoom: PathBuf,
    /// The process environment (proxy variables, desktop).
    pub vars: Vec<(String, String)>,
}

impl LinuxEnv {
    pub fn current() -> LinuxEnv {
        LinuxEnv {
            home: std::env::var_os("HOME").map(PathBuf::from),
            resolv_conf: PathBuf::from("/etc/resolv.conf"),
            opt_zoom: PathBuf::from("/opt/zoom"),
            vars: std::env::vars().collect(),
        }
    }

    /// Names of the running processes (/proc/*/comm).
    pub(super) fn process_names(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return vec![];
        };
        dir.filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .chars()
                    .all(|c| c.is_ascii_digit())
            })
            .filter_map(|e| std::fs::read_to_string(e.path().join("comm")).ok())
            .map(|c| c.trim().to_string())
            .collect()
    }

    pub(super) fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
