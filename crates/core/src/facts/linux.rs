//! Linux readers: command specs, file readers and parsers. `ip -j` JSON is
//! preferred to text; text tools run with `LC_ALL=C`.

use std::net::IpAddr;

use serde_json::Value;

use super::command::CommandSpec;
use super::model::*;

const IP: &str = "ip -j";

fn json(tool: &'static str, text: &str) -> Result<Value, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::new(tool, "no output"));
    }
    serde_json::from_str(text)
        .map_err(|e| ParseError::new(tool, format!("not the JSON it prints: {e}")))
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Parses an address, dropping an IPv6 zone (`fe80::1%eth0`).
fn ip(s: &str) -> Option<IpAddr> {
    s.split('%').next()?.trim().parse().ok()
}

// ---------------------------------------------------------------- routes

/// `ip -j route get <dest>`: the route the kernel picks for one address.
pub fn route_spec(dest: IpAddr) -> CommandSpec {
    CommandSpec::new("ip", &["-j", "route", "get", &dest.to_string()]).c_locale()
}

pub fn parse_route_get(text: &str, dest: IpAddr) -> Result<Route, ParseError> {
    let v = json(IP, text)?;
    let r = v
        .as_array()
        .and_then(|a| a.first())
        .ok_or_else(|| ParseError::new(IP, "expected a list with one route"))?;
    let interface =
        str_field(r, "dev").ok_or_else(|| ParseError::new(IP, "the route names no device"))?;
    Ok(Route {
        destination: str_field(r, "dst").and_then(ip).unwrap_or(dest),
        interface: interface.to_string(),
        gateway: str_field(r, "gateway").and_then(ip),
        source: str_field(r, "prefsrc").and_then(ip),
    })
}

/// `ip -j route show` (IPv4 main table): for the default routes.
pub fn routes_spec() -> CommandSpec {
    CommandSpec::new("ip", &["-j", "route", "show"]).c_locale()
}

/// Default routes, including the half-default pair (0.0.0.0/1 + 128.0.0.0/1)
/// that VPN clients install to take all traffic without replacing the default.
pub fn parse_default_routes(text: &str) -> Result<Vec<DefaultRoute>, ParseError> {
    let v = json(IP, text)?;
    let routes = v
        .as_array()
        .ok_or_else(|| ParseError::new(IP, "expected a list of routes"))?;
    Ok(routes
        .iter()
        .filter_map(|r| {
            let dst = str_field(r, "dst")?;
            let prefix = match dst {
                "default" => "0.0.0.0/0".to_string(),
                "0.0.0.0/1" | "128.0.0.0/1" | "::/1" | "8000::/1" => dst.to_string(),
                _ => return None,
            };
            Some(DefaultRoute {
                prefix,
                interface: str_field(r, "dev")?.to_string(),
                gateway: str_field(r, "gateway").and_then(ip),
                metric: r
                    .get("metric")
                    .and_then(Value::as_u64)
                    .and_then(|m| u32::try_from(m).ok()),
            })
        })
        .collect())
}

// ---------------------------------------------------------------- interfaces

/// `ip -j -d addr show`: interfaces with their kind, state and addresses.
pub fn interfaces_spec() -> CommandSpec {
    CommandSpec::new("ip", &["-j", "-d", "addr", "show"]).c_locale()
}

fn interface_kind(name: &str, link_type: &str, info_kind: &str) -> InterfaceKind {
    match (link_type, info_kind) {
        ("loopback", _) => InterfaceKind::Loopback,
        ("ppp", _) => InterfaceKind::Ppp,
        (_, "tun" | "wireguard" | "ipip" | "gre" | "vti" | "xfrm") => InterfaceKind::Tunnel,
        (_, "bridge" | "veth" | "macvlan" | "vxlan" | "dummy") => InterfaceKind::Virtual,
        _ if name.starts_with("tun")
            || name.starts_with("tap")
            || name.starts_with("wg")
            || name.starts_with("ipsec")
            || name.ends_with("-xfrm")
            || name.starts_with("tailscale") =>
        {
            InterfaceKind::Tunnel
        }
        _ if name.starts_with("docker")
            || name.starts_with("virbr")
            || name.starts_with("br-")
            || name.starts_with("veth") =>
        {
            InterfaceKind::Virtual
        }
        _ if name.starts_with("wl") || name.starts_with("wlan") => InterfaceKind::Wifi,
        _ if name.starts_with("ww") => InterfaceKind::Cellular,
        ("ether", _) => InterfaceKind::Ethernet,
        ("none", _) => InterfaceKind::Tunnel,
        _ => InterfaceKind::Other,
    }
}

