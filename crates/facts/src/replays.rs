//! Whole computers from recorded outputs, for tests in this crate and the
//! ones above it (feature `testing`): each is the replay of every command
//! one OS's readers run, from `tests/fixtures/<os>/`, with the route looked
//! up toward `zoom`.

use std::net::IpAddr;

use crate::command::{CommandSpec, Replay};
use crate::{fixture, macos, windows};

/// Windows 10/11 on a WireGuard VPN (the route to Zoom goes through
/// `wg-corp`), a PAC proxy, a firewall rule that blocks Zoom, third-party
/// antivirus, Zoom installed per user, 5 GHz Wi-Fi, a WinHTTP proxy.
pub fn windows_on_a_vpn_with_zoom_blocked(zoom: IpAddr) -> Replay {
    let w = |name: &str| fixture("windows", name);
    Replay::new()
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
        )
}

/// macOS on Wi-Fi with a manual proxy, the application firewall blocking
/// zoom.us, CrowdStrike and Zscaler system extensions, a universal Zoom.
pub fn macos_on_wifi_with_zoom_blocked(zoom: IpAddr) -> Replay {
    let m = |name: &str| fixture("macos", name);
    let fw = macos::firewall_specs();
    let zs = macos::zoom_specs();
    Replay::new()
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
        )
}
