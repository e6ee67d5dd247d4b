//! Every probe against real servers on loopback (the md-lab crate): each has
//! passing and failing cases, and none passes without evidence.

use std::path::Path;
use std::time::{Duration, Instant};

use md_lab::{Lab, LabConfig};
use meeting_doctor_core::probes::{dns, ports, quality, tls, web};
use meeting_doctor_core::profile::{DnsName, Endpoint, Host, HttpUrl, Port, PortTarget, Resolver};
use meeting_doctor_core::trust::{load_pem_files, Trust};
use meeting_doctor_core::{Finding, Status};

const STEP: Duration = Duration::from_millis(800);

async fn lab() -> Lab {
    Lab::start(LabConfig::default()).await.expect("lab starts")
}

fn url(lab: &Lab, path: &str) -> HttpUrl {
    HttpUrl(url::Url::parse(&format!("http://{}{path}", lab.http)).unwrap())
}

fn target(addr: std::net::SocketAddr) -> PortTarget {
    PortTarget {
        host: Some(Host(addr.ip().to_string())),
        port: Port(addr.port()),
    }
}

fn endpoint(addr: std::net::SocketAddr) -> Endpoint {
    Endpoint {
        host: Host("localhost".into()),
        port: addr.port(),
    }
}

/// Public roots plus the lab's public CA; this computer's store trusts the
/// lab's public CA and, when `inspected`, the inspection CA too (as a
/// company-managed laptop does).
fn trust(lab: &Lab, inspected: bool) -> Trust {
    let public = load_pem_files(std::slice::from_ref(&lab.public_ca_pem)).unwrap();
    let os = if inspected {
        load_pem_files(std::slice::from_ref(&lab.inspection_ca_pem)).unwrap()
    } else {
        vec![]
    };
    Trust::from_parts(public, os, vec![])
}

fn assert_status(f: &Finding, want: Status, words: &str) {
    assert_eq!(f.status, want, "{}: {} | {}", f.id, f.summary, f.detail);
    assert!(
        f.summary.contains(words),
        "{}: summary {:?} lacks {words:?}",
        f.id,
        f.summary
    );
}

#[tokio::test]
async fn tcp_connected_refused_and_silent_are_three_findings() {
    let lab = lab().await;
    let before = lab.counters().tcp_accepts;
    let open = ports::tcp(&target(lab.tcp_open), STEP).await;
    assert_status(&open, Status::Pass, "answer on port");
    assert!(open.evidence["connect_ms"].as_f64().is_some());
    assert_eq!(open.id, format!("tcp.{}", lab.tcp_open.port()));
    // Give the server a moment to count the accept.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        lab.counters().tcp_accepts > before,
        "the probe never reached the server"
    );

    let refused = ports::tcp(&target(lab.tcp_closed), STEP).await;
    assert_status(&refused, Status::Fail, "refused");
    assert_eq!(refused.evidence["error"], "refused");

    let start = Instant::now();
    let silent = ports::tcp(&target(lab.tcp_silent), STEP).await;
    assert_status(&silent, Status::Fail, "never answered");
    assert_eq!(silent.evidence["error"], "silent");
    assert!(
        start.elapsed() >= STEP - Duration::from_millis(50),
        "gave up before its timeout"
    );
}

#[tokio::test]
async fn tcp_and_udp_without_a_known_host_are_unknown() {
    let t = PortTarget {
        host: None,
        port: Port(8801),
    };
    assert_status(
        &ports::tcp(&t, STEP).await,
        Status::Unknown,
        "no server is known",
    );
    assert_status(
        &ports::udp(&t, STEP).await,
        Status::Unknown,
        "no server is known",
    );
}

