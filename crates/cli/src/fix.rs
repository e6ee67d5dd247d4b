//! `fixes`, `fix`, `undo` and `journal`: the repair side, for technicians.
//! Each shows what will happen, asks (or takes `--yes`), and makes one
//! call into meeting-doctor-core.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use meeting_doctor_core::fixes::apply::StepResult;
use meeting_doctor_core::fixes::fixer::{
    self, Approval, FixEvent, Fixer, Outcome, OutcomeStatus, Recheck,
};
use meeting_doctor_core::fixes::journal::{Entry, EntryState};
use meeting_doctor_core::fixes::{self, Preview, Risk};
use meeting_doctor_core::{text, CancellationToken, Profile};

use crate::{fail, load_profile, EXIT_HEALTHY, EXIT_INTERNAL, EXIT_PROBLEMS, EXIT_USAGE};

/// A writer that makes text from outside (step details from OS tools,
/// connection and service names, journal lines) safe for a terminal:
/// controls and escape sequences become visible escapes (see
/// `meeting_doctor_core::text`). Each `write` gets whole `str` pieces
/// from `write!`, so no character is split.
struct Clean<W: Write>(W);

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let s = String::from_utf8_lossy(buf);
        self.0.write_all(text::block(&s).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// `eprintln!` through [`Clean`].
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(Clean(std::io::stderr().lock()), $($arg)*);
    }};
}

fn runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| fail(EXIT_INTERNAL, &format!("cannot start: {e}")))
}

fn risk_words(r: Risk) -> &'static str {
    match r {
        Risk::Low => "low risk",
        Risk::Medium => "medium risk",
        Risk::High => "high risk",
    }
}

/// Prints what a fix will do.
pub fn print_preview(out: &mut impl Write, p: &Preview) -> std::io::Result<()> {
    writeln!(
        out,
        "{} ({}, {})",
        p.fix.title,
        p.fix.id,
        risk_words(p.fix.risk)
    )?;
    writeln!(out, "  Why: {}", p.fix.why)?;
    if !p.applicable {
        writeln!(
            out,
            "  Not possible on this computer: {}",
            p.reason.as_deref().unwrap_or("")
        )?;
        return Ok(());
    }
    writeln!(out, "  What it will do:")?;
    for (i, s) in p.steps.iter().enumerate() {
        writeln!(out, "    {}. {}", i + 1, s.title)?;
        writeln!(out, "       {}", s.detail)?;
    }
    if p.asks_password {
        writeln!(
            out,
            "  Needs administrator rights: you will be asked for them."
        )?;
    } else if p.needs_admin {
        writeln!(
            out,
            "  Needs administrator rights, which this program has: no prompt."
        )?;
    }
    if p.needs_restart {
        writeln!(out, "  The computer must restart afterwards.")?;
    }
    for s in &p.side_effects {
        writeln!(out, "  Note: {s}")?;
    }
    writeln!(out, "  Undo: {}", p.undo)
}

/// `meeting-doctor fixes`: the fixes the diagnosis suggests, in repair order.
pub fn list(profile_path: Option<&PathBuf>, from: Option<&PathBuf>, json: bool, all: bool) -> u8 {
    let profile = match load_profile(profile_path) {
        Ok(p) => p,
        Err(e) => return fail(EXIT_USAGE, &e.to_string()),
    };
    let report = if all {
        None
    } else {
        match from {
            Some(path) => match crate::read_saved(path) {
                Ok(r) => Some(r.diagnosed()),
                Err(code) => return code,
            },
            None => match crate::run(crate::RunArgs {
                profile: profile_path,
                only: &[],
                timeout: None,
                error_code: None,
                live: false,
                verbose: false,
                progress: std::io::stderr().is_terminal(),
            }) {
                Ok(r) => Some(r),
                Err(code) => return code,
            },
        }
    };
    let rt = match runtime() {
        Ok(r) => r,
        Err(c) => return c,
    };
    let fixer = rt.block_on(Fixer::for_this_computer(&profile));
    rt.shutdown_background();
    let suggestions: Vec<fixes::Suggestion> = match &report {
        Some(r) => fixer.suggest(&r.diagnosis),
        None => fixes::catalog()
            .into_iter()
            .map(|f| fixes::Suggestion {
                preview: fixer.preview(f.id.as_str()).expect("catalog ids exist"),
                causes: vec![],
            })
            .collect(),
    };
    let mut out = std::io::stdout().lock();
    let written = if json {
        crate::print_json(&mut out, serde_json::to_string_pretty(&suggestions))
    } else {
        print_list(&mut Clean(&mut out), &suggestions, report.is_some())
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(EXIT_INTERNAL, &format!("cannot write: {e}"))
        }
        _ => EXIT_HEALTHY,
    }
}

