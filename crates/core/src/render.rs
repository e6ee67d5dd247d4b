//! Reports rendered for people: Markdown (tickets), self-contained HTML
//! (email, print), plain text (email bodies, terminals), and JSON (the
//! contract shape); the note for the network administrator; redaction.
//!
//! The three human formats share one view of the report (built once by
//! [`View::of`]), so they say the same things: the plain-words headline
//! first, what is wrong and what to do, the support details a help desk
//! asks for, the administrator note, every check, and the technical detail.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::checks::{self, Group};
use crate::compare::{Comparison, Verdict};
use crate::finding::{Finding, Status};
use crate::report::Report;
use crate::system::Os;

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Json,
    Markdown,
    Html,
    Text,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 4] = [Format::Json, Format::Markdown, Format::Html, Format::Text];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Text => "txt",
        }
    }

    /// The media type, for saving and sharing.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Text => "text/plain; charset=utf-8",
        }
    }
}

/// The report stylesheet, inlined into every HTML report.
pub const STYLESHEET: &str = include_str!("../../../assets/report.css");

pub use crate::redact::{
    redacted, without_secrets, COMPUTER_PLACEHOLDER, CREDENTIALS_PLACEHOLDER, SECRET_PLACEHOLDER,
    USER_PLACEHOLDER, WIFI_PLACEHOLDER,
};

/// Options beyond the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// Remove user, computer and Wi-Fi names, IP and MAC addresses, e-mail
    /// addresses and home paths first. Secrets (passwords and tokens in
    /// URLs) are removed either way.
    pub redact: bool,
    /// A run on another network (the hotspot test) that includes this
    /// report, for the "works on another network" line.
    pub comparison: Option<&'a Comparison>,
}

/// Renders `report`; `redact` removes user and host names, addresses and
/// home paths first. Passwords and tokens never appear, redacted or not.
pub fn render(report: &Report, format: Format, redact: bool) -> String {
    render_with(
        report,
        format,
        RenderOptions {
            redact,
            comparison: None,
        },
    )
}

/// What "Copy for a technician" gives, and the only thing it gives: the
/// Markdown report, always redacted (a ticket or a chat is no place for
/// names and addresses; the saved report can keep them when asked).
pub fn technician_copy(report: &Report) -> String {
    render(report, Format::Markdown, true)
}

/// Renders `report` with options (redaction, a comparison run).
pub fn render_with(report: &Report, format: Format, opts: RenderOptions<'_>) -> String {
    let (r, comparison) = crate::redact::prepare(report, opts.comparison, opts.redact);
    let view = |r: &Report| View::of(r, opts.redact, comparison.as_ref());
    match format {
        Format::Json => serde_json::to_string_pretty(&r).unwrap_or_default(),
        Format::Markdown => markdown(&view(&r)),
        Format::Html => html(&view(&r)),
        Format::Text => text(&view(&r)),
    }
}

// ───────────────────────────── the view ─────────────────────────────

/// Overall state, for the colour of the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overall {
    Healthy,
    Warnings,
    Problems,
}

#[derive(Debug)]
struct CauseView {
    summary: String,
    likelihood: &'static str,
    quality_only: bool,
    explanation: String,
    evidence: Vec<String>,
    /// Titles of the catalog fixes for this cause, in repair order.
    fixes: Vec<String>,
    steps: Vec<(String, String)>,
}

#[derive(Debug)]
struct CheckRow {
    id: String,
    title: String,
    status: Status,
    summary: String,
}

