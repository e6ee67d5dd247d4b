//! The administrator boundary, attacked as a program running as the same
//! person would: forged journal lines and manifests, links planted in
//! Meeting Doctor's folders, a torn last line, two fixes at once, a full
//! disk. The real binary, a temp home and data folder; run as root (as a
//! technician's elevated shell would be) where that is the point.

// Root, Unix permissions and symlinks: Linux only (other systems build this file empty).
#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{code, text, Home};

/// The journal entries (`meeting-doctor journal --json`).
fn entries(h: &Home) -> Vec<Value> {
    let o = h.run(&["journal", "--json"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    serde_json::from_slice::<Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn applied_cache_fix(h: &Home) -> String {
    let o = h.run(&["fix", "zoom.clear_cache", "--yes", "--no-verify"]);
    let out = text(&o.stdout);
    assert_eq!(code(&o), 0, "{out}\n{}", text(&o.stderr));
    out.lines()
        .find_map(|l| l.strip_prefix("To undo: meeting-doctor undo "))
        .unwrap_or_else(|| panic!("no entry in {out}"))
        .trim()
        .to_string()
}

fn append(path: &Path, bytes: &[u8]) {
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

/// A shared library that leaves `mark` behind when any program loads it.
fn preload_library(dir: &Path, mark: &Path) -> PathBuf {
    let src = dir.join("mark.c");
    std::fs::write(
        &src,
        format!(
            "#include <stdio.h>\n__attribute__((constructor)) static void mark(void) {{ FILE *f = fopen(\"{}\", \"w\"); if (f) fclose(f); }}\n",
            mark.display()
        ),
    )
    .unwrap();
    let lib = dir.join("libmark.so");
    let out = std::process::Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&lib)
        .arg(&src)
        .output()
        .unwrap();
    assert!(out.status.success(), "cc: {}", text(&out.stderr));
    // The library works: a program that loads it leaves the mark.
    let probe = std::process::Command::new("true")
        .env("LD_PRELOAD", &lib)
        .status()
        .unwrap();
    assert!(
        probe.success() && mark.exists(),
        "the preload library loads"
    );
    std::fs::remove_file(mark).unwrap();
    lib
}

#[test]
fn an_undo_step_from_the_journal_never_gets_an_environment_or_a_program() {
    let h = Home::new();
    let mark = h.dir.path().join("preloaded");
    let lib = preload_library(h.dir.path(), &mark);
    std::fs::create_dir_all(h.data()).unwrap();
    let lib = lib.to_string_lossy();
    let journal = h.data().join("journal.jsonl");
    // As the journal stored undo commands: a catalog program, with the
    // attacker's environment. And as it stores changes now, with an
    // environment smuggled in, and with data that is an option.
    let forged = [
        serde_json::json!({"event": "begin", "entry": "e-old", "fix": "firewall.allow_zoom", "title": "t",
            "at": "2026-12-01T10:00:00Z", "os": "linux", "steps": [], "saved": {}, "backup": null, "admin": false,
            "undo": [{"title": "u", "action": {"kind": "run", "command": {"program": "nft", "args": ["--version"], "env": [["LD_PRELOAD", lib]]}}}]}),
        serde_json::json!({"event": "begin", "entry": "e-new", "fix": "firewall.allow_zoom", "title": "t",
            "at": "2026-12-01T10:00:01Z", "os": "linux", "steps": [], "saved": {},
            "undo": [{"kind": "nft_rules", "family": "inet", "table": "filter", "chain": "output", "env": [["LD_PRELOAD", lib]]}]}),
        serde_json::json!({"event": "begin", "entry": "e-opt", "fix": "firewall.allow_zoom", "title": "t",
            "at": "2026-12-01T10:00:02Z", "os": "linux", "steps": [], "saved": {},
            "undo": [{"kind": "ufw_rule", "proto": "tcp", "ports": "--version"}]}),
    ];
    for f in &forged {
        append(&journal, format!("{f}\n").as_bytes());
    }
    for entry in ["e-old", "e-new", "e-opt"] {
        let o = h.run(&["undo", entry, "--yes"]);
        assert!(!mark.exists(), "{entry}: the library was loaded");
        assert_ne!(code(&o), 0, "{entry}: {}", text(&o.stdout));
    }
    // The two forged lines are reported, not run; the third is refused.
    let o = h.run(&["undo", "e-old", "--yes"]);
    assert!(
        text(&o.stderr).contains("could not be read and were skipped"),
        "{}",
        text(&o.stderr)
    );
    let o = h.run(&["undo", "e-opt", "--yes"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(out.contains("is not a port list"), "{out}");
    assert!(!mark.exists());
}

#[test]
fn a_forged_manifest_cannot_send_a_file_outside_zooms_folders() {
    let h = Home::new();
    let entry = applied_cache_fix(&h);
    let backup = h.data().join("backups").join(&entry);
    let manifest = backup.join("manifest.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let outside = h.dir.path().join("outside").join("planted");
    let items = m["items"].as_array_mut().unwrap();
    assert!(items.len() >= 2, "{m}");
    let forged_from = items[0]["from"].as_str().unwrap().to_string();
    items[0]["from"] = Value::from(outside.to_string_lossy().into_owned());
    // And one that climbs out of Zoom's folder with "..".
    let climbing = h.home().join(".zoom/data/../../escaped");
    items[1]["from"] = Value::from(climbing.to_string_lossy().into_owned());
    std::fs::write(&manifest, serde_json::to_vec(&m).unwrap()).unwrap();

    let o = h.run(&["undo", &entry, "--yes"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(code(&o), 1, "{out}");
    assert!(!outside.exists(), "a file was moved outside Zoom's folders");
    assert!(!h.dir.path().join("escaped").exists(), "'..' climbed out");
    assert!(out.contains("left in the backup folder"), "{out}");
    // What the manifest says truthfully is back; the forged ones stay kept.
    assert!(
        h.home().join(".cache/zoom/x").exists()
            || h.home().join(".zoom/data/web cache.tmp").exists()
    );
    assert!(backup.join("files/0").exists() && backup.join("files/1").exists());
    assert!(!Path::new(&forged_from).exists() || forged_from.contains(".zoom"));
}

#[test]
fn a_torn_last_line_does_not_cost_the_next_fix_its_undo() {
    let h = Home::new();
    let first = applied_cache_fix(&h);
    // A record cut short (the disk filled, the program was killed).
    let journal = h.data().join("journal.jsonl");
    append(
        &journal,
        br#"{"event":"begin","entry":"torn","fix":"zoom.clear_ca"#,
    );
    // Zoom made new caches; the next fix moves them aside.
    std::fs::create_dir_all(h.home().join(".cache/zoom")).unwrap();
    std::fs::write(h.home().join(".cache/zoom/again"), "again").unwrap();
    let second = applied_cache_fix(&h);
    assert_ne!(first, second);
    assert!(!h.home().join(".cache/zoom").exists());
    let o = h.run(&["undo", &second, "--yes"]);
    assert_eq!(code(&o), 0, "{}\n{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stderr).contains("could not be read"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(h.home().join(".cache/zoom/again")).unwrap(),
        "again"
    );
    let states: Vec<String> = entries(&h)
        .iter()
        .map(|e| e["state"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(states, ["undone", "applied"], "both entries are whole");
}

#[test]
fn links_planted_in_meeting_doctors_folders_are_refused_not_followed() {
    // The journal is a link to a file elsewhere.
    let h = Home::new();
    let elsewhere = h.dir.path().join("elsewhere");
    std::fs::write(&elsewhere, "do not touch\n").unwrap();
    std::fs::create_dir_all(h.data()).unwrap();
    std::os::unix::fs::symlink(&elsewhere, h.data().join("journal.jsonl")).unwrap();
    let before = h.files();
    let o = h.run(&["fix", "zoom.clear_cache", "--yes", "--no-verify"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_ne!(code(&o), 0, "{out}");
    assert!(out.contains("symbolic link"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        "do not touch\n"
    );
    assert_eq!(h.files(), before, "nothing moved");

    // The backups folder is a link to a folder elsewhere.
    let h = Home::new();
    let away = h.dir.path().join("away");
    std::fs::create_dir_all(&away).unwrap();
    std::fs::create_dir_all(h.data()).unwrap();
    std::os::unix::fs::symlink(&away, h.data().join("backups")).unwrap();
    let before = h.files();
    let o = h.run(&["fix", "zoom.clear_cache", "--yes", "--no-verify"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_ne!(code(&o), 0, "{out}");
    assert!(out.contains("symbolic link"), "{out}");
    assert_eq!(std::fs::read_dir(&away).unwrap().count(), 0);
    assert_eq!(h.files(), before, "nothing moved");
}

#[test]
fn a_second_fix_waits_for_the_first_and_is_refused_while_it_runs() {
    let h = Home::new();
    std::fs::create_dir_all(h.data()).unwrap();
    // Another Meeting Doctor (a window, a script) is making a change.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(h.data().join("fix.lock"))
        .unwrap();
    lock.lock().unwrap();
    let before = h.files();
    let o = h.run(&["fix", "zoom.clear_cache", "--yes", "--no-verify"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_ne!(code(&o), 0, "{out}");
    assert!(out.contains("another change is being made"), "{out}");
    assert_eq!(h.files(), before, "nothing moved");
    // Once it is done, the fix goes ahead.
    lock.unlock().unwrap();
    applied_cache_fix(&h);
}

/// A small file system of its own, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn a_full_disk_during_an_append_loses_nothing_and_the_next_fix_still_undoes() {
    if std::env::var_os("MD_SKIP_NETNS").is_some() {
        return; // needs root to mount
    }
    let h = Home::new();
    std::fs::create_dir_all(h.data()).unwrap();
    let ok = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs"])
        .arg(h.data())
        .status()
        .unwrap();
    assert!(ok.success(), "mount tmpfs (needs root)");
    let _fs = Tmpfs(h.data());
    let first = applied_cache_fix(&h);
    // Fill the disk so the next record can be written only in part.
    let filler = h.data().join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![b'x'; 512];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    drop(f);
    std::fs::create_dir_all(h.home().join(".cache/zoom")).unwrap();
    std::fs::write(h.home().join(".cache/zoom/again"), "again").unwrap();
    let before = h.files();
    let o = h.run(&["fix", "zoom.clear_cache", "--yes", "--no-verify"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_ne!(code(&o), 0, "{out}");
    assert!(out.contains("No space left"), "{out}");
    assert_eq!(
        h.files(),
        before,
        "nothing changed when the journal could not be written"
    );
    // Space again: the earlier entry is whole, the next fix can be undone.
    std::fs::remove_file(&filler).unwrap();
    let second = applied_cache_fix(&h);
    let o = h.run(&["undo", &second, "--yes"]);
    assert_eq!(code(&o), 0, "{}\n{}", text(&o.stdout), text(&o.stderr));
    let e = entries(&h);
    assert!(
        e.iter()
            .any(|x| x["id"] == first.as_str() && x["state"] == "applied"),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|x| x["id"] == second.as_str() && x["state"] == "undone"),
        "{e:?}"
    );
}

#[test]
fn journal_text_reaches_the_terminal_without_escape_sequences() {
    let h = Home::new();
    std::fs::create_dir_all(h.data()).unwrap();
    let hostile = "Fix \u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}";
    let line = serde_json::json!({"event": "begin", "entry": "e-1", "fix": "clock.sync", "title": hostile,
        "at": "2026-12-01T10:00:00Z", "os": "linux", "steps": [], "saved": {}, "undo": [{"kind": "ntp_was_off"}]});
    append(
        &h.data().join("journal.jsonl"),
        format!("{line}\n").as_bytes(),
    );
    for args in [&["journal"][..], &["journal", "--json"][..]] {
        let o = h.run(args);
        let out = text(&o.stdout);
        assert_eq!(code(&o), 0, "{out}");
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{args:?}: {out:?}"
        );
        assert!(out.contains("Fix "), "{out}");
    }
    // JSON readers still get the exact title.
    assert_eq!(entries(&h)[0]["title"], hostile);
}
