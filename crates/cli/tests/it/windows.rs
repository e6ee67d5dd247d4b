//! The Windows build of `meeting-doctor` (cross-built by
//! `scripts/build-windows.sh`), run under Wine inside a network namespace
//! lab beside the Linux build: on each lab network both must give the same
//! exit code, the same status for every network check and the same top
//! cause. This is where the code that only runs on Windows meets real
//! sockets: Winsock's error codes mapped to refused, silent and unreachable;
//! `%APPDATA%` and `%LOCALAPPDATA%` paths; the journal; the exit codes.
//!
//! Under Wine there is no PowerShell, so every check of the computer's own
//! settings must say "couldn't check" with that reason, never "pass".
//!
//! Needs root (namespaces), `wine64` and the built exe. The exe is found at
//! `MD_WINDOWS_CLI`, else where the build script puts it. Without it the
//! tests fail and say how to build it; `MD_SKIP_WINDOWS=1` skips them on
//! purpose (so does `MD_SKIP_NETNS=1`).

// Network namespaces and Wine: Linux only (other systems build this file empty).
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use md_lab::netns::{start_lab_in, NetNs, NsLab};
use md_lab::{LabConfig, LabProfile};
use serde_json::Value;

static LOCAL: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    meeting_doctor_core::probes::computer::IDS
        .iter()
        .filter_map(|id| id.fixed_str())
        .collect()
});

fn linux_bin() -> &'static str {
    env!("CARGO_BIN_EXE_meeting-doctor")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The exe, or None when the tests are skipped on purpose.
fn windows_exe() -> Option<PathBuf> {
    if md_lab::netns::skip_without_netns() {
        return None;
    }
    if std::env::var_os("MD_SKIP_WINDOWS").is_some_and(|v| v == "1") {
        eprintln!("MD_SKIP_WINDOWS=1: the Windows build is not tested");
        return None;
    }
    let exe = std::env::var_os("MD_WINDOWS_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            workspace().join("target/windows/x86_64-pc-windows-gnu/release/meeting-doctor.exe")
        });
    assert!(
        exe.is_file(),
        "no Windows build at {}: run scripts/build-windows.sh (or set MD_SKIP_WINDOWS=1 to skip on purpose)",
        exe.display()
    );
    Some(exe)
}

fn wine() -> PathBuf {
    ["/usr/bin/wine64", "/usr/lib/wine/wine64"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("wine64 is not installed (apt-get install wine64)")
}

/// A folder with the exe and, beside it, the stand-in
/// `bcryptprimitives.dll` Wine 8 lacks (test harness only: real Windows
/// has it). Built once per test run.
fn app_dir(exe: &Path) -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wine-app");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(exe, dir.join("meeting-doctor.exe")).unwrap();
        let src = workspace().join("tests/wine");
        let built = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-o"])
            .arg(dir.join("bcryptprimitives.dll"))
            .arg(src.join("bcryptprimitives.c"))
            .arg(src.join("bcryptprimitives.def"))
            .status()
            .expect("x86_64-w64-mingw32-gcc (mingw-w64)");
        assert!(
            built.success(),
            "building the stand-in bcryptprimitives.dll"
        );
        dir
    })
}

/// Runs `cmd`, killing it after `limit`: a Windows build that hangs must
/// fail the test, not hold CI.
fn run_bounded(mut cmd: Command, limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    // Read both pipes in threads so a full pipe cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).map(|_| v)
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).map(|_| v)
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    let output = Output {
        status,
        stdout: t_out.join().unwrap().unwrap_or_default(),
        stderr: t_err.join().unwrap().unwrap_or_default(),
    };
    (output, took)
}

/// One namespace with the lab, and one Wine prefix whose wineserver runs in
/// that namespace (Wine opens sockets in its server, so a server started
/// elsewhere would use another network).
struct WinWorld {
    ns: NetNs,
    lab: NsLab,
    exe: PathBuf,
    prefix: tempfile::TempDir,
    dir: tempfile::TempDir,
}

