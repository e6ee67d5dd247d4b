//! The proxy check and the probes that go through a proxy, against the lab's
//! real proxies on loopback: one that lets traffic through, one that wants
//! a sign-in (407), one that refuses (403), and proxy scripts (PAC) served
//! by the lab's HTTP server.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use md_lab::{Lab, LabConfig};
use meeting_doctor_core::facts::collect::Fact;
use meeting_doctor_core::facts::ProxySettings;
use meeting_doctor_core::pac::PacProxy;
use meeting_doctor_core::probes::{tls, web};
use meeting_doctor_core::profile::{Endpoint, Host, HttpUrl};
use meeting_doctor_core::trust::{load_pem_files, Trust};
use meeting_doctor_core::{proxy, Finding, Status};

const STEP: Duration = Duration::from_millis(1500);
const ME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

async fn lab() -> Lab {
    Lab::start(LabConfig::default()).await.expect("lab starts")
}

/// Zoom stands for the lab's public TLS server, by IP (a plain name such as
/// "localhost" goes direct under the lab's proxy script).
fn zoom(lab: &Lab) -> Endpoint {
    Endpoint {
        host: Host(lab.tls_public.ip().to_string()),
        port: lab.tls_public.port(),
    }
}

fn manual(proxy: SocketAddr) -> Fact<ProxySettings> {
    Fact::Known {
        value: ProxySettings {
            source: "test".into(),
            http: Some(proxy.to_string()),
            https: Some(proxy.to_string()),
            ..Default::default()
        },
        source: "test settings".into(),
    }
}

fn pac(lab: &Lab, path: &str) -> Fact<ProxySettings> {
    Fact::Known {
        value: ProxySettings {
            source: "test".into(),
            pac_url: Some(format!("http://{}{path}", lab.http)),
            ..Default::default()
        },
        source: "test settings".into(),
    }
}

async fn check(settings: &Fact<ProxySettings>, lab: &Lab) -> Finding {
    let script = match settings.value() {
        Some(s) => proxy::find_script(s, STEP).await,
        None => proxy::Script::NotSet,
    };
    proxy::check(settings, &script, Some(&zoom(lab)), ME, STEP)
        .await
        .0
}

fn assert_finding(f: &Finding, status: Status, words: &str) {
    assert_eq!(f.status, status, "{} | {}", f.summary, f.detail);
    assert!(
        f.summary.contains(words),
        "summary {:?} lacks {words:?}",
        f.summary
    );
}

#[tokio::test]
async fn an_open_proxy_passes_with_the_tunnel_as_evidence() {
    let lab = lab().await;
    let f = check(&manual(lab.proxy_open), &lab).await;
    assert_finding(&f, Status::Pass, "lets Zoom through");
    assert!(f.detail.contains("CONNECT"), "{}", f.detail);
    assert_eq!(lab.counters().proxy_open_requests, 1);
}

#[tokio::test]
async fn a_proxy_that_wants_a_sign_in_fails_with_the_407() {
    let lab = lab().await;
    let f = check(&manual(lab.proxy_auth), &lab).await;
    assert_finding(&f, Status::Fail, "asks for a sign-in");
    assert!(f.detail.contains("407"), "{}", f.detail);
    assert!(f.detail.contains("Basic realm"), "{}", f.detail);
    assert_eq!(lab.counters().proxy_auth_requests, 1);
}

#[tokio::test]
async fn a_proxy_that_refuses_zoom_fails_with_the_403() {
    let lab = lab().await;
    let f = check(&manual(lab.proxy_deny), &lab).await;
    assert_finding(
        &f,
        Status::Fail,
        "refuses to connect to Zoom (403 Forbidden)",
    );
}

#[tokio::test]
async fn a_dead_proxy_is_not_answering() {
    let lab = lab().await;
    let f = check(&manual(lab.tcp_closed), &lab).await;
    assert_finding(&f, Status::Fail, "isn't answering");
}

#[tokio::test]
async fn no_proxy_passes_and_an_exception_goes_direct() {
    let lab = lab().await;
    let none = Fact::Known {
        value: ProxySettings::default(),
        source: "test".into(),
    };
    assert_finding(&check(&none, &lab).await, Status::Pass, "No proxy");
    let mut bypassing = manual(lab.proxy_auth);
    if let Fact::Known { value, .. } = &mut bypassing {
        value.bypass = vec!["127.0.0.0/8".into()];
    }
    let f = check(&bypassing, &lab).await;
    assert_finding(&f, Status::Pass, "goes straight out");
    assert_eq!(lab.counters().proxy_auth_requests, 0);
}

#[tokio::test]
async fn a_proxy_script_decides_and_its_proxy_is_tried() {
    let lab = lab().await;
    let f = check(&pac(&lab, &format!("/pac?proxy={}", lab.proxy_auth)), &lab).await;
    assert_finding(&f, Status::Fail, "asks for a sign-in");
    assert!(f.detail.contains("proxy script"), "{}", f.detail);
    assert_eq!(lab.counters().http.route("/pac"), 1);
    assert_eq!(lab.counters().proxy_auth_requests, 1);

    let f = check(&pac(&lab, &format!("/pac?proxy={}", lab.proxy_open)), &lab).await;
    assert_finding(&f, Status::Pass, "lets Zoom through");
}

