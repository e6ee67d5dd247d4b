//! Interfaces: ip -j addr, and which are tunnels.

use super::*;

/// `ip -j -d addr show`: interfaces with their kind, state and addresses.
pub fn interfaces_spec() -> CommandSpec {
    CommandSpec::new("ip", &["-j", "-d", "addr", "show"]).c_locale()
}

pub(super) fn interface_kind(name: &str, link_type: &str, info_kind: &str) -> InterfaceKind {
    match (link_type, info_kind) {
        ("loopback", _) => InterfaceKind::Loopback,
        ("ppp", _) => InterfaceKind::Ppp,
        (_, "tun" | "wireguard" | "ipip" | "gre" | "vti" | "xfrm") => InterfaceKind::Tunnel,
        (_, "bridge" | "veth" | "macvlan" | "vxlan" | "dummy") => InterfaceKind::Virtual,
        _ if name.starts_with("tun")
            || name.starts_with("tap")
            || name.starts_with("wg")
            || name.starts_with("ipsec")
            || name.ends_with("-xfrm")
            || name.starts_with("tailscale") =>
        {
            InterfaceKind::Tunnel
        }
        _ if name.starts_with("docker")
            || name.starts_with("virbr")
            || name.starts_with("br-")
            || name.starts_with("veth") =>
        {
            InterfaceKind::Virtual
        }
        _ if name.starts_with("wl") || name.starts_with("wlan") => InterfaceKind::Wifi,
        _ if name.starts_with("ww") => InterfaceKind::Cellular,
        ("ether", _) => InterfaceKind::Ethernet,
        ("none", _) => InterfaceKind::Tunnel,
        _ => InterfaceKind::Other,
    }
}

pub fn parse_interfaces(text: &str) -> Result<Vec<Interface>, ParseError> {
    let v = json(IP, text)?;
    let list = v
        .as_array()
        .ok_or_else(|| ParseError::new(IP, "expected a list of interfaces"))?;
    list.iter()
        .map(|i| {
            let name = str_field(i, "ifname")
                .ok_or_else(|| ParseError::new(IP, "an interface without a name"))?;
            let info_kind = i
                .pointer("/linkinfo/info_kind")
                .and_then(Value::as_str)
                .unwrap_or("");
            let flags: Vec<&str> = i
                .get("flags")
                .and_then(Value::as_array)
                .map(|f| f.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let up = flags.contains(&"UP")
                && (flags.contains(&"LOWER_UP") || str_field(i, "operstate") == Some("UP"));
            Ok(Interface {
                name: name.to_string(),
                description: None,
                kind: interface_kind(name, str_field(i, "link_type").unwrap_or(""), info_kind),
                up,
                addresses: i
                    .get("addr_info")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| str_field(x, "local").and_then(ip))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}
