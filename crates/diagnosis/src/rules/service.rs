//! The meeting service itself.

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, StepId};

/// Zoom is down: first, whatever else is found.
pub(super) fn zoom_outage(f: &Findings, out: &mut Vec<Cause>) {
    match f.status("service_status") {
        Some(Fail) => out.push(cause(
            CauseId::ZoomOutage,
            0.97,
            "Zoom itself has a problem right now; it is not your computer.".into(),
            "Zoom's status page reports an outage. Until Zoom fixes it, joining may fail for many people.",
            true,
            vec!["service_status".into()],
            &[],
            &[StepId::CheckStatusPage],
        )),
        Some(Warn) => out.push(cause(
            CauseId::ZoomOutage,
            0.35,
            "Zoom reports a minor problem or maintenance right now.".into(),
            "Zoom's status page lists a degraded service or maintenance. It may explain a failure if nothing else does.",
            true,
            vec!["service_status".into()],
            &[],
            &[StepId::CheckStatusPage],
        )),
        _ => {}
    }
}
