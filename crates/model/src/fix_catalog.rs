//! The fix catalog as data: which repairs exist, in plain words, how much
//! each can disturb and which checks show whether it helped. The plans that
//! carry a fix out live in `md_fixes`; the report and the diagnosis only need
//! this list.

use serde::{Deserialize, Serialize};

use crate::ids::FixId;
use ts_rs::TS;

/// How much a fix can disturb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    Low,
    Medium,
    High,
}

/// A catalog entry: what the fix is, before any OS is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Fix {
    pub id: FixId,
    /// Short, for a button ("Clear Zoom's temporary files").
    pub title: String,
    /// Why it may help, in one plain sentence.
    pub why: String,
    pub risk: Risk,
    /// The checks to run again afterwards to see whether it helped
    /// (`udp.*` means every UDP port check).
    pub verify: Vec<String>,
}

struct Entry {
    id: FixId,
    title: &'static str,
    why: &'static str,
    risk: Risk,
    verify: &'static [&'static str],
}

/// A fix's entry. The match has no fallback, so a new `FixId` does not
/// build until it has one.
const fn entry(id: FixId) -> Entry {
    match id {
        FixId::ZoomQuit => Entry {
            id: FixId::ZoomQuit,
            title: "Quit Zoom completely",
            why: "A Zoom helper left running can keep Zoom from starting cleanly.",
            risk: Risk::Low,
            verify: &["zoom_client"],
        },
        FixId::DnsFlush => Entry {
            id: FixId::DnsFlush,
            title: "Clear the list of remembered addresses (DNS cache)",
            why:
                "An old or wrong address remembered by this computer can send Zoom to the wrong place.",
            risk: Risk::Low,
            verify: &["dns.system"],
        },
        FixId::ClockSync => Entry {
            id: FixId::ClockSync,
            title: "Set the clock from the internet",
            why: "Secure connections fail when this computer's clock is wrong.",
            risk: Risk::Low,
            verify: &["clock", "tls"],
        },
        FixId::ZoomClearCache => Entry {
            id: FixId::ZoomClearCache,
            title: "Put Zoom's temporary files aside",
            why: "Damaged temporary files can stop Zoom from connecting; Zoom makes new ones.",
            risk: Risk::Low,
            verify: &["zoom_client"],
        },
        FixId::FirewallAllowZoom => Entry {
            id: FixId::FirewallAllowZoom,
            title: "Let Zoom through this computer's firewall",
            why: "The firewall on this computer blocks the ports Zoom needs.",
            risk: Risk::Medium,
            verify: &["firewall", "tcp.*", "udp.*"],
        },
        FixId::ProxyDisable => Entry {
            id: FixId::ProxyDisable,
            title: "Stop using the proxy server",
            why: "The proxy server this computer is set to use stands between Zoom and its servers.",
            risk: Risk::Medium,
            verify: &["proxy", "internet", "tls"],
        },
        FixId::DnsUsePublic => Entry {
            id: FixId::DnsUsePublic,
            title: "Use public DNS servers",
            why: "This network's DNS servers do not answer, or answer wrongly, for Zoom.",
            risk: Risk::Medium,
            verify: &["dns.system"],
        },
        FixId::NetworkStackReset => Entry {
            id: FixId::NetworkStackReset,
            title: "Reset this computer's network settings",
            why: "Damaged network settings can break every connection; a reset rebuilds them.",
            risk: Risk::High,
            verify: &["internet", "dns.system"],
        },
    }
}

/// Every fix, in repair order (lowest risk first).
pub fn catalog() -> Vec<Fix> {
    FixId::ALL.iter().map(|id| get(*id)).collect()
}

/// Where a fix stands in repair order (0 first).
pub fn repair_rank(id: FixId) -> usize {
    FixId::ALL
        .iter()
        .position(|f| *f == id)
        .unwrap_or(usize::MAX)
}

/// One catalog entry by its id as text (from a person, a file or a
/// command line); `None` for an unknown id.
pub fn find(id: &str) -> Option<Fix> {
    id.parse().ok().map(get)
}

/// One catalog entry.
pub fn get(id: FixId) -> Fix {
    to_fix(&entry(id))
}

fn to_fix(e: &Entry) -> Fix {
    Fix {
        id: e.id,
        title: e.title.into(),
        why: e.why.into(),
        risk: e.risk,
        verify: e.verify.iter().map(|s| s.to_string()).collect(),
    }
}

/// Where a check id matches one of a fix's verify patterns (`udp.*`).
pub fn verifies(fix: &Fix, check_id: &str) -> bool {
    fix.verify.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => check_id.starts_with(prefix),
        None => p == check_id,
    })
}
