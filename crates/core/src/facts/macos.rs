//! macOS readers: command specs and parsers.
//!
//! Each reader is a `*_spec()` (argv, run with `LC_ALL=C`) and a pure
//! `parse_*()` over what it prints, so everything here compiles and is tested
//! on any OS against recorded outputs in `tests/fixtures/macos/`.

use std::net::IpAddr;

use super::command::CommandSpec;
use super::model::{
    DefaultRoute, DnsServers, FirewallProfile, FirewallRule, FirewallState, Interface,
    InterfaceDns, InterfaceKind, ParseError, ProxySettings, Route, SecurityProduct, WifiInfo,
    ZoomInstall,
};

/// Where the Zoom client installs itself.
pub const ZOOM_APP: &str = "/Applications/zoom.us.app";
/// The Zoom client's bundle identifier.
pub const ZOOM_BUNDLE_ID: &str = "us.zoom.xos";
/// The Application Firewall's command-line tool.
pub const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";

const SCUTIL_PROXY: &str = "scutil --proxy";
const SCUTIL_DNS: &str = "scutil --dns";
const SCUTIL_NC: &str = "scutil --nc list";
const SCUTIL_SHOW: &str = "scutil show";
const ROUTE_GET: &str = "route -n get";
const NETSTAT: &str = "netstat -rn";
const NETWORKSETUP_PROXY: &str = "networksetup -getwebproxy";
const HARDWARE_PORTS: &str = "networksetup -listallhardwareports";
const FIREWALL: &str = "socketfilterfw";
const SYSTEM_EXTENSIONS: &str = "systemextensionsctl list";
const PLIST: &str = "Info.plist";
const LIPO: &str = "lipo -archs";
const APPLICATIONS: &str = "system_profiler SPApplicationsDataType";
const AIRPORT: &str = "airport -I";
const WDUTIL: &str = "wdutil info";
const AIRPORT_JSON: &str = "system_profiler SPAirPortDataType";

// ---------------------------------------------------------------------------
// scutil's dictionary format
// ---------------------------------------------------------------------------

/// A value in scutil's `<dictionary> { KEY : VALUE … }` output (the shape of
/// `scutil --proxy` and `show State:/…`): a scalar, an `<array> { 0 : v … }`,
/// or a nested `<dictionary>`. Keys keep scutil's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScutilValue {
    Scalar(String),
    Array(Vec<ScutilValue>),
    Dictionary(Vec<(String, ScutilValue)>),
}

