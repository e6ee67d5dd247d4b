//! Elevation as a command spec: the fix runs again, by id, in this program
//! started with administrator rights (pkexec, osascript, Start-Process
//! -Verb RunAs). Only a fix id and a journal entry cross over, never a
//! command line. Declined, cancelled, not authorized and failed are told
//! apart.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::facts::command::{CommandSpec, Output};
use crate::system::Os;

/// The first argument of the elevated run of this program.
pub const CHILD_FLAG: &str = "--meeting-doctor-elevated";

/// Exit codes of the elevated run.
pub const CHILD_OK: i32 = 0;
pub const CHILD_FIX_FAILED: i32 = 10;
pub const CHILD_BAD_REQUEST: i32 = 11;
pub const CHILD_ERROR: i32 = 12;

/// What the elevated run is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Apply { fix: String, entry: String },
    Undo { entry: String },
}

/// The elevated run's arguments: `CHILD_FLAG apply FIX ENTRY JOURNAL` or
/// `CHILD_FLAG undo ENTRY JOURNAL`.
pub fn child_args(req: &Request, journal: &std::path::Path) -> Vec<String> {
    let j = journal.to_string_lossy().into_owned();
    match req {
        Request::Apply { fix, entry } => vec![
            CHILD_FLAG.into(),
            "apply".into(),
            fix.clone(),
            entry.clone(),
            j,
        ],
        Request::Undo { entry } => vec![CHILD_FLAG.into(), "undo".into(), entry.clone(), j],
    }
}

/// Reads the elevated run's arguments (after the program name). None when
/// this is not an elevated run; an error for a malformed one.
pub fn parse_child_args(args: &[String]) -> Option<Result<(Request, PathBuf), String>> {
    if args.first().map(String::as_str) != Some(CHILD_FLAG) {
        return None;
    }
    let id_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    Some(match &args[1..] {
        [op, fix, entry, journal] | [op, fix, entry, journal, _]
            if op == "apply" && id_ok(fix) && id_ok(entry) =>
        {
            Ok((
                Request::Apply {
                    fix: fix.clone(),
                    entry: entry.clone(),
                },
                PathBuf::from(journal),
            ))
        }
        [op, entry, journal] if op == "undo" && id_ok(entry) => Ok((
            Request::Undo {
                entry: entry.clone(),
            },
            PathBuf::from(journal),
        )),
        _ => Err(format!("malformed elevated request: {:?}", &args[1..])),
    })
}

/// Windows command-line quoting of one argument (CommandLineToArgvW rules).
pub fn windows_quote(arg: &str) -> String {
    if !arg.is_empty() && !arg.contains([' ', '\t', '"']) {
        return arg.to_string();
    }
    let mut out = String::from("\"");
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(backslashes * 2 + 1));
                out.push('"');
                backslashes = 0;
            }
            _ => {
                out.push_str(&"\\".repeat(backslashes));
                out.push(c);
                backslashes = 0;
            }
        }
    }
    out.push_str(&"\\".repeat(backslashes * 2));
    out.push('"');
    out
}

/// Windows: the exit code the wrapper script uses when the person said no
/// at the UAC prompt (ERROR_CANCELLED).
pub const WIN_DECLINED: i32 = 1223;

/// The command that runs `exe args…` with administrator rights on `os`.
/// Data goes as argv (pkexec, osascript's `argv`) or environment
/// (PowerShell), never into a script's text.
pub fn command(os: Os, exe: &str, args: &[String]) -> CommandSpec {
    match os {
        Os::Linux => {
            let mut a: Vec<&str> = vec![exe];
            a.extend(args.iter().map(String::as_str));
            CommandSpec::new("pkexec", &a)
        }
        Os::Macos => {
            let mut a: Vec<&str> = vec![
                "-e",
                "on run argv",
                "-e",
                "set cmd to \"\"",
                "-e",
                "repeat with a in argv",
                "-e",
                "set cmd to cmd & quoted form of (a as text) & \" \"",
                "-e",
                "end repeat",
                "-e",
                "do shell script cmd with administrator privileges",
                "-e",
                "end run",
                exe,
            ];
            a.extend(args.iter().map(String::as_str));
            CommandSpec::new("osascript", &a)
        }
        Os::Windows => {
            let joined = args
                .iter()
                .map(|a| windows_quote(a))
                .collect::<Vec<_>>()
                .join(" ");
            let mut c = CommandSpec::powershell(
                "try { $p = Start-Process -FilePath $env:MD_EXE -ArgumentList $env:MD_ARGS -Verb RunAs -Wait -PassThru -WindowStyle Hidden; exit $p.ExitCode } \
catch { if ($_.Exception.NativeErrorCode -eq 1223 -or $_.Exception.InnerException.NativeErrorCode -eq 1223) { exit 1223 }; Write-Error $_; exit 1 }",
            );
            c.env.push(("MD_EXE".into(), exe.into()));
            c.env.push(("MD_ARGS".into(), joined));
            c
        }
    }
}

