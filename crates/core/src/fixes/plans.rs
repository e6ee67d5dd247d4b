//! Each fix's plan per OS, and its undo, as pure functions of [`FixEnv`]
//! (and, for the undo, of the settings saved just before the change).
//! Commands come from the seeds' advice, made narrow: allow Zoom through
//! a firewall, never turn it off; move caches aside, never delete them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::env::{join, FixEnv};
use super::undo::{NftFamily, Proto, Undo};
use super::{find, Action, NotApplicable, Plan, Step};
use crate::facts::command::CommandSpec;
use crate::facts::process::quit_names;
use crate::system::Os;

/// The tag on every firewall rule Meeting Doctor adds, so it can be found
/// and removed.
pub const TAG: &str = "meeting-doctor-zoom";
/// Windows Defender Firewall: rule names and group.
pub const WIN_RULES: [&str; 2] = ["MeetingDoctor-Zoom-In", "MeetingDoctor-Zoom-Out"];
pub const WIN_GROUP: &str = "Meeting Doctor";
pub(super) const INTERNET_SETTINGS: &str =
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings";
pub(super) const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";
/// Windows firewall rules are chosen by their unique name (`Name`, not
/// the display name, which is neither unique nor free of wildcards):
/// exactly one rule must match, compared case-sensitively, or nothing
/// changes.
/// Turns the rule named in MD_RULE off, only when it is on.
pub(super) const WIN_DISABLE_RULE: &str = "$r = @(Get-NetFirewallRule | Where-Object { $_.Name -ceq $env:MD_RULE }); if ($r.Count -ne 1) { Write-Error \"no single firewall rule is named $($env:MD_RULE)\"; exit 1 }; if ([string]$r[0].Enabled -eq 'True') { $r[0] | Disable-NetFirewallRule }";
/// Turns the rule named in MD_RULE back on (undo of [`WIN_DISABLE_RULE`]).
pub(super) const WIN_ENABLE_RULE: &str = "$r = @(Get-NetFirewallRule | Where-Object { $_.Name -ceq $env:MD_RULE }); if ($r.Count -ne 1) { Write-Error \"no single firewall rule is named $($env:MD_RULE)\"; exit 1 }; $r[0] | Enable-NetFirewallRule";
/// Files inside Zoom's data folders that are settings or (encrypted)
/// databases: they stay where they are.
pub const KEEP: &[&str] = &["*.db", "*.db-*", "*.ini", "*.conf", "*.plist"];
/// How long a program gets to quit before it is forced.
pub const GRACE_MS: u64 = 5000;

pub use super::undo::undo_steps;

/// Saved settings, by the name of the `Save` step that read them.
pub type Saved = BTreeMap<String, String>;

fn na(id: &str, reason: impl Into<String>) -> NotApplicable {
    NotApplicable {
        fix: id.to_string(),
        reason: reason.into(),
    }
}

fn cmd(program: &str, args: &[&str]) -> CommandSpec {
    CommandSpec::new(program, args)
}

/// `reg add` of one value in the person's Internet Settings.
pub(super) fn reg_add(value: &str, kind: &str, data: &str) -> CommandSpec {
    cmd(
        "reg",
        &[
            "add",
            INTERNET_SETTINGS,
            "/v",
            value,
            "/t",
            kind,
            "/d",
            data,
            "/f",
        ],
    )
}

pub(super) fn ps(script: &str, env: &[(&str, &str)]) -> CommandSpec {
    let mut c = CommandSpec::powershell(script);
    for (k, v) in env {
        c.env.push((k.to_string(), v.to_string()));
    }
    c
}

/// The plan for fix `id` on this computer, or why it cannot be done here.
pub fn plan(id: &str, env: &FixEnv) -> Result<Plan, NotApplicable> {
    let fix = find(id).ok_or_else(|| na(id, "there is no such fix"))?;
    let mut p = Plan {
        fix,
        os: env.os,
        steps: vec![],
        needs_admin: true,
        needs_restart: false,
        side_effects: vec![],
        undo: "Nothing needs undoing.".into(),
    };
    match id {
        "dns.flush" => dns_flush(env, &mut p)?,
        "firewall.allow_zoom" => firewall(env, &mut p)?,
        "network.stack_reset" => stack_reset(env, &mut p)?,
        "zoom.quit" => {
            p.needs_admin = false;
            p.steps.push(quit_step(env.os));
            p.undo = "Start Zoom again when you are ready.".into();
        }
        "zoom.clear_cache" => clear_cache(env, &mut p)?,
        "proxy.disable" => proxy_disable(env, &mut p)?,
        "dns.use_public" => dns_public(env, &mut p)?,
        "clock.sync" => clock_sync(env, &mut p)?,
        _ => return Err(na(id, "there is no plan for this fix")),
    }
    Ok(p)
}

