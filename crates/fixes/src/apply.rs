//! Carrying out a plan: settings are saved, the journal's `begin` record
//! (with what will change, as typed values) is on disk, and only then does
//! anything change. Undo rebuilds its commands from those values.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journal::{JournalError, Record};
use super::plans::{cache_folders, Saved};
use super::store::{Store, StoreError};
use super::undo::{undo_of, Undo};
use super::{Action, FixEnv, Plan};
use md_facts::command::{CommandSpec, Executor};
use md_model::system::Os;

/// How long one command of a fix may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// One step's result, for progress and the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StepResult {
    pub index: usize,
    pub title: String,
    pub ok: bool,
    /// What the command said, or what moved (a line or two).
    pub detail: String,
}

/// How applying (or undoing) went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Applied {
    /// The journal entry.
    pub entry: String,
    pub fix: String,
    pub ok: bool,
    pub steps: Vec<StepResult>,
    /// Why it stopped, in plain words, when it failed.
    pub message: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// A setting could not be read before the change: nothing was changed.
    #[error("could not note the current setting first ({command}): {reason}; nothing was changed")]
    Save { command: String, reason: String },
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("there is no change {0:?} in the history of fixes")]
    NoEntry(String),
    #[error("{0}")]
    Refused(String),
}

/// Where progress goes while steps run.
pub type Progress<'a> = &'a (dyn Fn(&StepResult) + Send + Sync);

/// A new journal entry id: time, fix and a random tail.
pub fn new_entry_id(fix: &str) -> String {
    let t = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    let t: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    format!("{t}-{fix}-{:04x}", rand::random::<u16>())
}

/// Applies `plan`, journaled in `store`. Only steps of the plan run;
/// nothing else can be asked for. The caller holds the store's lock.
/// `stop_after` ends the run after that many changing steps without an
/// `end` record, as a crash would (for tests of interrupted fixes).
pub async fn apply(
    plan: &Plan,
    env: &FixEnv,
    store: &Store,
    exec: &dyn Executor,
    entry: Option<String>,
    progress: Progress<'_>,
    stop_after: Option<usize>,
) -> Result<Applied, ApplyError> {
    let entry = entry.unwrap_or_else(|| new_entry_id(plan.fix.id.as_str()));
    let journal = store.journal();
    let mut saved = Saved::new();
    for step in &plan.steps {
        if let Action::Save {
            name,
            command,
            absent_codes,
        } = &step.action
        {
            let failed = |reason: String| ApplyError::Save {
                command: command.display(),
                reason,
            };
            match exec.run(command, STEP_TIMEOUT).await {
                Ok(out) if out.success() => {
                    saved.insert(name.clone(), out.stdout);
                }
                // "Not set" (reg query exits 1 for a value that is not there).
                Ok(out) if out.code.is_some_and(|c| absent_codes.contains(&c)) => {
                    saved.insert(name.clone(), String::new());
                }
                // Anything else is a reading that did not happen: an undo
                // built from it would put back something that never was.
                Ok(out) => {
                    return Err(failed(format!(
                        "it exited with {}{}",
                        out.code
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "a signal".into()),
                        match out.stderr.trim() {
                            "" => String::new(),
                            e => format!(": {e}"),
                        }
                    )))
                }
                Err(e) => return Err(failed(e.to_string())),
            }
        }
    }
    let undo = undo_of(plan, env, &saved);
    let moves_files = undo.contains(&Undo::RestoreFiles);
    store.ensure()?;
    let backup = if moves_files {
        store.new_backup(&entry)?
    } else {
        store.backup_of(&entry)
    };
    journal.append(&Record::Begin {
        entry: entry.clone(),
        fix: plan.fix.id.to_string(),
        title: plan.fix.title.clone(),
        at: now(),
        os: plan.os,
        steps: plan.steps.clone(),
        undo,
        saved,
        digest: plan.digest(),
    })?;
    let mut results = Vec::new();
    let mut changed = 0;
    for (index, step) in plan.steps.iter().enumerate() {
        if step.action.is_read_only() {
            continue;
        }
        if stop_after.is_some_and(|n| changed >= n) {
            return Ok(Applied {
                entry,
                fix: plan.fix.id.to_string(),
                ok: false,
                steps: results,
                message: Some("stopped before the end".into()),
            });
        }
        let (ok, detail) = run_action(&step.action, exec, &backup, plan.fix.id.as_str()).await;
        changed += 1;
        let r = StepResult {
            index,
            title: step.title.clone(),
            ok,
            detail,
        };
        journal.append(&Record::Step {
            entry: entry.clone(),
            index,
            title: r.title.clone(),
            ok,
            detail: r.detail.clone(),
        })?;
        progress(&r);
        results.push(r);
        if !ok {
            let message = format!(
                "\"{}\" did not work: {}",
                step.title,
                results.last().map(|r| r.detail.as_str()).unwrap_or("")
            );
            journal.append(&Record::End {
                entry: entry.clone(),
                ok: false,
                message: Some(message.clone()),
            })?;
            return Ok(Applied {
                entry,
                fix: plan.fix.id.to_string(),
                ok: false,
                steps: results,
                message: Some(message),
            });
        }
    }
    journal.append(&Record::End {
        entry: entry.clone(),
        ok: true,
        message: None,
    })?;
    Ok(Applied {
        entry,
        fix: plan.fix.id.to_string(),
        ok: true,
        steps: results,
        message: None,
    })
}

