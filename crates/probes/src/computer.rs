//! Checks of this computer's own settings, judged from the collected facts:
//! `proxy`, `vpn`, `firewall`, `zoom_client`, `network_type`.

use serde_json::json;

use md_facts::collect::{Fact, Facts};
use md_facts::{InterfaceKind, LinkKind};
use md_model::finding::{Finding, Status};
use md_model::ids::CheckId;

/// The ids this probe reports.
pub const IDS: &[CheckId] = &[
    CheckId::Proxy,
    CheckId::Vpn,
    CheckId::Firewall,
    CheckId::SecuritySoftware,
    CheckId::ZoomClient,
    CheckId::NetworkType,
];

fn unknown(id: CheckId, what: &str, reason: &str) -> Finding {
    Finding::new(id, Status::Unknown, format!("Couldn't check {what}."))
        .detail(reason.to_string())
        .evidence(json!({ "reason": reason }))
}

pub fn judge(facts: &Facts) -> Vec<Finding> {
    vec![
        proxy(facts),
        vpn(facts),
        firewall(facts),
        security_software(facts),
        zoom_client(facts),
        network_type(facts),
    ]
}

fn source<T>(f: &Fact<T>) -> String {
    match f {
        Fact::Known { source, .. } => source.clone(),
        Fact::Unknown { reason } => reason.clone(),
    }
}

fn proxy(facts: &Facts) -> Finding {
    let id = CheckId::Proxy;
    let Some(p) = facts.proxy.value() else {
        return unknown(id, "the proxy settings", &source(&facts.proxy));
    };
    let ev = json!({ "settings": p, "read_from": source(&facts.proxy) });
    let summary = if p.is_direct() {
        "No proxy is set up on this computer.".to_string()
    } else if let Some(url) = &p.pac_url {
        format!("Web traffic follows an automatic proxy script ({url}); if Zoom can't connect, the proxy may be why.")
    } else if p.auto_detect {
        "Web traffic looks for a proxy automatically; if Zoom can't connect, the proxy may be why."
            .to_string()
    } else {
        let via = p
            .https
            .as_ref()
            .or(p.http.as_ref())
            .or(p.socks.as_ref())
            .cloned()
            .unwrap_or_default();
        format!("Web traffic goes through a proxy ({via}); if Zoom can't connect, the proxy may be why.")
    };
    // A proxy is a fact, not a fault: the diagnosis decides with the network checks.
    Finding::new(id, Status::Pass, summary)
        .detail(format!(
            "{} (read from {})",
            serde_json::to_string(p).unwrap_or_default(),
            source(&facts.proxy)
        ))
        .evidence(ev)
}

fn vpn(facts: &Facts) -> Finding {
    let id = CheckId::Vpn;
    let Some(route) = facts.route_to_zoom.value() else {
        return unknown(
            id,
            "whether a VPN carries Zoom's traffic",
            &source(&facts.route_to_zoom),
        );
    };
    let ifaces = facts.interfaces.value().cloned().unwrap_or_default();
    let kind = ifaces
        .iter()
        .find(|i| i.name == route.interface)
        .map(|i| i.kind)
        .or_else(|| tunnel_by_name(&route.interface).then_some(InterfaceKind::Tunnel));
    let Some(kind) = kind else {
        // The route is known but not what kind of interface it leaves by
        // (VPN adapters can be named "Ethernet 2"): no claim either way.
        return Finding::new(
            id,
            Status::Unknown,
            "Couldn't tell whether Zoom's traffic goes through a VPN.",
        )
        .detail(format!(
            "route to {} leaves by {}, an interface this computer's list did not describe ({})",
            route.destination,
            route.interface,
            source(&facts.interfaces)
        ))
        .evidence(json!({ "route": route, "interfaces": source(&facts.interfaces) }));
    };
    let tunnel = matches!(kind, InterfaceKind::Tunnel | InterfaceKind::Ppp);
    let half_defaults: Vec<String> = facts
        .default_routes
        .value()
        .map(|d| {
            d.iter()
                .filter(|r| r.prefix.ends_with("/1"))
                .map(|r| format!("{} via {}", r.prefix, r.interface))
                .collect()
        })
        .unwrap_or_default();
    let ev =
        json!({ "route": route, "interface_kind": kind, "half_default_routes": half_defaults });
    let detail = format!(
        "route to {}: dev {}{}; interface kind {}{}",
        route.destination,
        route.interface,
        route
            .gateway
            .map(|g| format!(" via {g}"))
            .unwrap_or_default(),
        format!("{kind:?}").to_lowercase(),
        if half_defaults.is_empty() {
            String::new()
        } else {
            format!("; half-default routes: {}", half_defaults.join(", "))
        }
    );
    let summary = if tunnel {
        format!(
            "Zoom's traffic goes through a VPN ({}); if Zoom can't connect, try without it.",
            route.interface
        )
    } else {
        "Zoom's traffic does not go through a VPN.".to_string()
    };
    Finding::new(id, Status::Pass, summary)
        .detail(detail)
        .evidence(ev)
}