#[derive(Debug)]
struct View {
    title: String,
    meta: String,
    run_notes: Vec<String>,
    overall: Overall,
    headline: String,
    causes: Vec<CauseView>,
    /// When there are no causes: one sentence saying so.
    nothing_found: Option<String>,
    ruled_out: Vec<String>,
    next_steps: Vec<(String, String)>,
    fixes_applied: Vec<String>,
    details: Vec<(&'static str, String)>,
    admin: Option<AdminNote>,
    groups: Vec<(&'static str, Vec<CheckRow>)>,
    technical: Vec<(String, String, Status, String)>,
}

const GROUPS: [Group; 5] = [
    Group::Internet,
    Group::ZoomServers,
    Group::Dns,
    Group::SecurityAndProxy,
    Group::ThisComputer,
];

fn likelihood(confidence: f64) -> &'static str {
    if confidence >= 0.85 {
        "Very likely"
    } else if confidence >= 0.6 {
        "Likely"
    } else if confidence >= 0.4 {
        "Possible"
    } else {
        "Less likely"
    }
}

/// "2026-11-22T08:28:18Z" → "2026-11-22 08:28 UTC"; anything else as is.
fn when(stamp: &str) -> String {
    let b = stamp.as_bytes();
    if stamp.is_ascii() && stamp.len() >= 17 && stamp.ends_with('Z') && b.get(10) == Some(&b'T') {
        format!("{} {} UTC", &stamp[..10], &stamp[11..16])
    } else {
        stamp.to_string()
    }
}

impl View {
    fn of(r: &Report, redacted: bool, comparison: Option<&Comparison>) -> View {
        let d = &r.diagnosis;
        let overall = if d.causes.iter().any(|c| !c.quality_only) {
            Overall::Problems
        } else if !r.healthy() {
            Overall::Warnings
        } else {
            Overall::Healthy
        };
        let headline = if d.headline.trim().is_empty() {
            match overall {
                Overall::Healthy => "Everything Zoom needs works on this computer and network.",
                Overall::Warnings => "Zoom can connect here, but some checks need attention.",
                Overall::Problems => "Meeting Doctor found problems that stop Zoom connecting.",
            }
            .to_string()
        } else {
            d.headline.clone()
        };
        let mut run_notes = Vec::new();
        if r.run.cancelled {
            run_notes.push(
                "The check was stopped before it finished; some results are missing.".to_string(),
            );
        }
        if r.run.deadline_hit {
            run_notes.push(format!(
                "The check ran out of time ({} ms); checks that had not finished are marked unknown.",
                r.run.deadline_ms
            ));
        }
        let causes = d
            .causes
            .iter()
            .map(|c| CauseView {
                summary: c.summary.clone(),
                likelihood: likelihood(c.confidence),
                quality_only: c.quality_only,
                explanation: c.explanation.clone(),
                evidence: c.evidence.clone(),
                fixes: crate::fixes::catalog()
                    .into_iter()
                    .filter(|f| c.fixes.contains(&f.id))
                    .map(|f| f.title)
                    .collect(),
                steps: c
                    .steps
                    .iter()
                    .map(|s| (s.title.clone(), s.how.clone()))
                    .collect(),
            })
            .collect::<Vec<_>>();
        let nothing_found = causes.is_empty().then(|| {
            let unknown = r
                .checks
                .iter()
                .filter(|c| matches!(c.status, Status::Unknown))
                .count();
            let mut s = if d.error_code.is_some() {
                "Nothing found explains the error code right now.".to_string()
            } else {
                "No problems found.".to_string()
            };
            if unknown > 0 {
                let _ = write!(
                    s,
                    " {unknown} {} couldn't be made; see All checks.",
                    if unknown == 1 { "check" } else { "checks" }
                );
            }
            s
        });
        let mut groups: Vec<(&'static str, Vec<CheckRow>)> = Vec::new();
        for g in GROUPS {
            let rows: Vec<CheckRow> = r
                .checks
                .iter()
                .filter(|c| checks::group(&c.id) == g)
                .map(|c| CheckRow {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    status: c.status,
                    summary: c.summary.clone(),
                })
                .collect();
            if !rows.is_empty() {
                groups.push((g.label(), rows));
            }
        }
        let technical = r
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass && !c.detail.trim().is_empty())
            .map(|c| (c.title.clone(), c.id.clone(), c.status, c.detail.clone()))
            .collect();
        View {
            title: format!("{} report", r.app.name),
            meta: format!(
                "{} · checked {} · {} {}",
                r.profile.name,
                when(&r.generated_at),
                r.app.name,
                r.app.version
            ),
            run_notes,
            overall,
            headline,
            causes,
            nothing_found,
            ruled_out: d.ruled_out.clone(),
            next_steps: d
                .next_steps
                .iter()
                .map(|s| (s.title.clone(), s.how.clone()))
                .collect(),
            fixes_applied: r.fixes_applied.iter().map(fix_line).collect(),
            details: support_details(r, !redacted, comparison),
            admin: note(r),
            groups,
            technical,
        }
    }
}

/// One applied fix, in a line: its title (or id) and outcome when the entry
/// has them, else the entry itself.
fn fix_line(v: &Value) -> String {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    let changes: Vec<String> = v
        .pointer("/verification/checks")
        .and_then(Value::as_array)
        .map(|checks| {
            checks
                .iter()
                .filter_map(|c| {
                    Some(format!(
                        "{} {} → {}",
                        c.get("title")?.as_str()?,
                        c.get("before").and_then(Value::as_str).unwrap_or("not run"),
                        c.get("after")?.as_str()?
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let status = s("outcome").or(s("status")).map(|o| match o {
        "applied" => "done",
        "failed" => "did not work",
        "declined" => "declined at the administrator prompt",
        "cancelled" => "cancelled",
        "not_authorized" => "not allowed for this account",
        "timed_out" => "no answer at the administrator prompt",
        "not_applicable" => "not possible on this computer",
        other => other,
    });
    match (s("title").or(s("id")), status) {
        (Some(t), Some(o)) if !changes.is_empty() => format!("{t}: {o} ({})", changes.join(", ")),
        (Some(t), Some(o)) => format!("{t}: {o}"),
        (Some(t), None) => t.to_string(),
        _ => v.to_string(),
    }
}

// ───────────────────────────── support details ─────────────────────────────

fn check<'a>(r: &'a Report, id: &str) -> Option<&'a Finding> {
    r.checks.iter().find(|c| c.id == id)
}

fn ev<'a>(f: &'a Finding, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(&f.evidence, |v, k| v.get(k))
}

fn ev_str<'a>(f: &'a Finding, path: &[&str]) -> Option<&'a str> {
    ev(f, path).and_then(Value::as_str)
}

fn os_name(os: Os) -> &'static str {
    match os {
        Os::Windows => "Windows",
        Os::Macos => "macOS",
        Os::Linux => "Linux",
    }
}

/// The facts a help desk asks for first, as (label, value) rows.
fn support_details(
    r: &Report,
    identity: bool,
    comparison: Option<&Comparison>,
) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let s = &r.system;
    let os = match s.os_version.as_deref().filter(|v| !v.trim().is_empty()) {
        Some(v) => format!("{v}, {}", s.arch),
        None => format!("{}, {}", os_name(s.os), s.arch),
    };
    rows.push(("Operating system", os));
    if identity {
        if let Some(h) = s.host_name.as_deref().filter(|h| !h.is_empty()) {
            rows.push(("Computer name", h.to_string()));
        }
        if let Some(u) = s.user.as_deref().filter(|u| !u.is_empty()) {
            rows.push(("User", u.to_string()));
        }
    }
    rows.push(("Zoom app", zoom_version(r)));
    rows.push(("Network", network(r, true)));
    rows.push(("VPN", vpn(r)));
    rows.push(("Proxy", proxy(r)));
    rows.push(("Security software", security(r)));
    rows.push(("Works on another network", other_network(r, comparison)));
    let code = r.diagnosis.error_code.clone().or(r.error_code.clone());
    let code = match (code, &r.diagnosis.code_meaning) {
        (Some(_), Some(m)) => m.clone(),
        (Some(c), None) => format!("{c} (not a code Meeting Doctor knows)"),
        (None, _) => "none given".to_string(),
    };
    rows.push(("Zoom error code", code));
    rows
}

fn not_checked() -> String {
    "not checked".to_string()
}

fn zoom_version(r: &Report) -> String {
    let Some(f) = check(r, "zoom_client") else {
        return not_checked();
    };
    let installed = ev(f, &["install", "installed"]).and_then(Value::as_bool);
    let version = ev_str(f, &["install", "version"]);
    let base = match (version, installed) {
        (Some(v), _) => v.to_string(),
        (None, Some(true)) => "installed (version unknown)".to_string(),
        (None, Some(false)) => "not found".to_string(),
        (None, None) => "couldn't check".to_string(),
    };
    match f.status {
        Status::Warn | Status::Fail => format!("{base}: {}", f.summary),
        _ => base,
    }
}

