//! Wording the formats share.

use super::*;

pub(super) fn status_word(s: Status) -> &'static str {
    match s {
        Status::Pass => "Pass",
        Status::Warn => "Warning",
        Status::Fail => "Fail",
        Status::Unknown => "Unknown",
        Status::Skipped => "Skipped",
    }
}

pub(super) const QUALITY_NOTE: &str = "Affects sound and video, not whether Zoom connects.";

pub(super) fn cause_heading(n: usize, c: &CauseView) -> String {
    format!("{n}. {}", c.summary)
}

pub(super) fn cause_lead(c: &CauseView) -> String {
    if c.quality_only {
        format!("{}. {QUALITY_NOTE} {}", c.likelihood, c.explanation)
    } else {
        format!("{}. {}", c.likelihood, c.explanation)
    }
}
