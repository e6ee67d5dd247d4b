//! Report rendering: snapshots of every format for two fixed reports, the
//! administrator note, redaction and escaping.
//!
//! Snapshots live in `tests/snapshots/` and are compared byte for byte.
//! After an intended change to the wording or layout, rewrite them with
//!
//!     UPDATE_SNAPSHOTS=1 cargo test -p meeting-doctor-core --test render
//!
//! and read the diff before committing it.
//!
//! The two reports are JSON fixtures in `tests/fixtures/` (the shapes the
//! probes write) run through the diagnosis here, so the snapshots follow
//! the diagnosis rules: `report_lab_failure.json` is an office network that
//! filters one Zoom name, refuses TCP 8801, drops TCP 8802 and UDP 3478,
//! and re-signs TLS (error 104103); `report_healthy.json` passes everything.

use std::path::PathBuf;

use meeting_doctor_core::compare::compare;
use meeting_doctor_core::fixes::fixer::FixRecord;
use meeting_doctor_core::render::{
    admin_note, redacted, render, render_with, Format, RenderOptions,
};
use meeting_doctor_core::{Finding, Report, Status};
use serde_json::{json, Value};

fn dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(sub)
}

/// A fixture report, diagnosed now.
fn fixture(name: &str) -> Report {
    let path = dir("fixtures").join(format!("report_{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let report: Report = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    report.diagnosed()
}

fn lab_failure() -> Report {
    fixture("lab_failure")
}

fn healthy() -> Report {
    fixture("healthy")
}

/// Compares `actual` with the snapshot `name`, or rewrites it when
/// `UPDATE_SNAPSHOTS=1`.
fn snapshot(name: &str, actual: &str) {
    let path = dir("snapshots").join(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("no snapshot {path:?}; run with UPDATE_SNAPSHOTS=1 to write it")
    });
    if expected != actual {
        let (n, want, got) = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| (i + 1, a.to_string(), b.to_string()))
            .unwrap_or((
                expected.lines().count().min(actual.lines().count()) + 1,
                "(end or trailing difference)".into(),
                String::new(),
            ));
        panic!(
            "snapshot {name} differs at line {n}:\n  want: {want}\n  got:  {got}\nRun with UPDATE_SNAPSHOTS=1 to accept the new output."
        );
    }
}

fn change(report: &mut Report, id: &str, f: impl FnOnce(&mut Finding)) {
    let c = report
        .checks
        .iter_mut()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"));
    f(c);
}

#[test]
fn snapshots_of_every_format() {
    for (name, report) in [("lab_failure", lab_failure()), ("healthy", healthy())] {
        for format in Format::ALL {
            let out = render(&report, format, false);
            snapshot(&format!("{name}.{}", format.extension()), &out);
        }
    }
    // What a ticket gets by default: redacted.
    snapshot(
        "lab_failure.redacted.md",
        &render(&lab_failure(), Format::Markdown, true),
    );
}

#[test]
fn the_lab_failure_reads_in_the_right_order() {
    let md = render(&lab_failure(), Format::Markdown, false);
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("no {s:?} in\n{md}"));
    // Plain words first, then the technician's facts.
    assert!(at("104103 means") < at("## What's wrong"));
    assert!(at("## What's wrong") < at("## Support details"));
    assert!(at("## Support details") < at("## Note for the network administrator"));
    assert!(at("## Note for the network administrator") < at("## All checks"));
    assert!(at("## All checks") < at("## Technical detail"));
    // Causes best first: the filtered name before the quality warning.
    assert!(at("name lookup blocks Zoom") < at("Audio and video can't use"));
    // Support details a help desk asks for.
    for s in [
        "| Operating system | Windows 11 Pro 23H2 (build 22631), x86_64 |",
        "| Computer name | LAB-PC-07 |",
        "| User | alice |",
        "| Zoom app | 6.2.11.50139 |",
        "Wi-Fi (CorpWiFi), signal 82 %, 5 GHz",
        "| VPN | no |",
        "| Proxy | none |",
        "| Security software | Microsoft Defender Antivirus |",
        "| Works on another network | not tested |",
        "| Zoom error code | 104103 means the Zoom app could not reach Zoom's servers |",
    ] {
        assert!(md.contains(s), "{s:?} missing from\n{md}");
    }
    // Checks grouped as the app groups them; status as a word.
    assert!(at("### Internet") < at("### Zoom servers"));
    assert!(md.contains("| **Fail** | Zoom connection (port 8801) |"));
    // Only non-passing checks in the technical detail.
    let tech = &md[at("## Technical detail")..];
    assert!(tech.contains("### Fail: Zoom connection (port 8801) · `tcp.8801`"));
    assert!(!tech.contains("`tcp.443`"));
}

