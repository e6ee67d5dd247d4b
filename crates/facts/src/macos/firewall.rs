//! The Application Firewall: socketfilterfw.

use super::*;

/// The Application Firewall's state, in this order: `--getglobalstate`,
/// `--getblockall`, `--getappblocked /Applications/zoom.us.app`,
/// `--listapps`. None needs administrator rights.
pub fn firewall_specs() -> Vec<CommandSpec> {
    let appblocked = ["--getappblocked", ZOOM_APP];
    [
        &["--getglobalstate"][..],
        &["--getblockall"],
        &appblocked,
        &["--listapps"],
    ]
    .into_iter()
    .map(|args| CommandSpec::new(SOCKETFILTERFW, args).c_locale())
    .collect()
}

/// Reads `--getglobalstate` (optionally followed by `--getblockall`'s line,
/// as when both flags are given at once): `(enabled, block all incoming)`.
/// `(State = 0/1/2)` decides when present (2 = block all), else the words
/// ("Firewall is enabled/disabled", Sequoia's "blocking all non-essential
/// incoming connections"). A `--getblockall` line ("block all state set to
/// enabled/disabled", old "Block all ENABLED!") overrides State 2, which
/// some macOS versions also report for stealth mode.
pub fn parse_socketfilterfw_global(text: &str) -> Result<(bool, bool), ParseError> {
    let mut state: Option<(bool, bool)> = None;
    let mut block_all: Option<bool> = None;
    for line in text.lines().map(|l| l.trim().to_ascii_lowercase()) {
        if let Some(number) = between(&line, '(', ')').and_then(|s| s.strip_prefix("state = ")) {
            state = Some(match number.trim() {
                "0" => (false, false),
                "1" => (true, false),
                "2" => (true, true),
                other => {
                    return Err(ParseError::new(
                        FIREWALL,
                        format!("unknown firewall state {other:?}"),
                    ))
                }
            });
        } else if line.starts_with("firewall is enabled") {
            state = Some((true, false));
        } else if line.starts_with("firewall is disabled") {
            state = Some((false, false));
        } else if line.starts_with("firewall is blocking all") {
            state = Some((true, true));
        } else if line.contains("block all") {
            block_all = block_all_word(&line).or(block_all);
        }
    }
    let (enabled, state_blocks) =
        state.ok_or_else(|| ParseError::new(FIREWALL, "no \"Firewall is …\" line"))?;
    Ok((enabled, enabled && block_all.unwrap_or(state_blocks)))
}

pub(super) fn block_all_word(line: &str) -> Option<bool> {
    if line.contains("disabled") {
        Some(false)
    } else if line.contains("enabled") {
        Some(true)
    } else {
        None
    }
}

/// Reads `--listapps`: each app and whether it is blocked. The newer format
/// is `name (state: N)` (4 = block incoming connections, 1 = allow); the
/// older one is `N :  /path` followed by `( Allow|Block incoming
/// connections )`. An empty list is an empty answer.
pub fn parse_socketfilterfw_listapps(text: &str) -> Result<Vec<(String, bool)>, ParseError> {
    if !text.to_ascii_lowercase().contains("total number of apps") {
        return Err(ParseError::new(
            FIREWALL,
            "no \"Total number of apps\" line",
        ));
    }
    let mut apps = Vec::new();
    let mut pending: Option<String> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some((name, state)) = line.rsplit_once(" (state: ") {
            apps.push((
                name.trim().to_string(),
                state.trim_end_matches(')').trim() == "4",
            ));
        } else if line.starts_with('(') && line.contains("incoming connections") {
            let name = pending
                .take()
                .ok_or_else(|| ParseError::new(FIREWALL, format!("{line:?} follows no app")))?;
            apps.push((name, line.contains("Block")));
        } else if let Some((number, path)) = line.split_once(" : ") {
            if number.trim().chars().all(|c| c.is_ascii_digit()) {
                pending = Some(path.trim().to_string());
            }
        }
    }
    Ok(apps)
}

/// Reads `--getappblocked <app>`: true when incoming connections to it are
/// blocked. "is permitted" and "is not part of the firewall" (no rule) are
/// false. Only the end of the sentence is read, so a path containing
/// "blocked" does not mislead.
pub fn parse_socketfilterfw_appblocked(text: &str) -> Result<bool, ParseError> {
    for line in text
        .lines()
        .map(|l| l.trim().trim_end_matches('.').to_ascii_lowercase())
    {
        if line.ends_with("is blocked") || line.ends_with("is blocking incoming connections") {
            return Ok(true);
        }
        if line.ends_with("is permitted")
            || line.ends_with("is allowed")
            || line.ends_with("is not part of the firewall")
        {
            return Ok(false);
        }
    }
    Err(ParseError::new(
        FIREWALL,
        "no \"… is blocked/permitted\" answer",
    ))
}

/// The Application Firewall as a [`FirewallState`]: `global` is the output
/// of `--getglobalstate` (optionally with `--getblockall`'s appended),
/// `apps` that of `--listapps`. Zoom's rules are the listed apps whose
/// name contains "zoom". The firewall only filters incoming connections:
/// outbound is always "allow". A separate `--getappblocked` answer
/// ([`parse_socketfilterfw_appblocked`]) is for the caller to add.
pub fn firewall_state(global: &str, apps: Option<&str>) -> Result<FirewallState, ParseError> {
    let (enabled, block_all) = parse_socketfilterfw_global(global)?;
    let apps = apps
        .map(parse_socketfilterfw_listapps)
        .transpose()?
        .unwrap_or_default();
    let default_inbound = match (enabled, block_all) {
        (false, _) => "allow",
        (true, true) => "block",
        (true, false) => "ask",
    };
    let zoom_rules = apps
        .iter()
        .filter(|(name, _)| name.to_ascii_lowercase().contains("zoom"))
        .map(|(name, blocked)| FirewallRule {
            id: None,
            name: name.clone(),
            direction: "in".into(),
            action: if *blocked { "block" } else { "allow" }.into(),
            enabled: true,
            program: Some(name.clone()),
        })
        .collect();
    Ok(FirewallState {
        product: "macOS Application Firewall".into(),
        profiles: vec![FirewallProfile {
            name: "default".into(),
            enabled,
            default_inbound: Some(default_inbound.into()),
            default_outbound: Some("allow".into()),
        }],
        zoom_rules,
        blocks_all_incoming: block_all,
        blocked_apps: apps
            .into_iter()
            .filter(|(_, blocked)| *blocked)
            .map(|(name, _)| name)
            .collect(),
    })
}
