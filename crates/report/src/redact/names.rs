//! The personal tier, walked over a report: user, computer and Wi-Fi names, IP and MAC addresses, each replaced by one consistent placeholder.

use super::*;

/// Keys of the report's own structure whose values are enum names or
/// fixed formats, not text: left as they are so the report reads back (a
/// person called "pass" or "linux" must not turn a status into "[user]").
pub(super) const FIXED: &[&str] = &["schema", "status", "os", "generated_at"];

/// Names of settings whose value is a user name (`ProxyUser=bob`,
/// `"username": "bob"`): personal, replaced in a redacted report.
pub(super) const USER_NAMES: &[&str] = &["username", "user_name", "proxyuser", "proxy_user"];

/// Wi-Fi names that are words of the report itself: replaced where the
/// report names the network, but not as words everywhere ("Zoom" and
/// "/home/" would be garbled). Such names identify no one.
pub(super) const COMMON_WORDS: &[&str] = &[
    "zoom", "home", "guest", "guests", "wifi", "wi-fi", "wlan", "internet", "network", "office",
    "public", "private", "default", "free", "proxy", "dns", "vpn", "tls", "tcp", "udp", "user",
    "users", "test", "lab", "hotel", "cafe", "school", "library",
];

#[derive(Debug)]
pub(super) struct Redactor {
    /// Personal details too, not only secrets.
    pub(super) personal: bool,
    /// Lower-cased names and their placeholders, longest first.
    pub(super) names: Vec<(Vec<char>, &'static str)>,
    pub(super) ips: BTreeMap<IpAddr, usize>,
    pub(super) macs: BTreeMap<[u8; 6], usize>,
}

pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(super) fn same_ci(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

impl Redactor {
    pub(super) fn secrets_only() -> Redactor {
        Redactor {
            personal: false,
            names: Vec::new(),
            ips: BTreeMap::new(),
            macs: BTreeMap::new(),
        }
    }

    pub(super) fn new(r: &Report) -> Redactor {
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

    pub(super) fn add_name(&mut self, n: &str, ph: &'static str) {
        let chars: Vec<char> = n.trim().chars().flat_map(char::to_lowercase).collect();
        if chars.len() >= 2
            && chars.iter().any(|c| c.is_alphabetic())
            && !self.names.iter().any(|(k, _)| *k == chars)
        {
            self.names.push((chars, ph));
        }
    }

    pub(super) fn add_wifi(&mut self, ssid: &str) {
        if !COMMON_WORDS.contains(&ssid.trim().to_lowercase().as_str()) && ssid != WIFI_PLACEHOLDER
        {
            self.add_name(ssid, WIFI_PLACEHOLDER);
        }
    }

    pub(super) fn sort_names(&mut self) {
        self.names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    }

    pub(super) fn report(&mut self, report: &Report) -> Report {
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
    pub(super) fn fields(&mut self, report: &Report) -> Report {
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
        let steps = |t: &mut dyn FnMut(&mut String), s: &mut crate::Step| {
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
        // Walked as the JSON a report is shared as, like the evidence: a
        // fix's message and steps carry text from this computer. The walk
        // only rewrites words inside strings, so the record reads back.
        for rec in &mut r.fixes_applied {
            if let Ok(mut v) = serde_json::to_value(&*rec) {
                self.value(&mut v, true);
                if let Ok(redacted) = serde_json::from_value(v) {
                    *rec = redacted;
                }
            }
        }
        r
    }

    /// The comparison's words; its network names become the placeholder.
    pub(super) fn comparison(&mut self, c: &Comparison) -> Comparison {
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
    pub(super) fn value(&mut self, v: &mut Value, free: bool) {
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

    pub(super) fn text(&mut self, s: &str) -> String {
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

    pub(super) fn names_in(&self, s: &str) -> String {
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

    pub(super) fn placeholder(&mut self, ip: IpAddr) -> Option<String> {
        if ip.is_loopback() || ip.is_unspecified() {
            return None;
        }
        let next = self.ips.len() + 1;
        let n = *self.ips.entry(ip).or_insert(next);
        Some(format!("address-{n}"))
    }

    pub(super) fn ips_in(&mut self, s: &str) -> String {
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
    pub(super) fn run(&mut self, run: &str, bounded: bool) -> String {
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
    pub(super) fn whole(&mut self, run: &str) -> Option<String> {
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
    pub(super) fn quads(&mut self, c: &[char], sep: char) -> String {
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

    pub(super) fn macs_in(&mut self, s: &str) -> String {
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
pub(super) fn quad_at(c: &[char], i: usize, sep: char) -> Option<(usize, Ipv4Addr)> {
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
pub(super) fn mac_at(c: &[char], i: usize) -> Option<(usize, [u8; 6])> {
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
