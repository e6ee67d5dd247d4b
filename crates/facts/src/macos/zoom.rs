//! The Zoom app: its bundle, version and architecture.

use super::*;

/// The Zoom app's `Info.plist` as XML (`plutil -convert xml1 -o - …`, which
/// also reads binary plists) and its executable's architectures
/// (`lipo -archs …`).
pub fn zoom_specs() -> Vec<CommandSpec> {
    let plist = format!("{ZOOM_APP}/Contents/Info.plist");
    let binary = format!("{ZOOM_APP}/Contents/MacOS/zoom.us");
    vec![
        CommandSpec::new("plutil", &["-convert", "xml1", "-o", "-", &plist]).c_locale(),
        CommandSpec::new("lipo", &["-archs", &binary]).c_locale(),
    ]
}

/// Reads the Zoom app's Info.plist (XML). Only a bundle whose
/// `CFBundleIdentifier` is `us.zoom.xos` is Zoom: any other (valid) plist
/// gives `installed: false`. Version is `CFBundleShortVersionString`
/// (Zoom's reads "5.16.10 (25689)"), else `CFBundleVersion`.
pub fn parse_info_plist(xml: &str) -> Result<ZoomInstall, ParseError> {
    let keys = plist_top_level_strings(xml)?;
    let get = |name: &str| keys.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if get("CFBundleIdentifier").as_deref() != Some(ZOOM_BUNDLE_ID) {
        return Ok(ZoomInstall::default());
    }
    Ok(ZoomInstall {
        arch_problem: None,
        installed: true,
        version: get("CFBundleShortVersionString").or_else(|| get("CFBundleVersion")),
        path: Some(ZOOM_APP.into()),
        install_kind: Some("app bundle".into()),
        arch: None,
    })
}

/// The `<key>`/`<string>` pairs of an XML plist's root dictionary (nested
/// dictionaries and arrays are skipped). Not a plist, or one that ends
/// before `</plist>`, is an error.
pub(super) fn plist_top_level_strings(xml: &str) -> Result<Vec<(String, String)>, ParseError> {
    let err = |m: &str| ParseError::new(PLIST, m.to_string());
    let mut rest = xml;
    let mut depth = 0usize;
    let mut seen_plist = false;
    let mut closed = false;
    let mut key: Option<String> = None;
    let mut pairs = Vec::new();
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after
                .find("-->")
                .map(|end| &after[end + 3..])
                .ok_or_else(|| err("unterminated comment"))?;
            continue;
        }
        let end = rest
            .find('>')
            .ok_or_else(|| err("unterminated tag (truncated)"))?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        match (name, tag.starts_with('/'), tag.ends_with('/')) {
            (_, _, _) if tag.starts_with('?') || tag.starts_with('!') => {}
            ("plist", false, _) => seen_plist = true,
            ("plist", true, _) => closed = true,
            ("dict" | "array", false, false) => {
                key = None;
                depth += 1;
            }
            ("dict" | "array", true, _) => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| err("unbalanced </dict>"))?
            }
            ("key" | "string", false, false) => {
                let close = format!("</{name}>");
                let len = rest
                    .find(&close)
                    .ok_or_else(|| err("unterminated element (truncated)"))?;
                let text = xml_unescape(&rest[..len]);
                rest = &rest[len + close.len()..];
                match (name, depth, key.take()) {
                    ("key", 1, _) => key = Some(text),
                    ("string", 1, Some(k)) => pairs.push((k, text)),
                    _ => {}
                }
            }
            _ => key = None,
        }
    }
    if !seen_plist {
        return Err(err("not an XML property list (no <plist>)"));
    }
    if !closed || depth != 0 {
        return Err(err("property list ends early (truncated)"));
    }
    Ok(pairs)
}

/// XML's five named entities and numeric character references.
pub(super) fn xml_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16).ok())
                .unwrap_or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// CPU architectures `lipo` may name.
pub(super) const ARCHS: &[&str] = &[
    "x86_64", "x86_64h", "arm64", "arm64e", "i386", "ppc", "ppc64",
];

/// Reads `lipo -archs`: one architecture as itself ("arm64", "x86_64";
/// arm64e counts as arm64), two or more as "universal".
pub fn parse_lipo_archs(text: &str) -> Result<String, ParseError> {
    let archs: Vec<&str> = text.split_whitespace().collect();
    if archs.is_empty() {
        return Err(ParseError::new(LIPO, "empty output"));
    }
    if let Some(bad) = archs.iter().find(|a| !ARCHS.contains(a)) {
        return Err(ParseError::new(
            LIPO,
            format!("unknown architecture {bad:?}"),
        ));
    }
    let normal = |a: &str| {
        match a {
            "arm64e" => "arm64",
            "x86_64h" => "x86_64",
            other => other,
        }
        .to_string()
    };
    let mut distinct: Vec<String> = archs.iter().map(|a| normal(a)).collect();
    distinct.dedup();
    Ok(if distinct.len() == 1 {
        distinct.remove(0)
    } else {
        "universal".into()
    })
}

/// Reads `system_profiler SPApplicationsDataType` (text form): the entry
/// whose `Location:` is a `zoom.us.app` bundle: version, location, and arch
/// from `Kind:` ("Universal", "Apple Silicon" → arm64, "Intel" → x86_64;
/// the older "64-bit" does not say which CPU, so `None`). Zoom missing from
/// the list gives `installed: false`.
pub fn parse_system_profiler_apps(text: &str) -> Result<ZoomInstall, ParseError> {
    if !text.lines().any(|l| l.trim() == "Applications:") {
        return Err(ParseError::new(APPLICATIONS, "no \"Applications:\" header"));
    }
    let zoom = application_entries(text).into_iter().find(|fields| {
        fields
            .iter()
            .any(|(k, v)| *k == "Location" && v.to_ascii_lowercase().ends_with("/zoom.us.app"))
    });
    let Some(fields) = zoom else {
        return Ok(ZoomInstall::default());
    };
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    Ok(ZoomInstall {
        arch_problem: None,
        installed: true,
        version: get("Version"),
        path: get("Location"),
        install_kind: Some("app bundle".into()),
        arch: get("Kind").and_then(|kind| match kind.as_str() {
            "Universal" => Some("universal".into()),
            "Apple Silicon" => Some("arm64".into()),
            "Intel" => Some("x86_64".into()),
            _ => None,
        }),
    })
}

/// The `Key: Value` fields of each application entry (an entry starts at a
/// line ending in ':' with no value).
pub(super) fn application_entries(text: &str) -> Vec<Vec<(&str, &str)>> {
    let mut entries: Vec<Vec<(&str, &str)>> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.ends_with(':') && !line.contains(": ") {
            entries.push(Vec::new());
        } else if let (Some(entry), Some((k, v))) = (entries.last_mut(), line.split_once(": ")) {
            entry.push((k.trim(), v.trim()));
        }
    }
    entries
}
