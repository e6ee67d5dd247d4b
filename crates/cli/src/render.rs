//! What a technician sees in the terminal: a live checklist (one line per
//! check as it finishes, a progress line while waiting) and a summary.
//!
//! Much of what is shown came from outside (a portal's page title, Zoom's
//! incident names, certificate and Wi-Fi names, the system's tools): every
//! piece of text goes through [`meeting_doctor_core::text::line`] on its way to the terminal,
//! so no escape sequence, carriage return or bidirectional override in it
//! reaches the terminal as such.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use console::style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use meeting_doctor_core::text::line as safe;
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
        style(safe(&f.title)).bold(),
        safe(&f.summary)
    );
    if verbose && !f.detail.is_empty() {
        for l in f.detail.lines() {
            s.push_str(&format!("\n            {}", style(safe(l)).dim()));
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
            format!("profile {}", safe(&profile.source))
        };
        Live {
            show_lines,
            verbose,
            bar,
            pending: BTreeSet::new(),
            header: format!(
                "Meeting Doctor — checking this connection for {} ({source})",
                safe(&profile.name)
            ),
        }
    }

    fn say(&self, text: &str) {
        if !self.show_lines {
            return;
        }
        if self.bar.is_hidden() {
            crate::out_line(text);
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
                safe(&waiting.join(", ")),
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
        style(safe(&d.headline)).green().bold()
    } else {
        style(safe(&d.headline)).red().bold()
    };
    writeln!(out, "{headline}")?;
    if healthy && report.checks.iter().any(|c| c.status == Status::Unknown) {
        writeln!(out, "Some things couldn't be checked; see \"?\" above.")?;
    }
    if let Some(top) = d.causes.first() {
        writeln!(out)?;
        writeln!(out, "{} {}", style("Why:").bold(), safe(&top.explanation))?;
        if !top.steps.is_empty() {
            writeln!(out, "{}", style("What to do, in this order:").bold())?;
            steps(out, &top.steps)?;
        }
        writeln!(out, "  (shown by: {})", safe(&top.evidence.join(", ")))?;
    }
    if d.causes.len() > 1 {
        writeln!(out)?;
        writeln!(out, "{}", style("Also found:").bold())?;
        for c in &d.causes[1..] {
            let first = c
                .steps
                .first()
                .map(|s| format!(" First: {}.", safe(&s.title)))
                .unwrap_or_default();
            writeln!(out, "  • {}{first}", safe(&c.summary))?;
        }
    }
    if healthy && d.error_code.is_some() {
        if !d.ruled_out.is_empty() {
            writeln!(
                out,
                "{} {}",
                style("Checked and fine:").bold(),
                safe(&d.ruled_out.join(" "))
            )?;
        }
        if !d.next_steps.is_empty() {
            writeln!(out, "{}", style("Try next:").bold())?;
            steps(out, &d.next_steps)?;
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

fn steps(out: &mut impl Write, steps: &[meeting_doctor_core::report::Step]) -> io::Result<()> {
    for (i, step) in steps.iter().enumerate() {
        writeln!(
            out,
            "  {}. {} — {}",
            i + 1,
            safe(&step.title),
            safe(&step.how)
        )?;
    }
    Ok(())
}

/// `meeting-doctor compare`: the meaning first, then what changed.
pub fn comparison(
    out: &mut impl Write,
    c: &meeting_doctor_core::compare::Comparison,
) -> io::Result<()> {
    writeln!(out, "{}", style(safe(&c.meaning)).bold())?;
    writeln!(out, "{}", safe(&c.advice))?;
    for (label, run, fallback) in [
        ("First run: ", &c.before, "first network"),
        ("Second run:", &c.after, "second network"),
    ] {
        let problems = if run.causes.is_empty() {
            "no problems".to_string()
        } else {
            let causes: Vec<&str> = run.causes.iter().map(|c| c.as_str()).collect();
            causes.join(", ")
        };
        writeln!(
            out,
            "{label} {} ({}): {}",
            safe(run.network.as_deref().unwrap_or(fallback)),
            safe(&run.generated_at),
            safe(&problems)
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
                safe(&ch.title),
                mark(ch.before).trim_end(),
                mark(ch.after).trim_end(),
                safe(&ch.after_summary)
            )?;
        }
    }
    Ok(())
}

/// A short text view of `meeting-doctor facts`: one line per fact.
pub fn facts(out: &mut impl Write, value: &serde_json::Value) -> io::Result<()> {
    let Some(map) = value.as_object() else {
        return Ok(());
    };
    for (name, fact) in map {
        let name = safe(name);
        if name == "os" {
            writeln!(out, "{:<16} {}", "os", safe(fact.as_str().unwrap_or("?")))?;
            continue;
        }
        match fact.get("state").and_then(|s| s.as_str()) {
            // The value as JSON: serde_json escapes C0 controls in its
            // strings, but not C1 or bidirectional controls.
            Some("known") => writeln!(
                out,
                "{:<16} {}  {}",
                name,
                safe(&fact["value"].to_string()),
                style(format!("({})", safe(fact["source"].as_str().unwrap_or("")))).dim()
            )?,
            _ => writeln!(
                out,
                "{:<16} {} {}",
                name,
                style("unknown:").yellow(),
                safe(fact["reason"].as_str().unwrap_or(""))
            )?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use meeting_doctor_core::ids::CheckId;
    use meeting_doctor_core::{Profile, RunOutcome};
    use serde_json::json;

    /// What a portal, a status page, a certificate or a Wi-Fi name can carry.
    const HOSTILE: &str = "Lobby\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}]8;;http://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\\rWi-Fi\u{9b}31m\u{202e}txt.exe\u{202c}";

    fn assert_terminal_safe(out: &str) {
        for c in out.chars() {
            let control = c.is_control() && c != '\n';
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            assert!(!control && !bidi, "{c:?} reached the terminal in {out:?}");
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report::new(
            &Profile::builtin(),
            RunOutcome {
                findings,
                cancelled: false,
                deadline_hit: false,
                elapsed_ms: 1,
                deadline_ms: 6000,
            },
        )
    }

    fn hostile_wifi() -> Finding {
        Finding::new(
            CheckId::NetworkType,
            Status::Pass,
            format!("On Wi-Fi {HOSTILE}."),
        )
        .evidence(json!({ "link": { "kind": "wifi", "wifi": { "ssid": HOSTILE } } }))
    }

    fn hostile_portal() -> Finding {
        Finding::new(
            CheckId::CaptivePortal,
            Status::Fail,
            format!("This network showed a sign-in page (\"{HOSTILE}\") instead of the test page."),
        )
        .detail(format!(
            "GET http://x/ → HTTP 200\nserver said {HOSTILE}\r\nend"
        ))
    }

    #[test]
    fn a_checklist_line_shows_hostile_text_harmlessly() {
        console::set_colors_enabled(false);
        let l = line(&hostile_portal(), true);
        assert_terminal_safe(&l);
        assert!(l.contains("Lobby\\x1b]0;owned\\x07"), "{l}");
        assert!(l.contains("Wi-Fi\\u{9b}31mtxt.exe"), "{l}");
        // The detail keeps its own lines, each one indented.
        assert_eq!(l.lines().count(), 4, "{l}");
        assert!(l.ends_with("\n            end"), "{l}");
    }

    #[test]
    fn the_summary_shows_hostile_text_harmlessly() {
        console::set_colors_enabled(false);
        let mut r = report(vec![hostile_portal(), hostile_wifi()]);
        // Causes quote what the checks found (a certificate's issuer, a
        // proxy's answer): every part of the diagnosis that is printed.
        let mut cause = r.diagnosis.causes[0].clone();
        cause.summary = format!("Cause {HOSTILE}.");
        cause.explanation = format!("Because {HOSTILE}.");
        cause.evidence = vec![HOSTILE.into()];
        cause.steps[0].title = format!("Step {HOSTILE}");
        cause.steps[0].how = format!("How {HOSTILE}");
        r.diagnosis.headline = format!("Headline {HOSTILE}");
        r.diagnosis.causes = vec![cause.clone(), cause];
        let mut out = Vec::new();
        summary(&mut out, &r, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_terminal_safe(&out);
        for words in [
            "Headline Lobby",
            "Because Lobby",
            "1. Step Lobby",
            "— How Lobby",
            "(shown by: Lobby",
            "• Cause Lobby",
            " First: Step Lobby",
        ] {
            assert!(out.contains(words), "{words}: {out}");
        }
    }

    #[test]
    fn a_comparison_shows_a_hostile_wifi_name_harmlessly() {
        console::set_colors_enabled(false);
        let a = report(vec![hostile_wifi(), hostile_portal()]).diagnosed();
        let b = report(vec![hostile_wifi()]).diagnosed();
        let c = meeting_doctor_core::compare::compare(&a, &b);
        assert!(
            c.meaning.contains('\u{1b}'),
            "the comparison itself keeps the name"
        );
        let mut out = Vec::new();
        comparison(&mut out, &c).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_terminal_safe(&out);
        assert!(out.contains("Wi-Fi (Lobby\\x1b]0;owned"), "{out}");
    }

    #[test]
    fn facts_show_hostile_values_harmlessly() {
        console::set_colors_enabled(false);
        let facts = json!({
            "os": "linux",
            "link": { "state": "known", "value": { "ssid": HOSTILE }, "source": format!("iw {HOSTILE}") },
            "proxy": { "state": "unknown", "reason": format!("gsettings said {HOSTILE}\nand more") },
            HOSTILE: { "state": "unknown", "reason": "x" },
        });
        let mut out = Vec::new();
        super::facts(&mut out, &facts).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_terminal_safe(&out);
        assert_eq!(out.lines().count(), 4, "one line per fact: {out}");
        assert!(out.contains("gsettings said Lobby"), "{out}");
    }
}
