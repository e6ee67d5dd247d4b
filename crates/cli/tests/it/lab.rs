//! The `meeting-doctor` binary end to end, inside network namespaces whose
//! system resolver is the lab's DNS server: each lab case must show its
//! statuses, the healthy lab must pass, and a dead network must finish
//! within its deadline with nothing passed.
//!
//! Needs root (network namespaces). Set MD_SKIP_NETNS=1 to skip on a
//! machine without them; CI runs them.

// Network namespaces: Linux only (other systems build this file empty).
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use md_lab::netns::{start_lab_in, NetNs, NsLab};
use md_lab::{LabConfig, LabProfile};
use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_meeting-doctor")
}

fn skip() -> bool {
    md_lab::netns::skip_without_netns()
}

/// A namespace with only loopback, its resolver pointed at 127.0.0.1, and
/// (optionally) the lab running inside with DNS on port 53.
struct World {
    ns: NetNs,
    lab: Option<NsLab>,
    dir: tempfile::TempDir,
}

impl World {
    fn new(with_lab: bool) -> World {
        let ns = NetNs::create("mdcli").expect("namespace");
        ns.set_resolv_conf("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
            .unwrap();
        let lab = with_lab.then(|| {
            start_lab_in(
                &ns,
                LabConfig {
                    dns_port: 53,
                    ..Default::default()
                },
            )
            .expect("lab in namespace")
        });
        World {
            ns,
            lab,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn lab(&self) -> &NsLab {
        self.lab.as_ref().expect("this world has a lab")
    }

    /// Writes a lab profile (its extra root: the lab's public CA).
    fn lab_profile(&self, name: &str, spec: &LabProfile) -> PathBuf {
        self.profile(name, &spec.toml(&self.lab().public_ca_pem))
    }

    fn profile(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn run(&self, args: &[&str], env: &[(&str, &Path)]) -> (Output, Duration) {
        let mut cmd = self.ns.command(bin());
        cmd.args(args)
            .env("NO_COLOR", "1")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let start = Instant::now();
        let out = cmd.output().expect("run meeting-doctor");
        (out, start.elapsed())
    }

    fn check_json(&self, profile: &Path, env: &[(&str, &Path)]) -> (i32, Value, Duration) {
        let (out, took) = self.run(
            &["check", "--json", "--profile", profile.to_str().unwrap()],
            env,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {stdout}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), report, took)
    }
}

/// Checks of this computer's own settings (read, not sent over the network):
/// they may pass on a dead network, and on this test machine some of them
/// cannot be known (no NetworkManager, no Zoom).
static LOCAL: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    meeting_doctor_core::probes::computer::IDS
        .iter()
        .filter_map(|id| id.fixed_str())
        .collect()
});

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status_of(report: &Value, id: &str) -> String {
    let c = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}"));
    c["status"].as_str().unwrap().to_string()
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}

#[test]
fn healthy_lab_is_all_pass_and_exit_0() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let before = lab.counters();
    let profile = w.lab_profile("healthy.toml", &lab.healthy());
    let (code, report, _) = w.check_json(&profile, &[]);
    for (id, status) in statuses(&report) {
        if LOCAL.contains(&id.as_str()) {
            assert!(
                status == "pass" || status == "unknown",
                "{id}: {}",
                check(&report, &id)
            );
            continue;
        }
        let want = if id == "tcp.8801" { "unknown" } else { "pass" };
        assert_eq!(status, want, "{id}: {}", check(&report, &id));
    }
    assert_eq!(code, 0, "{report}");
    // The system resolver really asked the lab, and so did the reference one.
    let after = lab.counters();
    assert!(
        after.dns_queries > before.dns_queries,
        "system resolver never reached the lab DNS"
    );
    assert!(after.dns_reference_queries > before.dns_reference_queries);
    assert!(after.stun_requests > before.stun_requests);
    // Contract shape.
    assert_eq!(report["schema"], "meeting-doctor/report/v1");
    for key in [
        "generated_at",
        "app",
        "system",
        "profile",
        "checks",
        "diagnosis",
        "fixes_applied",
    ] {
        assert!(report.get(key).is_some(), "report lacks {key}");
    }
    assert!(report["diagnosis"]["causes"].as_array().unwrap().is_empty());
    for c in report["checks"].as_array().unwrap() {
        for key in [
            "id",
            "title",
            "status",
            "summary",
            "detail",
            "evidence",
            "elapsed_ms",
        ] {
            assert!(c.get(key).is_some(), "{} lacks {key}", c["id"]);
        }
    }
}

