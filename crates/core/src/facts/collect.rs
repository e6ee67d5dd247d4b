//! Collecting the facts of this computer: run each reader's command through
//! an executor, parse, and keep either the value or why it is not known.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::command::{CommandSpec, ExecError, Executor};
use super::model::*;
use super::{linux, macos, windows};
use crate::system::Os;

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

    fn unknown(reason: impl Into<String>) -> Fact<T> {
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
    fn process_names(&self) -> Vec<String> {
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

    fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

const STEP: Duration = Duration::from_secs(3);

/// Runs `spec` and parses its standard output. A tool that is missing,
/// refuses without rights, fails or prints something unexpected becomes the
/// reason the fact is unknown.
async fn read<T>(
    exec: &dyn Executor,
    spec: &CommandSpec,
    parse: impl Fn(&str) -> Result<T, ParseError>,
) -> Fact<T> {
    let source = spec.display();
    match exec.run(spec, STEP).await {
        Err(e @ ExecError::NotFound(_)) => Fact::unknown(e.to_string()),
        Err(e) => Fact::unknown(e.to_string()),
        Ok(out) if !out.success() => {
            let err = out.stderr.trim();
            let lower = err.to_ascii_lowercase();
            if lower.contains("permission denied")
                || lower.contains("operation not permitted")
                || lower.contains("must be root")
                || lower.contains("you need to be root")
                || lower.contains("authorization")
            {
                Fact::unknown(format!("{source} needs administrator rights"))
            } else {
                Fact::unknown(format!(
                    "{source} failed (exit {}): {}",
                    out.code.map_or("signal".to_string(), |c| c.to_string()),
                    err.lines().next().unwrap_or("")
                ))
            }
        }
        Ok(out) => match parse(&out.stdout) {
            Ok(value) => Fact::Known { value, source },
            Err(e) => Fact::unknown(format!("could not read the output of {source}: {e}")),
        },
    }
}

/// The Linux firewall: a front end (ufw, firewalld) that is on speaks for
/// the rules; one that is off says nothing about rules set in nftables
/// directly, so the kernel's ruleset decides — and when it cannot be read,
/// the firewall is unknown rather than "nothing blocks Zoom".
fn pick_firewall(
    front_ends: Vec<Fact<FirewallState>>,
    nft: Fact<FirewallState>,
) -> Fact<FirewallState> {
    let on = |f: &Fact<FirewallState>| {
        f.value()
            .is_some_and(|s| s.profiles.iter().any(|p| p.enabled) || !s.zoom_rules.is_empty())
    };
    if let Some(active) = front_ends.iter().find(|f| on(f)) {
        return active.clone();
    }
    let off: Vec<String> = front_ends
        .iter()
        .filter_map(|f| f.value().map(|s| format!("{} is off", s.product)))
        .collect();
    match nft {
        Fact::Known { value, source } => {
            let source = if off.is_empty() {
                source
            } else {
                format!("{source} ({})", off.join(", "))
            };
            Fact::Known { value, source }
        }
        Fact::Unknown { reason } if !off.is_empty() => Fact::unknown(format!(
            "{}, but rules set directly in nftables could not be read: {reason}",
            off.join(", ")
        )),
        Fact::Unknown { reason } => {
            let mut reasons: Vec<String> = front_ends
                .iter()
                .filter_map(|f| match f {
                    Fact::Unknown { reason } => Some(reason.clone()),
                    Fact::Known { .. } => None,
                })
                .collect();
            reasons.push(reason);
            Fact::unknown(reasons.join("; "))
        }
    }
}

/// The first known answer among several readers, else every reason.
fn first_known<T>(facts: Vec<Fact<T>>) -> Fact<T> {
    let mut reasons = Vec::new();
    for f in facts {
        match f {
            Fact::Known { .. } => return f,
            Fact::Unknown { reason } => reasons.push(reason),
        }
    }
    Fact::unknown(reasons.join("; "))
}

/// The Linux DNS servers: resolvectl knows what is behind the 127.0.0.53
/// stub; resolv.conf otherwise.
pub async fn linux_dns(exec: &dyn Executor, env: &LinuxEnv) -> Fact<DnsServers> {
    let resolv = match std::fs::read_to_string(&env.resolv_conf) {
        Ok(t) => match linux::parse_resolv_conf(&t) {
            Ok(v) => Fact::Known {
                value: v,
                source: env.resolv_conf.display().to_string(),
            },
            Err(e) => Fact::unknown(e.to_string()),
        },
        Err(e) => Fact::unknown(format!("{}: {e}", env.resolv_conf.display())),
    };
    let resolved = read(
        exec,
        &linux::resolvectl_spec(),
        linux::parse_resolvectl_status,
    )
    .await;
    first_known(vec![resolved.clone_if_useful(), resolv])
}

/// The Zoom app on Linux: a .deb, an rpm, a flatpak, or the tarball in
/// /opt/zoom, the first found. "Not installed" needs one package tool that
/// answered; when none did, the reasons are kept.
pub async fn linux_zoom(exec: &dyn Executor, env: &LinuxEnv) -> Fact<ZoomInstall> {
    let dpkg = match exec.run(&linux::dpkg_zoom_spec(), STEP).await {
        // dpkg knows no "zoom" package: an answer, not a failure.
        Ok(out) if out.stderr.contains("no packages found") => Fact::Known {
            value: ZoomInstall::default(),
            source: "dpkg-query (no zoom package)".into(),
        },
        _ => read(exec, &linux::dpkg_zoom_spec(), linux::parse_dpkg_zoom).await,
    };
    let mut looked = Vec::new();
    let mut answered = false;
    for fact in [
        dpkg,
        read(exec, &linux::rpm_zoom_spec(), linux::parse_rpm_zoom).await,
        read(exec, &linux::flatpak_zoom_spec(), linux::parse_flatpak_zoom).await,
    ] {
        match fact {
            Fact::Known { value, source } if value.installed => {
                return Fact::Known { value, source };
            }
            Fact::Known { source, .. } => {
                answered = true;
                looked.push(source);
            }
            Fact::Unknown { reason } => looked.push(reason),
        }
    }
    let tarball = env.opt_zoom.join("zoom");
    looked.push(tarball.display().to_string());
    if tarball.exists() {
        return Fact::Known {
            value: ZoomInstall {
                installed: true,
                path: Some(env.opt_zoom.display().to_string()),
                install_kind: Some("tarball".into()),
                ..Default::default()
            },
            source: tarball.display().to_string(),
        };
    }
    if answered {
        Fact::Known {
            value: ZoomInstall::default(),
            source: looked.join("; "),
        }
    } else {
        Fact::unknown(looked.join("; "))
    }
}

/// The Linux proxy: the desktop's setting first (what GUI apps such as Zoom
/// read), then the environment.
pub async fn linux_proxy(exec: &dyn Executor, env: &LinuxEnv) -> Fact<ProxySettings> {
    let desktop = env
        .var("XDG_CURRENT_DESKTOP")
        .unwrap_or("")
        .to_ascii_uppercase();
    let kde = match (&env.home, desktop.contains("KDE")) {
        (Some(home), true) => match std::fs::read_to_string(home.join(".config/kioslaverc")) {
            Ok(t) => match linux::parse_kioslaverc(&t) {
                Ok(p) => Fact::Known {
                    value: p,
                    source: "~/.config/kioslaverc".into(),
                },
                Err(e) => Fact::unknown(e.to_string()),
            },
            Err(e) => Fact::unknown(format!("~/.config/kioslaverc: {e}")),
        },
        _ => Fact::unknown("not a KDE session"),
    };
    let gnome = read(
        exec,
        &linux::gnome_proxy_spec(),
        linux::parse_gsettings_proxy,
    )
    .await;
    let env_proxy = linux::parse_env_proxy(env.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match (kde, gnome) {
        (k @ Fact::Known { .. }, _) => k,
        (_, Fact::Known { value, source }) if !value.is_direct() || env_proxy.is_direct() => {
            Fact::Known { value, source }
        }
        _ => Fact::Known {
            value: env_proxy,
            source: "environment variables".into(),
        },
    }
}

/// Collects the Linux facts. `zoom_address` is where Zoom's traffic would
/// go (the route to it tells whether a VPN carries it).
pub async fn linux(
    exec: &dyn Executor,
    env: &LinuxEnv,
    zoom_address: Option<IpAddr>,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    let proxy = match proxy {
        Some(p) => p,
        None => linux_proxy(exec, env).await,
    };

    let interfaces = read(exec, &linux::interfaces_spec(), linux::parse_interfaces).await;
    let default_routes = read(exec, &linux::routes_spec(), linux::parse_default_routes).await;
    let route_to_zoom = route_to(
        exec,
        zoom_address,
        linux::route_spec,
        linux::parse_route_get,
    )
    .await;

    let dns_servers = linux_dns(exec, env).await;

    let firewall = pick_firewall(
        vec![
            read(exec, &linux::ufw_spec(), linux::parse_ufw_status).await,
            read(
                exec,
                &linux::firewalld_spec(),
                linux::parse_firewalld_list_all,
            )
            .await,
        ],
        read(exec, &linux::nft_spec(), linux::parse_nft_ruleset).await,
    );

    let zoom = linux_zoom(exec, env).await;

    let link = match read(exec, &linux::nmcli_spec(), linux::parse_nmcli_device_status).await {
        Fact::Known { value, source } => {
            let primary = value
                .iter()
                .find(|(_, t, _)| matches!(t.as_str(), "ethernet" | "wifi" | "gsm" | "cdma"));
            let wifi = match primary {
                Some((dev, t, _)) if t == "wifi" => {
                    read(exec, &linux::iw_link_spec(dev), linux::parse_iw_link)
                        .await
                        .value()
                        .cloned()
                        .flatten()
                }
                _ => None,
            };
            Fact::Known {
                value: NetworkLink {
                    kind: primary.map_or(LinkKind::Unknown, |(_, t, _)| {
                        linux::link_kind_from_nmcli(t)
                    }),
                    interface: primary.map(|(d, _, _)| d.clone()),
                    wifi,
                },
                source,
            }
        }
        Fact::Unknown { reason } => match route_to_zoom.value().zip(interfaces.value()) {
            // Without NetworkManager: the kind of the interface the route uses.
            Some((r, ifs)) => {
                let kind = ifs.iter().find(|i| i.name == r.interface).map_or(
                    LinkKind::Unknown,
                    |i| match i.kind {
                        InterfaceKind::Ethernet => LinkKind::Ethernet,
                        InterfaceKind::Wifi => LinkKind::Wifi,
                        InterfaceKind::Cellular => LinkKind::Cellular,
                        _ => LinkKind::Unknown,
                    },
                );
                Fact::Known {
                    value: NetworkLink {
                        kind,
                        interface: Some(r.interface.clone()),
                        wifi: None,
                    },
                    source: format!("the route to Zoom ({reason})"),
                }
            }
            None => Fact::unknown(reason),
        },
    };

    Facts {
        os: Os::Linux,
        proxy,
        winhttp: None,
        interfaces,
        default_routes,
        route_to_zoom,
        dns_servers,
        firewall,
        security: Fact::Known {
            value: linux::security_from_processes(&env.process_names()),
            source: "running processes".into(),
        },
        zoom,
        zoom_processes: running_zoom(),
        link,
    }
}

trait UsefulDns {
    fn clone_if_useful(self) -> Self;
}

impl UsefulDns for Fact<DnsServers> {
    /// resolvectl that lists no server at all says less than resolv.conf.
    fn clone_if_useful(self) -> Self {
        match self {
            Fact::Known { value, .. }
                if value.servers.is_empty() && value.per_interface.is_empty() =>
            {
                Fact::unknown("resolvectl lists no DNS server")
            }
            other => other,
        }
    }
}

/// Zoom's processes, from the OS's process list.
fn running_zoom() -> Fact<super::process::ZoomProcesses> {
    Fact::Known {
        value: super::process::classify(&super::process::list()),
        source: "running processes".into(),
    }
}

/// The route the OS picks for Zoom's address, when that address is known.
async fn route_to(
    exec: &dyn Executor,
    zoom_address: Option<IpAddr>,
    spec: fn(IpAddr) -> CommandSpec,
    parse: fn(&str, IpAddr) -> Result<Route, ParseError>,
) -> Fact<Route> {
    match zoom_address {
        Some(addr) => read(exec, &spec(addr), |t| parse(t, addr)).await,
        None => Fact::unknown("Zoom's address could not be looked up"),
    }
}

/// The link from the interface Zoom's route uses.
fn link_from_route(
    route: &Fact<Route>,
    interfaces: &Fact<Vec<Interface>>,
    wifi: Option<WifiInfo>,
) -> Fact<NetworkLink> {
    match (route.value(), interfaces.value()) {
        (Some(r), Some(ifs)) => {
            let kind = match ifs.iter().find(|i| i.name == r.interface).map(|i| i.kind) {
                Some(InterfaceKind::Ethernet) => LinkKind::Ethernet,
                Some(InterfaceKind::Wifi) => LinkKind::Wifi,
                Some(InterfaceKind::Cellular) => LinkKind::Cellular,
                _ => LinkKind::Unknown,
            };
            Fact::Known {
                value: NetworkLink {
                    kind,
                    interface: Some(r.interface.clone()),
                    wifi: wifi.filter(|_| kind == LinkKind::Wifi),
                },
                source: "the route to Zoom and the interface list".into(),
            }
        }
        _ => Fact::unknown(format!(
            "{}; {}",
            source_or_reason(route),
            source_or_reason(interfaces)
        )),
    }
}

fn source_or_reason<T>(f: &Fact<T>) -> String {
    match f {
        Fact::Known { source, .. } => source.clone(),
        Fact::Unknown { reason } => reason.clone(),
    }
}

/// Collects the Windows facts (PowerShell JSON through `exec`).
pub async fn windows(
    exec: &dyn Executor,
    zoom_address: Option<IpAddr>,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    let proxy = match proxy {
        Some(p) => p,
        None => read(exec, &windows::proxy_spec(), windows::parse_proxy).await,
    };
    let interfaces = read(exec, &windows::adapters_spec(), windows::parse_adapters).await;
    let default_routes = read(
        exec,
        &CommandSpec::new("route", &["print", "-4"]),
        windows::parse_route_print_defaults,
    )
    .await;
    let route_to_zoom = route_to(
        exec,
        zoom_address,
        windows::route_spec,
        windows::parse_route,
    )
    .await;
    let dns_servers = read(
        exec,
        &windows::dns_servers_spec(),
        windows::parse_dns_servers,
    )
    .await;
    let firewall = match read(
        exec,
        &windows::firewall_profiles_spec(),
        windows::parse_firewall_profiles,
    )
    .await
    {
        Fact::Known { value, source } => {
            let rules = read(
                exec,
                &windows::firewall_rules_spec(),
                windows::parse_firewall_rules,
            )
            .await;
            Fact::Known {
                value: FirewallState {
                    product: "Windows Defender Firewall".into(),
                    profiles: value,
                    zoom_rules: rules.value().cloned().unwrap_or_default(),
                    ..Default::default()
                },
                source,
            }
        }
        Fact::Unknown { reason } => Fact::unknown(reason),
    };
    let security = match read(exec, &windows::antivirus_spec(), windows::parse_antivirus).await {
        Fact::Unknown { reason } if reason.contains(windows::MISSING_SECURITY_CENTER) => {
            Fact::unknown("this Windows has no Security Center (a server edition), so security software can't be listed")
        }
        other => other,
    };
    let zoom = read(exec, &windows::zoom_spec(), windows::parse_zoom).await;
    let wifi = read(exec, &windows::wlan_spec(), windows::parse_netsh_wlan)
        .await
        .value()
        .cloned()
        .flatten();
    let link = link_from_route(&route_to_zoom, &interfaces, wifi);
    Facts {
        os: Os::Windows,
        proxy,
        winhttp: Some(read(exec, &windows::winhttp_spec(), windows::parse_winhttp).await),
        interfaces,
        default_routes,
        route_to_zoom,
        dns_servers,
        firewall,
        security,
        zoom,
        zoom_processes: running_zoom(),
        link,
    }
}

/// Collects the macOS facts.
pub async fn macos(
    exec: &dyn Executor,
    zoom_address: Option<IpAddr>,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    let proxy = match proxy {
        Some(p) => p,
        None => read(exec, &macos::proxy_spec(), macos::parse_scutil_proxy).await,
    };
    let interfaces = read(
        exec,
        &macos::hardware_ports_spec(),
        macos::parse_hardware_ports,
    )
    .await;
    let default_routes = read(exec, &macos::netstat_spec(), macos::parse_netstat_defaults).await;
    let route_to_zoom = route_to(
        exec,
        zoom_address,
        macos::route_spec,
        macos::parse_route_get,
    )
    .await;
    let dns_servers = read(exec, &macos::dns_servers_spec(), macos::parse_scutil_dns).await;
    let fw = macos::firewall_specs();
    let raw = |t: &str| Ok::<_, ParseError>(t.to_string());
    let firewall = match read(exec, &fw[0], raw).await {
        Fact::Known {
            value: global,
            source,
        } => {
            let block_all = read(exec, &fw[1], raw)
                .await
                .value()
                .cloned()
                .unwrap_or_default();
            let apps = read(exec, &fw[3], raw).await.value().cloned();
            match macos::firewall_state(&format!("{global}\n{block_all}"), apps.as_deref()) {
                Ok(mut state) => {
                    let blocked = read(exec, &fw[2], macos::parse_socketfilterfw_appblocked).await;
                    if blocked.value() == Some(&true) {
                        state.blocked_apps.push(macos::ZOOM_APP.to_string());
                    }
                    Fact::Known {
                        value: state,
                        source,
                    }
                }
                Err(e) => Fact::unknown(e.to_string()),
            }
        }
        Fact::Unknown { reason } => Fact::unknown(reason),
    };
    let security = read(
        exec,
        &macos::security_spec(),
        macos::parse_system_extensions,
    )
    .await;
    let zs = macos::zoom_specs();
    let zoom = match read(exec, &zs[0], macos::parse_info_plist).await {
        Fact::Known { mut value, source } => {
            if value.installed {
                value.arch = read(exec, &zs[1], macos::parse_lipo_archs)
                    .await
                    .value()
                    .cloned();
                let machine_arm = match exec.run(&macos::machine_arch_spec(), STEP).await {
                    Ok(out) if out.success() => macos::parse_hw_optional_arm64(&out.stdout).ok(),
                    // Intel Macs have no such key.
                    Ok(out) if macos::sysctl_unknown_oid(&out.stderr) => Some(false),
                    _ => None,
                };
                if let (Some(arm), Some(arch)) = (machine_arm, value.arch.as_deref()) {
                    value.arch_problem = macos::arch_mismatch(arm, arch);
                }
            }
            Fact::Known { value, source }
        }
        // plutil finds no Info.plist where Zoom installs: not installed there.
        Fact::Unknown { reason } if reason.contains("failed") => Fact::Known {
            value: ZoomInstall::default(),
            source: format!("{} (not found)", macos::ZOOM_APP),
        },
        other => other,
    };
    let wifi = read(
        exec,
        &macos::airport_json_spec(),
        macos::parse_system_profiler_airport,
    )
    .await
    .value()
    .cloned()
    .flatten();
    let link = link_from_route(&route_to_zoom, &interfaces, wifi);
    Facts {
        os: Os::Macos,
        proxy,
        winhttp: None,
        interfaces,
        default_routes,
        route_to_zoom,
        dns_servers,
        firewall,
        security,
        zoom,
        zoom_processes: running_zoom(),
        link,
    }
}

/// Collects this computer's facts. The route is looked up for the address
/// the profile's first Zoom host resolves to (a route lookup sends nothing).
pub async fn this_computer(profile: &crate::Profile) -> Facts {
    this_computer_with(profile, None).await
}

/// The system's proxy settings as the Zoom client reads them.
pub async fn proxy_settings() -> Fact<ProxySettings> {
    let exec = &super::command::System;
    match Os::current() {
        Os::Linux => linux_proxy(exec, &LinuxEnv::current()).await,
        Os::Windows => read(exec, &windows::proxy_spec(), windows::parse_proxy).await,
        Os::Macos => read(exec, &macos::proxy_spec(), macos::parse_scutil_proxy).await,
    }
}

/// The DNS servers this computer is set to use.
pub async fn dns_servers() -> Fact<DnsServers> {
    let exec = &super::command::System;
    match Os::current() {
        Os::Linux => linux_dns(exec, &LinuxEnv::current()).await,
        Os::Windows => {
            read(
                exec,
                &windows::dns_servers_spec(),
                windows::parse_dns_servers,
            )
            .await
        }
        Os::Macos => read(exec, &macos::dns_servers_spec(), macos::parse_scutil_dns).await,
    }
}

/// [`this_computer`], with the proxy settings already read (the run reads
/// them once for every probe).
pub async fn this_computer_with(
    profile: &crate::Profile,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    this_computer_at(crate::fixes::env::zoom_host_of(profile), proxy).await
}

/// [`this_computer_with`] for a Zoom server given as (host, port): the
/// elevated run of a fix, which reads no profile.
pub async fn this_computer_at(
    host: Option<(String, u16)>,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    let zoom = match host {
        Some((h, port)) => crate::net::resolve_system(&h, port, STEP)
            .await
            .ok()
            .and_then(|a| a.first().map(|s| s.ip())),
        None => None,
    };
    match crate::system::Os::current() {
        Os::Linux => linux(&super::command::System, &LinuxEnv::current(), zoom, proxy).await,
        Os::Windows => windows(&super::command::System, zoom, proxy).await,
        Os::Macos => macos(&super::command::System, zoom, proxy).await,
    }
}

impl Facts {
    /// Every fact unknown for the same reason.
    pub fn unread(os: Os, reason: &str) -> Facts {
        Facts {
            os,
            proxy: Fact::unknown(reason),
            winhttp: None,
            interfaces: Fact::unknown(reason),
            default_routes: Fact::unknown(reason),
            route_to_zoom: Fact::unknown(reason),
            dns_servers: Fact::unknown(reason),
            firewall: Fact::unknown(reason),
            security: Fact::unknown(reason),
            zoom: Fact::unknown(reason),
            zoom_processes: Fact::unknown(reason),
            link: Fact::unknown(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::command::{Output, Replay};
    use crate::facts::fixture;

    fn env(dir: &std::path::Path, vars: &[(&str, &str)]) -> LinuxEnv {
        std::fs::write(dir.join("resolv.conf"), "nameserver 192.168.1.1\n").unwrap();
        LinuxEnv {
            home: Some(dir.to_path_buf()),
            resolv_conf: dir.join("resolv.conf"),
            opt_zoom: dir.join("opt-zoom"),
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[tokio::test]
    async fn a_laptop_on_wifi_behind_a_vpn_with_a_proxy() {
        let dir = tempfile::tempdir().unwrap();
        let zoom: IpAddr = "203.0.113.10".parse().unwrap();
        let exec = Replay::new()
            .ok(&linux::gnome_proxy_spec(), &fixture("linux", "gsettings-proxy--manual.txt"))
            .ok(&linux::route_spec(zoom), r#"[{"dst":"203.0.113.10","dev":"tun0","prefsrc":"10.8.0.2","flags":[],"uid":1000,"cache":[]}]"#)
            .ok(&linux::routes_spec(), r#"[{"dst":"0.0.0.0/1","dev":"tun0","flags":[]},{"dst":"128.0.0.0/1","dev":"tun0","flags":[]},{"dst":"default","gateway":"192.168.1.1","dev":"wlp2s0","flags":[]}]"#)
            .ok(&linux::interfaces_spec(), r#"[{"ifname":"wlp2s0","link_type":"ether","flags":["UP","LOWER_UP"],"addr_info":[]},{"ifname":"tun0","link_type":"none","flags":["UP","LOWER_UP"],"linkinfo":{"info_kind":"tun"}}]"#)
            .ok(&linux::resolvectl_spec(), &fixture("linux", "resolvectl-status--single-link-dhcp.txt"))
            .with(&linux::ufw_spec(), Ok(Output { code: Some(1), stdout: String::new(), stderr: "ERROR: You need to be root to run this script\n".into() }))
            .ok(&linux::nmcli_spec(), &fixture("linux", "nmcli-t-device-status--vpn-active.txt"))
            .ok(&linux::iw_link_spec("wlan0"), &fixture("linux", "iw-dev-link--connected-5ghz-vht.txt"))
            .ok(&linux::dpkg_zoom_spec(), "install ok installed\t6.2.11.5069\tamd64\n");
        let f = linux(
            &exec,
            &env(dir.path(), &[("XDG_CURRENT_DESKTOP", "GNOME")]),
            Some(zoom),
            None,
        )
        .await;
        assert_eq!(
            f.proxy.value().unwrap().http.as_deref(),
            Some("proxy.corp.example:3128")
        );
        assert_eq!(f.route_to_zoom.value().unwrap().interface, "tun0");
        assert_eq!(f.default_routes.value().unwrap().len(), 3);
        assert_eq!(
            f.dns_servers.value().unwrap().servers,
            vec!["1.1.1.1".parse::<IpAddr>().unwrap()]
        );
        // ufw needs root; firewalld and nft are not installed: unknown, with every reason.
        match &f.firewall {
            Fact::Unknown { reason } => {
                assert!(reason.contains("needs administrator rights"), "{reason}");
                assert!(reason.contains("firewall-cmd is not installed"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let link = f.link.value().unwrap();
        assert_eq!(
            (link.kind, link.wifi.as_ref().and_then(|w| w.rssi_dbm)),
            (LinkKind::Wifi, Some(-44))
        );
        assert_eq!(
            f.zoom.value().unwrap().version.as_deref(),
            Some("6.2.11.5069")
        );
    }

    #[tokio::test]
    async fn a_bare_machine_says_what_it_could_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = linux(
            &Replay::new(),
            &env(dir.path(), &[("https_proxy", "http://proxy:3128")]),
            Some("203.0.113.10".parse().unwrap()),
            None,
        )
        .await;
        // No gsettings: the environment's proxy is reported.
        assert_eq!(
            f.proxy.value().unwrap().https.as_deref(),
            Some("proxy:3128")
        );
        // No resolvectl: resolv.conf.
        assert_eq!(
            f.dns_servers.value().unwrap().servers,
            vec!["192.168.1.1".parse::<IpAddr>().unwrap()]
        );
        assert!(
            matches!(f.route_to_zoom, Fact::Unknown { ref reason } if reason.contains("ip is not installed"))
        );
        assert!(matches!(f.zoom, Fact::Unknown { .. }));
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["route_to_zoom"]["state"], "unknown");
        assert_eq!(json["dns_servers"]["state"], "known");
    }

    #[tokio::test]
    async fn unexpected_output_is_a_reason_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let zoom: IpAddr = "203.0.113.10".parse().unwrap();
        let exec = Replay::new()
            .ok(
                &linux::route_spec(zoom),
                "Error: any valid prefix is expected rather than \"x\".",
            )
            .ok(&linux::ufw_spec(), "\u{1b}[31mgarbage\n");
        let f = linux(&exec, &env(dir.path(), &[]), Some(zoom), None).await;
        // dpkg without a zoom package, and a tarball in /opt/zoom.
        let dir2 = tempfile::tempdir().unwrap();
        let e2 = env(dir2.path(), &[]);
        let no_deb = Replay::new().with(
            &linux::dpkg_zoom_spec(),
            Ok(Output {
                code: Some(1),
                stdout: String::new(),
                stderr: "dpkg-query: no packages found matching zoom\n".into(),
            }),
        );
        assert_eq!(
            linux(&no_deb, &e2, None, None).await.zoom.value(),
            Some(&ZoomInstall::default())
        );
        std::fs::create_dir_all(&e2.opt_zoom).unwrap();
        std::fs::write(e2.opt_zoom.join("zoom"), b"").unwrap();
        let z = linux(&no_deb, &e2, None, None).await.zoom;
        assert_eq!(
            z.value().map(|z| (z.installed, z.install_kind.as_deref())),
            Some((true, Some("tarball")))
        );
        assert!(matches!(
            linux(&no_deb, &e2, None, None).await.route_to_zoom,
            Fact::Unknown { .. }
        ));
        assert!(
            matches!(&f.route_to_zoom, Fact::Unknown { reason } if reason.contains("could not read the output of ip -j route get"))
        );
        assert!(
            matches!(&f.firewall, Fact::Unknown { reason } if reason.contains("no Status: line"))
        );
    }

    #[tokio::test]
    async fn windows_on_a_wireguard_vpn_with_zoom_blocked_and_third_party_antivirus() {
        let w = |name: &str| fixture("windows", name);
        let zoom: IpAddr = "170.114.52.2".parse().unwrap();
        let exec = Replay::new()
            .ok(&windows::proxy_spec(), &w("ps-proxy--pac.json"))
            .ok(&windows::adapters_spec(), &w("ps-adapters--vpn-up.json"))
            .ok(
                &CommandSpec::new("route", &["print", "-4"]),
                &w("route-print-4--en-win10-wireguard.txt"),
            )
            .ok(
                &windows::route_spec(zoom),
                &w("ps-route--vpn-half-default.json"),
            )
            .ok(
                &windows::dns_servers_spec(),
                &w("ps-dns-servers--wifi-vpn.json"),
            )
            .ok(
                &windows::firewall_profiles_spec(),
                &w("ps-firewall-profiles--on.json"),
            )
            .ok(
                &windows::firewall_rules_spec(),
                &w("ps-firewall-rules--zoom-blocked.json"),
            )
            .ok(
                &windows::antivirus_spec(),
                &w("ps-antivirus--third-party.json"),
            )
            .ok(&windows::zoom_spec(), &w("ps-zoom--per-user.json"))
            .ok(
                &windows::wlan_spec(),
                &w("netsh-wlan-show-interfaces--en-win11-5ghz.txt"),
            )
            .ok(
                &windows::winhttp_spec(),
                &w("netsh-winhttp-show-proxy--en-per-scheme.txt"),
            );
        let f = windows(&exec, Some(zoom), None).await;
        assert!(f.proxy.value().unwrap().pac_url.is_some());
        // The machine-wide WinHTTP proxy is read beside the user's settings.
        let winhttp = f.winhttp.as_ref().and_then(|w| w.value()).unwrap();
        assert!(!winhttp.is_direct(), "{winhttp:?}");
        assert_eq!(f.route_to_zoom.value().unwrap().interface, "wg-corp");
        let wg = f
            .interfaces
            .value()
            .unwrap()
            .iter()
            .find(|i| i.name == "wg-corp")
            .unwrap();
        assert_eq!(wg.kind, InterfaceKind::Tunnel);
        let fw = f.firewall.value().unwrap();
        assert!(fw.zoom_rules.iter().any(|r| r.action == "block"), "{fw:?}");
        assert!(!f.security.value().unwrap().is_empty());
        assert_eq!(
            f.zoom.value().unwrap().install_kind.as_deref(),
            Some("per-user")
        );
        // The route to Zoom is the tunnel, so the link kind is not Wi-Fi.
        assert_eq!(f.link.value().unwrap().kind, LinkKind::Unknown);
        // And the checks read it as a person should.
        let checks = crate::probes::computer::judge(&f);
        let get = |id: &str| checks.iter().find(|c| c.id == id).unwrap();
        assert!(
            get("vpn").summary.contains("goes through a VPN (wg-corp)"),
            "{}",
            get("vpn").summary
        );
        assert_eq!(get("firewall").status, crate::Status::Fail);
    }

    #[tokio::test]
    async fn windows_server_without_security_center() {
        let exec = Replay::new().ok(
            &windows::antivirus_spec(),
            &fixture("windows", "ps-antivirus--server-invalid-namespace.json"),
        );
        let f = windows(&exec, None, None).await;
        assert!(
            matches!(&f.security, Fact::Unknown { reason } if reason.contains("server edition")),
            "{:?}",
            f.security
        );
    }

    #[tokio::test]
    async fn macos_on_wifi_with_a_proxy_and_zoom_blocked_by_the_firewall() {
        let m = |name: &str| fixture("macos", name);
        let zoom: IpAddr = "170.114.52.2".parse().unwrap();
        let fw = macos::firewall_specs();
        let zs = macos::zoom_specs();
        let exec = Replay::new()
            .ok(
                &macos::proxy_spec(),
                &m("scutil-proxy--manual-http-https-socks.txt"),
            )
            .ok(
                &macos::hardware_ports_spec(),
                &m("networksetup-listallhardwareports--redacted-macs.txt"),
            )
            .ok(&macos::netstat_spec(), &m("netstat-rn--plain-vm.txt"))
            .ok(&macos::route_spec(zoom), &m("route-n-get--default-en0.txt"))
            .ok(
                &macos::dns_servers_spec(),
                &m("scutil-dns--tailscale-utun-supplemental.txt"),
            )
            .ok(
                &fw[0],
                &m("socketfilterfw-getglobalstate--enabled-state1.txt"),
            )
            .ok(&fw[2], &m("socketfilterfw-getappblocked--zoom-blocked.txt"))
            .ok(&fw[3], &m("socketfilterfw-listapps--newer-format.txt"))
            .ok(
                &macos::security_spec(),
                &m("systemextensionsctl-list--crowdstrike-zscaler.txt"),
            )
            .ok(&zs[0], &m("Info.plist--zoom-us-app.xml"))
            .ok(&zs[1], "x86_64 arm64\n")
            .ok(
                &macos::airport_json_spec(),
                &m("system-profiler-SPAirPortDataType-json--connected-5ghz.json"),
            );
        let f = macos(&exec, Some(zoom), None).await;
        assert!(f.proxy.value().unwrap().http.is_some());
        assert_eq!(f.route_to_zoom.value().unwrap().interface, "en0");
        assert_eq!(f.link.value().unwrap().kind, LinkKind::Wifi);
        assert!(f.link.value().unwrap().wifi.is_some());
        assert!(f
            .firewall
            .value()
            .unwrap()
            .blocked_apps
            .iter()
            .any(|a| a.contains("zoom")));
        assert!(
            f.security
                .value()
                .unwrap()
                .iter()
                .any(|p| p.name.contains("CrowdStrike")),
            "{:?}",
            f.security
        );
        let z = f.zoom.value().unwrap();
        assert!(z.installed);
        assert_eq!(z.arch.as_deref(), Some("universal"));
        let checks = crate::probes::computer::judge(&f);
        assert_eq!(
            checks.iter().find(|c| c.id == "firewall").unwrap().status,
            crate::Status::Fail
        );
    }

    #[tokio::test]
    async fn macos_without_zoom_installed() {
        let zs = macos::zoom_specs();
        let exec = Replay::new().with(
            &zs[0],
            Ok(Output {
                code: Some(1),
                stdout: String::new(),
                stderr: "file does not exist or is not readable\n".into(),
            }),
        );
        let f = macos(&exec, None, None).await;
        assert_eq!(f.zoom.value(), Some(&ZoomInstall::default()));
    }

    #[test]
    fn an_inactive_firewall_front_end_does_not_hide_nftables() {
        let state = |product: &str, enabled: bool, rules: Vec<FirewallRule>| FirewallState {
            product: product.into(),
            profiles: vec![FirewallProfile {
                name: "default".into(),
                enabled,
                default_inbound: None,
                default_outbound: None,
            }],
            zoom_rules: rules,
            ..Default::default()
        };
        let known = |s: FirewallState| Fact::Known {
            value: s,
            source: "test".into(),
        };
        let block = FirewallRule {
            id: None,
            name: "udp dport 3478 drop".into(),
            direction: "out".into(),
            action: "block".into(),
            enabled: true,
            program: None,
        };
        // ufw off, a drop rule set directly in nftables: the rule is what counts.
        let f = pick_firewall(
            vec![
                known(state("ufw", false, vec![])),
                Fact::unknown("firewall-cmd is not installed"),
            ],
            known(state("nftables", true, vec![block.clone()])),
        );
        assert_eq!(f.value().unwrap().product, "nftables");
        assert!(matches!(&f, Fact::Known { source, .. } if source.contains("ufw is off")));
        // ufw off and nftables unreadable: unknown, not "nothing blocks Zoom".
        let f = pick_firewall(
            vec![known(state("ufw", false, vec![]))],
            Fact::unknown("nft needs administrator rights"),
        );
        assert!(
            matches!(&f, Fact::Unknown { reason } if reason.contains("ufw is off") && reason.contains("needs administrator rights")),
            "{f:?}"
        );
        // ufw on speaks for the rules.
        let f = pick_firewall(
            vec![known(state("ufw", true, vec![]))],
            Fact::unknown("nft needs administrator rights"),
        );
        assert_eq!(f.value().unwrap().product, "ufw");
        // Nothing readable at all: every reason.
        let f = pick_firewall(
            vec![
                Fact::unknown("ufw is not installed"),
                Fact::unknown("firewall-cmd is not installed"),
            ],
            Fact::unknown("nft needs administrator rights"),
        );
        assert!(
            matches!(&f, Fact::Unknown { reason } if reason.contains("ufw is not installed") && reason.contains("nft needs"))
        );
        // And the check reads it: a blocking nft rule fails even with ufw off.
        let mut facts = Facts::unread(Os::Linux, "not read");
        facts.firewall = pick_firewall(
            vec![known(state("ufw", false, vec![]))],
            known(state("nftables", true, vec![block])),
        );
        let c = crate::probes::computer::judge(&facts)
            .into_iter()
            .find(|c| c.id == "firewall")
            .unwrap();
        assert_eq!(c.status, crate::Status::Fail, "{}", c.summary);
    }

    #[tokio::test]
    async fn proxy_settings_read_once_by_the_run_are_used_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let given = Fact::Known {
            value: ProxySettings {
                source: "the run".into(),
                https: Some("proxy.corp:3128".into()),
                ..Default::default()
            },
            source: "read by the run".into(),
        };
        // The environment says otherwise: it must not be read again.
        let e = env(dir.path(), &[("https_proxy", "http://other:1")]);
        for f in [
            linux(&Replay::new(), &e, None, Some(given.clone())).await,
            windows(&Replay::new(), None, Some(given.clone())).await,
            macos(&Replay::new(), None, Some(given.clone())).await,
        ] {
            assert_eq!(f.proxy, given, "{:?}", f.os);
        }
    }
}