impl ScutilValue {
    /// The value under `key`, when this is a dictionary that has it.
    pub fn get(&self, key: &str) -> Option<&ScutilValue> {
        match self {
            ScutilValue::Dictionary(entries) => {
                entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// The scalar under `key`, when non-empty.
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(ScutilValue::Scalar(s)) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// True when `key` holds `1` (scutil's boolean).
    pub fn flag(&self, key: &str) -> bool {
        self.str(key) == Some("1")
    }

    /// The scalars of the array under `key` (empty when absent).
    pub fn strings(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(ScutilValue::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    ScutilValue::Scalar(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The entries, when this is a dictionary.
    pub fn entries(&self) -> &[(String, ScutilValue)] {
        match self {
            ScutilValue::Dictionary(entries) => entries,
            _ => &[],
        }
    }
}

/// Nesting deeper than this is not scutil output.
const SCUTIL_MAX_DEPTH: usize = 16;

/// Reads scutil's `<dictionary> { … }` format. `tool` names the command in
/// errors. Missing closing braces (truncated output), lines that are not
/// `KEY : VALUE` and text after the dictionary are errors.
pub fn parse_scutil_dictionary(text: &str, tool: &'static str) -> Result<ScutilValue, ParseError> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match lines.next() {
        None => return Err(ParseError::new(tool, "empty output")),
        Some("<dictionary> {") => {}
        Some(other) => {
            return Err(ParseError::new(
                tool,
                format!("expected \"<dictionary> {{\", found {other:?}"),
            ))
        }
    }
    let value = parse_scutil_container(&mut lines, false, tool, 1)?;
    match lines.next() {
        None => Ok(value),
        Some(extra) => Err(ParseError::new(
            tool,
            format!("unexpected text after the dictionary: {extra:?}"),
        )),
    }
}

fn parse_scutil_container<'a>(
    lines: &mut impl Iterator<Item = &'a str>,
    array: bool,
    tool: &'static str,
    depth: usize,
) -> Result<ScutilValue, ParseError> {
    if depth > SCUTIL_MAX_DEPTH {
        return Err(ParseError::new(tool, "dictionaries nested too deep"));
    }
    let mut entries = Vec::new();
    loop {
        let line = lines.next().ok_or_else(|| {
            ParseError::new(tool, "output ends before a closing \"}\" (truncated)")
        })?;
        if line == "}" {
            break;
        }
        let (key, value) = split_scutil_entry(line).ok_or_else(|| {
            ParseError::new(tool, format!("expected \"KEY : VALUE\", found {line:?}"))
        })?;
        let value = match value {
            "<dictionary> {" => parse_scutil_container(lines, false, tool, depth + 1)?,
            "<array> {" => parse_scutil_container(lines, true, tool, depth + 1)?,
            scalar => ScutilValue::Scalar(scalar.to_string()),
        };
        entries.push((key.to_string(), value));
    }
    Ok(if array {
        ScutilValue::Array(entries.into_iter().map(|(_, v)| v).collect())
    } else {
        ScutilValue::Dictionary(entries)
    })
}

/// `KEY : VALUE` (the value may itself contain colons, as URLs do), or `KEY :`.
fn split_scutil_entry(line: &str) -> Option<(&str, &str)> {
    if let Some((key, value)) = line.split_once(" : ") {
        return Some((key.trim(), value.trim()));
    }
    line.strip_suffix(" :").map(|key| (key.trim(), ""))
}

// ---------------------------------------------------------------------------
// 1. Proxy
// ---------------------------------------------------------------------------

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

fn proxy_from_dictionary(d: &ScutilValue, source: String) -> ProxySettings {
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
fn manual_proxy(d: &ScutilValue, prefix: &str) -> Option<String> {
    if !d.flag(&format!("{prefix}Enable")) {
        return None;
    }
    let host = d.str(&format!("{prefix}Proxy"))?;
    Some(host_port(host, d.str(&format!("{prefix}Port"))))
}

/// "host:port", with IPv6 literals bracketed; the host alone without a port.
fn host_port(host: &str, port: Option<&str>) -> String {
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
fn colon_fields(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        line.split_once(':').map(|(k, v)| (k.trim(), v.trim()))
    })
}

// ---------------------------------------------------------------------------
// 2. DNS servers
// ---------------------------------------------------------------------------

/// `scutil --dns`: the resolver configuration (default, supplemental and
/// scoped resolvers).
pub fn dns_servers_spec() -> CommandSpec {
    CommandSpec::new("scutil", &["--dns"]).c_locale()
}

/// One `resolver #N` block.
#[derive(Debug, Default)]
struct Resolver {
    scoped: bool,
    nameservers: Vec<IpAddr>,
    interface: Option<String>,
    domain: Option<String>,
    flags: String,
}

impl Resolver {
    /// The default resolver: no domain, not supplemental, has servers.
    fn is_default(&self) -> bool {
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

fn dns_resolvers(text: &str) -> Result<Vec<Resolver>, ParseError> {
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

fn dns_resolver_field(r: &mut Resolver, key: &str, value: &str) -> Result<(), ParseError> {
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
fn parse_ip(text: &str) -> Option<IpAddr> {
    text.split('%').next()?.trim().parse().ok()
}

/// The text between the first `open` and the following `close`.
fn between(text: &str, open: char, close: char) -> Option<&str> {
    let start = text.find(open)? + open.len_utf8();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

// ---------------------------------------------------------------------------
// 3. Routes, VPN, interfaces
// ---------------------------------------------------------------------------

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
fn default_prefix(destination: &str) -> Option<String> {
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
const HARDWARE_PORT_KINDS: &[(&str, InterfaceKind)] = &[
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

fn hardware_port_kind(port: &str) -> InterfaceKind {
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

// ---------------------------------------------------------------------------
// 4. Application Firewall
// ---------------------------------------------------------------------------

/// The Application Firewall's state, in this order: `--getglobalstate`,
/// `--getblockall`, `--getappblocked /Applications/zoom.us.app`,
/// `--listapps`. None needs administrator rights.
pub fn firewall_specs() -> Vec<CommandSpec> {
    let appblocked = ["--getappblocked", ZOOM_APP];
    [
        &["--getglobalstate"][..],
        &["--getblockall"],
        &appblocked,
        &["--listapps"],
    ]
    .into_iter()
    .map(|args| CommandSpec::new(SOCKETFILTERFW, args).c_locale())
    .collect()
}

/// Reads `--getglobalstate` (optionally followed by `--getblockall`'s line,
/// as when both flags are given at once): `(enabled, block all incoming)`.
/// `(State = 0/1/2)` decides when present (2 = block all), else the words
/// ("Firewall is enabled/disabled", Sequoia's "blocking all non-essential
/// incoming connections"). A `--getblockall` line ("block all state set to
/// enabled/disabled", old "Block all ENABLED!") overrides State 2, which
/// some macOS versions also report for stealth mode.
pub fn parse_socketfilterfw_global(text: &str) -> Result<(bool, bool), ParseError> {
    let mut state: Option<(bool, bool)> = None;
    let mut block_all: Option<bool> = None;
    for line in text.lines().map(|l| l.trim().to_ascii_lowercase()) {
        if let Some(number) = between(&line, '(', ')').and_then(|s| s.strip_prefix("state = ")) {
            state = Some(match number.trim() {
                "0" => (false, false),
                "1" => (true, false),
                "2" => (true, true),
                other => {
                    return Err(ParseError::new(
                        FIREWALL,
                        format!("unknown firewall state {other:?}"),
                    ))
                }
            });
        } else if line.starts_with("firewall is enabled") {
            state = Some((true, false));
        } else if line.starts_with("firewall is disabled") {
            state = Some((false, false));
        } else if line.starts_with("firewall is blocking all") {
            state = Some((true, true));
        } else if line.contains("block all") {
            block_all = block_all_word(&line).or(block_all);
        }
    }
    let (enabled, state_blocks) =
        state.ok_or_else(|| ParseError::new(FIREWALL, "no \"Firewall is …\" line"))?;
    Ok((enabled, enabled && block_all.unwrap_or(state_blocks)))
}

fn block_all_word(line: &str) -> Option<bool> {
    if line.contains("disabled") {
        Some(false)
    } else if line.contains("enabled") {
        Some(true)
    } else {
        None
    }
}

/// Reads `--listapps`: each app and whether it is blocked. The newer format
/// is `name (state: N)` (4 = block incoming connections, 1 = allow); the
/// older one is `N :  /path` followed by `( Allow|Block incoming
/// connections )`. An empty list is an empty answer.
pub fn parse_socketfilterfw_listapps(text: &str) -> Result<Vec<(String, bool)>, ParseError> {
    if !text.to_ascii_lowercase().contains("total number of apps") {
        return Err(ParseError::new(
            FIREWALL,
            "no \"Total number of apps\" line",
        ));
    }
    let mut apps = Vec::new();
    let mut pending: Option<String> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some((name, state)) = line.rsplit_once(" (state: ") {
            apps.push((
                name.trim().to_string(),
                state.trim_end_matches(')').trim() == "4",
            ));
        } else if line.starts_with('(') && line.contains("incoming connections") {
            let name = pending
                .take()
                .ok_or_else(|| ParseError::new(FIREWALL, format!("{line:?} follows no app")))?;
            apps.push((name, line.contains("Block")));
        } else if let Some((number, path)) = line.split_once(" : ") {
            if number.trim().chars().all(|c| c.is_ascii_digit()) {
                pending = Some(path.trim().to_string());
            }
        }
    }
    Ok(apps)
}

/// Reads `--getappblocked <app>`: true when incoming connections to it are
/// blocked. "is permitted" and "is not part of the firewall" (no rule) are
/// false. Only the end of the sentence is read, so a path containing
/// "blocked" does not mislead.
pub fn parse_socketfilterfw_appblocked(text: &str) -> Result<bool, ParseError> {
    for line in text
        .lines()
        .map(|l| l.trim().trim_end_matches('.').to_ascii_lowercase())
    {
        if line.ends_with("is blocked") || line.ends_with("is blocking incoming connections") {
            return Ok(true);
        }
        if line.ends_with("is permitted")
            || line.ends_with("is allowed")
            || line.ends_with("is not part of the firewall")
        {
            return Ok(false);
        }
    }
    Err(ParseError::new(
        FIREWALL,
        "no \"… is blocked/permitted\" answer",
    ))
}

/// The Application Firewall as a [`FirewallState`]: `global` is the output
/// of `--getglobalstate` (optionally with `--getblockall`'s appended),
/// `apps` that of `--listapps`. Zoom's rules are the listed apps whose
/// name contains "zoom". The firewall only filters incoming connections:
/// outbound is always "allow". A separate `--getappblocked` answer
/// ([`parse_socketfilterfw_appblocked`]) is for the caller to add.
pub fn firewall_state(global: &str, apps: Option<&str>) -> Result<FirewallState, ParseError> {
    let (enabled, block_all) = parse_socketfilterfw_global(global)?;
    let apps = apps
        .map(parse_socketfilterfw_listapps)
        .transpose()?
        .unwrap_or_default();
    let default_inbound = match (enabled, block_all) {
        (false, _) => "allow",
        (true, true) => "block",
        (true, false) => "ask",
    };
    let zoom_rules = apps
        .iter()
        .filter(|(name, _)| name.to_ascii_lowercase().contains("zoom"))
        .map(|(name, blocked)| FirewallRule {
            id: None,
            name: name.clone(),
            direction: "in".into(),
            action: if *blocked { "block" } else { "allow" }.into(),
            enabled: true,
            program: Some(name.clone()),
        })
        .collect();
    Ok(FirewallState {
        product: "macOS Application Firewall".into(),
        profiles: vec![FirewallProfile {
            name: "default".into(),
            enabled,
            default_inbound: Some(default_inbound.into()),
            default_outbound: Some("allow".into()),
        }],
        zoom_rules,
        blocks_all_incoming: block_all,
        blocked_apps: apps
            .into_iter()
            .filter(|(_, blocked)| *blocked)
            .map(|(name, _)| name)
            .collect(),
    })
}

// ---------------------------------------------------------------------------
// 5. Security software
// ---------------------------------------------------------------------------

/// `systemextensionsctl list`: installed system extensions (network
/// filters, endpoint security, drivers).
pub fn security_spec() -> CommandSpec {
    CommandSpec::new("systemextensionsctl", &["list"]).c_locale()
}

/// Security and VPN products known by their extensions' bundle-ID prefix
/// (case-insensitive).
const SECURITY_PRODUCTS: &[(&str, &str)] = &[
    ("com.crowdstrike.falcon", "CrowdStrike Falcon"),
    ("com.sentinelone", "SentinelOne"),
    ("com.sophos", "Sophos"),
    ("com.jamf.protect", "Jamf Protect"),
    ("com.microsoft.wdav", "Microsoft Defender"),
    ("at.obdev.littlesnitch", "Little Snitch"),
    ("com.objective-see.lulu", "LuLu"),
    (
        "com.paloaltonetworks.globalprotect",
        "Palo Alto GlobalProtect",
    ),
    ("com.cisco.anyconnect", "Cisco AnyConnect"),
    ("com.cisco.secureclient", "Cisco Secure Client"),
    ("com.zscaler", "Zscaler"),
    ("com.netskope", "Netskope"),
    ("com.fortinet", "FortiClient"),
    ("com.eset", "ESET"),
    ("com.bitdefender", "Bitdefender"),
    ("com.malwarebytes", "Malwarebytes"),
    ("com.trendmicro", "Trend Micro"),
    ("com.mcafee", "McAfee"),
    ("com.kaspersky", "Kaspersky"),
    ("com.symantec", "Symantec"),
    ("com.broadcom", "Symantec"),
    ("com.vmware.carbonblack", "VMware Carbon Black"),
    ("com.avast", "Avast"),
    ("com.cloudflare", "Cloudflare WARP"),
];

/// Extension categories that can see or filter network traffic.
const SECURITY_CATEGORIES: &[&str] = &["network_extension", "endpoint_security"];

/// One row of `systemextensionsctl list`.
#[derive(Debug)]
struct ExtensionRow<'a> {
    bundle_id: &'a str,
    state: &'a str,
    stars: usize,
}

/// Reads `systemextensionsctl list`: known products by bundle ID (from
/// [`SECURITY_PRODUCTS`]); unknown network-extension or endpoint-security
/// extensions by their bundle ID. One entry per product, enabled when any
/// of its extensions is `[activated enabled]` (rows without a state: when
/// both the enabled and active columns are `*`). "0 extension(s)" is an
/// empty answer.
pub fn parse_system_extensions(text: &str) -> Result<Vec<SecurityProduct>, ParseError> {
    let mut category = "";
    let mut seen_any = false;
    let mut products: Vec<SecurityProduct> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.ends_with("extension(s)") {
            seen_any = true;
        } else if let Some(name) = line.strip_prefix("--- ") {
            category = name;
        } else if line.starts_with("enabled") {
            continue;
        } else if let Some(row) = extension_row(line) {
            seen_any = true;
            let name = match known_product(row.bundle_id) {
                Some(name) => name.to_string(),
                None if SECURITY_CATEGORIES.iter().any(|c| category.ends_with(c)) => {
                    row.bundle_id.to_string()
                }
                None => continue,
            };
            let enabled = if row.state.is_empty() {
                row.stars >= 2
            } else {
                row.state == "activated enabled"
            };
            match products.iter_mut().find(|p| p.name == name) {
                Some(p) => p.enabled = Some(p.enabled == Some(true) || enabled),
                None => products.push(SecurityProduct {
                    name,
                    enabled: Some(enabled),
                    up_to_date: None,
                    seen_in: "system extension".into(),
                }),
            }
        }
    }
    if !seen_any {
        return Err(ParseError::new(
            SYSTEM_EXTENSIONS,
            "no \"N extension(s)\" line and no extension rows",
        ));
    }
    Ok(products)
}

/// `[*\t*\t]TEAMID\tbundle.id (1.0/1)\tname\t[state]`, tab- or
/// space-separated: the bundle ID is the word before `(version)`.
fn extension_row(line: &str) -> Option<ExtensionRow<'_>> {
    let open = line.find(" (").or_else(|| line.find("\t("))?;
    let before: Vec<&str> = line[..open].split_whitespace().collect();
    let bundle_id = *before.last()?;
    if !bundle_id.contains('.') {
        return None;
    }
    let state = match (line.rfind('['), line.ends_with(']')) {
        (Some(at), true) => &line[at + 1..line.len() - 1],
        _ => "",
    };
    Some(ExtensionRow {
        bundle_id,
        state,
        stars: before.iter().filter(|w| **w == "*").count(),
    })
}

fn known_product(bundle_id: &str) -> Option<&'static str> {
    let id = bundle_id.to_ascii_lowercase();
    SECURITY_PRODUCTS
        .iter()
        .find(|(prefix, _)| id.starts_with(prefix))
        .map(|(_, name)| *name)
}

// ---------------------------------------------------------------------------
// 6. Zoom install
// ---------------------------------------------------------------------------

/// The Zoom app's `Info.plist` as XML (`plutil -convert xml1 -o - …`, which
/// also reads binary plists) and its executable's architectures
/// (`lipo -archs …`).
pub fn zoom_specs() -> Vec<CommandSpec> {
    let plist = format!("{ZOOM_APP}/Contents/Info.plist");
    let binary = format!("{ZOOM_APP}/Contents/MacOS/zoom.us");
    vec![
        CommandSpec::new("plutil", &["-convert", "xml1", "-o", "-", &plist]).c_locale(),
        CommandSpec::new("lipo", &["-archs", &binary]).c_locale(),
    ]
}

/// Reads the Zoom app's Info.plist (XML). Only a bundle whose
/// `CFBundleIdentifier` is `us.zoom.xos` is Zoom: any other (valid) plist
/// gives `installed: false`. Version is `CFBundleShortVersionString`
/// (Zoom's reads "5.16.10 (25689)"), else `CFBundleVersion`.
pub fn parse_info_plist(xml: &str) -> Result<ZoomInstall, ParseError> {
    let keys = plist_top_level_strings(xml)?;
    let get = |name: &str| keys.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if get("CFBundleIdentifier").as_deref() != Some(ZOOM_BUNDLE_ID) {
        return Ok(ZoomInstall::default());
    }
    Ok(ZoomInstall {
        arch_problem: None,
        installed: true,
        version: get("CFBundleShortVersionString").or_else(|| get("CFBundleVersion")),
        path: Some(ZOOM_APP.into()),
        install_kind: Some("app bundle".into()),
        arch: None,
    })
}

/// The `<key>`/`<string>` pairs of an XML plist's root dictionary (nested
/// dictionaries and arrays are skipped). Not a plist, or one that ends
/// before `</plist>`, is an error.
fn plist_top_level_strings(xml: &str) -> Result<Vec<(String, String)>, ParseError> {
    let err = |m: &str| ParseError::new(PLIST, m.to_string());
    let mut rest = xml;
    let mut depth = 0usize;
    let mut seen_plist = false;
    let mut closed = false;
    let mut key: Option<String> = None;
    let mut pairs = Vec::new();
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after
                .find("-->")
                .map(|end| &after[end + 3..])
                .ok_or_else(|| err("unterminated comment"))?;
            continue;
        }
        let end = rest
            .find('>')
            .ok_or_else(|| err("unterminated tag (truncated)"))?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        match (name, tag.starts_with('/'), tag.ends_with('/')) {
            (_, _, _) if tag.starts_with('?') || tag.starts_with('!') => {}
            ("plist", false, _) => seen_plist = true,
            ("plist", true, _) => closed = true,
            ("dict" | "array", false, false) => {
                key = None;
                depth += 1;
            }
            ("dict" | "array", true, _) => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| err("unbalanced </dict>"))?
            }
            ("key" | "string", false, false) => {
                let close = format!("</{name}>");
                let len = rest
                    .find(&close)
                    .ok_or_else(|| err("unterminated element (truncated)"))?;
                let text = xml_unescape(&rest[..len]);
                rest = &rest[len + close.len()..];
                match (name, depth, key.take()) {
                    ("key", 1, _) => key = Some(text),
                    ("string", 1, Some(k)) => pairs.push((k, text)),
                    _ => {}
                }
            }
            _ => key = None,
        }
    }
    if !seen_plist {
        return Err(err("not an XML property list (no <plist>)"));
    }
    if !closed || depth != 0 {
        return Err(err("property list ends early (truncated)"));
    }
    Ok(pairs)
}

/// XML's five named entities and numeric character references.
fn xml_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16).ok())
                .unwrap_or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// CPU architectures `lipo` may name.
const ARCHS: &[&str] = &[
    "x86_64", "x86_64h", "arm64", "arm64e", "i386", "ppc", "ppc64",
];

/// Reads `lipo -archs`: one architecture as itself ("arm64", "x86_64";
/// arm64e counts as arm64), two or more as "universal".
pub fn parse_lipo_archs(text: &str) -> Result<String, ParseError> {
    let archs: Vec<&str> = text.split_whitespace().collect();
    if archs.is_empty() {
        return Err(ParseError::new(LIPO, "empty output"));
    }
    if let Some(bad) = archs.iter().find(|a| !ARCHS.contains(a)) {
        return Err(ParseError::new(
            LIPO,
            format!("unknown architecture {bad:?}"),
        ));
    }
    let normal = |a: &str| {
        match a {
            "arm64e" => "arm64",
            "x86_64h" => "x86_64",
            other => other,
        }
        .to_string()
    };
    let mut distinct: Vec<String> = archs.iter().map(|a| normal(a)).collect();
    distinct.dedup();
    Ok(if distinct.len() == 1 {
        distinct.remove(0)
    } else {
        "universal".into()
    })
}

/// Reads `system_profiler SPApplicationsDataType` (text form): the entry
/// whose `Location:` is a `zoom.us.app` bundle: version, location, and arch
/// from `Kind:` ("Universal", "Apple Silicon" → arm64, "Intel" → x86_64;
/// the older "64-bit" does not say which CPU, so `None`). Zoom missing from
/// the list gives `installed: false`.
pub fn parse_system_profiler_apps(text: &str) -> Result<ZoomInstall, ParseError> {
    if !text.lines().any(|l| l.trim() == "Applications:") {
        return Err(ParseError::new(APPLICATIONS, "no \"Applications:\" header"));
    }
    let zoom = application_entries(text).into_iter().find(|fields| {
        fields
            .iter()
            .any(|(k, v)| *k == "Location" && v.to_ascii_lowercase().ends_with("/zoom.us.app"))
    });
    let Some(fields) = zoom else {
        return Ok(ZoomInstall::default());
    };
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    Ok(ZoomInstall {
        arch_problem: None,
        installed: true,
        version: get("Version"),
        path: get("Location"),
        install_kind: Some("app bundle".into()),
        arch: get("Kind").and_then(|kind| match kind.as_str() {
            "Universal" => Some("universal".into()),
            "Apple Silicon" => Some("arm64".into()),
            "Intel" => Some("x86_64".into()),
            _ => None,
        }),
    })
}

/// The `Key: Value` fields of each application entry (an entry starts at a
/// line ending in ':' with no value).
fn application_entries(text: &str) -> Vec<Vec<(&str, &str)>> {
    let mut entries: Vec<Vec<(&str, &str)>> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.ends_with(':') && !line.contains(": ") {
            entries.push(Vec::new());
        } else if let (Some(entry), Some((k, v))) = (entries.last_mut(), line.split_once(": ")) {
            entry.push((k.trim(), v.trim()));
        }
    }
    entries
}

