//! The firewall: ufw, firewalld and nftables, and the rules that block Zoom's ports.

use super::*;

/// Zoom's published ports (TCP 443/8801/8802, UDP 3478/3479/8801–8810).
pub fn is_zoom_port(port: u16) -> bool {
    matches!(port, 443 | 3478 | 3479 | 8801..=8810)
}

/// The Zoom ports in `lo..=hi`, found without walking the range (a rule's
/// range can be 1–65535, and a line can hold many of them).
pub(super) fn zoom_ports_in(lo: u16, hi: u16) -> impl Iterator<Item = u16> {
    [(443, 443), (3478, 3479), (8801, 8810)]
        .into_iter()
        .flat_map(move |(a, b): (u16, u16)| lo.max(a)..=hi.min(b))
}

/// `ufw status verbose`.
pub fn ufw_spec() -> CommandSpec {
    CommandSpec::new("ufw", &["status", "verbose"]).c_locale()
}

pub fn parse_ufw_status(text: &str) -> Result<FirewallState, ParseError> {
    const TOOL: &str = "ufw status";
    let status = text
        .lines()
        .find_map(|l| l.strip_prefix("Status:"))
        .map(str::trim)
        .ok_or_else(|| ParseError::new(TOOL, "no Status: line"))?;
    let enabled = match status {
        "active" => true,
        "inactive" => false,
        other => return Err(ParseError::new(TOOL, format!("unknown status {other:?}"))),
    };
    let defaults = text
        .lines()
        .find_map(|l| l.strip_prefix("Default:"))
        .unwrap_or("");
    let policy = |dir: &str| {
        defaults
            .split(',')
            .find(|p| p.contains(&format!("({dir})")))
            .and_then(|p| p.split_whitespace().next())
            .map(str::to_string)
    };
    let mut rules = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("--") {
            in_table = true;
            continue;
        }
        if !in_table || line.trim().is_empty() {
            continue;
        }
        // "To   Action   From": columns separated by two or more spaces.
        let cols: Vec<&str> = line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let (Some(to), Some(action)) = (cols.first(), cols.get(1)) else {
            continue;
        };
        let touches_zoom = to
            .split(['/', ' '])
            .next()
            .unwrap_or("")
            .split(',')
            .any(|p| match p.split_once(':') {
                Some((a, b)) => match (a.parse::<u16>(), b.parse::<u16>()) {
                    (Ok(a), Ok(b)) => zoom_ports_in(a, b).next().is_some(),
                    _ => false,
                },
                None => p.parse().is_ok_and(is_zoom_port),
            });
        if touches_zoom {
            let act = action.to_ascii_lowercase();
            rules.push(FirewallRule {
                id: None,
                name: line.trim().to_string(),
                direction: if act.contains("out") {
                    "out".into()
                } else {
                    "in".into()
                },
                action: if act.starts_with("allow") {
                    "allow".into()
                } else {
                    "block".into()
                },
                enabled,
                program: None,
            });
        }
    }
    Ok(FirewallState {
        product: "ufw".into(),
        profiles: vec![FirewallProfile {
            name: "default".into(),
            enabled,
            default_inbound: policy("incoming"),
            default_outbound: policy("outgoing"),
        }],
        zoom_rules: rules,
        ..Default::default()
    })
}

/// `firewall-cmd --list-all` (the default zone).
pub fn firewalld_spec() -> CommandSpec {
    CommandSpec::new("firewall-cmd", &["--list-all"]).c_locale()
}

pub fn parse_firewalld_list_all(text: &str) -> Result<FirewallState, ParseError> {
    const TOOL: &str = "firewall-cmd --list-all";
    let head = text.lines().next().unwrap_or("").trim();
    let zone = head
        .split_whitespace()
        .next()
        .filter(|z| !z.contains(':'))
        .ok_or_else(|| ParseError::new(TOOL, "no zone line"))?;
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{k}:")))
            .map(str::trim)
    };
    let target = field("target").ok_or_else(|| ParseError::new(TOOL, "no target line"))?;
    Ok(FirewallState {
        product: "firewalld".into(),
        profiles: vec![FirewallProfile {
            name: zone.to_string(),
            enabled: head.contains("(active)") || head.contains("(default"),
            // firewalld's "default" target rejects what no service or port allows.
            default_inbound: Some(if target == "default" {
                "reject".into()
            } else {
                target.to_ascii_lowercase()
            }),
            default_outbound: Some("allow".into()),
        }],
        ..Default::default()
    })
}

/// `nft -j list ruleset` (needs root to read).
pub fn nft_spec() -> CommandSpec {
    CommandSpec::new("nft", &["-j", "list", "ruleset"]).c_locale()
}

