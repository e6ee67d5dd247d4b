//! Scripts for every fix and OS: quoting against hostile strings, and the
//! sh ones run for real.

use super::*;
use crate::facts::model::{
    FirewallProfile, FirewallRule, FirewallState, ProxySettings, ZoomInstall,
};
use crate::fixes::{find, plan, FixEnv};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Strings that break naive quoting.
const HOSTILE: &[&str] = &[
    "",
    "plain",
    "a b",
    "it's",
    "'",
    "''",
    "'; touch pwned; '",
    "$(touch pwned)",
    "`touch pwned`",
    "${HOME}",
    "a\nb",
    "\n",
    "tab\there",
    "cr\rhere",
    "Zoë Ångström",
    "O’Brien ‘x’ ‚y‛",
    "\\",
    "back\\slash'",
    "\"double\"",
    "*",
    "~",
    "-n",
    "--",
    "!",
    "# not a comment",
    "a;b|c&d>e<f",
    "}{)(",
    "if",
    "x=y",
    "é'\n'$(x)`y`\\\"",
];

fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `sh -n` (and `bash -n` where bash is): the script parses.
fn assert_sh_syntax(script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("fix.sh");
    std::fs::write(&f, script).unwrap();
    for shell in ["sh", "bash"] {
        match Command::new(shell).arg("-n").arg(&f).output() {
            Ok(o) => assert!(
                o.status.success(),
                "{shell} -n: {}\n{script}",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(_) if shell == "bash" => {}
            Err(e) => panic!("{shell}: {e}"),
        }
    }
}

/// Runs `script` with sh in `cwd`, with `home` as HOME and `bin` first
/// on PATH.
fn run_sh(script: &str, cwd: &Path, home: &Path, bin: Option<&Path>) -> Output {
    let f = cwd.join("md-script.sh");
    std::fs::write(&f, script).unwrap();
    let mut path = std::env::var("PATH").unwrap_or_default();
    if let Some(b) = bin {
        path = format!("{}:{path}", b.display());
    }
    let out = Command::new("sh")
        .arg(&f)
        .current_dir(cwd)
        .env("HOME", home)
        .env("PATH", path)
        .output()
        .unwrap();
    std::fs::remove_file(&f).unwrap();
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What a pasted PowerShell script must be: one `& { … }` block, no
/// blank line (the console would end the block there), no tab (it
/// would complete a name), no other control character.
fn assert_paste_safe(ps: &str) {
    assert!(ps.ends_with("}\n}\n"), "{ps}");
    let body: Vec<&str> = ps.lines().skip_while(|l| l.starts_with('#')).collect();
    assert_eq!(body[0], "& {", "{ps}");
    assert_eq!(body[1], "$ErrorActionPreference = 'Stop'");
    for l in ps.lines() {
        assert!(!l.trim().is_empty(), "blank line in\n{ps}");
        assert!(
            !l.chars().any(char::is_control),
            "control character in {l:?}"
        );
    }
    assert!(
        body.iter().all(|l| !l.starts_with('#')),
        "comments only in the header"
    );
}

fn plan_of(id: &str, env: &FixEnv) -> Plan {
    plan(id, env).unwrap_or_else(|e| panic!("{id} on {:?}: {e}", env.os))
}

fn custom_plan(os: Os, steps: Vec<Step>) -> Plan {
    Plan {
        fix: find("dns.use_public").unwrap(),
        os,
        steps,
        needs_admin: false,
        needs_restart: false,
        side_effects: vec![],
        undo: "Move the files back.".into(),
    }
}

// ─────────────────────────── quoting ───────────────────────────

#[test]
fn sh_quoting_round_trips_any_string_through_a_real_shell() {
    for s in HOSTILE {
        for quoted in [sh_lit(s), sh_quote(s)] {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s' {quoted}"))
                .current_dir(std::env::temp_dir())
                .output()
                .unwrap();
            assert!(out.status.success(), "{quoted}");
            assert_eq!(text(&out.stdout), *s, "quoted as {quoted}");
        }
    }
    assert_eq!(sh_lit("it's"), r"'it'\''s'");
    assert_eq!(
        sh_quote("'; touch /tmp/pwned; '"),
        r"''\''; touch /tmp/pwned; '\'''"
    );
    assert_eq!(sh_quote("--property=NTP"), "--property=NTP");
    assert_eq!(sh_quote("a b"), "'a b'");
    assert_eq!(sh_quote(""), "''");
    assert_eq!(sh_quote("~"), "'~'");
    assert_eq!(sh_lit("a\0b"), "'a\u{FFFD}b'");
    assert_eq!(sh_program("if"), "'if'");
    assert_eq!(sh_program("x=y"), "'x=y'");
    assert_eq!(sh_program("/usr/sbin/nft"), "/usr/sbin/nft");
}

#[test]
fn sh_commands_keep_argv_and_environment_intact() {
    for s in HOSTILE {
        // The child prints its environment value and its argument.
        let mut c = CommandSpec::new("sh", &["-c", "printf '%s|%s' \"$MD_X\" \"$1\"", "sh", s]);
        c.env.push(("MD_X".into(), s.to_string()));
        let line = sh_command(&c);
        assert!(line.starts_with("MD_X='"), "{line}");
        let out = Command::new("sh").arg("-c").arg(&line).output().unwrap();
        assert_eq!(text(&out.stdout), format!("{s}|{s}"), "{line}");
    }
    let mut odd = CommandSpec::new("printenv", &["A-B"]);
    odd.env.push(("A-B".into(), "x y".into()));
    assert_eq!(sh_command(&odd), "env 'A-B=x y' printenv A-B");
    let out = Command::new("sh")
        .arg("-c")
        .arg(sh_command(&odd))
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "x y\n");
}

#[test]
fn keep_patterns_match_like_the_app_and_take_data_literally() {
    let check = |glob: &str, name: &str| -> bool {
        let script = format!(
            "case {} in {}) echo kept ;; *) echo moved ;; esac",
            sh_lit(name),
            sh_case_pattern(glob)
        );
        let out = Command::new("sh").arg("-c").arg(&script).output().unwrap();
        assert!(out.status.success(), "{script}");
        let kept = text(&out.stdout) == "kept\n";
        assert_eq!(
            kept,
            crate::fixes::apply::glob_match(glob, name),
            "{glob} vs {name}: {script}"
        );
        kept
    };
    assert_eq!(sh_case_pattern("*.db-*"), "*.[dD][bB]-*");
    assert!(check("*.enc.db", "zoomus.enc.db"));
    assert!(check("*.db", "ZOOMUS.ENC.DB"));
    assert!(check("*.db-*", "zoomus.db-wal"));
    assert!(!check("*.db", "zoomus.db-wal"));
    assert!(!check("*.ini", "cache"));
    // Only `*` is a wildcard: brackets, `?` and quotes are themselves.
    assert!(check("it's*[x]?", "it's a [x]?"));
    assert!(!check("it's*[x]?", "it's a x!"));
    assert!(!check("$(touch pwned)*", "anything"));
    assert_eq!(ps_like("*.db"), "'*.db'");
    assert_eq!(ps_like("it's*[x]?"), "'it''s*`[x`]`?'");
}

#[test]
fn process_names_are_exact_patterns() {
    assert_eq!(pkill_pattern("zoom.us", Os::Macos), r"zoom\.us");
    assert_eq!(pkill_pattern("a+b(c)", Os::Macos), r"a\+b\(c\)");
    // Linux compares with the kernel's 15-character name.
    assert_eq!(
        pkill_pattern("ZoomWebviewHostExtra", Os::Linux),
        "ZoomWebviewHost"
    );
    assert_eq!(
        pkill_pattern("ZoomWebviewHostExtra", Os::Macos),
        "ZoomWebviewHostExtra"
    );
    assert_eq!(pkill_pattern("ééééééééé", Os::Linux), "ééééééé");
}

#[test]
fn powershell_strings_double_every_single_quote_and_spell_out_control_characters() {
    assert_eq!(ps_str("plain"), "'plain'");
    assert_eq!(ps_str(r"C:\Users\Zoë O'Brien"), r"'C:\Users\Zoë O''Brien'");
    // PowerShell ends a single-quoted string at typographic quotes too.
    assert_eq!(ps_str("O’Brien ‘x’ ‚y‛"), "'O’’Brien ‘‘x’’ ‚‚y‛‛'");
    assert_eq!(ps_str("$(evil) `n \"x\""), "'$(evil) `n \"x\"'");
    assert_eq!(ps_str("a\nb"), "('a' + \"`n\" + 'b')");
    assert_eq!(ps_str("\r\n"), "(\"`r\" + \"`n\")");
    assert_eq!(
        ps_str("x\ty\u{7}"),
        "('x' + \"`t\" + 'y' + [string][char]0x0007)"
    );
    assert_eq!(ps_str(""), "''");
    for s in HOSTILE {
        let q = ps_str(s);
        assert!(!q.chars().any(char::is_control), "{q}");
    }
}

#[test]
fn header_data_cannot_leave_the_comments() {
    let mut p = custom_plan(
        Os::Linux,
        vec![Step::run(
            "A step\ntouch pwned-title",
            CommandSpec::new("true", &[]),
        )],
    );
    p.fix.title = "Title\ntouch pwned-header\r\u{2028}x".into();
    p.fix.why = "Why\n\ntouch pwned-why".into();
    p.side_effects = vec!["first\ntouch pwned-effect".into()];
    p.undo = "undo\ntouch pwned-undo".into();
    let script = export(&p);
    let head: Vec<&str> = script.lines().take_while(|l| *l != "set -eu").collect();
    assert!(
        head.len() > 8 && head.iter().all(|l| l.starts_with('#')),
        "{script}"
    );
    assert!(script.contains("#   touch pwned-header\n"), "{script}");
    assert_sh_syntax(&script);
    let dir = tempfile::tempdir().unwrap();
    let out = run_sh(&script, dir.path(), dir.path(), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "==> [1/1] A step\ntouch pwned-title\nMeeting Doctor: all steps done.\n"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing ran: {left:?}");

    let mut w = p.clone();
    w.os = Os::Windows;
    let ps = export(&w);
    assert_paste_safe(&ps);
    assert!(ps.contains("Write-Host ('==> [1/1] A step' + \"`n\" + 'touch pwned-title')"));
}

// ─────────────────────────── Windows ───────────────────────────

const ZOE_EXE: &str = r"C:\Users\Zoë O'Brien\AppData\Roaming\Zoom\bin\Zoom.exe";

fn windows_env() -> FixEnv {
    let mut env = FixEnv::bare(Os::Windows, r"C:\Users\Zoë O'Brien");
    env.vars.insert(
        "APPDATA".into(),
        r"C:\Users\Zoë O'Brien\AppData\Roaming".into(),
    );
    env.zoom = Some(ZoomInstall {
        installed: true,
        path: Some(ZOE_EXE.into()),
        ..Default::default()
    });
    env.firewall = Some(FirewallState {
        product: "Windows Defender Firewall".into(),
        zoom_rules: vec![FirewallRule {
            id: Some("Block Zoom ’quoted’ $(evil) `n; '".into()),
            name: "Block Zoom ’quoted’ $(evil) `n; '".into(),
            direction: "in".into(),
            action: "block".into(),
            enabled: true,
            program: Some(ZOE_EXE.into()),
        }],
        ..Default::default()
    });
    env.interface = Some("Ethernet 2 ‘Büro’".into());
    env.proxy = Some(ProxySettings {
        source: "HKCU Internet Settings".into(),
        pac_url: Some("http://wpad/wpad.dat".into()),
        ..Default::default()
    });
    env
}

#[test]
fn windows_firewall_runs_the_powershell_in_place_with_its_data_quoted() {
    let ps = export(&plan_of("firewall.allow_zoom", &windows_env()));
    assert_paste_safe(&ps);
    assert!(ps.starts_with("# Meeting Doctor: Let Zoom through this computer's firewall (firewall.allow_zoom)\n# Why: "), "{ps}");
    assert!(ps.contains("# Run it in an administrator PowerShell"));
    assert!(ps.contains("# How to undo: Undo removes the two rules"));
    assert!(ps.contains("#   - The firewall stays on; only Zoom's traffic is let through.\n"));
    assert!(
        ps.contains("IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { throw")
    );
    assert!(ps.contains(
        "$env:MD_RULE = 'Block Zoom ’’quoted’’ $(evil) `n; '''\n$r = @(Get-NetFirewallRule | Where-Object { $_.Name -ceq $env:MD_RULE }); if ($r.Count -ne 1) {"
    ), "{ps}");
    assert!(ps.contains(
        "$env:MD_PROGRAM = 'C:\\Users\\Zoë O''Brien\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe'\n$env:MD_RULE_IN = 'MeetingDoctor-Zoom-In'\n$env:MD_RULE_OUT = 'MeetingDoctor-Zoom-Out'\n$env:MD_GROUP = 'Meeting Doctor'\nforeach ($d in @(@('Inbound', $env:MD_RULE_IN)"
    ), "{ps}");
    // We are in PowerShell already: no child PowerShell, no encoding switch.
    assert!(
        !ps.contains("powershell.exe") && !ps.contains("OutputEncoding"),
        "{ps}"
    );
    // The data is never part of the code.
    let code: Vec<&str> = ps
        .lines()
        .filter(|l| {
            !l.starts_with("$env:") && !l.starts_with('#') && !l.starts_with("Write-Host '==>")
        })
        .collect();
    assert!(
        code.iter()
            .all(|l| !l.contains("Zoë") && !l.contains("evil")),
        "{code:?}"
    );
    let steps = ps
        .lines()
        .filter(|l| l.starts_with("Write-Host '==> ["))
        .count();
    assert_eq!(steps, 2);
}

#[test]
fn windows_native_programs_are_checked_with_their_ok_codes() {
    let env = windows_env();
    let ps = export(&plan_of("clock.sync", &env));
    assert_paste_safe(&ps);
    assert!(ps.contains(
        "& 'net' 'start' 'w32time'\nif (@(0, 2) -notcontains $LASTEXITCODE) { throw ('net exited with code ' + $LASTEXITCODE) }\n"
    ), "{ps}");
    assert!(ps.contains(
        "& 'w32tm' '/resync' '/force'\nif ($LASTEXITCODE -ne 0) { throw ('w32tm exited with code ' + $LASTEXITCODE) }\n"
    ));

    let ps = export(&plan_of("proxy.disable", &env));
    assert_paste_safe(&ps);
    // HKCU belongs to the person: not an administrator shell.
    assert!(
        ps.contains("not as administrator") && !ps.contains("IsInRole"),
        "{ps}"
    );
    assert!(ps.contains(
        "Write-Host 'Before: ProxyEnable (copy this into the ticket)'\ntry { & 'reg' 'query' 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings' '/v' 'ProxyEnable' | Out-Host; if ($LASTEXITCODE -ne 0 -and @(1) -notcontains $LASTEXITCODE) { throw ('exited with ' + $LASTEXITCODE) } } catch { throw ('Could not note the current setting first"
    ), "{ps}");
    assert!(ps.contains(
        "& 'reg' 'delete' 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings' '/v' 'AutoConfigURL' '/f'\nif (@(0, 1) -notcontains $LASTEXITCODE) {"
    ));

    let ps = export(&plan_of("dns.use_public", &env));
    assert_paste_safe(&ps);
    assert!(
        ps.contains(
            "$env:MD_IF = 'Ethernet 2 ‘‘Büro’’'\ntry { & { $a = Get-NetAdapter -Name $env:MD_IF"
        ),
        "{ps}"
    );
    assert!(ps.contains("$env:MD_DNS = '1.1.1.1,8.8.8.8'\nSet-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ServerAddresses ($env:MD_DNS -split ',')\n"));
}

#[test]
fn windows_arguments_powershell_51_would_mangle_go_through_process_start() {
    assert!(ps_native_safe(
        r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"
    ));
    assert!(!ps_native_safe("") && !ps_native_safe("a\"b") && !ps_native_safe(r"C:\dir\"));
    let url = r#"http://wpad/"x y"\"#;
    let steps = vec![
        Step::run(
            "Put the automatic configuration script back",
            CommandSpec::new(
                "reg",
                &[
                    "add",
                    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings",
                    "/v",
                    "AutoConfigURL",
                    "/t",
                    "REG_SZ",
                    "/d",
                    url,
                    "/f",
                ],
            ),
        ),
        Step::new(
            "Move the files back from the backup folder",
            Action::Restore {
                backup: r"C:\Users\Zoë O'Brien\AppData\Local\Meeting Doctor\backups\e1".into(),
            },
        ),
    ];
    let ps = export_undo(Os::Windows, "Stop using the proxy server", &steps);
    assert_paste_safe(&ps);
    assert!(ps.starts_with("# Meeting Doctor: Undo: Stop using the proxy server\n"));
    assert!(!ps.contains("IsInRole"), "HKCU is the person's own");
    assert!(ps.contains(
        r#"$p = [Diagnostics.Process]::Start((New-Object Diagnostics.ProcessStartInfo -Property @{ FileName = 'reg'; Arguments = 'add "HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings" /v AutoConfigURL /t REG_SZ /d "http://wpad/\"x y\"\\" /f'; UseShellExecute = $false })); $p.WaitForExit()
if ($p.ExitCode -ne 0) { throw ('reg exited with code ' + $p.ExitCode) }
"#
    ), "{ps}");
    assert!(ps.contains(
        "Write-Host 'C:\\Users\\Zoë O''Brien\\AppData\\Local\\Meeting Doctor\\backups\\e1'\n"
    ));
    assert!(ps.contains("$manifest = 'C:\\Users\\Zoë O''Brien\\AppData\\Local\\Meeting Doctor\\backups\\e1\\manifest.json'\nif (Test-Path -LiteralPath $manifest) { Get-Content -LiteralPath $manifest -Encoding UTF8 | Out-Host }"));
    let fw = export_undo(
        Os::Windows,
        "Let Zoom through",
        &[Step::run(
            "Remove the rules Meeting Doctor added",
            CommandSpec::powershell("Remove-NetFirewallRule -Name $env:MD_RULE_IN"),
        )],
    );
    assert!(
        fw.contains("IsInRole") && fw.contains("\nRemove-NetFirewallRule -Name $env:MD_RULE_IN\n"),
        "{fw}"
    );
}

#[test]
fn windows_cache_moves_aside_keeping_settings_and_databases() {
    let ps = export(&plan_of("zoom.clear_cache", &windows_env()));
    assert_paste_safe(&ps);
    assert!(!ps.contains("IsInRole"));
    assert!(ps.contains("$backup = Join-Path $env:USERPROFILE ('meeting-doctor-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))\nif (Test-Path -LiteralPath $backup) { throw"), "{ps}");
    assert!(ps.contains(
        "$src = 'C:\\Users\\Zoë O''Brien\\AppData\\Roaming\\Zoom\\data'\n$dest = ($backup + '\\C\\Users\\Zoë O''Brien\\AppData\\Roaming\\Zoom\\data')\n"
    ), "{ps}");
    // As the app: kept names stay at any depth, a folder holding one
    // is looked into, links and junctions are not followed.
    assert!(
        ps.contains("$keep = @('*.db', '*.db-*', '*.ini', '*.conf', '*.plist')\nfunction MdKept([string]$name) { foreach ($k in $keep) { if ($name -like $k) { return $true } }; return $false }\n"),
        "{ps}"
    );
    assert!(ps.contains(
        "function MdIsFolder($item) { $item.PSIsContainer -and -not ($item.Attributes -band [IO.FileAttributes]::ReparsePoint) }\n"
    ), "{ps}");
    assert!(ps.contains(
        "function MdHoldsKept([string]$dir) { foreach ($e in @(Get-ChildItem -LiteralPath $dir -Force -ErrorAction SilentlyContinue)) { if ((MdKept $e.Name) -or ((MdIsFolder $e) -and (MdHoldsKept $e.FullName))) { return $true } }; return $false }\n"
    ), "{ps}");
    assert!(ps.contains(
        "function MdMoveIn([string]$dir, [string]$to) { foreach ($f in @(Get-ChildItem -LiteralPath $dir -Force)) { $there = [IO.Path]::Combine($to, $f.Name); if (MdKept $f.Name) { Write-Host ('Kept ' + $f.FullName) } elseif ((MdIsFolder $f) -and (MdHoldsKept $f.FullName)) { MdMoveIn $f.FullName $there } else { MdMove $f.FullName $there } } }\n"
    ), "{ps}");
    assert!(ps.contains(
        "if ((Test-Path -LiteralPath $src -PathType Container) -and (MdIsFolder (Get-Item -LiteralPath $src -Force))) {\nMdMoveIn $src $dest\n} elseif (Test-Path -LiteralPath $src) {\nMdMove $src $dest\n} else {\nWrite-Host ('Nothing to move: ' + $src)\n}\n"
    ), "{ps}");
    // Moves take both paths literally and make the folders they need.
    assert!(ps.contains(
        "function MdMove([string]$from, [string]$to) { [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($to)); if (Test-Path -LiteralPath $from -PathType Leaf) { [IO.File]::Move($from, $to) } else { [IO.Directory]::Move($from, $to) }; Write-Host ('Moved ' + $from) }\n"
    ), "{ps}");
    assert!(!ps.contains("-Destination"), "{ps}");
    // Each function is defined before it is first called.
    for f in ["MdMove", "MdKept", "MdIsFolder", "MdHoldsKept", "MdMoveIn"] {
        let defined = ps.find(&format!("function {f}(")).unwrap();
        let called = ps.find(&format!("{f} $")).unwrap();
        assert!(defined < called, "{f}");
    }
    assert!(ps.contains("foreach ($n in @('Zoom.exe', "), "{ps}");
    assert!(ps.contains("& 'taskkill.exe' '/IM' $n 2>&1 | Out-Null"));
    assert!(ps.contains("Start-Sleep -Seconds 5\nforeach ($n in @('Zoom', "));
    assert!(
        ps.contains("'Zoom Launcher'"),
        "names with spaces stay whole"
    );
    assert!(ps.contains("{ Stop-Process -Name $n -Force -ErrorAction SilentlyContinue }"));
    assert!(!ps.contains("'Zoom.exe.exe'") && !ps.contains("@('Zoom.exe', 'Zoom')"));
}

#[test]
fn windows_move_aside_takes_hostile_paths_and_patterns_as_data() {
    let p = custom_plan(
        Os::Windows,
        vec![Step::new(
            "Move it",
            Action::MoveAside {
                path: "C:\\Users\\O’Brien\\it's [1]\n$(x)".into(),
                keep: vec!["it's*[x]?".into(), "*.db".into()],
            },
        )],
    );
    let ps = export(&p);
    assert_paste_safe(&ps);
    assert!(ps.contains(
        "$src = ('C:\\Users\\O’’Brien\\it''s [1]' + \"`n\" + '$(x)')\n$dest = ($backup + ('\\C\\Users\\O’’Brien\\it''s [1]' + \"`n\" + '$(x)'))\n"
    ), "{ps}");
    assert!(
        ps.contains("$keep = @('it''s*`[x`]`?', '*.db')\n"),
        "only * is a wildcard: {ps}"
    );
    assert!(ps.contains("MdMoveIn $src $dest\n"), "{ps}");
}

#[test]
fn windows_file_writes_keep_the_exact_bytes() {
    let p = custom_plan(
        Os::Windows,
        vec![Step::new(
            "Write it",
            Action::WriteFile {
                path: r"C:\ProgramData\Zoë's\it's [1].conf".into(),
                content: "line 'one'\n\n\t$(x)\n".into(),
            },
        )],
    );
    let ps = export(&p);
    assert_paste_safe(&ps);
    assert!(ps.contains(
        "$target = 'C:\\ProgramData\\Zoë''s\\it''s [1].conf'\n$dest = ($backup + '\\C\\ProgramData\\Zoë''s\\it''s [1].conf')\nif (Test-Path -LiteralPath $target) {\n[void][IO.Directory]::CreateDirectory(($backup + '\\C\\ProgramData\\Zoë''s'))\nMove-Item -LiteralPath $target -Destination $dest\n"
    ), "{ps}");
    assert!(ps.contains(
        "$content = @(\n'line ''one'''\n''\n(\"`t\" + '$(x)')\n''\n) -join \"`n\"\n[IO.File]::WriteAllText($target, $content, (New-Object Text.UTF8Encoding $false))\n"
    ), "{ps}");
}

// ─────────────────────────── macOS ───────────────────────────

#[test]
fn macos_cache_paths_with_accents_and_quotes_are_quoted_exactly() {
    let env = FixEnv::bare(Os::Macos, "/Users/Zoë Ångström");
    let p = plan_of("zoom.clear_cache", &env);
    let sh = export(&p);
    assert_sh_syntax(&sh);
    assert!(sh.starts_with(
        "#!/bin/sh\n# Meeting Doctor: Put Zoom's temporary files aside (zoom.clear_cache)\n"
    ));
    assert!(sh.contains("# Run it as the person who uses Zoom, without sudo"));
    assert!(sh.contains("#   sh meeting-doctor-zoom.clear_cache.sh\n"));
    assert!(!sh.contains("id -u"));
    assert!(sh.contains("\nset -eu\n"));
    assert!(
        sh.contains("for n in 'zoom\\.us' ZoomOpener 'Zoom Launcher' CptHost caphost aomhost airhost ZoomWebviewHost ZoomClips; do pkill -TERM -i -x -- \"$n\" || true; done\n"),
        "{sh}"
    );
    assert!(sh.contains("; do pkill -TERM -i -x -- \"$n\" || true; done\nsleep 5\nfor n in "));
    assert!(sh.contains(
        "src='/Users/Zoë Ångström/Library/Caches/us.zoom.xos'\ndest=\"$backup\"'/Users/Zoë Ångström/Library/Caches/us.zoom.xos'\nif [ -e \"$src\" ] || [ -L \"$src\" ]; then\n  mkdir -p \"$backup\"'/Users/Zoë Ångström/Library/Caches'\n  mv -- \"$src\" \"$dest\"\n"
    ), "{sh}");
    assert!(sh.contains(
        "src='/Users/Zoë Ångström/Library/Application Support/zoom.us/data'\ndest=\"$backup\"'/Users/Zoë Ångström/Library/Application Support/zoom.us/data'\nmd_kept() {\n"
    ), "{sh}");
    assert!(sh.contains(
        "  case $1 in\n    *.[dD][bB] | *.[dD][bB]-* | *.[iI][nN][iI] | *.[cC][oO][nN][fF] | *.[pP][lL][iI][sS][tT]) return 0 ;;\n  esac\n"
    ), "{sh}");
    assert!(
        sh.contains("if [ -d \"$src\" ] && [ ! -L \"$src\" ]; then\n  md_move_in \"$src\"\nelif "),
        "{sh}"
    );

    let quoted = export(&plan_of(
        "zoom.clear_cache",
        &FixEnv::bare(Os::Macos, "/Users/Zoë O'Brien"),
    ));
    assert_sh_syntax(&quoted);
    assert!(
        quoted.contains("src='/Users/Zoë O'\\''Brien/Library/Caches/us.zoom.xos'\n"),
        "{quoted}"
    );
    assert!(
        quoted.contains("dest=\"$backup\"'/Users/Zoë O'\\''Brien/Library/Caches/us.zoom.xos'\n")
    );
}

#[test]
fn macos_firewall_and_proxy_quote_their_arguments() {
    let mut env = FixEnv::bare(Os::Macos, "/Users/zoe");
    env.zoom = Some(ZoomInstall {
        installed: true,
        path: Some("/Applications/Zoom's $(x).app/Contents/MacOS/zoom.us".into()),
        ..Default::default()
    });
    env.service = Some("Wi-Fi 'Büro'".into());
    env.proxy = Some(ProxySettings {
        source: "scutil --proxy".into(),
        http: Some("proxy:3128".into()),
        ..Default::default()
    });
    let fw = export(&plan_of("firewall.allow_zoom", &env));
    assert_sh_syntax(&fw);
    assert!(
        fw.contains("# Run it with sudo (as administrator).")
            && fw.contains("if [ \"$(id -u)\" -ne 0 ]; then")
    );
    assert!(fw.contains(
        "/usr/libexec/ApplicationFirewall/socketfilterfw --getappblocked '/Applications/Zoom'\\''s $(x).app' || { rc=$?; printf"
    ), "{fw}");
    assert!(fw.contains("/usr/libexec/ApplicationFirewall/socketfilterfw --unblockapp '/Applications/Zoom'\\''s $(x).app'\n"));
    let proxy = export(&plan_of("proxy.disable", &env));
    assert_sh_syntax(&proxy);
    assert!(
        proxy.contains("networksetup -setwebproxystate 'Wi-Fi '\\''Büro'\\''' off\n"),
        "{proxy}"
    );
    assert!(proxy.contains("printf '%s\\n' 'Before: web (copy this into the ticket)'\nnetworksetup -getwebproxy 'Wi-Fi '\\''Büro'\\''' || { rc=$?; printf"));
}

// ─────────────────────────── Linux ───────────────────────────

#[test]
fn linux_resolv_conf_is_written_with_a_quoted_here_document() {
    let mut env = FixEnv::bare(Os::Linux, "/home/zoë");
    env.linux.resolv_conf = Some(
        "# Generated by NetworkManager\nsearch corp.example\nnameserver 10.0.0.1\noptions edns0 trust-ad\n".into(),
    );
    let p = plan_of("dns.use_public", &env);
    let sh = export(&p);
    assert_sh_syntax(&sh);
    assert!(
        sh.contains("#   sudo sh meeting-doctor-dns.use_public.sh\n"),
        "{sh}"
    );
    assert!(sh.contains("if [ \"$(id -u)\" -ne 0 ]; then\n  echo 'Run this with sudo (as administrator).' >&2\n  exit 1\nfi\n"));
    assert!(sh.contains(
        "backup=\"$HOME/meeting-doctor-backup-$(date +%Y%m%d-%H%M%S)\"\nmkdir -- \"$backup\"\n"
    ));
    assert!(sh.contains(
        "target=/etc/resolv.conf\nif [ -e \"$target\" ] || [ -L \"$target\" ]; then\n  mkdir -p \"$backup\"/etc\n  mv -- \"$target\" \"$backup\"/etc/resolv.conf\n"
    ), "{sh}");
    assert!(sh.contains(
        "cat > \"$target\" <<'MD_EOF'\n# Written by Meeting Doctor (fix dns.use_public); the old file is in its backup folder.\n# Generated by NetworkManager\nsearch corp.example\noptions edns0 trust-ad\nnameserver 1.1.1.1\nnameserver 8.8.8.8\nMD_EOF\n"
    ), "{sh}");
}

#[test]
fn linux_network_manager_names_and_nft_sets_are_quoted() {
    let mut env = FixEnv::bare(Os::Linux, "/home/zoë");
    env.linux.network_manager = true;
    env.linux.nm_connection = Some("Café 'Guest' $(reboot) `id`".into());
    let sh = export(&plan_of("dns.use_public", &env));
    assert_sh_syntax(&sh);
    assert!(sh.contains(
        "nmcli connection modify 'Café '\\''Guest'\\'' $(reboot) `id`' ipv4.dns '1.1.1.1 8.8.8.8' ipv4.ignore-auto-dns yes\n"
    ), "{sh}");
    assert!(sh.contains("nmcli -g ipv4.dns,ipv4.ignore-auto-dns connection show 'Café '\\''Guest'\\'' $(reboot) `id`' || { rc=$?; printf"));

    env.firewall = Some(FirewallState {
        product: "nftables".into(),
        profiles: vec![FirewallProfile {
            name: "inet filter output".into(),
            enabled: true,
            default_inbound: None,
            default_outbound: Some("drop".into()),
        }],
        ..Default::default()
    });
    let fw = export(&plan_of("firewall.allow_zoom", &env));
    assert_sh_syntax(&fw);
    assert!(fw.contains(
        "nft insert rule inet filter output tcp dport '{' 443, 8801-8802 '}' accept comment '\"meeting-doctor-zoom\"'\n"
    ), "{fw}");

    let mut ufw = env.clone();
    ufw.firewall.as_mut().unwrap().product = "ufw".into();
    let u = export(&plan_of("firewall.allow_zoom", &ufw));
    assert_sh_syntax(&u);
    assert!(
        u.contains(
            "ufw allow out proto udp to any port 3478:3479,8801:8810 comment meeting-doctor-zoom\n"
        ),
        "{u}"
    );
}

#[test]
fn linux_undo_removes_tagged_nft_rules_and_points_at_the_backup() {
    let steps = vec![
        Step::new(
            "Remove Meeting Doctor's rules from inet filter output",
            Action::RemoveNftRules {
                family: "inet".into(),
                table: "filter".into(),
                chain: "output".into(),
                tag: "meeting-doctor-zoom".into(),
            },
        ),
        Step::new(
            "Move the files back from the backup folder",
            Action::Restore {
                backup: "/home/zoë/.local/share/meeting-doctor/backups/e 1".into(),
            },
        ),
    ];
    let sh = export_undo(
        Os::Linux,
        "Let Zoom through this computer's firewall",
        &steps,
    );
    assert_sh_syntax(&sh);
    assert!(sh.starts_with(
        "#!/bin/sh\n# Meeting Doctor: Undo: Let Zoom through this computer's firewall\n"
    ));
    assert!(sh.contains("sudo sh meeting-doctor-undo.sh"));
    assert!(sh.contains(
        "nft -a list chain inet filter output | sed -n 's/.*comment \"meeting-doctor-zoom\".*# handle \\([0-9]*\\).*/\\1/p' | while read -r h; do nft delete rule inet filter output handle \"$h\"; done\n"
    ), "{sh}");
    assert!(sh.contains("'/home/zoë/.local/share/meeting-doctor/backups/e 1'"));
    assert!(sh.contains("if [ -f '/home/zoë/.local/share/meeting-doctor/backups/e 1/manifest.json' ]; then cat -- '/home/zoë/.local/share/meeting-doctor/backups/e 1/manifest.json'; echo; fi\n"));
    assert!(!sh.contains("backup=\""), "undo moves nothing itself");

    // Run it against a fake nft that lists a chain and records deletions
    // (the root check is for the real thing, so it is taken out).
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("nft.log");
    write_exec(
        &bin.join("nft"),
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> {}\nif [ \"$1\" = -a ]; then printf '%s\\n' 'table inet filter {{' '\tchain output {{ # handle 2' '\t\tudp dport {{ 3478, 8801-8810 }} accept comment \"meeting-doctor-zoom\" # handle 7' '\t\tudp dport 8801 drop # handle 3' '\t\ttcp dport 443 accept comment \"meeting-doctor-zoom\" # handle 18' '\t}}' '}}'; fi\n",
            sh_lit(&log.to_string_lossy())
        ),
    );
    let backup = dir.path().join("backups").join("e 1");
    std::fs::create_dir_all(&backup).unwrap();
    std::fs::write(backup.join("manifest.json"), "{\"fix\":\"x\",\"items\":[]}").unwrap();
    let mut steps = steps;
    steps[1].action = Action::Restore {
        backup: backup.to_string_lossy().into_owned(),
    };
    let script = export_undo(Os::Linux, "Let Zoom through", &steps)
        .replace("if [ \"$(id -u)\" -ne 0 ]; then", "if false; then");
    let out = run_sh(&script, dir.path(), dir.path(), Some(&bin));
    assert!(out.status.success(), "{}\n{script}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "-a list chain inet filter output\ndelete rule inet filter output handle 7\ndelete rule inet filter output handle 18\n"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("{}\n", backup.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains("{\"fix\":\"x\",\"items\":[]}\n"),
        "{stdout}"
    );
}

/// Folders below Zoom's data folder: kept files at depth (in names
/// with spaces, a line break, a leading dash and glob characters), a
/// folder named like a database, links to folders and to a database,
/// an empty folder, and a folder with nothing to keep.
fn nested_tree(data: &Path, outside: &Path) {
    let files: &[&str] = &[
        "acct 1/sub/chat.enc.db",
        "acct 1/sub/other.bin",
        "acct 1/tmp.bin",
        "-rf [x]*?/deep/Keep.DB",
        "-rf [x]*?/deep/junk",
        "-rf [x]*?/junk",
        "line\nbreak dir/.hidden/settings.ini",
        "line\nbreak dir/x",
        "old.db/inside",
        "cache dir/deeper/blob",
    ];
    for f in files {
        let path = data.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::write(&path, name).unwrap();
    }
    std::fs::create_dir_all(data.join("acct 1/empty")).unwrap();
    std::os::unix::fs::symlink(outside, data.join("link to outside")).unwrap();
    std::os::unix::fs::symlink(outside, data.join("acct 1/sub/link")).unwrap();
    std::os::unix::fs::symlink(outside.join("elsewhere.db"), data.join("link.db")).unwrap();
}

/// What a folder holds, at any depth, links not followed: each entry's
/// path and what it is (folder, file and its contents, link and its target).
fn tree(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(rel) = todo.pop() {
        for e in std::fs::read_dir(root.join(&rel)).unwrap() {
            let e = e.unwrap();
            let rel = rel.join(e.file_name());
            let what = entry(&e.path());
            if what == "folder" {
                todo.push(rel.clone());
            }
            out.insert(rel, what);
        }
    }
    out
}

fn entry(p: &Path) -> String {
    let meta = std::fs::symlink_metadata(p).unwrap();
    if meta.file_type().is_symlink() {
        format!("link to {}", std::fs::read_link(p).unwrap().display())
    } else if meta.is_dir() {
        "folder".into()
    } else {
        format!("file: {}", std::fs::read_to_string(p).unwrap())
    }
}

/// The real thing: Zoom's cache in a home folder whose name is hostile
/// moves into the backup folder; settings and databases stay.
#[test]
fn linux_clear_cache_script_really_moves_the_cache_and_keeps_the_rest() {
    let root = tempfile::tempdir().unwrap();
    let home = root
        .path()
        .join("Zoë O'Brien $(touch pwned) `touch pwned2` [x]*?");
    let data = home.join(".zoom").join("data");
    std::fs::create_dir_all(data.join("logs")).unwrap();
    let files: &[(&str, bool)] = &[
        ("cache.tmp", false),
        ("avatar 1.png", false),
        (".hidden-cache", false),
        ("it's $(touch pwned3); `x`", false),
        ("line\nbreak", false),
        ("zoomus.enc.db", true),
        ("zoomus.enc.db-wal", true),
        ("viper.ini", true),
        ("Settings.INI", true),
        ("zoom.conf", true),
    ];
    for (name, _) in files {
        std::fs::write(data.join(name), name).unwrap();
    }
    std::fs::write(data.join("logs").join("zoom.log"), "log").unwrap();
    // Deeper down, as the app sees it: folders holding a kept file are
    // looked into, the rest move whole, links are not followed.
    let outside = root.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("elsewhere.db"), "x").unwrap();
    nested_tree(&data, &outside);
    // The same tree, for the app's own move-aside to compare with.
    let app_data = root.path().join("app").join("data");
    std::fs::create_dir_all(app_data.join("logs")).unwrap();
    for (name, _) in files {
        std::fs::write(app_data.join(name), name).unwrap();
    }
    std::fs::write(app_data.join("logs").join("zoom.log"), "log").unwrap();
    nested_tree(&app_data, &outside);
    let cache = home.join(".cache").join("zoom");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join("blob"), "b").unwrap();

    let bin = root.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = root.path().join("calls.log");
    // pkill exits 1 when nothing matched, as the real one does.
    for (fake, code) in [("pkill", 1), ("sleep", 0)] {
        write_exec(
            &bin.join(fake),
            &format!(
                "#!/bin/sh\nprintf '%s\\n' \"{fake} $*\" >> {}\nexit {code}\n",
                sh_lit(&log.to_string_lossy())
            ),
        );
    }

    let env = FixEnv::bare(Os::Linux, &home.to_string_lossy());
    let p = plan_of("zoom.clear_cache", &env);
    let script = export(&p);
    assert_sh_syntax(&script);
    let out = run_sh(&script, root.path(), &home, Some(&bin));
    assert!(
        out.status.success(),
        "{}\n{}\n{script}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // No injection anywhere.
    for bad in ["pwned", "pwned2", "pwned3", "x"] {
        assert!(!root.path().join(bad).exists(), "{bad} was created");
        assert!(!home.join(bad).exists(), "{bad} was created");
    }
    // Quit asked (TERM), waited, forced (KILL), by exact name.
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.contains("pkill -TERM -i -x -- Zoom\n"), "{calls}");
    assert!(
        calls.contains("sleep 5\npkill -KILL -i -x -- Zoom\n"),
        "{calls}"
    );

    let backups: Vec<PathBuf> = std::fs::read_dir(&home)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("meeting-doctor-backup-")
        })
        .collect();
    assert_eq!(backups.len(), 1, "one dated backup folder");
    let kept_in = |p: &Path| backups[0].join(p.strip_prefix("/").unwrap());
    for (name, stays) in files {
        assert_eq!(data.join(name).exists(), *stays, "{name} in place");
        let moved = kept_in(&data).join(name);
        assert_eq!(moved.exists(), !*stays, "{name} in the backup");
        if !stays {
            assert_eq!(std::fs::read_to_string(moved).unwrap(), *name);
        }
    }
    // Two levels down: the database stays, its siblings move.
    let acct = data.join("acct 1");
    assert_eq!(
        std::fs::read_to_string(acct.join("sub").join("chat.enc.db")).unwrap(),
        "chat.enc.db"
    );
    assert!(!acct.join("tmp.bin").exists() && !acct.join("sub").join("other.bin").exists());
    assert_eq!(
        std::fs::read_to_string(kept_in(&acct).join("sub").join("other.bin")).unwrap(),
        "other.bin"
    );
    assert!(
        !kept_in(&acct).join("sub").join("chat.enc.db").exists(),
        "the database is not copied either"
    );
    // The link moved as a link; what it points to was not looked into.
    let link = kept_in(&data).join("link to outside");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(outside.join("elsewhere.db").exists());

    // And exactly as the app's own move-aside does it.
    let keep = p
        .steps
        .iter()
        .find_map(|s| match &s.action {
            Action::MoveAside { path, keep } if Path::new(path) == data => Some(keep.clone()),
            _ => None,
        })
        .expect("the data folder is moved aside with keep patterns");
    let app_backup = root.path().join("app-backup");
    crate::fixes::apply::move_aside(&app_data, &keep, &app_backup, "zoom.clear_cache").unwrap();
    assert_eq!(
        tree(&data),
        tree(&app_data),
        "what stays is what the app leaves"
    );
    let mut app_moved = BTreeMap::new();
    let manifest = crate::fixes::apply::read_manifest(&app_backup).unwrap();
    for item in &manifest.items {
        let rel = Path::new(&item.from).strip_prefix(&app_data).unwrap();
        let at = app_backup.join(item.to.as_ref().unwrap());
        let mut parent = rel.parent();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            app_moved.insert(p.to_path_buf(), "folder".to_string());
            parent = p.parent();
        }
        let what = entry(&at);
        if what == "folder" {
            for (sub, what) in tree(&at) {
                app_moved.insert(rel.join(sub), what);
            }
        }
        app_moved.insert(rel.to_path_buf(), what);
    }
    assert_eq!(
        tree(&kept_in(&data)),
        app_moved,
        "what moves is what the app moves"
    );
    assert!(!data.join("logs").exists());
    assert_eq!(
        std::fs::read_to_string(kept_in(&data).join("logs").join("zoom.log")).unwrap(),
        "log"
    );
    assert!(!cache.exists());
    assert_eq!(
        std::fs::read_to_string(kept_in(&cache).join("blob")).unwrap(),
        "b"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Nothing to move: "),
        "the Flatpak folders are absent: {stdout}"
    );
    assert!(
        stdout.ends_with("Meeting Doctor: all steps done.\n"),
        "{stdout}"
    );

    // Run again within the same second: the backup folder is not reused.
    let again = run_sh(&script, root.path(), &home, Some(&bin));
    let n = std::fs::read_dir(&home)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("meeting-doctor-backup-")
        })
        .count();
    assert!(again.status.success() && n == 2 || !again.status.success() && n == 1);
}

