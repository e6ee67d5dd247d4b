//! The Zoom app: .deb, rpm, flatpak or the /opt/zoom tarball.

use super::*;

/// `dpkg-query -W -f '${Status}\t${Version}\t${Architecture}\n' zoom`.
pub fn dpkg_zoom_spec() -> CommandSpec {
    CommandSpec::new(
        "dpkg-query",
        &[
            "-W",
            "-f",
            "${Status}\t${Version}\t${Architecture}\n",
            "zoom",
        ],
    )
    .c_locale()
}

pub fn parse_dpkg_zoom(text: &str) -> Result<ZoomInstall, ParseError> {
    const TOOL: &str = "dpkg-query";
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| ParseError::new(TOOL, "no output"))?;
    let parts: Vec<&str> = line.split('\t').collect();
    if parts.len() != 3 {
        return Err(ParseError::new(
            TOOL,
            format!("expected STATUS<TAB>VERSION<TAB>ARCH, found {line:?}"),
        ));
    }
    let installed = parts[0].ends_with(" installed");
    Ok(ZoomInstall {
        arch_problem: None,
        installed,
        version: installed.then(|| parts[1].to_string()),
        path: installed.then(|| "/opt/zoom".to_string()),
        install_kind: installed.then(|| "deb".to_string()),
        arch: installed.then(|| {
            if parts[2] == "amd64" {
                "x86_64".into()
            } else {
                parts[2].to_string()
            }
        }),
    })
}

/// CPU architecture names as packagers write them, in the words
/// [`ZoomInstall::arch`] uses ("x86_64", "arm64").
pub(super) fn normal_arch(arch: &str) -> String {
    match arch {
        "amd64" | "x86-64" => "x86_64".into(),
        "aarch64" => "arm64".into(),
        other => other.to_string(),
    }
}

/// A plausible architecture token (`x86_64`, `aarch64`, `noarch`, `i686`).
pub(super) fn is_arch_word(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 16
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `rpm -q --qf '%{VERSION}-%{RELEASE}\t%{ARCH}\n' zoom` (Fedora, RHEL,
/// openSUSE: Zoom's `zoom_x86_64.rpm` installs the package `zoom` into
/// `/opt/zoom`). Without the package rpm prints "package zoom is not
/// installed" on stdout and exits 1: the caller passes that stdout here.
pub fn rpm_zoom_spec() -> CommandSpec {
    CommandSpec::new(
        "rpm",
        &["-q", "--qf", "%{VERSION}-%{RELEASE}\t%{ARCH}\n", "zoom"],
    )
    .c_locale()
}

/// Reads [`rpm_zoom_spec`]'s output. The version is Zoom's own
/// ("6.2.11.5069"): the package release after the last `-` (always "1" in
/// Zoom's packages) is dropped, as dpkg's version has none. With two
/// versions installed side by side (multilib), the first line wins.
pub fn parse_rpm_zoom(text: &str) -> Result<ZoomInstall, ParseError> {
    const TOOL: &str = "rpm -q";
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or_else(|| ParseError::new(TOOL, "no output"))?;
    if line == "package zoom is not installed" {
        return Ok(ZoomInstall::default());
    }
    let (version_release, arch) = line.split_once('\t').ok_or_else(|| {
        ParseError::new(
            TOOL,
            format!("expected VERSION-RELEASE<TAB>ARCH, found {line:?}"),
        )
    })?;
    // RPM forbids '-' inside VERSION and RELEASE, so the last one splits them.
    let version = match version_release.rsplit_once('-') {
        Some((v, release)) if !release.is_empty() => v,
        _ => version_release,
    };
    let arch = arch.trim();
    if version.is_empty()
        || !version.starts_with(|c: char| c.is_ascii_digit())
        || version.contains(char::is_whitespace)
        || !is_arch_word(arch)
    {
        return Err(ParseError::new(
            TOOL,
            format!("expected VERSION-RELEASE<TAB>ARCH, found {line:?}"),
        ));
    }
    Ok(ZoomInstall {
        arch_problem: None,
        installed: true,
        version: Some(version.to_string()),
        path: Some("/opt/zoom".into()),
        install_kind: Some("rpm".into()),
        arch: Some(normal_arch(arch)),
    })
}

/// Flathub's Zoom: `flatpak list --app
/// --columns=application,version,arch,installation`. Not on a terminal,
/// flatpak prints no header and separates cells with one tab (an empty
/// version is an empty cell); on a terminal, a header and space-padded
/// columns. No apps at all prints nothing.
pub fn flatpak_zoom_spec() -> CommandSpec {
    CommandSpec::new(
        "flatpak",
        &[
            "list",
            "--app",
            "--columns=application,version,arch,installation",
        ],
    )
    .c_locale()
}

pub(super) const FLATPAK_ZOOM: &str = "us.zoom.Zoom";

/// One row of [`flatpak_zoom_spec`]'s output as (application, version,
/// arch, installation); `None` for a header or a line that is not a row.
pub(super) fn flatpak_row(line: &str) -> Option<(&str, Option<&str>, &str, &str)> {
    let cells: Vec<&str> = if line.contains('\t') {
        line.split('\t').map(str::trim).collect()
    } else {
        // Space-padded (a terminal): an empty version leaves three words.
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.len() {
            3 => vec![words[0], "", words[1], words[2]],
            4 => words,
            _ => return None,
        }
    };
    let [app, version, arch, installation] = cells[..] else {
        return None;
    };
    // A terminal narrower than the table shortens IDs from the start
    // ("…oom.Zoom"): a row, but not one we can name.
    if let Some(rest) = app.strip_prefix('…') {
        return (!rest.is_empty()).then_some(("", None, arch, installation));
    }
    // An application ID is reverse-DNS: at least two dots' worth of
    // letters, digits, '_', '-' and '.'.
    let is_app_id = app.split('.').count() >= 2
        && app.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    if !is_app_id || !is_arch_word(arch) || installation.is_empty() {
        return None;
    }
    let version = (!version.is_empty()).then_some(version);
    Some((app, version, arch, installation))
}

/// Reads [`flatpak_zoom_spec`]'s output: the `us.zoom.Zoom` row, if any
/// (installed per user or system-wide). Empty output means no apps are
/// installed: not installed. Any other line that is neither the header
/// nor an application row (an error message, a truncated row) is an error.
pub fn parse_flatpak_zoom(text: &str) -> Result<ZoomInstall, ParseError> {
    const TOOL: &str = "flatpak list";
    let mut zoom = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line.trim_start().starts_with("Application ID") {
            continue;
        }
        let row = flatpak_row(line).ok_or_else(|| {
            ParseError::new(
                TOOL,
                format!("expected APPLICATION VERSION ARCH INSTALLATION, found {line:?}"),
            )
        })?;
        if row.0 == FLATPAK_ZOOM && zoom.is_none() {
            zoom = Some(row);
        }
    }
    Ok(match zoom {
        None => ZoomInstall::default(),
        Some((_, version, arch, installation)) => ZoomInstall {
            arch_problem: None,
            installed: true,
            version: version.map(str::to_string),
            path: Some(format!("flatpak {FLATPAK_ZOOM} ({installation})")),
            install_kind: Some("flatpak".into()),
            arch: Some(normal_arch(arch)),
        },
    })
}