#[test]
fn plain_text_has_no_markup_and_fits_78_columns() {
    for report in [lab_failure(), healthy()] {
        let t = render(&report, Format::Text, false);
        for line in t.lines() {
            assert!(line.chars().count() <= 78, "too wide: {line:?}");
        }
        for markup in ["**", "<", "```", "| ---", "](", "##"] {
            assert!(!t.contains(markup), "{markup:?} in\n{t}");
        }
    }
    let t = render(&lab_failure(), Format::Text, false);
    assert!(t.contains("NOTE FOR THE NETWORK ADMINISTRATOR"));
    assert!(t.contains("  FAIL     Zoom connection (port 8801):"));
}

#[test]
fn json_is_the_contract_shape() {
    let report = lab_failure();
    let out = render(&report, Format::Json, false);
    assert_eq!(out, serde_json::to_string_pretty(&report).unwrap());
    let back: Report = serde_json::from_str(&out).unwrap();
    assert_eq!(back.checks, report.checks);
    assert_eq!(back.diagnosis, report.diagnosis);
}

#[test]
fn html_is_self_contained_escaped_and_printable() {
    let mut report = healthy();
    change(&mut report, "captive_portal", |c| {
        c.status = Status::Warn;
        c.summary = "<script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)>".into();
        c.detail = "</pre><script>steal()</script>".into();
        c.title = "Portal <b>bold</b>".into();
    });
    report.system.os_version = Some("<i>OS</i>".into());
    let html = render(&report, Format::Html, false);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img"), "{html}");
    assert!(!lower.contains("<b>") && !lower.contains("<i>"));
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
    );
    assert!(html.contains("&lt;/pre&gt;&lt;script&gt;steal()&lt;/script&gt;"));
    // One file: inline style, nothing fetched, nothing run.
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<title>Meeting Doctor report"));
    assert!(html.contains("<style>") && html.contains("@media print"));
    for tag in lower
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
    {
        for attr in ["src=", "href=", "on", "style="] {
            let hit = if attr == "on" {
                tag.split_whitespace().skip(1).any(|a| a.starts_with("on"))
            } else {
                tag.contains(attr)
            };
            assert!(!hit, "<{tag}> has {attr}");
        }
    }
    for external in ["@import", "url(", "<link", "<script", "<iframe"] {
        assert!(!lower.contains(external), "{external} in HTML");
    }
    // Semantic headings, and status by word as well as colour.
    assert!(html.contains("<h1>") && html.contains("<h2>All checks</h2>"));
    assert!(html.contains("<span class=\"status warn\"><span class=\"mark\" aria-hidden=\"true\">!</span> Warning</span>"));
    assert!(html.contains("<span class=\"status pass\"><span class=\"mark\" aria-hidden=\"true\">✓</span> Pass</span>"));
}

#[test]
fn markdown_escapes_data() {
    let mut report = healthy();
    change(&mut report, "captive_portal", |c| {
        c.status = Status::Warn;
        c.summary = "a | b `code` *bold* [link](http://x) <script>".into();
        c.detail = "```\nnot the end\n```".into();
    });
    let md = render(&report, Format::Markdown, false);
    assert!(
        md.contains("| **Warning** | Wi-Fi sign-in page | a \\| b \\`code\\` \\*bold\\* [link]\\(http://x) \\<script> |"),
        "{md}"
    );
    // The detail's own fence can't close the block around it.
    assert!(md.contains("````text\n```\nnot the end\n```\n````"), "{md}");
}

