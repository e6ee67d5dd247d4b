//! Fixes run for real on Linux, each against something that can really
//! fail: nftables rules inside a network namespace of our own (with the
//! lab's STUN server behind them), Zoom's cache folders in a temporary
//! home, stand-in "zoom" processes, a stand-in `pkexec`, and GNOME's proxy
//! setting in a private gsettings keyfile.
//!
//! Nothing here leaves loopback: the firewall test runs in a namespace it
//! creates (needs root; MD_SKIP_NETNS=1 skips it on purpose), the others
//! touch only temporary folders and processes they start.

// nftables, namespaces and Linux processes: Linux only (other systems build this file empty).
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use md_lab::netns::{run_in, start_lab_in, NetNs};
use md_lab::{LabConfig, LabProfile};
use meeting_doctor_core::facts::command::{ExecFuture, System};
use meeting_doctor_core::facts::{linux, process, CommandSpec, Executor, ProxySettings};
use meeting_doctor_core::fixes::apply::{self, read_manifest, ItemState, StepResult};
use meeting_doctor_core::fixes::elevate::CHILD_FLAG;
use meeting_doctor_core::fixes::fixer::{compare, measure, Approval, ElevationMode, FixEvent};
use meeting_doctor_core::fixes::journal::{EntryState, Journal, Record};
use meeting_doctor_core::fixes::plans::TAG;
use meeting_doctor_core::fixes::store::Store;
use meeting_doctor_core::fixes::{plan, Action, FixEnv, Fixer, OutcomeStatus};
use meeting_doctor_core::system::Os;
use meeting_doctor_core::{CancellationToken, Finding, Profile, Status};

/// How long one tool run by a test may take.
const TOOL: Duration = Duration::from_secs(20);

/// `zoom.quit` (and the quit step of `zoom.clear_cache`) stops every
/// process of this computer named like Zoom, so tests that run it, or that
/// start stand-in Zoom processes, take turns: the threads of this process
/// through a mutex, other processes of this test binary (someone else's
/// `cargo test` at the same time) through a lock file.
static PROCESSES: Mutex<()> = Mutex::new(());

#[derive(Debug)]
struct Turn {
    _threads: std::sync::MutexGuard<'static, ()>,
    file: PathBuf,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

fn processes_lock() -> Turn {
    let threads = PROCESSES.lock().unwrap_or_else(|e| e.into_inner());
    let file = std::env::temp_dir().join("meeting-doctor-fix-real-zoom-processes.lock");
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&file)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(std::process::id().to_string().as_bytes())
                    .unwrap();
                return Turn {
                    _threads: threads,
                    file,
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Left by a process that is gone (killed mid-test): stale.
                let holder = std::fs::read_to_string(&file).unwrap_or_default();
                if let Ok(pid) = holder.trim().parse::<u32>() {
                    if !Path::new(&format!("/proc/{pid}")).exists() {
                        let _ = std::fs::remove_file(&file);
                        continue;
                    }
                }
                assert!(
                    Instant::now() < deadline,
                    "{} is held by process {holder}",
                    file.display()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
}

fn quiet(_: &StepResult) {}

fn no_events(_: FixEvent) {}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

/// Runs a command; panics with its output unless it exits 0.
async fn run_ok(exec: &dyn Executor, program: &str, args: &[&str]) -> String {
    let spec = CommandSpec::new(program, args);
    let out = exec.run(&spec, TOOL).await.expect("the tool runs");
    assert!(
        out.success(),
        "{} exited with {:?}: {}",
        spec.display(),
        out.code,
        out.stderr
    );
    out.stdout
}

/// The System executor with a few environment variables added to every
/// command: a private gsettings keyfile, or a PATH that finds a stand-in
/// `pkexec` first. The test process's own environment is never changed
/// (tests run in parallel threads).
#[derive(Debug)]
struct WithEnv {
    vars: Vec<(String, String)>,
    ran: Mutex<Vec<CommandSpec>>,
}

impl WithEnv {
    fn new(vars: &[(&str, &str)]) -> WithEnv {
        WithEnv {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ran: Mutex::new(vec![]),
        }
    }
}

impl Executor for WithEnv {
    fn run<'a>(&'a self, spec: &'a CommandSpec, timeout: Duration) -> ExecFuture<'a> {
        self.ran.lock().unwrap().push(spec.clone());
        let mut spec = spec.clone();
        spec.env.extend(self.vars.iter().cloned());
        Box::pin(async move { System.run(&spec, timeout).await })
    }
}

// ───────────────────────── files, as they were ─────────────────────────

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir { mode: u32 },
    File { mode: u32, bytes: Vec<u8> },
    Link { target: PathBuf },
}

/// Everything under `root` (root itself under ""), without following
/// symbolic links: kind, permission bits, full content, link target.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Node> {
    fn walk(base: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Node>) {
        // `join("")` would add a trailing slash, which follows a link.
        let path = if rel.as_os_str().is_empty() {
            base.to_path_buf()
        } else {
            base.join(rel)
        };
        let meta =
            std::fs::symlink_metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mode = meta.permissions().mode() & 0o7777;
        let node = if meta.file_type().is_symlink() {
            Node::Link {
                target: std::fs::read_link(&path).unwrap(),
            }
        } else if meta.is_dir() {
            for e in std::fs::read_dir(&path).unwrap() {
                walk(base, &rel.join(e.unwrap().file_name()), out);
            }
            Node::Dir { mode }
        } else {
            Node::File {
                mode,
                bytes: std::fs::read(&path).unwrap(),
            }
        };
        out.insert(rel.to_path_buf(), node);
    }
    let mut out = BTreeMap::new();
    walk(root, Path::new(""), &mut out);
    out
}

