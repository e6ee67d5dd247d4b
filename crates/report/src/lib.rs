//! The report: one snapshot of a run (system, findings, diagnosis, fixes),
//! in the JSON shape of the contract (`meeting-doctor/report/v1`).

pub mod compare;
pub mod redact;
pub mod render;

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use md_fixes::outcome::FixRecord;
use md_model::checks::Group;
use md_model::finding::{Finding, Status};
use md_model::ids::CheckId;
use md_model::profile::Profile;
use md_model::system::SystemInfo;
use md_probes::runner::RunOutcome;

pub const SCHEMA: &str = "meeting-doctor/report/v1";

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

impl AppInfo {
    pub fn current() -> AppInfo {
        AppInfo {
            name: "Meeting Doctor".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ProfileInfo {
    pub name: String,
    pub source: String,
}

impl ProfileInfo {
    pub fn of(profile: &Profile) -> ProfileInfo {
        ProfileInfo {
            name: profile.name.clone(),
            source: profile.source.clone(),
        }
    }
}

/// A check a run will make, for showing the list before it starts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PlannedCheck {
    pub id: CheckId,
    pub title: String,
    pub group: Group,
}

/// What a front end shows before a run: who we are, where, and what will be checked.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Overview {
    pub app: AppInfo,
    pub system: SystemInfo,
    pub profile: ProfileInfo,
    pub checks: Vec<PlannedCheck>,
}

impl Overview {
    pub fn new(profile: &Profile, plan: &md_probes::Plan) -> Overview {
        Overview {
            app: AppInfo::current(),
            system: md_facts::system_info(),
            profile: ProfileInfo::of(profile),
            checks: plan
                .check_ids()
                .into_iter()
                .map(|id| PlannedCheck {
                    title: md_model::checks::title(id),
                    group: md_model::checks::group(id),
                    id,
                })
                .collect(),
        }
    }
}

pub use md_diagnosis::{Cause, Diagnosis, Step};

/// How the run went (timing, deadline, cancel).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RunInfo {
    pub elapsed_ms: u64,
    pub deadline_ms: u64,
    pub deadline_hit: bool,
    pub cancelled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Report {
    pub schema: String,
    pub generated_at: String,
    pub app: AppInfo,
    pub system: SystemInfo,
    pub profile: ProfileInfo,
    pub checks: Vec<Finding>,
    pub diagnosis: Diagnosis,
    /// The fixes made or undone after this run, in order.
    #[serde(default)]
    pub fixes_applied: Vec<FixRecord>,
    pub run: RunInfo,
    /// The Zoom error code the person said they see, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error_code: Option<String>,
}

impl Report {
    pub fn new(profile: &Profile, outcome: RunOutcome) -> Report {
        Report {
            schema: SCHEMA.to_string(),
            generated_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            app: AppInfo::current(),
            system: md_facts::system_info(),
            profile: ProfileInfo::of(profile),
            checks: outcome.findings,
            diagnosis: Diagnosis::default(),
            fixes_applied: Vec::new(),
            run: RunInfo {
                elapsed_ms: outcome.elapsed_ms,
                deadline_ms: outcome.deadline_ms,
                deadline_hit: outcome.deadline_hit,
                cancelled: outcome.cancelled,
            },
            error_code: None,
        }
        .diagnosed()
    }

    /// Runs the diagnosis rules over the checks (again, after the error
    /// code or the checks changed).
    pub fn diagnosed(mut self) -> Report {
        self.diagnosis = md_diagnosis::diagnose(&self.checks, self.error_code.as_deref());
        self
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
