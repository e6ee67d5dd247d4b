//! Text from outside (a captive portal's page title, status-page incident
//! names, certificate names, Wi-Fi names, proxy and server headers, the
//! output of the system's tools) made safe to show on a terminal.
//!
//! Such text can carry escape sequences (`ESC ] 0 ; title BEL` retitles the
//! window, `ESC [ 2 J` clears the screen, OSC 8 makes links), a carriage
//! return that overwrites what came before, C1 controls (U+009B is a
//! one-character CSI for some terminals) and bidirectional overrides
//! (U+202E) that make text read differently from what it is. The findings
//! and the JSON keep the text exactly as it came; whatever prints it for a
//! person passes it through [`line`] or [`block`] first:
//!
//! - control characters become visible escapes (`\x1b`, `\r`, `\u{9b}`),
//! - bidirectional controls are dropped (they are invisible anyway),
//! - line and paragraph separators (U+2028, U+2029) become visible escapes.
//!
//! Both are idempotent: what they return holds nothing they would change.

use std::borrow::Cow;

/// Bidirectional formatting controls (Unicode UAX #9): the marks, the
/// embeddings and overrides, and the isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// What a terminal could act on or that breaks a line unseen.
fn needs_care(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `c` as a visible escape: `\n`, `\r`, `\t`, `\x1b` (C0 and DEL), or
/// `\u{9b}` (anything else).
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

fn clean(s: &str, keep_layout: bool) -> Cow<'_, str> {
    if !s.chars().any(needs_care) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if !needs_care(c) => out.push(c),
            c if is_bidi_control(c) => {}
            '\n' | '\t' if keep_layout => out.push(c),
            // A Windows line end is a line end.
            '\r' if keep_layout && chars.peek() == Some(&'\n') => {}
            c => push_escaped(&mut out, c),
        }
    }
    Cow::Owned(out)
}

/// `s` for one line of terminal output: every control character,
/// line breaks and tabs included, written as a visible escape;
/// bidirectional controls dropped.
pub fn line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// `s` for several lines of terminal output: as [`line`], but line breaks
/// (`\n`, and `\r\n` as `\n`) and tabs stay.
pub fn block(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// JSON text (as serde_json writes it) with the characters it leaves as
/// they are but a terminal could act on (DEL, C1 controls, bidirectional
/// controls, U+2028, U+2029) written as `\uXXXX` escapes instead. The
/// data stays exactly the same: a JSON reader reads the same strings. JSON
/// can hold these characters only inside strings, where the escape means
/// the character.
pub fn json(s: &str) -> Cow<'_, str> {
    // serde_json escapes every control character below DEL itself, and
    // the line breaks and indentation outside strings are its own.
    let odd = |c: char| c >= '\u{7f}' && needs_care(c);
    if !s.chars().any(odd) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if odd(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything a hostile page, certificate or network name can carry.
    const HOSTILE: &str = "a\u{1b}]0;owned\u{7}b\u{1b}[2Jc\u{1b}]8;;http://evil.example/\u{1b}\\d\u{1b}]8;;\u{1b}\\\re\u{9b}31mf\u{202e}gnp.exe\u{202c}\u{2066}g\u{2069}\u{200f}h\u{7f}i\u{0}j\u{2028}k\tl\nm\r\nn\u{85}o";

    fn assert_terminal_safe(s: &str) {
        for c in s.chars() {
            assert!(
                !c.is_control() || c == '\n' || c == '\t',
                "{c:?} left in {s:?}"
            );
            assert!(!is_bidi_control(c), "{c:?} left in {s:?}");
            assert!(!matches!(c, '\u{2028}' | '\u{2029}'), "{c:?} left in {s:?}");
        }
    }

    #[test]
    fn one_line_shows_every_control_and_drops_bidi_controls() {
        let l = line(HOSTILE);
        assert_terminal_safe(&l);
        assert!(!l.contains('\n') && !l.contains('\t'), "{l}");
        assert_eq!(
            l,
            r"a\x1b]0;owned\x07b\x1b[2Jc\x1b]8;;http://evil.example/\x1b\d\x1b]8;;\x1b\\re\u{9b}31mfgnp.exegh\x7fi\x00j\u{2028}k\tl\nm\r\nn\u{85}o"
        );
        // The readable text is all still there.
        for words in ["owned", "http://evil.example/", "gnp.exe"] {
            assert!(l.contains(words), "{l}");
        }
    }

    #[test]
    fn several_lines_keep_line_breaks_and_tabs_only() {
        let b = block(HOSTILE);
        assert_terminal_safe(&b);
        assert!(b.ends_with("k\tl\nm\nn\\u{85}o"), "{b}");
        assert!(b.contains("\\x1b\\\\re"), "a lone CR stays visible: {b}");
        assert_eq!(block("plain\ntext\twith tabs"), "plain\ntext\twith tabs");
        assert!(matches!(block("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn plain_text_and_other_scripts_are_untouched() {
        for s in [
            "Guest Wi-Fi login",
            "Zoë Ångström — “quotes”",
            "שלום עולם",
            "مرحبا",
            "日本語のネットワーク",
            "C:\\Users\\x",
            "emoji 🎉",
        ] {
            assert!(matches!(line(s), Cow::Borrowed(_)), "{s}");
            assert_eq!(block(s), s);
            assert_eq!(json(s), s);
        }
    }

    #[test]
    fn cleaning_twice_changes_nothing() {
        let once = line(HOSTILE).into_owned();
        assert_eq!(line(&once), once);
        let once = block(HOSTILE).into_owned();
        assert_eq!(block(&once), once);
    }

    #[test]
    fn random_text_always_comes_out_safe() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        let pool: Vec<char> = (0u32..0x100)
            .chain(0x2000..0x2070)
            .chain([0x061C, 0xFEFF, 0x1F389])
            .filter_map(char::from_u32)
            .collect();
        for _ in 0..5000 {
            let s: String = (0..rng.random_range(0..40))
                .map(|_| pool[rng.random_range(0..pool.len())])
                .collect();
            assert_terminal_safe(&line(&s));
            assert!(!line(&s).contains(['\n', '\t']));
            assert_terminal_safe(&block(&s));
            let encoded = serde_json::to_string(&s).unwrap();
            let safe = json(&encoded);
            assert_terminal_safe(&safe);
            assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), s);
        }
    }

    #[test]
    fn json_keeps_the_exact_data() {
        let v = serde_json::json!({ "title": HOSTILE, "list": [HOSTILE] });
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        let safe = json(&pretty);
        assert_terminal_safe(&safe);
        assert!(
            safe.contains("\\u009b") && safe.contains("\\u202e"),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
        assert!(matches!(json("{\n  \"a\": 1\n}"), Cow::Borrowed(_)));
    }
}
