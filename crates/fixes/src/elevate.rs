//! Elevation as a command spec: the fix runs again, by id, in this program
//! started with administrator rights (pkexec, osascript, Start-Process
//! -Verb RunAs). Only a fix id, a journal entry, the approved plan's
//! digest and plain typed values cross over: never a command line, a
//! path to read, or a profile. Declined, cancelled, not authorized and
//! failed are told apart.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use md_facts::command::{CommandSpec, Output};
use md_model::system::Os;

/// The first argument of the elevated run of this program.
pub const CHILD_FLAG: &str = "--meeting-doctor-elevated";

/// Exit codes of the elevated run.
pub const CHILD_OK: i32 = 0;
pub const CHILD_FIX_FAILED: i32 = 10;
pub const CHILD_BAD_REQUEST: i32 = 11;
pub const CHILD_ERROR: i32 = 12;
/// The approval came after the asking program gave up (it timed out or
/// was cancelled): nothing was done.
pub const CHILD_EXPIRED: i32 = 13;
/// The plan built with rights differs from the one approved: nothing done.
pub const CHILD_CHANGED: i32 = 14;
/// Another change with administrator rights is running.
pub const CHILD_BUSY: i32 = 15;

/// What the plan of an elevated run is built from besides what the
/// elevated run reads of this computer itself: the profile's values, as
/// plain typed data. No profile file crosses over (a person's file could
/// change after the yes); these values are covered by the digest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanInputs {
    /// The Zoom server whose route decides the interface ("host", port).
    pub zoom_host: Option<(String, u16)>,
    pub tcp_ports: Vec<u16>,
    pub udp_ports: Vec<u16>,
    pub public_dns: Vec<std::net::IpAddr>,
}

