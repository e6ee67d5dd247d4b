//! A small, strict HTTP/1.1 server: one request per connection
//! (`Connection: close`), the routes a connectivity checker meets in the wild
//! (generate_204, captive portals, skewed clocks, a Statuspage API, speed tests).

use std::io;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::stats::HttpStats;
use crate::Ctx;

/// Most a request line plus headers may take.
const MAX_HEAD: usize = 16 * 1024;
/// Most a chunk-size or trailer line may take.
const MAX_LINE: u64 = 4096;
/// Most `/download` and `/slow-download` send.
const MAX_DOWNLOAD: u64 = 256 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;
/// How long a client may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest clock skew `/date-skew` accepts (ten years), so dates stay printable.
const MAX_SKEW_SECS: u64 = 10 * 365 * 24 * 3600;
const PORTAL_LOCATION: &str = "http://login.lab.test/portal?continue=generate_204";

pub(crate) fn serve(ctx: &Ctx, listener: TcpListener) -> JoinHandle<()> {
    ctx.accept_each(listener, |stream, ctx| async move {
        serve_connection(stream, &ctx.stats().http).await;
    })
}

/// Answers one request on `stream`, then closes it.
pub(crate) async fn serve_connection<S>(mut stream: S, stats: &HttpStats)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    // Errors mean the client went away: nothing left to do but close.
    let _ = answer(&mut stream, stats).await;
    // Lingering close: stop writing, then drain what the client still sends for
    // a while, so the kernel does not answer unread data with a RST that could
    // destroy the response before the client has read it.
    let _ = stream.shutdown().await;
    let mut sink = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}

async fn answer<S>(stream: &mut S, stats: &HttpStats) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (request, leftover) = match tokio::time::timeout(HEAD_TIMEOUT, read_head(stream)).await {
        Err(_) | Ok(Ok(Head::Closed)) => return Ok(()),
        Ok(Err(e)) => return Err(e),
        Ok(Ok(Head::Bad)) => {
            stats.record("400");
            return Response::bad_request().write(stream).await;
        }
        Ok(Ok(Head::Request(request, leftover))) => (request, leftover),
    };
    let body_len = {
        let mut reader = BufReader::new((&leftover[..]).chain(&mut *stream));
        read_body(&mut reader, &request).await?
    };
    let (route, response) = match body_len {
        Some(body_len) => route(&request, body_len),
        None => ("400", Response::bad_request()),
    };
    stats.record(route);
    response.write(stream).await
}

#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn headers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn query_param(&self, key: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

enum Head {
    /// The client closed (or never sent anything) before a request started.
    Closed,
    /// Not HTTP/1.x, or longer than [`MAX_HEAD`].
    Bad,
    /// A request, and the bytes read after its head (the start of the body).
    Request(Request, Vec<u8>),
}

async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> io::Result<Head> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        // Empty lines before a request line are to be ignored (RFC 9112, 2.2).
        let start = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if let Some(end) = find(&buf[start..], b"\r\n\r\n") {
            let head_end = start + end;
            let rest = buf.split_off(head_end + 4);
            return Ok(match parse_head(&buf[start..head_end]) {
                Some(request) => Head::Request(request, rest),
                None => Head::Bad,
            });
        }
        if buf.len() >= MAX_HEAD {
            return Ok(Head::Bad);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(if buf.iter().all(u8::is_ascii_whitespace) {
                Head::Closed
            } else {
                Head::Bad
            });
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn parse_head(head: &[u8]) -> Option<Request> {
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target, version) = (
        request_line.next()?,
        request_line.next()?,
        request_line.next()?,
    );
    if request_line.next().is_some()
        || !is_token(method)
        || !matches!(version, "HTTP/1.1" | "HTTP/1.0")
        || target.is_empty()
        || !target.bytes().all(|b| b.is_ascii_graphic())
    {
        return None;
    }
    // Origin form ("/path?query"), or absolute form as sent to proxies.
    let origin = if target.starts_with('/') {
        target
    } else if let Some((_, rest)) = target.split_once("://") {
        rest.find('/').map_or("/", |i| &rest[i..])
    } else {
        return None;
    };
    let (path, query) = origin.split_once('?').unwrap_or((origin, ""));

    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        // No whitespace before the colon, no obsolete line folding.
        if !is_token(name) {
            return None;
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    Some(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
    })
}

