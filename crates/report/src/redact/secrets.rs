//! The secrets tier: credentials, query strings and token-like path segments in URLs, and values of settings named like secrets.

use super::*;

/// Credentials, query strings, fragments and tokens in URLs, and
/// `user:password@` before a host without a scheme.
pub(super) fn secrets(s: &str) -> String {
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
pub(super) const SECRET_NAMES: &[&str] = &[
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
pub(super) const WHOLE_LINE: &[&str] = &["authorization", "cookie"];

/// `name` is one of `list`, or ends with one after "_" or "-".
pub(super) fn last_part_is(name: &str, list: &[&str]) -> bool {
    let name = name.trim_matches(['"', '\'']).to_ascii_lowercase();
    list.iter().any(|k| {
        name == *k
            || name
                .strip_suffix(k)
                .is_some_and(|head| head.ends_with(['_', '-']))
    })
}

pub(super) fn secret_key(name: &str) -> bool {
    last_part_is(name, SECRET_NAMES)
}

pub(super) fn user_key(name: &str) -> bool {
    last_part_is(name, USER_NAMES)
}

/// `name=value`, `name: value`, `"name":"value"` in running text, for the
/// names `is_key` takes → the value becomes `placeholder`.
pub(super) fn named_values(s: &str, is_key: fn(&str) -> bool, placeholder: &str) -> String {
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
pub(super) fn form_values(s: &str) -> String {
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
pub(super) fn url_stop(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '"' | '\'' | '<' | '>' | '`' | '\\' | '{' | '}' | '|' | '^'
        )
}

pub(super) fn urls(s: &str) -> String {
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
pub(super) fn host_like(s: &str) -> bool {
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
pub(super) fn real_host(s: &str) -> bool {
    let hp = &s[..s.find(['/', '?', '#']).unwrap_or(s.len())];
    host_like(s) && (hp.starts_with('[') || hp.contains(['.', ':']))
}

/// `user:password` before an "@": a colon with no "/", "?" or "#" before
/// it, and not a port ("host:8080/a@b").
pub(super) fn credentials_like(cand: &str) -> bool {
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
pub(super) fn url_body(body: &str) -> String {
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
pub(super) fn path_segment(seg: &str) -> String {
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
pub(super) fn token_like(seg: &str) -> bool {
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
pub(super) fn cred_stop(c: char) -> bool {
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
pub(super) fn bare_credentials(s: &str) -> String {
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
