//! What a fix plan is built from: the OS, the profile, the facts read from
//! this computer, and where the user's folders are. A plain value, so the
//! plans of every OS are built and tested on any OS.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::elevate::PlanInputs;
use md_facts::collect::Facts;
use md_facts::command::{CommandSpec, Executor};
use md_facts::model::{DnsServers, FirewallState, ProxySettings, ZoomInstall};
use md_model::profile::Profile;
use md_model::system::Os;

/// Zoom's published firewall ports for Meetings: TCP 443, 8801, 8802 and
/// UDP 3478, 3479, 8801–8810. The fix allows these and the profile's ports.
pub const ZOOM_TCP: &[u16] = &[443, 8801, 8802];
pub const ZOOM_UDP: &[u16] = &[
    3478, 3479, 8801, 8802, 8803, 8804, 8805, 8806, 8807, 8808, 8809, 8810,
];

/// How a Linux computer manages its network, DNS and clock: which of the
/// tools a fix could use are here and in charge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinuxSetup {
    /// systemd-resolved runs (resolvectl works).
    pub resolved: bool,
    /// nscd runs (it caches host names).
    pub nscd: bool,
    /// NetworkManager runs (nmcli works).
    pub network_manager: bool,
    /// The NetworkManager connection on the active interface.
    pub nm_connection: Option<String>,
    /// systemd-networkd runs (networkctl works).
    pub networkd: bool,
    /// timedatectl is present and systemd runs.
    pub timedatectl: bool,
    /// chronyd answers chronyc.
    pub chrony: bool,
    /// "kwriteconfig6" or "kwriteconfig5", whichever is installed.
    pub kwriteconfig: Option<String>,
    /// /etc/resolv.conf as it is now (kept lines when it is rewritten).
    pub resolv_conf: Option<String>,
}

/// Everything a plan may depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixEnv {
    pub os: Os,
    /// The user's home folder, written the OS's way.
    pub home: String,
    /// Windows folders (%APPDATA%, %LOCALAPPDATA%) and XDG folders, by name.
    pub vars: BTreeMap<String, String>,
    /// Where the journal and backups are kept.
    pub data_dir: String,
    pub zoom: Option<ZoomInstall>,
    pub firewall: Option<FirewallState>,
    pub dns: Option<DnsServers>,
    pub proxy: Option<ProxySettings>,
    /// The interface Zoom's traffic leaves by.
    pub interface: Option<String>,
    /// macOS: the network service of that interface ("Wi-Fi").
    pub service: Option<String>,
    pub linux: LinuxSetup,
    /// Which of Zoom's cache folders exist here; None when not looked
    /// (then the plan lists every place Zoom may keep them).
    #[serde(default)]
    pub zoom_caches_present: Option<Vec<String>>,
    /// Ports to let through (the profile's and Zoom's published ones).
    pub tcp_ports: Vec<u16>,
    pub udp_ports: Vec<u16>,
    /// Public resolvers for `dns.use_public` (the profile's reference ones).
    pub public_dns: Vec<IpAddr>,
    /// The Zoom server whose route was read (the profile's first TCP host).
    #[serde(default)]
    pub zoom_host: Option<(String, u16)>,
}

impl FixEnv {
    /// A bare environment for `os` with no facts: the start of table tests.
    pub fn bare(os: Os, home: &str) -> FixEnv {
        FixEnv {
            os,
            home: home.to_string(),
            vars: BTreeMap::new(),
            data_dir: data_dir_for(os, home, &BTreeMap::new()),
            zoom: None,
            firewall: None,
            dns: None,
            proxy: None,
            interface: None,
            service: None,
            linux: LinuxSetup::default(),
            zoom_caches_present: None,
            tcp_ports: ZOOM_TCP.to_vec(),
            udp_ports: ZOOM_UDP.to_vec(),
            public_dns: vec![IpAddr::from([1, 1, 1, 1]), IpAddr::from([8, 8, 8, 8])],
            zoom_host: None,
        }
    }

