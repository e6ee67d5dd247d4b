//! Checks over HTTP: is there internet, is a sign-in page in the way, is the
//! computer's clock right, and does Zoom's status page report trouble.

use md_model::ids::CheckId;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use md_model::finding::{Finding, Status};
use md_model::profile::HttpUrl;
use md_net::http1;
use md_net::{ms, NetError};
use md_pac::PacProxy;

fn host(url: &HttpUrl) -> String {
    url.0.host_str().unwrap_or_default().to_string()
}

/// `internet`: a plain HTTP request to a well-known page.
pub async fn internet(url: &HttpUrl, via: Option<&PacProxy>, timeout: Duration) -> Finding {
    let id = CheckId::Internet;
    match http1::get_via(&url.0, via, timeout, 4096).await {
        Ok(r) => {
            let ev = json!({ "url": url.to_string(), "status": r.status, "address": r.addr.to_string(), "connect_ms": ms(r.connect), "response_ms": ms(r.round_trip), "via": via });
            let detail = format!(
                "GET {url} → HTTP {} from {} in {} ms",
                r.status,
                r.addr,
                ms(r.connect + r.round_trip)
            );
            let f = match r.status {
                200..=299 => {
                    Finding::new(id, Status::Pass, "This computer can reach the internet.")
                }
                300..=399 => Finding::new(
                    id,
                    Status::Warn,
                    format!(
                        "Something on this network answered for {} and sent us elsewhere{}.",
                        host(url),
                        r.header("location")
                            .map(|l| format!(" ({l})"))
                            .unwrap_or_default()
                    ),
                ),
                s => Finding::new(
                    id,
                    Status::Warn,
                    format!("The internet answered, but with an error (HTTP {s})."),
                ),
            };
            f.detail(detail).evidence(ev)
        }
        Err(e) => {
            let summary = match &e {
                http1::Failure::Lookup(_) => format!(
                    "This computer could not look up {}, so it cannot reach the internet.",
                    host(url)
                ),
                http1::Failure::Connect(_) => match e.net_error() {
                    Some(NetError::Unreachable) => {
                        "This computer is not connected to a network that leads to the internet."
                            .to_string()
                    }
                    Some(NetError::LocalFirewall) => {
                        "A firewall on this computer stopped the connection to the internet."
                            .to_string()
                    }
                    _ => format!(
                        "This computer could not reach the internet ({} {}).",
                        host(url),
                        e.net_error().unwrap_or(NetError::Other).plain()
                    ),
                },
                _ => "The internet connection started but did not answer properly.".to_string(),
            };
            let mut ev = e.evidence();
            ev["url"] = json!(url.to_string());
            Finding::new(id, Status::Fail, summary)
                .detail(e.describe(&host(url)))
                .evidence(ev)
        }
    }
}

