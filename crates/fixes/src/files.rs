//! Opening the journal's, backups' and markers' files without following a
//! symbolic link a non-administrator may have planted (the store and the
//! journal both use these; see SECURITY.md).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Opens `path` for appending (and reading), creating it with `mode`,
/// refusing a symbolic link at `path` rather than writing through it.
pub fn open_no_follow(path: &Path, create: bool, mode: u32) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).append(true).create(create);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW).mode(mode);
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // FILE_FLAG_OPEN_REPARSE_POINT: open a link itself, then refuse it.
        o.custom_flags(0x0020_0000);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let f = o.open(path).map_err(|e| {
        if e.raw_os_error() == Some(40) || e.raw_os_error() == Some(62) {
            // ELOOP (Linux 40, macOS 62): `path` is a symbolic link.
            io::Error::other("it is a symbolic link, which Meeting Doctor does not follow")
        } else {
            e
        }
    })?;
    if f.metadata()?.file_type().is_symlink() {
        return Err(io::Error::other(
            "it is a symbolic link, which Meeting Doctor does not follow",
        ));
    }
    Ok(f)
}

/// Creates a new file at `path` (never an existing one, never through a
/// link) and writes `bytes`, synced.
pub fn create_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    use std::io::Write;
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW).mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Reads a file, refusing a symbolic link at `path`.
pub fn read_no_follow(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other(format!(
            "{} is a symbolic link, which Meeting Doctor does not follow",
            path.display()
        )));
    }
    let mut out = Vec::new();
    o.open(path)?.read_to_end(&mut out)?;
    Ok(out)
}

/// Replaces a file's content (creating it), refusing a link at `path`.
pub fn write_no_follow(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut o = OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW).mode(0o600);
    }
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::other(format!(
            "{} is a symbolic link, which Meeting Doctor does not follow",
            path.display()
        )));
    }
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Syncs a folder, so a file just made in it survives a power cut.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
