//! The proxy set on this computer.

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;

/// A proxy that refuses Zoom, wants a sign-in, or is half set up.
pub(super) fn proxy_interference(f: &Findings, out: &mut Vec<Cause>) {
    match f.status("proxy") {
        Some(Fail) => {
            let sign_in = f
                .get("proxy")
                .is_some_and(|p| p.summary.contains("sign-in"));
            out.push(cause(
                "proxy_interference",
                0.9,
                f.get("proxy").map(|p| p.summary.clone()).unwrap_or_default(),
                "Zoom sends its traffic through the proxy set on this computer, and the proxy does not let it through.",
                true,
                vec!["proxy".into()],
                if sign_in { &[] } else { &["proxy.disable"] },
                if sign_in { &["proxy_sign_in", "ask_admin"] } else { &["ask_admin", "try_hotspot"] },
            ));
        }
        Some(Warn) => out.push(cause(
            "proxy_interference",
            0.55,
            f.get("proxy").map(|p| p.summary.clone()).unwrap_or_default(),
            "The proxy setup on this computer is partly broken; apps may fail or fall back to a direct connection.",
            true,
            vec!["proxy".into()],
            &["proxy.disable"],
            &["ask_admin"],
        )),
        _ => {}
    }
}
