//! `meeting-doctor`: the engine from a terminal, for technicians and scripts.
//! A thin shell: each subcommand makes one call into meeting-doctor-core.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use meeting_doctor_core::compare;
use meeting_doctor_core::render::Format;
use meeting_doctor_core::text;
use meeting_doctor_core::{self as core, CancellationToken, Plan, Profile, RunOptions};

mod fix;
mod render;

/// Exit codes (part of the contract).
const EXIT_HEALTHY: u8 = 0;
const EXIT_PROBLEMS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INTERNAL: u8 = 3;

#[derive(Parser, Debug)]
#[command(
    name = "meeting-doctor",
    version,
    about = "Find out why the Zoom app cannot connect (errors 104101–104118, 10002, 5003…).",
    long_about = "Find out why the Zoom app cannot connect (errors 104101–104118, 10002, 5003…).\n\n\
Checks, all at once and within a few seconds: internet access, Wi-Fi sign-in pages, \
name lookup (this computer's DNS against public resolvers), Zoom's TCP and UDP ports \
(UDP by real STUN exchanges), the TLS certificate chain (catching SSL inspection), the \
computer's clock, Zoom's status page, latency, jitter, loss and speed.\n\n\
A check passes only on positive evidence; what could not be tested says so (\"unknown\").",
    after_help = "Exit codes: 0 healthy, 1 problems found, 2 usage or input error, 3 internal error.\n\n\
Examples:\n  meeting-doctor check                      live checklist\n  meeting-doctor check -v                   with the technical detail under each line\n  meeting-doctor check --json > report.json for a ticket or a script\n  meeting-doctor check --only dns,tcp.443   just those checks\n  meeting-doctor check --profile lab.toml   another service or a test lab\n  meeting-doctor check --error-code 104103  what that error means here\n  meeting-doctor report --format md         a redacted report to paste into a ticket\n  meeting-doctor compare office.json hotspot.json   does it work on another network?\n  meeting-doctor fixes                      what can be fixed here, in order\n  meeting-doctor fix dns.flush --dry-run    what a fix would do\n  meeting-doctor fix dns.flush --script     as a script for an administrator shell\n  meeting-doctor undo --last                undo the latest fix"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the checks and show what is wrong.
    Check(CheckArgs),
    /// Print what this computer's own settings say: proxy, routes (VPN),
    /// DNS servers, firewall, Zoom install, network link. Each fact is
    /// "known" (with where it was read) or "unknown" (with why).
    Facts {
        /// Profile file (TOML): its first Zoom host is where routes are looked up to.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
        /// Print JSON (the default is a short text summary).
        #[arg(long)]
        json: bool,
    },
    /// Write a report to share: Markdown for a ticket, HTML for email, plain
    /// text or JSON. Names and addresses are removed unless --no-redact.
    /// Runs the checks, or renders a saved JSON report (--from).
    Report(ReportArgs),
    /// Compare two saved JSON reports (e.g. office Wi-Fi and a phone
    /// hotspot): what changed, and what that means.
    Compare {
        /// The first run (e.g. the network where Zoom fails).
        before: PathBuf,
        /// The second run (e.g. a phone hotspot).
        after: PathBuf,
        /// Print the comparison as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the fixes for what the checks find, in the order to try them
    /// (--all: every fix, and whether it can be done on this computer).
    Fixes {
        /// Profile file (TOML) replacing the built-in Zoom profile.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
        /// Use this saved JSON report instead of running the checks.
        #[arg(long, value_name = "REPORT.json")]
        from: Option<PathBuf>,
        /// Every fix in the catalog, not only those for what was found.
        #[arg(long, conflicts_with = "from")]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Apply one fix: shows what it will do, asks, runs it (asking for
    /// administrator rights if needed), then checks again.
    Fix {
        /// The fix id, from `meeting-doctor fixes` (e.g. dns.flush).
        id: String,
        /// Only show what it would do.
        #[arg(long)]
        dry_run: bool,
        /// Do not ask: the fix is confirmed (for scripts).
        #[arg(long, short = 'y')]
        yes: bool,
        /// Print it as a script for an administrator shell (PowerShell on
        /// Windows, sh elsewhere) instead of running it.
        #[arg(long, conflicts_with_all = ["dry_run", "yes"])]
        script: bool,
        /// Do not run the checks before and after.
        #[arg(long)]
        no_verify: bool,
        /// Profile file (TOML) replacing the built-in Zoom profile.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
    },
    /// Undo a fix from the journal: an entry id, a fix id (its latest
    /// entry), or --last.
    Undo {
        /// Entry id (from `meeting-doctor journal`) or fix id.
        target: Option<String>,
        /// The latest fix that can be undone.
        #[arg(long)]
        last: bool,
        /// Do not ask.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// The fixes applied on this computer, newest first, and how to undo them.
    Journal {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the profile in use (the built-in Zoom one unless --profile).
    Profile {
        /// Profile file (TOML) to show instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Profile file (TOML) replacing the built-in Zoom profile.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Print the report as JSON (schema meeting-doctor/report/v1) on stdout.
    #[arg(long)]
    json: bool,
    /// Only these checks: ids or families, comma-separated (e.g. dns,tcp.443,udp).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    only: Vec<String>,
    /// Overall time limit, replacing the profile's total_ms (e.g. 6s, 2500ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// Show the technical detail under each check.
    #[arg(short, long)]
    verbose: bool,
    /// Never draw the progress line (it is drawn only on a terminal anyway).
    #[arg(long)]
    no_progress: bool,
    /// The Zoom error code you see (e.g. 104103): the diagnosis says what it
    /// means and what causes it here.
    #[arg(long, value_name = "CODE")]
    error_code: Option<String>,
}

#[derive(Args, Debug)]
struct ReportArgs {
    /// md (Markdown, for tickets), html (for email; prints well), txt or json.
    #[arg(long, value_name = "FORMAT", default_value = "md", value_parser = parse_format)]
    format: Format,
    /// Keep user and computer names, IP addresses and home folders.
    #[arg(long)]
    no_redact: bool,
    /// Write to this file instead of the terminal.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Render this saved JSON report (from `check --json`) instead of running the checks.
    #[arg(long, value_name = "REPORT.json", conflicts_with_all = ["profile", "timeout"])]
    from: Option<PathBuf>,
    /// Profile file (TOML) replacing the built-in Zoom profile.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Overall time limit (e.g. 6s).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// The Zoom error code you see (e.g. 104103).
    #[arg(long, value_name = "CODE")]
    error_code: Option<String>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    match s.to_ascii_lowercase().as_str() {
        "md" | "markdown" => Ok(Format::Markdown),
        "html" | "htm" => Ok(Format::Html),
        "txt" | "text" => Ok(Format::Text),
        "json" => Ok(Format::Json),
        _ => Err(format!("expected md, html, txt or json, found {s:?}")),
    }
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else {
        (s, 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v * scale >= 0.05 && v * scale <= 600.0 => {
            Ok(Duration::from_secs_f64(v * scale))
        }
        _ => Err(format!(
            "expected a duration from 50ms to 600s, such as 6s or 2500ms, found {s:?}"
        )),
    }
}

fn load_profile(path: Option<&PathBuf>) -> core::Result<Profile> {
    match path {
        Some(p) => Profile::load(p),
        None => Ok(Profile::builtin()),
    }
}

fn main() -> ExitCode {
    // The elevated run of a fix (started through pkexec, osascript or
    // Start-Process -Verb RunAs by this program itself).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = core::fixes::fixer::child_main(&args) {
        return ExitCode::from(u8::try_from(code).unwrap_or(EXIT_INTERNAL));
    }
    let cli = Cli::parse();
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Facts { profile, json } => facts(profile.as_ref(), json),
        Command::Report(args) => report(args),
        Command::Compare {
            before,
            after,
            json,
        } => compare(&before, &after, json),
        Command::Fixes {
            profile,
            from,
            all,
            json,
        } => fix::list(profile.as_ref(), from.as_ref(), json, all),
        Command::Fix {
            id,
            dry_run,
            yes,
            script,
            no_verify,
            profile,
        } => fix::fix(fix::FixArgs {
            id: &id,
            profile: profile.as_ref(),
            dry_run,
            yes,
            script,
            no_verify,
        }),
        Command::Undo { target, last, yes } => fix::undo(target.as_deref(), last, yes),
        Command::Journal { json } => fix::journal(json),
        Command::Profile { profile } => match load_profile(profile.as_ref()) {
            Ok(p) => match toml::to_string_pretty(&p) {
                Ok(t) => {
                    let t = format!("# source: {}\n{t}", text::line(&p.source));
                    out_line(&text::block(&t));
                    EXIT_HEALTHY
                }
                Err(e) => fail(EXIT_INTERNAL, &e.to_string()),
            },
            Err(e) => fail(EXIT_USAGE, &e.to_string()),
        },
    };
    ExitCode::from(code)
}

fn facts(profile: Option<&PathBuf>, json: bool) -> u8 {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return fail(EXIT_USAGE, &e.to_string()),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(EXIT_INTERNAL, &format!("cannot start: {e}")),
    };
    let facts = runtime.block_on(core::facts::collect::this_computer(&profile));
    runtime.shutdown_background();
    let value = match serde_json::to_value(&facts) {
        Ok(v) => v,
        Err(e) => return fail(EXIT_INTERNAL, &e.to_string()),
    };
    let mut out = std::io::stdout().lock();
    let written = if json {
        print_json(&mut out, serde_json::to_string_pretty(&value))
    } else {
        render::facts(&mut out, &value)
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(EXIT_INTERNAL, &format!("cannot write: {e}"))
        }
        _ => EXIT_HEALTHY,
    }
}

/// Prints an error on stderr. Messages can quote what came from outside
/// (a file's contents, a server's answer): made terminal-safe here, for
/// every command.
fn fail(code: u8, message: &str) -> u8 {
    let _ = writeln!(
        std::io::stderr().lock(),
        "meeting-doctor: {}",
        text::block(message)
    );
    code
}

/// One line on stdout. `println!` panics when the reader has gone
/// (`meeting-doctor profile | head -1`; on Windows the pipe error is
/// ERROR_NO_DATA): a closed stdout ends the output quietly instead.
pub(crate) fn out_line(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// JSON on stdout, for scripts and tickets: the same data, with the
/// characters serde_json leaves as they are but a terminal could act on
/// (C1 and bidirectional controls) written as `\uXXXX` escapes.
pub(crate) fn print_json(
    out: &mut impl Write,
    pretty: serde_json::Result<String>,
) -> std::io::Result<()> {
    let t = pretty.map_err(std::io::Error::other)?;
    writeln!(out, "{}", text::json(&t))
}

/// What a run needs from the command line.
struct RunArgs<'a> {
    profile: Option<&'a PathBuf>,
    only: &'a [String],
    timeout: Option<Duration>,
    error_code: Option<&'a str>,
    /// Draw the live checklist on stdout.
    live: bool,
    verbose: bool,
    progress: bool,
}

/// Runs the checks; Err is the exit code after the message was printed.
fn run(args: RunArgs) -> Result<core::Report, u8> {
    let profile = load_profile(args.profile).map_err(|e| fail(EXIT_USAGE, &e.to_string()))?;
    let plan = Plan::for_profile(&profile);
    let plan = if args.only.is_empty() {
        plan
    } else {
        plan.only(args.only)
            .map_err(|e| fail(EXIT_USAGE, &e.to_string()))?
    };
    let error_code = args.error_code.map(error_code).transpose()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| fail(EXIT_INTERNAL, &format!("cannot start: {e}")))?;
    let result = runtime.block_on(async {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        let view = render::Live::new(&plan, &profile, args.live, args.verbose, args.progress);
        let ctrl_c = {
            let cancel = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    cancel.cancel();
                }
            })
        };
        // The checklist is drawn here, beside the run rather than in a
        // task of its own: the check may keep the runtime's workers busy
        // (a stuck socket), and the list must still end with the run.
        let (report, ()) = tokio::join!(
            core::check(
                &profile,
                &plan,
                RunOptions {
                    deadline: args.timeout,
                    ..Default::default()
                },
                Some(tx),
                cancel,
            ),
            view.consume(rx)
        );
        ctrl_c.abort();
        report
    });
    // getaddrinfo may still be blocked in a thread on a silent network: do
    // not wait for it, the report is complete.
    runtime.shutdown_background();
    let mut report = result.map_err(|e| fail(EXIT_USAGE, &e.to_string()))?;
    report.error_code = error_code;
    Ok(report.diagnosed())
}

