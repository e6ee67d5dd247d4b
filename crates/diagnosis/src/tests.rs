//! The rule table and its catalogs.

use super::*;
use crate::steps::step;
use md_model::finding::Status;
use serde_json::json;

fn f(id: &str, status: Status) -> Finding {
    Finding::new(
        id.parse().expect("a check id"),
        status,
        format!("{id} {status}"),
    )
}

/// A healthy run: every check passes.
fn healthy() -> Vec<Finding> {
    [
        "internet",
        "captive_portal",
        "dns.system",
        "dns.reference",
        "tcp.443",
        "tcp.8801",
        "udp.3478",
        "tls",
        "clock",
        "service_status",
        "proxy",
        "vpn",
        "firewall",
        "security_software",
        "zoom_client",
        "latency",
        "jitter",
        "loss",
        "bandwidth",
        "network_type",
    ]
    .iter()
    .map(|id| f(id, Status::Pass))
    .collect()
}

fn with(mut base: Vec<Finding>, changes: Vec<Finding>) -> Vec<Finding> {
    for c in changes {
        match base.iter_mut().find(|b| b.id == c.id) {
            Some(b) => *b = c,
            None => base.push(c),
        }
    }
    base
}

fn ids(d: &Diagnosis) -> Vec<&str> {
    d.causes.iter().map(|c| c.id.as_str()).collect()
}

/// A dead network: what the probes really report there (the portal
/// check can't tell without an answer).
fn all_red() -> Vec<Finding> {
    healthy()
        .into_iter()
        .map(|mut x| {
            x.status = match x.id.to_string().as_str() {
                "proxy" | "vpn" | "security_software" | "network_type" | "zoom_client" => {
                    Status::Pass
                }
                "captive_portal" | "service_status" | "dns.reference" => Status::Unknown,
                _ => Status::Fail,
            };
            x
        })
        .collect()
}

#[test]
fn the_rule_table() {
    let interception = json!({"targets": [{"public_roots": "unknown_issuer", "local_roots": "trusted", "issuer": "Corp Inspection CA"}]});
    let cases: Vec<(&str, Vec<Finding>, Vec<&str>)> = vec![
        ("healthy", healthy(), vec![]),
        ("offline and everything red", all_red(), vec!["offline"]),
        (
            "portal explains the rest",
            with(
                all_red(),
                vec![
                    f("captive_portal", Status::Fail),
                    f("internet", Status::Pass),
                ],
            ),
            vec!["captive_portal"],
        ),
        (
            "sinkholed names",
            with(
                healthy(),
                vec![
                    f("dns.system", Status::Fail)
                        .evidence(json!({"sinkholed": ["zoom.us"], "fails_only_on_system": []})),
                    f("tcp.443", Status::Skipped),
                    f("tls", Status::Skipped),
                ],
            ),
            vec!["dns_filtered"],
        ),
        (
            "fails only on the system resolver",
            with(
                healthy(),
                vec![f("dns.system", Status::Fail)
                    .evidence(json!({"sinkholed": [], "fails_only_on_system": ["zoom.us"]}))],
            ),
            vec!["dns_failure"],
        ),
        (
            "tls interception",
            with(
                healthy(),
                vec![f("tls", Status::Fail).evidence(interception.clone())],
            ),
            vec!["tls_interception"],
        ),
        (
            "udp blocked while 443 works",
            with(healthy(), vec![f("udp.3478", Status::Fail)]),
            vec!["udp_blocked"],
        ),
        (
            "443 blocked",
            with(
                healthy(),
                vec![
                    f("tcp.443", Status::Fail),
                    f("tcp.8801", Status::Fail),
                    f("udp.3478", Status::Fail),
                    f("tls", Status::Fail).evidence(json!({"targets": [{"stage": "connect"}]})),
                ],
            ),
            vec!["zoom_blocked"],
        ),
        (
            "8801 only",
            with(healthy(), vec![f("tcp.8801", Status::Fail)]),
            vec!["signaling_ports_blocked"],
        ),
        (
            "outage first",
            with(
                healthy(),
                vec![
                    f("service_status", Status::Fail),
                    f("udp.3478", Status::Fail),
                ],
            ),
            vec!["zoom_outage", "udp_blocked"],
        ),
        (
            "clock, not interception",
            with(
                healthy(),
                vec![
                    f("clock", Status::Fail),
                    f("tls", Status::Fail).evidence(
                        json!({"targets": [{"public_roots": "expired", "local_roots": "expired"}]}),
                    ),
                ],
            ),
            vec!["clock_skew"],
        ),
        (
            "proxy",
            with(healthy(), vec![f("proxy", Status::Fail)]),
            vec!["proxy_interference"],
        ),
        (
            "local firewall",
            with(healthy(), vec![f("firewall", Status::Fail)]),
            vec!["local_firewall"],
        ),
        (
            "a VPN only matters when something fails",
            with(
                healthy(),
                vec![f("vpn", Status::Pass).evidence(json!({"interface_kind": "tunnel"}))],
            ),
            vec![],
        ),
        (
            "a VPN and a blocked port",
            with(
                healthy(),
                vec![
                    f("vpn", Status::Pass).evidence(json!({"interface_kind": "tunnel"})),
                    f("tcp.443", Status::Fail),
                ],
            ),
            vec!["zoom_blocked", "vpn_interference"],
        ),
        (
            "lingering zoom",
            with(healthy(), vec![f("zoom_client", Status::Warn)]),
            vec!["zoom_client_problem"],
        ),
        (
            "poor connection",
            with(healthy(), vec![f("loss", Status::Fail)]),
            vec!["poor_connection"],
        ),
    ];
    for (name, findings, want) in cases {
        let d = diagnose(&findings, None);
        assert_eq!(ids(&d), want, "{name}: {:#?}", d.causes);
    }
}