fn exists(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

/// Bytes that are not text: every byte value, NULs and invalid UTF-8.
fn binary(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            (i as u8)
                .wrapping_mul(31)
                .wrapping_add(seed.wrapping_mul(7))
        })
        .collect()
}

fn write(path: &Path, bytes: &[u8], mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    chmod(path, mode);
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A temporary home with Zoom's Linux folders in it.
struct ZoomHome {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    /// ~/.zoom/data: settings and databases stay, the rest moves.
    data: PathBuf,
    /// ~/.cache/zoom: moves whole.
    cache: PathBuf,
    /// A folder outside the cache that a link in the cache points at.
    outside: PathBuf,
    /// Meeting Doctor's data folder (journal, backups).
    md: PathBuf,
}

/// The entries of ~/.zoom/data that the fix must leave in place.
const KEPT: &[&str] = &["zoomus.enc.db", "zoomus.enc.db-wal", "zoomus settings.ini"];
/// The entries of ~/.zoom/data that the fix moves aside.
const MOVED: &[&str] = &[
    "Zoë café",
    "logs",
    "empty dir",
    "current log",
    "outside link",
    "im cache.tmp",
];

fn zoom_home() -> ZoomHome {
    let tmp = tempfile::Builder::new()
        .prefix("md-fix-real-")
        .tempdir()
        .unwrap();
    let root = tmp.path().to_path_buf();
    let home = root.join("home of Zoë Ångström");
    let data = home.join(".zoom").join("data");
    let cache = home.join(".cache").join("zoom");
    let outside = root.join("outside the cache");
    let md = root.join("Meeting Doctor data");

    write(&data.join("zoomus.enc.db"), &binary(1, 4096), 0o600);
    write(&data.join("zoomus.enc.db-wal"), &binary(2, 1000), 0o600);
    write(
        &data.join("zoomus settings.ini"),
        b"[General]\nlanguage=fr\n",
        0o644,
    );
    let cafe = data.join("Zoë café");
    write(&cafe.join("ünï code.bin"), &binary(3, 70_000), 0o640);
    // (A kept file deeper down keeps its folder in place: see the unit
    // test `kept_files_stay_at_any_depth`.)
    write(&cafe.join("inner.cache"), &binary(4, 10), 0o600);
    write(
        &cafe.join("deep").join("deeper").join("x y.txt"),
        b"deep\n",
        0o644,
    );
    chmod(&cafe, 0o750);
    write(
        &data.join("logs").join("zoom_stdout_stderr.log"),
        b"log line\n",
        0o644,
    );
    std::fs::create_dir(data.join("empty dir")).unwrap();
    chmod(&data.join("empty dir"), 0o700);
    symlink("logs/zoom_stdout_stderr.log", data.join("current log")).unwrap();
    write(
        &outside.join("precious.txt"),
        b"keep me where I am\n",
        0o644,
    );
    symlink(&outside, data.join("outside link")).unwrap();
    write(&data.join("im cache.tmp"), &binary(5, 123), 0o755);
    write(
        &cache.join("webview cache").join("data_0"),
        &binary(6, 9000),
        0o600,
    );
    write(&cache.join("ünï.json"), "{\"ü\": 1}\n".as_bytes(), 0o600);
    ZoomHome {
        _tmp: tmp,
        home,
        data,
        cache,
        outside,
        md,
    }
}

impl ZoomHome {
    fn env(&self) -> FixEnv {
        let mut env = FixEnv::bare(Os::Linux, &self.home.to_string_lossy());
        env.data_dir = self.md.to_string_lossy().into_owned();
        env
    }

    fn store(&self) -> Store {
        Store::user(&self.md)
    }

    fn journal(&self) -> Journal {
        Journal::in_dir(&self.md)
    }

    /// The paths the fix moves aside, as it names them.
    fn moved_paths(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = MOVED.iter().map(|n| self.data.join(n)).collect();
        v.push(self.cache.clone());
        v
    }
}

fn entry_state(journal: &Journal, entry: &str) -> meeting_doctor_core::fixes::journal::Entry {
    journal
        .entries()
        .unwrap()
        .into_iter()
        .find(|e| e.id == entry)
        .unwrap_or_else(|| panic!("{entry} is not in the journal"))
}

// ───────────────────── 1. firewall.allow_zoom, nftables ─────────────────────

fn finding<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} among {:?}", ids(findings)))
}

fn ids(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(|f| f.id.to_string()).collect()
}

