//! `meeting-doctor fixes | fix | undo | journal` end to end: the real
//! binary, a temp home, and (for the firewall) a network namespace with a
//! real nftables rule and the lab's STUN server. Elevation goes through a
//! stand-in `pkexec` on PATH that answers like the real one (126 dismissed,
//! 127 not authorized) or runs the program, so the elevated run of the
//! binary itself is exercised.

// pkexec, nftables and namespaces: Linux only (other systems build this file empty).
#![cfg(target_os = "linux")]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use md_lab::netns::{start_lab_in, NetNs};
use md_lab::LabConfig;
use serde_json::Value;

use crate::common::{bin, code, text, Home};

#[test]
fn without_a_terminal_or_yes_a_fix_is_refused_and_nothing_changes() {
    let h = Home::new();
    let before = h.files();
    let o = h.run(&["fix", "zoom.clear_cache"]);
    assert_eq!(code(&o), 2, "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--yes"), "{}", text(&o.stderr));
    assert_eq!(h.files(), before);
    assert!(!h.data().join("journal.jsonl").exists());
    let o = h.run(&["undo", "--last"]);
    assert_eq!(code(&o), 1, "nothing to undo yet: {}", text(&o.stderr));
    let o = h.run(&["fix", "no.such.fix", "--yes"]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains("zoom.clear_cache"),
        "lists the fixes"
    );
}

