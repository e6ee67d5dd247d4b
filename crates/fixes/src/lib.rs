//! Fixes: a catalog of repairs, each with a plan per OS that is plain data
//! (programs with argv, file moves, processes to quit), shown before it
//! runs, journaled before it changes anything, and undone from the journal.
//!
//! ```text
//! catalog ─► plan(id, env) ─► preview ─► confirm ─► journal "begin" ─► steps ─► "end"
//!                                                        └─ undo steps, written first
//! ```
//!
//! Plans are pure functions of [`FixEnv`] (the OS, the profile, the facts
//! read from this computer), so every OS's plan is tested here as data.
//! Nothing runs a command line from outside the catalog: callers name a
//! fix by id.

pub mod apply;
pub mod elevate;
pub mod env;
mod files;
pub mod journal;
pub mod outcome;
pub mod plans;
pub mod script;
pub mod store;
pub mod undo;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use md_facts::command::CommandSpec;
use md_model::system::Os;

pub use env::FixEnv;
pub use plans::plan;

pub use md_model::fix_catalog::{catalog, find, get, repair_rank, verifies, Fix, Risk};
pub use md_model::ids::{CauseId, FixId};

/// One thing a plan does, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Run a program with these arguments. Exit 0 is success; `ok_codes`
    /// lists other exit codes that mean "nothing to do".
    Run {
        command: CommandSpec,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ok_codes: Vec<i32>,
    },
    /// Read a setting before it changes; the output is kept in the journal
    /// under `name` and the undo steps are built from it. Changes nothing.
    /// Exit codes in `absent_codes` mean "not set" (saved as empty); any
    /// other failure stops the fix before anything changes, so an undo is
    /// never built from a reading that did not happen.
    Save {
        name: String,
        command: CommandSpec,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        absent_codes: Vec<i32>,
    },
    /// Ask these programs to quit, and force them after `grace_ms`.
    Quit { names: Vec<String>, grace_ms: u64 },
    /// Move `path` into the fix's backup folder (listed in its manifest).
    /// With `keep`, `path` is a folder: its entries whose names match a
    /// `keep` pattern (`*.enc.db`, `*.ini`) stay, the others move.
    MoveAside {
        path: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        keep: Vec<String>,
    },
    /// Replace a file's content; the old file is moved aside first.
    WriteFile { path: String, content: String },
    /// Undo: move everything listed in the backup folder's manifest back.
    Restore { backup: String },
    /// Undo: delete the nftables rules carrying `tag` from one chain.
    RemoveNftRules {
        family: String,
        table: String,
        chain: String,
        tag: String,
    },
}

impl Action {
    /// The technical line shown under a step: the command as typed, or
    /// what moves where.
    pub fn detail(&self) -> String {
        match self {
            Action::Run { command, .. } | Action::Save { command, .. } => {
                command.display_with_env()
            }
            Action::Quit { names, grace_ms } => format!(
                "quit {} (forced after {} s)",
                names.join(", "),
                grace_ms / 1000
            ),
            Action::MoveAside { path, keep } if keep.is_empty() => {
                format!("move {path} into the backup folder")
            }
            Action::MoveAside { path, keep } => format!(
                "move the contents of {path} into the backup folder, except {}",
                keep.join(", ")
            ),
            Action::WriteFile { path, content } => format!(
                "write {path} ({} lines; the old file is kept in the backup folder)",
                content.lines().count()
            ),
            Action::Restore { backup } => format!("move everything in {backup} back"),
            Action::RemoveNftRules {
                family,
                table,
                chain,
                tag,
            } => format!("nft delete the rules tagged \"{tag}\" from {family} {table} {chain}"),
        }
    }

    /// True for steps that only read.
    pub fn is_read_only(&self) -> bool {
        matches!(self, Action::Save { .. })
    }
}

/// One step of a plan: plain words for the person, the action as data,
/// and what the journal records so it can be undone (set by the plan, so
/// undo never has to read a command back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo: Option<undo::Undo>,
}

impl Step {
    pub fn new(title: impl Into<String>, action: Action) -> Step {
        Step {
            title: title.into(),
            action,
            undo: None,
        }
    }

    /// The same step, recording `undo` when it runs.
    pub fn undone_by(mut self, undo: undo::Undo) -> Step {
        self.undo = Some(undo);
        self
    }

    pub fn run(title: impl Into<String>, command: CommandSpec) -> Step {
        Step::new(
            title,
            Action::Run {
                command,
                ok_codes: vec![],
            },
        )
    }

    pub fn save(name: &str, command: CommandSpec) -> Step {
        Step::new(
            "Note the current setting so it can be put back",
            Action::Save {
                name: name.into(),
                command,
                absent_codes: vec![],
            },
        )
    }

    /// A [`Step::save`] for which these exit codes mean "not set".
    pub fn save_or_absent(name: &str, command: CommandSpec, absent_codes: &[i32]) -> Step {
        let mut s = Step::save(name, command);
        if let Action::Save {
            absent_codes: a, ..
        } = &mut s.action
        {
            *a = absent_codes.to_vec();
        }
        s
    }
}

