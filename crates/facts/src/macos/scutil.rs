//! scutil's dictionary format, which the proxy, DNS and network readers share.

use super::*;

/// A value in scutil's `<dictionary> { KEY : VALUE … }` output (the shape of
/// `scutil --proxy` and `show State:/…`): a scalar, an `<array> { 0 : v … }`,
/// or a nested `<dictionary>`. Keys keep scutil's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScutilValue {
    Scalar(String),
    Array(Vec<ScutilValue>),
    Dictionary(Vec<(String, ScutilValue)>),
}

impl ScutilValue {
    /// The value under `key`, when this is a dictionary that has it.
    pub fn get(&self, key: &str) -> Option<&ScutilValue> {
        match self {
            ScutilValue::Dictionary(entries) => {
                entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// The scalar under `key`, when non-empty.
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(ScutilValue::Scalar(s)) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// True when `key` holds `1` (scutil's boolean).
    pub fn flag(&self, key: &str) -> bool {
        self.str(key) == Some("1")
    }

    /// The scalars of the array under `key` (empty when absent).
    pub fn strings(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(ScutilValue::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    ScutilValue::Scalar(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The entries, when this is a dictionary.
    pub fn entries(&self) -> &[(String, ScutilValue)] {
        match self {
            ScutilValue::Dictionary(entries) => entries,
            _ => &[],
        }
    }
}

/// Nesting deeper than this is not scutil output.
pub(super) const SCUTIL_MAX_DEPTH: usize = 16;

/// Reads scutil's `<dictionary> { … }` format. `tool` names the command in
/// errors. Missing closing braces (truncated output), lines that are not
/// `KEY : VALUE` and text after the dictionary are errors.
pub fn parse_scutil_dictionary(text: &str, tool: &'static str) -> Result<ScutilValue, ParseError> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match lines.next() {
        None => return Err(ParseError::new(tool, "empty output")),
        Some("<dictionary> {") => {}
        Some(other) => {
            return Err(ParseError::new(
                tool,
                format!("expected \"<dictionary> {{\", found {other:?}"),
            ))
        }
    }
    let value = parse_scutil_container(&mut lines, false, tool, 1)?;
    match lines.next() {
        None => Ok(value),
        Some(extra) => Err(ParseError::new(
            tool,
            format!("unexpected text after the dictionary: {extra:?}"),
        )),
    }
}

pub(super) fn parse_scutil_container<'a>(
    lines: &mut impl Iterator<Item = &'a str>,
    array: bool,
    tool: &'static str,
    depth: usize,
) -> Result<ScutilValue, ParseError> {
    if depth > SCUTIL_MAX_DEPTH {
        return Err(ParseError::new(tool, "dictionaries nested too deep"));
    }
    let mut entries = Vec::new();
    loop {
        let line = lines.next().ok_or_else(|| {
            ParseError::new(tool, "output ends before a closing \"}\" (truncated)")
        })?;
        if line == "}" {
            break;
        }
        let (key, value) = split_scutil_entry(line).ok_or_else(|| {
            ParseError::new(tool, format!("expected \"KEY : VALUE\", found {line:?}"))
        })?;
        let value = match value {
            "<dictionary> {" => parse_scutil_container(lines, false, tool, depth + 1)?,
            "<array> {" => parse_scutil_container(lines, true, tool, depth + 1)?,
            scalar => ScutilValue::Scalar(scalar.to_string()),
        };
        entries.push((key.to_string(), value));
    }
    Ok(if array {
        ScutilValue::Array(entries.into_iter().map(|(_, v)| v).collect())
    } else {
        ScutilValue::Dictionary(entries)
    })
}

/// `KEY : VALUE` (the value may itself contain colons, as URLs do), or `KEY :`.
pub(super) fn split_scutil_entry(line: &str) -> Option<(&str, &str)> {
    if let Some((key, value)) = line.split_once(" : ") {
        return Some((key.trim(), value.trim()));
    }
    line.strip_suffix(" :").map(|key| (key.trim(), ""))
}
