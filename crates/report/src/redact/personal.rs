//! Personal details that have a shape of their own: e-mail addresses, Windows account SIDs, home folders.

use super::*;

/// The local part of `name@host.example` → `[user]@host.example` (an e-mail
/// address, a user name before a proxy). The domain stays: it names the
/// organisation, as the proxy and DNS names already do.
pub(super) fn emails(s: &str) -> String {
    if !s.contains('@') {
        return s.to_string();
    }
    let c: Vec<char> = s.chars().collect();
    let local = |x: char| x.is_alphanumeric() || matches!(x, '.' | '_' | '%' | '+' | '-');
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for i in 0..c.len() {
        if c[i] != '@' || i < last {
            continue;
        }
        let mut j = i;
        while j > last && local(c[j - 1]) {
            j -= 1;
        }
        if j == i || !c[j].is_alphanumeric() {
            continue;
        }
        // The domain: labels and dots, the last with a letter; or one label
        // and a port (a proxy).
        let mut k = i + 1;
        while k < c.len() && (c[k].is_alphanumeric() || matches!(c[k], '.' | '-')) {
            k += 1;
        }
        let domain: String = c[i + 1..k].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let labels: Vec<&str> = domain.split('.').collect();
        let named = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty())
            && labels
                .last()
                .is_some_and(|l| l.chars().count() >= 2 && l.chars().any(char::is_alphabetic));
        let with_port = !domain.is_empty()
            && c.get(i + 1 + domain.chars().count()) == Some(&':')
            && c.get(i + 2 + domain.chars().count())
                .is_some_and(char::is_ascii_digit);
        if named || with_port {
            out.extend(&c[last..j]);
            out.push_str(USER_PLACEHOLDER);
            last = i;
        }
    }
    out.extend(&c[last..]);
    out
}

/// A Windows account's security identifier (`S-1-5-21-<domain>-<RID>`)
/// names one user on one computer or domain → `S-1-5-21-[user]`. The
/// well-known ones (`S-1-5-18`, `S-1-5-32-544`) name no one and stay.
pub(super) fn account_sids(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("S-1-5-21-") {
        let tail = &rest[at + "S-1-5-21-".len()..];
        let n = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
            .unwrap_or(tail.len());
        let id = tail[..n].trim_end_matches('-');
        out.push_str(&rest[..at + "S-1-5-21-".len()]);
        if id.is_empty() {
            rest = tail;
        } else {
            out.push_str(USER_PLACEHOLDER);
            rest = &tail[id.len()..];
        }
    }
    out.push_str(rest);
    out
}

/// `/home/NAME`, `/Users/NAME`, `C:\Users\NAME`, `C:\Documents and
/// Settings\NAME` (any separators, any case) → the same with `[user]`. A
/// name with spaces (`C:\Users\John Smith\AppData`) is taken whole when a
/// separator follows it.
pub(super) fn home_paths(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let sep = |c: char| c == '/' || c == '\\';
    let hard_stop = |c: char| {
        matches!(
            c,
            '"' | '\'' | '`' | ':' | ';' | ',' | ')' | ']' | '}' | '>' | '<' | '|'
        )
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if sep(chars[i]) {
            let mut j = i;
            while j < chars.len() && sep(chars[j]) {
                j += 1;
            }
            let word_at = |w: &str| {
                let n = w.chars().count();
                j + n < chars.len()
                    && chars[j..j + n]
                        .iter()
                        .zip(w.chars())
                        .all(|(a, b)| a.eq_ignore_ascii_case(&b))
                    && sep(chars[j + n])
            };
            let word = ["home", "users", "documents and settings"]
                .into_iter()
                .find(|w| word_at(w));
            if let Some(w) = word {
                let mut k = j + w.chars().count();
                while k < chars.len() && sep(chars[k]) {
                    k += 1;
                }
                let mut m = k;
                while m < chars.len() && !sep(chars[m]) && !hard_stop(chars[m]) {
                    m += 1;
                }
                let name = &chars[k..m];
                if let Some(space) = name.iter().position(|c| c.is_whitespace()) {
                    let spaces = name.iter().filter(|c| c.is_whitespace()).count();
                    let whole = m < chars.len()
                        && sep(chars[m])
                        && spaces <= 2
                        && name.len() <= 64
                        && !name[name.len() - 1].is_whitespace();
                    if !whole {
                        m = k + space;
                    }
                }
                let done: String = chars[k..].iter().take(USER_PLACEHOLDER.len()).collect();
                if m > k && done != USER_PLACEHOLDER {
                    out.extend(&chars[i..k]);
                    out.push_str(USER_PLACEHOLDER);
                    i = m;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
