//! What a technician sees in the terminal: a live checklist (one line per
//! check as it finishes, a progress line while waiting) and a summary.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use console::style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use meeting_doctor_core::{Finding, Plan, Profile, Report, RunEvent, Status};
use tokio::sync::mpsc::UnboundedReceiver;

/// Symbol and word for a status: shape, colour and a word together.
pub fn mark(status: Status) -> String {
    let (sym, word) = match status {
        Status::Pass => ("✔", "pass"),
        Status::Warn => ("!", "warn"),
        Status::Fail => ("✘", "fail"),
        Status::Unknown => ("?", "unknown"),
        Status::Skipped => ("–", "skipped"),
    };
    let text = format!("{sym} {word:<7}");
    match status {
        Status::Pass => style(text).green().to_string(),
        Status::Warn => style(text).yellow().to_string(),
        Status::Fail => style(text).red().bold().to_string(),
        Status::Unknown | Status::Skipped => style(text).dim().to_string(),
    }
}

pub fn line(f: &Finding, verbose: bool) -> String {
    let mut s = format!(
        "{} {}: {}",
        mark(f.status),
        style(&f.title).bold(),
        f.summary
    );
    if verbose && !f.detail.is_empty() {
        for l in f.detail.lines() {
            s.push_str(&format!("\n            {}", style(l).dim()));
        }
    }
    s
}

/// The live view of a run.
pub struct Live {
    show_lines: bool,
    verbose: bool,
    bar: ProgressBar,
    pending: BTreeSet<String>,
    header: String,
}