#[tokio::test]
async fn udp_passes_only_on_our_stun_answer() {
    let lab = lab().await;
    let ok = ports::udp(&target(lab.stun), STEP).await;
    assert_status(&ok, Status::Pass, "can get through on port");
    let mapped = ok.evidence["mapped_address"].as_str().unwrap();
    assert!(mapped.starts_with("127.0.0.1:"), "{mapped}");
    assert!(lab.counters().stun_requests >= 1);

    let wrong = ports::udp(&target(lab.stun_wrong_txid), STEP).await;
    assert_status(&wrong, Status::Fail, "not with a real reply");
    assert!(
        lab.counters().stun_wrong_txid_requests >= 1,
        "the wrong-txid server never answered"
    );

    let garbage = ports::udp(&target(lab.udp_garbage), STEP).await;
    assert_status(&garbage, Status::Fail, "not with a real reply");

    let closed = ports::udp(&target(lab.udp_closed), STEP).await;
    assert_status(&closed, Status::Fail, "turned away");
    assert_eq!(closed.evidence["error"], "refused");

    let silent = ports::udp(&target(lab.udp_silent), STEP).await;
    assert_status(&silent, Status::Fail, "get no answer on port");
    assert_eq!(silent.evidence["error"], "silent");
    // RFC 5389 retransmits at 0, 500 ms… within the step.
    assert!(silent.evidence["sent"].as_u64().unwrap() >= 2);
    assert!(lab.counters().udp_silent_datagrams >= 2);
}

#[tokio::test]
async fn tls_tells_genuine_interception_expiry_and_wrong_names_apart() {
    let lab = lab().await;
    let genuine = tls::check(&[endpoint(lab.tls_public)], &[], &trust(&lab, true), STEP).await;
    assert_status(&genuine, Status::Pass, "genuine");
    assert_eq!(
        genuine.evidence["targets"][0]["chain"][0]["issuer"],
        "Lab Public Root CA"
    );

    let intercepted = tls::check(
        &[endpoint(lab.tls_inspected)],
        &[],
        &trust(&lab, true),
        STEP,
    )
    .await;
    assert_status(
        &intercepted,
        Status::Fail,
        "re-signed by \"Lab Inspection CA\"",
    );
    assert_eq!(intercepted.evidence["targets"][0]["local_roots"], "trusted");
    assert_eq!(
        intercepted.evidence["targets"][0]["public_roots"],
        "unknown_issuer"
    );

    // The same chain on a computer that does not trust the inspection CA.
    let untrusted = tls::check(
        &[endpoint(lab.tls_inspected)],
        &[],
        &trust(&lab, false),
        STEP,
    )
    .await;
    assert_status(&untrusted, Status::Fail, "nobody trusts");

    let expired = tls::check(&[endpoint(lab.tls_expired)], &[], &trust(&lab, true), STEP).await;
    assert_status(&expired, Status::Fail, "expired");
    assert!(expired.summary.contains("date"), "{}", expired.summary);

    let early = tls::check(
        &[endpoint(lab.tls_not_yet_valid)],
        &[],
        &trust(&lab, true),
        STEP,
    )
    .await;
    assert_status(&early, Status::Fail, "not valid yet");

    let wrong = tls::check(
        &[endpoint(lab.tls_wrong_name)],
        &[],
        &trust(&lab, true),
        STEP,
    )
    .await;
    assert_status(&wrong, Status::Fail, "is not localhost");

    // Several targets: the worst leads.
    let both = tls::check(
        &[endpoint(lab.tls_public), endpoint(lab.tls_inspected)],
        &[],
        &trust(&lab, true),
        STEP,
    )
    .await;
    assert_status(&both, Status::Fail, "re-signed");

    // A plain TCP server that never speaks TLS, and a silent one.
    let mute = tls::check(&[endpoint(lab.tcp_open)], &[], &trust(&lab, true), STEP).await;
    assert_status(&mute, Status::Fail, "never finished");
    let silent = tls::check(&[endpoint(lab.tcp_silent)], &[], &trust(&lab, true), STEP).await;
    assert_status(&silent, Status::Fail, "Couldn't start a secure connection");
}