/// The network type (+ Wi-Fi name; `full`: signal and band too).
fn network(r: &Report, full: bool) -> String {
    let Some(f) = check(r, "network_type") else {
        return not_checked();
    };
    let link = |k: &str| ev_str(f, &["link", k]);
    match link("kind") {
        Some("wifi") => {
            let w = |k: &str| ev(f, &["link", "wifi", k]);
            let mut s = match w("ssid").and_then(Value::as_str) {
                Some(name) => format!("Wi-Fi ({name})"),
                None => "Wi-Fi".to_string(),
            };
            if !full {
                return s;
            }
            if let Some(dbm) = w("rssi_dbm").and_then(Value::as_i64) {
                let _ = write!(s, ", signal {dbm} dBm");
            } else if let Some(p) = w("signal_percent").and_then(Value::as_u64) {
                let _ = write!(s, ", signal {p} %");
            }
            if let Some(b) = w("band").and_then(Value::as_str) {
                let _ = write!(s, ", {b}");
            }
            s
        }
        Some("ethernet") => "Ethernet (cable)".to_string(),
        Some("cellular") => "mobile data".to_string(),
        _ => "couldn't tell".to_string(),
    }
}

fn vpn(r: &Report) -> String {
    let Some(f) = check(r, "vpn") else {
        return not_checked();
    };
    match ev_str(f, &["interface_kind"]) {
        Some("tunnel" | "ppp") => format!(
            "yes: Zoom's traffic goes through {}",
            ev_str(f, &["route", "interface"]).unwrap_or("a VPN")
        ),
        Some(_) if f.status == Status::Pass => "no".to_string(),
        _ => "couldn't tell".to_string(),
    }
}

fn proxy(r: &Report) -> String {
    let Some(f) = check(r, "proxy") else {
        return not_checked();
    };
    let direct = ev(f, &["settings"]).is_some_and(|s| {
        s.get("auto_detect").and_then(Value::as_bool) != Some(true)
            && ["pac_url", "http", "https", "socks"]
                .iter()
                .all(|k| s.get(k).is_none_or(Value::is_null))
    });
    if direct && f.status == Status::Pass {
        "none".to_string()
    } else if f.status == Status::Unknown && ev(f, &["settings"]).is_none() {
        "couldn't check".to_string()
    } else {
        f.summary.clone()
    }
}

fn security(r: &Report) -> String {
    let Some(f) = check(r, "security_software") else {
        return not_checked();
    };
    match ev(f, &["products"]).and_then(Value::as_array) {
        Some(list) if !list.is_empty() => list
            .iter()
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        Some(_) => "none found".to_string(),
        None => "couldn't check".to_string(),
    }
}

fn other_network(r: &Report, comparison: Option<&Comparison>) -> String {
    let Some(c) = comparison else {
        return "not tested".to_string();
    };
    // Which side of the comparison is this report?
    let this_is_second =
        c.after.generated_at == r.generated_at && c.before.generated_at != r.generated_at;
    let other = if this_is_second { &c.before } else { &c.after };
    let name = other
        .network
        .clone()
        .unwrap_or_else(|| "the other network".to_string());
    let (works_there, fails_here) = match (c.verdict, this_is_second) {
        (Verdict::FirstNetworkBlocks, false) | (Verdict::SecondNetworkBlocks, true) => (true, true),
        (Verdict::FirstNetworkBlocks, true) | (Verdict::SecondNetworkBlocks, false) => {
            (false, false)
        }
        (Verdict::BothFine, _) => (true, false),
        (Verdict::SameOnBoth | Verdict::DifferentProblems, _) => (false, true),
    };
    match (works_there, fails_here, c.verdict) {
        (true, true, _) => format!("yes: Zoom works on {name}, so this network blocks it"),
        (true, false, _) => format!("yes: Zoom works here and on {name}"),
        (false, false, _) => format!("no: {name} has problems this network doesn't"),
        (false, true, Verdict::SameOnBoth) => {
            format!("no: the same problems on {name}, so the cause is this computer (or Zoom)")
        }
        (false, true, _) => format!("no: {name} has problems too, different ones"),
    }
}

// ───────────────────────────── administrator note ─────────────────────────────

/// The note's parts: an opening line, one line per failure, Zoom's needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AdminNote {
    intro: String,
    items: Vec<String>,
    needs: String,
}

impl std::fmt::Display for AdminNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.intro)?;
        for i in &self.items {
            writeln!(f, "- {i}")?;
        }
        write!(f, "{}", self.needs)
    }
}

/// Zoom's documented needs (Meetings and Webinars, all clients).
const ZOOM_NEEDS: &str = "Zoom needs, outbound with return traffic: TCP 443, 8801, 8802 and UDP 3478, 3479, 8801–8810 to Zoom's servers; zoom.us and *.zoom.us allowed through proxies and exempt from SSL inspection.";

/// A short, precise message for the network team, built only from the
/// failures this run saw: names that fail or are filtered, ports that fail
/// (and how), SSL inspection, a proxy that wants a sign-in or refuses
/// Zoom, a sign-in page. None when nothing network-related failed.
pub fn admin_note(report: &Report) -> Option<String> {
    note(report).map(|n| n.to_string())
}

fn has_cause(r: &Report, id: &str) -> bool {
    r.diagnosis.causes.iter().any(|c| c.id == id)
}

fn failed<'a>(r: &'a Report, id: &str) -> Option<&'a Finding> {
    check(r, id).filter(|f| f.status == Status::Fail)
}

