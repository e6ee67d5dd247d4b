//! One hop on the way to a server: directly, or through a proxy. The answer
//! of a proxy auto-config script is a list of these (see `md_pac`), and the
//! HTTP client and the tunnel take one to know how to connect.

/// What FindProxyForURL returned, parsed: in order of preference.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "address", rename_all = "snake_case")]
pub enum PacProxy {
    /// Connect without a proxy.
    Direct,
    /// An HTTP proxy (`PROXY` or `HTTP`), as "host:port".
    Proxy(String),
    /// An HTTP proxy reached over TLS (`HTTPS`), as "host:port".
    Https(String),
    /// A SOCKS proxy (`SOCKS`, `SOCKS4`, `SOCKS5`), as "host:port".
    Socks(String),
}