#[test]
fn each_broken_part_of_the_lab_shows_its_own_status() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let profile = w.lab_profile("broken.toml", &lab.broken());
    // This computer trusts the inspection CA, as a managed laptop would.
    let (code, report, _) = w.check_json(&profile, &[("SSL_CERT_FILE", &lab.inspection_ca_pem)]);
    assert_eq!(code, 1);
    let tcp_id = format!("tcp.{}", lab.tcp_closed.port());
    let udp_id = format!("udp.{}", lab.udp_silent.port());
    let expect = [
        ("internet", "pass"),
        ("captive_portal", "fail"),
        ("dns.system", "fail"),
        ("dns.reference", "fail"),
        (tcp_id.as_str(), "fail"),
        (udp_id.as_str(), "fail"),
        ("tls", "fail"),
        ("clock", "fail"),
        ("service_status", "fail"),
        ("loss", "unknown"),
        ("bandwidth", "pass"),
    ];
    for (id, want) in expect {
        assert_eq!(status_of(&report, id), want, "{id}: {}", check(&report, id));
    }
    let dns = check(&report, "dns.system");
    assert_eq!(
        dns["evidence"]["sinkholed"],
        serde_json::json!(["sinkhole.zoom.lab.test"])
    );
    assert_eq!(
        dns["evidence"]["fails_only_on_system"],
        serde_json::json!(["blockedlocal.web.zoom.lab.test"])
    );
    assert!(check(&report, "tls")["summary"]
        .as_str()
        .unwrap()
        .contains("Lab Inspection CA"));
    assert_eq!(check(&report, &tcp_id)["evidence"]["error"], "refused");
    assert_eq!(check(&report, &udp_id)["evidence"]["error"], "silent");
    assert!(check(&report, "captive_portal")["evidence"]["redirect_to"]
        .as_str()
        .unwrap()
        .contains("login.lab.test"));
    assert!(check(&report, "clock")["summary"]
        .as_str()
        .unwrap()
        .contains("ahead"));
}

#[test]
fn system_dns_failing_only_locally_is_told_apart() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let spec = LabProfile {
        names: vec![
            "sinkholedlocal.zoom.lab.test".into(),
            "blockedlocal.zoom.lab.test".into(),
        ],
        ..lab.healthy()
    };
    let profile = w.lab_profile("dns.toml", &spec);
    let (out, _) = w.run(
        &[
            "check",
            "--json",
            "--only",
            "dns",
            "--profile",
            profile.to_str().unwrap(),
        ],
        &[],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        statuses(&report).len(),
        2,
        "--only dns gives exactly the two DNS checks"
    );
    assert_eq!(status_of(&report, "dns.system"), "fail");
    assert_eq!(status_of(&report, "dns.reference"), "pass");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_network_that_drops_everything_finishes_within_the_deadline() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let spec = LabProfile {
        probe_ms: 1000,
        total_ms: 3000,
        ..lab.silent()
    };
    let profile = w.lab_profile("silent.toml", &spec);
    let (code, report, took) = w.check_json(&profile, &[]);
    assert_eq!(code, 1);
    assert!(
        took < Duration::from_millis(3000 + 1500),
        "took {took:?} with a 3 s deadline"
    );
    for (id, status) in statuses(&report)
        .into_iter()
        .filter(|(id, _)| !LOCAL.contains(&id.as_str()))
    {
        assert_ne!(
            status,
            "pass",
            "{id} passed on a dead network: {}",
            check(&report, &id)
        );
    }
    assert_eq!(status_of(&report, "dns.system"), "fail");
    assert_eq!(status_of(&report, "dns.reference"), "unknown");
    assert_eq!(
        status_of(&report, "service_status"),
        "unknown",
        "an unreachable status page is never a fail"
    );
}

