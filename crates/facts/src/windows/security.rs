//! Security software: what Windows Security Center lists.

use super::*;

pub(super) const AV_TOOL: &str = "SecurityCenter2 AntiVirusProduct";

/// What the antivirus readers say when the `root/SecurityCenter2` namespace
/// does not exist: Windows Server has no Security Center. Compare with
/// [`is_missing_security_center`].
pub const MISSING_SECURITY_CENTER: &str =
    "the root/SecurityCenter2 namespace is missing: a Windows Server OS, which has no Security Center";

/// True when a parse error says the machine has no Security Center (a
/// server OS), as opposed to unreadable output.
pub fn is_missing_security_center(error: &ParseError) -> bool {
    error.message == MISSING_SECURITY_CENTER
}

pub(super) const AV_SCRIPT: &str = "try { $p = @(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct -ErrorAction Stop | Select-Object displayName, productState, pathToSignedProductExe); ConvertTo-Json -Compress -InputObject $p } catch { ConvertTo-Json -Compress -InputObject ([pscustomobject]@{ Error = [string]$_.Exception.NativeErrorCode; Message = [string]$_.Exception.Message }) }";

/// Reads the antivirus products registered with Windows Security Center
/// (`Get-CimInstance -Namespace root/SecurityCenter2 -ClassName
/// AntiVirusProduct`: displayName, productState). A missing namespace
/// (Windows Server) is reported as `{"Error":"InvalidNamespace",..}`.
pub fn antivirus_spec() -> CommandSpec {
    CommandSpec::powershell(AV_SCRIPT)
}

#[derive(Deserialize)]
pub(super) struct AntivirusJson {
    #[serde(rename = "displayName")]
    pub(super) display_name: Option<String>,
    #[serde(rename = "productState")]
    pub(super) product_state: Option<u32>,
    #[serde(rename = "Error")]
    pub(super) error: Option<String>,
    #[serde(rename = "Message")]
    pub(super) message: Option<String>,
}

/// Decodes SecurityCenter2's `productState` into (real-time protection on,
/// definitions up to date).
///
/// Microsoft does not document this bit field; the decoding is the one
/// widely used by the administrator community and agrees with every
/// published value seen (e.g. Defender 397568 = 0x06_11_00 on and current,
/// 393472 = 0x06_01_00 off, 397584 = 0x06_11_10 on and out of date): the
/// middle byte is the scanner state (0x10 bit set = on; 0x00 off, 0x01
/// snoozed), the low byte the signatures (0x00 up to date, 0x10 out of
/// date). Fairly sure of the two bits used here, not of the other bits.
pub fn decode_product_state(state: u32) -> (bool, bool) {
    let scanner = (state >> 8) & 0xFF;
    let signatures = state & 0xFF;
    (scanner & 0x10 != 0, signatures & 0x10 == 0)
}

/// Parses [`antivirus_spec`]'s JSON: `[]` = none registered; the
/// InvalidNamespace error gives the [`MISSING_SECURITY_CENTER`] error.
pub fn parse_antivirus(json: &str) -> Result<Vec<SecurityProduct>, ParseError> {
    let rows: Vec<AntivirusJson> = json_records(AV_TOOL, json)?;
    rows.into_iter()
        .map(|row| {
            if let Some(error) = row.error {
                return Err(if error.contains("InvalidNamespace") {
                    ParseError::new(AV_TOOL, MISSING_SECURITY_CENTER)
                } else {
                    ParseError::new(
                        AV_TOOL,
                        format!("{error}: {}", row.message.unwrap_or_default()),
                    )
                });
            }
            let name = non_empty(row.display_name.as_deref())
                .ok_or_else(|| ParseError::new(AV_TOOL, "a product without displayName"))?;
            Ok(security_product(name, row.product_state))
        })
        .collect()
}

pub(super) fn security_product(name: String, state: Option<u32>) -> SecurityProduct {
    let decoded = state.map(decode_product_state);
    SecurityProduct {
        name,
        enabled: decoded.map(|d| d.0),
        up_to_date: decoded.map(|d| d.1),
        seen_in: "SecurityCenter2".to_string(),
    }
}

pub(super) const WMIC_AV_TOOL: &str = "wmic SecurityCenter2 AntiVirusProduct";

/// Words of wmic's "No Instance(s) Available." in the languages seen
/// ("Aucune instance disponible.", "Keine Instanz(en) verfügbar.").
pub(super) const NO_INSTANCE_WORDS: &[&str] = &["instan", "实例"];

/// Parses `wmic /namespace:\\root\SecurityCenter2 path AntiVirusProduct get
/// /format:list`. "No Instance(s) Available." (translated) is an empty list;
/// wmic's invalid-namespace error (Windows Server) is the
/// [`MISSING_SECURITY_CENTER`] error.
pub fn parse_wmic_antivirus(text: &str) -> Result<Vec<SecurityProduct>, ParseError> {
    require_text(WMIC_AV_TOOL, text)?;
    let lower = text.to_lowercase();
    if lower.contains("0x8004100e")
        || lower.contains("namespace")
        || lower.contains("espace de noms")
    {
        return Err(ParseError::new(WMIC_AV_TOOL, MISSING_SECURITY_CENTER));
    }
    let records = wmic_records(text);
    if records.is_empty() {
        if NO_INSTANCE_WORDS.iter().any(|w| lower.contains(w)) {
            return Ok(Vec::new());
        }
        return Err(ParseError::new(
            WMIC_AV_TOOL,
            format!("unexpected output {:?}", text.trim()),
        ));
    }
    records
        .iter()
        .map(|r| {
            let name = wmic_get(r, "displayName")
                .ok_or_else(|| ParseError::new(WMIC_AV_TOOL, "a record without displayName"))?;
            Ok(security_product(
                name.to_string(),
                wmic_get(r, "productState").and_then(|s| s.parse().ok()),
            ))
        })
        .collect()
}