/// A fix made concrete for one computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub fix: Fix,
    pub os: Os,
    pub steps: Vec<Step>,
    pub needs_admin: bool,
    pub needs_restart: bool,
    /// What else it changes, to warn about before it runs.
    pub side_effects: Vec<String>,
    /// How it is undone, in plain words.
    pub undo: String,
}

impl Plan {
    /// A digest of exactly what runs: the fix, the OS, every step as data
    /// (programs, arguments, environment, paths, what undo records) and
    /// whether it needs rights or a restart. The preview shows it; the
    /// process that applies the fix builds the plan again, itself, and
    /// runs it only when the digests match, so what runs is what was
    /// shown.
    pub fn digest(&self) -> String {
        let canonical = serde_json::to_vec(&(
            &self.fix.id,
            self.os,
            &self.steps,
            self.needs_admin,
            self.needs_restart,
        ))
        .expect("plans serialize");
        let d = ring::digest::digest(&ring::digest::SHA256, &canonical);
        d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// True for a digest as [`Plan::digest`] writes it.
pub fn is_digest(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Why a fix cannot be offered on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{fix}: {reason}")]
pub struct NotApplicable {
    pub fix: String,
    pub reason: String,
}

/// One step as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewStep {
    pub title: String,
    /// The command as typed, or the move, for a technician.
    pub detail: String,
}

/// What the person sees before saying yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Preview {
    pub fix: Fix,
    pub os: Os,
    /// False when the fix cannot be done here; `reason` says why.
    pub applicable: bool,
    pub reason: Option<String>,
    pub needs_admin: bool,
    /// Applying it will bring up the system's administrator prompt (it
    /// needs rights this program does not have). [`Preview::of`] assumes
    /// so; [`Fixer::preview`] knows.
    pub asks_password: bool,
    pub needs_restart: bool,
    pub side_effects: Vec<String>,
    pub steps: Vec<PreviewStep>,
    pub undo: String,
    /// [`Plan::digest`] of the plan shown (empty when not applicable).
    /// Applying takes it back: a plan that changed since is not run.
    pub digest: String,
}

impl Preview {
    pub fn of(result: &Result<Plan, NotApplicable>, fix: &Fix, os: Os) -> Preview {
        match result {
            Ok(p) => Preview {
                fix: p.fix.clone(),
                os: p.os,
                applicable: true,
                reason: None,
                needs_admin: p.needs_admin,
                asks_password: p.needs_admin,
                needs_restart: p.needs_restart,
                side_effects: p.side_effects.clone(),
                steps: p
                    .steps
                    .iter()
                    .map(|s| PreviewStep {
                        title: s.title.clone(),
                        detail: s.action.detail(),
                    })
                    .collect(),
                undo: p.undo.clone(),
                digest: p.digest(),
            },
            Err(na) => Preview {
                fix: fix.clone(),
                os,
                applicable: false,
                reason: Some(na.reason.clone()),
                needs_admin: false,
                asks_password: false,
                needs_restart: false,
                side_effects: vec![],
                steps: vec![],
                undo: String::new(),
                digest: String::new(),
            },
        }
    }
}

/// A fix the diagnosis suggests, with the causes it addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Suggestion {
    pub preview: Preview,
    /// Cause ids, most likely first.
    pub causes: Vec<CauseId>,
}

/// The fixes for a diagnosis, in repair order: causes as ranked, each
/// cause's fixes in catalog order (narrow before broad), each fix once.
/// Fixes that cannot be done here are kept, with the reason.
pub fn suggest(diagnosis: &md_diagnosis::Diagnosis, env: &FixEnv) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    for cause in &diagnosis.causes {
        let mut ids: Vec<FixId> = cause.fixes.clone();
        ids.sort_by_key(|id| repair_rank(*id));
        for id in ids {
            if let Some(s) = out.iter_mut().find(|s| s.preview.fix.id == id) {
                if !s.causes.contains(&cause.id) {
                    s.causes.push(cause.id);
                }
                continue;
            }
            let fix = get(id);
            let preview = Preview::of(&plan(id.as_str(), env), &fix, env.os);
            out.push(Suggestion {
                preview,
                causes: vec![cause.id],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_holds_exactly_the_contract_ids_in_risk_order() {
        let ids: Vec<FixId> = catalog().into_iter().map(|f| f.id).collect();
        assert_eq!(ids, FixId::ALL, "the catalog is in FixId's (repair) order");
        let risks: Vec<Risk> = catalog().iter().map(|f| f.risk).collect();
        let mut sorted = risks.clone();
        sorted.sort();
        assert_eq!(risks, sorted, "repair order is lowest risk first");
        for f in catalog() {
            assert!(!f.title.is_empty() && f.why.ends_with('.'), "{}", f.id);
            assert!(!f.verify.is_empty(), "{} names checks to verify it", f.id);
        }
    }

    #[test]
    fn verify_patterns_match_check_ids() {
        let fw = find("firewall.allow_zoom").unwrap();
        assert!(verifies(&fw, "udp.3478") && verifies(&fw, "tcp.443") && verifies(&fw, "firewall"));
        assert!(!verifies(&fw, "dns.system") && !verifies(&fw, "udp"));
        assert!(find("no.such").is_none());
    }
}