pub fn parse_interfaces(text: &str) -> Result<Vec<Interface>, ParseError> {
    let v = json(IP, text)?;
    let list = v
        .as_array()
        .ok_or_else(|| ParseError::new(IP, "expected a list of interfaces"))?;
    list.iter()
        .map(|i| {
            let name = str_field(i, "ifname")
                .ok_or_else(|| ParseError::new(IP, "an interface without a name"))?;
            let info_kind = i
                .pointer("/linkinfo/info_kind")
                .and_then(Value::as_str)
                .unwrap_or("");
            let flags: Vec<&str> = i
                .get("flags")
                .and_then(Value::as_array)
                .map(|f| f.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let up = flags.contains(&"UP")
                && (flags.contains(&"LOWER_UP") || str_field(i, "operstate") == Some("UP"));
            Ok(Interface {
                name: name.to_string(),
                description: None,
                kind: interface_kind(name, str_field(i, "link_type").unwrap_or(""), info_kind),
                up,
                addresses: i
                    .get("addr_info")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| str_field(x, "local").and_then(ip))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

// ---------------------------------------------------------------- DNS servers

/// `/etc/resolv.conf`: the `nameserver` lines (a local stub such as
/// 127.0.0.53 is reported as it is; resolvectl says what is behind it).
pub fn parse_resolv_conf(text: &str) -> Result<DnsServers, ParseError> {
    let mut servers = Vec::new();
    let mut domains = Vec::new();
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => match words.next().and_then(ip) {
                Some(a) => servers.push(a),
                None => {
                    return Err(ParseError::new(
                        "resolv.conf",
                        format!("a nameserver line without an address: {line:?}"),
                    ))
                }
            },
            Some("search" | "domain") => domains.extend(words.map(str::to_string)),
            _ => {}
        }
    }
    let per_interface = if servers.is_empty() {
        vec![]
    } else {
        vec![InterfaceDns {
            interface: "resolv.conf".into(),
            servers: servers.clone(),
            domains,
        }]
    };
    Ok(DnsServers {
        servers,
        per_interface,
    })
}

/// `resolvectl status` (systemd-resolved): servers per link and globally.
pub fn resolvectl_spec() -> CommandSpec {
    CommandSpec::new("resolvectl", &["status", "--no-pager"]).c_locale()
}

pub fn parse_resolvectl_status(text: &str) -> Result<DnsServers, ParseError> {
    const TOOL: &str = "resolvectl status";
    if !text
        .lines()
        .any(|l| l.starts_with("Global") || l.starts_with("Link "))
    {
        return Err(ParseError::new(TOOL, "no Global or Link section"));
    }
    let mut sections: Vec<(String, Vec<IpAddr>, Vec<String>, bool)> = Vec::new();
    let mut last_key = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Link ") {
            // "Link 2 (enp0s8)"
            let name = rest
                .split_once('(')
                .and_then(|(_, n)| n.strip_suffix(')'))
                .unwrap_or(rest)
                .to_string();
            sections.push((name, vec![], vec![], true));
            continue;
        }
        if line.trim() == "Global" {
            sections.push(("Global".into(), vec![], vec![], true));
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let (key, value) = match line.split_once(':') {
            Some((k, v))
                if !k.trim().is_empty() && !k.trim().contains(char::is_numeric)
                    || line
                        .trim_start()
                        .starts_with(|c: char| c.is_ascii_uppercase())
                        && line.contains(": ") =>
            {
                (k.trim().to_string(), v.trim())
            }
            _ => (last_key.clone(), line.trim()),
        };
        match key.as_str() {
            "DNS Servers" | "Fallback DNS Servers" if key == "DNS Servers" => {
                section.1.extend(value.split_whitespace().filter_map(ip))
            }
            "DNS Domain" => section
                .2
                .extend(value.split_whitespace().map(str::to_string)),
            "Default Route" => section.3 = value != "no",
            "Protocols" => section.3 = section.3 && !value.contains("-DefaultRoute"),
            _ => {}
        }
        last_key = key;
    }
    let per_interface: Vec<InterfaceDns> = sections
        .iter()
        .filter(|(_, s, _, _)| !s.is_empty())
        .map(|(n, s, d, _)| InterfaceDns {
            interface: n.clone(),
            servers: s.clone(),
            domains: d.clone(),
        })
        .collect();
    // The servers general lookups use: links that are default routes for DNS.
    let mut servers: Vec<IpAddr> = sections
        .iter()
        .filter(|(_, _, _, default)| *default)
        .flat_map(|(_, s, _, _)| s.clone())
        .collect();
    servers.dedup();
    Ok(DnsServers {
        servers,
        per_interface,
    })
}

// ---------------------------------------------------------------- proxy

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
fn strip_scheme(v: &str) -> String {
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

// ---------------------------------------------------------------- firewall

/// Zoom's published ports (TCP 443/8801/8802, UDP 3478/3479/8801–8810).
pub fn is_zoom_port(port: u16) -> bool {
    matches!(port, 443 | 3478 | 3479 | 8801..=8810)
}

/// The Zoom ports in `lo..=hi`, found without walking the range (a rule's
/// range can be 1–65535, and a line can hold many of them).
fn zoom_ports_in(lo: u16, hi: u16) -> impl Iterator<Item = u16> {
    [(443, 443), (3478, 3479), (8801, 8810)]
        .into_iter()
        .flat_map(move |(a, b): (u16, u16)| lo.max(a)..=hi.min(b))
}

/// `ufw status verbose`.
pub fn ufw_spec() -> CommandSpec {
    CommandSpec::new("ufw", &["status", "verbose"]).c_locale()
}

pub fn parse_ufw_status(text: &str) -> Result<FirewallState, ParseError> {
    const TOOL: &str = "ufw status";
    let status = text
        .lines()
        .find_map(|l| l.strip_prefix("Status:"))
        .map(str::trim)
        .ok_or_else(|| ParseError::new(TOOL, "no Status: line"))?;
    let enabled = match status {
        "active" => true,
        "inactive" => false,
        other => return Err(ParseError::new(TOOL, format!("unknown status {other:?}"))),
    };
    let defaults = text
        .lines()
        .find_map(|l| l.strip_prefix("Default:"))
        .unwrap_or("");
    let policy = |dir: &str| {
        defaults
            .split(',')
            .find(|p| p.contains(&format!("({dir})")))
            .and_then(|p| p.split_whitespace().next())
            .map(str::to_string)
    };
    let mut rules = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("--") {
            in_table = true;
            continue;
        }
        if !in_table || line.trim().is_empty() {
            continue;
        }
        // "To   Action   From": columns separated by two or more spaces.
        let cols: Vec<&str> = line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let (Some(to), Some(action)) = (cols.first(), cols.get(1)) else {
            continue;
        };
        let touches_zoom = to
            .split(['/', ' '])
            .next()
            .unwrap_or("")
            .split(',')
            .any(|p| match p.split_once(':') {
                Some((a, b)) => match (a.parse::<u16>(), b.parse::<u16>()) {
                    (Ok(a), Ok(b)) => zoom_ports_in(a, b).next().is_some(),
                    _ => false,
                },
                None => p.parse().is_ok_and(is_zoom_port),
            });
        if touches_zoom {
            let act = action.to_ascii_lowercase();
            rules.push(FirewallRule {
                id: None,
                name: line.trim().to_string(),
                direction: if act.contains("out") {
                    "out".into()
                } else {
                    "in".into()
                },
                action: if act.starts_with("allow") {
                    "allow".into()
                } else {
                    "block".into()
                },
                enabled,
                program: None,
            });
        }
    }
    Ok(FirewallState {
        product: "ufw".into(),
        profiles: vec![FirewallProfile {
            name: "default".into(),
            enabled,
            default_inbound: policy("incoming"),
            default_outbound: policy("outgoing"),
        }],
        zoom_rules: rules,
        ..Default::default()
    })
}

/// `firewall-cmd --list-all` (the default zone).
pub fn firewalld_spec() -> CommandSpec {
    CommandSpec::new("firewall-cmd", &["--list-all"]).c_locale()
}

pub fn parse_firewalld_list_all(text: &str) -> Result<FirewallState, ParseError> {
    const TOOL: &str = "firewall-cmd --list-all";
    let head = text.lines().next().unwrap_or("").trim();
    let zone = head
        .split_whitespace()
        .next()
        .filter(|z| !z.contains(':'))
        .ok_or_else(|| ParseError::new(TOOL, "no zone line"))?;
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{k}:")))
            .map(str::trim)
    };
    let target = field("target").ok_or_else(|| ParseError::new(TOOL, "no target line"))?;
    Ok(FirewallState {
        product: "firewalld".into(),
        profiles: vec![FirewallProfile {
            name: zone.to_string(),
            enabled: head.contains("(active)") || head.contains("(default"),
            // firewalld's "default" target rejects what no service or port allows.
            default_inbound: Some(if target == "default" {
                "reject".into()
            } else {
                target.to_ascii_lowercase()
            }),
            default_outbound: Some("allow".into()),
        }],
        ..Default::default()
    })
}

/// `nft -j list ruleset` (needs root to read).
pub fn nft_spec() -> CommandSpec {
    CommandSpec::new("nft", &["-j", "list", "ruleset"]).c_locale()
}

/// The Zoom ports among an nft match's right side: a number, a set of
/// numbers and ranges (`{ 3478, 8801-8810 }`), or a range. Only Zoom's
/// matter to the verdicts, and listing every port of every range made a
/// few hundred bytes of rules take megabytes.
fn nft_ports(v: &Value) -> Vec<u16> {
    let one = |v: &Value| -> Vec<u16> {
        if let Some(p) = v.as_u64().and_then(|p| u16::try_from(p).ok()) {
            return if is_zoom_port(p) { vec![p] } else { vec![] };
        }
        match v.get("range").and_then(Value::as_array).map(Vec::as_slice) {
            Some([lo, hi]) => match (lo.as_u64(), hi.as_u64()) {
                (Some(lo), Some(hi)) if lo <= hi && hi <= 65535 && hi - lo <= 4096 => {
                    zoom_ports_in(lo as u16, hi as u16).collect()
                }
                _ => vec![],
            },
            _ => vec![],
        }
    };
    match v.get("set").and_then(Value::as_array) {
        Some(items) => items.iter().flat_map(one).collect(),
        None => one(v),
    }
}

pub fn parse_nft_ruleset(text: &str) -> Result<FirewallState, ParseError> {
    const TOOL: &str = "nft -j list ruleset";
    let v = json(TOOL, text)?;
    let items = v
        .get("nftables")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError::new(TOOL, "no \"nftables\" list"))?;
    let mut profiles = Vec::new();
    let mut rules = Vec::new();
    // Ports an earlier rule of the same chain already accepts, by
    // (family, table, chain, protocol): a later drop cannot touch them
    // (Meeting Doctor's own allow rule goes first for that reason).
    let mut accepted: std::collections::HashSet<(String, String, String, String, u16)> =
        std::collections::HashSet::new();
    for item in items {
        if let Some(c) = item.get("chain") {
            if let Some(hook) = str_field(c, "hook").filter(|h| matches!(*h, "input" | "output")) {
                let policy = str_field(c, "policy").unwrap_or("accept");
                profiles.push(FirewallProfile {
                    name: format!(
                        "{} {} {}",
                        str_field(c, "family").unwrap_or("?"),
                        str_field(c, "table").unwrap_or("?"),
                        str_field(c, "name").unwrap_or("?")
                    ),
                    enabled: true,
                    default_inbound: (hook == "input").then(|| policy.to_string()),
                    default_outbound: (hook == "output").then(|| policy.to_string()),
                });
            }
        }
        if let Some(r) = item.get("rule") {
            let exprs = r
                .get("expr")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let verdict = exprs.iter().find_map(|e| {
                ["drop", "reject", "accept"]
                    .into_iter()
                    .find(|k| e.get(k).is_some())
            });
            let dport = exprs.iter().filter_map(|e| e.get("match")).find(|m| {
                m.pointer("/left/payload/field").and_then(Value::as_str) == Some("dport")
            });
            let proto = dport
                .and_then(|m| m.pointer("/left/payload/protocol"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let ports: Vec<u16> = dport
                .and_then(|m| m.get("right"))
                .map(nft_ports)
                .unwrap_or_default();
            let chain_key = |p: u16| {
                (
                    str_field(r, "family").unwrap_or("").to_string(),
                    str_field(r, "table").unwrap_or("").to_string(),
                    str_field(r, "chain").unwrap_or("").to_string(),
                    proto.clone(),
                    p,
                )
            };
            if verdict == Some("accept") {
                for p in &ports {
                    accepted.insert(chain_key(*p));
                }
            }
            let ports: Vec<u16> = if verdict == Some("accept") {
                ports
            } else {
                ports
                    .into_iter()
                    .filter(|p| !accepted.contains(&chain_key(*p)))
                    .collect()
            };
            if let Some(verdict) = verdict {
                if ports.iter().any(|p| is_zoom_port(*p)) {
                    rules.push(FirewallRule {
                        id: None,
                        name: format!(
                            "{} {} chain {} (ports {:?})",
                            str_field(r, "family").unwrap_or("?"),
                            str_field(r, "table").unwrap_or("?"),
                            str_field(r, "chain").unwrap_or("?"),
                            ports
                        ),
                        direction: if str_field(r, "chain").is_some_and(|c| c.contains("out")) {
                            "out".into()
                        } else {
                            "in".into()
                        },
                        action: if verdict == "accept" {
                            "allow".into()
                        } else {
                            "block".into()
                        },
                        enabled: true,
                        program: None,
                    });
                }
            }
        }
    }
    Ok(FirewallState {
        product: "nftables".into(),
        profiles,
        zoom_rules: rules,
        ..Default::default()
    })
}

// ---------------------------------------------------------------- link

/// `nmcli -t device status`: which device is connected, of which type.
pub fn nmcli_spec() -> CommandSpec {
    CommandSpec::new("nmcli", &["-t", "device", "status"]).c_locale()
}

/// The connected devices as (device, type, connection), in nmcli's order
/// (the primary connection first).
pub fn parse_nmcli_device_status(text: &str) -> Result<Vec<(String, String, String)>, ParseError> {
    const TOOL: &str = "nmcli -t device status";
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        // Terse mode escapes ':' inside fields as '\:'.
        let fields: Vec<String> = split_terse(line);
        if fields.len() < 3 {
            return Err(ParseError::new(
                TOOL,
                format!("expected DEVICE:TYPE:STATE:CONNECTION, found {line:?}"),
            ));
        }
        if fields[2] == "connected" {
            out.push((
                fields[0].clone(),
                fields[1].clone(),
                fields.get(3).cloned().unwrap_or_default(),
            ));
        }
    }
    Ok(out)
}

fn split_terse(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let ch = match c {
            '\\' => match chars.next() {
                Some(n) => n,
                None => break,
            },
            ':' => {
                fields.push(String::new());
                continue;
            }
            c => c,
        };
        if let Some(f) = fields.last_mut() {
            f.push(ch);
        }
    }
    fields
}

