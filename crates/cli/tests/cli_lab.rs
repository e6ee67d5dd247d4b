//! The `meeting-doctor` binary end to end, inside network namespaces whose
//! system resolver is the lab's DNS server: each lab case must show its
//! statuses, the healthy lab must pass, and a dead network must finish
//! within its deadline with nothing passed.
//!
//! Needs root (network namespaces). Set MD_SKIP_NETNS=1 to skip on a
//! machine without them; CI runs them.

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
const LOCAL: &[&str] = &[
    "proxy",
    "vpn",
    "firewall",
    "security_software",
    "zoom_client",
    "network_type",
];

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
    assert!(text.contains("1 problem found:"), "{text}");
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
