//! What a fix changed, as closed values, and the commands that put each
//! back, built from the catalog's own templates.
//!
//! Why typed: the journal is a file. An undo may run with administrator
//! rights, so it never replays a program, an argument list or an
//! environment read from a file. A journal entry says *what* changed
//! ("Meeting Doctor's rules in inet filter output", "the proxy mode was
//! manual"); the commands come from code, and every piece of data in them
//! is checked before it reaches an argument list.

use std::net::{IpAddr, Ipv4Addr};

use serde::{Deserialize, Serialize};

use super::plans::{
    firewalld_rule, mac_proxy_words, ps, reg_add, MacProxy, SOCKETFILTERFW, TAG, WIN_RULES,
};
use super::{Action, Step};
use md_facts::command::CommandSpec;
use md_model::system::Os;

/// A transport protocol in a firewall rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }

    pub fn parse(s: &str) -> Option<Proto> {
        match s {
            "tcp" => Some(Proto::Tcp),
            "udp" => Some(Proto::Udp),
            _ => None,
        }
    }
}

/// An nftables address family Meeting Doctor adds rules to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NftFamily {
    Ip,
    Ip6,
    Inet,
}

impl NftFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            NftFamily::Ip => "ip",
            NftFamily::Ip6 => "ip6",
            NftFamily::Inet => "inet",
        }
    }

    pub fn parse(s: &str) -> Option<NftFamily> {
        match s {
            "ip" => Some(NftFamily::Ip),
            "ip6" => Some(NftFamily::Ip6),
            "inet" => Some(NftFamily::Inet),
            _ => None,
        }
    }
}

/// GNOME's proxy modes that a fix turns off (and undo puts back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GnomeMode {
    Manual,
    Auto,
}

/// Which KDE configuration writer is installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KdeTool {
    Kwriteconfig5,
    Kwriteconfig6,
}

impl KdeTool {
    pub fn program(self) -> &'static str {
        match self {
            KdeTool::Kwriteconfig5 => "kwriteconfig5",
            KdeTool::Kwriteconfig6 => "kwriteconfig6",
        }
    }
}

/// One change a fix made, as the journal records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Undo {
    /// Files were moved into the entry's backup folder: move them back,
    /// only into the folders the fix's template names.
    RestoreFiles,
    /// nftables rules tagged [`TAG`] were inserted into this chain.
    NftRules {
        family: NftFamily,
        table: String,
        chain: String,
    },
    /// `ufw allow out proto P to any port PORTS comment TAG` was added.
    UfwRule { proto: Proto, ports: String },
    /// A firewalld direct rule was added.
    FirewalldRule {
        ipv6: bool,
        proto: Proto,
        ports: String,
        permanent: bool,
    },
    /// Windows: the two rules named [`WIN_RULES`] were added.
    WindowsZoomRules,
    /// Windows: this rule (by its unique name) was on, blocked Zoom, and
    /// was turned off.
    WindowsRuleDisabled { name: String, display: String },
    /// macOS: Zoom was not on the firewall's list and was added.
    MacAppAdded { app: String },
    /// macOS: Zoom's incoming connections were blocked and were allowed.
    MacAppBlocked { app: String },
    /// Windows: the proxy was on (ProxyEnable 1).
    WindowsProxyEnabled,
    /// Windows: a proxy script was set.
    WindowsProxyScript { url: String },
    /// macOS: the automatic proxy configuration was on (with this URL).
    MacAutoProxy {
        service: String,
        url: Option<String>,
    },
    /// macOS: one kind of proxy was on for this network service.
    MacProxyOn { service: String, proxy: MacProxy },
    /// GNOME's proxy mode was this.
    GnomeProxyMode { mode: GnomeMode },
    /// KDE's ProxyType was this (1–4).
    KdeProxyType { tool: KdeTool, value: u8 },
    /// Windows: these were the interface's DNS servers (none: from DHCP).
    WindowsDns {
        interface: String,
        servers: Vec<IpAddr>,
    },
    /// macOS: these were the service's DNS servers (none: from DHCP).
    MacDns {
        service: String,
        servers: Vec<IpAddr>,
    },
    /// NetworkManager: the connection's DNS settings were these.
    NmDns {
        connection: String,
        servers: Vec<Ipv4Addr>,
        ignore_auto: bool,
    },
    /// NetworkManager: the connection was brought up again to apply them.
    NmReconnect { connection: String },
    /// systemd-resolved: the link's DNS servers were set by hand.
    ResolvedDns { interface: String },
    /// timedatectl: automatic time was off.
    NtpWasOff,
}

