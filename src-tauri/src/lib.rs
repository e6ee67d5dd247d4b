//! The desktop shell: thin Tauri commands over meeting-doctor-core.
//!
//! Commands (each granted to the main window in capabilities/main.json):
//! - `overview` → what will be checked, for which profile;
//! - `start_check(errorCode, onEvent)` → streams `RunEvent`s over a channel,
//!   resolves with the `Report`;
//! - `cancel_check` → stops a running check;
//! - `render_report(report, format, redact)` → the report as text;
//! - `technician_report(report)` → what "Copy for a technician" copies:
//!   the Markdown report, always redacted (there is no flag to get less);
//! - `save_report(report, format, redact)` → writes it to the Downloads
//!   folder (never over an existing file) and returns the path;
//! - `compare_reports(before, after)` → what changed between two runs;
//! - `fix_suggestions` → the fixes for the last report's diagnosis, in
//!   repair order (the ones that cannot be done here say why);
//! - `preview_fix(id)` → what fix `id` would do on this computer;
//! - `apply_fix(id, confirmed, onEvent)` → makes the change (`confirmed`
//!   must equal `id`), streaming `FixEvent`s, runs its checks again and
//!   resolves with the outcome, before → after; the outcome is added to
//!   the last report's `fixes_applied`;
//! - `cancel_fix` → stops waiting for the administrator prompt;
//! - `undo_fix(entry, onEvent)` → undoes a change from the journal;
//! - `fix_history` → the changes made, newest first;
//! - `fix_script(id)` → fix `id` as a script for an administrator shell.
//!
//! Only catalog fix ids cross IPC, never a command line.

pub mod error;
pub mod fixes;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use meeting_doctor_core::activity::{Activity, Running, Work};
use meeting_doctor_core::compare::{self, Comparison};
use meeting_doctor_core::diagnosis::clean_code;
use meeting_doctor_core::fixes::fixer::FixRecord;
use meeting_doctor_core::render::{self, Format};
use meeting_doctor_core::report::Overview;
use meeting_doctor_core::{Plan, Profile, Report, RunEvent, RunOptions};
use tauri::ipc::Channel;
use tauri::webview::PageLoadEvent;
use tauri::{Manager, State};

/// When the process started, for the "page loaded after N ms" log line the
/// launch benchmark reads.
static STARTED: OnceLock<Instant> = OnceLock::new();

pub use error::{ErrorKind, IpcError};

/// The app's state: the profile (or why it could not be loaded), the
/// running check, if any, the last finished check's report and the fixes.
#[derive(Debug)]
pub struct AppState {
    /// `--profile FILE`, if given (None: the built-in profile).
    profile_path: Option<PathBuf>,
    profile: Mutex<Result<Arc<Profile>, IpcError>>,
    /// The check or the fix that runs now (never both).
    activity: Activity,
    /// The last check that ran to the end: fixes are suggested for its
    /// diagnosis and recorded in its `fixes_applied`.
    last: Mutex<Option<Report>>,
    fixes: fixes::FixState,
}

fn load(path: Option<&PathBuf>) -> Result<Arc<Profile>, IpcError> {
    match path {
        Some(p) => Profile::load(p).map(Arc::new).map_err(IpcError::from),
        None => Ok(Arc::new(Profile::builtin())),
    }
}

impl AppState {
    pub fn new(profile_path: Option<PathBuf>) -> AppState {
        AppState {
            profile: Mutex::new(load(profile_path.as_ref())),
            profile_path,
            activity: Activity::default(),
            last: Mutex::new(None),
            fixes: fixes::FixState::default(),
        }
    }

    /// A state with this fixer (tests: a fake computer).
    pub fn with_fixer(
        profile_path: Option<PathBuf>,
        fixer: meeting_doctor_core::fixes::Fixer,
    ) -> AppState {
        AppState {
            fixes: fixes::FixState::with_fixer(fixer),
            ..AppState::new(profile_path)
        }
    }

    fn last(&self) -> std::sync::MutexGuard<'_, Option<Report>> {
        self.last.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The last finished check's report, with the fixes recorded so far.
    pub fn last_report(&self) -> Option<Report> {
        self.last().clone()
    }

