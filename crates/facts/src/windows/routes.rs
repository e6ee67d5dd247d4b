//! Routes and adapters: the default route, the route to Zoom, VPN adapters.

use super::*;

pub(super) const ROUTE_TOOL: &str = "Find-NetRoute";

/// The environment variable that carries the destination to the route
/// script, so the script text stays constant.
pub(super) const ROUTE_DEST_ENV: &str = "MD_REMOTE_IP";

pub(super) const ROUTE_SCRIPT: &str = "ConvertTo-Json -Compress -InputObject @(Find-NetRoute -RemoteIPAddress $env:MD_REMOTE_IP | Select-Object InterfaceAlias, InterfaceIndex, IPAddress, DestinationPrefix, NextHop, RouteMetric)";

/// Reads the route Windows picks for `dest` (`Find-NetRoute
/// -RemoteIPAddress`, which returns the source address object and the route
/// object): InterfaceAlias, NextHop, IPAddress, DestinationPrefix. The
/// address travels in the `MD_REMOTE_IP` environment variable.
pub fn route_spec(dest: IpAddr) -> CommandSpec {
    let mut spec = CommandSpec::powershell(ROUTE_SCRIPT);
    spec.env
        .push((ROUTE_DEST_ENV.to_string(), dest.to_string()));
    spec
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RouteJson {
    pub(super) interface_alias: Option<String>,
    #[serde(rename = "IPAddress")]
    pub(super) ip_address: Option<String>,
    pub(super) destination_prefix: Option<String>,
    pub(super) next_hop: Option<String>,
}

/// Parses [`route_spec`]'s JSON. A next hop of `0.0.0.0` or `::` (on-link)
/// is no gateway.
pub fn parse_route(json: &str, dest: IpAddr) -> Result<Route, ParseError> {
    let rows: Vec<RouteJson> = json_records(ROUTE_TOOL, json)?;
    let route = rows
        .iter()
        .find(|r| r.destination_prefix.is_some())
        .ok_or_else(|| ParseError::new(ROUTE_TOOL, format!("no route to {dest}")))?;
    let interface = non_empty(route.interface_alias.as_deref())
        .ok_or_else(|| ParseError::new(ROUTE_TOOL, "a route without InterfaceAlias"))?;
    let source = rows
        .iter()
        .filter(|r| r.interface_alias.as_deref() == Some(interface.as_str()))
        .find_map(|r| r.ip_address.as_deref().and_then(parse_addr));
    let gateway = route
        .next_hop
        .as_deref()
        .and_then(parse_addr)
        .filter(|a| !a.is_unspecified());
    Ok(Route {
        destination: dest,
        interface,
        gateway,
        source,
    })
}

pub(super) const ADAPTERS_TOOL: &str = "Get-NetAdapter";

pub(super) const ADAPTERS_SCRIPT: &str = "ConvertTo-Json -Compress -Depth 4 -InputObject @(Get-NetAdapter | Select-Object Name, InterfaceDescription, @{n='Status';e={[string]$_.Status}}, InterfaceType, @{n='MediaType';e={[string]$_.MediaType}}, @{n='Addresses';e={@(Get-NetIPAddress -InterfaceIndex $_.ifIndex -ErrorAction SilentlyContinue | ForEach-Object { [string]$_.IPAddress })}})";

/// Reads the network adapters (`Get-NetAdapter`: Name, InterfaceDescription,
/// Status as a string, InterfaceType as the IANA ifType number, MediaType)
/// with their IP addresses (`Get-NetIPAddress`).
pub fn adapters_spec() -> CommandSpec {
    CommandSpec::powershell(ADAPTERS_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AdapterJson {
    pub(super) name: Option<String>,
    pub(super) interface_description: Option<String>,
    pub(super) status: Option<Value>,
    pub(super) interface_type: Option<Value>,
    pub(super) addresses: Option<Value>,
}

/// Adapter descriptions of VPN clients (→ Tunnel) and of virtual machine
/// software (→ Virtual); they win over the ifType, since many VPN adapters
/// present themselves as Ethernet.
pub(super) const TUNNEL_DESCRIPTIONS: &[&str] = &[
    "tap-windows",
    "wireguard",
    "wintun",
    "anyconnect",
    "fortinet",
    "pangp",
    "palo alto",
    "nordlynx",
    "tailscale",
    "openvpn",
    "zerotier",
    "globalprotect",
    "juniper",
    "pulse secure",
    "check point",
    "sonicwall",
    "f5 ",
    "clash",
];
pub(super) const VIRTUAL_DESCRIPTIONS: &[&str] = &[
    "hyper-v",
    "vmware",
    "virtualbox",
    "wi-fi direct virtual",
    "docker",
    "wsl",
];

/// The kind of an adapter from its description, else its IANA ifType.
pub fn adapter_kind(description: &str, if_type: Option<u32>) -> InterfaceKind {
    let d = description.to_lowercase();
    if TUNNEL_DESCRIPTIONS.iter().any(|p| d.contains(p)) {
        return InterfaceKind::Tunnel;
    }
    if VIRTUAL_DESCRIPTIONS.iter().any(|p| d.contains(p)) {
        return InterfaceKind::Virtual;
    }
    match if_type {
        Some(6) => InterfaceKind::Ethernet,
        Some(71) => InterfaceKind::Wifi,
        Some(23) | Some(512) => InterfaceKind::Ppp,
        Some(53) | Some(131) => InterfaceKind::Tunnel,
        Some(24) => InterfaceKind::Loopback,
        Some(243) | Some(244) => InterfaceKind::Cellular,
        _ => InterfaceKind::Other,
    }
}

/// Parses [`adapters_spec`]'s JSON (`[]` = no adapter). Status "Up" is up.
pub fn parse_adapters(json: &str) -> Result<Vec<Interface>, ParseError> {
    let rows: Vec<AdapterJson> = json_records(ADAPTERS_TOOL, json)?;
    rows.into_iter()
        .map(|row| {
            let name = non_empty(row.name.as_deref())
                .ok_or_else(|| ParseError::new(ADAPTERS_TOOL, "an adapter without a Name"))?;
            let description = non_empty(row.interface_description.as_deref());
            let if_type = enum_text(&row.interface_type).and_then(|t| t.parse().ok());
            Ok(Interface {
                kind: adapter_kind(description.as_deref().unwrap_or(""), if_type),
                up: matches!(
                    enum_text(&row.status).as_deref(),
                    Some("Up") | Some("Connected")
                ),
                addresses: string_list(&row.addresses)
                    .iter()
                    .filter_map(|a| parse_addr(a))
                    .collect(),
                name,
                description,
            })
        })
        .collect()
}

pub(super) const WMIC_ADAPTERS_TOOL: &str = "wmic MSFT_NetAdapter";

/// Parses `wmic /namespace:\\root\StandardCimv2 path MSFT_NetAdapter get
/// /format:list` (the class behind Get-NetAdapter): up when
/// InterfaceOperationalStatus is 1 (IfOperStatus up).
pub fn parse_wmic_adapters(text: &str) -> Result<Vec<Interface>, ParseError> {
    require_text(WMIC_ADAPTERS_TOOL, text)?;
    let records = wmic_records(text);
    let adapters: Vec<Interface> = records
        .iter()
        .filter_map(|r| {
            let name = wmic_get(r, "Name")?.to_string();
            let description = wmic_get(r, "InterfaceDescription").map(str::to_string);
            let if_type = wmic_get(r, "InterfaceType").and_then(|t| t.parse().ok());
            Some(Interface {
                kind: adapter_kind(description.as_deref().unwrap_or(""), if_type),
                up: wmic_get(r, "InterfaceOperationalStatus") == Some("1"),
                addresses: Vec::new(),
                name,
                description,
            })
        })
        .collect();
    if adapters.is_empty() {
        return Err(ParseError::new(
            WMIC_ADAPTERS_TOOL,
            "no adapter record with a Name",
        ));
    }
    Ok(adapters)
}

pub(super) const ROUTE_PRINT_TOOL: &str = "route print";

/// Parses the IPv4 table of `route print` (any language) for default
/// routes: 0.0.0.0 with netmask 0.0.0.0, and the half-default pair
/// 0.0.0.0/128.0.0.0 + 128.0.0.0/128.0.0.0 that VPNs add. Rows are
/// recognised by shape (destination, netmask, gateway or a translated
/// "On-link", interface address, metric); the interface is kept as the
/// address printed there. No default route is an empty list (offline).
pub fn parse_route_print_defaults(text: &str) -> Result<Vec<DefaultRoute>, ParseError> {
    require_text(ROUTE_PRINT_TOOL, text)?;
    if !text
        .lines()
        .any(|l| l.trim().len() >= 20 && l.trim().bytes().all(|b| b == b'='))
    {
        return Err(ParseError::new(ROUTE_PRINT_TOOL, "no route table"));
    }
    let mut defaults = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let (Some(dest), Some(mask)) = (
            cols.first().and_then(|c| c.parse::<Ipv4Addr>().ok()),
            cols.get(1).and_then(|c| c.parse::<Ipv4Addr>().ok()),
        ) else {
            continue;
        };
        let row = route_row(&cols).ok_or_else(|| {
            ParseError::new(
                ROUTE_PRINT_TOOL,
                format!("incomplete route row {:?} (truncated?)", line.trim()),
            )
        })?;
        let RouteRow::Active {
            interface,
            gateway,
            metric,
        } = row
        else {
            continue;
        };
        let prefix = match (dest.octets(), mask.octets()) {
            ([0, 0, 0, 0], [0, 0, 0, 0]) => "0.0.0.0/0",
            ([0, 0, 0, 0], [128, 0, 0, 0]) => "0.0.0.0/1",
            ([128, 0, 0, 0], [128, 0, 0, 0]) => "128.0.0.0/1",
            _ => continue,
        };
        defaults.push(DefaultRoute {
            prefix: prefix.to_string(),
            interface,
            gateway,
            metric: Some(metric),
        });
    }
    Ok(defaults)
}

/// A `route print` row whose first two columns are addresses.
pub(super) enum RouteRow {
    /// Active routes: destination, netmask, gateway (or a translated
    /// "On-link"), interface address, metric.
    Active {
        interface: String,
        gateway: Option<IpAddr>,
        metric: u32,
    },
    /// Persistent routes: destination, netmask, gateway, metric.
    Persistent,
}

/// Reads a row; None when it is incomplete (a truncated output).
pub(super) fn route_row(cols: &[&str]) -> Option<RouteRow> {
    let metric: u32 = cols.last()?.parse().ok()?;
    if cols.len() == 4 && cols[2].parse::<Ipv4Addr>().is_ok() {
        return Some(RouteRow::Persistent);
    }
    if cols.len() < 5 {
        return None;
    }
    let interface = cols[cols.len() - 2];
    interface.parse::<Ipv4Addr>().ok()?;
    let gateway = cols[2].parse::<IpAddr>().ok();
    Some(RouteRow::Active {
        interface: interface.to_string(),
        gateway,
        metric,
    })
}