#[test]
fn firewall_fix_lets_stun_through_a_real_nftables_drop_and_undo_blocks_it_again() {
    if md_lab::netns::skip_without_netns() {
        return;
    }
    let started = Instant::now();
    let ns = NetNs::create("mdfw").expect("namespace");
    let lab = start_lab_in(&ns, LabConfig::default()).expect("lab in namespace");
    let dir = tempfile::tempdir().unwrap();
    let spec = LabProfile {
        names: vec![],
        hostless_tcp: vec![],
        probe_ms: 1000,
        total_ms: 5000,
        ..lab.healthy()
    };
    let profile = Profile::from_toml(&spec.toml(&lab.public_ca_pem), "lab.toml", dir.path())
        .expect("lab profile");
    let stun = lab.stun;
    let port = stun.port();
    let root = dir.path().to_path_buf();

    run_in(&ns, move || {
        // Every nft below must change this namespace, never this computer.
        let here = std::fs::read_link("/proc/thread-self/ns/net").unwrap();
        let host = std::fs::read_link("/proc/self/ns/net").unwrap();
        assert_ne!(here, host, "not inside the test's namespace");
        block_on(async move {
            let exec = System;
            assert_eq!(
                run_ok(&exec, "nft", &["list", "ruleset"]).await.trim(),
                "",
                "a new namespace starts with no rules"
            );
            // A firewall that drops STUN: Zoom's 3478 and the lab's port.
            let rules = root.join("blocked.nft");
            std::fs::write(
                &rules,
                format!(
                    "table inet filter {{\n  chain output {{\n    type filter hook output priority 0; policy accept;\n    udp dport {{ 3478, {port} }} drop\n  }}\n}}\n"
                ),
            )
            .unwrap();
            run_ok(&exec, "nft", &["-f", &rules.to_string_lossy()]).await;
            let udp_id = format!("udp.{port}");

            let before = measure(&profile, "firewall.allow_zoom", CancellationToken::new())
                .await
                .unwrap();
            let udp = finding(&before, &udp_id);
            assert_eq!(udp.status, Status::Fail, "{}: {}", udp.summary, udp.detail);
            // A local drop in the output chain: sendto fails with EPERM,
            // which the probe reads as this computer's firewall.
            assert_eq!(udp.evidence["error"], "local_firewall", "{}", udp.evidence);
            assert_eq!(
                finding(&before, &format!("tcp.{}", spec.tcp.port())).status,
                Status::Pass,
                "only UDP is blocked"
            );

            // The firewall as the real reader sees it.
            let state = linux::parse_nft_ruleset(
                &run_ok(&exec, "nft", &["-j", "list", "ruleset"]).await,
            )
            .unwrap();
            assert_eq!(state.product, "nftables");
            assert!(state
                .zoom_rules
                .iter()
                .any(|r| r.action == "block" && r.direction == "out"));
            let mut env = FixEnv::bare(Os::Linux, &root.to_string_lossy());
            env.data_dir = root.join("md").to_string_lossy().into_owned();
            env.firewall = Some(state);
            env.set_profile(&profile);
            let plan = plan("firewall.allow_zoom", &env).expect("applicable");
            assert!(plan.needs_admin);
            assert_eq!(plan.steps.len(), 2, "TCP and UDP into the one output chain");
            for s in &plan.steps {
                let Action::Run { command, .. } = &s.action else {
                    panic!("{s:?}")
                };
                // Rules are added, never a table, chain or policy changed.
                assert_eq!(
                    (command.program.as_str(), command.args[0].as_str()),
                    ("nft", "insert"),
                    "{}",
                    command.display()
                );
            }

            let store = Store::user(root.join("md"));
            let journal = store.journal();
            let applied = apply::apply(&plan, &env, &store, &exec, None, &quiet, None)
                .await
                .unwrap();
            assert!(applied.ok, "{:?}", applied);

            let chain = run_ok(&exec, "nft", &["-a", "list", "chain", "inet", "filter", "output"]).await;
            let tagged = apply::nft_tagged_handles(&chain, TAG);
            assert_eq!(tagged.len(), 2, "{chain}");
            // The firewall is still on: its policy and drop rule are there,
            // after the rules that let Zoom through.
            let drop_line = chain
                .lines()
                .position(|l| l.contains("udp dport") && l.contains(&port.to_string()) && l.contains("drop"))
                .unwrap_or_else(|| panic!("the drop rule is gone:\n{chain}"));
            let lines: Vec<&str> = chain.lines().collect();
            let last_allow = lines.iter().rposition(|l| l.contains(TAG)).unwrap();
            assert!(last_allow < drop_line, "{chain}");
            assert!(chain.contains("policy accept"), "{chain}");
            let state = linux::parse_nft_ruleset(
                &run_ok(&exec, "nft", &["-j", "list", "ruleset"]).await,
            )
            .unwrap();
            // The drop now comes after an accept of the same ports: the
            // reader no longer counts it as blocking Zoom.
            assert!(!state.zoom_rules.iter().any(|r| r.action == "block"), "{:?}", state.zoom_rules);
            assert!(state.zoom_rules.iter().any(|r| r.action == "allow"));

            let after = measure(&profile, "firewall.allow_zoom", CancellationToken::new())
                .await
                .unwrap();
            let udp = finding(&after, &udp_id);
            assert_eq!(udp.status, Status::Pass, "{}: {}", udp.summary, udp.detail);
            let v = compare(&before, &after);
            let change = v.checks.iter().find(|c| c.id == udp_id).unwrap();
            assert_eq!((change.before, change.after), (Some(Status::Fail), Status::Pass));
            assert!(v.helped, "{v:?}");
            let fw = |f: &[Finding]| f.iter().find(|x| x.id == "firewall").map(|x| x.status);
            eprintln!(
                "firewall check before/after: {:?} → {:?}",
                fw(&before),
                fw(&after)
            );

            // Undo from the journal alone.
            let undone = apply::undo(&store, &applied.entry, &env, &exec, &quiet)
                .await
                .unwrap();
            assert!(undone.ok, "{undone:?}");
            assert_eq!(entry_state(&journal, &applied.entry).state, EntryState::Undone);
            let chain = run_ok(&exec, "nft", &["-a", "list", "chain", "inet", "filter", "output"]).await;
            assert!(!chain.contains(TAG), "{chain}");
            assert!(
                chain.lines().any(|l| l.contains(&port.to_string()) && l.contains("drop")),
                "undo removed more than its own rules:\n{chain}"
            );
            let again = measure(&profile, "firewall.allow_zoom", CancellationToken::new())
                .await
                .unwrap();
            assert_eq!(finding(&again, &udp_id).status, Status::Fail);
        });
    })
    .expect("the test body ran in the namespace");
    drop(lab);
    eprintln!("firewall test took {:?}", started.elapsed());
}

