//! `firewall.allow_zoom`: let Zoom through the firewall, never turn it off.

use super::*;

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

pub(crate) fn safe_nft_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The nftables chains that filter this computer's own traffic:
/// (family, table, chain, is_output) from the firewall facts.
pub(super) fn nft_chains(env: &FixEnv) -> Vec<(String, String, String, bool)> {
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

pub(super) fn nft_set(ports: &[u16]) -> Vec<String> {
    let list = port_ranges(ports, "-", ", ");
    let mut v = vec!["{".to_string()];
    v.extend(list.split(' ').map(str::to_string));
    v.push("}".into());
    v
}

pub(super) fn nft_rule(
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

pub(super) fn firewall(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id;
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
                        return Err(na(id, "nftables has no input or output chain on this computer, so it does not block Zoom."));
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
                        id,
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
pub(super) fn zoom_traffic(proto: &str) -> &'static str {
    if proto == "udp" {
        "Zoom's sound and video"
    } else {
        "Zoom's connections"
    }
}

pub(crate) fn firewalld_rule(
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
