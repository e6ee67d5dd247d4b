use super::*;
use crate::fixture;

fn garbage_is_an_error<T: std::fmt::Debug>(parse: impl Fn(&str) -> Result<T, ParseError>) {
    for bad in ["", "\u{0}\u{1}garbage", "[{", "{\"x\": 1}", "Status"] {
        assert!(parse(bad).is_err(), "{bad:?} parsed");
    }
}

#[test]
fn route_get_samples() {
    let dest: IpAddr = "100.98.107.70".parse().unwrap();
    let r = parse_route_get(
        &fixture("linux", "ip-j-route-get--via-gateway-veth.txt"),
        dest,
    )
    .unwrap();
    assert_eq!(
        (r.interface.as_str(), r.gateway),
        ("vh5cde1b791fe1", Some("10.200.0.86".parse().unwrap()))
    );
    assert_eq!(r.source, Some("10.200.0.85".parse().unwrap()));
    let r = parse_route_get(
        &fixture("linux", "ip-j-route-get--on-link-lan.txt"),
        "192.168.1.133".parse().unwrap(),
    )
    .unwrap();
    assert_eq!((r.interface.as_str(), r.gateway), ("enp1s0f0", None));
    garbage_is_an_error(|t| parse_route_get(t, dest));
    assert!(parse_route_get("[]", dest).is_err());
}

#[test]
fn default_routes_include_half_defaults() {
    let text = r#"[{"dst":"default","gateway":"192.168.1.1","dev":"wlp2s0","protocol":"dhcp","metric":600,"flags":[]},
        {"dst":"0.0.0.0/1","dev":"tun0","scope":"link","flags":[]},{"dst":"128.0.0.0/1","dev":"tun0","scope":"link","flags":[]},
        {"dst":"192.168.1.0/24","dev":"wlp2s0","protocol":"kernel","scope":"link","prefsrc":"192.168.1.5","metric":600,"flags":[]}]"#;
    let d = parse_default_routes(text).unwrap();
    assert_eq!(
        d.iter()
            .map(|r| (r.prefix.as_str(), r.interface.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("0.0.0.0/0", "wlp2s0"),
            ("0.0.0.0/1", "tun0"),
            ("128.0.0.0/1", "tun0")
        ]
    );
    assert_eq!(d[0].metric, Some(600));
    garbage_is_an_error(parse_default_routes);
}

#[test]
fn interface_kinds() {
    let text = r#"[{"ifname":"lo","link_type":"loopback","flags":["LOOPBACK","UP","LOWER_UP"],"operstate":"UNKNOWN","addr_info":[{"local":"127.0.0.1"}]},
        {"ifname":"enp3s0","link_type":"ether","flags":["BROADCAST","UP","LOWER_UP"],"operstate":"UP","addr_info":[{"local":"192.168.1.5"},{"local":"fe80::1"}]},
        {"ifname":"wlp2s0","link_type":"ether","flags":["BROADCAST"],"operstate":"DOWN","addr_info":[]},
        {"ifname":"tun0","link_type":"none","flags":["POINTOPOINT","UP","LOWER_UP"],"linkinfo":{"info_kind":"tun"},"addr_info":[{"local":"10.8.0.2"}]},
        {"ifname":"wg0","link_type":"none","flags":["POINTOPOINT","NOARP","UP","LOWER_UP"],"linkinfo":{"info_kind":"wireguard"}},
        {"ifname":"docker0","link_type":"ether","flags":["UP"],"linkinfo":{"info_kind":"bridge"}},
        {"ifname":"ppp0","link_type":"ppp","flags":["UP","LOWER_UP"]}]"#;
    let i = parse_interfaces(text).unwrap();
    let kinds: Vec<(&str, InterfaceKind, bool)> =
        i.iter().map(|x| (x.name.as_str(), x.kind, x.up)).collect();
    assert_eq!(
        kinds,
        vec![
            ("lo", InterfaceKind::Loopback, true),
            ("enp3s0", InterfaceKind::Ethernet, true),
            ("wlp2s0", InterfaceKind::Wifi, false),
            ("tun0", InterfaceKind::Tunnel, true),
            ("wg0", InterfaceKind::Tunnel, true),
            ("docker0", InterfaceKind::Virtual, false),
            ("ppp0", InterfaceKind::Ppp, true),
        ]
    );
    assert_eq!(i[1].addresses.len(), 2);
    garbage_is_an_error(parse_interfaces);
}

