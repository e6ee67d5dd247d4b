//! The fix commands: thin calls into `meeting_doctor_core::fixes`.
//!
//! Only catalog fix ids cross IPC (and journal entry ids, which the
//! journal must know): the webview can never send a command line. Every
//! attempt, whatever its outcome, is added to the last report's
//! `fixes_applied`, so saved and copied reports say what was tried.

use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

pub use meeting_doctor_core::fixes::fixer::FixEvent;
use meeting_doctor_core::fixes::fixer::{self, Approval, FixError, FixRecord, Fixer, Recheck};
use meeting_doctor_core::fixes::journal::Entry;
use meeting_doctor_core::fixes::{
    self as core_fixes, script, Outcome, OutcomeStatus, Plan, Preview, Suggestion,
};
use meeting_doctor_core::{CancellationToken, Finding, Profile};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::{AppState, ErrorKind, IpcError};
use meeting_doctor_core::activity::{Running, Work};

/// How a fix or an undo ended, and what was added to the report.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FixResult {
    pub outcome: Outcome,
    /// The entry added to the last report's `fixes_applied`: the outcome
    /// with `action` ("apply" or "undo") and `at`. The UI adds the same
    /// entry to its copy of the report.
    pub record: FixRecord,
    /// The change is in the journal and can be undone (`outcome.entry`).
    pub can_undo: bool,
}

/// One change in the history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HistoryEntry {
    #[serde(flatten)]
    pub entry: Entry,
    /// There is something to undo and it has not been undone.
    pub can_undo: bool,
}

impl From<Entry> for HistoryEntry {
    fn from(entry: Entry) -> HistoryEntry {
        HistoryEntry {
            can_undo: entry.can_undo(),
            entry,
        }
    }
}

#[derive(Debug)]
struct Cached {
    fixer: Arc<Fixer>,
    /// A change was made since this computer was read.
    stale: bool,
    /// Given from outside (tests): never read again.
    pinned: bool,
}

/// The fixer (built on first use, read again after a change).
#[derive(Debug, Default)]
pub struct FixState {
    fixer: tokio::sync::Mutex<Option<Cached>>,
}

impl FixState {
    /// A state whose fixer is `fixer`, for tests.
    pub fn with_fixer(fixer: Fixer) -> FixState {
        FixState {
            fixer: tokio::sync::Mutex::new(Some(Cached {
                fixer: Arc::new(fixer),
                stale: false,
                pinned: true,
            })),
        }
    }

    /// The fixer. With `fresh`, this computer is read again if a change
    /// was made since it was last read (a plan depends on what is set now).
    pub async fn fixer(&self, profile: &Profile, fresh: bool) -> Arc<Fixer> {
        let mut slot = self.fixer.lock().await;
        if let Some(c) = slot.as_ref() {
            if c.pinned || !(fresh && c.stale) {
                return c.fixer.clone();
            }
        }
        let fixer = Arc::new(Fixer::for_this_computer(profile).await);
        *slot = Some(Cached {
            fixer: fixer.clone(),
            stale: false,
            pinned: false,
        });
        fixer
    }

    /// This computer changed (or may have): read it again before the next plan.
    pub async fn changed(&self) {
        if let Some(c) = self.fixer.lock().await.as_mut() {
            c.stale = true;
        }
    }
}

impl AppState {
    /// Marks a fix as running; refused while a check or another fix runs.
    fn begin_fix(&self) -> Result<(Running<'_>, CancellationToken), IpcError> {
        let running = self.begin(Work::Fix)?;
        let token = running.token();
        Ok((running, token))
    }

    /// Stops waiting for the administrator prompt (or stops the checks
    /// after a fix). False when no fix is running.
    pub fn cancel_fix(&self) -> bool {
        self.activity.cancel(Work::Fix)
    }
}

impl From<FixError> for IpcError {
    fn from(e: FixError) -> IpcError {
        IpcError::new(ErrorKind::Fix, e.to_string())
    }
}

/// The catalog entry `id`, or a "fix" error: only catalog ids are accepted.
pub fn known(id: &str) -> Result<core_fixes::Fix, IpcError> {
    core_fixes::find(id).ok_or_else(|| {
        IpcError::new(
            ErrorKind::Fix,
            format!(
                "There is no fix called {id:?}; only the fixes Meeting Doctor lists can be made."
            ),
        )
    })
}

/// Whether a change is an apply or an undo, in the report.
pub use meeting_doctor_core::fixes::fixer::FixAction as Action;