/// `captive_portal`: a URL that answers 204 (or a known body) unless a
/// sign-in page intercepts it. Redirects are reported, not followed.
pub async fn captive_portal(
    url: &HttpUrl,
    via: Option<&PacProxy>,
    expected_body: Option<&str>,
    timeout: Duration,
) -> Finding {
    let id = CheckId::CaptivePortal;
    let r = match http1::get_via(&url.0, via, timeout, 16 * 1024).await {
        Ok(r) => r,
        Err(e) => {
            let mut ev = e.evidence();
            ev["url"] = json!(url.to_string());
            return Finding::new(
                id,
                Status::Unknown,
                "Couldn't check for a Wi-Fi sign-in page: the test page did not answer.",
            )
            .detail(e.describe(&host(url)))
            .evidence(ev);
        }
    };
    let body = String::from_utf8_lossy(&r.body).to_string();
    let mut ev =
        json!({ "url": url.to_string(), "status": r.status, "address": r.addr.to_string() });
    let detail = format!(
        "GET {url} → HTTP {} ({} body bytes)",
        r.status,
        r.body.len()
    );
    let expected = match expected_body {
        None => r.status == 204,
        Some(want) => {
            (r.status == 204 && want.is_empty()) || (r.status == 200 && body.trim() == want.trim())
        }
    };
    if expected {
        return Finding::new(id, Status::Pass, "No sign-in page is in the way.")
            .detail(detail)
            .evidence(ev);
    }
    if (300..400).contains(&r.status) {
        let to = r.header("location").unwrap_or("").to_string();
        let where_ = url::Url::parse(&to)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| to.clone());
        ev["redirect_to"] = json!(to);
        return Finding::new(
            id,
            Status::Fail,
            format!(
                "This network wants you to sign in on a web page first{}.",
                if where_.is_empty() {
                    String::new()
                } else {
                    format!(" ({where_})")
                }
            ),
        )
        .detail(format!("{detail}; redirected to {to}"))
        .evidence(ev);
    }
    if r.status == 200 {
        let title = html_title(&body);
        ev["page_title"] = json!(title);
        ev["body_start"] = json!(body.chars().take(200).collect::<String>());
        return Finding::new(id, Status::Fail, match &title {
            Some(t) => format!("This network showed a sign-in page (\"{t}\") instead of the test page."),
            None => "This network showed a different page instead of the test page, probably a sign-in page.".to_string(),
        })
        .detail(detail)
        .evidence(ev);
    }
    Finding::new(id, Status::Warn, format!("The test page answered in an unexpected way (HTTP {}); something on this network is changing web traffic.", r.status))
        .detail(detail)
        .evidence(ev)
}

/// The page's title as a browser shows it: runs of white space (line
/// breaks and tabs included) as one space, at most 80 characters.
fn html_title(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let start = lower.find("<title>")? + 7;
    let end = start + lower[start..].find("</title>")?;
    let t = body
        .get(start..end)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then(|| t.chars().take(80).collect())
}

// Clock skew limits. Kerberos' default maximum tolerance is 5 minutes
// (Microsoft, "Maximum tolerance for computer clock synchronization"), the
// usual bound for time-checked sign-ins; certificates fail only when the
// clock is outside their validity, so the TLS check reports that directly.
const CLOCK_WARN_S: f64 = 60.0;
const CLOCK_FAIL_S: f64 = 300.0;

/// `clock`: offset from a web server's `Date` header, corrected by half the
/// round trip. `Date` has one-second resolution, so the estimate uses the
/// middle of that second and carries ±(0.5 s + RTT/2).
pub async fn clock(url: &HttpUrl, via: Option<&PacProxy>, timeout: Duration) -> Finding {
    let id = CheckId::Clock;
    let r = match http1::get_via(&url.0, via, timeout, 0).await {
        Ok(r) => r,
        Err(e) => {
            return Finding::new(
                id,
                Status::Unknown,
                "Couldn't check the computer's clock: the time server did not answer.",
            )
            .detail(e.describe(&host(url)))
            .evidence(e.evidence());
        }
    };
    let Some(date) = r.header("date") else {
        return Finding::new(
            id,
            Status::Unknown,
            "Couldn't check the computer's clock: the server did not say what time it is.",
        )
        .detail(format!(
            "GET {url} → HTTP {} without a Date header",
            r.status
        ))
        .evidence(json!({ "url": url.to_string(), "status": r.status }));
    };
    let Ok(server) = httpdate::parse_http_date(date) else {
        return Finding::new(
            id,
            Status::Unknown,
            "Couldn't check the computer's clock: the server's time was unreadable.",
        )
        .detail(format!("unparseable Date header {date:?}"))
        .evidence(json!({ "url": url.to_string(), "date": date }));
    };
    let offset = clock_offset(server, r.sent_at, r.round_trip);
    let uncertainty = 0.5 + r.round_trip.as_secs_f64() / 2.0;
    let abs = offset.abs();
    let ev = json!({
        "url": url.to_string(), "server_date": date, "offset_s": (offset * 10.0).round() / 10.0,
        "uncertainty_s": (uncertainty * 100.0).round() / 100.0, "round_trip_ms": ms(r.round_trip),
        "warn_above_s": CLOCK_WARN_S, "fail_above_s": CLOCK_FAIL_S,
    });
    let detail = format!(
        "server Date {date}; offset {:+.1} s ± {:.2} s (local clock {} the server); limits: warn > {CLOCK_WARN_S} s, fail > {CLOCK_FAIL_S} s",
        offset, uncertainty, if offset > 0.0 { "behind" } else { "ahead of" }
    );
    let way = if offset > 0.0 { "behind" } else { "ahead" };
    let (status, summary) = if abs - uncertainty <= CLOCK_WARN_S {
        (Status::Pass, "The computer's clock is right.".to_string())
    } else if abs - uncertainty <= CLOCK_FAIL_S {
        (
            Status::Warn,
            format!(
                "The computer's clock is {} {way}; signing in can fail.",
                human_secs(abs)
            ),
        )
    } else {
        (
            Status::Fail,
            format!(
                "The computer's clock is {} {way}; secure connections and sign-in can fail.",
                human_secs(abs)
            ),
        )
    };
    Finding::new(id, status, summary)
        .detail(detail)
        .evidence(ev)
}