#[tokio::test]
async fn a_dead_proxy_in_a_script_falls_back_to_direct() {
    let lab = lab().await;
    // "PROXY <closed>; DIRECT": the fallback works, but say the proxy is down.
    let f = check(&pac(&lab, &format!("/pac?proxy={}", lab.tcp_closed)), &lab).await;
    assert_finding(&f, Status::Warn, "falls back to going straight out");
}

#[tokio::test]
async fn a_broken_or_missing_script_is_a_warning_naming_it() {
    let lab = lab().await;
    let f = check(&pac(&lab, "/pac-broken"), &lab).await;
    assert_finding(&f, Status::Warn, "proxy script doesn't work");
    assert!(f.detail.contains("/pac-broken"), "{}", f.detail);
    let f = check(&pac(&lab, "/no-such-script"), &lab).await;
    assert_finding(&f, Status::Warn, "proxy script doesn't work");
    assert!(f.detail.contains("404"), "{}", f.detail);
}

#[tokio::test]
async fn the_internet_check_goes_through_the_proxy() {
    let lab = lab().await;
    let url = HttpUrl(url::Url::parse(&format!("http://{}/generate_204", lab.http)).unwrap());
    let via = PacProxy::Proxy(lab.proxy_open.to_string());
    let f = web::internet(&url, Some(&via), STEP).await;
    assert_eq!(f.status, Status::Pass, "{} | {}", f.summary, f.detail);
    let c = lab.counters();
    assert_eq!(c.proxy_open_requests, 1);
    assert_eq!(c.http.route("/generate_204"), 1);
    // Through a proxy that wants a sign-in, the answer is the proxy's 407,
    // which is not the internet's 204.
    let via = PacProxy::Proxy(lab.proxy_auth.to_string());
    let f = web::internet(&url, Some(&via), STEP).await;
    assert_ne!(f.status, Status::Pass, "{} | {}", f.summary, f.detail);
}

#[tokio::test]
async fn the_tls_check_sees_the_certificate_through_the_proxy() {
    let lab = lab().await;
    let public = load_pem_files(std::slice::from_ref(&lab.public_ca_pem)).unwrap();
    let trust = Trust::from_parts(public, vec![], vec![]);
    let target = Endpoint {
        host: Host("localhost".into()),
        port: lab.tls_public.port(),
    };
    let via = Some(PacProxy::Proxy(lab.proxy_open.to_string()));
    let f = tls::check(std::slice::from_ref(&target), &[via], &trust, STEP).await;
    assert_eq!(f.status, Status::Pass, "{} | {}", f.summary, f.detail);
    assert_eq!(lab.counters().proxy_open_requests, 1);
    assert_eq!(lab.counters().tls_public_accepts, 1);

    let via = Some(PacProxy::Proxy(lab.proxy_deny.to_string()));
    let f = tls::check(std::slice::from_ref(&target), &[via], &trust, STEP).await;
    assert_eq!(f.status, Status::Skipped, "{} | {}", f.summary, f.detail);
    assert!(f.detail.contains("403"), "{}", f.detail);
}

#[tokio::test]
async fn the_service_check_client_follows_the_proxy_settings() {
    let lab = lab().await;
    let profile = meeting_doctor_core::Profile::builtin();
    let ctx = meeting_doctor_core::Context::with_trust(
        profile,
        Trust::from_parts(vec![], vec![], vec![]),
    )
    .unwrap()
    .with_proxy_settings(manual(lab.proxy_open));
    let url = url::Url::parse(&format!("http://{}/status/ok", lab.http)).unwrap();
    assert_eq!(
        ctx.via(&url).await,
        Some(PacProxy::Proxy(lab.proxy_open.to_string()))
    );
    let client = ctx.http_for(&url).await.unwrap();
    let resp = client.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(lab.counters().proxy_open_requests, 1);
    assert_eq!(lab.counters().http.route("/status"), 1);
}

#[tokio::test]
async fn a_proxy_script_that_cannot_be_fetched_is_tried_once_not_once_per_probe() {
    let lab = lab().await;
    // The script is missing (404): every probe asking again would wait on
    // the script's server in turn, before doing its own work.
    let settings = pac(&lab, "/missing.pac");
    let ctx = meeting_doctor_core::Context::with_trust(
        meeting_doctor_core::Profile::builtin(),
        Trust::from_parts(vec![], vec![], vec![]),
    )
    .unwrap()
    .with_proxy_settings(settings);
    for origin in ["http://a.test/", "https://b.test/", "http://c.test:8080/"] {
        assert_eq!(ctx.via(&url::Url::parse(origin).unwrap()).await, None);
    }
    assert_eq!(lab.counters().http.route("404"), 1, "fetched once");
}