impl WinWorld {
    fn new(exe: &Path) -> WinWorld {
        let ns = NetNs::create("mdwin").expect("namespace");
        ns.set_resolv_conf("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
            .unwrap();
        let lab = start_lab_in(
            &ns,
            LabConfig {
                dns_port: 53,
                ..Default::default()
            },
        )
        .expect("lab in namespace");
        let w = WinWorld {
            ns,
            lab,
            exe: app_dir(exe).join("meeting-doctor.exe"),
            prefix: tempfile::tempdir().unwrap(),
            dir: tempfile::tempdir().unwrap(),
        };
        // The first start creates the prefix (C:, the registry): ~10 s.
        let (out, _) = w.run(&["--version"], &[], Duration::from_secs(120));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("meeting-doctor"),
            "the Windows build did not start under Wine: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        w
    }

    /// The user's folders inside the prefix (Wine names the user after the
    /// Unix one).
    fn windows_user_dir(&self) -> PathBuf {
        let users = self.prefix.path().join("drive_c/users");
        std::fs::read_dir(&users)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.file_name().is_some_and(|n| n != "Public"))
            .expect("a user folder in the prefix")
    }

    fn profile(&self, name: &str, spec: &LabProfile) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, spec.toml(&self.lab.public_ca_pem)).unwrap();
        p
    }

    fn clean_env(cmd: &mut Command, env: &[(&str, &Path)]) {
        cmd.env("NO_COLOR", "1");
        for k in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
    }

    fn run(&self, args: &[&str], env: &[(&str, &Path)], limit: Duration) -> (Output, Duration) {
        let mut cmd = self.ns.command(wine());
        cmd.arg(&self.exe)
            .args(args)
            .env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            // No Mono or Gecko installer prompts on a fresh prefix.
            .env("WINEDLLOVERRIDES", "mscoree=d;mshtml=d");
        Self::clean_env(&mut cmd, env);
        run_bounded(cmd, limit)
    }

    fn run_linux(&self, args: &[&str], env: &[(&str, &Path)]) -> Output {
        let mut cmd = self.ns.command(linux_bin());
        cmd.args(args);
        Self::clean_env(&mut cmd, env);
        run_bounded(cmd, Duration::from_secs(60)).0
    }
}

impl Drop for WinWorld {
    fn drop(&mut self) {
        // The prefix's wineserver lingers after its last client; stop it
        // before its namespace and folder go.
        let _ = Command::new(wine().with_file_name("wineserver"))
            .arg("-k")
            .env("WINEPREFIX", self.prefix.path())
            .status();
    }
}

fn json(out: &Output, who: &str) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{who}: not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn checks(report: &Value) -> Vec<Value> {
    report["checks"].as_array().unwrap().clone()
}

fn top_cause(report: &Value) -> Option<String> {
    report["diagnosis"]["causes"]
        .as_array()
        .unwrap()
        .first()
        .map(|c| c["id"].as_str().unwrap().to_string())
}