#[tokio::test]
async fn internet_and_captive_portal() {
    let lab = lab().await;
    assert_status(
        &web::internet(&url(&lab, "/ok"), None, STEP).await,
        Status::Pass,
        "can reach the internet",
    );
    let refused = HttpUrl(url::Url::parse(&format!("http://{}/ok", lab.tcp_closed)).unwrap());
    let f = web::internet(&refused, None, STEP).await;
    assert_status(&f, Status::Fail, "could not reach the internet");
    assert_eq!(f.evidence["stage"], "connect");
    assert_eq!(f.evidence["error"], "refused");

    assert_status(
        &web::captive_portal(&url(&lab, "/generate_204"), None, None, STEP).await,
        Status::Pass,
        "No sign-in page",
    );
    let portal = web::captive_portal(&url(&lab, "/portal"), None, None, STEP).await;
    assert_status(
        &portal,
        Status::Fail,
        "sign in on a web page first (login.lab.test)",
    );
    assert!(portal.evidence["redirect_to"]
        .as_str()
        .unwrap()
        .starts_with("http://login.lab.test/portal"));
    assert_eq!(
        lab.counters().http.route("/portal"),
        1,
        "the redirect was followed or never requested"
    );

    let page = web::captive_portal(&url(&lab, "/portal-page"), None, None, STEP).await;
    assert_status(&page, Status::Fail, "Guest Wi-Fi login");
    // A 200 with the expected body is fine when the profile says so.
    assert_status(
        &web::captive_portal(&url(&lab, "/ok"), None, Some("ok"), STEP).await,
        Status::Pass,
        "No sign-in page",
    );
    let silent = HttpUrl(url::Url::parse(&format!("http://{}/", lab.tcp_silent)).unwrap());
    assert_status(
        &web::captive_portal(&silent, None, None, STEP).await,
        Status::Unknown,
        "Couldn't check",
    );
    // An open TCP port that never answers HTTP.
    let mute = HttpUrl(url::Url::parse(&format!("http://{}/", lab.tcp_open)).unwrap());
    let f = web::internet(&mute, None, STEP).await;
    assert_status(&f, Status::Fail, "did not answer properly");
}

#[tokio::test]
async fn clock_offset_from_the_date_header() {
    let lab = lab().await;
    let right = web::clock(&url(&lab, "/date-skew/0"), None, STEP).await;
    assert_status(&right, Status::Pass, "clock is right");
    assert!(
        right.evidence["offset_s"].as_f64().unwrap().abs() <= 1.5,
        "{}",
        right.evidence
    );

    // The server is two hours ahead: this computer is two hours behind.
    let behind = web::clock(&url(&lab, "/date-skew/7200"), None, STEP).await;
    assert_status(&behind, Status::Fail, "2 hours behind");
    let offset = behind.evidence["offset_s"].as_f64().unwrap();
    assert!((offset - 7200.0).abs() <= 1.5, "{offset}");

    let ahead = web::clock(&url(&lab, "/date-skew/-150"), None, STEP).await;
    assert_status(&ahead, Status::Warn, "ahead");

    assert_status(
        &web::clock(&url(&lab, "/no-date"), None, STEP).await,
        Status::Unknown,
        "did not say what time",
    );
    let closed = HttpUrl(url::Url::parse(&format!("http://{}/", lab.tcp_closed)).unwrap());
    assert_status(
        &web::clock(&closed, None, STEP).await,
        Status::Unknown,
        "did not answer",
    );
}

#[tokio::test]
async fn service_status_from_a_statuspage_summary() {
    let lab = lab().await;
    let ctx = meeting_doctor_core::Context::with_trust(
        meeting_doctor_core::Profile::builtin(),
        trust(&lab, false),
    )
    .unwrap();
    let cases = [
        ("/status/ok", Status::Pass, "no problems"),
        ("/status/outage", Status::Fail, "Meetings unavailable"),
        ("/status/degraded", Status::Warn, "slower than usual"),
        (
            "/status/garbage",
            Status::Unknown,
            "outage is not ruled out",
        ),
        ("/status/nocomponent", Status::Pass, "no problems"),
        ("/nothing-here", Status::Unknown, "outage is not ruled out"),
    ];
    for (path, want, words) in cases {
        let f = web::service_status(&ctx.http, &url(&lab, path), STEP).await;
        assert_status(&f, want, words);
    }
    let silent = HttpUrl(url::Url::parse(&format!("http://{}/", lab.tcp_silent)).unwrap());
    let start = Instant::now();
    assert_status(
        &web::service_status(&ctx.http, &silent, STEP).await,
        Status::Unknown,
        "not ruled out",
    );
    assert!(start.elapsed() < STEP * 2);
}

