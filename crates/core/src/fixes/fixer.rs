//! The one call the CLI and the app make: preview a fix, apply it (asking
//! for administrator rights when it needs them), check that it helped, and
//! undo it from the journal.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::apply::{self, Applied, ApplyError, StepResult};
use super::elevate::{self, Elevation, Request};
use super::journal::{Entry, Journal, JournalError, Record};
use super::{find, plan, FixEnv, NotApplicable, Plan, Preview};
use crate::facts::command::{Executor, System};
use crate::finding::{Finding, Status};
use crate::probes::Plan as CheckPlan;
use crate::{CancellationToken, Profile};

/// How long to wait for someone to answer the administrator prompt.
pub const APPROVAL_TIMEOUT: Duration = Duration::from_secs(120);

/// Whether to ask for administrator rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElevationMode {
    /// When the fix needs them and this program does not have them.
    Auto,
    /// Always go through the prompt (`MEETING_DOCTOR_ELEVATE=always`).
    Always,
    /// Never prompt: a fix that needs rights is refused with the reason
    /// (`MEETING_DOCTOR_ELEVATE=never`, for scripts).
    Never,
}

impl ElevationMode {
    pub fn from_env() -> ElevationMode {
        match std::env::var("MEETING_DOCTOR_ELEVATE").as_deref() {
            Ok("always") => ElevationMode::Always,
            Ok("never") => ElevationMode::Never,
            _ => ElevationMode::Auto,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("there is no fix called {0:?}; `meeting-doctor fixes` lists them")]
    Unknown(String),
    #[error("{0} was not confirmed, so nothing was changed")]
    NotConfirmed(String),
    #[error(transparent)]
    Apply(#[from] ApplyError),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// How a fix (or an undo) ended, for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    Applied,
    Failed,
    /// The person said no at the administrator prompt.
    Declined,
    /// Stopped while waiting for the prompt to be answered.
    Cancelled,
    /// This account may not make the change.
    NotAuthorized,
    /// Nobody answered the prompt in time.
    TimedOut,
    /// The fix cannot be done on this computer.
    NotApplicable,
}

/// One check before and after the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckChange {
    pub id: String,
    pub title: String,
    pub before: Option<Status>,
    pub after: Status,
    pub summary: String,
}

/// The fix's checks, run again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verification {
    pub checks: Vec<CheckChange>,
    /// Something that failed now passes, and nothing got worse.
    pub helped: bool,
    /// Every check of the fix now passes.
    pub all_pass: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Outcome {
    pub status: OutcomeStatus,
    pub fix: String,
    pub title: String,
    /// One or two plain sentences.
    pub message: String,
    /// The journal entry (to undo it).
    pub entry: Option<String>,
    pub steps: Vec<StepResult>,
    pub verification: Option<Verification>,
}

/// What happens while a fix (or an undo) runs, for a live view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FixEvent {
    /// The system's administrator prompt is about to appear; it is given
    /// up on after `timeout_s` seconds.
    WaitingForApproval { timeout_s: u64 },
    /// A step finished (read-only steps are not reported).
    Step { step: StepResult },
    /// The fix is done; its checks (these ids) are running again.
    Verifying { checks: Vec<String> },
}

/// Where fix events go.
pub type Events<'a> = &'a (dyn Fn(FixEvent) + Send + Sync);

/// How a fix is checked afterwards.
#[derive(Debug)]
pub struct Recheck<'a, M> {
    /// The ids of its checks.
    pub checks: Vec<String>,
    /// What the checks said before.
    pub before: &'a [Finding],
    /// Runs the checks again (`measure` for this profile and fix).
    pub measure: M,
}

/// Fixes on one computer.
#[derive(Debug, Clone)]
pub struct Fixer {
    pub env: FixEnv,
    pub journal: Journal,
    pub exec: Arc<dyn Executor>,
    pub elevation: ElevationMode,
    /// This program, started again with rights for a fix.
    pub exe: String,
    pub approval_timeout: Duration,
    /// A profile file the elevated run should read (the built-in one when None).
    pub profile_file: Option<PathBuf>,
}

