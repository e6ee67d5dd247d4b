//! The rule table: one function per concern, in the order below. The order
//! matters twice: a gate (captive portal, offline) ends the list, and
//! causes of equal confidence keep this order after ranking.

mod clock;
mod dns;
mod gate;
mod ports;
mod proxy;
mod quality;
mod service;
mod this_computer;
mod tls;

use crate::findings::Findings;
use crate::Cause;

/// Every cause the findings support, in rule order (duplicates merged later).
pub(crate) fn rules(f: &Findings) -> Vec<Cause> {
    if let Some(c) = gate::captive_portal(f) {
        return vec![c];
    }
    if let Some(c) = gate::offline(f) {
        return vec![c];
    }
    let mut out = Vec::new();
    service::zoom_outage(f, &mut out);
    dns::dns(f, &mut out);
    clock::clock_skew(f, &mut out);
    proxy::proxy_interference(f, &mut out);
    tls::tls(f, &mut out);
    ports::ports(f, &mut out);
    this_computer::vpn(f, &mut out);
    this_computer::local_firewall(f, &mut out);
    this_computer::security_software(f, &mut out);
    this_computer::zoom_client(f, &mut out);
    quality::poor_connection(f, &mut out);
    out
}
