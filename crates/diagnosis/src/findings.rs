//! What the rules read: the findings by check id, a small cause builder,
//! and the facts several rules share.

use serde::de::DeserializeOwned;

use md_model::evidence::{self, ProxyEvidence};
use md_model::finding::{Finding, Status};
use md_model::ids::{CauseId, CheckId, FixId, StepId};

use crate::codes::CONNECTION_CODES;
use crate::steps::step;
use crate::Cause;

pub(crate) struct Findings<'a>(pub(crate) &'a [Finding]);

impl<'a> Findings<'a> {
    pub(crate) fn get(&self, id: &str) -> Option<&'a Finding> {
        self.0.iter().find(|f| f.id == id)
    }
    pub(crate) fn status(&self, id: &str) -> Option<Status> {
        self.get(id).map(|f| f.status)
    }
    pub(crate) fn is(&self, id: &str, s: Status) -> bool {
        self.status(id) == Some(s)
    }
    pub(crate) fn ids_with(&self, prefix: &str, s: Status) -> Vec<String> {
        self.0
            .iter()
            .map(|f| (f.id.to_string(), f.status))
            .filter(|(id, status)| id.starts_with(prefix) && *status == s)
            .map(|(id, _)| id)
            .collect()
    }
    /// The typed part of check `id`'s evidence (empty when the check is
    /// missing or its evidence says nothing readable).
    pub(crate) fn evidence<T: DeserializeOwned + Default>(&self, id: &str) -> T {
        self.get(id)
            .map(|f| evidence::read(&f.evidence))
            .unwrap_or_default()
    }
    // Facts several rules share, computed in one place.

    /// This computer's own lookup failed.
    pub(crate) fn dns_failed(&self) -> bool {
        self.is("dns.system", Status::Fail)
    }

    /// The proxy check passed through a proxy (not a direct route).
    pub(crate) fn proxy_route_ok(&self) -> bool {
        self.is("proxy", Status::Pass)
            && self
                .evidence::<ProxyEvidence>("proxy")
                .used
                .is_some_and(|hop| hop.kind != "direct")
    }

    /// Zoom's main port failed: 443 when the profile lists it, else the
    /// first port with a host to test (a profile for a lab or a private
    /// deployment). Skipped port checks (no lookup) say nothing.
    pub(crate) fn main_tcp_failed(&self) -> bool {
        let main_tcp = self
            .0
            .iter()
            .find(|x| x.id == CheckId::Tcp(443))
            .or_else(|| {
                self.0
                    .iter()
                    .find(|x| matches!(x.id, CheckId::Tcp(_)) && x.status != Status::Unknown)
            });
        main_tcp.is_some_and(|f| f.status == Status::Fail)
    }

    /// Something on the network side failed, which this computer's own
    /// software (VPN, firewall, security products) may explain.
    pub(crate) fn network_trouble(&self) -> bool {
        self.main_tcp_failed()
            || !self.ids_with("udp.", Status::Fail).is_empty()
            || self.is("tls", Status::Fail)
            || self.dns_failed()
            || ["latency", "jitter", "loss"]
                .iter()
                .any(|q| self.is(q, Status::Fail))
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn cause(
    id: CauseId,
    confidence: f64,
    summary: String,
    explanation: &str,
    codes: bool,
    evidence: Vec<String>,
    fixes: &[FixId],
    steps: &[StepId],
) -> Cause {
    Cause {
        id,
        confidence,
        summary,
        explanation: explanation.into(),
        error_codes: if codes {
            CONNECTION_CODES.iter().map(|s| s.to_string()).collect()
        } else {
            vec![]
        },
        evidence,
        fixes: fixes.to_vec(),
        steps: steps.iter().map(|s| step(*s)).collect(),
        quality_only: !codes,
    }
}