// ---------------------------------------------------------------------------
// 7. Wi-Fi
// ---------------------------------------------------------------------------

/// Reads `airport -I` (the private Apple80211 tool, removed in macOS 14.4):
/// RSSI, noise, last transmit rate, SSID and channel ("36,80" → 36, band
/// from the number). "AirPort: Off" or not associated is `None`.
pub fn parse_airport_info(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    let fields: Vec<(&str, &str)> = colon_fields(text).collect();
    let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    if get("AirPort") == Some("Off") {
        return Ok(None);
    }
    if get("agrCtlRSSI").is_none() && get("state").is_none() {
        return Err(ParseError::new(AIRPORT, "no agrCtlRSSI or state line"));
    }
    let ssid = get("SSID").filter(|s| !s.is_empty());
    if ssid.is_none() && get("state") != Some("running") {
        return Ok(None);
    }
    let channel = get("channel")
        .and_then(|c| c.split(',').next())
        .and_then(|c| c.trim().parse::<u32>().ok());
    Ok(Some(WifiInfo {
        ssid: ssid.map(str::to_string),
        signal_percent: None,
        rssi_dbm: get("agrCtlRSSI").and_then(|v| v.parse().ok()),
        noise_dbm: get("agrCtlNoise").and_then(|v| v.parse().ok()),
        channel,
        band: channel.map(|c| if c <= 14 { "2.4 GHz" } else { "5 GHz" }.to_string()),
        tx_rate_mbps: get("lastTxRate").and_then(|v| v.parse().ok()),
    }))
}