    /// Keeps `report` as the last one, unless it was stopped before the end
    /// (a stopped run diagnoses nothing; the one before stays).
    pub fn keep_report(&self, report: &Report) {
        if !report.run.cancelled {
            *self.last() = Some(report.clone());
        }
    }

    /// Adds a fix's record to the last report's `fixes_applied`.
    pub fn record_fix(&self, record: FixRecord) {
        if let Some(r) = self.last().as_mut() {
            r.fixes_applied.push(record);
        }
    }

    /// The profile; after a failure the file is read again, so the person
    /// (or technician) can fix it and press "Try again" without a restart.
    fn profile(&self) -> Result<Arc<Profile>, IpcError> {
        let mut profile = self.profile.lock().unwrap_or_else(|e| e.into_inner());
        if profile.is_err() {
            *profile = load(self.profile_path.as_ref());
        }
        profile.clone()
    }

    /// Takes the one slot for `work`; Busy while anything else runs.
    fn begin(&self, work: Work) -> Result<Running<'_>, IpcError> {
        self.activity
            .begin(work)
            .map_err(|busy| IpcError::new(ErrorKind::Busy, busy.message()))
    }
}

#[tauri::command]
fn overview(state: State<'_, AppState>) -> Result<Overview, IpcError> {
    let profile = state.profile()?;
    Ok(Overview::new(&profile, &Plan::for_profile(&profile)))
}

#[tauri::command]
async fn start_check(
    state: State<'_, AppState>,
    error_code: Option<String>,
    on_event: Channel<RunEvent>,
) -> Result<Report, IpcError> {
    let profile = state.profile()?;
    let running = state.begin(Work::Check)?;
    let cancel = running.token();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    // Beside the run, not a task of its own: the checks may keep the
    // runtime's workers busy (a stuck socket), and every event must still
    // reach the window before the report resolves.
    let forward = async move {
        while let Some(event) = rx.recv().await {
            if on_event.send(event).is_err() {
                // The window went away; the run finishes on its own.
                break;
            }
        }
    };
    let plan = Plan::for_profile(&profile);
    tracing::info!(profile = %profile.source, error_code = ?error_code, checks = plan.check_ids().len(), "check started");
    let (result, ()) = tokio::join!(
        meeting_doctor_core::check(&profile, &plan, RunOptions::default(), Some(tx), cancel),
        forward
    );
    let mut report = result?;
    report.error_code = error_code.as_deref().and_then(clean_code);
    let report = report.diagnosed();
    state.keep_report(&report);
    tracing::info!(
        elapsed_ms = report.run.elapsed_ms,
        cancelled = report.run.cancelled,
        "check finished"
    );
    Ok(report)
}

#[tauri::command]
fn render_report(report: Report, format: Format, redact: bool) -> String {
    render::render(&report, format, redact)
}

/// "Copy for a technician": the one redacted text the UI copies. A command
/// of its own, so no flag set wrong in the UI can put names, addresses or
/// secrets on the clipboard.
#[tauri::command]
fn technician_report(report: Report) -> String {
    render::technician_copy(&report)
}

#[tauri::command]
fn save_report(
    app: tauri::AppHandle,
    report: Report,
    format: Format,
    redact: bool,
) -> Result<String, IpcError> {
    let p = app.path();
    // The Downloads folder the desktop names; without XDG user folders, a
    // Downloads folder in the home folder, else the home folder itself.
    let dir = p
        .download_dir()
        .or_else(|e| {
            let home = p.home_dir().map_err(|_| e)?;
            let downloads = home.join("Downloads");
            Ok::<_, tauri::Error>(if downloads.is_dir() { downloads } else { home })
        })
        .map_err(|e| IpcError::new(ErrorKind::Save, format!("No folder to save into: {e}")))?;
    let path = save_into(&dir, &report, format, redact)?;
    tracing::info!(path = %path.display(), redact, "report saved");
    Ok(path.display().to_string())
}

