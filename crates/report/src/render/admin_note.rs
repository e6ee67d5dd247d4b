//! The note for a network administrator: what to allow, and why.

use super::*;

/// The note's parts: an opening line, one line per failure, Zoom's needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AdminNote {
    pub(super) intro: String,
    pub(super) items: Vec<String>,
    pub(super) needs: String,
}

impl std::fmt::Display for AdminNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.intro)?;
        for i in &self.items {
            writeln!(f, "- {i}")?;
        }
        write!(f, "{}", self.needs)
    }
}

/// Zoom's documented needs (Meetings and Webinars, all clients).
pub(super) const ZOOM_NEEDS: &str = "Zoom needs, outbound with return traffic: TCP 443, 8801, 8802 and UDP 3478, 3479, 8801–8810 to Zoom's servers; zoom.us and *.zoom.us allowed through proxies and exempt from SSL inspection.";

/// A short, precise message for the network team, built only from the
/// failures this run saw: names that fail or are filtered, ports that fail
/// (and how), SSL inspection, a proxy that wants a sign-in or refuses
/// Zoom, a sign-in page. None when nothing network-related failed.
pub fn admin_note(report: &Report) -> Option<String> {
    note(report).map(|n| n.to_string())
}

pub(super) fn has_cause(r: &Report, id: &str) -> bool {
    r.diagnosis.causes.iter().any(|c| c.id == id)
}

pub(super) fn failed<'a>(r: &'a Report, id: &str) -> Option<&'a Finding> {
    check(r, id).filter(|f| f.status == Status::Fail)
}

pub(super) fn note(r: &Report) -> Option<AdminNote> {
    let mut items = Vec::new();
    if let Some(f) = failed(r, "captive_portal") {
        // A sign-in page explains everything after it.
        let to = ev_str(f, &["redirect_to"])
            .filter(|s| !s.is_empty())
            .map(|s| format!(" (it redirects to {s})"))
            .or_else(|| ev_str(f, &["page_title"]).map(|t| format!(" (a page titled \"{t}\")")))
            .unwrap_or_default();
        items.push(format!("A sign-in page (captive portal) holds back web traffic{to}; the other checks can't be judged until it is accepted."));
    } else if has_cause(r, "offline") {
        let what = check(r, "internet")
            .map(|f| f.summary.trim_end_matches('.').to_string())
            .unwrap_or_else(|| "nothing outside this computer answered".to_string());
        items.push(format!("No internet: {what}."));
    } else {
        dns_items(r, &mut items);
        port_items(r, "tcp.", &mut items);
        port_items(r, "udp.", &mut items);
        tls_items(r, &mut items);
        proxy_items(r, &mut items);
        if has_cause(r, "vpn_interference") {
            if let Some(f) = check(r, "vpn") {
                items.push(format!(
                    "Zoom's traffic leaves through a VPN ({}); the failures above may be the VPN's. Letting Zoom bypass it (split tunnelling) is the usual fix.",
                    ev_str(f, &["route", "interface"]).unwrap_or("tunnel")
                ));
            }
        }
    }
    if items.is_empty() {
        return None;
    }
    let mut context = Vec::new();
    if let Some(net) = network_short(r) {
        context.push(net);
    }
    if let Some(code) = r.diagnosis.error_code.as_ref().or(r.error_code.as_ref()) {
        context.push(format!("Zoom error {code}"));
    }
    context.push(format!("checked {}", when(&r.generated_at)));
    let lead = if r.diagnosis.causes.iter().any(|c| !c.quality_only) {
        "Zoom fails on this network"
    } else {
        "Zoom works only partly on this network"
    };
    Some(AdminNote {
        intro: format!("{lead} ({}). What failed:", context.join("; ")),
        items,
        needs: ZOOM_NEEDS.to_string(),
    })
}

/// The network for the note: `Wi-Fi "Name"`, `Ethernet`, `mobile data`.
pub(super) fn network_short(r: &Report) -> Option<String> {
    let f = check(r, "network_type")?;
    match ev_str(f, &["link", "kind"])? {
        "wifi" => Some(match ev_str(f, &["link", "wifi", "ssid"]) {
            Some(name) => format!("Wi-Fi \"{name}\""),
            None => "Wi-Fi".to_string(),
        }),
        "ethernet" => Some("Ethernet".to_string()),
        "cellular" => Some("mobile data".to_string()),
        _ => None,
    }
}

