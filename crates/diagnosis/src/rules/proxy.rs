//! The proxy set on this computer.

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, FixId, StepId};

/// A proxy that refuses Zoom, wants a sign-in, or is half set up.
pub(super) fn proxy_interference(f: &Findings, out: &mut Vec<Cause>) {
    match f.status("proxy") {
        Some(Fail) => {
            let sign_in = f
                .get("proxy")
                .is_some_and(|p| p.summary.contains("sign-in"));
            out.push(cause(
                CauseId::ProxyInterference,
                0.9,
                f.get("proxy").map(|p| p.summary.clone()).unwrap_or_default(),
                "Zoom sends its traffic through the proxy set on this computer, and the proxy does not let it through.",
                true,
                vec!["proxy".into()],
                if sign_in { &[] } else { &[FixId::ProxyDisable] },
                if sign_in { &[StepId::ProxySignIn, StepId::AskAdmin] } else { &[StepId::AskAdmin, StepId::TryHotspot] },
            ));
        }
        Some(Warn) => out.push(cause(
            CauseId::ProxyInterference,
            0.55,
            f.get("proxy").map(|p| p.summary.clone()).unwrap_or_default(),
            "The proxy setup on this computer is partly broken; apps may fail or fall back to a direct connection.",
            true,
            vec!["proxy".into()],
            &[FixId::ProxyDisable],
            &[StepId::AskAdmin],
        )),
        _ => {}
    }
}
