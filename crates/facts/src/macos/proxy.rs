//! The proxy: scutil --proxy.

use super::*;

/// `scutil --proxy`: the proxy configuration applications get from the
/// system (the primary service's, plus each service's under `__SCOPED__`).
pub fn proxy_spec() -> CommandSpec {
    CommandSpec::new("scutil", &["--proxy"]).c_locale()
}

/// Reads `scutil --proxy`: manual HTTP/HTTPS/SOCKS proxies (only when their
/// `…Enable` is 1), the PAC URL (when `ProxyAutoConfigEnable` is 1),
/// auto-discovery (WPAD) and `ExceptionsList` as the bypass list.
///
/// The top level is what applications use and wins. Only when it is direct
/// is `__SCOPED__` looked at: the first interface (in scutil's order) whose
/// own settings are not direct is reported, with source
/// `"scutil --proxy (__SCOPED__ <if>)"`, so a proxy set on a secondary
/// service (one that becomes primary when Wi-Fi drops) is not missed.
pub fn parse_scutil_proxy(text: &str) -> Result<ProxySettings, ParseError> {
    let dict = parse_scutil_dictionary(text, SCUTIL_PROXY)?;
    let top = proxy_from_dictionary(&dict, SCUTIL_PROXY.to_string());
    if !top.is_direct() {
        return Ok(top);
    }
    let scoped = dict
        .get("__SCOPED__")
        .map(ScutilValue::entries)
        .unwrap_or_default();
    Ok(scoped
        .iter()
        .map(|(interface, d)| {
            proxy_from_dictionary(d, format!("{SCUTIL_PROXY} (__SCOPED__ {interface})"))
        })
        .find(|p| !p.is_direct())
        .unwrap_or(top))
}

pub(super) fn proxy_from_dictionary(d: &ScutilValue, source: String) -> ProxySettings {
    ProxySettings {
        source,
        auto_detect: d.flag("ProxyAutoDiscoveryEnable"),
        pac_url: d
            .flag("ProxyAutoConfigEnable")
            .then(|| d.str("ProxyAutoConfigURLString"))
            .flatten()
            .map(str::to_string),
        http: manual_proxy(d, "HTTP"),
        https: manual_proxy(d, "HTTPS"),
        socks: manual_proxy(d, "SOCKS"),
        bypass: d.strings("ExceptionsList"),
    }
}

/// `<P>Proxy:<P>Port` when `<P>Enable` is 1 and a host is set.
pub(super) fn manual_proxy(d: &ScutilValue, prefix: &str) -> Option<String> {
    if !d.flag(&format!("{prefix}Enable")) {
        return None;
    }
    let host = d.str(&format!("{prefix}Proxy"))?;
    Some(host_port(host, d.str(&format!("{prefix}Port"))))
}

/// "host:port", with IPv6 literals bracketed; the host alone without a port.
pub(super) fn host_port(host: &str, port: Option<&str>) -> String {
    match port {
        Some(port) if host.contains(':') => format!("[{host}]:{port}"),
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// `networksetup -getwebproxy <service>` and `-getsecurewebproxy <service>`
/// (`kind` is "web" or "secureweb"): one service's manual proxy, by name
/// (a service name from `networksetup -listallnetworkservices`).
pub fn networksetup_proxy_spec(kind: &str, service: &str) -> CommandSpec {
    let flag = format!("-get{kind}proxy");
    CommandSpec::new("networksetup", &[&flag, service]).c_locale()
}

/// Reads `networksetup -getwebproxy/-getsecurewebproxy`: `Some("host:port")`
/// when `Enabled: Yes`, `None` when `Enabled: No`.
pub fn parse_networksetup_proxy(text: &str) -> Result<Option<String>, ParseError> {
    let field = |name: &str| colon_fields(text).find(|(k, _)| *k == name).map(|(_, v)| v);
    let enabled = match field("Enabled") {
        Some("Yes") => true,
        Some("No") => false,
        Some(other) => {
            return Err(ParseError::new(
                NETWORKSETUP_PROXY,
                format!("unknown Enabled value {other:?}"),
            ))
        }
        None => return Err(ParseError::new(NETWORKSETUP_PROXY, "no \"Enabled:\" line")),
    };
    if !enabled {
        return Ok(None);
    }
    let server = field("Server")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ParseError::new(NETWORKSETUP_PROXY, "enabled, but no \"Server:\""))?;
    Ok(Some(host_port(
        server,
        field("Port").filter(|p| !p.is_empty() && *p != "0"),
    )))
}

/// `Key: Value` lines (split at the first ": "), trimmed.
pub(super) fn colon_fields(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        line.split_once(':').map(|(k, v)| (k.trim(), v.trim()))
    })
}