pub(super) fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// "a", "a and b", "a, b and c".
pub(super) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(super) fn dns_items(r: &Report, items: &mut Vec<String>) {
    let Some(f) = failed(r, "dns.system") else {
        return;
    };
    let servers = strings(ev(f, &["dns.servers", "value", "servers"]));
    let resolver = match servers.len() {
        0 => "this computer's resolver".to_string(),
        1 => format!("resolver {}", servers[0]),
        _ => format!("resolvers {}", and_list(&servers)),
    };
    let answer = |name: &str| -> Option<&Value> { ev(f, &["names", name, "system"]) };
    let addresses = |name: &str| strings(answer(name).and_then(|a| a.get("addresses")));
    let sinkholed = strings(ev(f, &["sinkholed"]));
    let only_here = strings(ev(f, &["fails_only_on_system"]));
    for name in &sinkholed {
        let to = addresses(name);
        let to = if to.is_empty() {
            "a blocking address".to_string()
        } else {
            and_list(&to)
        };
        let public =
            ev(f, &["names", name, "reference_resolves"]).and_then(Value::as_bool) == Some(true);
        items.push(format!(
            "DNS: {resolver} answers {name} with {to}, a blocking answer{}.",
            if public {
                "; public resolvers return real addresses"
            } else {
                ""
            }
        ));
    }
    if !only_here.is_empty() {
        let how: Vec<String> = only_here
            .iter()
            .map(|n| format!("{n} ({})", answer_words(answer(n))))
            .collect();
        items.push(format!(
            "DNS: {resolver} can't resolve {}; public resolvers can.",
            and_list(&how)
        ));
    }
    let other: Vec<String> = ev(f, &["names"])
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(n, a)| {
                    !sinkholed.contains(n)
                        && !only_here.contains(n)
                        && a.pointer("/system/result").and_then(Value::as_str) != Some("addresses")
                })
                .map(|(n, a)| format!("{n} ({})", answer_words(a.get("system"))))
                .collect()
        })
        .unwrap_or_default();
    if !other.is_empty() {
        items.push(format!(
            "DNS: {resolver} can't resolve {}.",
            and_list(&other)
        ));
    }
    if sinkholed.is_empty() && only_here.is_empty() && other.is_empty() {
        items.push(format!("DNS: {}", f.summary));
    }
    if let Some(p) = failed(r, "dns.reference") {
        items.push(format!(
            "DNS to public resolvers is filtered too: {}",
            p.summary
        ));
    }
}

pub(super) fn answer_words(a: Option<&Value>) -> String {
    let result = a.and_then(|a| a.get("result")).and_then(Value::as_str);
    let message = a.and_then(|a| a.get("message")).and_then(Value::as_str);
    match (result, message) {
        (Some("not_found"), _) => "does not exist, NXDOMAIN".to_string(),
        (Some("no_answer"), _) => "no answer".to_string(),
        (Some("unreachable"), _) => "resolver unreachable".to_string(),
        (Some("error"), Some(m)) => format!("error: {m}"),
        (Some("sinkhole"), _) => "a filter's answer".to_string(),
        _ => "failed".to_string(),
    }
}

/// "1.2.3.4:443" → "1.2.3.4"; "[2001:db8::1]:443" → "2001:db8::1".
pub(super) fn without_port(addr: &str, port: Option<u64>) -> String {
    if let Ok(sa) = addr.parse::<std::net::SocketAddr>() {
        return sa.ip().to_string();
    }
    match port.map(|p| format!(":{p}")) {
        Some(suffix) if addr.ends_with(&suffix) => addr[..addr.len() - suffix.len()]
            .trim_matches(['[', ']'])
            .to_string(),
        _ => addr.to_string(),
    }
}

