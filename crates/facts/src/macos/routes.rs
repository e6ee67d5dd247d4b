//! Routes, VPN and interfaces: netstat, scutil --nwi, networksetup.

use super::*;

/// `route -n get <ip>` (`-inet6` for IPv6): the route the kernel picks for
/// one destination.
pub fn route_spec(dest: IpAddr) -> CommandSpec {
    let ip = dest.to_string();
    match dest {
        IpAddr::V4(_) => CommandSpec::new("route", &["-n", "get", &ip]),
        IpAddr::V6(_) => CommandSpec::new("route", &["-n", "get", "-inet6", &ip]),
    }
    .c_locale()
}

/// Reads `route -n get`: `interface:` (required) and `gateway:` (absent for
/// direct routes such as a tunnel's; a `link#N` gateway is `None`).
/// "not in table" (no route at all) is an error naming the destination.
pub fn parse_route_get(text: &str, dest: IpAddr) -> Result<Route, ParseError> {
    if text.contains("not in table") {
        return Err(ParseError::new(ROUTE_GET, format!("no route to {dest}")));
    }
    let field = |name: &str| colon_fields(text).find(|(k, _)| *k == name).map(|(_, v)| v);
    if field("route to").is_none() && field("destination").is_none() {
        return Err(ParseError::new(
            ROUTE_GET,
            "no \"route to:\" or \"destination:\" line",
        ));
    }
    let interface = field("interface")
        .filter(|i| !i.is_empty())
        .ok_or_else(|| ParseError::new(ROUTE_GET, "no \"interface:\" line"))?;
    Ok(Route {
        destination: dest,
        interface: interface.to_string(),
        gateway: field("gateway").and_then(parse_ip),
        source: None,
    })
}

/// `netstat -rn -f inet`: the IPv4 routing table.
pub fn netstat_spec() -> CommandSpec {
    CommandSpec::new("netstat", &["-rn", "-f", "inet"]).c_locale()
}

/// Reads the IPv4 (`Internet:`) table of `netstat -rn` and returns its
/// default routes in table order: `default` (0.0.0.0/0) and the halves VPNs
/// install (`0/1`, `128.0/1`), with their `Netif` (`utun3`, `en0`) and
/// gateway (`None` for `link#N` or an interface name). The `Internet6:`
/// table is ignored: macOS keeps IPv6 defaults on system `utun`s that are
/// no VPN. No default route is an empty answer (offline).
pub fn parse_netstat_defaults(text: &str) -> Result<Vec<DefaultRoute>, ParseError> {
    let mut netif_column = None;
    let mut routes = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed == "Internet6:" {
            break;
        }
        if trimmed.starts_with("Destination") {
            let column = trimmed.split_whitespace().position(|c| c == "Netif");
            netif_column = Some(
                column
                    .ok_or_else(|| ParseError::new(NETSTAT, "table header has no Netif column"))?,
            );
            continue;
        }
        let Some(netif) = netif_column else { continue };
        let columns: Vec<&str> = trimmed.split_whitespace().collect();
        if columns.is_empty() {
            continue;
        }
        if columns.len() <= netif {
            return Err(ParseError::new(
                NETSTAT,
                format!("route row without a Netif column (truncated?): {trimmed:?}"),
            ));
        }
        if let Some(prefix) = default_prefix(columns[0]) {
            routes.push(DefaultRoute {
                prefix,
                interface: columns[netif].to_string(),
                gateway: parse_ip(columns[1]),
                metric: None,
            });
        }
    }
    if netif_column.is_none() {
        return Err(ParseError::new(
            NETSTAT,
            "no routing table header (\"Destination … Netif\")",
        ));
    }
    Ok(routes)
}

/// "default" → "0.0.0.0/0"; netstat's short forms "0/1", "128.0/1" →
/// "0.0.0.0/1", "128.0.0.0/1"; anything longer than /1 → None.
pub(super) fn default_prefix(destination: &str) -> Option<String> {
    if destination == "default" {
        return Some("0.0.0.0/0".to_string());
    }
    let (net, len) = destination.split_once('/')?;
    let len: u8 = len.parse().ok()?;
    if len > 1 {
        return None;
    }
    let mut octets: Vec<u8> = net
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()?;
    if octets.len() > 4 {
        return None;
    }
    octets.resize(4, 0);
    Some(format!(
        "{}.{}.{}.{}/{len}",
        octets[0], octets[1], octets[2], octets[3]
    ))
}

/// `scutil --nc list`: the VPN services configured in System Settings and
/// whether each is connected.
pub fn nc_list_spec() -> CommandSpec {
    CommandSpec::new("scutil", &["--nc", "list"]).c_locale()
}

