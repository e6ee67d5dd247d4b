//! The runner against the loopback lab: concurrency, the overall deadline,
//! cancellation and the event stream.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use md_lab::{Lab, LabConfig, LabProfile};
use meeting_doctor_core::probes;
use meeting_doctor_core::trust::{load_pem_files, Trust};
use meeting_doctor_core::{
    run, CancellationToken, Context, Mode, Plan, Profile, RunEvent, RunOptions, Status,
};

/// A profile whose every target is in the lab. `silent` points everything at
/// servers that never answer. No `[dns]` section: the system resolver would
/// ask the machine's own DNS server, which is not ours to query (the
/// namespace tests of the CLI cover DNS).
fn lab_profile(lab: &Lab, silent: bool, probe_ms: u64, total_ms: u64) -> Profile {
    let base = if silent { lab.silent() } else { lab.healthy() };
    let spec = LabProfile {
        names: vec![],
        probe_ms,
        total_ms,
        ..base
    };
    Profile::from_toml(
        &spec.toml(&lab.public_ca_pem),
        "lab.toml",
        std::path::Path::new("/"),
    )
    .unwrap()
}

/// A run with the default options, no events and no cancel.
async fn run_default(plan: &Plan, ctx: &Context) -> meeting_doctor_core::RunOutcome {
    run(
        plan,
        ctx,
        RunOptions::default(),
        None,
        CancellationToken::new(),
    )
    .await
}

/// A lab, a context trusting its CA, and the plan for `lab_profile`.
async fn setup(silent: bool, probe_ms: u64, total_ms: u64) -> (Lab, Context, Plan) {
    let lab = Lab::start(LabConfig::default()).await.unwrap();
    let profile = lab_profile(&lab, silent, probe_ms, total_ms);
    let plan = Plan::for_profile(&profile);
    let ctx = context(&lab, profile);
    (lab, ctx, plan)
}

fn context(lab: &Lab, profile: Profile) -> Context {
    let extra = load_pem_files(std::slice::from_ref(&lab.public_ca_pem)).unwrap();
    Context::with_trust(profile, Trust::from_parts(extra, vec![], vec![])).unwrap()
}

#[tokio::test]
async fn healthy_lab_passes_everything_it_can_test() {
    let (_lab, ctx, plan) = setup(false, 1500, 6000).await;
    let out = run_default(&plan, &ctx).await;
    assert!(!out.deadline_hit && !out.cancelled);
    for f in &out.findings {
        // This computer's own settings: pass or, on this machine, unknown.
        if probes::computer::IDS.contains(&f.id) {
            assert!(
                matches!(f.status, Status::Pass | Status::Unknown),
                "{}: {}",
                f.id,
                f.summary
            );
            continue;
        }
        let want = if f.id == "tcp.8801" {
            Status::Unknown
        } else {
            Status::Pass
        };
        assert_eq!(f.status, want, "{}: {} | {}", f.id, f.summary, f.detail);
    }
    let ids: Vec<String> = out.findings.iter().map(|f| f.id.to_string()).collect();
    for id in [
        "internet",
        "captive_portal",
        "tls",
        "clock",
        "service_status",
        "latency",
        "jitter",
        "loss",
        "bandwidth",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
    }
}

#[tokio::test]
async fn silent_targets_cost_about_one_timeout_not_one_each() {
    let step = 500;
    let (_lab, ctx, plan) = setup(true, step, 10_000).await;
    // All but the host-less tcp.8801 and this computer's settings (local, quick).
    let silent_probes = plan.probes.len() - 2;
    assert!(silent_probes >= 8, "{silent_probes}");

    let start = Instant::now();
    let out = run_default(&plan, &ctx).await;
    let concurrent = start.elapsed();
    let network = |f: &&meeting_doctor_core::Finding| !probes::computer::IDS.contains(&f.id);
    assert!(
        out.findings
            .iter()
            .filter(network)
            .all(|f| f.status != Status::Pass),
        "a silent network passed something"
    );
    // One after another this costs at least one step per probe.
    let start = Instant::now();
    let seq = run(
        &plan,
        &ctx,
        RunOptions {
            mode: Mode::Sequential,
            deadline: None,
        },
        None,
        CancellationToken::new(),
    )
    .await;
    let sequential = start.elapsed();
    assert!(seq
        .findings
        .iter()
        .filter(network)
        .all(|f| f.status != Status::Pass));
    assert!(
        sequential >= Duration::from_millis(step * silent_probes as u64 * 9 / 10),
        "sequential {sequential:?}"
    );
    // Concurrently: the slowest probe's budget, far below N steps.
    assert!(
        concurrent < Duration::from_millis(step * silent_probes as u64 / 2),
        "concurrent {concurrent:?} for {silent_probes} silent probes"
    );
    eprintln!(
        "{silent_probes} silent probes: concurrent {concurrent:?}, sequential {sequential:?}"
    );
}

