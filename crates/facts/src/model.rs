//! What the readers find, the same shape on every OS.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why a parser could not read a tool's output: always an error value,
/// never a panic, naming what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{tool}: {message}")]
pub struct ParseError {
    pub tool: &'static str,
    pub message: String,
}

impl ParseError {
    pub fn new(tool: &'static str, message: impl Into<String>) -> ParseError {
        ParseError {
            tool,
            message: message.into(),
        }
    }
}

/// The system proxy as an application would see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProxySettings {
    /// Where it was read ("HKCU Internet Settings", "scutil --proxy", "GNOME", "environment"…).
    pub source: String,
    /// Automatic discovery (WPAD) is on.
    pub auto_detect: bool,
    /// A PAC (automatic configuration script) URL.
    pub pac_url: Option<String>,
    /// Manual proxies, as "host:port".
    pub http: Option<String>,
    pub https: Option<String>,
    pub socks: Option<String>,
    /// Hosts and patterns that bypass the proxy, as the OS lists them.
    pub bypass: Vec<String>,
}

impl ProxySettings {
    /// True when nothing sends traffic through a proxy.
    pub fn is_direct(&self) -> bool {
        !self.auto_detect
            && self.pac_url.is_none()
            && self.http.is_none()
            && self.https.is_none()
            && self.socks.is_none()
    }
}

/// The kind of a network interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InterfaceKind {
    Ethernet,
    Wifi,
    Cellular,
    /// tun/utun/wireguard/tap and VPN adapters.
    Tunnel,
    /// PPP links (old VPNs, dial-up).
    Ppp,
    Loopback,
    /// Bridges, virtual machine and container adapters.
    Virtual,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Interface {
    pub name: String,
    /// The OS's longer description (Windows adapter description, macOS hardware port).
    pub description: Option<String>,
    pub kind: InterfaceKind,
    pub up: bool,
    pub addresses: Vec<IpAddr>,
}

/// The route the OS picks for one destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Route {
    pub destination: IpAddr,
    pub interface: String,
    pub gateway: Option<IpAddr>,
    pub source: Option<IpAddr>,
}

/// A default route (0.0.0.0/0, ::/0, or the half-default pair 0/1 + 128/1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DefaultRoute {
    /// "0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "::/0"…
    pub prefix: String,
    pub interface: String,
    pub gateway: Option<IpAddr>,
    /// Lower wins (Windows metric; None where the OS orders instead).
    pub metric: Option<u32>,
}

/// A firewall's state for one profile (Windows Domain/Private/Public; one
/// "default" elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FirewallProfile {
    pub name: String,
    pub enabled: bool,
    /// "block", "allow" or the OS's word, when known.
    pub default_inbound: Option<String>,
    pub default_outbound: Option<String>,
}

/// A firewall rule that concerns Zoom (by program or by port).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FirewallRule {
    /// The name a person sees (Windows' DisplayName): neither unique nor
    /// safe to select a rule by.
    pub name: String,
    /// The rule's unique name where the firewall has one (Windows' `Name`,
    /// often a GUID): what a fix selects the rule by.
    #[serde(default)]
    #[ts(optional)]
    pub id: Option<String>,
    /// "in" or "out".
    pub direction: String,
    /// "allow" or "block".
    pub action: String,
    pub enabled: bool,
    pub program: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FirewallState {
    /// "Windows Defender Firewall", "macOS Application Firewall", "ufw", "firewalld", "nftables".
    pub product: String,
    pub profiles: Vec<FirewallProfile>,
    pub zoom_rules: Vec<FirewallRule>,
    /// macOS "block all incoming connections" and similar blanket blocks.
    pub blocks_all_incoming: bool,
    /// Applications the firewall lists as blocked (macOS --getappblocked / --listapps).
    pub blocked_apps: Vec<String>,
}

/// Configured DNS servers, per interface where the OS says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DnsServers {
    pub servers: Vec<IpAddr>,
    pub per_interface: Vec<InterfaceDns>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InterfaceDns {
    pub interface: String,
    pub servers: Vec<IpAddr>,
    /// Domains routed to these servers only (split DNS), when the OS says.
    pub domains: Vec<String>,
}

/// An antivirus or endpoint-security product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SecurityProduct {
    pub name: String,
    /// Real-time protection on, when the OS says.
    pub enabled: Option<bool>,
    /// Signatures up to date, when the OS says.
    pub up_to_date: Option<bool>,
    /// Where it was seen ("SecurityCenter2", "system extension", "process", "systemd unit").
    pub seen_in: String,
}

/// The Zoom desktop app as installed on this computer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ZoomInstall {
    pub installed: bool,
    pub version: Option<String>,
    pub path: Option<String>,
    /// "per-user", "msi", "app bundle", "deb", "rpm", "flatpak", "tarball".
    pub install_kind: Option<String>,
    /// CPU architecture of the installed build ("x86_64", "arm64", "universal").
    pub arch: Option<String>,
    /// The build does not suit this computer (an Intel build on Apple Silicon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub arch_problem: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Ethernet,
    Wifi,
    Cellular,
    Unknown,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct WifiInfo {
    pub ssid: Option<String>,
    /// 0–100 as the OS reports it (Windows, NetworkManager).
    pub signal_percent: Option<u8>,
    /// Received signal strength in dBm (macOS, iw).
    pub rssi_dbm: Option<i32>,
    pub noise_dbm: Option<i32>,
    pub channel: Option<u32>,
    /// "2.4 GHz", "5 GHz", "6 GHz".
    pub band: Option<String>,
    pub tx_rate_mbps: Option<f64>,
}

/// The link this computer uses to reach the internet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NetworkLink {
    pub kind: LinkKind,
    pub interface: Option<String>,
    pub wifi: Option<WifiInfo>,
}
