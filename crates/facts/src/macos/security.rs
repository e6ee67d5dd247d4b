//! Security software: system extensions and known agents.

use super::*;

/// `systemextensionsctl list`: installed system extensions (network
/// filters, endpoint security, drivers).
pub fn security_spec() -> CommandSpec {
    CommandSpec::new("systemextensionsctl", &["list"]).c_locale()
}

/// Security and VPN products known by their extensions' bundle-ID prefix
/// (case-insensitive).
pub(super) const SECURITY_PRODUCTS: &[(&str, &str)] = &[
    ("com.crowdstrike.falcon", "CrowdStrike Falcon"),
    ("com.sentinelone", "SentinelOne"),
    ("com.sophos", "Sophos"),
    ("com.jamf.protect", "Jamf Protect"),
    ("com.microsoft.wdav", "Microsoft Defender"),
    ("at.obdev.littlesnitch", "Little Snitch"),
    ("com.objective-see.lulu", "LuLu"),
    (
        "com.paloaltonetworks.globalprotect",
        "Palo Alto GlobalProtect",
    ),
    ("com.cisco.anyconnect", "Cisco AnyConnect"),
    ("com.cisco.secureclient", "Cisco Secure Client"),
    ("com.zscaler", "Zscaler"),
    ("com.netskope", "Netskope"),
    ("com.fortinet", "FortiClient"),
    ("com.eset", "ESET"),
    ("com.bitdefender", "Bitdefender"),
    ("com.malwarebytes", "Malwarebytes"),
    ("com.trendmicro", "Trend Micro"),
    ("com.mcafee", "McAfee"),
    ("com.kaspersky", "Kaspersky"),
    ("com.symantec", "Symantec"),
    ("com.broadcom", "Symantec"),
    ("com.vmware.carbonblack", "VMware Carbon Black"),
    ("com.avast", "Avast"),
    ("com.cloudflare", "Cloudflare WARP"),
];

/// Extension categories that can see or filter network traffic.
pub(super) const SECURITY_CATEGORIES: &[&str] = &["network_extension", "endpoint_security"];

/// One row of `systemextensionsctl list`.
#[derive(Debug)]
pub(super) struct ExtensionRow<'a> {
    pub(super) bundle_id: &'a str,
    pub(super) state: &'a str,
    pub(super) stars: usize,
}

/// Reads `systemextensionsctl list`: known products by bundle ID (from
/// [`SECURITY_PRODUCTS`]); unknown network-extension or endpoint-security
/// extensions by their bundle ID. One entry per product, enabled when any
/// of its extensions is `[activated enabled]` (rows without a state: when
/// both the enabled and active columns are `*`). "0 extension(s)" is an
/// empty answer.
pub fn parse_system_extensions(text: &str) -> Result<Vec<SecurityProduct>, ParseError> {
    let mut category = "";
    let mut seen_any = false;
    let mut products: Vec<SecurityProduct> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.ends_with("extension(s)") {
            seen_any = true;
        } else if let Some(name) = line.strip_prefix("--- ") {
            category = name;
        } else if line.starts_with("enabled") {
            continue;
        } else if let Some(row) = extension_row(line) {
            seen_any = true;
            let name = match known_product(row.bundle_id) {
                Some(name) => name.to_string(),
                None if SECURITY_CATEGORIES.iter().any(|c| category.ends_with(c)) => {
                    row.bundle_id.to_string()
                }
                None => continue,
            };
            let enabled = if row.state.is_empty() {
                row.stars >= 2
            } else {
                row.state == "activated enabled"
            };
            match products.iter_mut().find(|p| p.name == name) {
                Some(p) => p.enabled = Some(p.enabled == Some(true) || enabled),
                None => products.push(SecurityProduct {
                    name,
                    enabled: Some(enabled),
                    up_to_date: None,
                    seen_in: "system extension".into(),
                }),
            }
        }
    }
    if !seen_any {
        return Err(ParseError::new(
            SYSTEM_EXTENSIONS,
            "no \"N extension(s)\" line and no extension rows",
        ));
    }
    Ok(products)
}

/// `[*\t*\t]TEAMID\tbundle.id (1.0/1)\tname\t[state]`, tab- or
/// space-separated: the bundle ID is the word before `(version)`.
pub(super) fn extension_row(line: &str) -> Option<ExtensionRow<'_>> {
    let open = line.find(" (").or_else(|| line.find("\t("))?;
    let before: Vec<&str> = line[..open].split_whitespace().collect();
    let bundle_id = *before.last()?;
    if !bundle_id.contains('.') {
        return None;
    }
    let state = match (line.rfind('['), line.ends_with(']')) {
        (Some(at), true) => &line[at + 1..line.len() - 1],
        _ => "",
    };
    Some(ExtensionRow {
        bundle_id,
        state,
        stars: before.iter().filter(|w| **w == "*").count(),
    })
}

pub(super) fn known_product(bundle_id: &str) -> Option<&'static str> {
    let id = bundle_id.to_ascii_lowercase();
    SECURITY_PRODUCTS
        .iter()
        .find(|(prefix, _)| id.starts_with(prefix))
        .map(|(_, name)| *name)
}