fn quit_step(os: Os) -> Step {
    Step::new(
        "Quit Zoom and its helpers (they get 5 seconds to close on their own)",
        Action::Quit {
            names: quit_names(os),
            grace_ms: GRACE_MS,
        },
    )
}

// ─────────────────────────────── dns.flush ───────────────────────────────

fn dns_flush(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    match env.os {
        Os::Windows => p.steps.push(Step::run(
            "Clear Windows' DNS cache",
            cmd("ipconfig", &["/flushdns"]),
        )),
        Os::Macos => {
            p.steps.push(Step::run(
                "Clear macOS's directory cache",
                cmd("dscacheutil", &["-flushcache"]),
            ));
            p.steps.push(Step::run(
                "Tell the DNS service to forget what it remembered",
                cmd("killall", &["-HUP", "mDNSResponder"]),
            ));
        }
        Os::Linux => {
            if env.linux.resolved {
                p.steps.push(Step::run(
                    "Clear systemd-resolved's cache",
                    cmd("resolvectl", &["flush-caches"]),
                ));
            }
            if env.linux.nscd {
                p.steps.push(Step::run(
                    "Clear nscd's host cache",
                    cmd("nscd", &["--invalidate=hosts"]),
                ));
            }
            if p.steps.is_empty() {
                return Err(na(
                    &p.fix.id,
                    "This computer keeps no DNS cache (neither systemd-resolved nor nscd runs), so there is nothing to clear.",
                ));
            }
        }
    }
    p.undo = "Nothing to undo: the cache fills again by itself.".into();
    Ok(())
}

// ─────────────────────────── firewall.allow_zoom ───────────────────────────

/// Port lists in the firewall tools' own range syntax.
pub fn port_ranges(ports: &[u16], range_sep: &str, sep: &str) -> String {
    let mut ports = ports.to_vec();
    ports.sort_unstable();
    ports.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ports.len() {
        let start = ports[i];
        let mut end = start;
        while i + 1 < ports.len() && ports[i + 1] == end + 1 {
            i += 1;
            end = ports[i];
        }
        out.push(if end > start {
            format!("{start}{range_sep}{end}")
        } else {
            start.to_string()
        });
        i += 1;
    }
    out.join(sep)
}

/// The Zoom executable (Windows) or app bundle (macOS) to allow.
pub fn zoom_program(env: &FixEnv) -> String {
    let path = env.zoom.as_ref().and_then(|z| z.path.clone());
    match env.os {
        Os::Windows => match path {
            Some(p) if p.to_ascii_lowercase().ends_with(".exe") => p,
            Some(dir) => join(Os::Windows, &dir, &["bin", "Zoom.exe"]),
            None => join(Os::Windows, &env.appdata(), &["Zoom", "bin", "Zoom.exe"]),
        },
        Os::Macos => match path {
            // The bundle is the first component ending in ".app" (a folder
            // such as "/Users/anna.appleby" is not one).
            Some(p) => match p.find(".app/") {
                Some(i) => p[..i + 4].to_string(),
                None => p,
            },
            None => "/Applications/zoom.us.app".into(),
        },
        Os::Linux => path.unwrap_or_else(|| "/opt/zoom/zoom".into()),
    }
}

pub(super) fn safe_nft_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The nftables chains that filter this computer's own traffic:
/// (family, table, chain, is_output) from the firewall facts.
fn nft_chains(env: &FixEnv) -> Vec<(String, String, String, bool)> {
    let Some(fw) = &env.firewall else {
        return vec![];
    };
    fw.profiles
        .iter()
        .filter_map(|p| {
            let mut it = p.name.split(' ');
            let (f, t, c) = (it.next()?, it.next()?, it.next()?);
            if it.next().is_some()
                || !matches!(f, "ip" | "ip6" | "inet")
                || !safe_nft_name(t)
                || !safe_nft_name(c)
            {
                return None;
            }
            let out = p.default_outbound.is_some();
            (out || p.default_inbound.is_some()).then(|| (f.into(), t.into(), c.into(), out))
        })
        .collect()
}