#[test]
fn admin_note_for_the_lab_failure_names_ports_hosts_and_issuer() {
    let note = admin_note(&lab_failure()).expect("a note");
    for s in [
        "Zoom fails on this network (Wi-Fi \"CorpWiFi\"; Zoom error 104103; checked 2026-11-22 08:28 UTC). What failed:",
        "DNS: resolver 10.20.0.53 answers us04web.zoom.us with 0.0.0.0, a blocking answer; public resolvers return real addresses.",
        "TCP 8801 to zoom.us (170.114.52.2): refused",
        "TCP 8802 to zoom.us (170.114.52.2): no answer (dropped silently)",
        "UDP 3478 to stun.cloudflare.com (162.159.207.0): no STUN answer",
        "re-signed by \"Corp Inspection CA\"",
        "exempt zoom.us and *.zoom.us from inspection",
        "TCP 443, 8801, 8802 and UDP 3478, 3479, 8801–8810",
    ] {
        assert!(note.contains(s), "{s:?} missing from\n{note}");
    }
    // Only failures: what passed or couldn't be tested is not in it.
    assert!(!note.contains("TCP 443 to"), "{note}");
    assert!(!note.contains("UDP 3479 to"), "{note}");
    assert!(!note.contains("www.zoom.us"), "{note}");
}

#[test]
fn no_admin_note_when_the_network_is_fine() {
    assert_eq!(admin_note(&healthy()), None);
    // A lingering Zoom process is this computer's problem.
    let mut r = healthy();
    change(&mut r, "zoom_client", |c| {
        c.status = Status::Warn;
        c.summary = "Parts of Zoom are still running after Zoom was closed; they can stop it from starting cleanly.".into();
    });
    let r = r.diagnosed();
    assert!(!r.diagnosis.causes.is_empty());
    assert_eq!(admin_note(&r), None);
    // So is a rule in this computer's own firewall, and what it blocks.
    let mut r = healthy();
    change(&mut r, "firewall", |c| c.status = Status::Fail);
    change(&mut r, "udp.3478", |c| {
        c.status = Status::Fail;
        c.evidence["error"] = json!("local_firewall");
    });
    assert_eq!(admin_note(&r.diagnosed()), None);
    let md = render(&healthy(), Format::Markdown, false);
    assert!(!md.contains("network administrator"));
}

#[test]
fn admin_note_for_a_proxy_that_wants_a_sign_in() {
    let mut r = healthy();
    change(&mut r, "proxy", |c| {
        c.status = Status::Fail;
        c.summary =
            "The proxy (proxy.corp.example:3128) asks for a sign-in before it lets Zoom through."
                .into();
        c.evidence = json!({
            "settings": {"source": "HKCU Internet Settings", "auto_detect": false, "pac_url": null, "http": "proxy.corp.example:3128", "https": "proxy.corp.example:3128", "socks": null, "bypass": []},
            "route": {"url": "https://zoom.us/", "chain": [{"kind": "proxy", "address": "proxy.corp.example:3128"}], "how": "the manual proxy setting (HKCU Internet Settings)"},
            "tried": [{"via": {"kind": "proxy", "address": "proxy.corp.example:3128"}, "error": {"kind": "refused", "status": 407, "reason": "Proxy Authentication Required", "authenticate": "Negotiate"}}]
        });
    });
    let r = r.diagnosed();
    let note = admin_note(&r).expect("a note");
    assert!(
        note.contains("Proxy proxy.corp.example:3128 wants authentication for CONNECT zoom.us:443 (HTTP 407, Proxy-Authenticate: Negotiate)"),
        "{note}"
    );
    let md = render(&r, Format::Markdown, false);
    assert!(md.contains("| Proxy | The proxy (proxy.corp.example:3128) asks for a sign-in"));
    // And one that refuses Zoom outright.
    let mut r = r;
    change(&mut r, "proxy", |c| {
        c.evidence["tried"][0]["error"] =
            json!({"kind": "refused", "status": 403, "reason": "Forbidden", "authenticate": null});
    });
    let note = admin_note(&r).unwrap();
    assert!(
        note.contains("refuses CONNECT zoom.us:443 (HTTP 403 Forbidden)"),
        "{note}"
    );
}

