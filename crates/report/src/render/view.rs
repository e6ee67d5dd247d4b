//! The view: a report turned into what every format shows, in the order a person reads it.

use super::*;
use md_fixes::outcome::{FixRecord, OutcomeStatus};

/// Overall state, for the colour of the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Overall {
    Healthy,
    Warnings,
    Problems,
}

#[derive(Debug)]
pub(super) struct CauseView {
    pub(super) summary: String,
    pub(super) likelihood: &'static str,
    pub(super) quality_only: bool,
    pub(super) explanation: String,
    pub(super) evidence: Vec<String>,
    /// Titles of the catalog fixes for this cause, in repair order.
    pub(super) fixes: Vec<String>,
    pub(super) steps: Vec<(String, String)>,
}

#[derive(Debug)]
pub(super) struct CheckRow {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) status: Status,
    pub(super) summary: String,
}

#[derive(Debug)]
pub(super) struct View {
    pub(super) title: String,
    pub(super) meta: String,
    pub(super) run_notes: Vec<String>,
    pub(super) overall: Overall,
    pub(super) headline: String,
    pub(super) causes: Vec<CauseView>,
    /// When there are no causes: one sentence saying so.
    pub(super) nothing_found: Option<String>,
    pub(super) ruled_out: Vec<String>,
    pub(super) next_steps: Vec<(String, String)>,
    pub(super) fixes_applied: Vec<String>,
    pub(super) details: Vec<(&'static str, String)>,
    pub(super) admin: Option<AdminNote>,
    pub(super) groups: Vec<(&'static str, Vec<CheckRow>)>,
    pub(super) technical: Vec<(String, String, Status, String)>,
}

pub(super) const GROUPS: [Group; 5] = [
    Group::Internet,
    Group::ZoomServers,
    Group::Dns,
    Group::SecurityAndProxy,
    Group::ThisComputer,
];

pub(super) fn likelihood(confidence: f64) -> &'static str {
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
pub(super) fn when(stamp: &str) -> String {
    let b = stamp.as_bytes();
    if stamp.is_ascii() && stamp.len() >= 17 && stamp.ends_with('Z') && b.get(10) == Some(&b'T') {
        format!("{} {} UTC", &stamp[..10], &stamp[11..16])
    } else {
        stamp.to_string()
    }
}

impl View {
    pub(super) fn of(r: &Report, redacted: bool, comparison: Option<&Comparison>) -> View {
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
                fixes: md_model::fix_catalog::catalog()
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
                .filter(|c| checks::group(c.id) == g)
                .map(|c| CheckRow {
                    id: c.id.to_string(),
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
            .map(|c| {
                (
                    c.title.clone(),
                    c.id.to_string(),
                    c.status,
                    c.detail.clone(),
                )
            })
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
pub(super) fn fix_line(r: &FixRecord) -> String {
    let o = &r.outcome;
    let changes: Vec<String> = o
        .verification
        .iter()
        .flat_map(|v| &v.checks)
        .map(|c| {
            format!(
                "{} {} → {}",
                c.title,
                c.before.map_or("not run".to_string(), |s| s.to_string()),
                c.after
            )
        })
        .collect();
    let status = match o.status {
        OutcomeStatus::Applied => "done",
        OutcomeStatus::Failed => "did not work",
        OutcomeStatus::Declined => "declined at the administrator prompt",
        OutcomeStatus::Cancelled => "cancelled",
        OutcomeStatus::NotAuthorized => "not allowed for this account",
        OutcomeStatus::TimedOut => "no answer at the administrator prompt",
        OutcomeStatus::NotApplicable => "not possible on this computer",
    };
    let title = if o.title.is_empty() { &o.fix } else { &o.title };
    let mut line = format!("{title}: {status}");
    if !changes.is_empty() {
        line += &format!(" ({})", changes.join(", "));
    }
    // Why it did not work, for the technician (a fix that worked says so
    // through its checks).
    if o.status != OutcomeStatus::Applied && !o.message.is_empty() {
        line += &format!(": {}", o.message);
    }
    line
}