/// `system_profiler SPAirPortDataType -json`: Wi-Fi state without
/// administrator rights (the successor of `airport -I` on macOS 14.4+).
pub fn airport_json_spec() -> CommandSpec {
    CommandSpec::new("system_profiler", &["SPAirPortDataType", "-json"]).c_locale()
}

/// Reads `system_profiler SPAirPortDataType -json`: the first interface
/// with `spairport_current_network_information` gives SSID (`_name`, `None`
/// when `<redacted>`), signal and noise (`"-58 dBm / -92 dBm"`), rate and
/// channel (`"149 (5GHz, 80MHz)"` or a number). No interface on a network
/// is `None`.
pub fn parse_system_profiler_airport(json: &str) -> Result<Option<WifiInfo>, ParseError> {
    let err = |m: String| ParseError::new(AIRPORT_JSON, m);
    let root: serde_json::Value =
        serde_json::from_str(json).map_err(|e| err(format!("not JSON: {e}")))?;
    let sections = root
        .get("SPAirPortDataType")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| err("no SPAirPortDataType array".into()))?;
    let current = sections
        .iter()
        .filter_map(|s| s.get("spairport_airport_interfaces")?.as_array())
        .flatten()
        .find_map(|i| i.get("spairport_current_network_information"));
    let Some(network) = current else {
        return Ok(None);
    };
    let text = |key: &str| network.get(key).and_then(serde_json::Value::as_str);
    let (rssi, noise) = text("spairport_signal_noise")
        .map(signal_noise)
        .unwrap_or((None, None));
    let channel = match network.get("spairport_network_channel") {
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Some(serde_json::Value::String(s)) => s
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok()),
        _ => None,
    };
    let band = text("spairport_network_channel").and_then(|c| {
        ["2GHz", "5GHz", "6GHz"]
            .iter()
            .zip(["2.4 GHz", "5 GHz", "6 GHz"])
            .find(|(tag, _)| c.contains(**tag))
            .map(|(_, b)| b.to_string())
    });
    Ok(Some(WifiInfo {
        ssid: text("_name")
            .filter(|s| !s.is_empty() && *s != "<redacted>")
            .map(str::to_string),
        signal_percent: None,
        rssi_dbm: rssi,
        noise_dbm: noise,
        channel,
        band: band
            .or_else(|| channel.map(|c| if c <= 14 { "2.4 GHz" } else { "5 GHz" }.to_string())),
        tx_rate_mbps: network
            .get("spairport_network_rate")
            .and_then(serde_json::Value::as_f64),
    }))
}

/// `"-58 dBm / -92 dBm"` → (signal, noise).
fn signal_noise(text: &str) -> (Option<i32>, Option<i32>) {
    let mut values = text
        .split('/')
        .map(|part| part.split_whitespace().next().and_then(|v| v.parse().ok()));
    (values.next().flatten(), values.next().flatten())
}

/// `sudo wdutil info` (needs administrator rights).
pub fn wdutil_spec() -> CommandSpec {
    CommandSpec::new("wdutil", &["info"]).c_locale()
}

/// Reads the WIFI section of `wdutil info`: RSSI/Noise ("-34 dBm"), Tx Rate
/// ("2401.0 Mbps"), Channel ("6g101 (160 MHz, Active)" or "5g149/80" →
/// channel and band), SSID (`None` when redacted). Power off or not
/// associated is `None`.
pub fn parse_wdutil_info(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    let fields =
        wdutil_section(text, "WIFI").ok_or_else(|| ParseError::new(WDUTIL, "no WIFI section"))?;
    let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    if get("Power").is_some_and(|p| p.starts_with("Off")) {
        return Ok(None);
    }
    let number = |name: &str| {
        get(name)
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
    };
    let ssid = get("SSID").filter(|s| !s.is_empty() && *s != "<redacted>" && *s != "None");
    let rssi = number("RSSI");
    if rssi.is_none() && ssid.is_none() {
        return Ok(None);
    }
    let (band, channel) = get("Channel").map(wdutil_channel).unwrap_or((None, None));
    Ok(Some(WifiInfo {
        ssid: ssid.map(str::to_string),
        signal_percent: None,
        rssi_dbm: rssi.map(|v| v as i32),
        noise_dbm: number("Noise").map(|v| v as i32),
        channel,
        band,
        tx_rate_mbps: number("Tx Rate"),
    }))
}

/// The `Key : Value` lines of one wdutil section (its name alone on a line
/// between rules of "—"). `None` when the section is absent.
fn wdutil_section<'a>(text: &'a str, name: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut lines = text.lines().skip_while(|l| l.trim() != name);
    lines.next()?;
    Some(
        lines
            .skip_while(|l| l.trim_start().starts_with('—'))
            .take_while(|l| !l.trim_start().starts_with('—'))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect(),
    )
}

/// "6g101 (160 MHz, Active)" / "5g149/80" / "2g6/20" → (band, channel).
fn wdutil_channel(text: &str) -> (Option<String>, Option<u32>) {
    let band = match text.get(..2) {
        Some("2g") => Some("2.4 GHz".to_string()),
        Some("5g") => Some("5 GHz".to_string()),
        Some("6g") => Some("6 GHz".to_string()),
        _ => None,
    };
    let digits: String = text
        .get(2..)
        .unwrap_or("")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (band, digits.parse().ok())
}

// ---------------------------------------------------------------------------
// 8. Machine architecture
// ---------------------------------------------------------------------------

const SYSCTL_ARM64: &str = "sysctl -n hw.optional.arm64";

/// Whether the Mac itself is Apple Silicon: `sysctl -n hw.optional.arm64`.
/// `uname -m` is no use here: run from a process under Rosetta (an Intel
/// build of Terminal or of this app) it says "x86_64" on Apple Silicon,
/// while this key says "1" either way.
///
/// Intel Macs have no such key: sysctl prints nothing on stdout,
/// "sysctl: unknown oid 'hw.optional.arm64'" on stderr and exits 1. The
/// caller treats that failure (see [`sysctl_unknown_oid`]) as Intel, not as
/// an unreadable fact.
pub fn machine_arch_spec() -> CommandSpec {
    CommandSpec::new("sysctl", &["-n", "hw.optional.arm64"]).c_locale()
}

/// Reads [`machine_arch_spec`]'s stdout: "1" → Apple Silicon (`true`),
/// "0" → Intel (`false`). Also takes the `name: value` form sysctl prints
/// without `-n`. Anything else, including nothing, is an error.
pub fn parse_hw_optional_arm64(text: &str) -> Result<bool, ParseError> {
    let value = text.trim();
    let value = value
        .strip_prefix("hw.optional.arm64:")
        .map_or(value, str::trim);
    match value {
        "1" => Ok(true),
        "0" => Ok(false),
        "" => Err(ParseError::new(SYSCTL_ARM64, "no output")),
        other => Err(ParseError::new(
            SYSCTL_ARM64,
            format!("expected 0 or 1, found {other:?}"),
        )),
    }
}

/// True when sysctl's stderr says the key does not exist (an Intel Mac,
/// or a macOS older than Big Sur): the machine is not Apple Silicon.
/// Older sysctl versions word it "second level name arm64 in
/// hw.optional.arm64 is invalid".
pub fn sysctl_unknown_oid(stderr: &str) -> bool {
    stderr.contains("unknown oid") || stderr.contains("is invalid")
}