/// A status page that does not end (50 MB, streamed without a length, or
/// announced by its Content-Length) is given up after 2 MiB, well within
/// the step: "couldn't check", never an outage and never all of it in memory.
#[tokio::test]
async fn a_huge_status_page_is_not_read_to_the_end() {
    let lab = lab().await;
    let ctx = meeting_doctor_core::Context::with_trust(
        meeting_doctor_core::Profile::builtin(),
        trust(&lab, false),
    )
    .unwrap();
    // Long enough to read 50 MB on loopback: the limit, not the clock, ends it.
    let step = Duration::from_secs(10);
    for path in ["/status-huge?bytes=50000000", "/download?bytes=50000000"] {
        let start = Instant::now();
        let f = web::service_status(&ctx.http, &url(&lab, path), step).await;
        let took = start.elapsed();
        assert_status(&f, Status::Unknown, "outage is not ruled out");
        assert!(
            f.detail.contains("larger than 2 MiB"),
            "{path}: {}",
            f.detail
        );
        assert!(took < Duration::from_secs(3), "{path}: {took:?}");
    }
    assert_eq!(
        web::STATUS_PAGE_CAP,
        2 * 1024 * 1024,
        "the detail's words match the limit"
    );
}

/// Text from the network is kept exactly in the findings (the terminal is
/// the CLI's business): the portal's title and the incident's name.
#[tokio::test]
async fn hostile_portal_titles_and_incident_names_are_kept_exactly() {
    let lab = lab().await;
    let page = web::captive_portal(&url(&lab, "/portal-hostile"), None, None, STEP).await;
    assert_status(&page, Status::Fail, md_lab::HOSTILE_PORTAL_TITLE);
    assert_eq!(page.evidence["page_title"], md_lab::HOSTILE_PORTAL_TITLE);
    let ctx = meeting_doctor_core::Context::with_trust(
        meeting_doctor_core::Profile::builtin(),
        trust(&lab, false),
    )
    .unwrap();
    let f = web::service_status(&ctx.http, &url(&lab, "/status/hostile"), STEP).await;
    assert_status(&f, Status::Fail, md_lab::HOSTILE_INCIDENT_NAME);
    assert_eq!(
        f.evidence["open_incidents"][0],
        md_lab::HOSTILE_INCIDENT_NAME
    );
}

fn names(n: &[&str]) -> Vec<DnsName> {
    n.iter().map(|s| DnsName((*s).into())).collect()
}

#[tokio::test]
async fn reference_dns_answers_sinkholes_and_silence() {
    let lab = lab().await;
    let reference = [Resolver(lab.dns_reference)];
    let answer = dns::reference_lookup(&reference[0], "ok.zoom.lab.test", STEP).await;
    assert!(
        matches!(&answer, dns::Answer::Addresses { addresses } if addresses.contains(&md_lab::PUBLIC_ANSWER_V4.into())),
        "{answer:?}"
    );
    assert!(lab.counters().dns_reference_queries >= 1);

    let cases = [
        ("ok.zoom.lab.test", Status::Pass, "finds Zoom"),
        ("sinkhole.zoom.lab.test", Status::Fail, "filtered"),
        ("private.zoom.lab.test", Status::Fail, "filtered"),
        ("nx.zoom.lab.test", Status::Warn, "could not find"),
        ("servfail.zoom.lab.test", Status::Warn, "could not find"),
    ];
    for (name, want, words) in cases {
        let (_, reference_f) = dns::check(&names(&[name]), &reference, STEP).await;
        assert_status(&reference_f.unwrap(), want, words);
    }
    let silent = [Resolver(lab.dns_silent)];
    let start = Instant::now();
    let (_, f) = dns::check(&names(&["ok.zoom.lab.test"]), &silent, STEP).await;
    assert_status(
        &f.unwrap(),
        Status::Unknown,
        "Couldn't reach public name lookup",
    );
    assert!(start.elapsed() < STEP * 3, "{:?}", start.elapsed());
    assert!(lab.counters().dns_silent_datagrams >= 1);
}