/// `--error-code`, checked; Err is the exit code after the message.
fn error_code(c: &str) -> Result<String, u8> {
    core::diagnosis::clean_code(c).ok_or_else(|| {
        fail(
            EXIT_USAGE,
            &format!("--error-code: expected the number Zoom shows, such as 104103, found {c:?}"),
        )
    })
}

fn health(report: &core::Report) -> u8 {
    if report.healthy() {
        EXIT_HEALTHY
    } else {
        EXIT_PROBLEMS
    }
}

fn check(args: CheckArgs) -> u8 {
    let report = match run(RunArgs {
        profile: args.profile.as_ref(),
        only: &args.only,
        timeout: args.timeout,
        error_code: args.error_code.as_deref(),
        live: !args.json,
        verbose: args.verbose,
        progress: !args.no_progress,
    }) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        // The full report, less its secrets (proxy passwords, tokens in
        // URLs): a saved report is shared, and no check needs them back.
        let report = meeting_doctor_core::render::without_secrets(&report);
        print_json(&mut out, serde_json::to_string_pretty(&report))
    } else {
        render::summary(&mut out, &report, std::io::stdout().is_terminal())
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return fail(EXIT_INTERNAL, &format!("cannot write the report: {e}"));
        }
    }
    health(&report)
}

fn read_saved(path: &PathBuf) -> Result<core::Report, u8> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| fail(EXIT_USAGE, &format!("{name}: {e}")))?;
    compare::read_report(&text, &name).map_err(|e| fail(EXIT_USAGE, &e))
}

