//! The two trust stores the TLS check compares: what the public trusts
//! (webpki-roots plus the profile's `extra_roots`) and what this computer
//! trusts (the OS store plus the same extras). A chain only the computer
//! trusts was re-signed by something on the path: TLS interception.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use md_model::error::{Error, Result};

/// The one TLS implementation every check uses (ring), so a verdict never
/// depends on which provider happened to be installed process-wide.
pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

#[derive(Debug, Clone)]
pub struct Trust {
    pub public: Arc<RootCertStore>,
    pub local: Arc<RootCertStore>,
    /// Certificates from `extra_roots`, also added to the HTTP client.
    pub extra: Vec<CertificateDer<'static>>,
    /// Problems met while reading the OS store (reported, not fatal).
    pub local_errors: Vec<String>,
}

impl Trust {
    /// Loads the extras named by the profile and the OS store (which honours
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR`, as OpenSSL-based programs do).
    pub fn load(extra_roots: &[PathBuf]) -> Result<Trust> {
        let extra = load_pem_files(extra_roots)?;
        let native = rustls_native_certs::load_native_certs();
        let local_errors = native.errors.iter().map(|e| e.to_string()).collect();
        Ok(Self::from_parts(extra, native.certs, local_errors))
    }

    /// Builds the stores from certificates already in hand.
    pub fn from_parts(
        extra: Vec<CertificateDer<'static>>,
        os: Vec<CertificateDer<'static>>,
        local_errors: Vec<String>,
    ) -> Trust {
        let mut public = RootCertStore::empty();
        public.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        public.add_parsable_certificates(extra.iter().cloned());
        let mut local = RootCertStore::empty();
        local.add_parsable_certificates(os);
        local.add_parsable_certificates(extra.iter().cloned());
        Trust {
            public: Arc::new(public),
            local: Arc::new(local),
            extra,
            local_errors,
        }
    }
}

/// Reads every certificate of each PEM file.
pub fn load_pem_files(paths: &[PathBuf]) -> Result<Vec<CertificateDer<'static>>> {
    let mut out = Vec::new();
    for path in paths {
        out.extend(load_pem_file(path)?);
    }
    Ok(out)
}

fn load_pem_file(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let err = |message: String| Error::ExtraRoot {
        path: path.to_path_buf(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| err(format!("not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(err(
            "no certificate found (expected -----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_or_empty_pem_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.pem");
        let e = load_pem_files(std::slice::from_ref(&missing))
            .unwrap_err()
            .to_string();
        assert!(e.contains("nope.pem"), "{e}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "hello\n").unwrap();
        let e = load_pem_files(&[empty]).unwrap_err().to_string();
        assert!(e.contains("no certificate"), "{e}");
    }

    #[test]
    fn public_store_has_webpki_roots_and_extras_only() {
        let t = Trust::from_parts(vec![], vec![], vec![]);
        assert!(t.public.len() > 100);
        assert_eq!(t.local.len(), 0);
    }
}
