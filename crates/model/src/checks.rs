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

/// The check ids with a fixed name (per-port ids are `tcp.<port>`, `udp.<port>`).
pub const FIXED_IDS: &[&str] = &[
    "internet",
    "captive_portal",
    "dns.system",
    "dns.reference",
    "tls",
    "clock",
    "proxy",
    "vpn",
    "firewall",
    "security_software",
    "zoom_client",
    "service_status",
    "latency",
    "loss",
    "jitter",
    "bandwidth",
    "network_type",
];

/// The plain-words title of a check.
pub fn title(id: &str) -> String {
    if let Some(port) = id.strip_prefix("tcp.") {
        return format!("Zoom connection (port {port})");
    }
    if let Some(port) = id.strip_prefix("udp.") {
        return format!("Zoom audio and video (port {port})");
    }
    match id {
        "internet" => "Internet connection",
        "captive_portal" => "Wi-Fi sign-in page",
        "dns.system" => "Finding Zoom's servers (this computer's DNS)",
        "dns.reference" => "Finding Zoom's servers (public DNS)",
        "tls" => "Secure connection to Zoom",
        "clock" => "Computer clock",
        "proxy" => "Proxy settings",
        "vpn" => "VPN",
        "firewall" => "Firewall",
        "security_software" => "Security software",
        "zoom_client" => "Zoom app",
        "service_status" => "Zoom service status",
        "latency" => "Delay to Zoom (latency)",
        "loss" => "Lost packets",
        "jitter" => "Steadiness of the connection (jitter)",
        "bandwidth" => "Connection speed",
        "network_type" => "Network connection type",
        other => other,
    }
    .to_string()
}

/// The group a check belongs to.
pub fn group(id: &str) -> Group {
    match id {
        "internet" | "captive_portal" | "latency" | "loss" | "jitter" | "bandwidth"
        | "network_type" => Group::Internet,
        "proxy" | "vpn" | "firewall" | "security_software" => Group::SecurityAndProxy,
        "clock" | "zoom_client" => Group::ThisComputer,
        id if id.starts_with("dns.") => Group::Dns,
        _ => Group::ZoomServers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_id_has_a_plain_title() {
        for id in FIXED_IDS {
            let t = title(id);
            assert_ne!(&t, id, "{id} has no title");
            assert!(t.chars().next().is_some_and(char::is_uppercase), "{t}");
        }
        assert_eq!(title("tcp.8801"), "Zoom connection (port 8801)");
        assert_eq!(title("udp.8801"), "Zoom audio and video (port 8801)");
    }

    #[test]
    fn groups_match_what_a_person_expects() {
        assert_eq!(group("dns.system"), Group::Dns);
        assert_eq!(group("tcp.443"), Group::ZoomServers);
        assert_eq!(group("udp.3478"), Group::ZoomServers);
        assert_eq!(group("clock"), Group::ThisComputer);
        assert_eq!(group("proxy"), Group::SecurityAndProxy);
        assert_eq!(group("captive_portal"), Group::Internet);
    }
}
