use super::*;
use crate::fixture;

fn fx(name: &str) -> String {
    fixture("macos", name)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn ips(list: &[&str]) -> Vec<IpAddr> {
    list.iter().map(|s| ip(s)).collect()
}

/// Every prefix of `text` (cut at char boundaries, every 7th byte) goes
/// through `parse` without a panic.
fn survives_truncation<T>(text: &str, parse: impl Fn(&str) -> Result<T, ParseError>) {
    for end in (0..text.len())
        .step_by(7)
        .filter(|e| text.is_char_boundary(*e))
    {
        let _ = parse(&text[..end]);
    }
}

const GARBAGE: &[&str] = &[
    "",
    "   \n\n",
    "hello world\n",
    "\u{fffd}\u{0}\u{fffd}",
    "}}}{{{",
    ":::: : ::",
];

// 1. Proxy ---------------------------------------------------------------

#[test]
fn scutil_dictionary_reads_nesting_arrays_and_colons_in_values() {
    let d = parse_scutil_dictionary(&fx("scutil-proxy--manual-http-https-socks.txt"), "t").unwrap();
    assert_eq!(
        d.strings("ExceptionsList"),
        ["*.local", "169.254/16", "10.0.0.0/8", "*.corp.example.com"]
    );
    assert_eq!(d.get("__SCOPED__").unwrap().entries()[0].0, "en0");
    let d = parse_scutil_dictionary(&fx("scutil-proxy--pac.txt"), "t").unwrap();
    assert_eq!(
        d.str("ProxyAutoConfigURLString"),
        Some("http://wpad.company.com/wpad.dat")
    );
    assert_eq!(
        parse_scutil_dictionary("<dictionary> {\n}\n", "t").unwrap(),
        ScutilValue::Dictionary(vec![])
    );
    assert_eq!(
        parse_scutil_dictionary("<dictionary> {\n  Key :\n}\n", "t")
            .unwrap()
            .get("Key"),
        Some(&ScutilValue::Scalar(String::new()))
    );
    for bad in [
        "<dictionary> {\n  A : 1\n",
        "<dictionary> {\n  A : <array> {\n  0 : x\n}\n",
        "<dictionary> {\n}\n}\n",
        "<dictionary> {\n  no separator\n}\n",
    ] {
        assert!(parse_scutil_dictionary(bad, "t").is_err(), "{bad:?}");
    }
    let deep = format!("<dictionary> {{\n{}", "  A : <dictionary> {\n".repeat(100));
    assert!(parse_scutil_dictionary(&deep, "t").is_err());
}

#[test]
fn scutil_proxy_variants() {
    let direct = |bypass: &[&str]| ProxySettings {
        source: "scutil --proxy".into(),
        bypass: bypass.iter().map(|s| s.to_string()).collect(),
        ..ProxySettings::default()
    };
    let manual = ProxySettings {
        http: Some("proxy.corp.example.com:3128".into()),
        https: Some("proxy.corp.example.com:3128".into()),
        socks: Some("10.20.30.40:1080".into()),
        ..direct(&["*.local", "169.254/16", "10.0.0.0/8", "*.corp.example.com"])
    };
    let pac = ProxySettings {
        pac_url: Some("http://wpad.company.com/wpad.dat".into()),
        ..direct(&[])
    };
    let wpad = ProxySettings {
        auto_detect: true,
        ..direct(&["*.local", "169.254/16"])
    };
    let scoped = ProxySettings {
        source: "scutil --proxy (__SCOPED__ en7)".into(),
        http: Some("192.168.50.1:8080".into()),
        ..direct(&["*.local", "169.254/16"])
    };
    for (name, expected) in [
        ("scutil-proxy--off.txt", direct(&["*.local", "169.254/16"])),
        ("scutil-proxy--manual-http-https-socks.txt", manual),
        ("scutil-proxy--pac.txt", pac),
        ("scutil-proxy--auto-discovery.txt", wpad),
        ("scutil-proxy--scoped-only.txt", scoped),
    ] {
        let text = fx(name);
        assert_eq!(parse_scutil_proxy(&text).unwrap(), expected, "{name}");
        survives_truncation(&text, parse_scutil_proxy);
    }
    assert!(parse_scutil_proxy(&fx("scutil-proxy--off.txt"))
        .unwrap()
        .is_direct());
    let v6 = "<dictionary> {\n  HTTPEnable : 1\n  HTTPProxy : fd00::1\n  HTTPPort : 8080\n}\n";
    assert_eq!(
        parse_scutil_proxy(v6).unwrap().http.as_deref(),
        Some("[fd00::1]:8080")
    );
    let pac_off = "<dictionary> {\n  ProxyAutoConfigEnable : 0\n  ProxyAutoConfigURLString : http://x/p.pac\n}\n";
    assert!(parse_scutil_proxy(pac_off).unwrap().is_direct());
}

#[test]
fn scutil_proxy_rejects_garbage_and_truncation() {
    for text in GARBAGE {
        assert!(parse_scutil_proxy(text).is_err(), "{text:?}");
    }
    let text = fx("scutil-proxy--manual-http-https-socks.txt");
    let cut = &text[..text.len() / 2];
    let err = parse_scutil_proxy(cut).unwrap_err();
    assert!(err.message.contains("truncated"), "{err}");
    assert_eq!(err.tool, "scutil --proxy");
}

#[test]
fn networksetup_proxy() {
    for name in [
        "networksetup-getwebproxy--enabled.txt",
        "networksetup-getsecurewebproxy--enabled.txt",
    ] {
        assert_eq!(
            parse_networksetup_proxy(&fx(name)).unwrap().as_deref(),
            Some("127.0.0.1:7890"),
            "{name}"
        );
    }
    let off = "Enabled: No\nServer: \nPort: 0\nAuthenticated Proxy Enabled: 0\n";
    assert_eq!(parse_networksetup_proxy(off).unwrap(), None);
    for bad in [
        "",
        "garbage\n",
        "Enabled: Maybe\n",
        "Enabled: Yes\n",
        "Enabled: Yes\nServer: \n",
    ] {
        assert!(parse_networksetup_proxy(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        networksetup_proxy_spec("secureweb", "Wi-Fi").display(),
        "networksetup -getsecurewebproxy Wi-Fi"
    );
}

// 2. DNS -----------------------------------------------------------------

#[test]
fn scutil_dns_tailscale_split_dns() {
    let dns = parse_scutil_dns(&fx("scutil-dns--tailscale-utun-supplemental.txt")).unwrap();
    assert_eq!(dns.servers, ips(&["1.1.1.1", "8.8.8.8"]));
    assert_eq!(
        dns.per_interface,
        vec![
            InterfaceDns {
                interface: "utun12".into(),
                servers: ips(&["100.100.100.100"]),
                domains: vec!["dove-climb.ts.net".into()]
            },
            InterfaceDns {
                interface: "en0".into(),
                servers: ips(&["1.1.1.1", "8.8.8.8"]),
                domains: vec![]
            },
        ]
    );
}

#[test]
fn scutil_dns_mavericks_and_scoped_only_interfaces() {
    let dns = parse_scutil_dns(&fx("scutil-dns--mavericks-snipped.txt")).unwrap();
    assert_eq!(dns.servers, ips(&["172.31.30.10"]));
    assert_eq!(
        dns.per_interface,
        vec![
            InterfaceDns {
                interface: String::new(),
                servers: ips(&["172.31.30.10"]),
                domains: vec![]
            },
            InterfaceDns {
                interface: "en0".into(),
                servers: ips(&["172.31.30.10"]),
                domains: vec![]
            },
        ]
    );
}

#[test]
fn scutil_dns_empty_garbage_truncated() {
    assert_eq!(
        parse_scutil_dns("DNS configuration\n\nNo DNS configuration available\n").unwrap(),
        DnsServers::default()
    );
    assert_eq!(
        parse_scutil_dns("DNS configuration\n").unwrap(),
        DnsServers::default()
    );
    for text in GARBAGE {
        assert!(parse_scutil_dns(text).is_err(), "{text:?}");
    }
    let cut = "DNS configuration\n\nresolver #1\n  nameserver[0] : 172.31.";
    assert!(parse_scutil_dns(cut)
        .unwrap_err()
        .message
        .contains("172.31."));
    survives_truncation(
        &fx("scutil-dns--tailscale-utun-supplemental.txt"),
        parse_scutil_dns,
    );
}

// 3. Routes / VPN --------------------------------------------------------

#[test]
fn route_get_samples() {
    let dest = ip("0.0.0.0");
    for (name, gateway) in [
        ("route-n-get--default-en0.txt", "10.0.2.2"),
        ("route-n-get--default-en0-b.txt", "10.160.24.1"),
        ("route-n-get--default-global-flag.txt", "10.33.79.254"),
    ] {
        let route = parse_route_get(&fx(name), dest).unwrap();
        assert_eq!(
            route,
            Route {
                destination: dest,
                interface: "en0".into(),
                gateway: Some(ip(gateway)),
                source: None
            },
            "{name}"
        );
        survives_truncation(&fx(name), |t| parse_route_get(t, dest));
    }
    let tunnel = "   route to: 203.0.113.5\ndestination: default\n       mask: default\n  interface: utun3\n      flags: <UP,DONE,STATIC>\n";
    assert_eq!(
        parse_route_get(tunnel, ip("203.0.113.5")).unwrap().gateway,
        None
    );
    assert_eq!(
        parse_route_get(tunnel, ip("203.0.113.5"))
            .unwrap()
            .interface,
        "utun3"
    );
    let none = "route: writing to routing socket: not in table\n";
    assert!(parse_route_get(none, dest)
        .unwrap_err()
        .message
        .contains("no route to 0.0.0.0"));
    for text in GARBAGE.iter().chain(&["   route to: default\n"]) {
        assert!(parse_route_get(text, dest).is_err(), "{text:?}");
    }
}

#[test]
fn route_spec_per_family() {
    assert_eq!(
        route_spec(ip("170.114.52.2")).display(),
        "route -n get 170.114.52.2"
    );
    assert_eq!(
        route_spec(ip("2001:db8::1")).display(),
        "route -n get -inet6 2001:db8::1"
    );
    assert_eq!(route_spec(ip("170.114.52.2")).env.len(), 2);
}

#[test]
fn netstat_defaults_in_every_sample() {
    let d = |prefix: &str, interface: &str, gateway: Option<&str>| DefaultRoute {
        prefix: prefix.into(),
        interface: interface.into(),
        gateway: gateway.map(ip),
        metric: None,
    };
    for (name, expected) in [
        (
            "netstat-rn--plain-vm.txt",
            vec![d("0.0.0.0/0", "en0", Some("10.0.2.2"))],
        ),
        (
            "netstat-rnl--utun-ipv6-defaults.txt",
            vec![d("0.0.0.0/0", "en0", Some("192.168.1.254"))],
        ),
        (
            "netstat-nr--wireguard-utun3-default-prefix.txt",
            vec![
                d("0.0.0.0/0", "utun3", None),
                d("0.0.0.0/0", "en0", Some("172.20.10.1")),
            ],
        ),
        (
            "netstat-nr-f-inet--wg-quick-0slash1-utun0.txt",
            vec![d("0.0.0.0/1", "utun0", None), d("0.0.0.0/0", "utun0", None)],
        ),
        (
            "netstat-rn--fulltunnel-vpn-utun2-prefix.txt",
            vec![
                d("0.0.0.0/0", "utun2", Some("172.20.12.27")),
                d("0.0.0.0/0", "en0", Some("10.0.0.1")),
            ],
        ),
        (
            "netstat-rn--split-tunnel-openvpn-utun4-prefix.txt",
            vec![d("0.0.0.0/0", "en0", Some("192.168.68.1"))],
        ),
        (
            "netstat-rn--utun3-default-trimmed.txt",
            vec![
                d("0.0.0.0/0", "utun3", None),
                d("0.0.0.0/0", "en0", Some("192.168.1.254")),
            ],
        ),
        (
            "netstat-rn-f-inet--openvpn-def1-utun5.txt",
            vec![
                d("0.0.0.0/1", "utun5", Some("10.8.0.1")),
                d("0.0.0.0/0", "en0", Some("192.168.1.1")),
                d("128.0.0.0/1", "utun5", Some("10.8.0.1")),
            ],
        ),
    ] {
        assert_eq!(
            parse_netstat_defaults(&fx(name)).unwrap(),
            expected,
            "{name}"
        );
        survives_truncation(&fx(name), parse_netstat_defaults);
    }
}

#[test]
fn netstat_empty_garbage_truncated() {
    for text in GARBAGE {
        assert!(parse_netstat_defaults(text).is_err(), "{text:?}");
    }
    let header = "Routing tables\n\nInternet:\nDestination        Gateway            Flags        Netif Expire\n";
    assert_eq!(parse_netstat_defaults(header).unwrap(), vec![]);
    assert!(
        parse_netstat_defaults(&format!("{header}default            10.0."))
            .unwrap_err()
            .message
            .contains("truncated")
    );
    assert_eq!(default_prefix("10.128/9"), None);
    assert_eq!(default_prefix("128.0/1").as_deref(), Some("128.0.0.0/1"));
    assert_eq!(default_prefix("1.2.3.4.5/1"), None);
}

#[test]
fn nc_list() {
    assert_eq!(
        parse_nc_list(&fx("scutil-nc-list--pptp-redacted.txt")).unwrap(),
        vec![("myVPName".to_string(), false)]
    );
    assert_eq!(
        parse_nc_list(&fx("scutil-nc-list--vpn-connected.txt")).unwrap(),
        vec![
            ("Office VPN".to_string(), true),
            ("Old L2TP".to_string(), false)
        ]
    );
    assert_eq!(
        parse_nc_list("Available network connection services in the current set (*=enabled):\n")
            .unwrap(),
        vec![]
    );
    for text in GARBAGE {
        assert!(parse_nc_list(text).is_err(), "{text:?}");
    }
    let cut = "Available network connection services in the current set (*=enabled):\n* (Connected)   A2  PPP --> PPTP  \"myV";
    assert!(parse_nc_list(cut).is_err());
}

#[test]
fn global_ipv4_primary_interface() {
    let text = fx("scutil-show-State-Network-Global-IPv4--utun4-primary.txt");
    assert_eq!(parse_global_ipv4(&text).unwrap().as_deref(), Some("utun4"));
    assert_eq!(parse_global_ipv4("  No such key\n").unwrap(), None);
    for text in GARBAGE {
        assert!(parse_global_ipv4(text).is_err(), "{text:?}");
    }
    survives_truncation(&text, parse_global_ipv4);
}

#[test]
fn hardware_ports_map_to_kinds() {
    let ports =
        parse_hardware_ports(&fx("networksetup-listallhardwareports--redacted-macs.txt")).unwrap();
    let got: Vec<(&str, &str, InterfaceKind)> = ports
        .iter()
        .map(|i| (i.name.as_str(), i.description.as_deref().unwrap(), i.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("en5", "Ethernet Adapter (en5)", InterfaceKind::Ethernet),
            ("en8", "ThinkPad Lan", InterfaceKind::Ethernet),
            ("en6", "Ethernet Adapter (en6)", InterfaceKind::Ethernet),
            ("en7", "Ethernet Adapter (en7)", InterfaceKind::Ethernet),
            ("bridge0", "Thunderbolt Bridge", InterfaceKind::Virtual),
            ("en0", "Wi-Fi", InterfaceKind::Wifi),
            ("en1", "Thunderbolt 1", InterfaceKind::Other),
            ("en2", "Thunderbolt 2", InterfaceKind::Other),
            ("en3", "Thunderbolt 3", InterfaceKind::Other),
        ]
    );
    assert!(ports.iter().all(|i| !i.up && i.addresses.is_empty()));
    for (port, kind) in [
        ("Thunderbolt Ethernet", InterfaceKind::Ethernet),
        ("USB 10/100/1000 LAN", InterfaceKind::Ethernet),
        ("AirPort", InterfaceKind::Wifi),
        ("iPhone USB", InterfaceKind::Cellular),
        ("Bluetooth PAN", InterfaceKind::Other),
    ] {
        assert_eq!(hardware_port_kind(port), kind, "{port}");
    }
    assert_eq!(
        parse_hardware_ports("\nVLAN Configurations\n===================\n").unwrap(),
        vec![]
    );
    for text in GARBAGE.iter().chain(&[
        "Hardware Port: Wi-Fi\n",
        "Hardware Port: Wi-Fi\nHardware Port: Ethernet\nDevice: en1\n",
    ]) {
        assert!(parse_hardware_ports(text).is_err(), "{text:?}");
    }
}

// 4. Firewall ------------------------------------------------------------

#[test]
fn socketfilterfw_global_in_every_wording() {
    for (name, expected) in [
        (
            "socketfilterfw-getglobalstate--enabled-state1.txt",
            (true, false),
        ),
        (
            "socketfilterfw-getglobalstate--state2-block-all-old-wording.txt",
            (true, true),
        ),
        (
            "socketfilterfw-getglobalstate--state2-sequoia-wording.txt",
            (true, true),
        ),
        ("socketfilterfw-getglobalstate--off.txt", (false, false)),
        (
            "socketfilterfw-getglobalstate-getblockall--block-all.txt",
            (true, true),
        ),
        // State 2 with block-all explicitly off (stealth mode): not block all.
        ("socketfilterfw-state--stealth-logging.txt", (true, false)),
        // Off, then on: the last answer counts.
        (
            "socketfilterfw-setglobalstate--off-then-on.txt",
            (true, false),
        ),
    ] {
        assert_eq!(
            parse_socketfilterfw_global(&fx(name)).unwrap(),
            expected,
            "{name}"
        );
    }
    for (text, expected) in [
        ("Firewall is enabled.\n", (true, false)),
        (
            "Firewall is disabled.\nFirewall has block all state set to enabled.\n",
            (false, false),
        ),
        (
            "Firewall is enabled. (State = 1)\nBlock all ENABLED!\n",
            (true, true),
        ),
    ] {
        assert_eq!(
            parse_socketfilterfw_global(text).unwrap(),
            expected,
            "{text:?}"
        );
    }
    for text in GARBAGE.iter().chain(&[
        "Firewall is enabled. (State = 7)\n",
        "Firewall is en",
        "Firewall has block all state set to enabled.\n",
    ]) {
        assert!(parse_socketfilterfw_global(text).is_err(), "{text:?}");
    }
}

#[test]
fn socketfilterfw_listapps_both_formats() {
    let newer =
        parse_socketfilterfw_listapps(&fx("socketfilterfw-listapps--newer-format.txt")).unwrap();
    assert_eq!(newer.len(), 6);
    assert_eq!(newer[1], ("Pop Helper.app".to_string(), true));
    assert_eq!(newer[0], ("replicatord".to_string(), false));
    let zoom =
        parse_socketfilterfw_listapps(&fx("socketfilterfw-listapps--zoom-blocked.txt")).unwrap();
    assert_eq!(zoom[0], ("zoom.us".to_string(), true));
    let older = "ALF: total number of apps = 2 \n\n1 :  /Applications/Dropbox.app \n \t ( Allow incoming connections ) \n\n2 :  /Applications/zoom.us.app \n \t ( Block incoming connections ) \n";
    assert_eq!(
        parse_socketfilterfw_listapps(older).unwrap(),
        vec![
            ("/Applications/Dropbox.app".to_string(), false),
            ("/Applications/zoom.us.app".to_string(), true)
        ]
    );
    assert_eq!(
        parse_socketfilterfw_listapps("Total number of apps = 0\n").unwrap(),
        vec![]
    );
    for text in GARBAGE
        .iter()
        .chain(&["Total number of apps = 1\n ( Block incoming connections )\n"])
    {
        assert!(parse_socketfilterfw_listapps(text).is_err(), "{text:?}");
    }
    survives_truncation(older, parse_socketfilterfw_listapps);
}

#[test]
fn socketfilterfw_appblocked_wordings() {
    assert!(
        parse_socketfilterfw_appblocked(&fx("socketfilterfw-getappblocked--zoom-blocked.txt"))
            .unwrap()
    );
    assert!(!parse_socketfilterfw_appblocked(&fx(
        "socketfilterfw-getappblocked--zoom-allowed.txt"
    ))
    .unwrap());
    for (text, blocked) in [
        (
            "The application /Applications/zoom.us.app is blocked\n",
            true,
        ),
        (
            "The application /Applications/zoom.us.app is permitted\n",
            false,
        ),
        ("Incoming connection to the application is blocked\n", true),
        (
            "The application at path ( /Applications/zoom.us.app ) is not part of the firewall\n",
            false,
        ),
        (
            "The application /Users/x/blocked/zoom.us.app is permitted\n",
            false,
        ),
    ] {
        assert_eq!(
            parse_socketfilterfw_appblocked(text).unwrap(),
            blocked,
            "{text:?}"
        );
    }
    for text in GARBAGE
        .iter()
        .chain(&["Incoming connection to /Applications/zoom.us.app is bl"])
    {
        assert!(parse_socketfilterfw_appblocked(text).is_err(), "{text:?}");
    }
}

#[test]
fn firewall_state_assembles_the_model() {
    let state = firewall_state(
        &fx("socketfilterfw-getglobalstate--enabled-state1.txt"),
        Some(&fx("socketfilterfw-listapps--zoom-blocked.txt")),
    )
    .unwrap();
    assert_eq!(state.product, "macOS Application Firewall");
    assert_eq!(
        state.profiles,
        vec![FirewallProfile {
            name: "default".into(),
            enabled: true,
            default_inbound: Some("ask".into()),
            default_outbound: Some("allow".into())
        }]
    );
    assert!(!state.blocks_all_incoming);
    assert_eq!(state.blocked_apps, vec!["zoom.us".to_string()]);
    assert_eq!(state.zoom_rules.len(), 1);
    assert_eq!(
        (
            state.zoom_rules[0].direction.as_str(),
            state.zoom_rules[0].action.as_str()
        ),
        ("in", "block")
    );

    let blocking = firewall_state(
        &fx("socketfilterfw-getglobalstate--state2-sequoia-wording.txt"),
        None,
    )
    .unwrap();
    assert!(blocking.blocks_all_incoming);
    assert_eq!(
        blocking.profiles[0].default_inbound.as_deref(),
        Some("block")
    );
    let off = firewall_state(&fx("socketfilterfw-getglobalstate--off.txt"), None).unwrap();
    assert!(!off.profiles[0].enabled && off.zoom_rules.is_empty() && off.blocked_apps.is_empty());
    assert!(firewall_state("", None).is_err());
    assert!(firewall_state("Firewall is enabled. (State = 1)\n", Some("garbage")).is_err());
}

#[test]
fn firewall_specs_are_argv() {
    let shown: Vec<String> = firewall_specs().iter().map(CommandSpec::display).collect();
    assert_eq!(
        shown,
        [
            "/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate",
            "/usr/libexec/ApplicationFirewall/socketfilterfw --getblockall",
            "/usr/libexec/ApplicationFirewall/socketfilterfw --getappblocked /Applications/zoom.us.app",
            "/usr/libexec/ApplicationFirewall/socketfilterfw --listapps",
        ]
    );
}

// 5. Security software ---------------------------------------------------

#[test]
fn system_extensions_samples() {
    let product = |name: &str, enabled: bool| SecurityProduct {
        name: name.into(),
        enabled: Some(enabled),
        up_to_date: None,
        seen_in: "system extension".into(),
    };
    for (name, expected) in [
        (
            "systemextensionsctl-list--lulu-network-extension.txt",
            vec![product("LuLu", true)],
        ),
        (
            "systemextensionsctl-list--single-row-waiting-for-user.txt",
            vec![product("LuLu", false)],
        ),
        (
            "systemextensionsctl-list--crowdstrike-zscaler.txt",
            vec![
                product("Zscaler", true),
                product("CrowdStrike Falcon", true),
                product("com.example.contentfilter.extension", true),
            ],
        ),
    ] {
        assert_eq!(
            parse_system_extensions(&fx(name)).unwrap(),
            expected,
            "{name}"
        );
        survives_truncation(&fx(name), parse_system_extensions);
    }
}

#[test]
fn system_extensions_empty_unknown_driver_and_garbage() {
    assert_eq!(parse_system_extensions("0 extension(s)\n").unwrap(), vec![]);
    let driver = "1 extension(s)\n--- com.apple.system_extension.driver_extension\nenabled\tactive\tteamID\tbundleID (version)\tname\t[state]\n*\t*\tABCDE12345\tcom.example.driver (1.0/1)\tDriver\t[activated enabled]\n";
    assert_eq!(parse_system_extensions(driver).unwrap(), vec![]);
    let stateless = "1 extension(s)\n--- com.apple.system_extension.network_extension\n*\t*\tVBG97UB4TA\tcom.objective-see.lulu.extension (2.3.0/2.3.0)\tExtension\n";
    assert_eq!(
        parse_system_extensions(stateless).unwrap()[0].enabled,
        Some(true)
    );
    for text in GARBAGE {
        assert!(parse_system_extensions(text).is_err(), "{text:?}");
    }
    assert!(SECURITY_PRODUCTS
        .iter()
        .all(|(prefix, _)| *prefix == prefix.to_ascii_lowercase()));
}

// 6. Zoom ----------------------------------------------------------------

#[test]
fn info_plist_recognises_zoom_only() {
    let zoom = parse_info_plist(&fx("Info.plist--zoom-us-app.xml")).unwrap();
    assert_eq!(
        zoom,
        ZoomInstall {
            arch_problem: None,
            installed: true,
            version: Some("5.16.10 (25689)".into()),
            path: Some("/Applications/zoom.us.app".into()),
            install_kind: Some("app bundle".into()),
            arch: None,
        }
    );
    let safari = fx("Info.plist--Safari-app-xml.txt");
    assert_eq!(parse_info_plist(&safari).unwrap(), ZoomInstall::default());
    let keys = plist_top_level_strings(&safari).unwrap();
    assert!(keys.contains(&("CFBundleShortVersionString".into(), "15.6".into())));
    assert!(keys.contains(&("CFBundleVersion".into(), "17613.3.9.1.5".into())));
    // Nested dictionaries' keys are not the bundle's.
    assert!(!keys.iter().any(|(k, _)| k == "CFBundleTypeName"));
    for text in GARBAGE.iter().chain(&["<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n<key>CFBundleIdentifier</key>\n<string>us.zoom"]) {
        assert!(parse_info_plist(text).is_err(), "{text:?}");
    }
    survives_truncation(&fx("Info.plist--zoom-us-app.xml"), parse_info_plist);
    assert_eq!(
        xml_unescape("a &amp; b &lt;&#x41;&#66;&bogus; &"),
        "a & b <AB&bogus; &"
    );
}

#[test]
fn lipo_archs() {
    for (text, expected) in [
        ("x86_64 arm64\n", "universal"),
        ("arm64\n", "arm64"),
        ("x86_64\n", "x86_64"),
        ("arm64e\n", "arm64"),
    ] {
        assert_eq!(parse_lipo_archs(text).unwrap(), expected, "{text:?}");
    }
    for text in GARBAGE
        .iter()
        .chain(&["fatal error: lipo: can't open input file\n", "x86_6"])
    {
        assert!(parse_lipo_archs(text).is_err(), "{text:?}");
    }
}

#[test]
fn system_profiler_finds_zoom() {
    let text = fx("system-profiler-SPApplicationsDataType--with-zoom.txt");
    assert_eq!(
        parse_system_profiler_apps(&text).unwrap(),
        ZoomInstall {
            arch_problem: None,
            installed: true,
            version: Some("5.16.10 (25689)".into()),
            path: Some("/Applications/zoom.us.app".into()),
            install_kind: Some("app bundle".into()),
            arch: None,
        }
    );
    let arm = "Applications:\n\n    zoom.us:\n\n      Version: 6.0.2 (33403)\n      Location: /Applications/zoom.us.app\n      Kind: Apple Silicon\n";
    assert_eq!(
        parse_system_profiler_apps(arm).unwrap().arch.as_deref(),
        Some("arm64")
    );
    let other = "Applications:\n\n    Safari:\n\n      Version: 17.0\n      Location: /Applications/Safari.app\n";
    assert_eq!(
        parse_system_profiler_apps(other).unwrap(),
        ZoomInstall::default()
    );
    for text in GARBAGE {
        assert!(parse_system_profiler_apps(text).is_err(), "{text:?}");
    }
    survives_truncation(&text[..4000], parse_system_profiler_apps);
}

#[test]
fn zoom_specs_are_argv() {
    let shown: Vec<String> = zoom_specs().iter().map(CommandSpec::display).collect();
    assert_eq!(
        shown,
        [
            "plutil -convert xml1 -o - /Applications/zoom.us.app/Contents/Info.plist",
            "lipo -archs /Applications/zoom.us.app/Contents/MacOS/zoom.us"
        ]
    );
}

// 7. Wi-Fi ---------------------------------------------------------------

#[test]
fn airport_info() {
    let wifi = parse_airport_info(&fx("airport-I--connected.txt"))
        .unwrap()
        .unwrap();
    assert_eq!(
        wifi,
        WifiInfo {
            ssid: Some("SnazzleDazzle".into()),
            signal_percent: None,
            rssi_dbm: Some(-66),
            noise_dbm: Some(-90),
            channel: Some(48),
            band: Some("5 GHz".into()),
            tx_rate_mbps: Some(195.0),
        }
    );
    assert_eq!(parse_airport_info("AirPort: Off\n").unwrap(), None);
    assert_eq!(
        parse_airport_info("     agrCtlRSSI: 0\n          state: init\n").unwrap(),
        None
    );
    for text in GARBAGE {
        assert!(parse_airport_info(text).is_err(), "{text:?}");
    }
    survives_truncation(&fx("airport-I--connected.txt"), parse_airport_info);
}

#[test]
fn wdutil_info() {
    let wifi = parse_wdutil_info(&fx("wdutil-info--redacted.txt"))
        .unwrap()
        .unwrap();
    assert_eq!(
        wifi,
        WifiInfo {
            ssid: None,
            signal_percent: None,
            rssi_dbm: Some(-34),
            noise_dbm: Some(-92),
            channel: Some(101),
            band: Some("6 GHz".into()),
            tx_rate_mbps: Some(2401.0),
        }
    );
    assert_eq!(
        wdutil_channel("5g149/80"),
        (Some("5 GHz".into()), Some(149))
    );
    assert_eq!(wdutil_channel("2g6/20"), (Some("2.4 GHz".into()), Some(6)));
    assert_eq!(wdutil_channel("?"), (None, None));
    let off =
        "WIFI\n————\n    Interface Name       : en0\n    Power                : Off [Off]\n————\n";
    assert_eq!(parse_wdutil_info(off).unwrap(), None);
    for text in GARBAGE {
        assert!(parse_wdutil_info(text).is_err(), "{text:?}");
    }
    survives_truncation(&fx("wdutil-info--redacted.txt"), parse_wdutil_info);
}

#[test]
fn system_profiler_airport_json() {
    let text = fx("system-profiler-SPAirPortDataType-json--connected-5ghz.json");
    assert_eq!(
        parse_system_profiler_airport(&text).unwrap(),
        Some(WifiInfo {
            ssid: None,
            signal_percent: None,
            rssi_dbm: Some(-58),
            noise_dbm: Some(-92),
            channel: Some(149),
            band: Some("5 GHz".into()),
            tx_rate_mbps: Some(866.0),
        })
    );
    let numeric = r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[{"_name":"en1","spairport_current_network_information":{"_name":"Cafe","spairport_network_channel":6}}]}]}"#;
    let wifi = parse_system_profiler_airport(numeric).unwrap().unwrap();
    assert_eq!(
        (wifi.ssid.as_deref(), wifi.channel, wifi.band.as_deref()),
        (Some("Cafe"), Some(6), Some("2.4 GHz"))
    );
    let off = r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[{"_name":"en0","spairport_status_information":"spairport_status_off"}]}]}"#;
    assert_eq!(parse_system_profiler_airport(off).unwrap(), None);
    assert_eq!(
        parse_system_profiler_airport(r#"{"SPAirPortDataType":[]}"#).unwrap(),
        None
    );
    for text in GARBAGE.iter().chain(&["{}", "[1,2]"]) {
        assert!(parse_system_profiler_airport(text).is_err(), "{text:?}");
    }
    survives_truncation(&text, parse_system_profiler_airport);
    assert!(parse_system_profiler_airport(&text[..text.len() / 2]).is_err());
}

