//! How well meetings work: delay, jitter, loss, speed, Wi-Fi signal.

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, StepId};

/// A slow or unsteady connection.
pub(super) fn poor_connection(f: &Findings, out: &mut Vec<Cause>) {
    let quality: Vec<String> = ["latency", "jitter", "loss", "bandwidth"]
        .iter()
        .filter(|q| matches!(f.status(q), Some(Fail | Warn)))
        .map(|q| q.to_string())
        .collect();
    if !quality.is_empty() {
        let bad = quality.iter().any(|q| f.is(q, Fail));
        let weak_wifi = f.is("network_type", Warn);
        let mut ev = quality.clone();
        if weak_wifi {
            ev.push("network_type".into());
        }
        let mut c = cause(
            CauseId::PoorConnection,
            if bad { 0.7 } else { 0.4 },
            if weak_wifi {
                "The connection is weak (Wi-Fi signal); sound and video may break up.".into()
            } else {
                "The connection is slow or unsteady; sound and video may break up.".into()
            },
            "Delay, jitter, lost packets or low speed make meetings choppy and can make joining time out (error 10002).",
            false,
            ev,
            &[],
            if weak_wifi { &[StepId::MoveCloser, StepId::UseEthernet, StepId::RestartRouter] } else { &[StepId::UseEthernet, StepId::RestartRouter, StepId::SipAlg] },
        );
        if bad {
            c.error_codes = vec!["10002".into()];
        }
        out.push(c);
    }
}