pub fn link_kind_from_nmcli(device_type: &str) -> LinkKind {
    match device_type {
        "ethernet" => LinkKind::Ethernet,
        "wifi" => LinkKind::Wifi,
        "gsm" | "cdma" | "modem" => LinkKind::Cellular,
        _ => LinkKind::Unknown,
    }
}

/// `iw dev <dev> link`.
pub fn iw_link_spec(device: &str) -> CommandSpec {
    CommandSpec::new("iw", &["dev", device, "link"]).c_locale()
}

pub fn parse_iw_link(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    const TOOL: &str = "iw dev link";
    let t = text.trim();
    if t.starts_with("Not connected") {
        return Ok(None);
    }
    if !t.starts_with("Connected to") {
        return Err(ParseError::new(
            TOOL,
            "expected \"Connected to …\" or \"Not connected.\"",
        ));
    }
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{k}:")))
            .map(str::trim)
    };
    let freq: Option<u32> = field("freq")
        .and_then(|f| f.split_whitespace().next())
        .and_then(|f| f.split('.').next())
        .and_then(|f| f.parse().ok());
    let (band, channel) = match freq {
        Some(f @ 2412..=2484) => (
            Some("2.4 GHz".to_string()),
            Some(if f == 2484 { 14 } else { (f - 2407) / 5 }),
        ),
        Some(f @ 5150..=5895) => (Some("5 GHz".to_string()), Some((f - 5000) / 5)),
        Some(f @ 5925..=7125) => (Some("6 GHz".to_string()), Some((f - 5950) / 5)),
        _ => (None, None),
    };
    Ok(Some(WifiInfo {
        ssid: field("SSID").map(str::to_string),
        rssi_dbm: field("signal")
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok()),
        tx_rate_mbps: field("tx bitrate")
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok()),
        band,
        channel,
        ..Default::default()
    }))
}