/// Undoes one entry of `store`'s journal. What runs is rebuilt from the
/// entry's typed [`Undo`] values with the catalog's templates; an undo
/// value of another fix or OS, or with data a fix could not have
/// recorded, is refused. Files go back only into the folders the fix's
/// template names for `env`. Each undo step runs even if an earlier one
/// failed (they are independent restores). The caller holds the lock.
pub async fn undo(
    store: &Store,
    entry: &str,
    env: &FixEnv,
    exec: &dyn Executor,
    progress: Progress<'_>,
) -> Result<Applied, ApplyError> {
    let journal = store.journal();
    let Some(Record::Begin { fix, os, undo, .. }) = journal.begin_of(entry)? else {
        return Err(ApplyError::NoEntry(entry.to_string()));
    };
    if let Some(e) = journal.entries()?.into_iter().find(|e| e.id == entry) {
        if e.state == super::journal::EntryState::Undone {
            return Err(ApplyError::Refused(format!("{entry} was already undone")));
        }
    }
    if super::find(&fix).is_none() {
        return Err(ApplyError::Refused(format!(
            "{entry} names no fix Meeting Doctor has ({fix:?})"
        )));
    }
    if os != Os::current() {
        return Err(ApplyError::Refused(format!(
            "{entry} was made on another kind of computer ({os:?})"
        )));
    }
    journal.append(&Record::UndoBegin {
        entry: entry.to_string(),
        at: now(),
    })?;
    let backup = store.backup_of(entry);
    let mut results = Vec::new();
    for (index, u) in undo.iter().enumerate() {
        let step = if u.belongs_to(&fix, os) {
            u.step(&backup.to_string_lossy())
        } else {
            Err(format!("not a change that {fix} makes"))
        };
        let (title, ok, detail) = match step {
            Err(why) => (u.title(), false, format!("not undone: {why}")),
            Ok(step) => match allowed_in_undo(&step.action) {
                Err(why) => (step.title, false, why),
                Ok(()) if *u == Undo::RestoreFiles => {
                    let targets = restore_targets(&fix, env);
                    let (ok, detail) = match restore(&backup, &targets) {
                        Ok(r) => (r.refused.is_empty(), r.describe()),
                        Err(e) => (false, e.to_string()),
                    };
                    (step.title, ok, detail)
                }
                Ok(()) => {
                    let (ok, detail) = run_action(&step.action, exec, &backup, &fix).await;
                    (step.title, ok, detail)
                }
            },
        };
        let r = StepResult {
            index,
            title,
            ok,
            detail,
        };
        progress(&r);
        results.push(r);
    }
    let ok = results.iter().all(|r| r.ok);
    let message = (!ok).then(|| {
        results
            .iter()
            .filter(|r| !r.ok)
            .map(|r| format!("\"{}\": {}", r.title, r.detail))
            .collect::<Vec<_>>()
            .join("; ")
    });
    journal.append(&Record::UndoEnd {
        entry: entry.to_string(),
        ok,
        message: message.clone(),
    })?;
    Ok(Applied {
        entry: entry.to_string(),
        fix,
        ok,
        steps: results,
        message,
    })
}