/// Reads and discards the request body; `None` when its framing is invalid.
async fn read_body<R>(reader: &mut R, request: &Request) -> io::Result<Option<u64>>
where
    R: AsyncBufRead + Unpin,
{
    let transfer_encoding: Vec<&str> = request.headers("transfer-encoding").collect();
    let lengths: Vec<&str> = request.headers("content-length").collect();
    if !transfer_encoding.is_empty() {
        let chunked = transfer_encoding
            .last()
            .and_then(|te| te.rsplit(',').next())
            .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        // Both framings at once is a request-smuggling smell: refuse it.
        if !chunked || !lengths.is_empty() {
            return Ok(None);
        }
        return read_chunked(reader).await;
    }
    let mut length = None;
    for value in lengths.iter().flat_map(|v| v.split(',')) {
        let Ok(parsed) = value.trim().parse::<u64>() else {
            return Ok(None);
        };
        if length.is_some_and(|l| l != parsed) {
            return Ok(None);
        }
        length = Some(parsed);
    }
    let length = length.unwrap_or(0);
    let copied = tokio::io::copy(&mut reader.take(length), &mut tokio::io::sink()).await?;
    if copied < length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(length))
}

async fn read_chunked<R>(reader: &mut R) -> io::Result<Option<u64>>
where
    R: AsyncBufRead + Unpin,
{
    let mut total = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        (&mut *reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        let Some(text) = std::str::from_utf8(&line)
            .ok()
            .and_then(|l| l.strip_suffix("\r\n"))
        else {
            return Ok(None);
        };
        let size_text = text.split(';').next().unwrap_or("").trim();
        let Ok(size) = u64::from_str_radix(size_text, 16) else {
            return Ok(None);
        };
        if size == 0 {
            break;
        }
        let copied =
            tokio::io::copy(&mut (&mut *reader).take(size), &mut tokio::io::sink()).await?;
        if copied < size {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        total = total.saturating_add(size);
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf).await?;
        if &crlf != b"\r\n" {
            return Ok(None);
        }
    }
    // Trailer fields, up to the empty line.
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 || !line.ends_with(b"\n") {
            return Ok(None);
        }
        if line == b"\r\n" {
            return Ok(Some(total));
        }
    }
}

#[derive(Debug)]
enum DateHeader {
    Now,
    Skewed { secs: u64, ahead: bool },
    Omitted,
}

#[derive(Debug)]
enum Body {
    Bytes(Vec<u8>),
    /// `len` zero bytes, paced to `bytes_per_sec` if set.
    Zeros {
        len: u64,
        bytes_per_sec: Option<u64>,
    },
    /// `start`, then spaces up to `len` bytes in all, without a
    /// Content-Length: the body ends when the connection closes.
    Unframed {
        start: &'static [u8],
        len: u64,
    },
}

#[derive(Debug)]
struct Response {
    status: u16,
    reason: &'static str,
    date: DateHeader,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

impl Response {
    fn new(
        status: u16,
        reason: &'static str,
        content_type: &str,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        Response {
            status,
            reason,
            date: DateHeader::Now,
            headers: vec![("Content-Type", content_type.to_owned())],
            body: Body::Bytes(body.into()),
        }
    }

    fn text(body: &str) -> Self {
        Response::new(200, "OK", "text/plain; charset=utf-8", body)
    }

    fn not_found() -> Self {
        Response::new(404, "Not Found", "text/plain; charset=utf-8", "not found\n")
    }

    fn bad_request() -> Self {
        Response::new(
            400,
            "Bad Request",
            "text/plain; charset=utf-8",
            "bad request\n",
        )
    }

    fn no_content() -> Self {
        Response {
            status: 204,
            reason: "No Content",
            date: DateHeader::Now,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
        }
    }

