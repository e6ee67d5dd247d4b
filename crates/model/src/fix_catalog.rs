//! The fix catalog as data: which repairs exist, in plain words, how much
//! each can disturb and which checks show whether it helped. The plans that
//! carry a fix out live in `md_fixes`; the report and the diagnosis only need
//! this list.

use serde::{Deserialize, Serialize};
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
    pub id: String,
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
    id: &'static str,
    title: &'static str,
    why: &'static str,
    risk: Risk,
    verify: &'static [&'static str],
}

/// The catalog, in repair order: the narrow, low-risk fixes first.
const CATALOG: &[Entry] = &[
    Entry {
        id: "zoom.quit",
        title: "Quit Zoom completely",
        why: "A Zoom helper left running can keep Zoom from starting cleanly.",
        risk: Risk::Low,
        verify: &["zoom_client"],
    },
    Entry {
        id: "dns.flush",
        title: "Clear the list of remembered addresses (DNS cache)",
        why:
            "An old or wrong address remembered by this computer can send Zoom to the wrong place.",
        risk: Risk::Low,
        verify: &["dns.system"],
    },
    Entry {
        id: "clock.sync",
        title: "Set the clock from the internet",
        why: "Secure connections fail when this computer's clock is wrong.",
        risk: Risk::Low,
        verify: &["clock", "tls"],
    },
    Entry {
        id: "zoom.clear_cache",
        title: "Put Zoom's temporary files aside",
        why: "Damaged temporary files can stop Zoom from connecting; Zoom makes new ones.",
        risk: Risk::Low,
        verify: &["zoom_client"],
    },
    Entry {
        id: "firewall.allow_zoom",
        title: "Let Zoom through this computer's firewall",
        why: "The firewall on this computer blocks the ports Zoom needs.",
        risk: Risk::Medium,
        verify: &["firewall", "tcp.*", "udp.*"],
    },
    Entry {
        id: "proxy.disable",
        title: "Stop using the proxy server",
        why: "The proxy server this computer is set to use stands between Zoom and its servers.",
        risk: Risk::Medium,
        verify: &["proxy", "internet", "tls"],
    },
    Entry {
        id: "dns.use_public",
        title: "Use public DNS servers",
        why: "This network's DNS servers do not answer, or answer wrongly, for Zoom.",
        risk: Risk::Medium,
        verify: &["dns.system"],
    },
    Entry {
        id: "network.stack_reset",
        title: "Reset this computer's network settings",
        why: "Damaged network settings can break every connection; a reset rebuilds them.",
        risk: Risk::High,
        verify: &["internet", "dns.system"],
    },
];

/// Every fix, in repair order (lowest risk first).
pub fn catalog() -> Vec<Fix> {
    CATALOG.iter().map(to_fix).collect()
}

/// Where a fix stands in repair order (0 first); `None` for an unknown id.
pub fn repair_rank(id: &str) -> Option<usize> {
    CATALOG.iter().position(|e| e.id == id)
}

/// One catalog entry by id.
pub fn find(id: &str) -> Option<Fix> {
    CATALOG.iter().find(|e| e.id == id).map(to_fix)
}

fn to_fix(e: &Entry) -> Fix {
    Fix {
        id: e.id.into(),
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
