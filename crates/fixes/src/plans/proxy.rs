//! `proxy.disable`: the proxy settings turned off, each saved first.

use super::*;

pub(super) fn proxy_disable(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id;
    let proxy = env.proxy.clone().unwrap_or_default();
    if proxy.is_direct() {
        return Err(na(id, "This computer does not use a proxy server."));
    }
    p.side_effects
        .push("If your organization manages this setting, it may switch the proxy back on.".into());
    match env.os {
        Os::Windows => {
            p.needs_admin = false;
            // `reg query` exits 1 when the value is not there: not set.
            for v in ["ProxyEnable", "AutoConfigURL"] {
                p.steps.push(Step::save_or_absent(
                    v,
                    cmd("reg", &["query", INTERNET_SETTINGS, "/v", v]),
                    &[1],
                ));
            }
            p.steps.push(Step::run(
                "Turn off the proxy server in Internet Settings",
                reg_add("ProxyEnable", "REG_DWORD", "0"),
            ));
            p.steps.push(Step::new(
                "Stop using the automatic configuration script",
                Action::Run {
                    command: cmd("reg", &["delete", INTERNET_SETTINGS, "/v", "AutoConfigURL", "/f"]),
                    ok_codes: vec![1],
                },
            ));
            if proxy.auto_detect {
                p.side_effects.push("\"Automatically detect settings\" stays on; turn it off in Settings → Network → Proxy if Zoom still fails.".into());
            }
        }
        Os::Macos => {
            let svc = env.service.as_deref().ok_or_else(|| {
                na(id, "The network service in use (Wi-Fi, Ethernet…) is not known.")
            })?;
            for proxy in MacProxy::ALL {
                p.steps.push(Step::save(
                    proxy.name(),
                    cmd("networksetup", &[proxy.getter(), svc]),
                ));
                p.steps.push(Step::run(
                    format!("Turn off {} on {svc}", mac_proxy_words(proxy)),
                    cmd("networksetup", &[proxy.setter(), svc, "off"]),
                ));
            }
        }
        Os::Linux => match proxy.source.as_str() {
            "GNOME" => {
                p.needs_admin = false;
                p.steps.push(Step::save(
                    "gnome_mode",
                    cmd("gsettings", &["get", "org.gnome.system.proxy", "mode"]),
                ));
                p.steps.push(Step::run(
                    "Set the desktop's proxy to \"none\"",
                    cmd("gsettings", &["set", "org.gnome.system.proxy", "mode", "none"]),
                ));
            }
            "KDE" => {
                p.needs_admin = false;
                let w = env
                    .linux
                    .kwriteconfig
                    .clone()
                    .unwrap_or_else(|| "kwriteconfig5".into());
                let r = w.replace("kwrite", "kread");
                p.steps.push(Step::save(
                    "kde_proxy_type",
                    cmd(&r, &["--file", "kioslaverc", "--group", "Proxy Settings", "--key", "ProxyType"]),
                ));
                p.steps.push(Step::run(
                    "Set KDE's proxy to \"no proxy\"",
                    cmd(&w, &["--file", "kioslaverc", "--group", "Proxy Settings", "--key", "ProxyType", "0"]),
                ));
            }
            _ => {
                return Err(na(id, "The proxy is set by environment variables (https_proxy and others). Remove them from your shell's or session's startup files, then log in again."))
            }
        },
    }
    p.undo = "Undo puts the proxy settings back as they were.".into();
    Ok(())
}

/// The kinds of proxy macOS sets per network service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MacProxy {
    Web,
    SecureWeb,
    Socks,
    AutoUrl,
    AutoDiscovery,
}

impl MacProxy {
    pub const ALL: [MacProxy; 5] = [
        MacProxy::Web,
        MacProxy::SecureWeb,
        MacProxy::Socks,
        MacProxy::AutoUrl,
        MacProxy::AutoDiscovery,
    ];

    /// The name its saved setting has in the journal.
    pub fn name(self) -> &'static str {
        match self {
            MacProxy::Web => "web",
            MacProxy::SecureWeb => "secure_web",
            MacProxy::Socks => "socks",
            MacProxy::AutoUrl => "auto_url",
            MacProxy::AutoDiscovery => "auto_discovery",
        }
    }

    pub fn from_name(name: &str) -> Option<MacProxy> {
        MacProxy::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn getter(self) -> &'static str {
        match self {
            MacProxy::Web => "-getwebproxy",
            MacProxy::SecureWeb => "-getsecurewebproxy",
            MacProxy::Socks => "-getsocksfirewallproxy",
            MacProxy::AutoUrl => "-getautoproxyurl",
            MacProxy::AutoDiscovery => "-getproxyautodiscovery",
        }
    }

    pub fn setter(self) -> &'static str {
        match self {
            MacProxy::Web => "-setwebproxystate",
            MacProxy::SecureWeb => "-setsecurewebproxystate",
            MacProxy::Socks => "-setsocksfirewallproxystate",
            MacProxy::AutoUrl => "-setautoproxystate",
            MacProxy::AutoDiscovery => "-setproxyautodiscovery",
        }
    }
}

pub(crate) fn mac_proxy_words(proxy: MacProxy) -> &'static str {
    match proxy {
        MacProxy::Web => "the web proxy",
        MacProxy::SecureWeb => "the secure web proxy",
        MacProxy::Socks => "the SOCKS proxy",
        MacProxy::AutoUrl => "the automatic proxy configuration",
        MacProxy::AutoDiscovery => "automatic proxy discovery",
    }
}