fn note(r: &Report) -> Option<AdminNote> {
    let mut items = Vec::new();
    if let Some(f) = failed(r, "captive_portal") {
        // A sign-in page explains everything after it.
        let to = ev_str(f, &["redirect_to"])
            .filter(|s| !s.is_empty())
            .map(|s| format!(" (it redirects to {s})"))
            .or_else(|| ev_str(f, &["page_title"]).map(|t| format!(" (a page titled \"{t}\")")))
            .unwrap_or_default();
        items.push(format!("A sign-in page (captive portal) holds back web traffic{to}; the other checks can't be judged until it is accepted."));
    } else if has_cause(r, "offline") {
        let what = check(r, "internet")
            .map(|f| f.summary.trim_end_matches('.').to_string())
            .unwrap_or_else(|| "nothing outside this computer answered".to_string());
        items.push(format!("No internet: {what}."));
    } else {
        dns_items(r, &mut items);
        port_items(r, "tcp.", &mut items);
        port_items(r, "udp.", &mut items);
        tls_items(r, &mut items);
        proxy_items(r, &mut items);
        if has_cause(r, "vpn_interference") {
            if let Some(f) = check(r, "vpn") {
                items.push(format!(
                    "Zoom's traffic leaves through a VPN ({}); the failures above may be the VPN's. Letting Zoom bypass it (split tunnelling) is the usual fix.",
                    ev_str(f, &["route", "interface"]).unwrap_or("tunnel")
                ));
            }
        }
    }
    if items.is_empty() {
        return None;
    }
    let mut context = Vec::new();
    if let Some(net) = network_short(r) {
        context.push(net);
    }
    if let Some(code) = r.diagnosis.error_code.as_ref().or(r.error_code.as_ref()) {
        context.push(format!("Zoom error {code}"));
    }
    context.push(format!("checked {}", when(&r.generated_at)));
    let lead = if r.diagnosis.causes.iter().any(|c| !c.quality_only) {
        "Zoom fails on this network"
    } else {
        "Zoom works only partly on this network"
    };
    Some(AdminNote {
        intro: format!("{lead} ({}). What failed:", context.join("; ")),
        items,
        needs: ZOOM_NEEDS.to_string(),
    })
}

/// The network for the note: `Wi-Fi "Name"`, `Ethernet`, `mobile data`.
fn network_short(r: &Report) -> Option<String> {
    let f = check(r, "network_type")?;
    match ev_str(f, &["link", "kind"])? {
        "wifi" => Some(match ev_str(f, &["link", "wifi", "ssid"]) {
            Some(name) => format!("Wi-Fi \"{name}\""),
            None => "Wi-Fi".to_string(),
        }),
        "ethernet" => Some("Ethernet".to_string()),
        "cellular" => Some("mobile data".to_string()),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn dns_items(r: &Report, items: &mut Vec<String>) {
    let Some(f) = failed(r, "dns.system") else {
        return;
    };
    let servers = strings(ev(f, &["dns.servers", "value", "servers"]));
    let resolver = match servers.len() {
        0 => "this computer's resolver".to_string(),
        1 => format!("resolver {}", servers[0]),
        _ => format!("resolvers {}", and_list(&servers)),
    };
    let answer = |name: &str| -> Option<&Value> { ev(f, &["names", name, "system"]) };
    let addresses = |name: &str| strings(answer(name).and_then(|a| a.get("addresses")));
    let sinkholed = strings(ev(f, &["sinkholed"]));
    let only_here = strings(ev(f, &["fails_only_on_system"]));
    for name in &sinkholed {
        let to = addresses(name);
        let to = if to.is_empty() {
            "a blocking address".to_string()
        } else {
            and_list(&to)
        };
        let public =
            ev(f, &["names", name, "reference_resolves"]).and_then(Value::as_bool) == Some(true);
        items.push(format!(
            "DNS: {resolver} answers {name} with {to}, a blocking answer{}.",
            if public {
                "; public resolvers return real addresses"
            } else {
                ""
            }
        ));
    }
    if !only_here.is_empty() {
        let how: Vec<String> = only_here
            .iter()
            .map(|n| format!("{n} ({})", answer_words(answer(n))))
            .collect();
        items.push(format!(
            "DNS: {resolver} can't resolve {}; public resolvers can.",
            and_list(&how)
        ));
    }
    let other: Vec<String> = ev(f, &["names"])
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(n, a)| {
                    !sinkholed.contains(n)
                        && !only_here.contains(n)
                        && a.pointer("/system/result").and_then(Value::as_str) != Some("addresses")
                })
                .map(|(n, a)| format!("{n} ({})", answer_words(a.get("system"))))
                .collect()
        })
        .unwrap_or_default();
    if !other.is_empty() {
        items.push(format!(
            "DNS: {resolver} can't resolve {}.",
            and_list(&other)
        ));
    }
    if sinkholed.is_empty() && only_here.is_empty() && other.is_empty() {
        items.push(format!("DNS: {}", f.summary));
    }
    if let Some(p) = failed(r, "dns.reference") {
        items.push(format!(
            "DNS to public resolvers is filtered too: {}",
            p.summary
        ));
    }
}

fn answer_words(a: Option<&Value>) -> String {
    let result = a.and_then(|a| a.get("result")).and_then(Value::as_str);
    let message = a.and_then(|a| a.get("message")).and_then(Value::as_str);
    match (result, message) {
        (Some("not_found"), _) => "does not exist, NXDOMAIN".to_string(),
        (Some("no_answer"), _) => "no answer".to_string(),
        (Some("unreachable"), _) => "resolver unreachable".to_string(),
        (Some("error"), Some(m)) => format!("error: {m}"),
        (Some("sinkhole"), _) => "a filter's answer".to_string(),
        _ => "failed".to_string(),
    }
}

/// "1.2.3.4:443" → "1.2.3.4"; "[2001:db8::1]:443" → "2001:db8::1".
fn without_port(addr: &str, port: Option<u64>) -> String {
    if let Ok(sa) = addr.parse::<std::net::SocketAddr>() {
        return sa.ip().to_string();
    }
    match port.map(|p| format!(":{p}")) {
        Some(suffix) if addr.ends_with(&suffix) => addr[..addr.len() - suffix.len()]
            .trim_matches(['[', ']'])
            .to_string(),
        _ => addr.to_string(),
    }
}

