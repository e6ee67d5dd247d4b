//! Runs a plan: every probe at once, each under its named timeout, all under
//! one overall deadline; streams `started`/`finished` events and can be
//! cancelled. A network that silently drops everything therefore costs one
//! timeout, not the sum of them.

use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use ts_rs::TS;

use crate::checks::Group;

use crate::context::Context;
use crate::finding::{Finding, Status};
use crate::probes::{Plan, Probe};

/// Progress, for the CLI's live checklist and the app.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    Started {
        id: String,
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

fn emit_started(events: &Option<UnboundedSender<RunEvent>>, probe: &Probe) {
    for id in &probe.ids {
        emit(
            events,
            RunEvent::Started {
                id: id.clone(),
                title: crate::checks::title(id),
                group: crate::checks::group(id),
            },
        );
    }
}

async fn run_probe(probe: &Probe, ctx: &Context) -> Vec<Finding> {
    let start = Instant::now();
    let span = tracing::info_span!("probe", ids = %probe.ids.join(","));
    let result = tokio::time::timeout(probe.timeout.duration, probe.run(ctx))
        .instrument(span)
        .await;
    let elapsed = start.elapsed().as_millis() as u64;
    let mut found = result.unwrap_or_default();
    // Every id gets a finding: one the probe did not produce ran out of time.
    for id in &probe.ids {
        if !found.iter().any(|f| &f.id == id) {
            found.push(
                Finding::new(id, Status::Unknown, "Couldn't finish this check in time.")
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
    tracing::debug!(ids = %probe.ids.join(","), elapsed_ms = elapsed, "probe finished");
    found
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

    match opts.mode {
        Mode::Concurrent => {
            for probe in &plan.probes {
                emit_started(&events, probe);
            }
            let mut running: FuturesUnordered<_> = plan
                .probes
                .iter()
                .enumerate()
                .map(|(i, p)| async move { (i, run_probe(p, ctx).await) })
                .collect();
            loop {
                tokio::select! {
                    biased;
                    _ = cancel.cancelled() => { cancelled = true; break; }
                    _ = tokio::time::sleep_until(deadline) => { deadline_hit = true; break; }
                    next = running.next() => match next {
                        Some((i, fs)) => record(i, fs, &mut done, &mut findings),
                        None => break,
                    },
                }
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
                    Finding::new(id, Status::Skipped, "Skipped because the check was cancelled.")
                } else {
                    Finding::new(id, Status::Unknown, format!("Couldn't finish within the overall time limit of {} seconds.", deadline_d.as_secs_f64()))
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
            .position(|id| id == &f.id)
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