impl Undo {
    /// The catalog fix that makes this change: an entry of another fix
    /// that claims it is not undone.
    pub fn fix(&self) -> &'static str {
        match self {
            Undo::RestoreFiles => "",
            Undo::NftRules { .. }
            | Undo::UfwRule { .. }
            | Undo::FirewalldRule { .. }
            | Undo::WindowsZoomRules
            | Undo::WindowsRuleDisabled { .. }
            | Undo::MacAppAdded { .. }
            | Undo::MacAppBlocked { .. } => "firewall.allow_zoom",
            Undo::WindowsProxyEnabled
            | Undo::WindowsProxyScript { .. }
            | Undo::MacAutoProxy { .. }
            | Undo::MacProxyOn { .. }
            | Undo::GnomeProxyMode { .. }
            | Undo::KdeProxyType { .. } => "proxy.disable",
            Undo::WindowsDns { .. }
            | Undo::MacDns { .. }
            | Undo::NmDns { .. }
            | Undo::NmReconnect { .. }
            | Undo::ResolvedDns { .. } => "dns.use_public",
            Undo::NtpWasOff => "clock.sync",
        }
    }

    /// Whether an entry of fix `fix` on `os` may hold this change.
    pub fn belongs_to(&self, fix: &str, os: Os) -> bool {
        let by_fix = match self {
            Undo::RestoreFiles => matches!(fix, "zoom.clear_cache" | "dns.use_public"),
            _ => self.fix() == fix,
        };
        let by_os = match self {
            Undo::RestoreFiles => true,
            Undo::NftRules { .. }
            | Undo::UfwRule { .. }
            | Undo::FirewalldRule { .. }
            | Undo::GnomeProxyMode { .. }
            | Undo::KdeProxyType { .. }
            | Undo::NmDns { .. }
            | Undo::NmReconnect { .. }
            | Undo::ResolvedDns { .. }
            | Undo::NtpWasOff => os == Os::Linux,
            Undo::WindowsZoomRules
            | Undo::WindowsRuleDisabled { .. }
            | Undo::WindowsProxyEnabled
            | Undo::WindowsProxyScript { .. }
            | Undo::WindowsDns { .. } => os == Os::Windows,
            Undo::MacAppAdded { .. }
            | Undo::MacAppBlocked { .. }
            | Undo::MacAutoProxy { .. }
            | Undo::MacProxyOn { .. }
            | Undo::MacDns { .. } => os == Os::Macos,
        };
        by_fix && by_os
    }

    /// The undo step, for a person and to run. `backup` is the entry's
    /// backup folder (derived from where the journal is, never read from
    /// it). Err when a value in it is not one a fix could have recorded.
    pub fn step(&self, backup: &str) -> Result<Step, String> {
        Ok(match self {
            Undo::RestoreFiles => Step::new(
                "Move the files back from the backup folder",
                Action::Restore {
                    backup: backup.to_string(),
                },
            ),
            Undo::NftRules {
                family,
                table,
                chain,
            } => {
                nft_name(table)?;
                nft_name(chain)?;
                Step::new(
                    format!(
                        "Remove Meeting Doctor's rules from {} {table} {chain}",
                        family.as_str()
                    ),
                    Action::RemoveNftRules {
                        family: family.as_str().into(),
                        table: table.clone(),
                        chain: chain.clone(),
                        tag: TAG.into(),
                    },
                )
            }
            Undo::UfwRule { proto, ports } => {
                port_list(ports)?;
                Step::run(
                    "Remove Meeting Doctor's ufw rule",
                    CommandSpec::new(
                        "ufw",
                        &[
                            "delete",
                            "allow",
                            "out",
                            "proto",
                            proto.as_str(),
                            "to",
                            "any",
                            "port",
                            ports,
                        ],
                    ),
                )
            }
            Undo::FirewalldRule {
                ipv6,
                proto,
                ports,
                permanent,
            } => {
                port_list(ports)?;
                Step::run(
                    "Remove Meeting Doctor's firewalld rule",
                    firewalld_rule(
                        "--remove-rule",
                        if *ipv6 { "ipv6" } else { "ipv4" },
                        proto.as_str(),
                        ports,
                        *permanent,
                    ),
                )
            }
            Undo::WindowsZoomRules => Step::run(
                "Remove the rules Meeting Doctor added",
                ps(
                    "Remove-NetFirewallRule -Name $env:MD_RULE_IN, $env:MD_RULE_OUT -ErrorAction SilentlyContinue",
                    &[("MD_RULE_IN", WIN_RULES[0]), ("MD_RULE_OUT", WIN_RULES[1])],
                ),
            ),
            Undo::WindowsRuleDisabled { name, display } => {
                text(name)?;
                text(display)?;
                Step::run(
                    format!("Turn the rule \"{display}\" back on"),
                    ps(super::plans::WIN_ENABLE_RULE, &[("MD_RULE", name)]),
                )
            }
            Undo::MacAppAdded { app } => {
                absolute(app)?;
                Step::run(
                    "Take Zoom off the firewall's list again",
                    CommandSpec::new(SOCKETFILTERFW, &["--remove", app]),
                )
            }
            Undo::MacAppBlocked { app } => {
                absolute(app)?;
                Step::run(
                    "Block Zoom's incoming connections again",
                    CommandSpec::new(SOCKETFILTERFW, &["--blockapp", app]),
                )
            }
            Undo::WindowsProxyEnabled => Step::run(
                "Turn the proxy server back on",
                reg_add("ProxyEnable", "REG_DWORD", "1"),
            ),
            Undo::WindowsProxyScript { url } => {
                url_text(url)?;
                Step::run(
                    "Put the automatic configuration script back",
                    reg_add("AutoConfigURL", "REG_SZ", url),
                )
            }
            Undo::MacAutoProxy { service, url } => {
                text(service)?;
                match url {
                    Some(u) => {
                        url_text(u)?;
                        Step::run(
                            "Turn the automatic proxy configuration back on",
                            CommandSpec::new("networksetup", &["-setautoproxyurl", service, u]),
                        )
                    }
                    None => Step::run(
                        "Turn the automatic proxy configuration back on",
                        CommandSpec::new("networksetup", &["-setautoproxystate", service, "on"]),
                    ),
                }
            }
            Undo::MacProxyOn { service, proxy } => {
                text(service)?;
                Step::run(
                    format!("Turn {} back on", mac_proxy_words(*proxy)),
                    CommandSpec::new("networksetup", &[proxy.setter(), service, "on"]),
                )
            }
            Undo::GnomeProxyMode { mode } => {
                let mode = match mode {
                    GnomeMode::Manual => "manual",
                    GnomeMode::Auto => "auto",
                };
                Step::run(
                    format!("Set the desktop's proxy back to \"{mode}\""),
                    CommandSpec::new(
                        "gsettings",
                        &["set", "org.gnome.system.proxy", "mode", mode],
                    ),
                )
            }
            Undo::KdeProxyType { tool, value } => {
                if !(1..=4).contains(value) {
                    return Err(format!("{value} is not a KDE proxy type"));
                }
                Step::run(
                    "Set KDE's proxy back",
                    CommandSpec::new(
                        tool.program(),
                        &[
                            "--file",
                            "kioslaverc",
                            "--group",
                            "Proxy Settings",
                            "--key",
                            "ProxyType",
                            &value.to_string(),
                        ],
                    ),
                )
            }
            Undo::WindowsDns { interface, servers } => {
                text(interface)?;
                if servers.is_empty() {
                    Step::run(
                        format!("Let \"{interface}\" get its DNS servers from the network again"),
                        ps(
                            "Set-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ResetServerAddresses",
                            &[("MD_IF", interface)],
                        ),
                    )
                } else {
                    let list: Vec<String> = servers.iter().map(IpAddr::to_string).collect();
                    Step::run(
                        format!("Put back the DNS servers {}", list.join(", ")),
                        ps(
                            "Set-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ServerAddresses ($env:MD_DNS -split ',')",
                            &[("MD_IF", interface), ("MD_DNS", &list.join(","))],
                        ),
                    )
                }
            }
            Undo::MacDns { service, servers } => {
                text(service)?;
                let list: Vec<String> = servers.iter().map(IpAddr::to_string).collect();
                let mut args = vec!["-setdnsservers", service.as_str()];
                if list.is_empty() {
                    args.push("Empty");
                } else {
                    args.extend(list.iter().map(String::as_str));
                }
                Step::run(
                    "Put back the previous DNS servers",
                    CommandSpec::new("networksetup", &args),
                )
            }
            Undo::NmDns {
                connection,
                servers,
                ignore_auto,
            } => {
                text(connection)?;
                let list: Vec<String> = servers.iter().map(Ipv4Addr::to_string).collect();
                Step::run(
                    format!("Put back the DNS settings of \"{connection}\""),
                    CommandSpec::new(
                        "nmcli",
                        &[
                            "connection",
                            "modify",
                            connection,
                            "ipv4.dns",
                            &list.join(" "),
                            "ipv4.ignore-auto-dns",
                            if *ignore_auto { "yes" } else { "no" },
                        ],
                    ),
                )
            }
            Undo::NmReconnect { connection } => {
                text(connection)?;
                Step::run(
                    "Reconnect so the previous DNS settings take effect",
                    CommandSpec::new("nmcli", &["connection", "up", connection]),
                )
            }
            Undo::ResolvedDns { interface } => {
                text(interface)?;
                Step::run(
                    format!("Give {interface} its own DNS servers back"),
                    CommandSpec::new("resolvectl", &["revert", interface]),
                )
            }
            Undo::NtpWasOff => Step::run(
                "Turn automatic time off again, as it was",
                CommandSpec::new("timedatectl", &["set-ntp", "false"]),
            ),
        })
    }

    /// Plain words for the history ("Remove Meeting Doctor's ufw rule"),
    /// or why this change cannot be undone.
    pub fn title(&self) -> String {
        match self.step("") {
            Ok(s) => s.title,
            Err(why) => format!("(not undone: {why})"),
        }
    }
}

