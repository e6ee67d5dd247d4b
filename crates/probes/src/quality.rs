//! `latency`, `jitter`, `loss` (repeated TCP connects to a Zoom 443 target
//! and a burst of STUN requests) and `bandwidth` (a timed, capped download
//! and upload).

use md_model::ids::CheckId;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::net::UdpSocket;

use md_model::finding::{Finding, Status};
use md_model::profile::{HttpUrl, PortTarget};
use md_net::stun;
use md_net::{self as net, ms};

// Thresholds, with where they come from:
// - latency (round trip): ITU-T G.114 prefers one-way delay under 150 ms and
//   calls over 400 ms unacceptable for planning; we hold the round trip to
//   those figures, which is stricter.
// - jitter: BlueJeans/Dolby conferencing guidance — variation over 40 ms
//   degrades video; Vidyo's "workable" limit is 100 ms.
// - loss: Vidyo's guidance — under 1 % is fine, over 5 % is bad.
pub const LATENCY_WARN_MS: f64 = 150.0;
pub const LATENCY_FAIL_MS: f64 = 400.0;
pub const JITTER_WARN_MS: f64 = 40.0;
pub const JITTER_FAIL_MS: f64 = 100.0;
pub const LOSS_WARN_PCT: f64 = 1.0;
pub const LOSS_FAIL_PCT: f64 = 5.0;

const TCP_SAMPLES: usize = 10;
const TCP_SPACING: Duration = Duration::from_millis(40);
const STUN_PACKETS: usize = 20;
const STUN_SPACING: Duration = Duration::from_millis(20);

/// Round-trip times of repeated TCP connects; stops at the first failure.
async fn tcp_samples(addrs: &[SocketAddr], step: Duration) -> (Vec<f64>, Option<String>) {
    let mut out = Vec::with_capacity(TCP_SAMPLES);
    for i in 0..TCP_SAMPLES {
        if i > 0 {
            tokio::time::sleep(TCP_SPACING).await;
        }
        let (stream, attempts) = net::connect_any(&addrs[..1], step).await;
        match (stream, attempts.last()) {
            (Some(_), Some(a)) => out.push(ms(a.outcome.unwrap_or_default())),
            (_, a) => {
                return (
                    out,
                    Some(
                        a.and_then(|a| a.error.clone())
                            .unwrap_or_else(|| "failed".into()),
                    ),
                )
            }
        }
    }
    (out, None)
}

