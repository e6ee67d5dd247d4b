//! DNS servers: scutil --dns.

use super::*;

/// `scutil --dns`: the resolver configuration (default, supplemental and
/// scoped resolvers).
pub fn dns_servers_spec() -> CommandSpec {
    CommandSpec::new("scutil", &["--dns"]).c_locale()
}

/// One `resolver #N` block.
#[derive(Debug, Default)]
pub(super) struct Resolver {
    pub(super) scoped: bool,
    pub(super) nameservers: Vec<IpAddr>,
    pub(super) interface: Option<String>,
    pub(super) domain: Option<String>,
    pub(super) flags: String,
}

impl Resolver {
    /// The default resolver: no domain, not supplemental, has servers.
    pub(super) fn is_default(&self) -> bool {
        !self.scoped
            && self.domain.is_none()
            && !self.flags.contains("Supplemental")
            && !self.nameservers.is_empty()
    }
}

/// Reads `scutil --dns`. `servers` are the default resolver's (the first
/// unscoped resolver with servers and neither a domain nor the
/// `Supplemental` flag). `per_interface` groups every resolver that has
/// servers by interface (`if_index : N (en0)`; `""` when scutil names none,
/// as for `/etc/resolver/*` files) and servers, with the domains routed to
/// them (split DNS, e.g. a VPN's `corp.example` or Tailscale's `ts.net`),
/// trailing dots removed. The scoped section adds interfaces not yet seen.
/// "No DNS configuration available" is an empty answer.
pub fn parse_scutil_dns(text: &str) -> Result<DnsServers, ParseError> {
    if text.contains("No DNS configuration available") {
        return Ok(DnsServers::default());
    }
    let resolvers = dns_resolvers(text)?;
    let servers = resolvers
        .iter()
        .find(|r| r.is_default())
        .map(|r| r.nameservers.clone())
        .unwrap_or_default();
    let mut per_interface: Vec<InterfaceDns> = Vec::new();
    for r in resolvers.iter().filter(|r| !r.nameservers.is_empty()) {
        let interface = r.interface.clone().unwrap_or_default();
        let existing = per_interface
            .iter()
            .position(|e| e.interface == interface && e.servers == r.nameservers);
        let index = match existing {
            Some(index) => index,
            None if r.scoped && per_interface.iter().any(|e| e.interface == interface) => continue,
            None => {
                per_interface.push(InterfaceDns {
                    interface,
                    servers: r.nameservers.clone(),
                    domains: Vec::new(),
                });
                per_interface.len() - 1
            }
        };
        let entry = &mut per_interface[index];
        if let Some(domain) = r
            .domain
            .as_deref()
            .map(|d| d.trim_end_matches('.'))
            .filter(|d| !d.is_empty())
        {
            if !entry.domains.iter().any(|d| d == domain) {
                entry.domains.push(domain.to_string());
            }
        }
    }
    Ok(DnsServers {
        servers,
        per_interface,
    })
}

pub(super) fn dns_resolvers(text: &str) -> Result<Vec<Resolver>, ParseError> {
    let mut seen_header = false;
    let mut scoped = false;
    let mut resolvers: Vec<Resolver> = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("DNS configuration") {
            seen_header = true;
            scoped = rest.contains("scoped");
        } else if line.starts_with("resolver #") {
            if !seen_header {
                return Err(ParseError::new(
                    SCUTIL_DNS,
                    "a resolver before the \"DNS configuration\" header",
                ));
            }
            resolvers.push(Resolver {
                scoped,
                ..Resolver::default()
            });
        } else if let (Some(r), Some((key, value))) = (resolvers.last_mut(), line.split_once(" : "))
        {
            dns_resolver_field(r, key.trim(), value.trim())?;
        }
    }
    if !seen_header {
        return Err(ParseError::new(
            SCUTIL_DNS,
            "no \"DNS configuration\" header",
        ));
    }
    Ok(resolvers)
}

pub(super) fn dns_resolver_field(
    r: &mut Resolver,
    key: &str,
    value: &str,
) -> Result<(), ParseError> {
    if key.starts_with("nameserver[") {
        let ip = parse_ip(value).ok_or_else(|| {
            ParseError::new(SCUTIL_DNS, format!("bad nameserver address {value:?}"))
        })?;
        r.nameservers.push(ip);
    } else if key == "if_index" {
        r.interface = between(value, '(', ')').map(str::to_string);
    } else if key == "domain" {
        r.domain = Some(value.to_string());
    } else if key == "flags" {
        r.flags = value.to_string();
    }
    Ok(())
}

/// An address, without a `%scope` suffix (`fe80::1%en0`).
pub(super) fn parse_ip(text: &str) -> Option<IpAddr> {
    text.split('%').next()?.trim().parse().ok()
}

/// The text between the first `open` and the following `close`.
pub(super) fn between(text: &str, open: char, close: char) -> Option<&str> {
    let start = text.find(open)? + open.len_utf8();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}