/// A value that goes into an argument list as data: no control
/// characters, and no leading `-` a program could read as an option.
fn text(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 512 {
        return Err("an empty or overlong name".into());
    }
    if s.starts_with('-') {
        return Err(format!("{s:?} would be read as an option"));
    }
    if s.chars().any(char::is_control) {
        return Err("a name with control characters".into());
    }
    Ok(())
}

fn absolute(s: &str) -> Result<(), String> {
    text(s)?;
    if !s.starts_with('/') || s.split('/').any(|c| c == "..") {
        return Err(format!("{s:?} is not an absolute path"));
    }
    Ok(())
}

fn url_text(s: &str) -> Result<(), String> {
    text(s)?;
    let lower = s.to_ascii_lowercase();
    if ["http://", "https://", "file://"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        Ok(())
    } else {
        Err(format!("{s:?} is not a proxy script address"))
    }
}

fn nft_name(s: &str) -> Result<(), String> {
    if super::plans::safe_nft_name(s) {
        Ok(())
    } else {
        Err(format!("{s:?} is not an nftables name"))
    }
}

/// A port list in the firewall tools' syntax ("443,8801:8802").
fn port_list(s: &str) -> Result<(), String> {
    if !s.is_empty()
        && s.len() <= 256
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == ':')
        && s.starts_with(|c: char| c.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(format!("{s:?} is not a port list"))
    }
}