/// Sends `STUN_PACKETS` Binding Requests, each with its own transaction id,
/// and collects the round trips of those answered.
async fn stun_burst(addr: SocketAddr, budget: Duration) -> Result<(usize, Vec<f64>), String> {
    let bind: SocketAddr = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    }
    .parse()
    .map_err(|_| "bind address")?;
    let sock = UdpSocket::bind(bind).await.map_err(|e| e.to_string())?;
    sock.connect(addr).await.map_err(|e| e.to_string())?;
    let deadline = Instant::now() + budget;
    let mut pending: HashMap<stun::TransactionId, Instant> = HashMap::new();
    let mut rtts = Vec::new();
    let mut sent = 0;
    let mut buf = [0u8; 1500];
    let mut next_send = Instant::now();
    let mut max_rtt = Duration::ZERO;
    loop {
        let now = Instant::now();
        if sent < STUN_PACKETS && now >= next_send {
            let txid = stun::new_transaction_id();
            if let Err(e) = sock.send(&stun::binding_request(&txid)).await {
                if rtts.is_empty() {
                    return Err(e.to_string());
                }
            }
            pending.insert(txid, Instant::now());
            sent += 1;
            next_send += STUN_SPACING;
            continue;
        }
        // After the last send, wait for stragglers: 4× the slowest answer, at least 300 ms.
        let linger = (max_rtt * 4).max(Duration::from_millis(300));
        let until = if sent < STUN_PACKETS {
            next_send
        } else {
            (next_send + linger).min(deadline)
        };
        let until = until.min(deadline);
        if pending.is_empty() && sent == STUN_PACKETS
            || Instant::now() >= deadline
            || (sent == STUN_PACKETS && Instant::now() >= until)
        {
            break;
        }
        match tokio::time::timeout(
            until.saturating_duration_since(Instant::now()),
            net::recv_datagram(&sock, &mut buf),
        )
        .await
        {
            Err(_) => continue,
            Ok(Err(e)) => {
                if rtts.is_empty() && sent >= STUN_PACKETS {
                    return Err(e.to_string());
                }
                continue;
            }
            Ok(Ok(n)) => {
                if n < 20 {
                    continue;
                }
                let mut txid = [0u8; 12];
                txid.copy_from_slice(&buf[8..20]);
                if let Some(at) = pending.remove(&txid) {
                    if stun::parse_binding_response(&buf[..n], &txid).is_ok() {
                        let rtt = at.elapsed();
                        max_rtt = max_rtt.max(rtt);
                        rtts.push(ms(rtt));
                    }
                }
            }
        }
    }
    Ok((sent, rtts))
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Mean absolute difference between consecutive samples (RFC 3550's idea,
/// without its smoothing).
pub fn jitter(v: &[f64]) -> Option<f64> {
    (v.len() >= 2)
        .then(|| v.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (v.len() - 1) as f64)
}

/// A measurement rounded for a person: whole above 10, one decimal below.
pub fn round_for_people(v: f64) -> f64 {
    if v.abs() >= 10.0 {
        v.round()
    } else {
        (v * 10.0).round() / 10.0
    }
}

fn rate(value: f64, warn: f64, fail: f64) -> Status {
    if value > fail {
        Status::Fail
    } else if value > warn {
        Status::Warn
    } else {
        Status::Pass
    }
}

/// Measures and returns `latency`, `jitter` and `loss`.
pub async fn check(
    tcp: Option<&PortTarget>,
    udp: Option<&PortTarget>,
    step: Duration,
) -> Vec<Finding> {
    let tcp_part = async {
        let t = tcp?;
        let host = t.host.as_ref()?;
        Some(match net::resolve_system(&host.0, t.port.0, step).await {
            Ok(addrs) => (
                format!("{}:{}", host, t.port.0),
                Ok(tcp_samples(&addrs, step).await),
            ),
            Err(e) => (format!("{}:{}", host, t.port.0), Err(e.to_string())),
        })
    };
    let udp_part = async {
        let t = udp?;
        let host = t.host.as_ref()?;
        Some(match net::resolve_system(&host.0, t.port.0, step).await {
            Ok(addrs) => (
                format!("{}:{}", host, t.port.0),
                stun_burst(addrs[0], step).await,
            ),
            Err(e) => (format!("{}:{}", host, t.port.0), Err(e.to_string())),
        })
    };
    let (tcp_r, udp_r) = tokio::join!(tcp_part, udp_part);

    // latency
    let latency = match &tcp_r {
        None => Finding::new(
            CheckId::Latency,
            Status::Unknown,
            "Couldn't measure the delay: no Zoom server to time.",
        )
        .detail("the profile has no [[tcp]] target with a host"),
        Some((target, Ok((samples, err)))) if !samples.is_empty() => {
            let m = median(samples);
            let status = rate(m, LATENCY_WARN_MS, LATENCY_FAIL_MS);
            let summary = match status {
                Status::Pass => format!("The delay to Zoom is low ({} ms).", round_for_people(m)),
                Status::Warn => format!(
                    "The delay to Zoom is high ({} ms); people may talk over each other.",
                    round_for_people(m)
                ),
                _ => format!(
                    "The delay to Zoom is very high ({} ms); calls will lag badly.",
                    round_for_people(m)
                ),
            };
            Finding::new(CheckId::Latency, status, summary)
                .detail(format!("median TCP connect time to {target} over {} samples: {m} ms (good ≤ {LATENCY_WARN_MS} ms, lower is better){}", samples.len(), err.as_ref().map(|e| format!("; stopped early: {e}")).unwrap_or_default()))
                .evidence(json!({ "target": target, "median_ms": m, "samples_ms": samples, "warn_above_ms": LATENCY_WARN_MS, "fail_above_ms": LATENCY_FAIL_MS }))
        }
        Some((target, Ok((_, err)))) => Finding::new(
            CheckId::Latency,
            Status::Unknown,
            "Couldn't measure the delay: Zoom's server did not accept a connection.",
        )
        .detail(format!("{target}: {}", err.clone().unwrap_or_default()))
        .evidence(json!({ "target": target })),
        Some((target, Err(e))) => Finding::new(
            CheckId::Latency,
            Status::Unknown,
            "Couldn't measure the delay: Zoom's server could not be looked up.",
        )
        .detail(format!("{target}: {e}"))
        .evidence(json!({ "target": target })),
    };

    // loss and jitter (jitter prefers the UDP samples: that is how media travels)
    let (loss, udp_rtts) = match &udp_r {
        None => (Finding::new(CheckId::Loss, Status::Unknown, "Couldn't measure lost packets: no test server for audio and video traffic.").detail("the profile has no [[udp]] target with a host"), None),
        Some((target, Ok((sent, rtts)))) if !rtts.is_empty() => {
            let lost = sent - rtts.len();
            let pct = 100.0 * lost as f64 / *sent as f64;
            let status = rate(pct, LOSS_WARN_PCT, LOSS_FAIL_PCT);
            let summary = match status {
                Status::Pass if lost == 0 => "No packets were lost.".to_string(),
                Status::Pass => format!("Very few packets were lost ({pct:.0} %)."),
                Status::Warn => format!("Some packets are lost ({pct:.0} %); sound may break up."),
                _ => format!("Many packets are lost ({pct:.0} %); sound and video will break up."),
            };
            (
                Finding::new(CheckId::Loss, status, summary)
                    .detail(format!("{} of {sent} STUN requests to {target} answered; loss {pct:.1} % (good < {LOSS_WARN_PCT} %, lower is better)", rtts.len()))
                    .evidence(json!({ "target": target, "sent": sent, "received": rtts.len(), "loss_pct": pct, "warn_above_pct": LOSS_WARN_PCT, "fail_above_pct": LOSS_FAIL_PCT })),
                Some((target.clone(), rtts.clone())),
            )
        }
        Some((target, r)) => (
            Finding::new(CheckId::Loss, Status::Unknown, "Couldn't measure lost packets: the audio and video test server did not answer at all.")
                .detail(format!("{target}: {}", match r { Ok((sent, _)) => format!("0 of {sent} STUN requests answered (see the UDP checks)"), Err(e) => e.clone() }))
                .evidence(json!({ "target": target })),
            None,
        ),
    };
    let tcp_samples = match &tcp_r {
        Some((target, Ok((s, _)))) => Some((target.clone(), s.clone())),
        _ => None,
    };
    let jitter_f = match udp_rtts
        .as_ref()
        .filter(|(_, s)| s.len() >= 2)
        .map(|(t, s)| (t, s, "STUN round trips"))
        .or_else(|| {
            tcp_samples
                .as_ref()
                .filter(|(_, s)| s.len() >= 2)
                .map(|(t, s)| (t, s, "TCP connect times"))
        }) {
        Some((target, samples, what)) => {
            let j = jitter(samples).unwrap_or(0.0);
            let j = round_for_people(j);
            let status = rate(j, JITTER_WARN_MS, JITTER_FAIL_MS);
            let summary = match status {
                Status::Pass => format!("The connection is steady (jitter {j} ms)."),
                Status::Warn => {
                    format!("The connection is unsteady (jitter {j} ms); video may stutter.")
                }
                _ => {
                    format!("The connection is very unsteady (jitter {j} ms); calls will stutter.")
                }
            };
            Finding::new(CheckId::Jitter, status, summary)
                .detail(format!("mean change between consecutive {what} to {target}: {j} ms over {} samples (good ≤ {JITTER_WARN_MS} ms, lower is better)", samples.len()))
                .evidence(json!({ "target": target, "jitter_ms": j, "source": what, "samples_ms": samples, "warn_above_ms": JITTER_WARN_MS, "fail_above_ms": JITTER_FAIL_MS }))
        }
        None => Finding::new(
            CheckId::Jitter,
            Status::Unknown,
            "Couldn't measure steadiness: too few answers to compare.",
        )
        .detail("fewer than two round-trip samples from the UDP and TCP targets"),
    };
    vec![latency, jitter_f, loss]
}

// Zoom's published bandwidth figures (system requirements, up/down):
// 600 kbps for high-quality 1:1 video, 1.2 Mbps for 720p 1:1,
// 3.8/3.0 Mbps for 1080p 1:1, 2.6/1.8 Mbps for 720p group video.
const TIERS: &[(&str, f64, f64)] = &[
    ("full-HD (1080p) video", 3.8, 3.0),
    ("HD video in group meetings", 2.6, 1.8),
    ("HD video in one-to-one calls", 1.2, 1.2),
    ("basic video calls", 0.6, 0.6),
];

/// Per direction: stop after this long or this many bytes.
pub const TRANSFER_TIME: Duration = Duration::from_secs(2);
pub const DOWNLOAD_CAP: usize = 25_000_000;
const UPLOAD_SIZES: &[usize] = &[256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

async fn download(
    http: &reqwest::Client,
    url: &HttpUrl,
    step: Duration,
) -> Result<(usize, Duration), String> {
    let mut resp = tokio::time::timeout(step, http.get(url.0.clone()).send())
        .await
        .map_err(|_| "no answer in time".to_string())?
        .map_err(|e| crate::web::error_chain(&e))?;
    if !resp.status().is_success() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let start = Instant::now();
    let mut bytes = 0usize;
    while start.elapsed() < TRANSFER_TIME && bytes < DOWNLOAD_CAP {
        let left = TRANSFER_TIME.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, resp.chunk()).await {
            Err(_) => break,
            Ok(Ok(Some(c))) => bytes += c.len(),
            Ok(Ok(None)) => break,
            Ok(Err(e)) if bytes == 0 => return Err(e.to_string()),
            Ok(Err(_)) => break,
        }
    }
    Ok((bytes, start.elapsed()))
}

async fn upload(
    http: &reqwest::Client,
    url: &HttpUrl,
    step: Duration,
) -> Result<(usize, Duration), String> {
    let start = Instant::now();
    let mut best = None;
    for &size in UPLOAD_SIZES {
        // The first upload also proves the server answers: one step for it;
        // larger ones only while the transfer time lasts.
        let left = match best {
            None => step,
            Some(_) if start.elapsed() > TRANSFER_TIME / 2 => break,
            Some(_) => TRANSFER_TIME.saturating_sub(start.elapsed()),
        };
        let t = Instant::now();
        match tokio::time::timeout(left, http.post(url.0.clone()).body(vec![0u8; size]).send())
            .await
        {
            Ok(Ok(r)) if r.status().is_success() => best = Some((size, t.elapsed())),
            Ok(Ok(r)) => return best.ok_or(format!("HTTP {}", r.status())),
            Ok(Err(e)) => return best.ok_or(crate::web::error_chain(&e)),
            Err(_) => break,
        }
    }
    best.ok_or_else(|| "no upload finished in time".into())
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    let s = d.as_secs_f64().max(1e-6);
    ((bytes as f64 * 8.0 / s / 1e6) * 100.0).round() / 100.0
}

/// `bandwidth`: download (and upload where the profile has a URL).
pub async fn bandwidth(
    http: &reqwest::Client,
    down_url: &HttpUrl,
    up_url: Option<&HttpUrl>,
    step: Duration,
) -> Finding {
    let down = download(http, down_url, step).await;
    // When the download server did not answer, an upload attempt would only
    // spend another step finding out the same.
    let up = match up_url {
        Some(u) if down.is_ok() => Some(upload(http, u, step).await),
        _ => None,
    };
    judge_bandwidth(
        down.map(|(b, d)| mbps(b, d)),
        up.map(|r| r.map(|(b, d)| mbps(b, d))),
    )
}

pub fn judge_bandwidth(down: Result<f64, String>, up: Option<Result<f64, String>>) -> Finding {
    let id = CheckId::Bandwidth;
    let down = match down {
        Ok(d) => d,
        Err(e) => {
            return Finding::new(
                id,
                Status::Unknown,
                "Couldn't measure the connection speed: the test server did not answer.",
            )
            .detail(format!("download: {e}"))
            .evidence(json!({ "error": e }));
        }
    };
    let up_v = up.as_ref().and_then(|u| u.as_ref().ok()).copied();
    // The best tier both measured directions reach.
    let tier = TIERS.iter().position(|(_, need_up, need_down)| {
        down >= *need_down && up_v.is_none_or(|u| u >= *need_up)
    });
    let up_text = match &up {
        None => "upload not measured".to_string(),
        Some(Ok(u)) => format!("upload {u} Mbps"),
        Some(Err(e)) => format!("upload not measured ({e})"),
    };
    let ev = json!({
        "download_mbps": down, "upload_mbps": up_v, "upload_error": up.as_ref().and_then(|u| u.as_ref().err()),
        "zoom_needs_mbps": TIERS.iter().map(|(what, u, d)| json!({ "for": what, "up": u, "down": d })).collect::<Vec<_>>(),
    });
    let detail = format!("download {down} Mbps, {up_text}; Zoom needs 0.6 Mbps each way for basic video, 1.2 for HD one-to-one, 2.6 up / 1.8 down for HD groups (higher is better)");
    let (down_p, up_p) = (round_for_people(down), up_v.map(round_for_people));
    let (status, summary) = match tier {
        // Up to HD one-to-one is enough; basic-only video is a warning.
        Some(i) if i <= 2 => (
            Status::Pass,
            format!(
                "The connection is fast enough for {} ({down_p} Mbps down).",
                TIERS[i].0
            ),
        ),
        Some(i) => (
            Status::Warn,
            format!(
                "The connection is only fast enough for {} ({down_p} Mbps down).",
                TIERS[i].0
            ),
        ),
        None => (
            Status::Fail,
            format!(
                "The connection is too slow for video ({down_p} Mbps down{}).",
                up_p.map(|u| format!(", {u} up")).unwrap_or_default()
            ),
        ),
    };
    Finding::new(id, status, summary)
        .detail(detail)
        .evidence(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(jitter(&[10.0, 20.0, 10.0]), Some(10.0));
        assert_eq!(jitter(&[10.0]), None);
    }

    #[test]
    fn bandwidth_table() {
        let cases = [
            (
                Ok(50.0),
                Some(Ok(20.0)),
                Status::Pass,
                "full-HD (1080p) video (50 Mbps down)",
            ),
            (Ok(2.0), Some(Ok(2.7)), Status::Pass, "group"),
            (Ok(1.5), Some(Ok(1.3)), Status::Pass, "one-to-one"),
            (Ok(0.9), Some(Ok(5.0)), Status::Warn, "basic"),
            (Ok(5.0), Some(Ok(0.9)), Status::Warn, "basic"),
            (Ok(5.0), Some(Ok(0.3)), Status::Fail, "too slow"),
            (Ok(0.2), None, Status::Fail, "too slow"),
            (
                Ok(10.0),
                Some(Err("HTTP 500".into())),
                Status::Pass,
                "fast enough",
            ),
            (Err("refused".into()), None, Status::Unknown, "Couldn't"),
        ];
        for (down, up, want, words) in cases {
            let f = judge_bandwidth(down.clone(), up.clone());
            assert_eq!(f.status, want, "{down:?} {up:?}: {}", f.summary);
            assert!(f.summary.contains(words), "{}", f.summary);
        }
    }
}