#[test]
fn admin_note_for_a_network_that_blocks_zoom_outright() {
    let mut r = healthy();
    change(&mut r, "tcp.443", |c| {
        c.status = Status::Fail;
        c.summary = "Zoom never answered on port 443; something on the way is dropping it.".into();
        c.evidence = json!({"host": "zoom.us", "port": 443, "error": "silent", "attempts": [{"address": "170.114.52.2:443", "error": "silent"}]});
    });
    change(&mut r, "tls", |c| {
        c.status = Status::Fail;
        c.evidence = json!({"targets": [{"target": "zoom.us:443", "stage": "handshake", "error": "reset", "address": "170.114.52.2:443"}]});
    });
    let r = r.diagnosed();
    assert_eq!(r.diagnosis.causes[0].id, "zoom_blocked");
    let note = admin_note(&r).unwrap();
    assert!(
        note.contains("- TCP 443 to zoom.us (170.114.52.2): no answer (dropped silently)."),
        "{note}"
    );
    assert!(
        note.contains(
            "- TLS to zoom.us:443: the handshake is reset after the TCP connection opened"
        ),
        "{note}"
    );
    // The note is in every human format.
    for format in [Format::Markdown, Format::Html, Format::Text] {
        let out = render(&r, format, false);
        assert!(out.contains("TCP 443 to zoom.us"), "{format:?}");
        assert!(
            out.contains("Note for the network administrator")
                || out.contains("NOTE FOR THE NETWORK ADMINISTRATOR"),
            "{format:?}"
        );
    }
}

#[test]
fn admin_note_for_a_sign_in_page_is_only_that() {
    let mut r = lab_failure();
    change(&mut r, "captive_portal", |c| {
        c.status = Status::Fail;
        c.evidence["redirect_to"] = json!("http://login.hotel.example/portal");
    });
    let note = admin_note(&r.diagnosed()).unwrap();
    assert!(note.contains("captive portal"), "{note}");
    assert!(note.contains("login.hotel.example"), "{note}");
    assert!(!note.contains("TCP 8801"), "{note}");
}

#[test]
fn a_comparison_answers_works_on_another_network() {
    let here = lab_failure();
    let mut hotspot = healthy();
    hotspot.generated_at = "2026-11-22T08:35:02Z".into();
    change(&mut hotspot, "network_type", |c| {
        c.evidence = json!({"link": {"kind": "wifi", "interface": "Wi-Fi", "wifi": {"ssid": "Alice's phone"}}});
    });
    let c = compare(&here, &hotspot);
    let opts = RenderOptions {
        redact: false,
        comparison: Some(&c),
    };
    let md = render_with(&here, Format::Markdown, opts);
    assert!(
        md.contains("| Works on another network | yes: Zoom works on Wi-Fi (Alice's phone), so this network blocks it |"),
        "{md}"
    );
    // The hotspot's own report, compared the same way, sees it from its side.
    let md = render_with(&hotspot, Format::Markdown, opts);
    assert!(
        md.contains(
            "| Works on another network | no: Wi-Fi (CorpWiFi) has problems this network doesn't |"
        ),
        "{md}"
    );
}

// ───────────────────────────── redaction ─────────────────────────────

const USER: &str = "mkowalski";
const HOST: &str = "Finance-PC-12.corp.example.com";
const PRIVATE_V4: &str = "192.168.1.57";
const PUBLIC_V4: &str = "203.0.113.45";
const V6: &str = "2001:db8:85a3::8a2e:370:7334";