#[test]
fn interception_by_the_antivirus_blames_the_antivirus() {
    let d = diagnose(
        &with(healthy(), vec![
            f("tls", Status::Fail).evidence(json!({"targets": [{"public_roots": "unknown_issuer", "local_roots": "trusted", "issuer": "Avast Web/Mail Shield Root"}]})),
            f("security_software", Status::Pass).evidence(json!({"products": [{"name": "Avast Antivirus"}]})),
        ]),
        None,
    );
    assert_eq!(ids(&d), vec!["security_software"]);
    assert!(
        d.causes[0].summary.contains("Avast Antivirus"),
        "{}",
        d.causes[0].summary
    );
    // A corporate CA is not the antivirus's doing.
    let d = diagnose(
        &with(healthy(), vec![
            f("tls", Status::Fail).evidence(json!({"targets": [{"public_roots": "unknown_issuer", "local_roots": "trusted", "issuer": "Corp Inspection CA"}]})),
            f("security_software", Status::Pass).evidence(json!({"products": [{"name": "Avast Antivirus"}]})),
        ]),
        None,
    );
    assert_eq!(ids(&d)[0], "tls_interception");
    assert!(d.causes[0].summary.contains("Corp Inspection CA"));
}

#[test]
fn quality_warnings_explain_no_connection_error() {
    let d = diagnose(
        &with(healthy(), vec![f("udp.3478", Status::Fail)]),
        Some("104103"),
    );
    assert!(d.causes[0].quality_only);
    assert!(d.causes[0].error_codes.is_empty());
    assert!(!d.ruled_out.is_empty());
    assert!(d.ruled_out.iter().any(|r| r.contains("online")));
    assert!(!d.next_steps.is_empty());
}

#[test]
fn the_error_code_focuses_the_headline() {
    let d = diagnose(
        &with(
            healthy(),
            vec![f("dns.system", Status::Fail).evidence(json!({"sinkholed": ["zoom.us"]}))],
        ),
        Some("Error 104103"),
    );
    assert_eq!(d.error_code.as_deref(), Some("104103"));
    assert!(
        d.headline.starts_with("104103 means the Zoom app could not reach Zoom's servers; here it is because this network's name lookup blocks Zoom"),
        "{}",
        d.headline
    );
    assert!(d.headline.ends_with("(zoom.us)."), "{}", d.headline);
    assert!(
        d.headline.split_whitespace().count() <= 30,
        "{}",
        d.headline
    );
    // No cause, but a code: say what was ruled out.
    let d = diagnose(&healthy(), Some("104103"));
    assert!(d.causes.is_empty());
    assert!(
        d.headline.contains("everything Zoom needs works here now"),
        "{}",
        d.headline
    );
    assert!(d.ruled_out.len() >= 5, "{:?}", d.ruled_out);
    assert_eq!(
        diagnose(&healthy(), None).headline,
        "Everything Zoom needs works on this computer and network."
    );
    for (input, want) in [
        ("104103", Some("104103")),
        (" 104103 ", Some("104103")),
        ("5003", Some("5003")),
        ("Error 104103", Some("104103")),
        ("error code: 104103", Some("104103")),
        ("#10002", Some("10002")),
        ("abc", None),
        ("", None),
        ("123456789", None),
        ("10410; rm -rf /", None),
        ("-1", None),
        ("104 103", None),
    ] {
        assert_eq!(clean_code(input).as_deref(), want, "{input:?}");
    }
    assert_eq!(code_meaning("999999"), None);
}

#[test]
fn offline_is_alone_and_offers_the_right_first_step() {
    let d = diagnose(&all_red(), Some("104101"));
    assert_eq!(ids(&d), vec!["offline"]);
    assert_eq!(d.causes[0].steps[0].id, "restart_router");
    assert!(d.causes[0].error_codes.contains(&"104101".to_string()));
}

#[test]
fn catalogs_are_complete() {
    for id in StepId::ALL {
        let s = step(*id);
        assert!(
            !s.title.is_empty()
                && !s.why.is_empty()
                && !s.how.is_empty()
                && !s.worked_if.is_empty(),
            "{id}"
        );
    }
    // Every cause in every table case names only known fixes and steps.
    let mut all = vec![all_red(), healthy()];
    for id in [
        "dns.system",
        "proxy",
        "firewall",
        "zoom_client",
        "clock",
        "tcp.443",
        "udp.3478",
        "loss",
        "service_status",
    ] {
        all.push(with(healthy(), vec![f(id, Status::Fail)]));
    }
    for findings in all {
        for c in diagnose(&findings, None).causes {
            for fix in &c.fixes {
                let entry = md_model::fix_catalog::get(*fix);
                assert!(!entry.title.is_empty(), "{}: {fix}", c.id);
            }
            for s in &c.steps {
                assert!(
                    StepId::ALL.contains(&s.id) && !s.title.is_empty(),
                    "{}: {}",
                    c.id,
                    s.id
                );
            }
            assert!(c.confidence > 0.0 && c.confidence <= 1.0);
            assert!(
                !c.summary.is_empty() && !c.explanation.is_empty(),
                "{}",
                c.id
            );
        }
    }
}
