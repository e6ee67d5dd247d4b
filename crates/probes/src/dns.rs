//! `dns.system` (the operating system's resolver, as the Zoom app resolves)
//! and `dns.reference` (the profile's public resolvers, queried directly).
//! Both run together so each finding can say what the other saw: a name
//! that fails only on the system resolver is this network's DNS at fault.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use md_model::evidence::{self, DnsSystemEvidence};
use md_model::ids::CheckId;

use hickory_resolver::config::{
    ConnectionConfig, LookupIpStrategy, NameServerConfig, ResolveHosts, ResolverConfig,
    ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::Resolver as HickoryResolver;
use serde::Serialize;
use serde_json::json;

use md_model::finding::{Finding, Status};
use md_model::profile::{DnsName, Resolver};
use md_net::is_sinkhole;

/// How one name fared on one resolver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Answer {
    /// Real-looking addresses.
    Addresses { addresses: Vec<IpAddr> },
    /// Only addresses a filter gives (0.0.0.0, 127/8, private ranges…).
    Sinkhole { addresses: Vec<IpAddr> },
    /// The resolver said the name does not exist.
    NotFound,
    /// The resolver answered with an error (SERVFAIL, REFUSED, no records…).
    Error { message: String },
    /// No answer before the deadline.
    NoAnswer,
    /// The resolver could not be reached at all (no route, refused).
    Unreachable { message: String },
}

impl Answer {
    fn from_addresses(mut addresses: Vec<IpAddr>) -> Answer {
        addresses.sort();
        addresses.dedup();
        if addresses.is_empty() {
            Answer::Error {
                message: "no addresses".into(),
            }
        } else if addresses.iter().all(|ip| is_sinkhole(*ip)) {
            Answer::Sinkhole { addresses }
        } else {
            Answer::Addresses { addresses }
        }
    }

    fn ok(&self) -> bool {
        matches!(self, Answer::Addresses { .. })
    }

    fn describe(&self) -> String {
        match self {
            Answer::Addresses { addresses } | Answer::Sinkhole { addresses } => addresses
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Answer::NotFound => "does not exist (NXDOMAIN)".into(),
            Answer::Error { message } => format!("error: {message}"),
            Answer::NoAnswer => "no answer".into(),
            Answer::Unreachable { message } => format!("resolver unreachable: {message}"),
        }
    }
}

/// Looks a name up through getaddrinfo, as applications do.
pub async fn system_lookup(name: &str, timeout: Duration) -> Answer {
    // Exactly the name the app would ask for (no trailing dot: search
    // domains apply as they would for the app).
    match tokio::time::timeout(timeout, tokio::net::lookup_host(format!("{name}:443"))).await {
        Err(_) => Answer::NoAnswer,
        Ok(Ok(addrs)) => Answer::from_addresses(addrs.map(|a| a.ip()).collect()),
        Ok(Err(e)) => classify_gai_error(&e.to_string()),
    }
}

/// getaddrinfo reports by message (EAI_* codes are not exposed by std).
fn classify_gai_error(message: &str) -> Answer {
    let m = message.to_ascii_lowercase();
    if m.contains("not known")
        || m.contains("no address associated")
        || m.contains("nodename nor servname")
        || m.contains("no such host")
    {
        Answer::NotFound
    } else if m.contains("temporary failure") || m.contains("try again") || m.contains("timed out")
    {
        // EAI_AGAIN: the resolver timed out or answered SERVFAIL.
        Answer::Error {
            message: message.to_string(),
        }
    } else {
        Answer::Error {
            message: message.to_string(),
        }
    }
}