/// A report with personal details everywhere they can appear.
fn personal() -> Report {
    let mut r = lab_failure();
    r.system.user = Some(USER.into());
    r.system.host_name = Some(HOST.into());
    r.profile.source = format!("/home/{USER}/zoom-lab.toml");
    change(&mut r, "vpn", |c| {
        c.detail =
            format!("route to 170.114.52.2: dev Wi-Fi via {PRIVATE_V4}; source {PRIVATE_V4}");
        c.evidence["route"]["gateway"] = json!(PRIVATE_V4);
        c.evidence["route"]["source"] = json!(PRIVATE_V4);
    });
    change(&mut r, "udp.3478", |c| {
        c.summary = format!("Audio and video from {PUBLIC_V4} get no answer on port 3478.");
        c.detail =
            format!("UDP: 3 STUN requests from [{V6}]:51000 and {PUBLIC_V4}:51001, no answer");
        c.evidence["mapped"] = json!(format!("{PUBLIC_V4}:51001"));
        c.evidence[format!("seen by {USER}")] = json!(true);
        c.evidence[V6] = json!({"port": 51000});
    });
    change(&mut r, "zoom_client", |c| {
        c.detail = format!(
            "per-user install at C:\\Users\\{USER}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe and C:/Users/{USER}/Zoom; host {}",
            HOST.to_uppercase()
        );
        c.evidence["install"]["path"] = json!(format!(
            "C:\\Users\\{USER}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe"
        ));
        c.evidence["logs"] = json!([
            format!("/Users/{USER}/Library/Logs/zoom.us"),
            format!("/home/{USER}/.zoom/logs")
        ]);
    });
    change(&mut r, "firewall", |c| {
        c.summary = format!(
            "{} on finance-pc-12 is on; user {} also checked.",
            "The firewall",
            USER.to_uppercase()
        );
    });
    r.fixes_applied = vec![fix_record(
        "failed",
        format!("failed for {USER} on {PRIVATE_V4}"),
    )];
    r.diagnosed()
}

/// A `dns.flush` record with this status and message (no title: the
/// report names it by id).
fn fix_record(status: &str, message: String) -> FixRecord {
    serde_json::from_value(json!({
        "status": status,
        "fix": "dns.flush",
        "title": "",
        "message": message,
        "entry": null,
        "steps": [],
        "verification": null,
        "action": "apply",
        "at": "2025-11-22T10:00:00Z",
    }))
    .expect("a fix record")
}

fn secrets() -> Vec<String> {
    vec![
        USER.into(),
        HOST.into(),
        "finance-pc-12".into(),
        PRIVATE_V4.into(),
        PUBLIC_V4.into(),
        V6.into(),
        "8a2e:370:7334".into(),
        // The Wi-Fi network's name (the fixture's is "CorpWiFi").
        "corpwifi".into(),
    ]
}

#[test]
fn redaction_removes_personal_details_from_every_format() {
    let report = personal();
    for format in Format::ALL {
        let out = render(&report, format, true).to_lowercase();
        for s in secrets() {
            assert!(
                !out.contains(&s.to_lowercase()),
                "{format:?} still contains {s}:\n{out}"
            );
        }
        // Zoom's names are not personal.
        for keep in [
            "zoom.us",
            "us04web.zoom.us",
            "stun.cloudflare.com",
            "corp inspection ca",
        ] {
            assert!(out.contains(keep), "{format:?} lost {keep}");
        }
        // Nor is "also" part of anyone's name (text may wrap between words).
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("[user] also checked"), "{format:?}");
    }
    // Unredacted keeps them all.
    for format in Format::ALL {
        let out = render(&report, format, false).to_lowercase();
        for s in [USER, PRIVATE_V4, PUBLIC_V4, V6] {
            assert!(out.contains(&s.to_lowercase()), "{format:?} lost {s}");
        }
    }
    // Redacted reports say who and where only as placeholders, and leave
    // out the identity rows.
    let md = render(&report, Format::Markdown, true);
    assert!(!md.contains("| Computer name |") && !md.contains("| User |"));
    assert!(render(&report, Format::Markdown, false).contains(&format!("| User | {USER} |")));
}

