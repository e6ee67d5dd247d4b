//! Diagnosis: pure rules from findings to ranked causes, each with the
//! error codes it explains, its evidence, the fixes in repair order (lowest
//! risk first) and the guided steps software cannot do.
//!
//! The rules never blame the wrong layer: without internet only `offline`
//! is reported; a captive portal explains everything after it; a failing
//! lookup hides the port checks that could not run; blocked UDP is a
//! quality warning (Zoom falls back to TCP 443), not a connection cause.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::finding::{Finding, Status};

/// A thing to do by hand, with why and how to tell it worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub why: String,
    pub how: String,
    pub worked_if: String,
}

/// A ranked cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Cause {
    /// Stable id (`offline`, `dns_filtered`…): part of the contract.
    pub id: String,
    /// 0–1: how sure the rules are.
    pub confidence: f64,
    /// One plain sentence: what is wrong.
    pub summary: String,
    /// What it means and why it stops Zoom, in a few sentences.
    pub explanation: String,
    /// The Zoom error codes this cause produces.
    pub error_codes: Vec<String>,
    /// The check ids that show it.
    pub evidence: Vec<String>,
    /// Fix ids (the fix catalog), lowest risk first.
    pub fixes: Vec<String>,
    /// Guided steps, in the order to try them.
    pub steps: Vec<Step>,
    /// A warning about how well Zoom works rather than why it can't connect.
    pub quality_only: bool,
}

/// The answer: causes best first (empty means healthy), and what the
/// user's error code means.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Diagnosis {
    pub causes: Vec<Cause>,
    /// One sentence for the top of the screen: the cause and what to do first.
    pub headline: String,
    /// The error code the user saw, if given.
    pub error_code: Option<String>,
    /// What that code means, in plain words.
    pub code_meaning: Option<String>,
    /// When nothing explains the user's code: what was checked and is fine.
    pub ruled_out: Vec<String>,
    /// When nothing explains the user's code: what to try next.
    pub next_steps: Vec<Step>,
}

/// The connection error codes (Zoom's 1041xx family and its relatives).
pub const CONNECTION_CODES: &[&str] = &[
    "104101", "104102", "104103", "104104", "104105", "104106", "104110", "104111", "104112",
    "104113", "104114", "104115", "104116", "104117", "104118", "10002", "5003", "5004",
];

/// What an error code means, for a person.
pub fn code_meaning(code: &str) -> Option<String> {
    let code = code.trim();
    let text = match code {
        "104101" | "104102" | "104103" | "104104" | "104105" | "104106" | "104110" | "104111"
        | "104112" | "104113" | "104114" | "104115" | "104116" | "104117" | "104118" => {
            "the Zoom app could not reach Zoom's servers"
        }
        "10002" => "the Zoom app lost or could not make its connection to Zoom's servers",
        "5003" => "the Zoom app could not connect to Zoom's servers",
        "5004" => "the Zoom app's connection to Zoom's servers failed",
        _ => return None,
    };
    Some(format!("{code} means {text}"))
}

/// The error code a person typed, as digits: "104103", "Error 104103",
/// "code: 104103", "#104103". Anything else (free text, too short or too
/// long) is None, so no free text ever reaches a report.
pub fn clean_code(input: &str) -> Option<String> {
    let mut rest = input.trim();
    for word in ["error", "code", "#", ":"] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            rest = rest[word.len()..].trim_start();
        }
    }
    ((4..=6).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()))
        .then(|| rest.to_string())
}