/// Where fix `fix` may put files back: the folders its template names for
/// this computer (Zoom's cache folders in `env`'s home; /etc/resolv.conf).
pub fn restore_targets(fix: &str, env: &FixEnv) -> Vec<PathBuf> {
    match fix {
        "zoom.clear_cache" => cache_folders(env)
            .into_iter()
            .map(|(p, _)| PathBuf::from(p))
            .collect(),
        "dns.use_public" if env.os != Os::Windows => vec![PathBuf::from("/etc/resolv.conf")],
        _ => vec![],
    }
}

/// Programs an undo step may run: the ones the catalog's plans use. The
/// journal is a file the user can edit, so an undo (which may run with
/// administrator rights) never runs anything else.
pub const UNDO_PROGRAMS: &[&str] = &[
    "nft",
    "ufw",
    "firewall-cmd",
    "resolvectl",
    "nmcli",
    "timedatectl",
    "gsettings",
    "kwriteconfig5",
    "kwriteconfig6",
    "networksetup",
    "/usr/libexec/ApplicationFirewall/socketfilterfw",
    "reg",
    "powershell.exe",
];

fn allowed_in_undo(a: &Action) -> Result<(), String> {
    match a {
        Action::Run { command, .. } if !UNDO_PROGRAMS.contains(&command.program.as_str()) => {
            Err(format!(
                "{} is not a program Meeting Doctor's fixes use; not run",
                command.program
            ))
        }
        Action::Run { .. } | Action::Restore { .. } | Action::RemoveNftRules { .. } => Ok(()),
        _ => Err("not an undo step; not run".into()),
    }
}

fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

async fn run_action(a: &Action, exec: &dyn Executor, backup: &Path, fix: &str) -> (bool, String) {
    match a {
        Action::Run { command, ok_codes } => run_command(exec, command, ok_codes).await,
        Action::Save { .. } => (true, String::new()),
        Action::Quit { names, grace_ms } => {
            quit(names, Duration::from_millis(*grace_ms), exec).await
        }
        Action::MoveAside { path, keep } => match move_aside(Path::new(path), keep, backup, fix) {
            Ok(0) => (true, format!("{path}: nothing there to move")),
            Ok(n) => (
                true,
                format!("{path}: {n} item(s) moved to {}", backup.display()),
            ),
            Err(e) => (false, format!("{path}: {e}")),
        },
        Action::WriteFile { path, content } => {
            match write_file(Path::new(path), content, backup, fix) {
                Ok(()) => (
                    true,
                    format!("{path} written; the old one is in {}", backup.display()),
                ),
                Err(e) => (false, format!("{path}: {e}")),
            }
        }
        // Files go back only through `undo`, which knows the fix's folders.
        Action::Restore { .. } => (false, "files are put back only by an undo".into()),
        Action::RemoveNftRules {
            family,
            table,
            chain,
            tag,
        } => remove_nft_rules(exec, family, table, chain, tag).await,
    }
}

async fn run_command(
    exec: &dyn Executor,
    command: &CommandSpec,
    ok_codes: &[i32],
) -> (bool, String) {
    match exec.run(command, STEP_TIMEOUT).await {
        Ok(out) => {
            let ok = out.success() || out.code.is_some_and(|c| ok_codes.contains(&c));
            let text = if out.stderr.trim().is_empty() {
                out.stdout.trim()
            } else {
                out.stderr.trim()
            };
            let tail: Vec<&str> = text.lines().rev().take(3).collect();
            let mut detail = tail.into_iter().rev().collect::<Vec<_>>().join(" ");
            if !ok {
                detail = format!(
                    "{} exited with {}{}{}",
                    command.program,
                    out.code
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| "a signal".into()),
                    if detail.is_empty() { "" } else { ": " },
                    detail
                );
            }
            (ok, detail)
        }
        Err(e) => (false, e.to_string()),
    }
}

// ─────────────────────────────── processes ───────────────────────────────