fn nft_set(ports: &[u16]) -> Vec<String> {
    let list = port_ranges(ports, "-", ", ");
    let mut v = vec!["{".to_string()];
    v.extend(list.split(' ').map(str::to_string));
    v.push("}".into());
    v
}

fn nft_rule(
    family: &str,
    table: &str,
    chain: &str,
    proto: &str,
    ports: &[u16],
    out: bool,
) -> CommandSpec {
    let mut args: Vec<String> = ["insert", "rule", family, table, chain, proto]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(if out { "dport" } else { "sport" }.into());
    args.extend(nft_set(ports));
    if !out {
        args.extend(["ct", "state", "established,related"].map(String::from));
    }
    args.extend(["accept", "comment"].map(String::from));
    args.push(format!("\"{TAG}\""));
    CommandSpec {
        program: "nft".into(),
        args,
        env: vec![],
    }
}

fn firewall(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id.clone();
    p.side_effects
        .push("The firewall stays on; only Zoom's traffic is let through.".into());
    match env.os {
        Os::Windows => {
            let program = zoom_program(env);
            if let Some(fw) = &env.firewall {
                // Only rules that are on and block Zoom, each by its
                // unique name; undo turns exactly these back on.
                for r in fw
                    .zoom_rules
                    .iter()
                    .filter(|r| r.enabled && r.action == "block")
                {
                    let Some(name) = r.id.as_deref().filter(|n| !n.is_empty()) else {
                        p.side_effects.push(format!("The rule \"{}\" blocks Zoom, but Windows gave no unique name for it, so it is left as it is.", r.name));
                        continue;
                    };
                    p.steps.push(
                        Step::run(
                            format!("Turn off the rule that blocks Zoom: \"{}\"", r.name),
                            ps(WIN_DISABLE_RULE, &[("MD_RULE", name)]),
                        )
                        .undone_by(Undo::WindowsRuleDisabled {
                            name: name.to_string(),
                            display: r.name.clone(),
                        }),
                    );
                }
            }
            p.steps.push(Step::run(
                "Add rules that let Zoom in and out through Windows Defender Firewall",
                ps(
                    "foreach ($d in @(@('Inbound', $env:MD_RULE_IN), @('Outbound', $env:MD_RULE_OUT))) { \
Remove-NetFirewallRule -Name $d[1] -ErrorAction SilentlyContinue; \
New-NetFirewallRule -Name $d[1] -DisplayName 'Zoom (added by Meeting Doctor)' -Group $env:MD_GROUP \
-Direction $d[0] -Program $env:MD_PROGRAM -Action Allow -Profile Any | Out-Null }",
                    &[
                        ("MD_PROGRAM", &program),
                        ("MD_RULE_IN", WIN_RULES[0]),
                        ("MD_RULE_OUT", WIN_RULES[1]),
                        ("MD_GROUP", WIN_GROUP),
                    ],
                ),
            ).undone_by(Undo::WindowsZoomRules));
            p.undo = "Undo removes the two rules Meeting Doctor added and turns back on any rule it turned off.".into();
        }
        Os::Macos => {
            let app = zoom_program(env);
            p.steps.push(Step::save(
                "app_blocked",
                cmd(SOCKETFILTERFW, &["--getappblocked", &app]),
            ));
            p.steps.push(Step::run(
                "Add Zoom to the macOS firewall's list",
                cmd(SOCKETFILTERFW, &["--add", &app]),
            ));
            p.steps.push(Step::run(
                "Allow Zoom's incoming connections",
                cmd(SOCKETFILTERFW, &["--unblockapp", &app]),
            ));
            if env.firewall.as_ref().is_some_and(|f| f.blocks_all_incoming) {
                p.side_effects.push("\"Block all incoming connections\" is on and stays on; it can still stop Zoom's calls. You can turn it off in System Settings → Network → Firewall → Options.".into());
            }
            p.undo = "Undo puts Zoom's firewall entry back as it was.".into();
        }
        Os::Linux => {
            let product = env
                .firewall
                .as_ref()
                .map(|f| f.product.as_str())
                .unwrap_or("");
            let tcp = port_ranges(&env.tcp_ports, ":", ",");
            let udp = port_ranges(&env.udp_ports, ":", ",");
            match product {
                "ufw" => {
                    for (proto, ports) in [(Proto::Tcp, &tcp), (Proto::Udp, &udp)] {
                        let name = proto.as_str();
                        p.steps.push(Step::run(
                            format!("Let {} out through the firewall", zoom_traffic(name)),
                            cmd(
                                "ufw",
                                &["allow", "out", "proto", name, "to", "any", "port", ports, "comment", TAG],
                            ),
                        ).undone_by(Undo::UfwRule { proto, ports: ports.clone() }));
                    }
                }
                "firewalld" => {
                    for (proto, ports) in [(Proto::Tcp, &tcp), (Proto::Udp, &udp)] {
                        let name = proto.as_str();
                        for fam in ["ipv4", "ipv6"] {
                            for permanent in [false, true] {
                                p.steps.push(Step::run(
                                    format!(
                                        "Let {} out through the firewall ({}{})",
                                        zoom_traffic(name),
                                        if fam == "ipv4" { "IPv4" } else { "IPv6" },
                                        if permanent { ", also after a restart" } else { ", now" }
                                    ),
                                    firewalld_rule("--add-rule", fam, name, ports, permanent),
                                ).undone_by(Undo::FirewalldRule {
                                    ipv6: fam == "ipv6",
                                    proto,
                                    ports: ports.clone(),
                                    permanent,
                                }));
                            }
                        }
                    }
                }
                "nftables" => {
                    let chains = nft_chains(env);
                    if chains.is_empty() {
                        return Err(na(&id, "nftables has no input or output chain on this computer, so it does not block Zoom."));
                    }
                    for (f, t, c, out) in &chains {
                        let Some(family) = NftFamily::parse(f) else { continue };
                        for (proto, ports) in [("tcp", &env.tcp_ports), ("udp", &env.udp_ports)] {
                            p.steps.push(Step::run(
                                format!(
                                    "Let {} {} through the firewall ({c})",
                                    zoom_traffic(proto),
                                    if *out { "out" } else { "back in" }
                                ),
                                nft_rule(f, t, c, proto, ports, *out),
                            ).undone_by(Undo::NftRules {
                                family,
                                table: t.clone(),
                                chain: c.clone(),
                            }));
                        }
                    }
                }
                _ => {
                    return Err(na(
                        &id,
                        "No firewall that Meeting Doctor can adjust (ufw, firewalld or nftables) was found on this computer.",
                    ))
                }
            }
            p.undo = "Undo removes the rules Meeting Doctor added; the firewall's own rules are never touched.".into();
        }
    }
    Ok(())
}

