//! Collecting the facts of this computer: run each reader's command through
//! an executor, parse, and keep either the value or why it is not known.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::command::{CommandSpec, ExecError, Executor};
use super::linux;
use super::model::*;
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
    pub interfaces: Fact<Vec<Interface>>,
    pub default_routes: Fact<Vec<DefaultRoute>>,
    pub route_to_zoom: Fact<Route>,
    pub dns_servers: Fact<DnsServers>,
    pub firewall: Fact<FirewallState>,
    pub zoom: Fact<ZoomInstall>,
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

/// Collects the Linux facts. `zoom_address` is where Zoom's traffic would
/// go (the route to it tells whether a VPN carries it).
pub async fn linux(exec: &dyn Executor, env: &LinuxEnv, zoom_address: Option<IpAddr>) -> Facts {
    // Proxy: the desktop's setting first (what GUI apps such as Zoom read),
    // then the environment.
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
    let proxy = match (kde, gnome) {
        (k @ Fact::Known { .. }, _) => k,
        (_, Fact::Known { value, source }) if !value.is_direct() || env_proxy.is_direct() => {
            Fact::Known { value, source }
        }
        _ => Fact::Known {
            value: env_proxy,
            source: "environment variables".into(),
        },
    };

    let interfaces = read(exec, &linux::interfaces_spec(), linux::parse_interfaces).await;
    let default_routes = read(exec, &linux::routes_spec(), linux::parse_default_routes).await;
    let route_to_zoom = match zoom_address {
        Some(addr) => {
            read(exec, &linux::route_spec(addr), |t| {
                linux::parse_route_get(t, addr)
            })
            .await
        }
        None => Fact::unknown("Zoom's address could not be looked up"),
    };

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
    // resolvectl knows what is behind the 127.0.0.53 stub; resolv.conf otherwise.
    let dns_servers = first_known(vec![resolved.clone_if_useful(), resolv]);

    let firewall = first_known(vec![
        read(exec, &linux::ufw_spec(), linux::parse_ufw_status).await,
        read(
            exec,
            &linux::firewalld_spec(),
            linux::parse_firewalld_list_all,
        )
        .await,
        read(exec, &linux::nft_spec(), linux::parse_nft_ruleset).await,
    ]);

    let zoom = match exec.run(&linux::dpkg_zoom_spec(), STEP).await {
        // dpkg knows no "zoom" package: not installed as a .deb; the tarball
        // install lives in /opt/zoom.
        Ok(out) if out.stderr.contains("no packages found") => {
            let tarball = env.opt_zoom.join("zoom");
            Fact::Known {
                value: if tarball.exists() {
                    ZoomInstall {
                        installed: true,
                        path: Some(env.opt_zoom.display().to_string()),
                        install_kind: Some("tarball".into()),
                        ..Default::default()
                    }
                } else {
                    ZoomInstall::default()
                },
                source: format!("dpkg-query (no zoom package), {}", tarball.display()),
            }
        }
        _ => read(exec, &linux::dpkg_zoom_spec(), linux::parse_dpkg_zoom).await,
    };

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
        interfaces,
        default_routes,
        route_to_zoom,
        dns_servers,
        firewall,
        zoom,
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

/// Collects this computer's facts. The route is looked up for the address
/// the profile's first Zoom host resolves to (a route lookup sends nothing).
pub async fn this_computer(profile: &crate::Profile) -> Facts {
    let host = profile
        .tcp
        .iter()
        .find_map(|t| t.host.as_ref().map(|h| (h.0.clone(), t.port.0)));
    let zoom = match host {
        Some((h, port)) => crate::net::resolve_system(&h, port, STEP)
            .await
            .ok()
            .and_then(|a| a.first().map(|s| s.ip())),
        None => None,
    };
    match crate::system::Os::current() {
        Os::Linux => linux(&super::command::System, &LinuxEnv::current(), zoom).await,
        os => Facts::unread(
            os,
            "this OS's readers are parsers only for now; collecting them is not wired yet",
        ),
    }
}

impl Facts {
    /// Every fact unknown for the same reason.
    pub fn unread(os: Os, reason: &str) -> Facts {
        Facts {
            os,
            proxy: Fact::unknown(reason),
            interfaces: Fact::unknown(reason),
            default_routes: Fact::unknown(reason),
            route_to_zoom: Fact::unknown(reason),
            dns_servers: Fact::unknown(reason),
            firewall: Fact::unknown(reason),
            zoom: Fact::unknown(reason),
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
        let f = linux(&exec, &env(dir.path(), &[]), Some(zoom)).await;
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
            linux(&no_deb, &e2, None).await.zoom.value(),
            Some(&ZoomInstall::default())
        );
        std::fs::create_dir_all(&e2.opt_zoom).unwrap();
        std::fs::write(e2.opt_zoom.join("zoom"), b"").unwrap();
        let z = linux(&no_deb, &e2, None).await.zoom;
        assert_eq!(
            z.value().map(|z| (z.installed, z.install_kind.as_deref())),
            Some((true, Some("tarball")))
        );
        assert!(matches!(
            linux(&no_deb, &e2, None).await.route_to_zoom,
            Fact::Unknown { .. }
        ));
        assert!(
            matches!(&f.route_to_zoom, Fact::Unknown { reason } if reason.contains("could not read the output of ip -j route get"))
        );
        assert!(
            matches!(&f.firewall, Fact::Unknown { reason } if reason.contains("no Status: line"))
        );
    }
}
