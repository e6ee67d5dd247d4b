use super::*;
use crate::command::{Output, Replay};
use crate::fixture;

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
