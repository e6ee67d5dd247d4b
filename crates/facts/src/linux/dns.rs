//! DNS servers: resolv.conf, systemd-resolved, NetworkManager.

use super::*;

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