/// Asks Zoom's processes named in `names` to quit, waits up to `grace`,
/// then forces those still running. Only processes the Zoom table knows
/// are touched, matched by executable name as the checks match them.
async fn quit(names: &[String], grace: Duration, exec: &dyn Executor) -> (bool, String) {
    use md_facts::process::{list, lookup};
    let wanted = |p: &md_facts::process::ProcessInfo| {
        lookup(p).is_some_and(|e| {
            names
                .iter()
                .any(|n| n.trim_end_matches(".exe").eq_ignore_ascii_case(e.name))
        })
    };
    let me = std::process::id();
    let targets: Vec<_> = list()
        .into_iter()
        .filter(|p| p.pid != me && wanted(p))
        .collect();
    if targets.is_empty() {
        return (true, "Zoom was not running".into());
    }
    for p in &targets {
        ask_to_quit(p.pid, exec).await;
    }
    let deadline = tokio::time::Instant::now() + grace;
    let alive = |pid: u32| list().iter().any(|p| p.pid == pid && wanted(p));
    while tokio::time::Instant::now() < deadline && targets.iter().any(|p| alive(p.pid)) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stubborn: Vec<u32> = targets
        .iter()
        .map(|p| p.pid)
        .filter(|pid| alive(*pid))
        .collect();
    for pid in &stubborn {
        force_quit(*pid);
    }
    let end = tokio::time::Instant::now() + Duration::from_secs(3);
    while tokio::time::Instant::now() < end && stubborn.iter().any(|pid| alive(*pid)) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let left: Vec<u32> = stubborn.iter().copied().filter(|pid| alive(*pid)).collect();
    let names: Vec<String> = targets
        .iter()
        .map(|p| format!("{} ({})", p.name, p.pid))
        .collect();
    if left.is_empty() {
        (
            true,
            format!(
                "{} quit{}",
                names.join(", "),
                if stubborn.is_empty() {
                    String::new()
                } else {
                    format!("; {} had to be forced", stubborn.len())
                }
            ),
        )
    } else {
        (false, format!("still running after being forced: {left:?}"))
    }
}

async fn ask_to_quit(pid: u32, exec: &dyn Executor) {
    if Os::current() == Os::Windows {
        let _ = exec
            .run(
                &CommandSpec::new("taskkill", &["/PID", &pid.to_string()]),
                Duration::from_secs(5),
            )
            .await;
    } else {
        signal(pid, sysinfo::Signal::Term);
    }
}

fn force_quit(pid: u32) {
    signal(pid, sysinfo::Signal::Kill);
}

fn signal(pid: u32, sig: sysinfo::Signal) {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
    let Ok(mut s) = System::new() else { return };
    let pid = Pid::from_u32(pid);
    s.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    if let Some(p) = s.process(pid) {
        if p.kill_with(sig).is_none() {
            p.kill();
        }
    }
}

// ─────────────────────────────── files ───────────────────────────────

/// The backup folder's list of what moved where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub fix: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Where it was.
    pub from: String,
    /// Where it is kept, relative to the backup folder (None: there was
    /// nothing at `from`, and a file was written there).
    pub to: Option<String>,
    pub state: ItemState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// About to move (if the program stops here, `from` is still whole).
    Moving,
    Moved,
    /// A file was written where nothing was.
    Written,
    Restored,
}

fn manifest_path(backup: &Path) -> PathBuf {
    backup.join("manifest.json")
}

pub fn read_manifest(backup: &Path) -> std::io::Result<Manifest> {
    match super::store::read_no_follow(&manifest_path(backup)) {
        Ok(t) => serde_json::from_slice(&t).map_err(|e| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("manifest: {e}"))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(e),
    }
}

/// Writes the manifest through a temporary file and a rename, so it is
/// always whole.
fn write_manifest(backup: &Path, m: &Manifest) -> std::io::Result<()> {
    std::fs::create_dir_all(backup)?;
    let tmp = backup.join("manifest.json.tmp");
    super::store::write_no_follow(
        &tmp,
        &serde_json::to_vec_pretty(m).expect("manifest serializes"),
    )?;
    std::fs::rename(&tmp, manifest_path(backup))
}

