use super::*;
use crate::fixture;

fn win(name: &str) -> String {
    fixture("windows", name)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn ips(list: &[&str]) -> Vec<IpAddr> {
    list.iter().map(|s| ip(s)).collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// Every parser, to run the same garbage/empty/truncation checks on.
type AnyParser = fn(&str) -> Result<(), ParseError>;

fn all_parsers() -> Vec<(&'static str, AnyParser, &'static str)> {
    vec![
        (
            "proxy",
            |t| parse_proxy(t).map(drop),
            "ps-proxy--manual.json",
        ),
        (
            "winhttp",
            |t| parse_winhttp(t).map(drop),
            "netsh-winhttp-set-proxy--manual-no-bypass.txt",
        ),
        (
            "dns",
            |t| parse_dns_servers(t).map(drop),
            "ps-dns-servers--wifi-vpn.json",
        ),
        (
            "ipconfig",
            |t| parse_ipconfig_all(t).map(drop),
            "ipconfig-all--en-win10-tailscale-fec0.txt",
        ),
        (
            "wmic dns",
            |t| parse_wmic_adapter_dns(t).map(drop),
            "wmic-Win32_NetworkAdapterConfiguration-list--vpn-up.txt",
        ),
        (
            "fw profiles",
            |t| parse_firewall_profiles(t).map(drop),
            "ps-firewall-profiles--on.json",
        ),
        (
            "fw rules",
            |t| parse_firewall_rules(t).map(drop),
            "ps-firewall-rules--zoom-allowed.json",
        ),
        (
            "advfirewall",
            |t| parse_advfirewall_allprofiles(t).map(drop),
            "netsh-advfirewall-show-allprofiles--en-all-off-gpo-store.txt",
        ),
        (
            "fw table",
            |t| parse_firewall_profile_table(t).map(drop),
            "Get-NetFirewallProfile--ft-name-enabled-all-true.txt",
        ),
        (
            "route",
            |t| parse_route(t, ip("1.2.3.4")).map(drop),
            "ps-route--wifi.json",
        ),
        (
            "adapters",
            |t| parse_adapters(t).map(drop),
            "ps-adapters--vpn-up.json",
        ),
        (
            "wmic adapters",
            |t| parse_wmic_adapters(t).map(drop),
            "wmic-MSFT_NetAdapter-list--vpn-up-fortinet.txt",
        ),
        (
            "route print",
            |t| parse_route_print_defaults(t).map(drop),
            "route-print-4--en-win10-wireguard.txt",
        ),
        (
            "antivirus",
            |t| parse_antivirus(t).map(drop),
            "ps-antivirus--third-party.json",
        ),
        (
            "wmic antivirus",
            |t| parse_wmic_antivirus(t).map(drop),
            "wmic-SecurityCenter-AntiVirusProduct--fr-no-instance.txt",
        ),
        (
            "wlan",
            |t| parse_netsh_wlan(t).map(drop),
            "netsh-wlan-show-interfaces--en-win11-5ghz.txt",
        ),
        (
            "wlan networks",
            |t| parse_netsh_wlan_networks(t).map(drop),
            "netsh-wlan-show-networks-bssid--nl.txt",
        ),
        ("zoom", |t| parse_zoom(t).map(drop), "ps-zoom--msi.json"),
    ]
}

#[test]
fn every_parser_rejects_empty_and_garbage_and_survives_truncation() {
    for (name, parse, sample) in all_parsers() {
        for bad in [
            "",
            "  \r\n",
            "\u{feff}",
            "garbage",
            "{\"not\": [\"closed\"",
            "\u{0}\u{1}\u{fffd}zz",
            "42",
        ] {
            assert!(parse(bad).is_err(), "{name} accepted {bad:?}");
        }
        let text = win(sample);
        assert!(
            parse(&text).is_ok(),
            "{name} rejected its own sample {sample}"
        );
        // Every prefix must give a value or an error, never a panic.
        for cut in (0..text.len())
            .filter(|&i| text.is_char_boundary(i))
            .step_by(7)
        {
            let _ = parse(&text[..cut]);
        }
    }
}

#[test]
fn truncated_json_is_an_error_naming_the_tool() {
    for (name, parse, sample) in all_parsers()
        .into_iter()
        .filter(|(_, _, f)| f.ends_with(".json"))
    {
        let text = win(sample);
        let cut = &text[..text.trim_end().len() - 1];
        let err = parse(cut).expect_err(name);
        assert!(err.message.contains("JSON"), "{name}: {err}");
    }
}

#[test]
fn specs_are_argv_with_constant_scripts() {
    for spec in [
        proxy_spec(),
        dns_servers_spec(),
        firewall_profiles_spec(),
        firewall_rules_spec(),
        adapters_spec(),
        antivirus_spec(),
        zoom_spec(),
    ] {
        assert_eq!(spec.program, "powershell.exe");
        let script = spec.args.last().unwrap();
        assert!(script.contains("ConvertTo-Json"), "{script}");
        assert!(script.contains("-Compress"), "{script}");
    }
    let a = route_spec(ip("203.0.113.9"));
    let b = route_spec(ip("2001:db8::1"));
    assert_eq!(a.args, b.args, "the destination never enters the script");
    assert_eq!(
        a.env.last().unwrap(),
        &("MD_REMOTE_IP".to_string(), "203.0.113.9".to_string())
    );
    assert_eq!(winhttp_spec().display(), "netsh winhttp show proxy");
    assert_eq!(wlan_spec().display(), "netsh wlan show interfaces");
}

#[test]
fn proxy_variants() {
    let direct = ProxySettings {
        source: "HKCU Internet Settings".into(),
        ..ProxySettings::default()
    };
    let cases: Vec<(&str, ProxySettings)> = vec![
        ("ps-proxy--off.json", direct.clone()),
        ("ps-proxy--disabled-leftover.json", direct.clone()),
        (
            "ps-proxy--manual.json",
            ProxySettings {
                http: s("proxy.example.com:8080"),
                https: s("proxy.example.com:8080"),
                bypass: vec!["*.example.com".into(), "10.*".into(), "<local>".into()],
                ..direct.clone()
            },
        ),
        (
            "ps-proxy--per-scheme.json",
            ProxySettings {
                http: s("web.example.com:8080"),
                https: s("secure.example.com:8443"),
                socks: s("socks.example.com:1080"),
                bypass: vec!["<local>".into()],
                ..direct.clone()
            },
        ),
        (
            "ps-proxy--pac.json",
            ProxySettings {
                pac_url: s("http://wpad.example.com/proxy.pac"),
                ..direct.clone()
            },
        ),
        (
            "ps-proxy--auto-detect.json",
            ProxySettings {
                auto_detect: true,
                ..direct.clone()
            },
        ),
    ];
    for (file, want) in cases {
        assert_eq!(parse_proxy(&win(file)).unwrap(), want, "{file}");
    }
    assert!(parse_proxy(&win("ps-proxy--disabled-leftover.json"))
        .unwrap()
        .is_direct());
}

#[test]
fn winhttp_variants_recognise_a_proxy_by_host_port_not_words() {
    // (fixture, http, https, bypass)
    type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [&'a str]);
    let cases: &[Case] = &[
        (
            "netsh-winhttp-set-proxy--manual-no-bypass.txt",
            Some("testProxy:8999"),
            Some("testProxy:8999"),
            &[],
        ),
        ("netsh-winhttp-show-proxy--en-direct.txt", None, None, &[]),
        ("netsh-winhttp-show-proxy--fr-direct.txt", None, None, &[]),
        (
            "netsh-winhttp-show-proxy--en-per-scheme.txt",
            Some("myproxy:80"),
            Some("sproxy:88"),
            &["*.foo.com", "<local>"],
        ),
    ];
    for (file, http, https, bypass) in cases {
        let p = parse_winhttp(&win(file)).unwrap();
        assert_eq!(
            (p.http.as_deref(), p.https.as_deref()),
            (*http, *https),
            "{file}"
        );
        assert_eq!(
            p.bypass,
            bypass.iter().map(|b| b.to_string()).collect::<Vec<_>>(),
            "{file}"
        );
        assert_eq!(p.source, "WinHTTP");
    }
}

#[test]
fn dns_servers_from_powershell_merge_families_and_drop_placeholders() {
    let dns = parse_dns_servers(&win("ps-dns-servers--wifi-vpn.json")).unwrap();
    assert_eq!(
        dns.servers,
        ips(&[
            "192.168.2.1",
            "fe80::8ef8:13ff:fe2f:234e",
            "10.10.0.53",
            "10.10.0.54"
        ])
    );
    let names: Vec<&str> = dns
        .per_interface
        .iter()
        .map(|i| i.interface.as_str())
        .collect();
    assert_eq!(names, ["Wi-Fi", "Corp VPN"]);
    let single = parse_dns_servers(&win("ps-dns-servers--single-object.json")).unwrap();
    assert_eq!(single.per_interface[0].interface, "Ethernet");
    assert_eq!(single.servers, ips(&["1.1.1.1"]));
    assert_eq!(parse_dns_servers("[]").unwrap(), DnsServers::default());
    assert!(
        parse_dns_servers(r#"[{"InterfaceAlias":"x","ServerAddresses":["not-an-ip"]}]"#).is_err()
    );
}

#[test]
fn ipconfig_all_in_english_french_and_chinese() {
    // (fixture, [(adapter, DNS servers)])
    type Case<'a> = (&'a str, &'a [(&'a str, &'a [&'a str])]);
    let cases: &[Case] = &[
        (
            "ipconfig-all--en-win10-tailscale-fec0.txt",
            &[("Ethernet 2", &["10.50.13.1"])],
        ),
        ("ipconfig-all--en-win10-vmware-fec0.txt", &[]),
        ("ipconfig-all--en-win11-nordvpn-tap.txt", &[]),
        ("ipconfig-all--en-win7.txt", &[]),
        (
            "ipconfig-all--en-winxp.txt",
            &[("Local Area Connection", &["192.168.22.151"])],
        ),
        (
            "ipconfig-all--en-win7-ppp-ikev2-vpn-prefix.txt",
            &[("Windscribe IKEv2", &["10.255.255.3"])],
        ),
        (
            "ipconfig-all--fr-wifi-block-ipv6.txt",
            &[(
                "Carte réseau sans fil Wi-Fi",
                &["10.4.1.201", "2a01:cb19:8f4:6c00:8ef8:13ff:fe2f:234e"],
            )],
        ),
        (
            "ipconfig-all--fr-wifi-block-killer.txt",
            &[("Carte réseau sans fil Wi-Fi", &["8.8.8.8", "1.1.1.1"])],
        ),
        (
            "ipconfig-all--zh-cn-clash-tun-prefix.txt",
            &[("Clash", &["198.18.0.2"])],
        ),
        (
            "ipconfig-all--zh-cn-masked-prefix.txt",
            &[("以太网", &["192.168.1.1", "240e:1f:1::1", "240e:1f:1::33"])],
        ),
    ];
    for (file, want) in cases {
        let dns = parse_ipconfig_all(&win(file)).unwrap();
        for (adapter, servers) in *want {
            let entry = dns
                .per_interface
                .iter()
                .find(|i| i.interface == *adapter)
                .unwrap_or_else(|| panic!("{file}: no {adapter} in {dns:?}"));
            assert_eq!(entry.servers, ips(servers), "{file} {adapter}");
        }
        assert!(
            dns.servers.iter().all(|a| !is_dns_placeholder(a)),
            "{file}: {dns:?}"
        );
        if want.is_empty() {
            assert!(!dns.servers.is_empty(), "{file}");
        }
    }
    // The fec0 placeholders alone give no server for that adapter.
    let dns = parse_ipconfig_all(&win("ipconfig-all--en-win10-tailscale-fec0.txt")).unwrap();
    assert!(dns.per_interface.iter().all(|i| i.interface != "Tailscale"));
    let vm = parse_ipconfig_all(&win("ipconfig-all--en-win10-vmware-fec0.txt")).unwrap();
    assert_eq!(vm.servers, ips(&["8.8.8.8", "208.67.220.220"]));
}