fn print_list(
    out: &mut impl Write,
    suggestions: &[fixes::Suggestion],
    from_diagnosis: bool,
) -> std::io::Result<()> {
    if suggestions.is_empty() {
        writeln!(
            out,
            "Nothing to fix on this computer: no problem found that a fix here would help."
        )?;
        return writeln!(out, "All fixes: meeting-doctor fixes --all");
    }
    if from_diagnosis {
        writeln!(out, "Fixes for what was found, in the order to try them:")?;
    } else {
        writeln!(out, "Every fix, in the order to try them:")?;
    }
    let mut n = 0;
    for s in suggestions.iter().filter(|s| s.preview.applicable) {
        n += 1;
        let p = &s.preview;
        let mut notes = vec![risk_words(p.fix.risk).to_string()];
        if p.asks_password {
            notes.push("asks for administrator rights".into());
        }
        if p.needs_restart {
            notes.push("needs a restart".into());
        }
        writeln!(out, "  {n}. {} ({})", p.fix.title, notes.join(", "))?;
        writeln!(out, "     {}", p.fix.why)?;
        if !s.causes.is_empty() {
            let causes: Vec<&str> = s.causes.iter().map(|c| c.as_str()).collect();
            writeln!(out, "     For: {}", causes.join(", "))?;
        }
        writeln!(out, "     meeting-doctor fix {}", p.fix.id)?;
    }
    let not_here: Vec<_> = suggestions
        .iter()
        .filter(|s| !s.preview.applicable)
        .collect();
    if !not_here.is_empty() {
        writeln!(out, "Not possible on this computer:")?;
        for s in not_here {
            writeln!(
                out,
                "  - {} ({}): {}",
                s.preview.fix.title,
                s.preview.fix.id,
                s.preview.reason.as_deref().unwrap_or("")
            )?;
        }
    }
    writeln!(
        out,
        "Each fix shows what it will do and asks first; --dry-run only shows."
    )
}

/// Asks on the terminal. Err(exit code) when there is no terminal.
fn confirm(question: &str, yes: bool) -> Result<bool, u8> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(fail(
            EXIT_USAGE,
            "there is no terminal to ask on, so nothing was changed; add --yes to confirm",
        ));
    }
    let _ = write!(std::io::stderr().lock(), "{} [y/N] ", text::line(question));
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return Ok(false);
    }
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

fn print_event(e: FixEvent) {
    match e {
        FixEvent::WaitingForApproval { timeout_s } => {
            say!("Asking for administrator rights (waiting up to {timeout_s} s for an answer)…")
        }
        FixEvent::Step { step } => print_step(&step),
        FixEvent::Verifying { .. } => say!("Checking again…"),
    }
}

fn print_step(r: &StepResult) {
    let mark = if r.ok { "✓" } else { "✗" };
    if r.detail.is_empty() {
        say!("  {mark} {}", r.title);
    } else {
        say!("  {mark} {} — {}", r.title, text::line(&r.detail));
    }
}

fn status_word(s: meeting_doctor_core::Status) -> &'static str {
    use meeting_doctor_core::Status::*;
    match s {
        Pass => "passed",
        Warn => "warning",
        Fail => "failed",
        Unknown => "unknown",
        Skipped => "skipped",
    }
}

fn print_outcome(out: &mut impl Write, o: &Outcome, undoing: bool) -> std::io::Result<()> {
    let head = match o.status {
        OutcomeStatus::Applied if undoing => "Undone",
        OutcomeStatus::Applied => "Done",
        OutcomeStatus::Failed => "It did not work",
        OutcomeStatus::Declined => "Declined",
        OutcomeStatus::Cancelled => "Cancelled",
        OutcomeStatus::NotAuthorized => "Not allowed",
        OutcomeStatus::TimedOut => "No answer",
        OutcomeStatus::NotApplicable => "Not possible here",
    };
    if o.status == OutcomeStatus::Applied {
        // The message only repeats "Done." / "Undone.".
        writeln!(out, "{head}: {}", o.title)?;
    } else {
        writeln!(out, "{head}: {} — {}", o.title, o.message)?;
    }
    if let Some(v) = &o.verification {
        if !v.checks.is_empty() {
            writeln!(out, "Checked again:")?;
            for c in &v.checks {
                writeln!(
                    out,
                    "  {}: {} → {}",
                    c.title,
                    c.before.map(status_word).unwrap_or("not run"),
                    status_word(c.after)
                )?;
            }
            writeln!(
                out,
                "{}",
                if v.all_pass {
                    "Everything this fix is about works now."
                } else if v.helped {
                    "It helped, but not everything passes yet."
                } else {
                    "It did not change what the checks see."
                }
            )?;
        }
    }
    if let (Some(entry), OutcomeStatus::Applied, false) = (&o.entry, o.status, undoing) {
        writeln!(out, "To undo: meeting-doctor undo {entry}")?;
    }
    Ok(())
}

