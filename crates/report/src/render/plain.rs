//! Plain text: for e-mail and the terminal.

use super::*;

pub(super) const WIDTH: usize = 78;

/// Word-wraps `s` to `WIDTH` columns: the first line starts with `first`,
/// the others with `rest`. Line breaks in `s` are kept.
pub(super) fn wrap(s: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut prefix = first;
    for line in s.lines() {
        let mut cur = prefix.to_string();
        let mut empty = true;
        for word in line.split_whitespace() {
            let len = cur.chars().count();
            if !empty && len + 1 + word.chars().count() > WIDTH {
                out.push_str(cur.trim_end());
                out.push('\n');
                cur = rest.to_string();
                empty = true;
            }
            if !empty {
                cur.push(' ');
            }
            cur.push_str(word);
            empty = false;
        }
        out.push_str(cur.trim_end());
        out.push('\n');
        prefix = rest;
    }
    if out.is_empty() {
        out.push_str(first.trim_end());
        out.push('\n');
    }
    out
}

/// Verbatim text (technical detail) indented, long lines folded at spaces.
pub(super) fn wrap_verbatim(s: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in s.trim_end().lines() {
        let lead: String = line.chars().take_while(|c| *c == ' ').collect();
        let first = format!("{indent}{lead}");
        let rest = format!("{indent}{lead}  ");
        if first.chars().count() + line.trim_start().chars().count() <= WIDTH {
            let _ = writeln!(out, "{first}{}", line.trim_start());
        } else {
            out.push_str(&wrap(line.trim_start(), &first, &rest));
        }
    }
    out
}

pub(super) fn heading(o: &mut String, s: &str, underline: char) {
    let _ = writeln!(
        o,
        "{s}\n{}\n",
        underline.to_string().repeat(s.chars().count())
    );
}

/// The administrator note wrapped for text and fenced blocks.
pub(super) fn note_text(n: &AdminNote) -> String {
    let mut s = wrap(&n.intro, "", "");
    for i in &n.items {
        s.push_str(&wrap(i, "- ", "  "));
    }
    s.push_str(&wrap(&n.needs, "", ""));
    s
}

pub(super) fn text_steps(o: &mut String, steps: &[(String, String)], indent: &str) {
    for (i, (title, how)) in steps.iter().enumerate() {
        let first = format!("{indent}{}. ", i + 1);
        let rest = " ".repeat(first.chars().count());
        o.push_str(&wrap(&format!("{title} — {how}"), &first, &rest));
    }
}

pub(super) fn text(v: &View) -> String {
    let mut o = String::new();
    heading(&mut o, &v.title.to_uppercase(), '=');
    o.push_str(&wrap(&v.meta, "", ""));
    o.push('\n');
    for n in &v.run_notes {
        o.push_str(&wrap(&format!("Note: {n}"), "", "      "));
        o.push('\n');
    }
    o.push_str(&wrap(&v.headline, "", ""));
    o.push('\n');

    heading(&mut o, "WHAT'S WRONG", '-');
    if let Some(s) = &v.nothing_found {
        o.push_str(&wrap(s, "", ""));
        o.push('\n');
    }
    for (i, c) in v.causes.iter().enumerate() {
        let head = cause_heading(i + 1, c);
        let hang = " ".repeat(format!("{}. ", i + 1).len());
        o.push_str(&wrap(&head, "", &hang));
        o.push_str(&wrap(&cause_lead(c), &hang, &hang));
        if !c.evidence.is_empty() {
            o.push_str(&wrap(
                &format!("Evidence: {}", c.evidence.join(", ")),
                &hang,
                &hang,
            ));
        }
        if !c.fixes.is_empty() {
            o.push_str(&wrap(
                &format!("Meeting Doctor can try: {}", c.fixes.join("; ")),
                &hang,
                &hang,
            ));
        }
        if !c.steps.is_empty() {
            let _ = writeln!(o, "{hang}What to do:");
            text_steps(&mut o, &c.steps, &hang);
        }
        o.push('\n');
    }
    if !v.ruled_out.is_empty() {
        let _ = writeln!(o, "Ruled out:");
        for r in &v.ruled_out {
            o.push_str(&wrap(r, "- ", "  "));
        }
        o.push('\n');
    }
    if !v.next_steps.is_empty() {
        let _ = writeln!(o, "What to try next:");
        text_steps(&mut o, &v.next_steps, "");
        o.push('\n');
    }
    if !v.fixes_applied.is_empty() {
        heading(&mut o, "CHANGES MADE BY MEETING DOCTOR", '-');
        for f in &v.fixes_applied {
            o.push_str(&wrap(f, "- ", "  "));
        }
        o.push('\n');
    }

    heading(&mut o, "SUPPORT DETAILS", '-');
    let w = v
        .details
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    for (k, val) in &v.details {
        let first = format!("{k}:{}", " ".repeat(w - k.chars().count() - 1));
        o.push_str(&wrap(val, &first, &" ".repeat(w)));
    }
    o.push('\n');

    if let Some(n) = &v.admin {
        heading(&mut o, "NOTE FOR THE NETWORK ADMINISTRATOR", '-');
        o.push_str(&note_text(n));
        o.push('\n');
    }

    heading(&mut o, "ALL CHECKS", '-');
    for (label, rows) in &v.groups {
        let _ = writeln!(o, "{label}");
        for r in rows {
            let first = format!("  {:<8} ", status_word(r.status).to_uppercase());
            let rest = " ".repeat(first.chars().count());
            o.push_str(&wrap(&format!("{}: {}", r.title, r.summary), &first, &rest));
        }
        o.push('\n');
    }

    if !v.technical.is_empty() {
        heading(&mut o, "TECHNICAL DETAIL", '-');
        for (title, id, status, detail) in &v.technical {
            o.push_str(&wrap(
                &format!("{}: {title} · {id}", status_word(*status).to_uppercase()),
                "",
                "  ",
            ));
            o.push_str(&wrap_verbatim(detail, "    "));
            o.push('\n');
        }
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}
