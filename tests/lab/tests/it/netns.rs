use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::process::Command;
use std::sync::Arc;

use md_lab::netns::{netns_available, run_in, start_lab_in, NetNs};
use md_lab::LabConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

fn skip() -> bool {
    if netns_available() {
        return false;
    }
    eprintln!(
        "!!!!! SKIPPED: network namespaces are not available (needs root and `ip netns`) !!!!!"
    );
    true
}

fn namespace_listed(name: &str) -> bool {
    let output = Command::new("ip").args(["netns", "list"]).output().unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .any(|l| l.split_whitespace().next() == Some(name))
}

#[test]
fn the_system_resolver_of_a_namespace_uses_the_lab() {
    if skip() {
        return;
    }
    let ns = NetNs::create("mdlab").unwrap();
    let (name, path, etc) = (ns.name.clone(), ns.path(), ns.etc_dir());
    assert!(namespace_listed(&name));
    ns.set_resolv_conf("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        .unwrap();
    let lab = start_lab_in(
        &ns,
        LabConfig {
            dns_port: 53,
            ..LabConfig::default()
        },
    )
    .unwrap();
    assert_eq!(lab.dns.port(), 53);

    let output = ns
        .command("getent")
        .args(["ahosts", "ok.zoom.lab.test"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "getent failed: {output:?}");
    assert!(stdout.contains("203.0.113.10"), "{stdout}");

    // getent exits with 2 when the name does not exist.
    let output = ns
        .command("getent")
        .args(["ahosts", "nx.zoom.lab.test"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    // (Not `ahostsv4`: it sets AI_ADDRCONFIG, and a namespace with only a
    // loopback has no IPv4 address that counts.)
    let output = ns
        .command("getent")
        .args(["ahosts", "sinkhole.zoom.lab.test"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("0.0.0.0"),
        "{output:?}"
    );

    assert!(lab.counters().dns_queries >= 3, "{:?}", lab.counters());
    let pem = lab.public_ca_pem.clone();
    assert!(pem.exists());

    drop(lab);
    assert!(!pem.exists(), "the lab's temporary directory is removed");
    drop(ns);
    assert!(!path.exists(), "{} still exists", path.display());
    assert!(!etc.exists(), "{} still exists", etc.display());
    assert!(!namespace_listed(&name));
}

#[test]
fn a_lab_on_a_namespace_address_serves_tls_for_that_address() {
    if skip() {
        return;
    }
    // A documentation address, only ever reachable inside this namespace.
    let ip = Ipv4Addr::new(198, 51, 100, 7);
    let ns = NetNs::create("mdlab").unwrap();
    ns.add_address("198.51.100.7/32").unwrap();
    let lab = start_lab_in(
        &ns,
        LabConfig {
            ip: IpAddr::V4(ip),
            dns_port: 0,
        },
    )
    .unwrap();
    assert_eq!(lab.http.ip(), IpAddr::V4(ip));
    assert_eq!(lab.tls_public.ip(), IpAddr::V4(ip));

    let (http, tls, root) = (lab.http, lab.tls_public, lab.public_ca_pem.clone());
    let (plain, secure) = run_in(&ns, move || {
        let mut plain = String::new();
        let mut stream = TcpStream::connect(http).unwrap();
        stream
            .write_all(b"GET /ok HTTP/1.1\r\nHost: lab\r\n\r\n")
            .unwrap();
        stream.read_to_string(&mut plain).unwrap();

        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_file(&root).unwrap())
            .unwrap();
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let name = ServerName::IpAddress(IpAddr::V4(ip).into());
        let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
        let mut stream = rustls::StreamOwned::new(conn, TcpStream::connect(tls).unwrap());
        stream
            .write_all(b"GET /generate_204 HTTP/1.1\r\nHost: lab\r\n\r\n")
            .unwrap();
        let mut secure = Vec::new();
        // The server closes with close_notify after the response.
        stream.read_to_end(&mut secure).unwrap();
        (plain, String::from_utf8(secure).unwrap())
    })
    .unwrap();
    assert!(
        plain.starts_with("HTTP/1.1 200 OK\r\n") && plain.ends_with("\r\n\r\nok\n"),
        "{plain}"
    );
    assert!(
        secure.starts_with("HTTP/1.1 204 No Content\r\n"),
        "{secure}"
    );
    let counters = lab.counters();
    assert_eq!(counters.http.route("/ok"), 1);
    assert_eq!(counters.https.route("/generate_204"), 1);
}