fn outcome_code(o: &Outcome) -> u8 {
    match o.status {
        OutcomeStatus::Applied => EXIT_HEALTHY,
        _ => EXIT_PROBLEMS,
    }
}

pub struct FixArgs<'a> {
    pub id: &'a str,
    pub profile: Option<&'a PathBuf>,
    pub dry_run: bool,
    pub yes: bool,
    pub script: bool,
    pub no_verify: bool,
}

/// `meeting-doctor fix ID`.
pub fn fix(args: FixArgs) -> u8 {
    let Some(catalog_fix) = fixes::find(args.id) else {
        let ids: Vec<&str> = fixes::FixId::ALL.iter().map(|f| f.as_str()).collect();
        return fail(
            EXIT_USAGE,
            &format!(
                "no fix called {:?}; the fixes are: {}",
                args.id,
                ids.join(", ")
            ),
        );
    };
    let profile: Profile = match load_profile(args.profile) {
        Ok(p) => p,
        Err(e) => return fail(EXIT_USAGE, &e.to_string()),
    };
    // Refuse early, before reading anything, when nobody can say yes.
    if !args.dry_run && !args.script && !args.yes && !std::io::stdin().is_terminal() {
        return fail(
            EXIT_USAGE,
            "there is no terminal to ask on, so nothing was changed; add --yes to confirm",
        );
    }
    let rt = match runtime() {
        Ok(r) => r,
        Err(c) => return c,
    };
    let code = rt.block_on(async {
        let fixer = Fixer::for_this_computer(&profile).await;
        let plan = match fixer.plan(args.id) {
            Ok(p) => p,
            Err(e) => return fail(EXIT_USAGE, &e.to_string()),
        };
        if args.script {
            return match plan {
                Ok(p) => {
                    let script = fixes::script::export(&p);
                    // The script must stay exact; on a terminal, text
                    // that would move the cursor or set the title is not
                    // shown at all.
                    if std::io::stdout().is_terminal() && text::block(&script) != script {
                        return fail(
                            EXIT_PROBLEMS,
                            "the script holds characters a terminal would act on (from a name on this computer); write it to a file: meeting-doctor fix ID --script > fix.sh",
                        );
                    }
                    let _ = std::io::stdout().lock().write_all(script.as_bytes());
                    EXIT_HEALTHY
                }
                Err(na) => fail(
                    EXIT_PROBLEMS,
                    &format!("{}: {}", catalog_fix.title, na.reason),
                ),
            };
        }
        let preview = match fixer.preview(args.id) {
            Ok(p) => p,
            Err(e) => return fail(EXIT_USAGE, &e.to_string()),
        };
        let mut err = Clean(std::io::stderr().lock());
        let _ = print_preview(&mut err, &preview);
        drop(err);
        if !preview.applicable {
            return EXIT_PROBLEMS;
        }
        if args.dry_run {
            say!("(--dry-run: nothing was changed)");
            return EXIT_HEALTHY;
        }
        match confirm(&format!("Apply \"{}\"?", catalog_fix.title), args.yes) {
            Ok(true) => {}
            Ok(false) => {
                say!("Nothing was changed.");
                return EXIT_PROBLEMS;
            }
            Err(code) => return code,
        }
        let cancel = CancellationToken::new();
        let ctrl_c = {
            let cancel = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    cancel.cancel();
                }
            })
        };
        let verify = !args.no_verify && !fixer::verify_ids(&profile, args.id).is_empty();
        let before = if verify {
            say!("Checking first…");
            fixer::measure(&profile, args.id, cancel.clone())
                .await
                .unwrap_or_default()
        } else {
            vec![]
        };
        let recheck = Recheck {
            checks: if verify {
                fixer::verify_ids(&profile, args.id)
            } else {
                vec![]
            },
            before: &before,
            measure: |c| fixer::measure(&profile, args.id, c),
        };
        let result = fixer
            .apply_verified(
                Approval {
                    fix: args.id,
                    confirmed: args.id,
                    digest: &preview.digest,
                },
                recheck,
                &print_event,
                &cancel,
            )
            .await;
        let outcome = match result {
            Ok(o) => o,
            Err(e) => return fail(EXIT_PROBLEMS, &e.to_string()),
        };
        ctrl_c.abort();
        let mut out = Clean(std::io::stdout().lock());
        let _ = print_outcome(&mut out, &outcome, false);
        outcome_code(&outcome)
    });
    rt.shutdown_background();
    code
}