/// Looks a name up on one resolver, directly, with no cache and no hosts file.
pub async fn reference_lookup(server: &Resolver, name: &str, timeout: Duration) -> Answer {
    let mut conn = ConnectionConfig::udp();
    conn.port = server.0.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = server.0.port();
    let ns = NameServerConfig::new(server.0.ip(), true, vec![conn, tcp]);
    let mut opts = ResolverOpts::default();
    opts.timeout = timeout;
    opts.attempts = 1;
    opts.cache_size = 0;
    opts.use_hosts_file = ResolveHosts::Never;
    opts.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    opts.ndots = 0;
    let resolver = match HickoryResolver::builder_with_config(
        ResolverConfig::from_name_servers(vec![ns]),
        TokioRuntimeProvider::default(),
    )
    .with_options(opts)
    .build()
    {
        Ok(r) => r,
        Err(e) => {
            return Answer::Error {
                message: e.to_string(),
            }
        }
    };
    let fqdn = format!("{name}.");
    match tokio::time::timeout(timeout, resolver.lookup_ip(fqdn.as_str())).await {
        Err(_) => Answer::NoAnswer,
        Ok(Ok(lookup)) => Answer::from_addresses(lookup.iter().collect()),
        Ok(Err(e)) if e.is_nx_domain() => Answer::NotFound,
        Ok(Err(e)) => match e {
            hickory_resolver::net::NetError::Timeout => Answer::NoAnswer,
            hickory_resolver::net::NetError::NoConnections
            | hickory_resolver::net::NetError::Io(_) => Answer::Unreachable {
                message: e.to_string(),
            },
            other => Answer::Error {
                message: other.to_string(),
            },
        },
    }
}

/// Runs both lookups for every name and returns (`dns.system`, `dns.reference`).
pub async fn check(
    names: &[DnsName],
    resolvers: &[Resolver],
    timeout: Duration,
) -> (Finding, Option<Finding>) {
    let system = futures::future::join_all(names.iter().map(|n| system_lookup(&n.0, timeout)));
    let reference = futures::future::join_all(names.iter().map(|n| async move {
        let per_server =
            futures::future::join_all(resolvers.iter().map(|r| reference_lookup(r, &n.0, timeout)))
                .await;
        resolvers
            .iter()
            .map(ToString::to_string)
            .zip(per_server)
            .collect::<BTreeMap<String, Answer>>()
    }));
    let (system, reference) = tokio::join!(system, reference);
    let system_f = judge_system(
        names,
        &system,
        (!resolvers.is_empty()).then_some(&reference[..]),
    );
    let reference_f = (!resolvers.is_empty()).then(|| judge_reference(names, &reference));
    (system_f, reference_f)
}

/// Adds the configured DNS servers (`dns.servers`) to the system finding:
/// a technician's first question about a DNS failure.
pub fn add_servers(f: &mut Finding, servers: &md_facts::collect::Fact<md_facts::DnsServers>) {
    use md_facts::collect::Fact;
    let line = match servers {
        Fact::Known { value, source } => {
            let list: Vec<String> = value.servers.iter().map(ToString::to_string).collect();
            if list.is_empty() {
                format!("DNS servers: none configured (read from {source})")
            } else {
                format!("DNS servers: {} (read from {source})", list.join(", "))
            }
        }
        Fact::Unknown { reason } => format!("DNS servers: unknown ({reason})"),
    };
    if let Some(obj) = f.evidence.as_object_mut() {
        obj.insert(
            "dns.servers".into(),
            serde_json::to_value(servers).unwrap_or_default(),
        );
    } else {
        f.evidence = serde_json::json!({ "dns.servers": servers, "previous": f.evidence.clone() });
    }
    if f.detail.is_empty() {
        f.detail = line;
    } else {
        f.detail = format!("{}\n{line}", f.detail);
    }
}

fn best_reference(per_server: &BTreeMap<String, Answer>) -> Option<&Answer> {
    per_server.values().find(|a| a.ok()).or_else(|| {
        per_server
            .values()
            .find(|a| matches!(a, Answer::Sinkhole { .. } | Answer::NotFound))
    })
}

