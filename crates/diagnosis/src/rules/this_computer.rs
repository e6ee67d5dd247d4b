//! This computer's own software: VPN, firewall, security products, the Zoom app.

use md_model::evidence::{SecurityEvidence, VpnEvidence};

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, FixId, StepId};

/// A VPN on the route of failing traffic.
pub(super) fn vpn(f: &Findings, out: &mut Vec<Cause>) {
    let network_trouble = f.network_trouble();
    let via_vpn = f
        .evidence::<VpnEvidence>("vpn")
        .interface_kind
        .is_some_and(|k| k == "tunnel" || k == "ppp");
    if via_vpn && network_trouble {
        out.push(cause(
            CauseId::VpnInterference,
            0.6,
            "Zoom's traffic goes through a VPN, which may be what blocks or slows it.".into(),
            "A VPN changes the route, the DNS and often the filtering of Zoom's traffic.",
            true,
            vec!["vpn".into()],
            &[],
            &[StepId::TurnOffVpn],
        ));
    }
}

/// A rule in this computer's firewall.
pub(super) fn local_firewall(f: &Findings, out: &mut Vec<Cause>) {
    let network_trouble = f.network_trouble();
    match f.status("firewall") {
        Some(Fail) => out.push(cause(
            CauseId::LocalFirewall,
            0.85,
            f.get("firewall").map(|p| p.summary.clone()).unwrap_or_default(),
            "A rule in this computer's firewall blocks Zoom. Allowing Zoom is safer than turning the firewall off.",
            true,
            vec!["firewall".into()],
            &[FixId::FirewallAllowZoom],
            &[],
        )),
        Some(Warn) if network_trouble => out.push(cause(
            CauseId::LocalFirewall,
            0.45,
            f.get("firewall").map(|p| p.summary.clone()).unwrap_or_default(),
            "This computer's firewall blocks outgoing connections it doesn't know, which can include Zoom.",
            true,
            vec!["firewall".into()],
            &[FixId::FirewallAllowZoom],
            &[],
        )),
        _ => {}
    }
}

/// Security software that may filter Zoom (unless a surer rule already named it).
pub(super) fn security_software(f: &Findings, out: &mut Vec<Cause>) {
    let network_trouble = f.network_trouble();
    let dns_failed = f.dns_failed();
    let products = security_products(f);
    if !products.is_empty()
        && network_trouble
        && !out.iter().any(|c| c.id == "security_software")
        && !dns_failed
    {
        out.push(cause(
            CauseId::SecuritySoftware,
            0.35,
            format!("Security software ({}) may be filtering Zoom.", products.join(", ")),
            "Antivirus web shields and firewalls sometimes block or slow Zoom. A short paused test tells; the lasting fix is an exception for Zoom.",
            true,
            vec!["security_software".into()],
            &[],
            &[StepId::PauseSecurityTest],
        ));
    }
}

/// The Zoom app in a state that stops it connecting.
pub(super) fn zoom_client(f: &Findings, out: &mut Vec<Cause>) {
    match f.status("zoom_client") {
        Some(Fail) => out.push(cause(
            CauseId::ZoomClientProblem,
            0.7,
            f.get("zoom_client")
                .map(|p| p.summary.clone())
                .unwrap_or_default(),
            "The Zoom app on this computer is in a state that stops it from connecting.",
            true,
            vec!["zoom_client".into()],
            &[FixId::ZoomQuit, FixId::ZoomClearCache],
            &[
                StepId::QuitZoomFully,
                StepId::UpdateZoom,
                StepId::ReinstallZoom,
            ],
        )),
        Some(Warn) => out.push(cause(
            CauseId::ZoomClientProblem,
            0.45,
            f.get("zoom_client")
                .map(|p| p.summary.clone())
                .unwrap_or_default(),
            "Something about the Zoom app on this computer can get in the way of connecting.",
            true,
            vec!["zoom_client".into()],
            &[FixId::ZoomQuit],
            &[
                StepId::QuitZoomFully,
                StepId::UpdateZoom,
                StepId::ReinstallZoom,
            ],
        )),
        _ => {}
    }
}

pub(super) fn security_products(f: &Findings) -> Vec<String> {
    f.evidence::<SecurityEvidence>("security_software")
        .products
        .into_iter()
        .map(|p| p.name)
        .filter(|name| !name.is_empty())
        .collect()
}

/// "Avast Antivirus" and "Avast Web/Mail Shield Root" share "avast".
pub(super) fn shares_word(product: &str, issuer: &str) -> bool {
    const COMMON: &[&str] = &[
        "antivirus",
        "security",
        "internet",
        "endpoint",
        "total",
        "protection",
        "root",
        "the",
        "and",
        "web",
        "mail",
        "shield",
        "defender",
        "ca",
        "inc",
        "ltd",
    ];
    let words = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2 && !COMMON.contains(w))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let issuer = words(issuer);
    words(product).iter().any(|w| issuer.contains(w))
}