/// How asking for administrator rights went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Elevation {
    /// The elevated run happened and exited with this code.
    Ran { code: i32 },
    /// The person said no (dismissed or cancelled the prompt).
    Declined,
    /// The account may not do this (not an administrator, policy).
    NotAuthorized { message: String },
    /// The prompt could not be shown or the helper could not start.
    Failed { message: String },
}

/// Reads the elevation command's result on `os`.
pub fn outcome(os: Os, out: &Output) -> Elevation {
    let err = out.stderr.trim().to_string();
    let code = out.code;
    match os {
        // pkexec(1): 126 when the dialog was dismissed, 127 when not
        // authorized or on error; otherwise the program's own code.
        Os::Linux => match code {
            Some(126) => Elevation::Declined,
            Some(127) => Elevation::NotAuthorized {
                message: if err.is_empty() {
                    "pkexec: not authorized".into()
                } else {
                    err
                },
            },
            Some(c) => Elevation::Ran { code: c },
            None => Elevation::Failed {
                message: "pkexec was stopped by a signal".into(),
            },
        },
        // osascript: "User canceled. (-128)"; errAuthorizationDenied -60005,
        // errAuthorizationCanceled -60006.
        Os::Macos => match code {
            Some(0) => Elevation::Ran { code: 0 },
            _ if err.contains("(-128)") || err.contains("-60006") => Elevation::Declined,
            _ if err.contains("-60005") || err.contains("-60007") => {
                Elevation::NotAuthorized { message: err }
            }
            _ => match err
                .rsplit_once("(")
                .and_then(|(_, c)| c.trim_end_matches(')').parse::<i32>().ok())
            {
                // "do shell script" returns the program's failure as "… (N)".
                Some(c) if c > 0 => Elevation::Ran { code: c },
                _ => Elevation::Failed {
                    message: if err.is_empty() {
                        "osascript failed".into()
                    } else {
                        err
                    },
                },
            },
        },
        Os::Windows => match code {
            Some(WIN_DECLINED) => Elevation::Declined,
            Some(1) if !err.is_empty() => {
                if err.to_ascii_lowercase().contains("access is denied") {
                    Elevation::NotAuthorized { message: err }
                } else {
                    Elevation::Failed { message: err }
                }
            }
            Some(c) => Elevation::Ran { code: c },
            None => Elevation::Failed {
                message: "PowerShell was stopped".into(),
            },
        },
    }
}