/// On each lab network: the same exit code, the same status for every
/// network check, the same top cause, from both builds; and the Windows
/// build ends within its deadline (plus Wine's start-up).
#[test]
fn the_windows_build_under_wine_answers_like_the_linux_build() {
    let Some(exe) = windows_exe() else { return };
    let w = WinWorld::new(&exe);
    let lab = &w.lab;
    let healthy = lab.healthy();
    let inspection = lab.inspection_ca_pem.clone();
    type Case<'a> = (
        &'a str,
        LabProfile,
        Vec<(&'a str, &'a Path)>,
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        ("healthy", healthy.clone(), vec![], None),
        (
            "tcp refused",
            LabProfile {
                tcp: lab.tcp_closed,
                ..healthy.clone()
            },
            vec![],
            Some("zoom_blocked"),
        ),
        (
            "tcp silent",
            LabProfile {
                tcp: lab.tcp_silent,
                ..healthy.clone()
            },
            vec![],
            Some("zoom_blocked"),
        ),
        (
            "udp silent",
            LabProfile {
                udp: lab.udp_silent,
                ..healthy.clone()
            },
            vec![],
            Some("udp_blocked"),
        ),
        // ICMP "port unreachable": WSAECONNRESET on Windows, and under Wine
        // a socket that says readable with nothing to read.
        (
            "udp refused",
            LabProfile {
                udp: lab.udp_closed,
                ..healthy.clone()
            },
            vec![],
            Some("udp_blocked"),
        ),
        (
            "inspection",
            LabProfile {
                tls: lab.tls_inspected,
                ..healthy.clone()
            },
            vec![("SSL_CERT_FILE", inspection.as_path())],
            Some("tls_interception"),
        ),
        (
            "portal",
            LabProfile {
                captive: "/portal".into(),
                ..healthy.clone()
            },
            vec![],
            Some("captive_portal"),
        ),
        // A DNS filter that answers 0.0.0.0 / ::, for the STUN target too
        // (where the Windows build once hung until killed).
        (
            "dns filter",
            LabProfile {
                names: vec!["sinkhole.zoom.lab.test".into()],
                udp_name: Some("sinkhole.zoom.lab.test".into()),
                ..healthy.clone()
            },
            vec![],
            Some("dns_filtered"),
        ),
        ("offline", lab.silent(), vec![], Some("offline")),
        // No route at all (the namespace has only loopback): ENETUNREACH on
        // Linux, WSAENETUNREACH on Windows; both must read "unreachable".
        (
            "no route",
            LabProfile {
                names: vec![],
                tcp: "198.51.100.7:443".parse().unwrap(),
                udp: "198.51.100.7:3478".parse().unwrap(),
                tls: "198.51.100.7:443".parse().unwrap(),
                http: "198.51.100.7:80".parse().unwrap(),
                ..healthy.clone()
            },
            vec![],
            Some("offline"),
        ),
    ];
    for (name, spec, env, want) in cases {
        let profile = w.profile(&format!("{}.toml", name.replace(' ', "-")), &spec);
        let args = ["check", "--json", "--profile", profile.to_str().unwrap()];
        let linux = w.run_linux(&args, &env);
        let (windows, took) = w.run(&args, &env, Duration::from_secs(60));
        let (l, win) = (json(&linux, name), json(&windows, name));
        assert_eq!(
            windows.status.code(),
            linux.status.code(),
            "{name}: exit code\n{}",
            win["diagnosis"]
        );
        assert_eq!(
            windows.status.code(),
            Some(if want.is_none() { 0 } else { 1 }),
            "{name}"
        );
        // Its deadline (6 s) plus Wine's start-up and JSON, generously.
        assert!(took < Duration::from_secs(20), "{name}: took {took:?}");
        let (lc, wc) = (checks(&l), checks(&win));
        for c in &lc {
            let id = c["id"].as_str().unwrap();
            if LOCAL.contains(&id) {
                continue;
            }
            let on_windows = wc
                .iter()
                .find(|x| x["id"] == id)
                .unwrap_or_else(|| panic!("{name}: the Windows build has no {id}"));
            assert_eq!(
                on_windows["status"], c["status"],
                "{name}: {id}\nLinux: {c}\nWindows: {on_windows}"
            );
        }
        assert_eq!(
            top_cause(&win),
            want.map(str::to_string),
            "{name}: {}",
            win["diagnosis"]
        );
        assert_eq!(top_cause(&win), top_cause(&l), "{name}");
        // The socket errors behind the statuses, as each OS numbers them.
        let error_of = |r: &Value, id: &str| {
            checks(r)
                .into_iter()
                .find(|c| c["id"] == id)
                .map(|c| c["evidence"]["error"].clone())
                .unwrap_or(Value::Null)
        };
        let expected_tcp_error = match name {
            "tcp refused" => Some("refused"),
            "tcp silent" => Some("silent"),
            "no route" => Some("unreachable"),
            _ => None,
        };
        if let Some(e) = expected_tcp_error {
            let id = format!("tcp.{}", spec.tcp.port());
            assert_eq!(error_of(&win, &id), e, "{name}: {id} on Windows");
            assert_eq!(error_of(&l, &id), e, "{name}: {id} on Linux");
        }
        if name == "udp refused" {
            let id = format!("udp.{}", spec.udp.port());
            assert_eq!(error_of(&win, &id), "refused", "{name}: {id} on Windows");
        }
        assert_eq!(win["system"]["os"], "windows", "{name}");
    }
}

/// No PowerShell under Wine: the checks of this computer's own settings
/// cannot read anything, and must say so with the reason, never pass.
#[test]
fn without_powershell_the_computer_checks_say_couldnt_check() {
    let Some(exe) = windows_exe() else { return };
    let w = WinWorld::new(&exe);
    let profile = w.profile("healthy.toml", &w.lab.healthy());
    let (out, _) = w.run(
        &["check", "--json", "--profile", profile.to_str().unwrap()],
        &[],
        Duration::from_secs(60),
    );
    let report = json(&out, "healthy");
    let mut seen = 0;
    for c in checks(&report) {
        let id = c["id"].as_str().unwrap();
        if !LOCAL.contains(&id) {
            continue;
        }
        seen += 1;
        assert_eq!(c["status"], "unknown", "{id}: {c}");
        let said = format!("{} {}", c["summary"], c["detail"]).to_lowercase();
        assert!(
            said.contains("powershell"),
            "{id} does not say PowerShell is missing: {c}"
        );
    }
    assert_eq!(seen, LOCAL.len(), "every computer check is in the report");
}

