//! Running OS tools: a command is data (program + argv + environment), run
//! by an [`Executor`]. The system executor is the one place that knows how
//! processes start on each OS; tests replay recorded outputs instead.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::Serialize;

use super::child_env;

/// A command to run: never a shell string, always argv.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct CommandSpec {
    pub program: String,
    pub args: Vec<String>,
    /// Extra environment (e.g. `LC_ALL=C` so output is not translated).
    pub env: Vec<(String, String)>,
}

impl CommandSpec {
    pub fn new(program: &str, args: &[&str]) -> CommandSpec {
        CommandSpec {
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
        }
    }

    /// With `LC_ALL=C` and `LANG=C`: untranslated output on Unix systems.
    pub fn c_locale(mut self) -> CommandSpec {
        self.env.push(("LC_ALL".into(), "C".into()));
        self.env.push(("LANG".into(), "C".into()));
        self
    }

    /// A PowerShell script (Windows PowerShell 5.1, present on every Windows):
    /// no profile, no prompt, UTF-8 output.
    pub fn powershell(script: &str) -> CommandSpec {
        let script = format!("[Console]::OutputEncoding = [Text.Encoding]::UTF8; {script}");
        CommandSpec::new(
            "powershell.exe",
            &[
                "-NoProfile",
                "-NonInteractive",
                "-ExecutionPolicy",
                "Bypass",
                "-Command",
                &script,
            ],
        )
    }

    /// How it would be typed, for evidence and logs (quoted where needed).
    pub fn display(&self) -> String {
        std::iter::once(self.program.as_str())
            .chain(self.args.iter().map(String::as_str))
            .map(word)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// [`CommandSpec::display`] with the variables it is given in front
    /// (`MD_RULE="Block Zoom" powershell.exe …`): what a person approves
    /// must show every value that reaches the program, and on Windows the
    /// data go through variables. The C locale is left out (it only makes
    /// the output untranslated).
    pub fn display_with_env(&self) -> String {
        let vars: Vec<String> = self
            .env
            .iter()
            .filter(|(k, v)| !(matches!(k.as_str(), "LC_ALL" | "LANG") && v == "C"))
            .map(|(k, v)| format!("{k}={}", word(v)))
            .collect();
        if vars.is_empty() {
            self.display()
        } else {
            format!("{} {}", vars.join(" "), self.display())
        }
    }
}

/// One word as it would be typed: quoted when empty or holding space or
/// `"` (a Windows path keeps its single backslashes); control characters
/// are spelled out.
fn word(a: &str) -> String {
    if a.contains(char::is_control) {
        format!("{a:?}")
    } else if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '"') {
        format!("\"{}\"", a.replace('"', "\\\""))
    } else {
        a.to_string()
    }
}

/// What a command printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Exit code (None when killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    #[error("{0} is not installed")]
    NotFound(String),
    #[error("{0} needs administrator rights")]
    PermissionDenied(String),
    #[error("{0} did not finish within {1} ms")]
    Timeout(String, u64),
    #[error("{0} could not run: {1}")]
    Failed(String, String),
    /// The command asked for something a child may never get (an
    /// environment variable that loads code, say): not started.
    #[error("{0} was not started: {1}")]
    Refused(String, String),
}

pub type ExecFuture<'a> = Pin<Box<dyn Future<Output = Result<Output, ExecError>> + Send + 'a>>;

/// Runs command specs. `System` runs them for real; `Replay` answers from
/// recorded outputs (the only kind of stand-in the tests use, for tools that
/// cannot run here).
pub trait Executor: Send + Sync + std::fmt::Debug {
    fn run<'a>(&'a self, spec: &'a CommandSpec, timeout: Duration) -> ExecFuture<'a>;
}

/// Runs commands on this computer.
#[derive(Debug, Default, Clone, Copy)]
pub struct System;

