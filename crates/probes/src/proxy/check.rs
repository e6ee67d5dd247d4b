//! The proxy check: the route for Zoom's address, then a real connection through it.

use super::*;

/// `proxy`: the proxy Zoom's traffic to `zoom` takes and whether it lets
/// Zoom through. A proxy is a fact, not a fault: only a proxy that refuses,
/// wants a sign-in or is unreachable fails.
pub async fn check(
    settings: &Fact<ProxySettings>,
    script: &Script,
    zoom: Option<&Endpoint>,
    my_ip: IpAddr,
    timeout: Duration,
) -> (Finding, Option<Route>) {
    let id = CheckId::Proxy;
    let (settings, read_from) = match settings {
        Fact::Known { value, source } => (value, source.clone()),
        Fact::Unknown { reason } => {
            return (
                Finding::new(id, Status::Unknown, "Couldn't check the proxy settings.")
                    .detail(reason.clone())
                    .evidence(json!({ "reason": reason })),
                None,
            )
        }
    };
    let mut ev = json!({ "settings": settings, "read_from": read_from });
    if settings.is_direct() {
        let f = Finding::new(id, Status::Pass, "No proxy is set up on this computer.")
            .detail(format!("no proxy in {read_from}"))
            .evidence(ev);
        return (f, None);
    }
    let Some(zoom) = zoom else {
        let f = Finding::new(
            id,
            Status::Unknown,
            "A proxy is set up; couldn't test it without a Zoom address to try.",
        )
        .detail(format!("{settings:?}"))
        .evidence(ev);
        return (f, None);
    };
    let host = zoom.host.0.as_str();
    let url = match url::Url::parse(&format!("https://{zoom}/")) {
        Ok(u) => u,
        Err(e) => {
            return (
                Finding::new(id, Status::Unknown, "Couldn't test the proxy.").detail(e.to_string()),
                None,
            )
        }
    };
    let route = match self::route(settings, script, &url, my_ip, timeout).await {
        Ok(r) => r,
        Err(e) => {
            ev["error"] = json!(e.to_string());
            let f = Finding::new(
                id,
                Status::Warn,
                "This computer's automatic proxy script doesn't work, so apps may not know how to reach Zoom.",
            )
            .detail(format!("{e}\nsettings read from {read_from}"))
            .evidence(ev);
            return (f, None);
        }
    };
    ev["route"] = json!(route);
    if route.first_proxy().is_none() {
        let f = Finding::new(
            id,
            Status::Pass,
            "A proxy is set up, but Zoom's traffic goes straight out.",
        )
        .detail(format!("{url}: DIRECT, by {}", route.how))
        .evidence(ev);
        return (f, Some(route));
    }
    // Try each choice in order, as applications fall back along the list.
    let mut tried = Vec::new();
    for hop in &route.chain {
        let result = tunnel(hop, host, zoom.port, timeout).await;
        match result {
            Ok((_, took)) => {
                ev["tried"] = json!(tried
                    .iter()
                    .map(|(h, e): &(PacProxy, TunnelError)| json!({"via": h, "error": e}))
                    .collect::<Vec<_>>());
                ev["used"] = json!(hop);
                let name = hop_name(hop);
                let (status, summary) = match (&tried.first(), hop) {
                    (None, _) => (
                        Status::Pass,
                        format!("Zoom's traffic goes through a proxy ({name}), and it lets Zoom through."),
                    ),
                    (Some((first, _)), PacProxy::Direct) => (
                        Status::Warn,
                        format!("The proxy {} isn't working; Zoom's traffic falls back to going straight out.", hop_name(first)),
                    ),
                    (Some((first, _)), _) => (
                        Status::Warn,
                        format!("The proxy {} isn't working; Zoom's traffic falls back to {name}.", hop_name(first)),
                    ),
                };
                let mut detail = format!(
                    "{url}: {} (by {}); CONNECT {zoom} via {name} opened in {:.0} ms",
                    chain_text(&route.chain),
                    route.how,
                    took.as_secs_f64() * 1000.0
                );
                for (h, e) in &tried {
                    detail.push_str(&format!("\n{} failed: {e}", hop_name(h)));
                }
                return (
                    Finding::new(id, status, summary)
                        .detail(detail)
                        .evidence(ev),
                    Some(route),
                );
            }
            Err(e) => {
                // Apps move down the list only when a proxy can't be
                // reached; a proxy that answers (407, 403) has decided.
                let unreachable = matches!(
                    e,
                    TunnelError::Connect { .. }
                        | TunnelError::Lookup { .. }
                        | TunnelError::NoAnswer
                );
                tried.push((hop.clone(), e));
                if !unreachable {
                    break;
                }
            }
        }
    }
    let Some((first, err)) = tried.last() else {
        return (
            Finding::new(id, Status::Unknown, "Couldn't test the proxy.").evidence(ev),
            Some(route),
        );
    };
    let name = hop_name(first);
    let summary = match err {
        e if e.wants_sign_in() => {
            format!("The proxy ({name}) asks for a sign-in before it lets Zoom through.")
        }
        TunnelError::Refused { status, reason, .. } => {
            format!("The proxy ({name}) refuses to connect to Zoom ({status} {reason}).")
        }
        TunnelError::Socks { message } => {
            format!("The proxy ({name}) refuses to connect to Zoom: {message}.")
        }
        TunnelError::Connect { .. } | TunnelError::Lookup { .. } | TunnelError::NoAnswer => {
            format!("The proxy set on this computer ({name}) isn't answering.")
        }
        TunnelError::Unsupported { .. } => {
            let f = Finding::new(
                id,
                Status::Unknown,
                format!("Zoom's traffic goes through a proxy ({name}) that couldn't be tested."),
            )
            .detail(err.to_string())
            .evidence(ev);
            return (f, Some(route));
        }
        TunnelError::Garbage { .. } => {
            format!("The proxy ({name}) gave an answer that makes no sense.")
        }
    };
    ev["tried"] = json!(tried
        .iter()
        .map(|(h, e)| json!({"via": h, "error": e}))
        .collect::<Vec<_>>());
    let detail = std::iter::once(format!(
        "{url}: {} (by {})",
        chain_text(&route.chain),
        route.how
    ))
    .chain(tried.iter().map(|(h, e)| {
        let mut line = format!("CONNECT {zoom} via {}: {e}", hop_name(h));
        if let TunnelError::Refused {
            authenticate: Some(a),
            ..
        } = e
        {
            line.push_str(&format!(" (Proxy-Authenticate: {a})"));
        }
        line
    }))
    .collect::<Vec<_>>()
    .join("\n");
    (
        Finding::new(id, Status::Fail, summary)
            .detail(detail)
            .evidence(ev),
        Some(route),
    )
}

pub(super) fn hop_name(hop: &PacProxy) -> String {
    match hop {
        PacProxy::Direct => "a direct connection".into(),
        PacProxy::Proxy(p) | PacProxy::Https(p) => p.clone(),
        PacProxy::Socks(p) => format!("SOCKS {p}"),
    }
}

pub(super) fn chain_text(chain: &[PacProxy]) -> String {
    chain
        .iter()
        .map(|h| match h {
            PacProxy::Direct => "DIRECT".to_string(),
            PacProxy::Proxy(p) => format!("PROXY {p}"),
            PacProxy::Https(p) => format!("HTTPS {p}"),
            PacProxy::Socks(p) => format!("SOCKS5 {p}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
