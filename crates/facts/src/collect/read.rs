//! Reading one fact: a command run with its limit, parsed, and the reason when it can't be known.

use super::*;

pub(crate) const STEP: Duration = Duration::from_secs(3);

/// Runs `spec` and parses its standard output. A tool that is missing,
/// refuses without rights, fails or prints something unexpected becomes the
/// reason the fact is unknown.
pub(crate) async fn read<T>(
    exec: &dyn Executor,
    spec: &CommandSpec,
    parse: impl Fn(&str) -> Result<T, ParseError>,
) -> Fact<T> {
    let source = spec.display();
    match exec.run(spec, STEP).await {
        Err(e @ ExecError::NotFound(_)) => Fact::unknown(e.to_string()),
        Err(e) => Fact::unknown(e.to_string()),
        Ok(out) if !out.success() => {
            let err = out.stderr.trim();
            let lower = err.to_ascii_lowercase();
            if lower.contains("permission denied")
                || lower.contains("operation not permitted")
                || lower.contains("must be root")
                || lower.contains("you need to be root")
                || lower.contains("authorization")
            {
                Fact::unknown(format!("{source} needs administrator rights"))
            } else {
                Fact::unknown(format!(
                    "{source} failed (exit {}): {}",
                    out.code.map_or("signal".to_string(), |c| c.to_string()),
                    err.lines().next().unwrap_or("")
                ))
            }
        }
        Ok(out) => match parse(&out.stdout) {
            Ok(value) => Fact::Known { value, source },
            Err(e) => Fact::unknown(format!("could not read the output of {source}: {e}")),
        },
    }
}

/// The Linux firewall: a front end (ufw, firewalld) that is on speaks for
/// the rules; one that is off says nothing about rules set in nftables
/// directly, so the kernel's ruleset decides — and when it cannot be read,
/// the firewall is unknown rather than "nothing blocks Zoom".
pub fn pick_firewall(
    front_ends: Vec<Fact<FirewallState>>,
    nft: Fact<FirewallState>,
) -> Fact<FirewallState> {
    let on = |f: &Fact<FirewallState>| {
        f.value()
            .is_some_and(|s| s.profiles.iter().any(|p| p.enabled) || !s.zoom_rules.is_empty())
    };
    if let Some(active) = front_ends.iter().find(|f| on(f)) {
        return active.clone();
    }
    let off: Vec<String> = front_ends
        .iter()
        .filter_map(|f| f.value().map(|s| format!("{} is off", s.product)))
        .collect();
    match nft {
        Fact::Known { value, source } => {
            let source = if off.is_empty() {
                source
            } else {
                format!("{source} ({})", off.join(", "))
            };
            Fact::Known { value, source }
        }
        Fact::Unknown { reason } if !off.is_empty() => Fact::unknown(format!(
            "{}, but rules set directly in nftables could not be read: {reason}",
            off.join(", ")
        )),
        Fact::Unknown { reason } => {
            let mut reasons: Vec<String> = front_ends
                .iter()
                .filter_map(|f| match f {
                    Fact::Unknown { reason } => Some(reason.clone()),
                    Fact::Known { .. } => None,
                })
                .collect();
            reasons.push(reason);
            Fact::unknown(reasons.join("; "))
        }
    }
}

/// The first known answer among several readers, else every reason.
pub(super) fn first_known<T>(facts: Vec<Fact<T>>) -> Fact<T> {
    let mut reasons = Vec::new();
    for f in facts {
        match f {
            Fact::Known { .. } => return f,
            Fact::Unknown { reason } => reasons.push(reason),
        }
    }
    Fact::unknown(reasons.join("; "))
}