fn port_items(r: &Report, prefix: &str, items: &mut Vec<String>) {
    let udp = prefix == "udp.";
    for f in r
        .checks
        .iter()
        .filter(|f| f.id.starts_with(prefix) && f.status == Status::Fail)
    {
        let error = ev_str(f, &["error"]);
        // A rule on this computer is not the network's doing.
        if error == Some("local_firewall") {
            continue;
        }
        let port = ev(f, &["port"])
            .and_then(Value::as_u64)
            .map(|p| p.to_string())
            .unwrap_or_else(|| f.id[prefix.len()..].to_string());
        let host = ev_str(f, &["host"]);
        let address = ev_str(f, &["address"]).map(str::to_string).or_else(|| {
            ev(f, &["attempts"])
                .and_then(Value::as_array)
                .and_then(|a| a.last())
                .and_then(|a| a.get("address"))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let address = address.map(|a| without_port(&a, port.parse().ok()));
        let to = match (host, address) {
            (Some(h), Some(a)) if h != a => format!(" to {h} ({a})"),
            (Some(h), _) => format!(" to {h}"),
            (None, Some(a)) => format!(" to {a}"),
            (None, None) => String::new(),
        };
        let how = match (error, udp) {
            (Some("refused"), false) => "refused (actively rejected)",
            (Some("refused"), true) => "refused (ICMP port unreachable)",
            (Some("silent"), false) => "no answer (dropped silently)",
            (Some("silent"), true) => "no STUN answer (dropped silently)",
            (Some("invalid_answer"), _) => "something answered, but not with a STUN reply",
            (Some("unreachable"), _) => "no route",
            (Some("reset"), _) => "cut off after it started",
            _ => "",
        };
        let how = if how.is_empty() {
            f.summary.clone()
        } else {
            format!("{how}.")
        };
        items.push(format!(
            "{} {port}{to}: {how}",
            if udp { "UDP" } else { "TCP" }
        ));
    }
}

/// A socket error (`NetError` in evidence) in a few words.
fn net_words(e: &str) -> String {
    match e {
        "refused" => "refused".to_string(),
        "silent" => "no answer, dropped silently".to_string(),
        "unreachable" => "no route".to_string(),
        "reset" => "cut off".to_string(),
        "local_firewall" => "blocked by this computer's firewall".to_string(),
        other => other.replace('_', " "),
    }
}

fn tls_items(r: &Report, items: &mut Vec<String>) {
    let Some(f) = failed(r, "tls") else {
        return;
    };
    // The computer's own security software or clock: not the network's doing.
    let by_antivirus = r
        .diagnosis
        .causes
        .iter()
        .any(|c| c.id == "security_software" && c.evidence.iter().any(|e| e == "tls"));
    let clock_wrong = check(r, "clock").is_some_and(|c| c.status == Status::Fail);
    let targets = ev(f, &["targets"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let before = items.len();
    for t in &targets {
        let s = |k: &str| t.get(k).and_then(Value::as_str);
        let target = s("target").unwrap_or("Zoom");
        let issuer = s("issuer").unwrap_or("an unknown issuer");
        let error = s("error")
            .map(|e| format!(" ({})", net_words(e)))
            .unwrap_or_default();
        let dates = |v: Option<&str>| matches!(v, Some("expired" | "not_yet_valid"));
        match (s("public_roots"), s("local_roots"), s("stage")) {
            (Some("trusted"), _, _) => {}
            // The antivirus's own inspection: this computer, not the network.
            (Some("unknown_issuer"), Some("trusted"), _) if by_antivirus => {}
            (Some("unknown_issuer"), Some("trusted"), _) => items.push(format!("SSL inspection: the connection to {target} is re-signed by \"{issuer}\". Please exempt zoom.us and *.zoom.us from inspection.")),
            (Some("unknown_issuer"), _, _) => items.push(format!(
                "TLS to {target}: the certificate is signed by \"{issuer}\", which is not publicly trusted; something on the way replaces it."
            )),
            (Some("wrong_name"), _, _) => items.push(format!(
                "TLS to {target}: the server that answers presents a certificate for another name; something redirects it."
            )),
            // A wrong clock makes good certificates look out of date.
            (p, l, _) if (dates(p) || dates(l)) && clock_wrong => {}
            (p, l, _) if dates(p) || dates(l) => items.push(format!(
                "TLS to {target}: the certificate presented is out of its validity dates (\"{issuer}\")."
            )),
            (_, _, Some("handshake")) => {
                let how = match s("error") {
                    Some("reset") => "is reset".to_string(),
                    Some("silent") => "gets no answer".to_string(),
                    Some(e) => format!("fails ({})", net_words(e)),
                    None => "fails".to_string(),
                };
                items.push(format!(
                    "TLS to {target}: the handshake {how} after the TCP connection opened; a filter may recognise and block Zoom."
                ))
            }
            (_, _, Some("connect")) => items.push(format!("TLS to {target}: no TCP connection{error}.")),
            _ => {}
        }
    }
    if items.len() == before && !by_antivirus && !clock_wrong {
        items.push(format!("TLS: {}", f.summary));
    }
}

fn proxy_items(r: &Report, items: &mut Vec<String>) {
    let Some(f) = check(r, "proxy").filter(|f| matches!(f.status, Status::Fail | Status::Warn))
    else {
        return;
    };
    if let Some(e) = ev_str(f, &["error"]) {
        items.push(format!("Proxy auto-configuration fails: {e}."));
        return;
    }
    let target = ev_str(f, &["route", "url"])
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(443)))
        })
        .unwrap_or_else(|| "Zoom".to_string());
    let tried = ev(f, &["tried"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let before = items.len();
    for t in &tried {
        let via = t
            .pointer("/via/address")
            .and_then(Value::as_str)
            .unwrap_or("the proxy");
        let e = t.get("error").cloned().unwrap_or(Value::Null);
        let s = |k: &str| e.get(k).and_then(Value::as_str);
        let line = match s("kind") {
            Some("refused") => {
                let status = e.get("status").and_then(Value::as_u64).unwrap_or(0);
                let reason = s("reason").unwrap_or("");
                if status == 407 {
                    let how = s("authenticate")
                        .map(|a| format!(", Proxy-Authenticate: {a}"))
                        .unwrap_or_default();
                    format!("Proxy {via} wants authentication for CONNECT {target} (HTTP 407{how}); the Zoom app may never show a sign-in prompt. Allow zoom.us and *.zoom.us without authentication, or tell users how to sign in.")
                } else {
                    format!("Proxy {via} refuses CONNECT {target} (HTTP {status} {reason}). Please allow zoom.us and *.zoom.us.")
                }
            }
            Some("socks") => format!(
                "SOCKS proxy {via} refuses {target}: {}.",
                s("message").unwrap_or("refused")
            ),
            Some("connect" | "lookup" | "no_answer") => {
                format!("Proxy {via}, set on this computer, does not answer.")
            }
            Some("garbage") => format!("Proxy {via} gives a malformed answer to CONNECT {target}."),
            _ => continue,
        };
        items.push(line);
    }
    if items.len() == before {
        items.push(format!("Proxy: {}", f.summary));
    }
}

// ───────────────────────────── shared wording ─────────────────────────────

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Pass => "Pass",
        Status::Warn => "Warning",
        Status::Fail => "Fail",
        Status::Unknown => "Unknown",
        Status::Skipped => "Skipped",
    }
}

