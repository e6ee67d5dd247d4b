//! Serves the lab until killed, and writes lab profiles next to it: for
//! looking at the CLI and the app by hand. Run it inside a namespace whose
//! resolver is 127.0.0.1 so the system resolver asks the lab:
//!
//!   ip netns add mdlook && ip -n mdlook link set lo up
//!   mkdir -p /etc/netns/mdlook && echo nameserver 127.0.0.1 > /etc/netns/mdlook/resolv.conf
//!   ip netns exec mdlook cargo run -p md-lab --example serve -- /tmp/mdlook
//!   ip netns exec mdlook meeting-doctor check --profile /tmp/mdlook/broken.toml

use md_lab::{Lab, LabConfig, LabInfo};

fn profile(lab: &LabInfo, broken: bool) -> String {
    let (names, tcp, udp, tls, captive, clock, status) = if broken {
        (
            r#""sinkhole.zoom.lab.test", "blockedlocal.web.zoom.lab.test""#,
            lab.tcp_closed,
            lab.udp_silent,
            lab.tls_inspected,
            "/portal",
            "/date-skew/-7200",
            "/status/outage",
        )
    } else {
        (
            r#""ok.zoom.lab.test", "ok.web.zoom.lab.test""#,
            lab.tcp_open,
            lab.stun,
            lab.tls_public,
            "/generate_204",
            "/date-skew/0",
            "/status/ok",
        )
    };
    format!(
        r#"name = "Zoom (lab)"
[dns]
names = [{names}]
reference_resolvers = ["{reference}"]
[[tcp]]
host = "127.0.0.1"
port = {tcp}
[[tcp]]
port = 8801
[[udp]]
host = "127.0.0.1"
port = {udp}
[tls]
targets = ["localhost:{tls}"]
extra_roots = ["{ca}"]
[http]
internet = "http://{http}/ok"
captive_portal = "http://{http}{captive}"
clock = "http://{http}{clock}"
status = "http://{http}{status}"
download = "http://{http}/download?bytes=3000000"
upload = "http://{http}/upload"
"#,
        reference = lab.dns_reference,
        tcp = tcp.port(),
        udp = udp.port(),
        tls = tls.port(),
        ca = lab.public_ca_pem.display(),
        http = lab.http,
    )
}

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
    std::fs::write(format!("{dir}/healthy.toml"), profile(lab.info(), false))?;
    std::fs::write(format!("{dir}/broken.toml"), profile(lab.info(), true))?;
    std::fs::copy(&lab.inspection_ca_pem, format!("{dir}/inspection-ca.pem"))?;
    println!("lab ready: profiles in {dir} (healthy.toml, broken.toml; SSL_CERT_FILE={dir}/inspection-ca.pem makes this computer trust the inspection CA)");
    std::future::pending::<()>().await;
    Ok(())
}
