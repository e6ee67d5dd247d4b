//! Runs a plan: every probe at once, each under its named timeout, all under
//! one overall deadline; streams `started`/`finished` events and can be
//! cancelled. A network that silently drops everything therefore costs one
//! timeout, not the sum of them.

use md_model::ids::CheckId;
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use ts_rs::TS;

use md_model::checks::Group;

use crate::context::Context;
use crate::{Plan, Probe};
use md_model::finding::{Finding, Status};

/// Progress, for the CLI's live checklist and the app.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    Started {
        id: CheckId,
        title: String,
        group: Group,
    },
    Finished {
        finding: Finding,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// All probes at once (the normal way).
    Concurrent,
    /// One after another with no overall deadline: only for measuring what
    /// concurrency buys (the benchmark's baseline).
    Sequential,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub mode: Mode,
    /// Overrides the profile's `total_ms`.
    pub deadline: Option<Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            mode: Mode::Concurrent,
            deadline: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunOutcome {
    /// One finding per planned check id, in plan order.
    pub findings: Vec<Finding>,
    pub cancelled: bool,
    /// True when the overall deadline cut some checks short.
    pub deadline_hit: bool,
    pub elapsed_ms: u64,
    pub deadline_ms: u64,
}

fn emit(events: &Option<UnboundedSender<RunEvent>>, e: RunEvent) {
    if let Some(tx) = events {
        // A consumer that went away must not stop the run.
        let _ = tx.send(e);
    }
}

/// The ids as a log field (`tcp.443,udp.3478`).
fn ids_text(ids: &[CheckId]) -> String {
    ids.iter()
        .map(CheckId::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn emit_started(events: &Option<UnboundedSender<RunEvent>>, probe: &Probe) {
    for id in &probe.ids {
        emit(
            events,
            RunEvent::Started {
                id: *id,
                title: md_model::checks::title(*id),
                group: md_model::checks::group(*id),
            },
        );
    }
}

async fn run_probe(probe: &Probe, ctx: &Context) -> Vec<Finding> {
    let start = Instant::now();
    let span = tracing::info_span!("probe", ids = %ids_text(&probe.ids));
    let result = tokio::time::timeout(probe.timeout.duration, probe.run(ctx))
        .instrument(span)
        .await;
    let elapsed = start.elapsed().as_millis() as u64;
    let mut found = result.unwrap_or_default();
    // Every id gets a finding: one the probe did not produce ran out of time.
    for id in &probe.ids {
        if !found.iter().any(|f| f.id == *id) {
            found.push(
                Finding::new(*id, Status::Unknown, "Couldn't finish this check in time.")
                    .detail(format!(
                        "stopped after {} ms by its time limit `{}`: {}",
                        probe.timeout.duration.as_millis(),
                        probe.timeout.name,
                        probe.timeout.reason
                    ))
                    .evidence(serde_json::json!({ "timeout": probe.timeout })),
            );
        }
    }
    for f in &mut found {
        f.elapsed_ms = elapsed;
    }
    tracing::debug!(ids = %ids_text(&probe.ids), elapsed_ms = elapsed, "probe finished");
    found
}

/// A probe that stopped by itself with a panic: its checks say so rather
/// than take the run down with them.
fn crashed(probe: &Probe, e: &tokio::task::JoinError) -> Vec<Finding> {
    tracing::error!(ids = %ids_text(&probe.ids), error = %e, "probe stopped unexpectedly");
    probe
        .ids
        .iter()
        .map(|id| {
            Finding::new(
                *id,
                Status::Unknown,
                "Couldn't finish this check: it stopped unexpectedly.",
            )
            .detail(format!("internal error in the check: {e}"))
            .evidence(serde_json::json!({ "stopped_by": "internal_error" }))
        })
        .collect()
}

/// Cancels `passed` when the deadline passes, from a thread of its own;
/// dropping it ends the thread at once.
struct Watchdog {
    passed: CancellationToken,
    _stop: std::sync::mpsc::Sender<()>,
}

impl Watchdog {
    fn start(after: Duration) -> Watchdog {
        let passed = CancellationToken::new();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let token = passed.clone();
        let spawned = std::thread::Builder::new()
            .name("deadline".into())
            .spawn(move || {
                if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(after)
                {
                    token.cancel();
                }
            });
        if let Err(e) = spawned {
            // Without the thread the runtime's own timer still holds.
            tracing::warn!(error = %e, "no deadline thread");
        }
        Watchdog {
            passed,
            _stop: stop,
        }
    }
}

/// Runs `plan` and returns every finding. Never panics on network trouble;
/// always returns by the deadline (plus scheduling noise) or on cancel.
pub async fn run(
    plan: &Plan,
    ctx: &Context,
    opts: RunOptions,
    events: Option<UnboundedSender<RunEvent>>,
    cancel: CancellationToken,
) -> RunOutcome {
    let start = Instant::now();
    let deadline_d = opts.deadline.unwrap_or_else(|| ctx.profile.total_timeout());
    let deadline = tokio::time::Instant::now() + deadline_d;
    let order = plan.check_ids();
    let mut findings: Vec<Finding> = Vec::new();
    let mut done = vec![false; plan.probes.len()];
    let (mut cancelled, mut deadline_hit) = (false, false);

    let record = |i: usize, fs: Vec<Finding>, done: &mut Vec<bool>, findings: &mut Vec<Finding>| {
        done[i] = true;
        for f in fs {
            emit(&events, RunEvent::Finished { finding: f.clone() });
            findings.push(f);
        }
    };

    // The deadline is kept twice: by the runtime's timer, and by a plain
    // thread that does not need the runtime to be healthy (a socket call
    // that spins or blocks, as seen under Wine, can starve the timers).
    let watchdog = Watchdog::start(deadline_d);
    match opts.mode {
        Mode::Concurrent => {
            for probe in &plan.probes {
                emit_started(&events, probe);
            }
            // Each probe is a task of its own, so one that never yields
            // cannot hold up this loop or the others.
            let tasks: Vec<tokio::task::JoinHandle<Vec<Finding>>> = plan
                .probes
                .iter()
                .map(|p| {
                    let (p, ctx) = (p.clone(), ctx.clone());
                    tokio::spawn(async move { run_probe(&p, &ctx).await })
                })
                .collect();
            let aborts: Vec<_> = tasks.iter().map(|t| t.abort_handle()).collect();
            let mut running: FuturesUnordered<_> = tasks
                .into_iter()
                .enumerate()
                .map(|(i, t)| async move { (i, t.await) })
                .collect();
            loop {
                tokio::select! {
                    biased;
                    _ = cancel.cancelled() => { cancelled = true; break; }
                    _ = watchdog.passed.cancelled() => { deadline_hit = true; break; }
                    _ = tokio::time::sleep_until(deadline) => { deadline_hit = true; break; }
                    next = running.next() => match next {
                        Some((i, Ok(fs))) => record(i, fs, &mut done, &mut findings),
                        Some((i, Err(e))) => record(i, crashed(&plan.probes[i], &e), &mut done, &mut findings),
                        None => break,
                    },
                }
            }
            // What is still running is stopped; a task stuck inside a
            // system call ends with the process.
            for a in aborts {
                a.abort();
            }
        }
        Mode::Sequential => {
            for (i, probe) in plan.probes.iter().enumerate() {
                emit_started(&events, probe);
                tokio::select! {
                    biased;
                    _ = cancel.cancelled() => { cancelled = true; break; }
                    fs = run_probe(probe, ctx) => record(i, fs, &mut done, &mut findings),
                }
            }
        }
    }
    drop(watchdog);

    // Checks that never finished say why.
    for (i, probe) in plan.probes.iter().enumerate() {
        if done[i] {
            continue;
        }
        let fs = probe
            .ids
            .iter()
            .map(|id| {
                let f = if cancelled {
                    Finding::new(*id, Status::Skipped, "Skipped because the check was cancelled.")
                } else {
                    Finding::new(*id, Status::Unknown, format!("Couldn't finish within the overall time limit of {} seconds.", deadline_d.as_secs_f64()))
                        .detail(format!("the run's deadline (`total_ms` = {} ms) passed while this check was still waiting", deadline_d.as_millis()))
                };
                let mut f = f.evidence(serde_json::json!({ "stopped_by": if cancelled { "cancel" } else { "total_ms" } }));
                f.elapsed_ms = start.elapsed().as_millis() as u64;
                f
            })
            .collect();
        record(i, fs, &mut done, &mut findings);
    }
    findings.sort_by_key(|f| {
        order
            .iter()
            .position(|id| *id == f.id)
            .unwrap_or(usize::MAX)
    });
    RunOutcome {
        findings,
        cancelled,
        deadline_hit,
        elapsed_ms: start.elapsed().as_millis() as u64,
        deadline_ms: deadline_d.as_millis() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NamedTimeout, ProbeKind};
    use md_model::profile::Profile;

    fn stuck(id: &str, blocking: bool) -> Probe {
        Probe {
            kind: ProbeKind::Stuck { blocking },
            ids: vec![id.parse().expect("a check id")],
            // Longer than the run: only the run's deadline can end it.
            timeout: NamedTimeout {
                name: "test",
                reason: "longer than the run",
                duration: Duration::from_secs(600),
            },
        }
    }

    /// Probes stuck in system calls occupy every worker of the runtime (and
    /// one more waits for a worker); another never becomes ready. The run
    /// still ends at its deadline, each check "couldn't finish" and none
    /// passed.
    #[test]
    fn probes_stuck_in_system_calls_still_end_at_the_deadline() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let plan = Plan {
            probes: vec![
                stuck("tcp.1", true),
                stuck("tcp.2", true),
                stuck("tcp.3", true),
                stuck("udp.4", false),
            ],
        };
        let ctx = Context::new(Profile::builtin()).unwrap();
        let deadline = Duration::from_millis(800);
        let start = Instant::now();
        let outcome = rt.block_on(run(
            &plan,
            &ctx,
            RunOptions {
                mode: Mode::Concurrent,
                deadline: Some(deadline),
            },
            None,
            CancellationToken::new(),
        ));
        let took = start.elapsed();
        // Dropping a runtime waits for its workers; these never return.
        rt.shutdown_background();
        assert!(outcome.deadline_hit);
        assert!(!outcome.cancelled);
        // Generous: the point is "ends", not how fast on a busy machine.
        assert!(took < deadline + Duration::from_secs(5), "took {took:?}");
        let ids: Vec<String> = outcome.findings.iter().map(|f| f.id.to_string()).collect();
        assert_eq!(ids, ["tcp.1", "tcp.2", "tcp.3", "udp.4"]);
        for f in &outcome.findings {
            assert_eq!(f.status, Status::Unknown, "{f:?}");
            assert_eq!(f.evidence["stopped_by"], "total_ms", "{f:?}");
        }
    }

    /// The same on a runtime with one worker, all of it held by one stuck
    /// probe: the runtime's own timers may never run, the deadline thread
    /// still ends the run.
    #[test]
    fn a_single_worker_held_by_a_stuck_probe_does_not_hold_the_run() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let plan = Plan {
            probes: vec![stuck("tcp.1", true), stuck("udp.4", false)],
        };
        let ctx = Context::new(Profile::builtin()).unwrap();
        let start = Instant::now();
        let outcome = rt.block_on(run(
            &plan,
            &ctx,
            RunOptions {
                mode: Mode::Concurrent,
                deadline: Some(Duration::from_millis(500)),
            },
            None,
            CancellationToken::new(),
        ));
        let took = start.elapsed();
        rt.shutdown_background();
        assert!(outcome.deadline_hit);
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert!(outcome.findings.iter().all(|f| f.status == Status::Unknown));
    }
}
