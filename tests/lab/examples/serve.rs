//! Serves the lab until killed, and writes lab profiles next to it: for
//! looking at the CLI and the app by hand. Run it inside a namespace whose
//! resolver is 127.0.0.1 so the system resolver asks the lab:
//!
//!   ip netns add mdlook && ip -n mdlook link set lo up
//!   mkdir -p /etc/netns/mdlook && echo nameserver 127.0.0.1 > /etc/netns/mdlook/resolv.conf
//!   ip netns exec mdlook cargo run -p md-lab --example serve -- /tmp/mdlook
//!   ip netns exec mdlook meeting-doctor check --profile /tmp/mdlook/broken.toml

use md_lab::{Lab, LabConfig};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/md-lab-serve".into());
    let dns_port = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(53);
    std::fs::create_dir_all(&dir)?;
    let lab = Lab::start(LabConfig {
        dns_port,
        ..Default::default()
    })
    .await?;
    let ca = &lab.public_ca_pem;
    std::fs::write(format!("{dir}/healthy.toml"), lab.healthy().toml(ca))?;
    std::fs::write(format!("{dir}/broken.toml"), lab.broken().toml(ca))?;
    std::fs::write(format!("{dir}/silent.toml"), lab.silent().toml(ca))?;
    std::fs::copy(&lab.inspection_ca_pem, format!("{dir}/inspection-ca.pem"))?;
    println!("lab ready: profiles in {dir} (healthy, broken, silent .toml); SSL_CERT_FILE={dir}/inspection-ca.pem makes this computer trust the inspection CA");
    std::future::pending::<()>().await;
    Ok(())
}
