//! HTML: for e-mail and printing, with the report stylesheet.

use super::*;

/// Escapes text for HTML content and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn status_class(s: Status) -> &'static str {
    s.as_str()
}

pub(super) fn status_badge(s: Status) -> String {
    let mark = match s {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Unknown => "?",
        Status::Skipped => "–",
    };
    format!(
        "<span class=\"status {}\"><span class=\"mark\" aria-hidden=\"true\">{mark}</span> {}</span>",
        status_class(s),
        status_word(s)
    )
}

pub(super) fn html_steps(o: &mut String, steps: &[(String, String)]) {
    o.push_str("<ol class=\"steps\">\n");
    for (title, how) in steps {
        let _ = writeln!(o, "<li><strong>{}</strong> — {}</li>", esc(title), esc(how));
    }
    o.push_str("</ol>\n");
}

pub(super) fn html(v: &View) -> String {
    let mut o = String::new();
    let (overall_class, overall_word) = match v.overall {
        Overall::Healthy => ("pass", "All clear"),
        Overall::Warnings => ("warn", "Needs attention"),
        Overall::Problems => ("fail", "Problems found"),
    };
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    o.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(o, "<title>{} — {}</title>", esc(&v.title), esc(&v.meta));
    let _ = writeln!(
        o,
        "<style>\n{}</style>\n</head>\n<body>\n<main>",
        STYLESHEET
    );
    let _ = writeln!(
        o,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n</header>",
        esc(&v.title),
        esc(&v.meta)
    );
    for n in &v.run_notes {
        let _ = writeln!(o, "<p class=\"run-note\">{}</p>", esc(n));
    }
    let _ = writeln!(
        o,
        "<p class=\"headline {overall_class}\"><span class=\"verdict\">{overall_word}</span> {}</p>",
        esc(&v.headline)
    );

    o.push_str("<section class=\"causes\">\n<h2>What's wrong</h2>\n");
    if let Some(s) = &v.nothing_found {
        let _ = writeln!(o, "<p>{}</p>", esc(s));
    }
    for (i, c) in v.causes.iter().enumerate() {
        let class = if c.quality_only { "warn" } else { "fail" };
        let _ = writeln!(
            o,
            "<article class=\"cause {class}\">\n<h3>{}</h3>",
            esc(&cause_heading(i + 1, c))
        );
        let _ = write!(
            o,
            "<p><span class=\"likelihood\">{}.</span> ",
            esc(c.likelihood)
        );
        if c.quality_only {
            let _ = write!(o, "<em>{}</em> ", esc(QUALITY_NOTE));
        }
        let _ = writeln!(o, "{}</p>", esc(&c.explanation));
        if !c.evidence.is_empty() {
            let ids: Vec<String> = c
                .evidence
                .iter()
                .map(|e| format!("<code>{}</code>", esc(e)))
                .collect();
            let _ = writeln!(o, "<p class=\"evidence\">Evidence: {}</p>", ids.join(", "));
        }
        if !c.fixes.is_empty() {
            let _ = writeln!(
                o,
                "<p class=\"fixes\">Meeting Doctor can try: {}</p>",
                esc(&c.fixes.join("; "))
            );
        }
        if !c.steps.is_empty() {
            o.push_str("<h4>What to do</h4>\n");
            html_steps(&mut o, &c.steps);
        }
        o.push_str("</article>\n");
    }
    if !v.ruled_out.is_empty() {
        o.push_str("<h3>Ruled out</h3>\n<ul>\n");
        for r in &v.ruled_out {
            let _ = writeln!(o, "<li>{}</li>", esc(r));
        }
        o.push_str("</ul>\n");
    }
    if !v.next_steps.is_empty() {
        o.push_str("<h3>What to try next</h3>\n");
        html_steps(&mut o, &v.next_steps);
    }
    o.push_str("</section>\n");
    if !v.fixes_applied.is_empty() {
        o.push_str("<section>\n<h2>Changes made by Meeting Doctor</h2>\n<ul>\n");
        for f in &v.fixes_applied {
            let _ = writeln!(o, "<li>{}</li>", esc(f));
        }
        o.push_str("</ul>\n</section>\n");
    }

    o.push_str("<section>\n<h2>Support details</h2>\n<table class=\"details\">\n<tbody>\n");
    for (k, val) in &v.details {
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(k),
            esc(val)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");

    if let Some(n) = &v.admin {
        o.push_str("<section class=\"admin-note\">\n<h2>Note for the network administrator</h2>\n");
        let _ = writeln!(o, "<p>{}</p>\n<ul>", esc(&n.intro));
        for i in &n.items {
            let _ = writeln!(o, "<li>{}</li>", esc(i));
        }
        let _ = writeln!(o, "</ul>\n<p>{}</p>\n</section>", esc(&n.needs));
    }

    o.push_str("<section>\n<h2>All checks</h2>\n");
    for (label, rows) in &v.groups {
        let _ = writeln!(o, "<h3>{}</h3>", esc(label));
        o.push_str("<table class=\"checks\">\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Check</th><th scope=\"col\">Result</th></tr></thead>\n<tbody>\n");
        for r in rows {
            let _ = writeln!(
                o,
                "<tr class=\"{}\"><td>{}</td><td>{}<br><code class=\"id\">{}</code></td><td>{}</td></tr>",
                status_class(r.status),
                status_badge(r.status),
                esc(&r.title),
                esc(&r.id),
                esc(&r.summary)
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");

    if !v.technical.is_empty() {
        o.push_str("<section class=\"technical\">\n<h2>Technical detail</h2>\n");
        for (title, id, status, detail) in &v.technical {
            let _ = writeln!(
                o,
                "<h3>{} <code>{}</code> {}</h3>\n<pre>{}</pre>",
                esc(title),
                esc(id),
                status_badge(*status),
                esc(detail.trim_end())
            );
        }
        o.push_str("</section>\n");
    }
    o.push_str("</main>\n</body>\n</html>\n");
    o
}
