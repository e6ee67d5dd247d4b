use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let value = values.next().map(|(_, v)| v.as_str());
        assert!(values.next().is_none(), "{name} appears twice");
        value
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    fn date(&self) -> SystemTime {
        httpdate::parse_http_date(self.header("date").expect("a Date header")).unwrap()
    }
}

fn parse(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of head");
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
    let status = status_line[9..12].parse().unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(": ").expect("name: value");
            (n.to_owned(), v.to_owned())
        })
        .collect();
    Response {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    }
}

/// Sends raw bytes, reads to EOF, and checks the framing every response must have.
pub async fn exchange(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("the server closes the connection")
        .unwrap();
    let response = parse(&raw);
    assert_eq!(response.header("connection"), Some("close"));
    let length: usize = response
        .header("content-length")
        .expect("Content-Length")
        .parse()
        .unwrap();
    assert_eq!(length, response.body.len());
    response
}

pub async fn get(addr: SocketAddr, path: &str) -> Response {
    exchange(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: lab.test\r\nUser-Agent: md-lab-test\r\n\r\n")
            .as_bytes(),
    )
    .await
}

fn assert_about(date: SystemTime, expected: SystemTime) {
    let delta = match date.duration_since(expected) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    assert!(
        delta < Duration::from_secs(5),
        "{date:?} is not about {expected:?}"
    );
}

#[tokio::test]
async fn generate_204_and_ok() {
    let lab = crate::lab().await;
    let r = get(lab.http, "/generate_204").await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-length"), Some("0"));
    assert_about(r.date(), SystemTime::now());

    let r = get(lab.http, "/ok").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "ok\n");
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert_about(r.date(), SystemTime::now());

    let counters = lab.counters().http;
    assert_eq!(counters.requests, 2);
    assert_eq!(counters.route("/generate_204"), 1);
    assert_eq!(counters.route("/ok"), 1);
}

#[tokio::test]
async fn captive_portal_redirect_and_page() {
    let lab = crate::lab().await;
    let r = get(lab.http, "/portal").await;
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("location"),
        Some("http://login.lab.test/portal?continue=generate_204")
    );
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("<html>"));

    let r = get(lab.http, "/portal-page").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("<title>Guest Wi-Fi login</title>"));
    assert!(r.text().contains("<form"));
}

#[tokio::test]
async fn date_skew_and_no_date() {
    let lab = crate::lab().await;
    let r = get(lab.http, "/date-skew/-7200").await;
    assert_eq!((r.status, r.text()), (200, "ok\n"));
    assert_about(r.date(), SystemTime::now() - Duration::from_secs(7200));
    let r = get(lab.http, "/date-skew/86400").await;
    assert_about(r.date(), SystemTime::now() + Duration::from_secs(86400));
    assert_eq!(get(lab.http, "/date-skew/soon").await.status, 400);

    let r = get(lab.http, "/no-date").await;
    assert_eq!((r.status, r.text()), (200, "ok\n"));
    assert_eq!(r.header("date"), None);
    assert_eq!(lab.counters().http.route("/date-skew"), 3);
}

fn component_status<'a>(summary: &'a Value, name: &str) -> Option<&'a str> {
    summary["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .map(|c| c["status"].as_str().unwrap())
}

async fn summary(lab: &md_lab::Lab, name: &str) -> Value {
    let r = get(lab.http, &format!("/status/{name}")).await;
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    serde_json::from_slice(&r.body).unwrap()
}

