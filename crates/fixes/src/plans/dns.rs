//! `dns.flush` and `dns.use_public`: the DNS cache, and public DNS servers.

use super::*;

pub(super) fn dns_flush(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
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
                    p.fix.id,
                    "This computer keeps no DNS cache (neither systemd-resolved nor nscd runs), so there is nothing to clear.",
                ));
            }
        }
    }
    p.undo = "Nothing to undo: the cache fills again by itself.".into();
    Ok(())
}

pub(super) fn dns_public(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id;
    let servers: Vec<String> = env.public_dns.iter().map(|a| a.to_string()).collect();
    if servers.is_empty() {
        return Err(na(id, "The profile names no public DNS servers."));
    }
    let words = servers.join(" and ");
    let no_interface = || na(id, "The network connection in use is not known.");
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
                return Err(na(id, "NetworkManager manages this computer's DNS, but the connection in use is not known. Set the DNS servers in the network settings instead."));
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