const QUALITY_NOTE: &str = "Affects sound and video, not whether Zoom connects.";

fn cause_heading(n: usize, c: &CauseView) -> String {
    format!("{n}. {}", c.summary)
}

fn cause_lead(c: &CauseView) -> String {
    if c.quality_only {
        format!("{}. {QUALITY_NOTE} {}", c.likelihood, c.explanation)
    } else {
        format!("{}. {}", c.likelihood, c.explanation)
    }
}

// ───────────────────────────── Markdown ─────────────────────────────

/// Escapes data for Markdown running text: nothing in it can become code,
/// emphasis, a link, an image or raw HTML.
fn md(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => out.push_str("\\\\"),
            '`' | '*' | '<' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric)) =>
            {
                out.push_str("\\_")
            }
            '(' if prev == Some(']') => out.push_str("\\("),
            '[' if next == Some('^') => out.push_str("\\["),
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => {
                out.push_str("\\&")
            }
            _ => out.push(c),
        }
    }
    out
}

/// Escapes data for a Markdown table cell.
fn md_cell(s: &str) -> String {
    md(s).replace('|', "\\|")
}

/// A code span that holds any text.
fn md_code(s: &str) -> String {
    let longest = longest_run(s, '`');
    let ticks = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{}{pad}{ticks}", s.replace(['\n', '\r'], " "))
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        cur = if c == ch { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

/// A fenced block that holds any text verbatim.
fn md_fence(out: &mut String, body: &str) {
    let fence = "`".repeat((longest_run(body, '`') + 1).max(3));
    let _ = writeln!(out, "{fence}text\n{}\n{fence}\n", body.trim_end());
}

fn md_steps(out: &mut String, steps: &[(String, String)]) {
    for (i, (title, how)) in steps.iter().enumerate() {
        let _ = writeln!(out, "{}. **{}** — {}", i + 1, md(title), md(how));
    }
    out.push('\n');
}

fn markdown(v: &View) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&v.title));
    let _ = writeln!(o, "{}\n", md(&v.meta));
    for n in &v.run_notes {
        let _ = writeln!(o, "> {}\n", md(n));
    }
    let _ = writeln!(o, "**{}**\n", md(&v.headline));

    let _ = writeln!(o, "## What's wrong\n");
    if let Some(s) = &v.nothing_found {
        let _ = writeln!(o, "{}\n", md(s));
    }
    for (i, c) in v.causes.iter().enumerate() {
        let _ = writeln!(o, "### {}\n", md(&cause_heading(i + 1, c)));
        let _ = writeln!(o, "{}\n", md(&cause_lead(c)));
        if !c.evidence.is_empty() {
            let ids: Vec<String> = c.evidence.iter().map(|e| md_code(e)).collect();
            let _ = writeln!(o, "Evidence: {}\n", ids.join(", "));
        }
        if !c.fixes.is_empty() {
            let _ = writeln!(o, "Meeting Doctor can try: {}\n", c.fixes.join("; "));
        }
        if !c.steps.is_empty() {
            let _ = writeln!(o, "What to do:\n");
            md_steps(&mut o, &c.steps);
        }
    }
    if !v.ruled_out.is_empty() {
        let _ = writeln!(o, "### Ruled out\n");
        for r in &v.ruled_out {
            let _ = writeln!(o, "- {}", md(r));
        }
        o.push('\n');
    }
    if !v.next_steps.is_empty() {
        let _ = writeln!(o, "### What to try next\n");
        md_steps(&mut o, &v.next_steps);
    }
    if !v.fixes_applied.is_empty() {
        let _ = writeln!(o, "## Changes made by Meeting Doctor\n");
        for f in &v.fixes_applied {
            let _ = writeln!(o, "- {}", md(f));
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Support details\n");
    let _ = writeln!(o, "| Detail | Value |\n|---|---|");
    for (k, val) in &v.details {
        let _ = writeln!(o, "| {} | {} |", md_cell(k), md_cell(val));
    }
    o.push('\n');

    if let Some(n) = &v.admin {
        let _ = writeln!(o, "## Note for the network administrator\n");
        md_fence(&mut o, &note_text(n));
    }

    let _ = writeln!(o, "## All checks\n");
    for (label, rows) in &v.groups {
        let _ = writeln!(o, "### {}\n", md(label));
        let _ = writeln!(o, "| Status | Check | Result |\n|---|---|---|");
        for r in rows {
            let word = status_word(r.status);
            let status = match r.status {
                Status::Fail | Status::Warn => format!("**{word}**"),
                _ => word.to_string(),
            };
            let _ = writeln!(
                o,
                "| {status} | {} | {} |",
                md_cell(&r.title),
                md_cell(&r.summary)
            );
        }
        o.push('\n');
    }

    if !v.technical.is_empty() {
        let _ = writeln!(o, "## Technical detail\n");
        for (title, id, status, detail) in &v.technical {
            let _ = writeln!(
                o,
                "### {}: {} · {}\n",
                status_word(*status),
                md(title),
                md_code(id)
            );
            md_fence(&mut o, detail);
        }
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

// ───────────────────────────── plain text ─────────────────────────────

const WIDTH: usize = 78;

/// Word-wraps `s` to `WIDTH` columns: the first line starts with `first`,
/// the others with `rest`. Line breaks in `s` are kept.
fn wrap(s: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut prefix = first;
    for line in s.lines() {
        let mut cur = prefix.to_string();
        let mut empty = true;
        for word in line.split_whitespace() {
            let len = cur.chars().count();
            if !empty && len + 1 + word.chars().count() > WIDTH {
                out.push_str(cur.trim_end());
                out.push('\n');
                cur = rest.to_string();
                empty = true;
            }
            if !empty {
                cur.push(' ');
            }
            cur.push_str(word);
            empty = false;
        }
        out.push_str(cur.trim_end());
        out.push('\n');
        prefix = rest;
    }
    if out.is_empty() {
        out.push_str(first.trim_end());
        out.push('\n');
    }
    out
}

/// Verbatim text (technical detail) indented, long lines folded at spaces.
fn wrap_verbatim(s: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in s.trim_end().lines() {
        let lead: String = line.chars().take_while(|c| *c == ' ').collect();
        let first = format!("{indent}{lead}");
        let rest = format!("{indent}{lead}  ");
        if first.chars().count() + line.trim_start().chars().count() <= WIDTH {
            let _ = writeln!(out, "{first}{}", line.trim_start());
        } else {
            out.push_str(&wrap(line.trim_start(), &first, &rest));
        }
    }
    out
}

fn heading(o: &mut String, s: &str, underline: char) {
    let _ = writeln!(
        o,
        "{s}\n{}\n",
        underline.to_string().repeat(s.chars().count())
    );
}

/// The administrator note wrapped for text and fenced blocks.
fn note_text(n: &AdminNote) -> String {
    let mut s = wrap(&n.intro, "", "");
    for i in &n.items {
        s.push_str(&wrap(i, "- ", "  "));
    }
    s.push_str(&wrap(&n.needs, "", ""));
    s
}

fn text_steps(o: &mut String, steps: &[(String, String)], indent: &str) {
    for (i, (title, how)) in steps.iter().enumerate() {
        let first = format!("{indent}{}. ", i + 1);
        let rest = " ".repeat(first.chars().count());
        o.push_str(&wrap(&format!("{title} — {how}"), &first, &rest));
    }
}

fn text(v: &View) -> String {
    let mut o = String::new();
    heading(&mut o, &v.title.to_uppercase(), '=');
    o.push_str(&wrap(&v.meta, "", ""));
    o.push('\n');
    for n in &v.run_notes {
        o.push_str(&wrap(&format!("Note: {n}"), "", "      "));
        o.push('\n');
    }
    o.push_str(&wrap(&v.headline, "", ""));
    o.push('\n');

    heading(&mut o, "WHAT'S WRONG", '-');
    if let Some(s) = &v.nothing_found {
        o.push_str(&wrap(s, "", ""));
        o.push('\n');
    }
    for (i, c) in v.causes.iter().enumerate() {
        let head = cause_heading(i + 1, c);
        let hang = " ".repeat(format!("{}. ", i + 1).len());
        o.push_str(&wrap(&head, "", &hang));
        o.push_str(&wrap(&cause_lead(c), &hang, &hang));
        if !c.evidence.is_empty() {
            o.push_str(&wrap(
                &format!("Evidence: {}", c.evidence.join(", ")),
                &hang,
                &hang,
            ));
        }
        if !c.fixes.is_empty() {
            o.push_str(&wrap(
                &format!("Meeting Doctor can try: {}", c.fixes.join("; ")),
                &hang,
                &hang,
            ));
        }
        if !c.steps.is_empty() {
            let _ = writeln!(o, "{hang}What to do:");
            text_steps(&mut o, &c.steps, &hang);
        }
        o.push('\n');
    }
    if !v.ruled_out.is_empty() {
        let _ = writeln!(o, "Ruled out:");
        for r in &v.ruled_out {
            o.push_str(&wrap(r, "- ", "  "));
        }
        o.push('\n');
    }
    if !v.next_steps.is_empty() {
        let _ = writeln!(o, "What to try next:");
        text_steps(&mut o, &v.next_steps, "");
        o.push('\n');
    }
    if !v.fixes_applied.is_empty() {
        heading(&mut o, "CHANGES MADE BY MEETING DOCTOR", '-');
        for f in &v.fixes_applied {
            o.push_str(&wrap(f, "- ", "  "));
        }
        o.push('\n');
    }

    heading(&mut o, "SUPPORT DETAILS", '-');
    let w = v
        .details
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    for (k, val) in &v.details {
        let first = format!("{k}:{}", " ".repeat(w - k.chars().count() - 1));
        o.push_str(&wrap(val, &first, &" ".repeat(w)));
    }
    o.push('\n');

    if let Some(n) = &v.admin {
        heading(&mut o, "NOTE FOR THE NETWORK ADMINISTRATOR", '-');
        o.push_str(&note_text(n));
        o.push('\n');
    }

    heading(&mut o, "ALL CHECKS", '-');
    for (label, rows) in &v.groups {
        let _ = writeln!(o, "{label}");
        for r in rows {
            let first = format!("  {:<8} ", status_word(r.status).to_uppercase());
            let rest = " ".repeat(first.chars().count());
            o.push_str(&wrap(&format!("{}: {}", r.title, r.summary), &first, &rest));
        }
        o.push('\n');
    }

    if !v.technical.is_empty() {
        heading(&mut o, "TECHNICAL DETAIL", '-');
        for (title, id, status, detail) in &v.technical {
            o.push_str(&wrap(
                &format!("{}: {title} · {id}", status_word(*status).to_uppercase()),
                "",
                "  ",
            ));
            o.push_str(&wrap_verbatim(detail, "    "));
            o.push('\n');
        }
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

// ───────────────────────────── HTML ─────────────────────────────

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn status_class(s: Status) -> &'static str {
    s.as_str()
}

fn status_badge(s: Status) -> String {
    let mark = match s {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Unknown => "?",
        Status::Skipped => "–",
    };
    format!(
        "<span class=\"status {}\"><span class=\"mark\" aria-hidden=\"true\">{mark}</span> {}</span>",
        status_class(s),
        status_word(s)
    )
}

fn html_steps(o: &mut String, steps: &[(String, String)]) {
    o.push_str("<ol class=\"steps\">\n");
    for (title, how) in steps {
        let _ = writeln!(o, "<li><strong>{}</strong> — {}</li>", esc(title), esc(how));
    }
    o.push_str("</ol>\n");
}

fn html(v: &View) -> String {
    let mut o = String::new();
    let (overall_class, overall_word) = match v.overall {
        Overall::Healthy => ("pass", "All clear"),
        Overall::Warnings => ("warn", "Needs attention"),
        Overall::Problems => ("fail", "Problems found"),
    };
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    o.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(o, "<title>{} — {}</title>", esc(&v.title), esc(&v.meta));
    let _ = writeln!(
        o,
        "<style>\n{}</style>\n</head>\n<body>\n<main>",
        STYLESHEET
    );
    let _ = writeln!(
        o,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n</header>",
        esc(&v.title),
        esc(&v.meta)
    );
    for n in &v.run_notes {
        let _ = writeln!(o, "<p class=\"run-note\">{}</p>", esc(n));
    }
    let _ = writeln!(
        o,
        "<p class=\"headline {overall_class}\"><span class=\"verdict\">{overall_word}</span> {}</p>",
        esc(&v.headline)
    );

    o.push_str("<section class=\"causes\">\n<h2>What's wrong</h2>\n");
    if let Some(s) = &v.nothing_found {
        let _ = writeln!(o, "<p>{}</p>", esc(s));
    }
    for (i, c) in v.causes.iter().enumerate() {
        let class = if c.quality_only { "warn" } else { "fail" };
        let _ = writeln!(
            o,
            "<article class=\"cause {class}\">\n<h3>{}</h3>",
            esc(&cause_heading(i + 1, c))
        );
        let _ = write!(
            o,
            "<p><span class=\"likelihood\">{}.</span> ",
            esc(c.likelihood)
        );
        if c.quality_only {
            let _ = write!(o, "<em>{}</em> ", esc(QUALITY_NOTE));
        }
        let _ = writeln!(o, "{}</p>", esc(&c.explanation));
        if !c.evidence.is_empty() {
            let ids: Vec<String> = c
                .evidence
                .iter()
                .map(|e| format!("<code>{}</code>", esc(e)))
                .collect();
            let _ = writeln!(o, "<p class=\"evidence\">Evidence: {}</p>", ids.join(", "));
        }
        if !c.fixes.is_empty() {
            let _ = writeln!(
                o,
                "<p class=\"fixes\">Meeting Doctor can try: {}</p>",
                esc(&c.fixes.join("; "))
            );
        }
        if !c.steps.is_empty() {
            o.push_str("<h4>What to do</h4>\n");
            html_steps(&mut o, &c.steps);
        }
        o.push_str("</article>\n");
    }
    if !v.ruled_out.is_empty() {
        o.push_str("<h3>Ruled out</h3>\n<ul>\n");
        for r in &v.ruled_out {
            let _ = writeln!(o, "<li>{}</li>", esc(r));
        }
        o.push_str("</ul>\n");
    }
    if !v.next_steps.is_empty() {
        o.push_str("<h3>What to try next</h3>\n");
        html_steps(&mut o, &v.next_steps);
    }
    o.push_str("</section>\n");
    if !v.fixes_applied.is_empty() {
        o.push_str("<section>\n<h2>Changes made by Meeting Doctor</h2>\n<ul>\n");
        for f in &v.fixes_applied {
            let _ = writeln!(o, "<li>{}</li>", esc(f));
        }
        o.push_str("</ul>\n</section>\n");
    }

    o.push_str("<section>\n<h2>Support details</h2>\n<table class=\"details\">\n<tbody>\n");
    for (k, val) in &v.details {
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(k),
            esc(val)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");

    if let Some(n) = &v.admin {
        o.push_str("<section class=\"admin-note\">\n<h2>Note for the network administrator</h2>\n");
        let _ = writeln!(o, "<p>{}</p>\n<ul>", esc(&n.intro));
        for i in &n.items {
            let _ = writeln!(o, "<li>{}</li>", esc(i));
        }
        let _ = writeln!(o, "</ul>\n<p>{}</p>\n</section>", esc(&n.needs));
    }

    o.push_str("<section>\n<h2>All checks</h2>\n");
    for (label, rows) in &v.groups {
        let _ = writeln!(o, "<h3>{}</h3>", esc(label));
        o.push_str("<table class=\"checks\">\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Check</th><th scope=\"col\">Result</th></tr></thead>\n<tbody>\n");
        for r in rows {
            let _ = writeln!(
                o,
                "<tr class=\"{}\"><td>{}</td><td>{}<br><code class=\"id\">{}</code></td><td>{}</td></tr>",
                status_class(r.status),
                status_badge(r.status),
                esc(&r.title),
                esc(&r.id),
                esc(&r.summary)
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");

    if !v.technical.is_empty() {
        o.push_str("<section class=\"technical\">\n<h2>Technical detail</h2>\n");
        for (title, id, status, detail) in &v.technical {
            let _ = writeln!(
                o,
                "<h3>{} <code>{}</code> {}</h3>\n<pre>{}</pre>",
                esc(title),
                esc(id),
                status_badge(*status),
                esc(detail.trim_end())
            );
        }
        o.push_str("</section>\n");
    }
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_neutralises_markup() {
        assert_eq!(md("a `b` *c*"), "a \\`b\\` \\*c\\*");
        assert_eq!(md("[x](javascript:1)"), "[x]\\(javascript:1)");
        assert_eq!(md("<script>"), "\\<script>");
        assert_eq!(md("dns_filtered _x_"), "dns_filtered \\_x\\_");
        assert_eq!(md_cell("a|b"), "a\\|b");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`a"), "`` `a ``");
        assert_eq!(md(r"C:\Users\x"), r"C:\Users\x");
    }

    #[test]
    fn wrapping_keeps_to_the_width() {
        let long = "word ".repeat(40);
        let w = wrap(&long, "- ", "  ");
        assert!(w.lines().all(|l| l.chars().count() <= WIDTH), "{w}");
        assert!(w.starts_with("- word"));
        assert!(w.lines().skip(1).all(|l| l.starts_with("  word")));
    }
}