impl PlanInputs {
    fn to_args(&self) -> Vec<String> {
        let dash = |s: String| if s.is_empty() { "-".to_string() } else { s };
        let list = |v: &[u16]| dash(v.iter().map(u16::to_string).collect::<Vec<_>>().join(","));
        vec![
            // "-": none (an empty argument can get lost between programs).
            self.zoom_host
                .as_ref()
                .map(|(h, p)| format!("{h}:{p}"))
                .unwrap_or_else(|| "-".into()),
            list(&self.tcp_ports),
            list(&self.udp_ports),
            dash(
                self.public_dns
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ]
    }

    fn parse(host: &str, tcp: &str, udp: &str, dns: &str) -> Result<PlanInputs, String> {
        let ports = |s: &str| -> Result<Vec<u16>, String> {
            s.split(',')
                .filter(|p| !p.is_empty() && *p != "-")
                .map(|p| p.parse::<u16>().map_err(|_| format!("{p:?} is not a port")))
                .collect()
        };
        let zoom_host = if host == "-" {
            None
        } else {
            let (h, p) = host
                .rsplit_once(':')
                .ok_or_else(|| format!("{host:?} is not host:port"))?;
            let name_ok = !h.is_empty()
                && h.len() <= 253
                && !h.starts_with('-')
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            if !name_ok {
                return Err(format!("{h:?} is not a host name"));
            }
            Some((
                h.to_string(),
                p.parse().map_err(|_| format!("{p:?} is not a port"))?,
            ))
        };
        Ok(PlanInputs {
            zoom_host,
            tcp_ports: ports(tcp)?,
            udp_ports: ports(udp)?,
            public_dns: dns
                .split(',')
                .filter(|a| !a.is_empty() && *a != "-")
                .map(|a| a.parse().map_err(|_| format!("{a:?} is not an address")))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// What the elevated run is asked to do. Every field is checked data; the
/// elevated run builds what it runs itself. `deadline` (seconds since
/// 1970) is when the asking program stops waiting: an approval after it
/// does nothing. A file at `cancelled` means the asking program gave up:
/// it can only stop the elevated run, never make it do anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Apply {
        fix: String,
        entry: String,
        digest: String,
        deadline: u64,
        cancelled: PathBuf,
        inputs: PlanInputs,
    },
    Undo {
        entry: String,
        deadline: u64,
        cancelled: PathBuf,
    },
}

/// The elevated run's arguments: `CHILD_FLAG apply FIX ENTRY DIGEST
/// DEADLINE CANCELLED HOST TCP UDP DNS` or `CHILD_FLAG undo ENTRY DEADLINE
/// CANCELLED`.
pub fn child_args(req: &Request) -> Vec<String> {
    match req {
        Request::Apply {
            fix,
            entry,
            digest,
            deadline,
            cancelled,
            inputs,
        } => {
            let mut v = vec![
                CHILD_FLAG.into(),
                "apply".into(),
                fix.clone(),
                entry.clone(),
                digest.clone(),
                deadline.to_string(),
                cancelled.to_string_lossy().into_owned(),
            ];
            v.extend(inputs.to_args());
            v
        }
        Request::Undo {
            entry,
            deadline,
            cancelled,
        } => vec![
            CHILD_FLAG.into(),
            "undo".into(),
            entry.clone(),
            deadline.to_string(),
            cancelled.to_string_lossy().into_owned(),
        ],
    }
}

/// Reads the elevated run's arguments (after the program name). None when
/// this is not an elevated run; an error for a malformed one.
pub fn parse_child_args(args: &[String]) -> Option<Result<Request, String>> {
    if args.first().map(String::as_str) != Some(CHILD_FLAG) {
        return None;
    }
    let id_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 128
            && !s.starts_with(['-', '.'])
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    let path_ok = |s: &str| std::path::Path::new(s).is_absolute() && !s.contains('\0');
    Some(match &args[1..] {
        [op, fix, entry, digest, deadline, cancelled, host, tcp, udp, dns]
            if op == "apply"
                && id_ok(fix)
                && id_ok(entry)
                && super::is_digest(digest)
                && path_ok(cancelled) =>
        {
            match (
                deadline.parse::<u64>(),
                PlanInputs::parse(host, tcp, udp, dns),
            ) {
                (Ok(deadline), Ok(inputs)) => Ok(Request::Apply {
                    fix: fix.clone(),
                    entry: entry.clone(),
                    digest: digest.clone(),
                    deadline,
                    cancelled: PathBuf::from(cancelled),
                    inputs,
                }),
                (Err(_), _) => Err(format!("malformed deadline {deadline:?}")),
                (_, Err(e)) => Err(format!("malformed elevated request: {e}")),
            }
        }
        [op, entry, deadline, cancelled] if op == "undo" && id_ok(entry) && path_ok(cancelled) => {
            match deadline.parse::<u64>() {
                Ok(deadline) => Ok(Request::Undo {
                    entry: entry.clone(),
                    deadline,
                    cancelled: PathBuf::from(cancelled),
                }),
                Err(_) => Err(format!("malformed deadline {deadline:?}")),
            }
        }
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

/// Names another program to ask for administrator rights in place of
/// pkexec, osascript or PowerShell (a test's stand-in; an unusual
/// install). Read only by the program that asks, which has no rights to
/// give away: the elevated run never asks again.
pub const ELEVATOR_VAR: &str = "MEETING_DOCTOR_ELEVATOR";

/// The command that runs `exe args…` with administrator rights on `os`,
/// through `elevator` when one is named (see [`ELEVATOR_VAR`]).
pub fn command_via(os: Os, elevator: Option<&str>, exe: &str, args: &[String]) -> CommandSpec {
    let mut c = command(os, exe, args);
    if let Some(e) = elevator.filter(|e| !e.is_empty()) {
        c.program = e.to_string();
    }
    c
}

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

    /// An absolute path on the system the tests run on (a Unix path has no
    /// drive, so it is not absolute on Windows).
    const CANCELLED: &str = if cfg!(windows) {
        r"C:\Users\zoë\My Data\cancelled\e1"
    } else {
        "/home/zoë/My Data/cancelled/e1"
    };

    fn apply_request() -> Request {
        Request::Apply {
            fix: "dns.flush".into(),
            entry: "e1".into(),
            digest: "ab".repeat(32),
            deadline: 1_800_000_000,
            cancelled: PathBuf::from(CANCELLED),
            inputs: PlanInputs {
                zoom_host: Some(("zoom.us".into(), 443)),
                tcp_ports: vec![443, 8801],
                udp_ports: vec![3478],
                public_dns: vec!["1.1.1.1".parse().unwrap()],
            },
        }
    }

    #[test]
    fn elevation_commands_carry_data_as_argv_or_environment() {
        let args = child_args(&apply_request());
        let l = command(Os::Linux, "/usr/bin/meeting-doctor", &args);
        assert_eq!(l.program, "pkexec");
        let digest = "ab".repeat(32);
        assert_eq!(
            l.args,
            [
                "/usr/bin/meeting-doctor",
                CHILD_FLAG,
                "apply",
                "dns.flush",
                "e1",
                &digest,
                "1800000000",
                CANCELLED,
                "zoom.us:443",
                "443,8801",
                "3478",
                "1.1.1.1"
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
            &child_args(&Request::Undo {
                entry: "e2".into(),
                deadline: 7,
                cancelled: PathBuf::from(
                    r"C:\Users\Zoë Ångström\AppData\Local\Meeting Doctor\cancelled\e2",
                ),
            }),
        );
        let script = w.args.last().unwrap();
        assert!(script.contains("-Verb RunAs") && !script.contains("Zoë"));
        assert_eq!(
            w.env.iter().find(|(k, _)| k == "MD_ARGS").unwrap().1,
            r#"--meeting-doctor-elevated undo e2 7 "C:\Users\Zoë Ångström\AppData\Local\Meeting Doctor\cancelled\e2""#
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
        let req = apply_request();
        assert_eq!(parse_child_args(&child_args(&req)).unwrap().unwrap(), req);
        let undo = Request::Undo {
            entry: "e-1".into(),
            deadline: 5,
            cancelled: PathBuf::from(if cfg!(windows) { r"C:\t\c" } else { "/tmp/c" }),
        };
        assert_eq!(parse_child_args(&child_args(&undo)).unwrap().unwrap(), undo);
        let mut bad = child_args(&req);
        bad[2] = "x; rm -rf /".into();
        assert!(parse_child_args(&bad).unwrap().is_err());
        for (i, v) in [
            (4, "not-a-digest"),
            (5, "soon"),
            (6, "relative/path"),
            (7, "-oProxyCommand=x:1"),
            (8, "443,99999"),
            (10, "1.1.1.1,evil"),
        ] {
            let mut bad = child_args(&req);
            bad[i] = v.into();
            assert!(parse_child_args(&bad).unwrap().is_err(), "{i}: {v}");
        }
        // No journal path, profile path or extra argument is taken.
        let mut extra = child_args(&req);
        extra.push("/home/zoë/lab.toml".into());
        assert!(parse_child_args(&extra).unwrap().is_err());
        assert!(parse_child_args(&a(&[CHILD_FLAG, "run", "ls"]))
            .unwrap()
            .is_err());
    }
}
