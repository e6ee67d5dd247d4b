//! Windows readers: command specs and parsers (PowerShell JSON preferred).
//!
//! Each reader is a `*_spec()` that builds the command (argv; PowerShell
//! script text is a constant, values reach it through the environment) and a
//! pure `parse_*` over what it prints. The scripts target Windows PowerShell
//! 5.1, present on every Windows: there `ConvertTo-Json` writes enums as
//! numbers, so the scripts cast them to strings themselves, and a single
//! object is not wrapped in an array — every JSON parser here accepts `{..}`
//! and `[..]` alike (see [`json_records`]), and numbers where strings were
//! meant.
//!
//! Text parsers (`netsh`, `ipconfig`, `route print`, `wmic`) exist for the
//! recorded public samples and for machines where PowerShell is unusable.
//! Their labels are translated into the display language, so they recognise
//! values by their shape (an address, `host:port`, a percentage) rather than
//! by English words wherever they can.

use std::net::{IpAddr, Ipv4Addr};

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::command::CommandSpec;
use super::model::{
    DefaultRoute, DnsServers, FirewallProfile, FirewallRule, Interface, InterfaceDns,
    InterfaceKind, ParseError, ProxySettings, Route, SecurityProduct, WifiInfo, ZoomInstall,
};

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// Reads PowerShell `ConvertTo-Json` output that may be one object or an
/// array of objects (5.1 unwraps single-element arrays) into records. Empty
/// output is an error (every script here prints at least `[]` or `{}`);
/// `[]` and `null` are an empty list.
fn json_records<T: DeserializeOwned>(
    tool: &'static str,
    output: &str,
) -> Result<Vec<T>, ParseError> {
    let text = output.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(ParseError::new(tool, "no output (expected JSON)"));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ParseError::new(tool, format!("not valid JSON ({e}); truncated?")))?;
    value_records(tool, value)
}

/// Records from a JSON value that may be one object, an array of objects or null.
fn value_records<T: DeserializeOwned>(
    tool: &'static str,
    value: Value,
) -> Result<Vec<T>, ParseError> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        object @ Value::Object(_) => vec![object],
        other => {
            return Err(ParseError::new(
                tool,
                format!("expected a JSON object or array, got {other}"),
            ))
        }
    };
    items
        .into_iter()
        .map(|item| {
            serde_json::from_value(item)
                .map_err(|e| ParseError::new(tool, format!("unexpected JSON shape: {e}")))
        })
        .collect()
}

/// Exactly one JSON record (a script that prints one object).
fn json_record<T: DeserializeOwned>(tool: &'static str, output: &str) -> Result<T, ParseError> {
    json_records(tool, output)?
        .into_iter()
        .next()
        .ok_or_else(|| ParseError::new(tool, "empty JSON (expected an object)"))
}

/// An enum PowerShell may have written as its name (`"Block"`) or its
/// number (`4`), or a bool: its text.
fn enum_text(value: &Option<Value>) -> Option<String> {
    match value.as_ref()? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        _ => None,
    }
}

/// A JSON value that may be a string, an array of strings or null, as a list.
fn string_list(value: &Option<Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A non-empty trimmed string.
fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// An address as Windows prints it: an IPv6 zone (`%16`) and a
/// `(Preferred)` suffix (translated) are dropped.
fn parse_addr(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let text = text.split('(').next().unwrap_or(text);
    let text = text.split('%').next().unwrap_or(text);
    text.trim().parse().ok()
}

/// The `fec0:0:0:ffff::1/2/3` site-local placeholders Windows lists as DNS
/// servers on interfaces with none configured: not real servers.
fn is_dns_placeholder(addr: &IpAddr) -> bool {
    matches!(addr, IpAddr::V6(v6) if {
        let s = v6.segments();
        s[..7] == [0xfec0, 0, 0, 0xffff, 0, 0, 0] && (1..=3).contains(&s[7])
    })
}

/// `label : value` (label and value trimmed), as netsh and ipconfig print
/// it; None for lines without a separator. Values may hold colons (MAC and
/// IPv6 addresses, times), the separator is the first colon followed by a
/// space or ending the line.
fn label_value(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let at = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))?;
    Some((
        line[..at].trim_matches(|c: char| c.is_whitespace() || c == '.'),
        line[at + 1..].trim(),
    ))
}

/// Blocks of non-blank lines (CRLF or LF).
fn blocks(text: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines().map(|l| l.trim_end_matches('\r')) {
        if line.trim().is_empty() {
            if !out.last().is_some_and(Vec::is_empty) {
                out.push(Vec::new());
            }
        } else if let Some(last) = out.last_mut() {
            last.push(line);
        }
    }
    out.retain(|b| !b.is_empty());
    out
}