/// The report entry for an outcome: the outcome itself (fix, title,
/// status, message, entry, steps, verification) with `action` and `at`.
/// An undo is titled "Undo: …" so a report line reads right.
pub fn record(outcome: &Outcome, action: Action, at: &str) -> FixRecord {
    FixRecord::new(outcome, action, at)
}

fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Applies fix `id` and checks again (see [`Fixer::apply_verified`]);
/// errors in the IPC shape.
pub async fn apply_and_verify<M, F>(
    fixer: &Fixer,
    id: &str,
    confirmed: &str,
    digest: &str,
    recheck: Recheck<'_, M>,
    events: &(dyn Fn(FixEvent) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<Outcome, IpcError>
where
    M: FnOnce(CancellationToken) -> F,
    F: Future<Output = meeting_doctor_core::Result<Vec<Finding>>>,
{
    known(id)?;
    let approval = Approval {
        fix: id,
        confirmed,
        digest,
    };
    Ok(fixer
        .apply_verified(approval, recheck, events, cancel)
        .await?)
}

/// Undoes journal entry `entry`; errors in the IPC shape.
pub async fn undo(
    fixer: &Fixer,
    entry: &str,
    events: &(dyn Fn(FixEvent) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<Outcome, IpcError> {
    Ok(fixer.undo(entry, events, cancel).await?)
}

/// Whether the outcome's journal entry can be undone now.
fn can_undo(fixer: &Fixer, outcome: &Outcome) -> bool {
    let Some(id) = &outcome.entry else {
        return false;
    };
    fixer
        .history()
        .map(|h| h.iter().any(|e| &e.id == id && e.can_undo()))
        .unwrap_or(false)
}

/// The end of an apply or undo: the report gets the record, the fixer
/// reads this computer again before its next plan if anything ran.
async fn finish(state: &AppState, fixer: &Fixer, outcome: Outcome, action: Action) -> FixResult {
    if matches!(
        outcome.status,
        OutcomeStatus::Applied | OutcomeStatus::Failed
    ) {
        state.fixes.changed().await;
    }
    let record = record(&outcome, action, &now());
    state.record_fix(record.clone());
    tracing::info!(fix = %outcome.fix, status = ?outcome.status, ?action, "fix finished");
    FixResult {
        can_undo: can_undo(fixer, &outcome),
        outcome,
        record,
    }
}

fn forward(on_event: Channel<FixEvent>) -> impl Fn(FixEvent) + Send + Sync {
    move |e| {
        // A window that went away does not stop the fix.
        let _ = on_event.send(e);
    }
}

#[tauri::command]
pub async fn fix_suggestions(state: State<'_, AppState>) -> Result<Vec<Suggestion>, IpcError> {
    let Some(diagnosis) = state.last_report().map(|r| r.diagnosis) else {
        return Ok(vec![]);
    };
    if diagnosis.causes.iter().all(|c| c.fixes.is_empty()) {
        return Ok(vec![]);
    }
    let profile = state.profile()?;
    let fixer = state.fixes.fixer(&profile, true).await;
    Ok(fixer.suggest(&diagnosis))
}

#[tauri::command]
pub async fn preview_fix(state: State<'_, AppState>, id: String) -> Result<Preview, IpcError> {
    known(&id)?;
    let profile = state.profile()?;
    let fixer = state.fixes.fixer(&profile, true).await;
    Ok(fixer.preview(&id)?)
}

#[tauri::command]
pub async fn apply_fix(
    state: State<'_, AppState>,
    id: String,
    confirmed: String,
    digest: String,
    on_event: Channel<FixEvent>,
) -> Result<FixResult, IpcError> {
    known(&id)?;
    let profile = state.profile()?;
    let (_slot, cancel) = state.begin_fix()?;
    let fixer = state.fixes.fixer(&profile, true).await;
    let before = state.last_report().map(|r| r.checks).unwrap_or_default();
    let recheck = Recheck {
        checks: fixer::verify_ids(&profile, &id),
        before: &before,
        measure: |c| {
            let profile = profile.clone();
            let id = id.clone();
            async move { fixer::measure(&profile, &id, c).await }
        },
    };
    let events = forward(on_event);
    tracing::info!(fix = %id, "fix confirmed");
    let outcome =
        apply_and_verify(&fixer, &id, &confirmed, &digest, recheck, &events, &cancel).await?;
    Ok(finish(&state, &fixer, outcome, Action::Apply).await)
}

#[tauri::command]
pub fn cancel_fix(state: State<'_, AppState>) -> bool {
    state.cancel_fix()
}

#[tauri::command]
pub async fn undo_fix(
    state: State<'_, AppState>,
    entry: String,
    on_event: Channel<FixEvent>,
) -> Result<FixResult, IpcError> {
    let profile = state.profile()?;
    let (_slot, cancel) = state.begin_fix()?;
    let fixer = state.fixes.fixer(&profile, false).await;
    let events = forward(on_event);
    tracing::info!(entry = %entry, "undo confirmed");
    let outcome = undo(&fixer, &entry, &events, &cancel).await?;
    Ok(finish(&state, &fixer, outcome, Action::Undo).await)
}

#[tauri::command]
pub async fn fix_history(state: State<'_, AppState>) -> Result<Vec<HistoryEntry>, IpcError> {
    let profile = state.profile()?;
    let fixer = state.fixes.fixer(&profile, false).await;
    Ok(fixer
        .history()?
        .into_iter()
        .map(HistoryEntry::from)
        .collect())
}

/// The fix's plan for this computer as a script for an administrator
/// shell (for a technician on a remote session).
pub fn script_of(fixer: &Fixer, id: &str) -> Result<String, IpcError> {
    known(id)?;
    let plan: Plan = fixer.plan(id)?.map_err(|na| {
        IpcError::new(
            ErrorKind::Fix,
            format!("This fix can't be done on this computer: {}", na.reason),
        )
    })?;
    Ok(script::export(&plan))
}

#[tauri::command]
pub async fn fix_script(state: State<'_, AppState>, id: String) -> Result<String, IpcError> {
    known(&id)?;
    let profile = state.profile()?;
    let fixer = state.fixes.fixer(&profile, true).await;
    script_of(&fixer, &id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use meeting_doctor_core::facts::command::{
        CommandSpec, ExecError, ExecFuture, Executor, Output, Replay,
    };
    use meeting_doctor_core::fixes::fixer::ElevationMode;
    use meeting_doctor_core::fixes::journal::EntryState;
    use meeting_doctor_core::fixes::FixEnv;
    use meeting_doctor_core::system::Os;
    use meeting_doctor_core::Status;
    use std::sync::Mutex as StdMutex;
    use std::time::Duration;

    fn linux_fixer(home: &std::path::Path, exec: Arc<dyn Executor>) -> Fixer {
        let mut env = FixEnv::bare(Os::Linux, &home.to_string_lossy());
        env.data_dir = home.join("md-data").to_string_lossy().into_owned();
        let mut f = Fixer::new(env, exec);
        f.elevation = ElevationMode::Never;
        f.exe = "/opt/meeting-doctor/meeting-doctor-app".into();
        f.admin_store = meeting_doctor_core::fixes::store::Store::admin(home.join("md-admin"));
        f
    }

    fn finding(id: &str, status: Status) -> Finding {
        Finding {
            id: id.parse().expect("a check id"),
            title: "The Zoom app".into(),
            status,
            summary: format!("{id} {status:?}"),
            detail: String::new(),
            evidence: serde_json::Value::Null,
            elapsed_ms: 1,
        }
    }

    /// Collects the events a fix sends.
    fn events() -> (
        Arc<StdMutex<Vec<FixEvent>>>,
        impl Fn(FixEvent) + Send + Sync,
    ) {
        let seen = Arc::new(StdMutex::new(Vec::new()));
        let s = seen.clone();
        (seen, move |e| s.lock().unwrap().push(e))
    }

    fn never_measured(
        _: CancellationToken,
    ) -> std::future::Ready<meeting_doctor_core::Result<Vec<Finding>>> {
        panic!("nothing was applied, so nothing is checked again")
    }

    #[tokio::test]
    async fn only_catalog_ids_are_accepted_and_a_yes_must_name_the_fix() {
        let home = tempfile::tempdir().unwrap();
        let fixer = linux_fixer(home.path(), Arc::new(Replay::new()));
        let e = known("sh -c 'rm -rf ~'").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Fix);
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "fix");
        let (seen, send) = events();
        let cancel = CancellationToken::new();
        let recheck = |before| Recheck {
            checks: vec!["zoom_client".into()],
            before,
            measure: never_measured,
        };
        let e = apply_and_verify(
            &fixer,
            "rm -rf /",
            "rm -rf /",
            "",
            recheck(&[]),
            &send,
            &cancel,
        )
        .await
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Fix);
        // A yes to one fix is not a yes to another.
        let e = apply_and_verify(
            &fixer,
            "zoom.clear_cache",
            "zoom.quit",
            "",
            recheck(&[]),
            &send,
            &cancel,
        )
        .await
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Fix);
        assert!(e.message.contains("not confirmed"), "{}", e.message);
        assert!(seen.lock().unwrap().is_empty());
        assert!(fixer.history().unwrap().is_empty(), "nothing was journaled");
        assert_eq!(
            script_of(&fixer, "echo hi").unwrap_err().kind,
            ErrorKind::Fix
        );
    }

    #[tokio::test]
    async fn a_fix_is_applied_checked_again_recorded_in_the_report_and_undone() {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join(".zoom/data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("stale.tmp"), "x").unwrap();
        std::fs::write(data.join("zoomus.enc.db"), "settings").unwrap();
        let fixer = linux_fixer(home.path(), Arc::new(Replay::new()));
        let state = AppState::with_fixer(None, fixer.clone());
        let profile = Profile::builtin();
        let mut report = meeting_doctor_core::Report::new(
            &profile,
            meeting_doctor_core::RunOutcome {
                findings: vec![finding("zoom_client", Status::Fail)],
                elapsed_ms: 1,
                deadline_ms: 6000,
                deadline_hit: false,
                cancelled: false,
            },
        );
        state.keep_report(&report);
        // A stopped run does not replace the last full one.
        report.run.cancelled = true;
        report.checks.clear();
        state.keep_report(&report);
        let before = state.last_report().unwrap().checks;
        assert_eq!(before.len(), 1);

        let (seen, send) = events();
        let cancel = CancellationToken::new();
        let recheck = Recheck {
            checks: vec!["zoom_client".into()],
            before: &before,
            measure: |_| async { Ok(vec![finding("zoom_client", Status::Pass)]) },
        };
        let outcome = apply_and_verify(
            &fixer,
            "zoom.clear_cache",
            "zoom.clear_cache",
            &fixer.preview("zoom.clear_cache").unwrap().digest,
            recheck,
            &send,
            &cancel,
        )
        .await
        .unwrap();
        assert_eq!(
            outcome.status,
            OutcomeStatus::Applied,
            "{}",
            outcome.message
        );
        let v = outcome.verification.clone().unwrap();
        assert_eq!(v.checks.len(), 1);
        assert_eq!(v.checks[0].before, Some(Status::Fail));
        assert_eq!(v.checks[0].after, Status::Pass);
        assert!(v.helped && v.all_pass);
        {
            let seen = seen.lock().unwrap();
            assert!(
                matches!(seen.first(), Some(FixEvent::Step { .. })),
                "{seen:?}"
            );
            assert!(
                !seen
                    .iter()
                    .any(|e| matches!(e, FixEvent::WaitingForApproval { .. })),
                "no prompt for a fix that needs no rights"
            );
            assert_eq!(
                seen.last(),
                Some(&FixEvent::Verifying {
                    checks: vec!["zoom_client".into()]
                })
            );
        }
        assert!(!data.join("stale.tmp").exists(), "moved aside");
        assert!(data.join("zoomus.enc.db").exists(), "settings stay");

        let result = finish(&state, &fixer, outcome.clone(), Action::Apply).await;
        assert!(result.can_undo);
        // As the report JSON says it.
        let r = &serde_json::to_value(&result.record).unwrap();
        assert_eq!(r["title"], "Put Zoom's temporary files aside");
        assert_eq!(r["status"], "applied");
        assert_eq!(r["action"], "apply");
        assert_eq!(r["message"], "Done.");
        assert_eq!(r["verification"]["checks"][0]["before"], "fail");
        assert!(r["at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            state.last_report().unwrap().fixes_applied,
            vec![result.record.clone()],
            "saved and copied reports include it"
        );
        let md = meeting_doctor_core::render::render(
            &state.last_report().unwrap(),
            meeting_doctor_core::render::Format::Markdown,
            true,
        );
        assert!(md.contains("Put Zoom's temporary files aside"), "{md}");

        let history: Vec<HistoryEntry> = fixer
            .history()
            .unwrap()
            .into_iter()
            .map(HistoryEntry::from)
            .collect();
        assert_eq!(history.len(), 1);
        assert!(history[0].can_undo);
        let json = serde_json::to_value(&history[0]).unwrap();
        assert_eq!(json["can_undo"], true);
        assert_eq!(json["fix"], "zoom.clear_cache", "the entry is flattened");

        let (_, send) = events();
        let entry = outcome.entry.clone().unwrap();
        let undone = undo(&fixer, &entry, &send, &cancel).await.unwrap();
        assert_eq!(undone.status, OutcomeStatus::Applied, "{}", undone.message);
        assert!(data.join("stale.tmp").exists(), "moved back");
        let result = finish(&state, &fixer, undone, Action::Undo).await;
        assert!(!result.can_undo);
        let record = serde_json::to_value(&result.record).unwrap();
        assert_eq!(record["action"], "undo");
        assert_eq!(record["title"], "Undo: Put Zoom's temporary files aside");
        assert_eq!(fixer.history().unwrap()[0].state, EntryState::Undone);
        assert_eq!(state.last_report().unwrap().fixes_applied.len(), 2);

        let e = undo(&fixer, "20250101-zoom.quit-abcd", &send, &cancel)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Fix);
    }

    /// pkexec's answer when the person closes the password dialog.
    #[derive(Debug)]
    struct Dismissed(StdMutex<Vec<CommandSpec>>);

    impl Executor for Dismissed {
        fn run<'a>(&'a self, spec: &'a CommandSpec, _: Duration) -> ExecFuture<'a> {
            self.0.lock().unwrap().push(spec.clone());
            let out = if spec.program == "pkexec" {
                Ok(Output {
                    code: Some(126),
                    stdout: String::new(),
                    stderr: "Error executing command as another user: Request dismissed".into(),
                })
            } else {
                Err(ExecError::NotFound(spec.program.clone()))
            };
            Box::pin(async move { out })
        }
    }

    #[tokio::test]
    async fn an_administrator_fix_says_it_waits_for_approval_and_a_no_changes_nothing() {
        let home = tempfile::tempdir().unwrap();
        let exec = Arc::new(Dismissed(StdMutex::new(vec![])));
        let mut fixer = linux_fixer(home.path(), exec.clone());
        fixer.env.linux.resolved = true;
        fixer.elevation = ElevationMode::Always;
        let (seen, send) = events();
        let cancel = CancellationToken::new();
        let recheck = Recheck {
            checks: vec!["dns.system".into()],
            before: &[],
            measure: never_measured,
        };
        let digest = fixer.preview("dns.flush").unwrap().digest;
        let outcome = apply_and_verify(
            &fixer,
            "dns.flush",
            "dns.flush",
            &digest,
            recheck,
            &send,
            &cancel,
        )
        .await
        .unwrap();
        assert_eq!(outcome.status, OutcomeStatus::Declined);
        assert!(outcome.verification.is_none());
        assert_eq!(
            *seen.lock().unwrap(),
            vec![FixEvent::WaitingForApproval { timeout_s: 120 }]
        );
        // Only the fix id crosses to the elevated run, as argv.
        let ran = exec.0.lock().unwrap().clone();
        assert_eq!(ran.len(), 1);
        assert_eq!(ran[0].program, "pkexec");
        assert_eq!(ran[0].args[0], "/opt/meeting-doctor/meeting-doctor-app");
        assert_eq!(ran[0].args[1], "--meeting-doctor-elevated");
        assert_eq!(ran[0].args[3], "dns.flush");
        let record =
            serde_json::to_value(record(&outcome, Action::Apply, "2025-11-22T10:00:00Z")).unwrap();
        assert_eq!(record["status"], "declined");
        assert!(!can_undo(&fixer, &outcome));
        // The script for an administrator shell is the same plan.
        let script = script_of(&fixer, "dns.flush").unwrap();
        assert!(script.contains("resolvectl flush-caches"), "{script}");
    }

    #[tokio::test]
    async fn a_fix_cannot_start_while_a_check_or_another_fix_runs() {
        let home = tempfile::tempdir().unwrap();
        let state = AppState::with_fixer(None, linux_fixer(home.path(), Arc::new(Replay::new())));
        let (slot, token) = state.begin_fix().unwrap();
        assert_eq!(state.begin_fix().err().unwrap().kind, ErrorKind::Busy);
        assert!(state.cancel_fix());
        assert!(token.is_cancelled());
        drop(slot);
        assert!(!state.cancel_fix(), "nothing runs once it ended");
        let _check = state.begin(Work::Check).unwrap();
        assert_eq!(state.begin_fix().err().unwrap().kind, ErrorKind::Busy);
    }
}
