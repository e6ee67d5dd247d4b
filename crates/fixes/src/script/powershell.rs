//! The PowerShell form of a fix (Windows PowerShell 5.1).

use super::*;

/// PowerShell ends a single-quoted string at any of these; doubled, each
/// stands for itself.
pub(super) fn ps_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// `'…'` with every single quote doubled. Only for text without control
/// characters (see [`ps_str`]).
pub(super) fn ps_lit(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        if ps_single_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A PowerShell expression for the string `s`: `'…'`, or, when it holds
/// control characters (line breaks, tabs), single-quoted pieces joined
/// with `"`n"`, `"`r"`, `"`t"` and `[char]0x…`, all on one line.
pub(super) fn ps_str(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return ps_lit(s);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in s.chars() {
        if c.is_control() {
            if !run.is_empty() {
                parts.push(ps_lit(&run));
                run.clear();
            }
            parts.push(match c {
                '\n' => "\"`n\"".into(),
                '\r' => "\"`r\"".into(),
                '\t' => "\"`t\"".into(),
                c => format!("[string][char]0x{:04X}", c as u32),
            });
        } else {
            run.push(c);
        }
    }
    if !run.is_empty() {
        parts.push(ps_lit(&run));
    }
    format!("({})", parts.join(" + "))
}

/// A `-like` pattern for a keep glob: only `*` is a wildcard.
pub(super) fn ps_like(glob: &str) -> String {
    let mut out = String::new();
    for c in glob.chars() {
        if matches!(c, '?' | '[' | ']' | '`') {
            out.push('`');
        }
        out.push(c);
    }
    ps_str(&out)
}

/// A name for `Stop-Process -Name`, which takes wildcards.
pub(super) fn ps_wildcard_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '?' | '[' | ']' | '`' | '*') {
            out.push('`');
        }
        out.push(c);
    }
    out
}

