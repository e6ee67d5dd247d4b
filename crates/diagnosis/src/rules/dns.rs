//! Name lookup: a filter, a broken resolver, or no lookup at all.

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::evidence::DnsSystemEvidence;
use md_model::ids::{CauseId, FixId, StepId};

/// Name lookup failed: answered by a filter, failing only on this
/// computer's server, or failing everywhere.
pub(super) fn dns(f: &Findings, out: &mut Vec<Cause>) {
    if f.dns_failed() {
        let DnsSystemEvidence {
            sinkholed,
            fails_only_on_system: only_here,
        } = f.evidence("dns.system");
        if !sinkholed.is_empty() {
            out.push(cause(
                CauseId::DnsFiltered,
                0.92,
                format!("This network's name lookup blocks Zoom ({}).", sinkholed.join(", ")),
                "The network's DNS answers Zoom's names with an address that goes nowhere: a content filter (router, school or office filter, parental controls) is blocking Zoom.",
                true,
                vec!["dns.system".into(), "dns.reference".into()],
                &[FixId::DnsUsePublic],
                &[StepId::AskAdmin, StepId::TryHotspot],
            ));
        } else if !only_here.is_empty() {
            out.push(cause(
                CauseId::DnsFailure,
                0.88,
                format!("This computer's name lookup can't find Zoom ({}), though public DNS can.", only_here.join(", ")),
                "The DNS server this computer uses fails on Zoom's names while public DNS servers find them. A stale cache or a broken DNS server is the usual reason.",
                true,
                vec!["dns.system".into(), "dns.reference".into()],
                &[FixId::DnsFlush, FixId::DnsUsePublic],
                &[StepId::RestartRouter, StepId::TryHotspot],
            ));
        } else {
            out.push(cause(
                CauseId::DnsFailure,
                0.7,
                "This computer can't look up Zoom's servers by name.".into(),
                "Name lookup (DNS) is failing, so Zoom can't find where to connect.",
                true,
                vec!["dns.system".into()],
                &[FixId::DnsFlush, FixId::DnsUsePublic],
                &[StepId::RestartRouter, StepId::TryHotspot],
            ));
        }
    }
}