fn profile(
    name: &str,
    enabled: bool,
    inbound: Option<&str>,
    outbound: Option<&str>,
) -> FirewallProfile {
    FirewallProfile {
        name: name.into(),
        enabled,
        default_inbound: inbound.map(Into::into),
        default_outbound: outbound.map(Into::into),
    }
}

#[test]
fn wmic_adapter_dns_with_a_vpn_up() {
    let dns = parse_wmic_adapter_dns(&win(
        "wmic-Win32_NetworkAdapterConfiguration-list--vpn-up.txt",
    ))
    .unwrap();
    let names: Vec<&str> = dns
        .per_interface
        .iter()
        .map(|i| i.interface.as_str())
        .collect();
    assert!(
        names.contains(&"Fortinet SSL VPN Virtual Ethernet Adapter"),
        "{names:?}"
    );
    assert!(
        names.contains(&"Intel(R) Wi-Fi 6 AX201 160MHz"),
        "{names:?}"
    );
    assert_eq!(dns.servers, ips(&["127.0.0.1"]));
}

#[test]
fn firewall_profiles_from_powershell() {
    let on = |n| profile(n, true, Some("block"), Some("allow"));
    let off = |n| profile(n, false, Some("block"), Some("allow"));
    let cases = vec![
        (
            "ps-firewall-profiles--on.json",
            vec![on("Domain"), on("Private"), on("Public")],
        ),
        (
            "ps-firewall-profiles--off.json",
            vec![on("Domain"), off("Private"), off("Public")],
        ),
        (
            "ps-firewall-profiles--numeric-outbound-block.json",
            vec![
                on("Domain"),
                on("Private"),
                profile("Public", true, Some("block"), Some("block")),
            ],
        ),
    ];
    for (file, want) in cases {
        assert_eq!(parse_firewall_profiles(&win(file)).unwrap(), want, "{file}");
    }
    assert!(
        parse_firewall_profiles("[]").is_err(),
        "Windows always has profiles"
    );
    assert!(parse_firewall_profiles(r#"{"Name":"Public","Enabled":"Maybe"}"#).is_err());
}

#[test]
fn firewall_rules_for_zoom() {
    let allowed = parse_firewall_rules(&win("ps-firewall-rules--zoom-allowed.json")).unwrap();
    assert_eq!(allowed.len(), 2);
    assert!(allowed.iter().all(|r| r.direction == "in"
        && r.action == "allow"
        && r.enabled
        && r.name == "Zoom Video Conference"));
    assert_eq!(
        allowed[0].program.as_deref(),
        Some(r"C:\Users\alex\AppData\Roaming\Zoom\bin\zoom.exe")
    );
    let blocked = parse_firewall_rules(&win("ps-firewall-rules--zoom-blocked.json")).unwrap();
    assert_eq!(
        blocked,
        vec![FirewallRule {
            name: "Block Zoom".into(),
            id: s("Block Zoom"),
            direction: "out".into(),
            action: "block".into(),
            enabled: true,
            program: s(r"C:\Program Files\Zoom\bin\Zoom.exe"),
        }]
    );
    assert_eq!(
        parse_firewall_rules(&win("ps-firewall-rules--none.json")).unwrap(),
        vec![]
    );
    let numeric =
        parse_firewall_rules(r#"{"Name":"z","Enabled":0,"Direction":2,"Action":4}"#).unwrap();
    assert_eq!(
        (
            numeric[0].direction.as_str(),
            numeric[0].action.as_str(),
            numeric[0].enabled
        ),
        ("out", "block", false)
    );
    assert!(parse_firewall_rules(
        r#"{"Name":"z","Enabled":"True","Direction":"Sideways","Action":"Allow"}"#
    )
    .is_err());
}

#[test]
fn advfirewall_and_table_samples() {
    let off = |n| profile(n, false, Some("block"), Some("allow"));
    assert_eq!(
        parse_advfirewall_allprofiles(&win(
            "netsh-advfirewall-show-allprofiles--en-all-off-gpo-store.txt"
        ))
        .unwrap(),
        vec![off("Domain"), off("Private"), off("Public")]
    );
    assert_eq!(
        parse_advfirewall_allprofiles(&win(
            "netsh-advfirewall-show-allprofiles--fr-domain-only-trimmed.txt"
        ))
        .unwrap(),
        vec![profile("Domain", true, Some("block"), Some("allow"))]
    );
    let truncated = "Domain Profile Settings:\n----------------------------------------------------------------------\n";
    assert!(parse_advfirewall_allprofiles(truncated)
        .unwrap_err()
        .message
        .contains("truncated"));
    let unknown = "Domain Profile Settings:\n----------------------------------------------------------------------\nState                                 MAYBE\n";
    assert!(parse_advfirewall_allprofiles(unknown).is_err());
    let table =
        parse_firewall_profile_table(&win("Get-NetFirewallProfile--ft-name-enabled-all-true.txt"))
            .unwrap();
    assert_eq!(
        table,
        vec![
            profile("Domain", true, None, None),
            profile("Private", true, None, None),
            profile("Public", true, None, None)
        ]
    );
}

#[test]
fn routes_from_find_netroute() {
    let dest = ip("170.114.52.2");
    let wifi = parse_route(&win("ps-route--wifi.json"), dest).unwrap();
    assert_eq!(
        wifi,
        Route {
            destination: dest,
            interface: "Wi-Fi".into(),
            gateway: Some(ip("192.168.2.1")),
            source: Some(ip("192.168.2.17"))
        }
    );
    let vpn = parse_route(&win("ps-route--vpn-half-default.json"), dest).unwrap();
    assert_eq!(
        vpn,
        Route {
            destination: dest,
            interface: "wg-corp".into(),
            gateway: None,
            source: Some(ip("10.66.0.2"))
        }
    );
    assert!(parse_route("[]", dest)
        .unwrap_err()
        .message
        .contains("no route"));
}

#[test]
fn adapters_and_their_kinds() {
    let up = parse_adapters(&win("ps-adapters--vpn-up.json")).unwrap();
    let summary: Vec<(&str, InterfaceKind, bool, usize)> = up
        .iter()
        .map(|i| (i.name.as_str(), i.kind, i.up, i.addresses.len()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Wi-Fi", InterfaceKind::Wifi, true, 2),
            ("wg-corp", InterfaceKind::Tunnel, true, 1),
            (
                "vEthernet (Default Switch)",
                InterfaceKind::Virtual,
                true,
                1
            ),
            ("Ethernet", InterfaceKind::Ethernet, false, 0),
        ]
    );
    let idle = parse_adapters(&win("ps-adapters--idle-tap.json")).unwrap();
    assert_eq!(
        (idle.len(), idle[0].kind, idle[0].up),
        (1, InterfaceKind::Tunnel, false)
    );
    let kinds: &[(&str, Option<u32>, InterfaceKind)] = &[
        (
            "Realtek PCIe GbE Family Controller",
            Some(6),
            InterfaceKind::Ethernet,
        ),
        (
            "Intel(R) Wi-Fi 6 AX201 160MHz",
            Some(71),
            InterfaceKind::Wifi,
        ),
        ("WAN Miniport (PPTP)", Some(23), InterfaceKind::Ppp),
        ("Some VPN", Some(53), InterfaceKind::Tunnel),
        (
            "Microsoft Teredo Tunneling Adapter",
            Some(131),
            InterfaceKind::Tunnel,
        ),
        (
            "Software Loopback Interface 1",
            Some(24),
            InterfaceKind::Loopback,
        ),
        (
            "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64",
            Some(6),
            InterfaceKind::Tunnel,
        ),
        (
            "PANGP Virtual Ethernet Adapter",
            Some(6),
            InterfaceKind::Tunnel,
        ),
        ("NordLynx Tunnel", Some(53), InterfaceKind::Tunnel),
        ("Tailscale Tunnel", Some(53), InterfaceKind::Tunnel),
        ("Wintun Userspace Tunnel", Some(53), InterfaceKind::Tunnel),
        (
            "VMware Virtual Ethernet Adapter for VMnet8",
            Some(6),
            InterfaceKind::Virtual,
        ),
        (
            "VirtualBox Host-Only Ethernet Adapter",
            Some(6),
            InterfaceKind::Virtual,
        ),
        ("Mystery", None, InterfaceKind::Other),
    ];
    for (description, if_type, want) in kinds {
        assert_eq!(adapter_kind(description, *if_type), *want, "{description}");
    }
}

#[test]
fn wmic_adapters_vpn_up_and_down() {
    for (file, fortinet_ssl_up) in [
        ("wmic-MSFT_NetAdapter-list--vpn-up-fortinet.txt", true),
        ("wmic-MSFT_NetAdapter-list--vpn-down-fortinet.txt", false),
    ] {
        let adapters = parse_wmic_adapters(&win(file)).unwrap();
        let vpn = adapters
            .iter()
            .find(|a| a.description.as_deref() == Some("Fortinet SSL VPN Virtual Ethernet Adapter"))
            .unwrap_or_else(|| panic!("{file}: {adapters:?}"));
        assert_eq!(
            (vpn.kind, vpn.up),
            (InterfaceKind::Tunnel, fortinet_ssl_up),
            "{file}"
        );
        // On Wi-Fi while the VPN is up, on USB Ethernet while it is down.
        let wifi = adapters.iter().find(|a| a.name == "Wi-Fi").unwrap();
        assert_eq!(
            (wifi.kind, wifi.up),
            (InterfaceKind::Wifi, fortinet_ssl_up),
            "{file}"
        );
        let usb = adapters.iter().find(|a| a.name == "Ethernet 4").unwrap();
        assert_eq!(
            (usb.kind, usb.up),
            (InterfaceKind::Ethernet, !fortinet_ssl_up),
            "{file}"
        );
    }
}

#[test]
fn route_print_defaults_in_four_languages() {
    let d = |prefix: &str, interface: &str, gateway: Option<&str>, metric| DefaultRoute {
        prefix: prefix.into(),
        interface: interface.into(),
        gateway: gateway.map(ip),
        metric: Some(metric),
    };
    let cases = vec![
        (
            "route-print--en-win10-tap-hyperv.txt",
            vec![d("0.0.0.0/0", "192.168.31.221", Some("192.168.31.1"), 30)],
        ),
        (
            "route-print-0.0.0.0--en-anyconnect-two-defaults.txt",
            vec![
                d("0.0.0.0/0", "192.168.100.74", Some("192.168.100.1"), 50),
                d("0.0.0.0/0", "10.21.38.97", Some("10.21.38.1"), 2),
            ],
        ),
        (
            "route-print-0.0.0.0--es-sgn-vpn.txt",
            vec![d("0.0.0.0/0", "192.168.100.80", Some("192.168.100.1"), 35)],
        ),
        (
            "route-print-0.0.0.0--fr-trimmed.txt",
            vec![d("0.0.0.0/0", "10.88.88.149", Some("10.88.88.2"), 10)],
        ),
        (
            "route-print-4--en-win10-wireguard.txt",
            vec![d("0.0.0.0/0", "10.0.0.185", Some("10.0.0.1"), 25)],
        ),
        ("route-print-4--fr-lab-trimmed.txt", vec![]),
    ];
    for (file, want) in cases {
        assert_eq!(
            parse_route_print_defaults(&win(file)).unwrap(),
            want,
            "{file}"
        );
    }
    let half = "=====================================================\nNetwork Destination        Netmask          Gateway       Interface  Metric\n          0.0.0.0        128.0.0.0         10.8.0.1        10.8.0.6     26\n        128.0.0.0        128.0.0.0         On-link         10.8.0.6     26\n          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.20     35\n";
    assert_eq!(
        parse_route_print_defaults(half).unwrap(),
        vec![
            d("0.0.0.0/1", "10.8.0.6", Some("10.8.0.1"), 26),
            d("128.0.0.0/1", "10.8.0.6", None, 26),
            d("0.0.0.0/0", "192.168.1.20", Some("192.168.1.1"), 35)
        ]
    );
    let cut = "=====================================================\n          0.0.0.0          0.0.0.0    192.168";
    assert!(parse_route_print_defaults(cut)
        .unwrap_err()
        .message
        .contains("truncated"));
}

#[test]
fn antivirus_product_state_decoding() {
    let cases: &[(u32, bool, bool)] = &[
        (397568, true, true),   // 0x061100 Defender on, current
        (397584, true, false),  // 0x061110 on, out of date
        (393472, false, true),  // 0x060100 off
        (393488, false, false), // 0x060110 off, out of date
        (266240, true, true),   // 0x041000 third-party on
        (262144, false, true),  // 0x040000 third-party off
        (397312, true, true),   // 0x061000
    ];
    for (state, on, current) in cases {
        assert_eq!(decode_product_state(*state), (*on, *current), "{state:#x}");
    }
}

#[test]
fn antivirus_from_security_center() {
    let defender = parse_antivirus(&win("ps-antivirus--defender.json")).unwrap();
    assert_eq!(
        defender,
        vec![SecurityProduct {
            name: "Windows Defender".into(),
            enabled: Some(true),
            up_to_date: Some(true),
            seen_in: "SecurityCenter2".into()
        }]
    );
    let third: Vec<(String, Option<bool>, Option<bool>)> =
        parse_antivirus(&win("ps-antivirus--third-party.json"))
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.enabled, p.up_to_date))
            .collect();
    assert_eq!(
        third,
        [
            ("Windows Defender".into(), Some(false), Some(true)),
            ("Norton 360".into(), Some(true), Some(true)),
            ("Avast Antivirus".into(), Some(true), Some(false)),
        ]
    );
    assert_eq!(
        parse_antivirus(&win("ps-antivirus--none.json")).unwrap(),
        vec![]
    );
    let server = parse_antivirus(&win("ps-antivirus--server-invalid-namespace.json")).unwrap_err();
    assert!(is_missing_security_center(&server), "{server}");
    let other =
        parse_antivirus(r#"{"Error":"AccessDenied","Message":"Access denied"}"#).unwrap_err();
    assert!(!is_missing_security_center(&other) && other.message.contains("AccessDenied"));
}

#[test]
fn wmic_antivirus_no_instance_and_server() {
    assert_eq!(
        parse_wmic_antivirus(&win(
            "wmic-SecurityCenter-AntiVirusProduct--fr-no-instance.txt"
        ))
        .unwrap(),
        vec![]
    );
    assert_eq!(
        parse_wmic_antivirus("No Instance(s) Available.\r\n").unwrap(),
        vec![]
    );
    let server = parse_wmic_antivirus(&win(
        "wmic-SecurityCenter2-AntiVirusProduct--fr-server-invalid-namespace.txt",
    ))
    .unwrap_err();
    assert!(is_missing_security_center(&server), "{server}");
    assert!(is_missing_security_center(
        &parse_wmic_antivirus("ERROR:\r\nDescription = Invalid namespace\r\n").unwrap_err()
    ));
    let list = "\r\n\r\ndisplayName=Windows Defender\r\ninstanceGuid={D68DDC3A-831F-4fae-9E44-DA132C1ACF46}\r\npathToSignedProductExe=windowsdefender://\r\nproductState=397568\r\n\r\n\r\n";
    let products = parse_wmic_antivirus(list).unwrap();
    assert_eq!(
        (
            products[0].name.as_str(),
            products[0].enabled,
            products[0].up_to_date
        ),
        ("Windows Defender", Some(true), Some(true))
    );
}

#[test]
fn wifi_interfaces_by_shape() {
    let info = |ssid: &str, signal, rssi, channel, band: &str, tx| WifiInfo {
        ssid: s(ssid),
        signal_percent: Some(signal),
        rssi_dbm: Some(rssi),
        noise_dbm: None,
        channel: Some(channel),
        band: s(band),
        tx_rate_mbps: Some(tx),
    };
    let cases = vec![
        (
            "netsh-wlan-show-interfaces--en-win11-24ghz.txt",
            Some(info("Tenda_EBBAA0", 81, -62, 11, "2.4 GHz", 115.6)),
        ),
        (
            "netsh-wlan-show-interfaces--en-win11-5ghz.txt",
            Some(info("Tenda_EBBAA0_5G", 80, -64, 36, "5 GHz", 260.0)),
        ),
        ("netsh-wlan-show-interfaces--en-disconnected.txt", None),
        ("netsh-wlan-show-interfaces--en-no-wlansvc.txt", None),
    ];
    for (file, want) in cases {
        assert_eq!(parse_netsh_wlan(&win(file)).unwrap(), want, "{file}");
    }
}

#[test]
fn wifi_networks_dutch_sample() {
    let aps = parse_netsh_wlan_networks(&win("netsh-wlan-show-networks-bssid--nl.txt")).unwrap();
    assert!(aps.len() >= 9, "{aps:?}");
    assert_eq!(
        (
            aps[0].ssid.as_deref(),
            aps[0].signal_percent,
            aps[0].channel
        ),
        (Some("iConnect"), Some(63), Some(40))
    );
    assert_eq!((aps[6].signal_percent, aps[6].channel), (Some(86), Some(6)));
    assert!(aps
        .iter()
        .all(|a| a.ssid.is_some() && a.signal_percent.is_some()));
}

#[test]
fn zoom_installs() {
    let cases = vec![
        (
            "ps-zoom--per-user.json",
            ZoomInstall {
                arch_problem: None,
                installed: true,
                version: s("6.2.11 (50244)"),
                path: s(r"C:\Users\alex\AppData\Roaming\Zoom\bin\Zoom.exe"),
                install_kind: s("per-user"),
                arch: None,
            },
        ),
        (
            "ps-zoom--msi.json",
            ZoomInstall {
                arch_problem: None,
                installed: true,
                version: s("6.2.50244"),
                path: s(r"C:\Program Files\Zoom\"),
                install_kind: s("msi"),
                arch: s("x86_64"),
            },
        ),
        ("ps-zoom--none.json", ZoomInstall::default()),
    ];
    for (file, want) in cases {
        assert_eq!(parse_zoom(&win(file)).unwrap(), want, "{file}");
    }
    // Only the %APPDATA% executable (its Uninstall entry removed).
    let exe_only = r#"{"Uninstall":null,"AppData":{"Path":"C:\\Users\\a\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe","FileVersion":"5, 17, 11, 34827"}}"#;
    let z = parse_zoom(exe_only).unwrap();
    assert_eq!(
        (z.installed, z.version.as_deref(), z.install_kind.as_deref()),
        (true, Some("5.17.11.34827"), Some("per-user"))
    );
}
