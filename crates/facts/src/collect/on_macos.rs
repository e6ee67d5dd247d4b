//! This Mac: every fact, read concurrently.

use super::*;

/// Collects the macOS facts.
pub async fn macos(
    exec: &dyn Executor,
    zoom_address: Option<IpAddr>,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    let proxy = match proxy {
        Some(p) => p,
        None => read(exec, &macos::proxy_spec(), macos::parse_scutil_proxy).await,
    };
    let interfaces = read(
        exec,
        &macos::hardware_ports_spec(),
        macos::parse_hardware_ports,
    )
    .await;
    let default_routes = read(exec, &macos::netstat_spec(), macos::parse_netstat_defaults).await;
    let route_to_zoom = route_to(
        exec,
        zoom_address,
        macos::route_spec,
        macos::parse_route_get,
    )
    .await;
    let dns_servers = read(exec, &macos::dns_servers_spec(), macos::parse_scutil_dns).await;
    let fw = macos::firewall_specs();
    let raw = |t: &str| Ok::<_, ParseError>(t.to_string());
    let firewall = match read(exec, &fw[0], raw).await {
        Fact::Known {
            value: global,
            source,
        } => {
            let block_all = read(exec, &fw[1], raw)
                .await
                .value()
                .cloned()
                .unwrap_or_default();
            let apps = read(exec, &fw[3], raw).await.value().cloned();
            match macos::firewall_state(&format!("{global}\n{block_all}"), apps.as_deref()) {
                Ok(mut state) => {
                    let blocked = read(exec, &fw[2], macos::parse_socketfilterfw_appblocked).await;
                    if blocked.value() == Some(&true) {
                        state.blocked_apps.push(macos::ZOOM_APP.to_string());
                    }
                    Fact::Known {
                        value: state,
                        source,
                    }
                }
                Err(e) => Fact::unknown(e.to_string()),
            }
        }
        Fact::Unknown { reason } => Fact::unknown(reason),
    };
    let security = read(
        exec,
        &macos::security_spec(),
        macos::parse_system_extensions,
    )
    .await;
    let zs = macos::zoom_specs();
    let zoom = match read(exec, &zs[0], macos::parse_info_plist).await {
        Fact::Known { mut value, source } => {
            if value.installed {
                value.arch = read(exec, &zs[1], macos::parse_lipo_archs)
                    .await
                    .value()
                    .cloned();
                let machine_arm = match exec.run(&macos::machine_arch_spec(), STEP).await {
                    Ok(out) if out.success() => macos::parse_hw_optional_arm64(&out.stdout).ok(),
                    // Intel Macs have no such key.
                    Ok(out) if macos::sysctl_unknown_oid(&out.stderr) => Some(false),
                    _ => None,
                };
                if let (Some(arm), Some(arch)) = (machine_arm, value.arch.as_deref()) {
                    value.arch_problem = macos::arch_mismatch(arm, arch);
                }
            }
            Fact::Known { value, source }
        }
        // plutil finds no Info.plist where Zoom installs: not installed there.
        Fact::Unknown { reason } if reason.contains("failed") => Fact::Known {
            value: ZoomInstall::default(),
            source: format!("{} (not found)", macos::ZOOM_APP),
        },
        other => other,
    };
    let wifi = read(
        exec,
        &macos::airport_json_spec(),
        macos::parse_system_profiler_airport,
    )
    .await
    .value()
    .cloned()
    .flatten();
    let link = link_from_route(&route_to_zoom, &interfaces, wifi);
    Facts {
        os: Os::Macos,
        proxy,
        winhttp: None,
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
