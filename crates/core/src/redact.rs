//! Redaction: what a report shared with a help desk leaves out.
//!
//! Two tiers, both applied to every string of the report (summaries,
//! details, the diagnosis, evidence values and evidence keys), so a new
//! field is covered without anyone remembering to:
//!
//! - **Secrets** leave every rendered report, with or without names (the
//!   app promises "never contain passwords"): credentials in URLs
//!   (`http://user:pass@proxy` → `http://[credentials]@proxy`) and before
//!   a host without a scheme (`user:pass@proxy:8080`), URL query strings
//!   and fragments (`?[redacted]`, `#[redacted]`: a captive portal's
//!   `?mac=…&token=…`, a PAC URL's `?auth=…`), path parameters
//!   (`;jsessionid=…`) and path segments that look like tokens; outside
//!   URLs, the values of settings and headers named like secrets
//!   (`HTTPS_PROXY_PASSWORD=…`, `"client_secret": "…"`, `Authorization:`,
//!   evidence keys such as `password`) and of HTML form fields (the start
//!   of a sign-in page).
//!   Scheme, host, port and the rest of the path stay: "the portal at
//!   login.hotel.example" or "the PAC file at wpad.corp.example/proxy.pac"
//!   is what a technician acts on, and names the network, not a person.
//! - **Personal details** leave a redacted report: the user and computer
//!   names (and the 15-character NetBIOS cut of a long computer name), the
//!   Wi-Fi network's name, home folders, e-mail addresses (their local
//!   part), user names after `username=`/`ProxyUser=`, Windows account SIDs,
//!   IP addresses and MAC addresses. Other host names (proxies, portals,
//!   DNS suffixes) stay: they name the network, and a technician needs them.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use serde_json::Value;

use crate::compare::Comparison;
use crate::report::Report;

/// What the placeholders of [`redacted`] look like.
pub const USER_PLACEHOLDER: &str = "[user]";
pub const COMPUTER_PLACEHOLDER: &str = "[computer]";
/// What a Wi-Fi network's name becomes ("Alice's iPhone" names a person).
pub const WIFI_PLACEHOLDER: &str = "[Wi-Fi name]";
/// What a user name and password in a URL or before a host become.
pub const CREDENTIALS_PLACEHOLDER: &str = "[credentials]";
/// What a URL's query string, fragment or a token in its path becomes.
pub const SECRET_PLACEHOLDER: &str = "[redacted]";

/// A copy without secrets and with personal details replaced: the user
/// name (`[user]`), the computer name (`[computer]`), the Wi-Fi network's
/// name (`[Wi-Fi name]`), home paths (`/home/NAME`, `/Users/NAME`,
/// `C:\Users\NAME`), the local part of e-mail addresses (`[user]@corp.example`),
/// every IP address (each distinct one becomes `address-1`, `address-2`… in
/// order of appearance, so two findings about one address still match; also
/// inside longer tokens: `eth0:fe80::1`, `ip-10-0-0-5.ec2.internal`) and
/// every MAC address (`mac-1`, `mac-2`…, in any of its spellings). Names
/// match case-insensitively as whole words; names shorter than two
/// characters are left alone. Loopback and unspecified addresses
/// (127.0.0.1, ::1, 0.0.0.0, ::) and the broadcast and all-zero MAC
/// addresses identify no one and mean something (a local resolver, a
/// filter's answer), so they stay. Only strings change: numbers and the
/// JSON shape stay as they are.
pub fn redacted(report: &Report) -> Report {
    prepare(report, None, true).0
}

/// A copy without secrets (see the module documentation), names and
/// addresses kept: what a report "with names and addresses" contains.
pub fn without_secrets(report: &Report) -> Report {
    prepare(report, None, false).0
}

/// The report and the comparison it is rendered with, redacted together
/// (`personal`) or only rid of secrets, so one address or network gets one
/// placeholder in both.
pub(crate) fn prepare(
    report: &Report,
    comparison: Option<&Comparison>,
    personal: bool,
) -> (Report, Option<Comparison>) {
    let mut red = if personal {
        Redactor::new(report)
    } else {
        Redactor::secrets_only()
    };
    if personal {
        // The other network's name, as compare writes it ("Wi-Fi (Name)").
        if let Some(c) = comparison {
            for n in [&c.before.network, &c.after.network].into_iter().flatten() {
                if let Some(ssid) = wifi_name(n) {
                    red.add_wifi(ssid);
                }
            }
        }
        red.sort_names();
    }
    let r = red.report(report);
    let c = comparison.map(|c| red.comparison(c));
    (r, c)
}

/// "Wi-Fi (Name)" → "Name".
fn wifi_name(network: &str) -> Option<&str> {
    network.strip_prefix("Wi-Fi (")?.strip_suffix(')')
}

/// Keys of the report's own structure whose values are enum names or
/// fixed formats, not text: left as they are so the report reads back (a
/// person called "pass" or "linux" must not turn a status into "[user]").
const FIXED: &[&str] = &["schema", "status", "os", "generated_at"];

/// Names of settings whose value is a user name (`ProxyUser=bob`,
/// `"username": "bob"`): personal, replaced in a redacted report.
const USER_NAMES: &[&str] = &["username", "user_name", "proxyuser", "proxy_user"];

/// Wi-Fi names that are words of the report itself: replaced where the
/// report names the network, but not as words everywhere ("Zoom" and
/// "/home/" would be garbled). Such names identify no one.
const COMMON_WORDS: &[&str] = &[
    "zoom", "home", "guest", "guests", "wifi", "wi-fi", "wlan", "internet", "network", "office",
    "public", "private", "default", "free", "proxy", "dns", "vpn", "tls", "tcp", "udp", "user",
    "users", "test", "lab", "hotel", "cafe", "school", "library",
];

