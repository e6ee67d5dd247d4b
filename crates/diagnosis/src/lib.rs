//! Diagnosis: pure rules from findings to ranked causes, each with the
//! error codes it explains, its evidence, the fixes in repair order (lowest
//! risk first) and the guided steps software cannot do.
//!
//! The rules never blame the wrong layer: without internet only `offline`
//! is reported; a captive portal explains everything after it; a failing
//! lookup hides the port checks that could not run; blocked UDP is a
//! quality warning (Zoom falls back to TCP 443), not a connection cause.

mod codes;
mod findings;
mod headline;
mod rules;
mod steps;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use md_model::finding::Finding;
pub use md_model::ids::{CauseId, FixId, StepId};

pub use codes::{clean_code, code_meaning, CONNECTION_CODES};

use findings::Findings;
use headline::{headline, ruled_out};
use rules::rules;
use steps::step;

/// A thing to do by hand, with why and how to tell it worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Step {
    pub id: StepId,
    pub title: String,
    pub why: String,
    pub how: String,
    pub worked_if: String,
}

/// A ranked cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Cause {
    /// Stable id (`offline`, `dns_filtered`…): part of the contract.
    pub id: CauseId,
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
    pub fixes: Vec<FixId>,
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
                StepId::QuitZoomFully,
                StepId::BrowserClient,
                StepId::UpdateZoom,
                StepId::ReinstallZoom,
                StepId::NewLocalUser,
                StepId::TryHotspot,
            ]
            .iter()
            .map(|s| step(*s))
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