#[test]
fn redaction_keeps_the_shape_and_matches_addresses() {
    let report = personal();
    let r = redacted(&report);
    assert_eq!(r.system.user.as_deref(), Some("[user]"));
    assert_eq!(r.system.host_name.as_deref(), Some("[computer]"));
    assert_eq!(r.profile.source, "/home/[user]/zoom-lab.toml");
    // Same checks, same statuses, same numbers; only strings changed.
    assert_eq!(r.checks.len(), report.checks.len());
    for (a, b) in r.checks.iter().zip(&report.checks) {
        assert_eq!(
            (&a.id, a.status, a.elapsed_ms),
            (&b.id, b.status, b.elapsed_ms)
        );
    }
    let before = serde_json::to_value(&report).unwrap();
    let after = serde_json::to_value(&r).unwrap();
    let (mut a, mut b) = (numbers(&before), numbers(&after));
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(after["run"], before["run"]);
    // One address, one placeholder, wherever it appears.
    let vpn = r.checks.iter().find(|c| c.id == "vpn").unwrap();
    let gw = vpn.evidence["route"]["gateway"].as_str().unwrap();
    assert!(gw.starts_with("address-"), "{gw}");
    assert_eq!(vpn.evidence["route"]["source"], gw);
    assert_eq!(vpn.detail.matches(gw).count(), 2, "{}", vpn.detail);
    assert!(r.fixes_applied[0].outcome.message.ends_with(gw));
    let udp = r.checks.iter().find(|c| c.id == "udp.3478").unwrap();
    let mapped = udp.evidence["mapped"].as_str().unwrap();
    assert!(
        mapped.starts_with("address-") && mapped.ends_with(":51001"),
        "{mapped}"
    );
    assert_ne!(mapped.split(':').next().unwrap(), gw);
    // Keys are redacted too, and their values kept.
    let keys: Vec<&String> = udp.evidence.as_object().unwrap().keys().collect();
    assert!(
        keys.iter().any(|k| k.as_str() == "seen by [user]"),
        "{keys:?}"
    );
    assert!(udp
        .evidence
        .as_object()
        .unwrap()
        .values()
        .any(|v| v == &json!({"port": 51000})));
    // A filter's answer still reads as one.
    let dns = r.checks.iter().find(|c| c.id == "dns.system").unwrap();
    assert!(
        dns.detail.contains("us04web.zoom.us: 0.0.0.0"),
        "{}",
        dns.detail
    );
    // Redacting twice changes nothing more.
    let twice = redacted(&r);
    assert_eq!(serde_json::to_value(&twice).unwrap(), after);
}

/// Every number in a JSON value.
fn numbers(v: &Value) -> Vec<String> {
    match v {
        Value::Number(n) => vec![n.to_string()],
        Value::Array(a) => a.iter().flat_map(numbers).collect(),
        Value::Object(m) => m.values().flat_map(numbers).collect(),
        _ => vec![],
    }
}

// ──────────────────── secrets and addresses in URLs and tokens ────────────────────

const PORTAL: &str = "http://login.hotel.example/portal?mac=aa:bb:cc:dd:ee:ff&token=s3cr3t";
const PROXY: &str = "http://alice:hunter2@proxy.corp.example:8080";
const PAC: &str = "http://wpad.corp.example/proxy.pac?auth=abc123";
const LINK_LOCAL: &str = "fe80::1c2:3ff:fe4:5";
const MAC: &str = "a4:83:e7:12:34:56";
const HOTSPOT: &str = "Alice's iPhone";