#[test]
fn every_spec_runs_in_the_c_locale() {
    let mut specs = vec![
        proxy_spec(),
        dns_servers_spec(),
        netstat_spec(),
        nc_list_spec(),
        hardware_ports_spec(),
        security_spec(),
        wdutil_spec(),
        airport_json_spec(),
        networksetup_proxy_spec("web", "Wi-Fi"),
    ];
    specs.extend(firewall_specs());
    specs.extend(zoom_specs());
    for spec in specs {
        assert!(
            spec.env.contains(&("LC_ALL".into(), "C".into())),
            "{}",
            spec.display()
        );
    }
    assert_eq!(proxy_spec().display(), "scutil --proxy");
    assert_eq!(dns_servers_spec().display(), "scutil --dns");
    assert_eq!(netstat_spec().display(), "netstat -rn -f inet");
    assert_eq!(nc_list_spec().display(), "scutil --nc list");
    assert_eq!(security_spec().display(), "systemextensionsctl list");
}

// 8. Machine architecture ------------------------------------------------

#[test]
fn hw_optional_arm64() {
    assert!(parse_hw_optional_arm64(&fx("sysctl-n-hw-optional-arm64--apple-silicon.txt")).unwrap());
    assert!(
        parse_hw_optional_arm64(&fx("sysctl-hw-optional-arm64--apple-silicon-without-n.txt"))
            .unwrap()
    );
    assert!(!parse_hw_optional_arm64("0\n").unwrap());
    for text in GARBAGE
        .iter()
        .chain(&["2\n", "1 1\n", "hw.optional.arm64:\n", "true\n"])
    {
        assert!(parse_hw_optional_arm64(text).is_err(), "{text:?}");
    }
    // An Intel Mac: nothing on stdout, the key unknown on stderr.
    let stderr = fx("sysctl-n-hw-optional-arm64--intel-unknown-oid-stderr.txt");
    assert!(sysctl_unknown_oid(&stderr));
    assert!(parse_hw_optional_arm64("").is_err());
    assert!(!sysctl_unknown_oid("sysctl: command not found\n"));
    assert_eq!(machine_arch_spec().display(), "sysctl -n hw.optional.arm64");
    assert!(machine_arch_spec()
        .env
        .contains(&("LC_ALL".into(), "C".into())));
}