/// Reads `scutil --nc list`: each service's quoted name and whether its
/// status is `(Connected)`. No services is an empty answer.
pub fn parse_nc_list(text: &str) -> Result<Vec<(String, bool)>, ParseError> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match lines.next() {
        Some(header) if header.starts_with("Available network connection services") => {}
        Some(other) => {
            return Err(ParseError::new(
                SCUTIL_NC,
                format!("unexpected first line {other:?}"),
            ))
        }
        None => return Err(ParseError::new(SCUTIL_NC, "empty output")),
    }
    lines
        .map(|line| {
            let status = between(line, '(', ')');
            let name = between(line, '"', '"');
            match (status, name) {
                (Some(status), Some(name)) => Ok((name.to_string(), status == "Connected")),
                _ => Err(ParseError::new(
                    SCUTIL_NC,
                    format!("no (status) and \"name\" in {line:?}"),
                )),
            }
        })
        .collect()
}

/// Reads `show State:/Network/Global/IPv4` (scutil's interactive command,
/// given on its standard input): the `PrimaryInterface`, the one carrying
/// the default route (`utun4` when a VPN/TUN proxy took it). "No such key"
/// (no IPv4 network at all) is `None`.
pub fn parse_global_ipv4(text: &str) -> Result<Option<String>, ParseError> {
    if text.trim() == "No such key" {
        return Ok(None);
    }
    let dict = parse_scutil_dictionary(text, SCUTIL_SHOW)?;
    Ok(dict.str("PrimaryInterface").map(str::to_string))
}

/// `networksetup -listallhardwareports`: every network port's name and BSD
/// device.
pub fn hardware_ports_spec() -> CommandSpec {
    CommandSpec::new("networksetup", &["-listallhardwareports"]).c_locale()
}

/// What a hardware port's name says about its kind, first match wins
/// (case-insensitive substring).
pub(super) const HARDWARE_PORT_KINDS: &[(&str, InterfaceKind)] = &[
    ("wi-fi", InterfaceKind::Wifi),
    ("airport", InterfaceKind::Wifi),
    ("bridge", InterfaceKind::Virtual),
    ("ethernet", InterfaceKind::Ethernet),
    ("lan", InterfaceKind::Ethernet),
    ("iphone", InterfaceKind::Cellular),
    ("ipad", InterfaceKind::Cellular),
    ("bluetooth", InterfaceKind::Other),
    ("vpn", InterfaceKind::Tunnel),
];

pub(super) fn hardware_port_kind(port: &str) -> InterfaceKind {
    let port = port.to_ascii_lowercase();
    HARDWARE_PORT_KINDS
        .iter()
        .find(|(word, _)| port.contains(word))
        .map(|(_, kind)| *kind)
        .unwrap_or(InterfaceKind::Other)
}

/// Reads `networksetup -listallhardwareports`: one [`Interface`] per
/// `Hardware Port:`/`Device:` pair, kind from the port name (Wi-Fi → wifi,
/// "…Ethernet…"/"…LAN" → ethernet, "Thunderbolt Bridge" → virtual, bare
/// "Thunderbolt N" ports → other), description = the port name. `up` is
/// false and addresses are empty: this only maps devices to kinds.
pub fn parse_hardware_ports(text: &str) -> Result<Vec<Interface>, ParseError> {
    let mut ports = Vec::new();
    let mut pending: Option<&str> = None;
    let mut seen_footer = false;
    for (key, value) in text
        .lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.trim(), v.trim()))
    {
        match (key, pending.take()) {
            ("Hardware Port", previous) => {
                if let Some(previous) = previous {
                    return Err(ParseError::new(
                        HARDWARE_PORTS,
                        format!("port {previous:?} has no Device line"),
                    ));
                }
                pending = Some(value);
            }
            ("Device", Some(port)) => ports.push(Interface {
                name: value.to_string(),
                description: Some(port.to_string()),
                kind: hardware_port_kind(port),
                up: false,
                addresses: Vec::new(),
            }),
            (_, previous) => pending = previous,
        }
    }
    if text.contains("VLAN Configurations") {
        seen_footer = true;
    }
    if let Some(port) = pending {
        return Err(ParseError::new(
            HARDWARE_PORTS,
            format!("port {port:?} has no Device line (truncated?)"),
        ));
    }
    if ports.is_empty() && !seen_footer {
        return Err(ParseError::new(
            HARDWARE_PORTS,
            "no \"Hardware Port:\" entries",
        ));
    }
    Ok(ports)
}
