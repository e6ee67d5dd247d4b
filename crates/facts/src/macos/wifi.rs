//! Wi-Fi: the connection and its signal.

use super::*;

/// Reads `airport -I` (the private Apple80211 tool, removed in macOS 14.4):
/// RSSI, noise, last transmit rate, SSID and channel ("36,80" → 36, band
/// from the number). "AirPort: Off" or not associated is `None`.
pub fn parse_airport_info(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    let fields: Vec<(&str, &str)> = colon_fields(text).collect();
    let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    if get("AirPort") == Some("Off") {
        return Ok(None);
    }
    if get("agrCtlRSSI").is_none() && get("state").is_none() {
        return Err(ParseError::new(AIRPORT, "no agrCtlRSSI or state line"));
    }
    let ssid = get("SSID").filter(|s| !s.is_empty());
    if ssid.is_none() && get("state") != Some("running") {
        return Ok(None);
    }
    let channel = get("channel")
        .and_then(|c| c.split(',').next())
        .and_then(|c| c.trim().parse::<u32>().ok());
    Ok(Some(WifiInfo {
        ssid: ssid.map(str::to_string),
        signal_percent: None,
        rssi_dbm: get("agrCtlRSSI").and_then(|v| v.parse().ok()),
        noise_dbm: get("agrCtlNoise").and_then(|v| v.parse().ok()),
        channel,
        band: channel.map(|c| if c <= 14 { "2.4 GHz" } else { "5 GHz" }.to_string()),
        tx_rate_mbps: get("lastTxRate").and_then(|v| v.parse().ok()),
    }))
}

/// `system_profiler SPAirPortDataType -json`: Wi-Fi state without
/// administrator rights (the successor of `airport -I` on macOS 14.4+).
pub fn airport_json_spec() -> CommandSpec {
    CommandSpec::new("system_profiler", &["SPAirPortDataType", "-json"]).c_locale()
}

/// Reads `system_profiler SPAirPortDataType -json`: the first interface
/// with `spairport_current_network_information` gives SSID (`_name`, `None`
/// when `<redacted>`), signal and noise (`"-58 dBm / -92 dBm"`), rate and
/// channel (`"149 (5GHz, 80MHz)"` or a number). No interface on a network
/// is `None`.
pub fn parse_system_profiler_airport(json: &str) -> Result<Option<WifiInfo>, ParseError> {
    let err = |m: String| ParseError::new(AIRPORT_JSON, m);
    let root: serde_json::Value =
        serde_json::from_str(json).map_err(|e| err(format!("not JSON: {e}")))?;
    let sections = root
        .get("SPAirPortDataType")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| err("no SPAirPortDataType array".into()))?;
    let current = sections
        .iter()
        .filter_map(|s| s.get("spairport_airport_interfaces")?.as_array())
        .flatten()
        .find_map(|i| i.get("spairport_current_network_information"));
    let Some(network) = current else {
        return Ok(None);
    };
    let text = |key: &str| network.get(key).and_then(serde_json::Value::as_str);
    let (rssi, noise) = text("spairport_signal_noise")
        .map(signal_noise)
        .unwrap_or((None, None));
    let channel = match network.get("spairport_network_channel") {
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Some(serde_json::Value::String(s)) => s
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok()),
        _ => None,
    };
    let band = text("spairport_network_channel").and_then(|c| {
        ["2GHz", "5GHz", "6GHz"]
            .iter()
            .zip(["2.4 GHz", "5 GHz", "6 GHz"])
            .find(|(tag, _)| c.contains(**tag))
            .map(|(_, b)| b.to_string())
    });
    Ok(Some(WifiInfo {
        ssid: text("_name")
            .filter(|s| !s.is_empty() && *s != "<redacted>")
            .map(str::to_string),
        signal_percent: None,
        rssi_dbm: rssi,
        noise_dbm: noise,
        channel,
        band: band
            .or_else(|| channel.map(|c| if c <= 14 { "2.4 GHz" } else { "5 GHz" }.to_string())),
        tx_rate_mbps: network
            .get("spairport_network_rate")
            .and_then(serde_json::Value::as_f64),
    }))
}

/// `"-58 dBm / -92 dBm"` → (signal, noise).
pub(super) fn signal_noise(text: &str) -> (Option<i32>, Option<i32>) {
    let mut values = text
        .split('/')
        .map(|part| part.split_whitespace().next().and_then(|v| v.parse().ok()));
    (values.next().flatten(), values.next().flatten())
}

/// `sudo wdutil info` (needs administrator rights).
pub fn wdutil_spec() -> CommandSpec {
    CommandSpec::new("wdutil", &["info"]).c_locale()
}

/// Reads the WIFI section of `wdutil info`: RSSI/Noise ("-34 dBm"), Tx Rate
/// ("2401.0 Mbps"), Channel ("6g101 (160 MHz, Active)" or "5g149/80" →
/// channel and band), SSID (`None` when redacted). Power off or not
/// associated is `None`.
pub fn parse_wdutil_info(text: &str) -> Result<Option<WifiInfo>, ParseError> {
    let fields =
        wdutil_section(text, "WIFI").ok_or_else(|| ParseError::new(WDUTIL, "no WIFI section"))?;
    let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    if get("Power").is_some_and(|p| p.starts_with("Off")) {
        return Ok(None);
    }
    let number = |name: &str| {
        get(name)
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
    };
    let ssid = get("SSID").filter(|s| !s.is_empty() && *s != "<redacted>" && *s != "None");
    let rssi = number("RSSI");
    if rssi.is_none() && ssid.is_none() {
        return Ok(None);
    }
    let (band, channel) = get("Channel").map(wdutil_channel).unwrap_or((None, None));
    Ok(Some(WifiInfo {
        ssid: ssid.map(str::to_string),
        signal_percent: None,
        rssi_dbm: rssi.map(|v| v as i32),
        noise_dbm: number("Noise").map(|v| v as i32),
        channel,
        band,
        tx_rate_mbps: number("Tx Rate"),
    }))
}

/// The `Key : Value` lines of one wdutil section (its name alone on a line
/// between rules of "—"). `None` when the section is absent.
pub(super) fn wdutil_section<'a>(text: &'a str, name: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut lines = text.lines().skip_while(|l| l.trim() != name);
    lines.next()?;
    Some(
        lines
            .skip_while(|l| l.trim_start().starts_with('—'))
            .take_while(|l| !l.trim_start().starts_with('—'))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect(),
    )
}

/// "6g101 (160 MHz, Active)" / "5g149/80" / "2g6/20" → (band, channel).
pub(super) fn wdutil_channel(text: &str) -> (Option<String>, Option<u32>) {
    let band = match text.get(..2) {
        Some("2g") => Some("2.4 GHz".to_string()),
        Some("5g") => Some("5 GHz".to_string()),
        Some("6g") => Some("6 GHz".to_string()),
        _ => None,
    };
    let digits: String = text
        .get(2..)
        .unwrap_or("")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (band, digits.parse().ok())
}
