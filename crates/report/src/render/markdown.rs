//! Markdown: for a ticket.

use super::*;

/// Escapes data for Markdown running text: nothing in it can become code,
/// emphasis, a link, an image or raw HTML.
pub(super) fn md(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => out.push_str("\\\\"),
            '`' | '*' | '<' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric)) =>
            {
                out.push_str("\\_")
            }
            '(' if prev == Some(']') => out.push_str("\\("),
            '[' if next == Some('^') => out.push_str("\\["),
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => {
                out.push_str("\\&")
            }
            _ => out.push(c),
        }
    }
    out
}

/// Escapes data for a Markdown table cell.
pub(super) fn md_cell(s: &str) -> String {
    md(s).replace('|', "\\|")
}

/// A code span that holds any text.
pub(super) fn md_code(s: &str) -> String {
    let longest = longest_run(s, '`');
    let ticks = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{}{pad}{ticks}", s.replace(['\n', '\r'], " "))
}

pub(super) fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        cur = if c == ch { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

/// A fenced block that holds any text verbatim.
pub(super) fn md_fence(out: &mut String, body: &str) {
    let fence = "`".repeat((longest_run(body, '`') + 1).max(3));
    let _ = writeln!(out, "{fence}text\n{}\n{fence}\n", body.trim_end());
}

pub(super) fn md_steps(out: &mut String, steps: &[(String, String)]) {
    for (i, (title, how)) in steps.iter().enumerate() {
        let _ = writeln!(out, "{}. **{}** — {}", i + 1, md(title), md(how));
    }
    out.push('\n');
}

pub(super) fn markdown(v: &View) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&v.title));
    let _ = writeln!(o, "{}\n", md(&v.meta));
    for n in &v.run_notes {
        let _ = writeln!(o, "> {}\n", md(n));
    }
    let _ = writeln!(o, "**{}**\n", md(&v.headline));

    let _ = writeln!(o, "## What's wrong\n");
    if let Some(s) = &v.nothing_found {
        let _ = writeln!(o, "{}\n", md(s));
    }
    for (i, c) in v.causes.iter().enumerate() {
        let _ = writeln!(o, "### {}\n", md(&cause_heading(i + 1, c)));
        let _ = writeln!(o, "{}\n", md(&cause_lead(c)));
        if !c.evidence.is_empty() {
            let ids: Vec<String> = c.evidence.iter().map(|e| md_code(e)).collect();
            let _ = writeln!(o, "Evidence: {}\n", ids.join(", "));
        }
        if !c.fixes.is_empty() {
            let _ = writeln!(o, "Meeting Doctor can try: {}\n", c.fixes.join("; "));
        }
        if !c.steps.is_empty() {
            let _ = writeln!(o, "What to do:\n");
            md_steps(&mut o, &c.steps);
        }
    }
    if !v.ruled_out.is_empty() {
        let _ = writeln!(o, "### Ruled out\n");
        for r in &v.ruled_out {
            let _ = writeln!(o, "- {}", md(r));
        }
        o.push('\n');
    }
    if !v.next_steps.is_empty() {
        let _ = writeln!(o, "### What to try next\n");
        md_steps(&mut o, &v.next_steps);
    }
    if !v.fixes_applied.is_empty() {
        let _ = writeln!(o, "## Changes made by Meeting Doctor\n");
        for f in &v.fixes_applied {
            let _ = writeln!(o, "- {}", md(f));
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Support details\n");
    let _ = writeln!(o, "| Detail | Value |\n|---|---|");
    for (k, val) in &v.details {
        let _ = writeln!(o, "| {} | {} |", md_cell(k), md_cell(val));
    }
    o.push('\n');

    if let Some(n) = &v.admin {
        let _ = writeln!(o, "## Note for the network administrator\n");
        md_fence(&mut o, &note_text(n));
    }

    let _ = writeln!(o, "## All checks\n");
    for (label, rows) in &v.groups {
        let _ = writeln!(o, "### {}\n", md(label));
        let _ = writeln!(o, "| Status | Check | Result |\n|---|---|---|");
        for r in rows {
            let word = status_word(r.status);
            let status = match r.status {
                Status::Fail | Status::Warn => format!("**{word}**"),
                _ => word.to_string(),
            };
            let _ = writeln!(
                o,
                "| {status} | {} | {} |",
                md_cell(&r.title),
                md_cell(&r.summary)
            );
        }
        o.push('\n');
    }

    if !v.technical.is_empty() {
        let _ = writeln!(o, "## Technical detail\n");
        for (title, id, status, detail) in &v.technical {
            let _ = writeln!(
                o,
                "### {}: {} · {}\n",
                status_word(*status),
                md(title),
                md_code(id)
            );
            md_fence(&mut o, detail);
        }
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}
