//! Two runs side by side: "does it work on a hotspot?", the best first test
//! of the seeds. What changed between the runs, and what that means.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Report;
use md_model::finding::Status;
use md_model::ids::{CauseId, CheckId};

/// What the two runs together say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Problems on the first network, none on the second: the first network blocks Zoom.
    FirstNetworkBlocks,
    /// Problems on the second network, none on the first.
    SecondNetworkBlocks,
    /// The same problems on both: the cause is on this computer (or Zoom).
    SameOnBoth,
    /// Problems on both, but different ones.
    DifferentProblems,
    /// No problems on either.
    BothFine,
}

/// One check whose status changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Change {
    pub id: CheckId,
    pub title: String,
    pub before: Status,
    pub after: Status,
    /// The summaries, so a person sees what each run said.
    pub before_summary: String,
    pub after_summary: String,
}

/// One run, in a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RunSummary {
    pub generated_at: String,
    /// "Wi-Fi (HomeNet)", "Ethernet", … when the run knew.
    pub network: Option<String>,
    /// Cause ids, best first (quality warnings included).
    pub causes: Vec<CauseId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Comparison {
    pub before: RunSummary,
    pub after: RunSummary,
    pub verdict: Verdict,
    /// What it means, in one short sentence.
    pub meaning: String,
    /// What to do about it.
    pub advice: String,
    /// Checks whose status changed, worse-to-better first.
    pub changes: Vec<Change>,
}

fn network(r: &Report) -> Option<String> {
    let link = r
        .checks
        .iter()
        .find(|c| c.id == "network_type")?
        .evidence
        .get("link")?;
    let kind = link.get("kind")?.as_str()?;
    let ssid = link
        .get("wifi")
        .and_then(|w| w.get("ssid"))
        .and_then(|s| s.as_str());
    Some(match (kind, ssid) {
        ("wifi", Some(s)) => format!("Wi-Fi ({s})"),
        ("wifi", None) => "Wi-Fi".into(),
        ("ethernet", _) => "Ethernet".into(),
        ("cellular", _) => "mobile data".into(),
        _ => return None,
    })
}

/// Connection problems only: quality warnings do not make a network "block Zoom".
fn blocking(r: &Report) -> Vec<CauseId> {
    r.diagnosis
        .causes
        .iter()
        .filter(|c| !c.quality_only)
        .map(|c| c.id)
        .collect()
}

fn summary(r: &Report) -> RunSummary {
    RunSummary {
        generated_at: r.generated_at.clone(),
        network: network(r),
        causes: r.diagnosis.causes.iter().map(|c| c.id).collect(),
    }
}

/// Compares run `a` (the first network) with run `b` (the second).
pub fn compare(a: &Report, b: &Report) -> Comparison {
    let (pa, pb) = (blocking(a), blocking(b));
    let verdict = match (pa.is_empty(), pb.is_empty()) {
        (false, true) => Verdict::FirstNetworkBlocks,
        (true, false) => Verdict::SecondNetworkBlocks,
        (true, true) => Verdict::BothFine,
        (false, false) if pa == pb => Verdict::SameOnBoth,
        (false, false) => Verdict::DifferentProblems,
    };
    let first = network(a).unwrap_or_else(|| "the first network".into());
    let second = network(b).unwrap_or_else(|| "the second network".into());
    let (meaning, advice) = match verdict {
        Verdict::FirstNetworkBlocks => (
            format!("{} blocks Zoom: it works on {second}.", capitalize(&first)),
            format!("This computer is fine. Ask whoever runs {first} to allow Zoom; the report's note for the administrator says what to open."),
        ),
        Verdict::SecondNetworkBlocks => (
            format!("{} blocks Zoom: it works on {first}.", capitalize(&second)),
            format!("Use {first} for meetings."),
        ),
        Verdict::SameOnBoth => (
            "The same problem shows on both networks.".to_string(),
            "So it is on this computer (or Zoom itself), not the network: start with the steps for it.".to_string(),
        ),
        Verdict::DifferentProblems => (
            "Both networks have problems, but not the same ones.".to_string(),
            "Look at what each network showed.".to_string(),
        ),
        Verdict::BothFine => (
            "Zoom's connections work on both networks.".to_string(),
            "If Zoom still fails, the cause is in the Zoom app or the meeting itself.".to_string(),
        ),
    };
    let severity = |s: Status| match s {
        Status::Fail => 3,
        Status::Warn => 2,
        Status::Unknown | Status::Skipped => 1,
        Status::Pass => 0,
    };
    let mut changes: Vec<Change> = a
        .checks
        .iter()
        .filter_map(|ca| {
            let cb = b.checks.iter().find(|c| c.id == ca.id)?;
            (ca.status != cb.status).then(|| Change {
                id: ca.id,
                title: ca.title.clone(),
                before: ca.status,
                after: cb.status,
                before_summary: ca.summary.clone(),
                after_summary: cb.summary.clone(),
            })
        })
        .collect();
    // Biggest improvements first, then the rest.
    changes.sort_by_key(|c| -(severity(c.before) - severity(c.after)));
    Comparison {
        before: summary(a),
        after: summary(b),
        verdict,
        meaning,
        advice,
        changes,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Reads a saved JSON report, with a clear error for anything else.
pub fn read_report(text: &str, name: &str) -> Result<Report, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{name}: not a JSON report ({e})"))?;
    match value.get("schema").and_then(|s| s.as_str()) {
        Some(crate::SCHEMA) => {}
        Some(other) => {
            return Err(format!(
                "{name}: a {other} report; this version reads {}",
                crate::SCHEMA
            ))
        }
        None => {
            return Err(format!(
                "{name}: not a Meeting Doctor report (no \"schema\" field)"
            ))
        }
    }
    serde_json::from_value(value).map_err(|e| format!("{name}: damaged report ({e})"))
}