/// Plain words for Zoom's traffic by protocol.
fn zoom_traffic(proto: &str) -> &'static str {
    if proto == "udp" {
        "Zoom's sound and video"
    } else {
        "Zoom's connections"
    }
}

pub(super) fn firewalld_rule(
    op: &str,
    fam: &str,
    proto: &str,
    ports: &str,
    permanent: bool,
) -> CommandSpec {
    let mut args: Vec<&str> = vec![];
    if permanent {
        args.push("--permanent");
    }
    args.extend([
        "--direct",
        op,
        fam,
        "filter",
        "OUTPUT",
        "0",
        "-p",
        proto,
        "-m",
        "multiport",
        "--dports",
        ports,
        "-m",
        "comment",
        "--comment",
        TAG,
        "-j",
        "ACCEPT",
    ]);
    cmd("firewall-cmd", &args)
}

// ─────────────────────────── network.stack_reset ───────────────────────────

fn stack_reset(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id.clone();
    let interface = || {
        env.interface.as_deref().ok_or_else(|| {
            na(
                &id,
                "The network interface in use is not known, so it cannot be restarted.",
            )
        })
    };
    match env.os {
        Os::Windows => {
            p.needs_restart = true;
            p.steps.push(Step::run(
                "Reset the Winsock catalog",
                cmd("netsh", &["winsock", "reset"]),
            ));
            p.steps.push(Step::run(
                "Reset the TCP/IP settings",
                cmd("netsh", &["int", "ip", "reset"]),
            ));
            p.side_effects.push("It removes the network add-ons of VPN and security software; they may need reinstalling.".into());
            p.side_effects
                .push("Fixed (static) IP settings are cleared.".into());
            p.side_effects
                .push("The computer must restart afterwards.".into());
            p.undo = "This cannot be undone: Windows rebuilds these settings. Reinstall your VPN or security software if it stops working.".into();
        }
        Os::Macos => {
            let i = interface()?;
            p.steps.push(Step::run(
                format!("Turn off the network connection ({i})"),
                cmd("ifconfig", &[i, "down"]),
            ));
            p.steps.push(Step::run(
                format!("Turn it back on ({i})"),
                cmd("ifconfig", &[i, "up"]),
            ));
            p.side_effects
                .push("The connection drops for a few seconds.".into());
            p.undo = "Nothing to undo: the connection comes back by itself.".into();
        }
        Os::Linux => {
            let i = interface()?;
            if env.linux.network_manager {
                p.steps.push(Step::run(
                    format!("Disconnect {i}"),
                    cmd("nmcli", &["device", "disconnect", i]),
                ));
                p.steps.push(Step::run(
                    format!("Connect {i} again"),
                    cmd("nmcli", &["device", "connect", i]),
                ));
            } else if env.linux.networkd {
                p.steps.push(Step::run(
                    format!("Set up {i} again from its configuration"),
                    cmd("networkctl", &["reconfigure", i]),
                ));
            } else {
                return Err(na(&id, "Nothing on this computer would bring the connection back after a restart (no NetworkManager or systemd-networkd). Restart the computer instead."));
            }
            p.side_effects
                .push("The connection drops for a few seconds.".into());
            p.undo = "Nothing to undo: the connection comes back by itself.".into();
        }
    }
    Ok(())
}