/// The Zoom ports among an nft match's right side: a number, a set of
/// numbers and ranges (`{ 3478, 8801-8810 }`), or a range. Only Zoom's
/// matter to the verdicts, and listing every port of every range made a
/// few hundred bytes of rules take megabytes.
pub(super) fn nft_ports(v: &Value) -> Vec<u16> {
    let one = |v: &Value| -> Vec<u16> {
        if let Some(p) = v.as_u64().and_then(|p| u16::try_from(p).ok()) {
            return if is_zoom_port(p) { vec![p] } else { vec![] };
        }
        match v.get("range").and_then(Value::as_array).map(Vec::as_slice) {
            Some([lo, hi]) => match (lo.as_u64(), hi.as_u64()) {
                (Some(lo), Some(hi)) if lo <= hi && hi <= 65535 && hi - lo <= 4096 => {
                    zoom_ports_in(lo as u16, hi as u16).collect()
                }
                _ => vec![],
            },
            _ => vec![],
        }
    };
    match v.get("set").and_then(Value::as_array) {
        Some(items) => items.iter().flat_map(one).collect(),
        None => one(v),
    }
}

pub fn parse_nft_ruleset(text: &str) -> Result<FirewallState, ParseError> {
    const TOOL: &str = "nft -j list ruleset";
    let v = json(TOOL, text)?;
    let items = v
        .get("nftables")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError::new(TOOL, "no \"nftables\" list"))?;
    let mut profiles = Vec::new();
    let mut rules = Vec::new();
    // Ports an earlier rule of the same chain already accepts, by
    // (family, table, chain, protocol): a later drop cannot touch them
    // (Meeting Doctor's own allow rule goes first for that reason).
    let mut accepted: std::collections::HashSet<(String, String, String, String, u16)> =
        std::collections::HashSet::new();
    for item in items {
        if let Some(c) = item.get("chain") {
            if let Some(hook) = str_field(c, "hook").filter(|h| matches!(*h, "input" | "output")) {
                let policy = str_field(c, "policy").unwrap_or("accept");
                profiles.push(FirewallProfile {
                    name: format!(
                        "{} {} {}",
                        str_field(c, "family").unwrap_or("?"),
                        str_field(c, "table").unwrap_or("?"),
                        str_field(c, "name").unwrap_or("?")
                    ),
                    enabled: true,
                    default_inbound: (hook == "input").then(|| policy.to_string()),
                    default_outbound: (hook == "output").then(|| policy.to_string()),
                });
            }
        }
        if let Some(r) = item.get("rule") {
            let exprs = r
                .get("expr")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let verdict = exprs.iter().find_map(|e| {
                ["drop", "reject", "accept"]
                    .into_iter()
                    .find(|k| e.get(k).is_some())
            });
            let dport = exprs.iter().filter_map(|e| e.get("match")).find(|m| {
                m.pointer("/left/payload/field").and_then(Value::as_str) == Some("dport")
            });
            let proto = dport
                .and_then(|m| m.pointer("/left/payload/protocol"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let ports: Vec<u16> = dport
                .and_then(|m| m.get("right"))
                .map(nft_ports)
                .unwrap_or_default();
            let chain_key = |p: u16| {
                (
                    str_field(r, "family").unwrap_or("").to_string(),
                    str_field(r, "table").unwrap_or("").to_string(),
                    str_field(r, "chain").unwrap_or("").to_string(),
                    proto.clone(),
                    p,
                )
            };
            if verdict == Some("accept") {
                for p in &ports {
                    accepted.insert(chain_key(*p));
                }
            }
            let ports: Vec<u16> = if verdict == Some("accept") {
                ports
            } else {
                ports
                    .into_iter()
                    .filter(|p| !accepted.contains(&chain_key(*p)))
                    .collect()
            };
            if let Some(verdict) = verdict {
                if ports.iter().any(|p| is_zoom_port(*p)) {
                    rules.push(FirewallRule {
                        id: None,
                        name: format!(
                            "{} {} chain {} (ports {:?})",
                            str_field(r, "family").unwrap_or("?"),
                            str_field(r, "table").unwrap_or("?"),
                            str_field(r, "chain").unwrap_or("?"),
                            ports
                        ),
                        direction: if str_field(r, "chain").is_some_and(|c| c.contains("out")) {
                            "out".into()
                        } else {
                            "in".into()
                        },
                        action: if verdict == "accept" {
                            "allow".into()
                        } else {
                            "block".into()
                        },
                        enabled: true,
                        program: None,
                    });
                }
            }
        }
    }
    Ok(FirewallState {
        product: "nftables".into(),
        profiles,
        zoom_rules: rules,
        ..Default::default()
    })
}
