//! The profile: which service is checked, and every host, port, URL and
//! timeout the probes use. Zoom's is the default (`assets/profiles/zoom.toml`,
//! embedded); tests point the same code at the lab with their own profiles.
//!
//! Validation happens while deserializing, in the value types below, so a bad
//! value is reported with its file, line and column, and what was expected.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The default profile, checked into `assets/profiles/zoom.toml`.
pub const DEFAULT_PROFILE_TOML: &str = include_str!("../../../assets/profiles/zoom.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub dns: DnsSection,
    #[serde(default)]
    pub tcp: Vec<PortTarget>,
    #[serde(default)]
    pub udp: Vec<PortTarget>,
    #[serde(default)]
    pub tls: TlsSection,
    #[serde(default)]
    pub http: HttpSection,
    #[serde(default)]
    pub timeouts: Timeouts,
    /// Where the profile came from ("built-in" or a file path); not a TOML key.
    #[serde(skip)]
    pub source: String,
    /// The folder relative paths in the profile (extra roots) are read from.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsSection {
    /// Names the service needs (resolved by the system and reference resolvers).
    #[serde(default)]
    pub names: Vec<DnsName>,
    /// Public resolvers to compare the system resolver against.
    #[serde(default)]
    pub reference_resolvers: Vec<Resolver>,
}

/// A `[[tcp]]` or `[[udp]]` entry. Without a host, no server is known to
/// answer on that port and the check is reported `unknown`, never `pass`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortTarget {
    #[serde(default)]
    pub host: Option<Host>,
    pub port: Port,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSection {
    /// `host:port` endpoints to handshake with.
    #[serde(default)]
    pub targets: Vec<Endpoint>,
    /// PEM files whose certificates count as public roots (a private
    /// deployment's or a lab's own CA). Relative to the profile's folder.
    #[serde(default)]
    pub extra_roots: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSection {
    /// Plain-HTTP URL that answers when the internet works.
    pub internet: Option<HttpUrl>,
    /// URL that answers 204 (or `captive_portal_body`) when no portal is in the way.
    pub captive_portal: Option<HttpUrl>,
    /// Expected body of `captive_portal` when it answers 200 instead of 204.
    pub captive_portal_body: Option<String>,
    /// Statuspage `summary.json` of the service.
    pub status: Option<HttpUrl>,
    /// Plain-HTTP URL whose `Date` header is trusted for the clock check.
    pub clock: Option<HttpUrl>,
    /// URL that serves bytes for the download measurement.
    pub download: Option<HttpUrl>,
    /// URL that accepts a POST body for the upload measurement.
    pub upload: Option<HttpUrl>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeouts {
    /// One network step (connect, handshake, query, request).
    #[serde(default = "Timeouts::default_probe")]
    pub probe_ms: Millis,
    /// The whole run, all checks together.
    #[serde(default = "Timeouts::default_total")]
    pub total_ms: Millis,
}

impl Timeouts {
    fn default_probe() -> Millis {
        Millis(3000)
    }
    fn default_total() -> Millis {
        Millis(6000)
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            probe_ms: Self::default_probe(),
            total_ms: Self::default_total(),
        }
    }
}

impl Profile {
    /// The built-in Zoom profile.
    pub fn builtin() -> Profile {
        // The built-in profile is tested below; failing here is a build defect.
        Self::from_toml(DEFAULT_PROFILE_TOML, "built-in", Path::new("."))
            .expect("the built-in profile is valid")
    }

    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<Profile> {
        use std::io::Read;
        let read_err = |source| Error::ProfileRead {
            path: path.to_path_buf(),
            source,
        };
        // A profile is a page of settings: reading stops past MAX_PROFILE
        // (a wrong path to a huge file, or /dev/zero, must not fill memory).
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .map_err(read_err)?
            .take(MAX_PROFILE as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        if bytes.len() > MAX_PROFILE {
            return Err(Error::ProfileInvalid {
                file: path.display().to_string(),
                message: format!(
                    "this file is larger than {} KiB; a profile is a short TOML file",
                    MAX_PROFILE / 1024
                ),
            });
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            read_err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "it is not UTF-8 text",
            ))
        })?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Self::from_toml(&text, &path.display().to_string(), &base)
    }

    /// Parses and validates profile text. `file` names it in errors.
    pub fn from_toml(text: &str, file: &str, base_dir: &Path) -> Result<Profile> {
        if let Some(at) = too_deep(text) {
            let (line, column) = line_col(text, at);
            return Err(Error::ProfileSyntax {
                file: file.to_string(),
                line,
                column,
                message: format!(
                    "arrays and tables are nested more than {MAX_NESTING} levels deep here; a profile needs two or three"
                ),
            });
        }
        let mut profile: Profile = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_col(text, span.start))
                .unwrap_or((0, 0));
            Error::ProfileSyntax {
                file: file.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        profile.source = file.to_string();
        profile.base_dir = base_dir.to_path_buf();
        profile.validate(file)?;
        Ok(profile)
    }

    fn validate(&self, file: &str) -> Result<()> {
        let invalid = |message: String| Error::ProfileInvalid {
            file: file.to_string(),
            message,
        };
        if self.name.trim().is_empty() {
            return Err(invalid("`name` must not be empty".into()));
        }
        for (section, targets) in [("tcp", &self.tcp), ("udp", &self.udp)] {
            let mut seen = std::collections::HashSet::new();
            for t in targets {
                if !seen.insert(t.port.0) {
                    return Err(invalid(format!(
                        "two [[{section}]] entries use port {}: each port is one check ({section}.{}), so list it once",
                        t.port.0, t.port.0
                    )));
                }
            }
        }
        for (key, url) in [
            ("internet", &self.http.internet),
            ("captive_portal", &self.http.captive_portal),
            ("clock", &self.http.clock),
        ] {
            if let Some(u) = url {
                if u.0.scheme() != "http" {
                    return Err(invalid(format!(
                        "[http] {key} must be a plain http:// URL (found {u}): this check reads what the network does to unencrypted web traffic"
                    )));
                }
            }
        }
        if self.timeouts.total_ms.0 < self.timeouts.probe_ms.0 {
            return Err(invalid(format!(
                "[timeouts] total_ms ({}) is shorter than probe_ms ({}): the run would end before one step could time out",
                self.timeouts.total_ms.0, self.timeouts.probe_ms.0
            )));
        }
        Ok(())
    }

    /// The extra roots, resolved against the profile's folder.
    pub fn extra_root_paths(&self) -> Vec<PathBuf> {
        self.tls
            .extra_roots
            .iter()
            .map(|p| {
                if p.is_absolute() {
                    p.clone()
                } else {
                    self.base_dir.join(p)
                }
            })
            .collect()
    }

    pub fn probe_timeout(&self) -> Duration {
        self.timeouts.probe_ms.duration()
    }

    pub fn total_timeout(&self) -> Duration {
        self.timeouts.total_ms.duration()
    }
}

