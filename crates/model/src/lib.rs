//! The words Meeting Doctor's engine is written in: the profile of a
//! meeting service, the check ids and their titles, a finding and its
//! status, the computer's operating system, and text made safe to show.
//!
//! No I/O and no network: every other crate depends on this one, so it stays
//! small and quick to build.

pub mod checks;
pub mod error;
pub mod evidence;
pub mod finding;
pub mod fix_catalog;
pub mod ids;
pub mod profile;
pub mod system;
pub mod text;

pub use error::{Error, Result};
pub use finding::{Finding, Status};
pub use ids::{CauseId, CheckId, FixId, StepId, UnknownId};
pub use profile::Profile;