fn report(args: ReportArgs) -> u8 {
    let report = match &args.from {
        Some(path) => {
            let code = match args.error_code.as_deref().map(error_code).transpose() {
                Ok(c) => c,
                Err(exit) => return exit,
            };
            match read_saved(path) {
                Ok(mut r) => {
                    r.error_code = code.or(r.error_code);
                    r.diagnosed()
                }
                Err(exit) => return exit,
            }
        }
        None => match run(RunArgs {
            profile: args.profile.as_ref(),
            only: &[],
            timeout: args.timeout,
            error_code: args.error_code.as_deref(),
            live: false,
            verbose: false,
            progress: std::io::stderr().is_terminal(),
        }) {
            Ok(r) => r,
            Err(code) => return code,
        },
    };
    let rendered = core::render::render(&report, args.format, !args.no_redact);
    let written = match &args.out {
        // A file gets the report exactly as rendered (HTML escapes its
        // text; Markdown and plain text keep it as it came).
        Some(path) => std::fs::write(path, &rendered).map_err(|e| (path.display().to_string(), e)),
        // The terminal (or a pipe to one) gets it terminal-safe.
        None => {
            let shown = match args.format {
                Format::Json => text::json(&rendered),
                _ => text::block(&rendered),
            };
            let mut out = std::io::stdout().lock();
            out.write_all(shown.as_bytes())
                .and_then(|_| {
                    if shown.ends_with('\n') {
                        Ok(())
                    } else {
                        writeln!(out)
                    }
                })
                .map_err(|e| ("the terminal".to_string(), e))
        }
    };
    match written {
        Err((_, e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err((to, e)) => {
            return fail(
                EXIT_INTERNAL,
                &format!("cannot write the report to {to}: {e}"),
            )
        }
        Ok(()) => {
            if let Some(path) = &args.out {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "Report written to {}",
                    text::line(&path.display().to_string())
                );
            }
        }
    }
    health(&report)
}

fn compare(before: &PathBuf, after: &PathBuf, json: bool) -> u8 {
    let (a, b) = match (read_saved(before), read_saved(after)) {
        (Ok(a), Ok(b)) => (a.diagnosed(), b.diagnosed()),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let c = compare::compare(&a, &b);
    let mut out = std::io::stdout().lock();
    let written = if json {
        print_json(&mut out, serde_json::to_string_pretty(&c))
    } else {
        render::comparison(&mut out, &c)
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return fail(EXIT_INTERNAL, &format!("cannot write: {e}"));
        }
    }
    EXIT_HEALTHY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("6s"), Ok(Duration::from_secs(6)));
        assert_eq!(parse_duration("2500ms"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        for bad in ["", "s", "-1s", "10ms", "1h", "NaNs", "1e9"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