#[test]
fn default_profile_without_internet_fails_internet_and_passes_nothing() {
    if skip() {
        return;
    }
    // Only loopback and nothing listening: like a laptop with no network.
    let w = World::new(false);
    let (out, took) = w.run(&["check", "--json"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(took < Duration::from_millis(6000 + 1500), "took {took:?}");
    assert_eq!(report["profile"]["name"], "Zoom");
    assert_eq!(status_of(&report, "internet"), "fail");
    for (id, status) in statuses(&report)
        .into_iter()
        .filter(|(id, _)| !LOCAL.contains(&id.as_str()))
    {
        assert_ne!(
            status,
            "pass",
            "{id} passed without a network: {}",
            check(&report, &id)
        );
    }
    for id in LOCAL.iter().copied().chain([
        "tcp.443",
        "tcp.8801",
        "udp.3478",
        "udp.3479",
        "dns.system",
        "tls",
        "service_status",
        "bandwidth",
    ]) {
        assert!(
            report["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == id),
            "{id} missing"
        );
    }
}

#[test]
fn human_output_is_a_checklist_with_a_summary() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let profile = w.lab_profile(
        "p.toml",
        &LabProfile {
            tcp: lab.tcp_closed,
            ..lab.healthy()
        },
    );
    let (out, _) = w.run(&["check", "--profile", profile.to_str().unwrap()], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("✔ pass    Internet connection: This computer can reach the internet."),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "✘ fail    Zoom connection (port {}): The connection to Zoom on port {} was refused.",
            lab.tcp_closed.port(),
            lab.tcp_closed.port()
        )),
        "{text}"
    );
    // The diagnosis follows the checklist: the cause, why, and the steps.
    assert!(
        text.contains("This network blocks Zoom's connections.\n\nWhy: "),
        "{text}"
    );
    assert!(text.contains("What to do, in this order:\n  1. "), "{text}");
    assert!(
        !text.contains("\u{1b}["),
        "NO_COLOR output has colour codes"
    );
    // -v adds the technical detail.
    let (out, _) = w.run(
        &[
            "check",
            "-v",
            "--only",
            "tcp",
            "--profile",
            profile.to_str().unwrap(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Connection refused"), "{text}");
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    if skip() {
        return;
    }
    let w = World::new(false);
    let bad = w.profile(
        "bad.toml",
        "name = \"x\"\n\n[[udp]]\nhost = \"stun.example\"\nport = 99999\n",
    );
    let (out, _) = w.run(&["check", "--profile", bad.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:5:8")
            && err.contains("expected a port number from 1 to 65535, found 99999"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let (out, _) = w.run(&["check", "--profile", "/nonexistent/p.toml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot read profile /nonexistent/p.toml")
    );

    let (out, _) = w.run(&["check", "--only", "tcp.9"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown check id \"tcp.9\""));

    let (out, _) = w.run(&["check", "--timeout", "forever"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let (out, _) = w.run(&["frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));

    let garbage = w.profile("garbage.toml", "\u{0}\u{1}\u{2}not toml at all [[[");
    let (out, _) = w.run(&["check", "--profile", garbage.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("garbage.toml:1:"));

    // A made-up error code is refused the same way by check and report.
    for args in [
        vec!["check", "--error-code", "my zoom is broken"],
        vec![
            "report",
            "--from",
            "/nonexistent.json",
            "--error-code",
            "42",
        ],
    ] {
        let (out, _) = w.run(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--error-code: expected the number Zoom shows"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_local_firewall_blocking_udp_is_told_apart_from_silence() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    // An nftables output rule inside the namespace, as a host firewall would
    // have: the kernel refuses the send (EPERM) instead of the network
    // swallowing the packet.
    let nft = |args: &[&str]| {
        let out = w.ns.command("nft").args(args).output().expect("nft");
        assert!(
            out.status.success(),
            "nft {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    nft(&["add", "table", "inet", "md"]);
    nft(&[
        "add",
        "chain",
        "inet",
        "md",
        "out",
        "{ type filter hook output priority 0; }",
    ]);
    let port = lab.stun.port().to_string();
    nft(&[
        "add", "rule", "inet", "md", "out", "udp", "dport", &port, "drop",
    ]);
    let profile = w.lab_profile("fw.toml", &lab.healthy());
    let (out, _) = w.run(
        &[
            "check",
            "--json",
            "--only",
            "udp",
            "--profile",
            profile.to_str().unwrap(),
        ],
        &[],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let udp = check(&report, &format!("udp.{port}"));
    assert_eq!(udp["status"], "fail", "{udp}");
    assert_eq!(udp["evidence"]["error"], "local_firewall", "{udp}");
    assert!(
        udp["summary"]
            .as_str()
            .unwrap()
            .contains("firewall on this computer"),
        "{udp}"
    );
}

#[test]
fn facts_say_what_is_known_and_why_the_rest_is_not() {
    if skip() {
        return;
    }
    // An empty namespace: only loopback, no resolver answering.
    let w = World::new(false);
    let (out, _) = w.run(&["facts", "--json"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(f["os"], "linux");
    assert_eq!(f["interfaces"]["state"], "known");
    assert_eq!(f["interfaces"]["value"][0]["name"], "lo");
    assert_eq!(f["interfaces"]["value"][0]["kind"], "loopback");
    // zoom.us cannot be looked up here, so the route to Zoom is unknown, with the reason.
    assert_eq!(f["route_to_zoom"]["state"], "unknown");
    assert!(f["route_to_zoom"]["reason"]
        .as_str()
        .unwrap()
        .contains("could not be looked up"));
    assert_eq!(f["dns_servers"]["state"], "known", "{}", f["dns_servers"]);
    for key in ["proxy", "default_routes", "firewall", "zoom", "link"] {
        let state = f[key]["state"].as_str().unwrap();
        assert!(
            state == "known"
                || (state == "unknown" && !f[key]["reason"].as_str().unwrap().is_empty()),
            "{key}: {}",
            f[key]
        );
    }
    // The text view has one line per fact.
    let (out, _) = w.run(&["facts"], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("route_to_zoom") && l.contains("unknown:")),
        "{text}"
    );
}

fn top_cause(report: &Value) -> Option<String> {
    report["diagnosis"]["causes"]
        .as_array()
        .unwrap()
        .first()
        .map(|c| c["id"].as_str().unwrap().to_string())
}

/// One lab network per fault, with what a run there must name first.
type Case<'a> = (&'a str, LabProfile, Vec<(&'a str, &'a Path)>, &'a str);

fn fault_cases(lab: &NsLab) -> Vec<Case<'_>> {
    let healthy = lab.healthy();
    vec![
        (
            "portal",
            LabProfile {
                captive: "/portal".into(),
                ..healthy.clone()
            },
            vec![],
            "captive_portal",
        ),
        (
            "sinkhole",
            LabProfile {
                names: vec!["sinkhole.zoom.lab.test".into()],
                ..healthy.clone()
            },
            vec![],
            "dns_filtered",
        ),
        (
            "local dns",
            LabProfile {
                names: vec!["blockedlocal.zoom.lab.test".into()],
                ..healthy.clone()
            },
            vec![],
            "dns_failure",
        ),
        (
            "tcp refused",
            LabProfile {
                tcp: lab.tcp_closed,
                ..healthy.clone()
            },
            vec![],
            "zoom_blocked",
        ),
        (
            "udp silent",
            LabProfile {
                udp: lab.udp_silent,
                ..healthy.clone()
            },
            vec![],
            "udp_blocked",
        ),
        (
            "inspection",
            LabProfile {
                tls: lab.tls_inspected,
                ..healthy.clone()
            },
            vec![("SSL_CERT_FILE", lab.inspection_ca_pem.as_path())],
            "tls_interception",
        ),
        (
            "clock",
            LabProfile {
                clock: "/date-skew/-7200".into(),
                ..healthy.clone()
            },
            vec![],
            "clock_skew",
        ),
        (
            "outage",
            LabProfile {
                status: "/status/outage".into(),
                udp: lab.udp_silent,
                ..healthy.clone()
            },
            vec![],
            "zoom_outage",
        ),
        ("silent", lab.silent(), vec![], "offline"),
    ]
}

#[test]
fn each_lab_fault_yields_its_own_top_cause() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let cases = fault_cases(w.lab());
    for (name, spec, env, want) in cases {
        let profile = w.lab_profile(&format!("{}.toml", name.replace(' ', "-")), &spec);
        let (code, report, _) = w.check_json(&profile, &env);
        assert_eq!(code, 1, "{name}");
        assert_eq!(
            top_cause(&report).as_deref(),
            Some(want),
            "{name}: {}",
            report["diagnosis"]
        );
        if want == "offline" || want == "captive_portal" {
            assert_eq!(
                report["diagnosis"]["causes"].as_array().unwrap().len(),
                1,
                "{name}: only {want}: {}",
                report["diagnosis"]
            );
        }
    }
}

#[test]
fn a_proxy_that_wants_a_sign_in_is_the_cause_whether_set_by_environment_or_gnome_pac() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let profile = w.lab_profile("healthy.toml", &lab.healthy());
    let p = profile.to_str().unwrap();
    // 1. The environment (as curl and many apps read it).
    let mut cmd = w.ns.command(bin());
    cmd.args(["check", "--json", "--profile", p])
        .env("https_proxy", format!("http://{}", lab.proxy_auth))
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY");
    let out = cmd.output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        status_of(&report, "proxy"),
        "fail",
        "{}",
        check(&report, "proxy")
    );
    assert!(check(&report, "proxy")["summary"]
        .as_str()
        .unwrap()
        .contains("sign-in"));
    assert_eq!(
        top_cause(&report).as_deref(),
        Some("proxy_interference"),
        "{}",
        report["diagnosis"]
    );
    // The internet check (plain http, no http proxy set) still passes: not "offline".
    assert_eq!(status_of(&report, "internet"), "pass");

    // 2. GNOME's automatic proxy script, served by the lab (gsettings with
    // the keyfile backend in a private config folder).
    let config = tempfile::tempdir().unwrap();
    let gs = |args: &[&str]| {
        let ok = std::process::Command::new("gsettings")
            .args(args)
            .env("GSETTINGS_BACKEND", "keyfile")
            .env("XDG_CONFIG_HOME", config.path())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok
    };
    if !gs(&["set", "org.gnome.system.proxy", "mode", "auto"]) {
        eprintln!("gsettings with the GNOME proxy schema is not available: GNOME part skipped");
        return;
    }
    let pac = format!("http://{}/pac?proxy={}&all=1", lab.http, lab.proxy_auth);
    assert!(gs(&[
        "set",
        "org.gnome.system.proxy",
        "autoconfig-url",
        &pac
    ]));
    let before = lab.counters();
    let mut cmd = w.ns.command(bin());
    cmd.args(["check", "--json", "--only", "proxy", "--profile", p])
        .env("GSETTINGS_BACKEND", "keyfile")
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("https_proxy")
        .env_remove("HTTPS_PROXY");
    let out = cmd.output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let proxy = check(&report, "proxy");
    assert_eq!(proxy["status"], "fail", "{proxy}");
    assert!(
        proxy["detail"].as_str().unwrap().contains("proxy script"),
        "{proxy}"
    );
    assert!(proxy["detail"].as_str().unwrap().contains("407"), "{proxy}");
    let after = lab.counters();
    assert_eq!(after.http.route("/pac") - before.http.route("/pac"), 1);
    assert!(after.proxy_auth_requests > before.proxy_auth_requests);
}

#[test]
fn compare_tells_which_network_blocks_and_rejects_bad_input() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let blocked = w.lab_profile(
        "blocked.toml",
        &LabProfile {
            tcp: lab.tcp_closed,
            ..lab.healthy()
        },
    );
    let fine = w.lab_profile("fine.toml", &lab.healthy());
    let save = |profile: &Path, name: &str| {
        let (out, _) = w.run(
            &["check", "--json", "--profile", profile.to_str().unwrap()],
            &[],
        );
        let path = w.dir.path().join(name);
        std::fs::write(&path, &out.stdout).unwrap();
        path
    };
    let a = save(&blocked, "office.json");
    let b = save(&fine, "hotspot.json");
    let (out, _) = w.run(&["compare", a.to_str().unwrap(), b.to_str().unwrap()], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("blocks Zoom"), "{text}");
    assert!(text.contains("→"), "{text}");
    let (out, _) = w.run(
        &[
            "compare",
            "--json",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        &[],
    );
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["verdict"], "first_network_blocks");
    // Malformed input: exit 2, the file named, nothing else printed.
    let bad = w.profile(
        "bad.json",
        "{\"schema\": \"meeting-doctor/report/v1\", \"checks\": 3",
    );
    let other = w.profile("other.json", "{\"hello\": 1}");
    for (file, words) in [
        (&bad, "not a JSON report"),
        (&other, "not a Meeting Doctor report"),
    ] {
        let (out, _) = w.run(
            &["compare", file.to_str().unwrap(), b.to_str().unwrap()],
            &[],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(words) && err.contains(file.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_redacted_markdown_report_tells_the_admin_what_to_open() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let spec = LabProfile {
        tcp: lab.tcp_closed,
        udp: lab.udp_silent,
        ..lab.healthy()
    };
    let profile = w.lab_profile("office.toml", &spec);
    let out_file = w.dir.path().join("ticket.md");
    let (out, _) = w.run(
        &[
            "report",
            "--format",
            "md",
            "--error-code",
            "104103",
            "--profile",
            profile.to_str().unwrap(),
            "--out",
            out_file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&out_file).unwrap();
    assert!(md.starts_with("# Meeting Doctor report"), "{md}");
    assert!(
        md.contains("104103 means the Zoom app could not reach Zoom's servers"),
        "{md}"
    );
    let note = md
        .split("## Note for the network administrator")
        .nth(1)
        .unwrap_or_else(|| panic!("no admin note: {md}"));
    assert!(
        note.contains(&format!("TCP {}", lab.tcp_closed.port())),
        "{note}"
    );
    assert!(note.contains("refused"), "{note}");
    assert!(
        note.contains(&format!("UDP {}", lab.udp_silent.port())),
        "{note}"
    );
    // Redacted by default: this computer's name is not in it; --no-redact keeps it.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let host = host.trim();
    if host.len() >= 2 {
        assert!(
            !md.to_lowercase().contains(&host.to_lowercase()),
            "host name leaked"
        );
        let (out, _) = w.run(
            &[
                "report",
                "--no-redact",
                "--format",
                "txt",
                "--profile",
                profile.to_str().unwrap(),
            ],
            &[],
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(host));
    }
    // A saved JSON report renders the same way, and garbage is exit 2.
    let (out, _) = w.run(
        &["check", "--json", "--profile", profile.to_str().unwrap()],
        &[],
    );
    let saved = w.dir.path().join("saved.json");
    std::fs::write(&saved, &out.stdout).unwrap();
    let (out, _) = w.run(
        &[
            "report",
            "--from",
            saved.to_str().unwrap(),
            "--format",
            "html",
        ],
        &[],
    );
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
        "{html}"
    );
    assert!(html.contains("network administrator"));
    let bad = w.profile("bad.json", "not json");
    let (out, _) = w.run(&["report", "--from", bad.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a JSON report"));
}

/// What no terminal may receive from us: control characters other than
/// line breaks and tabs (ESC, CR, BEL, C1 such as U+009B) and bidirectional
/// controls (U+202E and friends).
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    for c in text.chars() {
        let control = c.is_control() && c != '\n' && c != '\t';
        let bidi = matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(
            !control && !bidi,
            "{what}: {c:?} reached the terminal in\n{text}"
        );
    }
}

#[test]
fn hostile_text_from_the_network_never_reaches_the_terminal_raw() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let profile = w.lab_profile(
        "hostile.toml",
        &LabProfile {
            captive: "/portal-hostile".into(),
            status: "/status/hostile".into(),
            ..lab.healthy()
        },
    );
    let p = profile.to_str().unwrap();
    let only = "captive_portal,service_status";
    for args in [
        vec!["check", "--only", only, "--profile", p],
        vec!["check", "-v", "--only", only, "--profile", p],
    ] {
        let (out, _) = w.run(&args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_terminal_safe(&format!("{args:?}"), &out.stdout);
        assert_terminal_safe(&format!("{args:?} stderr"), &out.stderr);
        let text = String::from_utf8_lossy(&out.stdout);
        // The words are all still there, the escapes shown as text.
        for words in [
            "sign-in page (\"Hotel \\x1b]0;owned\\x07Guest\\x1b[2J Wi-Fi ",
            "sign in",
            "\\u{9b}31m nigol",
            "Zoom reports: \"Meetings \\x1b]0;owned\\x07unavailable\\x1b[2J \\r\\u{9b}31m tuo ",
            "details",
        ] {
            assert!(text.contains(words), "{args:?}: {words:?} in\n{text}");
        }
    }

    // JSON on the terminal: safe bytes, exactly the same data.
    let (out, _) = w.run(&["check", "--json", "--only", only, "--profile", p], &[]);
    assert_terminal_safe("check --json", &out.stdout);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        check(&report, "captive_portal")["evidence"]["page_title"],
        md_lab::HOSTILE_PORTAL_TITLE
    );
    assert_eq!(
        check(&report, "service_status")["evidence"]["open_incidents"][0],
        md_lab::HOSTILE_INCIDENT_NAME
    );

    // Reports on the terminal are safe; a report file keeps the text as it came.
    for format in ["txt", "md", "html", "json"] {
        let (out, _) = w.run(
            &["report", "--format", format, "--no-redact", "--profile", p],
            &[],
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert_terminal_safe(&format!("report --format {format}"), &out.stdout);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("\\x1b]0;owned") || text.contains("\\u001b]0;owned"),
            "{format}: the title is shown: {text}"
        );
    }
    let saved = w.dir.path().join("ticket.md");
    let (out, _) = w.run(
        &[
            "report",
            "--format",
            "md",
            "--profile",
            p,
            "--out",
            saved.to_str().unwrap(),
        ],
        &[],
    );
    assert_terminal_safe("report --out: stderr", &out.stderr);
    let md = std::fs::read_to_string(&saved).unwrap();
    assert!(md.contains(md_lab::HOSTILE_PORTAL_TITLE), "{md}");

    // compare reads saved reports: what it prints is safe too.
    let json = w.dir.path().join("hostile.json");
    std::fs::write(&json, serde_json::to_vec(&report).unwrap()).unwrap();
    let (out, _) = w.run(
        &["compare", json.to_str().unwrap(), json.to_str().unwrap()],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_terminal_safe("compare", &out.stdout);
}

#[test]
fn a_huge_status_page_is_unknown_within_the_deadline() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let profile = w.lab_profile(
        "huge.toml",
        &LabProfile {
            status: "/status-huge?bytes=50000000".into(),
            ..lab.healthy()
        },
    );
    let (out, took) = w.run(
        &[
            "check",
            "--json",
            "--only",
            "service_status",
            "--profile",
            profile.to_str().unwrap(),
        ],
        &[],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = check(&report, "service_status");
    assert_eq!(status["status"], "unknown", "{status}");
    assert!(
        status["detail"]
            .as_str()
            .unwrap()
            .contains("larger than 2 MiB"),
        "{status}"
    );
    // The healthy lab's step is 2 s.
    assert!(took < Duration::from_millis(2000 + 1500), "took {took:?}");
}

/// KDE's setting names a proxy script file (read from ~/.config/kioslaverc
/// in a KDE session): a FIFO nobody writes to, /dev/zero and a 20 MB file
/// each end the proxy check at once, saying why.
#[test]
fn a_proxy_script_file_that_never_ends_ends_the_check_promptly() {
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let profile = w.lab_profile("healthy.toml", &lab.healthy());
    let fifo = w.dir.path().join("never-written.pac");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let huge = w.dir.path().join("huge.pac");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(20_000_000)
        .unwrap();
    let cases: [(&Path, &str); 3] = [
        (&fifo, "it is not a regular file"),
        (Path::new("/dev/zero"), "it is not a regular file"),
        (&huge, "it is larger than 1024 KiB"),
    ];
    for (script, why) in cases {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".config")).unwrap();
        std::fs::write(
            home.path().join(".config/kioslaverc"),
            format!(
                "[Proxy Settings]\nProxyType=2\nProxy Config Script=file://{}\n",
                script.display()
            ),
        )
        .unwrap();
        let mut cmd = w.ns.command(bin());
        cmd.args([
            "check",
            "--json",
            "--only",
            "proxy",
            "--profile",
            profile.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .env("HOME", home.path())
        .env("XDG_CURRENT_DESKTOP", "KDE");
        let start = Instant::now();
        let out = cmd.output().unwrap();
        let took = start.elapsed();
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        let proxy = check(&report, "proxy");
        assert_eq!(proxy["status"], "warn", "{}: {proxy}", script.display());
        let detail = proxy["detail"].as_str().unwrap();
        assert!(
            detail.contains(&format!(
                "the proxy script file://{} could not be read: {why}",
                script.display()
            )),
            "{detail}"
        );
        assert!(
            took < Duration::from_millis(2000),
            "{}: took {took:?}",
            script.display()
        );
    }
}

/// What a refactor must not change in a report: each check's id and
/// status, the causes in order, and each cause's fixes.
fn contract_of(report: &Value) -> Value {
    let checks: Vec<Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::json!([c["id"], c["status"]]))
        .collect();
    let causes: Vec<Value> = report["diagnosis"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::json!([c["id"], c["fixes"]]))
        .collect();
    serde_json::json!({ "checks": checks, "causes": causes })
}

/// Opt-in (`MD_COMPARE_CLI=path/to/an/older/meeting-doctor`): every lab
/// network gives the same checks, statuses, causes and fix ids with this
/// build as with the older one. For refactors that must not change what
/// a report says; build the older commit in a worktree and point at it.
#[test]
fn reports_match_an_older_build_on_every_lab_network() {
    let Some(older) = std::env::var_os("MD_COMPARE_CLI") else {
        return;
    };
    if skip() {
        return;
    }
    let w = World::new(true);
    let lab = w.lab();
    let mut cases = fault_cases(lab);
    cases.push(("healthy", lab.healthy(), vec![], ""));
    cases.push(("broken", lab.broken(), vec![], ""));
    for (name, spec, env, _) in cases {
        let profile = w.lab_profile(&format!("cmp-{}.toml", name.replace(' ', "-")), &spec);
        let (code, report, _) = w.check_json(&profile, &env);
        let mut cmd = w.ns.command(&older);
        cmd.args(["check", "--json", "--profile", profile.to_str().unwrap()])
            .env("NO_COLOR", "1")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY");
        for (k, v) in &env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run the older build");
        let old: Value = serde_json::from_slice(&out.stdout).expect("the older build's JSON");
        assert_eq!(out.status.code(), Some(code), "{name}: exit code");
        assert_eq!(contract_of(&report), contract_of(&old), "{name}");
        eprintln!("{name}: same checks, statuses, causes and fixes");
    }
}
