//! What every Windows reader shares: PowerShell JSON as records, enums as numbers or names.

use super::*;

/// Reads PowerShell `ConvertTo-Json` output that may be one object or an
/// array of objects (5.1 unwraps single-element arrays) into records. Empty
/// output is an error (every script here prints at least `[]` or `{}`);
/// `[]` and `null` are an empty list.
pub(super) fn json_records<T: DeserializeOwned>(
    tool: &'static str,
    output: &str,
) -> Result<Vec<T>, ParseError> {
    let text = output.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(ParseError::new(tool, "no output (expected JSON)"));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ParseError::new(tool, format!("not valid JSON ({e}); truncated?")))?;
    value_records(tool, value)
}

/// Records from a JSON value that may be one object, an array of objects or null.
pub(super) fn value_records<T: DeserializeOwned>(
    tool: &'static str,
    value: Value,
) -> Result<Vec<T>, ParseError> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        object @ Value::Object(_) => vec![object],
        other => {
            return Err(ParseError::new(
                tool,
                format!("expected a JSON object or array, got {other}"),
            ))
        }
    };
    items
        .into_iter()
        .map(|item| {
            serde_json::from_value(item)
                .map_err(|e| ParseError::new(tool, format!("unexpected JSON shape: {e}")))
        })
        .collect()
}

/// Exactly one JSON record (a script that prints one object).
pub(super) fn json_record<T: DeserializeOwned>(
    tool: &'static str,
    output: &str,
) -> Result<T, ParseError> {
    json_records(tool, output)?
        .into_iter()
        .next()
        .ok_or_else(|| ParseError::new(tool, "empty JSON (expected an object)"))
}

/// An enum PowerShell may have written as its name (`"Block"`) or its
/// number (`4`), or a bool: its text.
pub(super) fn enum_text(value: &Option<Value>) -> Option<String> {
    match value.as_ref()? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        _ => None,
    }
}

/// A JSON value that may be a string, an array of strings or null, as a list.
pub(super) fn string_list(value: &Option<Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A non-empty trimmed string.
pub(super) fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// An address as Windows prints it: an IPv6 zone (`%16`) and a
/// `(Preferred)` suffix (translated) are dropped.
pub(super) fn parse_addr(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let text = text.split('(').next().unwrap_or(text);
    let text = text.split('%').next().unwrap_or(text);
    text.trim().parse().ok()
}

/// The `fec0:0:0:ffff::1/2/3` site-local placeholders Windows lists as DNS
/// servers on interfaces with none configured: not real servers.
pub(super) fn is_dns_placeholder(addr: &IpAddr) -> bool {
    matches!(addr, IpAddr::V6(v6) if {
        let s = v6.segments();
        s[..7] == [0xfec0, 0, 0, 0xffff, 0, 0, 0] && (1..=3).contains(&s[7])
    })
}

/// `label : value` (label and value trimmed), as netsh and ipconfig print
/// it; None for lines without a separator. Values may hold colons (MAC and
/// IPv6 addresses, times), the separator is the first colon followed by a
/// space or ending the line.
pub(super) fn label_value(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let at = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))?;
    Some((
        line[..at].trim_matches(|c: char| c.is_whitespace() || c == '.'),
        line[at + 1..].trim(),
    ))
}

/// Blocks of non-blank lines (CRLF or LF).
pub(super) fn blocks(text: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines().map(|l| l.trim_end_matches('\r')) {
        if line.trim().is_empty() {
            if !out.last().is_some_and(Vec::is_empty) {
                out.push(Vec::new());
            }
        } else if let Some(last) = out.last_mut() {
            last.push(line);
        }
    }
    out.retain(|b| !b.is_empty());
    out
}

/// `key=value` records of `wmic … get /format:list`, separated by blank lines.
pub(super) fn wmic_records(text: &str) -> Vec<Vec<(String, String)>> {
    blocks(text)
        .into_iter()
        .map(|b| {
            b.iter()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

pub(super) fn wmic_get<'a>(record: &'a [(String, String)], key: &str) -> Option<&'a str> {
    record
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// Text that is empty or blank is never a valid tool output here.
pub(super) fn require_text(tool: &'static str, text: &str) -> Result<(), ParseError> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        Err(ParseError::new(tool, "no output"))
    } else {
        Ok(())
    }
}
