//! Causes that explain everything after them: when one holds, it is the
//! only cause (the other red rows follow from it).

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, FixId, StepId};

/// A captive portal holds everything back until its page is accepted.
pub(super) fn captive_portal(f: &Findings) -> Option<Cause> {
    if f.is("captive_portal", Fail) {
        return Some(cause(
            CauseId::CaptivePortal,
            0.95,
            "This Wi-Fi wants you to sign in on a web page before anything else works.".into(),
            "Public and guest networks hold back all traffic, Zoom's included, until their sign-in page is accepted. The other red rows follow from that.",
            true,
            vec!["captive_portal".into()],
            &[],
            &[StepId::SignInPortal, StepId::TryHotspot],
        ));
    }
    None
}

/// No internet: nothing else can be judged.
pub(super) fn offline(f: &Findings) -> Option<Cause> {
    let anything_reached = !f.ids_with("tcp.", Pass).is_empty()
        || !f.ids_with("udp.", Pass).is_empty()
        || f.is("tls", Pass)
        || f.is("dns.reference", Pass);
    if f.is("internet", Fail) && !anything_reached {
        return Some(cause(
            CauseId::Offline,
            0.95,
            "This computer is not connected to the internet.".into(),
            "No test could reach anything outside this computer, so Zoom cannot either. Everything else waits on the connection.",
            true,
            vec!["internet".into()],
            &[FixId::NetworkStackReset],
            &[StepId::RestartRouter, StepId::UseEthernet, StepId::TryHotspot, StepId::RestartComputer, StepId::ContactIsp],
        ));
    }
    None
}