/// `*` matches any run of characters; case-insensitive.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p = pattern.to_lowercase();
    let n = name.to_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == n;
    }
    let mut rest = n.as_str();
    let first = parts[0];
    if !rest.starts_with(first) {
        return false;
    }
    rest = &rest[first.len()..];
    let last = parts[parts.len() - 1];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Moves `path` (or, with `keep`, the entries of folder `path` not
/// matching `keep`) into `backup`, listing each in the manifest before and
/// after it moves. Returns how many items moved.
pub fn move_aside(
    path: &Path,
    keep: &[String],
    backup: &Path,
    fix: &str,
) -> std::io::Result<usize> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let sources: Vec<PathBuf> = if keep.is_empty() || !meta.is_dir() {
        vec![path.to_path_buf()]
    } else {
        let mut v = Vec::new();
        to_move(path, keep, &mut v)?;
        v
    };
    let mut m = read_manifest(backup)?;
    m.fix = fix.to_string();
    let files = backup.join("files");
    std::fs::create_dir_all(&files)?;
    let mut moved = 0;
    for src in sources {
        let rel = format!("files/{}", m.items.len());
        m.items.push(Item {
            from: src.to_string_lossy().into_owned(),
            to: Some(rel.clone()),
            state: ItemState::Moving,
        });
        write_manifest(backup, &m)?;
        move_path(&src, &backup.join(&rel))?;
        m.items.last_mut().expect("just pushed").state = ItemState::Moved;
        write_manifest(backup, &m)?;
        moved += 1;
    }
    Ok(moved)
}

/// The entries of folder `dir` to move: those not matching `keep`; a
/// folder that holds a kept file somewhere inside is not moved whole but
/// looked into, so kept files stay where they are at any depth.
fn to_move(dir: &Path, keep: &[String], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<std::fs::DirEntry> =
        std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if keep.iter().any(|k| glob_match(k, &name)) {
            continue;
        }
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir && holds_kept(&e.path(), keep) {
            to_move(&e.path(), keep, out)?;
        } else {
            out.push(e.path());
        }
    }
    Ok(())
}

fn holds_kept(dir: &Path, keep: &[String]) -> bool {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return false;
    };
    rd.filter_map(Result::ok).any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        keep.iter().any(|k| glob_match(k, &name))
            || (e.file_type().map(|t| t.is_dir()).unwrap_or(false) && holds_kept(&e.path(), keep))
    })
}

fn write_file(path: &Path, content: &str, backup: &Path, fix: &str) -> std::io::Result<()> {
    let existed = std::fs::symlink_metadata(path).is_ok();
    if existed {
        move_aside(path, &[], backup, fix)?;
    } else {
        let mut m = read_manifest(backup)?;
        m.fix = fix.to_string();
        m.items.push(Item {
            from: path.to_string_lossy().into_owned(),
            to: None,
            state: ItemState::Written,
        });
        write_manifest(backup, &m)?;
    }
    // A new file where the old one was moved from: never through a link.
    super::store::create_new(path, content.as_bytes(), 0o644)
}

/// A rename; across file systems, a copy that is checked and only then
/// the original removed.
fn move_path(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(18) => {
            // EXDEV: another file system.
            copy_tree(from, to)?;
            if tree_size(from)? != tree_size(to)? {
                return Err(std::io::Error::other(
                    "the copy differs from the original; the original was kept",
                ));
            }
            if std::fs::symlink_metadata(from)?.is_dir() {
                std::fs::remove_dir_all(from)
            } else {
                std::fs::remove_file(from)
            }
        }
        Err(e) => Err(e),
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(from)?;
    if meta.is_dir() {
        std::fs::create_dir_all(to)?;
        for e in std::fs::read_dir(from)? {
            let e = e?;
            copy_tree(&e.path(), &to.join(e.file_name()))?;
        }
        std::fs::set_permissions(to, meta.permissions())
    } else if meta.file_type().is_symlink() {
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
        }
        #[cfg(not(unix))]
        {
            std::fs::copy(from, to).map(|_| ())
        }
    } else {
        std::fs::copy(from, to).map(|_| ())
    }
}

fn tree_size(p: &Path) -> std::io::Result<(u64, u64)> {
    let meta = std::fs::symlink_metadata(p)?;
    if meta.is_dir() {
        let mut total = (0, 1);
        for e in std::fs::read_dir(p)? {
            let (b, n) = tree_size(&e?.path())?;
            total.0 += b;
            total.1 += n;
        }
        Ok(total)
    } else {
        Ok((meta.len(), 1))
    }
}