/// The longest profile read (`Profile::load`).
pub const MAX_PROFILE: usize = 256 * 1024;

/// How deep arrays and inline tables may nest. The parser recurses per
/// level and a thread's stack is small (a fuzzed profile with 2,330
/// unclosed levels overflowed a 2 MiB stack): a profile nests two or three.
pub const MAX_NESTING: usize = 32;

/// Where `text` first nests deeper than [`MAX_NESTING`] (`[` and `{`
/// outside strings and comments), as a byte offset.
fn too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let (mut i, mut depth) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            q @ (b'"' | b'\'') => {
                let triple = b[i..].starts_with(&[q, q, q]);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if triple && b[i..].starts_with(&[q, q, q]) {
                        i += 3;
                        break;
                    }
                    if !triple && (b[i] == q || b[i] == b'\n') {
                        i += 1;
                        break;
                    }
                    i += if q == b'"' && b[i] == b'\\' { 2 } else { 1 };
                }
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The profile's first TCP host, whose route decides the interface.
pub fn zoom_host_of(profile: &Profile) -> Option<(String, u16)> {
    profile
        .tcp
        .iter()
        .find_map(|t| t.host.as_ref().map(|h| (h.0.clone(), t.port.0)))
}

macro_rules! string_value {
    ($ty:ident, $parse:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                let parse: fn(&str) -> Result<$ty, String> = $parse;
                parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

/// A TCP or UDP port, 1–65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Port(pub u16);

/// Reads a whole number, saying what was expected if it is anything else.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D, expected: &str) -> Result<i64, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::Integer(n) => Ok(n),
        other => Err(serde::de::Error::custom(format!(
            "expected {expected}, found {} {other}",
            other.type_str()
        ))),
    }
}

impl<'de> Deserialize<'de> for Port {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const WANT: &str = "a port number from 1 to 65535";
        let n = whole_number(d, WANT)?;
        match u16::try_from(n) {
            Ok(p) if p > 0 => Ok(Port(p)),
            _ => Err(serde::de::Error::custom(format!(
                "expected {WANT}, found {n}"
            ))),
        }
    }
}