impl Fixer {
    pub fn new(env: FixEnv, exec: Arc<dyn Executor>) -> Fixer {
        let journal = Journal::in_dir(Path::new(&env.data_dir));
        Fixer {
            env,
            journal,
            exec,
            elevation: ElevationMode::from_env(),
            exe: std::env::current_exe()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| "meeting-doctor".into()),
            approval_timeout: APPROVAL_TIMEOUT,
            profile_file: None,
        }
    }

    /// Reads this computer's facts and builds the fix environment.
    pub async fn for_this_computer(profile: &Profile) -> Fixer {
        let facts = crate::facts::collect::this_computer(profile).await;
        let env = FixEnv::current(profile, &facts, &System).await;
        let mut f = Fixer::new(env, Arc::new(System));
        if profile.source != "built-in" && !profile.source.is_empty() {
            f.profile_file = Some(PathBuf::from(&profile.source));
        }
        f
    }

    pub fn plan(&self, id: &str) -> Result<Result<Plan, NotApplicable>, FixError> {
        find(id).ok_or_else(|| FixError::Unknown(id.to_string()))?;
        Ok(plan(id, &self.env))
    }

    pub fn preview(&self, id: &str) -> Result<Preview, FixError> {
        let fix = find(id).ok_or_else(|| FixError::Unknown(id.to_string()))?;
        let mut p = Preview::of(&plan(id, &self.env), &fix, self.env.os);
        p.asks_password = self.needs_prompt(p.needs_admin);
        Ok(p)
    }

    /// The fixes for `diagnosis` (see [`super::suggest`]), saying which
    /// will bring up the administrator prompt here.
    pub fn suggest(&self, diagnosis: &crate::diagnosis::Diagnosis) -> Vec<super::Suggestion> {
        let mut out = super::suggest(diagnosis, &self.env);
        for s in &mut out {
            s.preview.asks_password = self.needs_prompt(s.preview.needs_admin);
        }
        out
    }

    /// Whether applying (or undoing) a change with this `needs_admin`
    /// goes through the system's administrator prompt.
    pub fn needs_prompt(&self, needs_admin: bool) -> bool {
        match self.elevation {
            ElevationMode::Always => needs_admin,
            ElevationMode::Never => false,
            ElevationMode::Auto => needs_admin && !elevate::is_elevated(),
        }
    }

    /// Refuses a change that needs rights this program lacks when asking
    /// for them is turned off (`MEETING_DOCTOR_ELEVATE=never`).
    fn refused(&self, needs_admin: bool, fix: &str, title: &str) -> Option<Outcome> {
        (needs_admin && self.elevation == ElevationMode::Never && !elevate::is_elevated()).then(|| {
            outcome(
                fix,
                title,
                OutcomeStatus::NotAuthorized,
                "This change needs administrator rights, and asking for them is turned off (MEETING_DOCTOR_ELEVATE=never). Run Meeting Doctor as an administrator, or export the fix as a script for an administrator shell.".into(),
            )
        })
    }

    /// Applies fix `id`, then runs its checks again: before → after.
    pub async fn apply_verified<M, F>(
        &self,
        id: &str,
        confirmed: &str,
        recheck: Recheck<'_, M>,
        events: Events<'_>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, FixError>
    where
        M: FnOnce(CancellationToken) -> F,
        F: std::future::Future<Output = crate::Result<Vec<Finding>>>,
    {
        let mut outcome = self.apply(id, confirmed, events, cancel).await?;
        if outcome.status == OutcomeStatus::Applied && !recheck.checks.is_empty() {
            events(FixEvent::Verifying {
                checks: recheck.checks.clone(),
            });
            match (recheck.measure)(cancel.clone()).await {
                Ok(after) => outcome.verification = Some(compare(recheck.before, &after)),
                Err(e) => tracing::warn!(fix = id, error = %e, "the fix's checks could not run"),
            }
        }
        Ok(outcome)
    }

    /// Applies fix `id`. `confirmed` must name the fix: a caller cannot
    /// apply one fix on the strength of a yes to another.
    pub async fn apply(
        &self,
        id: &str,
        confirmed: &str,
        events: Events<'_>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, FixError> {
        let fix = find(id).ok_or_else(|| FixError::Unknown(id.to_string()))?;
        if confirmed != id {
            return Err(FixError::NotConfirmed(fix.title));
        }
        let plan = match plan(id, &self.env) {
            Ok(p) => p,
            Err(na) => {
                return Ok(outcome(
                    &fix.id,
                    &fix.title,
                    OutcomeStatus::NotApplicable,
                    na.reason,
                ))
            }
        };
        if let Some(refused) = self.refused(plan.needs_admin, id, &fix.title) {
            return Ok(refused);
        }
        if self.needs_prompt(plan.needs_admin) {
            let entry = apply::new_entry_id(id);
            let req = Request::Apply {
                fix: id.to_string(),
                entry: entry.clone(),
            };
            return self
                .elevated(req, &fix.title, id, entry, events, cancel)
                .await;
        }
        let progress = |s: &StepResult| events(FixEvent::Step { step: s.clone() });
        let applied = apply::apply(
            &plan,
            &self.env,
            &self.journal,
            &*self.exec,
            None,
            &progress,
            None,
        )
        .await?;
        Ok(from_applied(&fix.title, applied, false))
    }

    /// Undoes journal entry `entry`.
    pub async fn undo(
        &self,
        entry: &str,
        events: Events<'_>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, FixError> {
        let e = self
            .history()?
            .into_iter()
            .find(|e| e.id == entry)
            .ok_or_else(|| ApplyError::NoEntry(entry.to_string()))?;
        if let Some(refused) = self.refused(e.admin, &e.fix, &e.title) {
            return Ok(refused);
        }
        if self.needs_prompt(e.admin) {
            let req = Request::Undo {
                entry: entry.to_string(),
            };
            return self
                .elevated(req, &e.title, &e.fix, entry.to_string(), events, cancel)
                .await;
        }
        let progress = |s: &StepResult| events(FixEvent::Step { step: s.clone() });
        let applied = apply::undo(&self.journal, entry, &*self.exec, &progress).await?;
        Ok(from_applied(&e.title, applied, true))
    }

    /// The journal, newest first.
    pub fn history(&self) -> Result<Vec<Entry>, FixError> {
        Ok(self.journal.entries()?)
    }

    /// Runs `request` in this program with administrator rights and reads
    /// what it did from the journal.
    async fn elevated(
        &self,
        request: Request,
        title: &str,
        fix: &str,
        entry: String,
        events: Events<'_>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, FixError> {
        self.journal.touch()?;
        let mut args = elevate::child_args(&request, &self.journal.path);
        if let (Request::Apply { .. }, Some(p)) = (&request, &self.profile_file) {
            args.push(p.to_string_lossy().into_owned());
        }
        let spec = elevate::command(self.env.os, &self.exe, &args);
        let undoing = matches!(request, Request::Undo { .. });
        events(FixEvent::WaitingForApproval {
            timeout_s: self.approval_timeout.as_secs(),
        });
        let result = tokio::select! {
            r = self.exec.run(&spec, self.approval_timeout) => r,
            _ = cancel.cancelled() => {
                return Ok(outcome(fix, title, OutcomeStatus::Cancelled,
                    "Stopped waiting for administrator approval. If the change had already started, the history shows what was done.".into()));
            }
        };
        let out = match result {
            Ok(o) => o,
            Err(crate::facts::command::ExecError::Timeout(..)) => {
                return Ok(outcome(fix, title, OutcomeStatus::TimedOut, format!(
                    "Nobody answered the administrator prompt within {} seconds. If you are helping remotely, the prompt may be on a screen you cannot see: export the fix as a script and run it in an administrator shell.",
                    self.approval_timeout.as_secs()
                )));
            }
            Err(e) => {
                return Ok(outcome(
                    fix,
                    title,
                    OutcomeStatus::Failed,
                    format!("Could not ask for administrator rights: {e}"),
                ))
            }
        };
        let status = match elevate::outcome(self.env.os, &out) {
            Elevation::Declined => {
                return Ok(outcome(
                    fix,
                    title,
                    OutcomeStatus::Declined,
                    "You said no to the administrator prompt, so nothing was changed.".into(),
                ))
            }
            Elevation::NotAuthorized { message } => {
                return Ok(outcome(
                    fix,
                    title,
                    OutcomeStatus::NotAuthorized,
                    format!(
                        "This account may not make this change ({message}). Ask an administrator."
                    ),
                ))
            }
            Elevation::Failed { message } => {
                return Ok(outcome(
                    fix,
                    title,
                    OutcomeStatus::Failed,
                    format!("The administrator prompt could not be used: {message}"),
                ))
            }
            Elevation::Ran { code } => code,
        };
        let records = self.journal.read()?.records;
        let steps: Vec<StepResult> = records
            .iter()
            .filter(|r| r.entry() == entry)
            .filter_map(|r| match r {
                Record::Step {
                    index,
                    title,
                    ok,
                    detail,
                    ..
                } if !undoing => Some(StepResult {
                    index: *index,
                    title: title.clone(),
                    ok: *ok,
                    detail: detail.clone(),
                }),
                _ => None,
            })
            .collect();
        let end_message = records.iter().rev().find_map(|r| match r {
            Record::End {
                entry: e, message, ..
            } if *e == entry && !undoing => Some(message.clone()),
            Record::UndoEnd {
                entry: e, message, ..
            } if *e == entry && undoing => Some(message.clone()),
            _ => None,
        });
        // Success is what the journal records, not only an exit code.
        let recorded_ok = records.iter().any(|r| match r {
            Record::End { entry: e, ok, .. } if !undoing => *e == entry && *ok,
            Record::UndoEnd { entry: e, ok, .. } if undoing => *e == entry && *ok,
            _ => false,
        });
        let ok = status == elevate::CHILD_OK && recorded_ok;
        let message = match (ok, end_message.flatten()) {
            (true, _) if undoing => "Undone.".to_string(),
            (true, _) => "Done.".to_string(),
            (false, Some(m)) => m,
            (false, None) if status == elevate::CHILD_OK => "The change with administrator rights reported success but recorded nothing in the journal, so it is not counted as done.".to_string(),
            (false, None) => format!("The change with administrator rights stopped (code {status}); nothing is recorded as done."),
        };
        Ok(Outcome {
            status: if ok {
                OutcomeStatus::Applied
            } else {
                OutcomeStatus::Failed
            },
            fix: fix.to_string(),
            title: title.to_string(),
            message,
            entry: Some(entry),
            steps,
            verification: None,
        })
    }
}

