//! The probes and the plan: which checks a profile asks for, each with a
//! named timeout.

pub mod computer;
pub mod context;
pub mod dns;
pub mod ports;
pub mod proxy;
pub mod quality;
pub mod runner;
pub mod tls;
pub mod web;

use md_model::ids::CheckId;
use std::time::Duration;

use serde::Serialize;

use crate::context::Context;
use md_model::error::{Error, Result};
use md_model::finding::Finding;
use md_model::profile::{PortTarget, Profile};

/// A timeout with a name and the reason for its length, so a finding that
/// ran out of time can say which limit it hit and why that limit exists.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct NamedTimeout {
    pub name: &'static str,
    pub reason: &'static str,
    #[serde(serialize_with = "as_ms")]
    pub duration: Duration,
}

fn as_ms<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// What a probe does. One probe may produce several findings (the DNS
/// probe gives `dns.system` and `dns.reference`; quality gives three).
#[derive(Debug, Clone)]
pub enum ProbeKind {
    Internet,
    CaptivePortal,
    Dns,
    Tcp(PortTarget),
    Udp(PortTarget),
    Tls,
    Clock,
    ServiceStatus,
    Quality,
    Bandwidth,
    /// This computer's settings (proxy, VPN, firewall, Zoom app, link).
    Computer,
    /// The runner's own tests: a probe that never ends, stuck in a system
    /// call (`blocking`, as a socket under Wine was) or simply never ready.
    #[cfg(test)]
    Stuck {
        blocking: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Probe {
    pub kind: ProbeKind,
    /// The check ids this probe reports.
    pub ids: Vec<CheckId>,
    /// The longest the probe may take before the runner gives up on it.
    pub timeout: NamedTimeout,
}

/// The checks a run will make, in the order they are reported.
#[derive(Debug, Clone)]
pub struct Plan {
    pub probes: Vec<Probe>,
}

impl Plan {
    /// Every check the profile has what it needs for.
    pub fn for_profile(p: &Profile) -> Plan {
        let step = p.probe_timeout();
        let t = |name, reason, duration| NamedTimeout {
            name,
            reason,
            duration,
        };
        let grace = Duration::from_millis(250);
        let one_step = t("probe_ms", "one network step: a connect, query, handshake or request that takes longer is as good as failed for a meeting join", step + grace);
        let mut probes = Vec::new();
        let mut add = |kind, ids: Vec<CheckId>, timeout| probes.push(Probe { kind, ids, timeout });
        if p.http.internet.is_some() {
            add(ProbeKind::Internet, vec![CheckId::Internet], one_step);
        }
        if p.http.captive_portal.is_some() {
            add(
                ProbeKind::CaptivePortal,
                vec![CheckId::CaptivePortal],
                one_step,
            );
        }
        if !p.dns.names.is_empty() {
            let mut ids = vec![CheckId::DnsSystem];
            if !p.dns.reference_resolvers.is_empty() {
                ids.push(CheckId::DnsReference);
            }
            add(ProbeKind::Dns, ids, one_step);
        }
        for target in &p.tcp {
            add(
                ProbeKind::Tcp(target.clone()),
                vec![CheckId::Tcp(target.port.0)],
                one_step,
            );
        }
        for target in &p.udp {
            add(
                ProbeKind::Udp(target.clone()),
                vec![CheckId::Udp(target.port.0)],
                one_step,
            );
        }
        if !p.tls.targets.is_empty() {
            add(ProbeKind::Tls, vec![CheckId::Tls], one_step);
        }
        if p.http.clock.is_some() {
            add(ProbeKind::Clock, vec![CheckId::Clock], one_step);
        }
        if p.http.status.is_some() {
            add(
                ProbeKind::ServiceStatus,
                vec![CheckId::ServiceStatus],
                one_step,
            );
        }
        if quality_tcp_target(p).is_some() || quality_udp_target(p).is_some() {
            add(
                ProbeKind::Quality,
                vec![CheckId::Latency, CheckId::Jitter, CheckId::Loss],
                t("quality", "a name lookup, then about a second of spaced samples: enough to see delay, jitter and loss without slowing the report", step * 2 + Duration::from_millis(1500)),
            );
        }
        if p.http.download.is_some() {
            add(
                ProbeKind::Bandwidth,
                vec![CheckId::Bandwidth],
                t("bandwidth", "a capped transfer: two seconds each way is enough to rate a connection against Zoom's needs", step * 2 + quality::TRANSFER_TIME * 2 + grace),
            );
        }
        add(
            ProbeKind::Computer,
            computer::IDS.to_vec(),
            t("computer", "local tools answer in milliseconds and a proxy test may fetch a proxy script and try the proxy; one that hangs (a stuck service) is cut off rather than holding the report", step * 3),
        );
        Plan { probes }
    }

    /// All check ids, in report order.
    pub fn check_ids(&self) -> Vec<CheckId> {
        self.probes
            .iter()
            .flat_map(|p| p.ids.iter().copied())
            .collect()
    }

    /// Keeps only the named checks. A name matches an id exactly, or a
    /// whole family by its prefix (`tcp` → `tcp.443`, `tcp.8801`…).
    pub fn only(mut self, wanted: &[String]) -> Result<Plan> {
        let all: Vec<String> = self.check_ids().iter().map(CheckId::to_string).collect();
        let matches = |w: &str, id: &str| {
            id == w || id.strip_prefix(w).is_some_and(|rest| rest.starts_with('.'))
        };
        for w in wanted {
            if !all.iter().any(|id| matches(w, id)) {
                return Err(Error::UnknownCheck {
                    id: w.clone(),
                    known: all.join(", "),
                });
            }
        }
        for probe in &mut self.probes {
            probe
                .ids
                .retain(|id| wanted.iter().any(|w| matches(w, &id.to_string())));
        }
        self.probes.retain(|p| !p.ids.is_empty());
        Ok(self)
    }
}

/// A check that could not start because its HTTP client could not be built.
fn client_error(id: CheckId, e: &Error) -> Finding {
    Finding::new(
        id,
        md_model::finding::Status::Unknown,
        "Couldn't run this check.",
    )
    .detail(e.to_string())
}

/// The latency target: the first TCP target with a host, port 443 preferred.
fn quality_tcp_target(p: &Profile) -> Option<&PortTarget> {
    let with_host = || p.tcp.iter().filter(|t| t.host.is_some());
    with_host()
        .find(|t| t.port.0 == 443)
        .or_else(|| with_host().next())
}

/// The loss/jitter target: the first UDP (STUN) target with a host.
fn quality_udp_target(p: &Profile) -> Option<&PortTarget> {
    p.udp.iter().find(|t| t.host.is_some())
}

impl Probe {
    /// Runs the probe and returns one finding per id it was asked for.
    pub async fn run(&self, ctx: &Context) -> Vec<Finding> {
        let p = &*ctx.profile;
        let step = p.probe_timeout();
        let findings = match &self.kind {
            #[cfg(test)]
            ProbeKind::Stuck { blocking } => {
                if *blocking {
                    std::thread::sleep(Duration::from_secs(3600));
                }
                std::future::pending::<Vec<Finding>>().await
            }
            ProbeKind::Internet => match &p.http.internet {
                Some(u) => vec![web::internet(u, ctx.via(&u.0).await.as_ref(), step).await],
                None => vec![],
            },
            ProbeKind::CaptivePortal => match &p.http.captive_portal {
                Some(u) => {
                    let via = ctx.via(&u.0).await;
                    vec![
                        web::captive_portal(
                            u,
                            via.as_ref(),
                            p.http.captive_portal_body.as_deref(),
                            step,
                        )
                        .await,
                    ]
                }
                None => vec![],
            },
            ProbeKind::Dns => {
                let servers = tokio::time::timeout(step, ctx.platform.dns_servers());
                let ((mut system, reference), servers) = tokio::join!(
                    dns::check(&p.dns.names, &p.dns.reference_resolvers, step),
                    servers
                );
                let servers = servers.unwrap_or_else(|_| md_facts::collect::Fact::Unknown {
                    reason: "reading the DNS settings took too long".into(),
                });
                dns::add_servers(&mut system, &servers);
                std::iter::once(system).chain(reference).collect()
            }
            ProbeKind::Tcp(target) => vec![ports::tcp(target, step).await],
            ProbeKind::Udp(target) => vec![ports::udp(target, step).await],
            ProbeKind::Tls => {
                let mut vias = Vec::new();
                for t in &p.tls.targets {
                    vias.push(match url::Url::parse(&format!("https://{t}/")) {
                        Ok(u) => ctx.via(&u).await,
                        Err(_) => None,
                    });
                }
                vec![tls::check(&p.tls.targets, &vias, &ctx.trust, step).await]
            }
            ProbeKind::Clock => match &p.http.clock {
                Some(u) => vec![web::clock(u, ctx.via(&u.0).await.as_ref(), step).await],
                None => vec![],
            },
            ProbeKind::ServiceStatus => match &p.http.status {
                Some(u) => match ctx.http_for(&u.0).await {
                    Ok(http) => vec![web::service_status(&http, u, step).await],
                    Err(e) => vec![client_error(CheckId::ServiceStatus, &e)],
                },
                None => vec![],
            },
            ProbeKind::Quality => {
                quality::check(quality_tcp_target(p), quality_udp_target(p), step).await
            }
            ProbeKind::Computer => {
                let settings = ctx.proxy_settings().await;
                let script = ctx.proxy_script().await;
                let zoom = p.tls.targets.first();
                let facts = ctx
                    .platform
                    .facts_toward(md_model::profile::zoom_host_of(p), Some(settings.clone()));
                let proxy_check = async {
                    let zoom_ip = match zoom {
                        Some(z) => md_net::resolve_system(&z.host.0, z.port, step)
                            .await
                            .ok()
                            .and_then(|a| a.first().map(|s| s.ip())),
                        None => None,
                    };
                    let my_ip = crate::proxy::local_ip_toward(zoom_ip);
                    crate::proxy::check(&settings, &script, zoom, my_ip, step)
                        .await
                        .0
                };
                let (facts, proxy) = tokio::join!(facts, proxy_check);
                let mut findings = computer::judge(&facts);
                for f in &mut findings {
                    if f.id == "proxy" {
                        *f = proxy.clone();
                    }
                }
                findings
            }
            ProbeKind::Bandwidth => match &p.http.download {
                Some(u) => match ctx.http_for(&u.0).await {
                    Ok(http) => {
                        vec![quality::bandwidth(&http, u, p.http.upload.as_ref(), step).await]
                    }
                    Err(e) => vec![client_error(CheckId::Bandwidth, &e)],
                },
                None => vec![],
            },
        };
        findings
            .into_iter()
            .filter(|f| self.ids.contains(&f.id))
            .collect()
    }
}
