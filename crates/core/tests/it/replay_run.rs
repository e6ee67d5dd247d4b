//! A whole run as Windows and as macOS, on this Linux machine: the network
//! checks go to the loopback lab, this computer's settings come from that
//! OS's recorded outputs through a replayed [`Platform`], and the diagnosis
//! and the fix plans offered are that OS's. The seam the run and the fixer
//! take is the same one the real computer goes through.

use std::net::IpAddr;

use md_lab::{Lab, LabConfig, LabProfile};
use meeting_doctor_core::facts::command::Replay;
use meeting_doctor_core::facts::{self, replays, Platform};
use meeting_doctor_core::fixes::Fixer;
use meeting_doctor_core::ids::FixId;
use meeting_doctor_core::profile::zoom_host_of;
use meeting_doctor_core::system::Os;
use meeting_doctor_core::trust::{load_pem_files, Trust};
use meeting_doctor_core::{
    run, CancellationToken, Context, Plan, Profile, Report, RunOptions, Status,
};

/// The healthy lab as a profile (no `[dns]`: the system resolver is not
/// ours to query here; the namespace tests cover DNS).
fn lab_profile(lab: &Lab) -> Profile {
    let spec = LabProfile {
        names: vec![],
        ..lab.healthy()
    };
    Profile::from_toml(
        &spec.toml(&lab.public_ca_pem),
        "lab.toml",
        std::path::Path::new("/"),
    )
    .unwrap()
}

/// The address the run looks the route up toward (the profile's Zoom host).
async fn zoom_address(profile: &Profile) -> IpAddr {
    let (host, port) = zoom_host_of(profile).expect("the lab profile names a server");
    meeting_doctor_core::net::resolve_system(&host, port, std::time::Duration::from_secs(2))
        .await
        .unwrap()[0]
        .ip()
}

/// The recorded computer with its proxy set to none: a replayed proxy (a
/// PAC file on wpad.example.com, proxy.corp.example.com) would send the
/// run's web checks to hosts that are not the lab's.
fn without_proxy(os: Os, replay: Replay) -> Replay {
    match os {
        Os::Windows => replay.ok(
            &facts::windows::proxy_spec(),
            &facts::fixture("windows", "ps-proxy--off.json"),
        ),
        Os::Macos => replay.ok(
            &facts::macos::proxy_spec(),
            &facts::fixture("macos", "scutil-proxy--off.txt"),
        ),
        Os::Linux => replay,
    }
}

/// One whole run with `os`'s recorded computer, and the fixer on it.
async fn run_as(os: Os, computer: fn(IpAddr) -> Replay) -> (Report, Fixer) {
    let lab = Lab::start(LabConfig::default()).await.unwrap();
    let profile = lab_profile(&lab);
    let replay = without_proxy(os, computer(zoom_address(&profile).await));
    let platform = Platform::replay(os, replay);
    let extra = load_pem_files(std::slice::from_ref(&lab.public_ca_pem)).unwrap();
    let ctx = Context::with_trust(profile.clone(), Trust::from_parts(extra, vec![], vec![]))
        .unwrap()
        .with_platform(platform.clone());
    let plan = Plan::for_profile(&profile);
    let outcome = run(
        &plan,
        &ctx,
        RunOptions::default(),
        None,
        CancellationToken::new(),
    )
    .await;
    let report = Report::new(&profile, outcome).diagnosed();
    let fixer = Fixer::for_platform(&profile, &platform).await;
    (report, fixer)
}

fn status(r: &Report, id: &str) -> Status {
    r.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} check"))
        .status
}

fn summary<'a>(r: &'a Report, id: &str) -> &'a str {
    &r.checks.iter().find(|c| c.id == id).unwrap().summary
}

/// The network checks the lab answers pass, whatever the computer is.
fn network_passes(r: &Report) {
    for id in ["internet", "tls", "tcp.443", "service_status"] {
        if r.checks.iter().any(|c| c.id == id) {
            assert_eq!(status(r, id), Status::Pass, "{id}: {}", summary(r, id));
        }
    }
}

/// The recorded firewall blocks Zoom: its check fails and the diagnosis
/// names it, with the fix that lets Zoom through.
fn the_firewall_is_blamed(r: &Report) {
    assert_eq!(
        status(r, "firewall"),
        Status::Fail,
        "{}",
        summary(r, "firewall")
    );
    let cause = r
        .diagnosis
        .causes
        .iter()
        .find(|c| c.id == "local_firewall")
        .unwrap_or_else(|| panic!("no local_firewall cause: {:?}", r.diagnosis.causes));
    assert!(cause.fixes.contains(&FixId::FirewallAllowZoom));
}

#[tokio::test]
async fn a_whole_run_as_windows_on_a_vpn_blames_its_firewall_and_offers_the_windows_fix() {
    let (r, fixer) = run_as(Os::Windows, replays::windows_on_a_vpn_with_zoom_blocked).await;
    network_passes(&r);
    the_firewall_is_blamed(&r);
    assert!(
        summary(&r, "vpn").contains("wg-corp"),
        "{}",
        summary(&r, "vpn")
    );
    assert_ne!(status(&r, "security_software"), Status::Unknown);
    assert_ne!(status(&r, "zoom_client"), Status::Unknown);
    // The proxy check read the replayed (direct) settings.
    assert_eq!(
        status(&r, "proxy"),
        Status::Pass,
        "{}",
        summary(&r, "proxy")
    );
    // The fix offered is the Windows one, built from the replayed facts.
    let preview = fixer.preview("firewall.allow_zoom").unwrap();
    assert_eq!(preview.os, Os::Windows);
    assert!(preview.applicable, "{:?}", preview.reason);
    assert!(
        preview
            .steps
            .iter()
            .any(|s| s.detail.contains("New-NetFirewallRule")),
        "{:?}",
        preview.steps
    );
}

#[tokio::test]
async fn a_whole_run_as_macos_on_wifi_blames_its_firewall_and_offers_the_macos_fix() {
    let (r, fixer) = run_as(Os::Macos, replays::macos_on_wifi_with_zoom_blocked).await;
    network_passes(&r);
    the_firewall_is_blamed(&r);
    let preview = fixer.preview("firewall.allow_zoom").unwrap();
    assert_eq!(preview.os, Os::Macos);
    assert!(
        preview
            .steps
            .iter()
            .any(|s| s.detail.contains("socketfilterfw")),
        "{:?}",
        preview.steps
    );
}