// ───────────────────────── what a plan records ─────────────────────────

/// What `plan` will have changed, for the journal: each step's own undo in
/// plan order, the settings it saved (read into typed values now, once),
/// and the files it moved. Every entry is safe to undo even when its change
/// never happened (an interrupted fix).
pub fn undo_of(plan: &super::Plan, env: &super::FixEnv, saved: &super::plans::Saved) -> Vec<Undo> {
    let mut out: Vec<Undo> = Vec::new();
    let push = |u: Undo, out: &mut Vec<Undo>| {
        if !out.contains(&u) {
            out.push(u);
        }
    };
    for step in &plan.steps {
        match &step.action {
            Action::MoveAside { .. } | Action::WriteFile { .. } => {
                push(Undo::RestoreFiles, &mut out)
            }
            Action::Save { name, .. } => {
                if let Some(u) = from_saved(plan.os, env, name, saved.get(name).map(String::as_str))
                {
                    push(u, &mut out);
                }
            }
            _ => {}
        }
        match &step.undo {
            // The reconnect puts back DNS settings only when they were read.
            Some(Undo::NmReconnect { .. }) if !saved.contains_key("nm_dns") => {}
            Some(u) => push(u.clone(), &mut out),
            None => {}
        }
    }
    out
}

/// The undo steps of `plan` as they would run (for previews, scripts and
/// tests): [`undo_of`], each made a step.
pub fn undo_steps(
    plan: &super::Plan,
    env: &super::FixEnv,
    saved: &super::plans::Saved,
    backup: &str,
) -> Vec<Step> {
    undo_of(plan, env, saved)
        .iter()
        .filter_map(|u| u.step(backup).ok())
        .collect()
}

