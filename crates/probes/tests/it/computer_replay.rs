//! The computer checks read from a whole machine's recorded outputs: each
//! test replays one OS's commands (fixtures in `tests/fixtures/<os>/`)
//! through the facts readers and judges the result as the run does.

use std::net::IpAddr;

use md_facts::collect::{macos, pick_firewall, windows, Fact, Facts};
use md_facts::{FirewallProfile, FirewallRule, FirewallState, InterfaceKind, LinkKind};
use md_model::system::Os;
use md_probes::computer::judge;

#[tokio::test]
async fn windows_on_a_wireguard_vpn_with_zoom_blocked_and_third_party_antivirus() {
    let zoom: IpAddr = "170.114.52.2".parse().unwrap();
    let exec = md_facts::replays::windows_on_a_vpn_with_zoom_blocked(zoom);
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
    let checks = judge(&f);
    let get = |id: &str| checks.iter().find(|c| c.id == id).unwrap();
    assert!(
        get("vpn").summary.contains("goes through a VPN (wg-corp)"),
        "{}",
        get("vpn").summary
    );
    assert_eq!(get("firewall").status, md_model::finding::Status::Fail);
}

#[tokio::test]
async fn macos_on_wifi_with_a_proxy_and_zoom_blocked_by_the_firewall() {
    let zoom: IpAddr = "170.114.52.2".parse().unwrap();
    let exec = md_facts::replays::macos_on_wifi_with_zoom_blocked(zoom);
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
    let checks = judge(&f);
    assert_eq!(
        checks.iter().find(|c| c.id == "firewall").unwrap().status,
        md_model::finding::Status::Fail
    );
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
    let c = judge(&facts)
        .into_iter()
        .find(|c| c.id == "firewall")
        .unwrap();
    assert_eq!(c.status, md_model::finding::Status::Fail, "{}", c.summary);
}
