//! Every fix as a script to paste into an administrator shell (PowerShell
//! on Windows, sh elsewhere), for remote sessions where the elevation
//! prompt appears on a desktop the technician cannot see.
//!
//! The script does what [`super::apply`] does, step by step, and stops at
//! the first error. Data (paths, names, values) only ever appears inside
//! quotes that nothing can end early: sh single quotes (`'` written as
//! `'\''`), PowerShell single-quoted strings (every kind of single quote
//! doubled; control characters written as `"`n"` or `[char]0x…` outside
//! the quotes, so a pasted script has no blank or tab-completed line).
//!
//! - sh: `set -eu`; `VAR='value' prog args`; a dated backup folder under
//!   `$HOME` where each moved path keeps its full original path, so
//!   nothing can overwrite anything and moving back is obvious.
//! - PowerShell: the whole script is one `& { … }` block, so pasted line by
//!   line it still runs as a unit, stops at the first error, and leaves
//!   `$ErrorActionPreference` of the technician's shell alone. A step that
//!   is itself `powershell.exe … -Command SCRIPT` runs SCRIPT in place
//!   after setting its `$env:` data; other programs run as
//!   `& 'prog' 'arg'…` and `$LASTEXITCODE` is checked (honouring
//!   `ok_codes`). An argument Windows PowerShell 5.1 would pass wrongly to
//!   a program (empty, a `"`, a trailing `\`) goes through
//!   `System.Diagnostics.Process` with a command line quoted by the
//!   `CommandLineToArgvW` rules instead.

use super::elevate::windows_quote;
use super::{Action, Plan, Step};
use md_facts::command::CommandSpec;
use md_model::system::Os;

mod powershell;
mod sh;
#[cfg(test)]
mod tests;

use powershell::*;
use sh::*;

/// `plan` as a script to paste into a shell of `plan.os`: PowerShell on
/// Windows, POSIX sh on macOS and Linux.
pub fn export(plan: &Plan) -> String {
    let head = Header {
        title: format!("{} ({})", plan.fix.title, plan.fix.id),
        file: format!("meeting-doctor-{}", file_safe(plan.fix.id.as_str())),
        why: Some(plan.fix.why.clone()),
        side_effects: plan.side_effects.clone(),
        undo: Some(plan.undo.clone()),
        admin: plan.needs_admin,
        restart: plan.needs_restart,
    };
    render(plan.os, &head, &plan.steps)
}

/// Undo steps (from the journal) as a script for `os`, titled after the
/// fix they undo.
pub fn export_undo(os: Os, title: &str, steps: &[Step]) -> String {
    let head = Header {
        title: format!("Undo: {title}"),
        file: "meeting-doctor-undo".into(),
        why: None,
        side_effects: vec![],
        undo: None,
        admin: undo_needs_admin(steps),
        restart: false,
    };
    render(os, &head, steps)
}

struct Header {
    title: String,
    /// The file name suggested in the instructions, without extension.
    file: String,
    why: Option<String>,
    side_effects: Vec<String>,
    undo: Option<String>,
    admin: bool,
    restart: bool,
}

fn render(os: Os, head: &Header, steps: &[Step]) -> String {
    match os {
        Os::Windows => powershell(head, steps),
        Os::Macos | Os::Linux => sh(os, head, steps),
    }
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Programs whose changes belong to the signed-in person: running them
/// as administrator would change the administrator's settings instead.
fn runs_as_user(c: &CommandSpec) -> bool {
    let prog = c
        .program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let prog = prog.trim_end_matches(".exe");
    match prog {
        "gsettings" | "kwriteconfig5" | "kwriteconfig6" | "kreadconfig5" | "kreadconfig6" => true,
        "reg" => c.args.get(1).is_some_and(|k| {
            let k = k.to_ascii_uppercase();
            k.starts_with("HKCU") || k.starts_with("HKEY_CURRENT_USER")
        }),
        _ => false,
    }
}

fn undo_needs_admin(steps: &[Step]) -> bool {
    steps.iter().any(|s| match &s.action {
        Action::Run { command, .. } => !runs_as_user(command),
        Action::RemoveNftRules { .. } => true,
        Action::Save { .. }
        | Action::Quit { .. }
        | Action::MoveAside { .. }
        | Action::WriteFile { .. }
        | Action::Restore { .. } => false,
    })
}

fn moves_files(steps: &[Step]) -> bool {
    steps.iter().any(|s| {
        matches!(
            s.action,
            Action::MoveAside { .. } | Action::WriteFile { .. }
        )
    })
}

/// Header lines: every line of `text` becomes a comment, whatever it
/// holds (a line break in the data cannot end the comment).
fn comment(out: &mut String, first: &str, rest: &str, text: &str) {
    let clean: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    for (i, line) in clean.split('\n').enumerate() {
        let prefix = if i == 0 { first } else { rest };
        out.push_str(format!("{prefix}{line}").trim_end());
        out.push('\n');
    }
}

fn header(out: &mut String, head: &Header, how: &[String], moves: bool) {
    comment(out, "# Meeting Doctor: ", "#   ", &head.title);
    if let Some(why) = &head.why {
        comment(out, "# Why: ", "#   ", why);
    }
    if !head.side_effects.is_empty() {
        out.push_str("# What else it changes:\n");
        for e in &head.side_effects {
            comment(out, "#   - ", "#     ", e);
        }
    }
    if let Some(undo) = &head.undo {
        comment(out, "# How to undo: ", "#   ", undo);
    }
    if head.restart {
        out.push_str("# The computer must restart afterwards.\n");
    }
    out.push_str("#\n# Generated by Meeting Doctor.\n");
    for l in how {
        comment(out, "# ", "# ", l);
    }
    out.push_str("# It stops at the first error: the steps after a failed one do not run.\n");
    if moves {
        out.push_str("# Nothing is deleted: files are moved into a dated backup folder in the home folder.\n");
    }
}

/// Exit codes that mean success: 0 and the step's `ok_codes`.
fn ok_list(ok_codes: &[i32]) -> Vec<i32> {
    let mut extra: Vec<i32> = ok_codes.iter().copied().filter(|c| *c != 0).collect();
    extra.sort_unstable();
    extra.dedup();
    let mut codes = vec![0];
    codes.extend(extra);
    codes
}

fn step_banner(i: usize, n: usize, title: &str) -> String {
    format!("==> [{}/{n}] {title}", i + 1)
}

/// Where `path` is kept inside the backup folder: its full path, with
/// the leading separator (and a Windows drive's colon) dropped. Returns
/// (the path inside the backup folder, its parent), both starting with
/// `sep`.
fn mirror(path: &str, os: Os) -> (String, String) {
    let seps: &[char] = if os == Os::Windows {
        &['\\', '/']
    } else {
        &['/']
    };
    let sep = if os == Os::Windows { '\\' } else { '/' };
    let mut rel = path.trim_matches(seps).to_string();
    if os == Os::Windows {
        rel = rel.replace(':', "");
        if let Some(r) = rel.strip_prefix("?\\") {
            rel = r.trim_start_matches(seps).to_string();
        }
    }
    let full = format!("{sep}{rel}");
    let parent = match full.rfind(seps) {
        Some(0) | None => String::new(),
        Some(i) => full[..i].to_string(),
    };
    (full, parent)
}
