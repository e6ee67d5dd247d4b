//! Scripts for every fix and OS: quoting against hostile strings, and the
//! sh ones run for real.

use super::*;
// Some of these serve only the Unix tests (through `use super::*`).
use crate::{find, plan, FixEnv};
#[cfg_attr(not(unix), allow(unused_imports))]
use md_facts::model::{FirewallProfile, FirewallRule, FirewallState, ProxySettings, ZoomInstall};
#[cfg_attr(not(unix), allow(unused_imports))]
use std::collections::BTreeMap;
#[cfg_attr(not(unix), allow(unused_imports))]
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::{Command, Output};

// The sh scripts run for real: on Unix.
#[cfg(unix)]
mod unix;
mod windows;

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

#[cfg(unix)]
fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
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

#[cfg(unix)]
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

#[cfg(unix)]
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

// Runs the sh scripts (sh -n, or for real): Unix only.
#[cfg(unix)]
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

// Runs the sh scripts (sh -n, or for real): Unix only.
#[cfg(unix)]
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

// Runs the sh scripts (sh -n, or for real): Unix only.
#[cfg(unix)]
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
            crate::apply::glob_match(glob, name),
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

// Runs the sh scripts (sh -n, or for real): Unix only.
#[cfg(unix)]
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

/// Hostile paths and contents, save steps, ok codes, and stopping at the
/// first failure, run for real.
// Runs the sh scripts (sh -n, or for real): Unix only.
#[cfg(unix)]
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

// Runs the sh scripts (sh -n, or for real): Unix only.
#[cfg(unix)]
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
        for fix in crate::catalog() {
            let Ok(p) = plan(fix.id.as_str(), &env) else {
                continue;
            };
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