/// `key=value` records of `wmic … get /format:list`, separated by blank lines.
fn wmic_records(text: &str) -> Vec<Vec<(String, String)>> {
    blocks(text)
        .into_iter()
        .map(|b| {
            b.iter()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

fn wmic_get<'a>(record: &'a [(String, String)], key: &str) -> Option<&'a str> {
    record
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// Text that is empty or blank is never a valid tool output here.
fn require_text(tool: &'static str, text: &str) -> Result<(), ParseError> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        Err(ParseError::new(tool, "no output"))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// 1. Proxy
// ---------------------------------------------------------------------------

const PROXY_TOOL: &str = "HKCU Internet Settings";

const PROXY_SCRIPT: &str = r#"$k = Get-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Internet Settings' -ErrorAction SilentlyContinue
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
struct ProxyJson {
    proxy_enable: Option<Value>,
    proxy_server: Option<String>,
    proxy_override: Option<String>,
    #[serde(rename = "AutoConfigURL")]
    auto_config_url: Option<String>,
    connection_flags: Option<u8>,
}

/// `PROXY_TYPE_AUTO_DETECT` of the connection flags (INTERNET_PER_CONN_FLAGS).
const AUTO_DETECT_FLAG: u8 = 0x08;

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
fn apply_proxy_server(settings: &mut ProxySettings, server: &str) {
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
fn strip_scheme(value: &str) -> String {
    let v = value.trim();
    let v = v.split_once("://").map_or(v, |(_, rest)| rest);
    v.trim_end_matches('/').to_string()
}

fn split_bypass(list: &str) -> Vec<String> {
    list.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

const WINHTTP_TOOL: &str = "netsh winhttp show proxy";

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
fn has_host_port(value: &str) -> bool {
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

// ---------------------------------------------------------------------------
// 2. DNS servers
// ---------------------------------------------------------------------------

const DNS_TOOL: &str = "Get-DnsClientServerAddress";

const DNS_SCRIPT: &str = "ConvertTo-Json -Compress -Depth 4 -InputObject @(Get-DnsClientServerAddress | Select-Object InterfaceAlias, InterfaceIndex, @{n='AddressFamily';e={[string]$_.AddressFamily}}, ServerAddresses)";

/// Reads the DNS servers configured on each interface
/// (`Get-DnsClientServerAddress`: InterfaceAlias, AddressFamily as a
/// string, ServerAddresses) as JSON.
pub fn dns_servers_spec() -> CommandSpec {
    CommandSpec::powershell(DNS_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DnsJson {
    interface_alias: Option<String>,
    server_addresses: Option<Value>,
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
fn add_interface_dns(dns: &mut DnsServers, interface: &str, servers: Vec<IpAddr>) {
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

const IPCONFIG_TOOL: &str = "ipconfig /all";

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

const WMIC_DNS_TOOL: &str = "wmic Win32_NetworkAdapterConfiguration";

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

fn flush_ipconfig(dns: &mut DnsServers, adapter: Option<&str>, servers: Option<Vec<IpAddr>>) {
    if let (Some(adapter), Some(servers)) = (adapter, servers) {
        add_interface_dns(dns, adapter, servers);
    }
}

/// "Ethernet adapter Ethernet 2:" → "Ethernet 2"; "以太网适配器 以太网:" →
/// "以太网"; other languages keep the whole title ("Carte réseau sans fil Wi-Fi").
fn adapter_name(title: &str) -> String {
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

// ---------------------------------------------------------------------------
// 3. Firewall
// ---------------------------------------------------------------------------

const FW_PROFILES_TOOL: &str = "Get-NetFirewallProfile";

const FW_PROFILES_SCRIPT: &str = "ConvertTo-Json -Compress -InputObject @(Get-NetFirewallProfile | Select-Object Name, @{n='Enabled';e={[string]$_.Enabled}}, @{n='DefaultInboundAction';e={[string]$_.DefaultInboundAction}}, @{n='DefaultOutboundAction';e={[string]$_.DefaultOutboundAction}})";

/// Reads the Windows Defender Firewall profiles (Domain, Private, Public):
/// Name, Enabled and the default inbound/outbound actions, as strings.
pub fn firewall_profiles_spec() -> CommandSpec {
    CommandSpec::powershell(FW_PROFILES_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FirewallProfileJson {
    name: Option<String>,
    enabled: Option<Value>,
    default_inbound_action: Option<Value>,
    default_outbound_action: Option<Value>,
}

/// A GpoBoolean (`True`/`False`/`NotConfigured`, or 1/0/2): NotConfigured
/// means the built-in default, which for the firewall is on.
fn gpo_boolean(tool: &'static str, value: &Option<Value>) -> Result<bool, ParseError> {
    match enum_text(value).as_deref() {
        Some("True") | Some("1") | Some("NotConfigured") | Some("2") => Ok(true),
        Some("False") | Some("0") => Ok(false),
        other => Err(ParseError::new(
            tool,
            format!("unknown Enabled value {other:?}"),
        )),
    }
}

/// A firewall Action (`Allow`/`Block`/`NotConfigured`, or 2/4/0) as
/// "allow"/"block"; NotConfigured becomes the built-in default given.
fn firewall_action(value: &Option<Value>, not_configured: &str) -> Option<String> {
    let text = enum_text(value)?;
    Some(match text.as_str() {
        "Allow" | "2" => "allow".to_string(),
        "Block" | "4" => "block".to_string(),
        "NotConfigured" | "0" => not_configured.to_string(),
        _ => text,
    })
}

/// Parses [`firewall_profiles_spec`]'s JSON. NotConfigured default actions
/// are the Windows defaults: inbound block, outbound allow.
pub fn parse_firewall_profiles(json: &str) -> Result<Vec<FirewallProfile>, ParseError> {
    let rows: Vec<FirewallProfileJson> = json_records(FW_PROFILES_TOOL, json)?;
    if rows.is_empty() {
        return Err(ParseError::new(
            FW_PROFILES_TOOL,
            "no firewall profile listed",
        ));
    }
    rows.into_iter()
        .map(|row| {
            Ok(FirewallProfile {
                name: row
                    .name
                    .ok_or_else(|| ParseError::new(FW_PROFILES_TOOL, "a profile without a Name"))?,
                enabled: gpo_boolean(FW_PROFILES_TOOL, &row.enabled)?,
                default_inbound: firewall_action(&row.default_inbound_action, "block"),
                default_outbound: firewall_action(&row.default_outbound_action, "allow"),
            })
        })
        .collect()
}

const FW_RULES_TOOL: &str = "Get-NetFirewallRule";

const FW_RULES_SCRIPT: &str = "$r = @(Get-NetFirewallApplicationFilter | Where-Object { $_.Program -like '*zoom*' } | ForEach-Object { $p = $_.Program; $_ | Get-NetFirewallRule | Select-Object Name, DisplayName, @{n='Enabled';e={[string]$_.Enabled}}, @{n='Direction';e={[string]$_.Direction}}, @{n='Action';e={[string]$_.Action}}, @{n='Program';e={$p}} }); ConvertTo-Json -Compress -InputObject $r";

/// Reads the firewall rules whose application filter names a Zoom program
/// (`Get-NetFirewallApplicationFilter | Where-Object Program -like '*zoom*' |
/// Get-NetFirewallRule`): name, enabled, direction, action and program.
pub fn firewall_rules_spec() -> CommandSpec {
    CommandSpec::powershell(FW_RULES_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FirewallRuleJson {
    name: Option<String>,
    display_name: Option<String>,
    enabled: Option<Value>,
    direction: Option<Value>,
    action: Option<Value>,
    program: Option<String>,
}

/// Parses [`firewall_rules_spec`]'s JSON (`[]` = no Zoom rule). Direction
/// Inbound/Outbound (1/2) becomes "in"/"out".
pub fn parse_firewall_rules(json: &str) -> Result<Vec<FirewallRule>, ParseError> {
    let rows: Vec<FirewallRuleJson> = json_records(FW_RULES_TOOL, json)?;
    rows.into_iter()
        .map(|row| {
            let direction = match enum_text(&row.direction).as_deref() {
                Some("Inbound") | Some("1") => "in",
                Some("Outbound") | Some("2") => "out",
                other => {
                    return Err(ParseError::new(
                        FW_RULES_TOOL,
                        format!("unknown Direction {other:?}"),
                    ))
                }
            };
            Ok(FirewallRule {
                name: non_empty(row.display_name.as_deref())
                    .or_else(|| row.name.clone())
                    .unwrap_or_default(),
                id: non_empty(row.name.as_deref()),
                direction: direction.to_string(),
                action: firewall_action(&row.action, "allow")
                    .ok_or_else(|| ParseError::new(FW_RULES_TOOL, "a rule without an Action"))?,
                enabled: gpo_boolean(FW_RULES_TOOL, &row.enabled)?,
                program: non_empty(row.program.as_deref()),
            })
        })
        .collect()
}

const ADVFIREWALL_TOOL: &str = "netsh advfirewall show allprofiles";

/// The words `netsh advfirewall` prints for a profile's State, in the
/// languages seen so far (the value is translated).
const STATE_ON: &[&str] = &[
    "on",
    "actif",
    "activé",
    "activer",
    "ein",
    "activado",
    "activo",
    "aan",
    "włączony",
    "启用",
];
const STATE_OFF: &[&str] = &[
    "off",
    "inactif",
    "désactivé",
    "désactiver",
    "aus",
    "desactivado",
    "inactivo",
    "uit",
    "wyłączony",
    "禁用",
];

/// Parses `netsh advfirewall show allprofiles`: each profile section is a
/// title line followed by a line of dashes; its first row is the State
/// (translated: ON/OFF, Actif/Inactif…), and the `Block…Inbound,Allow…Outbound`
/// firewall policy is untranslated. Profile names come from the title
/// (Domain/Private/Public, also in French), else from the fixed order.
pub fn parse_advfirewall_allprofiles(text: &str) -> Result<Vec<FirewallProfile>, ParseError> {
    require_text(ADVFIREWALL_TOOL, text)?;
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut profiles = Vec::new();
    for i in 1..lines.len() {
        if !(lines[i].len() >= 10 && lines[i].bytes().all(|b| b == b'-')) {
            continue;
        }
        let name = profile_name(lines[i - 1], profiles.len());
        let state = lines.get(i + 1).and_then(|l| row_value(l)).ok_or_else(|| {
            ParseError::new(
                ADVFIREWALL_TOOL,
                format!("profile {name}: no State row (truncated?)"),
            )
        })?;
        let lower = state.to_lowercase();
        let enabled = if STATE_ON.contains(&lower.as_str()) {
            true
        } else if STATE_OFF.contains(&lower.as_str()) {
            false
        } else {
            return Err(ParseError::new(
                ADVFIREWALL_TOOL,
                format!("profile {name}: unknown State {state:?}"),
            ));
        };
        let policy = lines[i + 1..]
            .iter()
            .take_while(|l| !l.trim().is_empty())
            .find_map(|l| firewall_policy(l));
        let (default_inbound, default_outbound) = policy.unzip();
        profiles.push(FirewallProfile {
            name,
            enabled,
            default_inbound,
            default_outbound,
        });
    }
    if profiles.is_empty() {
        return Err(ParseError::new(ADVFIREWALL_TOOL, "no profile section"));
    }
    Ok(profiles)
}

/// The value of a netsh table row: what follows the first run of two or more spaces.
fn row_value(line: &str) -> Option<&str> {
    line.find("  ")
        .map(|at| line[at..].trim())
        .filter(|v| !v.is_empty())
}

fn profile_name(title: &str, index: usize) -> String {
    let t = title.to_lowercase();
    if t.contains("domain") {
        "Domain".to_string()
    } else if t.contains("priv") {
        "Private".to_string()
    } else if t.contains("public") {
        "Public".to_string()
    } else {
        ["Domain", "Private", "Public"]
            .get(index)
            .map_or_else(|| title.trim().to_string(), |n| n.to_string())
    }
}

/// `BlockInbound,AllowOutbound` (also `BlockInboundAlways`) → ("block", "allow").
fn firewall_policy(line: &str) -> Option<(String, String)> {
    let value = line
        .split_whitespace()
        .find(|w| w.contains("Inbound") && w.contains("Outbound"))?;
    let (inbound, outbound) = value.split_once(',')?;
    let word = |s: &str| {
        if s.starts_with("Block") {
            "block"
        } else if s.starts_with("Allow") {
            "allow"
        } else {
            "unknown"
        }
    };
    Some((word(inbound).to_string(), word(outbound).to_string()))
}

const FW_TABLE_TOOL: &str = "Get-NetFirewallProfile | ft Name,Enabled";

/// Parses the table `Get-NetFirewallProfile | Format-Table Name, Enabled`
/// prints (column names and True/False are not translated).
pub fn parse_firewall_profile_table(text: &str) -> Result<Vec<FirewallProfile>, ParseError> {
    require_text(FW_TABLE_TOOL, text)?;
    let mut profiles = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let enabled = match cols.as_slice() {
            [_, "True"] => true,
            [_, "False"] => false,
            _ => continue,
        };
        profiles.push(FirewallProfile {
            name: cols[0].to_string(),
            enabled,
            default_inbound: None,
            default_outbound: None,
        });
    }
    if profiles.is_empty() {
        return Err(ParseError::new(FW_TABLE_TOOL, "no `Name True|False` row"));
    }
    Ok(profiles)
}

// ---------------------------------------------------------------------------
// 4. Routes and adapters
// ---------------------------------------------------------------------------

const ROUTE_TOOL: &str = "Find-NetRoute";

/// The environment variable that carries the destination to the route
/// script, so the script text stays constant.
const ROUTE_DEST_ENV: &str = "MD_REMOTE_IP";

const ROUTE_SCRIPT: &str = "ConvertTo-Json -Compress -InputObject @(Find-NetRoute -RemoteIPAddress $env:MD_REMOTE_IP | Select-Object InterfaceAlias, InterfaceIndex, IPAddress, DestinationPrefix, NextHop, RouteMetric)";

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
struct RouteJson {
    interface_alias: Option<String>,
    #[serde(rename = "IPAddress")]
    ip_address: Option<String>,
    destination_prefix: Option<String>,
    next_hop: Option<String>,
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

const ADAPTERS_TOOL: &str = "Get-NetAdapter";

const ADAPTERS_SCRIPT: &str = "ConvertTo-Json -Compress -Depth 4 -InputObject @(Get-NetAdapter | Select-Object Name, InterfaceDescription, @{n='Status';e={[string]$_.Status}}, InterfaceType, @{n='MediaType';e={[string]$_.MediaType}}, @{n='Addresses';e={@(Get-NetIPAddress -InterfaceIndex $_.ifIndex -ErrorAction SilentlyContinue | ForEach-Object { [string]$_.IPAddress })}})";

/// Reads the network adapters (`Get-NetAdapter`: Name, InterfaceDescription,
/// Status as a string, InterfaceType as the IANA ifType number, MediaType)
/// with their IP addresses (`Get-NetIPAddress`).
pub fn adapters_spec() -> CommandSpec {
    CommandSpec::powershell(ADAPTERS_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AdapterJson {
    name: Option<String>,
    interface_description: Option<String>,
    status: Option<Value>,
    interface_type: Option<Value>,
    addresses: Option<Value>,
}

/// Adapter descriptions of VPN clients (→ Tunnel) and of virtual machine
/// software (→ Virtual); they win over the ifType, since many VPN adapters
/// present themselves as Ethernet.
const TUNNEL_DESCRIPTIONS: &[&str] = &[
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
const VIRTUAL_DESCRIPTIONS: &[&str] = &[
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

const WMIC_ADAPTERS_TOOL: &str = "wmic MSFT_NetAdapter";

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

const ROUTE_PRINT_TOOL: &str = "route print";

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
enum RouteRow {
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
fn route_row(cols: &[&str]) -> Option<RouteRow> {
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

// ---------------------------------------------------------------------------
// 5. Security software
// ---------------------------------------------------------------------------

const AV_TOOL: &str = "SecurityCenter2 AntiVirusProduct";

/// What the antivirus readers say when the `root/SecurityCenter2` namespace
/// does not exist: Windows Server has no Security Center. Compare with
/// [`is_missing_security_center`].
pub const MISSING_SECURITY_CENTER: &str =
    "the root/SecurityCenter2 namespace is missing: a Windows Server OS, which has no Security Center";

/// True when a parse error says the machine has no Security Center (a
/// server OS), as opposed to unreadable output.
pub fn is_missing_security_center(error: &ParseError) -> bool {
    error.message == MISSING_SECURITY_CENTER
}

const AV_SCRIPT: &str = "try { $p = @(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct -ErrorAction Stop | Select-Object displayName, productState, pathToSignedProductExe); ConvertTo-Json -Compress -InputObject $p } catch { ConvertTo-Json -Compress -InputObject ([pscustomobject]@{ Error = [string]$_.Exception.NativeErrorCode; Message = [string]$_.Exception.Message }) }";

/// Reads the antivirus products registered with Windows Security Center
/// (`Get-CimInstance -Namespace root/SecurityCenter2 -ClassName
/// AntiVirusProduct`: displayName, productState). A missing namespace
/// (Windows Server) is reported as `{"Error":"InvalidNamespace",..}`.
pub fn antivirus_spec() -> CommandSpec {
    CommandSpec::powershell(AV_SCRIPT)
}

#[derive(Deserialize)]
struct AntivirusJson {
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    #[serde(rename = "productState")]
    product_state: Option<u32>,
    #[serde(rename = "Error")]
    error: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

/// Decodes SecurityCenter2's `productState` into (real-time protection on,
/// definitions up to date).
///
/// Microsoft does not document this bit field; the decoding is the one
/// widely used by the administrator community and agrees with every
/// published value seen (e.g. Defender 397568 = 0x06_11_00 on and current,
/// 393472 = 0x06_01_00 off, 397584 = 0x06_11_10 on and out of date): the
/// middle byte is the scanner state (0x10 bit set = on; 0x00 off, 0x01
/// snoozed), the low byte the signatures (0x00 up to date, 0x10 out of
/// date). Fairly sure of the two bits used here, not of the other bits.
pub fn decode_product_state(state: u32) -> (bool, bool) {
    let scanner = (state >> 8) & 0xFF;
    let signatures = state & 0xFF;
    (scanner & 0x10 != 0, signatures & 0x10 == 0)
}

/// Parses [`antivirus_spec`]'s JSON: `[]` = none registered; the
/// InvalidNamespace error gives the [`MISSING_SECURITY_CENTER`] error.
pub fn parse_antivirus(json: &str) -> Result<Vec<SecurityProduct>, ParseError> {
    let rows: Vec<AntivirusJson> = json_records(AV_TOOL, json)?;
    rows.into_iter()
        .map(|row| {
            if let Some(error) = row.error {
                return Err(if error.contains("InvalidNamespace") {
                    ParseError::new(AV_TOOL, MISSING_SECURITY_CENTER)
                } else {
                    ParseError::new(
                        AV_TOOL,
                        format!("{error}: {}", row.message.unwrap_or_default()),
                    )
                });
            }
            let name = non_empty(row.display_name.as_deref())
                .ok_or_else(|| ParseError::new(AV_TOOL, "a product without displayName"))?;
            Ok(security_product(name, row.product_state))
        })
        .collect()
}

fn security_product(name: String, state: Option<u32>) -> SecurityProduct {
    let decoded = state.map(decode_product_state);
    SecurityProduct {
        name,
        enabled: decoded.map(|d| d.0),
        up_to_date: decoded.map(|d| d.1),
        seen_in: "SecurityCenter2".to_string(),
    }
}

const WMIC_AV_TOOL: &str = "wmic SecurityCenter2 AntiVirusProduct";

/// Words of wmic's "No Instance(s) Available." in the languages seen
/// ("Aucune instance disponible.", "Keine Instanz(en) verfügbar.").
const NO_INSTANCE_WORDS: &[&str] = &["instan", "实例"];

/// Parses `wmic /namespace:\\root\SecurityCenter2 path AntiVirusProduct get
/// /format:list`. "No Instance(s) Available." (translated) is an empty list;
/// wmic's invalid-namespace error (Windows Server) is the
/// [`MISSING_SECURITY_CENTER`] error.
pub fn parse_wmic_antivirus(text: &str) -> Result<Vec<SecurityProduct>, ParseError> {
    require_text(WMIC_AV_TOOL, text)?;
    let lower = text.to_lowercase();
    if lower.contains("0x8004100e")
        || lower.contains("namespace")
        || lower.contains("espace de noms")
    {
        return Err(ParseError::new(WMIC_AV_TOOL, MISSING_SECURITY_CENTER));
    }
    let records = wmic_records(text);
    if records.is_empty() {
        if NO_INSTANCE_WORDS.iter().any(|w| lower.contains(w)) {
            return Ok(Vec::new());
        }
        return Err(ParseError::new(
            WMIC_AV_TOOL,
            format!("unexpected output {:?}", text.trim()),
        ));
    }
    records
        .iter()
        .map(|r| {
            let name = wmic_get(r, "displayName")
                .ok_or_else(|| ParseError::new(WMIC_AV_TOOL, "a record without displayName"))?;
            Ok(security_product(
                name.to_string(),
                wmic_get(r, "productState").and_then(|s| s.parse().ok()),
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// 6. Wi-Fi
// ---------------------------------------------------------------------------

const WLAN_TOOL: &str = "netsh wlan show interfaces";

/// Reads the wireless interfaces and their connection: `netsh wlan show
/// interfaces` (no PowerShell cmdlet gives signal and rate).
pub fn wlan_spec() -> CommandSpec {
    CommandSpec::new("netsh", &["wlan", "show", "interfaces"])
}

/// Parses `netsh wlan show interfaces` (labels translated): the first
/// interface block with an `SSID` row (netsh prints it only while
/// connected) gives the Wi-Fi link; None when none is connected or the WLAN
/// service is not running (no Wi-Fi hardware). Values are recognised by
/// shape: `81%` signal, a negative number the RSSI, a `GHz` band, a plain
/// number the channel, rows labelled `(Mbps)` the rates (the last one is
/// the transmit rate).
pub fn parse_netsh_wlan(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    require_text(WLAN_TOOL, text)?;
    if text.to_lowercase().contains("wlansvc") {
        return Ok(None);
    }
    let mut saw_interface = false;
    for block in blocks(text) {
        let rows: Vec<(&str, &str)> = block
            .iter()
            .filter_map(|l| label_value(l))
            .filter(|(l, _)| !l.is_empty())
            .collect();
        saw_interface |= rows.iter().any(|(_, v)| is_guid(v) || is_mac(v));
        if let Some(info) = wifi_from_rows(&rows) {
            return Ok(Some(info));
        }
    }
    if !saw_interface {
        return Err(ParseError::new(
            WLAN_TOOL,
            "no interface (no GUID or physical address row)",
        ));
    }
    Ok(None)
}

/// `dae9b794-6711-4b4f-bb99-bb4cc90bac39`: every interface block has one.
fn is_guid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `70:9c:d1:e0:30:4e`: the interface's physical address.
fn is_mac(value: &str) -> bool {
    let parts: Vec<&str> = value.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A connected interface's Wi-Fi facts from its rows; None without an SSID.
fn wifi_from_rows(rows: &[(&str, &str)]) -> Option<WifiInfo> {
    let ssid = rows.iter().find(|(l, _)| *l == "SSID")?.1;
    let mut info = WifiInfo {
        ssid: Some(ssid.to_string()),
        ..WifiInfo::default()
    };
    for (label, value) in rows {
        if label.contains("Mbps") {
            info.tx_rate_mbps = value
                .split_whitespace()
                .next()
                .and_then(|v| v.replace(',', ".").parse().ok())
                .or(info.tx_rate_mbps);
        } else if let Some(p) = value.strip_suffix('%') {
            info.signal_percent = info.signal_percent.or(p.trim().parse().ok());
        } else if let Some(band) = band(value) {
            info.band = Some(band);
        } else if let Ok(n) = value.parse::<i32>() {
            if n < 0 {
                info.rssi_dbm = info.rssi_dbm.or(Some(n));
            } else if (1..=233).contains(&n) && info.channel.is_none() {
                info.channel = Some(n as u32);
            }
        }
    }
    Some(info)
}

/// "2.4 GHz" / "5 GHz" / "6 GHz" (also with a decimal comma).
fn band(value: &str) -> Option<String> {
    let number = value.strip_suffix("GHz")?.trim().replace(',', ".");
    let n: f64 = number.parse().ok()?;
    Some(
        if n < 3.0 {
            "2.4 GHz"
        } else if n < 5.9 {
            "5 GHz"
        } else {
            "6 GHz"
        }
        .to_string(),
    )
}

const WLAN_NETWORKS_TOOL: &str = "netsh wlan show networks mode=bssid";

/// Parses `netsh wlan show networks mode=bssid` (labels translated) into one
/// entry per access point seen: SSID from the `SSID n : name` row, then per
/// `BSSID n` the signal (percent) and channel (plain number). Best effort:
/// nothing here says which one is connected.
pub fn parse_netsh_wlan_networks(text: &str) -> Result<Vec<WifiInfo>, ParseError> {
    require_text(WLAN_NETWORKS_TOOL, text)?;
    let mut out: Vec<WifiInfo> = Vec::new();
    let mut ssid: Option<String> = None;
    // Whether the rows being read belong to a BSSID (not to the network).
    let mut in_ap = false;
    for (label, value) in text.lines().filter_map(label_value) {
        if label.starts_with("SSID") {
            ssid = Some(value.to_string());
            in_ap = false;
        } else if label.starts_with("BSSID") {
            out.push(WifiInfo {
                ssid: ssid.clone(),
                ..WifiInfo::default()
            });
            in_ap = true;
        } else if let (true, Some(ap)) = (in_ap, out.last_mut()) {
            if let Some(p) = value.strip_suffix('%') {
                ap.signal_percent = p.trim().parse().ok();
            } else if let Some(b) = band(value) {
                ap.band = Some(b);
            } else if let (false, Ok(n)) = (label.contains("Mbps"), value.parse::<u32>()) {
                ap.channel = ap.channel.or(Some(n));
            }
        }
    }
    if out.is_empty() && ssid.is_none() {
        return Err(ParseError::new(WLAN_NETWORKS_TOOL, "no SSID row"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// 7. Zoom install
// ---------------------------------------------------------------------------

const ZOOM_TOOL: &str = "Zoom install";

const ZOOM_SCRIPT: &str = r#"$keys = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*'
$u = @(Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue | Where-Object { $_.DisplayName -like '*Zoom*' } | Select-Object DisplayName, DisplayVersion, InstallLocation, WindowsInstaller, @{n='Key';e={$_.PSPath -replace '^.*::', ''}})
$exe = Join-Path $env:APPDATA 'Zoom\bin\Zoom.exe'
$a = if (Test-Path -LiteralPath $exe) { [pscustomobject]@{ Path = $exe; FileVersion = (Get-Item -LiteralPath $exe).VersionInfo.FileVersion } } else { $null }
ConvertTo-Json -Compress -Depth 4 -InputObject ([pscustomobject]@{ Uninstall = $u; AppData = $a })"#;

/// Reads how Zoom is installed: the Uninstall registry entries whose
/// DisplayName matches Zoom in HKCU and HKLM (native and WOW6432Node) with
/// DisplayName, DisplayVersion, InstallLocation, WindowsInstaller and the
/// key path, and whether `%APPDATA%\Zoom\bin\Zoom.exe` (the per-user
/// install) exists, with its FileVersion.
pub fn zoom_spec() -> CommandSpec {
    CommandSpec::powershell(ZOOM_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ZoomJson {
    uninstall: Option<Value>,
    app_data: Option<AppDataJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UninstallJson {
    display_name: Option<String>,
    display_version: Option<String>,
    install_location: Option<String>,
    windows_installer: Option<Value>,
    key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AppDataJson {
    path: Option<String>,
    file_version: Option<String>,
}

/// Zoom products that are not the meeting client.
const NOT_THE_CLIENT: &[&str] = &[
    "plugin", "plug-in", "add-in", "addin", "outlook", "rooms", "sdk",
];

/// Parses [`zoom_spec`]'s JSON. An MSI install (HKLM, product-code key or
/// WindowsInstaller = 1) wins over a per-user one (HKCU or `%APPDATA%`),
/// as an administrator deployed it; nothing found is `installed: false`.
pub fn parse_zoom(json: &str) -> Result<ZoomInstall, ParseError> {
    let raw: ZoomJson = json_record(ZOOM_TOOL, json)?;
    let entries: Vec<UninstallJson> = match raw.uninstall {
        Some(v) => value_records(ZOOM_TOOL, v)?,
        None => Vec::new(),
    };
    let clients: Vec<&UninstallJson> = entries
        .iter()
        .filter(|e| {
            e.display_name.as_deref().is_some_and(|n| {
                let n = n.to_lowercase();
                n.contains("zoom") && !NOT_THE_CLIENT.iter().any(|w| n.contains(w))
            })
        })
        .collect();
    let ranked = clients
        .iter()
        .find(|e| zoom_kind(e) == "msi")
        .or_else(|| clients.iter().find(|e| zoom_kind(e) == "per-user"))
        .or(clients.first());
    if let Some(entry) = ranked {
        let per_user_exe = raw
            .app_data
            .as_ref()
            .and_then(|a| non_empty(a.path.as_deref()));
        let kind = zoom_kind(entry);
        return Ok(ZoomInstall {
            arch_problem: None,
            installed: true,
            version: non_empty(entry.display_version.as_deref()),
            path: non_empty(entry.install_location.as_deref()).or(if kind == "per-user" {
                per_user_exe
            } else {
                None
            }),
            install_kind: Some(kind.to_string()),
            arch: zoom_arch(entry),
        });
    }
    match raw.app_data {
        Some(app) if non_empty(app.path.as_deref()).is_some() => Ok(ZoomInstall {
            arch_problem: None,
            installed: true,
            version: non_empty(app.file_version.as_deref())
                .map(|v| v.replace(", ", ".").replace(',', ".")),
            path: non_empty(app.path.as_deref()),
            install_kind: Some("per-user".to_string()),
            arch: None,
        }),
        _ => Ok(ZoomInstall::default()),
    }
}

/// "per-user" (HKCU), "msi" (HKLM with a product-code key or
/// WindowsInstaller = 1), else "machine".
fn zoom_kind(entry: &UninstallJson) -> &'static str {
    let key = entry.key.as_deref().unwrap_or("").to_ascii_uppercase();
    if key.starts_with("HKEY_CURRENT_USER") || key.starts_with("HKCU") {
        return "per-user";
    }
    let leaf = key.rsplit('\\').next().unwrap_or("");
    let msi = matches!(
        enum_text(&entry.windows_installer).as_deref(),
        Some("1") | Some("True")
    );
    if msi || (leaf.starts_with('{') && leaf.ends_with('}')) {
        "msi"
    } else {
        "machine"
    }
}

/// From the DisplayName ("Zoom Workplace (64-bit)") or a WOW6432Node key (32-bit).
fn zoom_arch(entry: &UninstallJson) -> Option<String> {
    let name = entry.display_name.as_deref().unwrap_or("").to_lowercase();
    let key = entry.key.as_deref().unwrap_or("").to_lowercase();
    if name.contains("arm64") {
        Some("arm64".to_string())
    } else if name.contains("64-bit") || name.contains("64bit") || name.contains("x64") {
        Some("x86_64".to_string())
    } else if name.contains("32-bit") || name.contains("32bit") || key.contains("wow6432node") {
        Some("x86".to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::fixture;

    fn win(name: &str) -> String {
        fixture("windows", name)
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| ip(s)).collect()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    /// Every parser, to run the same garbage/empty/truncation checks on.
    type AnyParser = fn(&str) -> Result<(), ParseError>;

    fn all_parsers() -> Vec<(&'static str, AnyParser, &'static str)> {
        vec![
            (
                "proxy",
                |t| parse_proxy(t).map(drop),
                "ps-proxy--manual.json",
            ),
            (
                "winhttp",
                |t| parse_winhttp(t).map(drop),
                "netsh-winhttp-set-proxy--manual-no-bypass.txt",
            ),
            (
                "dns",
                |t| parse_dns_servers(t).map(drop),
                "ps-dns-servers--wifi-vpn.json",
            ),
            (
                "ipconfig",
                |t| parse_ipconfig_all(t).map(drop),
                "ipconfig-all--en-win10-tailscale-fec0.txt",
            ),
            (
                "wmic dns",
                |t| parse_wmic_adapter_dns(t).map(drop),
                "wmic-Win32_NetworkAdapterConfiguration-list--vpn-up.txt",
            ),
            (
                "fw profiles",
                |t| parse_firewall_profiles(t).map(drop),
                "ps-firewall-profiles--on.json",
            ),
            (
                "fw rules",
                |t| parse_firewall_rules(t).map(drop),
                "ps-firewall-rules--zoom-allowed.json",
            ),
            (
                "advfirewall",
                |t| parse_advfirewall_allprofiles(t).map(drop),
                "netsh-advfirewall-show-allprofiles--en-all-off-gpo-store.txt",
            ),
            (
                "fw table",
                |t| parse_firewall_profile_table(t).map(drop),
                "Get-NetFirewallProfile--ft-name-enabled-all-true.txt",
            ),
            (
                "route",
                |t| parse_route(t, ip("1.2.3.4")).map(drop),
                "ps-route--wifi.json",
            ),
            (
                "adapters",
                |t| parse_adapters(t).map(drop),
                "ps-adapters--vpn-up.json",
            ),
            (
                "wmic adapters",
                |t| parse_wmic_adapters(t).map(drop),
                "wmic-MSFT_NetAdapter-list--vpn-up-fortinet.txt",
            ),
            (
                "route print",
                |t| parse_route_print_defaults(t).map(drop),
                "route-print-4--en-win10-wireguard.txt",
            ),
            (
                "antivirus",
                |t| parse_antivirus(t).map(drop),
                "ps-antivirus--third-party.json",
            ),
            (
                "wmic antivirus",
                |t| parse_wmic_antivirus(t).map(drop),
                "wmic-SecurityCenter-AntiVirusProduct--fr-no-instance.txt",
            ),
            (
                "wlan",
                |t| parse_netsh_wlan(t).map(drop),
                "netsh-wlan-show-interfaces--en-win11-5ghz.txt",
            ),
            (
                "wlan networks",
                |t| parse_netsh_wlan_networks(t).map(drop),
                "netsh-wlan-show-networks-bssid--nl.txt",
            ),
            ("zoom", |t| parse_zoom(t).map(drop), "ps-zoom--msi.json"),
        ]
    }

    #[test]
    fn every_parser_rejects_empty_and_garbage_and_survives_truncation() {
        for (name, parse, sample) in all_parsers() {
            for bad in [
                "",
                "  \r\n",
                "\u{feff}",
                "garbage",
                "{\"not\": [\"closed\"",
                "\u{0}\u{1}\u{fffd}zz",
                "42",
            ] {
                assert!(parse(bad).is_err(), "{name} accepted {bad:?}");
            }
            let text = win(sample);
            assert!(
                parse(&text).is_ok(),
                "{name} rejected its own sample {sample}"
            );
            // Every prefix must give a value or an error, never a panic.
            for cut in (0..text.len())
                .filter(|&i| text.is_char_boundary(i))
                .step_by(7)
            {
                let _ = parse(&text[..cut]);
            }
        }
    }

    #[test]
    fn truncated_json_is_an_error_naming_the_tool() {
        for (name, parse, sample) in all_parsers()
            .into_iter()
            .filter(|(_, _, f)| f.ends_with(".json"))
        {
            let text = win(sample);
            let cut = &text[..text.trim_end().len() - 1];
            let err = parse(cut).expect_err(name);
            assert!(err.message.contains("JSON"), "{name}: {err}");
        }
    }

    #[test]
    fn specs_are_argv_with_constant_scripts() {
        for spec in [
            proxy_spec(),
            dns_servers_spec(),
            firewall_profiles_spec(),
            firewall_rules_spec(),
            adapters_spec(),
            antivirus_spec(),
            zoom_spec(),
        ] {
            assert_eq!(spec.program, "powershell.exe");
            let script = spec.args.last().unwrap();
            assert!(script.contains("ConvertTo-Json"), "{script}");
            assert!(script.contains("-Compress"), "{script}");
        }
        let a = route_spec(ip("203.0.113.9"));
        let b = route_spec(ip("2001:db8::1"));
        assert_eq!(a.args, b.args, "the destination never enters the script");
        assert_eq!(
            a.env.last().unwrap(),
            &("MD_REMOTE_IP".to_string(), "203.0.113.9".to_string())
        );
        assert_eq!(winhttp_spec().display(), "netsh winhttp show proxy");
        assert_eq!(wlan_spec().display(), "netsh wlan show interfaces");
    }

    #[test]
    fn proxy_variants() {
        let direct = ProxySettings {
            source: "HKCU Internet Settings".into(),
            ..ProxySettings::default()
        };
        let cases: Vec<(&str, ProxySettings)> = vec![
            ("ps-proxy--off.json", direct.clone()),
            ("ps-proxy--disabled-leftover.json", direct.clone()),
            (
                "ps-proxy--manual.json",
                ProxySettings {
                    http: s("proxy.example.com:8080"),
                    https: s("proxy.example.com:8080"),
                    bypass: vec!["*.example.com".into(), "10.*".into(), "<local>".into()],
                    ..direct.clone()
                },
            ),
            (
                "ps-proxy--per-scheme.json",
                ProxySettings {
                    http: s("web.example.com:8080"),
                    https: s("secure.example.com:8443"),
                    socks: s("socks.example.com:1080"),
                    bypass: vec!["<local>".into()],
                    ..direct.clone()
                },
            ),
            (
                "ps-proxy--pac.json",
                ProxySettings {
                    pac_url: s("http://wpad.example.com/proxy.pac"),
                    ..direct.clone()
                },
            ),
            (
                "ps-proxy--auto-detect.json",
                ProxySettings {
                    auto_detect: true,
                    ..direct.clone()
                },
            ),
        ];
        for (file, want) in cases {
            assert_eq!(parse_proxy(&win(file)).unwrap(), want, "{file}");
        }
        assert!(parse_proxy(&win("ps-proxy--disabled-leftover.json"))
            .unwrap()
            .is_direct());
    }

    #[test]
    fn winhttp_variants_recognise_a_proxy_by_host_port_not_words() {
        // (fixture, http, https, bypass)
        type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [&'a str]);
        let cases: &[Case] = &[
            (
                "netsh-winhttp-set-proxy--manual-no-bypass.txt",
                Some("testProxy:8999"),
                Some("testProxy:8999"),
                &[],
            ),
            ("netsh-winhttp-show-proxy--en-direct.txt", None, None, &[]),
            ("netsh-winhttp-show-proxy--fr-direct.txt", None, None, &[]),
            (
                "netsh-winhttp-show-proxy--en-per-scheme.txt",
                Some("myproxy:80"),
                Some("sproxy:88"),
                &["*.foo.com", "<local>"],
            ),
        ];
        for (file, http, https, bypass) in cases {
            let p = parse_winhttp(&win(file)).unwrap();
            assert_eq!(
                (p.http.as_deref(), p.https.as_deref()),
                (*http, *https),
                "{file}"
            );
            assert_eq!(
                p.bypass,
                bypass.iter().map(|b| b.to_string()).collect::<Vec<_>>(),
                "{file}"
            );
            assert_eq!(p.source, "WinHTTP");
        }
    }

    #[test]
    fn dns_servers_from_powershell_merge_families_and_drop_placeholders() {
        let dns = parse_dns_servers(&win("ps-dns-servers--wifi-vpn.json")).unwrap();
        assert_eq!(
            dns.servers,
            ips(&[
                "192.168.2.1",
                "fe80::8ef8:13ff:fe2f:234e",
                "10.10.0.53",
                "10.10.0.54"
            ])
        );
        let names: Vec<&str> = dns
            .per_interface
            .iter()
            .map(|i| i.interface.as_str())
            .collect();
        assert_eq!(names, ["Wi-Fi", "Corp VPN"]);
        let single = parse_dns_servers(&win("ps-dns-servers--single-object.json")).unwrap();
        assert_eq!(single.per_interface[0].interface, "Ethernet");
        assert_eq!(single.servers, ips(&["1.1.1.1"]));
        assert_eq!(parse_dns_servers("[]").unwrap(), DnsServers::default());
        assert!(
            parse_dns_servers(r#"[{"InterfaceAlias":"x","ServerAddresses":["not-an-ip"]}]"#)
                .is_err()
        );
    }

    #[test]
    fn ipconfig_all_in_english_french_and_chinese() {
        // (fixture, [(adapter, DNS servers)])
        type Case<'a> = (&'a str, &'a [(&'a str, &'a [&'a str])]);
        let cases: &[Case] = &[
            (
                "ipconfig-all--en-win10-tailscale-fec0.txt",
                &[("Ethernet 2", &["10.50.13.1"])],
            ),
            ("ipconfig-all--en-win10-vmware-fec0.txt", &[]),
            ("ipconfig-all--en-win11-nordvpn-tap.txt", &[]),
            ("ipconfig-all--en-win7.txt", &[]),
            (
                "ipconfig-all--en-winxp.txt",
                &[("Local Area Connection", &["192.168.22.151"])],
            ),
            (
                "ipconfig-all--en-win7-ppp-ikev2-vpn-prefix.txt",
                &[("Windscribe IKEv2", &["10.255.255.3"])],
            ),
            (
                "ipconfig-all--fr-wifi-block-ipv6.txt",
                &[(
                    "Carte réseau sans fil Wi-Fi",
                    &["10.4.1.201", "2a01:cb19:8f4:6c00:8ef8:13ff:fe2f:234e"],
                )],
            ),
            (
                "ipconfig-all--fr-wifi-block-killer.txt",
                &[("Carte réseau sans fil Wi-Fi", &["8.8.8.8", "1.1.1.1"])],
            ),
            (
                "ipconfig-all--zh-cn-clash-tun-prefix.txt",
                &[("Clash", &["198.18.0.2"])],
            ),
            (
                "ipconfig-all--zh-cn-masked-prefix.txt",
                &[("以太网", &["192.168.1.1", "240e:1f:1::1", "240e:1f:1::33"])],
            ),
        ];
        for (file, want) in cases {
            let dns = parse_ipconfig_all(&win(file)).unwrap();
            for (adapter, servers) in *want {
                let entry = dns
                    .per_interface
                    .iter()
                    .find(|i| i.interface == *adapter)
                    .unwrap_or_else(|| panic!("{file}: no {adapter} in {dns:?}"));
                assert_eq!(entry.servers, ips(servers), "{file} {adapter}");
            }
            assert!(
                dns.servers.iter().all(|a| !is_dns_placeholder(a)),
                "{file}: {dns:?}"
            );
            if want.is_empty() {
                assert!(!dns.servers.is_empty(), "{file}");
            }
        }
        // The fec0 placeholders alone give no server for that adapter.
        let dns = parse_ipconfig_all(&win("ipconfig-all--en-win10-tailscale-fec0.txt")).unwrap();
        assert!(dns.per_interface.iter().all(|i| i.interface != "Tailscale"));
        let vm = parse_ipconfig_all(&win("ipconfig-all--en-win10-vmware-fec0.txt")).unwrap();
        assert_eq!(vm.servers, ips(&["8.8.8.8", "208.67.220.220"]));
    }

    fn profile(
        name: &str,
        enabled: bool,
        inbound: Option<&str>,
        outbound: Option<&str>,
    ) -> FirewallProfile {
        FirewallProfile {
            name: name.into(),
            enabled,
            default_inbound: inbound.map(Into::into),
            default_outbound: outbound.map(Into::into),
        }
    }

    #[test]
    fn wmic_adapter_dns_with_a_vpn_up() {
        let dns = parse_wmic_adapter_dns(&win(
            "wmic-Win32_NetworkAdapterConfiguration-list--vpn-up.txt",
        ))
        .unwrap();
        let names: Vec<&str> = dns
            .per_interface
            .iter()
            .map(|i| i.interface.as_str())
            .collect();
        assert!(
            names.contains(&"Fortinet SSL VPN Virtual Ethernet Adapter"),
            "{names:?}"
        );
        assert!(
            names.contains(&"Intel(R) Wi-Fi 6 AX201 160MHz"),
            "{names:?}"
        );
        assert_eq!(dns.servers, ips(&["127.0.0.1"]));
    }

    #[test]
    fn firewall_profiles_from_powershell() {
        let on = |n| profile(n, true, Some("block"), Some("allow"));
        let off = |n| profile(n, false, Some("block"), Some("allow"));
        let cases = vec![
            (
                "ps-firewall-profiles--on.json",
                vec![on("Domain"), on("Private"), on("Public")],
            ),
            (
                "ps-firewall-profiles--off.json",
                vec![on("Domain"), off("Private"), off("Public")],
            ),
            (
                "ps-firewall-profiles--numeric-outbound-block.json",
                vec![
                    on("Domain"),
                    on("Private"),
                    profile("Public", true, Some("block"), Some("block")),
                ],
            ),
        ];
        for (file, want) in cases {
            assert_eq!(parse_firewall_profiles(&win(file)).unwrap(), want, "{file}");
        }
        assert!(
            parse_firewall_profiles("[]").is_err(),
            "Windows always has profiles"
        );
        assert!(parse_firewall_profiles(r#"{"Name":"Public","Enabled":"Maybe"}"#).is_err());
    }

    #[test]
    fn firewall_rules_for_zoom() {
        let allowed = parse_firewall_rules(&win("ps-firewall-rules--zoom-allowed.json")).unwrap();
        assert_eq!(allowed.len(), 2);
        assert!(allowed.iter().all(|r| r.direction == "in"
            && r.action == "allow"
            && r.enabled
            && r.name == "Zoom Video Conference"));
        assert_eq!(
            allowed[0].program.as_deref(),
            Some(r"C:\Users\alex\AppData\Roaming\Zoom\bin\zoom.exe")
        );
        let blocked = parse_firewall_rules(&win("ps-firewall-rules--zoom-blocked.json")).unwrap();
        assert_eq!(
            blocked,
            vec![FirewallRule {
                name: "Block Zoom".into(),
                id: s("Block Zoom"),
                direction: "out".into(),
                action: "block".into(),
                enabled: true,
                program: s(r"C:\Program Files\Zoom\bin\Zoom.exe"),
            }]
        );
        assert_eq!(
            parse_firewall_rules(&win("ps-firewall-rules--none.json")).unwrap(),
            vec![]
        );
        let numeric =
            parse_firewall_rules(r#"{"Name":"z","Enabled":0,"Direction":2,"Action":4}"#).unwrap();
        assert_eq!(
            (
                numeric[0].direction.as_str(),
                numeric[0].action.as_str(),
                numeric[0].enabled
            ),
            ("out", "block", false)
        );
        assert!(parse_firewall_rules(
            r#"{"Name":"z","Enabled":"True","Direction":"Sideways","Action":"Allow"}"#
        )
        .is_err());
    }

    #[test]
    fn advfirewall_and_table_samples() {
        let off = |n| profile(n, false, Some("block"), Some("allow"));
        assert_eq!(
            parse_advfirewall_allprofiles(&win(
                "netsh-advfirewall-show-allprofiles--en-all-off-gpo-store.txt"
            ))
            .unwrap(),
            vec![off("Domain"), off("Private"), off("Public")]
        );
        assert_eq!(
            parse_advfirewall_allprofiles(&win(
                "netsh-advfirewall-show-allprofiles--fr-domain-only-trimmed.txt"
            ))
            .unwrap(),
            vec![profile("Domain", true, Some("block"), Some("allow"))]
        );
        let truncated = "Domain Profile Settings:\n----------------------------------------------------------------------\n";
        assert!(parse_advfirewall_allprofiles(truncated)
            .unwrap_err()
            .message
            .contains("truncated"));
        let unknown = "Domain Profile Settings:\n----------------------------------------------------------------------\nState                                 MAYBE\n";
        assert!(parse_advfirewall_allprofiles(unknown).is_err());
        let table = parse_firewall_profile_table(&win(
            "Get-NetFirewallProfile--ft-name-enabled-all-true.txt",
        ))
        .unwrap();
        assert_eq!(
            table,
            vec![
                profile("Domain", true, None, None),
                profile("Private", true, None, None),
                profile("Public", true, None, None)
            ]
        );
    }

    #[test]
    fn routes_from_find_netroute() {
        let dest = ip("170.114.52.2");
        let wifi = parse_route(&win("ps-route--wifi.json"), dest).unwrap();
        assert_eq!(
            wifi,
            Route {
                destination: dest,
                interface: "Wi-Fi".into(),
                gateway: Some(ip("192.168.2.1")),
                source: Some(ip("192.168.2.17"))
            }
        );
        let vpn = parse_route(&win("ps-route--vpn-half-default.json"), dest).unwrap();
        assert_eq!(
            vpn,
            Route {
                destination: dest,
                interface: "wg-corp".into(),
                gateway: None,
                source: Some(ip("10.66.0.2"))
            }
        );
        assert!(parse_route("[]", dest)
            .unwrap_err()
            .message
            .contains("no route"));
    }

    #[test]
    fn adapters_and_their_kinds() {
        let up = parse_adapters(&win("ps-adapters--vpn-up.json")).unwrap();
        let summary: Vec<(&str, InterfaceKind, bool, usize)> = up
            .iter()
            .map(|i| (i.name.as_str(), i.kind, i.up, i.addresses.len()))
            .collect();
        assert_eq!(
            summary,
            [
                ("Wi-Fi", InterfaceKind::Wifi, true, 2),
                ("wg-corp", InterfaceKind::Tunnel, true, 1),
                (
                    "vEthernet (Default Switch)",
                    InterfaceKind::Virtual,
                    true,
                    1
                ),
                ("Ethernet", InterfaceKind::Ethernet, false, 0),
            ]
        );
        let idle = parse_adapters(&win("ps-adapters--idle-tap.json")).unwrap();
        assert_eq!(
            (idle.len(), idle[0].kind, idle[0].up),
            (1, InterfaceKind::Tunnel, false)
        );
        let kinds: &[(&str, Option<u32>, InterfaceKind)] = &[
            (
                "Realtek PCIe GbE Family Controller",
                Some(6),
                InterfaceKind::Ethernet,
            ),
            (
                "Intel(R) Wi-Fi 6 AX201 160MHz",
                Some(71),
                InterfaceKind::Wifi,
            ),
            ("WAN Miniport (PPTP)", Some(23), InterfaceKind::Ppp),
            ("Some VPN", Some(53), InterfaceKind::Tunnel),
            (
                "Microsoft Teredo Tunneling Adapter",
                Some(131),
                InterfaceKind::Tunnel,
            ),
            (
                "Software Loopback Interface 1",
                Some(24),
                InterfaceKind::Loopback,
            ),
            (
                "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64",
                Some(6),
                InterfaceKind::Tunnel,
            ),
            (
                "PANGP Virtual Ethernet Adapter",
                Some(6),
                InterfaceKind::Tunnel,
            ),
            ("NordLynx Tunnel", Some(53), InterfaceKind::Tunnel),
            ("Tailscale Tunnel", Some(53), InterfaceKind::Tunnel),
            ("Wintun Userspace Tunnel", Some(53), InterfaceKind::Tunnel),
            (
                "VMware Virtual Ethernet Adapter for VMnet8",
                Some(6),
                InterfaceKind::Virtual,
            ),
            (
                "VirtualBox Host-Only Ethernet Adapter",
                Some(6),
                InterfaceKind::Virtual,
            ),
            ("Mystery", None, InterfaceKind::Other),
        ];
        for (description, if_type, want) in kinds {
            assert_eq!(adapter_kind(description, *if_type), *want, "{description}");
        }
    }

    #[test]
    fn wmic_adapters_vpn_up_and_down() {
        for (file, fortinet_ssl_up) in [
            ("wmic-MSFT_NetAdapter-list--vpn-up-fortinet.txt", true),
            ("wmic-MSFT_NetAdapter-list--vpn-down-fortinet.txt", false),
        ] {
            let adapters = parse_wmic_adapters(&win(file)).unwrap();
            let vpn = adapters
                .iter()
                .find(|a| {
                    a.description.as_deref() == Some("Fortinet SSL VPN Virtual Ethernet Adapter")
                })
                .unwrap_or_else(|| panic!("{file}: {adapters:?}"));
            assert_eq!(
                (vpn.kind, vpn.up),
                (InterfaceKind::Tunnel, fortinet_ssl_up),
                "{file}"
            );
            // On Wi-Fi while the VPN is up, on USB Ethernet while it is down.
            let wifi = adapters.iter().find(|a| a.name == "Wi-Fi").unwrap();
            assert_eq!(
                (wifi.kind, wifi.up),
                (InterfaceKind::Wifi, fortinet_ssl_up),
                "{file}"
            );
            let usb = adapters.iter().find(|a| a.name == "Ethernet 4").unwrap();
            assert_eq!(
                (usb.kind, usb.up),
                (InterfaceKind::Ethernet, !fortinet_ssl_up),
                "{file}"
            );
        }
    }

    #[test]
    fn route_print_defaults_in_four_languages() {
        let d = |prefix: &str, interface: &str, gateway: Option<&str>, metric| DefaultRoute {
            prefix: prefix.into(),
            interface: interface.into(),
            gateway: gateway.map(ip),
            metric: Some(metric),
        };
        let cases = vec![
            (
                "route-print--en-win10-tap-hyperv.txt",
                vec![d("0.0.0.0/0", "192.168.31.221", Some("192.168.31.1"), 30)],
            ),
            (
                "route-print-0.0.0.0--en-anyconnect-two-defaults.txt",
                vec![
                    d("0.0.0.0/0", "192.168.100.74", Some("192.168.100.1"), 50),
                    d("0.0.0.0/0", "10.21.38.97", Some("10.21.38.1"), 2),
                ],
            ),
            (
                "route-print-0.0.0.0--es-sgn-vpn.txt",
                vec![d("0.0.0.0/0", "192.168.100.80", Some("192.168.100.1"), 35)],
            ),
            (
                "route-print-0.0.0.0--fr-trimmed.txt",
                vec![d("0.0.0.0/0", "10.88.88.149", Some("10.88.88.2"), 10)],
            ),
            (
                "route-print-4--en-win10-wireguard.txt",
                vec![d("0.0.0.0/0", "10.0.0.185", Some("10.0.0.1"), 25)],
            ),
            ("route-print-4--fr-lab-trimmed.txt", vec![]),
        ];
        for (file, want) in cases {
            assert_eq!(
                parse_route_print_defaults(&win(file)).unwrap(),
                want,
                "{file}"
            );
        }
        let half = "=====================================================\nNetwork Destination        Netmask          Gateway       Interface  Metric\n          0.0.0.0        128.0.0.0         10.8.0.1        10.8.0.6     26\n        128.0.0.0        128.0.0.0         On-link         10.8.0.6     26\n          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.20     35\n";
        assert_eq!(
            parse_route_print_defaults(half).unwrap(),
            vec![
                d("0.0.0.0/1", "10.8.0.6", Some("10.8.0.1"), 26),
                d("128.0.0.0/1", "10.8.0.6", None, 26),
                d("0.0.0.0/0", "192.168.1.20", Some("192.168.1.1"), 35)
            ]
        );
        let cut = "=====================================================\n          0.0.0.0          0.0.0.0    192.168";
        assert!(parse_route_print_defaults(cut)
            .unwrap_err()
            .message
            .contains("truncated"));
    }

    #[test]
    fn antivirus_product_state_decoding() {
        let cases: &[(u32, bool, bool)] = &[
            (397568, true, true),   // 0x061100 Defender on, current
            (397584, true, false),  // 0x061110 on, out of date
            (393472, false, true),  // 0x060100 off
            (393488, false, false), // 0x060110 off, out of date
            (266240, true, true),   // 0x041000 third-party on
            (262144, false, true),  // 0x040000 third-party off
            (397312, true, true),   // 0x061000
        ];
        for (state, on, current) in cases {
            assert_eq!(decode_product_state(*state), (*on, *current), "{state:#x}");
        }
    }

    #[test]
    fn antivirus_from_security_center() {
        let defender = parse_antivirus(&win("ps-antivirus--defender.json")).unwrap();
        assert_eq!(
            defender,
            vec![SecurityProduct {
                name: "Windows Defender".into(),
                enabled: Some(true),
                up_to_date: Some(true),
                seen_in: "SecurityCenter2".into()
            }]
        );
        let third: Vec<(String, Option<bool>, Option<bool>)> =
            parse_antivirus(&win("ps-antivirus--third-party.json"))
                .unwrap()
                .into_iter()
                .map(|p| (p.name, p.enabled, p.up_to_date))
                .collect();
        assert_eq!(
            third,
            [
                ("Windows Defender".into(), Some(false), Some(true)),
                ("Norton 360".into(), Some(true), Some(true)),
                ("Avast Antivirus".into(), Some(true), Some(false)),
            ]
        );
        assert_eq!(
            parse_antivirus(&win("ps-antivirus--none.json")).unwrap(),
            vec![]
        );
        let server =
            parse_antivirus(&win("ps-antivirus--server-invalid-namespace.json")).unwrap_err();
        assert!(is_missing_security_center(&server), "{server}");
        let other =
            parse_antivirus(r#"{"Error":"AccessDenied","Message":"Access denied"}"#).unwrap_err();
        assert!(!is_missing_security_center(&other) && other.message.contains("AccessDenied"));
    }

    #[test]
    fn wmic_antivirus_no_instance_and_server() {
        assert_eq!(
            parse_wmic_antivirus(&win(
                "wmic-SecurityCenter-AntiVirusProduct--fr-no-instance.txt"
            ))
            .unwrap(),
            vec![]
        );
        assert_eq!(
            parse_wmic_antivirus("No Instance(s) Available.\r\n").unwrap(),
            vec![]
        );
        let server = parse_wmic_antivirus(&win(
            "wmic-SecurityCenter2-AntiVirusProduct--fr-server-invalid-namespace.txt",
        ))
        .unwrap_err();
        assert!(is_missing_security_center(&server), "{server}");
        assert!(is_missing_security_center(
            &parse_wmic_antivirus("ERROR:\r\nDescription = Invalid namespace\r\n").unwrap_err()
        ));
        let list = "\r\n\r\ndisplayName=Windows Defender\r\ninstanceGuid={D68DDC3A-831F-4fae-9E44-DA132C1ACF46}\r\npathToSignedProductExe=windowsdefender://\r\nproductState=397568\r\n\r\n\r\n";
        let products = parse_wmic_antivirus(list).unwrap();
        assert_eq!(
            (
                products[0].name.as_str(),
                products[0].enabled,
                products[0].up_to_date
            ),
            ("Windows Defender", Some(true), Some(true))
        );
    }

    #[test]
    fn wifi_interfaces_by_shape() {
        let info = |ssid: &str, signal, rssi, channel, band: &str, tx| WifiInfo {
            ssid: s(ssid),
            signal_percent: Some(signal),
            rssi_dbm: Some(rssi),
            noise_dbm: None,
            channel: Some(channel),
            band: s(band),
            tx_rate_mbps: Some(tx),
        };
        let cases = vec![
            (
                "netsh-wlan-show-interfaces--en-win11-24ghz.txt",
                Some(info("Tenda_EBBAA0", 81, -62, 11, "2.4 GHz", 115.6)),
            ),
            (
                "netsh-wlan-show-interfaces--en-win11-5ghz.txt",
                Some(info("Tenda_EBBAA0_5G", 80, -64, 36, "5 GHz", 260.0)),
            ),
            ("netsh-wlan-show-interfaces--en-disconnected.txt", None),
            ("netsh-wlan-show-interfaces--en-no-wlansvc.txt", None),
        ];
        for (file, want) in cases {
            assert_eq!(parse_netsh_wlan(&win(file)).unwrap(), want, "{file}");
        }
    }

    #[test]
    fn wifi_networks_dutch_sample() {
        let aps =
            parse_netsh_wlan_networks(&win("netsh-wlan-show-networks-bssid--nl.txt")).unwrap();
        assert!(aps.len() >= 9, "{aps:?}");
        assert_eq!(
            (
                aps[0].ssid.as_deref(),
                aps[0].signal_percent,
                aps[0].channel
            ),
            (Some("iConnect"), Some(63), Some(40))
        );
        assert_eq!((aps[6].signal_percent, aps[6].channel), (Some(86), Some(6)));
        assert!(aps
            .iter()
            .all(|a| a.ssid.is_some() && a.signal_percent.is_some()));
    }

    #[test]
    fn zoom_installs() {
        let cases = vec![
            (
                "ps-zoom--per-user.json",
                ZoomInstall {
                    arch_problem: None,
                    installed: true,
                    version: s("6.2.11 (50244)"),
                    path: s(r"C:\Users\alex\AppData\Roaming\Zoom\bin\Zoom.exe"),
                    install_kind: s("per-user"),
                    arch: None,
                },
            ),
            (
                "ps-zoom--msi.json",
                ZoomInstall {
                    arch_problem: None,
                    installed: true,
                    version: s("6.2.50244"),
                    path: s(r"C:\Program Files\Zoom\"),
                    install_kind: s("msi"),
                    arch: s("x86_64"),
                },
            ),
            ("ps-zoom--none.json", ZoomInstall::default()),
        ];
        for (file, want) in cases {
            assert_eq!(parse_zoom(&win(file)).unwrap(), want, "{file}");
        }
        // Only the %APPDATA% executable (its Uninstall entry removed).
        let exe_only = r#"{"Uninstall":null,"AppData":{"Path":"C:\\Users\\a\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe","FileVersion":"5, 17, 11, 34827"}}"#;
        let z = parse_zoom(exe_only).unwrap();
        assert_eq!(
            (z.installed, z.version.as_deref(), z.install_kind.as_deref()),
            (true, Some("5.17.11.34827"), Some("per-user"))
        );
    }
}