/// Hostile paths and contents, save steps, ok codes, and stopping at the
/// first failure, run for real.
#[test]
fn hostile_values_are_only_ever_data_and_the_script_stops_at_the_first_error() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path().to_string_lossy().into_owned();
    let dir = root.path().join("etc $(touch pwned) 'q'");
    std::fs::create_dir(&dir).unwrap();
    let conf = dir.join("it's; touch pwned; '$(touch x)`touch y`\n.conf");
    std::fs::write(&conf, "old contents\n").unwrap();
    let content = format!(
        "a '; touch {r}/pwned; ' line\n'; touch /tmp/pwned; '\n$(touch x) and `touch y` and $HOME\nMD_EOF\n\\ backslash \\n\n"
    );
    let tmp_pwned_before = Path::new("/tmp/pwned").exists();
    let other = dir.join("no-newline");
    let steps = vec![
        Step::new(
            "Note it",
            Action::Save {
                name: "it's".into(),
                command: CommandSpec {
                    program: "printf".into(),
                    args: vec!["[%s]\\n".into(), "$(touch x) 'q'".into()],
                    env: vec![("MD_IGNORED".into(), "'; touch pwned; '".into())],
                },
                absent_codes: vec![],
            },
        ),
        Step::new(
            "A save whose code means \"not set\" goes on",
            Action::Save {
                name: "missing".into(),
                command: CommandSpec::new("sh", &["-c", "exit 4"]),
                absent_codes: vec![4],
            },
        ),
        Step::new(
            "Write the file",
            Action::WriteFile {
                path: conf.to_string_lossy().into_owned(),
                content: content.clone(),
            },
        ),
        Step::new(
            "Write one without a final newline",
            Action::WriteFile {
                path: other.to_string_lossy().into_owned(),
                content: "no newline $(touch x)".into(),
            },
        ),
        Step::new(
            "Exit 3 means nothing to do",
            Action::Run {
                command: CommandSpec::new("sh", &["-c", "exit 3"]),
                ok_codes: vec![3],
            },
        ),
        Step::new(
            "This one fails",
            Action::Run {
                command: CommandSpec::new("sh", &["-c", "exit 5"]),
                ok_codes: vec![3],
            },
        ),
        Step::new(
            "Never reached",
            Action::WriteFile {
                path: dir.join("never").to_string_lossy().into_owned(),
                content: "x\n".into(),
            },
        ),
    ];
    let script = export(&custom_plan(Os::Linux, steps));
    assert_sh_syntax(&script);
    assert!(
        script.contains("<<'MD_EOF_1'\n"),
        "MD_EOF is in the content: {script}"
    );
    let out = run_sh(&script, root.path(), root.path(), None);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(5), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Before: it's (copy this into the ticket)\n[$(touch x) 'q']\n"),
        "{stdout}"
    );
    assert!(stdout.contains("==> [6/7] This one fails\n") && !stdout.contains("Never reached"));
    assert!(
        stderr.contains("sh exited with code 5")
            && stderr.contains("stopped after an error (exit code 5)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), content);
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "no newline $(touch x)"
    );
    assert!(!dir.join("never").exists());
    for bad in ["pwned", "x", "y"] {
        assert!(!root.path().join(bad).exists(), "{bad} was created");
    }
    assert!(tmp_pwned_before || !Path::new("/tmp/pwned").exists());
    // The old file is in the backup folder, under its full path.
    let backup = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("meeting-doctor-backup-")
        })
        .expect("a backup folder");
    let old = backup.join(conf.strip_prefix("/").unwrap());
    assert_eq!(std::fs::read_to_string(old).unwrap(), "old contents\n");
}

