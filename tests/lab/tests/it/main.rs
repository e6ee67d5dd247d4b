//! Integration tests of the lab: every server is probed over real sockets.

mod dns;
mod http;
#[cfg(target_os = "linux")]
mod netns;
mod sockets;
mod tls;

use md_lab::{Lab, LabConfig};

/// A lab on loopback with random ports.
pub async fn lab() -> Lab {
    Lab::start(LabConfig::default())
        .await
        .expect("the lab starts")
}