/// Judges the system resolver's answers, comparing with the reference ones.
pub fn judge_system(
    names: &[DnsName],
    system: &[Answer],
    reference: Option<&[BTreeMap<String, Answer>]>,
) -> Finding {
    let id = CheckId::DnsSystem;
    let mut lines = Vec::new();
    let mut per_name = serde_json::Map::new();
    let (mut sinkholed, mut only_here, mut failed, mut silent) = (vec![], vec![], vec![], vec![]);
    for (i, (name, answer)) in names.iter().zip(system).enumerate() {
        let reference_ok = reference
            .and_then(|r| r.get(i))
            .and_then(best_reference)
            .is_some_and(Answer::ok);
        lines.push(format!("{name}: {}", answer.describe()));
        per_name.insert(
            name.0.clone(),
            json!({ "system": answer, "reference_resolves": reference_ok }),
        );
        match answer {
            Answer::Addresses { .. } => {}
            Answer::Sinkhole { .. } => sinkholed.push(name.0.clone()),
            _ if reference_ok => only_here.push(name.0.clone()),
            Answer::NoAnswer => silent.push(name.0.clone()),
            _ => failed.push(name.0.clone()),
        }
    }
    // What the diagnosis reads, written through its type (md_model::evidence).
    let mut ev = json!({ "names": per_name });
    evidence::write(
        &DnsSystemEvidence {
            sinkholed: sinkholed.clone(),
            fails_only_on_system: only_here.clone(),
        },
        &mut ev,
    );
    let detail = lines.join("\n");
    let (status, summary) = if !sinkholed.is_empty() {
        (Status::Fail, format!("This network's name lookup is blocking Zoom: {} points nowhere (a filter's answer).", sinkholed.join(", ")))
    } else if !only_here.is_empty() {
        (
            Status::Fail,
            format!(
                "This computer's name lookup (DNS) can't find {}, though public DNS can.",
                only_here.join(", ")
            ),
        )
    } else if !silent.is_empty() && failed.is_empty() && silent.len() == names.len() {
        (
            Status::Fail,
            "This computer's name lookup (DNS) is not answering.".to_string(),
        )
    } else if !silent.is_empty() || !failed.is_empty() {
        let mut all = silent.clone();
        all.extend(failed.iter().cloned());
        (
            Status::Fail,
            format!(
                "This computer could not find Zoom's servers by name ({}).",
                all.join(", ")
            ),
        )
    } else {
        (
            Status::Pass,
            "This computer finds Zoom's servers by name.".to_string(),
        )
    };
    Finding::new(id, status, summary)
        .detail(detail)
        .evidence(ev)
}

