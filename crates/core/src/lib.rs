//! Meeting Doctor's engine, as the CLI and the desktop app see it.
//!
//! Profile ──► Plan ──► probes run concurrently ──► Findings ──► Diagnosis
//! ──► Report, and fixes with their check afterwards. The work lives in the
//! crates by concern (see `ARCHITECTURE.md`); this facade puts them under
//! one roof so a shell needs one dependency, and holds what spans several of
//! them: a whole check ([`check`]) and a fix with its re-check ([`fixer`]).
//! No GUI dependency: the CLI and the desktop app are thin shells over it.

pub mod activity;
pub mod fixer;

pub use md_diagnosis as diagnosis;
pub use md_facts as facts;
pub use md_model::{checks, error, finding, ids, profile, system, text};
pub use md_net as net;
pub use md_net::{http1, stun, trust};
pub use md_pac as pac;
pub use md_probes as probes;
pub use md_probes::{context, proxy, runner};
pub use md_report as report;
pub use md_report::{compare, redact, render};

/// The fix catalog, plans, journal and undo ([`md_fixes`]) with the fixer
/// that runs a fix and checks again afterwards.
pub mod fixes {
    pub use crate::fixer::{self, Fixer, Outcome, OutcomeStatus, Verification};
    pub use md_fixes::*;
}

pub use context::Context;
pub use error::{Error, Result};
pub use finding::{Finding, Status};
pub use probes::Plan;
pub use profile::Profile;
pub use report::Report;
pub use runner::{run, Mode, RunEvent, RunOptions, RunOutcome};
pub use tokio_util::sync::CancellationToken;

/// One whole check: trust stores and HTTP client for `profile`, the run,
/// and the report. What the CLI and the app each call.
pub async fn check(
    profile: &Profile,
    plan: &Plan,
    opts: RunOptions,
    events: Option<tokio::sync::mpsc::UnboundedSender<RunEvent>>,
    cancel: CancellationToken,
) -> Result<Report> {
    let ctx = Context::new(profile.clone())?;
    let outcome = run(plan, &ctx, opts, events, cancel).await;
    Ok(Report::new(profile, outcome))
}