/// Writes the report into `dir` under a dated name, never over a file that
/// is already there.
pub fn save_into(
    dir: &std::path::Path,
    report: &Report,
    format: Format,
    redact: bool,
) -> Result<PathBuf, IpcError> {
    use std::io::Write;
    let err = |e: std::io::Error| {
        IpcError::new(
            ErrorKind::Save,
            format!("Couldn't save the report in {}: {e}", dir.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let stamp: String = report
        .generated_at
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    let text = render::render(report, format, redact);
    for n in 0..100 {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = dir.join(format!(
            "meeting-doctor-report-{stamp}{suffix}.{}",
            format.extension()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes()).map_err(err)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(err(e)),
        }
    }
    Err(IpcError::new(
        ErrorKind::Save,
        format!(
            "Couldn't save the report in {}: too many reports with the same time",
            dir.display()
        ),
    ))
}

#[tauri::command]
fn compare_reports(before: Report, after: Report) -> Comparison {
    compare::compare(&before, &after)
}

#[tauri::command]
fn cancel_check(state: State<'_, AppState>) -> bool {
    state.activity.cancel(Work::Check)
}

/// `--profile FILE` or `--profile=FILE` from the command line, like the CLI.
pub fn profile_arg(args: impl IntoIterator<Item = String>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--profile" {
            return args.next().map(PathBuf::from);
        }
        if let Some(p) = a.strip_prefix("--profile=") {
            return Some(PathBuf::from(p));
        }
    }
    None
}

/// Logs to a daily file in the app's log folder (and stderr when RUST_LOG is set).
fn init_logging(app: &tauri::App) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::prelude::*;
    let dir = app.path().app_log_dir().ok()?;
    std::fs::create_dir_all(&dir).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(tracing_appender::rolling::daily(
        &dir,
        "meeting-doctor.log",
    ));
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,meeting_doctor_core=info".into());
    let stderr = std::env::var_os("RUST_LOG").is_some().then(|| {
        use std::io::IsTerminal;
        tracing_subscriber::fmt::layer()
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer),
        )
        .with(stderr)
        .try_init()
        .ok()?;
    tracing::info!(log_dir = %dir.display(), "Meeting Doctor {} starting", env!("CARGO_PKG_VERSION"));
    Some(guard)
}

/// WebKitGTK rendering defaults for a page that is a checklist, not a game:
/// no accelerated compositing (measured under Xvfb: the web process drops
/// from 227 to 163 MiB resident, its private memory from 66 to 27 MiB) and no
/// DMABUF renderer (blank windows on some GPU drivers). A value already set
/// by the person or the system wins.
fn webkit_defaults() {
    for (key, value) in [
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    ] {
        if std::env::var_os(key).is_none() {
            std::env::set_var(key, value);
        }
    }
}

