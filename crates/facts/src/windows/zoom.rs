//! The Zoom app: per-person and MSI installs.

use super::*;

pub(super) const ZOOM_TOOL: &str = "Zoom install";

pub(super) const ZOOM_SCRIPT: &str = r#"$keys = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*'
$u = @(Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue | Where-Object { $_.DisplayName -like '*Zoom*' } | Select-Object DisplayName, DisplayVersion, InstallLocation, WindowsInstaller, @{n='Key';e={$_.PSPath -replace '^.*::', ''}})
$exe = Join-Path $env:APPDATA 'Zoom\bin\Zoom.exe'
$a = if (Test-Path -LiteralPath $exe) { [pscustomobject]@{ Path = $exe; FileVersion = (Get-Item -LiteralPath $exe).VersionInfo.FileVersion } } else { $null }
ConvertTo-Json -Compress -Depth 4 -InputObject ([pscustomobject]@{ Uninstall = $u; AppData = $a })"#;

/// Reads how Zoom is installed: the Uninstall registry entries whose
/// DisplayName matches Zoom in HKCU and HKLM (native and WOW6432Node) with
/// DisplayName, DisplayVersion, InstallLocation, WindowsInstaller and the
/// key path, and whether `%APPDATA%\Zoom\bin\Zoom.exe` (the per-user
/// install) exists, with its FileVersion.
pub fn zoom_spec() -> CommandSpec {
    CommandSpec::powershell(ZOOM_SCRIPT)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ZoomJson {
    pub(super) uninstall: Option<Value>,
    pub(super) app_data: Option<AppDataJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct UninstallJson {
    pub(super) display_name: Option<String>,
    pub(super) display_version: Option<String>,
    pub(super) install_location: Option<String>,
    pub(super) windows_installer: Option<Value>,
    pub(super) key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AppDataJson {
    pub(super) path: Option<String>,
    pub(super) file_version: Option<String>,
}

/// Zoom products that are not the meeting client.
pub(super) const NOT_THE_CLIENT: &[&str] = &[
    "plugin", "plug-in", "add-in", "addin", "outlook", "rooms", "sdk",
];

/// Parses [`zoom_spec`]'s JSON. An MSI install (HKLM, product-code key or
/// WindowsInstaller = 1) wins over a per-user one (HKCU or `%APPDATA%`),
/// as an administrator deployed it; nothing found is `installed: false`.
pub fn parse_zoom(json: &str) -> Result<ZoomInstall, ParseError> {
    let raw: ZoomJson = json_record(ZOOM_TOOL, json)?;
    let entries: Vec<UninstallJson> = match raw.uninstall {
        Some(v) => value_records(ZOOM_TOOL, v)?,
        None => Vec::new(),
    };
    let clients: Vec<&UninstallJson> = entries
        .iter()
        .filter(|e| {
            e.display_name.as_deref().is_some_and(|n| {
                let n = n.to_lowercase();
                n.contains("zoom") && !NOT_THE_CLIENT.iter().any(|w| n.contains(w))
            })
        })
        .collect();
    let ranked = clients
        .iter()
        .find(|e| zoom_kind(e) == "msi")
        .or_else(|| clients.iter().find(|e| zoom_kind(e) == "per-user"))
        .or(clients.first());
    if let Some(entry) = ranked {
        let per_user_exe = raw
            .app_data
            .as_ref()
            .and_then(|a| non_empty(a.path.as_deref()));
        let kind = zoom_kind(entry);
        return Ok(ZoomInstall {
            arch_problem: None,
            installed: true,
            version: non_empty(entry.display_version.as_deref()),
            path: non_empty(entry.install_location.as_deref()).or(if kind == "per-user" {
                per_user_exe
            } else {
                None
            }),
            install_kind: Some(kind.to_string()),
            arch: zoom_arch(entry),
        });
    }
    match raw.app_data {
        Some(app) if non_empty(app.path.as_deref()).is_some() => Ok(ZoomInstall {
            arch_problem: None,
            installed: true,
            version: non_empty(app.file_version.as_deref())
                .map(|v| v.replace(", ", ".").replace(',', ".")),
            path: non_empty(app.path.as_deref()),
            install_kind: Some("per-user".to_string()),
            arch: None,
        }),
        _ => Ok(ZoomInstall::default()),
    }
}

/// "per-user" (HKCU), "msi" (HKLM with a product-code key or
/// WindowsInstaller = 1), else "machine".
pub(super) fn zoom_kind(entry: &UninstallJson) -> &'static str {
    let key = entry.key.as_deref().unwrap_or("").to_ascii_uppercase();
    if key.starts_with("HKEY_CURRENT_USER") || key.starts_with("HKCU") {
        return "per-user";
    }
    let leaf = key.rsplit('\\').next().unwrap_or("");
    let msi = matches!(
        enum_text(&entry.windows_installer).as_deref(),
        Some("1") | Some("True")
    );
    if msi || (leaf.starts_with('{') && leaf.ends_with('}')) {
        "msi"
    } else {
        "machine"
    }
}

/// From the DisplayName ("Zoom Workplace (64-bit)") or a WOW6432Node key (32-bit).
pub(super) fn zoom_arch(entry: &UninstallJson) -> Option<String> {
    let name = entry.display_name.as_deref().unwrap_or("").to_lowercase();
    let key = entry.key.as_deref().unwrap_or("").to_lowercase();
    if name.contains("arm64") {
        Some("arm64".to_string())
    } else if name.contains("64-bit") || name.contains("64bit") || name.contains("x64") {
        Some("x86_64".to_string())
    } else if name.contains("32-bit") || name.contains("32bit") || key.contains("wow6432node") {
        Some("x86".to_string())
    } else {
        None
    }
}