#[test]
fn resolv_conf_and_resolvectl() {
    let d = parse_resolv_conf("# Generated\nnameserver 127.0.0.53\noptions edns0\nsearch corp.example\nnameserver fe80::1%eth0\n").unwrap();
    assert_eq!(
        d.servers,
        vec![
            "127.0.0.53".parse::<IpAddr>().unwrap(),
            "fe80::1".parse().unwrap()
        ]
    );
    assert_eq!(d.per_interface[0].domains, vec!["corp.example".to_string()]);
    assert!(parse_resolv_conf("nameserver\n").is_err());
    assert!(parse_resolv_conf("").unwrap().servers.is_empty());

    let d = parse_resolvectl_status(&fixture("linux", "resolvectl-status--single-link-dhcp.txt"))
        .unwrap();
    assert_eq!(d.servers, vec!["1.1.1.1".parse::<IpAddr>().unwrap()]);
    assert_eq!(d.per_interface[0].interface, "enp0s8");
    // A VPN link with split DNS: its servers answer only for its domains.
    let d = parse_resolvectl_status(&fixture(
        "linux",
        "resolvectl-status-link--vpn-snx-xfrm-split-dns.txt",
    ))
    .unwrap();
    let vpn = &d.per_interface[0];
    assert_eq!(vpn.interface, "snx-xfrm");
    assert_eq!(vpn.servers.len(), 2);
    assert_eq!(
        vpn.domains,
        vec!["dev.local".to_string(), "prod.local".to_string()]
    );
    assert!(
        d.servers.is_empty(),
        "a -DefaultRoute link does not take general lookups: {:?}",
        d.servers
    );
    let d = parse_resolvectl_status(&fixture(
        "linux",
        "resolvectl-status--multilink-systemd247-prefix.txt",
    ))
    .unwrap();
    assert!(!d.per_interface.is_empty());
    garbage_is_an_error(parse_resolvectl_status);
}

#[test]
fn proxy_from_environment_gnome_and_kde() {
    let p = parse_env_proxy([
        ("https_proxy", "http://user:secret@proxy.corp:3128/"),
        ("NO_PROXY", "localhost, .corp"),
        ("HTTP_PROXY", "http://proxy.corp:8080"),
    ]);
    assert_eq!(
        p.https.as_deref(),
        Some("proxy.corp:3128"),
        "credentials are dropped"
    );
    assert_eq!(p.http.as_deref(), Some("proxy.corp:8080"));
    assert_eq!(p.bypass, vec!["localhost".to_string(), ".corp".to_string()]);
    assert!(parse_env_proxy([("PATH", "/bin")]).is_direct());
    let p = parse_env_proxy([("all_proxy", "socks5://127.0.0.1:1080")]);
    assert_eq!(p.socks.as_deref(), Some("127.0.0.1:1080"));

    let manual = fixture("linux", "gsettings-proxy--manual.txt");
    let p = parse_gsettings_proxy(&manual).unwrap();
    assert_eq!(
        (p.http.as_deref(), p.https.as_deref(), p.socks.as_deref()),
        (
            Some("proxy.corp.example:3128"),
            Some("proxy.corp.example:3128"),
            None
        )
    );
    assert!(p.bypass.contains(&"localhost".to_string()));
    let p = parse_gsettings_proxy(&fixture("linux", "gsettings-proxy--auto-pac.txt")).unwrap();
    assert_eq!(
        p.pac_url.as_deref(),
        Some("http://wpad.corp.example/proxy.pac")
    );
    assert!(
        parse_gsettings_proxy(&fixture("linux", "gsettings-proxy--none.txt"))
            .unwrap()
            .is_direct()
    );
    garbage_is_an_error(parse_gsettings_proxy);

    let p = parse_kioslaverc(&fixture("linux", "kioslaverc--proxytype1-manual.txt")).unwrap();
    assert_eq!(
        (p.http.as_deref(), p.socks.as_deref()),
        (Some("127.0.0.1:7890"), Some("127.0.0.1:7890"))
    );
    assert_eq!(
        p.bypass,
        vec!["192.168.*".to_string(), "127.0.0.1".to_string()]
    );
    // ProxyType=0 with a leftover socks value: no proxy.
    assert!(parse_kioslaverc(&fixture(
        "linux",
        "kioslaverc--proxytype0-none-socks-leftover.txt"
    ))
    .unwrap()
    .is_direct());
    garbage_is_an_error(parse_kioslaverc);
}

