//! The link: cable or Wi-Fi, and the signal.

use super::*;

/// `nmcli -t device status`: which device is connected, of which type.
pub fn nmcli_spec() -> CommandSpec {
    CommandSpec::new("nmcli", &["-t", "device", "status"]).c_locale()
}

/// The connected devices as (device, type, connection), in nmcli's order
/// (the primary connection first).
pub fn parse_nmcli_device_status(text: &str) -> Result<Vec<(String, String, String)>, ParseError> {
    const TOOL: &str = "nmcli -t device status";
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        // Terse mode escapes ':' inside fields as '\:'.
        let fields: Vec<String> = split_terse(line);
        if fields.len() < 3 {
            return Err(ParseError::new(
                TOOL,
                format!("expected DEVICE:TYPE:STATE:CONNECTION, found {line:?}"),
            ));
        }
        if fields[2] == "connected" {
            out.push((
                fields[0].clone(),
                fields[1].clone(),
                fields.get(3).cloned().unwrap_or_default(),
            ));
        }
    }
    Ok(out)
}

pub(super) fn split_terse(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let ch = match c {
            '\\' => match chars.next() {
                Some(n) => n,
                None => break,
            },
            ':' => {
                fields.push(String::new());
                continue;
            }
            c => c,
        };
        if let Some(f) = fields.last_mut() {
            f.push(ch);
        }
    }
    fields
}

pub fn link_kind_from_nmcli(device_type: &str) -> LinkKind {
    match device_type {
        "ethernet" => LinkKind::Ethernet,
        "wifi" => LinkKind::Wifi,
        "gsm" | "cdma" | "modem" => LinkKind::Cellular,
        _ => LinkKind::Unknown,
    }
}

/// `iw dev <dev> link`.
pub fn iw_link_spec(device: &str) -> CommandSpec {
    CommandSpec::new("iw", &["dev", device, "link"]).c_locale()
}

pub fn parse_iw_link(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    const TOOL: &str = "iw dev link";
    let t = text.trim();
    if t.starts_with("Not connected") {
        return Ok(None);
    }
    if !t.starts_with("Connected to") {
        return Err(ParseError::new(
            TOOL,
            "expected \"Connected to …\" or \"Not connected.\"",
        ));
    }
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{k}:")))
            .map(str::trim)
    };
    let freq: Option<u32> = field("freq")
        .and_then(|f| f.split_whitespace().next())
        .and_then(|f| f.split('.').next())
        .and_then(|f| f.parse().ok());
    let (band, channel) = match freq {
        Some(f @ 2412..=2484) => (
            Some("2.4 GHz".to_string()),
            Some(if f == 2484 { 14 } else { (f - 2407) / 5 }),
        ),
        Some(f @ 5150..=5895) => (Some("5 GHz".to_string()), Some((f - 5000) / 5)),
        Some(f @ 5925..=7125) => (Some("6 GHz".to_string()), Some((f - 5950) / 5)),
        _ => (None, None),
    };
    Ok(Some(WifiInfo {
        ssid: field("SSID").map(str::to_string),
        rssi_dbm: field("signal")
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok()),
        tx_rate_mbps: field("tx bitrate")
            .and_then(|s| s.split_whitespace().next())
            .and_then(|s| s.parse().ok()),
        band,
        channel,
        ..Default::default()
    }))
}
