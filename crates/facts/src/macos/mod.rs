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

mod arch;
mod dns;
mod firewall;
mod proxy;
mod routes;
mod scutil;
mod security;
#[cfg(test)]
mod tests;
mod wifi;
mod zoom;

pub use arch::*;
pub use dns::*;
pub use firewall::*;
pub use proxy::*;
pub use routes::*;
pub use scutil::*;
pub use security::*;
pub use wifi::*;
pub use zoom::*;

/// Where the Zoom client installs itself.
pub const ZOOM_APP: &str = "/Applications/zoom.us.app";
/// The Zoom client's bundle identifier.
pub const ZOOM_BUNDLE_ID: &str = "us.zoom.xos";
/// The Application Firewall's command-line tool.
pub const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";

pub(super) const SCUTIL_PROXY: &str = "scutil --proxy";
pub(super) const SCUTIL_DNS: &str = "scutil --dns";
pub(super) const SCUTIL_NC: &str = "scutil --nc list";
pub(super) const SCUTIL_SHOW: &str = "scutil show";
pub(super) const ROUTE_GET: &str = "route -n get";
pub(super) const NETSTAT: &str = "netstat -rn";
pub(super) const NETWORKSETUP_PROXY: &str = "networksetup -getwebproxy";
pub(super) const HARDWARE_PORTS: &str = "networksetup -listallhardwareports";
pub(super) const FIREWALL: &str = "socketfilterfw";
pub(super) const SYSTEM_EXTENSIONS: &str = "systemextensionsctl list";
pub(super) const PLIST: &str = "Info.plist";
pub(super) const LIPO: &str = "lipo -archs";
pub(super) const APPLICATIONS: &str = "system_profiler SPApplicationsDataType";
pub(super) const AIRPORT: &str = "airport -I";
pub(super) const WDUTIL: &str = "wdutil info";
pub(super) const AIRPORT_JSON: &str = "system_profiler SPAirPortDataType";
