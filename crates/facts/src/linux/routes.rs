//! Routes: the default route and the route to Zoom (ip -j route).

use super::*;

/// `ip -j route get <dest>`: the route the kernel picks for one address.
pub fn route_spec(dest: IpAddr) -> CommandSpec {
    CommandSpec::new("ip", &["-j", "route", "get", &dest.to_string()]).c_locale()
}

pub fn parse_route_get(text: &str, dest: IpAddr) -> Result<Route, ParseError> {
    let v = json(IP, text)?;
    let r = v
        .as_array()
        .and_then(|a| a.first())
        .ok_or_else(|| ParseError::new(IP, "expected a list with one route"))?;
    let interface =
        str_field(r, "dev").ok_or_else(|| ParseError::new(IP, "the route names no device"))?;
    Ok(Route {
        destination: str_field(r, "dst").and_then(ip).unwrap_or(dest),
        interface: interface.to_string(),
        gateway: str_field(r, "gateway").and_then(ip),
        source: str_field(r, "prefsrc").and_then(ip),
    })
}

/// `ip -j route show` (IPv4 main table): for the default routes.
pub fn routes_spec() -> CommandSpec {
    CommandSpec::new("ip", &["-j", "route", "show"]).c_locale()
}

/// Default routes, including the half-default pair (0.0.0.0/1 + 128.0.0.0/1)
/// that VPN clients install to take all traffic without replacing the default.
pub fn parse_default_routes(text: &str) -> Result<Vec<DefaultRoute>, ParseError> {
    let v = json(IP, text)?;
    let routes = v
        .as_array()
        .ok_or_else(|| ParseError::new(IP, "expected a list of routes"))?;
    Ok(routes
        .iter()
        .filter_map(|r| {
            let dst = str_field(r, "dst")?;
            let prefix = match dst {
                "default" => "0.0.0.0/0".to_string(),
                "0.0.0.0/1" | "128.0.0.0/1" | "::/1" | "8000::/1" => dst.to_string(),
                _ => return None,
            };
            Some(DefaultRoute {
                prefix,
                interface: str_field(r, "dev")?.to_string(),
                gateway: str_field(r, "gateway").and_then(ip),
                metric: r
                    .get("metric")
                    .and_then(Value::as_u64)
                    .and_then(|m| u32::try_from(m).ok()),
            })
        })
        .collect())
}
