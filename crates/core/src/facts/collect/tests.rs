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
    assert!(matches!(&f.firewall, Fact::Unknown { reason } if reason.contains("no Status: line")));
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