/// Tunnel interfaces that interface lists may omit (macOS utun, ipsec).
fn tunnel_by_name(name: &str) -> bool {
    ["utun", "tun", "tap", "wg", "ppp", "ipsec"]
        .iter()
        .any(|p| name.starts_with(p))
}

fn firewall(facts: &Facts) -> Finding {
    let id = CheckId::Firewall;
    let Some(fw) = facts.firewall.value() else {
        return unknown(id, "the firewall", &source(&facts.firewall));
    };
    let ev = json!({ "state": fw, "read_from": source(&facts.firewall) });
    let blocking: Vec<&str> = fw
        .zoom_rules
        .iter()
        .filter(|r| r.enabled && r.action == "block")
        .map(|r| r.name.as_str())
        .collect();
    let zoom_blocked_app = fw
        .blocked_apps
        .iter()
        .any(|a| a.to_ascii_lowercase().contains("zoom"));
    let enabled = fw.profiles.iter().any(|p| p.enabled);
    let out_blocked = fw.profiles.iter().any(|p| {
        p.enabled
            && matches!(
                p.default_outbound.as_deref(),
                Some("block" | "deny" | "drop" | "reject")
            )
    });
    let detail = format!(
        "{}: {}; rules about Zoom: {}",
        fw.product,
        if fw.profiles.is_empty() {
            "no filtering chains".to_string()
        } else {
            fw.profiles
                .iter()
                .map(|p| {
                    format!(
                        "{} {} (in: {}, out: {})",
                        p.name,
                        if p.enabled { "on" } else { "off" },
                        p.default_inbound.as_deref().unwrap_or("?"),
                        p.default_outbound.as_deref().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        },
        if fw.zoom_rules.is_empty() {
            "none".to_string()
        } else {
            fw.zoom_rules
                .iter()
                .map(|r| format!("{} ({} {})", r.name, r.direction, r.action))
                .collect::<Vec<_>>()
                .join("; ")
        }
    );
    let (status, summary) = if !blocking.is_empty() || zoom_blocked_app {
        (
            Status::Fail,
            format!(
                "A firewall rule on this computer blocks Zoom ({}).",
                fw.product
            ),
        )
    } else if out_blocked {
        (Status::Warn, "The firewall on this computer blocks outgoing connections it doesn't know; Zoom may need to be allowed.".to_string())
    } else if enabled {
        (
            Status::Pass,
            "The firewall on this computer is on and doesn't block Zoom.".to_string(),
        )
    } else {
        (
            Status::Pass,
            "No firewall on this computer blocks Zoom.".to_string(),
        )
    };
    Finding::new(id, status, summary)
        .detail(detail)
        .evidence(ev)
}

fn security_software(facts: &Facts) -> Finding {
    let id = CheckId::SecuritySoftware;
    let Some(products) = facts.security.value() else {
        return unknown(id, "for security software", &source(&facts.security));
    };
    let ev = json!({ "products": products, "read_from": source(&facts.security) });
    let names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
    let summary = if names.is_empty() {
        "No antivirus or security software was found that could filter Zoom.".to_string()
    } else {
        // Present is not guilty: if Zoom fails, allow Zoom in it, never turn it off.
        format!("Security software is running ({}); if Zoom can't connect, ask for Zoom to be allowed in it.", names.join(", "))
    };
    let detail = if products.is_empty() {
        format!("looked in: {}", source(&facts.security))
    } else {
        products
            .iter()
            .map(|p| {
                format!(
                    "{} (seen in {}; protection {}; up to date {})",
                    p.name,
                    p.seen_in,
                    p.enabled.map_or("?", |e| if e { "on" } else { "off" }),
                    p.up_to_date.map_or("?", |u| if u { "yes" } else { "no" })
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    Finding::new(id, Status::Pass, summary)
        .detail(detail)
        .evidence(ev)
}

fn zoom_client(facts: &Facts) -> Finding {
    let id = CheckId::ZoomClient;
    let procs = facts.zoom_processes.value().cloned().unwrap_or_default();
    let lingering: Vec<String> = procs
        .lingering()
        .iter()
        .map(|p| format!("{} (pid {})", p.name, p.pid))
        .collect();
    let running_line = if procs.running() {
        format!(
            "running: {}",
            procs
                .main
                .iter()
                .map(|p| format!("{} (pid {})", p.name, p.pid))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        "not running".to_string()
    };
    let Some(z) = facts.zoom.value() else {
        return unknown(id, "the Zoom app", &source(&facts.zoom));
    };
    let ev = json!({
        "install": z,
        "read_from": source(&facts.zoom),
        "processes": procs,
        "lingering": lingering,
    });
    if !lingering.is_empty() {
        return Finding::new(
            id,
            Status::Warn,
            "Parts of Zoom are still running after Zoom was closed; they can stop it from starting cleanly.",
        )
        .detail(format!("left running without the Zoom app: {}", lingering.join(", ")))
        .evidence(ev);
    }
    if !z.installed && !procs.running() {
        // Not found where we looked: it may be elsewhere, or used in a browser.
        return Finding::new(id, Status::Unknown, "Couldn't find the Zoom app on this computer; if you use Zoom in a browser, that's fine.")
            .detail(format!("looked in: {}", source(&facts.zoom)))
            .evidence(ev);
    }
    let version = z
        .version
        .as_deref()
        .map(|v| format!(" (version {v})"))
        .unwrap_or_default();
    let detail = format!(
        "{} install at {}; {running_line}",
        z.install_kind.as_deref().unwrap_or("?"),
        z.path.as_deref().unwrap_or("?")
    );
    if let Some(problem) = &z.arch_problem {
        return Finding::new(
            id,
            Status::Warn,
            format!("{}.", problem.trim_end_matches('.')),
        )
        .detail(format!(
            "{detail}; build: {}",
            z.arch.as_deref().unwrap_or("?")
        ))
        .evidence(ev);
    }
    Finding::new(
        id,
        Status::Pass,
        format!("The Zoom app is installed{version}."),
    )
    .detail(detail)
    .evidence(ev)
}

// Wi-Fi signal limits: below -70 dBm (or 40 %) video calls suffer; common
// Wi-Fi guidance (e.g. Cisco and Apple enterprise deployment guides) puts
// -67 dBm as the minimum for real-time voice and video.
const WEAK_DBM: i32 = -70;
const WEAK_PERCENT: u8 = 40;

fn network_type(facts: &Facts) -> Finding {
    let id = CheckId::NetworkType;
    let Some(link) = facts.link.value() else {
        return unknown(id, "how this computer is connected", &source(&facts.link));
    };
    let ev = json!({ "link": link, "read_from": source(&facts.link) });
    let (status, summary) = match link.kind {
        LinkKind::Ethernet => (
            Status::Pass,
            "Connected by cable (Ethernet), the steadiest kind of connection.".to_string(),
        ),
        LinkKind::Cellular => (Status::Pass, "Connected over mobile data.".to_string()),
        LinkKind::Wifi => {
            let w = link.wifi.clone().unwrap_or_default();
            let weak = w.rssi_dbm.is_some_and(|r| r < WEAK_DBM)
                || w.signal_percent.is_some_and(|p| p < WEAK_PERCENT);
            let strength = w
                .rssi_dbm
                .map(|r| format!("{r} dBm"))
                .or(w.signal_percent.map(|p| format!("{p} %")))
                .map(|s| format!(" (signal {s})"))
                .unwrap_or_default();
            if weak {
                (Status::Warn, format!("Connected by Wi-Fi with a weak signal{strength}; move closer to the router or use a cable."))
            } else {
                (Status::Pass, format!("Connected by Wi-Fi{strength}."))
            }
        }
        LinkKind::Unknown => {
            return Finding::new(
                id,
                Status::Unknown,
                "Couldn't tell whether this computer uses Wi-Fi or a cable.",
            )
            .detail(format!(
                "interface {}",
                link.interface.as_deref().unwrap_or("?")
            ))
            .evidence(ev);
        }
    };
    Finding::new(id, status, summary)
        .detail(format!(
            "interface {}; Wi-Fi weak below {WEAK_DBM} dBm or {WEAK_PERCENT} %",
            link.interface.as_deref().unwrap_or("?")
        ))
        .evidence(ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use md_facts::*;
    use md_model::system::Os;

    fn known<T>(value: T) -> Fact<T> {
        Fact::Known {
            value,
            source: "test".into(),
        }
    }

    fn base() -> Facts {
        let mut f = Facts::unread(Os::Linux, "not read in this test");
        f.proxy = known(ProxySettings::default());
        f
    }

    fn by_id(facts: &Facts, id: &str) -> Finding {
        judge(facts).into_iter().find(|f| f.id == id).unwrap()
    }

    #[test]
    fn unknown_facts_are_unknown_checks_with_the_reason() {
        let f = Facts::unread(Os::Macos, "needs administrator rights");
        for finding in judge(&f) {
            assert_eq!(finding.status, Status::Unknown, "{}", finding.id);
            assert!(finding.detail.contains("needs administrator rights"));
        }
        assert_eq!(judge(&f).iter().map(|f| f.id).collect::<Vec<_>>(), IDS);
    }

    #[test]
    fn proxy_is_described_never_blamed() {
        let mut f = base();
        assert_eq!(
            by_id(&f, "proxy").summary,
            "No proxy is set up on this computer."
        );
        f.proxy = known(ProxySettings {
            https: Some("proxy.corp:3128".into()),
            ..Default::default()
        });
        let p = by_id(&f, "proxy");
        assert_eq!(p.status, Status::Pass);
        assert!(p.summary.contains("proxy.corp:3128"), "{}", p.summary);
        f.proxy = known(ProxySettings {
            pac_url: Some("http://wpad/proxy.pac".into()),
            ..Default::default()
        });
        assert!(by_id(&f, "proxy")
            .summary
            .contains("automatic proxy script (http://wpad/proxy.pac)"));
    }

    #[test]
    fn vpn_from_the_route_zoom_takes() {
        let mut f = base();
        let iface = |name: &str, kind| Interface {
            name: name.into(),
            description: None,
            kind,
            up: true,
            addresses: vec![],
        };
        f.interfaces = known(vec![
            iface("tun0", InterfaceKind::Tunnel),
            iface("wlp2s0", InterfaceKind::Wifi),
        ]);
        f.default_routes = known(vec![DefaultRoute {
            prefix: "0.0.0.0/1".into(),
            interface: "tun0".into(),
            gateway: None,
            metric: None,
        }]);
        f.route_to_zoom = known(Route {
            destination: "203.0.113.10".parse().unwrap(),
            interface: "tun0".into(),
            gateway: None,
            source: None,
        });
        let v = by_id(&f, "vpn");
        assert!(
            v.summary.contains("goes through a VPN (tun0)"),
            "{}",
            v.summary
        );
        assert!(v.detail.contains("0.0.0.0/1 via tun0"), "{}", v.detail);
        // An idle tunnel adapter that Zoom's route does not use is no VPN for Zoom.
        f.route_to_zoom = known(Route {
            destination: "203.0.113.10".parse().unwrap(),
            interface: "wlp2s0".into(),
            gateway: "192.168.1.1".parse().ok(),
            source: None,
        });
        assert_eq!(
            by_id(&f, "vpn").summary,
            "Zoom's traffic does not go through a VPN."
        );
        // An interface nobody described is no evidence of "no VPN".
        f.interfaces = Fact::Unknown {
            reason: "Get-NetAdapter failed".into(),
        };
        f.route_to_zoom = known(Route {
            destination: "203.0.113.10".parse().unwrap(),
            interface: "Ethernet 2".into(),
            gateway: None,
            source: None,
        });
        let v = by_id(&f, "vpn");
        assert_eq!(v.status, Status::Unknown, "{}", v.summary);
        assert!(v.detail.contains("Get-NetAdapter failed"), "{}", v.detail);
    }

    #[test]
    fn firewall_table() {
        let profile = |enabled, out: &str| FirewallProfile {
            name: "default".into(),
            enabled,
            default_inbound: Some("deny".into()),
            default_outbound: Some(out.into()),
        };
        let rule = |action: &str| FirewallRule {
            id: None,
            name: "3478:3479/udp DENY OUT".into(),
            direction: "out".into(),
            action: action.into(),
            enabled: true,
            program: None,
        };
        let cases = [
            (
                FirewallState {
                    product: "ufw".into(),
                    profiles: vec![profile(true, "allow")],
                    ..Default::default()
                },
                Status::Pass,
                "is on and doesn't block Zoom",
            ),
            (
                FirewallState {
                    product: "ufw".into(),
                    profiles: vec![profile(false, "allow")],
                    ..Default::default()
                },
                Status::Pass,
                "No firewall",
            ),
            (
                FirewallState {
                    product: "ufw".into(),
                    profiles: vec![profile(true, "deny")],
                    ..Default::default()
                },
                Status::Warn,
                "blocks outgoing connections",
            ),
            (
                FirewallState {
                    product: "ufw".into(),
                    profiles: vec![profile(true, "allow")],
                    zoom_rules: vec![rule("block")],
                    ..Default::default()
                },
                Status::Fail,
                "blocks Zoom (ufw)",
            ),
            (
                FirewallState {
                    product: "ufw".into(),
                    profiles: vec![profile(true, "allow")],
                    zoom_rules: vec![rule("allow")],
                    ..Default::default()
                },
                Status::Pass,
                "doesn't block Zoom",
            ),
            (
                FirewallState {
                    product: "macOS Application Firewall".into(),
                    profiles: vec![profile(true, "allow")],
                    blocked_apps: vec!["zoom.us".into()],
                    ..Default::default()
                },
                Status::Fail,
                "blocks Zoom",
            ),
        ];
        for (state, want, words) in cases {
            let mut f = base();
            f.firewall = known(state);
            let got = by_id(&f, "firewall");
            assert_eq!(got.status, want, "{}", got.summary);
            assert!(got.summary.contains(words), "{}", got.summary);
        }
    }

    #[test]
    fn zoom_app_and_link() {
        let mut f = base();
        f.zoom = known(ZoomInstall::default());
        assert_eq!(
            by_id(&f, "zoom_client").status,
            Status::Unknown,
            "not found is not proof of absence"
        );
        f.zoom = known(ZoomInstall {
            installed: true,
            version: Some("6.2.11".into()),
            ..Default::default()
        });
        assert_eq!(
            by_id(&f, "zoom_client").summary,
            "The Zoom app is installed (version 6.2.11)."
        );

        let wifi = |rssi, percent| NetworkLink {
            kind: LinkKind::Wifi,
            interface: Some("wlan0".into()),
            wifi: Some(WifiInfo {
                rssi_dbm: rssi,
                signal_percent: percent,
                ..Default::default()
            }),
        };
        f.link = known(wifi(Some(-44), None));
        assert_eq!(by_id(&f, "network_type").status, Status::Pass);
        f.link = known(wifi(Some(-78), None));
        let weak = by_id(&f, "network_type");
        assert_eq!(weak.status, Status::Warn);
        assert!(
            weak.summary.contains("weak signal (signal -78 dBm)"),
            "{}",
            weak.summary
        );
        f.link = known(wifi(None, Some(30)));
        assert_eq!(by_id(&f, "network_type").status, Status::Warn);
        f.link = known(NetworkLink {
            kind: LinkKind::Ethernet,
            interface: Some("eth0".into()),
            wifi: None,
        });
        assert!(by_id(&f, "network_type")
            .summary
            .starts_with("Connected by cable"));
        f.link = known(NetworkLink {
            kind: LinkKind::Unknown,
            interface: Some("lo".into()),
            wifi: None,
        });
        assert_eq!(by_id(&f, "network_type").status, Status::Unknown);
    }

    #[test]
    fn security_software_is_named_never_blamed() {
        let mut f = base();
        f.security = known(vec![]);
        assert_eq!(
            by_id(&f, "security_software").summary,
            "No antivirus or security software was found that could filter Zoom."
        );
        f.security = known(vec![SecurityProduct {
            name: "CrowdStrike Falcon".into(),
            enabled: Some(true),
            up_to_date: None,
            seen_in: "process falcon-sensor".into(),
        }]);
        let s = by_id(&f, "security_software");
        assert_eq!(s.status, Status::Pass);
        assert!(
            s.summary.contains("(CrowdStrike Falcon)") && s.summary.contains("allowed"),
            "{}",
            s.summary
        );
        assert!(s.detail.contains("protection on"), "{}", s.detail);
    }
}