/// A plain-words problem when the Zoom build does not fit the Mac:
/// `machine_is_arm` from [`parse_hw_optional_arm64`], `zoom_arch` in the
/// words of [`parse_lipo_archs`] / [`ZoomInstall::arch`] ("x86_64",
/// "arm64", "universal"). A universal or matching build, or an
/// architecture not known, is no problem (`None`).
pub fn arch_mismatch(machine_is_arm: bool, zoom_arch: &str) -> Option<String> {
    let arch = zoom_arch.trim().to_ascii_lowercase();
    let intel_only = matches!(arch.as_str(), "x86_64" | "x86_64h" | "intel");
    let arm_only = matches!(arch.as_str(), "arm64" | "arm64e" | "apple silicon");
    if machine_is_arm && intel_only {
        Some(
            "Zoom for Intel runs under Rosetta on this Apple Silicon Mac; \
             the Apple Silicon build is faster and more reliable"
                .into(),
        )
    } else if !machine_is_arm && arm_only {
        Some(
            "This Zoom is the build for Apple Silicon, which cannot run on this \
             Intel Mac; install Zoom for Intel (or the universal installer)"
                .into(),
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::fixture;

    fn fx(name: &str) -> String {
        fixture("macos", name)
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| ip(s)).collect()
    }

    /// Every prefix of `text` (cut at char boundaries, every 7th byte) goes
    /// through `parse` without a panic.
    fn survives_truncation<T>(text: &str, parse: impl Fn(&str) -> Result<T, ParseError>) {
        for end in (0..text.len())
            .step_by(7)
            .filter(|e| text.is_char_boundary(*e))
        {
            let _ = parse(&text[..end]);
        }
    }

    const GARBAGE: &[&str] = &[
        "",
        "   \n\n",
        "hello world\n",
        "\u{fffd}\u{0}\u{fffd}",
        "}}}{{{",
        ":::: : ::",
    ];

    // 1. Proxy ---------------------------------------------------------------

    #[test]
    fn scutil_dictionary_reads_nesting_arrays_and_colons_in_values() {
        let d =
            parse_scutil_dictionary(&fx("scutil-proxy--manual-http-https-socks.txt"), "t").unwrap();
        assert_eq!(
            d.strings("ExceptionsList"),
            ["*.local", "169.254/16", "10.0.0.0/8", "*.corp.example.com"]
        );
        assert_eq!(d.get("__SCOPED__").unwrap().entries()[0].0, "en0");
        let d = parse_scutil_dictionary(&fx("scutil-proxy--pac.txt"), "t").unwrap();
        assert_eq!(
            d.str("ProxyAutoConfigURLString"),
            Some("http://wpad.company.com/wpad.dat")
        );
        assert_eq!(
            parse_scutil_dictionary("<dictionary> {\n}\n", "t").unwrap(),
            ScutilValue::Dictionary(vec![])
        );
        assert_eq!(
            parse_scutil_dictionary("<dictionary> {\n  Key :\n}\n", "t")
                .unwrap()
                .get("Key"),
            Some(&ScutilValue::Scalar(String::new()))
        );
        for bad in [
            "<dictionary> {\n  A : 1\n",
            "<dictionary> {\n  A : <array> {\n  0 : x\n}\n",
            "<dictionary> {\n}\n}\n",
            "<dictionary> {\n  no separator\n}\n",
        ] {
            assert!(parse_scutil_dictionary(bad, "t").is_err(), "{bad:?}");
        }
        let deep = format!("<dictionary> {{\n{}", "  A : <dictionary> {\n".repeat(100));
        assert!(parse_scutil_dictionary(&deep, "t").is_err());
    }

    #[test]
    fn scutil_proxy_variants() {
        let direct = |bypass: &[&str]| ProxySettings {
            source: "scutil --proxy".into(),
            bypass: bypass.iter().map(|s| s.to_string()).collect(),
            ..ProxySettings::default()
        };
        let manual = ProxySettings {
            http: Some("proxy.corp.example.com:3128".into()),
            https: Some("proxy.corp.example.com:3128".into()),
            socks: Some("10.20.30.40:1080".into()),
            ..direct(&["*.local", "169.254/16", "10.0.0.0/8", "*.corp.example.com"])
        };
        let pac = ProxySettings {
            pac_url: Some("http://wpad.company.com/wpad.dat".into()),
            ..direct(&[])
        };
        let wpad = ProxySettings {
            auto_detect: true,
            ..direct(&["*.local", "169.254/16"])
        };
        let scoped = ProxySettings {
            source: "scutil --proxy (__SCOPED__ en7)".into(),
            http: Some("192.168.50.1:8080".into()),
            ..direct(&["*.local", "169.254/16"])
        };
        for (name, expected) in [
            ("scutil-proxy--off.txt", direct(&["*.local", "169.254/16"])),
            ("scutil-proxy--manual-http-https-socks.txt", manual),
            ("scutil-proxy--pac.txt", pac),
            ("scutil-proxy--auto-discovery.txt", wpad),
            ("scutil-proxy--scoped-only.txt", scoped),
        ] {
            let text = fx(name);
            assert_eq!(parse_scutil_proxy(&text).unwrap(), expected, "{name}");
            survives_truncation(&text, parse_scutil_proxy);
        }
        assert!(parse_scutil_proxy(&fx("scutil-proxy--off.txt"))
            .unwrap()
            .is_direct());
        let v6 = "<dictionary> {\n  HTTPEnable : 1\n  HTTPProxy : fd00::1\n  HTTPPort : 8080\n}\n";
        assert_eq!(
            parse_scutil_proxy(v6).unwrap().http.as_deref(),
            Some("[fd00::1]:8080")
        );
        let pac_off = "<dictionary> {\n  ProxyAutoConfigEnable : 0\n  ProxyAutoConfigURLString : http://x/p.pac\n}\n";
        assert!(parse_scutil_proxy(pac_off).unwrap().is_direct());
    }

    #[test]
    fn scutil_proxy_rejects_garbage_and_truncation() {
        for text in GARBAGE {
            assert!(parse_scutil_proxy(text).is_err(), "{text:?}");
        }
        let text = fx("scutil-proxy--manual-http-https-socks.txt");
        let cut = &text[..text.len() / 2];
        let err = parse_scutil_proxy(cut).unwrap_err();
        assert!(err.message.contains("truncated"), "{err}");
        assert_eq!(err.tool, "scutil --proxy");
    }

    #[test]
    fn networksetup_proxy() {
        for name in [
            "networksetup-getwebproxy--enabled.txt",
            "networksetup-getsecurewebproxy--enabled.txt",
        ] {
            assert_eq!(
                parse_networksetup_proxy(&fx(name)).unwrap().as_deref(),
                Some("127.0.0.1:7890"),
                "{name}"
            );
        }
        let off = "Enabled: No\nServer: \nPort: 0\nAuthenticated Proxy Enabled: 0\n";
        assert_eq!(parse_networksetup_proxy(off).unwrap(), None);
        for bad in [
            "",
            "garbage\n",
            "Enabled: Maybe\n",
            "Enabled: Yes\n",
            "Enabled: Yes\nServer: \n",
        ] {
            assert!(parse_networksetup_proxy(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            networksetup_proxy_spec("secureweb", "Wi-Fi").display(),
            "networksetup -getsecurewebproxy Wi-Fi"
        );
    }

    // 2. DNS -----------------------------------------------------------------

    #[test]
    fn scutil_dns_tailscale_split_dns() {
        let dns = parse_scutil_dns(&fx("scutil-dns--tailscale-utun-supplemental.txt")).unwrap();
        assert_eq!(dns.servers, ips(&["1.1.1.1", "8.8.8.8"]));
        assert_eq!(
            dns.per_interface,
            vec![
                InterfaceDns {
                    interface: "utun12".into(),
                    servers: ips(&["100.100.100.100"]),
                    domains: vec!["dove-climb.ts.net".into()]
                },
                InterfaceDns {
                    interface: "en0".into(),
                    servers: ips(&["1.1.1.1", "8.8.8.8"]),
                    domains: vec![]
                },
            ]
        );
    }

    #[test]
    fn scutil_dns_mavericks_and_scoped_only_interfaces() {
        let dns = parse_scutil_dns(&fx("scutil-dns--mavericks-snipped.txt")).unwrap();
        assert_eq!(dns.servers, ips(&["172.31.30.10"]));
        assert_eq!(
            dns.per_interface,
            vec![
                InterfaceDns {
                    interface: String::new(),
                    servers: ips(&["172.31.30.10"]),
                    domains: vec![]
                },
                InterfaceDns {
                    interface: "en0".into(),
                    servers: ips(&["172.31.30.10"]),
                    domains: vec![]
                },
            ]
        );
    }

    #[test]
    fn scutil_dns_empty_garbage_truncated() {
        assert_eq!(
            parse_scutil_dns("DNS configuration\n\nNo DNS configuration available\n").unwrap(),
            DnsServers::default()
        );
        assert_eq!(
            parse_scutil_dns("DNS configuration\n").unwrap(),
            DnsServers::default()
        );
        for text in GARBAGE {
            assert!(parse_scutil_dns(text).is_err(), "{text:?}");
        }
        let cut = "DNS configuration\n\nresolver #1\n  nameserver[0] : 172.31.";
        assert!(parse_scutil_dns(cut)
            .unwrap_err()
            .message
            .contains("172.31."));
        survives_truncation(
            &fx("scutil-dns--tailscale-utun-supplemental.txt"),
            parse_scutil_dns,
        );
    }

    // 3. Routes / VPN --------------------------------------------------------

    #[test]
    fn route_get_samples() {
        let dest = ip("0.0.0.0");
        for (name, gateway) in [
            ("route-n-get--default-en0.txt", "10.0.2.2"),
            ("route-n-get--default-en0-b.txt", "10.160.24.1"),
            ("route-n-get--default-global-flag.txt", "10.33.79.254"),
        ] {
            let route = parse_route_get(&fx(name), dest).unwrap();
            assert_eq!(
                route,
                Route {
                    destination: dest,
                    interface: "en0".into(),
                    gateway: Some(ip(gateway)),
                    source: None
                },
                "{name}"
            );
            survives_truncation(&fx(name), |t| parse_route_get(t, dest));
        }
        let tunnel = "   route to: 203.0.113.5\ndestination: default\n       mask: default\n  interface: utun3\n      flags: <UP,DONE,STATIC>\n";
        assert_eq!(
            parse_route_get(tunnel, ip("203.0.113.5")).unwrap().gateway,
            None
        );
        assert_eq!(
            parse_route_get(tunnel, ip("203.0.113.5"))
                .unwrap()
                .interface,
            "utun3"
        );
        let none = "route: writing to routing socket: not in table\n";
        assert!(parse_route_get(none, dest)
            .unwrap_err()
            .message
            .contains("no route to 0.0.0.0"));
        for text in GARBAGE.iter().chain(&["   route to: default\n"]) {
            assert!(parse_route_get(text, dest).is_err(), "{text:?}");
        }
    }

    #[test]
    fn route_spec_per_family() {
        assert_eq!(
            route_spec(ip("170.114.52.2")).display(),
            "route -n get 170.114.52.2"
        );
        assert_eq!(
            route_spec(ip("2001:db8::1")).display(),
            "route -n get -inet6 2001:db8::1"
        );
        assert_eq!(route_spec(ip("170.114.52.2")).env.len(), 2);
    }

    #[test]
    fn netstat_defaults_in_every_sample() {
        let d = |prefix: &str, interface: &str, gateway: Option<&str>| DefaultRoute {
            prefix: prefix.into(),
            interface: interface.into(),
            gateway: gateway.map(ip),
            metric: None,
        };
        for (name, expected) in [
            (
                "netstat-rn--plain-vm.txt",
                vec![d("0.0.0.0/0", "en0", Some("10.0.2.2"))],
            ),
            (
                "netstat-rnl--utun-ipv6-defaults.txt",
                vec![d("0.0.0.0/0", "en0", Some("192.168.1.254"))],
            ),
            (
                "netstat-nr--wireguard-utun3-default-prefix.txt",
                vec![
                    d("0.0.0.0/0", "utun3", None),
                    d("0.0.0.0/0", "en0", Some("172.20.10.1")),
                ],
            ),
            (
                "netstat-nr-f-inet--wg-quick-0slash1-utun0.txt",
                vec![d("0.0.0.0/1", "utun0", None), d("0.0.0.0/0", "utun0", None)],
            ),
            (
                "netstat-rn--fulltunnel-vpn-utun2-prefix.txt",
                vec![
                    d("0.0.0.0/0", "utun2", Some("172.20.12.27")),
                    d("0.0.0.0/0", "en0", Some("10.0.0.1")),
                ],
            ),
            (
                "netstat-rn--split-tunnel-openvpn-utun4-prefix.txt",
                vec![d("0.0.0.0/0", "en0", Some("192.168.68.1"))],
            ),
            (
                "netstat-rn--utun3-default-trimmed.txt",
                vec![
                    d("0.0.0.0/0", "utun3", None),
                    d("0.0.0.0/0", "en0", Some("192.168.1.254")),
                ],
            ),
            (
                "netstat-rn-f-inet--openvpn-def1-utun5.txt",
                vec![
                    d("0.0.0.0/1", "utun5", Some("10.8.0.1")),
                    d("0.0.0.0/0", "en0", Some("192.168.1.1")),
                    d("128.0.0.0/1", "utun5", Some("10.8.0.1")),
                ],
            ),
        ] {
            assert_eq!(
                parse_netstat_defaults(&fx(name)).unwrap(),
                expected,
                "{name}"
            );
            survives_truncation(&fx(name), parse_netstat_defaults);
        }
    }

    #[test]
    fn netstat_empty_garbage_truncated() {
        for text in GARBAGE {
            assert!(parse_netstat_defaults(text).is_err(), "{text:?}");
        }
        let header = "Routing tables\n\nInternet:\nDestination        Gateway            Flags        Netif Expire\n";
        assert_eq!(parse_netstat_defaults(header).unwrap(), vec![]);
        assert!(
            parse_netstat_defaults(&format!("{header}default            10.0."))
                .unwrap_err()
                .message
                .contains("truncated")
        );
        assert_eq!(default_prefix("10.128/9"), None);
        assert_eq!(default_prefix("128.0/1").as_deref(), Some("128.0.0.0/1"));
        assert_eq!(default_prefix("1.2.3.4.5/1"), None);
    }

    #[test]
    fn nc_list() {
        assert_eq!(
            parse_nc_list(&fx("scutil-nc-list--pptp-redacted.txt")).unwrap(),
            vec![("myVPName".to_string(), false)]
        );
        assert_eq!(
            parse_nc_list(&fx("scutil-nc-list--vpn-connected.txt")).unwrap(),
            vec![
                ("Office VPN".to_string(), true),
                ("Old L2TP".to_string(), false)
            ]
        );
        assert_eq!(
            parse_nc_list(
                "Available network connection services in the current set (*=enabled):\n"
            )
            .unwrap(),
            vec![]
        );
        for text in GARBAGE {
            assert!(parse_nc_list(text).is_err(), "{text:?}");
        }
        let cut = "Available network connection services in the current set (*=enabled):\n* (Connected)   A2  PPP --> PPTP  \"myV";
        assert!(parse_nc_list(cut).is_err());
    }

    #[test]
    fn global_ipv4_primary_interface() {
        let text = fx("scutil-show-State-Network-Global-IPv4--utun4-primary.txt");
        assert_eq!(parse_global_ipv4(&text).unwrap().as_deref(), Some("utun4"));
        assert_eq!(parse_global_ipv4("  No such key\n").unwrap(), None);
        for text in GARBAGE {
            assert!(parse_global_ipv4(text).is_err(), "{text:?}");
        }
        survives_truncation(&text, parse_global_ipv4);
    }

    #[test]
    fn hardware_ports_map_to_kinds() {
        let ports =
            parse_hardware_ports(&fx("networksetup-listallhardwareports--redacted-macs.txt"))
                .unwrap();
        let got: Vec<(&str, &str, InterfaceKind)> = ports
            .iter()
            .map(|i| (i.name.as_str(), i.description.as_deref().unwrap(), i.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("en5", "Ethernet Adapter (en5)", InterfaceKind::Ethernet),
                ("en8", "ThinkPad Lan", InterfaceKind::Ethernet),
                ("en6", "Ethernet Adapter (en6)", InterfaceKind::Ethernet),
                ("en7", "Ethernet Adapter (en7)", InterfaceKind::Ethernet),
                ("bridge0", "Thunderbolt Bridge", InterfaceKind::Virtual),
                ("en0", "Wi-Fi", InterfaceKind::Wifi),
                ("en1", "Thunderbolt 1", InterfaceKind::Other),
                ("en2", "Thunderbolt 2", InterfaceKind::Other),
                ("en3", "Thunderbolt 3", InterfaceKind::Other),
            ]
        );
        assert!(ports.iter().all(|i| !i.up && i.addresses.is_empty()));
        for (port, kind) in [
            ("Thunderbolt Ethernet", InterfaceKind::Ethernet),
            ("USB 10/100/1000 LAN", InterfaceKind::Ethernet),
            ("AirPort", InterfaceKind::Wifi),
            ("iPhone USB", InterfaceKind::Cellular),
            ("Bluetooth PAN", InterfaceKind::Other),
        ] {
            assert_eq!(hardware_port_kind(port), kind, "{port}");
        }
        assert_eq!(
            parse_hardware_ports("\nVLAN Configurations\n===================\n").unwrap(),
            vec![]
        );
        for text in GARBAGE.iter().chain(&[
            "Hardware Port: Wi-Fi\n",
            "Hardware Port: Wi-Fi\nHardware Port: Ethernet\nDevice: en1\n",
        ]) {
            assert!(parse_hardware_ports(text).is_err(), "{text:?}");
        }
    }

    // 4. Firewall ------------------------------------------------------------

    #[test]
    fn socketfilterfw_global_in_every_wording() {
        for (name, expected) in [
            (
                "socketfilterfw-getglobalstate--enabled-state1.txt",
                (true, false),
            ),
            (
                "socketfilterfw-getglobalstate--state2-block-all-old-wording.txt",
                (true, true),
            ),
            (
                "socketfilterfw-getglobalstate--state2-sequoia-wording.txt",
                (true, true),
            ),
            ("socketfilterfw-getglobalstate--off.txt", (false, false)),
            (
                "socketfilterfw-getglobalstate-getblockall--block-all.txt",
                (true, true),
            ),
            // State 2 with block-all explicitly off (stealth mode): not block all.
            ("socketfilterfw-state--stealth-logging.txt", (true, false)),
            // Off, then on: the last answer counts.
            (
                "socketfilterfw-setglobalstate--off-then-on.txt",
                (true, false),
            ),
        ] {
            assert_eq!(
                parse_socketfilterfw_global(&fx(name)).unwrap(),
                expected,
                "{name}"
            );
        }
        for (text, expected) in [
            ("Firewall is enabled.\n", (true, false)),
            (
                "Firewall is disabled.\nFirewall has block all state set to enabled.\n",
                (false, false),
            ),
            (
                "Firewall is enabled. (State = 1)\nBlock all ENABLED!\n",
                (true, true),
            ),
        ] {
            assert_eq!(
                parse_socketfilterfw_global(text).unwrap(),
                expected,
                "{text:?}"
            );
        }
        for text in GARBAGE.iter().chain(&[
            "Firewall is enabled. (State = 7)\n",
            "Firewall is en",
            "Firewall has block all state set to enabled.\n",
        ]) {
            assert!(parse_socketfilterfw_global(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn socketfilterfw_listapps_both_formats() {
        let newer = parse_socketfilterfw_listapps(&fx("socketfilterfw-listapps--newer-format.txt"))
            .unwrap();
        assert_eq!(newer.len(), 6);
        assert_eq!(newer[1], ("Pop Helper.app".to_string(), true));
        assert_eq!(newer[0], ("replicatord".to_string(), false));
        let zoom = parse_socketfilterfw_listapps(&fx("socketfilterfw-listapps--zoom-blocked.txt"))
            .unwrap();
        assert_eq!(zoom[0], ("zoom.us".to_string(), true));
        let older = "ALF: total number of apps = 2 \n\n1 :  /Applications/Dropbox.app \n \t ( Allow incoming connections ) \n\n2 :  /Applications/zoom.us.app \n \t ( Block incoming connections ) \n";
        assert_eq!(
            parse_socketfilterfw_listapps(older).unwrap(),
            vec![
                ("/Applications/Dropbox.app".to_string(), false),
                ("/Applications/zoom.us.app".to_string(), true)
            ]
        );
        assert_eq!(
            parse_socketfilterfw_listapps("Total number of apps = 0\n").unwrap(),
            vec![]
        );
        for text in GARBAGE
            .iter()
            .chain(&["Total number of apps = 1\n ( Block incoming connections )\n"])
        {
            assert!(parse_socketfilterfw_listapps(text).is_err(), "{text:?}");
        }
        survives_truncation(older, parse_socketfilterfw_listapps);
    }

    #[test]
    fn socketfilterfw_appblocked_wordings() {
        assert!(parse_socketfilterfw_appblocked(&fx(
            "socketfilterfw-getappblocked--zoom-blocked.txt"
        ))
        .unwrap());
        assert!(!parse_socketfilterfw_appblocked(&fx(
            "socketfilterfw-getappblocked--zoom-allowed.txt"
        ))
        .unwrap());
        for (text, blocked) in [
            ("The application /Applications/zoom.us.app is blocked\n", true),
            ("The application /Applications/zoom.us.app is permitted\n", false),
            ("Incoming connection to the application is blocked\n", true),
            ("The application at path ( /Applications/zoom.us.app ) is not part of the firewall\n", false),
            ("The application /Users/x/blocked/zoom.us.app is permitted\n", false),
        ] {
            assert_eq!(parse_socketfilterfw_appblocked(text).unwrap(), blocked, "{text:?}");
        }
        for text in GARBAGE
            .iter()
            .chain(&["Incoming connection to /Applications/zoom.us.app is bl"])
        {
            assert!(parse_socketfilterfw_appblocked(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn firewall_state_assembles_the_model() {
        let state = firewall_state(
            &fx("socketfilterfw-getglobalstate--enabled-state1.txt"),
            Some(&fx("socketfilterfw-listapps--zoom-blocked.txt")),
        )
        .unwrap();
        assert_eq!(state.product, "macOS Application Firewall");
        assert_eq!(
            state.profiles,
            vec![FirewallProfile {
                name: "default".into(),
                enabled: true,
                default_inbound: Some("ask".into()),
                default_outbound: Some("allow".into())
            }]
        );
        assert!(!state.blocks_all_incoming);
        assert_eq!(state.blocked_apps, vec!["zoom.us".to_string()]);
        assert_eq!(state.zoom_rules.len(), 1);
        assert_eq!(
            (
                state.zoom_rules[0].direction.as_str(),
                state.zoom_rules[0].action.as_str()
            ),
            ("in", "block")
        );

        let blocking = firewall_state(
            &fx("socketfilterfw-getglobalstate--state2-sequoia-wording.txt"),
            None,
        )
        .unwrap();
        assert!(blocking.blocks_all_incoming);
        assert_eq!(
            blocking.profiles[0].default_inbound.as_deref(),
            Some("block")
        );
        let off = firewall_state(&fx("socketfilterfw-getglobalstate--off.txt"), None).unwrap();
        assert!(
            !off.profiles[0].enabled && off.zoom_rules.is_empty() && off.blocked_apps.is_empty()
        );
        assert!(firewall_state("", None).is_err());
        assert!(firewall_state("Firewall is enabled. (State = 1)\n", Some("garbage")).is_err());
    }

    #[test]
    fn firewall_specs_are_argv() {
        let shown: Vec<String> = firewall_specs().iter().map(CommandSpec::display).collect();
        assert_eq!(
            shown,
            [
                "/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate",
                "/usr/libexec/ApplicationFirewall/socketfilterfw --getblockall",
                "/usr/libexec/ApplicationFirewall/socketfilterfw --getappblocked /Applications/zoom.us.app",
                "/usr/libexec/ApplicationFirewall/socketfilterfw --listapps",
            ]
        );
    }

    // 5. Security software ---------------------------------------------------

    #[test]
    fn system_extensions_samples() {
        let product = |name: &str, enabled: bool| SecurityProduct {
            name: name.into(),
            enabled: Some(enabled),
            up_to_date: None,
            seen_in: "system extension".into(),
        };
        for (name, expected) in [
            (
                "systemextensionsctl-list--lulu-network-extension.txt",
                vec![product("LuLu", true)],
            ),
            (
                "systemextensionsctl-list--single-row-waiting-for-user.txt",
                vec![product("LuLu", false)],
            ),
            (
                "systemextensionsctl-list--crowdstrike-zscaler.txt",
                vec![
                    product("Zscaler", true),
                    product("CrowdStrike Falcon", true),
                    product("com.example.contentfilter.extension", true),
                ],
            ),
        ] {
            assert_eq!(
                parse_system_extensions(&fx(name)).unwrap(),
                expected,
                "{name}"
            );
            survives_truncation(&fx(name), parse_system_extensions);
        }
    }

    #[test]
    fn system_extensions_empty_unknown_driver_and_garbage() {
        assert_eq!(parse_system_extensions("0 extension(s)\n").unwrap(), vec![]);
        let driver = "1 extension(s)\n--- com.apple.system_extension.driver_extension\nenabled\tactive\tteamID\tbundleID (version)\tname\t[state]\n*\t*\tABCDE12345\tcom.example.driver (1.0/1)\tDriver\t[activated enabled]\n";
        assert_eq!(parse_system_extensions(driver).unwrap(), vec![]);
        let stateless = "1 extension(s)\n--- com.apple.system_extension.network_extension\n*\t*\tVBG97UB4TA\tcom.objective-see.lulu.extension (2.3.0/2.3.0)\tExtension\n";
        assert_eq!(
            parse_system_extensions(stateless).unwrap()[0].enabled,
            Some(true)
        );
        for text in GARBAGE {
            assert!(parse_system_extensions(text).is_err(), "{text:?}");
        }
        assert!(SECURITY_PRODUCTS
            .iter()
            .all(|(prefix, _)| *prefix == prefix.to_ascii_lowercase()));
    }

    // 6. Zoom ----------------------------------------------------------------

    #[test]
    fn info_plist_recognises_zoom_only() {
        let zoom = parse_info_plist(&fx("Info.plist--zoom-us-app.xml")).unwrap();
        assert_eq!(
            zoom,
            ZoomInstall {
                arch_problem: None,
                installed: true,
                version: Some("5.16.10 (25689)".into()),
                path: Some("/Applications/zoom.us.app".into()),
                install_kind: Some("app bundle".into()),
                arch: None,
            }
        );
        let safari = fx("Info.plist--Safari-app-xml.txt");
        assert_eq!(parse_info_plist(&safari).unwrap(), ZoomInstall::default());
        let keys = plist_top_level_strings(&safari).unwrap();
        assert!(keys.contains(&("CFBundleShortVersionString".into(), "15.6".into())));
        assert!(keys.contains(&("CFBundleVersion".into(), "17613.3.9.1.5".into())));
        // Nested dictionaries' keys are not the bundle's.
        assert!(!keys.iter().any(|(k, _)| k == "CFBundleTypeName"));
        for text in GARBAGE.iter().chain(&["<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n<key>CFBundleIdentifier</key>\n<string>us.zoom"]) {
            assert!(parse_info_plist(text).is_err(), "{text:?}");
        }
        survives_truncation(&fx("Info.plist--zoom-us-app.xml"), parse_info_plist);
        assert_eq!(
            xml_unescape("a &amp; b &lt;&#x41;&#66;&bogus; &"),
            "a & b <AB&bogus; &"
        );
    }

    #[test]
    fn lipo_archs() {
        for (text, expected) in [
            ("x86_64 arm64\n", "universal"),
            ("arm64\n", "arm64"),
            ("x86_64\n", "x86_64"),
            ("arm64e\n", "arm64"),
        ] {
            assert_eq!(parse_lipo_archs(text).unwrap(), expected, "{text:?}");
        }
        for text in GARBAGE
            .iter()
            .chain(&["fatal error: lipo: can't open input file\n", "x86_6"])
        {
            assert!(parse_lipo_archs(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn system_profiler_finds_zoom() {
        let text = fx("system-profiler-SPApplicationsDataType--with-zoom.txt");
        assert_eq!(
            parse_system_profiler_apps(&text).unwrap(),
            ZoomInstall {
                arch_problem: None,
                installed: true,
                version: Some("5.16.10 (25689)".into()),
                path: Some("/Applications/zoom.us.app".into()),
                install_kind: Some("app bundle".into()),
                arch: None,
            }
        );
        let arm = "Applications:\n\n    zoom.us:\n\n      Version: 6.0.2 (33403)\n      Location: /Applications/zoom.us.app\n      Kind: Apple Silicon\n";
        assert_eq!(
            parse_system_profiler_apps(arm).unwrap().arch.as_deref(),
            Some("arm64")
        );
        let other = "Applications:\n\n    Safari:\n\n      Version: 17.0\n      Location: /Applications/Safari.app\n";
        assert_eq!(
            parse_system_profiler_apps(other).unwrap(),
            ZoomInstall::default()
        );
        for text in GARBAGE {
            assert!(parse_system_profiler_apps(text).is_err(), "{text:?}");
        }
        survives_truncation(&text[..4000], parse_system_profiler_apps);
    }

    #[test]
    fn zoom_specs_are_argv() {
        let shown: Vec<String> = zoom_specs().iter().map(CommandSpec::display).collect();
        assert_eq!(
            shown,
            [
                "plutil -convert xml1 -o - /Applications/zoom.us.app/Contents/Info.plist",
                "lipo -archs /Applications/zoom.us.app/Contents/MacOS/zoom.us"
            ]
        );
    }

    // 7. Wi-Fi ---------------------------------------------------------------

    #[test]
    fn airport_info() {
        let wifi = parse_airport_info(&fx("airport-I--connected.txt"))
            .unwrap()
            .unwrap();
        assert_eq!(
            wifi,
            WifiInfo {
                ssid: Some("SnazzleDazzle".into()),
                signal_percent: None,
                rssi_dbm: Some(-66),
                noise_dbm: Some(-90),
                channel: Some(48),
                band: Some("5 GHz".into()),
                tx_rate_mbps: Some(195.0),
            }
        );
        assert_eq!(parse_airport_info("AirPort: Off\n").unwrap(), None);
        assert_eq!(
            parse_airport_info("     agrCtlRSSI: 0\n          state: init\n").unwrap(),
            None
        );
        for text in GARBAGE {
            assert!(parse_airport_info(text).is_err(), "{text:?}");
        }
        survives_truncation(&fx("airport-I--connected.txt"), parse_airport_info);
    }

    #[test]
    fn wdutil_info() {
        let wifi = parse_wdutil_info(&fx("wdutil-info--redacted.txt"))
            .unwrap()
            .unwrap();
        assert_eq!(
            wifi,
            WifiInfo {
                ssid: None,
                signal_percent: None,
                rssi_dbm: Some(-34),
                noise_dbm: Some(-92),
                channel: Some(101),
                band: Some("6 GHz".into()),
                tx_rate_mbps: Some(2401.0),
            }
        );
        assert_eq!(
            wdutil_channel("5g149/80"),
            (Some("5 GHz".into()), Some(149))
        );
        assert_eq!(wdutil_channel("2g6/20"), (Some("2.4 GHz".into()), Some(6)));
        assert_eq!(wdutil_channel("?"), (None, None));
        let off = "WIFI\n————\n    Interface Name       : en0\n    Power                : Off [Off]\n————\n";
        assert_eq!(parse_wdutil_info(off).unwrap(), None);
        for text in GARBAGE {
            assert!(parse_wdutil_info(text).is_err(), "{text:?}");
        }
        survives_truncation(&fx("wdutil-info--redacted.txt"), parse_wdutil_info);
    }

    #[test]
    fn system_profiler_airport_json() {
        let text = fx("system-profiler-SPAirPortDataType-json--connected-5ghz.json");
        assert_eq!(
            parse_system_profiler_airport(&text).unwrap(),
            Some(WifiInfo {
                ssid: None,
                signal_percent: None,
                rssi_dbm: Some(-58),
                noise_dbm: Some(-92),
                channel: Some(149),
                band: Some("5 GHz".into()),
                tx_rate_mbps: Some(866.0),
            })
        );
        let numeric = r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[{"_name":"en1","spairport_current_network_information":{"_name":"Cafe","spairport_network_channel":6}}]}]}"#;
        let wifi = parse_system_profiler_airport(numeric).unwrap().unwrap();
        assert_eq!(
            (wifi.ssid.as_deref(), wifi.channel, wifi.band.as_deref()),
            (Some("Cafe"), Some(6), Some("2.4 GHz"))
        );
        let off = r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[{"_name":"en0","spairport_status_information":"spairport_status_off"}]}]}"#;
        assert_eq!(parse_system_profiler_airport(off).unwrap(), None);
        assert_eq!(
            parse_system_profiler_airport(r#"{"SPAirPortDataType":[]}"#).unwrap(),
            None
        );
        for text in GARBAGE.iter().chain(&["{}", "[1,2]"]) {
            assert!(parse_system_profiler_airport(text).is_err(), "{text:?}");
        }
        survives_truncation(&text, parse_system_profiler_airport);
        assert!(parse_system_profiler_airport(&text[..text.len() / 2]).is_err());
    }

    #[test]
    fn every_spec_runs_in_the_c_locale() {
        let mut specs = vec![
            proxy_spec(),
            dns_servers_spec(),
            netstat_spec(),
            nc_list_spec(),
            hardware_ports_spec(),
            security_spec(),
            wdutil_spec(),
            airport_json_spec(),
            networksetup_proxy_spec("web", "Wi-Fi"),
        ];
        specs.extend(firewall_specs());
        specs.extend(zoom_specs());
        for spec in specs {
            assert!(
                spec.env.contains(&("LC_ALL".into(), "C".into())),
                "{}",
                spec.display()
            );
        }
        assert_eq!(proxy_spec().display(), "scutil --proxy");
        assert_eq!(dns_servers_spec().display(), "scutil --dns");
        assert_eq!(netstat_spec().display(), "netstat -rn -f inet");
        assert_eq!(nc_list_spec().display(), "scutil --nc list");
        assert_eq!(security_spec().display(), "systemextensionsctl list");
    }

    // 8. Machine architecture ------------------------------------------------

    #[test]
    fn hw_optional_arm64() {
        assert!(
            parse_hw_optional_arm64(&fx("sysctl-n-hw-optional-arm64--apple-silicon.txt")).unwrap()
        );
        assert!(parse_hw_optional_arm64(&fx(
            "sysctl-hw-optional-arm64--apple-silicon-without-n.txt"
        ))
        .unwrap());
        assert!(!parse_hw_optional_arm64("0\n").unwrap());
        for text in GARBAGE
            .iter()
            .chain(&["2\n", "1 1\n", "hw.optional.arm64:\n", "true\n"])
        {
            assert!(parse_hw_optional_arm64(text).is_err(), "{text:?}");
        }
        // An Intel Mac: nothing on stdout, the key unknown on stderr.
        let stderr = fx("sysctl-n-hw-optional-arm64--intel-unknown-oid-stderr.txt");
        assert!(sysctl_unknown_oid(&stderr));
        assert!(parse_hw_optional_arm64("").is_err());
        assert!(!sysctl_unknown_oid("sysctl: command not found\n"));
        assert_eq!(machine_arch_spec().display(), "sysctl -n hw.optional.arm64");
        assert!(machine_arch_spec()
            .env
            .contains(&("LC_ALL".into(), "C".into())));
    }

    #[test]
    fn zoom_build_against_the_machine() {
        // The vocabulary is parse_lipo_archs's.
        let arch = |t: &str| parse_lipo_archs(t).unwrap();
        let rosetta = arch_mismatch(true, &arch("x86_64\n")).unwrap();
        assert!(rosetta.contains("Rosetta") && rosetta.contains("Apple Silicon build"));
        assert!(arch_mismatch(true, &arch("x86_64h\n")).is_some());
        let cannot = arch_mismatch(false, &arch("arm64\n")).unwrap();
        assert!(cannot.contains("cannot run") && cannot.contains("Intel Mac"));
        assert!(arch_mismatch(false, &arch("arm64e\n")).is_some());
        for (machine_is_arm, zoom) in [
            (true, arch("x86_64 arm64\n")),
            (false, arch("x86_64 arm64\n")),
            (true, arch("arm64\n")),
            (false, arch("x86_64\n")),
            (true, "universal".to_string()),
            (true, String::new()),
            (false, "ppc".to_string()),
        ] {
            assert_eq!(
                arch_mismatch(machine_is_arm, &zoom),
                None,
                "{machine_is_arm} {zoom:?}"
            );
        }
        // system_profiler's words, as parse_system_profiler_apps maps them.
        let apps = "Applications:\n\n    zoom.us:\n\n      Version: 5.16.10 (25689)\n      Location: /Applications/zoom.us.app\n      Kind: Intel\n";
        let zoom = parse_system_profiler_apps(apps).unwrap();
        assert!(arch_mismatch(true, zoom.arch.as_deref().unwrap()).is_some());
        assert!(
            arch_mismatch(true, "X86_64").is_some(),
            "case does not matter"
        );
    }
}
