//! The POSIX sh form of a fix (macOS and Linux).

use super::*;

pub(super) const SH_RESERVED: &[&str] = &[
    "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then",
    "until", "while",
];

/// Always single-quoted: `'` becomes `'\''`. (A NUL, which no path or
/// argument can hold, becomes U+FFFD so no shell can cut a line at it.)
pub(super) fn sh_lit(s: &str) -> String {
    let s = s.replace('\0', "\u{FFFD}");
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// As typed: bare when it is made of characters no shell treats
/// specially, else single-quoted.
pub(super) fn sh_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '-' | '.' | '/' | ':' | ',' | '+' | '@' | '%' | '=')
        });
    if plain {
        s.to_string()
    } else {
        sh_lit(s)
    }
}

/// The command word: also quoted when it would read as an assignment or
/// a reserved word.
pub(super) fn sh_program(s: &str) -> String {
    if s.contains('=') || SH_RESERVED.contains(&s) {
        sh_lit(s)
    } else {
        sh_quote(s)
    }
}

pub(super) fn sh_name_ok(k: &str) -> bool {
    let mut cs = k.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `VAR='value' prog args`.
pub(super) fn sh_command(c: &CommandSpec) -> String {
    let mut words: Vec<String> = Vec::new();
    if c.env.iter().all(|(k, _)| sh_name_ok(k)) {
        words.extend(c.env.iter().map(|(k, v)| format!("{k}={}", sh_lit(v))));
    } else {
        words.push("env".into());
        words.extend(c.env.iter().map(|(k, v)| sh_lit(&format!("{k}={v}"))));
    }
    words.push(sh_program(&c.program));
    words.extend(c.args.iter().map(|a| sh_quote(a)));
    words.join(" ")
}

/// A keep pattern (`*` is the only wildcard) as a `case` pattern,
/// matching without regard to case like the app does.
pub(super) fn sh_case_pattern(glob: &str) -> String {
    if glob.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    for c in glob.chars() {
        match c {
            '*' => out.push('*'),
            c if c.is_ascii_alphabetic() => {
                out.push('[');
                out.push(c.to_ascii_lowercase());
                out.push(c.to_ascii_uppercase());
                out.push(']');
            }
            c if c.is_ascii_digit()
                || matches!(c, '.' | '-' | '_' | ',' | '+' | '@' | '%' | ':') =>
            {
                out.push(c)
            }
            c => out.push_str(&sh_lit(&c.to_string())),
        }
    }
    out
}

/// A process name as an exact `pkill -x` pattern (an extended regular
/// expression): metacharacters escaped. Linux matches the kernel's
/// 15-character name.
pub(super) fn pkill_pattern(name: &str, os: Os) -> String {
    let mut name = name;
    if os == Os::Linux && name.len() > 15 {
        let mut end = 15;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name = &name[..end];
    }
    let mut out = String::new();
    for c in name.chars() {
        if r"\.[]()*+?{}|^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A literal string inside a sed basic regular expression delimited by `/`.
pub(super) fn sed_literal(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\n' => out.push_str(r"\n"),
            c if r"\.*[]^$/".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A here-document delimiter found on no line of `content`.
pub(super) fn heredoc_delimiter(content: &str) -> String {
    let mut d = "MD_EOF".to_string();
    let mut n = 0;
    while content.contains(&d) {
        n += 1;
        d = format!("MD_EOF_{n}");
    }
    d
}

pub(super) fn sh_backup_path(p: &str) -> String {
    if p.is_empty() {
        "\"$backup\"".into()
    } else {
        format!("\"$backup\"{}", sh_quote(p))
    }
}

pub(super) fn sh(os: Os, head: &Header, steps: &[Step]) -> String {
    let file = format!("{}.sh", head.file);
    let how = if head.admin {
        vec![
            "Run it with sudo (as administrator). Save it as a file, then:".to_string(),
            format!("  sudo sh {file}"),
        ]
    } else {
        vec![
            "Run it as the person who uses Zoom, without sudo (it changes that person's files and settings). Save it as a file, then:".to_string(),
            format!("  sh {file}"),
        ]
    };
    let moves = moves_files(steps);
    let mut out = String::from("#!/bin/sh\n");
    header(&mut out, head, &how, moves);
    out.push_str("set -eu\n");
    out.push_str("trap 'rc=$?; if [ \"$rc\" -ne 0 ]; then echo \"Meeting Doctor: stopped after an error (exit code $rc); the steps after it did not run.\" >&2; fi' EXIT\n");
    if head.admin {
        out.push_str("if [ \"$(id -u)\" -ne 0 ]; then\n  echo 'Run this with sudo (as administrator).' >&2\n  exit 1\nfi\n");
    }
    if moves {
        out.push_str("backup=\"$HOME/meeting-doctor-backup-$(date +%Y%m%d-%H%M%S)\"\n");
        out.push_str("mkdir -- \"$backup\"\n");
        out.push_str("printf 'Backup folder: %s\\n' \"$backup\"\n");
    }
    let n = steps.len();
    for (i, step) in steps.iter().enumerate() {
        out.push('\n');
        out.push_str(&format!(
            "printf '%s\\n' {}\n",
            sh_lit(&step_banner(i, n, &step.title))
        ));
        sh_action(&mut out, os, &step.action);
    }
    out.push('\n');
    if moves {
        out.push_str("printf 'The files that moved are kept in %s\\n' \"$backup\"\n");
    }
    out.push_str("echo 'Meeting Doctor: all steps done.'\n");
    if head.restart {
        out.push_str("echo 'Restart the computer now to finish.'\n");
    }
    out
}

pub(super) fn sh_action(out: &mut String, os: Os, action: &Action) {
    match action {
        Action::Run { command, ok_codes } => {
            let codes = ok_list(ok_codes);
            if codes.len() == 1 {
                out.push_str(&sh_command(command));
                out.push('\n');
            } else {
                let codes: Vec<String> = codes.iter().map(i32::to_string).collect();
                out.push_str(&format!("rc=0\n{} || rc=$?\n", sh_command(command)));
                out.push_str(&format!(
                    "case $rc in {}) ;; *) printf '%s exited with code %s\\n' {} \"$rc\" >&2; exit \"$rc\" ;; esac\n",
                    codes.join("|"),
                    sh_lit(&command.program)
                ));
            }
        }
        Action::Save {
            name,
            command,
            absent_codes,
        } => {
            // As the app does: a setting that could not be read stops the
            // script before anything changes ("not set" codes aside).
            let absent: Vec<String> = absent_codes.iter().map(i32::to_string).collect();
            let fail = format!(
                "printf '%s %s\\n' {} \"$rc\" >&2; exit \"$rc\"",
                sh_lit(&format!(
                    "Could not note the current setting first, so nothing was changed: {} exited with",
                    command.program
                ))
            );
            let on_error = if absent.is_empty() {
                fail
            } else {
                format!("case $rc in {}) ;; *) {fail} ;; esac", absent.join("|"))
            };
            out.push_str(&format!(
                "printf '%s\\n' {}\n{} || {{ rc=$?; {on_error}; }}\n",
                sh_lit(&format!("Before: {name} (copy this into the ticket)")),
                sh_command(command)
            ));
        }
        Action::Quit { names, grace_ms } => {
            let pats: Vec<String> = names
                .iter()
                .map(|n| sh_quote(&pkill_pattern(n, os)))
                .collect();
            let list = pats.join(" ");
            out.push_str(&format!(
                "for n in {list}; do pkill -TERM -i -x -- \"$n\" || true; done\n"
            ));
            let secs = grace_ms.div_ceil(1000);
            if secs > 0 {
                out.push_str(&format!("sleep {secs}\n"));
            }
            out.push_str(&format!(
                "for n in {list}; do pkill -KILL -i -x -- \"$n\" || true; done\n"
            ));
        }
        Action::MoveAside { path, keep } => sh_move_aside(out, path, keep),
        Action::WriteFile { path, content } => {
            let (full, parent) = mirror(path, Os::Linux);
            let dest = sh_backup_path(&full);
            out.push_str(&format!("target={}\n", sh_quote(path)));
            out.push_str("if [ -e \"$target\" ] || [ -L \"$target\" ]; then\n");
            out.push_str(&format!(
                "  mkdir -p {}\n  mv -- \"$target\" {dest}\n  printf 'The old file is kept as %s\\n' {dest}\nfi\n",
                sh_backup_path(&parent)
            ));
            if content.is_empty() {
                out.push_str(": > \"$target\"\n");
            } else if content.ends_with('\n') && !content.contains('\0') {
                let d = heredoc_delimiter(content);
                out.push_str(&format!("cat > \"$target\" <<'{d}'\n{content}{d}\n"));
            } else {
                out.push_str(&format!("printf '%s' {} > \"$target\"\n", sh_lit(content)));
            }
        }
        Action::Restore { backup } => {
            let manifest = format!("{}/manifest.json", backup.trim_end_matches('/'));
            out.push_str(&format!(
                "printf '%s\\n' {} {} {}\n",
                sh_lit("Meeting Doctor kept the files it moved in this folder:"),
                sh_lit(backup),
                sh_lit("Its manifest.json (below) says where each one was (\"from\") and where it is kept inside the folder (\"to\"). Move them back by hand."),
            ));
            out.push_str(&format!(
                "if [ -f {m} ]; then cat -- {m}; echo; fi\n",
                m = sh_quote(&manifest)
            ));
        }
        Action::RemoveNftRules {
            family,
            table,
            chain,
            tag,
        } => {
            let (f, t, c) = (sh_quote(family), sh_quote(table), sh_quote(chain));
            let sed = format!(
                "s/.*comment \"{}\".*# handle \\([0-9]*\\).*/\\1/p",
                sed_literal(tag)
            );
            out.push_str(&format!(
                "nft -a list chain {f} {t} {c} | sed -n {} | while read -r h; do nft delete rule {f} {t} {c} handle \"$h\"; done\n",
                sh_lit(&sed)
            ));
        }
    }
}

/// [`Action::MoveAside`] as [`super::apply::move_aside`] does it: with
/// `keep`, a folder's entries move except those whose name matches a
/// pattern, and a folder holding a kept entry anywhere inside (symbolic
/// links are never followed) is looked into instead of moved whole, so
/// kept files stay where they are at any depth. Each entry keeps its path
/// inside the backup folder; folders there are made only for what moves.
pub(super) fn sh_move_aside(out: &mut String, path: &str, keep: &[String]) {
    let (full, parent) = mirror(path, Os::Linux);
    let dest = sh_backup_path(&full);
    out.push_str(&format!("src={}\ndest={dest}\n", sh_quote(path)));
    let whole = format!(
        "  mkdir -p {}\n  mv -- \"$src\" \"$dest\"\n  printf 'Moved %s\\n' \"$src\"\n",
        sh_backup_path(&parent)
    );
    if keep.is_empty() {
        out.push_str("if [ -e \"$src\" ] || [ -L \"$src\" ]; then\n");
        out.push_str(&whole);
    } else {
        let pats: Vec<String> = keep.iter().map(|k| sh_case_pattern(k)).collect();
        // Every entry of a folder, hidden ones too; a pattern that matched
        // nothing stays as it is and is skipped by the test after it.
        let each = |var: &str| {
            format!("for {var} in \"$1\"/* \"$1\"/.[!.]* \"$1\"/..?*; do\n    [ -e \"${var}\" ] || [ -L \"${var}\" ] || continue\n")
        };
        out.push_str(&format!(
            "md_kept() {{\n  case $1 in\n    {}) return 0 ;;\n  esac\n  return 1\n}}\n",
            pats.join(" | ")
        ));
        out.push_str(&format!(
            "md_holds_kept() {{\n  {}    if md_kept \"${{g##*/}}\"; then return 0; fi\n    if [ -d \"$g\" ] && [ ! -L \"$g\" ] && md_holds_kept \"$g\"; then return 0; fi\n  done\n  return 1\n}}\n",
            each("g")
        ));
        out.push_str(&format!(
            "md_move_in() {{\n  {}    if md_kept \"${{f##*/}}\"; then\n      printf 'Kept %s\\n' \"$f\"\n    elif [ -d \"$f\" ] && [ ! -L \"$f\" ] && md_holds_kept \"$f\"; then\n      md_move_in \"$f\"\n    else\n      to=\"$dest${{f#\"$src\"}}\"\n      mkdir -p -- \"${{to%/*}}\"\n      mv -- \"$f\" \"$to\"\n      printf 'Moved %s\\n' \"$f\"\n    fi\n  done\n}}\n",
            each("f")
        ));
        out.push_str("if [ -d \"$src\" ] && [ ! -L \"$src\" ]; then\n  md_move_in \"$src\"\n");
        out.push_str("elif [ -e \"$src\" ] || [ -L \"$src\" ]; then\n");
        out.push_str(&whole);
    }
    out.push_str("else\n  printf 'Nothing to move: %s\\n' \"$src\"\nfi\n");
}
