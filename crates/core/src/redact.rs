//! Redaction: what a report shared with a help desk leaves out.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::Value;

use crate::report::Report;

/// What the placeholders of [`redacted`] look like.
pub const USER_PLACEHOLDER: &str = "[user]";
pub const COMPUTER_PLACEHOLDER: &str = "[computer]";
/// What a Wi-Fi network's name becomes ("Alice's iPhone" names a person).
pub const WIFI_PLACEHOLDER: &str = "[Wi-Fi name]";

/// A copy with personal details replaced: the user name (`[user]`), the
/// computer name (`[computer]`), home paths (`/home/NAME`, `/Users/NAME`,
/// `C:\Users\NAME`), and every IP address (each distinct one becomes
/// `address-1`, `address-2`… in order of appearance, so two findings about
/// one address still match). Names match case-insensitively as whole words;
/// names shorter than two characters are left alone. Loopback and
/// unspecified addresses (127.0.0.1, ::1, 0.0.0.0, ::) identify no one and
/// mean something (a local resolver, a filter's answer), so they stay.
/// Only strings change: numbers and the JSON shape stay as they are.
pub fn redacted(report: &Report) -> Report {
    let mut red = Redactor::new(report);
    let out = serde_json::to_value(report)
        .ok()
        .and_then(|mut v| {
            red.value(&mut v);
            serde_json::from_value::<Report>(v).ok()
        })
        .unwrap_or_else(|| {
            // Not expected (the report round-trips); redact what matters.
            let mut r = report.clone();
            r.profile.source = red.text(&r.profile.source);
            for c in &mut r.checks {
                c.summary = red.text(&c.summary);
                c.detail = red.text(&c.detail);
                red.value(&mut c.evidence);
            }
            for v in &mut r.fixes_applied {
                red.value(v);
            }
            r
        });
    let mut out = out;
    out.system.host_name = report
        .system
        .host_name
        .as_ref()
        .map(|_| COMPUTER_PLACEHOLDER.to_string());
    out.system.user = report
        .system
        .user
        .as_ref()
        .map(|_| USER_PLACEHOLDER.to_string());
    out
}

