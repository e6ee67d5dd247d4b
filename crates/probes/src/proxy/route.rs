//! Which proxy Zoom's address goes through: the manual setting and its exceptions, or the proxy script (found, fetched or read, and evaluated).

use super::*;

/// Largest proxy script read (real ones are a few KiB; some reach 100s).
pub(super) const PAC_CAP: usize = 1024 * 1024;

/// The proxy script the settings point at, looked for and downloaded once
/// per run: every URL is then decided against the same script, and a
/// script server that does not answer costs one wait, not one per URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    /// No script: manual settings or none.
    NotSet,
    /// Automatic discovery is on but no "wpad" host answers: apps use the
    /// manual settings, or go direct.
    NotFound,
    Fetched {
        url: String,
        text: String,
    },
    Failed(RouteError),
}

/// Looks for the script `settings` name (or that WPAD finds) and fetches it.
pub async fn find_script(settings: &ProxySettings, timeout: Duration) -> Script {
    let url = match (&settings.pac_url, settings.auto_detect) {
        (Some(u), _) => u.clone(),
        // Automatic discovery by DNS (WPAD): a host named "wpad" in the
        // local domain serves the script.
        (None, true) => match net::resolve_system("wpad", 80, timeout).await {
            Ok(_) => "http://wpad/wpad.dat".to_string(),
            Err(_) => return Script::NotFound,
        },
        (None, false) => return Script::NotSet,
    };
    match fetch_pac(&url, timeout).await {
        Ok(text) => Script::Fetched { url, text },
        Err(e) => Script::Failed(e),
    }
}

/// The proxy an application following `settings` uses for `url`, with the
/// script found by [`find_script`]. `my_ip` is what the script's
/// `myIpAddress()` returns; `timeout` bounds the script's run.
pub async fn route(
    settings: &ProxySettings,
    script: &Script,
    url: &url::Url,
    my_ip: IpAddr,
    timeout: Duration,
) -> Result<Route, RouteError> {
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    if settings.is_direct() {
        return Ok(Route::direct(url.as_str(), "no proxy is set"));
    }
    match script {
        Script::Failed(e) => return Err(e.clone()),
        Script::Fetched { url: pac_url, text } => {
            let chain = evaluate(text.clone(), url.as_str(), host, my_ip, timeout)
                .await
                .map_err(|error| RouteError::Pac {
                    url: pac_url.clone(),
                    error,
                })?;
            return Ok(Route {
                url: url.to_string(),
                chain,
                how: format!("the proxy script {pac_url}"),
            });
        }
        Script::NotFound if manual_for(settings, url).is_none() => {
            return Ok(Route::direct(
                url.as_str(),
                "automatic proxy discovery found no proxy script (no \"wpad\" host)",
            ));
        }
        Script::NotFound | Script::NotSet => {}
    }
    if bypassed(host, &settings.bypass) {
        return Ok(Route::direct(
            url.as_str(),
            format!("{host} is on the proxy exception list"),
        ));
    }
    Ok(match manual_for(settings, url) {
        Some(hop) => Route {
            url: url.to_string(),
            chain: vec![hop],
            how: format!("the manual proxy setting ({})", settings.source),
        },
        None => Route::direct(
            url.as_str(),
            format!(
                "the manual proxy setting ({}) has no proxy for {} addresses",
                settings.source,
                url.scheme()
            ),
        ),
    })
}

/// The manual proxy for a URL's scheme: https → the HTTPS proxy, http → the
/// HTTP proxy, then SOCKS for either (curl and the desktops do the same).
pub(super) fn manual_for(settings: &ProxySettings, url: &url::Url) -> Option<PacProxy> {
    let scheme_proxy = match url.scheme() {
        "https" | "wss" => settings.https.as_ref(),
        _ => settings.http.as_ref(),
    };
    scheme_proxy
        .map(|p| PacProxy::Proxy(with_port(p, 8080)))
        .or_else(|| {
            settings
                .socks
                .as_ref()
                .map(|s| PacProxy::Socks(with_port(s, 1080)))
        })
}

pub(super) fn with_port(hp: &str, default: u16) -> String {
    let has_port = hp
        .rsplit_once(':')
        .is_some_and(|(h, p)| !h.is_empty() && !h.ends_with(':') && p.parse::<u16>().is_ok());
    if has_port {
        hp.to_string()
    } else {
        format!("{hp}:{default}")
    }
}

/// True when `host` matches an exception: `*` (everything), `<local>`
/// (plain host names), `*.example.com` and `.example.com` (subdomains),
/// `example.com` (itself and its subdomains, as no_proxy means it),
/// `10.*` style wildcards and `10.0.0.0/8` networks.
pub fn bypassed(host: &str, bypass: &[String]) -> bool {
    let host = host.to_ascii_lowercase();
    let ip: Option<IpAddr> = host.parse().ok();
    bypass.iter().any(|raw| {
        let pat = raw.trim().to_ascii_lowercase();
        let pat = pat.trim_matches(['[', ']']);
        if pat.is_empty() {
            return false;
        }
        if pat == "*" {
            return true;
        }
        if pat == "<local>" {
            return !host.contains('.') && ip.is_none();
        }
        if let (Some((net, bits)), Some(ip)) = (pat.split_once('/'), ip) {
            return net::in_network(ip, net, bits);
        }
        if pat.contains('*') {
            return glob(pat, &host);
        }
        let bare = pat.trim_start_matches('.');
        host == bare || host.ends_with(&format!(".{bare}"))
    })
}

