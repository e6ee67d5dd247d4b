//! Where fixes keep their journal, backups and lock, and how those files
//! are opened.
//!
//! Two stores. The person's own data folder holds the fixes that need no
//! rights (Zoom's caches, a desktop proxy setting). A system folder that
//! only administrators can write holds the fixes that need rights: the
//! elevated run of this program reads and writes only there, checks that
//! nobody else can write it, never follows a symbolic link inside it, and
//! never writes into a person's folder. See SECURITY.md.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::journal::Journal;
pub use crate::files::{create_new, open_no_follow, read_no_follow, sync_dir, write_no_follow};
use md_model::system::Os;

/// Overrides the administrators' folder (tests). It is honoured only when
/// the folder passes the same ownership check as the default one.
pub const ADMIN_DIR_VAR: &str = "MEETING_DOCTOR_ADMIN_DATA";

/// The folder only administrators write: `/var/lib/meeting-doctor`,
/// `/Library/Application Support/Meeting Doctor`, or
/// `%ProgramData%\Meeting Doctor` (found from the Windows folder, not
/// from a variable).
pub fn admin_dir() -> PathBuf {
    if let Some(d) = std::env::var_os(ADMIN_DIR_VAR).filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    match Os::current() {
        Os::Linux => PathBuf::from("/var/lib/meeting-doctor"),
        Os::Macos => PathBuf::from("/Library/Application Support/Meeting Doctor"),
        Os::Windows => windows_program_data().join("Meeting Doctor"),
    }
}

#[cfg(windows)]
fn windows_program_data() -> PathBuf {
    let windir = md_facts::child_env::windows_dir();
    let drive: String = windir.chars().take(2).collect();
    PathBuf::from(format!(r"{drive}\ProgramData"))
}