/// A report with every kind of secret and address the redactor must find,
/// in summaries (shown by every format), details (the technical detail),
/// evidence (JSON) and an applied fix, and things that only look like them.
fn leaky() -> Report {
    let mut r = healthy();
    change(&mut r, "captive_portal", |c| {
        c.status = Status::Fail;
        c.summary =
            "This network wants you to sign in on a web page first (login.hotel.example).".into();
        c.detail = format!("GET http://connectivitycheck.gstatic.com/generate_204 → HTTP 302 (0 body bytes); redirected to {PORTAL}");
        c.evidence["status"] = json!(302);
        c.evidence["redirect_to"] = json!(PORTAL);
        c.evidence["body_start"] =
            json!("<html><form><input type=\"hidden\" name=\"t\" value=\"f0rmt0ken\">");
    });
    change(&mut r, "proxy", |c| {
        c.status = Status::Warn;
        c.summary = format!("Web traffic goes through a proxy ({PROXY}) and a script ({PAC}); if Zoom can't connect, the proxy may be why.");
        c.detail = format!("{{\"pac_url\":\"{PAC}\",\"http\":\"alice:hunter2@proxy.corp.example:8080\"}} (read from environment; HTTPS_PROXY_PASSWORD=envs3cret)");
        c.evidence["settings"]["password"] = json!("pr0xypw");
        c.evidence["settings"]["pac_url"] = json!(PAC);
        c.evidence["settings"]["http"] = json!("alice:hunter2@proxy.corp.example:8080");
        c.evidence["settings"]["https"] = json!(PROXY);
    });
    change(&mut r, "vpn", |c| {
        c.status = Status::Warn;
        c.summary = format!("Zoom's traffic leaves by eth0:{LINK_LOCAL}, next to fe80::1%eth0.");
        c.detail = format!(
            "route to 170.114.52.2: dev eth0:{LINK_LOCAL} via fe80::1%eth0; gateway lladdr {MAC}"
        );
        c.evidence["route"]["gateway"] = json!("fe80::1");
        c.evidence["neighbour"] = json!({ "address": "fe80::1%eth0", "lladdr": MAC });
    });
    change(&mut r, "network_type", |c| {
        c.status = Status::Warn;
        c.summary = format!(
            "Connected by Wi-Fi ({HOTSPOT}) with a weak signal (signal 20 %); access point {}.",
            MAC.replace(':', "-").to_uppercase()
        );
        c.detail = format!("interface wlan0 ({MAC}); Wi-Fi weak below -70 dBm or 40 %");
        c.evidence = json!({"link": {"interface": "wlan0", "kind": "wifi", "wifi": {"ssid": HOTSPOT, "signal_percent": 20, "bssid": MAC}}, "read_from": "nmcli"});
    });
    // What must survive: times, versions, ports, check ids.
    change(&mut r, "udp.3478", |c| {
        c.status = Status::Warn;
        c.detail =
            "STUN to stun.example:3478 at 10:30:00 from Zoom 6.2.11.50139; zoom.us:8801 answers"
                .into();
    });
    r.fixes_applied = vec![fix_record("applied", format!("applied through {PROXY}"))];
    r.diagnosed()
}

/// What may never appear in a shared report, lower-cased.
const SECRETS: [&str; 10] = [
    "f0rmt0ken",
    "pr0xypw",
    "envs3cret",
    "hunter2",
    "s3cr3t",
    "token=",
    "abc123",
    "auth=",
    "alice:",
    "mac=aa",
];

/// Addresses and names: gone from a redacted report, kept in one with names.
fn addresses() -> Vec<String> {
    vec![
        LINK_LOCAL.into(),
        "fe80::1".into(),
        MAC.into(),
        MAC.replace(':', "-"),
        "aa:bb:cc:dd:ee:ff".into(),
        HOTSPOT.to_lowercase(),
    ]
}

/// A rendering as plain words: Markdown's escapes and HTML's entities undone.
fn plain(out: &str) -> String {
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("\\_", "_")
        .to_lowercase()
}

#[test]
fn shared_reports_keep_no_secrets_addresses_or_wifi_names_in_any_format() {
    let report = leaky();
    for format in Format::ALL {
        let out = plain(&render(&report, format, true));
        for s in SECRETS.iter().map(|s| s.to_string()).chain(addresses()) {
            assert!(!out.contains(&s), "{format:?} still contains {s}:\n{out}");
        }
        // Where the portal, the proxy and the script are is what the
        // technician acts on; it stays, without what was sent to it.
        for keep in [
            "login.hotel.example/portal?[redacted]",
            "[credentials]@proxy.corp.example:8080",
            "wpad.corp.example/proxy.pac?[redacted]",
            "eth0:address-",
            "address-",
            "%eth0",
            "mac-1",
            "[wi-fi name]",
            // Not addresses, whatever they look like.
            "10:30:00",
            "6.2.11.50139",
            "zoom.us:8801",
            "stun.example:3478",
            "udp.3478",
        ] {
            assert!(out.contains(keep), "{format:?} lost {keep}:\n{out}");
        }
    }
    // The administrator note still says where the sign-in page is.
    let md = render(&report, Format::Markdown, true);
    let flat = md.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("(it redirects to http://login.hotel.example/portal?[redacted])"),
        "{md}"
    );
    // One MAC address, one placeholder, in whichever spelling.
    let r = redacted(&report);
    let net = r.checks.iter().find(|c| c.id == "network_type").unwrap();
    assert!(
        net.summary.contains("access point mac-1."),
        "{}",
        net.summary
    );
    assert_eq!(net.evidence["link"]["wifi"]["bssid"], "mac-1");
    assert_eq!(net.evidence["link"]["wifi"]["ssid"], "[Wi-Fi name]");
    let vpn = r.checks.iter().find(|c| c.id == "vpn").unwrap();
    assert_eq!(vpn.evidence["neighbour"]["lladdr"], "mac-1");
    // The bare link-local address and the one in the route are the same one.
    let gw = vpn.evidence["route"]["gateway"].as_str().unwrap();
    assert!(gw.starts_with("address-"), "{gw}");
    assert_eq!(vpn.evidence["neighbour"]["address"], format!("{gw}%eth0"));
    // Redacting twice changes nothing more.
    assert_eq!(
        serde_json::to_value(redacted(&r)).unwrap(),
        serde_json::to_value(&r).unwrap()
    );
}