/// `*` matches any run of characters.
pub(super) fn glob(pat: &str, s: &str) -> bool {
    let parts: Vec<&str> = pat.split('*').collect();
    let mut rest = s;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// Downloads a proxy script (always directly, as the OS does).
pub(super) async fn fetch_pac(pac_url: &str, timeout: Duration) -> Result<String, RouteError> {
    let err = |why: String| RouteError::PacFetch {
        url: pac_url.to_string(),
        why,
    };
    let url = url::Url::parse(pac_url).map_err(|e| err(format!("not a usable address ({e})")))?;
    let bytes = match url.scheme() {
        "file" => {
            let path = url
                .to_file_path()
                .map_err(|_| err("not a usable file address".into()))?;
            read_pac_file(path, timeout).await.map_err(err)?
        }
        "http" | "https" => {
            let client = reqwest::Client::builder()
                .no_proxy()
                .timeout(timeout)
                .tls_backend_preconfigured(tls_for_fetch().map_err(err)?)
                .build()
                .map_err(|e| err(e.to_string()))?;
            let resp = client
                .get(url)
                .send()
                .await
                .map_err(|e| err(reqwest_reason(&e)))?;
            let status = resp.status();
            if !status.is_success() {
                return Err(err(format!("the server answered {status}")));
            }
            if resp.content_length().is_some_and(|n| n > PAC_CAP as u64) {
                return Err(err(too_big()));
            }
            let mut body = Vec::new();
            let mut resp = resp;
            while let Some(chunk) = resp.chunk().await.map_err(|e| err(reqwest_reason(&e)))? {
                if body.len() + chunk.len() > PAC_CAP {
                    return Err(err(too_big()));
                }
                body.extend_from_slice(&chunk);
            }
            body
        }
        other => return Err(err(format!("{other}: addresses are not supported"))),
    };
    String::from_utf8(bytes).map_err(|_| err("it is not text".into()))
}

pub(super) fn too_big() -> String {
    format!("it is larger than {} KiB", PAC_CAP / 1024)
}

/// Reads a proxy script file: a regular file of at most [`PAC_CAP`] bytes,
/// within `timeout`. A FIFO with no writer (opening it waits for one), a
/// device such as `/dev/zero` (endless) or a file on a hung network share
/// must neither hang the check nor fill the memory. The read runs on a
/// thread of its own, not the async workers or tokio's blocking pool, so
/// one that never returns holds up nothing (a runtime waits for its
/// blocking tasks when it shuts down); that thread ends when its read does.
pub(super) async fn read_pac_file(
    path: std::path::PathBuf,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    read_pac_file_with(path, timeout, read_capped).await
}

pub(super) async fn read_pac_file_with(
    path: std::path::PathBuf,
    timeout: Duration,
    read: fn(&std::path::Path) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("md-pac-file".into())
        .spawn(move || {
            let _ = tx.send(read(&path));
        })
        .map_err(|e| format!("cannot start reading it: {e}"))?;
    match tokio::time::timeout(timeout, rx).await {
        Ok(Ok(read)) => read,
        Ok(Err(_)) => Err("reading it stopped unexpectedly".into()),
        Err(_) => Err(format!(
            "reading it took longer than {:.1} s",
            timeout.as_secs_f64()
        )),
    }
}

pub(super) fn read_capped(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let not_a_file = || "it is not a regular file (it is a pipe, a device or a folder)".to_string();
    // Looked at before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    if meta.len() > PAC_CAP as u64 {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // And again once open, in case it was swapped meanwhile.
    if !file.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err(not_a_file());
    }
    let mut data = Vec::new();
    file.take(PAC_CAP as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| e.to_string())?;
    if data.len() > PAC_CAP {
        // It grew while being read.
        return Err(too_big());
    }
    Ok(data)
}

pub(super) fn tls_for_fetch() -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        let _ = roots.add(cert);
    }
    Ok(
        rustls::ClientConfig::builder_with_provider(md_net::trust::crypto_provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

pub(super) fn reqwest_reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        e.to_string()
    }
}

/// Runs the script on a blocking thread; its DNS helpers use the system
/// resolver with a short limit of their own.
pub(super) async fn evaluate(
    script: String,
    url: &str,
    host: &str,
    my_ip: IpAddr,
    timeout: Duration,
) -> Result<Vec<PacProxy>, pac::PacError> {
    let handle = tokio::runtime::Handle::current();
    let (url, host) = (url.to_string(), host.to_string());
    let run = tokio::task::spawn_blocking(move || {
        let resolve = move |name: &str| -> Option<IpAddr> {
            handle
                .block_on(net::resolve_system(
                    name,
                    0,
                    Duration::from_millis(1000).min(timeout),
                ))
                .ok()
                .and_then(|a| a.first().map(|s| s.ip()))
        };
        let env = pac::PacEnv {
            my_ip,
            resolve: &resolve,
            time_limit: timeout,
        };
        pac::find_proxy(&script, &url, &host, &env)
    });
    match run.await {
        Ok(r) => r,
        Err(e) => Err(pac::PacError::Runtime(e.to_string())),
    }
}