    fn zeros(len: u64, bytes_per_sec: Option<u64>) -> Self {
        Response {
            status: 200,
            reason: "OK",
            date: DateHeader::Now,
            headers: vec![("Content-Type", "application/octet-stream".to_owned())],
            body: Body::Zeros { len, bytes_per_sec },
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn date(mut self, date: DateHeader) -> Self {
        self.date = date;
        self
    }

    async fn write<S: AsyncWrite + Unpin>(self, stream: &mut S) -> io::Result<()> {
        let now = SystemTime::now();
        let date = match self.date {
            DateHeader::Now => Some(now),
            DateHeader::Skewed { secs, ahead: true } => now.checked_add(Duration::from_secs(secs)),
            DateHeader::Skewed { secs, ahead: false } => now.checked_sub(Duration::from_secs(secs)),
            DateHeader::Omitted => None,
        };
        let content_length = match &self.body {
            Body::Bytes(bytes) => Some(bytes.len() as u64),
            Body::Zeros { len, .. } => Some(*len),
            Body::Unframed { .. } => None,
        };
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        // httpdate cannot print dates before the epoch; the skew is bounded so
        // this only matters for a clock set before 1980.
        if let Some(date) = date.filter(|d| d.duration_since(UNIX_EPOCH).is_ok()) {
            head.push_str(&format!("Date: {}\r\n", httpdate::fmt_http_date(date)));
        }
        head.push_str("Server: md-lab\r\n");
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(n) = content_length {
            head.push_str(&format!("Content-Length: {n}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).await?;

        match self.body {
            Body::Bytes(bytes) => stream.write_all(&bytes).await?,
            Body::Zeros { len, bytes_per_sec } => write_zeros(stream, len, bytes_per_sec).await?,
            Body::Unframed { start, len } => write_unframed(stream, start, len).await?,
        }
        stream.flush().await
    }
}

async fn write_zeros<S: AsyncWrite + Unpin>(
    stream: &mut S,
    len: u64,
    bytes_per_sec: Option<u64>,
) -> io::Result<()> {
    static ZEROS: [u8; CHUNK] = [0; CHUNK];
    // Paced: about ten writes a second, each of what the rate allows.
    let chunk = match bytes_per_sec {
        Some(rate) => (rate / 10).clamp(1, CHUNK as u64),
        None => CHUNK as u64,
    };
    let start = Instant::now();
    let mut sent = 0u64;
    while sent < len {
        let n = chunk.min(len - sent);
        // n <= CHUNK, so the cast is lossless.
        stream.write_all(&ZEROS[..n as usize]).await?;
        sent += n;
        if let Some(rate) = bytes_per_sec {
            let due = Duration::from_secs_f64(sent as f64 / rate as f64);
            tokio::time::sleep_until(start + due).await;
        }
    }
    Ok(())
}

async fn write_unframed<S: AsyncWrite + Unpin>(
    stream: &mut S,
    start: &[u8],
    len: u64,
) -> io::Result<()> {
    static SPACES: [u8; CHUNK] = [b' '; CHUNK];
    stream.write_all(start).await?;
    let mut sent = start.len() as u64;
    while sent < len {
        let n = (CHUNK as u64).min(len - sent);
        // n <= CHUNK, so the cast is lossless.
        stream.write_all(&SPACES[..n as usize]).await?;
        sent += n;
    }
    Ok(())
}

/// The route name (for the counters) and the response to a request.
fn route(request: &Request, body_len: u64) -> (&'static str, Response) {
    let path = request.path.as_str();
    match (request.method.as_str(), path) {
        ("GET", "/generate_204") => ("/generate_204", Response::no_content()),
        ("GET", "/ok") => ("/ok", Response::text("ok\n")),
        ("GET", "/portal") => (
            "/portal",
            Response::new(
                302,
                "Found",
                "text/html; charset=utf-8",
                portal_redirect_html(),
            )
            .header("Location", PORTAL_LOCATION)
            .header("Cache-Control", "no-cache, no-store"),
        ),
        ("GET", "/portal-page") => (
            "/portal-page",
            Response::new(200, "OK", "text/html; charset=utf-8", PORTAL_PAGE)
                .header("Cache-Control", "no-cache, no-store"),
        ),
        ("GET", "/portal-hostile") => (
            "/portal-hostile",
            Response::new(200, "OK", "text/html; charset=utf-8", portal_hostile_page())
                .header("Cache-Control", "no-cache, no-store"),
        ),
        ("GET", "/status-huge") => ("/status-huge", status_huge(request)),
        ("GET", "/no-date") => ("/no-date", Response::text("ok\n").date(DateHeader::Omitted)),
        ("GET", _) if path.starts_with("/date-skew/") => {
            ("/date-skew", date_skew(&path["/date-skew/".len()..]))
        }
        ("GET", _) if path.starts_with("/status/") => {
            let response = match status_summary(&path["/status/".len()..]) {
                Some(json) => Response::new(200, "OK", "application/json; charset=utf-8", json),
                None => Response::not_found(),
            };
            ("/status", response)
        }
        ("GET", "/pac") => ("/pac", pac(request)),
        ("GET", "/pac-broken") => (
            "/pac-broken",
            Response::new(
                200,
                "OK",
                PAC_TYPE,
                "function FindProxyForURL(url, host) {\n  return \"PROXY \" +\n",
            ),
        ),
        ("GET", "/download") => ("/download", download(request, false)),
        ("GET", "/slow-download") => ("/slow-download", download(request, true)),
        ("POST", "/upload") => ("/upload", Response::text(&format!("received {body_len}\n"))),
        _ => ("404", Response::not_found()),
    }
}

const PAC_TYPE: &str = "application/x-ns-proxy-autoconfig";

/// A proxy auto-config script: hosts under `.direct.test` and plain host
/// names go direct, everything else through `?proxy=HOST:PORT`.
fn pac(request: &Request) -> Response {
    let Some(proxy) = request.query_param("proxy").filter(|p| {
        p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".:-[]".contains(&b))
    }) else {
        return Response::bad_request();
    };
    // `all=1`: plain host names too (a lab's "localhost" targets).
    let plain = if request.query_param("all") == Some("1") {
        ""
    } else {
        "isPlainHostName(host) || "
    };
    let script = format!(
        "// Lab proxy auto-config\n\
         function FindProxyForURL(url, host) {{\n\
         \x20 if ({plain}dnsDomainIs(host, \".direct.test\")) return \"DIRECT\";\n\
         \x20 return \"PROXY {proxy}; DIRECT\";\n\
         }}\n"
    );
    Response::new(200, "OK", PAC_TYPE, script)
}

/// A status page that never ends: `{"components":[` and then `bytes` of
/// spaces in all (capped like `/download`), streamed without a length.
fn status_huge(request: &Request) -> Response {
    let Some(Ok(bytes)) = request.query_param("bytes").map(str::parse::<u64>) else {
        return Response::bad_request();
    };
    Response {
        status: 200,
        reason: "OK",
        date: DateHeader::Now,
        headers: vec![("Content-Type", "application/json".to_owned())],
        body: Body::Unframed {
            start: b"{\"components\":[",
            len: bytes.min(MAX_DOWNLOAD),
        },
    }
}

fn date_skew(secs: &str) -> Response {
    let Ok(secs) = secs.parse::<i64>() else {
        return Response::bad_request();
    };
    let magnitude = secs.unsigned_abs();
    if magnitude > MAX_SKEW_SECS {
        return Response::bad_request();
    }
    Response::text("ok\n").date(DateHeader::Skewed {
        secs: magnitude,
        ahead: secs >= 0,
    })
}

fn download(request: &Request, paced: bool) -> Response {
    let Some(Ok(bytes)) = request.query_param("bytes").map(str::parse::<u64>) else {
        return Response::bad_request();
    };
    let bytes = bytes.min(MAX_DOWNLOAD);
    if !paced {
        return Response::zeros(bytes, None);
    }
    match request.query_param("kbps").map(str::parse::<u64>) {
        // Kilobits per second to bytes per second.
        Some(Ok(kbps)) if kbps > 0 => Response::zeros(bytes, Some(kbps.saturating_mul(125))),
        _ => Response::bad_request(),
    }
}

fn portal_redirect_html() -> String {
    format!(
        "<html><head><title>302 Found</title></head><body>\n\
         <h1>Found</h1><p>Please log in to the guest network: \
         <a href=\"{PORTAL_LOCATION}\">continue</a>.</p>\n</body></html>\n"
    )
}

const PORTAL_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guest Wi-Fi login</title>
</head>
<body>
<h1>Welcome to Lab Hotel Guest Wi-Fi</h1>
<p>Please sign in with your room number and last name to access the Internet.</p>
<form method="post" action="http://login.lab.test/portal/login">
  <input type="hidden" name="continue" value="generate_204">
  <label>Room number <input type="text" name="room" required></label>
  <label>Last name <input type="text" name="last_name" required></label>
  <label><input type="checkbox" name="accept_terms" required> I accept the terms of use</label>
  <button type="submit">Connect</button>
</form>
</body>
</html>
"#;

/// A captive portal's page title that attacks a terminal (`/portal-hostile`):
/// a window title (OSC 0), a screen clear (CSI 2J), a hyperlink (OSC 8), a
/// C1 CSI (U+009B) and a right-to-left override (U+202E), around readable
/// words; 79 characters, within what the check quotes of a title.
pub const HOSTILE_PORTAL_TITLE: &str = "Hotel \u{1b}]0;owned\u{7}Guest\u{1b}[2J Wi-Fi \u{1b}]8;;http://l.test\u{1b}\\sign in\u{1b}]8;;\u{1b}\\ \u{9b}31m \u{202e}nigol\u{202c}";

/// The same kinds of attack in the open incident's name of
/// `/status/hostile` (a carriage return included), as a JSON reader reads it.
pub const HOSTILE_INCIDENT_NAME: &str = "Meetings \u{1b}]0;owned\u{7}unavailable\u{1b}[2J \r\u{9b}31m \u{202e}tuo\u{202c} \u{1b}]8;;http://status.lab.test/\u{1b}\\details\u{1b}]8;;\u{1b}\\";

fn portal_hostile_page() -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>{HOSTILE_PORTAL_TITLE}</title></head>\n<body><p>Sign in to continue.</p></body></html>\n"
    )
}

/// `s` inside a JSON string: controls as `\uXXXX` (as they must be), and
/// U+202E escaped too while U+009B stays raw, so readers meet both forms.
fn json_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{202e}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Statuspage v2 timestamps: "2024-05-01T12:00:00.000Z".
fn timestamp(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

const PAGE_ID: &str = "md0lab0page1";
const MEETINGS: (&str, &str) = ("md0lab0mtgs1", "Zoom Meetings");
const PHONE: (&str, &str) = ("md0lab0phon1", "Zoom Phone");
const WEBSITE: (&str, &str) = ("md0lab0webs1", "Zoom Website");
const CREATED: &str = "2019-06-04T17:11:53.000Z";

fn component((id, name): (&str, &str), status: &str, position: u32, updated_at: &str) -> String {
    format!(
        r#"{{"id":"{id}","name":"{name}","status":"{status}","created_at":"{CREATED}","updated_at":"{updated_at}","position":{position},"description":null,"showcase":true,"start_date":"2019-06-04","group_id":null,"page_id":"{PAGE_ID}","group":false,"only_show_if_degraded":false}}"#
    )
}

struct Incident<'a> {
    id: &'a str,
    name: &'a str,
    status: &'a str,
    impact: &'a str,
    update: &'a str,
    component: &'a str,
    component_status: &'a str,
}

fn incident(i: &Incident<'_>, started: &str, now: &str) -> String {
    let (component_id, component_name) = MEETINGS;
    format!(
        r#"{{"id":"{id}","name":"{name}","status":"{status}","created_at":"{started}","updated_at":"{now}","monitoring_at":null,"resolved_at":null,"impact":"{impact}","shortlink":"https://stspg.io/lab","started_at":"{started}","page_id":"{PAGE_ID}","incident_updates":[{{"id":"{id}u1","status":"{status}","body":"{update}","incident_id":"{id}","created_at":"{now}","updated_at":"{now}","display_at":"{now}","affected_components":[{{"code":"{component_id}","name":"{component_name}","old_status":"operational","new_status":"{component_status}"}}],"deliver_notifications":true,"custom_tweet":null,"tweet_id":null}}],"components":[{component}]}}"#,
        id = i.id,
        name = i.name,
        status = i.status,
        impact = i.impact,
        update = i.update,
        component = i.component,
        component_status = i.component_status,
    )
}

/// A Statuspage v2 `summary.json` for one of the lab's scenarios.
fn status_summary(name: &str) -> Option<String> {
    let now_time = OffsetDateTime::now_utc();
    let now = timestamp(now_time);
    let started = timestamp(now_time - time::Duration::minutes(25));
    let operational = |c, position| component(c, "operational", position, CREATED);
    let (meetings_status, indicator, description, incidents) = match name {
        "ok" | "nocomponent" => (
            "operational",
            "none",
            "All Systems Operational",
            String::new(),
        ),
        "outage" => {
            let meetings = component(MEETINGS, "major_outage", 1, &now);
            let incident = incident(
                &Incident {
                    id: "md0lab0inc01",
                    name: "Meetings unavailable",
                    status: "investigating",
                    impact: "major",
                    update: "We are investigating reports of users being unable to join meetings.",
                    component: &meetings,
                    component_status: "major_outage",
                },
                &started,
                &now,
            );
            ("major_outage", "major", "Partial System Outage", incident)
        }
        "degraded" => {
            let meetings = component(MEETINGS, "degraded_performance", 1, &now);
            let incident = incident(
                &Incident {
                    id: "md0lab0inc02",
                    name: "Degraded meeting quality",
                    status: "identified",
                    impact: "minor",
                    update: "The issue has been identified and a fix is being implemented.",
                    component: &meetings,
                    component_status: "degraded_performance",
                },
                &started,
                &now,
            );
            (
                "degraded_performance",
                "minor",
                "Partially Degraded Service",
                incident,
            )
        }
        "hostile" => {
            let meetings = component(MEETINGS, "major_outage", 1, &now);
            let incident = incident(
                &Incident {
                    id: "md0lab0inc03",
                    name: &json_text(HOSTILE_INCIDENT_NAME),
                    status: "investigating",
                    impact: "major",
                    update: "We are investigating.",
                    component: &meetings,
                    component_status: "major_outage",
                },
                &started,
                &now,
            );
            ("major_outage", "major", "Partial System Outage", incident)
        }
        "garbage" => return Some(r#"{"page": not json"#.to_owned()),
        _ => return None,
    };
    let meetings_updated = if meetings_status == "operational" {
        CREATED
    } else {
        now.as_str()
    };
    let mut components = Vec::new();
    if name != "nocomponent" {
        components.push(component(MEETINGS, meetings_status, 1, meetings_updated));
    }
    components.push(operational(PHONE, 2));
    components.push(operational(WEBSITE, 3));
    Some(format!(
        r#"{{"page":{{"id":"{PAGE_ID}","name":"Zoom","url":"https://status.zoom.us","time_zone":"Etc/UTC","updated_at":"{now}"}},"components":[{components}],"incidents":[{incidents}],"scheduled_maintenances":[],"status":{{"indicator":"{indicator}","description":"{description}"}}}}"#,
        components = components.join(","),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_requests() {
        let r = parse_head(b"GET /download?bytes=10&x HTTP/1.1\r\nHost: a\r\nX-A:  b ").unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/download"));
        assert_eq!(r.query_param("bytes"), Some("10"));
        assert_eq!(r.query_param("x"), Some(""));
        assert_eq!(r.query_param("y"), None);
        assert_eq!(r.headers("x-a").collect::<Vec<_>>(), ["b"]);
        let r = parse_head(b"GET http://lab.test/ok HTTP/1.0").unwrap();
        assert_eq!(r.path, "/ok");
        for bad in [
            &b"GET /ok"[..],
            b"GET /ok HTTP/2.0",
            b"GET  /ok HTTP/1.1",
            b"G\xc3\xa9T /ok HTTP/1.1",
            b"GET /ok HTTP/1.1\r\nNo colon here",
            b"GET /ok HTTP/1.1\r\nBad Name: x",
            b"GET /ok HTTP/1.1\r\nA: b\r\n folded",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        ] {
            assert!(
                parse_head(bad).is_none(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn status_documents_have_the_expected_shape() {
        for name in ["ok", "outage", "degraded", "nocomponent"] {
            let json = status_summary(name).unwrap();
            assert!(json.starts_with(r#"{"page":{"id":"#), "{json}");
            assert_eq!(
                json.matches('{').count(),
                json.matches('}').count(),
                "{json}"
            );
            assert_eq!(
                json.matches('[').count(),
                json.matches(']').count(),
                "{json}"
            );
            assert_eq!(json.contains("\"Zoom Meetings\""), name != "nocomponent");
        }
        assert_eq!(status_summary("garbage").unwrap(), r#"{"page": not json"#);
        assert!(status_summary("nope").is_none());
    }

    #[test]
    fn the_hostile_status_page_is_json_carrying_the_hostile_name() {
        let doc: serde_json::Value =
            serde_json::from_str(&status_summary("hostile").unwrap()).unwrap();
        assert_eq!(doc["incidents"][0]["name"], HOSTILE_INCIDENT_NAME);
        let text = status_summary("hostile").unwrap();
        assert!(
            text.contains("\\u202e") && text.contains('\u{9b}'),
            "{text}"
        );
        assert!(portal_hostile_page().contains(&format!("<title>{HOSTILE_PORTAL_TITLE}</title>")));
    }

    #[test]
    fn timestamps_look_like_statuspage() {
        let t = OffsetDateTime::from_unix_timestamp(1_714_564_800).unwrap();
        assert_eq!(timestamp(t), "2024-05-01T12:00:00.000Z");
    }
}