#[tokio::test]
async fn statuspage_summaries() {
    let lab = crate::lab().await;

    let ok = summary(&lab, "ok").await;
    assert_eq!(ok["status"]["indicator"], "none");
    assert_eq!(ok["page"]["name"], "Zoom");
    for c in ["Zoom Meetings", "Zoom Phone", "Zoom Website"] {
        assert_eq!(component_status(&ok, c), Some("operational"));
    }
    assert_eq!(ok["incidents"].as_array().unwrap().len(), 0);
    assert_eq!(ok["scheduled_maintenances"].as_array().unwrap().len(), 0);
    for field in [
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "position",
        "description",
        "group",
        "only_show_if_degraded",
    ] {
        assert!(
            ok["components"][0].get(field).is_some(),
            "component field {field}"
        );
    }

    let outage = summary(&lab, "outage").await;
    assert_eq!(outage["status"]["indicator"], "major");
    assert_eq!(
        component_status(&outage, "Zoom Meetings"),
        Some("major_outage")
    );
    assert_eq!(component_status(&outage, "Zoom Phone"), Some("operational"));
    let incidents = outage["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0]["name"], "Meetings unavailable");
    assert_eq!(incidents[0]["status"], "investigating");
    assert_eq!(incidents[0]["impact"], "major");
    assert_eq!(incidents[0]["shortlink"], "https://stspg.io/lab");
    assert_eq!(incidents[0]["components"][0]["name"], "Zoom Meetings");

    let degraded = summary(&lab, "degraded").await;
    assert_eq!(degraded["status"]["indicator"], "minor");
    assert_eq!(
        component_status(&degraded, "Zoom Meetings"),
        Some("degraded_performance")
    );
    let incidents = degraded["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(
        (
            incidents[0]["status"].as_str(),
            incidents[0]["impact"].as_str()
        ),
        (Some("identified"), Some("minor"))
    );

    let none = summary(&lab, "nocomponent").await;
    assert_eq!(none["status"]["indicator"], "none");
    assert_eq!(component_status(&none, "Zoom Meetings"), None);
    assert_eq!(component_status(&none, "Zoom Phone"), Some("operational"));

    let r = get(lab.http, "/status/garbage").await;
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(r.text(), r#"{"page": not json"#);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());

    assert_eq!(get(lab.http, "/status/unknown").await.status, 404);
    assert_eq!(lab.counters().http.route("/status"), 6);
}

#[tokio::test]
async fn download_and_upload() {
    let lab = crate::lab().await;
    let r = get(lab.http, "/download?bytes=200000").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert_eq!(r.body.len(), 200_000);
    let r = get(lab.http, "/download?bytes=0").await;
    assert_eq!((r.status, r.body.len()), (200, 0));
    assert_eq!(get(lab.http, "/download").await.status, 400);
    assert_eq!(get(lab.http, "/download?bytes=-1").await.status, 400);

    let body = vec![b'u'; 100_000];
    let mut request = format!(
        "POST /upload HTTP/1.1\r\nHost: lab.test\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let r = exchange(lab.http, &request).await;
    assert_eq!((r.status, r.text()), (200, "received 100000\n"));

    let chunked = b"POST /upload HTTP/1.1\r\nHost: lab.test\r\nTransfer-Encoding: chunked\r\n\r\n\
                    5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n";
    let r = exchange(lab.http, chunked).await;
    assert_eq!((r.status, r.text()), (200, "received 31\n"));

    let r = exchange(
        lab.http,
        b"POST /upload HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    )
    .await;
    assert_eq!(r.status, 400);
    let counters = lab.counters().http;
    assert_eq!(counters.route("/download"), 4);
    assert_eq!(counters.route("/upload"), 2);
    assert_eq!(counters.route("400"), 1);
}

#[tokio::test]
async fn download_is_capped_at_256_mib() {
    let lab = crate::lab().await;
    let mut stream = TcpStream::connect(lab.http).await.unwrap();
    stream
        .write_all(b"GET /download?bytes=999999999999 HTTP/1.1\r\nHost: lab.test\r\n\r\n")
        .await
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    assert!(head.contains("\r\nContent-Length: 268435456\r\n"), "{head}");
}

#[tokio::test]
async fn slow_download_is_paced() {
    let lab = crate::lab().await;
    let start = Instant::now();
    // 80 kbit/s is 10 000 bytes/s: 6 000 bytes take about 0.6 s.
    let r = get(lab.http, "/slow-download?bytes=6000&kbps=80").await;
    let elapsed = start.elapsed();
    assert_eq!((r.status, r.body.len()), (200, 6000));
    assert!(
        elapsed >= Duration::from_millis(450),
        "too fast: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(5), "too slow: {elapsed:?}");
    assert_eq!(get(lab.http, "/slow-download?bytes=10").await.status, 400);
    assert_eq!(
        get(lab.http, "/slow-download?bytes=10&kbps=0").await.status,
        400
    );
}

#[tokio::test]
async fn garbage_and_unknown_routes() {
    let lab = crate::lab().await;
    assert_eq!(get(lab.http, "/nope").await.status, 404);
    assert_eq!(
        exchange(
            lab.http,
            b"POST /ok HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"
        )
        .await
        .status,
        404
    );
    assert_eq!(
        exchange(
            lab.http,
            b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n"
        )
        .await
        .status,
        400
    );
    assert_eq!(exchange(lab.http, b"HELLO\r\n\r\n").await.status, 400);
    assert_eq!(
        exchange(lab.http, b"GET /ok HTTP/1.1\r\nBroken header\r\n\r\n")
            .await
            .status,
        400
    );
    // A head over 16 KiB.
    let mut huge = b"GET /ok HTTP/1.1\r\nX-Big: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 20 * 1024));
    huge.extend_from_slice(b"\r\n\r\n");
    let r = exchange(lab.http, &huge).await;
    assert_eq!(r.status, 400);
    // Absolute-form targets (as sent to a proxy) work too.
    let r = exchange(
        lab.http,
        b"GET http://lab.test/ok HTTP/1.1\r\nHost: lab.test\r\n\r\n",
    )
    .await;
    assert_eq!((r.status, r.text()), (200, "ok\n"));
    let counters = lab.counters().http;
    assert_eq!(counters.route("404"), 2);
    assert_eq!(counters.route("400"), 4);
    assert_eq!(counters.requests, 7);
}

#[tokio::test]
async fn a_connection_closed_without_request_is_not_counted() {
    let lab = crate::lab().await;
    drop(TcpStream::connect(lab.http).await.unwrap());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(lab.counters().http.requests, 0);
    assert_eq!(get(lab.http, "/ok").await.status, 200);
}
