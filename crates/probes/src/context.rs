//! What every probe shares: the profile, the trust stores and an HTTP client.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, OnceCell};

use rustls::ClientConfig;

use crate::proxy::Script;
use md_facts::collect::Fact;
use md_facts::{Platform, ProxySettings};
use md_model::error::{Error, Result};
use md_model::profile::Profile;
use md_net::trust::{crypto_provider, Trust};
use md_pac::PacProxy;

#[derive(Debug, Clone)]
pub struct Context {
    pub profile: Arc<Profile>,
    pub trust: Trust,
    /// Does not follow redirects (a captive portal's redirect is evidence).
    /// Never uses a proxy by itself: see [`Context::http_for`].
    pub http: reqwest::Client,
    /// The computer whose settings are read (this one, or a replay).
    pub platform: Platform,
    proxy: Arc<ProxyState>,
}

/// The system proxy, read once per run and shared by the probes.
#[derive(Debug, Default)]
struct ProxyState {
    /// Settings given by the caller (tests, a technician's override).
    given: Option<Fact<ProxySettings>>,
    settings: OnceCell<Fact<ProxySettings>>,
    /// The proxy script, found and fetched once for every probe.
    script: OnceCell<Script>,
    /// The proxy chosen per URL origin ("https://zoom.us:443").
    routes: Mutex<HashMap<String, Option<PacProxy>>>,
}

impl Context {
    /// Loads the trust stores the profile and the OS name.
    pub fn new(profile: Profile) -> Result<Context> {
        let trust = Trust::load(&profile.extra_root_paths())?;
        Self::with_trust(profile, trust)
    }

    /// Uses trust stores already built (tests give their own OS store).
    pub fn with_trust(profile: Profile, trust: Trust) -> Result<Context> {
        let http = http_client(&profile, &trust, None)?;
        Ok(Context {
            profile: Arc::new(profile),
            trust,
            http,
            platform: Platform::this_computer(),
            proxy: Arc::default(),
        })
    }

    /// Reads this platform's settings instead of this computer's (a test
    /// replaying another OS's recorded outputs).
    pub fn with_platform(mut self, platform: Platform) -> Context {
        self.platform = platform;
        self
    }

    /// Uses these proxy settings instead of reading the system's.
    pub fn with_proxy_settings(mut self, settings: Fact<ProxySettings>) -> Context {
        self.proxy = Arc::new(ProxyState {
            given: Some(settings),
            ..Default::default()
        });
        self
    }

    /// The system proxy settings (read on first use).
    pub async fn proxy_settings(&self) -> Fact<ProxySettings> {
        self.proxy
            .settings
            .get_or_init(|| async {
                match &self.proxy.given {
                    Some(s) => s.clone(),
                    None => self.platform.proxy_settings().await,
                }
            })
            .await
            .clone()
    }

    /// The proxy script the settings name, fetched once per run (half a
    /// step at most: the probes waiting on it still have time of their own).
    pub async fn proxy_script(&self) -> Script {
        self.proxy
            .script
            .get_or_init(|| async {
                match self.proxy_settings().await.value() {
                    Some(s) if !s.is_direct() => {
                        crate::proxy::find_script(s, self.profile.probe_timeout() / 2).await
                    }
                    _ => Script::NotSet,
                }
            })
            .await
            .clone()
    }

    /// The proxy the system would use for `url`, if any (a proxy script
    /// that fails counts as none here; the `proxy` check reports it).
    pub async fn via(&self, url: &url::Url) -> Option<PacProxy> {
        let key = url.origin().ascii_serialization();
        let mut routes = self.proxy.routes.lock().await;
        if let Some(v) = routes.get(&key) {
            return v.clone();
        }
        let via = match self.proxy_settings().await.value() {
            Some(s) if !s.is_direct() => {
                let script = self.proxy_script().await;
                let my_ip = crate::proxy::local_ip_toward(None);
                // A script that fails counts as none here; the proxy check
                // reports it.
                crate::proxy::route(s, &script, url, my_ip, self.profile.probe_timeout())
                    .await
                    .ok()
                    .and_then(|r| r.first_proxy().cloned())
            }
            _ => None,
        };
        routes.insert(key, via.clone());
        via
    }

    /// An HTTP client that goes through the proxy the system would use for
    /// `url` (the shared one when that is direct).
    pub async fn http_for(&self, url: &url::Url) -> Result<reqwest::Client> {
        match self.via(url).await {
            None => Ok(self.http.clone()),
            Some(hop) => http_client(&self.profile, &self.trust, Some(&hop)),
        }
    }
}

fn http_client(
    profile: &Profile,
    trust: &Trust,
    via: Option<&PacProxy>,
) -> Result<reqwest::Client> {
    // HTTPS fetches (status page, speed test) trust what either store trusts:
    // their purpose is data, not judging the certificate (the TLS check does).
    let mut roots = (*trust.public).clone();
    roots.roots.extend(trust.local.roots.iter().cloned());
    let tls = ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::HttpClient(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut builder = reqwest::Client::builder().no_proxy();
    match via {
        None | Some(PacProxy::Direct) => {}
        Some(PacProxy::Proxy(p)) => {
            builder = builder.proxy(
                reqwest::Proxy::all(format!("http://{p}"))
                    .map_err(|e| Error::HttpClient(e.to_string()))?,
            )
        }
        Some(PacProxy::Https(p)) => {
            builder = builder.proxy(
                reqwest::Proxy::all(format!("https://{p}"))
                    .map_err(|e| Error::HttpClient(e.to_string()))?,
            )
        }
        Some(PacProxy::Socks(p)) => {
            builder = builder.proxy(
                reqwest::Proxy::all(format!("socks5h://{p}"))
                    .map_err(|e| Error::HttpClient(e.to_string()))?,
            )
        }
    }
    builder
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(profile.probe_timeout())
        .pool_max_idle_per_host(0)
        .user_agent(concat!("meeting-doctor/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::HttpClient(e.to_string()))
}