#[tokio::test]
async fn system_dns_flags_a_loopback_answer() {
    // "localhost" comes from the hosts file through getaddrinfo, as any name
    // would; the answer is loopback, which for a Zoom name means a filter.
    let f = dns::judge_system(
        &names(&["localhost"]),
        &[dns::system_lookup("localhost", STEP).await],
        None,
    );
    assert_status(&f, Status::Fail, "points nowhere");
}

#[tokio::test]
async fn latency_jitter_and_loss_on_a_healthy_path() {
    let lab = lab().await;
    let found = quality::check(Some(&target(lab.tcp_open)), Some(&target(lab.stun)), STEP).await;
    let by_id = |id: &str| found.iter().find(|f| f.id == id).unwrap().clone();
    assert_status(&by_id("latency"), Status::Pass, "delay to Zoom is low");
    assert_eq!(
        by_id("latency").evidence["samples_ms"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert_status(&by_id("loss"), Status::Pass, "No packets were lost");
    assert_eq!(by_id("loss").evidence["received"], 20);
    assert_status(&by_id("jitter"), Status::Pass, "steady");
    assert_eq!(by_id("jitter").evidence["source"], "STUN round trips");
}

#[tokio::test]
async fn quality_is_unknown_without_answers() {
    let lab = lab().await;
    let found = quality::check(
        Some(&target(lab.tcp_silent)),
        Some(&target(lab.udp_silent)),
        STEP,
    )
    .await;
    for f in &found {
        assert_eq!(f.status, Status::Unknown, "{}: {}", f.id, f.summary);
    }
    let found = quality::check(None, None, STEP).await;
    assert!(found.iter().all(|f| f.status == Status::Unknown));
}

#[tokio::test]
async fn bandwidth_download_and_upload() {
    let lab = lab().await;
    let ctx = meeting_doctor_core::Context::with_trust(
        meeting_doctor_core::Profile::builtin(),
        trust(&lab, false),
    )
    .unwrap();
    let f = quality::bandwidth(
        &ctx.http,
        &url(&lab, "/download?bytes=4000000"),
        Some(&url(&lab, "/upload")),
        STEP,
    )
    .await;
    assert_status(&f, Status::Pass, "fast enough");
    assert!(
        f.evidence["download_mbps"].as_f64().unwrap() > 10.0,
        "{}",
        f.evidence
    );
    assert!(
        f.evidence["upload_mbps"].as_f64().unwrap() > 10.0,
        "{}",
        f.evidence
    );
    assert!(lab.counters().http.route("/upload") >= 1);
    // A slow link is rated against Zoom's figures (paced to ~400 kbit/s).
    let slow = quality::bandwidth(
        &ctx.http,
        &url(&lab, "/slow-download?bytes=2000000&kbps=400"),
        None,
        STEP,
    )
    .await;
    assert_status(&slow, Status::Fail, "too slow");
    let none = quality::bandwidth(
        &ctx.http,
        &HttpUrl(url::Url::parse(&format!("http://{}/", lab.tcp_closed)).unwrap()),
        None,
        STEP,
    )
    .await;
    assert_status(&none, Status::Unknown, "Couldn't measure");
}

#[test]
fn extra_roots_resolve_against_the_profile_folder() {
    let p = meeting_doctor_core::Profile::from_toml(
        "name = \"x\"\n[tls]\ntargets = []\nextra_roots = [\"ca.pem\", \"/abs/ca.pem\"]\n",
        "p.toml",
        Path::new("/etc/md"),
    )
    .unwrap();
    assert_eq!(
        p.extra_root_paths(),
        vec![
            Path::new("/etc/md/ca.pem").to_path_buf(),
            Path::new("/abs/ca.pem").to_path_buf()
        ]
    );
}
