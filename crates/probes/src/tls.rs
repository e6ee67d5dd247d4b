//! `tls`: a handshake with each TLS target. The presented chain is captured
//! (the handshake accepts any certificate, still checking the handshake
//! signatures) and then judged twice: against public roots and against what
//! this computer trusts. Trusted here but not publicly means something on
//! the path re-signed the connection: TLS interception.

use md_model::ids::CheckId;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use serde::Serialize;
use serde_json::json;
use tokio_rustls::TlsConnector;

use crate::web::human_secs;
use md_model::finding::{Finding, Status};
use md_model::profile::Endpoint;
use md_net::trust::crypto_provider;
use md_net::trust::Trust;
use md_net::{self as net, ms, NetError};
use md_pac::PacProxy;

/// Accepts any chain so it can be inspected; handshake signatures are still
/// verified so the captured chain is really the peer's.
#[derive(Debug)]
struct CaptureChain(Arc<CryptoProvider>);

impl ServerCertVerifier for CaptureChain {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A certificate, summarised for people and evidence.
#[derive(Debug, Clone, Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
    #[serde(skip)]
    pub not_before_unix: i64,
    #[serde(skip)]
    pub not_after_unix: i64,
}

pub fn cert_info(der: &CertificateDer<'_>) -> Option<CertInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let name = |n: &x509_parser::x509::X509Name<'_>| {
        n.iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .or_else(|| n.iter_organization().next().and_then(|o| o.as_str().ok()))
            .map(str::to_string)
            .unwrap_or_else(|| n.to_string())
    };
    let v = cert.validity();
    let stamp = |t: &x509_parser::time::ASN1Time| {
        humantime::format_rfc3339_seconds(
            SystemTime::UNIX_EPOCH + Duration::from_secs(t.timestamp().max(0) as u64),
        )
        .to_string()
    };
    Some(CertInfo {
        subject: name(cert.subject()),
        issuer: name(cert.issuer()),
        not_before: stamp(&v.not_before),
        not_after: stamp(&v.not_after),
        not_before_unix: v.not_before.timestamp(),
        not_after_unix: v.not_after.timestamp(),
    })
}

/// How a chain fared against one trust store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Trusted,
    UnknownIssuer,
    Expired,
    NotYetValid,
    WrongName,
    Invalid,
}

pub fn verify(
    roots: &Arc<RootCertStore>,
    chain: &[CertificateDer<'static>],
    name: &ServerName<'static>,
    now: UnixTime,
) -> (Verdict, String) {
    if roots.is_empty() {
        return (Verdict::UnknownIssuer, "empty trust store".into());
    }
    let verifier =
        match WebPkiServerVerifier::builder_with_provider(roots.clone(), crypto_provider()).build()
        {
            Ok(v) => v,
            Err(e) => return (Verdict::Invalid, e.to_string()),
        };
    let Some((leaf, rest)) = chain.split_first() else {
        return (Verdict::Invalid, "no certificate presented".into());
    };
    match verifier.verify_server_cert(leaf, rest, name, &[], now) {
        Ok(_) => (Verdict::Trusted, "trusted".into()),
        Err(rustls::Error::InvalidCertificate(e)) => {
            let v = match &e {
                CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                    Verdict::UnknownIssuer
                }
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    Verdict::Expired
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    Verdict::NotYetValid
                }
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => Verdict::WrongName,
                _ => Verdict::Invalid,
            };
            (v, format!("{e:?}"))
        }
        Err(e) => (Verdict::Invalid, e.to_string()),
    }
}

/// The result for one target.
#[derive(Debug)]
struct TargetResult {
    status: Status,
    summary: String,
    detail: String,
    evidence: serde_json::Value,
}

