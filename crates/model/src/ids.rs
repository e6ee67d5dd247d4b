//! The ids of the contract as types: causes, fixes and guided steps. Each
//! is an enum serialised to the string the report and the CLI have always
//! used ("dns_filtered", "dns.flush", "try_hotspot"), so the JSON does not
//! change, while the compiler sees every place that must know them all (a
//! `match` with no fallback) and a typo is a build error, not a silent
//! miss. `ALL` lists every id in declaration order, for tests and the UI's
//! generated vocabulary.
//!
//! They compare equal to their strings (`cause.id == "offline"`), so a
//! test or a shell that holds a string can ask without parsing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A string that is not one of the ids of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{id:?} is not a known {kind}")]
pub struct UnknownId {
    pub kind: &'static str,
    pub id: String,
}

macro_rules! string_ids {
    (
        $(#[$meta:meta])*
        $name:ident ($kind:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// Every id of this kind, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The id as the report and the CLI spell it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownId;
            fn from_str(s: &str) -> Result<Self, UnknownId> {
                match s {
                    $( $text => Ok($name::$variant), )*
                    _ => Err(UnknownId { kind: $kind, id: s.to_string() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.as_str()
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.as_str()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.as_str().to_string()
            }
        }
    };
}

string_ids! {
    /// Why Zoom cannot connect (or works badly): a diagnosis cause.
    CauseId ("cause") {
        Offline = "offline",
        CaptivePortal = "captive_portal",
        DnsFailure = "dns_failure",
        DnsFiltered = "dns_filtered",
        ZoomBlocked = "zoom_blocked",
        SignalingPortsBlocked = "signaling_ports_blocked",
        UdpBlocked = "udp_blocked",
        ProxyInterference = "proxy_interference",
        TlsInterception = "tls_interception",
        ClockSkew = "clock_skew",
        VpnInterference = "vpn_interference",
        LocalFirewall = "local_firewall",
        SecuritySoftware = "security_software",
        ZoomOutage = "zoom_outage",
        ZoomClientProblem = "zoom_client_problem",
        PoorConnection = "poor_connection",
    }
}

string_ids! {
    /// A repair Meeting Doctor can make (the fix catalog's entries),
    /// declared in repair order: the narrow, low-risk fixes first.
    FixId ("fix") {
        ZoomQuit = "zoom.quit",
        DnsFlush = "dns.flush",
        ClockSync = "clock.sync",
        ZoomClearCache = "zoom.clear_cache",
        FirewallAllowZoom = "firewall.allow_zoom",
        ProxyDisable = "proxy.disable",
        DnsUsePublic = "dns.use_public",
        NetworkStackReset = "network.stack_reset",
    }
}

string_ids! {
    /// Something a person does by hand, which software cannot.
    StepId ("step") {
        SignInPortal = "sign_in_portal",
        RestartRouter = "restart_router",
        TryHotspot = "try_hotspot",
        UseEthernet = "use_ethernet",
        MoveCloser = "move_closer",
        TurnOffVpn = "turn_off_vpn",
        SipAlg = "sip_alg",
        BrowserClient = "browser_client",
        NewLocalUser = "new_local_user",
        ReinstallZoom = "reinstall_zoom",
        UpdateZoom = "update_zoom",
        PauseSecurityTest = "pause_security_test",
        AskAdmin = "ask_admin",
        ProxySignIn = "proxy_sign_in",
        CheckStatusPage = "check_status_page",
        SetTimeAuto = "set_time_auto",
        QuitZoomFully = "quit_zoom_fully",
        RestartComputer = "restart_computer",
        ContactIsp = "contact_isp",
    }
}

/// What a check is about: a fixed check (`internet`, `dns.system`…) or
/// one of the profile's ports (`tcp.443`, `udp.3478`). Serialised as that
/// string; an unknown string is an error, not a new kind of check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
#[ts(type = "string")]
pub enum CheckId {
    Internet,
    CaptivePortal,
    DnsSystem,
    DnsReference,
    Tls,
    Clock,
    Proxy,
    Vpn,
    Firewall,
    SecuritySoftware,
    ZoomClient,
    ServiceStatus,
    Latency,
    Loss,
    Jitter,
    Bandwidth,
    NetworkType,
    /// Zoom's TCP port `n`.
    Tcp(u16),
    /// Zoom's UDP port `n` (a STUN round trip).
    Udp(u16),
}

impl CheckId {
    /// The checks with a fixed id, in the order a report lists them.
    pub const FIXED: &'static [CheckId] = &[
        CheckId::Internet,
        CheckId::CaptivePortal,
        CheckId::DnsSystem,
        CheckId::DnsReference,
        CheckId::Tls,
        CheckId::Clock,
        CheckId::Proxy,
        CheckId::Vpn,
        CheckId::Firewall,
        CheckId::SecuritySoftware,
        CheckId::ZoomClient,
        CheckId::ServiceStatus,
        CheckId::Latency,
        CheckId::Loss,
        CheckId::Jitter,
        CheckId::Bandwidth,
        CheckId::NetworkType,
    ];

    /// A fixed id's text; `None` for a port check (see [`Display`](std::fmt::Display)).
    pub const fn fixed_str(self) -> Option<&'static str> {
        Some(match self {
            CheckId::Internet => "internet",
            CheckId::CaptivePortal => "captive_portal",
            CheckId::DnsSystem => "dns.system",
            CheckId::DnsReference => "dns.reference",
            CheckId::Tls => "tls",
            CheckId::Clock => "clock",
            CheckId::Proxy => "proxy",
            CheckId::Vpn => "vpn",
            CheckId::Firewall => "firewall",
            CheckId::SecuritySoftware => "security_software",
            CheckId::ZoomClient => "zoom_client",
            CheckId::ServiceStatus => "service_status",
            CheckId::Latency => "latency",
            CheckId::Loss => "loss",
            CheckId::Jitter => "jitter",
            CheckId::Bandwidth => "bandwidth",
            CheckId::NetworkType => "network_type",
            CheckId::Tcp(_) | CheckId::Udp(_) => return None,
        })
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self, self.fixed_str()) {
            (_, Some(s)) => f.write_str(s),
            (CheckId::Tcp(p), None) => write!(f, "tcp.{p}"),
            (CheckId::Udp(p), None) => write!(f, "udp.{p}"),
            (_, None) => Ok(()),
        }
    }
}

impl std::str::FromStr for CheckId {
    type Err = UnknownId;
    fn from_str(s: &str) -> Result<CheckId, UnknownId> {
        let unknown = || UnknownId {
            kind: "check",
            id: s.to_string(),
        };
        let port = |p: &str| match p.parse::<u16>() {
            Ok(n) if n > 0 && !p.starts_with(['0', '+']) => Ok(n),
            _ => Err(unknown()),
        };
        if let Some(p) = s.strip_prefix("tcp.") {
            return port(p).map(CheckId::Tcp);
        }
        if let Some(p) = s.strip_prefix("udp.") {
            return port(p).map(CheckId::Udp);
        }
        CheckId::FIXED
            .iter()
            .find(|id| id.fixed_str() == Some(s))
            .copied()
            .ok_or_else(unknown)
    }
}

impl Serialize for CheckId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CheckId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CheckId, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl PartialEq<str> for CheckId {
    fn eq(&self, other: &str) -> bool {
        match self.fixed_str() {
            Some(s) => s == other,
            None => other.parse::<CheckId>().is_ok_and(|o| o == *self),
        }
    }
}

impl PartialEq<&str> for CheckId {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for CheckId {
    fn eq(&self, other: &String) -> bool {
        *self == *other.as_str()
    }
}

impl PartialEq<CheckId> for &str {
    fn eq(&self, other: &CheckId) -> bool {
        *other == **self
    }
}

impl PartialEq<CheckId> for str {
    fn eq(&self, other: &CheckId) -> bool {
        *other == *self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_strings_and_json() {
        for id in CauseId::ALL {
            assert_eq!(id.as_str().parse::<CauseId>(), Ok(*id));
            let json = serde_json::to_string(id).unwrap();
            assert_eq!(json, format!("\"{}\"", id.as_str()));
            assert_eq!(serde_json::from_str::<CauseId>(&json).unwrap(), *id);
        }
        for id in FixId::ALL {
            assert_eq!(id.as_str().parse::<FixId>(), Ok(*id));
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
        for id in StepId::ALL {
            assert_eq!(id.as_str().parse::<StepId>(), Ok(*id));
        }
        assert_eq!(FixId::DnsFlush, "dns.flush");
        assert!("offline" == CauseId::Offline);
    }

    #[test]
    fn an_unknown_id_is_an_error_that_names_it() {
        let e = "dns.flsh".parse::<FixId>().unwrap_err();
        assert_eq!(e.to_string(), "\"dns.flsh\" is not a known fix");
        assert!(serde_json::from_str::<CauseId>("\"nope\"").is_err());
    }

    #[test]
    fn check_ids_round_trip_and_refuse_what_is_not_one() {
        for id in CheckId::FIXED
            .iter()
            .copied()
            .chain([CheckId::Tcp(443), CheckId::Udp(3478)])
        {
            let text = id.to_string();
            assert_eq!(text.parse::<CheckId>(), Ok(id), "{text}");
            assert_eq!(serde_json::to_value(id).unwrap(), text.as_str());
            assert_eq!(id, text.as_str());
        }
        assert_eq!(CheckId::Tcp(8801), "tcp.8801");
        for bad in [
            "tcp.",
            "tcp.0",
            "tcp.65536",
            "tcp.+1",
            "tcp.080",
            "udp.x",
            "dns",
            "TLS",
            "",
        ] {
            assert!(bad.parse::<CheckId>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<CheckId>("\"nope\"").is_err());
    }
}
