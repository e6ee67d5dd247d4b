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

mod dns;
mod firewall;
mod helpers;
mod proxy;
mod routes;
mod security;
#[cfg(test)]
mod tests;
mod wifi;
mod zoom;

pub use dns::*;
pub use firewall::*;
use helpers::*;
pub use proxy::*;
pub use routes::*;
pub use security::*;
pub use wifi::*;
pub use zoom::*;