impl Executor for System {
    fn run<'a>(&'a self, spec: &'a CommandSpec, timeout: Duration) -> ExecFuture<'a> {
        Box::pin(async move {
            let mut cmd = tokio::process::Command::new(&spec.program);
            cmd.args(&spec.args)
                .kill_on_drop(true)
                .stdin(std::process::Stdio::null());
            if let Err(why) = child_env::apply(&mut cmd, &spec.env) {
                return Err(ExecError::Refused(spec.program.clone(), why));
            }
            #[cfg(windows)]
            {
                // CREATE_NO_WINDOW: no console window flashes up for each tool.
                cmd.creation_flags(0x0800_0000);
            }
            let name = spec.program.clone();
            let out = match tokio::time::timeout(timeout, cmd.output()).await {
                Err(_) => return Err(ExecError::Timeout(name, timeout.as_millis() as u64)),
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(ExecError::NotFound(name))
                }
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                    return Err(ExecError::PermissionDenied(name))
                }
                Ok(Err(e)) => return Err(ExecError::Failed(name, e.to_string())),
                Ok(Ok(o)) => o,
            };
            Ok(Output {
                code: out.status.code(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            })
        })
    }
}

/// Answers from recorded outputs, keyed by the command as displayed. A
/// command with no recording is "not installed".
#[derive(Debug, Default, Clone)]
pub struct Replay {
    outputs: HashMap<String, Result<Output, ExecError>>,
}

impl Replay {
    pub fn new() -> Replay {
        Replay::default()
    }

    /// Records that `spec` prints `stdout` and exits 0.
    pub fn ok(mut self, spec: &CommandSpec, stdout: &str) -> Replay {
        self.outputs.insert(
            spec.display(),
            Ok(Output {
                code: Some(0),
                stdout: stdout.to_string(),
                stderr: String::new(),
            }),
        );
        self
    }

    /// Records any outcome for `spec`.
    pub fn with(mut self, spec: &CommandSpec, outcome: Result<Output, ExecError>) -> Replay {
        self.outputs.insert(spec.display(), outcome);
        self
    }
}

