//! The one call the CLI and the app make: preview a fix, apply it (asking
//! for administrator rights when it needs them), check that it helped, and
//! undo it from the journal.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use crate::{CancellationToken, Profile};
use md_facts::command::{Executor, System};
use md_facts::Platform;
use md_fixes::apply::{self, Applied, ApplyError, StepResult};
use md_fixes::elevate::{self, Elevation, Request};
use md_fixes::journal::{Entry, Journal, JournalError, Record};
use md_fixes::store::{self, FixLock, Store, StoreError};
use md_fixes::{find, plan, FixEnv, NotApplicable, Plan, Preview};
use md_model::finding::{Finding, Status};
use md_probes::Plan as CheckPlan;

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
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub use md_fixes::outcome::{
    CheckChange, FixAction, FixRecord, Outcome, OutcomeStatus, Verification,
};

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

/// How long a fix waits for another one (in this or another process) to
/// finish before it says so.
pub const LOCK_WAIT: Duration = Duration::from_secs(3);

/// How long, after it stopped waiting for approval, the asking program
/// waits for an elevated run that had already started to finish.
pub const CHILD_GRACE: Duration = Duration::from_secs(600);

/// What a person reads when the plan changed after the yes.
pub const CHANGED_MESSAGE: &str = "This computer changed since you said yes, so nothing was changed. Check again, then try the fix once more.";

/// Fixes on one computer.
#[derive(Debug, Clone)]
pub struct Fixer {
    pub env: FixEnv,
    /// The person's own journal and backups: fixes that need no rights.
    pub store: Store,
    /// The administrators' journal and backups: fixes that need rights.
    pub admin_store: Store,
    pub exec: Arc<dyn Executor>,
    pub elevation: ElevationMode,
    /// This program, started again with rights for a fix.
    pub exe: String,
    /// A program to ask for rights in place of the OS's (see
    /// [`elevate::ELEVATOR_VAR`]).
    pub elevator: Option<String>,
    pub approval_timeout: Duration,
}