/// The change one saved setting says to put back; None when nothing needs
/// putting back (it was already as the fix leaves it, or was not read).
fn from_saved(os: Os, env: &super::FixEnv, name: &str, value: Option<&str>) -> Option<Undo> {
    use super::plans::{networksetup_enabled, reg_value, zoom_program};
    let value = value?;
    let service = || env.service.clone().unwrap_or_default();
    match (os, name) {
        (Os::Macos, "app_blocked") => {
            let app = zoom_program(env);
            // The answer names the app ("Incoming connection to APP is
            // blocked."): judge the words around it, not the path.
            let lower = value.replace(&app, "").to_ascii_lowercase();
            if lower.contains("not part of") || lower.contains("does not exist") {
                Some(Undo::MacAppAdded { app })
            } else if lower.contains("block")
                && !lower.contains("not blocked")
                && !lower.contains("unblock")
            {
                Some(Undo::MacAppBlocked { app })
            } else {
                None
            }
        }
        (Os::Windows, "ProxyEnable") => reg_value(value)
            .is_some_and(|v| v != "0x0" && v != "0")
            .then_some(Undo::WindowsProxyEnabled),
        (Os::Windows, "AutoConfigURL") => reg_value(value)
            .filter(|v| !v.is_empty())
            .map(|url| Undo::WindowsProxyScript { url }),
        (Os::Macos, "auto_url") => match networksetup_enabled(value) {
            (true, url) => Some(Undo::MacAutoProxy {
                service: service(),
                url,
            }),
            _ => None,
        },
        (Os::Linux, "gnome_mode") => match value.trim().trim_matches('\'') {
            "manual" => Some(Undo::GnomeProxyMode {
                mode: GnomeMode::Manual,
            }),
            "auto" => Some(Undo::GnomeProxyMode {
                mode: GnomeMode::Auto,
            }),
            _ => None,
        },
        (Os::Linux, "kde_proxy_type") => {
            let v: u8 = value.trim().parse().ok().filter(|v| (1..=4).contains(v))?;
            let tool = match env.linux.kwriteconfig.as_deref() {
                Some("kwriteconfig6") => KdeTool::Kwriteconfig6,
                _ => KdeTool::Kwriteconfig5,
            };
            Some(Undo::KdeProxyType { tool, value: v })
        }
        (Os::Windows, "windows_dns") => Some(Undo::WindowsDns {
            interface: env.interface.clone().unwrap_or_default(),
            servers: value
                .split([',', ' ', '\n', '\r'])
                .filter_map(|s| s.parse().ok())
                .collect(),
        }),
        (Os::Macos, "mac_dns") => Some(Undo::MacDns {
            service: service(),
            servers: value
                .split_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect(),
        }),
        (Os::Linux, "nm_dns") => {
            let mut lines = value.lines();
            let servers = lines
                .next()
                .unwrap_or("")
                .split([',', ' '])
                .filter_map(|s| s.trim().parse().ok())
                .collect();
            Some(Undo::NmDns {
                connection: env.linux.nm_connection.clone().unwrap_or_default(),
                servers,
                ignore_auto: lines.next().map(str::trim) == Some("yes"),
            })
        }
        (Os::Linux, "resolved_dns") => Some(Undo::ResolvedDns {
            interface: env.interface.clone().unwrap_or_default(),
        }),
        (Os::Linux, "ntp") => (value.trim() == "no").then_some(Undo::NtpWasOff),
        (Os::Macos, n) => {
            let proxy = super::plans::MacProxy::from_name(n)?;
            networksetup_enabled(value).0.then(|| Undo::MacProxyOn {
                service: service(),
                proxy,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_that_a_fix_could_not_have_recorded_is_refused() {
        let bad = [
            Undo::NftRules {
                family: NftFamily::Inet,
                table: "filter; flush ruleset".into(),
                chain: "output".into(),
            },
            Undo::UfwRule {
                proto: Proto::Tcp,
                ports: "443 --dry-run".into(),
            },
            Undo::ResolvedDns {
                interface: "--help".into(),
            },
            Undo::MacAppAdded {
                app: "relative/zoom.us.app".into(),
            },
            Undo::WindowsProxyScript {
                url: "\\\\evil\\share\\x.pac".into(),
            },
            Undo::NmReconnect {
                connection: "Wi-Fi\n2".into(),
            },
            Undo::KdeProxyType {
                tool: KdeTool::Kwriteconfig5,
                value: 9,
            },
        ];
        for u in bad {
            assert!(u.step("/b").is_err(), "{u:?}");
            assert!(u.title().starts_with("(not undone"), "{u:?}");
        }
    }

    #[test]
    fn a_journal_line_cannot_carry_a_program_or_environment() {
        // The shape an undo step had when the journal stored commands.
        let forged = r#"{"kind":"ufw_rule","proto":"tcp","ports":"443","program":"sh","env":[["LD_PRELOAD","/tmp/x.so"]]}"#;
        assert!(serde_json::from_str::<Undo>(forged).is_err());
        let old = r#"{"kind":"run","command":{"program":"nft","args":[],"env":[["LD_PRELOAD","/tmp/x.so"]]}}"#;
        assert!(serde_json::from_str::<Undo>(old).is_err());
        let ok = r#"{"kind":"ufw_rule","proto":"tcp","ports":"443,8801:8802"}"#;
        let u: Undo = serde_json::from_str(ok).unwrap();
        assert!(u.belongs_to("firewall.allow_zoom", Os::Linux));
        assert!(!u.belongs_to("dns.flush", Os::Linux));
        assert!(!u.belongs_to("firewall.allow_zoom", Os::Windows));
    }
}
