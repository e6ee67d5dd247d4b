//! The Linux readers against the real `ip` in a network namespace set up as
//! a full-tunnel VPN does it: a tun device and the half-default pair
//! 0.0.0.0/1 + 128.0.0.0/1. Needs root (MD_SKIP_NETNS=1 skips on purpose).

// The Linux readers against Linux tools (other systems build this file empty).
#![cfg(target_os = "linux")]

use std::net::IpAddr;
use std::time::Duration;

use md_lab::netns::NetNs;
use meeting_doctor_core::facts::command::System;
use meeting_doctor_core::facts::{linux, CommandSpec, Executor, InterfaceKind};

fn skip() -> bool {
    md_lab::netns::skip_without_netns()
}

/// The same command, run by `ip -n NS` inside the namespace.
fn inside(ns: &NetNs, spec: CommandSpec) -> CommandSpec {
    assert_eq!(spec.program, "ip");
    let mut args = vec!["-n".to_string(), ns.name.clone()];
    args.extend(spec.args);
    CommandSpec { args, ..spec }
}

fn ip(ns: &NetNs, args: &[&str]) {
    let out = std::process::Command::new("ip")
        .arg("-n")
        .arg(&ns.name)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_full_tunnel_vpn_is_seen_in_the_route_to_zoom() {
    if skip() {
        return;
    }
    let ns = NetNs::create("mdvpn").unwrap();
    ip(&ns, &["tuntap", "add", "dev", "tun0", "mode", "tun"]);
    ip(&ns, &["addr", "add", "10.8.0.2/24", "dev", "tun0"]);
    ip(&ns, &["link", "set", "tun0", "up"]);
    ip(&ns, &["route", "add", "0.0.0.0/1", "dev", "tun0"]);
    ip(&ns, &["route", "add", "128.0.0.0/1", "dev", "tun0"]);
    let t = Duration::from_secs(5);
    // A Zoom-like public address (documentation range; nothing is sent).
    let zoom: IpAddr = "203.0.113.10".parse().unwrap();

    let out = System
        .run(&inside(&ns, linux::route_spec(zoom)), t)
        .await
        .unwrap();
    let route = linux::parse_route_get(&out.stdout, zoom).unwrap();
    assert_eq!(route.interface, "tun0");
    assert_eq!(route.source, Some("10.8.0.2".parse().unwrap()));

    let out = System
        .run(&inside(&ns, linux::routes_spec()), t)
        .await
        .unwrap();
    let defaults = linux::parse_default_routes(&out.stdout).unwrap();
    let prefixes: Vec<&str> = defaults.iter().map(|d| d.prefix.as_str()).collect();
    assert_eq!(prefixes, vec!["0.0.0.0/1", "128.0.0.0/1"], "{defaults:?}");
    assert!(defaults.iter().all(|d| d.interface == "tun0"));

    let out = System
        .run(&inside(&ns, linux::interfaces_spec()), t)
        .await
        .unwrap();
    let ifaces = linux::parse_interfaces(&out.stdout).unwrap();
    let tun = ifaces.iter().find(|i| i.name == "tun0").unwrap();
    assert_eq!(tun.kind, InterfaceKind::Tunnel);
    assert_eq!(tun.addresses, vec!["10.8.0.2".parse::<IpAddr>().unwrap()]);
    assert_eq!(
        ifaces.iter().find(|i| i.name == "lo").unwrap().kind,
        InterfaceKind::Loopback
    );
}

#[tokio::test]
async fn without_a_tunnel_the_route_uses_the_ordinary_link() {
    if skip() {
        return;
    }
    let ns = NetNs::create("mdnovpn").unwrap();
    ip(
        &ns,
        &[
            "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p",
        ],
    );
    ip(&ns, &["link", "set", "eth0p", "up"]);
    ip(&ns, &["addr", "add", "192.168.50.2/24", "dev", "eth0"]);
    ip(&ns, &["link", "set", "eth0", "up"]);
    ip(
        &ns,
        &[
            "route",
            "add",
            "default",
            "via",
            "192.168.50.1",
            "dev",
            "eth0",
        ],
    );
    let zoom: IpAddr = "203.0.113.10".parse().unwrap();
    let out = System
        .run(
            &inside(&ns, linux::route_spec(zoom)),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let route = linux::parse_route_get(&out.stdout, zoom).unwrap();
    assert_eq!(
        (route.interface.as_str(), route.gateway),
        ("eth0", Some("192.168.50.1".parse().unwrap()))
    );
    let out = System
        .run(&inside(&ns, linux::routes_spec()), Duration::from_secs(5))
        .await
        .unwrap();
    let defaults = linux::parse_default_routes(&out.stdout).unwrap();
    assert_eq!(defaults.len(), 1);
    assert_eq!(defaults[0].prefix, "0.0.0.0/0");
}