impl Fixer {
    pub fn new(env: FixEnv, exec: Arc<dyn Executor>) -> Fixer {
        Fixer {
            store: Store::user(&env.data_dir),
            admin_store: Store::admin(store::admin_dir()),
            env,
            exec,
            elevation: ElevationMode::from_env(),
            exe: std::env::current_exe()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| "meeting-doctor".into()),
            elevator: std::env::var(elevate::ELEVATOR_VAR).ok(),
            approval_timeout: APPROVAL_TIMEOUT,
        }
    }

    /// Reads this computer's facts and builds the fix environment.
    pub async fn for_this_computer(profile: &Profile) -> Fixer {
        Fixer::for_platform(profile, &Platform::this_computer()).await
    }

    /// Reads `platform`'s facts and builds the fix environment on it: its
    /// commands go through the platform's executor (a replay in tests).
    /// The person's folders are still this process's own.
    pub async fn for_platform(profile: &Profile, platform: &Platform) -> Fixer {
        let facts = platform
            .facts_toward(md_model::profile::zoom_host_of(profile), None)
            .await;
        let env = FixEnv::current(profile, &facts, platform.exec.as_ref()).await;
        Fixer::new(env, platform.exec.clone())
    }

    /// The person's journal (fixes that need no rights).
    pub fn journal(&self) -> Journal {
        self.store.journal()
    }

    /// Where a fix's state goes: the administrators' store when it needs
    /// their rights.
    fn store_for(&self, needs_admin: bool) -> &Store {
        if needs_admin {
            &self.admin_store
        } else {
            &self.store
        }
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

    /// The fixes for `diagnosis` (see [`md_fixes::suggest`]), saying which
    /// will bring up the administrator prompt here.
    pub fn suggest(&self, diagnosis: &md_diagnosis::Diagnosis) -> Vec<md_fixes::Suggestion> {
        let mut out = md_fixes::suggest(diagnosis, &self.env);
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
        approval: Approval<'_>,
        recheck: Recheck<'_, M>,
        events: Events<'_>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, FixError>
    where
        M: FnOnce(CancellationToken) -> F,
        F: std::future::Future<Output = md_model::error::Result<Vec<Finding>>>,
    {
        let id = approval.fix;
        let mut outcome = self.apply(approval, events, cancel).await?;
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

    /// Applies the approved fix. The yes must name the fix (a caller
    /// cannot apply one fix on the strength of a yes to another), and the
    /// plan built now must be the one shown: its digest must match.
    pub async fn apply(
        &self,
        approval: Approval<'_>,
        events: Events<'_>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, FixError> {
        let id = approval.fix;
        let fix = find(id).ok_or_else(|| FixError::Unknown(id.to_string()))?;
        if approval.confirmed != id {
            return Err(FixError::NotConfirmed(fix.title));
        }
        let plan = match plan(id, &self.env) {
            Ok(p) => p,
            Err(na) => {
                return Ok(outcome(
                    fix.id.as_str(),
                    &fix.title,
                    OutcomeStatus::NotApplicable,
                    na.reason,
                ))
            }
        };
        if plan.digest() != approval.digest {
            return Ok(outcome(
                fix.id.as_str(),
                &fix.title,
                OutcomeStatus::Failed,
                CHANGED_MESSAGE.into(),
            ));
        }
        if let Some(refused) = self.refused(plan.needs_admin, id, &fix.title) {
            return Ok(refused);
        }
        // One fix at a time for this person, whatever runs it.
        let _mine = lock(&self.store).await?;
        if self.needs_prompt(plan.needs_admin) {
            let entry = apply::new_entry_id(id);
            let req = Request::Apply {
                fix: id.to_string(),
                entry: entry.clone(),
                digest: approval.digest.to_string(),
                deadline: 0,
                cancelled: self.cancel_marker(&entry),
                inputs: self.env.inputs(),
            };
            return self
                .elevated(req, &fix.title, id, entry, events, cancel)
                .await;
        }
        let store = self.store_for(plan.needs_admin);
        let _theirs = match plan.needs_admin {
            true => Some(lock(store).await?),
            false => None,
        };
        let progress = |s: &StepResult| events(FixEvent::Step { step: s.clone() });
        let applied =
            apply::apply(&plan, &self.env, store, &*self.exec, None, &progress, None).await?;
        Ok(from_applied(&fix.title, applied, false))
    }

    /// Undoes journal entry `entry` (from either journal).
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
        let _mine = lock(&self.store).await?;
        if self.needs_prompt(e.admin) {
            let req = Request::Undo {
                entry: entry.to_string(),
                deadline: 0,
                cancelled: self.cancel_marker(entry),
            };
            return self
                .elevated(req, &e.title, &e.fix, entry.to_string(), events, cancel)
                .await;
        }
        let store = self.store_for(e.admin);
        let _theirs = match e.admin {
            true => Some(lock(store).await?),
            false => None,
        };
        let progress = |s: &StepResult| events(FixEvent::Step { step: s.clone() });
        let applied = apply::undo(store, entry, &self.env, &*self.exec, &progress).await?;
        Ok(from_applied(&e.title, applied, true))
    }

    /// Both journals, newest first; entries in the administrators' one
    /// say so (`admin`).
    pub fn history(&self) -> Result<Vec<Entry>, FixError> {
        let mut all = self.store.journal().entries()?;
        let mut admin = self.admin_store.journal().entries()?;
        for e in &mut admin {
            e.admin = true;
        }
        // An entry id in both is one a person's journal copied: the
        // administrators' record is the one that counts.
        all.retain(|u| !admin.iter().any(|a| a.id == u.id));
        all.extend(admin);
        // Stable: entries of the same second keep their journal's order.
        all.sort_by(|a, b| b.at.cmp(&a.at));
        Ok(all)
    }

    /// Lines of either journal that could not be read: (journal, line numbers).
    pub fn unreadable(&self) -> Vec<(PathBuf, Vec<usize>)> {
        [&self.store, &self.admin_store]
            .iter()
            .filter_map(|s| {
                let j = s.journal();
                let bad = j.read().ok()?.unreadable;
                (!bad.is_empty()).then_some((j.path, bad))
            })
            .collect()
    }

    /// Where this program notes that it stopped waiting for entry `entry`'s
    /// approval (in the person's folder: it can only stop an elevated run).
    fn cancel_marker(&self, entry: &str) -> PathBuf {
        let dir = if self.store.dir.is_absolute() {
            self.store.dir.clone()
        } else {
            std::env::current_dir()
                .unwrap_or_default()
                .join(&self.store.dir)
        };
        dir.join("cancelled").join(entry)
    }

    /// Runs `request` in this program with administrator rights and reads
    /// what it did from the administrators' journal. When the wait ends
    /// (no answer, or cancelled) it says so to the elevated run and waits
    /// for one that had already started to finish, so two fixes never run
    /// at once and what is reported is what happened.
    async fn elevated(
        &self,
        mut request: Request,
        title: &str,
        fix: &str,
        entry: String,
        events: Events<'_>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, FixError> {
        let deadline = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            + self.approval_timeout;
        let secs = deadline.as_secs() + u64::from(deadline.subsec_nanos() > 0);
        match &mut request {
            Request::Apply { deadline, .. } | Request::Undo { deadline, .. } => *deadline = secs,
        }
        let marker = match &request {
            Request::Apply { cancelled, .. } | Request::Undo { cancelled, .. } => cancelled.clone(),
        };
        let args = elevate::child_args(&request);
        let spec = elevate::command_via(self.env.os, self.elevator.as_deref(), &self.exe, &args);
        let undoing = matches!(request, Request::Undo { .. });
        events(FixEvent::WaitingForApproval {
            timeout_s: self.approval_timeout.as_secs(),
        });
        let result = tokio::select! {
            r = self.exec.run(&spec, self.approval_timeout) => Some(r),
            _ = cancel.cancelled() => None,
        };
        let out = match result {
            Some(Ok(o)) => o,
            None => {
                return self
                    .gave_up(
                        OutcomeStatus::Cancelled,
                        &marker,
                        &entry,
                        undoing,
                        title,
                        fix,
                    )
                    .await
            }
            Some(Err(md_facts::command::ExecError::Timeout(..))) => {
                return self
                    .gave_up(
                        OutcomeStatus::TimedOut,
                        &marker,
                        &entry,
                        undoing,
                        title,
                        fix,
                    )
                    .await
            }
            Some(Err(e)) => {
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
        let plain = match status {
            elevate::CHILD_CHANGED => Some(CHANGED_MESSAGE.to_string()),
            elevate::CHILD_EXPIRED => Some("The approval came after Meeting Doctor had stopped waiting, so nothing was changed. Try the fix again.".to_string()),
            elevate::CHILD_BUSY => Some(StoreError::Busy.to_string()),
            _ => None,
        };
        if let Some(message) = plain {
            return Ok(outcome(fix, title, OutcomeStatus::Failed, message));
        }
        if let Some(mut done) = self.recorded(&entry, undoing, title, fix)? {
            if status != elevate::CHILD_OK && done.status == OutcomeStatus::Applied {
                done.status = OutcomeStatus::Failed;
                done.message = format!("The change with administrator rights stopped (code {status}) after recording its end.");
            }
            return Ok(done);
        }
        let message = if status == elevate::CHILD_OK {
            "The change with administrator rights reported success but recorded nothing in the journal, so it is not counted as done.".to_string()
        } else {
            format!("The change with administrator rights stopped (code {status}); nothing is recorded as done.")
        };
        Ok(Outcome {
            status: OutcomeStatus::Failed,
            fix: fix.to_string(),
            title: title.to_string(),
            message,
            entry: Some(entry),
            steps: vec![],
            verification: None,
        })
    }

    /// The wait for approval ended (`status`: cancelled or timed out):
    /// what happened, after any elevated run that had started is done.
    async fn gave_up(
        &self,
        status: OutcomeStatus,
        marker: &Path,
        entry: &str,
        undoing: bool,
        title: &str,
        fix: &str,
    ) -> Result<Outcome, FixError> {
        self.stop_waiting(marker).await;
        if let Some(done) = self.recorded(entry, undoing, title, fix)? {
            return Ok(done);
        }
        let message = match status {
            OutcomeStatus::Cancelled => {
                "Stopped waiting for administrator approval, so nothing was changed.".to_string()
            }
            _ => format!(
                "Nobody answered the administrator prompt within {} seconds, so nothing was changed. If you are helping remotely, the prompt may be on a screen you cannot see: export the fix as a script and run it in an administrator shell.",
                self.approval_timeout.as_secs()
            ),
        };
        Ok(outcome(fix, title, status, message))
    }

    /// Tells an elevated run that may still start that nobody waits for it
    /// any more, then waits for one that is running to finish.
    async fn stop_waiting(&self, marker: &Path) {
        if let Some(dir) = marker.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = store::create_new(marker, b"", 0o600);
        // The elevated run takes its lock *before* it looks for the marker:
        // free now means it never started (and will find the marker) or it
        // has finished.
        let end = tokio::time::Instant::now() + CHILD_GRACE;
        while self.admin_store.busy() && tokio::time::Instant::now() < end {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = std::fs::remove_file(marker);
    }

    /// What the administrators' journal says entry `entry` did, when it
    /// recorded an end: the steps and how it finished.
    fn recorded(
        &self,
        entry: &str,
        undoing: bool,
        title: &str,
        fix: &str,
    ) -> Result<Option<Outcome>, FixError> {
        let records = self.admin_store.journal().read()?.records;
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
        let end = records.iter().rev().find_map(|r| match r {
            Record::End {
                entry: e,
                ok,
                message,
            } if e == entry && !undoing => Some((*ok, message.clone())),
            Record::UndoEnd {
                entry: e,
                ok,
                message,
            } if e == entry && undoing => Some((*ok, message.clone())),
            _ => None,
        });
        Ok(end.map(|(ok, message)| Outcome {
            status: if ok {
                OutcomeStatus::Applied
            } else {
                OutcomeStatus::Failed
            },
            fix: fix.to_string(),
            title: title.to_string(),
            message: match (ok, message) {
                (true, _) if undoing => "Undone.".into(),
                (true, _) => "Done.".into(),
                (false, Some(m)) => m,
                (false, None) => "It did not work.".into(),
            },
            entry: Some(entry.to_string()),
            steps,
            verification: None,
        }))
    }
}

/// A yes to one fix: its id, the id the person confirmed, and the digest
/// of the plan they were shown ([`Preview::digest`]).
#[derive(Debug, Clone, Copy)]
pub struct Approval<'a> {
    pub fix: &'a str,
    pub confirmed: &'a str,
    pub digest: &'a str,
}

/// Takes `store`'s lock, waiting up to [`LOCK_WAIT`] without blocking the
/// runtime.
async fn lock(store: &Store) -> Result<FixLock, FixError> {
    let end = tokio::time::Instant::now() + LOCK_WAIT;
    loop {
        match store.lock(Duration::ZERO) {
            Ok(l) => return Ok(l),
            Err(StoreError::Busy) if tokio::time::Instant::now() < end => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            Err(e) => return Err(e.into()),
        }
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
        .iter()
        .map(|c| c.to_string())
        .filter(|c| md_fixes::verifies(&fix, c))
        .collect()
}

/// Runs the checks that verify fix `id` and returns their findings.
pub async fn measure(
    profile: &Profile,
    id: &str,
    cancel: CancellationToken,
) -> md_model::error::Result<Vec<Finding>> {
    let ids = verify_ids(profile, id);
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let plan = CheckPlan::for_profile(profile).only(&ids)?;
    let ctx = md_probes::context::Context::new(profile.clone())?;
    Ok(md_probes::runner::run(
        &plan,
        &ctx,
        md_probes::runner::RunOptions::default(),
        None,
        cancel,
    )
    .await
    .findings)
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
            id: a.id,
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
///
/// It trusts only its arguments (checked, typed) and what it reads of
/// this computer itself: it builds the plan, compares its digest with the
/// approved one, and keeps its journal and backups in the administrators'
/// folder. It never reads a profile, a journal or a path a person can
/// write, except to see whether the asking program gave up.
pub fn child_main(args: &[String]) -> Option<i32> {
    let request = match elevate::parse_child_args(args)? {
        Ok(r) => r,
        Err(e) => {
            eprintln!("meeting-doctor: {e}");
            return Some(elevate::CHILD_BAD_REQUEST);
        }
    };
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
    Some(rt.block_on(elevated_run(request, &store::admin_dir())))
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// The elevated run itself, with its administrators' folder.
pub async fn elevated_run(request: Request, admin_dir: &Path) -> i32 {
    let admin = Store::admin(admin_dir);
    let (deadline, marker) = match &request {
        Request::Apply {
            deadline,
            cancelled,
            ..
        }
        | Request::Undo {
            deadline,
            cancelled,
            ..
        } => (*deadline, cancelled.clone()),
    };
    // Another change with rights may be running: wait for it, but not
    // past the time the asking program waits.
    let wait = Duration::from_secs(deadline.saturating_sub(unix_now()).min(600));
    let _lock = match admin.lock(wait) {
        Ok(l) => l,
        Err(StoreError::Busy) => return elevate::CHILD_BUSY,
        Err(e) => {
            eprintln!("meeting-doctor: {e}");
            return elevate::CHILD_ERROR;
        }
    };
    // With the lock held, so the asking program knows whether to wait.
    if unix_now() > deadline || std::fs::symlink_metadata(&marker).is_ok() {
        eprintln!("meeting-doctor: the asking program stopped waiting; nothing was changed");
        return elevate::CHILD_EXPIRED;
    }
    let quiet = |_: &StepResult| {};
    match request {
        Request::Apply {
            fix,
            entry,
            digest,
            inputs,
            ..
        } => {
            if matches!(admin.journal().begin_of(&entry), Ok(Some(_))) {
                eprintln!("meeting-doctor: {entry} was already used");
                return elevate::CHILD_BAD_REQUEST;
            }
            let facts = md_facts::collect::this_computer_at(inputs.zoom_host.clone(), None).await;
            let mut env = FixEnv::current_for(&inputs, &facts, &System).await;
            env.data_dir = admin.dir.to_string_lossy().into_owned();
            let plan = match plan(&fix, &env) {
                Ok(p) => p,
                Err(na) => {
                    eprintln!("meeting-doctor: {na}");
                    return elevate::CHILD_CHANGED;
                }
            };
            if !plan.needs_admin {
                eprintln!("meeting-doctor: {fix} needs no administrator rights");
                return elevate::CHILD_BAD_REQUEST;
            }
            if plan.digest() != digest {
                eprintln!("meeting-doctor: {CHANGED_MESSAGE}");
                return elevate::CHILD_CHANGED;
            }
            match apply::apply(&plan, &env, &admin, &System, Some(entry), &quiet, None).await {
                Ok(a) if a.ok => elevate::CHILD_OK,
                Ok(_) => elevate::CHILD_FIX_FAILED,
                Err(e) => {
                    eprintln!("meeting-doctor: {e}");
                    elevate::CHILD_FIX_FAILED
                }
            }
        }
        Request::Undo { entry, .. } => {
            let mut env = FixEnv::journal_only();
            env.data_dir = admin.dir.to_string_lossy().into_owned();
            match apply::undo(&admin, &entry, &env, &System, &quiet).await {
                Ok(a) if a.ok => elevate::CHILD_OK,
                Ok(_) => elevate::CHILD_FIX_FAILED,
                Err(e) => {
                    eprintln!("meeting-doctor: {e}");
                    elevate::CHILD_FIX_FAILED
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