#[derive(Debug)]
struct Redactor {
    /// Lower-cased names and their placeholders, longest first.
    names: Vec<(Vec<char>, &'static str)>,
    ips: BTreeMap<IpAddr, usize>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn same_ci(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

impl Redactor {
    fn new(r: &Report) -> Redactor {
        let mut names: Vec<(Vec<char>, &'static str)> = Vec::new();
        let mut add = |n: &str, ph: &'static str| {
            let n = n.trim();
            let chars: Vec<char> = n.chars().flat_map(char::to_lowercase).collect();
            if chars.len() >= 2
                && chars.iter().any(|c| c.is_alphabetic())
                && !names.iter().any(|(k, _)| *k == chars)
            {
                names.push((chars, ph));
            }
        };
        // Built-in accounts name nobody, and the words appear in evidence
        // ("Lab Public Root CA"): only the report's user field is replaced.
        const GENERIC: &[&str] = &["root", "admin", "administrator", "user", "guest", "test"];
        if let Some(u) = r
            .system
            .user
            .as_ref()
            .filter(|u| !GENERIC.contains(&u.trim().to_lowercase().as_str()))
        {
            add(u, USER_PLACEHOLDER);
            // DOMAIN\user, user@domain.
            if let Some((_, tail)) = u.rsplit_once(['\\', '/']) {
                add(tail, USER_PLACEHOLDER);
            }
            if let Some((head, _)) = u.split_once('@') {
                add(head, USER_PLACEHOLDER);
            }
        }
        if let Some(h) = &r.system.host_name {
            add(h, COMPUTER_PLACEHOLDER);
            // lab-pc.corp.example → lab-pc too.
            if let Some((first, _)) = h.split_once('.') {
                add(first, COMPUTER_PLACEHOLDER);
            }
        }
        for check in &r.checks {
            if let Some(ssid) = check
                .evidence
                .pointer("/link/wifi/ssid")
                .and_then(Value::as_str)
            {
                add(ssid, WIFI_PLACEHOLDER);
            }
        }
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        Redactor {
            names,
            ips: BTreeMap::new(),
        }
    }

    fn value(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.text(s),
            Value::Array(a) => a.iter_mut().for_each(|x| self.value(x)),
            Value::Object(m) => {
                let old = std::mem::take(m);
                for (k, mut x) in old {
                    let mut key = self.text(&k);
                    while m.contains_key(&key) {
                        key.push('\'');
                    }
                    self.value(&mut x);
                    m.insert(key, x);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) -> String {
        let s = home_paths(s);
        let s = self.names_in(&s);
        self.ips_in(&s)
    }

    fn names_in(&self, s: &str) -> String {
        if self.names.is_empty() {
            return s.to_string();
        }
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        'outer: while i < chars.len() {
            // A placeholder already there stays as it is.
            for ph in [USER_PLACEHOLDER, COMPUTER_PLACEHOLDER, WIFI_PLACEHOLDER] {
                let n = ph.chars().count();
                if i + n <= chars.len() && chars[i..i + n].iter().copied().eq(ph.chars()) {
                    out.push_str(ph);
                    i += n;
                    continue 'outer;
                }
            }
            if i == 0 || !is_word(chars[i - 1]) {
                for (name, ph) in &self.names {
                    let end = i + name.len();
                    if end <= chars.len()
                        && chars[i..end].iter().zip(name).all(|(a, b)| same_ci(*a, *b))
                        && chars.get(end).is_none_or(|c| !is_word(*c))
                    {
                        out.push_str(ph);
                        i = end;
                        continue 'outer;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    fn placeholder(&mut self, ip: IpAddr) -> Option<String> {
        if ip.is_loopback() || ip.is_unspecified() {
            return None;
        }
        let next = self.ips.len() + 1;
        let n = *self.ips.entry(ip).or_insert(next);
        Some(format!("address-{n}"))
    }

    fn ips_in(&mut self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let in_run = |c: char| c.is_ascii_hexdigit() || c == ':' || c == '.';
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < chars.len() {
            if !in_run(chars[i]) {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && in_run(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let bounded = (start == 0 || !is_word(chars[start - 1]))
                && chars.get(i).is_none_or(|c| !is_word(*c));
            out.push_str(&self.run(&run, bounded));
        }
        out
    }

    /// One run of hex digits, colons and dots: an address (perhaps with a
    /// port or a full stop after it), or not.
    fn run(&mut self, run: &str, bounded: bool) -> String {
        if !run.chars().any(|c| c.is_ascii_digit()) {
            return run.to_string();
        }
        // The whole run, or it less trailing punctuation.
        if bounded || !run.contains(':') {
            let mut end = run.len();
            for _ in 0..3 {
                let head = &run[..end];
                if let Ok(ip) = head.parse::<IpAddr>() {
                    return match self.placeholder(ip) {
                        Some(p) => format!("{p}{}", &run[end..]),
                        None => run.to_string(),
                    };
                }
                match head.chars().last() {
                    Some('.' | ':') => end -= 1,
                    _ => break,
                }
            }
        }
        // IPv4 addresses between colons (address:port, lists).
        if !run.contains('.') {
            return run.to_string();
        }
        run.split(':')
            .map(|part| {
                let core = part.trim_matches('.');
                match core.parse::<std::net::Ipv4Addr>() {
                    Ok(ip) => match self.placeholder(IpAddr::V4(ip)) {
                        Some(p) => part.replacen(core, &p, 1),
                        None => part.to_string(),
                    },
                    Err(_) => part.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(":")
    }
}

/// `/home/NAME`, `/Users/NAME`, `C:\Users\NAME` (any separators, any case)
/// → the same with `[user]`.
fn home_paths(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let sep = |c: char| c == '/' || c == '\\';
    let stop = |c: char| {
        sep(c)
            || c.is_whitespace()
            || matches!(
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
            let word = ["home", "users"].into_iter().find(|w| word_at(w));
            if let Some(w) = word {
                let mut k = j + w.len();
                while k < chars.len() && sep(chars[k]) {
                    k += 1;
                }
                let mut m = k;
                while m < chars.len() && !stop(chars[m]) {
                    m += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn red() -> Redactor {
        Redactor {
            names: vec![
                ("alice".chars().collect(), USER_PLACEHOLDER),
                ("al".chars().collect(), USER_PLACEHOLDER),
                ("lab-pc".chars().collect(), COMPUTER_PLACEHOLDER),
            ],
            ips: BTreeMap::new(),
        }
    }

    #[test]
    fn ip_addresses_become_stable_placeholders() {
        let mut r = red();
        let cases = [
            (
                "TCP 203.0.113.10:443: refused",
                "TCP address-1:443: refused",
            ),
            ("from 10.20.0.53.", "from address-2."),
            ("again 203.0.113.10", "again address-1"),
            ("[2001:db8::10]:443", "[address-3]:443"),
            (
                "2001:0db8:0:0:0:0:0:10 is the same",
                "address-3 is the same",
            ),
            ("fe80::1%wlan0", "address-4%wlan0"),
            ("sinkhole 0.0.0.0, ::", "sinkhole 0.0.0.0, ::"),
            ("resolver 127.0.0.1:48116", "resolver 127.0.0.1:48116"),
            ("::ffff:198.51.100.7", "address-5"),
            ("10.0.0.0/8 via 10.20.0.1", "address-6/8 via address-7"),
        ];
        for (input, want) in cases {
            assert_eq!(r.text(input), want, "{input}");
        }
    }

    #[test]
    fn things_that_only_look_like_addresses_stay() {
        let mut r = red();
        for s in [
            "2026-11-22T08:28:18Z",
            "std::net::IpAddr",
            "version 6.2.11.50139",
            "MAC aa:bb:cc:dd:ee:ff",
            "dead beef cafe",
            "handshake 5.1 ms",
            "12:30",
            "added to face",
        ] {
            assert_eq!(r.text(s), s);
        }
    }

    #[test]
    fn names_match_whole_words_in_any_case() {
        let r = red();
        assert_eq!(
            r.names_in("Alice also logged in as ALICE on lab-pc.local; al too"),
            "[user] also logged in as [user] on [computer].local; [user] too"
        );
        assert_eq!(r.names_in("alicea lab-pcs"), "alicea lab-pcs");
        // A user called "user" doesn't nest placeholders.
        let r = Redactor {
            names: vec![("user".chars().collect(), USER_PLACEHOLDER)],
            ips: BTreeMap::new(),
        };
        assert_eq!(
            r.names_in("/home/[user] and user"),
            "/home/[user] and [user]"
        );
    }

    #[test]
    fn home_paths_lose_their_owner() {
        for (input, want) in [
            ("/home/bob/.zoom/logs", "/home/[user]/.zoom/logs"),
            ("/Users/Bob/Library", "/Users/[user]/Library"),
            (r"C:\Users\bob\AppData", r"C:\Users\[user]\AppData"),
            (r"C:\\Users\\bob\\AppData", r"C:\\Users\\[user]\\AppData"),
            ("C:/users/bob/x", "C:/users/[user]/x"),
            ("/srv/myhome/x", "/srv/myhome/x"),
            ("\"/home/bob\"", "\"/home/[user]\""),
            ("/home/[user]/x", "/home/[user]/x"),
        ] {
            assert_eq!(home_paths(input), want, "{input}");
        }
    }
}
