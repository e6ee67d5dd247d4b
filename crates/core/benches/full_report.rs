//! Times a full report on the loopback lab, healthy and all-silent, run
//! concurrently (the product) and one check after another (the baseline),
//! side by side in one run.
//!
//!   cargo bench -p meeting-doctor-core --bench full_report      (as root)
//!
//! It re-runs itself inside a fresh network namespace whose resolver is the
//! lab's DNS server, so `dns.system` goes through getaddrinfo as in real use
//! and no packet leaves the machine.

use std::time::{Duration, Instant};

use md_lab::netns::{netns_available, NetNs};
use md_lab::{Lab, LabConfig, LabInfo, LabProfile};
use meeting_doctor_core::{
    run, CancellationToken, Context, Mode, Plan, Profile, RunOptions, Status,
};

fn profile(lab: &LabInfo, silent: bool) -> Profile {
    let base = if silent { lab.silent() } else { lab.healthy() };
    // As the built-in profile: host-less 8801/8802 and UDP 3479, default timeouts.
    let spec = LabProfile {
        hostless_tcp: vec![8801, 8802],
        hostless_udp: vec![3479],
        download_bytes: 20_000_000,
        probe_ms: 3000,
        total_ms: 6000,
        ..base
    };
    Profile::from_toml(
        &spec.toml(&lab.public_ca_pem),
        "bench.toml",
        std::path::Path::new("/"),
    )
    .expect("bench profile")
}

async fn time_runs(ctx: &Context, mode: Mode, n: usize) -> (Vec<Duration>, String) {
    let plan = Plan::for_profile(&ctx.profile);
    let mut times = Vec::new();
    let mut statuses = String::new();
    for _ in 0..n {
        let start = Instant::now();
        let out = run(
            &plan,
            ctx,
            RunOptions {
                mode,
                deadline: None,
            },
            None,
            CancellationToken::new(),
        )
        .await;
        times.push(start.elapsed());
        let count = |s: Status| out.findings.iter().filter(|f| f.status == s).count();
        statuses = format!(
            "{} pass / {} fail / {} unknown",
            count(Status::Pass),
            count(Status::Fail),
            count(Status::Unknown)
        );
    }
    times.sort();
    (times, statuses)
}

fn median(v: &[Duration]) -> Duration {
    v[v.len() / 2]
}

async fn inside() {
    let lab = Lab::start(LabConfig {
        dns_port: 53,
        ..Default::default()
    })
    .await
    .expect("lab");
    println!(
        "{:<34} {:>5} {:>10} {:>10} {:>10}  statuses",
        "case", "runs", "median", "min", "max"
    );
    let mut medians = Vec::new();
    for (label, silent, mode, n) in [
        ("healthy, concurrent", false, Mode::Concurrent, 7),
        ("healthy, one after another", false, Mode::Sequential, 3),
        ("all silent, concurrent", true, Mode::Concurrent, 3),
        ("all silent, one after another", true, Mode::Sequential, 1),
    ] {
        let p = profile(lab.info(), silent);
        let trust = meeting_doctor_core::trust::Trust::load(&p.extra_root_paths()).expect("trust");
        let ctx = Context::with_trust(p, trust).expect("context");
        let (times, statuses) = time_runs(&ctx, mode, n).await;
        println!(
            "{label:<34} {n:>5} {:>9.3}s {:>9.3}s {:>9.3}s  {statuses}",
            median(&times).as_secs_f64(),
            times[0].as_secs_f64(),
            times[times.len() - 1].as_secs_f64()
        );
        medians.push(median(&times));
    }
    println!(
        "\nspeed-up from concurrency: healthy {:.1}x, all-silent {:.1}x",
        medians[1].as_secs_f64() / medians[0].as_secs_f64(),
        medians[3].as_secs_f64() / medians[2].as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes --bench; ignore arguments.
    if std::env::var_os("MD_BENCH_INSIDE").is_some() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(inside());
        rt.shutdown_background();
        return;
    }
    if !netns_available() {
        eprintln!(
            "full_report: needs root and `ip netns` (the lab's DNS must be the system resolver)"
        );
        std::process::exit(1);
    }
    let ns = NetNs::create("mdbench").expect("namespace");
    ns.set_resolv_conf("nameserver 127.0.0.1\n")
        .expect("resolv.conf");
    let exe = std::env::current_exe().expect("own path");
    let status = ns
        .command(exe)
        .env("MD_BENCH_INSIDE", "1")
        .status()
        .expect("run inside the namespace");
    // Remove the namespace before exiting (exit skips destructors).
    drop(ns);
    std::process::exit(status.code().unwrap_or(1));
}
