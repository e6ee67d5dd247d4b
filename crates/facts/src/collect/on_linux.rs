//! This Linux computer: every fact, read concurrently.

use super::*;

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
pub(super) fn running_zoom() -> Fact<crate::process::ZoomProcesses> {
    Fact::Known {
        value: crate::process::classify(&crate::process::list()),
        source: "running processes".into(),
    }
}

/// The route the OS picks for Zoom's address, when that address is known.
pub(super) async fn route_to(
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
pub(super) fn link_from_route(
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

pub(super) fn source_or_reason<T>(f: &Fact<T>) -> String {
    match f {
        Fact::Known { source, .. } => source.clone(),
        Fact::Unknown { reason } => reason.clone(),
    }
}