/// This program already runs with administrator rights (root on Unix).
/// On Windows it is not asked: the prompt is always used.
pub fn is_elevated() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false)
    }
    #[cfg(not(target_os = "linux"))]
    {
        std::env::var("USER").map(|u| u == "root").unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(code: Option<i32>, stderr: &str) -> Output {
        Output {
            code,
            stdout: String::new(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn elevation_commands_carry_data_as_argv_or_environment() {
        let args = child_args(
            &Request::Apply {
                fix: "dns.flush".into(),
                entry: "e1".into(),
            },
            std::path::Path::new("/home/zoë/My Data/journal.jsonl"),
        );
        let l = command(Os::Linux, "/usr/bin/meeting-doctor", &args);
        assert_eq!(l.program, "pkexec");
        assert_eq!(
            l.args,
            [
                "/usr/bin/meeting-doctor",
                CHILD_FLAG,
                "apply",
                "dns.flush",
                "e1",
                "/home/zoë/My Data/journal.jsonl"
            ]
        );
        let m = command(
            Os::Macos,
            "/Applications/Meeting Doctor.app/Contents/MacOS/meeting-doctor",
            &args,
        );
        assert_eq!(m.program, "osascript");
        assert!(
            m.args.ends_with(&args),
            "the data follow the script as argv"
        );
        assert!(m.args.iter().any(|a| a.contains("quoted form of")));
        assert!(!m.args[..m.args.len() - args.len()]
            .iter()
            .any(|a| a.contains("zoë")));
        let w = command(
            Os::Windows,
            r"C:\Program Files\Meeting Doctor\meeting-doctor.exe",
            &child_args(
                &Request::Undo { entry: "e2".into() },
                std::path::Path::new(
                    r"C:\Users\Zoë Ångström\AppData\Local\Meeting Doctor\journal.jsonl",
                ),
            ),
        );
        let script = w.args.last().unwrap();
        assert!(script.contains("-Verb RunAs") && !script.contains("Zoë"));
        assert_eq!(
            w.env.iter().find(|(k, _)| k == "MD_ARGS").unwrap().1,
            r#"--meeting-doctor-elevated undo e2 "C:\Users\Zoë Ångström\AppData\Local\Meeting Doctor\journal.jsonl""#
        );
    }

    #[test]
    fn windows_quoting_follows_commandlinetoargvw() {
        assert_eq!(windows_quote("plain"), "plain");
        assert_eq!(windows_quote("a b"), "\"a b\"");
        assert_eq!(windows_quote(r"C:\dir\ "), r#""C:\dir\ ""#);
        assert_eq!(windows_quote(r"C:\dir\"), r"C:\dir\");
        assert_eq!(windows_quote(r"a b\"), r#""a b\\""#);
        assert_eq!(windows_quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(windows_quote(""), "\"\"");
    }

    #[test]
    fn outcomes_are_told_apart_per_os() {
        assert_eq!(
            outcome(Os::Linux, &out(Some(0), "")),
            Elevation::Ran { code: 0 }
        );
        assert_eq!(outcome(Os::Linux, &out(Some(126), "")), Elevation::Declined);
        assert!(matches!(
            outcome(Os::Linux, &out(Some(127), "Error executing command as another user: Not authorized")),
            Elevation::NotAuthorized { message } if message.contains("Not authorized")
        ));
        assert_eq!(
            outcome(Os::Linux, &out(Some(10), "")),
            Elevation::Ran { code: 10 }
        );
        assert_eq!(
            outcome(
                Os::Macos,
                &out(Some(1), "0:182: execution error: User canceled. (-128)")
            ),
            Elevation::Declined
        );
        assert!(matches!(
            outcome(Os::Macos, &out(Some(1), "execution error: The administrator user name or password was incorrect. (-60005)")),
            Elevation::NotAuthorized { .. }
        ));
        assert_eq!(
            outcome(
                Os::Macos,
                &out(Some(1), "0:254: execution error: fix failed (10)")
            ),
            Elevation::Ran { code: 10 }
        );
        assert!(matches!(
            outcome(Os::Macos, &out(Some(1), "osascript: garbage")),
            Elevation::Failed { .. }
        ));
        assert_eq!(
            outcome(Os::Windows, &out(Some(1223), "")),
            Elevation::Declined
        );
        assert_eq!(
            outcome(Os::Windows, &out(Some(0), "")),
            Elevation::Ran { code: 0 }
        );
        assert!(matches!(
            outcome(Os::Windows, &out(Some(1), "Start-Process : This command cannot be run due to the error: Access is denied.")),
            Elevation::NotAuthorized { .. }
        ));
    }

    #[test]
    fn child_requests_are_parsed_strictly() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(parse_child_args(&a(&["check"])).is_none());
        let (r, j) = parse_child_args(&a(&[CHILD_FLAG, "apply", "dns.flush", "e-1", "/tmp/j"]))
            .unwrap()
            .unwrap();
        assert_eq!(
            (r, j),
            (
                Request::Apply {
                    fix: "dns.flush".into(),
                    entry: "e-1".into()
                },
                PathBuf::from("/tmp/j")
            )
        );
        assert!(
            parse_child_args(&a(&[CHILD_FLAG, "apply", "x; rm -rf /", "e", "/tmp/j"]))
                .unwrap()
                .is_err()
        );
        assert!(parse_child_args(&a(&[CHILD_FLAG, "run", "ls"]))
            .unwrap()
            .is_err());
    }
}
