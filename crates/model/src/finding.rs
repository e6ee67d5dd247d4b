//! Findings: what one check found, in words for a person and in data for a
//! technician.

use serde::{Deserialize, Serialize};

use crate::ids::CheckId;
use serde_json::Value;
use ts_rs::TS;

/// The outcome of one check. `Pass` is only ever given on positive evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Unknown,
    Skipped,
}

impl Status {
    /// Lower is better; used to fold several sub-results into one status.
    fn severity(self) -> u8 {
        match self {
            Status::Pass => 0,
            Status::Skipped => 1,
            Status::Unknown => 2,
            Status::Warn => 3,
            Status::Fail => 4,
        }
    }

    /// The worse of two statuses (fail > warn > unknown > skipped > pass).
    pub fn worst(self, other: Status) -> Status {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::Skipped => "skipped",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Finding {
    /// Stable check id (`tcp.443`, `dns.system`, …): part of the contract.
    pub id: CheckId,
    /// Plain-words name of the check.
    pub title: String,
    pub status: Status,
    /// One sentence for a person, no jargon first.
    pub summary: String,
    /// The technical detail, for a technician.
    pub detail: String,
    /// Structured evidence (addresses, timings, answers).
    pub evidence: Value,
    pub elapsed_ms: u64,
}

impl Finding {
    pub fn new(id: CheckId, status: Status, summary: impl Into<String>) -> Self {
        Finding {
            title: crate::checks::title(id),
            id,
            status,
            summary: summary.into(),
            detail: String::new(),
            evidence: Value::Object(Default::default()),
            elapsed_ms: 0,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn evidence(mut self, evidence: Value) -> Self {
        self.evidence = evidence;
        self
    }
}