#[tokio::test]
async fn the_overall_deadline_cuts_slow_checks_with_a_reason() {
    let (_lab, ctx, plan) = setup(true, 2000, 2000).await;
    let start = Instant::now();
    let out = run(
        &plan,
        &ctx,
        RunOptions {
            deadline: Some(Duration::from_millis(600)),
            ..Default::default()
        },
        None,
        CancellationToken::new(),
    )
    .await;
    let elapsed = start.elapsed();
    assert!(out.deadline_hit);
    assert!(
        elapsed >= Duration::from_millis(600) && elapsed < Duration::from_millis(2000),
        "{elapsed:?}"
    );
    assert_eq!(
        out.findings.len(),
        plan.check_ids().len(),
        "every check reports"
    );
    let cut: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.evidence["stopped_by"] == "total_ms")
        .collect();
    assert!(cut.len() >= 8, "{}", cut.len());
    for f in cut {
        assert_eq!(f.status, Status::Unknown);
        assert!(f.summary.contains("overall time limit"), "{}", f.summary);
    }
}

#[tokio::test]
async fn cancel_stops_promptly_and_marks_the_rest_skipped() {
    let (_lab, ctx, plan) = setup(true, 3000, 6000).await;
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        c2.cancel();
    });
    let start = Instant::now();
    let out = run(&plan, &ctx, RunOptions::default(), None, cancel).await;
    assert!(out.cancelled);
    assert!(
        start.elapsed() < Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
    let skipped: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.status == Status::Skipped)
        .collect();
    assert!(skipped.len() >= 8);
    assert!(skipped.iter().all(|f| f.summary.contains("cancelled")));
}

#[tokio::test]
async fn events_start_and_finish_every_check_once() {
    let (_lab, ctx, plan) = setup(false, 1500, 6000).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let out = run(
        &plan,
        &ctx,
        RunOptions::default(),
        Some(tx),
        CancellationToken::new(),
    )
    .await;
    let mut started = HashMap::new();
    let mut finished = HashMap::new();
    let mut order = Vec::new();
    while let Some(e) = rx.recv().await {
        match e {
            RunEvent::Started { id, title, .. } => {
                assert!(!title.is_empty());
                *started.entry(id).or_insert(0) += 1;
                order.push(("s", id));
            }
            RunEvent::Finished { finding } => {
                *finished.entry(finding.id).or_insert(0) += 1;
                order.push(("f", finding.id));
            }
        }
    }
    for id in plan.check_ids() {
        assert_eq!(started.get(&id), Some(&1), "{id} started");
        assert_eq!(finished.get(&id), Some(&1), "{id} finished");
        let s = order
            .iter()
            .position(|(k, i)| *k == "s" && *i == id)
            .unwrap();
        let f = order
            .iter()
            .position(|(k, i)| *k == "f" && *i == id)
            .unwrap();
        assert!(s < f, "{id} finished before it started");
    }
    assert_eq!(out.findings.len(), plan.check_ids().len());
}

#[test]
fn only_selects_ids_and_families_and_rejects_unknown_ones() {
    let p = Profile::builtin();
    let plan = Plan::for_profile(&p)
        .only(&["dns".into(), "tcp.443".into(), "udp".into()])
        .unwrap();
    let ids: Vec<String> = plan.check_ids().iter().map(|i| i.to_string()).collect();
    assert!(ids.contains(&"dns.system".to_string()) && ids.contains(&"dns.reference".to_string()));
    assert!(ids.contains(&"tcp.443".to_string()) && !ids.contains(&"tcp.8801".to_string()));
    assert!(ids.iter().filter(|i| i.starts_with("udp.")).count() >= 3);
    assert!(!ids.contains(&"internet".to_string()));
    // A family prefix must stop at a dot: "dn" is not "dns".
    let e = Plan::for_profile(&p)
        .only(&["dn".into()])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown check id \"dn\"") && e.contains("dns.system"),
        "{e}"
    );
    // Picking one id of a multi-finding probe reports only that one.
    let plan = Plan::for_profile(&p).only(&["jitter".into()]).unwrap();
    assert_eq!(plan.check_ids(), vec!["jitter".to_string()]);
}