#[test]
fn firewalls() {
    let f = parse_ufw_status(&fixture("linux", "ufw-status-verbose--active.txt")).unwrap();
    assert!(f.profiles[0].enabled);
    assert_eq!(
        (
            f.profiles[0].default_inbound.as_deref(),
            f.profiles[0].default_outbound.as_deref()
        ),
        (Some("deny"), Some("allow"))
    );
    // 80,443/tcp is a rule touching a Zoom port.
    assert!(f
        .zoom_rules
        .iter()
        .any(|r| r.name.starts_with("80,443/tcp") && r.action == "allow"));
    assert!(
        !parse_ufw_status(&fixture("linux", "ufw-status--inactive.txt"))
            .unwrap()
            .profiles[0]
            .enabled
    );
    assert!(
        parse_ufw_status(&fixture("linux", "ufw-status--active-simple.txt"))
            .unwrap()
            .zoom_rules
            .is_empty()
    );
    let blocked = parse_ufw_status("Status: active\n\nTo                         Action      From\n--                         ------      ----\n3478:3479/udp              DENY OUT    Anywhere\n").unwrap();
    assert_eq!(
        (
            blocked.zoom_rules[0].direction.as_str(),
            blocked.zoom_rules[0].action.as_str()
        ),
        ("out", "block")
    );
    garbage_is_an_error(parse_ufw_status);

    let f = parse_firewalld_list_all(&fixture(
        "linux",
        "firewall-cmd-list-all--public-custom-port.txt",
    ))
    .unwrap();
    assert_eq!(
        (f.profiles[0].name.as_str(), f.profiles[0].enabled),
        ("public", true)
    );
    garbage_is_an_error(parse_firewalld_list_all);

    let f = parse_nft_ruleset(&fixture(
        "linux",
        "nft-j-list-ruleset--policy-drop-normalized.txt",
    ))
    .unwrap();
    assert!(
        f.profiles
            .iter()
            .any(|p| p.default_inbound.as_deref() == Some("drop")
                || p.default_outbound.as_deref() == Some("drop")),
        "{:?}",
        f.profiles
    );
    assert!(parse_nft_ruleset(&fixture("linux", "nft-j-list-ruleset--ip-filter-lo.txt")).is_ok());
    garbage_is_an_error(parse_nft_ruleset);
}

#[test]
fn link_and_wifi() {
    let c = parse_nmcli_device_status(&fixture("linux", "nmcli-t-device-status--vpn-active.txt"))
        .unwrap();
    assert_eq!(
        c,
        vec![(
            "wlan0".to_string(),
            "wifi".to_string(),
            "con-vpn-1".to_string()
        )]
    );
    assert_eq!(link_kind_from_nmcli(&c[0].1), LinkKind::Wifi);
    assert_eq!(
        split_terse(r"eth0:ethernet:connected:Wired\: office"),
        vec!["eth0", "ethernet", "connected", "Wired: office"]
    );
    assert!(parse_nmcli_device_status("garbage").is_err());
    assert!(parse_nmcli_device_status("").unwrap().is_empty());

    let w = parse_iw_link(&fixture("linux", "iw-dev-link--connected-5ghz-vht.txt"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            w.ssid.as_deref(),
            w.rssi_dbm,
            w.band.as_deref(),
            w.channel,
            w.tx_rate_mbps
        ),
        (
            Some("HOME5"),
            Some(-44),
            Some("5 GHz"),
            Some(56),
            Some(866.7)
        )
    );
    assert!(parse_iw_link(&fixture(
        "linux",
        "iw-dev-link--minimal-driver-redacted.txt"
    ))
    .unwrap()
    .is_some());
    assert_eq!(parse_iw_link("Not connected.\n").unwrap(), None);
    garbage_is_an_error(parse_iw_link);
}