async fn handshake(
    target: &Endpoint,
    trust: &Trust,
    timeout: Duration,
    via: Option<&PacProxy>,
) -> TargetResult {
    let host = &target.host.0;
    let deadline = Instant::now() + timeout;
    let fail = |status, summary: String, detail: String, ev| TargetResult {
        status,
        summary,
        detail,
        evidence: ev,
    };
    if let Some(hop) = via {
        // Through the proxy, as Zoom goes: the certificate seen is the one
        // the proxy lets through (or its own, when it inspects).
        return match md_net::tunnel::tunnel(hop, host, target.port, timeout).await {
            Ok((stream, _)) => {
                let mut r = secure(target, trust, stream, deadline).await;
                r.detail = format!("through the proxy {hop:?}\n{}", r.detail);
                r.evidence["via"] = json!(hop);
                r
            }
            Err(e) => fail(
                Status::Skipped,
                format!("Skipped: the proxy did not open a connection to {host}."),
                format!("{target} via {hop:?}: {e}"),
                json!({ "target": target.to_string(), "stage": "proxy", "via": hop, "error": e }),
            ),
        };
    }
    let addrs = match net::resolve_system(host, target.port, timeout).await {
        Ok(a) => a,
        Err(e) => {
            return fail(
                Status::Skipped,
                format!("Skipped because this computer could not look up {host}."),
                format!("{target}: {e}"),
                json!({ "target": target.to_string(), "stage": "dns" }),
            );
        }
    };
    let (stream, attempts) =
        net::connect_any(&addrs, deadline.saturating_duration_since(Instant::now())).await;
    let Some(stream) = stream else {
        let kind = attempts
            .last()
            .and_then(|a| a.outcome.err())
            .unwrap_or(NetError::Silent);
        let errs: Vec<String> = attempts
            .iter()
            .map(|a| format!("{}: {}", a.addr, a.error.as_deref().unwrap_or("failed")))
            .collect();
        return fail(
            Status::Fail,
            format!(
                "Couldn't start a secure connection to {host}: the connection {}.",
                kind.plain()
            ),
            errs.join("\n"),
            json!({ "target": target.to_string(), "stage": "connect", "error": kind }),
        );
    };
    secure(target, trust, stream, deadline).await
}