pub(super) fn ps_array(items: &[String]) -> String {
    format!(
        "@({})",
        items
            .iter()
            .map(|s| ps_str(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Whether Windows PowerShell 5.1's `& prog arg` passes `arg` to a
/// program intact (it neither escapes `"` nor doubles a trailing `\`
/// before the quote it adds, and drops empty arguments).
pub(super) fn ps_native_safe(arg: &str) -> bool {
    !arg.is_empty() && !arg.contains('"') && !arg.ends_with('\\')
}

/// The script of `powershell.exe [options] -Command SCRIPT`, when the
/// options change nothing when SCRIPT runs in this shell instead.
pub(super) fn inline_powershell(c: &CommandSpec) -> Option<&str> {
    let prog = c
        .program
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !matches!(
        prog.as_str(),
        "powershell.exe" | "powershell" | "pwsh.exe" | "pwsh"
    ) {
        return None;
    }
    let (script, rest) = c.args.split_last()?;
    let (flag, options) = rest.split_last()?;
    if !flag.eq_ignore_ascii_case("-Command") || script == "-" {
        return None;
    }
    let mut it = options.iter();
    while let Some(o) = it.next() {
        match o.to_ascii_lowercase().as_str() {
            "-noprofile" | "-noninteractive" | "-nologo" => {}
            "-executionpolicy" | "-windowstyle" => {
                it.next()?;
            }
            _ => return None,
        }
    }
    let script = script
        .strip_prefix("[Console]::OutputEncoding = [Text.Encoding]::UTF8;")
        .unwrap_or(script);
    Some(script.trim())
}

pub(super) fn ps_env(out: &mut String, c: &CommandSpec) {
    for (k, v) in &c.env {
        if sh_name_ok(k) {
            out.push_str(&format!("$env:{k} = {}\n", ps_str(v)));
        } else {
            out.push_str(&format!(
                "[Environment]::SetEnvironmentVariable({}, {})\n",
                ps_str(k),
                ps_str(v)
            ));
        }
    }
}

/// Runs a program: (the statement, the expression for its exit code:
/// `$LASTEXITCODE` after `&`, `$p.ExitCode` after `Process.Start`).
pub(super) fn ps_native(c: &CommandSpec) -> (String, &'static str) {
    if c.args.iter().all(|a| ps_native_safe(a)) && !c.program.is_empty() {
        let mut words = vec!["&".to_string(), ps_str(&c.program)];
        words.extend(c.args.iter().map(|a| ps_str(a)));
        (words.join(" "), "$LASTEXITCODE")
    } else {
        let line = c
            .args
            .iter()
            .map(|a| windows_quote(a))
            .collect::<Vec<_>>()
            .join(" ");
        (
            format!(
                "$p = [Diagnostics.Process]::Start((New-Object Diagnostics.ProcessStartInfo -Property @{{ FileName = {}; Arguments = {}; UseShellExecute = $false }})); $p.WaitForExit()",
                ps_str(&c.program),
                ps_str(&line)
            ),
            "$p.ExitCode",
        )
    }
}

pub(super) fn ps_backup_path(p: &str) -> String {
    if p.is_empty() {
        "$backup".into()
    } else {
        format!("($backup + {})", ps_str(p))
    }
}

pub(super) fn powershell(head: &Header, steps: &[Step]) -> String {
    let how = if head.admin {
        vec![
            "Run it in an administrator PowerShell (right-click Start, then Windows PowerShell (Admin) or Terminal (Admin)): paste all of it and press Enter.".to_string(),
            format!("Saved as a file ({}.ps1), it must be UTF-8 with BOM.", head.file),
        ]
    } else {
        vec![
            "Run it in a PowerShell window of the person who uses Zoom, not as administrator (it changes that person's files and settings): paste all of it and press Enter.".to_string(),
            format!("Saved as a file ({}.ps1), it must be UTF-8 with BOM.", head.file),
        ]
    };
    let moves = moves_files(steps);
    let mut out = String::new();
    header(&mut out, head, &how, moves);
    out.push_str("& {\n$ErrorActionPreference = 'Stop'\ntry {\n");
    if head.admin {
        out.push_str("if (-not ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { throw 'Run this in an administrator PowerShell (Run as administrator).' }\n");
    }
    if moves {
        out.push_str("$backup = Join-Path $env:USERPROFILE ('meeting-doctor-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))\n");
        out.push_str("if (Test-Path -LiteralPath $backup) { throw ('The backup folder already exists: ' + $backup) }\n");
        out.push_str("[void][IO.Directory]::CreateDirectory($backup)\n");
        out.push_str("Write-Host ('Backup folder: ' + $backup)\n");
    }
    let n = steps.len();
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!(
            "Write-Host {}\n",
            ps_str(&step_banner(i, n, &step.title))
        ));
        ps_action(&mut out, &step.action);
    }
    if moves {
        out.push_str("Write-Host ('The files that moved are kept in ' + $backup)\n");
    }
    out.push_str("Write-Host 'Meeting Doctor: all steps done.'\n");
    if head.restart {
        out.push_str("Write-Host 'Restart the computer now to finish.'\n");
    }
    out.push_str("} catch {\nWrite-Host ('Meeting Doctor: stopped after an error; the steps after it did not run. ' + $_) -ForegroundColor Red\n}\n}\n");
    out
}

/// [`Action::MoveAside`] as [`super::apply::move_aside`] does it (see
/// [`sh_move_aside`]): kept entries stay at any depth, a folder holding
/// one is looked into, reparse points (links, junctions) are never
/// followed. Moves go through .NET, which takes both paths literally
/// (`Move-Item -Destination` reads wildcards in Windows PowerShell 5.1).
pub(super) fn ps_move_aside(out: &mut String, path: &str, keep: &[String]) {
    let (full, _) = mirror(path, Os::Windows);
    out.push_str(&format!(
        "$src = {}\n$dest = {}\n",
        ps_str(path),
        ps_backup_path(&full)
    ));
    out.push_str("function MdMove([string]$from, [string]$to) { [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($to)); if (Test-Path -LiteralPath $from -PathType Leaf) { [IO.File]::Move($from, $to) } else { [IO.Directory]::Move($from, $to) }; Write-Host ('Moved ' + $from) }\n");
    if keep.is_empty() {
        out.push_str("if (Test-Path -LiteralPath $src) {\nMdMove $src $dest\n");
    } else {
        let pats: Vec<String> = keep.iter().map(|k| ps_like(k)).collect();
        out.push_str(&format!("$keep = @({})\n", pats.join(", ")));
        out.push_str("function MdKept([string]$name) { foreach ($k in $keep) { if ($name -like $k) { return $true } }; return $false }\n");
        out.push_str("function MdIsFolder($item) { $item.PSIsContainer -and -not ($item.Attributes -band [IO.FileAttributes]::ReparsePoint) }\n");
        out.push_str("function MdHoldsKept([string]$dir) { foreach ($e in @(Get-ChildItem -LiteralPath $dir -Force -ErrorAction SilentlyContinue)) { if ((MdKept $e.Name) -or ((MdIsFolder $e) -and (MdHoldsKept $e.FullName))) { return $true } }; return $false }\n");
        out.push_str("function MdMoveIn([string]$dir, [string]$to) { foreach ($f in @(Get-ChildItem -LiteralPath $dir -Force)) { $there = [IO.Path]::Combine($to, $f.Name); if (MdKept $f.Name) { Write-Host ('Kept ' + $f.FullName) } elseif ((MdIsFolder $f) -and (MdHoldsKept $f.FullName)) { MdMoveIn $f.FullName $there } else { MdMove $f.FullName $there } } }\n");
        out.push_str("if ((Test-Path -LiteralPath $src -PathType Container) -and (MdIsFolder (Get-Item -LiteralPath $src -Force))) {\nMdMoveIn $src $dest\n");
        out.push_str("} elseif (Test-Path -LiteralPath $src) {\nMdMove $src $dest\n");
    }
    out.push_str("} else {\nWrite-Host ('Nothing to move: ' + $src)\n}\n");
}

pub(super) fn ps_action(out: &mut String, action: &Action) {
    match action {
        Action::Run { command, ok_codes } => {
            ps_env(out, command);
            if let Some(script) = inline_powershell(command) {
                out.push_str(script);
                out.push('\n');
                return;
            }
            let (run, code) = ps_native(command);
            let codes = ok_list(ok_codes);
            let test = if codes.len() == 1 {
                format!("{code} -ne 0")
            } else {
                let list: Vec<String> = codes.iter().map(i32::to_string).collect();
                format!("@({}) -notcontains {code}", list.join(", "))
            };
            out.push_str(&format!(
                "{run}\nif ({test}) {{ throw ({} + {code}) }}\n",
                ps_str(&format!("{} exited with code ", command.program))
            ));
        }
        Action::Save {
            name,
            command,
            absent_codes,
        } => {
            out.push_str(&format!(
                "Write-Host {}\n",
                ps_str(&format!("Before: {name} (copy this into the ticket)"))
            ));
            ps_env(out, command);
            let (read, code) = match inline_powershell(command) {
                Some(script) => (format!("& {{ {script} }} | Out-Host"), None),
                None => match ps_native(command) {
                    // Piped, so it shows before the next step's banner.
                    (run, "$LASTEXITCODE") => (format!("{run} | Out-Host"), Some("$LASTEXITCODE")),
                    (run, code) => (run, Some(code)),
                },
            };
            // As the app does: a setting that could not be read stops the
            // script before anything changes ("not set" codes aside).
            let absent: Vec<String> = absent_codes.iter().map(i32::to_string).collect();
            let native_check = match code {
                Some(code) => format!(
                    "; if ({code} -ne 0 -and @({}) -notcontains {code}) {{ throw ('exited with ' + {code}) }}",
                    absent.join(", ")
                ),
                None => String::new(),
            };
            out.push_str(&format!(
                "try {{ {read}{native_check} }} catch {{ throw ('Could not note the current setting first, so nothing was changed: ' + $_) }}\n"
            ));
        }
        Action::Quit { names, grace_ms } => {
            let exes: Vec<String> = names
                .iter()
                .filter(|n| ps_native_safe(n) && !n.contains(['*', '?']))
                .map(|n| {
                    if n.to_ascii_lowercase().ends_with(".exe") {
                        n.clone()
                    } else {
                        format!("{n}.exe")
                    }
                })
                .collect();
            let bare: Vec<String> = names
                .iter()
                .map(|n| {
                    let stem = if n.to_ascii_lowercase().ends_with(".exe") {
                        &n[..n.len() - 4]
                    } else {
                        n.as_str()
                    };
                    ps_wildcard_escape(stem)
                })
                .collect();
            if !exes.is_empty() {
                out.push_str(&format!(
                    "foreach ($n in {}) {{ & {{ $ErrorActionPreference = 'Continue'; & 'taskkill.exe' '/IM' $n 2>&1 | Out-Null }} }}\n",
                    ps_array(&exes)
                ));
            }
            let secs = grace_ms.div_ceil(1000);
            if secs > 0 {
                out.push_str(&format!("Start-Sleep -Seconds {secs}\n"));
            }
            out.push_str(&format!(
                "foreach ($n in {}) {{ Stop-Process -Name $n -Force -ErrorAction SilentlyContinue }}\n",
                ps_array(&bare)
            ));
        }
        Action::MoveAside { path, keep } => ps_move_aside(out, path, keep),
        Action::WriteFile { path, content } => {
            let (full, parent) = mirror(path, Os::Windows);
            out.push_str(&format!(
                "$target = {}\n$dest = {}\n",
                ps_str(path),
                ps_backup_path(&full)
            ));
            out.push_str(&format!(
                "if (Test-Path -LiteralPath $target) {{\n[void][IO.Directory]::CreateDirectory({})\nMove-Item -LiteralPath $target -Destination $dest\nWrite-Host ('The old file is kept as ' + $dest)\n}}\n",
                ps_backup_path(&parent)
            ));
            out.push_str("$content = @(\n");
            for line in content.split('\n') {
                out.push_str(&ps_str(line));
                out.push('\n');
            }
            out.push_str(") -join \"`n\"\n");
            out.push_str("[IO.File]::WriteAllText($target, $content, (New-Object Text.UTF8Encoding $false))\n");
        }
        Action::Restore { backup } => {
            let manifest = format!("{}\\manifest.json", backup.trim_end_matches(['\\', '/']));
            out.push_str(&format!(
                "Write-Host 'Meeting Doctor kept the files it moved in this folder:'\nWrite-Host {}\n",
                ps_str(backup)
            ));
            out.push_str("Write-Host 'Its manifest.json (below) says where each one was (\"from\") and where it is kept inside the folder (\"to\"). Move them back by hand.'\n");
            out.push_str(&format!(
                "$manifest = {}\nif (Test-Path -LiteralPath $manifest) {{ Get-Content -LiteralPath $manifest -Encoding UTF8 | Out-Host }}\n",
                ps_str(&manifest)
            ));
        }
        Action::RemoveNftRules { .. } => {
            out.push_str(
                "Write-Host 'nftables rules exist on Linux only: nothing to remove here.'\n",
            );
        }
    }
}
