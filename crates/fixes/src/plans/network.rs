//! `network.stack_reset`: rebuild the network settings, or restart the connection.

use super::*;

pub(super) fn stack_reset(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    let id = p.fix.id;
    let interface = || {
        env.interface.as_deref().ok_or_else(|| {
            na(
                id,
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
                return Err(na(id, "Nothing on this computer would bring the connection back after a restart (no NetworkManager or systemd-networkd). Restart the computer instead."));
            }
            p.side_effects
                .push("The connection drops for a few seconds.".into());
            p.undo = "Nothing to undo: the connection comes back by itself.".into();
        }
    }
    Ok(())
}
