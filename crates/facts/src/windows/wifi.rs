//! Wi-Fi: the connection and its signal.

use super::*;

pub(super) const WLAN_TOOL: &str = "netsh wlan show interfaces";

/// Reads the wireless interfaces and their connection: `netsh wlan show
/// interfaces` (no PowerShell cmdlet gives signal and rate).
pub fn wlan_spec() -> CommandSpec {
    CommandSpec::new("netsh", &["wlan", "show", "interfaces"])
}

/// Parses `netsh wlan show interfaces` (labels translated): the first
/// interface block with an `SSID` row (netsh prints it only while
/// connected) gives the Wi-Fi link; None when none is connected or the WLAN
/// service is not running (no Wi-Fi hardware). Values are recognised by
/// shape: `81%` signal, a negative number the RSSI, a `GHz` band, a plain
/// number the channel, rows labelled `(Mbps)` the rates (the last one is
/// the transmit rate).
pub fn parse_netsh_wlan(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    require_text(WLAN_TOOL, text)?;
    if text.to_lowercase().contains("wlansvc") {
        return Ok(None);
    }
    let mut saw_interface = false;
    for block in blocks(text) {
        let rows: Vec<(&str, &str)> = block
            .iter()
            .filter_map(|l| label_value(l))
            .filter(|(l, _)| !l.is_empty())
            .collect();
        saw_interface |= rows.iter().any(|(_, v)| is_guid(v) || is_mac(v));
        if let Some(info) = wifi_from_rows(&rows) {
            return Ok(Some(info));
        }
    }
    if !saw_interface {
        return Err(ParseError::new(
            WLAN_TOOL,
            "no interface (no GUID or physical address row)",
        ));
    }
    Ok(None)
}

/// `dae9b794-6711-4b4f-bb99-bb4cc90bac39`: every interface block has one.
pub(super) fn is_guid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `70:9c:d1:e0:30:4e`: the interface's physical address.
pub(super) fn is_mac(value: &str) -> bool {
    let parts: Vec<&str> = value.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A connected interface's Wi-Fi facts from its rows; None without an SSID.
pub(super) fn wifi_from_rows(rows: &[(&str, &str)]) -> Option<WifiInfo> {
    let ssid = rows.iter().find(|(l, _)| *l == "SSID")?.1;
    let mut info = WifiInfo {
        ssid: Some(ssid.to_string()),
        ..WifiInfo::default()
    };
    for (label, value) in rows {
        if label.contains("Mbps") {
            info.tx_rate_mbps = value
                .split_whitespace()
                .next()
                .and_then(|v| v.replace(',', ".").parse().ok())
                .or(info.tx_rate_mbps);
        } else if let Some(p) = value.strip_suffix('%') {
            info.signal_percent = info.signal_percent.or(p.trim().parse().ok());
        } else if let Some(band) = band(value) {
            info.band = Some(band);
        } else if let Ok(n) = value.parse::<i32>() {
            if n < 0 {
                info.rssi_dbm = info.rssi_dbm.or(Some(n));
            } else if (1..=233).contains(&n) && info.channel.is_none() {
                info.channel = Some(n as u32);
            }
        }
    }
    Some(info)
}

/// "2.4 GHz" / "5 GHz" / "6 GHz" (also with a decimal comma).
pub(super) fn band(value: &str) -> Option<String> {
    let number = value.strip_suffix("GHz")?.trim().replace(',', ".");
    let n: f64 = number.parse().ok()?;
    Some(
        if n < 3.0 {
            "2.4 GHz"
        } else if n < 5.9 {
            "5 GHz"
        } else {
            "6 GHz"
        }
        .to_string(),
    )
}

pub(super) const WLAN_NETWORKS_TOOL: &str = "netsh wlan show networks mode=bssid";

/// Parses `netsh wlan show networks mode=bssid` (labels translated) into one
/// entry per access point seen: SSID from the `SSID n : name` row, then per
/// `BSSID n` the signal (percent) and channel (plain number). Best effort:
/// nothing here says which one is connected.
pub fn parse_netsh_wlan_networks(text: &str) -> Result<Vec<WifiInfo>, ParseError> {
    require_text(WLAN_NETWORKS_TOOL, text)?;
    let mut out: Vec<WifiInfo> = Vec::new();
    let mut ssid: Option<String> = None;
    // Whether the rows being read belong to a BSSID (not to the network).
    let mut in_ap = false;
    for (label, value) in text.lines().filter_map(label_value) {
        if label.starts_with("SSID") {
            ssid = Some(value.to_string());
            in_ap = false;
        } else if label.starts_with("BSSID") {
            out.push(WifiInfo {
                ssid: ssid.clone(),
                ..WifiInfo::default()
            });
            in_ap = true;
        } else if let (true, Some(ap)) = (in_ap, out.last_mut()) {
            if let Some(p) = value.strip_suffix('%') {
                ap.signal_percent = p.trim().parse().ok();
            } else if let Some(b) = band(value) {
                ap.band = Some(b);
            } else if let (false, Ok(n)) = (label.contains("Mbps"), value.parse::<u32>()) {
                ap.channel = ap.channel.or(Some(n));
            }
        }
    }
    if out.is_empty() && ssid.is_none() {
        return Err(ParseError::new(WLAN_NETWORKS_TOOL, "no SSID row"));
    }
    Ok(out)
}