fn outcome(fix: &str, title: &str, status: OutcomeStatus, message: String) -> Outcome {
    Outcome {
        status,
        fix: fix.to_string(),
        title: title.to_string(),
        message,
        entry: None,
        steps: vec![],
        verification: None,
    }
}

fn from_applied(title: &str, a: Applied, undoing: bool) -> Outcome {
    Outcome {
        status: if a.ok {
            OutcomeStatus::Applied
        } else {
            OutcomeStatus::Failed
        },
        fix: a.fix,
        title: title.to_string(),
        message: match (a.ok, a.message) {
            (true, _) if undoing => "Undone.".into(),
            (true, _) => "Done.".into(),
            (false, Some(m)) => m,
            (false, None) => "It did not work.".into(),
        },
        entry: Some(a.entry),
        steps: a.steps,
        verification: None,
    }
}

// ─────────────────────────────── verify ───────────────────────────────

/// The checks of the profile that verify fix `id`.
pub fn verify_ids(profile: &Profile, id: &str) -> Vec<String> {
    let Some(fix) = find(id) else { return vec![] };
    CheckPlan::for_profile(profile)
        .check_ids()
        .into_iter()
        .filter(|c| super::verifies(&fix, c))
        .collect()
}

/// Runs the checks that verify fix `id` and returns their findings.
pub async fn measure(
    profile: &Profile,
    id: &str,
    cancel: CancellationToken,
) -> crate::Result<Vec<Finding>> {
    let ids = verify_ids(profile, id);
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let plan = CheckPlan::for_profile(profile).only(&ids)?;
    let ctx = crate::Context::new(profile.clone())?;
    Ok(
        crate::run(&plan, &ctx, crate::RunOptions::default(), None, cancel)
            .await
            .findings,
    )
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Pass => 0,
        Status::Warn => 1,
        Status::Unknown | Status::Skipped => 2,
        Status::Fail => 3,
    }
}