// ───────────────────────── 2. zoom.clear_cache ─────────────────────────

#[test]
fn clear_cache_moves_only_the_cache_and_undo_puts_back_every_byte() {
    let z = zoom_home();
    let env = z.env();
    let store = z.store();
    let journal = z.journal();
    let data_before = snapshot(&z.data);
    let cache_before = snapshot(&z.cache);
    let outside_before = snapshot(&z.outside);
    let moved_before: BTreeMap<PathBuf, BTreeMap<PathBuf, Node>> = z
        .moved_paths()
        .into_iter()
        .map(|p| {
            let s = snapshot(&p);
            (p, s)
        })
        .collect();

    let plan = plan("zoom.clear_cache", &env).unwrap();
    assert!(!plan.needs_admin);
    let applied = {
        let _turn = processes_lock();
        block_on(apply::apply(
            &plan, &env, &store, &System, None, &quiet, None,
        ))
        .unwrap()
    };
    assert!(applied.ok, "{applied:?}");

    // Kept files are where they were, untouched; nothing else is left.
    let names: Vec<String> = std::fs::read_dir(&z.data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names_sorted = names.clone();
    names_sorted.sort();
    let mut kept: Vec<String> = KEPT.iter().map(|s| s.to_string()).collect();
    kept.sort();
    assert_eq!(names_sorted, kept);
    let data_now = snapshot(&z.data);
    for k in KEPT {
        assert_eq!(data_now[Path::new(k)], data_before[Path::new(k)], "{k}");
    }
    assert_eq!(data_now[Path::new("")], data_before[Path::new("")]);
    assert!(!exists(&z.cache), "~/.cache/zoom moves whole");
    assert!(exists(z.cache.parent().unwrap()), "~/.cache itself stays");
    // A link in the cache moved as a link: what it points at stayed.
    assert_eq!(snapshot(&z.outside), outside_before);

    // The manifest lists each move, and each moved thing is whole.
    let backup = z.md.join("backups").join(&applied.entry);
    // The history names the backup folder; the journal line does not
    // (undo derives it from where the journal is, never from the file).
    let e = entry_state(&journal, &applied.entry);
    assert_eq!(e.backup.as_deref(), Some(&*backup.to_string_lossy()));
    let begin = journal.begin_of(&applied.entry).unwrap().unwrap();
    assert!(!serde_json::to_string(&begin)
        .unwrap()
        .contains(&*backup.to_string_lossy()));
    let manifest = read_manifest(&backup).unwrap();
    assert_eq!(manifest.fix, "zoom.clear_cache");
    let mut froms: Vec<PathBuf> = manifest
        .items
        .iter()
        .map(|i| PathBuf::from(&i.from))
        .collect();
    froms.sort();
    let mut want: Vec<PathBuf> = moved_before.keys().cloned().collect();
    want.sort();
    assert_eq!(froms, want);
    for item in &manifest.items {
        assert_eq!(item.state, ItemState::Moved, "{item:?}");
        let kept_at = backup.join(item.to.as_ref().unwrap());
        assert_eq!(
            snapshot(&kept_at),
            moved_before[Path::new(&item.from)],
            "{} in the backup is not what was moved",
            item.from
        );
    }
    assert_eq!(
        entry_state(&journal, &applied.entry).state,
        EntryState::Applied
    );

    // Zoom runs again and makes new files: one where a moved folder was,
    // a whole new cache folder, and a file with a new name.
    write(&z.data.join("logs").join("new.log"), b"new run\n", 0o644);
    write(&z.cache.join("newfile"), b"fresh cache\n", 0o600);
    write(&z.data.join("newfile"), b"zoom made me\n", 0o600);
    let recreated_logs = snapshot(&z.data.join("logs"));
    let recreated_cache = snapshot(&z.cache);

    let undone = block_on(apply::undo(&store, &applied.entry, &env, &System, &quiet)).unwrap();
    assert!(undone.ok, "{undone:?}");
    let mut want_data = data_before.clone();
    want_data.insert(
        PathBuf::from("newfile"),
        Node::File {
            mode: 0o600,
            bytes: b"zoom made me\n".to_vec(),
        },
    );
    assert_eq!(snapshot(&z.data), want_data, "~/.zoom/data after undo");
    assert_eq!(snapshot(&z.cache), cache_before, "~/.cache/zoom after undo");
    assert_eq!(snapshot(&z.outside), outside_before);

    // What Zoom made in the way was moved into replaced/, not deleted.
    let manifest = read_manifest(&backup).unwrap();
    assert!(manifest
        .items
        .iter()
        .all(|i| i.state == ItemState::Restored));
    let index_of = |p: &Path| {
        manifest
            .items
            .iter()
            .position(|i| Path::new(&i.from) == p)
            .unwrap()
    };
    let replaced = backup.join("replaced");
    assert_eq!(
        snapshot(&replaced.join(index_of(&z.data.join("logs")).to_string())),
        recreated_logs
    );
    assert_eq!(
        snapshot(&replaced.join(index_of(&z.cache).to_string())),
        recreated_cache
    );
    assert_eq!(std::fs::read_dir(&replaced).unwrap().count(), 2);
    assert_eq!(
        entry_state(&journal, &applied.entry).state,
        EntryState::Undone
    );
    // And an undone fix is not undone twice.
    assert!(block_on(apply::undo(&store, &applied.entry, &env, &System, &quiet)).is_err());
}

// ───────────────────── 3. an interrupted zoom.clear_cache ─────────────────────

#[test]
fn an_interrupted_cache_fix_is_in_the_journal_and_undo_restores_everything() {
    let z = zoom_home();
    let env = z.env();
    let store = z.store();
    let journal = z.journal();
    let data_before = snapshot(&z.data);
    let cache_before = snapshot(&z.cache);

    // The folder moves only (the quit step is test 4's): the run stops
    // after the first folder, as if the program had been killed there.
    let mut plan = plan("zoom.clear_cache", &env).unwrap();
    plan.steps
        .retain(|s| !matches!(s.action, Action::Quit { .. }));
    let folders = plan.steps.len();
    assert!(folders >= 2, "{plan:?}");
    let applied = block_on(apply::apply(
        &plan,
        &env,
        &store,
        &System,
        None,
        &quiet,
        Some(1),
    ))
    .unwrap();
    assert!(!applied.ok);
    assert_eq!(applied.steps.len(), 1);

    let e = entry_state(&journal, &applied.entry);
    assert_eq!(e.state, EntryState::Interrupted);
    assert_eq!((e.steps_done, e.steps_total), (1, folders));
    assert!(e.can_undo(), "{e:?}");
    let records = journal.read().unwrap().records;
    assert!(!records
        .iter()
        .any(|r| matches!(r, Record::End { entry, .. } if *entry == applied.entry)));

    // Half done: ~/.zoom/data sorted, ~/.cache/zoom never reached.
    let mut left: Vec<String> = std::fs::read_dir(&z.data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let mut kept: Vec<String> = KEPT.iter().map(|s| s.to_string()).collect();
    kept.sort();
    assert_eq!(left, kept);
    assert_eq!(snapshot(&z.cache), cache_before);

    let undone = block_on(apply::undo(&store, &applied.entry, &env, &System, &quiet)).unwrap();
    assert!(undone.ok, "{undone:?}");
    assert_eq!(snapshot(&z.data), data_before);
    assert_eq!(snapshot(&z.cache), cache_before);
    assert_eq!(
        entry_state(&journal, &applied.entry).state,
        EntryState::Undone
    );
}

// ───────────────────────────── 4. zoom.quit ─────────────────────────────

/// A process this test started, reaped as soon as it ends (so it does not
/// linger as a zombie that the process list still shows as "zoom"), and
/// killed when the test ends, whatever happened.
struct StandIn {
    pid: u32,
    child: Arc<Mutex<Child>>,
    status: Arc<Mutex<Option<ExitStatus>>>,
    stop: Arc<AtomicBool>,
}

impl StandIn {
    fn start(cmd: &mut Command) -> StandIn {
        let child = spawn(cmd);
        let pid = child.id();
        let child = Arc::new(Mutex::new(child));
        let status = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s, st) = (child.clone(), status.clone(), stop.clone());
        std::thread::spawn(move || {
            while !st.load(Ordering::Relaxed) {
                if let Ok(Some(x)) = c.lock().unwrap().try_wait() {
                    *s.lock().unwrap() = Some(x);
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        StandIn {
            pid,
            child,
            status,
            stop,
        }
    }

    /// How it ended, waiting up to `within`.
    fn ended(&self, within: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + within;
        loop {
            if let Some(s) = *self.status.lock().unwrap() {
                return Some(s);
            }
            if Instant::now() > end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let mut c = self.child.lock().unwrap_or_else(|e| e.into_inner());
        // A reaped child is not signalled again (its pid may be reused).
        let _ = c.kill();
        let _ = c.wait();
    }
}

/// Spawns, retrying while the program file is "busy": a file just written
/// can be held open for writing by a process another test thread forked
/// at that moment (until that process execs).
fn spawn(cmd: &mut Command) -> Child {
    for _ in 0..50 {
        match cmd.spawn() {
            Ok(c) => return c,
            Err(e) if e.raw_os_error() == Some(26) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("{cmd:?}: {e}"),
        }
    }
    panic!("{cmd:?}: text file busy");
}

/// SIGTERM is ignored by `pid` (bit 15 of SigIgn in /proc/PID/status).
fn ignores_term(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .is_some_and(|m| m & (1 << 14) != 0)
}

fn sleep_binary() -> &'static str {
    ["/usr/bin/sleep", "/bin/sleep"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("sleep is installed")
}

#[test]
fn quit_stops_zoom_stand_ins_forces_the_stubborn_one_and_spares_others() {
    let _turn = processes_lock();
    let dir = tempfile::tempdir().unwrap();
    let zoom = dir.path().join("zoom");
    std::fs::copy(sleep_binary(), &zoom).unwrap();
    let polite = StandIn::start(Command::new(&zoom).arg("300"));
    // A "zoom" that ignores SIGTERM: the ignored signal survives the exec.
    let stubborn = StandIn::start(
        Command::new("bash")
            .arg("-c")
            .arg("trap '' TERM; exec \"$0\" 300")
            .arg(&zoom),
    );
    let bystander = StandIn::start(Command::new(sleep_binary()).arg("300"));
    let zoom_s = zoom.to_string_lossy().into_owned();
    let is_zoom = |pid: u32| {
        process::list()
            .iter()
            .any(|p| p.pid == pid && p.exe.as_deref() == Some(zoom_s.as_str()))
    };
    let end = Instant::now() + Duration::from_secs(5);
    while !(is_zoom(polite.pid) && is_zoom(stubborn.pid)) {
        assert!(Instant::now() < end, "the stand-ins never ran as \"zoom\"");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(ignores_term(stubborn.pid) && !ignores_term(polite.pid));
    let zoom_pids: Vec<u32> = process::classify(&process::list())
        .main
        .iter()
        .map(|p| p.pid)
        .collect();
    assert!(
        zoom_pids.contains(&polite.pid) && zoom_pids.contains(&stubborn.pid),
        "{zoom_pids:?}"
    );
    assert!(!zoom_pids.contains(&bystander.pid));

    let home = dir.path().join("home");
    let mut env = FixEnv::bare(Os::Linux, &home.to_string_lossy());
    env.data_dir = dir.path().join("md").to_string_lossy().into_owned();
    let mut plan = plan("zoom.quit", &env).unwrap();
    assert!(!plan.needs_admin);
    for s in &mut plan.steps {
        if let Action::Quit { grace_ms, .. } = &mut s.action {
            *grace_ms = 500;
        }
    }
    let store = Store::user(dir.path().join("md"));
    let journal = store.journal();
    let t = Instant::now();
    let applied = block_on(apply::apply(
        &plan, &env, &store, &System, None, &quiet, None,
    ))
    .unwrap();
    let took = t.elapsed();
    assert!(applied.ok, "{applied:?}");
    let detail = &applied.steps[0].detail;
    assert!(
        detail.contains(&format!("({})", polite.pid))
            && detail.contains(&format!("({})", stubborn.pid))
            && detail.contains("1 had to be forced"),
        "{detail}"
    );
    // Asked politely, the first one ended on SIGTERM; the stubborn one only
    // on SIGKILL, after the grace time.
    let polite_end = polite.ended(Duration::from_secs(5)).expect("ended");
    let stubborn_end = stubborn.ended(Duration::from_secs(5)).expect("ended");
    assert_eq!(polite_end.signal(), Some(15), "{polite_end:?}");
    assert_eq!(stubborn_end.signal(), Some(9), "{stubborn_end:?}");
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_secs(4),
        "{took:?}"
    );
    assert!(!is_zoom(polite.pid) && !is_zoom(stubborn.pid));
    // The plain `sleep` is not Zoom and still runs.
    assert!(bystander.ended(Duration::from_millis(200)).is_none());
    assert!(process::list().iter().any(|p| p.pid == bystander.pid));
    // Nothing to undo, and the journal says so.
    let e = entry_state(&journal, &applied.entry);
    assert_eq!(e.state, EntryState::Applied);
    assert!(!e.can_undo());
    eprintln!("zoom.quit took {took:?}");
}

// ───────────────────────── 5. elevation via pkexec ─────────────────────────

/// Writes an executable script and runs it once (with `warm_up` args), so
/// a later exec cannot meet "text file busy".
fn install_script(path: &Path, text: &str, warm_up: &[&str]) {
    write(path, text.as_bytes(), 0o755);
    let _ = spawn(Command::new(path).args(warm_up)).wait();
}

#[test]
fn elevation_outcomes_through_a_stand_in_pkexec() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let mode_file = bin.join("mode");
    let pid_file = bin.join("pid");
    let argv_file = dir.path().join("argv");
    let code_file = dir.path().join("code");
    let admin_dir = dir.path().join("admin");
    // pkexec(1) exits 126 when the person dismisses the dialog and 127 when
    // not authorized; otherwise it runs the program.
    install_script(
        &bin.join("pkexec"),
        r#"#!/bin/sh
here=$(dirname "$0")
case "$(cat "$here/mode" 2>/dev/null)" in
  decline) echo "Error executing command as another user: Request dismissed" >&2; exit 126 ;;
  deny) echo "Error executing command as another user: Not authorized" >&2; exit 127 ;;
  signal) kill -KILL $$ ;;
  hang) echo $$ > "$here/pid"; exec sleep 30 ;;
  slow) exec flock "$here/../admin/fix.lock" sh -c 'sleep 1; exec "$@"' sh "$@" ;;
  run) exec "$@" ;;
esac
exit 99
"#,
        &[],
    );
    // The program pkexec would start as root: records its argv, exits as told.
    let exe = dir.path().join("Meeting Doctor").join("meeting-doctor");
    install_script(
        &exe,
        &format!(
            "#!/bin/sh\nprintf '%s\\0' \"$0\" \"$@\" > '{argv}'\ncode=$(cat '{code}' 2>/dev/null || echo 0)\n\
# As the real elevated run does: the administrators' journal records how it ended.\n\
if [ \"$code\" = 0 ] && [ ! -e '{code}.silent' ]; then\n\
  case \"$2\" in\n\
    apply) printf '{{\"event\":\"end\",\"entry\":\"%s\",\"ok\":true,\"message\":null}}\\n' \"$4\" >> '{admin}' ;;\n\
    undo) printf '{{\"event\":\"undo_end\",\"entry\":\"%s\",\"ok\":true,\"message\":null}}\\n' \"$3\" >> '{admin}' ;;\n\
  esac\n\
fi\n\
exit \"$code\"\n",
            argv = argv_file.display(),
            code = code_file.display(),
            admin = admin_dir.join("journal.jsonl").display()
        ),
        &["warm-up"],
    );
    let set_mode = |m: &str| std::fs::write(&mode_file, m).unwrap();
    let argv = || -> Vec<String> {
        let raw = std::fs::read(&argv_file).unwrap();
        std::fs::remove_file(&argv_file).unwrap();
        raw.split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8(s.to_vec()).unwrap())
            .collect()
    };
    let _ = std::fs::remove_file(&argv_file);

    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let exec = Arc::new(WithEnv::new(&[("PATH", &path)]));
    let mut env = FixEnv::bare(Os::Linux, &dir.path().join("home").to_string_lossy());
    env.data_dir = dir.path().join("md data").to_string_lossy().into_owned();
    env.linux.resolved = true;
    let mut fixer = Fixer::new(env, exec.clone());
    fixer.elevation = ElevationMode::Always;
    fixer.exe = exe.to_string_lossy().into_owned();
    fixer.admin_store = Store::admin(&admin_dir);
    std::fs::create_dir_all(&admin_dir).unwrap();
    let digest = fixer.preview("dns.flush").unwrap().digest;
    let approval = Approval {
        fix: "dns.flush",
        confirmed: "dns.flush",
        digest: &digest,
    };
    assert!(fixer.plan("dns.flush").unwrap().unwrap().needs_admin);
    let apply =
        |f: &Fixer| block_on(f.apply(approval, &no_events, &CancellationToken::new())).unwrap();
    let records = |f: &Fixer| {
        let mut r = f.journal().read().unwrap().records;
        r.extend(f.admin_store.journal().read().unwrap().records);
        r
    };

    set_mode("decline");
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::Declined, "{o:?}");
    assert_eq!(o.entry, None);
    assert!(records(&fixer).is_empty(), "a declined fix began nothing");
    assert!(!argv_file.exists(), "nothing ran as root");
    let ran = exec.ran.lock().unwrap().last().cloned().unwrap();
    assert_eq!(ran.program, "pkexec");

    set_mode("deny");
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::NotAuthorized, "{o:?}");
    assert!(o.message.contains("Not authorized"), "{}", o.message);
    assert!(records(&fixer).is_empty(), "a refused fix began nothing");
    assert!(!argv_file.exists());

    // pkexec runs the program: exactly this program, the flag and ids.
    set_mode("run");
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::Applied, "{o:?}");
    let entry = o.entry.clone().unwrap();
    assert!(entry.contains("-dns.flush-"), "{entry}");
    // The digest of the plan shown, the time it waits until, where it
    // notes that it gave up, and the profile's values: nothing to read.
    let got = argv();
    assert_eq!(
        got[..6],
        [
            fixer.exe.as_str(),
            CHILD_FLAG,
            "apply",
            "dns.flush",
            &entry,
            &digest
        ]
    );
    assert!(got[6].parse::<u64>().is_ok(), "{got:?}");
    assert_eq!(
        got[7],
        fixer
            .store
            .dir
            .join("cancelled")
            .join(&entry)
            .to_string_lossy()
    );
    assert_eq!(got.len(), 12, "{got:?}");
    assert!(
        !got.iter()
            .any(|a| a.ends_with(".jsonl") || a.ends_with(".toml")),
        "no journal or profile path crosses over: {got:?}"
    );

    // Exit 0 but nothing in the journal: not counted as done.
    let silent = code_file.with_extension("silent");
    std::fs::write(&silent, "").unwrap();
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::Failed, "{o:?}");
    assert!(o.message.contains("recorded nothing"), "{}", o.message);
    let _ = argv();
    std::fs::remove_file(&silent).unwrap();

    // The elevated run failed and recorded nothing: said so, with its code.
    std::fs::write(&code_file, "10").unwrap();
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::Failed, "{o:?}");
    assert!(o.message.contains("code 10"), "{}", o.message);
    let _ = argv();
    std::fs::remove_file(&code_file).unwrap();

    set_mode("signal");
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::Failed, "{o:?}");
    assert!(o.message.contains("signal"), "{}", o.message);

    // Nobody answers the prompt: timed out, then cancelled; the waiting
    // prompt is stopped either way.
    set_mode("hang");
    fixer.approval_timeout = Duration::from_millis(300);
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::TimedOut, "{o:?}");
    assert_stopped(&pid_file);
    fixer.approval_timeout = Duration::from_secs(30);
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    let t = Instant::now();
    let o = block_on(async {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            c.cancel();
        });
        fixer.apply(approval, &no_events, &cancel).await
    })
    .unwrap();
    assert_eq!(o.status, OutcomeStatus::Cancelled, "{o:?}");
    assert!(t.elapsed() < Duration::from_secs(10));
    assert_stopped(&pid_file);

    // The approval came just as the wait ended, and the elevated run had
    // started (it holds the administrators' lock): the asking program
    // waits for it and says what it really did, not "no answer".
    set_mode("slow");
    fixer.approval_timeout = Duration::from_millis(300);
    let t = Instant::now();
    let o = apply(&fixer);
    assert_eq!(o.status, OutcomeStatus::Applied, "{o:?}");
    assert!(
        t.elapsed() >= Duration::from_secs(1),
        "it waited for the run"
    );
    assert!(!fixer.admin_store.busy());
    let _ = argv();
    fixer.approval_timeout = Duration::from_secs(30);

    // Undo of a fix that needed rights goes through the prompt too.
    fixer
        .admin_store
        .journal()
        .append(&Record::Begin {
            entry: "e-undo".into(),
            fix: "dns.flush".into(),
            title: "t".into(),
            at: "2026-01-01T00:00:00Z".into(),
            os: Os::Linux,
            steps: vec![],
            undo: vec![],
            saved: Default::default(),
            digest: String::new(),
        })
        .unwrap();
    set_mode("run");
    let o = block_on(fixer.undo("e-undo", &no_events, &CancellationToken::new())).unwrap();
    assert_eq!(o.status, OutcomeStatus::Applied, "{o:?}");
    let got = argv();
    assert_eq!(got[..4], [fixer.exe.as_str(), CHILD_FLAG, "undo", "e-undo"]);
    assert_eq!(got.len(), 6, "{got:?}");
}