#[test]
fn security_products_from_process_names() {
    let names: Vec<String> = ["systemd", "falcon-sensor", "clamd", "freshclam", "bash"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let found = security_from_processes(&names);
    assert_eq!(
        found.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        vec!["CrowdStrike Falcon", "ClamAV"]
    );
    assert!(security_from_processes(&[]).is_empty());
    // Names are matched whole: "clamdscan" is not the daemon.
    assert!(security_from_processes(&["clamdscan".to_string()]).is_empty());
}

#[test]
fn zoom_from_dpkg() {
    let z = parse_dpkg_zoom("install ok installed\t6.2.11.5069\tamd64\n").unwrap();
    assert!(z.installed);
    assert_eq!(
        (
            z.version.as_deref(),
            z.arch.as_deref(),
            z.install_kind.as_deref()
        ),
        (Some("6.2.11.5069"), Some("x86_64"), Some("deb"))
    );
    let z = parse_dpkg_zoom("deinstall ok config-files\t5.17.0\tamd64\n").unwrap();
    assert!(!z.installed && z.version.is_none());
    garbage_is_an_error(parse_dpkg_zoom);
    assert!(is_zoom_port(8805) && !is_zoom_port(8811) && is_zoom_port(3478));
}

#[test]
fn zoom_from_rpm() {
    let z = parse_rpm_zoom(&fixture("linux", "rpm-q-qf-zoom--installed-x86_64.txt")).unwrap();
    assert_eq!(
        z,
        ZoomInstall {
            arch_problem: None,
            installed: true,
            version: Some("6.2.5.2440".into()),
            path: Some("/opt/zoom".into()),
            install_kind: Some("rpm".into()),
            arch: Some("x86_64".into()),
        }
    );
    assert_eq!(
        parse_rpm_zoom(&fixture("linux", "rpm-q-qf-zoom--not-installed.txt")).unwrap(),
        ZoomInstall::default()
    );
    // Two instances (an interrupted upgrade): the first line is read.
    let z = parse_rpm_zoom(&fixture("linux", "rpm-q-qf-zoom--two-versions.txt")).unwrap();
    assert_eq!(z.version.as_deref(), Some("5.17.11.3835"));
    assert_eq!(
        parse_rpm_zoom("6.2.5.2440-1\taarch64\n")
            .unwrap()
            .arch
            .as_deref(),
        Some("arm64")
    );
    garbage_is_an_error(parse_rpm_zoom);
    for bad in [
        "error: rpmdb: BDB0113 Thread/process 2370/140 failed\n",
        "package zoom is not\n",
        "6.2.5.2440-1\n",
        "6.2.5.2440-1\t\n",
        "\tx86_64\n",
        "install ok installed\t6.2.11.5069\tamd64\n",
    ] {
        assert!(parse_rpm_zoom(bad).is_err(), "{bad:?} parsed");
    }
    let spec = rpm_zoom_spec();
    assert_eq!(
        spec.args,
        ["-q", "--qf", "%{VERSION}-%{RELEASE}\t%{ARCH}\n", "zoom"]
    );
    assert!(spec.env.contains(&("LC_ALL".into(), "C".into())));
}

#[test]
fn zoom_from_flatpak() {
    let z = parse_flatpak_zoom(&fixture(
        "linux",
        "flatpak-list-app-columns--zoom-system.txt",
    ))
    .unwrap();
    assert_eq!(
        z,
        ZoomInstall {
            arch_problem: None,
            installed: true,
            version: Some("6.2.5.2440".into()),
            path: Some("flatpak us.zoom.Zoom (system)".into()),
            install_kind: Some("flatpak".into()),
            arch: Some("x86_64".into()),
        }
    );
    // An empty version cell: installed, version unknown.
    let z = parse_flatpak_zoom(&fixture(
        "linux",
        "flatpak-list-app-columns--zoom-user-no-version.txt",
    ))
    .unwrap();
    assert!(z.installed && z.version.is_none());
    assert_eq!(z.path.as_deref(), Some("flatpak us.zoom.Zoom (user)"));
    // Space-padded with a header, as on a terminal.
    let z = parse_flatpak_zoom(&fixture(
        "linux",
        "flatpak-list-app-columns--terminal-header.txt",
    ))
    .unwrap();
    assert_eq!(
        (z.installed, z.version.as_deref()),
        (true, Some("6.2.5.2440"))
    );
    for name in [
        "flatpak-list-app-columns--no-zoom.txt",
        "flatpak-list-app-columns--no-apps.txt",
    ] {
        assert_eq!(
            parse_flatpak_zoom(&fixture("linux", name)).unwrap(),
            ZoomInstall::default(),
            "{name}"
        );
    }
    // No apps at all prints nothing: a valid "not installed".
    assert!(!parse_flatpak_zoom("").unwrap().installed);
    assert!(!parse_flatpak_zoom("\n").unwrap().installed);
    // A look-alike ID is not Zoom.
    assert!(
        !parse_flatpak_zoom("us.zoom.ZoomRooms\t1.0\tx86_64\tsystem\n")
            .unwrap()
            .installed
    );
    for bad in [
        "\u{0}\u{1}garbage",
        "[{",
        "{\"x\": 1}",
        "Status",
        "error: Unknown option --columns=application,version,arch,installation\n",
        "error: No installations found\n",
        "Usage:\n  flatpak list [OPTION…] - List installed apps and/or runtimes\n",
        "us.zoom.Zoom\t6.2.5.2440\n",
        "us.zoom.Zoom\t6.2.5.2440\tx86_64\t",
    ] {
        assert!(parse_flatpak_zoom(bad).is_err(), "{bad:?} parsed");
    }
    // Truncated anywhere, the parser answers without panicking.
    let text = fixture("linux", "flatpak-list-app-columns--zoom-system.txt");
    for end in 0..=text.len() {
        let _ = parse_flatpak_zoom(&text[..end]);
    }
    assert_eq!(
        flatpak_zoom_spec().display(),
        "flatpak list --app --columns=application,version,arch,installation"
    );
}

mod nft_order_tests {
    use super::*;

    fn rule(chain: &str, right: &str, verdict: &str) -> String {
        format!(
            r#"{{"rule": {{"family": "inet", "table": "filter", "chain": "{chain}", "handle": 1, "expr": [{{"match": {{"op": "==", "left": {{"payload": {{"protocol": "udp", "field": "dport"}}}}, "right": {right}}}}}, {{"{verdict}": null}}]}}}}"#
        )
    }

    #[test]
    fn a_drop_behind_an_earlier_accept_for_the_same_ports_does_not_block() {
        let allow = rule(
            "output",
            r#"{"set": [3478, {"range": [8801, 8810]}]}"#,
            "accept",
        );
        let text = |rules: &[String]| {
            format!(
                r#"{{"nftables": [{{"chain": {{"family": "inet", "table": "filter", "name": "output", "hook": "output", "policy": "accept"}}}}, {}]}}"#,
                rules.join(", ")
            )
        };
        // The drop alone blocks.
        let fw = parse_nft_ruleset(&text(&[rule("output", "8801", "drop")])).unwrap();
        assert_eq!(fw.zoom_rules.len(), 1);
        assert_eq!(fw.zoom_rules[0].action, "block");
        // Behind an accept of the same ports (Meeting Doctor's rule), it does not.
        let fw = parse_nft_ruleset(&text(&[
            allow.clone(),
            rule("output", r#"{"set": [3478, 8801]}"#, "drop"),
        ]))
        .unwrap();
        assert!(
            fw.zoom_rules.iter().all(|r| r.action == "allow"),
            "{:?}",
            fw.zoom_rules
        );
        // A port the accept does not cover still blocks; so does a drop before it.
        let fw =
            parse_nft_ruleset(&text(&[allow.clone(), rule("output", "3479", "drop")])).unwrap();
        assert!(fw.zoom_rules.iter().any(|r| r.action == "block"));
        let fw = parse_nft_ruleset(&text(&[rule("output", "8801", "drop"), allow])).unwrap();
        assert!(fw.zoom_rules.iter().any(|r| r.action == "block"));
    }

    #[test]
    fn wide_port_ranges_are_judged_without_listing_every_port() {
        let ufw = |to: &str| {
            format!("Status: active\n\nTo      Action      From\n--      ------      ----\n{to}      DENY      Anywhere\n")
        };
        assert_eq!(
            parse_ufw_status(&ufw("1:65535/udp"))
                .unwrap()
                .zoom_rules
                .len(),
            1
        );
        assert_eq!(
            parse_ufw_status(&ufw("22,8000:9000/udp"))
                .unwrap()
                .zoom_rules
                .len(),
            1
        );
        assert!(parse_ufw_status(&ufw("9000:9999/udp"))
            .unwrap()
            .zoom_rules
            .is_empty());
        assert!(parse_ufw_status(&ufw("8810:8801/udp"))
            .unwrap()
            .zoom_rules
            .is_empty());

        let text = format!(
            r#"{{"nftables": [{}]}}"#,
            rule("input", r#"{"set": [22, {"range": [8000, 9000]}]}"#, "drop")
        );
        let fw = parse_nft_ruleset(&text).unwrap();
        assert_eq!(
            fw.zoom_rules[0].name,
            "inet filter chain input (ports [8801, 8802, 8803, 8804, 8805, 8806, 8807, 8808, 8809, 8810])"
        );
    }
}