    /// The values from the profile that a plan depends on, for the
    /// elevated run (which reads this computer itself, but no profile).
    pub fn inputs(&self) -> PlanInputs {
        PlanInputs {
            zoom_host: self.zoom_host.clone(),
            tcp_ports: self.tcp_ports.clone(),
            udp_ports: self.udp_ports.clone(),
            public_dns: self.public_dns.clone(),
        }
    }

    /// Joins path parts the way `self.os` writes paths.
    pub fn join(&self, base: &str, parts: &[&str]) -> String {
        join(self.os, base, parts)
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// %APPDATA% (Windows), falling back to the usual place under home.
    pub fn appdata(&self) -> String {
        self.var("APPDATA")
            .map(str::to_string)
            .unwrap_or_else(|| self.join(&self.home, &["AppData", "Roaming"]))
    }

    /// Builds the environment from the profile and facts read just now,
    /// and looks at which Linux tools are in charge here.
    pub async fn current(profile: &Profile, facts: &Facts, exec: &dyn Executor) -> FixEnv {
        let mut env = FixEnv::current_for(&PlanInputs::default(), facts, exec).await;
        env.set_profile(profile);
        env
    }

    /// Builds the environment from `inputs` and facts read just now.
    pub async fn current_for(inputs: &PlanInputs, facts: &Facts, exec: &dyn Executor) -> FixEnv {
        let os = facts.os;
        let (home, vars) = (process_home(), process_vars());
        let interface = facts
            .route_to_zoom
            .value()
            .map(|r| r.interface.clone())
            .or_else(|| {
                facts
                    .default_routes
                    .value()
                    .and_then(|d| d.first())
                    .map(|d| d.interface.clone())
            });
        let service = match (os, &interface) {
            (Os::Macos, Some(i)) => facts
                .interfaces
                .value()
                .and_then(|all| all.iter().find(|x| &x.name == i))
                .and_then(|x| x.description.clone()),
            _ => None,
        };
        let linux = if os == Os::Linux {
            LinuxSetup::detect(exec, interface.as_deref()).await
        } else {
            LinuxSetup::default()
        };
        let mut env = FixEnv {
            os,
            data_dir: data_dir_for(os, &home, &vars),
            home,
            vars,
            zoom: facts.zoom.value().cloned(),
            firewall: facts.firewall.value().cloned(),
            dns: facts.dns_servers.value().cloned(),
            proxy: facts.proxy.value().cloned(),
            interface,
            service,
            linux,
            zoom_caches_present: None,
            tcp_ports: inputs.tcp_ports.clone(),
            udp_ports: inputs.udp_ports.clone(),
            public_dns: inputs.public_dns.clone(),
            zoom_host: inputs.zoom_host.clone(),
        };
        env.zoom_caches_present = Some(
            cache_folders(&env)
                .into_iter()
                .map(|(path, _)| path)
                .filter(|p| Path::new(p).exists())
                .collect(),
        );
        env
    }

    /// Takes the ports and public resolvers from `profile`.
    pub fn set_profile(&mut self, profile: &Profile) {
        let mut tcp: Vec<u16> = ZOOM_TCP.to_vec();
        tcp.extend(profile.tcp.iter().map(|t| t.port.0));
        let mut udp: Vec<u16> = ZOOM_UDP.to_vec();
        udp.extend(profile.udp.iter().map(|t| t.port.0));
        tcp.sort_unstable();
        tcp.dedup();
        udp.sort_unstable();
        udp.dedup();
        self.tcp_ports = tcp;
        self.udp_ports = udp;
        let public: Vec<IpAddr> = profile
            .dns
            .reference_resolvers
            .iter()
            .filter(|r| r.0.port() == 53)
            .map(|r| r.0.ip())
            .collect();
        if !public.is_empty() {
            self.public_dns = public;
        }
        self.zoom_host = zoom_host_of(profile);
    }
}

pub use md_model::profile::zoom_host_of;

/// Joins with `\` on Windows and `/` elsewhere.
pub fn join(os: Os, base: &str, parts: &[&str]) -> String {
    let sep = if os == Os::Windows { '\\' } else { '/' };
    let mut out = base.trim_end_matches(['/', '\\']).to_string();
    for p in parts {
        out.push(sep);
        out.push_str(p);
    }
    out
}

/// Where Meeting Doctor keeps its journal and backups:
/// `MEETING_DOCTOR_DATA` when set; else %LOCALAPPDATA%\Meeting Doctor,
/// ~/Library/Application Support/Meeting Doctor, or
/// $XDG_DATA_HOME/meeting-doctor (~/.local/share/meeting-doctor).
pub fn data_dir_for(os: Os, home: &str, vars: &BTreeMap<String, String>) -> String {
    let var = |k: &str| vars.get(k).filter(|v| !v.is_empty());
    if let Some(d) = var("MEETING_DOCTOR_DATA") {
        return d.clone();
    }
    match os {
        Os::Windows => match var("LOCALAPPDATA") {
            Some(l) => join(os, l, &["Meeting Doctor"]),
            None => join(os, home, &["AppData", "Local", "Meeting Doctor"]),
        },
        Os::Macos => join(
            os,
            home,
            &["Library", "Application Support", "Meeting Doctor"],
        ),
        Os::Linux => match var("XDG_DATA_HOME") {
            Some(x) => join(os, x, &["meeting-doctor"]),
            None => join(os, home, &[".local", "share", "meeting-doctor"]),
        },
    }
}

/// The folders from this process's environment that plans and the data
/// folder depend on.
fn process_vars() -> BTreeMap<String, String> {
    [
        "APPDATA",
        "LOCALAPPDATA",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "MEETING_DOCTOR_DATA",
    ]
    .iter()
    .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
    .collect()
}

fn process_home() -> String {
    std::env::var("HOME")
        .or_else(|_| std::env::var("USERPROFILE"))
        .unwrap_or_default()
}

/// This computer's data folder (see [`data_dir_for`]).
pub fn data_dir() -> PathBuf {
    PathBuf::from(data_dir_for(
        Os::current(),
        &process_home(),
        &process_vars(),
    ))
}

impl FixEnv {
    /// This computer without reading its settings: enough to read the
    /// journal and undo from it (undo steps carry everything they need).
    pub fn journal_only() -> FixEnv {
        let mut env = FixEnv::bare(Os::current(), &process_home());
        env.vars = process_vars();
        env.data_dir = data_dir_for(env.os, &env.home, &env.vars);
        env
    }
}

/// True when `program` is an executable file on PATH.
/// (The PATH children of this program get, not this process's own.)
pub fn on_path(program: &str) -> bool {
    md_facts::child_env::search_path()
        .iter()
        .any(|d| is_file(&d.join(program)))
}

fn is_file(p: &Path) -> bool {
    std::fs::metadata(p).map(|m| m.is_file()).unwrap_or(false)
}

impl LinuxSetup {
    /// Looks at this Linux computer: runtime folders that only exist
    /// while a service runs, and tools on PATH.
    pub async fn detect(exec: &dyn Executor, interface: Option<&str>) -> LinuxSetup {
        let dir = |p: &str| Path::new(p).is_dir();
        let network_manager = dir("/run/NetworkManager") && on_path("nmcli");
        let nm_connection = match (network_manager, interface) {
            (true, Some(i)) => exec
                .run(
                    &CommandSpec::new("nmcli", &["-g", "GENERAL.CONNECTION", "device", "show", i])
                        .c_locale(),
                    std::time::Duration::from_secs(3),
                )
                .await
                .ok()
                .filter(|o| o.success())
                .map(|o| o.stdout.trim().to_string())
                .filter(|c| !c.is_empty() && c != "--"),
            _ => None,
        };
        let systemd = dir("/run/systemd/system");
        LinuxSetup {
            resolved: dir("/run/systemd/resolve") && on_path("resolvectl"),
            nscd: (dir("/run/nscd") || is_file(Path::new("/run/nscd/socket"))) && on_path("nscd"),
            network_manager,
            nm_connection,
            networkd: dir("/run/systemd/netif/links") && systemd && on_path("networkctl"),
            timedatectl: systemd && on_path("timedatectl"),
            chrony: on_path("chronyc") && dir("/run/chrony"),
            kwriteconfig: ["kwriteconfig6", "kwriteconfig5"]
                .iter()
                .find(|t| on_path(t))
                .map(|t| t.to_string()),
            resolv_conf: std::fs::read_to_string("/etc/resolv.conf").ok(),
        }
    }
}

/// Files inside Zoom's data folders that are settings or (encrypted)
/// databases: they stay where they are.
pub const KEEP: &[&str] = &["*.db", "*.db-*", "*.ini", "*.conf", "*.plist"];

/// Zoom's cache folders on `env.os`: (path, keep patterns). Folders that
/// hold settings and databases move only their other entries.
pub fn cache_folders(env: &FixEnv) -> Vec<(String, Vec<String>)> {
    let keep: Vec<String> = KEEP.iter().map(|s| s.to_string()).collect();
    let h = env.home.as_str();
    match env.os {
        Os::Windows => vec![(join(Os::Windows, &env.appdata(), &["Zoom", "data"]), keep)],
        Os::Macos => vec![
            (
                join(Os::Macos, h, &["Library", "Caches", "us.zoom.xos"]),
                vec![],
            ),
            (
                join(
                    Os::Macos,
                    h,
                    &["Library", "Application Support", "zoom.us", "data"],
                ),
                keep,
            ),
            (
                join(
                    Os::Macos,
                    h,
                    &[
                        "Library",
                        "Saved Application State",
                        "us.zoom.xos.savedState",
                    ],
                ),
                vec![],
            ),
        ],
        Os::Linux => {
            let cache = env
                .var("XDG_CACHE_HOME")
                .map(str::to_string)
                .unwrap_or_else(|| join(Os::Linux, h, &[".cache"]));
            vec![
                (join(Os::Linux, h, &[".zoom", "data"]), keep.clone()),
                (join(Os::Linux, &cache, &["zoom"]), vec![]),
                (
                    join(
                        Os::Linux,
                        h,
                        &[".var", "app", "us.zoom.Zoom", ".zoom", "data"],
                    ),
                    keep,
                ),
                (
                    join(Os::Linux, h, &[".var", "app", "us.zoom.Zoom", "cache"]),
                    vec![],
                ),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_folders_per_os() {
        let none = BTreeMap::new();
        assert_eq!(
            data_dir_for(Os::Linux, "/home/zoë", &none),
            "/home/zoë/.local/share/meeting-doctor"
        );
        assert_eq!(
            data_dir_for(Os::Macos, "/Users/Zoë Ångström", &none),
            "/Users/Zoë Ångström/Library/Application Support/Meeting Doctor"
        );
        let win: BTreeMap<String, String> = [(
            "LOCALAPPDATA".to_string(),
            r"C:\Users\Zoë Ångström\AppData\Local".to_string(),
        )]
        .into();
        assert_eq!(
            data_dir_for(Os::Windows, r"C:\Users\Zoë Ångström", &win),
            r"C:\Users\Zoë Ångström\AppData\Local\Meeting Doctor"
        );
        let over: BTreeMap<String, String> =
            [("MEETING_DOCTOR_DATA".to_string(), "/tmp/md".to_string())].into();
        assert_eq!(data_dir_for(Os::Linux, "/home/x", &over), "/tmp/md");
    }

    #[test]
    fn the_profile_adds_its_ports_to_zooms() {
        let mut env = FixEnv::bare(Os::Linux, "/home/x");
        let profile = Profile::from_toml(
            "name = \"lab\"\n[dns]\nreference_resolvers = [\"9.9.9.9\"]\n[[udp]]\nport = 34780\n[[tcp]]\nport = 443\n",
            "lab.toml",
            Path::new("."),
        )
        .unwrap();
        env.set_profile(&profile);
        assert!(env.udp_ports.contains(&34780) && env.udp_ports.contains(&8810));
        assert_eq!(env.tcp_ports, vec![443, 8801, 8802]);
        assert_eq!(env.public_dns, vec![IpAddr::from([9, 9, 9, 9])]);
    }
}