// ---------------------------------------------------------------- security

/// Security products recognised by a running process's name (the kernel
/// keeps 15 characters of it): data, not code.
pub const SECURITY_PROCESSES: &[(&str, &str)] = &[
    ("falcon-sensor", "CrowdStrike Falcon"),
    ("s1-agent", "SentinelOne"),
    ("sentinelone", "SentinelOne"),
    ("wdavdaemon", "Microsoft Defender for Endpoint"),
    ("mdatp", "Microsoft Defender for Endpoint"),
    ("sophos-spl", "Sophos Protection"),
    ("savd", "Sophos Anti-Virus"),
    ("esets", "ESET"),
    ("oneav", "ESET"),
    ("clamd", "ClamAV"),
    ("freshclam", "ClamAV"),
    ("ds_agent", "Trend Micro Deep Security"),
    ("cbagentd", "VMware Carbon Black"),
    ("cybereason", "Cybereason"),
    ("elastic-endpoin", "Elastic Endpoint"),
    ("wazuh-agentd", "Wazuh"),
    ("zsatunnel", "Zscaler"),
    ("zstunnel", "Zscaler"),
    ("PanGPS", "Palo Alto GlobalProtect"),
];

/// The products among running process names, each once.
pub fn security_from_processes(names: &[String]) -> Vec<SecurityProduct> {
    let mut out: Vec<SecurityProduct> = Vec::new();
    for (process, product) in SECURITY_PROCESSES {
        if names.iter().any(|n| n == process) && !out.iter().any(|p| p.name == *product) {
            out.push(SecurityProduct {
                name: (*product).to_string(),
                enabled: Some(true),
                up_to_date: None,
                seen_in: format!("process {process}"),
            });
        }
    }
    out
}

// ---------------------------------------------------------------- Zoom

/// `dpkg-query -W -f '${Status}\t${Version}\t${Architecture}\n' zoom`.
pub fn dpkg_zoom_spec() -> CommandSpec {
    CommandSpec::new(
        "dpkg-query",
        &[
            "-W",
            "-f",
            "${Status}\t${Version}\t${Architecture}\n",
            "zoom",
        ],
    )
    .c_locale()
}

pub fn parse_dpkg_zoom(text: &str) -> Result<ZoomInstall, ParseError> {
    const TOOL: &str = "dpkg-query";
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| ParseError::new(TOOL, "no output"))?;
    let parts: Vec<&str> = line.split('\t').collect();
    if parts.len() != 3 {
        return Err(ParseError::new(
            TOOL,
            format!("expected STATUS<TAB>VERSION<TAB>ARCH, found {line:?}"),
        ));
    }
    let installed = parts[0].ends_with(" installed");
    Ok(ZoomInstall {
        arch_problem: None,
        installed,
        version: installed.then(|| parts[1].to_string()),
        path: installed.then(|| "/opt/zoom".to_string()),
        install_kind: installed.then(|| "deb".to_string()),
        arch: installed.then(|| {
            if parts[2] == "amd64" {
                "x86_64".into()
            } else {
                parts[2].to_string()
            }
        }),
    })
}

/// CPU architecture names as packagers write them, in the words
/// [`ZoomInstall::arch`] uses ("x86_64", "arm64").
fn normal_arch(arch: &str) -> String {
    match arch {
        "amd64" | "x86-64" => "x86_64".into(),
        "aarch64" => "arm64".into(),
        other => other.to_string(),
    }
}