/// Judges the reference resolvers' answers.
pub fn judge_reference(names: &[DnsName], reference: &[BTreeMap<String, Answer>]) -> Finding {
    let id = CheckId::DnsReference;
    let mut lines = Vec::new();
    let mut per_name = serde_json::Map::new();
    let (mut ok, mut sinkholed, mut unreachable, mut other) = (0, vec![], 0, vec![]);
    for (name, per_server) in names.iter().zip(reference) {
        for (server, a) in per_server {
            lines.push(format!("{name} @ {server}: {}", a.describe()));
        }
        per_name.insert(name.0.clone(), json!(per_server));
        match best_reference(per_server) {
            Some(a) if a.ok() => ok += 1,
            Some(Answer::Sinkhole { .. }) => sinkholed.push(name.0.clone()),
            None if per_server
                .values()
                .all(|a| matches!(a, Answer::NoAnswer | Answer::Unreachable { .. })) =>
            {
                unreachable += 1
            }
            _ => other.push(name.0.clone()),
        }
    }
    let ev = json!({ "names": per_name });
    let detail = lines.join("\n");
    let (status, summary) = if !sinkholed.is_empty() {
        (
            Status::Fail,
            format!(
                "Even public name lookup is being filtered on this network ({} points nowhere).",
                sinkholed.join(", ")
            ),
        )
    } else if ok == names.len() {
        (
            Status::Pass,
            "Public name lookup (DNS) finds Zoom's servers.".to_string(),
        )
    } else if unreachable == names.len() {
        (
            Status::Unknown,
            "Couldn't reach public name lookup servers; this network may allow only its own."
                .to_string(),
        )
    } else {
        (
            Status::Warn,
            format!("Public name lookup could not find {}.", other.join(", ")),
        )
    };
    Finding::new(id, status, summary)
        .detail(detail)
        .evidence(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<DnsName> {
        n.iter().map(|s| DnsName((*s).into())).collect()
    }
    fn addr(s: &str) -> Answer {
        Answer::from_addresses(vec![s.parse().unwrap()])
    }
    fn refs(a: Answer) -> BTreeMap<String, Answer> {
        [("1.1.1.1".to_string(), a)].into_iter().collect()
    }

    #[test]
    fn answers_are_classified() {
        assert!(matches!(addr("0.0.0.0"), Answer::Sinkhole { .. }));
        assert!(matches!(addr("170.114.52.2"), Answer::Addresses { .. }));
        // One real address among sinkholes is not a sinkhole.
        let mixed = Answer::from_addresses(vec![
            "10.0.0.1".parse().unwrap(),
            "170.114.52.2".parse().unwrap(),
        ]);
        assert!(mixed.ok());
        assert!(matches!(
            classify_gai_error("failed to lookup address information: Name or service not known"),
            Answer::NotFound
        ));
        assert!(matches!(
            classify_gai_error(
                "failed to lookup address information: Temporary failure in name resolution"
            ),
            Answer::Error { .. }
        ));
    }

    #[test]
    fn system_judgement_table() {
        let n = names(&["zoom.us", "www.zoom.us"]);
        let good = refs(addr("170.114.52.2"));
        type Case = (
            Vec<Answer>,
            Vec<BTreeMap<String, Answer>>,
            Status,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            (
                vec![addr("170.114.52.2"), addr("170.114.52.3")],
                vec![good.clone(), good.clone()],
                Status::Pass,
                "finds",
            ),
            (
                vec![addr("0.0.0.0"), addr("170.114.52.3")],
                vec![good.clone(), good.clone()],
                Status::Fail,
                "blocking",
            ),
            (
                vec![Answer::NotFound, addr("170.114.52.3")],
                vec![good.clone(), good.clone()],
                Status::Fail,
                "though public DNS can",
            ),
            (
                vec![Answer::NoAnswer, Answer::NoAnswer],
                vec![refs(Answer::NoAnswer), refs(Answer::NoAnswer)],
                Status::Fail,
                "not answering",
            ),
            (
                vec![Answer::NotFound, Answer::NotFound],
                vec![refs(Answer::NotFound), refs(Answer::NotFound)],
                Status::Fail,
                "could not find",
            ),
        ];
        for (sys, r, want, words) in cases {
            let f = judge_system(&n, &sys, Some(&r));
            assert_eq!(f.status, want, "{sys:?}: {}", f.summary);
            assert!(f.summary.contains(words), "{}", f.summary);
        }
    }

    #[test]
    fn reference_judgement_table() {
        let n = names(&["zoom.us"]);
        assert_eq!(
            judge_reference(&n, &[refs(addr("170.114.52.2"))]).status,
            Status::Pass
        );
        assert_eq!(
            judge_reference(&n, &[refs(Answer::NoAnswer)]).status,
            Status::Unknown
        );
        assert_eq!(
            judge_reference(
                &n,
                &[refs(Answer::Unreachable {
                    message: "no route".into()
                })]
            )
            .status,
            Status::Unknown
        );
        assert_eq!(
            judge_reference(
                &n,
                &[refs(Answer::Error {
                    message: "SERVFAIL".into()
                })]
            )
            .status,
            Status::Warn
        );
        assert_eq!(
            judge_reference(&n, &[refs(addr("0.0.0.0"))]).status,
            Status::Fail
        );
        assert_eq!(
            judge_reference(&n, &[refs(Answer::NotFound)]).status,
            Status::Warn
        );
        // One resolver silent, the other fine: public DNS works.
        let mut two = refs(Answer::NoAnswer);
        two.insert("8.8.8.8".into(), addr("170.114.52.2"));
        assert_eq!(judge_reference(&n, &[two]).status, Status::Pass);
    }
}
