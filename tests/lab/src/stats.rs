//! Request counters: they let a test prove that a probe really talked to a server.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// A snapshot of how many requests each server of a lab has seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Well-formed queries the primary DNS persona received (UDP and TCP).
    pub dns_queries: u64,
    /// Well-formed queries the reference DNS persona received (UDP and TCP).
    pub dns_reference_queries: u64,
    /// Of the two above, the queries that came over TCP.
    pub dns_tcp_queries: u64,
    /// Datagrams the silent DNS server swallowed.
    pub dns_silent_datagrams: u64,
    /// Binding requests the STUN server answered.
    pub stun_requests: u64,
    /// Binding requests the wrong-transaction-id STUN server answered.
    pub stun_wrong_txid_requests: u64,
    /// Datagrams the garbage server answered.
    pub udp_garbage_datagrams: u64,
    /// Datagrams the silent UDP server swallowed.
    pub udp_silent_datagrams: u64,
    /// Connections the open TCP server accepted.
    pub tcp_accepts: u64,
    /// TCP connections accepted by the TLS server of the public CA.
    pub tls_public_accepts: u64,
    /// TCP connections accepted by the inspection-proxy TLS server.
    pub tls_inspected_accepts: u64,
    /// TCP connections accepted by the expired-certificate TLS server.
    pub tls_expired_accepts: u64,
    /// TCP connections accepted by the not-yet-valid-certificate TLS server.
    pub tls_not_yet_valid_accepts: u64,
    /// TCP connections accepted by the wrong-name TLS server.
    pub tls_wrong_name_accepts: u64,
    /// Requests the open proxy served (CONNECT or absolute-form).
    pub proxy_open_requests: u64,
    /// Requests the sign-in proxy refused with 407.
    pub proxy_auth_requests: u64,
    /// Requests the policy proxy refused with 403.
    pub proxy_deny_requests: u64,
    /// Requests the plain HTTP server answered.
    pub http: HttpCounters,
    /// Requests answered over TLS (after a completed handshake), by any TLS server.
    pub https: HttpCounters,
}

/// Requests one HTTP front end answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpCounters {
    /// Every answered request, including 400 and 404.
    pub requests: u64,
    /// Requests per route: "/generate_204", "/ok", "/portal", "/portal-page",
    /// "/portal-hostile", "/date-skew", "/no-date", "/status", "/status-huge",
    /// "/download", "/upload",
    /// "/slow-download", and "404" / "400" for the rest.
    pub routes: BTreeMap<String, u64>,
}

impl HttpCounters {
    /// How many requests a route answered (0 when it never did).
    pub fn route(&self, route: &str) -> u64 {
        self.routes.get(route).copied().unwrap_or(0)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) dns_queries: AtomicU64,
    pub(crate) dns_reference_queries: AtomicU64,
    pub(crate) dns_tcp_queries: AtomicU64,
    pub(crate) dns_silent_datagrams: AtomicU64,
    pub(crate) stun_requests: AtomicU64,
    pub(crate) stun_wrong_txid_requests: AtomicU64,
    pub(crate) udp_garbage_datagrams: AtomicU64,
    pub(crate) udp_silent_datagrams: AtomicU64,
    pub(crate) tcp_accepts: AtomicU64,
    pub(crate) tls_public_accepts: AtomicU64,
    pub(crate) tls_inspected_accepts: AtomicU64,
    pub(crate) tls_expired_accepts: AtomicU64,
    pub(crate) tls_not_yet_valid_accepts: AtomicU64,
    pub(crate) tls_wrong_name_accepts: AtomicU64,
    pub(crate) proxy_open_requests: AtomicU64,
    pub(crate) proxy_auth_requests: AtomicU64,
    pub(crate) proxy_deny_requests: AtomicU64,
    pub(crate) http: HttpStats,
    pub(crate) https: HttpStats,
}

#[derive(Debug, Default)]
pub(crate) struct HttpStats {
    requests: AtomicU64,
    routes: Mutex<BTreeMap<&'static str, u64>>,
}

impl HttpStats {
    pub(crate) fn record(&self, route: &'static str) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        // A poisoned map still holds valid counts.
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        *routes.entry(route).or_default() += 1;
    }

    fn snapshot(&self) -> HttpCounters {
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        HttpCounters {
            requests: self.requests.load(Ordering::Relaxed),
            routes: routes.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        }
    }
}

pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Stats {
    pub(crate) fn snapshot(&self) -> Counters {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Counters {
            dns_queries: get(&self.dns_queries),
            dns_reference_queries: get(&self.dns_reference_queries),
            dns_tcp_queries: get(&self.dns_tcp_queries),
            dns_silent_datagrams: get(&self.dns_silent_datagrams),
            stun_requests: get(&self.stun_requests),
            stun_wrong_txid_requests: get(&self.stun_wrong_txid_requests),
            udp_garbage_datagrams: get(&self.udp_garbage_datagrams),
            udp_silent_datagrams: get(&self.udp_silent_datagrams),
            tcp_accepts: get(&self.tcp_accepts),
            tls_public_accepts: get(&self.tls_public_accepts),
            tls_inspected_accepts: get(&self.tls_inspected_accepts),
            tls_expired_accepts: get(&self.tls_expired_accepts),
            tls_not_yet_valid_accepts: get(&self.tls_not_yet_valid_accepts),
            tls_wrong_name_accepts: get(&self.tls_wrong_name_accepts),
            proxy_open_requests: get(&self.proxy_open_requests),
            proxy_auth_requests: get(&self.proxy_auth_requests),
            proxy_deny_requests: get(&self.proxy_deny_requests),
            http: self.http.snapshot(),
            https: self.https.snapshot(),
        }
    }
}