/// The exit codes, the journal in `%LOCALAPPDATA%`, and a closed stdout.
#[test]
fn exit_codes_the_journal_and_a_closed_pipe_on_windows() {
    let Some(exe) = windows_exe() else { return };
    let w = WinWorld::new(&exe);
    let limit = Duration::from_secs(60);

    // 2: bad input, with a clear message.
    let bad = w.dir.path().join("bad.toml");
    std::fs::write(&bad, "name = [oops").unwrap();
    let (out, _) = w.run(&["check", "--profile", bad.to_str().unwrap()], &[], limit);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
    let (out, _) = w.run(&["check", "--only", "no.such.check"], &[], limit);
    assert_eq!(out.status.code(), Some(2));

    // An empty journal is an answer, not an error; nothing written yet.
    let (out, _) = w.run(&["journal", "--json"], &[], limit);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let journal: Value = json(&out, "journal");
    assert!(
        journal.as_array().is_some_and(|a| a.is_empty()),
        "{journal}"
    );

    // A fix shown, not made: the Windows plan (PowerShell, by name).
    // (The preview is on stderr, with the questions; stdout stays for data.)
    let (out, _) = w.run(&["fix", "dns.flush", "--dry-run"], &[], limit);
    let shown = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("ipconfig /flushdns"), "{shown}");
    assert!(shown.contains("nothing was changed"), "{shown}");
    let local = w.windows_user_dir().join("AppData/Local/Meeting Doctor");
    assert!(
        !local.join("journal.jsonl").exists(),
        "a dry run wrote the journal"
    );

    // The reader of stdout goes away after one line (`| head -1`): no
    // panic, no error message.
    let mut cmd = w.ns.command(wine());
    cmd.arg(&w.exe)
        .arg("profile")
        .env("WINEPREFIX", w.prefix.path())
        .env("WINEDEBUG", "-all")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < limit,
            "profile with a closed stdout hangs"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("failed printing"), "{err}");
    assert_eq!(status.code(), Some(0), "{status:?} {err}");
}

/// A fix that needs no rights, for real on the Windows build: Zoom's cache
/// in `%APPDATA%\Zoom\data` is moved into a dated backup under
/// `%LOCALAPPDATA%\Meeting Doctor`, its database stays, the journal says
/// so; undo puts every file back.
#[test]
fn a_fix_and_its_undo_on_windows_use_the_users_folders() {
    let Some(exe) = windows_exe() else { return };
    let w = WinWorld::new(&exe);
    let limit = Duration::from_secs(90);
    let appdata = w.windows_user_dir().join("AppData");
    let zoom = appdata.join("Roaming/Zoom/data");
    std::fs::create_dir_all(zoom.join("logs")).unwrap();
    std::fs::write(zoom.join("logs/zoom.log"), "old log").unwrap();
    std::fs::write(zoom.join("zoomus.enc.db"), "settings").unwrap();

    let (out, _) = w.run(&["fix", "zoom.clear_cache", "--yes"], &[], limit);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(!zoom.join("logs").exists(), "the cache stayed: {said}");
    assert_eq!(
        std::fs::read_to_string(zoom.join("zoomus.enc.db")).unwrap(),
        "settings",
        "the settings database must stay put"
    );
    let data = appdata.join("Local/Meeting Doctor");
    let backups: Vec<_> = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(backups.len(), 1, "{said}");
    assert!(backups[0].path().join("manifest.json").is_file());

    let (out, _) = w.run(&["journal", "--json"], &[], limit);
    let journal = json(&out, "journal");
    let entry = &journal.as_array().unwrap()[0];
    assert_eq!(entry["fix"], "zoom.clear_cache");
    assert_eq!(entry["admin"], false);
    let backup = entry["backup"].as_str().unwrap();
    assert!(
        backup.starts_with(r"C:\") && backup.contains(r"\AppData\Local\Meeting Doctor\backups\"),
        "a Windows path under %LOCALAPPDATA%: {backup}"
    );

    let (out, _) = w.run(&["undo", "--last", "--yes"], &[], limit);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(zoom.join("logs/zoom.log")).unwrap(),
        "old log"
    );
    let (out, _) = w.run(&["journal", "--json"], &[], limit);
    assert_eq!(json(&out, "journal")[0]["state"], "undone");
}