// ─────────────────────────── zoom.clear_cache ───────────────────────────

/// Zoom's cache folders on `env.os`: (path, keep patterns). Folders that
/// hold settings and databases move only their other entries.
pub fn cache_folders(env: &FixEnv) -> Vec<(String, Vec<String>)> {
    let keep: Vec<String> = KEEP.iter().map(|s| s.to_string()).collect();
    let h = env.home.as_str();
    match env.os {
        Os::Windows => vec![(join(Os::Windows, &env.appdata(), &["Zoom", "data"]), keep)],
        Os::Macos => vec![
            (
                join(Os::Macos, h, &["Library", "Caches", "us.zoom.xos"]),
                vec![],
            ),
            (
                join(
                    Os::Macos,
                    h,
                    &["Library", "Application Support", "zoom.us", "data"],
                ),
                keep,
            ),
            (
                join(
                    Os::Macos,
                    h,
                    &[
                        "Library",
                        "Saved Application State",
                        "us.zoom.xos.savedState",
                    ],
                ),
                vec![],
            ),
        ],
        Os::Linux => {
            let cache = env
                .var("XDG_CACHE_HOME")
                .map(str::to_string)
                .unwrap_or_else(|| join(Os::Linux, h, &[".cache"]));
            vec![
                (join(Os::Linux, h, &[".zoom", "data"]), keep.clone()),
                (join(Os::Linux, &cache, &["zoom"]), vec![]),
                (
                    join(
                        Os::Linux,
                        h,
                        &[".var", "app", "us.zoom.Zoom", ".zoom", "data"],
                    ),
                    keep,
                ),
                (
                    join(Os::Linux, h, &[".var", "app", "us.zoom.Zoom", "cache"]),
                    vec![],
                ),
            ]
        }
    }
}

fn clear_cache(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    p.needs_admin = false;
    let folders: Vec<(String, Vec<String>)> = cache_folders(env)
        .into_iter()
        .filter(|(path, _)| {
            env.zoom_caches_present
                .as_ref()
                .is_none_or(|present| present.contains(path))
        })
        .collect();
    if folders.is_empty() {
        return Err(na(
            &p.fix.id,
            "Zoom keeps no temporary files on this computer, so there is nothing to put aside.",
        ));
    }
    p.steps.push(quit_step(env.os));
    for (path, keep) in folders {
        p.steps.push(Step::new(
            "Move Zoom's temporary files into a dated backup folder",
            Action::MoveAside { path, keep },
        ));
    }
    p.side_effects.push(
        "Zoom closes first. Your Zoom settings, sign-in and chat history stay where they are."
            .into(),
    );
    p.side_effects.push(format!(
        "Nothing is deleted: the files are kept in {}.",
        join(env.os, &env.data_dir, &["backups"])
    ));
    p.undo = "Undo moves every file back from the backup folder.".into();
    Ok(())
}