#[test]
fn zoom_build_against_the_machine() {
    // The vocabulary is parse_lipo_archs's.
    let arch = |t: &str| parse_lipo_archs(t).unwrap();
    let rosetta = arch_mismatch(true, &arch("x86_64\n")).unwrap();
    assert!(rosetta.contains("Rosetta") && rosetta.contains("Apple Silicon build"));
    assert!(arch_mismatch(true, &arch("x86_64h\n")).is_some());
    let cannot = arch_mismatch(false, &arch("arm64\n")).unwrap();
    assert!(cannot.contains("cannot run") && cannot.contains("Intel Mac"));
    assert!(arch_mismatch(false, &arch("arm64e\n")).is_some());
    for (machine_is_arm, zoom) in [
        (true, arch("x86_64 arm64\n")),
        (false, arch("x86_64 arm64\n")),
        (true, arch("arm64\n")),
        (false, arch("x86_64\n")),
        (true, "universal".to_string()),
        (true, String::new()),
        (false, "ppc".to_string()),
    ] {
        assert_eq!(
            arch_mismatch(machine_is_arm, &zoom),
            None,
            "{machine_is_arm} {zoom:?}"
        );
    }
    // system_profiler's words, as parse_system_profiler_apps maps them.
    let apps = "Applications:\n\n    zoom.us:\n\n      Version: 5.16.10 (25689)\n      Location: /Applications/zoom.us.app\n      Kind: Intel\n";
    let zoom = parse_system_profiler_apps(apps).unwrap();
    assert!(arch_mismatch(true, zoom.arch.as_deref().unwrap()).is_some());
    assert!(
        arch_mismatch(true, "X86_64").is_some(),
        "case does not matter"
    );
}