#[derive(Debug)]
struct Redactor {
    /// Personal details too, not only secrets.
    personal: bool,
    /// Lower-cased names and their placeholders, longest first.
    names: Vec<(Vec<char>, &'static str)>,
    ips: BTreeMap<IpAddr, usize>,
    macs: BTreeMap<[u8; 6], usize>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn same_ci(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

impl Redactor {
    fn secrets_only() -> Redactor {
        Redactor {
            personal: false,
            names: Vec::new(),
            ips: BTreeMap::new(),
            macs: BTreeMap::new(),
        }
    }

    fn new(r: &Report) -> Redactor {
        let mut red = Redactor {
            personal: true,
            ..Redactor::secrets_only()
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
            red.add_name(u, USER_PLACEHOLDER);
            // DOMAIN\user, user@domain.
            if let Some((_, tail)) = u.rsplit_once(['\\', '/']) {
                red.add_name(tail, USER_PLACEHOLDER);
            }
            if let Some((head, _)) = u.split_once('@') {
                red.add_name(head, USER_PLACEHOLDER);
            }
        }
        if let Some(h) = &r.system.host_name {
            red.add_name(h, COMPUTER_PLACEHOLDER);
            // lab-pc.corp.example → lab-pc too, and the NetBIOS name Windows
            // cuts it to (15 characters: "FINANCE-LAPTOP-" of a longer one).
            let first = h.split_once('.').map_or(h.as_str(), |(f, _)| f);
            red.add_name(first, COMPUTER_PLACEHOLDER);
            if first.chars().count() > 15 {
                let netbios: String = first.chars().take(15).collect();
                red.add_name(&netbios, COMPUTER_PLACEHOLDER);
            }
        }
        for check in &r.checks {
            if let Some(ssid) = check
                .evidence
                .pointer("/link/wifi/ssid")
                .and_then(Value::as_str)
            {
                red.add_wifi(ssid);
            }
        }
        red.sort_names();
        red
    }

    fn add_name(&mut self, n: &str, ph: &'static str) {
        let chars: Vec<char> = n.trim().chars().flat_map(char::to_lowercase).collect();
        if chars.len() >= 2
            && chars.iter().any(|c| c.is_alphabetic())
            && !self.names.iter().any(|(k, _)| *k == chars)
        {
            self.names.push((chars, ph));
        }
    }

    fn add_wifi(&mut self, ssid: &str) {
        if !COMMON_WORDS.contains(&ssid.trim().to_lowercase().as_str()) && ssid != WIFI_PLACEHOLDER
        {
            self.add_name(ssid, WIFI_PLACEHOLDER);
        }
    }

    fn sort_names(&mut self) {
        self.names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    }

    fn report(&mut self, report: &Report) -> Report {
        let mut out = serde_json::to_value(report)
            .ok()
            .and_then(|mut v| {
                self.value(&mut v, false);
                serde_json::from_value::<Report>(v).ok()
            })
            .unwrap_or_else(|| self.fields(report));
        if self.personal {
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
            // Whatever the name is (one that is a common word, or digits
            // only, is not replaced as a word), the field itself goes.
            for c in &mut out.checks {
                if let Some(v) = c.evidence.pointer_mut("/link/wifi/ssid") {
                    if v.is_string() {
                        *v = Value::String(WIFI_PLACEHOLDER.to_string());
                    }
                }
            }
        }
        out
    }

    /// Field by field, should the report not read back after the walk
    /// (not expected: the keys and enum values it depends on stay).
    fn fields(&mut self, report: &Report) -> Report {
        let mut r = report.clone();
        let mut t = |s: &mut String| *s = self.text(s);
        t(&mut r.profile.source);
        if let Some(v) = r.system.os_version.as_mut() {
            t(v);
        }
        if let Some(v) = r.error_code.as_mut() {
            t(v);
        }
        for c in &mut r.checks {
            t(&mut c.title);
            t(&mut c.summary);
            t(&mut c.detail);
        }
        let d = &mut r.diagnosis;
        t(&mut d.headline);
        for s in d.ruled_out.iter_mut() {
            t(s);
        }
        for v in [&mut d.error_code, &mut d.code_meaning]
            .into_iter()
            .flatten()
        {
            t(v);
        }
        let steps = |t: &mut dyn FnMut(&mut String), s: &mut crate::report::Step| {
            t(&mut s.title);
            t(&mut s.why);
            t(&mut s.how);
            t(&mut s.worked_if);
        };
        for s in d.next_steps.iter_mut() {
            steps(&mut t, s);
        }
        for c in d.causes.iter_mut() {
            t(&mut c.summary);
            t(&mut c.explanation);
            for s in c.steps.iter_mut() {
                steps(&mut t, s);
            }
        }
        for c in &mut r.checks {
            self.value(&mut c.evidence, true);
        }
        for v in &mut r.fixes_applied {
            self.value(v, true);
        }
        r
    }

    /// The comparison's words; its network names become the placeholder.
    fn comparison(&mut self, c: &Comparison) -> Comparison {
        let mut c = c.clone();
        for run in [&mut c.before, &mut c.after] {
            if let Some(n) = run.network.as_mut() {
                *n = if self.personal && wifi_name(n).is_some() {
                    format!("Wi-Fi ({WIFI_PLACEHOLDER})")
                } else {
                    self.text(n)
                };
            }
        }
        c.meaning = self.text(&c.meaning);
        c.advice = self.text(&c.advice);
        for ch in &mut c.changes {
            ch.title = self.text(&ch.title);
            ch.before_summary = self.text(&ch.before_summary);
            ch.after_summary = self.text(&ch.after_summary);
        }
        c
    }

    /// Every string in `v`; `free` marks free-form JSON (evidence, applied
    /// fixes), whose keys can carry anything too ("seen by alice",
    /// an address as a key) and are redacted like values.
    fn value(&mut self, v: &mut Value, free: bool) {
        match v {
            Value::String(s) => *s = self.text(s),
            Value::Array(a) => a.iter_mut().for_each(|x| self.value(x, free)),
            Value::Object(m) => {
                let old = std::mem::take(m);
                for (k, mut x) in old {
                    let secret = free && secret_key(&k) && x.is_string();
                    let key = if free {
                        let mut key = self.text(&k);
                        while m.contains_key(&key) {
                            key.push('\'');
                        }
                        key
                    } else {
                        k
                    };
                    if secret {
                        // {"password": "…"}: the value is the secret, whatever it looks like.
                        x = Value::String(SECRET_PLACEHOLDER.to_string());
                    } else if free || !FIXED.contains(&key.as_str()) {
                        let free = free || key == "evidence" || key == "fixes_applied";
                        self.value(&mut x, free);
                    }
                    m.insert(key, x);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) -> String {
        let s = secrets(s);
        if !self.personal {
            return s;
        }
        let s = emails(&s);
        let s = if s.contains(['=', ':']) {
            named_values(&s, user_key, USER_PLACEHOLDER)
        } else {
            s
        };
        let s = account_sids(&s);
        let s = home_paths(&s);
        let s = self.names_in(&s);
        // MAC addresses before IP addresses: "fe80::a4:83:e7:12:34:56" is
        // one IPv6 address, and the MAC rule leaves it to the next step.
        let s = self.macs_in(&s);
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
            for ph in [
                USER_PLACEHOLDER,
                COMPUTER_PLACEHOLDER,
                WIFI_PLACEHOLDER,
                CREDENTIALS_PLACEHOLDER,
                SECRET_PLACEHOLDER,
            ] {
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
        // IPv4 addresses written with dashes, as in reverse-DNS names
        // ("ip-10-0-0-5.ec2.internal", "203-0-113-45.dyn.example").
        let chars: Vec<char> = out.chars().collect();
        self.quads(&chars, '-')
    }

    /// One run of hex digits, colons and dots: an address (perhaps with a
    /// port or a full stop after it), or not.
    fn run(&mut self, run: &str, bounded: bool) -> String {
        if !run.chars().any(|c| c.is_ascii_digit()) {
            return run.to_string();
        }
        // The whole run, or it less trailing punctuation.
        if bounded || !run.contains(':') {
            if let Some(r) = self.whole(run) {
                return r;
            }
        }
        // An IPv6 address after a word and a colon: "eth0:fe80::1" is the
        // word "eth" and the run "0:fe80::1".
        if run.contains("::") || run.matches(':').count() >= 3 {
            for (k, _) in run.match_indices(':') {
                let tail = &run[k + 1..];
                if tail.contains(':') && !tail.starts_with(':') {
                    if let Some(r) = self.whole(tail) {
                        return format!("{}{r}", &run[..=k]);
                    }
                }
            }
        }
        // IPv4 addresses anywhere in it: address:port, lists, an address
        // run into hex letters ("10.0.0.5abc").
        let chars: Vec<char> = run.chars().collect();
        self.quads(&chars, '.')
    }

    /// `run` (less up to three trailing dots or colons) as one address.
    fn whole(&mut self, run: &str) -> Option<String> {
        let mut end = run.len();
        for _ in 0..3 {
            let head = &run[..end];
            if let Ok(ip) = head.parse::<IpAddr>() {
                return Some(match self.placeholder(ip) {
                    Some(p) => format!("{p}{}", &run[end..]),
                    None => run.to_string(),
                });
            }
            match head.chars().last() {
                Some('.' | ':') => end -= 1,
                _ => break,
            }
        }
        None
    }

    /// Four numbers 0–255 joined by `sep`, not part of a longer number
    /// sequence ("6.2.11.50139", "1.2.3.4.5" and dates stay), replaced.
    fn quads(&mut self, c: &[char], sep: char) -> String {
        let digit = |k: usize| c.get(k).is_some_and(char::is_ascii_digit);
        let joined = |k: usize| c.get(k).is_some_and(|x| *x == '.' || *x == '-');
        // A number (or "1." / "1-") right before or after: a longer sequence.
        let number_before =
            |i: usize| i >= 1 && (digit(i - 1) || (i >= 2 && joined(i - 1) && digit(i - 2)));
        let number_after = |end: usize| digit(end) || (joined(end) && digit(end + 1));
        let mut out = String::with_capacity(c.len());
        let mut i = 0;
        while i < c.len() {
            if digit(i) && !number_before(i) {
                if let Some((end, ip)) = quad_at(c, i, sep) {
                    if !number_after(end) {
                        match self.placeholder(IpAddr::V4(ip)) {
                            Some(p) => out.push_str(&p),
                            None => out.extend(&c[i..end]),
                        }
                        i = end;
                        continue;
                    }
                }
            }
            out.push(c[i]);
            i += 1;
        }
        out
    }

    fn macs_in(&mut self, s: &str) -> String {
        if !s.contains([':', '-', '.']) {
            return s.to_string();
        }
        let c: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < c.len() {
            if let Some((end, mac)) = mac_at(&c, i) {
                // Broadcast and "none" name no device.
                if mac == [0xff; 6] || mac == [0; 6] {
                    out.extend(&c[i..end]);
                } else {
                    let next = self.macs.len() + 1;
                    let n = *self.macs.entry(mac).or_insert(next);
                    out.push_str(&format!("mac-{n}"));
                }
                i = end;
                continue;
            }
            out.push(c[i]);
            i += 1;
        }
        out
    }
}

/// The IPv4 address at `i` written with `sep` (its end and value).
fn quad_at(c: &[char], i: usize, sep: char) -> Option<(usize, Ipv4Addr)> {
    let mut octets = [0u8; 4];
    let mut k = i;
    for (n, octet) in octets.iter_mut().enumerate() {
        if n > 0 {
            if c.get(k) != Some(&sep) {
                return None;
            }
            k += 1;
        }
        let start = k;
        while c.get(k).is_some_and(char::is_ascii_digit) {
            k += 1;
        }
        if k == start || k - start > 3 {
            return None;
        }
        let s: String = c[start..k].iter().collect();
        *octet = s.parse().ok()?;
    }
    Some((k, Ipv4Addr::from(octets)))
}

/// A MAC address at `i` (its end and bytes): `a4:83:e7:12:34:56`,
/// `A4-83-E7-12-34-56` or `a483.e712.3456` (with a letter, so that
/// `2024.1110.0001` stays), standing on its own or after a word and a
/// separator (`eth0:a4:83:…`), not inside a longer hex sequence (an IPv6
/// address, `…:a4:83:e7:12:34:56:78`).
fn mac_at(c: &[char], i: usize) -> Option<(usize, [u8; 6])> {
    let hex = |k: usize| c.get(k).is_some_and(char::is_ascii_hexdigit);
    let byte = |k: usize| -> u8 {
        let s: String = c[k..k + 2].iter().collect();
        u8::from_str_radix(&s, 16).unwrap_or(0)
    };
    let (end, mac) = if (0..6).all(|g| hex(i + 3 * g) && hex(i + 3 * g + 1))
        && matches!(c.get(i + 2), Some(':' | '-'))
        && (1..5).all(|g| c.get(i + 3 * g + 2) == c.get(i + 2))
    {
        let mut mac = [0u8; 6];
        for (g, b) in mac.iter_mut().enumerate() {
            *b = byte(i + 3 * g);
        }
        (i + 17, mac)
    } else if (0..3).all(|g| (0..4).all(|k| hex(i + 5 * g + k)))
        && c.get(i + 4) == Some(&'.')
        && c.get(i + 9) == Some(&'.')
        && c[i..i + 14].iter().any(char::is_ascii_alphabetic)
    {
        let mut mac = [0u8; 6];
        for (n, b) in mac.iter_mut().enumerate() {
            *b = byte(i + 5 * (n / 2) + 2 * (n % 2));
        }
        (i + 14, mac)
    } else {
        return None;
    };
    let sep = |x: char| matches!(x, ':' | '-' | '.');
    let before = match i.checked_sub(1).map(|k| c[k]) {
        None => true,
        Some(p) if is_word(p) => false,
        // "eth0:" yes; "fe80::", "db8:" (hex: a longer sequence) no.
        Some(p) if sep(p) => {
            let word: Vec<char> = c[..i - 1]
                .iter()
                .rev()
                .take_while(|x| x.is_alphanumeric())
                .copied()
                .collect();
            !word.is_empty() && word.iter().any(|x| !x.is_ascii_hexdigit())
        }
        Some(_) => true,
    };
    let after = match c.get(end) {
        None => true,
        Some(&n) if is_word(n) => false,
        Some(&n) if sep(n) => !hex(end + 1),
        Some(_) => true,
    };
    (before && after).then_some((end, mac))
}

// ───────────────────────────── secrets ─────────────────────────────

/// Credentials, query strings, fragments and tokens in URLs, and
/// `user:password@` before a host without a scheme.
fn secrets(s: &str) -> String {
    let s = if s.contains('@') || s.contains("://") {
        bare_credentials(&urls(s))
    } else {
        s.to_string()
    };
    let s = if s.contains(['=', ':']) {
        named_values(&s, secret_key, SECRET_PLACEHOLDER)
    } else {
        s
    };
    form_values(&s)
}

/// Names of settings and headers whose value is a secret, as the last part
/// of a name (`HTTPS_PROXY_PASSWORD`, `x-auth-token`, `"client_secret"`).
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "sessionid",
    "session_id",
    "jsessionid",
    "phpsessid",
    "authorization",
    "cookie",
];

/// Headers whose whole value is secret ("Basic dXNlcjpw…", "a=1; b=2").
const WHOLE_LINE: &[&str] = &["authorization", "cookie"];

/// `name` is one of `list`, or ends with one after "_" or "-".
fn last_part_is(name: &str, list: &[&str]) -> bool {
    let name = name.trim_matches(['"', '\'']).to_ascii_lowercase();
    list.iter().any(|k| {
        name == *k
            || name
                .strip_suffix(k)
                .is_some_and(|head| head.ends_with(['_', '-']))
    })
}

fn secret_key(name: &str) -> bool {
    last_part_is(name, SECRET_NAMES)
}

fn user_key(name: &str) -> bool {
    last_part_is(name, USER_NAMES)
}

/// `name=value`, `name: value`, `"name":"value"` in running text, for the
/// names `is_key` takes → the value becomes `placeholder`.
fn named_values(s: &str, is_key: fn(&str) -> bool, placeholder: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let ident = |x: char| x.is_ascii_alphanumeric() || matches!(x, '_' | '-');
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < c.len() {
        if !(c[i].is_ascii_alphabetic() && (i == 0 || !ident(c[i - 1]))) {
            out.push(c[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < c.len() && ident(c[j]) {
            j += 1;
        }
        let name: String = c[i..j].iter().collect();
        out.push_str(&name);
        if !is_key(&name) {
            i = j;
            continue;
        }
        // A closing quote, spaces, "=" or ":" (not "://"), spaces, a quote.
        let mut k = j;
        if matches!(c.get(k), Some('"' | '\'')) {
            k += 1;
        }
        while c.get(k) == Some(&' ') {
            k += 1;
        }
        let sep_ok = match c.get(k) {
            Some('=') => true,
            Some(':') => c.get(k + 1) != Some(&'/'),
            _ => false,
        };
        if !sep_ok {
            i = j;
            continue;
        }
        k += 1;
        while c.get(k) == Some(&' ') {
            k += 1;
        }
        let quote = c.get(k).copied().filter(|q| matches!(q, '"' | '\''));
        if quote.is_some() {
            k += 1;
        }
        // Already replaced (redacting twice).
        let ph: Vec<char> = placeholder.chars().collect();
        if c[k..].starts_with(&ph) {
            out.extend(&c[j..k + ph.len()]);
            i = k + ph.len();
            continue;
        }
        let whole_line = last_part_is(&name, WHOLE_LINE);
        let mut end = k;
        while end < c.len() {
            let x = c[end];
            let stop = match quote {
                Some(q) => x == q || x == '\n',
                None if whole_line => x == '\n' || x == '"',
                None => {
                    x.is_whitespace()
                        || matches!(
                            x,
                            '"' | '\'' | '&' | ';' | ',' | '<' | '>' | ')' | '}' | ']'
                        )
                }
            };
            if stop {
                break;
            }
            end += 1;
        }
        out.extend(&c[j..k]);
        if end > k {
            out.push_str(placeholder);
        }
        i = end;
    }
    out
}

/// The values of an HTML form (`<input type="hidden" name="token"
/// value="…">` in the start of a sign-in page): session keys, the device's
/// address, anything a portal pre-fills.
fn form_values(s: &str) -> String {
    if !s.to_ascii_lowercase().contains("<input") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some(at) = lower.find("value=") else {
            break;
        };
        let v = at + "value=".len();
        let quote = rest[v..].chars().next().filter(|q| matches!(q, '"' | '\''));
        out.push_str(&rest[..v]);
        let Some(q) = quote else {
            rest = &rest[v..];
            continue;
        };
        let body = &rest[v + 1..];
        let end = body.find(q).unwrap_or(body.len());
        out.push(q);
        if !body[..end].is_empty() {
            out.push_str(SECRET_PLACEHOLDER);
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// Where a URL stops in running text: at white space, quotes, angle
/// brackets and the like (none of them is allowed in a URL unencoded).
fn url_stop(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '"' | '\'' | '<' | '>' | '`' | '\\' | '{' | '}' | '|' | '^'
        )
}

fn urls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("://") {
        // The scheme: letters, digits, "+-." back from "://", from a letter.
        let scheme_len = rest[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .count();
        let mut start = at - scheme_len;
        while start < at && !rest.as_bytes()[start].is_ascii_alphabetic() {
            start += 1;
        }
        let body_start = at + 3;
        let body_len = rest[body_start..]
            .find(url_stop)
            .unwrap_or(rest.len() - body_start);
        let mut body = &rest[body_start..body_start + body_len];
        // Sentence punctuation and a closing bracket after a URL are not
        // part of it (a query or fragment would swallow them).
        loop {
            let mut t = body.trim_end_matches(['.', ',', ';', ':', '!', '?']);
            for (open, close) in [('(', ')'), ('[', ']')] {
                if t.ends_with(close) && t.matches(close).count() > t.matches(open).count() {
                    t = &t[..t.len() - 1];
                }
            }
            if t.len() == body.len() {
                break;
            }
            body = t;
        }
        out.push_str(&rest[..body_start]);
        if start < at {
            out.push_str(&url_body(body));
        } else {
            out.push_str(body);
        }
        rest = &rest[body_start + body.len()..];
    }
    out.push_str(rest);
    out
}

/// A host (name, `[IPv6]`, address) with an optional port, then the end
/// or a path, query or fragment: what follows the `@` of credentials.
fn host_like(s: &str) -> bool {
    let end = s.find(['/', '?', '#']).unwrap_or(s.len());
    let hp = &s[..end];
    let (host, port) = if hp.starts_with('[') {
        match hp.find(']') {
            Some(k) => (&hp[..=k], hp[k + 1..].strip_prefix(':')),
            None => return false,
        }
    } else {
        match hp.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hp, None),
        }
    };
    !host.is_empty()
        && (host.starts_with('[')
            || host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
        && port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The host part of what follows credentials' "@" looks like a real one:
/// a dotted name, an `[IPv6]` or a port ("ss" in "u:p@ss/w@proxy" is not).
fn real_host(s: &str) -> bool {
    let hp = &s[..s.find(['/', '?', '#']).unwrap_or(s.len())];
    host_like(s) && (hp.starts_with('[') || hp.contains(['.', ':']))
}

/// `user:password` before an "@": a colon with no "/", "?" or "#" before
/// it, and not a port ("host:8080/a@b").
fn credentials_like(cand: &str) -> bool {
    let Some(co) = cand.find(':') else {
        return false;
    };
    if cand[..co].contains(['/', '?', '#']) || co + 1 == cand.len() {
        return false;
    }
    match cand[co..].find('/') {
        Some(sl) => !cand[co + 1..co + sl].chars().all(|c| c.is_ascii_digit()),
        None => true,
    }
}

/// Everything after `scheme://`, rid of its secrets.
fn url_body(body: &str) -> String {
    // Credentials end at the first "@" that a real host follows: a raw "/",
    // "?", "#" or "@" in a password ("http://u:p@ss/w#rd@proxy:8080") is
    // not allowed but happens, and must not leave half of it behind. Else
    // the usual rule: the authority is what comes before the first "/",
    // "?" or "#", and credentials what comes before its last "@".
    let mut userinfo = body
        .match_indices('@')
        .map(|(k, _)| k)
        .find(|&k| credentials_like(&body[..k]) && real_host(&body[k + 1..]));
    let rest = match userinfo {
        Some(k) => &body[k + 1..],
        None => body,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    let authority = match (userinfo, authority.rsplit_once('@')) {
        (None, Some((_, host))) => {
            userinfo = Some(0);
            host
        }
        _ => authority,
    };
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(body.len());
    if userinfo.is_some() {
        out.push_str(CREDENTIALS_PLACEHOLDER);
        out.push('@');
    }
    out.push_str(authority);
    let segments: Vec<String> = path.split('/').map(path_segment).collect();
    out.push_str(&segments.join("/"));
    for (mark, part) in [('?', query), ('#', fragment)] {
        if let Some(p) = part {
            out.push(mark);
            if !p.is_empty() {
                out.push_str(SECRET_PLACEHOLDER);
            }
        }
    }
    out
}

/// A path segment, less its parameters (`;jsessionid=…`), or the
/// placeholder when it looks like a token.
fn path_segment(seg: &str) -> String {
    let (seg, params) = match seg.split_once(';') {
        Some((s, p)) => (s, !p.is_empty()),
        None => (seg, false),
    };
    let mut out = if token_like(seg) {
        SECRET_PLACEHOLDER.to_string()
    } else {
        seg.to_string()
    };
    if params {
        out.push(';');
        out.push_str(SECRET_PLACEHOLDER);
    }
    out
}

/// A session id, key or hash in a URL path: 16 or more characters of the
/// URL-safe alphabet (a file extension aside) that switch between letters
/// and digits at least four times. "summary.json", "generate_204",
/// "ZoomInstallerFull64.msi" and version numbers are not; a UUID, a hex
/// digest or "s3ss10nK3y4bcd12" are.
fn token_like(seg: &str) -> bool {
    let core = match seg.rsplit_once('.') {
        Some((head, ext)) if ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphabetic()) => head,
        _ => seg,
    };
    if core.chars().count() < 16
        || !core
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=' | '+' | '%' | '~'))
    {
        return false;
    }
    let class = |c: char| {
        if c.is_ascii_digit() {
            1
        } else if c.is_ascii_alphabetic() {
            2
        } else {
            0
        }
    };
    let switches = core
        .chars()
        .zip(core.chars().skip(1))
        .filter(|(a, b)| class(*a) != 0 && class(*b) != 0 && class(*a) != class(*b))
        .count();
    switches >= 4
}

/// Where the user name of `user:password@host` starts, going back.
fn cred_stop(c: char) -> bool {
    url_stop(c)
        || matches!(
            c,
            '(' | ')' | '[' | ']' | ',' | ';' | '=' | '/' | '@' | '&' | '?' | '#'
        )
}

/// `user:password@host` without a scheme (`HTTPS_PROXY=alice:pw@proxy:8080`,
/// a proxy setting written "user:pass@host:port") → `[credentials]@host`.
/// URI schemes whose "user" is an address, not a secret (`mailto:`, `sip:`),
/// are left to the personal tier.
fn bare_credentials(s: &str) -> String {
    if !s.contains('@') {
        return s.to_string();
    }
    let c: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut i = 0;
    while i < c.len() {
        if c[i] != '@'
            || !c
                .get(i + 1)
                .is_some_and(|x| x.is_alphanumeric() || *x == '[')
        {
            i += 1;
            continue;
        }
        let mut j = i;
        while j > last && !cred_stop(c[j - 1]) {
            j -= 1;
        }
        let cand: String = c[j..i].iter().collect();
        let is_creds = match cand.split_once(':') {
            Some((user, pass)) => {
                !pass.is_empty()
                    && !["mailto", "sip", "sips", "tel", "xmpp"]
                        .contains(&user.to_ascii_lowercase().as_str())
            }
            None => false,
        };
        if !is_creds {
            i += 1;
            continue;
        }
        // A raw "@" in the password: the credentials end at the last "@"
        // of this token that a host follows.
        let mut end = i;
        let mut k = i + 1;
        while k < c.len() && !url_stop(c[k]) && !matches!(c[k], ',' | ';' | ')') {
            if c[k] == '@' && c.get(k + 1).is_some_and(|x| x.is_alphanumeric()) {
                end = k;
            }
            k += 1;
        }
        out.extend(&c[last..j]);
        out.push_str(CREDENTIALS_PLACEHOLDER);
        last = end;
        i = end + 1;
    }
    out.extend(&c[last..]);
    out
}

// ───────────────────────────── personal details ─────────────────────────────

/// The local part of `name@host.example` → `[user]@host.example` (an e-mail
/// address, a user name before a proxy). The domain stays: it names the
/// organisation, as the proxy and DNS names already do.
fn emails(s: &str) -> String {
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
fn account_sids(s: &str) -> String {
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
fn home_paths(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn red() -> Redactor {
        Redactor {
            personal: true,
            names: vec![
                ("alice".chars().collect(), USER_PLACEHOLDER),
                ("al".chars().collect(), USER_PLACEHOLDER),
                ("lab-pc".chars().collect(), COMPUTER_PLACEHOLDER),
            ],
            ..Redactor::secrets_only()
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
    fn addresses_inside_longer_tokens_are_found() {
        let mut r = red();
        let cases = [
            // IPv6 after a word and a colon, as `ip -o addr` and logs write it.
            ("dev eth0:fe80::1c2:3ff:fe4:5 up", "dev eth0:address-1 up"),
            ("wlan0:2001:db8::7", "wlan0:address-2"),
            // Bare, with its zone: the interface name stays.
            ("fe80::1%eth0", "address-3%eth0"),
            ("inet6 fe80::1c2:3ff:fe4:5/64", "inet6 address-1/64"),
            // An address run into hex letters, or between colons.
            ("peer 192.168.1.57abc", "peer address-4abc"),
            ("10.20.0.53:53:192.168.1.57", "address-5:53:address-4"),
            // Reverse-DNS names with the address in dashes: the same
            // placeholder as the dotted address.
            ("ip-192-168-1-57.ec2.internal", "ip-address-4.ec2.internal"),
            (
                "c-203-0-113-45.hsd1.example.net",
                "c-address-6.hsd1.example.net",
            ),
            ("127-0-0-1.nip.example", "127-0-0-1.nip.example"),
        ];
        for (input, want) in cases {
            assert_eq!(r.text(input), want, "{input}");
        }
    }

    #[test]
    fn mac_addresses_become_stable_placeholders_in_any_spelling() {
        let mut r = red();
        let cases = [
            ("MAC a4:83:e7:12:34:56", "MAC mac-1"),
            (
                "Physical Address A4-83-E7-12-34-56.",
                "Physical Address mac-1.",
            ),
            ("cisco a483.e712.3456", "cisco mac-1"),
            ("eth0:a4:83:e7:12:34:56", "eth0:mac-1"),
            ("(bssid=aa:bb:cc:dd:ee:ff)", "(bssid=mac-2)"),
            // Broadcast and "none" identify no device.
            ("to ff:ff:ff:ff:ff:ff", "to ff:ff:ff:ff:ff:ff"),
            ("00-00-00-00-00-00", "00-00-00-00-00-00"),
            // Inside an IPv6 address it is part of the address.
            ("fe80::a4:83:e7:12:34:56", "address-1"),
            ("2001:db8:a4:83:e7:12:34:56", "address-2"),
            // Seven groups are not a MAC address.
            ("a4:83:e7:12:34:56:78", "a4:83:e7:12:34:56:78"),
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
            "at 10:30:00, again at 10:30:05.123",
            "std::net::IpAddr",
            "version 6.2.11.50139",
            "Zoom 5.17.11.34827 (x64)",
            "dead beef cafe",
            "handshake 5.1 ms",
            "12:30",
            "added to face",
            "zoom.us:8801 and zoom.us:443",
            "udp.3478, tcp.8801, dns.system",
            "UDP 3478, 3479, 8801–8810 and 8801-8810",
            "1.2.3.4.5",
            "2026-11-22",
            "build 2024.1110.0001",
            "HTTP 407 Proxy Authentication Required",
            "Get-NetFirewallRule -Direction Outbound",
            "zoom.us @ 0.0.0.0",
        ] {
            assert_eq!(r.text(s), s);
        }
    }

    #[test]
    fn urls_lose_credentials_queries_and_tokens_but_keep_their_host() {
        for (input, want) in [
            // A captive portal: where it lives stays, what it was told goes.
            (
                "redirected to http://login.hotel.example/portal?mac=aa:bb:cc:dd:ee:ff&token=s3cr3t",
                "redirected to http://login.hotel.example/portal?[redacted]",
            ),
            (
                "http://alice:hunter2@proxy.corp.example:8080",
                "http://[credentials]@proxy.corp.example:8080",
            ),
            (
                "script http://wpad.corp.example/proxy.pac?auth=abc123.",
                "script http://wpad.corp.example/proxy.pac?[redacted].",
            ),
            (
                "(it redirects to https://x.example/p?a=(1))",
                "(it redirects to https://x.example/p?[redacted])",
            ),
            (
                "https://portal.example/#token=abc",
                "https://portal.example/#[redacted]",
            ),
            ("https://portal.example/?", "https://portal.example/?"),
            // Raw "/", "#" and "@" in a password do not leave half of it.
            (
                "http://u:p@ss/w#rd@proxy.corp.example:8080/",
                "http://[credentials]@proxy.corp.example:8080/",
            ),
            (
                "http://alice@wpad/proxy.pac",
                "http://[credentials]@wpad/proxy.pac",
            ),
            (
                "socks5://bob:pw@10.0.0.1:1080",
                "socks5://[credentials]@10.0.0.1:1080",
            ),
            (
                "\"pac_url\":\"http://wpad/x.pac?key=1\"",
                "\"pac_url\":\"http://wpad/x.pac?[redacted]\"",
            ),
            // An "@" after the host is not credentials.
            (
                "http://portal.example/login?email=a@b.example",
                "http://portal.example/login?[redacted]",
            ),
            (
                "http://alice:pw@proxy.example:8080/x?e=a@b.example",
                "http://[credentials]@proxy.example:8080/x?[redacted]",
            ),
            (
                "https://medium.example/@alice/post",
                "https://medium.example/@alice/post",
            ),
            // Session ids in the path.
            (
                "https://portal.example/s/8f14e45fceea167a5a36dedd4bea2543/login;jsessionid=ABC",
                "https://portal.example/s/[redacted]/login;[redacted]",
            ),
            (
                "https://g.example/guest/123e4567-e89b-12d3-a456-426614174000/ok",
                "https://g.example/guest/[redacted]/ok",
            ),
            // Without a scheme.
            (
                "HTTPS_PROXY=alice:hunter2@proxy.corp:3128",
                "HTTPS_PROXY=[credentials]@proxy.corp:3128",
            ),
            (
                "proxy alice:p@ss@proxy.corp:3128 is set",
                "proxy [credentials]@proxy.corp:3128 is set",
            ),
        ] {
            assert_eq!(secrets(input), want, "{input}");
            assert_eq!(secrets(want), want, "twice: {want}");
        }
        for keep in [
            "https://zoom.us/client/latest/ZoomInstallerFull64.msi",
            "https://status.zoom.us/api/v2/summary.json",
            "http://connectivitycheck.gstatic.com/generate_204",
            "https://zoom.us:8801/wc/join/6.2.11.50139",
            "GET http://detectportal.firefox.com/success.txt → HTTP 200 from 34.107.221.82:80",
            "proxy.corp.example:3128 and zoom.us:443",
            "sip:alice@zoomcrc.com and mailto:bob@corp.example",
            "at 10:30 alice@corp.example wrote",
            "zoom.us @ 1.1.1.1: 170.114.52.2",
        ] {
            assert_eq!(secrets(keep), keep);
        }
    }

    #[test]
    fn named_secrets_outside_urls_lose_their_value() {
        for (input, want) in [
            (
                "HTTPS_PROXY_PASSWORD=hunter2 set",
                "HTTPS_PROXY_PASSWORD=[redacted] set",
            ),
            (
                r#"{"client_secret":"abc","x":1}"#,
                r#"{"client_secret":"[redacted]","x":1}"#,
            ),
            (
                "Proxy-Authorization: Basic YWxpY2U6aHVudGVyMg==\nnext",
                "Proxy-Authorization: [redacted]\nnext",
            ),
            ("x-auth-token: abc123 next", "x-auth-token: [redacted] next"),
            ("pwd = 's3 cr3t', ok", "pwd = '[redacted]', ok"),
            // The start of a sign-in page: what its form carries.
            (
                r#"<form><input type="hidden" name="token" value="s3cr3t"><input name=mac VALUE='aa:bb:cc:dd:ee:ff'>"#,
                r#"<form><input type="hidden" name="token" value="[redacted]"><input name=mac VALUE='[redacted]'>"#,
            ),
        ] {
            assert_eq!(secrets(input), want, "{input}");
            assert_eq!(secrets(want), want, "twice: {want}");
        }
        for keep in [
            "Proxy-Authenticate: Negotiate",
            "a password-protected Wi-Fi",
            "tokens: 3",
            "the value=\"x\" of no form",
            "token://x",
        ] {
            assert_eq!(secrets(keep), keep);
        }
        // Evidence keys that name a secret hide the value, whatever it is.
        let mut v = serde_json::json!({"password": "x", "proxy": {"api_key": "42", "port": 8080, "http": "p:3128"}});
        Redactor::secrets_only().value(&mut v, true);
        assert_eq!(
            v,
            serde_json::json!({"password": "[redacted]", "proxy": {"api_key": "[redacted]", "port": 8080, "http": "p:3128"}})
        );
    }

    #[test]
    fn account_names_and_ids_are_personal() {
        let mut r = red();
        for (input, want) in [
            ("ProxyUser=bob", "ProxyUser=[user]"),
            (r#""username": "bob""#, r#""username": "[user]""#),
            (
                "owner S-1-5-21-3623811015-3361044348-30300820-1013.",
                "owner S-1-5-21-[user].",
            ),
            ("SYSTEM is S-1-5-18", "SYSTEM is S-1-5-18"),
        ] {
            assert_eq!(r.text(input), want, "{input}");
        }
        // A computer name longer than 15 characters, as NetBIOS cuts it.
        let mut report = crate::report::Report::new(
            &crate::Profile::builtin(),
            crate::RunOutcome {
                findings: vec![],
                elapsed_ms: 0,
                deadline_ms: 0,
                deadline_hit: false,
                cancelled: false,
            },
        );
        report.system.user = None;
        report.system.host_name = Some("Finance-Laptop-Alice.corp.example".into());
        let mut r = Redactor::new(&report);
        assert_eq!(
            r.text("CORP\\FINANCE-LAPTOP-$ and finance-laptop-alice"),
            "CORP\\[computer]$ and [computer]"
        );
    }

    #[test]
    fn user_names_before_a_host_are_personal() {
        for (input, want) in [
            ("ask alice.smith@corp.example", "ask [user]@corp.example"),
            ("proxy bob@proxy:8080", "proxy [user]@proxy:8080"),
            ("sip:alice@zoomcrc.com", "sip:[user]@zoomcrc.com"),
            ("[user]@corp.example", "[user]@corp.example"),
            (
                "[credentials]@proxy.corp:3128",
                "[credentials]@proxy.corp:3128",
            ),
            ("zoom.us @ 1.1.1.1", "zoom.us @ 1.1.1.1"),
            ("npm i pkg@1.2.3", "npm i pkg@1.2.3"),
            ("Zoom@Home", "Zoom@Home"),
        ] {
            assert_eq!(emails(input), want, "{input}");
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
            personal: true,
            names: vec![("user".chars().collect(), USER_PLACEHOLDER)],
            ..Redactor::secrets_only()
        };
        assert_eq!(
            r.names_in("/home/[user] and user"),
            "/home/[user] and [user]"
        );
    }

    #[test]
    fn wifi_names_that_are_common_words_are_not_replaced_as_words() {
        let mut r = Redactor::new(&crate::report::Report::new(
            &crate::Profile::builtin(),
            crate::RunOutcome {
                findings: vec![],
                elapsed_ms: 0,
                deadline_ms: 0,
                deadline_hit: false,
                cancelled: false,
            },
        ));
        r.names.clear();
        for ssid in ["Home", "Zoom", "Alice's iPhone", "12345678"] {
            r.add_wifi(ssid);
        }
        r.sort_names();
        assert_eq!(
            r.names_in("Zoom on /home/x via Alice's iPhone, 12345678 bytes"),
            "Zoom on /home/x via [Wi-Fi name], 12345678 bytes"
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
            (
                r"C:\Users\John Smith\AppData\Roaming",
                r"C:\Users\[user]\AppData\Roaming",
            ),
            (
                r"C:\Documents and Settings\bob\Zoom",
                r"C:\Documents and Settings\[user]\Zoom",
            ),
            (
                r"C:\Users\bob and C:\Users\carol",
                r"C:\Users\[user] and C:\Users\[user]",
            ),
            ("/home/bob is /x", "/home/[user] is /x"),
            ("/var/home/bob/x", "/var/home/[user]/x"),
        ] {
            assert_eq!(home_paths(input), want, "{input}");
        }
    }
}
