//! The report: one snapshot of a run (system, findings, diagnosis, fixes),
//! in the JSON shape of the contract (`meeting-doctor/report/v1`).

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Status};
use crate::profile::Profile;
use crate::runner::RunOutcome;
use crate::system::SystemInfo;

pub const SCHEMA: &str = "meeting-doctor/report/v1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProfileInfo {
    pub name: String,
    pub source: String,
}

/// A ranked cause (filled by the diagnosis rules).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cause {
    pub id: String,
    pub confidence: f64,
    pub explanation: String,
    pub error_codes: Vec<String>,
    pub evidence: Vec<String>,
    pub fixes: Vec<String>,
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Diagnosis {
    /// Empty means healthy.
    pub causes: Vec<Cause>,
}

/// How the run went (timing, deadline, cancel).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunInfo {
    pub elapsed_ms: u64,
    pub deadline_ms: u64,
    pub deadline_hit: bool,
    pub cancelled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub generated_at: String,
    pub app: AppInfo,
    pub system: SystemInfo,
    pub profile: ProfileInfo,
    pub checks: Vec<Finding>,
    pub diagnosis: Diagnosis,
    pub fixes_applied: Vec<serde_json::Value>,
    pub run: RunInfo,
}

impl Report {
    pub fn new(profile: &Profile, outcome: RunOutcome) -> Report {
        Report {
            schema: SCHEMA.to_string(),
            generated_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            app: AppInfo {
                name: "Meeting Doctor".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            system: SystemInfo::current(),
            profile: ProfileInfo {
                name: profile.name.clone(),
                source: profile.source.clone(),
            },
            checks: outcome.findings,
            diagnosis: Diagnosis::default(),
            fixes_applied: Vec::new(),
            run: RunInfo {
                elapsed_ms: outcome.elapsed_ms,
                deadline_ms: outcome.deadline_ms,
                deadline_hit: outcome.deadline_hit,
                cancelled: outcome.cancelled,
            },
        }
    }

    /// True when no check failed or warned and no cause was found.
    pub fn healthy(&self) -> bool {
        self.diagnosis.causes.is_empty()
            && !self
                .checks
                .iter()
                .any(|c| matches!(c.status, Status::Fail | Status::Warn))
    }

    /// Counts per status, in display order.
    pub fn tally(&self) -> Vec<(Status, usize)> {
        [
            Status::Pass,
            Status::Warn,
            Status::Fail,
            Status::Unknown,
            Status::Skipped,
        ]
        .into_iter()
        .map(|s| (s, self.checks.iter().filter(|c| c.status == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}
