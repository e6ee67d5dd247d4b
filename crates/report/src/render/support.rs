//! Support details: the facts a technician needs, one line each.

use super::*;

pub(super) fn check<'a>(r: &'a Report, id: &str) -> Option<&'a Finding> {
    r.checks.iter().find(|c| c.id == id)
}

pub(super) fn ev<'a>(f: &'a Finding, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(&f.evidence, |v, k| v.get(k))
}

pub(super) fn ev_str<'a>(f: &'a Finding, path: &[&str]) -> Option<&'a str> {
    ev(f, path).and_then(Value::as_str)
}

pub(super) fn os_name(os: Os) -> &'static str {
    match os {
        Os::Windows => "Windows",
        Os::Macos => "macOS",
        Os::Linux => "Linux",
    }
}

/// The facts a help desk asks for first, as (label, value) rows.
pub(super) fn support_details(
    r: &Report,
    identity: bool,
    comparison: Option<&Comparison>,
) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let s = &r.system;
    let os = match s.os_version.as_deref().filter(|v| !v.trim().is_empty()) {
        Some(v) => format!("{v}, {}", s.arch),
        None => format!("{}, {}", os_name(s.os), s.arch),
    };
    rows.push(("Operating system", os));
    if identity {
        if let Some(h) = s.host_name.as_deref().filter(|h| !h.is_empty()) {
            rows.push(("Computer name", h.to_string()));
        }
        if let Some(u) = s.user.as_deref().filter(|u| !u.is_empty()) {
            rows.push(("User", u.to_string()));
        }
    }
    rows.push(("Zoom app", zoom_version(r)));
    rows.push(("Network", network(r, true)));
    rows.push(("VPN", vpn(r)));
    rows.push(("Proxy", proxy(r)));
    rows.push(("Security software", security(r)));
    rows.push(("Works on another network", other_network(r, comparison)));
    let code = r.diagnosis.error_code.clone().or(r.error_code.clone());
    let code = match (code, &r.diagnosis.code_meaning) {
        (Some(_), Some(m)) => m.clone(),
        (Some(c), None) => format!("{c} (not a code Meeting Doctor knows)"),
        (None, _) => "none given".to_string(),
    };
    rows.push(("Zoom error code", code));
    rows
}

pub(super) fn not_checked() -> String {
    "not checked".to_string()
}

pub(super) fn zoom_version(r: &Report) -> String {
    let Some(f) = check(r, "zoom_client") else {
        return not_checked();
    };
    let installed = ev(f, &["install", "installed"]).and_then(Value::as_bool);
    let version = ev_str(f, &["install", "version"]);
    let base = match (version, installed) {
        (Some(v), _) => v.to_string(),
        (None, Some(true)) => "installed (version unknown)".to_string(),
        (None, Some(false)) => "not found".to_string(),
        (None, None) => "couldn't check".to_string(),
    };
    match f.status {
        Status::Warn | Status::Fail => format!("{base}: {}", f.summary),
        _ => base,
    }
}

/// The network type (+ Wi-Fi name; `full`: signal and band too).
pub(super) fn network(r: &Report, full: bool) -> String {
    let Some(f) = check(r, "network_type") else {
        return not_checked();
    };
    let link = |k: &str| ev_str(f, &["link", k]);
    match link("kind") {
        Some("wifi") => {
            let w = |k: &str| ev(f, &["link", "wifi", k]);
            let mut s = match w("ssid").and_then(Value::as_str) {
                Some(name) => format!("Wi-Fi ({name})"),
                None => "Wi-Fi".to_string(),
            };
            if !full {
                return s;
            }
            if let Some(dbm) = w("rssi_dbm").and_then(Value::as_i64) {
                let _ = write!(s, ", signal {dbm} dBm");
            } else if let Some(p) = w("signal_percent").and_then(Value::as_u64) {
                let _ = write!(s, ", signal {p} %");
            }
            if let Some(b) = w("band").and_then(Value::as_str) {
                let _ = write!(s, ", {b}");
            }
            s
        }
        Some("ethernet") => "Ethernet (cable)".to_string(),
        Some("cellular") => "mobile data".to_string(),
        _ => "couldn't tell".to_string(),
    }
}

pub(super) fn vpn(r: &Report) -> String {
    let Some(f) = check(r, "vpn") else {
        return not_checked();
    };
    match ev_str(f, &["interface_kind"]) {
        Some("tunnel" | "ppp") => format!(
            "yes: Zoom's traffic goes through {}",
            ev_str(f, &["route", "interface"]).unwrap_or("a VPN")
        ),
        Some(_) if f.status == Status::Pass => "no".to_string(),
        _ => "couldn't tell".to_string(),
    }
}

pub(super) fn proxy(r: &Report) -> String {
    let Some(f) = check(r, "proxy") else {
        return not_checked();
    };
    let direct = ev(f, &["settings"]).is_some_and(|s| {
        s.get("auto_detect").and_then(Value::as_bool) != Some(true)
            && ["pac_url", "http", "https", "socks"]
                .iter()
                .all(|k| s.get(k).is_none_or(Value::is_null))
    });
    if direct && f.status == Status::Pass {
        "none".to_string()
    } else if f.status == Status::Unknown && ev(f, &["settings"]).is_none() {
        "couldn't check".to_string()
    } else {
        f.summary.clone()
    }
}

pub(super) fn security(r: &Report) -> String {
    let Some(f) = check(r, "security_software") else {
        return not_checked();
    };
    match ev(f, &["products"]).and_then(Value::as_array) {
        Some(list) if !list.is_empty() => list
            .iter()
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        Some(_) => "none found".to_string(),
        None => "couldn't check".to_string(),
    }
}

pub(super) fn other_network(r: &Report, comparison: Option<&Comparison>) -> String {
    let Some(c) = comparison else {
        return "not tested".to_string();
    };
    // Which side of the comparison is this report?
    let this_is_second =
        c.after.generated_at == r.generated_at && c.before.generated_at != r.generated_at;
    let other = if this_is_second { &c.before } else { &c.after };
    let name = other
        .network
        .clone()
        .unwrap_or_else(|| "the other network".to_string());
    let (works_there, fails_here) = match (c.verdict, this_is_second) {
        (Verdict::FirstNetworkBlocks, false) | (Verdict::SecondNetworkBlocks, true) => (true, true),
        (Verdict::FirstNetworkBlocks, true) | (Verdict::SecondNetworkBlocks, false) => {
            (false, false)
        }
        (Verdict::BothFine, _) => (true, false),
        (Verdict::SameOnBoth | Verdict::DifferentProblems, _) => (false, true),
    };
    match (works_there, fails_here, c.verdict) {
        (true, true, _) => format!("yes: Zoom works on {name}, so this network blocks it"),
        (true, false, _) => format!("yes: Zoom works here and on {name}"),
        (false, false, _) => format!("no: {name} has problems this network doesn't"),
        (false, true, Verdict::SameOnBoth) => {
            format!("no: the same problems on {name}, so the cause is this computer (or Zoom)")
        }
        (false, true, _) => format!("no: {name} has problems too, different ones"),
    }
}
