//! This Mac's processor: Apple Silicon or Intel.

use super::*;

pub(super) const SYSCTL_ARM64: &str = "sysctl -n hw.optional.arm64";

/// Whether the Mac itself is Apple Silicon: `sysctl -n hw.optional.arm64`.
/// `uname -m` is no use here: run from a process under Rosetta (an Intel
/// build of Terminal or of this app) it says "x86_64" on Apple Silicon,
/// while this key says "1" either way.
///
/// Intel Macs have no such key: sysctl prints nothing on stdout,
/// "sysctl: unknown oid 'hw.optional.arm64'" on stderr and exits 1. The
/// caller treats that failure (see [`sysctl_unknown_oid`]) as Intel, not as
/// an unreadable fact.
pub fn machine_arch_spec() -> CommandSpec {
    CommandSpec::new("sysctl", &["-n", "hw.optional.arm64"]).c_locale()
}

/// Reads [`machine_arch_spec`]'s stdout: "1" → Apple Silicon (`true`),
/// "0" → Intel (`false`). Also takes the `name: value` form sysctl prints
/// without `-n`. Anything else, including nothing, is an error.
pub fn parse_hw_optional_arm64(text: &str) -> Result<bool, ParseError> {
    let value = text.trim();
    let value = value
        .strip_prefix("hw.optional.arm64:")
        .map_or(value, str::trim);
    match value {
        "1" => Ok(true),
        "0" => Ok(false),
        "" => Err(ParseError::new(SYSCTL_ARM64, "no output")),
        other => Err(ParseError::new(
            SYSCTL_ARM64,
            format!("expected 0 or 1, found {other:?}"),
        )),
    }
}

/// True when sysctl's stderr says the key does not exist (an Intel Mac,
/// or a macOS older than Big Sur): the machine is not Apple Silicon.
/// Older sysctl versions word it "second level name arm64 in
/// hw.optional.arm64 is invalid".
pub fn sysctl_unknown_oid(stderr: &str) -> bool {
    stderr.contains("unknown oid") || stderr.contains("is invalid")
}

/// A plain-words problem when the Zoom build does not fit the Mac:
/// `machine_is_arm` from [`parse_hw_optional_arm64`], `zoom_arch` in the
/// words of [`parse_lipo_archs`] / [`ZoomInstall::arch`] ("x86_64",
/// "arm64", "universal"). A universal or matching build, or an
/// architecture not known, is no problem (`None`).
pub fn arch_mismatch(machine_is_arm: bool, zoom_arch: &str) -> Option<String> {
    let arch = zoom_arch.trim().to_ascii_lowercase();
    let intel_only = matches!(arch.as_str(), "x86_64" | "x86_64h" | "intel");
    let arm_only = matches!(arch.as_str(), "arm64" | "arm64e" | "apple silicon");
    if machine_is_arm && intel_only {
        Some(
            "Zoom for Intel runs under Rosetta on this Apple Silicon Mac; \
             the Apple Silicon build is faster and more reliable"
                .into(),
        )
    } else if !machine_is_arm && arm_only {
        Some(
            "This Zoom is the build for Apple Silicon, which cannot run on this \
             Intel Mac; install Zoom for Intel (or the universal installer)"
                .into(),
        )
    } else {
        None
    }
}
