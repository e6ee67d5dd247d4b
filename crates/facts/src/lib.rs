//! Facts about this computer: proxy, VPN, firewall, DNS servers, security
//! software, the Zoom app and the network link, on Windows, macOS and Linux.
//!
//! The OS is a value, not a `#[cfg]`: each reader is a command spec chosen
//! by an [`Os`](md_model::system::Os) plus a pure `parse_*` function over its
//! output, all compiled and tested everywhere. Parsers are tested on recorded
//! outputs under `tests/fixtures/<os>/`; one executor runs the specs (tests
//! replay fixtures through [`command::Replay`]).

pub mod child_env;
pub mod collect;
pub mod command;
pub mod linux;
pub mod macos;
pub mod model;
mod platform;
pub mod process;
#[cfg(any(test, feature = "testing"))]
pub mod replays;
mod system_info;
pub mod windows;

pub use command::{CommandSpec, ExecError, Executor, Output};
pub use model::*;
pub use platform::Platform;
pub use system_info::system_info;

/// Test support: reads `tests/fixtures/<os>/<name>`. A first line starting
/// with `#!` (the provenance of a fixture built from documentation) is
/// removed; UTF-16LE files with a BOM (as wmic and regedit write them) are
/// decoded; CRLF is kept as recorded.
#[cfg(any(test, feature = "testing"))]
pub fn fixture(os: &str, name: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/{os}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    let text = if bytes.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    match text.strip_prefix("#!") {
        Some(rest) => rest
            .split_once('\n')
            .map(|(_, body)| body.to_string())
            .unwrap_or_default(),
        None => text,
    }
}