/// What putting files back did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restored {
    pub moved: usize,
    /// Items left in the backup folder, with why.
    pub refused: Vec<String>,
}

impl Restored {
    pub fn describe(&self) -> String {
        let mut s = format!("{} item(s) moved back", self.moved);
        if !self.refused.is_empty() {
            s.push_str(&format!(
                "; {} left in the backup folder: {}",
                self.refused.len(),
                self.refused.join("; ")
            ));
        }
        s
    }
}

/// Moves everything the manifest lists back where it was, but only into
/// `targets` (the folders the fix's template names) and never through a
/// symbolic link: the manifest is a file in a folder its owner can write,
/// so where it says things go is checked, not trusted. Something found in
/// the way (Zoom made a new cache meanwhile, or a link was planted) is
/// moved into `replaced/`, never deleted.
pub fn restore(backup: &Path, targets: &[PathBuf]) -> std::io::Result<Restored> {
    if std::fs::symlink_metadata(backup)?.file_type().is_symlink() {
        return Err(std::io::Error::other(format!(
            "{} is a symbolic link; nothing was moved",
            backup.display()
        )));
    }
    let mut m = read_manifest(backup)?;
    let mut done = Restored::default();
    for i in (0..m.items.len()).rev() {
        let item = m.items[i].clone();
        let from = PathBuf::from(&item.from);
        if let Err(why) = safe_destination(&from, targets) {
            if item.state != ItemState::Restored {
                done.refused.push(format!("{}: {why}", item.from));
            }
            continue;
        }
        if item.to.as_deref().is_some_and(|to| !valid_kept_name(to, i)) {
            done.refused.push(format!(
                "{}: the manifest's entry is not one Meeting Doctor wrote",
                item.from
            ));
            continue;
        }
        let in_the_way = std::fs::symlink_metadata(&from).is_ok();
        match (item.state, &item.to) {
            (ItemState::Moved, Some(to)) | (ItemState::Moving, Some(to)) => {
                let kept = backup.join(to);
                if std::fs::symlink_metadata(&kept).is_err() {
                    // "Moving" and never moved: the original is still in place.
                    continue;
                }
                if item.state == ItemState::Moving && in_the_way {
                    // A copy across file systems was cut short: the original is whole.
                    continue;
                }
                if in_the_way {
                    move_path(&from, &backup.join("replaced").join(i.to_string()))?;
                }
                if let Some(parent) = from.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                move_path(&kept, &from)?;
                done.moved += 1;
            }
            (ItemState::Written, _) => {
                if in_the_way {
                    move_path(&from, &backup.join("replaced").join(i.to_string()))?;
                }
            }
            _ => continue,
        }
        m.items[i].state = ItemState::Restored;
        write_manifest(backup, &m)?;
    }
    Ok(done)
}

/// `to` as [`move_aside`] writes it: `files/N` for item N.
fn valid_kept_name(to: &str, index: usize) -> bool {
    to == format!("files/{index}")
}

/// `from` is one of `targets` or inside one, written plainly (absolute, no
/// `.` or `..`), and no folder between the target's parent and `from`
/// is a symbolic link (which would send the file elsewhere).
fn safe_destination(from: &Path, targets: &[PathBuf]) -> Result<(), String> {
    use std::path::Component;
    let plain = from.is_absolute()
        && from.components().all(|c| {
            matches!(
                c,
                Component::Normal(_) | Component::RootDir | Component::Prefix(_)
            )
        });
    if !plain {
        return Err("not a plain absolute path; left in the backup folder".into());
    }
    let Some(target) = targets.iter().find(|t| from.starts_with(t)) else {
        return Err("not in one of the fix's own folders; left in the backup folder".into());
    };
    let top = target.parent().unwrap_or(target);
    let mut p = from.parent();
    while let Some(dir) = p {
        if let Ok(m) = std::fs::symlink_metadata(dir) {
            if m.file_type().is_symlink() {
                return Err(format!(
                    "{} is a symbolic link; left in the backup folder",
                    dir.display()
                ));
            }
        }
        if dir == top {
            break;
        }
        p = dir.parent();
    }
    Ok(())
}

