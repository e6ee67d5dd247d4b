//! `clock.sync`: the clock set from the internet.

use super::*;

pub(super) fn clock_sync(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
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
                return Err(na(p.fix.id, "Neither systemd's timedatectl nor chrony is here to set the clock. Set it by hand or install chrony."));
            }
        }
    }
    p.undo = "Nothing to undo: a correct clock harms nothing.".into();
    Ok(())
}