// ─────────────────────────────── proxy.disable ───────────────────────────────

fn proxy_disable(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id.clone();
    let proxy = env.proxy.clone().unwrap_or_default();
    if proxy.is_direct() {
        return Err(na(&id, "This computer does not use a proxy server."));
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
                na(&id, "The network service in use (Wi-Fi, Ethernet…) is not known.")
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
                return Err(na(&id, "The proxy is set by environment variables (https_proxy and others). Remove them from your shell's or session's startup files, then log in again."))
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

pub(super) fn mac_proxy_words(proxy: MacProxy) -> &'static str {
    match proxy {
        MacProxy::Web => "the web proxy",
        MacProxy::SecureWeb => "the secure web proxy",
        MacProxy::Socks => "the SOCKS proxy",
        MacProxy::AutoUrl => "the automatic proxy configuration",
        MacProxy::AutoDiscovery => "automatic proxy discovery",
    }
}

// ─────────────────────────────── dns.use_public ───────────────────────────────

fn dns_public(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id.clone();
    let servers: Vec<String> = env.public_dns.iter().map(|a| a.to_string()).collect();
    if servers.is_empty() {
        return Err(na(&id, "The profile names no public DNS servers."));
    }
    let words = servers.join(" and ");
    let no_interface = || na(&id, "The network connection in use is not known.");
    match env.os {
        Os::Windows => {
            let i = env.interface.as_deref().ok_or_else(no_interface)?;
            p.steps.push(Step::save(
                "windows_dns",
                ps(
                    "$a = Get-NetAdapter -Name $env:MD_IF -ErrorAction Stop; \
(Get-ItemProperty -Path \"HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\$($a.InterfaceGuid)\").NameServer",
                    &[("MD_IF", i)],
                ),
            ));
            p.steps.push(Step::run(
                format!("Use {words} for DNS on \"{i}\""),
                ps(
                    "Set-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ServerAddresses ($env:MD_DNS -split ',')",
                    &[("MD_IF", i), ("MD_DNS", &servers.join(","))],
                ),
            ));
        }
        Os::Macos => {
            let svc = env.service.as_deref().ok_or_else(no_interface)?;
            p.steps.push(Step::save(
                "mac_dns",
                cmd("networksetup", &["-getdnsservers", svc]),
            ));
            let mut args = vec!["-setdnsservers", svc];
            args.extend(servers.iter().map(String::as_str));
            p.steps.push(Step::run(
                format!("Use {words} for DNS on {svc}"),
                cmd("networksetup", &args),
            ));
        }
        Os::Linux => {
            if env.linux.network_manager && env.linux.nm_connection.is_none() && !env.linux.resolved
            {
                return Err(na(&id, "NetworkManager manages this computer's DNS, but the connection in use is not known. Set the DNS servers in the network settings instead."));
            }
            let v4: Vec<String> = env
                .public_dns
                .iter()
                .filter(|a| a.is_ipv4())
                .map(|a| a.to_string())
                .collect();
            if let (true, Some(conn), false) = (
                env.linux.network_manager,
                env.linux.nm_connection.as_deref(),
                v4.is_empty(),
            ) {
                p.steps.push(Step::save(
                    "nm_dns",
                    cmd(
                        "nmcli",
                        &[
                            "-g",
                            "ipv4.dns,ipv4.ignore-auto-dns",
                            "connection",
                            "show",
                            conn,
                        ],
                    ),
                ));
                p.steps.push(Step::run(
                    format!("Use {words} for DNS on \"{conn}\""),
                    cmd(
                        "nmcli",
                        &[
                            "connection",
                            "modify",
                            conn,
                            "ipv4.dns",
                            &v4.join(" "),
                            "ipv4.ignore-auto-dns",
                            "yes",
                        ],
                    ),
                ));
                // NetworkManager applies a changed connection only when it
                // comes up again: the settings put back need the same.
                p.steps.push(
                    Step::run(
                        format!("Reconnect \"{conn}\" so it takes effect"),
                        cmd("nmcli", &["connection", "up", conn]),
                    )
                    .undone_by(Undo::NmReconnect {
                        connection: conn.to_string(),
                    }),
                );
            } else if env.linux.resolved {
                let i = env.interface.as_deref().ok_or_else(no_interface)?;
                p.steps
                    .push(Step::save("resolved_dns", cmd("resolvectl", &["dns", i])));
                let mut args = vec!["dns", i];
                args.extend(servers.iter().map(String::as_str));
                p.steps.push(Step::run(
                    format!("Use {words} for DNS on {i}"),
                    cmd("resolvectl", &args),
                ));
                p.side_effects
                    .push("It lasts until the connection is set up again.".into());
            } else {
                let mut text = String::from("# Written by Meeting Doctor (fix dns.use_public); the old file is in its backup folder.\n");
                for l in env.linux.resolv_conf.as_deref().unwrap_or("").lines() {
                    if !l.trim_start().starts_with("nameserver")
                        && !l.starts_with("# Written by Meeting Doctor")
                    {
                        text.push_str(l);
                        text.push('\n');
                    }
                }
                for s in &servers {
                    text.push_str(&format!("nameserver {s}\n"));
                }
                p.steps.push(Step::new(
                    format!("Use {words} in /etc/resolv.conf"),
                    Action::WriteFile {
                        path: "/etc/resolv.conf".into(),
                        content: text,
                    },
                ));
            }
        }
    }
    p.side_effects.push(
        "Names that only your organization's DNS servers know (intranet sites) may stop working until you undo this.".into(),
    );
    p.undo = "Undo puts the previous DNS servers back.".into();
    Ok(())
}

// ─────────────────────────────── clock.sync ───────────────────────────────

fn clock_sync(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    match env.os {
        Os::Windows => {
            p.steps.push(Step::new(
                "Start the Windows Time service",
                Action::Run {
                    command: cmd("net", &["start", "w32time"]),
                    ok_codes: vec![2],
                },
            ));
            p.steps.push(Step::run(
                "Set the clock from the time server",
                cmd("w32tm", &["/resync", "/force"]),
            ));
        }
        Os::Macos => p.steps.push(Step::run(
            "Set the clock from Apple's time server",
            cmd("sntp", &["-sS", "time.apple.com"]),
        )),
        Os::Linux => {
            if env.linux.timedatectl {
                p.steps.push(Step::save(
                    "ntp",
                    cmd("timedatectl", &["show", "--property=NTP", "--value"]),
                ));
                p.steps.push(Step::run(
                    "Turn on automatic time",
                    cmd("timedatectl", &["set-ntp", "true"]),
                ));
            }
            if env.linux.chrony {
                p.steps.push(Step::run(
                    "Set the clock now (chrony)",
                    cmd("chronyc", &["makestep"]),
                ));
            }
            if p.steps.is_empty() {
                return Err(na(&p.fix.id, "Neither systemd's timedatectl nor chrony is here to set the clock. Set it by hand or install chrony."));
            }
        }
    }
    p.undo = "Nothing to undo: a correct clock harms nothing.".into();
    Ok(())
}

/// The data of a `reg query … /v NAME` answer (`    ProxyEnable    REG_DWORD    0x1`).
pub fn reg_value(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let l = l.trim();
        let i = l.find("REG_")?;
        let rest = &l[i..];
        let sp = rest.find(char::is_whitespace)?;
        Some(rest[sp..].trim().to_string())
    })
}

/// `networksetup -getwebproxy` and friends: whether "Enabled: Yes", and
/// the URL when there is one.
pub fn networksetup_enabled(text: &str) -> (bool, Option<String>) {
    let mut enabled = false;
    let mut url = None;
    for l in text.lines() {
        let l = l.trim();
        if let Some(v) = l.strip_prefix("Enabled:") {
            enabled = v.trim().eq_ignore_ascii_case("yes") || v.trim() == "1";
        } else if let Some(v) = l.strip_prefix("Auto Proxy Discovery:") {
            enabled = v.trim().eq_ignore_ascii_case("on");
        } else if let Some(v) = l.strip_prefix("URL:") {
            let v = v.trim();
            if !v.is_empty() && v != "(null)" {
                url = Some(v.to_string());
            }
        }
    }
    (enabled, url)
}
