//! Zoom's ports: the main one blocked, the meeting ports blocked, UDP blocked.

use md_model::finding::Status::*;

use crate::findings::{cause, Findings};
use crate::Cause;
use md_model::ids::{CauseId, FixId, StepId};

/// Zoom's main port blocked (unless the proxy carries Zoom), the other
/// meeting ports blocked, and UDP blocked (a quality warning: Zoom falls
/// back to TCP 443).
pub(super) fn ports(f: &Findings, out: &mut Vec<Cause>) {
    let tcp443_failed = f.main_tcp_failed();
    let proxy_route_ok = f.proxy_route_ok();
    let tcp_failed = f.ids_with("tcp.", Fail);
    let udp_failed = f.ids_with("udp.", Fail);
    if tcp443_failed && !proxy_route_ok {
        let mut ev = tcp_failed.clone();
        ev.extend(udp_failed.iter().cloned());
        out.push(cause(
            CauseId::ZoomBlocked,
            0.85,
            "This network blocks Zoom's connections.".into(),
            "Zoom's main port (TCP 443 to Zoom's servers) gets no connection. A firewall on this network, or on the way, blocks Zoom.",
            true,
            ev,
            &[FixId::FirewallAllowZoom],
            &[StepId::TryHotspot, StepId::AskAdmin, StepId::RestartRouter],
        ));
    } else if !tcp_failed.is_empty() && !tcp443_failed {
        out.push(cause(
            CauseId::SignalingPortsBlocked,
            0.5,
            format!(
                "Some of Zoom's ports are blocked ({}); Zoom can fall back to port 443.",
                tcp_failed.iter().map(|p| p.trim_start_matches("tcp.")).collect::<Vec<_>>().join(", ")
            ),
            "Zoom prefers TCP 8801 and 8802 for meeting connections. Blocked, Zoom falls back to 443, which usually works but joins more slowly.",
            true,
            tcp_failed.clone(),
            &[FixId::FirewallAllowZoom],
            &[StepId::AskAdmin],
        ));
    }
    if !udp_failed.is_empty() && !tcp443_failed {
        out.push(cause(
            CauseId::UdpBlocked,
            0.6,
            "Audio and video can't use their fast route (UDP) here; Zoom falls back to a slower one.".into(),
            "Zoom sends sound and video over UDP (ports 3478, 3479, 8801–8810). This network blocks it, so Zoom carries them over TCP 443: meetings connect, but sound and video may lag or break up.",
            false,
            udp_failed.clone(),
            &[FixId::FirewallAllowZoom],
            &[StepId::AskAdmin, StepId::SipAlg, StepId::TryHotspot],
        ));
    }
}
