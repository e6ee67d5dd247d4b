//! The secure connection: interception, a filter that cuts it, or a stand-in.

use md_model::evidence::TlsEvidence;

use super::this_computer::{security_products, shares_word};
use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, StepId};

/// The secure connection failed (a wrong clock explains it on its own).
pub(super) fn tls(f: &Findings, out: &mut Vec<Cause>) {
    if f.is("tls", Fail) && !f.is("clock", Fail) {
        let (public, local, issuer, stage) = tls_verdict(f).unwrap_or_default();
        let products = security_products(f);
        let by_security = products.iter().find(|p| shares_word(p, &issuer)).cloned();
        if public == "unknown_issuer" && local == "trusted" {
            if let Some(product) = by_security {
                out.push(cause(
                    CauseId::SecuritySoftware,
                    0.88,
                    format!("{product} on this computer opens Zoom's secure connection (its certificate \"{issuer}\")."),
                    "Security software that scans encrypted traffic replaces Zoom's certificate with its own. Zoom can refuse such connections.",
                    true,
                    vec!["tls".into(), "security_software".into()],
                    &[],
                    &[StepId::PauseSecurityTest],
                ));
            } else {
                out.push(cause(
                    CauseId::TlsInterception,
                    0.9,
                    format!("Something on this network opens Zoom's secure connection (re-signed by \"{issuer}\")."),
                    "The network (or a company filter) decrypts and re-signs secure traffic. Zoom's traffic should be excluded from this SSL inspection.",
                    true,
                    vec!["tls".into()],
                    &[],
                    &[StepId::AskAdmin, StepId::TryHotspot],
                ));
            }
        } else if stage == "handshake" || stage == "connect" {
            out.push(cause(
                CauseId::ZoomBlocked,
                0.75,
                "This network cuts off Zoom's secure connection.".into(),
                "The connection to Zoom starts but the secure handshake is stopped on the way: a filter on this network recognises and blocks Zoom.",
                true,
                vec!["tls".into()],
                &[],
                &[StepId::TryHotspot, StepId::AskAdmin],
            ));
        } else {
            out.push(cause(
                CauseId::TlsInterception,
                0.65,
                "Something on the way replaces Zoom's secure connection.".into(),
                "The certificate that answered for Zoom is not Zoom's: a filter or a redirect on this network stands in between.",
                true,
                vec!["tls".into()],
                &[],
                &[StepId::AskAdmin, StepId::TryHotspot],
            ));
        }
    }
}

/// The TLS verdict of the first target: (public, local, issuer, stage).
fn tls_verdict(f: &Findings) -> Option<(String, String, String, String)> {
    let t = f
        .evidence::<TlsEvidence>("tls")
        .targets
        .into_iter()
        .find(|t| t.public_roots.as_deref().is_some_and(|v| v != "trusted") || t.stage.is_some())?;
    let s = |v: Option<String>| v.unwrap_or_default();
    Some((s(t.public_roots), s(t.local_roots), s(t.issuer), s(t.stage)))
}