#[test]
fn clear_cache_dry_run_apply_journal_and_undo() {
    let h = Home::new();
    let before = h.files();
    let o = h.run(&["fix", "zoom.clear_cache", "--dry-run"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("Put Zoom's temporary files aside") && err.contains("nothing was changed"),
        "{err}"
    );
    assert!(
        err.contains(".zoom/data"),
        "the preview names the folder: {err}"
    );
    assert_eq!(h.files(), before, "a dry run changes nothing");

    let o = h.run(&["fix", "zoom.clear_cache", "--yes", "--no-verify"]);
    assert_eq!(code(&o), 0, "{}\n{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).starts_with("Done"), "{}", text(&o.stdout));
    let after = h.files();
    assert!(!after.contains_key(".zoom/data/web cache.tmp"));
    assert!(!after.contains_key(".zoom/data/Zoë's cache/nested/blob.bin"));
    assert!(!after.contains_key(".cache/zoom/x"));
    assert_eq!(
        after[".zoom/data/zoomus.enc.db"], b"secret db",
        "databases stay"
    );
    assert_eq!(
        after[".zoom/data/zoom.ini"], b"[settings]\n",
        "settings stay"
    );

    let o = h.run(&["journal", "--json"]);
    assert_eq!(code(&o), 0);
    let entries: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(entries[0]["fix"], "zoom.clear_cache");
    assert_eq!(entries[0]["state"], "applied");
    let id = entries[0]["id"].as_str().unwrap().to_string();
    let o = h.run(&["journal"]);
    assert!(
        text(&o.stdout).contains(&format!("undo: meeting-doctor undo {id}")),
        "{}",
        text(&o.stdout)
    );

    // Without a terminal, undo must be confirmed too.
    let o = h.run(&["undo", "--last"]);
    assert_eq!(code(&o), 2, "{}", text(&o.stderr));
    let o = h.run(&["undo", "zoom.clear_cache", "--yes"]);
    assert_eq!(code(&o), 0, "{}\n{}", text(&o.stdout), text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.starts_with("Undone: Put Zoom's temporary files aside"),
        "{out}"
    );
    assert!(
        !out.contains("To undo"),
        "an undo is not offered its own undo: {out}"
    );
    assert_eq!(h.files(), before, "every file back, byte for byte");
    let o = h.run(&["undo", &id, "--yes"]);
    assert_eq!(code(&o), 1, "already undone");
    assert!(
        text(&o.stderr).contains("already undone"),
        "{}",
        text(&o.stderr)
    );
    let o = h.run(&["journal", "--json"]);
    let entries: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(entries[0]["state"], "undone");
}

#[test]
fn the_catalog_lists_every_fix_and_says_what_cannot_be_done_here() {
    let h = Home::new();
    let o = h.run(&["fixes", "--all", "--json"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["preview"]["fix"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert_eq!(ids[0], "zoom.quit", "lowest risk first");
    assert_eq!(ids[7], "network.stack_reset", "the broad reset last");
    let cache = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["preview"]["fix"]["id"] == "zoom.clear_cache")
        .unwrap();
    assert_eq!(cache["preview"]["applicable"], true);
    for s in v.as_array().unwrap() {
        let p = &s["preview"];
        assert!(
            p["applicable"] == true || !p["reason"].as_str().unwrap_or("").is_empty(),
            "a fix that cannot be done says why: {p}"
        );
    }
}

/// A stand-in pkexec: logs its arguments, then behaves as the `mode` file
/// beside it says. Like the real one it starts the program with an
/// environment of its own (the program's administrators' folder is the
/// test's), not the caller's.
fn stand_in_pkexec(dir: &Path, admin: &Path) -> PathBuf {
    let bin_dir = dir.join("stand-in bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let p = bin_dir.join("pkexec");
    std::fs::write(
        &p,
        format!(
            "#!/bin/sh\nhere=$(dirname \"$0\")\nprintf '%s\\n' \"$@\" >> \"$here/log\"\ncase \"$(cat \"$here/mode\")\" in\n  dismissed) exit 126 ;;\n  denied) echo 'Error executing command as another user: Not authorized' >&2; exit 127 ;;\n  change) nft add chain inet filter md_new '{{ type filter hook input priority 0; policy accept; }}' ;;\nesac\nexport MEETING_DOCTOR_ADMIN_DATA='{}'\nexec \"$@\"\n",
            admin.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn the_firewall_fix_runs_elevated_lets_udp_through_and_undo_takes_it_out() {
    if md_lab::netns::skip_without_netns() {
        return;
    }
    let h = Home::new();
    let ns = NetNs::create("mdfix").expect("namespace");
    ns.set_resolv_conf("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        .unwrap();
    let lab = start_lab_in(&ns, LabConfig::default()).expect("lab");
    let nft = |args: &[&str]| -> String {
        let out = ns.command("nft").args(args).output().unwrap();
        assert!(out.status.success(), "nft {args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    nft(&["add", "table", "inet", "filter"]);
    nft(&[
        "add",
        "chain",
        "inet",
        "filter",
        "output",
        "{ type filter hook output priority 0; policy accept; }",
    ]);
    let port = lab.stun.port().to_string();
    nft(&[
        "add", "rule", "inet", "filter", "output", "udp", "dport", &port, "drop",
    ]);
    let profile = h.dir.path().join("lab profile.toml");
    std::fs::write(&profile, lab.healthy().toml(&lab.public_ca_pem)).unwrap();
    let admin = h.dir.path().join("admin");
    let pkexec = stand_in_pkexec(h.dir.path(), &admin);
    let log = pkexec.with_file_name("log");
    let run = |args: &[&str], mode: &str| -> Output {
        std::fs::write(pkexec.with_file_name("mode"), mode).unwrap();
        let mut c = ns.command(bin());
        h.setup(&mut c);
        c.args(args)
            .env("MEETING_DOCTOR_ELEVATOR", &pkexec)
            .env("MEETING_DOCTOR_ADMIN_DATA", &admin)
            .env("MEETING_DOCTOR_ELEVATE", "always")
            .output()
            .unwrap()
    };
    let fix = [
        "fix",
        "firewall.allow_zoom",
        "--yes",
        "--profile",
        profile.to_str().unwrap(),
    ];

    // Dismissed, then not authorized: distinct outcomes, nothing changed,
    // nothing journaled.
    let ruleset = nft(&["list", "ruleset"]);
    let o = run(&fix, "dismissed");
    assert_eq!(code(&o), 1, "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("Declined"),
        "{}",
        text(&o.stdout)
    );
    let o = run(&fix, "denied");
    assert_eq!(code(&o), 1);
    assert!(
        text(&o.stdout).starts_with("Not allowed"),
        "{}",
        text(&o.stdout)
    );
    assert!(
        text(&o.stdout).contains("Not authorized"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(nft(&["list", "ruleset"]), ruleset);
    let o = run(&["journal", "--json"], "");
    assert_eq!(
        serde_json::from_slice::<Value>(&o.stdout).unwrap(),
        serde_json::json!([])
    );

    // The firewall changes between the yes and the run with rights (a new
    // chain appears): the elevated run builds a different plan, refuses,
    // and changes nothing.
    let o = run(&fix, "change");
    let out = text(&o.stdout);
    assert_eq!(code(&o), 1, "{out}\n{}", text(&o.stderr));
    assert!(out.contains("changed since you said yes"), "{out}");
    let changed = nft(&["list", "ruleset"]);
    assert!(!changed.contains("meeting-doctor-zoom"), "{changed}");
    nft(&["delete", "chain", "inet", "filter", "md_new"]);
    assert_eq!(nft(&["list", "ruleset"]), ruleset);

    // Approved: the binary runs again as the elevated helper, by fix id,
    // with the approved plan's digest and no path to read.
    let o = run(&fix, "run");
    let out = text(&o.stdout);
    assert_eq!(code(&o), 0, "{out}\n{}", text(&o.stderr));
    let argv = std::fs::read_to_string(&log).unwrap();
    let last: Vec<&str> = argv
        .lines()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert_eq!(last[0], bin());
    assert_eq!(
        &last[1..4],
        ["--meeting-doctor-elevated", "apply", "firewall.allow_zoom"]
    );
    assert_eq!(last[5].len(), 64, "the digest: {last:?}");
    assert!(
        !last
            .iter()
            .any(|a| a.ends_with(".toml") || a.ends_with(".jsonl")),
        "{last:?}"
    );
    // The change is in the administrators' journal, not the person's.
    assert!(admin.join("journal.jsonl").exists());
    assert!(!h.data().join("journal.jsonl").exists());
    let rules = nft(&["list", "ruleset"]);
    assert!(rules.contains("meeting-doctor-zoom"), "{rules}");
    assert!(
        rules.contains(&format!("udp dport {port} drop")),
        "the firewall's own rule stays: {rules}"
    );
    // Verified: the UDP check failed before and passes after.
    assert!(
        out.contains(&format!("UDP port {port}: failed → passed"))
            || out
                .lines()
                .any(|l| l.contains(&port) && l.contains("failed → passed")),
        "{out}"
    );

    let o = run(&["undo", "--last", "--yes"], "run");
    assert_eq!(code(&o), 0, "{}\n{}", text(&o.stdout), text(&o.stderr));
    let rules = nft(&["list", "ruleset"]);
    assert!(!rules.contains("meeting-doctor-zoom"), "{rules}");
    assert!(rules.contains(&format!("udp dport {port} drop")));
    let o = run(&["journal", "--json"], "");
    let entries: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 1, "{entries}");
    assert_eq!(entries[0]["state"], "undone");
}