#[test]
fn the_technician_copy_is_the_redacted_markdown() {
    let report = leaky();
    let copy = meeting_doctor_core::render::technician_copy(&report);
    assert_eq!(copy, render(&report, Format::Markdown, true));
    let flat = plain(&copy);
    for s in SECRETS.iter().map(|s| s.to_string()).chain(addresses()) {
        assert!(!flat.contains(&s), "the copy still contains {s}");
    }
    // What the UI's test pastes: the copy of this report, read for review.
    snapshot("leaky.technician.md", &copy);
}

#[test]
fn reports_with_names_and_addresses_still_keep_no_secrets() {
    let report = leaky();
    for format in Format::ALL {
        let out = plain(&render(&report, format, false));
        for s in SECRETS {
            assert!(!out.contains(s), "{format:?} still contains {s}:\n{out}");
        }
        // Names and addresses are what this report is asked to keep.
        for keep in addresses()
            .into_iter()
            .filter(|a| a != "aa:bb:cc:dd:ee:ff")
            .chain(["[credentials]@proxy.corp.example:8080".to_string()])
        {
            assert!(out.contains(&keep), "{format:?} lost {keep}");
        }
    }
    // The JSON still reads back as a report.
    let back: Report =
        serde_json::from_str(&render(&report, Format::Json, false)).expect("a report");
    assert_eq!(back.checks.len(), report.checks.len());
}

#[test]
fn the_other_networks_name_is_redacted_too() {
    let here = lab_failure();
    let mut hotspot = healthy();
    hotspot.generated_at = "2026-11-22T08:35:02Z".into();
    change(&mut hotspot, "network_type", |c| {
        c.evidence =
            json!({"link": {"kind": "wifi", "interface": "Wi-Fi", "wifi": {"ssid": HOTSPOT}}});
    });
    let c = compare(&here, &hotspot);
    let opts = RenderOptions {
        redact: true,
        comparison: Some(&c),
    };
    for format in [Format::Markdown, Format::Html, Format::Text] {
        let out = plain(&render_with(&here, format, opts));
        assert!(!out.contains("iphone"), "{format:?}:\n{out}");
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("yes: zoom works on wi-fi ([wi-fi name]), so this network blocks it"),
            "{format:?}:\n{out}"
        );
    }
}

#[test]
fn a_person_named_like_a_status_keeps_the_report_readable() {
    // "pass" is a status and "linux" an OS as well as possible user names:
    // the report's own fields keep their values, the words are replaced.
    let mut r = healthy();
    r.system.user = Some("pass".into());
    r.system.host_name = Some("linux".into());
    let r = r.diagnosed();
    let mut r = r;
    r.diagnosis.headline = "Seen by pass on linux at 192.168.1.20.".into();
    let red = redacted(&r);
    assert_eq!(red.system.os, r.system.os);
    for (a, b) in red.checks.iter().zip(&r.checks) {
        assert_eq!(a.status, b.status);
    }
    assert!(
        red.diagnosis
            .headline
            .starts_with("Seen by [user] on [computer] at address-"),
        "{}",
        red.diagnosis.headline
    );
}