fn step(id: &str) -> Step {
    let (title, why, how, worked_if) = match id {
        "sign_in_portal" => (
            "Sign in to the Wi-Fi",
            "Hotel, airport and café networks hold everything back until you accept their terms.",
            "Open a web browser and visit any site; the sign-in page appears. Accept it, then open Zoom.",
            "Web pages open normally and Meeting Doctor's checks turn green.",
        ),
        "restart_router" => (
            "Restart the router",
            "A router that has run for weeks can hold stale connections and lookups.",
            "Unplug the router (and modem) for 30 seconds, plug back in, wait two minutes.",
            "The internet check passes again.",
        ),
        "try_hotspot" => (
            "Try another network, such as a phone hotspot",
            "It tells at once whether the problem is this network or this computer.",
            "Turn on your phone's hotspot, join it, and run the check again (use \"Test on another network\").",
            "If Zoom works on the hotspot, this network blocks Zoom; if not, the cause is on this computer.",
        ),
        "use_ethernet" => (
            "Use a cable instead of Wi-Fi",
            "A cable connection does not drop or slow down the way Wi-Fi does.",
            "Plug the computer into the router with a network cable.",
            "Delay, jitter and loss checks improve.",
        ),
        "move_closer" => (
            "Move closer to the Wi-Fi router",
            "A weak signal loses and delays the packets sound and video need.",
            "Sit in the same room as the router, or away from thick walls and microwaves.",
            "The connection checks improve.",
        ),
        "turn_off_vpn" => (
            "Try once without the VPN",
            "A VPN can slow, filter or reroute Zoom's traffic.",
            "Disconnect the VPN app, run the check again, and try the meeting.",
            "If Zoom works without the VPN, ask its administrator to let Zoom bypass it (split tunnelling).",
        ),
        "sip_alg" => (
            "Turn off SIP ALG on the router",
            "This router feature rewrites call traffic and can break audio and video.",
            "Open the router's settings page, find SIP ALG (often under Advanced or NAT), turn it off and restart the router.",
            "Audio and video checks pass after the restart.",
        ),
        "browser_client" => (
            "Join from a web browser",
            "If the browser works but the app doesn't, the app or its settings are the problem.",
            "Open the meeting link and choose \"Join from your browser\".",
            "You can join in the browser.",
        ),
        "new_local_user" => (
            "Test in a new user account",
            "A damaged user profile can hold bad proxy, certificate or app settings.",
            "Create a temporary local user on this computer, sign in as that user and try Zoom.",
            "If Zoom works there, the problem is in your usual profile's settings.",
        ),
        "reinstall_zoom" => (
            "Reinstall Zoom (the right version for this computer)",
            "Damaged or outdated app files can stop Zoom from connecting.",
            "Uninstall Zoom normally, download it again from zoom.us/download (Apple Silicon Macs: the Apple Silicon build), install and restart.",
            "The Zoom app check shows the new version and meetings connect.",
        ),
        "update_zoom" => (
            "Update Zoom",
            "Old versions are refused by Zoom's servers and miss connection fixes.",
            "In Zoom, open your profile picture and choose \"Check for Updates\".",
            "Zoom reports it is up to date.",
        ),
        "pause_security_test" => (
            "Pause security software for one short test",
            "It tells whether the antivirus or web shield is filtering Zoom.",
            "Pause its web or network protection for 10 minutes, join a test meeting, then turn protection back on. If Zoom worked, add Zoom as an exception instead of leaving protection off.",
            "Zoom joins while paused: add an exception for Zoom and turn protection back on.",
        ),
        "ask_admin" => (
            "Ask the network administrator",
            "On work and school networks, only the administrator can change what is blocked.",
            "Send them the administrator note from the report (Copy for a technician).",
            "The administrator confirms Zoom is allowed, and the checks pass.",
        ),
        "proxy_sign_in" => (
            "Sign in to the proxy, or ask for Zoom to be let through",
            "The proxy wants a user name and password that the Zoom app may not be asking for.",
            "In Zoom's settings, open Network > Proxy and enter your work sign-in, or ask the administrator to let zoom.us through without one.",
            "The proxy check passes.",
        ),
        "check_status_page" => (
            "Watch Zoom's status page",
            "When Zoom itself has a problem, nothing on this computer can fix it.",
            "Open status.zoom.us and wait for the problem to be resolved.",
            "The status page shows all systems operational.",
        ),
        "set_time_auto" => (
            "Set the clock to update automatically",
            "Secure connections fail when the computer's date or time is wrong.",
            "In the date and time settings, turn on \"Set time automatically\".",
            "The clock check passes.",
        ),
        "quit_zoom_fully" => (
            "Quit Zoom completely and start it again",
            "A half-closed Zoom can keep the new one from connecting.",
            "Quit Zoom from its tray or menu-bar icon (not just the window), then start it again.",
            "Zoom starts and connects.",
        ),
        "restart_computer" => (
            "Restart the computer",
            "It reloads the network settings and clears stuck connections.",
            "Save your work and restart.",
            "The checks pass after the restart.",
        ),
        "contact_isp" => (
            "Contact your internet provider",
            "If several devices fail at home but work on mobile data, the provider's line or filter is the likely cause.",
            "Call them with the report from Meeting Doctor.",
            "The provider finds and fixes the fault.",
        ),
        _ => ("", "", "", ""),
    };
    Step {
        id: id.into(),
        title: title.into(),
        why: why.into(),
        how: how.into(),
        worked_if: worked_if.into(),
    }
}

/// All step ids (for tests and the UI).
pub const STEP_IDS: &[&str] = &[
    "sign_in_portal",
    "restart_router",
    "try_hotspot",
    "use_ethernet",
    "move_closer",
    "turn_off_vpn",
    "sip_alg",
    "browser_client",
    "new_local_user",
    "reinstall_zoom",
    "update_zoom",
    "pause_security_test",
    "ask_admin",
    "proxy_sign_in",
    "check_status_page",
    "set_time_auto",
    "quit_zoom_fully",
    "restart_computer",
    "contact_isp",
];

struct Findings<'a>(&'a [Finding]);

