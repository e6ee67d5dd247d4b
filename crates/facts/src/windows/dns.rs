//! DNS servers per adapter.

use super::*;

pub(super) const DNS_TOOL: &str = "Get-DnsClientServerAddress";

pub(super) const DNS_SCRIPT: &str = "ConvertTo-Json -Compress -Depth 4 -InputObject @(Get-DnsClientServerAddress | Select-Object InterfaceAlias, InterfaceIndex, @{n='AddressFamily';e={[string]$_.AddressFamily}}, ServerAddresses)";

/// Reads the DNS servers configured on each interface
/// (`Get-DnsClientServerAddress`: InterfaceAlias, AddressFamily as a
/// string, ServerAddresses) as JSON.
pub fn dns_servers_spec() -> CommandSpec {
    CommandSpec::powershell(DNS_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DnsJson {
    pub(super) interface_alias: Option<String>,
    pub(super) server_addresses: Option<Value>,
}

/// Parses [`dns_servers_spec`]'s JSON: IPv4 and IPv6 entries of one
/// interface are merged; interfaces with no server and the fec0 placeholders
/// are left out.
pub fn parse_dns_servers(json: &str) -> Result<DnsServers, ParseError> {
    let rows: Vec<DnsJson> = json_records(DNS_TOOL, json)?;
    let mut dns = DnsServers::default();
    for row in rows {
        let interface = row.interface_alias.unwrap_or_default();
        let servers = string_list(&row.server_addresses)
            .iter()
            .map(|s| {
                parse_addr(s)
                    .ok_or_else(|| ParseError::new(DNS_TOOL, format!("not an address: {s:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        add_interface_dns(&mut dns, &interface, servers);
    }
    Ok(dns)
}

/// Adds servers to an interface (merging with an earlier entry of the same
/// name) and to the overall list, without placeholders or duplicates.
pub(super) fn add_interface_dns(dns: &mut DnsServers, interface: &str, servers: Vec<IpAddr>) {
    let servers: Vec<IpAddr> = servers
        .into_iter()
        .filter(|a| !is_dns_placeholder(a))
        .collect();
    if servers.is_empty() {
        return;
    }
    for s in &servers {
        if !dns.servers.contains(s) {
            dns.servers.push(*s);
        }
    }
    match dns
        .per_interface
        .iter_mut()
        .find(|i| i.interface == interface)
    {
        Some(entry) => entry.servers.extend(
            servers
                .into_iter()
                .filter(|s| !entry.servers.contains(s))
                .collect::<Vec<_>>(),
        ),
        None => dns.per_interface.push(InterfaceDns {
            interface: interface.to_string(),
            servers,
            domains: Vec::new(),
        }),
    }
}

pub(super) const IPCONFIG_TOOL: &str = "ipconfig /all";

/// Parses `ipconfig /all` (any display language) for DNS servers per
/// adapter. Adapter sections start with an unindented line ending in `:`;
/// the DNS server entry is the indented label containing "DNS" (kept in
/// every translation: "DNS Servers", "Serveurs DNS", "DNS 服务器") whose
/// value is an address, followed by more indented address lines. Adapter
/// names are taken after "adapter " / "适配器 " when present, else the
/// whole section title.
pub fn parse_ipconfig_all(text: &str) -> Result<DnsServers, ParseError> {
    require_text(IPCONFIG_TOOL, text)?;
    let mut dns = DnsServers::default();
    let mut adapter: Option<String> = None;
    let mut current: Option<Vec<IpAddr>> = None;
    let mut saw_entry = false;
    for line in text.lines().map(|l| l.trim_end_matches('\r')) {
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            flush_ipconfig(&mut dns, adapter.as_deref(), current.take());
            adapter = Some(adapter_name(line));
        } else if indent >= 8 && label_value(line).is_none_or(|(l, _)| l.is_empty()) {
            // A continuation line: one more value of the entry above.
            if let (Some(list), Some(addr)) = (current.as_mut(), parse_addr(line)) {
                list.push(addr);
            }
        } else if let Some((label, value)) = label_value(line) {
            saw_entry = true;
            flush_ipconfig(&mut dns, adapter.as_deref(), current.take());
            if label.to_ascii_uppercase().contains("DNS") {
                current = parse_addr(value).map(|a| vec![a]);
            }
        }
    }
    flush_ipconfig(&mut dns, adapter.as_deref(), current.take());
    if !saw_entry {
        return Err(ParseError::new(IPCONFIG_TOOL, "no `label : value` lines"));
    }
    Ok(dns)
}

pub(super) const WMIC_DNS_TOOL: &str = "wmic Win32_NetworkAdapterConfiguration";

/// Parses `wmic path Win32_NetworkAdapterConfiguration get /format:list`
/// for DNS servers: `DNSServerSearchOrder={"10.0.0.1","10.0.0.2"}` per
/// adapter, named by its Description (this class has no connection name).
pub fn parse_wmic_adapter_dns(text: &str) -> Result<DnsServers, ParseError> {
    require_text(WMIC_DNS_TOOL, text)?;
    let records = wmic_records(text);
    if !records.iter().any(|r| wmic_get(r, "Description").is_some()) {
        return Err(ParseError::new(
            WMIC_DNS_TOOL,
            "no adapter record with a Description",
        ));
    }
    let mut dns = DnsServers::default();
    for record in &records {
        let (Some(name), Some(list)) = (
            wmic_get(record, "Description"),
            wmic_get(record, "DNSServerSearchOrder"),
        ) else {
            continue;
        };
        let servers = list
            .trim_matches(|c| c == '{' || c == '}')
            .split(',')
            .map(|a| a.trim().trim_matches('"'))
            .filter(|a| !a.is_empty())
            .map(|a| {
                parse_addr(a)
                    .ok_or_else(|| ParseError::new(WMIC_DNS_TOOL, format!("not an address: {a:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        add_interface_dns(&mut dns, name, servers);
    }
    Ok(dns)
}

pub(super) fn flush_ipconfig(
    dns: &mut DnsServers,
    adapter: Option<&str>,
    servers: Option<Vec<IpAddr>>,
) {
    if let (Some(adapter), Some(servers)) = (adapter, servers) {
        add_interface_dns(dns, adapter, servers);
    }
}

/// "Ethernet adapter Ethernet 2:" → "Ethernet 2"; "以太网适配器 以太网:" →
/// "以太网"; other languages keep the whole title ("Carte réseau sans fil Wi-Fi").
pub(super) fn adapter_name(title: &str) -> String {
    let title = title
        .trim()
        .trim_end_matches(':')
        .trim_end_matches(|c: char| c.is_whitespace());
    for marker in [" adapter ", "适配器 "] {
        if let Some((_, name)) = title.split_once(marker) {
            return name.trim().to_string();
        }
    }
    title.to_string()
}
