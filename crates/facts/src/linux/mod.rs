//! Linux readers: command specs, file readers and parsers. `ip -j` JSON is
//! preferred to text; text tools run with `LC_ALL=C`.

use std::net::IpAddr;

use serde_json::Value;

use super::command::CommandSpec;
use super::model::*;

mod dns;
mod firewall;
mod interfaces;
mod link;
mod proxy;
mod routes;
mod security;
#[cfg(test)]
mod tests;
mod zoom;

pub use dns::*;
pub use firewall::*;
pub use interfaces::*;
pub use link::*;
pub use proxy::*;
pub use routes::*;
pub use security::*;
pub use zoom::*;

pub(super) const IP: &str = "ip -j";

pub(super) fn json(tool: &'static str, text: &str) -> Result<Value, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::new(tool, "no output"));
    }
    serde_json::from_str(text)
        .map_err(|e| ParseError::new(tool, format!("not the JSON it prints: {e}")))
}

pub(super) fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Parses an address, dropping an IPv6 zone (`fe80::1%eth0`).
pub(super) fn ip(s: &str) -> Option<IpAddr> {
    s.split('%').next()?.trim().parse().ok()
}
