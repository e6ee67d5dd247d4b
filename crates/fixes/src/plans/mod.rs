//! Each fix's plan per OS, and its undo, as pure functions of [`FixEnv`]
//! (and, for the undo, of the settings saved just before the change).
//! Commands come from the seeds' advice, made narrow: allow Zoom through
//! a firewall, never turn it off; move caches aside, never delete them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::env::{join, FixEnv};
use super::undo::{NftFamily, Proto, Undo};
use super::{find, Action, NotApplicable, Plan, Step};
use md_facts::command::CommandSpec;
use md_facts::process::quit_names;
use md_model::system::Os;

mod clock;
mod dns;
mod firewall;
mod network;
mod proxy;
mod zoom;

use clock::*;
use dns::*;
pub use firewall::*;
use network::*;
pub use proxy::*;
use zoom::*;

/// The tag on every firewall rule Meeting Doctor adds, so it can be found
/// and removed.
pub const TAG: &str = "meeting-doctor-zoom";
/// Windows Defender Firewall: rule names and group.
pub const WIN_RULES: [&str; 2] = ["MeetingDoctor-Zoom-In", "MeetingDoctor-Zoom-Out"];
pub const WIN_GROUP: &str = "Meeting Doctor";
pub(crate) const INTERNET_SETTINGS: &str =
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings";
pub(crate) const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";
/// Windows firewall rules are chosen by their unique name (`Name`, not
/// the display name, which is neither unique nor free of wildcards):
/// exactly one rule must match, compared case-sensitively, or nothing
/// changes.
/// Turns the rule named in MD_RULE off, only when it is on.
pub(crate) const WIN_DISABLE_RULE: &str = "$r = @(Get-NetFirewallRule | Where-Object { $_.Name -ceq $env:MD_RULE }); if ($r.Count -ne 1) { Write-Error \"no single firewall rule is named $($env:MD_RULE)\"; exit 1 }; if ([string]$r[0].Enabled -eq 'True') { $r[0] | Disable-NetFirewallRule }";
/// Turns the rule named in MD_RULE back on (undo of [`WIN_DISABLE_RULE`]).
pub(crate) const WIN_ENABLE_RULE: &str = "$r = @(Get-NetFirewallRule | Where-Object { $_.Name -ceq $env:MD_RULE }); if ($r.Count -ne 1) { Write-Error \"no single firewall rule is named $($env:MD_RULE)\"; exit 1 }; $r[0] | Enable-NetFirewallRule";
pub use crate::env::{cache_folders, KEEP};
/// How long a program gets to quit before it is forced.
pub const GRACE_MS: u64 = 5000;

pub use super::undo::undo_steps;

/// Saved settings, by the name of the `Save` step that read them.
pub type Saved = BTreeMap<String, String>;

fn na(id: impl AsRef<str>, reason: impl Into<String>) -> NotApplicable {
    NotApplicable {
        fix: id.as_ref().to_string(),
        reason: reason.into(),
    }
}

fn cmd(program: &str, args: &[&str]) -> CommandSpec {
    CommandSpec::new(program, args)
}

/// `reg add` of one value in the person's Internet Settings.
pub(crate) fn reg_add(value: &str, kind: &str, data: &str) -> CommandSpec {
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

pub(crate) fn ps(script: &str, env: &[(&str, &str)]) -> CommandSpec {
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

// ───────────────────────── saved settings, read back ─────────────────────────

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