/// A duration in milliseconds, 50 ms to 10 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Millis(pub u64);

impl Millis {
    pub fn duration(self) -> Duration {
        Duration::from_millis(self.0)
    }
}

impl<'de> Deserialize<'de> for Millis {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const WANT: &str = "milliseconds from 50 to 600000";
        let n = whole_number(d, WANT)?;
        if (50..=600_000).contains(&n) {
            Ok(Millis(n as u64))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected {WANT}, found {n}"
            )))
        }
    }
}

/// A host name or IP address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host(pub String);

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_host(s: &str) -> Result<Host, String> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.len() <= 253
        && (s.parse::<IpAddr>().is_ok()
            || s.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            }));
    if ok {
        Ok(Host(s.to_string()))
    } else {
        Err(format!("expected a host name or IP address, found {s:?}"))
    }
}
string_value!(Host, parse_host);

/// A DNS name to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsName(pub String);

impl fmt::Display for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_dns_name(s: &str) -> Result<DnsName, String> {
    match parse_host(s.trim().trim_end_matches('.')) {
        Ok(h) if h.0.parse::<IpAddr>().is_err() => Ok(DnsName(h.0.trim_end_matches('.').into())),
        _ => Err(format!(
            "expected a DNS name such as \"zoom.us\", found {s:?}"
        )),
    }
}
string_value!(DnsName, parse_dns_name);

/// A DNS resolver address: `IP` (port 53) or `IP:port` / `[IPv6]:port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolver(pub SocketAddr);

impl fmt::Display for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.port() == 53 {
            write!(f, "{}", self.0.ip())
        } else {
            write!(f, "{}", self.0)
        }
    }
}

fn parse_resolver(s: &str) -> Result<Resolver, String> {
    let s = s.trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok(Resolver(SocketAddr::new(ip, 53)));
    }
    s.parse::<SocketAddr>().map(Resolver).map_err(|_| {
        format!("expected a resolver IP address such as \"1.1.1.1\" or \"1.1.1.1:53\", found {s:?}")
    })
}
string_value!(Resolver, parse_resolver);

/// A `host:port` endpoint (`[IPv6]:port` for IPv6 literals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: Host,
    pub port: u16,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.0.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

fn parse_endpoint(s: &str) -> Result<Endpoint, String> {
    let err = || format!("expected \"host:port\" such as \"zoom.us:443\", found {s:?}");
    let (host, port) = s.trim().rsplit_once(':').ok_or_else(err)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port: u16 = port.parse().map_err(|_| err())?;
    if port == 0 {
        return Err(err());
    }
    Ok(Endpoint {
        host: parse_host(host).map_err(|_| err())?,
        port,
    })
}
string_value!(Endpoint, parse_endpoint);

/// An `http://` or `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(pub url::Url);

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