/// The process whose pid the stand-in wrote is gone (or a zombie).
fn assert_stopped(pid_file: &Path) {
    let pid = std::fs::read_to_string(pid_file).unwrap();
    let pid = pid.trim();
    std::fs::remove_file(pid_file).unwrap();
    let end = Instant::now() + Duration::from_secs(5);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat.rsplit(") ").next().and_then(|s| s.chars().next());
        if stat.is_empty() || state == Some('Z') {
            return;
        }
        assert!(Instant::now() < end, "the prompt {pid} still runs: {stat}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ──────────────────────── 6. proxy.disable, GNOME ────────────────────────

async fn gs(exec: &WithEnv, args: &[&str]) -> String {
    run_ok(exec, "gsettings", args).await
}

/// The GNOME proxy settings, by the real reader.
async fn read_gnome(exec: &WithEnv) -> ProxySettings {
    let out = exec.run(&linux::gnome_proxy_spec(), TOOL).await.unwrap();
    assert!(out.success(), "{}", out.stderr);
    linux::parse_gsettings_proxy(&out.stdout).unwrap()
}

#[test]
fn proxy_disable_turns_gnome_proxy_off_and_undo_puts_it_back() {
    let config = tempfile::tempdir().unwrap();
    let cfg = config.path().to_string_lossy().into_owned();
    let exec = WithEnv::new(&[("GSETTINGS_BACKEND", "keyfile"), ("XDG_CONFIG_HOME", &cfg)]);
    block_on(async {
        let e = &exec;
        gs(
            e,
            &[
                "set",
                "org.gnome.system.proxy.http",
                "host",
                "proxy.lab.test",
            ],
        )
        .await;
        gs(e, &["set", "org.gnome.system.proxy.http", "port", "3128"]).await;
        let pac = "http://127.0.0.1:9/pac";
        gs(e, &["set", "org.gnome.system.proxy", "autoconfig-url", pac]).await;
        for mode in ["manual", "auto"] {
            gs(e, &["set", "org.gnome.system.proxy", "mode", mode]).await;
            let before = read_gnome(e).await;
            assert_eq!(before.source, "GNOME");
            assert!(!before.is_direct(), "{before:?}");

            let dir = tempfile::tempdir().unwrap();
            let mut env = FixEnv::bare(Os::Linux, &dir.path().to_string_lossy());
            env.data_dir = dir.path().join("md").to_string_lossy().into_owned();
            env.proxy = Some(before.clone());
            let plan = plan("proxy.disable", &env).unwrap();
            assert!(!plan.needs_admin);
            let store = Store::user(dir.path().join("md"));
            let journal = store.journal();
            let applied = apply::apply(&plan, &env, &store, e, None, &quiet, None)
                .await
                .unwrap();
            assert!(applied.ok, "{applied:?}");
            let now = gs(e, &["get", "org.gnome.system.proxy", "mode"]).await;
            assert_eq!(now.trim(), "'none'");
            assert!(read_gnome(e).await.is_direct());
            // Only the mode changed: the proxy's address and script stay.
            let host = gs(e, &["get", "org.gnome.system.proxy.http", "host"]).await;
            assert_eq!(host.trim(), "'proxy.lab.test'");
            let url = gs(e, &["get", "org.gnome.system.proxy", "autoconfig-url"]).await;
            assert_eq!(url.trim(), format!("'{pac}'"));
            // The change went to this test's keyfile.
            let keyfile =
                std::fs::read_to_string(config.path().join("glib-2.0/settings/keyfile")).unwrap();
            assert!(keyfile.contains("mode='none'"), "{keyfile}");
            let Some(Record::Begin { saved, .. }) = journal.begin_of(&applied.entry).unwrap()
            else {
                panic!("no begin record")
            };
            assert_eq!(saved["gnome_mode"].trim(), format!("'{mode}'"));

            let undone = apply::undo(&store, &applied.entry, &env, e, &quiet)
                .await
                .unwrap();
            assert!(undone.ok, "{undone:?}");
            let now = gs(e, &["get", "org.gnome.system.proxy", "mode"]).await;
            assert_eq!(now.trim(), format!("'{mode}'"));
            assert_eq!(read_gnome(e).await, before);
        }
    });
}
