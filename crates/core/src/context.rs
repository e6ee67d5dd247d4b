//! What every probe shares: the profile, the trust stores and an HTTP client.

use std::sync::Arc;

use rustls::ClientConfig;

use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::trust::Trust;

pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

#[derive(Debug, Clone)]
pub struct Context {
    pub profile: Arc<Profile>,
    pub trust: Trust,
    /// Does not follow redirects (a captive portal's redirect is evidence).
    pub http: reqwest::Client,
}

impl Context {
    /// Loads the trust stores the profile and the OS name.
    pub fn new(profile: Profile) -> Result<Context> {
        let trust = Trust::load(&profile.extra_root_paths())?;
        Self::with_trust(profile, trust)
    }

    /// Uses trust stores already built (tests give their own OS store).
    pub fn with_trust(profile: Profile, trust: Trust) -> Result<Context> {
        let http = http_client(&profile, &trust)?;
        Ok(Context {
            profile: Arc::new(profile),
            trust,
            http,
        })
    }
}

fn http_client(profile: &Profile, trust: &Trust) -> Result<reqwest::Client> {
    // HTTPS fetches (status page, speed test) trust what either store trusts:
    // their purpose is data, not judging the certificate (the TLS check does).
    let mut roots = (*trust.public).clone();
    roots.roots.extend(trust.local.roots.iter().cloned());
    let tls = ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::HttpClient(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(profile.probe_timeout())
        .pool_max_idle_per_host(0)
        .user_agent(concat!("meeting-doctor/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::HttpClient(e.to_string()))
}