/// A plausible architecture token (`x86_64`, `aarch64`, `noarch`, `i686`).
fn is_arch_word(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 16
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `rpm -q --qf '%{VERSION}-%{RELEASE}\t%{ARCH}\n' zoom` (Fedora, RHEL,
/// openSUSE: Zoom's `zoom_x86_64.rpm` installs the package `zoom` into
/// `/opt/zoom`). Without the package rpm prints "package zoom is not
/// installed" on stdout and exits 1: the caller passes that stdout here.
pub fn rpm_zoom_spec() -> CommandSpec {
    CommandSpec::new(
        "rpm",
        &["-q", "--qf", "%{VERSION}-%{RELEASE}\t%{ARCH}\n", "zoom"],
    )
    .c_locale()
}

/// Reads [`rpm_zoom_spec`]'s output. The version is Zoom's own
/// ("6.2.11.5069"): the package release after the last `-` (always "1" in
/// Zoom's packages) is dropped, as dpkg's version has none. With two
/// versions installed side by side (multilib), the first line wins.
pub fn parse_rpm_zoom(text: &str) -> Result<ZoomInstall, ParseError> {
    const TOOL: &str = "rpm -q";
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or_else(|| ParseError::new(TOOL, "no output"))?;
    if line == "package zoom is not installed" {
        return Ok(ZoomInstall::default());
    }
    let (version_release, arch) = line.split_once('\t').ok_or_else(|| {
        ParseError::new(
            TOOL,
            format!("expected VERSION-RELEASE<TAB>ARCH, found {line:?}"),
        )
    })?;
    // RPM forbids '-' inside VERSION and RELEASE, so the last one splits them.
    let version = match version_release.rsplit_once('-') {
        Some((v, release)) if !release.is_empty() => v,
        _ => version_release,
    };
    let arch = arch.trim();
    if version.is_empty()
        || !version.starts_with(|c: char| c.is_ascii_digit())
        || version.contains(char::is_whitespace)
        || !is_arch_word(arch)
    {
        return Err(ParseError::new(
            TOOL,
            format!("expected VERSION-RELEASE<TAB>ARCH, found {line:?}"),
        ));
    }
    Ok(ZoomInstall {
        arch_problem: None,
        installed: true,
        version: Some(version.to_string()),
        path: Some("/opt/zoom".into()),
        install_kind: Some("rpm".into()),
        arch: Some(normal_arch(arch)),
    })
}

/// Flathub's Zoom: `flatpak list --app
/// --columns=application,version,arch,installation`. Not on a terminal,
/// flatpak prints no header and separates cells with one tab (an empty
/// version is an empty cell); on a terminal, a header and space-padded
/// columns. No apps at all prints nothing.
pub fn flatpak_zoom_spec() -> CommandSpec {
    CommandSpec::new(
        "flatpak",
        &[
            "list",
            "--app",
            "--columns=application,version,arch,installation",
        ],
    )
    .c_locale()
}

const FLATPAK_ZOOM: &str = "us.zoom.Zoom";

/// One row of [`flatpak_zoom_spec`]'s output as (application, version,
/// arch, installation); `None` for a header or a line that is not a row.
fn flatpak_row(line: &str) -> Option<(&str, Option<&str>, &str, &str)> {
    let cells: Vec<&str> = if line.contains('\t') {
        line.split('\t').map(str::trim).collect()
    } else {
        // Space-padded (a terminal): an empty version leaves three words.
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.len() {
            3 => vec![words[0], "", words[1], words[2]],
            4 => words,
            _ => return None,
        }
    };
    let [app, version, arch, installation] = cells[..] else {
        return None;
    };
    // A terminal narrower than the table shortens IDs from the start
    // ("…oom.Zoom"): a row, but not one we can name.
    if let Some(rest) = app.strip_prefix('…') {
        return (!rest.is_empty()).then_some(("", None, arch, installation));
    }
    // An application ID is reverse-DNS: at least two dots' worth of
    // letters, digits, '_', '-' and '.'.
    let is_app_id = app.split('.').count() >= 2
        && app.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    if !is_app_id || !is_arch_word(arch) || installation.is_empty() {
        return None;
    }
    let version = (!version.is_empty()).then_some(version);
    Some((app, version, arch, installation))
}

/// Reads [`flatpak_zoom_spec`]'s output: the `us.zoom.Zoom` row, if any
/// (installed per user or system-wide). Empty output means no apps are
/// installed: not installed. Any other line that is neither the header
/// nor an application row (an error message, a truncated row) is an error.
pub fn parse_flatpak_zoom(text: &str) -> Result<ZoomInstall, ParseError> {
    const TOOL: &str = "flatpak list";
    let mut zoom = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line.trim_start().starts_with("Application ID") {
            continue;
        }
        let row = flatpak_row(line).ok_or_else(|| {
            ParseError::new(
                TOOL,
                format!("expected APPLICATION VERSION ARCH INSTALLATION, found {line:?}"),
            )
        })?;
        if row.0 == FLATPAK_ZOOM && zoom.is_none() {
            zoom = Some(row);
        }
    }
    Ok(match zoom {
        None => ZoomInstall::default(),
        Some((_, version, arch, installation)) => ZoomInstall {
            arch_problem: None,
            installed: true,
            version: version.map(str::to_string),
            path: Some(format!("flatpak {FLATPAK_ZOOM} ({installation})")),
            install_kind: Some("flatpak".into()),
            arch: Some(normal_arch(arch)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::fixture;

    fn garbage_is_an_error<T: std::fmt::Debug>(parse: impl Fn(&str) -> Result<T, ParseError>) {
        for bad in ["", "\u{0}\u{1}garbage", "[{", "{\"x\": 1}", "Status"] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn route_get_samples() {
        let dest: IpAddr = "100.98.107.70".parse().unwrap();
        let r = parse_route_get(
            &fixture("linux", "ip-j-route-get--via-gateway-veth.txt"),
            dest,
        )
        .unwrap();
        assert_eq!(
            (r.interface.as_str(), r.gateway),
            ("vh5cde1b791fe1", Some("10.200.0.86".parse().unwrap()))
        );
        assert_eq!(r.source, Some("10.200.0.85".parse().unwrap()));
        let r = parse_route_get(
            &fixture("linux", "ip-j-route-get--on-link-lan.txt"),
            "192.168.1.133".parse().unwrap(),
        )
        .unwrap();
        assert_eq!((r.interface.as_str(), r.gateway), ("enp1s0f0", None));
        garbage_is_an_error(|t| parse_route_get(t, dest));
        assert!(parse_route_get("[]", dest).is_err());
    }

    #[test]
    fn default_routes_include_half_defaults() {
        let text = r#"[{"dst":"default","gateway":"192.168.1.1","dev":"wlp2s0","protocol":"dhcp","metric":600,"flags":[]},
            {"dst":"0.0.0.0/1","dev":"tun0","scope":"link","flags":[]},{"dst":"128.0.0.0/1","dev":"tun0","scope":"link","flags":[]},
            {"dst":"192.168.1.0/24","dev":"wlp2s0","protocol":"kernel","scope":"link","prefsrc":"192.168.1.5","metric":600,"flags":[]}]"#;
        let d = parse_default_routes(text).unwrap();
        assert_eq!(
            d.iter()
                .map(|r| (r.prefix.as_str(), r.interface.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("0.0.0.0/0", "wlp2s0"),
                ("0.0.0.0/1", "tun0"),
                ("128.0.0.0/1", "tun0")
            ]
        );
        assert_eq!(d[0].metric, Some(600));
        garbage_is_an_error(parse_default_routes);
    }

    #[test]
    fn interface_kinds() {
        let text = r#"[{"ifname":"lo","link_type":"loopback","flags":["LOOPBACK","UP","LOWER_UP"],"operstate":"UNKNOWN","addr_info":[{"local":"127.0.0.1"}]},
            {"ifname":"enp3s0","link_type":"ether","flags":["BROADCAST","UP","LOWER_UP"],"operstate":"UP","addr_info":[{"local":"192.168.1.5"},{"local":"fe80::1"}]},
            {"ifname":"wlp2s0","link_type":"ether","flags":["BROADCAST"],"operstate":"DOWN","addr_info":[]},
            {"ifname":"tun0","link_type":"none","flags":["POINTOPOINT","UP","LOWER_UP"],"linkinfo":{"info_kind":"tun"},"addr_info":[{"local":"10.8.0.2"}]},
            {"ifname":"wg0","link_type":"none","flags":["POINTOPOINT","NOARP","UP","LOWER_UP"],"linkinfo":{"info_kind":"wireguard"}},
            {"ifname":"docker0","link_type":"ether","flags":["UP"],"linkinfo":{"info_kind":"bridge"}},
            {"ifname":"ppp0","link_type":"ppp","flags":["UP","LOWER_UP"]}]"#;
        let i = parse_interfaces(text).unwrap();
        let kinds: Vec<(&str, InterfaceKind, bool)> =
            i.iter().map(|x| (x.name.as_str(), x.kind, x.up)).collect();
        assert_eq!(
            kinds,
            vec![
                ("lo", InterfaceKind::Loopback, true),
                ("enp3s0", InterfaceKind::Ethernet, true),
                ("wlp2s0", InterfaceKind::Wifi, false),
                ("tun0", InterfaceKind::Tunnel, true),
                ("wg0", InterfaceKind::Tunnel, true),
                ("docker0", InterfaceKind::Virtual, false),
                ("ppp0", InterfaceKind::Ppp, true),
            ]
        );
        assert_eq!(i[1].addresses.len(), 2);
        garbage_is_an_error(parse_interfaces);
    }

    #[test]
    fn resolv_conf_and_resolvectl() {
        let d = parse_resolv_conf("# Generated\nnameserver 127.0.0.53\noptions edns0\nsearch corp.example\nnameserver fe80::1%eth0\n").unwrap();
        assert_eq!(
            d.servers,
            vec![
                "127.0.0.53".parse::<IpAddr>().unwrap(),
                "fe80::1".parse().unwrap()
            ]
        );
        assert_eq!(d.per_interface[0].domains, vec!["corp.example".to_string()]);
        assert!(parse_resolv_conf("nameserver\n").is_err());
        assert!(parse_resolv_conf("").unwrap().servers.is_empty());

        let d =
            parse_resolvectl_status(&fixture("linux", "resolvectl-status--single-link-dhcp.txt"))
                .unwrap();
        assert_eq!(d.servers, vec!["1.1.1.1".parse::<IpAddr>().unwrap()]);
        assert_eq!(d.per_interface[0].interface, "enp0s8");
        // A VPN link with split DNS: its servers answer only for its domains.
        let d = parse_resolvectl_status(&fixture(
            "linux",
            "resolvectl-status-link--vpn-snx-xfrm-split-dns.txt",
        ))
        .unwrap();
        let vpn = &d.per_interface[0];
        assert_eq!(vpn.interface, "snx-xfrm");
        assert_eq!(vpn.servers.len(), 2);
        assert_eq!(
            vpn.domains,
            vec!["dev.local".to_string(), "prod.local".to_string()]
        );
        assert!(
            d.servers.is_empty(),
            "a -DefaultRoute link does not take general lookups: {:?}",
            d.servers
        );
        let d = parse_resolvectl_status(&fixture(
            "linux",
            "resolvectl-status--multilink-systemd247-prefix.txt",
        ))
        .unwrap();
        assert!(!d.per_interface.is_empty());
        garbage_is_an_error(parse_resolvectl_status);
    }

    #[test]
    fn proxy_from_environment_gnome_and_kde() {
        let p = parse_env_proxy([
            ("https_proxy", "http://user:secret@proxy.corp:3128/"),
            ("NO_PROXY", "localhost, .corp"),
            ("HTTP_PROXY", "http://proxy.corp:8080"),
        ]);
        assert_eq!(
            p.https.as_deref(),
            Some("proxy.corp:3128"),
            "credentials are dropped"
        );
        assert_eq!(p.http.as_deref(), Some("proxy.corp:8080"));
        assert_eq!(p.bypass, vec!["localhost".to_string(), ".corp".to_string()]);
        assert!(parse_env_proxy([("PATH", "/bin")]).is_direct());
        let p = parse_env_proxy([("all_proxy", "socks5://127.0.0.1:1080")]);
        assert_eq!(p.socks.as_deref(), Some("127.0.0.1:1080"));

        let manual = fixture("linux", "gsettings-proxy--manual.txt");
        let p = parse_gsettings_proxy(&manual).unwrap();
        assert_eq!(
            (p.http.as_deref(), p.https.as_deref(), p.socks.as_deref()),
            (
                Some("proxy.corp.example:3128"),
                Some("proxy.corp.example:3128"),
                None
            )
        );
        assert!(p.bypass.contains(&"localhost".to_string()));
        let p = parse_gsettings_proxy(&fixture("linux", "gsettings-proxy--auto-pac.txt")).unwrap();
        assert_eq!(
            p.pac_url.as_deref(),
            Some("http://wpad.corp.example/proxy.pac")
        );
        assert!(
            parse_gsettings_proxy(&fixture("linux", "gsettings-proxy--none.txt"))
                .unwrap()
                .is_direct()
        );
        garbage_is_an_error(parse_gsettings_proxy);

        let p = parse_kioslaverc(&fixture("linux", "kioslaverc--proxytype1-manual.txt")).unwrap();
        assert_eq!(
            (p.http.as_deref(), p.socks.as_deref()),
            (Some("127.0.0.1:7890"), Some("127.0.0.1:7890"))
        );
        assert_eq!(
            p.bypass,
            vec!["192.168.*".to_string(), "127.0.0.1".to_string()]
        );
        // ProxyType=0 with a leftover socks value: no proxy.
        assert!(parse_kioslaverc(&fixture(
            "linux",
            "kioslaverc--proxytype0-none-socks-leftover.txt"
        ))
        .unwrap()
        .is_direct());
        garbage_is_an_error(parse_kioslaverc);
    }

    #[test]
    fn firewalls() {
        let f = parse_ufw_status(&fixture("linux", "ufw-status-verbose--active.txt")).unwrap();
        assert!(f.profiles[0].enabled);
        assert_eq!(
            (
                f.profiles[0].default_inbound.as_deref(),
                f.profiles[0].default_outbound.as_deref()
            ),
            (Some("deny"), Some("allow"))
        );
        // 80,443/tcp is a rule touching a Zoom port.
        assert!(f
            .zoom_rules
            .iter()
            .any(|r| r.name.starts_with("80,443/tcp") && r.action == "allow"));
        assert!(
            !parse_ufw_status(&fixture("linux", "ufw-status--inactive.txt"))
                .unwrap()
                .profiles[0]
                .enabled
        );
        assert!(
            parse_ufw_status(&fixture("linux", "ufw-status--active-simple.txt"))
                .unwrap()
                .zoom_rules
                .is_empty()
        );
        let blocked = parse_ufw_status("Status: active\n\nTo                         Action      From\n--                         ------      ----\n3478:3479/udp              DENY OUT    Anywhere\n").unwrap();
        assert_eq!(
            (
                blocked.zoom_rules[0].direction.as_str(),
                blocked.zoom_rules[0].action.as_str()
            ),
            ("out", "block")
        );
        garbage_is_an_error(parse_ufw_status);

        let f = parse_firewalld_list_all(&fixture(
            "linux",
            "firewall-cmd-list-all--public-custom-port.txt",
        ))
        .unwrap();
        assert_eq!(
            (f.profiles[0].name.as_str(), f.profiles[0].enabled),
            ("public", true)
        );
        garbage_is_an_error(parse_firewalld_list_all);

        let f = parse_nft_ruleset(&fixture(
            "linux",
            "nft-j-list-ruleset--policy-drop-normalized.txt",
        ))
        .unwrap();
        assert!(
            f.profiles
                .iter()
                .any(|p| p.default_inbound.as_deref() == Some("drop")
                    || p.default_outbound.as_deref() == Some("drop")),
            "{:?}",
            f.profiles
        );
        assert!(
            parse_nft_ruleset(&fixture("linux", "nft-j-list-ruleset--ip-filter-lo.txt")).is_ok()
        );
        garbage_is_an_error(parse_nft_ruleset);
    }

    #[test]
    fn link_and_wifi() {
        let c =
            parse_nmcli_device_status(&fixture("linux", "nmcli-t-device-status--vpn-active.txt"))
                .unwrap();
        assert_eq!(
            c,
            vec![(
                "wlan0".to_string(),
                "wifi".to_string(),
                "con-vpn-1".to_string()
            )]
        );
        assert_eq!(link_kind_from_nmcli(&c[0].1), LinkKind::Wifi);
        assert_eq!(
            split_terse(r"eth0:ethernet:connected:Wired\: office"),
            vec!["eth0", "ethernet", "connected", "Wired: office"]
        );
        assert!(parse_nmcli_device_status("garbage").is_err());
        assert!(parse_nmcli_device_status("").unwrap().is_empty());

        let w = parse_iw_link(&fixture("linux", "iw-dev-link--connected-5ghz-vht.txt"))
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                w.ssid.as_deref(),
                w.rssi_dbm,
                w.band.as_deref(),
                w.channel,
                w.tx_rate_mbps
            ),
            (
                Some("HOME5"),
                Some(-44),
                Some("5 GHz"),
                Some(56),
                Some(866.7)
            )
        );
        assert!(parse_iw_link(&fixture(
            "linux",
            "iw-dev-link--minimal-driver-redacted.txt"
        ))
        .unwrap()
        .is_some());
        assert_eq!(parse_iw_link("Not connected.\n").unwrap(), None);
        garbage_is_an_error(parse_iw_link);
    }

    #[test]
    fn security_products_from_process_names() {
        let names: Vec<String> = ["systemd", "falcon-sensor", "clamd", "freshclam", "bash"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let found = security_from_processes(&names);
        assert_eq!(
            found.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            vec!["CrowdStrike Falcon", "ClamAV"]
        );
        assert!(security_from_processes(&[]).is_empty());
        // Names are matched whole: "clamdscan" is not the daemon.
        assert!(security_from_processes(&["clamdscan".to_string()]).is_empty());
    }

    #[test]
    fn zoom_from_dpkg() {
        let z = parse_dpkg_zoom("install ok installed\t6.2.11.5069\tamd64\n").unwrap();
        assert!(z.installed);
        assert_eq!(
            (
                z.version.as_deref(),
                z.arch.as_deref(),
                z.install_kind.as_deref()
            ),
            (Some("6.2.11.5069"), Some("x86_64"), Some("deb"))
        );
        let z = parse_dpkg_zoom("deinstall ok config-files\t5.17.0\tamd64\n").unwrap();
        assert!(!z.installed && z.version.is_none());
        garbage_is_an_error(parse_dpkg_zoom);
        assert!(is_zoom_port(8805) && !is_zoom_port(8811) && is_zoom_port(3478));
    }

    #[test]
    fn zoom_from_rpm() {
        let z = parse_rpm_zoom(&fixture("linux", "rpm-q-qf-zoom--installed-x86_64.txt")).unwrap();
        assert_eq!(
            z,
            ZoomInstall {
                arch_problem: None,
                installed: true,
                version: Some("6.2.5.2440".into()),
                path: Some("/opt/zoom".into()),
                install_kind: Some("rpm".into()),
                arch: Some("x86_64".into()),
            }
        );
        assert_eq!(
            parse_rpm_zoom(&fixture("linux", "rpm-q-qf-zoom--not-installed.txt")).unwrap(),
            ZoomInstall::default()
        );
        // Two instances (an interrupted upgrade): the first line is read.
        let z = parse_rpm_zoom(&fixture("linux", "rpm-q-qf-zoom--two-versions.txt")).unwrap();
        assert_eq!(z.version.as_deref(), Some("5.17.11.3835"));
        assert_eq!(
            parse_rpm_zoom("6.2.5.2440-1\taarch64\n")
                .unwrap()
                .arch
                .as_deref(),
            Some("arm64")
        );
        garbage_is_an_error(parse_rpm_zoom);
        for bad in [
            "error: rpmdb: BDB0113 Thread/process 2370/140 failed\n",
            "package zoom is not\n",
            "6.2.5.2440-1\n",
            "6.2.5.2440-1\t\n",
            "\tx86_64\n",
            "install ok installed\t6.2.11.5069\tamd64\n",
        ] {
            assert!(parse_rpm_zoom(bad).is_err(), "{bad:?} parsed");
        }
        let spec = rpm_zoom_spec();
        assert_eq!(
            spec.args,
            ["-q", "--qf", "%{VERSION}-%{RELEASE}\t%{ARCH}\n", "zoom"]
        );
        assert!(spec.env.contains(&("LC_ALL".into(), "C".into())));
    }

    #[test]
    fn zoom_from_flatpak() {
        let z = parse_flatpak_zoom(&fixture(
            "linux",
            "flatpak-list-app-columns--zoom-system.txt",
        ))
        .unwrap();
        assert_eq!(
            z,
            ZoomInstall {
                arch_problem: None,
                installed: true,
                version: Some("6.2.5.2440".into()),
                path: Some("flatpak us.zoom.Zoom (system)".into()),
                install_kind: Some("flatpak".into()),
                arch: Some("x86_64".into()),
            }
        );
        // An empty version cell: installed, version unknown.
        let z = parse_flatpak_zoom(&fixture(
            "linux",
            "flatpak-list-app-columns--zoom-user-no-version.txt",
        ))
        .unwrap();
        assert!(z.installed && z.version.is_none());
        assert_eq!(z.path.as_deref(), Some("flatpak us.zoom.Zoom (user)"));
        // Space-padded with a header, as on a terminal.
        let z = parse_flatpak_zoom(&fixture(
            "linux",
            "flatpak-list-app-columns--terminal-header.txt",
        ))
        .unwrap();
        assert_eq!(
            (z.installed, z.version.as_deref()),
            (true, Some("6.2.5.2440"))
        );
        for name in [
            "flatpak-list-app-columns--no-zoom.txt",
            "flatpak-list-app-columns--no-apps.txt",
        ] {
            assert_eq!(
                parse_flatpak_zoom(&fixture("linux", name)).unwrap(),
                ZoomInstall::default(),
                "{name}"
            );
        }
        // No apps at all prints nothing: a valid "not installed".
        assert!(!parse_flatpak_zoom("").unwrap().installed);
        assert!(!parse_flatpak_zoom("\n").unwrap().installed);
        // A look-alike ID is not Zoom.
        assert!(
            !parse_flatpak_zoom("us.zoom.ZoomRooms\t1.0\tx86_64\tsystem\n")
                .unwrap()
                .installed
        );
        for bad in [
            "\u{0}\u{1}garbage",
            "[{",
            "{\"x\": 1}",
            "Status",
            "error: Unknown option --columns=application,version,arch,installation\n",
            "error: No installations found\n",
            "Usage:\n  flatpak list [OPTION…] - List installed apps and/or runtimes\n",
            "us.zoom.Zoom\t6.2.5.2440\n",
            "us.zoom.Zoom\t6.2.5.2440\tx86_64\t",
        ] {
            assert!(parse_flatpak_zoom(bad).is_err(), "{bad:?} parsed");
        }
        // Truncated anywhere, the parser answers without panicking.
        let text = fixture("linux", "flatpak-list-app-columns--zoom-system.txt");
        for end in 0..=text.len() {
            let _ = parse_flatpak_zoom(&text[..end]);
        }
        assert_eq!(
            flatpak_zoom_spec().display(),
            "flatpak list --app --columns=application,version,arch,installation"
        );
    }
}

#[cfg(test)]
mod nft_order_tests {
    use super::*;

    fn rule(chain: &str, right: &str, verdict: &str) -> String {
        format!(
            r#"{{"rule": {{"family": "inet", "table": "filter", "chain": "{chain}", "handle": 1, "expr": [{{"match": {{"op": "==", "left": {{"payload": {{"protocol": "udp", "field": "dport"}}}}, "right": {right}}}}}, {{"{verdict}": null}}]}}}}"#
        )
    }

    #[test]
    fn a_drop_behind_an_earlier_accept_for_the_same_ports_does_not_block() {
        let allow = rule(
            "output",
            r#"{"set": [3478, {"range": [8801, 8810]}]}"#,
            "accept",
        );
        let text = |rules: &[String]| {
            format!(
                r#"{{"nftables": [{{"chain": {{"family": "inet", "table": "filter", "name": "output", "hook": "output", "policy": "accept"}}}}, {}]}}"#,
                rules.join(", ")
            )
        };
        // The drop alone blocks.
        let fw = parse_nft_ruleset(&text(&[rule("output", "8801", "drop")])).unwrap();
        assert_eq!(fw.zoom_rules.len(), 1);
        assert_eq!(fw.zoom_rules[0].action, "block");
        // Behind an accept of the same ports (Meeting Doctor's rule), it does not.
        let fw = parse_nft_ruleset(&text(&[
            allow.clone(),
            rule("output", r#"{"set": [3478, 8801]}"#, "drop"),
        ]))
        .unwrap();
        assert!(
            fw.zoom_rules.iter().all(|r| r.action == "allow"),
            "{:?}",
            fw.zoom_rules
        );
        // A port the accept does not cover still blocks; so does a drop before it.
        let fw =
            parse_nft_ruleset(&text(&[allow.clone(), rule("output", "3479", "drop")])).unwrap();
        assert!(fw.zoom_rules.iter().any(|r| r.action == "block"));
        let fw = parse_nft_ruleset(&text(&[rule("output", "8801", "drop"), allow])).unwrap();
        assert!(fw.zoom_rules.iter().any(|r| r.action == "block"));
    }

    #[test]
    fn wide_port_ranges_are_judged_without_listing_every_port() {
        let ufw = |to: &str| {
            format!("Status: active\n\nTo      Action      From\n--      ------      ----\n{to}      DENY      Anywhere\n")
        };
        assert_eq!(
            parse_ufw_status(&ufw("1:65535/udp"))
                .unwrap()
                .zoom_rules
                .len(),
            1
        );
        assert_eq!(
            parse_ufw_status(&ufw("22,8000:9000/udp"))
                .unwrap()
                .zoom_rules
                .len(),
            1
        );
        assert!(parse_ufw_status(&ufw("9000:9999/udp"))
            .unwrap()
            .zoom_rules
            .is_empty());
        assert!(parse_ufw_status(&ufw("8810:8801/udp"))
            .unwrap()
            .zoom_rules
            .is_empty());

        let text = format!(
            r#"{{"nftables": [{}]}}"#,
            rule("input", r#"{"set": [22, {"range": [8000, 9000]}]}"#, "drop")
        );
        let fw = parse_nft_ruleset(&text).unwrap();
        assert_eq!(
            fw.zoom_rules[0].name,
            "inet filter chain input (ports [8801, 8802, 8803, 8804, 8805, 8806, 8807, 8808, 8809, 8810])"
        );
    }
}
