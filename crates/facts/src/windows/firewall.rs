//! Windows Defender Firewall: profiles and the rules that concern Zoom.

use super::*;

pub(super) const FW_PROFILES_TOOL: &str = "Get-NetFirewallProfile";

pub(super) const FW_PROFILES_SCRIPT: &str = "ConvertTo-Json -Compress -InputObject @(Get-NetFirewallProfile | Select-Object Name, @{n='Enabled';e={[string]$_.Enabled}}, @{n='DefaultInboundAction';e={[string]$_.DefaultInboundAction}}, @{n='DefaultOutboundAction';e={[string]$_.DefaultOutboundAction}})";

/// Reads the Windows Defender Firewall profiles (Domain, Private, Public):
/// Name, Enabled and the default inbound/outbound actions, as strings.
pub fn firewall_profiles_spec() -> CommandSpec {
    CommandSpec::powershell(FW_PROFILES_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct FirewallProfileJson {
    pub(super) name: Option<String>,
    pub(super) enabled: Option<Value>,
    pub(super) default_inbound_action: Option<Value>,
    pub(super) default_outbound_action: Option<Value>,
}

/// A GpoBoolean (`True`/`False`/`NotConfigured`, or 1/0/2): NotConfigured
/// means the built-in default, which for the firewall is on.
pub(super) fn gpo_boolean(tool: &'static str, value: &Option<Value>) -> Result<bool, ParseError> {
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
pub(super) fn firewall_action(value: &Option<Value>, not_configured: &str) -> Option<String> {
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

pub(super) const FW_RULES_TOOL: &str = "Get-NetFirewallRule";

pub(super) const FW_RULES_SCRIPT: &str = "$r = @(Get-NetFirewallApplicationFilter | Where-Object { $_.Program -like '*zoom*' } | ForEach-Object { $p = $_.Program; $_ | Get-NetFirewallRule | Select-Object Name, DisplayName, @{n='Enabled';e={[string]$_.Enabled}}, @{n='Direction';e={[string]$_.Direction}}, @{n='Action';e={[string]$_.Action}}, @{n='Program';e={$p}} }); ConvertTo-Json -Compress -InputObject $r";

/// Reads the firewall rules whose application filter names a Zoom program
/// (`Get-NetFirewallApplicationFilter | Where-Object Program -like '*zoom*' |
/// Get-NetFirewallRule`): name, enabled, direction, action and program.
pub fn firewall_rules_spec() -> CommandSpec {
    CommandSpec::powershell(FW_RULES_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct FirewallRuleJson {
    pub(super) name: Option<String>,
    pub(super) display_name: Option<String>,
    pub(super) enabled: Option<Value>,
    pub(super) direction: Option<Value>,
    pub(super) action: Option<Value>,
    pub(super) program: Option<String>,
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

pub(super) const ADVFIREWALL_TOOL: &str = "netsh advfirewall show allprofiles";

/// The words `netsh advfirewall` prints for a profile's State, in the
/// languages seen so far (the value is translated).
pub(super) const STATE_ON: &[&str] = &[
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
pub(super) const STATE_OFF: &[&str] = &[
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
pub(super) fn row_value(line: &str) -> Option<&str> {
    line.find("  ")
        .map(|at| line[at..].trim())
        .filter(|v| !v.is_empty())
}

pub(super) fn profile_name(title: &str, index: usize) -> String {
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
pub(super) fn firewall_policy(line: &str) -> Option<(String, String)> {
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

pub(super) const FW_TABLE_TOOL: &str = "Get-NetFirewallProfile | ft Name,Enabled";

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
