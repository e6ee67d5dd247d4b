//! Meeting Doctor's engine: finds out why the Zoom client cannot connect.
//!
//! Profile ──► Plan ──► probes run concurrently ──► Findings ──► Report.
//! No GUI dependency: the CLI and the desktop app are thin shells over it.

pub mod checks;
pub mod context;
pub mod error;
pub mod finding;
pub mod http1;
pub mod net;
pub mod probes;
pub mod profile;
pub mod report;
pub mod runner;
pub mod stun;
pub mod system;
pub mod trust;

pub use context::Context;
pub use error::{Error, Result};
pub use finding::{Finding, Status};
pub use probes::Plan;
pub use profile::Profile;
pub use report::Report;
pub use runner::{run, Mode, RunEvent, RunOptions, RunOutcome};
pub use tokio_util::sync::CancellationToken;