/// Seconds the local clock is behind the server (negative: ahead).
pub fn clock_offset(server_date: SystemTime, sent_at: SystemTime, round_trip: Duration) -> f64 {
    let server_mid = secs(server_date) + 0.5;
    let local_mid = secs(sent_at) + round_trip.as_secs_f64() / 2.0;
    server_mid - local_mid
}

fn secs(t: SystemTime) -> f64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

pub fn human_secs(s: f64) -> String {
    let s = s.abs();
    // Switch units at one and a half of the larger one, so 7199 s is "2 hours".
    let (n, unit) = if s < 90.0 {
        (s.round(), "second")
    } else if s < 5400.0 {
        ((s / 60.0).round(), "minute")
    } else if s < 129_600.0 {
        ((s / 3600.0).round(), "hour")
    } else {
        ((s / 86400.0).round(), "day")
    };
    format!("{n} {unit}{}", if n == 1.0 { "" } else { "s" })
}

/// Largest status page read. Zoom's `summary.json` is some tens of KiB;
/// anything past this is not a status page, and must not fill the memory.
pub const STATUS_PAGE_CAP: usize = 2 * 1024 * 1024;

/// `service_status`: the Statuspage `summary.json`. The "Zoom Meetings"
/// component and open incidents decide; unreachable is `unknown`, never `fail`.
/// The whole exchange has `timeout`, and at most [`STATUS_PAGE_CAP`] bytes
/// of body are read.
pub async fn service_status(http: &reqwest::Client, url: &HttpUrl, timeout: Duration) -> Finding {
    let too_big = || {
        format!(
            "the answer is larger than {} MiB, too large for a status page",
            STATUS_PAGE_CAP / (1024 * 1024)
        )
    };
    let fetched = async {
        let mut resp = http.get(url.0.clone()).send().await?;
        let status = resp.status();
        if !status.is_success() {
            return Ok(Err(format!("HTTP {status}")));
        }
        if resp
            .content_length()
            .is_some_and(|n| n > STATUS_PAGE_CAP as u64)
        {
            return Ok(Err(too_big()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await? {
            if body.len() + chunk.len() > STATUS_PAGE_CAP {
                return Ok(Err(too_big()));
            }
            body.extend_from_slice(&chunk);
        }
        Ok::<_, reqwest::Error>(Ok(body))
    };
    let bytes = match tokio::time::timeout(timeout, fetched).await {
        Err(_) => return unknown_status(url, "no answer in time".into()),
        Ok(Err(e)) => return unknown_status(url, error_chain(&e)),
        Ok(Ok(Err(why))) => return unknown_status(url, why),
        Ok(Ok(Ok(body))) => body,
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(doc) => judge_status_page(&doc, url),
        Err(e) => unknown_status(url, format!("not a status document: {e}")),
    }
}

fn unknown_status(url: &HttpUrl, why: String) -> Finding {
    Finding::new(
        CheckId::ServiceStatus,
        Status::Unknown,
        "Couldn't read Zoom's status page, so a Zoom outage is not ruled out.",
    )
    .detail(format!("GET {url}: {why}"))
    .evidence(json!({ "url": url.to_string(), "error": why }))
}

const COMPONENT: &str = "Zoom Meetings";

/// Reads a Statuspage v2 summary.
pub fn judge_status_page(doc: &Value, url: &HttpUrl) -> Finding {
    let id = CheckId::ServiceStatus;
    let Some(components) = doc.get("components").and_then(Value::as_array) else {
        return unknown_status(url, "no \"components\" list".into());
    };
    let component = components
        .iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(COMPONENT));
    let component_status = component
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str);
    let indicator = doc.pointer("/status/indicator").and_then(Value::as_str);
    let open: Vec<&Value> = doc
        .get("incidents")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter(|i| {
                    !matches!(
                        i.get("status").and_then(Value::as_str),
                        Some("resolved" | "postmortem" | "completed")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let incident_names: Vec<&str> = open
        .iter()
        .filter_map(|i| i.get("name").and_then(Value::as_str))
        .collect();
    let ev = json!({
        "url": url.to_string(), "component": COMPONENT, "component_status": component_status,
        "indicator": indicator, "open_incidents": incident_names,
        "incident_links": open.iter().filter_map(|i| i.get("shortlink").and_then(Value::as_str)).collect::<Vec<_>>(),
    });
    let detail = format!(
        "{COMPONENT}: {}; page indicator: {}; open incidents: {}",
        component_status.unwrap_or("not listed"),
        indicator.unwrap_or("none given"),
        if incident_names.is_empty() {
            "none".to_string()
        } else {
            incident_names.join("; ")
        }
    );
    let incident_note = incident_names
        .first()
        .map(|n| format!(" Zoom reports: \"{n}\"."))
        .unwrap_or_default();
    let (status, summary) = match component_status {
        Some("operational") if open.is_empty() => (Status::Pass, "Zoom reports no problems with meetings.".to_string()),
        Some("operational") => (Status::Warn, format!("Zoom meetings are running, but Zoom is working on a problem.{incident_note}")),
        Some("major_outage") => (Status::Fail, format!("Zoom meetings are down for many people right now; this is not your computer.{incident_note}")),
        Some("partial_outage") => (Status::Fail, format!("Zoom meetings are partly down right now.{incident_note}")),
        Some("degraded_performance") => (Status::Warn, format!("Zoom meetings are slower than usual right now.{incident_note}")),
        Some("under_maintenance") => (Status::Warn, format!("Zoom meetings are under maintenance right now.{incident_note}")),
        Some(other) => (Status::Unknown, format!("Zoom's status page says \"{other}\" for meetings.")),
        None => match indicator {
            Some("none") if open.is_empty() => (Status::Pass, "Zoom reports no problems.".to_string()),
            Some("major" | "critical") => (Status::Fail, format!("Zoom reports a major problem right now.{incident_note}")),
            Some("minor") => (Status::Warn, format!("Zoom reports a minor problem right now.{incident_note}")),
            _ if !open.is_empty() => (Status::Warn, format!("Zoom is working on a problem.{incident_note}")),
            _ => return unknown_status(url, format!("no \"{COMPONENT}\" component and no overall indicator")),
        },
    };
    Finding::new(id, status, summary)
        .detail(detail)
        .evidence(ev)
}

/// An error with its causes, for detail text.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let cs = c.to_string();
        if !s.contains(&cs) {
            s.push_str(": ");
            s.push_str(&cs);
        }
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> HttpUrl {
        HttpUrl(url::Url::parse("https://status.example/api/v2/summary.json").unwrap())
    }

    #[test]
    fn clock_offset_uses_midpoints() {
        let sent = SystemTime::UNIX_EPOCH + Duration::from_secs(10_000);
        // Server said 1000 s (i.e. 1000.0–1000.999), RTT 200 ms → ~+0.4 s.
        let o = clock_offset(
            SystemTime::UNIX_EPOCH + Duration::from_secs(10_000),
            sent,
            Duration::from_millis(200),
        );
        assert!((o - 0.4).abs() < 1e-9, "{o}");
        let o = clock_offset(
            SystemTime::UNIX_EPOCH + Duration::from_secs(10_000 - 7200),
            sent,
            Duration::ZERO,
        );
        assert!((o + 7199.5).abs() < 1e-9, "{o}");
    }

    #[test]
    fn status_page_table() {
        let page = |comp: Option<&str>, indicator: &str, incidents: Value| {
            let mut components = vec![json!({"name": "Zoom Phone", "status": "major_outage"})];
            if let Some(c) = comp {
                components.push(json!({"name": "Zoom Meetings", "status": c}));
            }
            json!({"status": {"indicator": indicator}, "components": components, "incidents": incidents})
        };
        let open = json!([{"name": "Meetings unavailable", "status": "investigating"}]);
        let resolved = json!([{"name": "Old", "status": "resolved"}]);
        let cases = [
            (page(Some("operational"), "none", json!([])), Status::Pass),
            (
                page(Some("operational"), "minor", resolved.clone()),
                Status::Pass,
            ),
            (
                page(Some("operational"), "minor", open.clone()),
                Status::Warn,
            ),
            (
                page(Some("degraded_performance"), "minor", open.clone()),
                Status::Warn,
            ),
            (
                page(Some("partial_outage"), "major", open.clone()),
                Status::Fail,
            ),
            (
                page(Some("major_outage"), "major", open.clone()),
                Status::Fail,
            ),
            (
                page(Some("under_maintenance"), "maintenance", json!([])),
                Status::Warn,
            ),
            (page(None, "none", json!([])), Status::Pass),
            (page(None, "critical", open.clone()), Status::Fail),
            (page(None, "weird", json!([])), Status::Unknown),
            (json!({"page": {}}), Status::Unknown),
            (json!([1, 2]), Status::Unknown),
        ];
        for (doc, want) in cases {
            let f = judge_status_page(&doc, &url());
            assert_eq!(f.status, want, "{doc}: {}", f.summary);
        }
        let f = judge_status_page(&page(Some("major_outage"), "major", open), &url());
        assert!(f.summary.contains("Meetings unavailable"), "{}", f.summary);
    }

    #[test]
    fn titles_and_durations_for_people() {
        assert_eq!(
            html_title("<html><TITLE> Guest Wi-Fi login </TITLE>").as_deref(),
            Some("Guest Wi-Fi login")
        );
        assert_eq!(html_title("<title></title>"), None);
        assert_eq!(
            html_title("<title>\n  Hotel\r\n\tGuest   Wi-Fi\n</title>").as_deref(),
            Some("Hotel Guest Wi-Fi")
        );
        assert_eq!(html_title("<title>never closed"), None);
        assert_eq!(human_secs(7200.0), "2 hours");
        assert_eq!(human_secs(-89.0), "89 seconds");
        assert_eq!(human_secs(7199.6), "2 hours");
        assert_eq!(human_secs(3600.0), "60 minutes");
        assert_eq!(human_secs(1.0), "1 second");
        assert_eq!(human_secs(86400.0 * 3.0), "3 days");
        assert_eq!(human_secs(400.0), "7 minutes");
    }
}
