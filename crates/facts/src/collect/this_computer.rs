//! The facts of the computer this program runs on ([`Platform::this_computer`]).

use super::*;
use crate::Platform;

/// Collects this computer's facts. The route is looked up for the address
/// the profile's first Zoom host resolves to (a route lookup sends nothing).
pub async fn this_computer(profile: &md_model::profile::Profile) -> Facts {
    this_computer_with(profile, None).await
}

/// The system's proxy settings as the Zoom client reads them.
pub async fn proxy_settings() -> Fact<ProxySettings> {
    Platform::this_computer().proxy_settings().await
}

/// The DNS servers this computer is set to use.
pub async fn dns_servers() -> Fact<DnsServers> {
    Platform::this_computer().dns_servers().await
}

/// [`this_computer`], with the proxy settings already read (the run reads
/// them once for every probe).
pub async fn this_computer_with(
    profile: &md_model::profile::Profile,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    this_computer_at(md_model::profile::zoom_host_of(profile), proxy).await
}

/// [`this_computer_with`] for a Zoom server given as (host, port): the
/// elevated run of a fix, which reads no profile.
pub async fn this_computer_at(
    host: Option<(String, u16)>,
    proxy: Option<Fact<ProxySettings>>,
) -> Facts {
    Platform::this_computer().facts_toward(host, proxy).await
}
impl Facts {
    /// Every fact unknown for the same reason.
    pub fn unread(os: Os, reason: &str) -> Facts {
        Facts {
            os,
            proxy: Fact::unknown(reason),
            winhttp: None,
            interfaces: Fact::unknown(reason),
            default_routes: Fact::unknown(reason),
            route_to_zoom: Fact::unknown(reason),
            dns_servers: Fact::unknown(reason),
            firewall: Fact::unknown(reason),
            security: Fact::unknown(reason),
            zoom: Fact::unknown(reason),
            zoom_processes: Fact::unknown(reason),
            link: Fact::unknown(reason),
        }
    }
}