fn parse_http_url(s: &str) -> Result<HttpUrl, String> {
    match url::Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(HttpUrl(u)),
        _ => Err(format!("expected an http:// or https:// URL, found {s:?}")),
    }
}
string_value!(HttpUrl, parse_http_url);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_nested_too_deep_is_a_clear_error_not_a_crash() {
        let deep = format!("name = \"x\"\nx = {}1{}\n", "[".repeat(40), "]".repeat(40));
        let e = Profile::from_toml(&deep, "deep.toml", Path::new(".")).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("deep.toml:2:") && msg.contains("nested more than 32"),
            "{msg}"
        );
        // Brackets inside strings and comments are not nesting.
        let quoted = format!(
            "name = \"{0}\" # {0}\n[dns]\nnames = ['{0}', \"\"\"{0}\"\"\"]\n",
            "[{".repeat(40)
        );
        assert!(too_deep(&quoted).is_none());
        assert!(
            too_deep(&std::fs::read_to_string("../../assets/profiles/zoom.toml").unwrap())
                .is_none()
        );
        // A file past the size limit is refused before it is parsed.
        let d = tempfile::tempdir().unwrap();
        let big = d.path().join("big.toml");
        std::fs::write(&big, "#".repeat(MAX_PROFILE + 1)).unwrap();
        let e = Profile::load(&big).unwrap_err().to_string();
        assert!(e.contains("larger than 256 KiB"), "{e}");
    }

    fn parse(text: &str) -> Result<Profile> {
        Profile::from_toml(text, "test.toml", Path::new("."))
    }

    #[test]
    fn builtin_profile_has_zooms_published_ports() {
        let p = Profile::builtin();
        assert_eq!(p.name, "Zoom");
        let tcp: Vec<u16> = p.tcp.iter().map(|t| t.port.0).collect();
        for port in [443, 8801, 8802] {
            assert!(tcp.contains(&port), "tcp {port} missing");
        }
        let udp: Vec<u16> = p.udp.iter().map(|t| t.port.0).collect();
        for port in [3478, 3479, 8801] {
            assert!(udp.contains(&port), "udp {port} missing");
        }
        assert!(p.dns.names.iter().any(|n| n.0 == "zoom.us"));
        assert!(!p.dns.reference_resolvers.is_empty());
        assert_eq!(p.timeouts.total_ms.0, 6000);
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let err = parse("name = \"x\"\n[dns]\nnames = [\"zoom.us\"\n").unwrap_err();
        match err {
            Error::ProfileSyntax { file, line, .. } => {
                assert_eq!(file, "test.toml");
                assert!(line >= 3, "line {line}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn bad_values_say_what_was_expected_and_where() {
        let cases = [
            (
                "name = \"x\"\n\n[[tcp]]\nhost = \"zoom.us\"\nport = 70000\n",
                5,
                "port number from 1 to 65535",
            ),
            ("name = \"x\"\n[[udp]]\nport = 0\n", 3, "port number"),
            (
                "name = \"x\"\n[http]\ninternet = \"ftp://x\"\n",
                3,
                "http:// or https:// URL",
            ),
            (
                "name = \"x\"\n[dns]\nreference_resolvers = [\"one.one\"]\n",
                3,
                "resolver IP address",
            ),
            (
                "name = \"x\"\n[tls]\ntargets = [\"zoom.us\"]\n",
                3,
                "host:port",
            ),
            (
                "name = \"x\"\n[timeouts]\nprobe_ms = 1\n",
                3,
                "milliseconds",
            ),
            (
                "name = \"x\"\n[dns]\nnames = [\"has space.com\"]\n",
                3,
                "DNS name",
            ),
            (
                "name = \"x\"\n[[tcp]]\nport = \"443\"\n",
                3,
                "port number from 1 to 65535, found string",
            ),
            ("name = \"x\"\ncolour = \"red\"\n", 2, "unknown field"),
        ];
        for (text, want_line, want_msg) in cases {
            match parse(text) {
                Err(Error::ProfileSyntax { line, message, .. }) => {
                    assert_eq!(line, want_line, "{text:?}: {message}");
                    assert!(message.contains(want_msg), "{text:?}: {message}");
                }
                other => panic!("{text:?}: unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn cross_field_mistakes_are_invalid_with_reasons() {
        let dup = parse("name = \"x\"\n[[udp]]\nport = 3478\n[[udp]]\nport = 3478\n").unwrap_err();
        assert!(dup.to_string().contains("port 3478"), "{dup}");
        let t = parse("name = \"x\"\n[timeouts]\nprobe_ms = 5000\ntotal_ms = 1000\n").unwrap_err();
        assert!(t.to_string().contains("shorter than probe_ms"), "{t}");
        let h = parse("name = \"x\"\n[http]\nclock = \"https://zoom.us/\"\n").unwrap_err();
        assert!(h.to_string().contains("plain http://"), "{h}");
        let n = parse("name = \"  \"\n").unwrap_err();
        assert!(n.to_string().contains("name"), "{n}");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "",
            "\u{0}\u{1}",
            "[[[",
            "name = ",
            "name = 1",
            "🙂 = 🙂",
            "[tcp]\nport=1",
        ] {
            assert!(parse(text).is_err(), "{text:?} parsed");
        }
    }

    #[test]
    fn values_parse_in_their_usual_forms() {
        assert_eq!(
            parse_resolver("1.1.1.1").unwrap().0,
            "1.1.1.1:53".parse().unwrap()
        );
        assert_eq!(parse_resolver("[::1]:5353").unwrap().0.port(), 5353);
        let e = parse_endpoint("[::1]:443").unwrap();
        assert_eq!((e.host.0.as_str(), e.port), ("::1", 443));
        assert_eq!(e.to_string(), "[::1]:443");
        assert_eq!(parse_dns_name("Zoom.us.").unwrap().0, "Zoom.us");
        assert!(parse_dns_name("127.0.0.1").is_err());
    }
}