#[test]
fn every_fix_exports_on_every_os() {
    for os in [Os::Windows, Os::Macos, Os::Linux] {
        let home = match os {
            Os::Windows => r"C:\Users\Zoë O'Brien",
            Os::Macos => "/Users/Zoë O'Brien",
            Os::Linux => "/home/zoë o'brien",
        };
        let mut env = FixEnv::bare(os, home);
        env.interface = Some("en0 'x'".into());
        env.service = Some("Wi-Fi 'x'".into());
        env.proxy = Some(ProxySettings {
            source: "GNOME".into(),
            http: Some("p:3128".into()),
            ..Default::default()
        });
        env.firewall = Some(FirewallState {
            product: "ufw".into(),
            ..Default::default()
        });
        env.linux.resolved = true;
        env.linux.network_manager = true;
        env.linux.nm_connection = Some("Wired 'x'".into());
        env.linux.timedatectl = true;
        for fix in crate::fixes::catalog() {
            let Ok(p) = plan(&fix.id, &env) else { continue };
            let s = export(&p);
            let n = p.steps.len();
            for (i, step) in p.steps.iter().enumerate() {
                let banner = step_banner(i, n, &step.title);
                let shown = match os {
                    Os::Windows => format!("Write-Host {}\n", ps_str(&banner)),
                    _ => format!("printf '%s\\n' {}\n", sh_lit(&banner)),
                };
                assert!(s.contains(&shown), "{} {os:?}: {shown}", fix.id);
            }
            if os == Os::Windows {
                assert_paste_safe(&s);
            } else {
                assert_sh_syntax(&s);
            }
            assert_eq!(
                s.contains("IsInRole") || s.contains("id -u"),
                p.needs_admin,
                "{} {os:?}",
                fix.id
            );
        }
    }
}
