//! The clock, which secure connections depend on.

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, FixId, StepId};

/// A wrong clock makes every certificate look invalid.
pub(super) fn clock_skew(f: &Findings, out: &mut Vec<Cause>) {
    if f.is("clock", Fail) {
        out.push(cause(
            CauseId::ClockSkew,
            0.9,
            "This computer's clock is wrong, which breaks secure connections.".into(),
            "Secure connections check dates on certificates. With the clock far off, Zoom's certificate looks expired or not yet valid and the connection is refused.",
            true,
            vec!["clock".into(), "tls".into()],
            &[FixId::ClockSync],
            &[StepId::SetTimeAuto],
        ));
    }
}
