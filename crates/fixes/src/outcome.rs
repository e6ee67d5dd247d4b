//! How a fix (or an undo) ended, for a person and for the report: the
//! outcome the fixer returns, and the record the report keeps of it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::apply::StepResult;
use md_model::finding::Status;
use md_model::ids::CheckId;

/// How a fix (or an undo) ended, for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    Applied,
    Failed,
    /// The person said no at the administrator prompt.
    Declined,
    /// Stopped while waiting for the prompt to be answered.
    Cancelled,
    /// This account may not make the change.
    NotAuthorized,
    /// Nobody answered the prompt in time.
    TimedOut,
    /// The fix cannot be done on this computer.
    NotApplicable,
}

/// One check before and after the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckChange {
    pub id: CheckId,
    pub title: String,
    pub before: Option<Status>,
    pub after: Status,
    pub summary: String,
}

/// The fix's checks, run again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verification {
    pub checks: Vec<CheckChange>,
    /// Something that failed now passes, and nothing got worse.
    pub helped: bool,
    /// Every check of the fix now passes.
    pub all_pass: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Outcome {
    pub status: OutcomeStatus,
    pub fix: String,
    pub title: String,
    /// One or two plain sentences.
    pub message: String,
    /// The journal entry (to undo it).
    pub entry: Option<String>,
    pub steps: Vec<StepResult>,
    pub verification: Option<Verification>,
}

/// Whether a record is of the fix being made or undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FixAction {
    Apply,
    Undo,
}

/// A fix as a report's `fixes_applied` keeps it: the outcome, whether it
/// was made or undone, and when (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FixRecord {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub action: FixAction,
    pub at: String,
}

impl FixRecord {
    /// The record of `outcome`; an undo is titled "Undo: <fix>".
    pub fn new(outcome: &Outcome, action: FixAction, at: &str) -> FixRecord {
        let mut outcome = outcome.clone();
        if action == FixAction::Undo {
            outcome.title = format!("Undo: {}", outcome.title);
        }
        FixRecord {
            outcome,
            action,
            at: at.to_string(),
        }
    }
}