/// `meeting-doctor undo [ID|--last]`: ID is a journal entry, or a fix id
/// (its latest entry that can be undone).
pub fn undo(target: Option<&str>, last: bool, yes: bool) -> u8 {
    let fixer = journal_fixer();
    let entries = match fixer.history() {
        Ok(e) => e,
        Err(e) => return fail(EXIT_INTERNAL, &e.to_string()),
    };
    report_unreadable(&fixer);
    let chosen: Option<&Entry> = match (target, last) {
        (Some(_), true) => return fail(EXIT_USAGE, "give an entry or --last, not both"),
        (None, false) => {
            return fail(
                EXIT_USAGE,
                "say what to undo: an entry from `meeting-doctor journal`, a fix id, or --last",
            )
        }
        (None, true) => entries.iter().find(|e| e.can_undo()),
        (Some(t), false) => entries
            .iter()
            .find(|e| e.id == t)
            .or_else(|| entries.iter().find(|e| e.fix == t && e.can_undo())),
    };
    let Some(entry) = chosen.cloned() else {
        return fail(
            EXIT_PROBLEMS,
            &match target {
                Some(t) => format!("nothing to undo for {t:?} (see `meeting-doctor journal`)"),
                None => "nothing to undo".into(),
            },
        );
    };
    if !entry.can_undo() {
        return fail(
            EXIT_PROBLEMS,
            &format!(
                "{} ({}) has nothing to undo{}",
                entry.title,
                entry.id,
                if entry.state == EntryState::Undone {
                    ": it was already undone"
                } else {
                    ""
                }
            ),
        );
    }
    say!("Undo {} ({}, {}):", entry.title, entry.id, entry.at);
    for u in &entry.undo {
        say!("  - {u}");
    }
    match confirm(&format!("Undo \"{}\"?", entry.title), yes) {
        Ok(true) => {}
        Ok(false) => {
            say!("Nothing was changed.");
            return EXIT_PROBLEMS;
        }
        Err(code) => return code,
    }
    let rt = match runtime() {
        Ok(r) => r,
        Err(c) => return c,
    };
    let code = rt.block_on(async {
        match fixer
            .undo(&entry.id, &print_event, &CancellationToken::new())
            .await
        {
            Ok(o) => {
                let _ = print_outcome(&mut Clean(std::io::stdout().lock()), &o, true);
                outcome_code(&o)
            }
            Err(e) => fail(EXIT_PROBLEMS, &e.to_string()),
        }
    });
    rt.shutdown_background();
    code
}

/// `meeting-doctor journal`: the fixes applied on this computer.
pub fn journal(json: bool) -> u8 {
    let fixer = journal_fixer();
    let entries = match fixer.history() {
        Ok(e) => e,
        Err(e) => return fail(EXIT_INTERNAL, &e.to_string()),
    };
    let mut out = std::io::stdout().lock();
    let written = if json {
        crate::print_json(&mut out, serde_json::to_string_pretty(&entries))
    } else {
        print_journal(
            &mut Clean(&mut out),
            &entries,
            &[fixer.journal().path, fixer.admin_store.journal().path],
        )
    };
    report_unreadable(&fixer);
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(EXIT_INTERNAL, &format!("cannot write: {e}"))
        }
        _ => EXIT_HEALTHY,
    }
}

/// This computer's fixes, without reading its settings: enough for the
/// history and undo (undo rebuilds its steps from the journal's values).
fn journal_fixer() -> Fixer {
    Fixer::new(
        fixes::FixEnv::journal_only(),
        std::sync::Arc::new(meeting_doctor_core::facts::command::System),
    )
}

fn report_unreadable(fixer: &Fixer) {
    for (path, lines) in fixer.unreadable() {
        say!(
            "meeting-doctor: {} line(s) of {} could not be read and were skipped (lines {:?}); the file was not changed",
            lines.len(),
            path.display(),
            lines
        );
    }
}

fn print_journal(
    out: &mut impl Write,
    entries: &[Entry],
    paths: &[PathBuf],
) -> std::io::Result<()> {
    if entries.is_empty() {
        let places: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return writeln!(
            out,
            "No fixes have been applied on this computer ({}).",
            places.join(", ")
        );
    }
    for e in entries {
        let state = match e.state {
            EntryState::Applied => "applied",
            EntryState::Failed => "failed",
            EntryState::Interrupted => "interrupted (stopped part-way)",
            EntryState::Undone => "undone",
            EntryState::UndoFailed => "undo failed",
        };
        writeln!(
            out,
            "{}  {} — {} ({}/{} steps)",
            e.at, e.title, state, e.steps_done, e.steps_total
        )?;
        if let Some(m) = &e.message {
            writeln!(out, "    {m}")?;
        }
        if e.can_undo() {
            writeln!(out, "    undo: meeting-doctor undo {}", e.id)?;
        }
    }
    Ok(())
}