impl Executor for Replay {
    fn run<'a>(&'a self, spec: &'a CommandSpec, _timeout: Duration) -> ExecFuture<'a> {
        let outcome = self
            .outputs
            .get(&spec.display())
            .cloned()
            .unwrap_or_else(|| Err(ExecError::NotFound(spec.program.clone())));
        Box::pin(async move { outcome })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_what_needs_quoting() {
        let s = CommandSpec::new("netsh", &["wlan", "show", "interfaces"]);
        assert_eq!(s.display(), "netsh wlan show interfaces");
        let s = CommandSpec::new("scutil", &["--proxy", "a b", ""]);
        assert_eq!(s.display(), "scutil --proxy \"a b\" \"\"");
        assert_eq!(
            CommandSpec::new("ip", &["-j", "route"])
                .c_locale()
                .env
                .len(),
            2
        );
    }

    // Runs `sh`; the Windows twin runs cmd.exe.
    #[cfg(unix)]
    #[tokio::test]
    async fn the_system_executor_runs_argv_and_tells_failures_apart() {
        let out = System
            .run(
                &CommandSpec::new("sh", &["-c", "printf '%s' \"$0\"", "a;b $(x)"]),
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        // The argument arrives as one literal string: no shell ever parses data.
        assert_eq!(out.stdout, "a;b $(x)");
        assert!(out.success());
        let missing = System
            .run(
                &CommandSpec::new("md-no-such-tool", &[]),
                Duration::from_secs(5),
            )
            .await;
        assert!(
            matches!(missing, Err(ExecError::NotFound(_))),
            "{missing:?}"
        );
        let slow = System
            .run(
                &CommandSpec::new("sleep", &["5"]),
                Duration::from_millis(200),
            )
            .await;
        assert!(matches!(slow, Err(ExecError::Timeout(_, 200))), "{slow:?}");
        let failed = System
            .run(
                &CommandSpec::new("sh", &["-c", "echo nope >&2; exit 3"]),
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        assert_eq!((failed.code, failed.stderr.trim()), (Some(3), "nope"));
    }

    // Runs `sh`; the Windows twin runs cmd.exe.
    #[cfg(unix)]
    #[tokio::test]
    async fn children_start_with_a_clean_environment() {
        // cargo sets CARGO_MANIFEST_DIR for this test process: a child
        // must not inherit it, nor anything else not on the short list.
        assert!(std::env::var_os("CARGO_MANIFEST_DIR").is_some());
        let out = System
            .run(
                &CommandSpec {
                    program: "sh".into(),
                    args: vec!["-c".into(), "env".into()],
                    env: vec![("MD_STEP".into(), "x".into())],
                },
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        let vars: Vec<&str> = out
            .stdout
            .lines()
            .filter_map(|l| l.split('=').next())
            .collect();
        assert!(
            vars.contains(&"MD_STEP"),
            "the step's own variable: {vars:?}"
        );
        assert!(!vars.contains(&"CARGO_MANIFEST_DIR"), "{vars:?}");
        assert!(
            out.stdout
                .lines()
                .any(|l| l == "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            "{}",
            out.stdout
        );
        for bad in ["LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV"] {
            let r = System
                .run(
                    &CommandSpec {
                        program: "true".into(),
                        args: vec![],
                        env: vec![(bad.into(), "/tmp/x.so".into())],
                    },
                    Duration::from_secs(5),
                )
                .await;
            assert!(matches!(r, Err(ExecError::Refused(..))), "{bad}: {r:?}");
        }
    }

    /// Windows: the child gets PATH and SystemRoot from the Windows folder
    /// the system reports (GetSystemWindowsDirectoryW), its own variables,
    /// and nothing else of this process's (run under Wine in CI).
    #[cfg(windows)]
    #[tokio::test]
    async fn children_start_with_a_clean_environment_on_windows() {
        assert!(std::env::var_os("CARGO_MANIFEST_DIR").is_some());
        let out = System
            .run(
                &CommandSpec {
                    program: "cmd.exe".into(),
                    args: vec!["/c".into(), "set".into()],
                    env: vec![("MD_STEP".into(), "x".into())],
                },
                Duration::from_secs(20),
            )
            .await
            .unwrap();
        let vars: Vec<String> = out
            .stdout
            .lines()
            .filter_map(|l| l.split('=').next())
            .map(str::to_ascii_uppercase)
            .collect();
        assert!(vars.iter().any(|v| v == "MD_STEP"), "{vars:?}");
        assert!(!vars.iter().any(|v| v == "CARGO_MANIFEST_DIR"), "{vars:?}");
        let windir = crate::child_env::windows_dir();
        assert!(
            out.stdout
                .lines()
                .any(|l| l.eq_ignore_ascii_case(&format!("SystemRoot={windir}"))),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.lines().any(|l| l
                .to_ascii_lowercase()
                .starts_with(&format!("path={}\\system32;", windir.to_ascii_lowercase()))),
            "{}",
            out.stdout
        );
        let r = System
            .run(
                &CommandSpec {
                    program: "cmd.exe".into(),
                    args: vec!["/c".into(), "exit".into()],
                    env: vec![("PSModulePath".into(), r"C:\evil".into())],
                },
                Duration::from_secs(20),
            )
            .await;
        assert!(matches!(r, Err(ExecError::Refused(..))), "{r:?}");
    }

    #[tokio::test]
    async fn replay_answers_recorded_commands_only() {
        let spec = CommandSpec::new("scutil", &["--proxy"]);
        let r = Replay::new().ok(&spec, "<dictionary> {\n}\n");
        assert_eq!(
            r.run(&spec, Duration::ZERO).await.unwrap().stdout,
            "<dictionary> {\n}\n"
        );
        assert!(matches!(
            r.run(&CommandSpec::new("scutil", &["--dns"]), Duration::ZERO)
                .await,
            Err(ExecError::NotFound(_))
        ));
    }
}
