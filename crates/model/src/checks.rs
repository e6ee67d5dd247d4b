//! The check ids of the contract, their plain titles and the group a person
//! sees them under. Ids are stable: renaming one is a schema version bump.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a check is shown to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Group {
    Internet,
    ZoomServers,
    Dns,
    SecurityAndProxy,
    ThisComputer,
}

impl Group {
    pub fn label(self) -> &'static str {
        match self {
            Group::Internet => "Internet",
            Group::ZoomServers => "Zoom servers",
            Group::Dns => "Name lookup (DNS)",
            Group::SecurityAndProxy => "Security & proxy",
            Group::ThisComputer => "This computer",
        }
    }
}

pub use crate::ids::CheckId;

/// The plain-words title of a check.
pub fn title(id: CheckId) -> String {
    match id {
        CheckId::Tcp(port) => format!("Zoom connection (port {port})"),
        CheckId::Udp(port) => format!("Zoom audio and video (port {port})"),
        CheckId::Internet => "Internet connection".into(),
        CheckId::CaptivePortal => "Wi-Fi sign-in page".into(),
        CheckId::DnsSystem => "Finding Zoom's servers (this computer's DNS)".into(),
        CheckId::DnsReference => "Finding Zoom's servers (public DNS)".into(),
        CheckId::Tls => "Secure connection to Zoom".into(),
        CheckId::Clock => "Computer clock".into(),
        CheckId::Proxy => "Proxy settings".into(),
        CheckId::Vpn => "VPN".into(),
        CheckId::Firewall => "Firewall".into(),
        CheckId::SecuritySoftware => "Security software".into(),
        CheckId::ZoomClient => "Zoom app".into(),
        CheckId::ServiceStatus => "Zoom service status".into(),
        CheckId::Latency => "Delay to Zoom (latency)".into(),
        CheckId::Loss => "Lost packets".into(),
        CheckId::Jitter => "Steadiness of the connection (jitter)".into(),
        CheckId::Bandwidth => "Connection speed".into(),
        CheckId::NetworkType => "Network connection type".into(),
    }
}

/// The group a check belongs to.
pub fn group(id: CheckId) -> Group {
    match id {
        CheckId::Internet
        | CheckId::CaptivePortal
        | CheckId::Latency
        | CheckId::Loss
        | CheckId::Jitter
        | CheckId::Bandwidth
        | CheckId::NetworkType => Group::Internet,
        CheckId::Proxy | CheckId::Vpn | CheckId::Firewall | CheckId::SecuritySoftware => {
            Group::SecurityAndProxy
        }
        CheckId::Clock | CheckId::ZoomClient => Group::ThisComputer,
        CheckId::DnsSystem | CheckId::DnsReference => Group::Dns,
        CheckId::Tls | CheckId::ServiceStatus | CheckId::Tcp(_) | CheckId::Udp(_) => {
            Group::ZoomServers
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> CheckId {
        s.parse().unwrap()
    }

    #[test]
    fn every_fixed_id_has_a_plain_title() {
        for id in CheckId::FIXED {
            let t = title(*id);
            assert_ne!(t, id.to_string(), "{id} has no title");
            assert!(t.chars().next().is_some_and(char::is_uppercase), "{t}");
        }
        assert_eq!(title(id("tcp.8801")), "Zoom connection (port 8801)");
        assert_eq!(title(id("udp.8801")), "Zoom audio and video (port 8801)");
    }

    #[test]
    fn groups_match_what_a_person_expects() {
        assert_eq!(group(id("dns.system")), Group::Dns);
        assert_eq!(group(id("tcp.443")), Group::ZoomServers);
        assert_eq!(group(id("udp.3478")), Group::ZoomServers);
        assert_eq!(group(id("clock")), Group::ThisComputer);
        assert_eq!(group(id("proxy")), Group::SecurityAndProxy);
        assert_eq!(group(id("captive_portal")), Group::Internet);
    }
}
