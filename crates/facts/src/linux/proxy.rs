//! The proxy: environment variables, GNOME and KDE settings.

use super::*;

/// The proxy environment variables (as curl, most command-line tools and
/// many apps read them; lower case wins, as curl does).
pub fn parse_env_proxy<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) -> ProxySettings {
    let vars: Vec<(&str, &str)> = vars.into_iter().collect();
    let raw = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .or_else(|| vars.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let get = |name: &str| raw(name).map(strip_scheme);
    // all_proxy with a socks scheme is a SOCKS proxy; otherwise it stands in
    // for whichever of http/https is not set.
    let all_is_socks = raw("all_proxy").is_some_and(|v| v.starts_with("socks"));
    let all = get("all_proxy");
    ProxySettings {
        source: "environment".into(),
        http: get("http_proxy").or_else(|| all.clone().filter(|_| !all_is_socks)),
        https: get("https_proxy").or_else(|| all.clone().filter(|_| !all_is_socks)),
        socks: all.filter(|_| all_is_socks),
        bypass: get("no_proxy")
            .map(|n| {
                n.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        ..Default::default()
    }
}

/// "http://user:pw@host:3128/" → "host:3128" (credentials never kept).
pub(super) fn strip_scheme(v: &str) -> String {
    let v = v.split_once("://").map_or(v, |(_, rest)| rest);
    let v = v.rsplit_once('@').map_or(v, |(_, host)| host);
    v.trim_end_matches('/').to_string()
}

/// GNOME: `gsettings list-recursively org.gnome.system.proxy`.
pub fn gnome_proxy_spec() -> CommandSpec {
    CommandSpec::new("gsettings", &["list-recursively", "org.gnome.system.proxy"]).c_locale()
}

pub fn parse_gsettings_proxy(text: &str) -> Result<ProxySettings, ParseError> {
    const TOOL: &str = "gsettings";
    let mut kv = std::collections::HashMap::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, ' ');
        if let (Some(schema), Some(key), Some(value)) = (parts.next(), parts.next(), parts.next()) {
            if let Some(sub) = schema.strip_prefix("org.gnome.system.proxy") {
                kv.insert(
                    format!(
                        "{}{key}",
                        sub.trim_start_matches('.').to_string()
                            + if sub.is_empty() { "" } else { "." }
                    ),
                    value.trim().trim_matches('\'').to_string(),
                );
            }
        }
    }
    let mode = kv
        .get("mode")
        .ok_or_else(|| ParseError::new(TOOL, "no org.gnome.system.proxy mode"))?
        .clone();
    let endpoint = |scheme: &str| {
        let host = kv
            .get(&format!("{scheme}.host"))
            .filter(|h| !h.is_empty())?;
        let port = kv
            .get(&format!("{scheme}.port"))
            .cloned()
            .unwrap_or_default();
        Some(if port.is_empty() || port == "0" {
            host.clone()
        } else {
            format!("{host}:{port}")
        })
    };
    let bypass = kv
        .get("ignore-hosts")
        .map(|v| {
            v.trim_matches(['[', ']'])
                .split(',')
                .map(|s| s.trim().trim_matches('\'').to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut p = ProxySettings {
        source: "GNOME".into(),
        bypass,
        ..Default::default()
    };
    match mode.as_str() {
        "none" => p.bypass.clear(),
        "manual" => {
            p.http = endpoint("http");
            p.https = endpoint("https");
            p.socks = endpoint("socks");
        }
        "auto" => match kv.get("autoconfig-url").filter(|u| !u.is_empty()) {
            Some(url) => p.pac_url = Some(url.clone()),
            None => p.auto_detect = true,
        },
        other => {
            return Err(ParseError::new(
                TOOL,
                format!("unknown proxy mode {other:?}"),
            ))
        }
    }
    Ok(p)
}

/// KDE: `~/.config/kioslaverc`, section `[Proxy Settings]`.
pub fn parse_kioslaverc(text: &str) -> Result<ProxySettings, ParseError> {
    const TOOL: &str = "kioslaverc";
    let mut in_section = false;
    let mut kv = std::collections::HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[Proxy Settings]";
        } else if in_section {
            if let Some((k, v)) = line.split_once('=') {
                kv.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
    }
    let kind = kv
        .get("ProxyType")
        .ok_or_else(|| ParseError::new(TOOL, "no ProxyType in [Proxy Settings]"))?;
    // KDE writes "http://host port" (a space before the port).
    let endpoint = |key: &str| {
        kv.get(key)
            .filter(|v| !v.is_empty())
            .map(|v| strip_scheme(v).replace(' ', ":"))
    };
    let mut p = ProxySettings {
        source: "KDE".into(),
        ..Default::default()
    };
    match kind.as_str() {
        "0" => {}
        "1" => {
            p.http = endpoint("httpProxy");
            p.https = endpoint("httpsProxy");
            p.socks = endpoint("socksProxy");
            p.bypass = kv
                .get("NoProxyFor")
                .map(|n| {
                    n.split(',')
                        .map(str::to_string)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
        }
        "2" => {
            p.pac_url = kv
                .get("Proxy Config Script")
                .filter(|v| !v.is_empty())
                .cloned()
        }
        "3" => p.auto_detect = true,
        // 4: use the environment variables; the caller reads those.
        "4" => p.source = "KDE (environment)".into(),
        other => {
            return Err(ParseError::new(
                TOOL,
                format!("unknown ProxyType {other:?}"),
            ))
        }
    }
    Ok(p)
}