impl Live {
    pub fn new(
        plan: &Plan,
        profile: &Profile,
        show_lines: bool,
        verbose: bool,
        progress: bool,
    ) -> Live {
        let ids = plan.check_ids();
        let draw = if progress && io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(ids.len() as u64), draw);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos} of {len} checks done — waiting for {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        let source = if profile.source == "built-in" {
            "built-in profile".to_string()
        } else {
            format!("profile {}", profile.source)
        };
        Live {
            show_lines,
            verbose,
            bar,
            pending: BTreeSet::new(),
            header: format!(
                "Meeting Doctor — checking this connection for {} ({source})",
                profile.name
            ),
        }
    }

    fn say(&self, text: &str) {
        if !self.show_lines {
            return;
        }
        if self.bar.is_hidden() {
            println!("{text}");
        } else {
            self.bar.println(text);
        }
    }

    pub async fn consume(mut self, mut rx: UnboundedReceiver<RunEvent>) {
        self.say(&style(&self.header).bold().to_string());
        while let Some(event) = rx.recv().await {
            match event {
                RunEvent::Started { title, .. } => {
                    self.pending.insert(title);
                }
                RunEvent::Finished { finding } => {
                    self.pending.remove(&finding.title);
                    self.bar.inc(1);
                    self.say(&line(&finding, self.verbose));
                }
            }
            let waiting: Vec<&str> = self.pending.iter().map(String::as_str).take(2).collect();
            let more = self.pending.len().saturating_sub(2);
            self.bar.set_message(format!(
                "{}{}",
                waiting.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        self.bar.finish_and_clear();
    }
}

/// The closing summary under the live list.
pub fn summary(out: &mut impl Write, report: &Report, _tty: bool) -> io::Result<()> {
    let words = |s: Status, n: usize| match s {
        Status::Pass => format!("{n} passed"),
        Status::Warn => format!("{n} with warnings"),
        Status::Fail => format!("{n} failed"),
        Status::Unknown => format!("{n} couldn't be checked"),
        Status::Skipped => format!("{n} skipped"),
    };
    let counts: Vec<String> = report
        .tally()
        .into_iter()
        .map(|(s, n)| words(s, n))
        .collect();
    writeln!(out)?;
    let run = &report.run;
    let timing = format!("{:.1} s", run.elapsed_ms as f64 / 1000.0);
    if run.cancelled {
        writeln!(
            out,
            "{}",
            style("Cancelled before all checks finished.").yellow()
        )?;
    } else if run.deadline_hit {
        writeln!(
            out,
            "{}",
            style(format!(
                "Some checks did not finish within the {:.0}-second limit.",
                run.deadline_ms as f64 / 1000.0
            ))
            .yellow()
        )?;
    }
    let d = &report.diagnosis;
    let healthy = d.causes.is_empty();
    let headline = if healthy {
        style(d.headline.as_str()).green().bold()
    } else {
        style(d.headline.as_str()).red().bold()
    };
    writeln!(out, "{headline}")?;
    if healthy && report.checks.iter().any(|c| c.status == Status::Unknown) {
        writeln!(out, "Some things couldn't be checked; see \"?\" above.")?;
    }
    if let Some(top) = d.causes.first() {
        writeln!(out)?;
        writeln!(out, "{} {}", style("Why:").bold(), top.explanation)?;
        if !top.steps.is_empty() {
            writeln!(out, "{}", style("What to do, in this order:").bold())?;
            for (i, step) in top.steps.iter().enumerate() {
                writeln!(out, "  {}. {} — {}", i + 1, step.title, step.how)?;
            }
        }
        writeln!(out, "  (shown by: {})", top.evidence.join(", "))?;
    }
    if d.causes.len() > 1 {
        writeln!(out)?;
        writeln!(out, "{}", style("Also found:").bold())?;
        for c in &d.causes[1..] {
            let first = c
                .steps
                .first()
                .map(|s| format!(" First: {}.", s.title))
                .unwrap_or_default();
            writeln!(out, "  • {}{first}", c.summary)?;
        }
    }
    if healthy && d.error_code.is_some() {
        if !d.ruled_out.is_empty() {
            writeln!(
                out,
                "{} {}",
                style("Checked and fine:").bold(),
                d.ruled_out.join(" ")
            )?;
        }
        if !d.next_steps.is_empty() {
            writeln!(out, "{}", style("Try next:").bold())?;
            for (i, step) in d.next_steps.iter().enumerate() {
                writeln!(out, "  {}. {} — {}", i + 1, step.title, step.how)?;
            }
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} ({timing}). Add -v for the technical detail, --json for a full report.",
        counts.join(", ")
    )?;
    Ok(())
}

/// `meeting-doctor compare`: the meaning first, then what changed.
pub fn comparison(
    out: &mut impl Write,
    c: &meeting_doctor_core::compare::Comparison,
) -> io::Result<()> {
    writeln!(out, "{}", style(c.meaning.as_str()).bold())?;
    writeln!(out, "{}", c.advice)?;
    for (label, run, fallback) in [
        ("First run: ", &c.before, "first network"),
        ("Second run:", &c.after, "second network"),
    ] {
        let problems = if run.causes.is_empty() {
            "no problems".to_string()
        } else {
            run.causes.join(", ")
        };
        writeln!(
            out,
            "{label} {} ({}): {problems}",
            run.network.as_deref().unwrap_or(fallback),
            run.generated_at
        )?;
    }
    if c.changes.is_empty() {
        writeln!(out, "No check changed.")?;
    } else {
        writeln!(out, "{}", style("What changed:").bold())?;
        for ch in &c.changes {
            writeln!(
                out,
                "  {}: {} → {}  ({})",
                ch.title,
                mark(ch.before).trim_end(),
                mark(ch.after).trim_end(),
                ch.after_summary
            )?;
        }
    }
    Ok(())
}

/// A short text view of `meeting-doctor facts`: one line per fact.
pub fn facts(value: &serde_json::Value) {
    let Some(map) = value.as_object() else { return };
    for (name, fact) in map {
        if name == "os" {
            println!("{:<16} {}", "os", fact.as_str().unwrap_or("?"));
            continue;
        }
        match fact.get("state").and_then(|s| s.as_str()) {
            Some("known") => println!(
                "{:<16} {}  {}",
                name,
                fact["value"],
                style(format!("({})", fact["source"].as_str().unwrap_or(""))).dim()
            ),
            _ => println!(
                "{:<16} {} {}",
                name,
                style("unknown:").yellow(),
                fact["reason"].as_str().unwrap_or("")
            ),
        }
    }
}