/// The handshake over an open connection, and the verdict on its chain.
async fn secure(
    target: &Endpoint,
    trust: &Trust,
    stream: tokio::net::TcpStream,
    deadline: Instant,
) -> TargetResult {
    let host = &target.host.0;
    let fail = |status, summary: String, detail: String, ev| TargetResult {
        status,
        summary,
        detail,
        evidence: ev,
    };
    let addr = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let provider = crypto_provider();
    let config = match ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
    {
        Ok(b) => b
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(CaptureChain(provider)))
            .with_no_client_auth(),
        Err(e) => {
            return fail(
                Status::Unknown,
                "Couldn't set up the secure-connection test.".into(),
                e.to_string(),
                json!({}),
            )
        }
    };
    let Ok(server_name) = ServerName::try_from(host.clone()) else {
        return fail(
            Status::Unknown,
            format!("Couldn't test {host}: not a usable server name."),
            host.clone(),
            json!({}),
        );
    };
    let start = Instant::now();
    let left = deadline.saturating_duration_since(Instant::now());
    let conn = match tokio::time::timeout(
        left,
        TlsConnector::from(Arc::new(config)).connect(server_name.clone(), stream),
    )
    .await
    {
        Err(_) => {
            return fail(Status::Fail, format!("The secure connection to {host} started but never finished; something on the way holds it up."), format!("{target} ({addr}): no TLS answer within {} ms", left.as_millis()), json!({ "target": target.to_string(), "address": addr, "stage": "handshake", "error": NetError::Silent }));
        }
        Ok(Err(e)) => {
            let kind = NetError::classify(&e);
            return fail(Status::Fail, format!("The secure connection to {host} was cut off; something on this network interferes with it."), format!("{target} ({addr}): {e}"), json!({ "target": target.to_string(), "address": addr, "stage": "handshake", "error": kind, "message": e.to_string() }));
        }
        Ok(Ok(c)) => c,
    };
    let handshake_ms = ms(start.elapsed());
    let (_, session) = conn.get_ref();
    let version = session
        .protocol_version()
        .map(|v| format!("{v:?}"))
        .unwrap_or_default();
    let chain: Vec<CertificateDer<'static>> = session
        .peer_certificates()
        .map(|c| c.iter().map(|d| d.clone().into_owned()).collect())
        .unwrap_or_default();
    let infos: Vec<CertInfo> = chain.iter().filter_map(cert_info).collect();
    let now = UnixTime::now();
    let (public, public_why) = verify(&trust.public, &chain, &server_name, now);
    let (local, local_why) = verify(&trust.local, &chain, &server_name, now);
    let top_issuer = infos.last().map(|c| c.issuer.clone()).unwrap_or_default();
    let leaf = infos.first().cloned();
    let ev = json!({
        "target": target.to_string(), "address": addr, "protocol": version, "handshake_ms": handshake_ms,
        "chain": infos, "public_roots": public, "local_roots": local, "issuer": top_issuer,
        "public_detail": public_why, "local_detail": local_why,
    });
    let chain_text: Vec<String> = infos
        .iter()
        .map(|c| {
            format!(
                "  {} (issued by {}, valid {} to {})",
                c.subject, c.issuer, c.not_before, c.not_after
            )
        })
        .collect();
    let detail = format!("{target} ({addr}) {version}, handshake {handshake_ms} ms\npublic roots: {public_why}\nthis computer's roots: {local_why}\nchain:\n{}", chain_text.join("\n"));
    let now_unix = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (status, summary) = match (public, local) {
        (Verdict::Trusted, _) => (Status::Pass, format!("The secure connection to {host} is genuine.")),
        (Verdict::Expired, _) | (_, Verdict::Expired) => {
            let when = leaf.as_ref().map(|l| format!(" {} ago", human_secs((now_unix - l.not_after_unix) as f64))).unwrap_or_default();
            (Status::Fail, format!("{host}'s security certificate looks expired{when}; if this computer's date is wrong, that is why."))
        }
        (Verdict::NotYetValid, _) | (_, Verdict::NotYetValid) => {
            let when = leaf.as_ref().map(|l| format!(" for another {}", human_secs((l.not_before_unix - now_unix) as f64))).unwrap_or_default();
            (Status::Fail, format!("{host}'s security certificate is not valid yet{when}; this computer's date is probably wrong."))
        }
        (Verdict::UnknownIssuer, Verdict::Trusted) => (Status::Fail, format!("Something on this network opens Zoom's secure connection: it is re-signed by \"{top_issuer}\".")),
        (Verdict::WrongName, _) => (Status::Fail, format!("The server that answered for {host} is not {host}; something on this network redirects it.")),
        (Verdict::UnknownIssuer, _) => (Status::Fail, format!("The secure connection to {host} is signed by \"{top_issuer}\", which nobody trusts; something on the way replaced it.")),
        (Verdict::Invalid, _) => (Status::Fail, format!("The security certificate of {host} is not valid.")),
    };
    TargetResult {
        status,
        summary,
        detail,
        evidence: ev,
    }
}

/// `tls`: all targets, the worst one leading.
/// `vias` holds the proxy for each target (None: direct).
pub async fn check(
    targets: &[Endpoint],
    vias: &[Option<PacProxy>],
    trust: &Trust,
    timeout: Duration,
) -> Finding {
    let results = futures::future::join_all(
        targets
            .iter()
            .enumerate()
            .map(|(i, t)| handshake(t, trust, timeout, vias.get(i).and_then(|v| v.as_ref()))),
    )
    .await;
    let worst = results
        .iter()
        .map(|r| r.status)
        .fold(Status::Pass, Status::worst);
    let lead = results.iter().find(|r| r.status == worst);
    let summary = lead
        .map(|r| r.summary.clone())
        .unwrap_or_else(|| "No secure connection to test.".into());
    let detail = results
        .iter()
        .map(|r| r.detail.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut evidence =
        json!({ "targets": results.iter().map(|r| &r.evidence).collect::<Vec<_>>() });
    if !trust.local_errors.is_empty() {
        // Part of this computer's trust store was unreadable: say so, since
        // it bears on the "trusted only here" judgement.
        evidence["local_store_errors"] = json!(trust.local_errors);
    }
    let mut f = Finding::new(CheckId::Tls, worst, summary)
        .detail(detail)
        .evidence(evidence);
    if results.is_empty() {
        f.status = Status::Skipped;
    }
    f
}
