//! The proxy: Internet Settings (per person) and WinHTTP (machine-wide).

use super::*;

pub(super) const PROXY_TOOL: &str = "HKCU Internet Settings";

pub(super) const PROXY_SCRIPT: &str = r#"$k = Get-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings' -ErrorAction SilentlyContinue
$c = (Get-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections' -ErrorAction SilentlyContinue).DefaultConnectionSettings
$flags = if ($c -and $c.Length -gt 8) { [int]$c[8] } else { $null }
ConvertTo-Json -Compress -InputObject ([pscustomobject]@{ ProxyEnable = $k.ProxyEnable; ProxyServer = $k.ProxyServer; ProxyOverride = $k.ProxyOverride; AutoConfigURL = $k.AutoConfigURL; ConnectionFlags = $flags })"#;

/// Reads the current user's WinINet proxy settings (what Zoom and browsers
/// use): `ProxyEnable`, `ProxyServer`, `ProxyOverride` and `AutoConfigURL`
/// under HKCU `Software\Microsoft\Windows\CurrentVersion\Internet Settings`,
/// and byte 8 of `Connections\DefaultConnectionSettings` (the connection
/// flags, whose bit 0x08 is "automatically detect settings") as JSON.
pub fn proxy_spec() -> CommandSpec {
    CommandSpec::powershell(PROXY_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ProxyJson {
    pub(super) proxy_enable: Option<Value>,
    pub(super) proxy_server: Option<String>,
    pub(super) proxy_override: Option<String>,
    #[serde(rename = "AutoConfigURL")]
    pub(super) auto_config_url: Option<String>,
    pub(super) connection_flags: Option<u8>,
}

/// `PROXY_TYPE_AUTO_DETECT` of the connection flags (INTERNET_PER_CONN_FLAGS).
pub(super) const AUTO_DETECT_FLAG: u8 = 0x08;

/// Parses [`proxy_spec`]'s JSON. A `ProxyServer` left behind with
/// `ProxyEnable` 0 means direct; `host:port` applies to HTTP and HTTPS,
/// `http=h:p;https=h:p;socks=h:p` sets each scheme (`ftp=` is ignored).
pub fn parse_proxy(json: &str) -> Result<ProxySettings, ParseError> {
    let raw: ProxyJson = json_record(PROXY_TOOL, json)?;
    let enabled = matches!(
        enum_text(&raw.proxy_enable).as_deref(),
        Some("1") | Some("True")
    );
    let mut settings = ProxySettings {
        source: PROXY_TOOL.to_string(),
        auto_detect: raw
            .connection_flags
            .is_some_and(|f| f & AUTO_DETECT_FLAG != 0),
        pac_url: non_empty(raw.auto_config_url.as_deref()),
        ..ProxySettings::default()
    };
    if let (true, Some(server)) = (enabled, non_empty(raw.proxy_server.as_deref())) {
        apply_proxy_server(&mut settings, &server);
        settings.bypass = split_bypass(raw.proxy_override.as_deref().unwrap_or(""));
    }
    Ok(settings)
}

/// Fills the manual proxies from a WinINet/WinHTTP `ProxyServer` value.
pub(super) fn apply_proxy_server(settings: &mut ProxySettings, server: &str) {
    if !server.contains('=') {
        let hp = strip_scheme(server);
        settings.http = Some(hp.clone());
        settings.https = Some(hp);
        return;
    }
    for entry in server.split([';', ' ']).filter(|e| !e.trim().is_empty()) {
        let Some((scheme, hp)) = entry.split_once('=') else {
            continue;
        };
        let hp = Some(strip_scheme(hp)).filter(|h| !h.is_empty());
        match scheme.trim().to_ascii_lowercase().as_str() {
            "http" => settings.http = hp,
            "https" => settings.https = hp,
            "socks" | "socks4" | "socks5" => settings.socks = hp,
            _ => {}
        }
    }
}

/// `http://proxy:8080/` → `proxy:8080`.
pub(super) fn strip_scheme(value: &str) -> String {
    let v = value.trim();
    let v = v.split_once("://").map_or(v, |(_, rest)| rest);
    v.trim_end_matches('/').to_string()
}

pub(super) fn split_bypass(list: &str) -> Vec<String> {
    list.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) const WINHTTP_TOOL: &str = "netsh winhttp show proxy";

/// Reads the machine-wide WinHTTP proxy (used by services and some updaters,
/// not by the Zoom client itself): `netsh winhttp show proxy`.
pub fn winhttp_spec() -> CommandSpec {
    CommandSpec::new("netsh", &["winhttp", "show", "proxy"])
}

/// Parses `netsh winhttp show proxy`. The words are translated, so a proxy
/// is recognised by a `host:port` token in a value, never by words: "Direct
/// access (no proxy server)." in any language gives direct settings. The
/// value after the proxy's line is the bypass list (a parenthesised value
/// such as `(none)` means empty).
pub fn parse_winhttp(text: &str) -> Result<ProxySettings, ParseError> {
    require_text(WINHTTP_TOOL, text)?;
    if !text.to_ascii_lowercase().contains("winhttp") {
        return Err(ParseError::new(WINHTTP_TOOL, "not a WinHTTP proxy listing"));
    }
    let mut settings = ProxySettings {
        source: "WinHTTP".to_string(),
        ..ProxySettings::default()
    };
    let values: Vec<&str> = text
        .lines()
        .filter_map(label_value)
        .map(|(_, v)| v)
        .collect();
    if let Some(i) = values.iter().position(|v| has_host_port(v)) {
        apply_proxy_server(&mut settings, values[i]);
        if let Some(bypass) = values.get(i + 1).filter(|v| !v.starts_with('(')) {
            settings.bypass = split_bypass(bypass);
        }
    }
    Ok(settings)
}

/// A `host:port` (optionally `scheme=host:port`) token somewhere in `value`.
pub(super) fn has_host_port(value: &str) -> bool {
    value.split([';', ' ']).any(|token| {
        let token = token.split_once('=').map_or(token, |(_, hp)| hp);
        let token = strip_scheme(token);
        token.rsplit_once(':').is_some_and(|(host, port)| {
            !host.is_empty()
                && !host.ends_with(':')
                && !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
        })
    })
}
