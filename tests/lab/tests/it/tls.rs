use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, RootCertStore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

fn ca(pem: &Path) -> CertificateDer<'static> {
    CertificateDer::from_pem_file(pem).expect("a CA certificate in the PEM file")
}

fn client(root: &Path, versions: &[&'static rustls::SupportedProtocolVersion]) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots.add(ca(root)).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

async fn handshake(addr: SocketAddr, name: &str, root: &Path) -> io::Result<TlsStream<TcpStream>> {
    let connector = client(root, rustls::DEFAULT_VERSIONS);
    let stream = TcpStream::connect(addr).await?;
    let name = ServerName::try_from(name.to_owned()).unwrap();
    connector.connect(name, stream).await
}

fn certificate_error(result: io::Result<TlsStream<TcpStream>>) -> CertificateError {
    let err = match result {
        Ok(_) => panic!("the handshake should fail verification"),
        Err(err) => err,
    };
    match err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::InvalidCertificate(e)) => e.clone(),
        _ => panic!("not a certificate error: {err:?}"),
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn public_server_verifies_and_presents_leaf_and_root() {
    let lab = crate::lab().await;
    for name in ["localhost", "127.0.0.1"] {
        let tls = handshake(lab.tls_public, name, &lab.public_ca_pem)
            .await
            .unwrap();
        let (_, conn) = tls.get_ref();
        assert_eq!(
            conn.protocol_version(),
            Some(rustls::ProtocolVersion::TLSv1_3)
        );
        let chain = conn.peer_certificates().unwrap();
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[1], ca(&lab.public_ca_pem));
        assert!(
            contains(&chain[0], "Lab Public Root CA"),
            "issuer name in the leaf"
        );
    }
    // TLS 1.2 too.
    let connector = client(&lab.public_ca_pem, &[&rustls::version::TLS12]);
    let stream = TcpStream::connect(lab.tls_public).await.unwrap();
    let tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), stream)
        .await
        .unwrap();
    assert_eq!(
        tls.get_ref().1.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_2)
    );
    assert_eq!(lab.counters().tls_public_accepts, 3);
}

#[tokio::test]
async fn tls_servers_speak_http_after_the_handshake() {
    let lab = crate::lab().await;
    let mut tls = handshake(lab.tls_public, "localhost", &lab.public_ca_pem)
        .await
        .unwrap();
    tls.write_all(b"GET /generate_204 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut response = Vec::new();
    tls.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 204 No Content\r\n"),
        "{response}"
    );
    let counters = lab.counters();
    assert_eq!(counters.https.route("/generate_204"), 1);
    assert_eq!(counters.http.requests, 0);
}

#[tokio::test]
async fn inspection_server_chains_to_the_inspection_ca_only() {
    let lab = crate::lab().await;
    let err =
        certificate_error(handshake(lab.tls_inspected, "localhost", &lab.public_ca_pem).await);
    assert_eq!(err, CertificateError::UnknownIssuer);

    let tls = handshake(lab.tls_inspected, "localhost", &lab.inspection_ca_pem)
        .await
        .unwrap();
    let chain = tls.get_ref().1.peer_certificates().unwrap().to_vec();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[1], ca(&lab.inspection_ca_pem));
    assert!(contains(&chain[0], "Lab Inspection CA"));
    assert!(contains(&chain[0], "Lab Inspection Proxy"));
    assert!(!contains(&chain[0], "Lab Public Root CA"));
    assert_eq!(lab.counters().tls_inspected_accepts, 2);
}

#[tokio::test]
async fn expired_certificate_fails_verification() {
    let lab = crate::lab().await;
    let err = certificate_error(handshake(lab.tls_expired, "localhost", &lab.public_ca_pem).await);
    assert!(
        matches!(
            err,
            CertificateError::Expired | CertificateError::ExpiredContext { .. }
        ),
        "{err:?}"
    );
    assert_eq!(lab.counters().tls_expired_accepts, 1);
}

#[tokio::test]
async fn not_yet_valid_certificate_fails_verification() {
    let lab = crate::lab().await;
    let err =
        certificate_error(handshake(lab.tls_not_yet_valid, "localhost", &lab.public_ca_pem).await);
    assert!(
        matches!(
            err,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. }
        ),
        "{err:?}"
    );
    assert_eq!(lab.counters().tls_not_yet_valid_accepts, 1);
}

#[tokio::test]
async fn wrong_name_certificate_fails_for_localhost_only() {
    let lab = crate::lab().await;
    let err =
        certificate_error(handshake(lab.tls_wrong_name, "localhost", &lab.public_ca_pem).await);
    assert!(
        matches!(
            err,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
        ),
        "{err:?}"
    );
    // The same certificate is fine for the name it was issued for.
    handshake(lab.tls_wrong_name, "wrong.lab.test", &lab.public_ca_pem)
        .await
        .unwrap();
    assert_eq!(lab.counters().tls_wrong_name_accepts, 2);
}

#[tokio::test]
async fn the_leaf_also_names_the_configured_ip() {
    let cfg = md_lab::LabConfig {
        ip: "::1".parse().unwrap(),
        dns_port: 0,
    };
    let Ok(lab) = md_lab::Lab::start(cfg).await else {
        eprintln!("!!!!! SKIPPED: no IPv6 loopback here !!!!!");
        return;
    };
    for name in ["::1", "localhost"] {
        handshake(lab.tls_public, name, &lab.public_ca_pem)
            .await
            .unwrap();
    }
    let err = certificate_error(handshake(lab.tls_public, "::2", &lab.public_ca_pem).await);
    assert!(
        matches!(
            err,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
        ),
        "{err:?}"
    );
}
