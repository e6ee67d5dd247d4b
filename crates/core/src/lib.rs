//! Meeting Doctor's engine: finds out why the Zoom client cannot connect.
//!
//! Profile ──► Plan ──► probes run concurrently ──► Findings ──► Report.
//! No GUI dependency: the CLI and the desktop app are thin shells over it.

pub mod checks;
pub mod compare;
pub mod context;
pub mod diagnosis;
pub mod error;
pub mod facts;
pub mod finding;
pub mod fixes;
pub mod http1;
pub mod net;
pub mod pac;
pub mod probes;
pub mod profile;
pub mod proxy;
pub mod redact;
pub mod render;
pub mod report;
pub mod runner;
pub mod stun;
pub mod system;
pub mod text;
pub mod trust;

pub use context::Context;
pub use error::{Error, Result};
pub use finding::{Finding, Status};
pub use probes::Plan;
pub use profile::Profile;
pub use report::Report;
pub use runner::{run, Mode, RunEvent, RunOptions, RunOutcome};

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
pub use tokio_util::sync::CancellationToken;
