//! The sentence at the top of the screen, and what was ruled out when
//! nothing explains the user's error code.

use md_model::finding::Status;

use crate::findings::Findings;
use crate::Cause;

/// One sentence: the cause (focused by the error code when there is one).
/// The first step follows it on screen, so it is not repeated here.
pub(crate) fn headline(causes: &[Cause], code: Option<&str>, meaning: Option<&str>) -> String {
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

pub(crate) fn ruled_out(f: &Findings) -> Vec<String> {
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
