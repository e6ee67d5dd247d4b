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
}