/// Before → after for each check that ran after the fix.
pub fn compare(before: &[Finding], after: &[Finding]) -> Verification {
    let checks: Vec<CheckChange> = after
        .iter()
        .map(|a| CheckChange {
            id: a.id.clone(),
            title: a.title.clone(),
            before: before.iter().find(|b| b.id == a.id).map(|b| b.status),
            after: a.status,
            summary: a.summary.clone(),
        })
        .collect();
    let better = checks
        .iter()
        .any(|c| c.before.is_some_and(|b| rank(b) > rank(c.after)) && c.after == Status::Pass);
    let worse = checks
        .iter()
        .any(|c| c.before.is_some_and(|b| rank(b) < rank(c.after)));
    Verification {
        helped: better && !worse,
        all_pass: !checks.is_empty() && checks.iter().all(|c| c.after == Status::Pass),
        checks,
    }
}

// ─────────────────────────── the elevated run ───────────────────────────

/// The elevated run of this program: `args` are the arguments after the
/// program name. None when this is not an elevated run; otherwise the
/// exit code. The CLI and the app call this first thing in `main`.
pub fn child_main(args: &[String]) -> Option<i32> {
    let parsed = elevate::parse_child_args(args)?;
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("meeting-doctor: {e}");
            return Some(elevate::CHILD_ERROR);
        }
    };
    Some(rt.block_on(async move {
        let (req, journal_path) = match parsed {
            Ok(x) => x,
            Err(e) => {
                eprintln!("meeting-doctor: {e}");
                return elevate::CHILD_BAD_REQUEST;
            }
        };
        let profile = match args.get(5) {
            Some(p) => match Profile::load(Path::new(p)) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("meeting-doctor: {e}");
                    return elevate::CHILD_BAD_REQUEST;
                }
            },
            None => Profile::builtin(),
        };
        let journal = Journal { path: journal_path };
        let quiet = |_: &StepResult| {};
        match req {
            Request::Apply { fix, entry } => {
                let facts = crate::facts::collect::this_computer(&profile).await;
                let mut env = FixEnv::current(&profile, &facts, &System).await;
                if let Some(dir) = journal.path.parent() {
                    env.data_dir = dir.to_string_lossy().into_owned();
                }
                let plan = match plan(&fix, &env) {
                    Ok(p) => p,
                    Err(na) => {
                        eprintln!("meeting-doctor: {na}");
                        return elevate::CHILD_FIX_FAILED;
                    }
                };
                match apply::apply(&plan, &env, &journal, &System, Some(entry), &quiet, None).await
                {
                    Ok(a) if a.ok => elevate::CHILD_OK,
                    Ok(_) => elevate::CHILD_FIX_FAILED,
                    Err(e) => {
                        eprintln!("meeting-doctor: {e}");
                        elevate::CHILD_FIX_FAILED
                    }
                }
            }
            Request::Undo { entry } => match apply::undo(&journal, &entry, &System, &quiet).await {
                Ok(a) if a.ok => elevate::CHILD_OK,
                Ok(_) => elevate::CHILD_FIX_FAILED,
                Err(e) => {
                    eprintln!("meeting-doctor: {e}");
                    elevate::CHILD_FIX_FAILED
                }
            },
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::command::Replay;
    use crate::system::Os;

    #[test]
    fn the_preview_says_whether_the_administrator_prompt_will_appear() {
        let mut env = FixEnv::bare(Os::Linux, "/home/zoë");
        env.linux.resolved = true;
        let mut f = Fixer::new(env, Arc::new(Replay::new()));
        f.elevation = ElevationMode::Always;
        let p = f.preview("dns.flush").unwrap();
        assert!(p.needs_admin && p.asks_password);
        // Prompting turned off: it still needs rights, but nothing will ask.
        f.elevation = ElevationMode::Never;
        let p = f.preview("dns.flush").unwrap();
        assert!(p.needs_admin && !p.asks_password);
        f.elevation = ElevationMode::Always;
        let p = f.preview("zoom.quit").unwrap();
        assert!(!p.needs_admin && !p.asks_password);
    }
}