#[cfg(not(windows))]
fn windows_program_data() -> PathBuf {
    PathBuf::from(r"C:\ProgramData")
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0} can be changed by accounts that are not administrators, so Meeting Doctor will not keep administrator changes there")]
    Untrusted(PathBuf),
    #[error("{0} is a symbolic link; Meeting Doctor does not follow links in its own folders")]
    Link(PathBuf),
    #[error("another change is being made by Meeting Doctor (in another window or a script); try again when it has finished")]
    Busy,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One store: a folder with `journal.jsonl`, `fix.lock` and `backups/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub dir: PathBuf,
    /// Administrators' store: its folders must be theirs alone.
    pub admin: bool,
}

impl Store {
    pub fn user(dir: impl Into<PathBuf>) -> Store {
        Store {
            dir: dir.into(),
            admin: false,
        }
    }

    pub fn admin(dir: impl Into<PathBuf>) -> Store {
        Store {
            dir: dir.into(),
            admin: true,
        }
    }

    pub fn journal(&self) -> Journal {
        Journal::in_dir(&self.dir)
    }

    pub fn lock_path(&self) -> PathBuf {
        self.dir.join("fix.lock")
    }

    /// The backup folder of one journal entry: always derived from the
    /// store and the entry id, never read from the journal.
    pub fn backup_of(&self, entry: &str) -> PathBuf {
        self.dir.join("backups").join(entry)
    }

    /// Makes the folder if needed (owner-only for a person's, readable by
    /// all for the administrators' so the history can be shown) and
    /// checks it: no link, and for the administrators' store nobody else
    /// can write it or any folder above it.
    pub fn ensure(&self) -> Result<(), StoreError> {
        make_dir_all(&self.dir, if self.admin { 0o755 } else { 0o700 })?;
        not_a_link(&self.dir)?;
        if self.admin {
            trusted(&self.dir)?;
        }
        Ok(())
    }

    /// Makes a new, empty backup folder for `entry`. It must not exist yet
    /// (an entry id is new), so nothing planted there beforehand is used.
    pub fn new_backup(&self, entry: &str) -> Result<PathBuf, StoreError> {
        self.ensure()?;
        let backups = self.dir.join("backups");
        match make_dir(&backups, 0o700) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_err(&backups)(e)),
        }
        not_a_link(&backups)?;
        let dir = backups.join(entry);
        make_dir(&dir, 0o700).map_err(io_err(&dir))?;
        Ok(dir)
    }

    /// Takes this store's lock: one fix (or undo) at a time, across
    /// processes. Waits up to `wait` for another to finish.
    pub fn lock(&self, wait: Duration) -> Result<FixLock, StoreError> {
        self.ensure()?;
        let path = self.lock_path();
        let file = open_no_follow(&path, true, if self.admin { 0o644 } else { 0o600 })
            .map_err(io_err(&path))?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(FixLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::Busy),
                Err(std::fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
            }
        }
    }

    /// True while some process holds this store's lock (a fix runs). Needs
    /// only read access, so a person's process can ask it of the
    /// administrators' store.
    pub fn busy(&self) -> bool {
        let Ok(file) = OpenOptions::new().read(true).open(self.lock_path()) else {
            return false;
        };
        match file.try_lock_shared() {
            Ok(()) => {
                let _ = file.unlock();
                false
            }
            Err(_) => true,
        }
    }
}

/// Held while a fix runs; released when dropped (or when the process
/// ends, however it ends).
#[derive(Debug)]
pub struct FixLock {
    _file: File,
}

fn make_dir_all(dir: &Path, mode: u32) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        if !parent.as_os_str().is_empty() && !parent.exists() {
            make_dir_all(parent, 0o755)?;
        }
    }
    match make_dir(dir, mode) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_err(dir)(e)),
    }
}

fn make_dir(dir: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().mode(mode).create(dir)?;
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        std::fs::DirBuilder::new().create(dir)?;
    }
    #[cfg(windows)]
    harden_windows(dir);
    Ok(())
}

/// Windows: the administrators' folder belongs to Administrators and only
/// Administrators and SYSTEM may change it (users may read). Set at every
/// creation: a folder a user made there first becomes the administrators'.
#[cfg(windows)]
fn harden_windows(dir: &Path) {
    let icacls = format!(
        r"{}\System32\icacls.exe",
        md_facts::child_env::windows_dir()
    );
    let d = dir.to_string_lossy().into_owned();
    for args in [
        vec![d.as_str(), "/setowner", "*S-1-5-32-544", "/T", "/C", "/Q"],
        vec![
            d.as_str(),
            "/inheritance:r",
            "/grant:r",
            "*S-1-5-32-544:(OI)(CI)F",
            "*S-1-5-18:(OI)(CI)F",
            "*S-1-5-32-545:(OI)(CI)RX",
            "/T",
            "/C",
            "/Q",
        ],
    ] {
        let _ = std::process::Command::new(&icacls).args(&args).output();
    }
}

fn not_a_link(p: &Path) -> Result<(), StoreError> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => Err(StoreError::Link(p.to_path_buf())),
        Ok(_) => Ok(()),
        Err(e) => Err(io_err(p)(e)),
    }
}

/// Unix: `dir` and every folder above it belong to root and nobody else
/// may write them (a shared folder like /tmp, root's and sticky, is
/// allowed above it: others cannot rename what is in it).
#[cfg(unix)]
pub fn trusted(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::MetadataExt;
    let real = std::fs::canonicalize(dir).map_err(io_err(dir))?;
    let mut first = true;
    for p in real.ancestors() {
        let m = std::fs::metadata(p).map_err(io_err(p))?;
        let others_write = m.mode() & 0o022 != 0;
        let sticky = m.mode() & 0o1000 != 0;
        if m.uid() != 0 || (others_write && (first || !sticky)) {
            return Err(StoreError::Untrusted(p.to_path_buf()));
        }
        first = false;
    }
    Ok(())
}

/// Windows: ownership and rights are set when the folder is made
/// ([`harden_windows`]); nothing more is checked here.
#[cfg(not(unix))]
pub fn trusted(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn links_are_refused_and_one_lock_holder_at_a_time() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("elsewhere");
        std::fs::write(&target, "keep").unwrap();
        let link = d.path().join("journal.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = open_no_follow(&link, true, 0o600).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");

        let s = Store::user(d.path().join("data"));
        let held = s.lock(Duration::ZERO).unwrap();
        assert!(s.busy());
        assert!(matches!(
            s.lock(Duration::from_millis(100)),
            Err(StoreError::Busy)
        ));
        drop(held);
        assert!(!s.busy());
        assert!(s.lock(Duration::ZERO).is_ok());

        // A backup folder is always new: one planted first is not used.
        let b = s.new_backup("e1").unwrap();
        assert!(b.is_dir());
        assert!(s.new_backup("e1").is_err());
        std::os::unix::fs::symlink(d.path(), s.dir.join("backups").join("e2")).unwrap();
        assert!(s.new_backup("e2").is_err());
    }

    #[test]
    fn an_administrators_folder_that_others_can_write_is_refused() {
        // Only meaningful as root (the folder must be root's to pass).
        if !crate::elevate::is_elevated() {
            return;
        }
        let d = tempfile::tempdir().unwrap();
        let ok = Store::admin(d.path().join("admin"));
        ok.ensure().unwrap();
        let open = d.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
        let below = Store::admin(open.join("admin"));
        assert!(matches!(below.ensure(), Err(StoreError::Untrusted(_))));
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(matches!(ok.ensure(), Err(StoreError::Untrusted(_))));
    }
}
