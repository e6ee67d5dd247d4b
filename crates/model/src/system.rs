//! The operating system as a value: everything OS-specific is chosen by an
//! `Os`, so all of it compiles and is tested on every OS.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Windows,
    Macos,
    Linux,
}

impl Os {
    pub fn current() -> Os {
        match std::env::consts::OS {
            "windows" => Os::Windows,
            "macos" => Os::Macos,
            _ => Os::Linux,
        }
    }
}

/// Facts about this computer for the report.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SystemInfo {
    pub os: Os,
    /// "Debian GNU/Linux 12 (bookworm)", "macOS 14.5", "Windows 11 …" when known.
    pub os_version: Option<String>,
    pub arch: String,
    /// The computer's name (removed from shared reports unless asked).
    #[serde(default)]
    pub host_name: Option<String>,
    /// The signed-in user (removed from shared reports unless asked).
    #[serde(default)]
    pub user: Option<String>,
}

/// `PRETTY_NAME` (else `NAME VERSION`) from an os-release file.
pub fn parse_os_release(text: &str) -> Option<String> {
    let get = |key: &str| {
        text.lines()
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    };
    get("PRETTY_NAME").or_else(|| match (get("NAME"), get("VERSION")) {
        (Some(n), Some(v)) => Some(format!("{n} {v}")),
        (n, _) => n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_variants() {
        assert_eq!(
            parse_os_release(
                "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
            )
            .as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(
            parse_os_release("NAME=Fedora\nVERSION=\"40 (Workstation)\"\n").as_deref(),
            Some("Fedora 40 (Workstation)")
        );
        assert_eq!(parse_os_release("garbage\n=\n"), None);
        assert_eq!(parse_os_release(""), None);
    }
}
