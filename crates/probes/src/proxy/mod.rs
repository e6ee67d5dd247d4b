//! The proxy Zoom's traffic takes, and whether it lets Zoom through.
//!
//! The Zoom client follows the system's proxy settings: a manual proxy with
//! its exception list, or a proxy auto-config (PAC) script it downloads and
//! asks for each URL. [`route`] does the same for one URL (reqwest reads
//! neither PAC nor Windows' per-scheme form by itself, so the engine decides
//! here and hands the probes an explicit proxy). [`tunnel`] opens a
//! connection through the chosen proxy the way Zoom does — HTTP `CONNECT`
//! or SOCKS5 — so a proxy that wants a sign-in (407) or refuses Zoom (403)
//! is seen as such.

use std::net::IpAddr;
use std::time::Duration;

use serde::Serialize;

use serde_json::json;

use md_facts::collect::Fact;
use md_facts::ProxySettings;
use md_model::finding::{Finding, Status};
use md_model::ids::CheckId;
use md_model::profile::Endpoint;
use md_net as net;
use md_pac::{self as pac, PacProxy};

mod check;
mod route;
#[cfg(test)]
mod tests;

pub use check::*;
pub use md_net::tunnel::*;
pub use route::*;

/// How the proxy for one URL was chosen, and the proxies to try in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    pub url: String,
    /// In order of preference; `[Direct]` when no proxy applies.
    pub chain: Vec<PacProxy>,
    /// "no proxy set", "manual proxy (environment)", "exception list",
    /// "proxy script http://…"…
    pub how: String,
}

impl Route {
    pub fn direct(url: &str, how: impl Into<String>) -> Route {
        Route {
            url: url.to_string(),
            chain: vec![PacProxy::Direct],
            how: how.into(),
        }
    }

    /// The first choice, when it is a proxy.
    pub fn first_proxy(&self) -> Option<&PacProxy> {
        self.chain.first().filter(|p| **p != PacProxy::Direct)
    }
}

/// Why the route could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("the proxy script {url} could not be read: {why}")]
    PacFetch { url: String, why: String },
    #[error("the proxy script {url}: {error}")]
    Pac { url: String, error: pac::PacError },
}