pub fn run() {
    STARTED.get_or_init(Instant::now);
    // Before any thread or webview exists: child processes inherit these.
    webkit_defaults();
    let state = AppState::new(profile_arg(std::env::args().skip(1)));
    let result = tauri::Builder::default()
        .manage(state)
        .setup(|app| {
            if let Some(guard) = init_logging(app) {
                // Keep the log writer alive for the app's lifetime.
                app.manage(guard);
            }
            Ok(())
        })
        .on_page_load(|_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                let ms = STARTED
                    .get()
                    .map(|t| t.elapsed().as_millis())
                    .unwrap_or_default();
                tracing::info!(since_start_ms = ms, "page loaded");
            }
        })
        .invoke_handler(tauri::generate_handler![
            overview,
            start_check,
            cancel_check,
            render_report,
            technician_report,
            save_report,
            compare_reports,
            fixes::fix_suggestions,
            fixes::preview_fix,
            fixes::apply_fix,
            fixes::cancel_fix,
            fixes::undo_fix,
            fixes::fix_history,
            fixes::fix_script
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Meeting Doctor could not start: {e}");
        std::process::exit(3);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_argument_forms() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            profile_arg(args(&["--profile", "/x.toml"])),
            Some(PathBuf::from("/x.toml"))
        );
        assert_eq!(
            profile_arg(args(&["-v", "--profile=/y.toml"])),
            Some(PathBuf::from("/y.toml"))
        );
        assert_eq!(profile_arg(args(&["--profile"])), None);
        assert_eq!(profile_arg(args(&[])), None);
    }

    #[test]
    fn a_bad_profile_is_a_profile_error_and_is_read_again_once_fixed() {
        let dir = std::env::temp_dir().join(format!("md-app-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.toml");
        std::fs::write(&path, "name = 1\n").unwrap();
        let state = AppState::new(Some(path.clone()));
        let e = state.profile().unwrap_err();
        assert_eq!(e.kind, ErrorKind::Profile);
        assert!(e.message.contains("bad.toml:1:"), "{}", e.message);
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "profile");
        // Fixed on disk: the next call (the UI's "Try again") loads it.
        std::fs::write(&path, "name = \"Fixed\"\n").unwrap();
        assert_eq!(state.profile().unwrap().name, "Fixed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The main window is granted exactly the app's commands (as build.rs
    /// lists them), nothing more.
    #[test]
    fn the_capability_grants_exactly_the_commands() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let build = std::fs::read_to_string(format!("{dir}/build.rs")).unwrap();
        let list = build.split(".commands(&[").nth(1).unwrap();
        let list = list.split("])").next().unwrap();
        let mut commands: Vec<String> = list
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        let cap: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}/capabilities/main.json")).unwrap(),
        )
        .unwrap();
        let mut granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        commands.sort();
        granted.sort();
        assert_eq!(granted, commands);
        for fix in ["allow-apply-fix", "allow-undo-fix", "allow-fix-script"] {
            assert!(granted.iter().any(|g| g == fix), "{fix}");
        }
    }

    #[test]
    fn the_technician_report_is_always_the_redacted_markdown() {
        use meeting_doctor_core::ids::CheckId;
        use meeting_doctor_core::{Finding, Status};
        let outcome = meeting_doctor_core::RunOutcome {
            findings: vec![Finding::new(
                CheckId::Proxy,
                Status::Warn,
                "Web traffic goes through a proxy (http://alice:hunter2@proxy.corp.example:8080) on finance-pc-12.",
            )],
            elapsed_ms: 1,
            deadline_ms: 6000,
            deadline_hit: false,
            cancelled: false,
        };
        let mut report = Report::new(&Profile::builtin(), outcome);
        report.system.user = Some("mkowalski".into());
        report.system.host_name = Some("finance-pc-12".into());
        let text = technician_report(report.clone());
        assert_eq!(text, render::render(&report, Format::Markdown, true));
        for secret in ["hunter2", "alice", "mkowalski", "finance-pc-12"] {
            assert!(!text.contains(secret), "{secret} in\n{text}");
        }
        assert!(
            text.contains("http://[credentials]@proxy.corp.example:8080"),
            "{text}"
        );
    }

    #[test]
    fn without_an_argument_the_built_in_profile_is_used() {
        assert_eq!(AppState::new(None).profile().unwrap().name, "Zoom");
    }

    #[test]
    fn saving_never_overwrites_and_an_unwritable_folder_is_a_save_error() {
        let dir = std::env::temp_dir().join(format!("md-app-save-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let outcome = meeting_doctor_core::RunOutcome {
            findings: vec![],
            elapsed_ms: 1,
            deadline_ms: 6000,
            deadline_hit: false,
            cancelled: false,
        };
        let report = Report::new(&Profile::builtin(), outcome);
        let first = save_into(&dir, &report, Format::Markdown, true).unwrap();
        let second = save_into(&dir, &report, Format::Markdown, true).unwrap();
        assert_ne!(first, second);
        assert!(first.extension().unwrap() == "md");
        let text = std::fs::read_to_string(&first).unwrap();
        assert!(text.starts_with("# Meeting Doctor report"), "{text}");
        assert_eq!(text, std::fs::read_to_string(&second).unwrap());
        // A file where the folder should be: a clear "save" error.
        let blocked = dir.join("not-a-folder");
        std::fs::write(&blocked, "x").unwrap();
        let e = save_into(&blocked, &report, Format::Html, true).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Save);
        assert!(e.message.contains("not-a-folder"), "{}", e.message);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
