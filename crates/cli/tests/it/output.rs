//! Output to a reader that goes away (`meeting-doctor profile | head -1`):
//! the command ends quietly, with its normal exit code, and no panic
//! ("failed printing to stdout") on stderr. The Windows build is held to
//! the same in `windows.rs`.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_meeting-doctor")
}

/// Starts `args` with its stdout closed before it writes, and returns its
/// exit code and stderr.
fn with_closed_stdout(args: &[&str], home: &std::path::Path) -> (Option<i32>, String) {
    let mut child = Command::new(bin())
        .args(args)
        .env("HOME", home)
        .env("MEETING_DOCTOR_DATA", home.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{args:?} hangs");
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code(), err)
}

#[test]
fn a_closed_stdout_ends_each_command_quietly() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["profile"][..],
        &["journal"],
        &["journal", "--json"],
        &["fixes", "--all"],
        &["fix", "dns.flush", "--script"],
        &["--help"],
    ] {
        let (code, err) = with_closed_stdout(args, home.path());
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("failed printing"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{args:?}: {code:?} {err}"
        );
    }
}