pub(super) fn port_items(r: &Report, prefix: &str, items: &mut Vec<String>) {
    let udp = prefix == "udp.";
    for f in r
        .checks
        .iter()
        .filter(|f| f.id.to_string().starts_with(prefix) && f.status == Status::Fail)
    {
        let error = ev_str(f, &["error"]);
        // A rule on this computer is not the network's doing.
        if error == Some("local_firewall") {
            continue;
        }
        let port = ev(f, &["port"])
            .and_then(Value::as_u64)
            .map(|p| p.to_string())
            .unwrap_or_else(|| f.id.to_string()[prefix.len()..].to_string());
        let host = ev_str(f, &["host"]);
        let address = ev_str(f, &["address"]).map(str::to_string).or_else(|| {
            ev(f, &["attempts"])
                .and_then(Value::as_array)
                .and_then(|a| a.last())
                .and_then(|a| a.get("address"))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let address = address.map(|a| without_port(&a, port.parse().ok()));
        let to = match (host, address) {
            (Some(h), Some(a)) if h != a => format!(" to {h} ({a})"),
            (Some(h), _) => format!(" to {h}"),
            (None, Some(a)) => format!(" to {a}"),
            (None, None) => String::new(),
        };
        let how = match (error, udp) {
            (Some("refused"), false) => "refused (actively rejected)",
            (Some("refused"), true) => "refused (ICMP port unreachable)",
            (Some("silent"), false) => "no answer (dropped silently)",
            (Some("silent"), true) => "no STUN answer (dropped silently)",
            (Some("invalid_answer"), _) => "something answered, but not with a STUN reply",
            (Some("unreachable"), _) => "no route",
            (Some("reset"), _) => "cut off after it started",
            _ => "",
        };
        let how = if how.is_empty() {
            f.summary.clone()
        } else {
            format!("{how}.")
        };
        items.push(format!(
            "{} {port}{to}: {how}",
            if udp { "UDP" } else { "TCP" }
        ));
    }
}

/// A socket error (`NetError` in evidence) in a few words.
pub(super) fn net_words(e: &str) -> String {
    match e {
        "refused" => "refused".to_string(),
        "silent" => "no answer, dropped silently".to_string(),
        "unreachable" => "no route".to_string(),
        "reset" => "cut off".to_string(),
        "local_firewall" => "blocked by this computer's firewall".to_string(),
        other => other.replace('_', " "),
    }
}

pub(super) fn tls_items(r: &Report, items: &mut Vec<String>) {
    let Some(f) = failed(r, "tls") else {
        return;
    };
    // The computer's own security software or clock: not the network's doing.
    let by_antivirus = r
        .diagnosis
        .causes
        .iter()
        .any(|c| c.id == "security_software" && c.evidence.iter().any(|e| e == "tls"));
    let clock_wrong = check(r, "clock").is_some_and(|c| c.status == Status::Fail);
    let targets = ev(f, &["targets"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let before = items.len();
    for t in &targets {
        let s = |k: &str| t.get(k).and_then(Value::as_str);
        let target = s("target").unwrap_or("Zoom");
        let issuer = s("issuer").unwrap_or("an unknown issuer");
        let error = s("error")
            .map(|e| format!(" ({})", net_words(e)))
            .unwrap_or_default();
        let dates = |v: Option<&str>| matches!(v, Some("expired" | "not_yet_valid"));
        match (s("public_roots"), s("local_roots"), s("stage")) {
            (Some("trusted"), _, _) => {}
            // The antivirus's own inspection: this computer, not the network.
            (Some("unknown_issuer"), Some("trusted"), _) if by_antivirus => {}
            (Some("unknown_issuer"), Some("trusted"), _) => items.push(format!("SSL inspection: the connection to {target} is re-signed by \"{issuer}\". Please exempt zoom.us and *.zoom.us from inspection.")),
            (Some("unknown_issuer"), _, _) => items.push(format!(
                "TLS to {target}: the certificate is signed by \"{issuer}\", which is not publicly trusted; something on the way replaces it."
            )),
            (Some("wrong_name"), _, _) => items.push(format!(
                "TLS to {target}: the server that answers presents a certificate for another name; something redirects it."
            )),
            // A wrong clock makes good certificates look out of date.
            (p, l, _) if (dates(p) || dates(l)) && clock_wrong => {}
            (p, l, _) if dates(p) || dates(l) => items.push(format!(
                "TLS to {target}: the certificate presented is out of its validity dates (\"{issuer}\")."
            )),
            (_, _, Some("handshake")) => {
                let how = match s("error") {
                    Some("reset") => "is reset".to_string(),
                    Some("silent") => "gets no answer".to_string(),
                    Some(e) => format!("fails ({})", net_words(e)),
                    None => "fails".to_string(),
                };
                items.push(format!(
                    "TLS to {target}: the handshake {how} after the TCP connection opened; a filter may recognise and block Zoom."
                ))
            }
            (_, _, Some("connect")) => items.push(format!("TLS to {target}: no TCP connection{error}.")),
            _ => {}
        }
    }
    if items.len() == before && !by_antivirus && !clock_wrong {
        items.push(format!("TLS: {}", f.summary));
    }
}

pub(super) fn proxy_items(r: &Report, items: &mut Vec<String>) {
    let Some(f) = check(r, "proxy").filter(|f| matches!(f.status, Status::Fail | Status::Warn))
    else {
        return;
    };
    if let Some(e) = ev_str(f, &["error"]) {
        items.push(format!("Proxy auto-configuration fails: {e}."));
        return;
    }
    let target = ev_str(f, &["route", "url"])
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(443)))
        })
        .unwrap_or_else(|| "Zoom".to_string());
    let tried = ev(f, &["tried"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let before = items.len();
    for t in &tried {
        let via = t
            .pointer("/via/address")
            .and_then(Value::as_str)
            .unwrap_or("the proxy");
        let e = t.get("error").cloned().unwrap_or(Value::Null);
        let s = |k: &str| e.get(k).and_then(Value::as_str);
        let line = match s("kind") {
            Some("refused") => {
                let status = e.get("status").and_then(Value::as_u64).unwrap_or(0);
                let reason = s("reason").unwrap_or("");
                if status == 407 {
                    let how = s("authenticate")
                        .map(|a| format!(", Proxy-Authenticate: {a}"))
                        .unwrap_or_default();
                    format!("Proxy {via} wants authentication for CONNECT {target} (HTTP 407{how}); the Zoom app may never show a sign-in prompt. Allow zoom.us and *.zoom.us without authentication, or tell users how to sign in.")
                } else {
                    format!("Proxy {via} refuses CONNECT {target} (HTTP {status} {reason}). Please allow zoom.us and *.zoom.us.")
                }
            }
            Some("socks") => format!(
                "SOCKS proxy {via} refuses {target}: {}.",
                s("message").unwrap_or("refused")
            ),
            Some("connect" | "lookup" | "no_answer") => {
                format!("Proxy {via}, set on this computer, does not answer.")
            }
            Some("garbage") => format!("Proxy {via} gives a malformed answer to CONNECT {target}."),
            _ => continue,
        };
        items.push(line);
    }
    if items.len() == before {
        items.push(format!("Proxy: {}", f.summary));
    }
}
