//! This Windows computer: every fact, read concurrently.

use super::*;

/// Collects the Windows facts (PowerShell JSON through `exec`).
pub async fn windows(
    exec: &dyn Executor,
    zoom_address: Option<IpAddr>,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    let proxy = match proxy {
        Some(p) => p,
        None => read(exec, &windows::proxy_spec(), windows::parse_proxy).await,
    };
    let interfaces = read(exec, &windows::adapters_spec(), windows::parse_adapters).await;
    let default_routes = read(
        exec,
        &CommandSpec::new("route", &["print", "-4"]),
        windows::parse_route_print_defaults,
    )
    .await;
    let route_to_zoom = route_to(
        exec,
        zoom_address,
        windows::route_spec,
        windows::parse_route,
    )
    .await;
    let dns_servers = read(
        exec,
        &windows::dns_servers_spec(),
        windows::parse_dns_servers,
    )
    .await;
    let firewall = match read(
        exec,
        &windows::firewall_profiles_spec(),
        windows::parse_firewall_profiles,
    )
    .await
    {
        Fact::Known { value, source } => {
            let rules = read(
                exec,
                &windows::firewall_rules_spec(),
                windows::parse_firewall_rules,
            )
            .await;
            Fact::Known {
                value: FirewallState {
                    product: "Windows Defender Firewall".into(),
                    profiles: value,
                    zoom_rules: rules.value().cloned().unwrap_or_default(),
                    ..Default::default()
                },
                source,
            }
        }
        Fact::Unknown { reason } => Fact::unknown(reason),
    };
    let security = match read(exec, &windows::antivirus_spec(), windows::parse_antivirus).await {
        Fact::Unknown { reason } if reason.contains(windows::MISSING_SECURITY_CENTER) => {
            Fact::unknown("this Windows has no Security Center (a server edition), so security software can't be listed")
        }
        other => other,
    };
    let zoom = read(exec, &windows::zoom_spec(), windows::parse_zoom).await;
    let wifi = read(exec, &windows::wlan_spec(), windows::parse_netsh_wlan)
        .await
        .value()
        .cloned()
        .flatten();
    let link = link_from_route(&route_to_zoom, &interfaces, wifi);
    Facts {
        os: Os::Windows,
        proxy,
        winhttp: Some(read(exec, &windows::winhttp_spec(), windows::parse_winhttp).await),
        interfaces,
        default_routes,
        route_to_zoom,
        dns_servers,
        firewall,
        security,
        zoom,
        zoom_processes: running_zoom(),
        link,
    }
}