impl<'a> Findings<'a> {
    fn get(&self, id: &str) -> Option<&'a Finding> {
        self.0.iter().find(|f| f.id == id)
    }
    fn status(&self, id: &str) -> Option<Status> {
        self.get(id).map(|f| f.status)
    }
    fn is(&self, id: &str, s: Status) -> bool {
        self.status(id) == Some(s)
    }
    fn ids_with(&self, prefix: &str, s: Status) -> Vec<String> {
        self.0
            .iter()
            .filter(|f| f.id.starts_with(prefix) && f.status == s)
            .map(|f| f.id.clone())
            .collect()
    }
    fn ev(&self, id: &str, path: &[&str]) -> Option<&'a Value> {
        let mut v = &self.get(id)?.evidence;
        for p in path {
            v = v.get(p)?;
        }
        Some(v)
    }
    fn list(&self, id: &str, key: &str) -> Vec<String> {
        self.ev(id, &[key])
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[allow(clippy::too_many_arguments)]
fn cause(
    id: &str,
    confidence: f64,
    summary: String,
    explanation: &str,
    codes: bool,
    evidence: Vec<String>,
    fixes: &[&str],
    steps: &[&str],
) -> Cause {
    Cause {
        id: id.into(),
        confidence,
        summary,
        explanation: explanation.into(),
        error_codes: if codes {
            CONNECTION_CODES.iter().map(|s| s.to_string()).collect()
        } else {
            vec![]
        },
        evidence,
        fixes: fixes.iter().map(|s| s.to_string()).collect(),
        steps: steps.iter().map(|s| step(s)).collect(),
        quality_only: !codes,
    }
}

/// The TLS verdict of the first target: (public, local, issuer, stage).
fn tls_verdict(f: &Findings) -> Option<(String, String, String, String)> {
    let t = f.ev("tls", &["targets"])?.as_array()?.iter().find(|t| {
        t.get("public_roots")
            .and_then(Value::as_str)
            .is_some_and(|v| v != "trusted")
            || t.get("stage").is_some()
    })?;
    let s = |k: &str| {
        t.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Some((s("public_roots"), s("local_roots"), s("issuer"), s("stage")))
}

/// Findings → ranked causes.
pub fn diagnose(findings: &[Finding], error_code: Option<&str>) -> Diagnosis {
    let f = Findings(findings);
    // One cause per id: the surest wording, every piece of evidence.
    let mut causes: Vec<Cause> = Vec::new();
    for c in rules(&f) {
        match causes.iter_mut().find(|k| k.id == c.id) {
            Some(k) => {
                for e in &c.evidence {
                    if !k.evidence.contains(e) {
                        k.evidence.push(e.clone());
                    }
                }
                if c.confidence > k.confidence {
                    let evidence = std::mem::take(&mut k.evidence);
                    *k = Cause { evidence, ..c };
                }
            }
            None => causes.push(c),
        }
    }
    causes.sort_by(|a, b| {
        b.confidence
            .partial_cmp(&a.confidence)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    // Connection causes before quality warnings of the same confidence.
    causes.sort_by_key(|c| c.quality_only);
    let code = error_code.and_then(clean_code);
    let meaning = code.as_deref().and_then(code_meaning);
    let (ruled_out, next_steps) = if causes.iter().all(|c| c.quality_only) && code.is_some() {
        (
            ruled_out(&f),
            [
                "quit_zoom_fully",
                "browser_client",
                "update_zoom",
                "reinstall_zoom",
                "new_local_user",
                "try_hotspot",
            ]
            .iter()
            .map(|s| step(s))
            .collect(),
        )
    } else {
        (vec![], vec![])
    };
    let headline = headline(&causes, code.as_deref(), meaning.as_deref());
    Diagnosis {
        causes,
        headline,
        error_code: code,
        code_meaning: meaning,
        ruled_out,
        next_steps,
    }
}

/// One sentence: the cause (focused by the error code when there is one).
/// The first step follows it on screen, so it is not repeated here.
fn headline(causes: &[Cause], code: Option<&str>, meaning: Option<&str>) -> String {
    match (causes.first(), code) {
        (Some(c), Some(_)) if !c.quality_only => format!(
            "{}; here it is because {}.",
            capitalize(meaning.unwrap_or("Your error code means Zoom could not connect")),
            lowercase_first(c.summary.trim_end_matches('.'))
        ),
        (Some(c), _) => c.summary.clone(),
        (None, Some(_)) => format!(
            "{}, but everything Zoom needs works here now.",
            capitalize(meaning.unwrap_or("Your error code means Zoom could not connect"))
        ),
        (None, None) => "Everything Zoom needs works on this computer and network.".into(),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms and names ("Zoom", "DNS", "VPN").
        Some(first) if c.clone().next().is_some_and(|n| n.is_lowercase()) && first != 'Z' => {
            first.to_lowercase().chain(c).collect()
        }
        Some(first) => std::iter::once(first).chain(c).collect(),
        None => String::new(),
    }
}

fn ruled_out(f: &Findings) -> Vec<String> {
    let mut out = Vec::new();
    let pass = |id: &str| f.is(id, Status::Pass);
    if pass("internet") {
        out.push("This computer is online.".to_string());
    }
    if pass("dns.system") {
        out.push("Zoom's servers are found by name.".into());
    }
    let tcp = f.ids_with("tcp.", Status::Pass);
    if !tcp.is_empty() && f.ids_with("tcp.", Status::Fail).is_empty() {
        out.push("Zoom's connection ports are open.".into());
    }
    if pass("tls") {
        out.push("The secure connection to Zoom is genuine.".into());
    }
    if pass("proxy") {
        out.push("No proxy stands in the way.".into());
    }
    if pass("firewall") {
        out.push("The firewall on this computer doesn't block Zoom.".into());
    }
    if pass("service_status") {
        out.push("Zoom reports no outage.".into());
    }
    if pass("clock") {
        out.push("The clock is right.".into());
    }
    out
}

fn rules(f: &Findings) -> Vec<Cause> {
    use Status::*;
    // 1. A captive portal explains everything after it.
    if f.is("captive_portal", Fail) {
        return vec![cause(
            "captive_portal",
            0.95,
            "This Wi-Fi wants you to sign in on a web page before anything else works.".into(),
            "Public and guest networks hold back all traffic, Zoom's included, until their sign-in page is accepted. The other red rows follow from that.",
            true,
            vec!["captive_portal".into()],
            &[],
            &["sign_in_portal", "try_hotspot"],
        )];
    }
    // 2. No internet: nothing else can be judged.
    let anything_reached = !f.ids_with("tcp.", Pass).is_empty()
        || !f.ids_with("udp.", Pass).is_empty()
        || f.is("tls", Pass)
        || f.is("dns.reference", Pass);
    if f.is("internet", Fail) && !anything_reached {
        return vec![cause(
            "offline",
            0.95,
            "This computer is not connected to the internet.".into(),
            "No test could reach anything outside this computer, so Zoom cannot either. Everything else waits on the connection.",
            true,
            vec!["internet".into()],
            &["network.stack_reset"],
            &["restart_router", "use_ethernet", "try_hotspot", "restart_computer", "contact_isp"],
        )];
    }
    let mut out = Vec::new();
    // Zoom itself is down: first, whatever else is found.
    match f.status("service_status") {
        Some(Fail) => out.push(cause(
            "zoom_outage",
            0.97,
            "Zoom itself has a problem right now; it is not your computer.".into(),
            "Zoom's status page reports an outage. Until Zoom fixes it, joining may fail for many people.",
            true,
            vec!["service_status".into()],
            &[],
            &["check_status_page"],
        )),
        Some(Warn) => out.push(cause(
            "zoom_outage",
            0.35,
            "Zoom reports a minor problem or maintenance right now.".into(),
            "Zoom's status page lists a degraded service or maintenance. It may explain a failure if nothing else does.",
            true,
            vec!["service_status".into()],
            &[],
            &["check_status_page"],
        )),
        _ => {}
    }
    // DNS.
    let dns_failed = f.is("dns.system", Fail);
    if dns_failed {
        let sinkholed = f.list("dns.system", "sinkholed");
        let only_here = f.list("dns.system", "fails_only_on_system");
        if !sinkholed.is_empty() {
            out.push(cause(
                "dns_filtered",
                0.92,
                format!("This network's name lookup blocks Zoom ({}).", sinkholed.join(", ")),
                "The network's DNS answers Zoom's names with an address that goes nowhere: a content filter (router, school or office filter, parental controls) is blocking Zoom.",
                true,
                vec!["dns.system".into(), "dns.reference".into()],
                &["dns.use_public"],
                &["ask_admin", "try_hotspot"],
            ));
        } else if !only_here.is_empty() {
            out.push(cause(
                "dns_failure",
                0.88,
                format!("This computer's name lookup can't find Zoom ({}), though public DNS can.", only_here.join(", ")),
                "The DNS server this computer uses fails on Zoom's names while public DNS servers find them. A stale cache or a broken DNS server is the usual reason.",
                true,
                vec!["dns.system".into(), "dns.reference".into()],
                &["dns.flush", "dns.use_public"],
                &["restart_router", "try_hotspot"],
            ));
        } else {
            out.push(cause(
                "dns_failure",
                0.7,
                "This computer can't look up Zoom's servers by name.".into(),
                "Name lookup (DNS) is failing, so Zoom can't find where to connect.",
                true,
                vec!["dns.system".into()],
                &["dns.flush", "dns.use_public"],
                &["restart_router", "try_hotspot"],
            ));
        }
    }
    // Clock.
    if f.is("clock", Fail) {
        out.push(cause(
            "clock_skew",
            0.9,
            "This computer's clock is wrong, which breaks secure connections.".into(),
            "Secure connections check dates on certificates. With the clock far off, Zoom's certificate looks expired or not yet valid and the connection is refused.",
            true,
            vec!["clock".into(), "tls".into()],
            &["clock.sync"],
            &["set_time_auto"],
        ));
    }
    // Proxy.
    let proxy_route_ok = f.is("proxy", Pass)
        && f.ev("proxy", &["used"])
            .is_some_and(|u| u.get("kind").and_then(Value::as_str) != Some("direct"));
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
    // TLS.
    if f.is("tls", Fail) && !f.is("clock", Fail) {
        let (public, local, issuer, stage) = tls_verdict(f).unwrap_or_default();
        let products = security_products(f);
        let by_security = products.iter().find(|p| shares_word(p, &issuer)).cloned();
        if public == "unknown_issuer" && local == "trusted" {
            if let Some(product) = by_security {
                out.push(cause(
                    "security_software",
                    0.88,
                    format!("{product} on this computer opens Zoom's secure connection (its certificate \"{issuer}\")."),
                    "Security software that scans encrypted traffic replaces Zoom's certificate with its own. Zoom can refuse such connections.",
                    true,
                    vec!["tls".into(), "security_software".into()],
                    &[],
                    &["pause_security_test"],
                ));
            } else {
                out.push(cause(
                    "tls_interception",
                    0.9,
                    format!("Something on this network opens Zoom's secure connection (re-signed by \"{issuer}\")."),
                    "The network (or a company filter) decrypts and re-signs secure traffic. Zoom's traffic should be excluded from this SSL inspection.",
                    true,
                    vec!["tls".into()],
                    &[],
                    &["ask_admin", "try_hotspot"],
                ));
            }
        } else if stage == "handshake" || stage == "connect" {
            out.push(cause(
                "zoom_blocked",
                0.75,
                "This network cuts off Zoom's secure connection.".into(),
                "The connection to Zoom starts but the secure handshake is stopped on the way: a filter on this network recognises and blocks Zoom.",
                true,
                vec!["tls".into()],
                &[],
                &["try_hotspot", "ask_admin"],
            ));
        } else {
            out.push(cause(
                "tls_interception",
                0.65,
                "Something on the way replaces Zoom's secure connection.".into(),
                "The certificate that answered for Zoom is not Zoom's: a filter or a redirect on this network stands in between.",
                true,
                vec!["tls".into()],
                &[],
                &["ask_admin", "try_hotspot"],
            ));
        }
    }
    // Ports. Skipped port checks (no lookup) say nothing.
    // Zoom's main port: 443 when the profile lists it, else the first port
    // with a host to test (a profile for a lab or a private deployment).
    let main_tcp = if f.get("tcp.443").is_some() {
        Some("tcp.443".to_string())
    } else {
        f.0.iter()
            .find(|x| x.id.starts_with("tcp.") && x.status != Unknown)
            .map(|x| x.id.clone())
    };
    let tcp443_failed = main_tcp.as_deref().is_some_and(|id| f.is(id, Fail));
    let tcp_failed = f.ids_with("tcp.", Fail);
    let udp_failed = f.ids_with("udp.", Fail);
    if tcp443_failed && !proxy_route_ok {
        let mut ev = tcp_failed.clone();
        ev.extend(udp_failed.iter().cloned());
        out.push(cause(
            "zoom_blocked",
            0.85,
            "This network blocks Zoom's connections.".into(),
            "Zoom's main port (TCP 443 to Zoom's servers) gets no connection. A firewall on this network, or on the way, blocks Zoom.",
            true,
            ev,
            &["firewall.allow_zoom"],
            &["try_hotspot", "ask_admin", "restart_router"],
        ));
    } else if !tcp_failed.is_empty() && !tcp443_failed {
        out.push(cause(
            "signaling_ports_blocked",
            0.5,
            format!(
                "Some of Zoom's ports are blocked ({}); Zoom can fall back to port 443.",
                tcp_failed.iter().map(|p| p.trim_start_matches("tcp.")).collect::<Vec<_>>().join(", ")
            ),
            "Zoom prefers TCP 8801 and 8802 for meeting connections. Blocked, Zoom falls back to 443, which usually works but joins more slowly.",
            true,
            tcp_failed.clone(),
            &["firewall.allow_zoom"],
            &["ask_admin"],
        ));
    }
    if !udp_failed.is_empty() && !tcp443_failed {
        out.push(cause(
            "udp_blocked",
            0.6,
            "Audio and video can't use their fast route (UDP) here; Zoom falls back to a slower one.".into(),
            "Zoom sends sound and video over UDP (ports 3478, 3479, 8801–8810). This network blocks it, so Zoom carries them over TCP 443: meetings connect, but sound and video may lag or break up.",
            false,
            udp_failed.clone(),
            &["firewall.allow_zoom"],
            &["ask_admin", "sip_alg", "try_hotspot"],
        ));
    }
    // This computer.
    let network_trouble = tcp443_failed
        || !udp_failed.is_empty()
        || f.is("tls", Fail)
        || dns_failed
        || ["latency", "jitter", "loss"].iter().any(|q| f.is(q, Fail));
    let via_vpn = f
        .ev("vpn", &["interface_kind"])
        .and_then(Value::as_str)
        .is_some_and(|k| k == "tunnel" || k == "ppp");
    if via_vpn && network_trouble {
        out.push(cause(
            "vpn_interference",
            0.6,
            "Zoom's traffic goes through a VPN, which may be what blocks or slows it.".into(),
            "A VPN changes the route, the DNS and often the filtering of Zoom's traffic.",
            true,
            vec!["vpn".into()],
            &[],
            &["turn_off_vpn"],
        ));
    }
    match f.status("firewall") {
        Some(Fail) => out.push(cause(
            "local_firewall",
            0.85,
            f.get("firewall").map(|p| p.summary.clone()).unwrap_or_default(),
            "A rule in this computer's firewall blocks Zoom. Allowing Zoom is safer than turning the firewall off.",
            true,
            vec!["firewall".into()],
            &["firewall.allow_zoom"],
            &[],
        )),
        Some(Warn) if network_trouble => out.push(cause(
            "local_firewall",
            0.45,
            f.get("firewall").map(|p| p.summary.clone()).unwrap_or_default(),
            "This computer's firewall blocks outgoing connections it doesn't know, which can include Zoom.",
            true,
            vec!["firewall".into()],
            &["firewall.allow_zoom"],
            &[],
        )),
        _ => {}
    }
    let products = security_products(f);
    if !products.is_empty()
        && network_trouble
        && !out.iter().any(|c| c.id == "security_software")
        && !dns_failed
    {
        out.push(cause(
            "security_software",
            0.35,
            format!("Security software ({}) may be filtering Zoom.", products.join(", ")),
            "Antivirus web shields and firewalls sometimes block or slow Zoom. A short paused test tells; the lasting fix is an exception for Zoom.",
            true,
            vec!["security_software".into()],
            &[],
            &["pause_security_test"],
        ));
    }
    match f.status("zoom_client") {
        Some(Fail) => out.push(cause(
            "zoom_client_problem",
            0.7,
            f.get("zoom_client")
                .map(|p| p.summary.clone())
                .unwrap_or_default(),
            "The Zoom app on this computer is in a state that stops it from connecting.",
            true,
            vec!["zoom_client".into()],
            &["zoom.quit", "zoom.clear_cache"],
            &["quit_zoom_fully", "update_zoom", "reinstall_zoom"],
        )),
        Some(Warn) => out.push(cause(
            "zoom_client_problem",
            0.45,
            f.get("zoom_client")
                .map(|p| p.summary.clone())
                .unwrap_or_default(),
            "Something about the Zoom app on this computer can get in the way of connecting.",
            true,
            vec!["zoom_client".into()],
            &["zoom.quit"],
            &["quit_zoom_fully", "update_zoom", "reinstall_zoom"],
        )),
        _ => {}
    }
    // Quality.
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
            "poor_connection",
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
            if weak_wifi { &["move_closer", "use_ethernet", "restart_router"] } else { &["use_ethernet", "restart_router", "sip_alg"] },
        );
        if bad {
            c.error_codes = vec!["10002".into()];
        }
        out.push(c);
    }
    out
}

fn security_products(f: &Findings) -> Vec<String> {
    f.ev("security_software", &["products"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// "Avast Antivirus" and "Avast Web/Mail Shield Root" share "avast".
fn shares_word(product: &str, issuer: &str) -> bool {
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

/// The fix ids causes may name (the fix catalog implements them).
pub const FIX_IDS: &[&str] = &[
    "dns.flush",
    "firewall.allow_zoom",
    "network.stack_reset",
    "zoom.quit",
    "zoom.clear_cache",
    "proxy.disable",
    "dns.use_public",
    "clock.sync",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(id: &str, status: Status) -> Finding {
        Finding::new(id, status, format!("{id} {status}"))
    }

    /// A healthy run: every check passes.
    fn healthy() -> Vec<Finding> {
        [
            "internet",
            "captive_portal",
            "dns.system",
            "dns.reference",
            "tcp.443",
            "tcp.8801",
            "udp.3478",
            "tls",
            "clock",
            "service_status",
            "proxy",
            "vpn",
            "firewall",
            "security_software",
            "zoom_client",
            "latency",
            "jitter",
            "loss",
            "bandwidth",
            "network_type",
        ]
        .iter()
        .map(|id| f(id, Status::Pass))
        .collect()
    }

    fn with(mut base: Vec<Finding>, changes: Vec<Finding>) -> Vec<Finding> {
        for c in changes {
            match base.iter_mut().find(|b| b.id == c.id) {
                Some(b) => *b = c,
                None => base.push(c),
            }
        }
        base
    }

    fn ids(d: &Diagnosis) -> Vec<&str> {
        d.causes.iter().map(|c| c.id.as_str()).collect()
    }

    /// A dead network: what the probes really report there (the portal
    /// check can't tell without an answer).
    fn all_red() -> Vec<Finding> {
        healthy()
            .into_iter()
            .map(|mut x| {
                x.status = match x.id.as_str() {
                    "proxy" | "vpn" | "security_software" | "network_type" | "zoom_client" => {
                        Status::Pass
                    }
                    "captive_portal" | "service_status" | "dns.reference" => Status::Unknown,
                    _ => Status::Fail,
                };
                x
            })
            .collect()
    }

    #[test]
    fn the_rule_table() {
        let interception = json!({"targets": [{"public_roots": "unknown_issuer", "local_roots": "trusted", "issuer": "Corp Inspection CA"}]});
        let cases: Vec<(&str, Vec<Finding>, Vec<&str>)> = vec![
            ("healthy", healthy(), vec![]),
            ("offline and everything red", all_red(), vec!["offline"]),
            (
                "portal explains the rest",
                with(all_red(), vec![f("captive_portal", Status::Fail), f("internet", Status::Pass)]),
                vec!["captive_portal"],
            ),
            (
                "sinkholed names",
                with(healthy(), vec![
                    f("dns.system", Status::Fail).evidence(json!({"sinkholed": ["zoom.us"], "fails_only_on_system": []})),
                    f("tcp.443", Status::Skipped),
                    f("tls", Status::Skipped),
                ]),
                vec!["dns_filtered"],
            ),
            (
                "fails only on the system resolver",
                with(healthy(), vec![f("dns.system", Status::Fail).evidence(json!({"sinkholed": [], "fails_only_on_system": ["zoom.us"]}))]),
                vec!["dns_failure"],
            ),
            (
                "tls interception",
                with(healthy(), vec![f("tls", Status::Fail).evidence(interception.clone())]),
                vec!["tls_interception"],
            ),
            (
                "udp blocked while 443 works",
                with(healthy(), vec![f("udp.3478", Status::Fail)]),
                vec!["udp_blocked"],
            ),
            (
                "443 blocked",
                with(healthy(), vec![f("tcp.443", Status::Fail), f("tcp.8801", Status::Fail), f("udp.3478", Status::Fail), f("tls", Status::Fail).evidence(json!({"targets": [{"stage": "connect"}]}))]),
                vec!["zoom_blocked"],
            ),
            (
                "8801 only",
                with(healthy(), vec![f("tcp.8801", Status::Fail)]),
                vec!["signaling_ports_blocked"],
            ),
            (
                "outage first",
                with(healthy(), vec![f("service_status", Status::Fail), f("udp.3478", Status::Fail)]),
                vec!["zoom_outage", "udp_blocked"],
            ),
            (
                "clock, not interception",
                with(healthy(), vec![f("clock", Status::Fail), f("tls", Status::Fail).evidence(json!({"targets": [{"public_roots": "expired", "local_roots": "expired"}]}))]),
                vec!["clock_skew"],
            ),
            (
                "proxy",
                with(healthy(), vec![f("proxy", Status::Fail)]),
                vec!["proxy_interference"],
            ),
            (
                "local firewall",
                with(healthy(), vec![f("firewall", Status::Fail)]),
                vec!["local_firewall"],
            ),
            (
                "a VPN only matters when something fails",
                with(healthy(), vec![f("vpn", Status::Pass).evidence(json!({"interface_kind": "tunnel"}))]),
                vec![],
            ),
            (
                "a VPN and a blocked port",
                with(healthy(), vec![f("vpn", Status::Pass).evidence(json!({"interface_kind": "tunnel"})), f("tcp.443", Status::Fail)]),
                vec!["zoom_blocked", "vpn_interference"],
            ),
            (
                "lingering zoom",
                with(healthy(), vec![f("zoom_client", Status::Warn)]),
                vec!["zoom_client_problem"],
            ),
            (
                "poor connection",
                with(healthy(), vec![f("loss", Status::Fail)]),
                vec!["poor_connection"],
            ),
        ];
        for (name, findings, want) in cases {
            let d = diagnose(&findings, None);
            assert_eq!(ids(&d), want, "{name}: {:#?}", d.causes);
        }
    }

    #[test]
    fn interception_by_the_antivirus_blames_the_antivirus() {
        let d = diagnose(
            &with(healthy(), vec![
                f("tls", Status::Fail).evidence(json!({"targets": [{"public_roots": "unknown_issuer", "local_roots": "trusted", "issuer": "Avast Web/Mail Shield Root"}]})),
                f("security_software", Status::Pass).evidence(json!({"products": [{"name": "Avast Antivirus"}]})),
            ]),
            None,
        );
        assert_eq!(ids(&d), vec!["security_software"]);
        assert!(
            d.causes[0].summary.contains("Avast Antivirus"),
            "{}",
            d.causes[0].summary
        );
        // A corporate CA is not the antivirus's doing.
        let d = diagnose(
            &with(healthy(), vec![
                f("tls", Status::Fail).evidence(json!({"targets": [{"public_roots": "unknown_issuer", "local_roots": "trusted", "issuer": "Corp Inspection CA"}]})),
                f("security_software", Status::Pass).evidence(json!({"products": [{"name": "Avast Antivirus"}]})),
            ]),
            None,
        );
        assert_eq!(ids(&d)[0], "tls_interception");
        assert!(d.causes[0].summary.contains("Corp Inspection CA"));
    }

    #[test]
    fn quality_warnings_explain_no_connection_error() {
        let d = diagnose(
            &with(healthy(), vec![f("udp.3478", Status::Fail)]),
            Some("104103"),
        );
        assert!(d.causes[0].quality_only);
        assert!(d.causes[0].error_codes.is_empty());
        assert!(!d.ruled_out.is_empty());
        assert!(d.ruled_out.iter().any(|r| r.contains("online")));
        assert!(!d.next_steps.is_empty());
    }

    #[test]
    fn the_error_code_focuses_the_headline() {
        let d = diagnose(
            &with(
                healthy(),
                vec![f("dns.system", Status::Fail).evidence(json!({"sinkholed": ["zoom.us"]}))],
            ),
            Some("Error 104103"),
        );
        assert_eq!(d.error_code.as_deref(), Some("104103"));
        assert!(
            d.headline.starts_with("104103 means the Zoom app could not reach Zoom's servers; here it is because this network's name lookup blocks Zoom"),
            "{}",
            d.headline
        );
        assert!(d.headline.ends_with("(zoom.us)."), "{}", d.headline);
        assert!(
            d.headline.split_whitespace().count() <= 30,
            "{}",
            d.headline
        );
        // No cause, but a code: say what was ruled out.
        let d = diagnose(&healthy(), Some("104103"));
        assert!(d.causes.is_empty());
        assert!(
            d.headline.contains("everything Zoom needs works here now"),
            "{}",
            d.headline
        );
        assert!(d.ruled_out.len() >= 5, "{:?}", d.ruled_out);
        assert_eq!(
            diagnose(&healthy(), None).headline,
            "Everything Zoom needs works on this computer and network."
        );
        for (input, want) in [
            ("104103", Some("104103")),
            (" 104103 ", Some("104103")),
            ("5003", Some("5003")),
            ("Error 104103", Some("104103")),
            ("error code: 104103", Some("104103")),
            ("#10002", Some("10002")),
            ("abc", None),
            ("", None),
            ("123456789", None),
            ("10410; rm -rf /", None),
            ("-1", None),
            ("104 103", None),
        ] {
            assert_eq!(clean_code(input).as_deref(), want, "{input:?}");
        }
        assert_eq!(code_meaning("999999"), None);
    }

    #[test]
    fn offline_is_alone_and_offers_the_right_first_step() {
        let d = diagnose(&all_red(), Some("104101"));
        assert_eq!(ids(&d), vec!["offline"]);
        assert_eq!(d.causes[0].steps[0].id, "restart_router");
        assert!(d.causes[0].error_codes.contains(&"104101".to_string()));
    }

    #[test]
    fn catalogs_are_complete() {
        for id in STEP_IDS {
            let s = step(id);
            assert!(
                !s.title.is_empty()
                    && !s.why.is_empty()
                    && !s.how.is_empty()
                    && !s.worked_if.is_empty(),
                "{id}"
            );
        }
        // Every cause in every table case names only known fixes and steps.
        let mut all = vec![all_red(), healthy()];
        for id in [
            "dns.system",
            "proxy",
            "firewall",
            "zoom_client",
            "clock",
            "tcp.443",
            "udp.3478",
            "loss",
            "service_status",
        ] {
            all.push(with(healthy(), vec![f(id, Status::Fail)]));
        }
        for findings in all {
            for c in diagnose(&findings, None).causes {
                for fix in &c.fixes {
                    assert!(FIX_IDS.contains(&fix.as_str()), "{}: {fix}", c.id);
                }
                for s in &c.steps {
                    assert!(
                        STEP_IDS.contains(&s.id.as_str()) && !s.title.is_empty(),
                        "{}: {}",
                        c.id,
                        s.id
                    );
                }
                assert!(c.confidence > 0.0 && c.confidence <= 1.0);
                assert!(
                    !c.summary.is_empty() && !c.explanation.is_empty(),
                    "{}",
                    c.id
                );
            }
        }
    }
}