// ─────────────────────────────── nftables ───────────────────────────────

/// The handles of rules carrying `comment "tag"` in `nft -a list chain` output.
pub fn nft_tagged_handles(listing: &str, tag: &str) -> Vec<u64> {
    let needle = format!("comment \"{tag}\"");
    listing
        .lines()
        .filter(|l| l.contains(&needle))
        .filter_map(|l| l.rsplit("# handle ").next()?.trim().parse().ok())
        .collect()
}

async fn remove_nft_rules(
    exec: &dyn Executor,
    family: &str,
    table: &str,
    chain: &str,
    tag: &str,
) -> (bool, String) {
    let list = CommandSpec::new("nft", &["-a", "list", "chain", family, table, chain]);
    let out = match exec.run(&list, STEP_TIMEOUT).await {
        Ok(o) if o.success() => o.stdout,
        Ok(o) if o.stderr.contains("No such file") => {
            return (true, format!("{family} {table} {chain} is gone"))
        }
        Ok(o) => return (false, format!("nft list chain: {}", o.stderr.trim())),
        Err(e) => return (false, e.to_string()),
    };
    let handles = nft_tagged_handles(&out, tag);
    for h in &handles {
        let del = CommandSpec::new(
            "nft",
            &[
                "delete",
                "rule",
                family,
                table,
                chain,
                "handle",
                &h.to_string(),
            ],
        );
        let (ok, detail) = run_command(exec, &del, &[]).await;
        if !ok {
            return (false, detail);
        }
    }
    (
        true,
        format!(
            "{} rule(s) removed from {family} {table} {chain}",
            handles.len()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns() {
        assert!(glob_match("*.enc.db", "zoomus.enc.db"));
        assert!(glob_match("*.db", "ZOOMUS.ENC.DB"));
        assert!(glob_match("*.db-*", "zoomus.db-wal"));
        assert!(!glob_match("*.db", "zoomus.db-wal"));
        assert!(!glob_match("*.ini", "cache"));
        assert!(glob_match("a*b*c", "axxbyyc") && !glob_match("a*b*c", "axxc"));
    }

    #[test]
    fn kept_files_stay_at_any_depth() {
        let d = tempfile::tempdir().unwrap();
        let data = d.path().join("data");
        std::fs::create_dir_all(data.join("acct 1/sub")).unwrap();
        std::fs::create_dir_all(data.join("cache")).unwrap();
        std::fs::write(data.join("acct 1/sub/chat.enc.db"), "db").unwrap();
        std::fs::write(data.join("acct 1/tmp.bin"), "t").unwrap();
        std::fs::write(data.join("cache/x"), "x").unwrap();
        let keep = vec!["*.db".to_string()];
        let n = move_aside(&data, &keep, &d.path().join("backup"), "zoom.clear_cache").unwrap();
        assert_eq!(n, 2);
        assert!(data.join("acct 1/sub/chat.enc.db").exists());
        assert!(!data.join("acct 1/tmp.bin").exists() && !data.join("cache").exists());
        let r = restore(&d.path().join("backup"), std::slice::from_ref(&data)).unwrap();
        assert_eq!((r.moved, r.refused.len()), (2, 0));
        assert_eq!(
            std::fs::read_to_string(data.join("acct 1/tmp.bin")).unwrap(),
            "t"
        );
        assert_eq!(std::fs::read_to_string(data.join("cache/x")).unwrap(), "x");
    }

    #[test]
    fn tagged_nft_handles_are_found() {
        let listing = "table inet filter {\n\tchain output { # handle 2\n\t\ttype filter hook output priority filter; policy accept;\n\t\tudp dport { 3478, 8801-8810 } accept comment \"meeting-doctor-zoom\" # handle 7\n\t\tudp dport 8801 drop # handle 3\n\t\ttcp dport 443 accept comment \"meeting-doctor-zoom\" # handle 8\n\t}\n}\n";
        assert_eq!(
            nft_tagged_handles(listing, "meeting-doctor-zoom"),
            vec![7, 8]
        );
        assert!(nft_tagged_handles(listing, "other").is_empty());
    }
}
