//! Meeting Doctor profiles (TOML text) pointing at a lab, so every test,
//! example and benchmark describes the lab the same way. Text, not the
//! engine's types: the lab does not depend on the engine it tests.

use std::fmt::Write;
use std::net::SocketAddr;

use crate::LabInfo;

/// What a profile points at. Start from [`LabInfo::healthy`] or
/// [`LabInfo::silent`] and change fields with struct-update syntax.
#[derive(Clone, Debug)]
pub struct LabProfile {
    /// DNS names; empty leaves out `[dns]` (no system lookups at all).
    pub names: Vec<String>,
    pub reference: SocketAddr,
    pub tcp: SocketAddr,
    pub udp: SocketAddr,
    /// A DNS name to give for the UDP target instead of `udp`'s address
    /// (at `udp`'s port): `sinkhole.…` makes the STUN test meet a filter.
    pub udp_name: Option<String>,
    pub tls: SocketAddr,
    pub http: SocketAddr,
    pub captive: String,
    pub clock: String,
    pub status: String,
    pub download_bytes: u64,
    /// Ports listed without a host (reported unknown), as Zoom's 8801.
    pub hostless_tcp: Vec<u16>,
    pub hostless_udp: Vec<u16>,
    pub probe_ms: u64,
    pub total_ms: u64,
}

impl LabInfo {
    /// Every part answers as it should.
    pub fn healthy(&self) -> LabProfile {
        LabProfile {
            names: vec!["ok.zoom.lab.test".into(), "ok.web.zoom.lab.test".into()],
            reference: self.dns_reference,
            tcp: self.tcp_open,
            udp: self.stun,
            udp_name: None,
            tls: self.tls_public,
            http: self.http,
            captive: "/generate_204".into(),
            clock: "/date-skew/0".into(),
            status: "/status/ok".into(),
            download_bytes: 3_000_000,
            hostless_tcp: vec![8801],
            hostless_udp: vec![],
            probe_ms: 2000,
            total_ms: 6000,
        }
    }

    /// Every part is silent: a network that drops everything.
    pub fn silent(&self) -> LabProfile {
        LabProfile {
            names: vec!["silent.zoom.lab.test".into()],
            reference: self.dns_silent,
            tcp: self.tcp_silent,
            udp: self.udp_silent,
            tls: self.tcp_silent,
            http: self.tcp_silent,
            ..self.healthy()
        }
    }

    /// One thing wrong in each part (the inspection CA must be trusted by
    /// "this computer", e.g. SSL_CERT_FILE, for TLS to read as interception).
    pub fn broken(&self) -> LabProfile {
        LabProfile {
            names: vec![
                "sinkhole.zoom.lab.test".into(),
                "blockedlocal.web.zoom.lab.test".into(),
            ],
            tcp: self.tcp_closed,
            udp: self.udp_silent,
            tls: self.tls_inspected,
            captive: "/portal".into(),
            clock: "/date-skew/-7200".into(),
            status: "/status/outage".into(),
            probe_ms: 1000,
            ..self.healthy()
        }
    }
}

impl LabProfile {
    /// The profile as TOML; `ca` is the PEM file to trust as a public root.
    pub fn toml(&self, ca: &std::path::Path) -> String {
        let mut t = String::from("name = \"Zoom (lab)\"\n");
        if !self.names.is_empty() {
            let names: Vec<String> = self.names.iter().map(|n| format!("{n:?}")).collect();
            let _ = write!(
                t,
                "[dns]\nnames = [{}]\nreference_resolvers = [\"{}\"]\n",
                names.join(", "),
                self.reference
            );
        }
        let _ = write!(
            t,
            "[[tcp]]\nhost = \"{}\"\nport = {}\n",
            self.tcp.ip(),
            self.tcp.port()
        );
        for port in &self.hostless_tcp {
            let _ = write!(t, "[[tcp]]\nport = {port}\n");
        }
        let udp_host = match &self.udp_name {
            Some(name) => name.clone(),
            None => self.udp.ip().to_string(),
        };
        let _ = write!(
            t,
            "[[udp]]\nhost = \"{udp_host}\"\nport = {}\n",
            self.udp.port()
        );
        for port in &self.hostless_udp {
            let _ = write!(t, "[[udp]]\nport = {port}\n");
        }
        let h = self.http;
        let _ = write!(
            t,
            "[tls]\ntargets = [\"localhost:{}\"]\nextra_roots = [{:?}]\n\
             [http]\ninternet = \"http://{h}/ok\"\ncaptive_portal = \"http://{h}{}\"\nclock = \"http://{h}{}\"\n\
             status = \"http://{h}{}\"\ndownload = \"http://{h}/download?bytes={}\"\nupload = \"http://{h}/upload\"\n\
             [timeouts]\nprobe_ms = {}\ntotal_ms = {}\n",
            self.tls.port(),
            ca.display().to_string(),
            self.captive,
            self.clock,
            self.status,
            self.download_bytes,
            self.probe_ms,
            self.total_ms,
        );
        t
    }
}
