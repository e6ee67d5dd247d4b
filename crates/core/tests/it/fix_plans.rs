//! Every fix's plan on Windows, macOS and Linux, pinned as data: the exact
//! argv (program, arguments, environment) of each step, for user folders
//! with spaces and non-ASCII names; the reasons a fix cannot be done; the
//! undo built from the settings saved before the change; and the safety
//! rules (ARCHITECTURE.md, "The administrator boundary") checked over every plan of
//! many environments.

use std::collections::BTreeSet;
use std::net::IpAddr;

use meeting_doctor_core::facts::process::quit_names;
use meeting_doctor_core::facts::{
    CommandSpec, FirewallProfile, FirewallRule, FirewallState, ProxySettings, ZoomInstall,
};
use meeting_doctor_core::fixes::apply::{glob_match, UNDO_PROGRAMS};
use meeting_doctor_core::fixes::plans::{cache_folders, undo_steps, Saved, KEEP};
use meeting_doctor_core::fixes::{self, Action, FixEnv, NotApplicable, Plan, Preview, Step};
use meeting_doctor_core::system::Os;

const WIN_HOME: &str = r"C:\Users\Zoë Ångström";
const WIN_APPDATA: &str = r"C:\Users\Zoë Ångström\AppData\Roaming";
const WIN_LOCALAPPDATA: &str = r"C:\Users\Zoë Ångström\AppData\Local";
const MAC_HOME: &str = "/Users/Zoë Ångström";
const LINUX_HOME: &str = "/home/zoë";

const IDS: [&str; 8] = [
    "dns.flush",
    "firewall.allow_zoom",
    "network.stack_reset",
    "zoom.quit",
    "zoom.clear_cache",
    "proxy.disable",
    "dns.use_public",
    "clock.sync",
];

const INTERNET_SETTINGS: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings";
const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";
const PS_PREAMBLE: [&str; 5] = [
    "-NoProfile",
    "-NonInteractive",
    "-ExecutionPolicy",
    "Bypass",
    "-Command",
];
const NFT_COMMENT: &str = "\"meeting-doctor-zoom\"";
const BACKUP: &str = "/home/zoë/.local/share/meeting-doctor/backups/20240101-zoom.clear_cache-0001";

// ───────────────────────────── building blocks ─────────────────────────────

fn run(program: &str, args: &[&str]) -> Action {
    Action::Run {
        command: CommandSpec::new(program, args),
        ok_codes: vec![],
    }
}

fn run_ok(program: &str, args: &[&str], ok_codes: &[i32]) -> Action {
    Action::Run {
        command: CommandSpec::new(program, args),
        ok_codes: ok_codes.to_vec(),
    }
}

fn save(name: &str, program: &str, args: &[&str]) -> Action {
    Action::Save {
        name: name.into(),
        command: CommandSpec::new(program, args),
        absent_codes: vec![],
    }
}

/// A save for which `reg query`'s exit 1 means "not set".
fn save_reg(name: &str, args: &[&str]) -> Action {
    Action::Save {
        name: name.into(),
        command: CommandSpec::new("reg", args),
        absent_codes: vec![1],
    }
}

fn quit(os: Os) -> Action {
    Action::Quit {
        names: quit_names(os),
        grace_ms: 5000,
    }
}

fn move_aside(path: &str, keep_settings: bool) -> Action {
    let keep = if keep_settings {
        ["*.db", "*.db-*", "*.ini", "*.conf", "*.plist"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        vec![]
    };
    Action::MoveAside {
        path: path.into(),
        keep,
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn actions(steps: &[Step]) -> Vec<Action> {
    steps.iter().map(|s| s.action.clone()).collect()
}

fn command(a: &Action) -> Option<&CommandSpec> {
    match a {
        Action::Run { command, .. } | Action::Save { command, .. } => Some(command),
        _ => None,
    }
}

/// The script and environment of a PowerShell step, after checking the
/// fixed preamble (no profile, no prompt, the script as one argument).
fn powershell(a: &Action) -> (String, Vec<(String, String)>) {
    let c = command(a).unwrap_or_else(|| panic!("not a command: {a:?}"));
    assert_eq!(c.program, "powershell.exe", "{a:?}");
    assert_eq!(c.args.len(), 6, "{a:?}");
    assert_eq!(c.args[..5], PS_PREAMBLE, "{a:?}");
    (c.args[5].clone(), c.env.clone())
}

fn ok(id: &str, env: &FixEnv) -> Plan {
    let plan = fixes::plan(id, env).unwrap_or_else(|e| panic!("{id} on {:?}: {e}", env.os));
    assert_eq!(plan.fix.id, id);
    assert_eq!(plan.os, env.os);
    assert!(!plan.steps.is_empty(), "{id} on {:?} has steps", env.os);
    plan
}

fn not_applicable(id: &str, env: &FixEnv) -> NotApplicable {
    match fixes::plan(id, env) {
        Ok(p) => panic!(
            "{id} on {:?} should not be applicable, got {:#?}",
            env.os, p.steps
        ),
        Err(e) => {
            assert_eq!(e.fix, id);
            e
        }
    }
}

fn assert_na(id: &str, env: &FixEnv, reason_has: &str) {
    let e = not_applicable(id, env);
    assert!(
        e.reason.contains(reason_has),
        "{id} on {:?}: reason {:?} should mention {reason_has:?}",
        env.os,
        e.reason
    );
    assert!(e.reason.ends_with('.'), "a sentence: {:?}", e.reason);
}

/// Saved outputs by name, as a table row writes them.
type Saves<'a> = Vec<(&'a str, &'a str)>;

fn saved(values: &[(&str, &str)]) -> Saved {
    values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn undo(plan: &Plan, env: &FixEnv, values: &[(&str, &str)]) -> Vec<Action> {
    actions(&undo_steps(plan, env, &saved(values), BACKUP))
}

// ─────────────────────────────── environments ───────────────────────────────

fn win() -> FixEnv {
    let mut e = FixEnv::bare(Os::Windows, WIN_HOME);
    e.vars.insert("APPDATA".into(), WIN_APPDATA.into());
    e.vars
        .insert("LOCALAPPDATA".into(), WIN_LOCALAPPDATA.into());
    e
}

fn mac() -> FixEnv {
    FixEnv::bare(Os::Macos, MAC_HOME)
}

fn linux() -> FixEnv {
    FixEnv::bare(Os::Linux, LINUX_HOME)
}

fn with(mut env: FixEnv, f: impl FnOnce(&mut FixEnv)) -> FixEnv {
    f(&mut env);
    env
}

fn zoom_at(path: Option<&str>) -> Option<ZoomInstall> {
    Some(ZoomInstall {
        installed: true,
        path: path.map(str::to_string),
        ..Default::default()
    })
}

fn firewall(product: &str) -> Option<FirewallState> {
    Some(FirewallState {
        product: product.into(),
        ..Default::default()
    })
}

fn nft_chain(name: &str, inbound: Option<&str>, outbound: Option<&str>) -> FirewallProfile {
    FirewallProfile {
        name: name.into(),
        enabled: true,
        default_inbound: inbound.map(str::to_string),
        default_outbound: outbound.map(str::to_string),
    }
}

fn win_rule(name: &str, action: &str, enabled: bool) -> FirewallRule {
    FirewallRule {
        id: Some(name.into()),
        name: name.into(),
        direction: "out".into(),
        action: action.into(),
        enabled,
        program: Some(r"C:\Program Files\Zoom\bin\Zoom.exe".into()),
    }
}

fn manual_proxy(source: &str) -> Option<ProxySettings> {
    Some(ProxySettings {
        source: source.into(),
        http: Some("proxy.corp.example:8080".into()),
        https: Some("proxy.corp.example:8080".into()),
        ..Default::default()
    })
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

// ───────────────────────────── every fix × every OS ─────────────────────────────

#[derive(Debug, Clone, Copy)]
enum Expect {
    Plan,
    NotHere(&'static str),
}

#[test]
fn every_fix_on_every_os_with_no_facts_is_a_plan_or_says_why_not() {
    use Expect::*;
    let table: [(Os, [Expect; 8]); 3] = [
        (
            Os::Windows,
            [
                Plan,
                Plan,
                Plan,
                Plan,
                Plan,
                NotHere("does not use a proxy server"),
                NotHere("network connection in use is not known"),
                Plan,
            ],
        ),
        (
            Os::Macos,
            [
                Plan,
                Plan,
                NotHere("network interface in use is not known"),
                Plan,
                Plan,
                NotHere("does not use a proxy server"),
                NotHere("network connection in use is not known"),
                Plan,
            ],
        ),
        (
            Os::Linux,
            [
                NotHere("neither systemd-resolved nor nscd"),
                NotHere("No firewall that Meeting Doctor can adjust"),
                NotHere("network interface in use is not known"),
                Plan,
                Plan,
                NotHere("does not use a proxy server"),
                // With nothing known, /etc/resolv.conf is rewritten.
                Plan,
                NotHere("Neither systemd's timedatectl nor chrony"),
            ],
        ),
    ];
    for (os, expected) in table {
        let env = match os {
            Os::Windows => win(),
            Os::Macos => mac(),
            Os::Linux => linux(),
        };
        for (id, want) in IDS.iter().zip(expected) {
            match want {
                Plan => {
                    let p = ok(id, &env);
                    assert!(!p.undo.is_empty(), "{id} on {os:?} says how it is undone");
                    let preview = Preview::of(&Ok(p.clone()), &p.fix, os);
                    assert!(preview.applicable && preview.reason.is_none());
                    assert_eq!(preview.steps.len(), p.steps.len());
                }
                NotHere(why) => {
                    assert_na(id, &env, why);
                    let fix = fixes::find(id).unwrap();
                    let preview = Preview::of(&fixes::plan(id, &env), &fix, os);
                    assert!(!preview.applicable && preview.steps.is_empty());
                    assert!(preview.reason.as_deref().unwrap().contains(why));
                }
            }
        }
    }
}

#[test]
fn every_fix_is_a_plan_where_the_facts_allow_it() {
    let envs = [
        with(win(), |e| {
            e.interface = Some("WLAN (Büro)".into());
            e.proxy = manual_proxy("HKCU Internet Settings");
        }),
        with(mac(), |e| {
            e.interface = Some("en0".into());
            e.service = Some("Wi-Fi".into());
            e.proxy = manual_proxy("scutil --proxy");
        }),
        with(linux(), |e| {
            e.interface = Some("wlp0s20f3".into());
            e.linux.resolved = true;
            e.linux.network_manager = true;
            e.linux.nm_connection = Some("Büro WLAN".into());
            e.linux.timedatectl = true;
            e.firewall = firewall("ufw");
            e.proxy = manual_proxy("GNOME");
        }),
    ];
    for env in &envs {
        for id in IDS {
            ok(id, env);
        }
        let e = not_applicable("no.such.fix", env);
        assert!(e.reason.contains("no such fix"), "{e}");
    }
}

#[test]
fn who_needs_administrator_rights_and_a_restart() {
    let envs = [
        with(win(), |e| {
            e.interface = Some("Ethernet".into());
            e.proxy = manual_proxy("HKCU Internet Settings");
        }),
        with(mac(), |e| {
            e.interface = Some("en0".into());
            e.service = Some("Wi-Fi".into());
            e.proxy = manual_proxy("scutil --proxy");
        }),
        with(linux(), |e| {
            e.interface = Some("eth0".into());
            e.linux.resolved = true;
            e.linux.networkd = true;
            e.linux.chrony = true;
            e.firewall = firewall("firewalld");
            e.proxy = manual_proxy("KDE");
        }),
    ];
    // (id, admin on Windows, macOS, Linux)
    let table = [
        ("dns.flush", [true, true, true]),
        ("firewall.allow_zoom", [true, true, true]),
        ("network.stack_reset", [true, true, true]),
        ("zoom.quit", [false, false, false]),
        ("zoom.clear_cache", [false, false, false]),
        // Internet Settings are the user's; networksetup needs an admin.
        ("proxy.disable", [false, true, false]),
        ("dns.use_public", [true, true, true]),
        ("clock.sync", [true, true, true]),
    ];
    for (id, admin) in table {
        for (env, admin) in envs.iter().zip(admin) {
            let p = ok(id, env);
            assert_eq!(p.needs_admin, admin, "{id} on {:?}", env.os);
            let restart = id == "network.stack_reset" && env.os == Os::Windows;
            assert_eq!(p.needs_restart, restart, "{id} on {:?}", env.os);
        }
    }
}

// ─────────────────────────────────── Windows ───────────────────────────────────

#[test]
fn windows_dns_flush_clock_and_stack_reset() {
    let env = win();
    assert_eq!(
        actions(&ok("dns.flush", &env).steps),
        vec![run("ipconfig", &["/flushdns"])]
    );
    assert_eq!(
        actions(&ok("clock.sync", &env).steps),
        vec![
            // 2: "The requested service has already been started."
            run_ok("net", &["start", "w32time"], &[2]),
            run("w32tm", &["/resync", "/force"]),
        ]
    );
    let reset = ok("network.stack_reset", &env);
    assert_eq!(
        actions(&reset.steps),
        vec![
            run("netsh", &["winsock", "reset"]),
            run("netsh", &["int", "ip", "reset"]),
        ]
    );
    assert!(reset
        .side_effects
        .iter()
        .any(|s| s.contains("VPN and security software")));
    assert!(reset.undo.contains("cannot be undone"));
    assert!(undo_steps(&reset, &env, &Saved::new(), BACKUP).is_empty());
}

const WIN_FIREWALL_ENV: [(&str, &str); 3] = [
    ("MD_RULE_IN", "MeetingDoctor-Zoom-In"),
    ("MD_RULE_OUT", "MeetingDoctor-Zoom-Out"),
    ("MD_GROUP", "Meeting Doctor"),
];

#[test]
fn windows_firewall_allows_the_zoom_program_passed_only_through_md_program() {
    let no_appdata = with(win(), |e| {
        e.vars.remove("APPDATA");
    });
    let table: Vec<(FixEnv, &str)> = vec![
        // The per-user install: the exe path as read.
        (
            with(win(), |e| {
                e.zoom = zoom_at(Some(
                    r"C:\Users\Zoë Ångström\AppData\Roaming\Zoom\bin\Zoom.exe",
                ))
            }),
            r"C:\Users\Zoë Ångström\AppData\Roaming\Zoom\bin\Zoom.exe",
        ),
        (
            with(win(), |e| {
                e.zoom = zoom_at(Some(r"C:\Program Files\Zoom\bin\Zoom.EXE"))
            }),
            r"C:\Program Files\Zoom\bin\Zoom.EXE",
        ),
        // The MSI install: InstallLocation is a folder, with its trailing "\".
        (
            with(win(), |e| e.zoom = zoom_at(Some(r"C:\Program Files\Zoom\"))),
            r"C:\Program Files\Zoom\bin\Zoom.exe",
        ),
        (
            with(win(), |e| {
                e.zoom = zoom_at(Some(r"D:\Programme (x86)\Zoom Wörk"))
            }),
            r"D:\Programme (x86)\Zoom Wörk\bin\Zoom.exe",
        ),
        // Not found: Zoom's per-user place under %APPDATA%.
        (
            win(),
            r"C:\Users\Zoë Ångström\AppData\Roaming\Zoom\bin\Zoom.exe",
        ),
        (
            with(win(), |e| e.zoom = zoom_at(None)),
            r"C:\Users\Zoë Ångström\AppData\Roaming\Zoom\bin\Zoom.exe",
        ),
        // No %APPDATA% in the environment: the usual place under home.
        (
            no_appdata,
            r"C:\Users\Zoë Ångström\AppData\Roaming\Zoom\bin\Zoom.exe",
        ),
        (
            with(win(), |e| {
                e.vars
                    .insert("APPDATA".into(), r"E:\Profiles\Zoë\Roaming\".into());
            }),
            r"E:\Profiles\Zoë\Roaming\Zoom\bin\Zoom.exe",
        ),
    ];
    let mut scripts = BTreeSet::new();
    for (env, program) in &table {
        let p = ok("firewall.allow_zoom", env);
        assert_eq!(p.steps.len(), 1, "no rule to turn off: {:#?}", p.steps);
        let (script, vars) = powershell(&p.steps[0].action);
        let mut want = pairs(&[("MD_PROGRAM", program)]);
        want.extend(pairs(&WIN_FIREWALL_ENV));
        assert_eq!(vars, want);
        for data in [*program, WIN_HOME, "Zoom.exe", "Program Files", "Zoë"] {
            assert!(!script.contains(data), "{data:?} in the script: {script}");
        }
        for part in [
            "New-NetFirewallRule -Name $d[1]",
            "-Direction $d[0] -Program $env:MD_PROGRAM -Action Allow -Profile Any",
            "@('Inbound', $env:MD_RULE_IN), @('Outbound', $env:MD_RULE_OUT)",
            "-Group $env:MD_GROUP",
            // Re-running replaces Meeting Doctor's own rules, by name.
            "Remove-NetFirewallRule -Name $d[1] -ErrorAction SilentlyContinue",
        ] {
            assert!(script.contains(part), "{part:?} missing from {script}");
        }
        assert_eq!(
            p.side_effects,
            vec!["The firewall stays on; only Zoom's traffic is let through.".to_string()]
        );
        scripts.insert(script);
    }
    assert_eq!(scripts.len(), 1, "the script is the same whatever the data");
}

#[test]
fn windows_firewall_turns_off_only_enabled_rules_that_block_zoom_and_undo_turns_them_on() {
    let nasty = "Zoom \"blocked\"'; Set-NetFirewallProfile -Enabled False; '";
    let env = with(win(), |e| {
        e.zoom = zoom_at(Some(r"C:\Program Files\Zoom\"));
        e.firewall = Some(FirewallState {
            product: "Windows Defender Firewall".into(),
            zoom_rules: vec![
                win_rule("Block Zoom", "block", true),
                win_rule("Old Zoom block", "block", false),
                win_rule("Zoom Video Meetings", "allow", true),
                win_rule(nasty, "block", true),
            ],
            ..Default::default()
        });
    });
    let p = ok("firewall.allow_zoom", &env);
    assert_eq!(p.steps.len(), 3, "{:#?}", p.steps);
    for (step, name) in p.steps.iter().zip(["Block Zoom", nasty]) {
        let (script, vars) = powershell(&step.action);
        assert!(
            script.ends_with("{ $r[0] | Disable-NetFirewallRule }"),
            "{script}"
        );
        // By its unique name, exactly, and only when it is on.
        assert!(script.contains("$_.Name -ceq $env:MD_RULE") && script.contains("-eq 'True'"));
        assert!(!script.contains("DisplayName"), "{script}");
        assert!(!script.contains("Block Zoom") && !script.contains("Set-NetFirewallProfile"));
        assert_eq!(vars, pairs(&[("MD_RULE", name)]));
    }
    let (_, vars) = powershell(&p.steps[2].action);
    assert_eq!(
        vars[0],
        (
            "MD_PROGRAM".into(),
            r"C:\Program Files\Zoom\bin\Zoom.exe".into()
        )
    );

    let back = undo_steps(&p, &env, &Saved::new(), BACKUP);
    assert_eq!(back.len(), 3, "{back:#?}");
    for (step, name) in back.iter().zip(["Block Zoom", nasty]) {
        let (script, vars) = powershell(&step.action);
        assert!(
            script.ends_with("$r[0] | Enable-NetFirewallRule"),
            "{script}"
        );
        assert!(script.contains("$_.Name -ceq $env:MD_RULE") && !script.contains("DisplayName"));
        assert_eq!(vars, pairs(&[("MD_RULE", name)]));
    }
    let (script, vars) = powershell(&back[2].action);
    assert!(
        script.ends_with(
            "; Remove-NetFirewallRule -Name $env:MD_RULE_IN, $env:MD_RULE_OUT -ErrorAction SilentlyContinue"
        ),
        "{script}"
    );
    assert_eq!(vars, pairs(&WIN_FIREWALL_ENV[..2]));
}

#[test]
fn windows_proxy_is_saved_then_turned_off() {
    let env = with(win(), |e| e.proxy = manual_proxy("HKCU Internet Settings"));
    let p = ok("proxy.disable", &env);
    assert_eq!(
        actions(&p.steps),
        vec![
            save_reg(
                "ProxyEnable",
                &["query", INTERNET_SETTINGS, "/v", "ProxyEnable"]
            ),
            save_reg(
                "AutoConfigURL",
                &["query", INTERNET_SETTINGS, "/v", "AutoConfigURL"]
            ),
            run(
                "reg",
                &[
                    "add",
                    INTERNET_SETTINGS,
                    "/v",
                    "ProxyEnable",
                    "/t",
                    "REG_DWORD",
                    "/d",
                    "0",
                    "/f"
                ]
            ),
            // 1: there was no script to stop using.
            run_ok(
                "reg",
                &["delete", INTERNET_SETTINGS, "/v", "AutoConfigURL", "/f"],
                &[1]
            ),
        ]
    );
    assert!(!p
        .side_effects
        .iter()
        .any(|s| s.contains("Automatically detect")));

    for proxy in [
        ProxySettings {
            auto_detect: true,
            ..Default::default()
        },
        ProxySettings {
            pac_url: Some("http://wpad.corp.example/proxy.pac".into()),
            auto_detect: true,
            ..Default::default()
        },
    ] {
        let env = with(win(), |e| e.proxy = Some(proxy));
        let p = ok("proxy.disable", &env);
        assert_eq!(p.steps.len(), 4);
        assert!(
            p.side_effects
                .iter()
                .any(|s| s.contains("\"Automatically detect settings\" stays on")),
            "{:?}",
            p.side_effects
        );
    }
    let direct = with(win(), |e| {
        e.proxy = Some(ProxySettings {
            source: "HKCU Internet Settings".into(),
            bypass: vec!["<local>".into()],
            ..Default::default()
        })
    });
    assert_na("proxy.disable", &direct, "does not use a proxy server");
}

#[test]
fn windows_dns_goes_to_the_public_resolvers_through_the_environment() {
    let nic = "WLAN 2 (Büro)";
    let env = with(win(), |e| {
        e.interface = Some(nic.into());
        e.public_dns = vec![ip("1.1.1.1"), ip("2606:4700:4700::1111")];
    });
    let p = ok("dns.use_public", &env);
    assert_eq!(p.steps.len(), 2);
    match &p.steps[0].action {
        Action::Save { name, .. } => assert_eq!(name, "windows_dns"),
        a => panic!("first the servers are saved: {a:?}"),
    }
    let (script, vars) = powershell(&p.steps[0].action);
    assert!(script.contains("Get-NetAdapter -Name $env:MD_IF") && !script.contains(nic));
    assert_eq!(vars, pairs(&[("MD_IF", nic)]));
    let (script, vars) = powershell(&p.steps[1].action);
    assert!(script.ends_with(
        "; Set-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ServerAddresses ($env:MD_DNS -split ',')"
    ));
    assert_eq!(
        vars,
        pairs(&[("MD_IF", nic), ("MD_DNS", "1.1.1.1,2606:4700:4700::1111")])
    );

    let none = with(env.clone(), |e| e.public_dns.clear());
    assert_na("dns.use_public", &none, "names no public DNS servers");
}

// ─────────────────────────────────── macOS ───────────────────────────────────

#[test]
fn macos_dns_flush_clock_and_interface_restart() {
    let env = with(mac(), |e| e.interface = Some("en0".into()));
    assert_eq!(
        actions(&ok("dns.flush", &env).steps),
        vec![
            run("dscacheutil", &["-flushcache"]),
            run("killall", &["-HUP", "mDNSResponder"]),
        ]
    );
    assert_eq!(
        actions(&ok("clock.sync", &env).steps),
        vec![run("sntp", &["-sS", "time.apple.com"])]
    );
    assert_eq!(
        actions(&ok("network.stack_reset", &env).steps),
        vec![
            run("ifconfig", &["en0", "down"]),
            run("ifconfig", &["en0", "up"])
        ]
    );
}

#[test]
fn macos_firewall_adds_and_unblocks_the_app_bundle_and_leaves_the_firewall_on() {
    let table = [
        (None, "/Applications/zoom.us.app"),
        (
            Some("/Applications/zoom.us.app"),
            "/Applications/zoom.us.app",
        ),
        (
            Some("/Users/Zoë Ångström/Applications/zoom.us.app/Contents/MacOS/zoom.us"),
            "/Users/Zoë Ångström/Applications/zoom.us.app",
        ),
        // A user folder with ".app" in its name is not the bundle.
        (
            Some("/Users/anna.appleby/Applications/zoom.us.app"),
            "/Users/anna.appleby/Applications/zoom.us.app",
        ),
        (
            Some("/Users/anna.appleby/Applications/zoom.us.app/Contents/MacOS/zoom.us"),
            "/Users/anna.appleby/Applications/zoom.us.app",
        ),
    ];
    for (path, app) in table {
        let env = with(mac(), |e| e.zoom = zoom_at(path));
        let p = ok("firewall.allow_zoom", &env);
        assert_eq!(
            actions(&p.steps),
            vec![
                save("app_blocked", SOCKETFILTERFW, &["--getappblocked", app]),
                run(SOCKETFILTERFW, &["--add", app]),
                run(SOCKETFILTERFW, &["--unblockapp", app]),
            ],
            "Zoom at {path:?}"
        );
        assert_eq!(p.side_effects.len(), 1);
    }
    let block_all = with(mac(), |e| {
        e.firewall = Some(FirewallState {
            product: "macOS Application Firewall".into(),
            blocks_all_incoming: true,
            ..Default::default()
        })
    });
    let p = ok("firewall.allow_zoom", &block_all);
    assert_eq!(p.steps.len(), 3, "\"block all\" is not turned off");
    assert!(p
        .side_effects
        .iter()
        .any(|s| s.contains("\"Block all incoming connections\" is on and stays on")));
}

#[test]
fn macos_proxies_are_each_saved_then_turned_off_on_the_service() {
    let svc = "USB 10/100/1000 LAN (Büro)";
    let env = with(mac(), |e| {
        e.service = Some(svc.into());
        e.proxy = Some(ProxySettings {
            source: "scutil --proxy".into(),
            pac_url: Some("http://wpad/proxy.pac".into()),
            ..Default::default()
        });
    });
    let p = ok("proxy.disable", &env);
    assert_eq!(
        actions(&p.steps),
        vec![
            save("web", "networksetup", &["-getwebproxy", svc]),
            run("networksetup", &["-setwebproxystate", svc, "off"]),
            save("secure_web", "networksetup", &["-getsecurewebproxy", svc]),
            run("networksetup", &["-setsecurewebproxystate", svc, "off"]),
            save("socks", "networksetup", &["-getsocksfirewallproxy", svc]),
            run("networksetup", &["-setsocksfirewallproxystate", svc, "off"]),
            save("auto_url", "networksetup", &["-getautoproxyurl", svc]),
            run("networksetup", &["-setautoproxystate", svc, "off"]),
            save(
                "auto_discovery",
                "networksetup",
                &["-getproxyautodiscovery", svc]
            ),
            run("networksetup", &["-setproxyautodiscovery", svc, "off"]),
        ]
    );
    let no_service = with(env, |e| e.service = None);
    assert_na("proxy.disable", &no_service, "network service in use");
}

#[test]
fn macos_dns_is_saved_then_set_on_the_service() {
    let env = with(mac(), |e| {
        e.interface = Some("en0".into());
        e.service = Some("Wi-Fi".into());
    });
    assert_eq!(
        actions(&ok("dns.use_public", &env).steps),
        vec![
            save("mac_dns", "networksetup", &["-getdnsservers", "Wi-Fi"]),
            run(
                "networksetup",
                &["-setdnsservers", "Wi-Fi", "1.1.1.1", "8.8.8.8"]
            ),
        ]
    );
    // The service, not the interface, is what networksetup knows.
    let interface_only = with(env, |e| e.service = None);
    assert_na("dns.use_public", &interface_only, "not known");
}

// ─────────────────────────────────── Linux ───────────────────────────────────

#[test]
fn linux_dns_flush_clears_each_cache_that_runs() {
    let table: [(bool, bool, Option<Vec<Action>>); 4] = [
        (
            true,
            false,
            Some(vec![run("resolvectl", &["flush-caches"])]),
        ),
        (
            false,
            true,
            Some(vec![run("nscd", &["--invalidate=hosts"])]),
        ),
        (
            true,
            true,
            Some(vec![
                run("resolvectl", &["flush-caches"]),
                run("nscd", &["--invalidate=hosts"]),
            ]),
        ),
        (false, false, None),
    ];
    for (resolved, nscd, want) in table {
        let env = with(linux(), |e| {
            e.linux.resolved = resolved;
            e.linux.nscd = nscd;
            // Unrelated tools change nothing.
            e.linux.network_manager = true;
            e.linux.chrony = true;
        });
        match want {
            Some(want) => assert_eq!(actions(&ok("dns.flush", &env).steps), want),
            None => assert_na("dns.flush", &env, "neither systemd-resolved nor nscd runs"),
        }
    }
}

#[test]
fn linux_stack_reset_reconnects_through_whatever_manages_the_link() {
    let nm = with(linux(), |e| {
        e.interface = Some("wlp0s20f3".into());
        e.linux.network_manager = true;
        e.linux.networkd = true;
    });
    assert_eq!(
        actions(&ok("network.stack_reset", &nm).steps),
        vec![
            run("nmcli", &["device", "disconnect", "wlp0s20f3"]),
            run("nmcli", &["device", "connect", "wlp0s20f3"]),
        ]
    );
    let networkd = with(nm.clone(), |e| e.linux.network_manager = false);
    assert_eq!(
        actions(&ok("network.stack_reset", &networkd).steps),
        vec![run("networkctl", &["reconfigure", "wlp0s20f3"])]
    );
    let neither = with(networkd.clone(), |e| e.linux.networkd = false);
    assert_na(
        "network.stack_reset",
        &neither,
        "no NetworkManager or systemd-networkd",
    );
    let unknown = with(networkd, |e| e.interface = None);
    assert_na(
        "network.stack_reset",
        &unknown,
        "interface in use is not known",
    );
}

#[test]
fn linux_clock_sync_uses_timedatectl_chrony_or_both() {
    let ntp = [
        save("ntp", "timedatectl", &["show", "--property=NTP", "--value"]),
        run("timedatectl", &["set-ntp", "true"]),
    ];
    let chrony = run("chronyc", &["makestep"]);
    let table: [(bool, bool, Option<Vec<Action>>); 4] = [
        (true, false, Some(ntp.to_vec())),
        (false, true, Some(vec![chrony.clone()])),
        (true, true, Some([&ntp[..], &[chrony][..]].concat())),
        (false, false, None),
    ];
    for (timedatectl, chrony, want) in table {
        let env = with(linux(), |e| {
            e.linux.timedatectl = timedatectl;
            e.linux.chrony = chrony;
        });
        match want {
            Some(want) => assert_eq!(actions(&ok("clock.sync", &env).steps), want),
            None => assert_na("clock.sync", &env, "install chrony"),
        }
    }
}

#[test]
fn linux_public_dns_through_networkmanager_resolved_or_resolv_conf() {
    // NetworkManager with a known connection wins, even with resolved.
    let nm = with(linux(), |e| {
        e.interface = Some("wlp0s20f3".into());
        e.linux.resolved = true;
        e.linux.network_manager = true;
        e.linux.nm_connection = Some("Büro WLAN 5 GHz".into());
    });
    assert_eq!(
        actions(&ok("dns.use_public", &nm).steps),
        vec![
            save(
                "nm_dns",
                "nmcli",
                &[
                    "-g",
                    "ipv4.dns,ipv4.ignore-auto-dns",
                    "connection",
                    "show",
                    "Büro WLAN 5 GHz"
                ]
            ),
            run(
                "nmcli",
                &[
                    "connection",
                    "modify",
                    "Büro WLAN 5 GHz",
                    "ipv4.dns",
                    "1.1.1.1 8.8.8.8",
                    "ipv4.ignore-auto-dns",
                    "yes"
                ]
            ),
            run("nmcli", &["connection", "up", "Büro WLAN 5 GHz"]),
        ]
    );
    // NetworkManager runs but the connection is unknown: resolved per link.
    let resolved = with(nm.clone(), |e| e.linux.nm_connection = None);
    let p = ok("dns.use_public", &resolved);
    assert_eq!(
        actions(&p.steps),
        vec![
            save("resolved_dns", "resolvectl", &["dns", "wlp0s20f3"]),
            run("resolvectl", &["dns", "wlp0s20f3", "1.1.1.1", "8.8.8.8"]),
        ]
    );
    assert!(p
        .side_effects
        .iter()
        .any(|s| s.contains("until the connection is set up again")));
    let no_link = with(resolved, |e| {
        e.interface = None;
        e.linux.network_manager = false;
    });
    assert_na("dns.use_public", &no_link, "not known");
}

#[test]
fn linux_resolv_conf_keeps_search_and_options_and_drops_old_nameservers() {
    let before = "# Generated by NetworkManager\n\
search corp.example lan\n\
nameserver 192.168.1.1\n\
  nameserver 10.0.0.1\n\
options edns0 trust-ad\n\
nameserver fe80::1%wlp0s20f3\n";
    let env = with(linux(), |e| {
        // A plain resolv.conf: no NetworkManager, no resolved.
        e.interface = Some("eth0".into());
        e.linux.network_manager = false;
        e.linux.resolv_conf = Some(before.into());
        e.public_dns = vec![ip("9.9.9.9"), ip("2620:fe::fe")];
    });
    // NetworkManager would write the file over: not done behind its back.
    let managed = with(env.clone(), |e| e.linux.network_manager = true);
    assert_na("dns.use_public", &managed, "NetworkManager");
    let p = ok("dns.use_public", &env);
    let after =
        "# Written by Meeting Doctor (fix dns.use_public); the old file is in its backup folder.\n\
# Generated by NetworkManager\n\
search corp.example lan\n\
options edns0 trust-ad\n\
nameserver 9.9.9.9\n\
nameserver 2620:fe::fe\n";
    assert_eq!(
        actions(&p.steps),
        vec![Action::WriteFile {
            path: "/etc/resolv.conf".into(),
            content: after.into(),
        }]
    );
    // Running it again writes the same file: one header, no old servers.
    let again = with(env.clone(), |e| e.linux.resolv_conf = Some(after.into()));
    assert_eq!(
        actions(&ok("dns.use_public", &again).steps),
        actions(&p.steps)
    );
    // Unreadable: only the new servers.
    let unreadable = with(env.clone(), |e| e.linux.resolv_conf = None);
    match &ok("dns.use_public", &unreadable).steps[0].action {
        Action::WriteFile { content, .. } => assert_eq!(
            content.lines().skip(1).collect::<Vec<_>>(),
            ["nameserver 9.9.9.9", "nameserver 2620:fe::fe"]
        ),
        a => panic!("{a:?}"),
    }
    assert_eq!(
        undo(&p, &env, &[]),
        vec![Action::Restore {
            backup: BACKUP.into()
        }]
    );
}

#[test]
fn linux_ufw_allows_zooms_ports_out_and_undo_deletes_exactly_those_rules() {
    let env = with(linux(), |e| {
        e.firewall = firewall("ufw");
        e.tcp_ports = vec![8802, 443, 8801];
        e.udp_ports = vec![
            3478, 3479, 8801, 8802, 8803, 8804, 8805, 8806, 8807, 8808, 8809, 8810, 34780,
        ];
    });
    let p = ok("firewall.allow_zoom", &env);
    let rule = |proto: &'static str, ports: &'static str| {
        ["allow", "out", "proto", proto, "to", "any", "port", ports]
    };
    let tcp = rule("tcp", "443,8801:8802");
    let udp = rule("udp", "3478:3479,8801:8810,34780");
    let comment = ["comment", "meeting-doctor-zoom"];
    assert_eq!(
        actions(&p.steps),
        vec![
            run("ufw", &[&tcp[..], &comment[..]].concat()),
            run("ufw", &[&udp[..], &comment[..]].concat()),
        ]
    );
    assert_eq!(
        undo(&p, &env, &[]),
        vec![
            run("ufw", &[&["delete"][..], &tcp[..]].concat()),
            run("ufw", &[&["delete"][..], &udp[..]].concat()),
        ]
    );
    // Plain words for the person; the tag is in the commands.
    assert!(!p.undo.contains("meeting-doctor-zoom") && p.undo.contains("Meeting Doctor added"));
}

#[test]
fn linux_firewalld_adds_direct_output_rules_now_and_permanently_and_undo_removes_them() {
    let env = with(linux(), |e| e.firewall = firewall("firewalld"));
    let p = ok("firewall.allow_zoom", &env);
    let rule = |op: &str, permanent: bool, fam: &str, proto: &str, ports: &str| {
        let mut a: Vec<&str> = if permanent {
            vec!["--permanent"]
        } else {
            vec![]
        };
        a.extend([
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
            "meeting-doctor-zoom",
            "-j",
            "ACCEPT",
        ]);
        run("firewall-cmd", &a)
    };
    let all = |op: &str| {
        let mut v = vec![];
        for (proto, ports) in [("tcp", "443,8801:8802"), ("udp", "3478:3479,8801:8810")] {
            for fam in ["ipv4", "ipv6"] {
                for permanent in [false, true] {
                    v.push(rule(op, permanent, fam, proto, ports));
                }
            }
        }
        v
    };
    assert_eq!(actions(&p.steps), all("--add-rule"));
    assert_eq!(p.steps.len(), 8);
    assert_eq!(undo(&p, &env, &[]), all("--remove-rule"));
}

#[test]
fn linux_nftables_rules_go_into_the_hooked_chains_with_safe_names_only() {
    let env = with(linux(), |e| {
        e.firewall = Some(FirewallState {
            product: "nftables".into(),
            profiles: vec![
                nft_chain("inet filter input", Some("drop"), None),
                nft_chain("ip6 my_fw-1.0 OUT", None, Some("drop")),
                // Unsafe or unusable names are skipped.
                nft_chain("inet filter in;put", Some("drop"), None),
                nft_chain("inet fil$(reboot) output", None, Some("drop")),
                nft_chain("inet filter input extra", Some("drop"), None),
                nft_chain("inet \"x\" input", Some("drop"), None),
                nft_chain("bridge filter input", Some("drop"), None),
                nft_chain("netdev filter ingress", Some("drop"), None),
                nft_chain("inet filter", Some("drop"), None),
                nft_chain("inet  input", Some("drop"), None),
                nft_chain("inet filter forward", None, None),
                nft_chain("inet filtér input", Some("drop"), None),
            ],
            ..Default::default()
        })
    });
    let p = ok("firewall.allow_zoom", &env);
    let set = |a: &mut Vec<&'static str>, proto: &'static str| {
        a.extend(if proto == "tcp" {
            ["{", "443,", "8801-8802", "}"]
        } else {
            ["{", "3478-3479,", "8801-8810", "}"]
        })
    };
    let rule = |fam: &'static str,
                table: &'static str,
                chain: &'static str,
                proto: &'static str,
                out: bool| {
        let mut a = vec!["insert", "rule", fam, table, chain, proto];
        a.push(if out { "dport" } else { "sport" });
        set(&mut a, proto);
        if !out {
            a.extend(["ct", "state", "established,related"]);
        }
        a.extend(["accept", "comment", NFT_COMMENT]);
        run("nft", &a)
    };
    assert_eq!(
        actions(&p.steps),
        vec![
            rule("inet", "filter", "input", "tcp", false),
            rule("inet", "filter", "input", "udp", false),
            rule("ip6", "my_fw-1.0", "OUT", "tcp", true),
            rule("ip6", "my_fw-1.0", "OUT", "udp", true),
        ]
    );
    // What nft parses (it joins its arguments with spaces).
    let line = |i: usize| command(&p.steps[i].action).unwrap().args.join(" ");
    assert_eq!(
        line(1),
        "insert rule inet filter input udp sport { 3478-3479, 8801-8810 } ct state established,related accept comment \"meeting-doctor-zoom\""
    );
    assert_eq!(
        line(2),
        "insert rule ip6 my_fw-1.0 OUT tcp dport { 443, 8801-8802 } accept comment \"meeting-doctor-zoom\""
    );
    let remove = |family: &str, table: &str, chain: &str| Action::RemoveNftRules {
        family: family.into(),
        table: table.into(),
        chain: chain.into(),
        tag: "meeting-doctor-zoom".into(),
    };
    assert_eq!(
        undo(&p, &env, &[]),
        vec![
            remove("inet", "filter", "input"),
            remove("ip6", "my_fw-1.0", "OUT")
        ]
    );

    let only_unsafe = with(env.clone(), |e| {
        let fw = e.firewall.as_mut().unwrap();
        fw.profiles.drain(..2);
    });
    assert_na(
        "firewall.allow_zoom",
        &only_unsafe,
        "nftables has no input or output chain",
    );
}

#[test]
fn linux_firewall_needs_a_product_it_can_adjust() {
    for fw in [None, firewall(""), firewall("iptables"), firewall("UFW ")] {
        let env = with(linux(), |e| e.firewall = fw.clone());
        assert_na("firewall.allow_zoom", &env, "(ufw, firewalld or nftables)");
    }
}

#[test]
fn linux_proxy_off_in_gnome_or_kde_and_not_from_environment_variables() {
    let gnome = with(linux(), |e| e.proxy = manual_proxy("GNOME"));
    assert_eq!(
        actions(&ok("proxy.disable", &gnome).steps),
        vec![
            save(
                "gnome_mode",
                "gsettings",
                &["get", "org.gnome.system.proxy", "mode"]
            ),
            run(
                "gsettings",
                &["set", "org.gnome.system.proxy", "mode", "none"]
            ),
        ]
    );
    let key = [
        "--file",
        "kioslaverc",
        "--group",
        "Proxy Settings",
        "--key",
        "ProxyType",
    ];
    for (kw, read, write) in [
        (Some("kwriteconfig6"), "kreadconfig6", "kwriteconfig6"),
        (Some("kwriteconfig5"), "kreadconfig5", "kwriteconfig5"),
        (None, "kreadconfig5", "kwriteconfig5"),
    ] {
        let kde = with(linux(), |e| {
            e.proxy = manual_proxy("KDE");
            e.linux.kwriteconfig = kw.map(str::to_string);
        });
        let p = ok("proxy.disable", &kde);
        assert_eq!(
            actions(&p.steps),
            vec![
                save("kde_proxy_type", read, &key),
                run(write, &[&key[..], &["0"][..]].concat()),
            ]
        );
        assert!(!p.needs_admin);
    }
    for source in ["environment", "KDE (environment)"] {
        let env = with(linux(), |e| e.proxy = manual_proxy(source));
        assert_na("proxy.disable", &env, "set by environment variables");
    }
    let direct_gnome = with(linux(), |e| {
        e.proxy = Some(ProxySettings {
            source: "GNOME".into(),
            ..Default::default()
        })
    });
    assert_na(
        "proxy.disable",
        &direct_gnome,
        "does not use a proxy server",
    );
}

// ───────────────────────────── zoom.quit and zoom.clear_cache ─────────────────────────────

#[test]
fn zoom_quit_quits_the_client_and_its_helpers_but_no_background_service() {
    for (env, client, not) in [
        (win(), "Zoom.exe", ["CptService.exe", "zTscoder.exe"]),
        (mac(), "zoom.us", ["us.zoom.ZoomDaemon", "ZoomAutoUpdater"]),
        (linux(), "zoom", ["Zoom.exe", "zoom.us"]),
    ] {
        let p = ok("zoom.quit", &env);
        assert_eq!(actions(&p.steps), vec![quit(env.os)]);
        let Action::Quit { names, .. } = &p.steps[0].action else {
            unreachable!()
        };
        assert!(
            names.iter().any(|n| n.eq_ignore_ascii_case(client)),
            "{names:?}"
        );
        assert!(
            !names.iter().any(|n| not.contains(&n.as_str())),
            "{names:?}"
        );
        assert!(undo_steps(&p, &env, &Saved::new(), BACKUP).is_empty());
    }
}

#[test]
fn clear_cache_quits_zoom_then_moves_its_folders_aside_keeping_settings_and_databases() {
    let table: Vec<(FixEnv, Vec<Action>, &str)> = vec![
        (
            win(),
            vec![move_aside(
                r"C:\Users\Zoë Ångström\AppData\Roaming\Zoom\data",
                true,
            )],
            r"C:\Users\Zoë Ångström\AppData\Local\Meeting Doctor\backups",
        ),
        (
            with(win(), |e| {
                e.vars.remove("APPDATA");
            }),
            vec![move_aside(
                r"C:\Users\Zoë Ångström\AppData\Roaming\Zoom\data",
                true,
            )],
            r"C:\Users\Zoë Ångström\AppData\Local\Meeting Doctor\backups",
        ),
        (
            mac(),
            vec![
                move_aside("/Users/Zoë Ångström/Library/Caches/us.zoom.xos", false),
                move_aside(
                    "/Users/Zoë Ångström/Library/Application Support/zoom.us/data",
                    true,
                ),
                move_aside(
                    "/Users/Zoë Ångström/Library/Saved Application State/us.zoom.xos.savedState",
                    false,
                ),
            ],
            "/Users/Zoë Ångström/Library/Application Support/Meeting Doctor/backups",
        ),
        (
            linux(),
            vec![
                move_aside("/home/zoë/.zoom/data", true),
                move_aside("/home/zoë/.cache/zoom", false),
                move_aside("/home/zoë/.var/app/us.zoom.Zoom/.zoom/data", true),
                move_aside("/home/zoë/.var/app/us.zoom.Zoom/cache", false),
            ],
            "/home/zoë/.local/share/meeting-doctor/backups",
        ),
        (
            with(linux(), |e| {
                e.vars.insert(
                    "XDG_CACHE_HOME".into(),
                    "/home/zoë/Zwischenspeicher Ä/".into(),
                );
            }),
            vec![
                move_aside("/home/zoë/.zoom/data", true),
                move_aside("/home/zoë/Zwischenspeicher Ä/zoom", false),
                move_aside("/home/zoë/.var/app/us.zoom.Zoom/.zoom/data", true),
                move_aside("/home/zoë/.var/app/us.zoom.Zoom/cache", false),
            ],
            "/home/zoë/.local/share/meeting-doctor/backups",
        ),
        (
            // An empty XDG_CACHE_HOME means "not set".
            with(linux(), |e| {
                e.vars.insert("XDG_CACHE_HOME".into(), String::new());
            }),
            vec![
                move_aside("/home/zoë/.zoom/data", true),
                move_aside("/home/zoë/.cache/zoom", false),
                move_aside("/home/zoë/.var/app/us.zoom.Zoom/.zoom/data", true),
                move_aside("/home/zoë/.var/app/us.zoom.Zoom/cache", false),
            ],
            "/home/zoë/.local/share/meeting-doctor/backups",
        ),
    ];
    for (env, folders, backups) in table {
        let p = ok("zoom.clear_cache", &env);
        let mut want = vec![quit(env.os)];
        want.extend(folders);
        assert_eq!(actions(&p.steps), want, "{:?}", env.os);
        assert!(
            p.side_effects
                .iter()
                .any(|s| s == &format!("Nothing is deleted: the files are kept in {backups}.")),
            "{:?}",
            p.side_effects
        );
        assert_eq!(
            undo(&p, &env, &[]),
            vec![Action::Restore {
                backup: BACKUP.into()
            }],
            "one restore for all folders"
        );
    }
}

#[test]
fn clear_cache_moves_only_the_folders_found_here_and_none_is_not_applicable() {
    let found = with(linux(), |e| {
        e.zoom_caches_present = Some(vec!["/home/zoë/.zoom/data".into()]);
    });
    let p = ok("zoom.clear_cache", &found);
    assert_eq!(
        actions(&p.steps),
        vec![quit(Os::Linux), move_aside("/home/zoë/.zoom/data", true)]
    );
    let none = with(linux(), |e| e.zoom_caches_present = Some(vec![]));
    assert_na("zoom.clear_cache", &none, "no temporary files");
    // Not looked: every place Zoom may keep them.
    assert_eq!(ok("zoom.clear_cache", &linux()).steps.len(), 5);
}

#[test]
fn the_keep_patterns_keep_settings_and_databases_and_move_the_rest() {
    let keep = |name: &str| KEEP.iter().any(|k| glob_match(k, name));
    for name in [
        "zoomus.enc.db",
        "zoommeeting.enc.db",
        "zoomus.enc.db-wal",
        "zoomus.enc.db-shm",
        "Zoom.us.ini",
        "viper.ini",
        "zoomus.conf",
        "us.zoom.xos.plist",
        "ZOOMUS.ENC.DB",
    ] {
        assert!(keep(name), "{name} stays");
    }
    for name in [
        "logs",
        "Avatars",
        "crash.dmp",
        "zoom_cache.tmp",
        "db",
        "dbbackup",
        "ini",
        "settings.ini.bak",
        "zoomus.db.old",
    ] {
        assert!(!keep(name), "{name} moves");
    }
}

// ─────────────────────────────────── undo ───────────────────────────────────

#[test]
fn macos_firewall_undo_puts_zooms_entry_back_as_it_was() {
    let table: Vec<(Option<&str>, &str, Vec<Action>)> = vec![
        (
            None,
            "The application is not part of the firewall",
            vec![run(
                SOCKETFILTERFW,
                &["--remove", "/Applications/zoom.us.app"],
            )],
        ),
        (
            None,
            "Incoming connection to /Applications/zoom.us.app is blocked.\n",
            vec![run(
                SOCKETFILTERFW,
                &["--blockapp", "/Applications/zoom.us.app"],
            )],
        ),
        (
            None,
            "Incoming connection to /Applications/zoom.us.app is permitted.\n",
            vec![],
        ),
        (None, "", vec![]),
        // The app's own path must not decide it.
        (
            Some("/Users/Bob Blockley/Applications/zoom.us.app"),
            "Incoming connection to /Users/Bob Blockley/Applications/zoom.us.app is permitted.",
            vec![],
        ),
        (
            Some("/Users/Bob Blockley/Applications/zoom.us.app"),
            "Incoming connection to /Users/Bob Blockley/Applications/zoom.us.app is blocked.",
            vec![run(
                SOCKETFILTERFW,
                &["--blockapp", "/Users/Bob Blockley/Applications/zoom.us.app"],
            )],
        ),
        (
            Some("/Users/not part of/Applications/zoom.us.app"),
            "Incoming connection to /Users/not part of/Applications/zoom.us.app is permitted.",
            vec![],
        ),
    ];
    for (path, answer, want) in table {
        let env = with(mac(), |e| e.zoom = zoom_at(path));
        let p = ok("firewall.allow_zoom", &env);
        assert_eq!(
            undo(&p, &env, &[("app_blocked", answer)]),
            want,
            "{answer:?}"
        );
    }
    let env = mac();
    let p = ok("firewall.allow_zoom", &env);
    assert!(
        undo(&p, &env, &[]).is_empty(),
        "nothing read, nothing put back"
    );
}

#[test]
fn windows_proxy_undo_restores_the_saved_registry_values() {
    let env = with(win(), |e| e.proxy = manual_proxy("HKCU Internet Settings"));
    let p = ok("proxy.disable", &env);
    let query = |name: &str, kind: &str, data: &str| {
        format!(
            "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n    {name}    {kind}    {data}\r\n\r\n"
        )
    };
    let enable = run(
        "reg",
        &[
            "add",
            INTERNET_SETTINGS,
            "/v",
            "ProxyEnable",
            "/t",
            "REG_DWORD",
            "/d",
            "1",
            "/f",
        ],
    );
    let pac = |url: &str| {
        run(
            "reg",
            &[
                "add",
                INTERNET_SETTINGS,
                "/v",
                "AutoConfigURL",
                "/t",
                "REG_SZ",
                "/d",
                url,
                "/f",
            ],
        )
    };
    let on = query("ProxyEnable", "REG_DWORD", "0x1");
    let off = query("ProxyEnable", "REG_DWORD", "0x0");
    let url = "file://C:/Users/Zoë Ångström/proxy config.pac";
    let script = query("AutoConfigURL", "REG_SZ", url);
    let table: Vec<(Saves, Vec<Action>)> = vec![
        (
            vec![("ProxyEnable", on.as_str()), ("AutoConfigURL", script.as_str())],
            vec![enable.clone(), pac(url)],
        ),
        (
            vec![("ProxyEnable", on.as_str()), ("AutoConfigURL", "")],
            vec![enable],
        ),
        (
            vec![("ProxyEnable", off.as_str()), ("AutoConfigURL", script.as_str())],
            vec![pac(url)],
        ),
        // Neither was set (reg query exits 1: saved as empty).
        (vec![("ProxyEnable", ""), ("AutoConfigURL", "")], vec![]),
        (vec![("ProxyEnable", off.as_str())], vec![]),
        (
            vec![(
                "AutoConfigURL",
                "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n    AutoConfigURL    REG_SZ    \r\n",
            )],
            vec![],
        ),
        (vec![], vec![]),
    ];
    for (values, want) in table {
        assert_eq!(undo(&p, &env, &values), want, "{values:?}");
    }
}

#[test]
fn windows_dns_undo_puts_the_saved_servers_back_or_dhcp() {
    let nic = "WLAN 2 (Büro)";
    let env = with(win(), |e| e.interface = Some(nic.into()));
    let p = ok("dns.use_public", &env);
    for (value, want_dns) in [
        ("192.168.1.1,10.0.0.1\r\n", Some("192.168.1.1,10.0.0.1")),
        ("192.168.1.1 10.0.0.1", Some("192.168.1.1,10.0.0.1")),
        ("fd00::53", Some("fd00::53")),
        ("", None),
        ("\r\n", None),
    ] {
        let back = undo(&p, &env, &[("windows_dns", value)]);
        assert_eq!(back.len(), 1, "{value:?}");
        let (script, vars) = powershell(&back[0]);
        match want_dns {
            Some(dns) => {
                assert!(script.ends_with(
                    "; Set-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ServerAddresses ($env:MD_DNS -split ',')"
                ));
                assert_eq!(vars, pairs(&[("MD_IF", nic), ("MD_DNS", dns)]), "{value:?}");
            }
            None => {
                assert!(script.ends_with(
                    "; Set-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ResetServerAddresses"
                ));
                assert_eq!(vars, pairs(&[("MD_IF", nic)]));
            }
        }
    }
    assert!(undo(&p, &env, &[]).is_empty());
}

#[test]
fn macos_proxy_undo_turns_back_on_only_what_was_on() {
    let svc = "Wi-Fi";
    let env = with(mac(), |e| {
        e.service = Some(svc.into());
        e.proxy = manual_proxy("scutil --proxy");
    });
    let p = ok("proxy.disable", &env);
    let web_on =
        "Enabled: Yes\nServer: proxy.corp.example\nPort: 8080\nAuthenticated Proxy Enabled: 0\n";
    let off = "Enabled: No\nServer: \nPort: 0\nAuthenticated Proxy Enabled: 0\n";
    let table: Vec<(Saves, Vec<Action>)> = vec![
        (
            vec![
                ("web", web_on),
                ("secure_web", off),
                ("socks", off),
                (
                    "auto_url",
                    "URL: http://wpad.corp.example/proxy.pac\nEnabled: Yes\n",
                ),
                ("auto_discovery", "Auto Proxy Discovery: Off\n"),
            ],
            vec![
                run("networksetup", &["-setwebproxystate", svc, "on"]),
                run(
                    "networksetup",
                    &[
                        "-setautoproxyurl",
                        svc,
                        "http://wpad.corp.example/proxy.pac",
                    ],
                ),
            ],
        ),
        (
            vec![
                ("web", off),
                ("secure_web", web_on),
                ("socks", web_on),
                ("auto_url", "URL: (null)\nEnabled: Yes\n"),
                ("auto_discovery", "Auto Proxy Discovery: On\n"),
            ],
            vec![
                run("networksetup", &["-setsecurewebproxystate", svc, "on"]),
                run("networksetup", &["-setsocksfirewallproxystate", svc, "on"]),
                run("networksetup", &["-setautoproxystate", svc, "on"]),
                run("networksetup", &["-setproxyautodiscovery", svc, "on"]),
            ],
        ),
        (
            vec![
                ("web", off),
                ("secure_web", off),
                ("socks", off),
                ("auto_url", "URL: http://wpad/proxy.pac\nEnabled: No\n"),
                ("auto_discovery", "Auto Proxy Discovery: Off\n"),
            ],
            vec![],
        ),
    ];
    for (values, want) in table {
        assert_eq!(undo(&p, &env, &values), want, "{values:?}");
    }
}

#[test]
fn macos_dns_undo_puts_back_the_servers_or_empty() {
    let svc = "Thunderbolt Ethernet (Büro)";
    let env = with(mac(), |e| e.service = Some(svc.into()));
    let p = ok("dns.use_public", &env);
    for (value, servers) in [
        (
            "There aren't any DNS Servers set on Thunderbolt Ethernet (Büro).\n",
            vec!["Empty"],
        ),
        ("192.168.1.1\n10.0.0.1\n", vec!["192.168.1.1", "10.0.0.1"]),
        ("fd00::1\n", vec!["fd00::1"]),
    ] {
        let mut args = vec!["-setdnsservers", svc];
        args.extend(servers);
        assert_eq!(
            undo(&p, &env, &[("mac_dns", value)]),
            vec![run("networksetup", &args)],
            "{value:?}"
        );
    }
    assert!(undo(&p, &env, &[]).is_empty());
}

#[test]
fn linux_desktop_proxy_undo_sets_the_saved_mode_back() {
    let gnome = with(linux(), |e| e.proxy = manual_proxy("GNOME"));
    let p = ok("proxy.disable", &gnome);
    for (value, want) in [
        ("'manual'\n", Some("manual")),
        ("'auto'\n", Some("auto")),
        ("'none'\n", None),
        ("", None),
        ("'manual'; reboot", None),
    ] {
        let want: Vec<Action> = want
            .map(|m| run("gsettings", &["set", "org.gnome.system.proxy", "mode", m]))
            .into_iter()
            .collect();
        assert_eq!(
            undo(&p, &gnome, &[("gnome_mode", value)]),
            want,
            "{value:?}"
        );
    }

    let kde = with(linux(), |e| {
        e.proxy = manual_proxy("KDE");
        e.linux.kwriteconfig = Some("kwriteconfig6".into());
    });
    let p = ok("proxy.disable", &kde);
    let key = [
        "--file",
        "kioslaverc",
        "--group",
        "Proxy Settings",
        "--key",
        "ProxyType",
    ];
    for (value, want) in [
        ("1\n", Some("1")),
        ("2", Some("2")),
        ("3\n", Some("3")),
        ("0\n", None),
        ("", None),
        ("1 --file /etc/passwd", None),
    ] {
        let want: Vec<Action> = want
            .map(|v| run("kwriteconfig6", &[&key[..], &[v][..]].concat()))
            .into_iter()
            .collect();
        assert_eq!(
            undo(&p, &kde, &[("kde_proxy_type", value)]),
            want,
            "{value:?}"
        );
    }
}

#[test]
fn linux_clock_undo_turns_automatic_time_off_only_if_it_was_off() {
    let env = with(linux(), |e| {
        e.linux.timedatectl = true;
        e.linux.chrony = true;
    });
    let p = ok("clock.sync", &env);
    assert_eq!(
        undo(&p, &env, &[("ntp", "no\n")]),
        vec![run("timedatectl", &["set-ntp", "false"])]
    );
    // "yes", or an answer that says nothing (the read failed): leave it on.
    for value in ["yes\n", "", "Failed to connect to bus\n"] {
        assert!(undo(&p, &env, &[("ntp", value)]).is_empty(), "{value:?}");
    }
    assert!(undo(&p, &env, &[]).is_empty());
}

#[test]
fn linux_dns_undo_puts_networkmanagers_settings_back_and_reconnects() {
    let conn = "Büro WLAN 5 GHz";
    let env = with(linux(), |e| {
        e.interface = Some("wlp0s20f3".into());
        e.linux.network_manager = true;
        e.linux.nm_connection = Some(conn.into());
    });
    let p = ok("dns.use_public", &env);
    let modify = |dns: &str, ignore: &str| {
        run(
            "nmcli",
            &[
                "connection",
                "modify",
                conn,
                "ipv4.dns",
                dns,
                "ipv4.ignore-auto-dns",
                ignore,
            ],
        )
    };
    let up = run("nmcli", &["connection", "up", conn]);
    for (value, dns, ignore) in [
        ("192.168.1.1,10.0.0.1\nno\n", "192.168.1.1 10.0.0.1", "no"),
        ("\nno\n", "", "no"),
        ("9.9.9.9\nyes\n", "9.9.9.9", "yes"),
    ] {
        assert_eq!(
            undo(&p, &env, &[("nm_dns", value)]),
            vec![modify(dns, ignore), up.clone()],
            "{value:?}"
        );
    }
    assert!(
        undo(&p, &env, &[]).is_empty(),
        "nothing read, nothing changed"
    );

    let resolved = with(env, |e| {
        e.linux.network_manager = false;
        e.linux.resolved = true;
    });
    let p = ok("dns.use_public", &resolved);
    assert_eq!(
        undo(
            &p,
            &resolved,
            &[("resolved_dns", "Link 3 (wlp0s20f3): 192.168.1.1\n")]
        ),
        vec![run("resolvectl", &["revert", "wlp0s20f3"])]
    );
}

// ───────────────────────────── safety, over every plan ─────────────────────────────

/// Many environments per OS: every combination of the Linux tools, and
/// Windows and macOS with and without facts.
fn all_envs() -> Vec<FixEnv> {
    let mut out = vec![
        win(),
        with(win(), |e| {
            e.vars.clear();
            e.interface = Some("Ethernet 2".into());
        }),
        with(win(), |e| {
            e.interface = Some("WLAN (Büro)".into());
            e.zoom = zoom_at(Some(r"C:\Program Files\Zoom\"));
            e.firewall = Some(FirewallState {
                product: "Windows Defender Firewall".into(),
                zoom_rules: vec![
                    win_rule("Block Zoom", "block", true),
                    win_rule("Zoom", "allow", true),
                ],
                ..Default::default()
            });
            e.proxy = Some(ProxySettings {
                auto_detect: true,
                pac_url: Some("http://wpad/proxy.pac".into()),
                http: Some("proxy:8080".into()),
                ..Default::default()
            });
        }),
        mac(),
        with(mac(), |e| {
            e.interface = Some("en0".into());
            e.service = Some("Wi-Fi".into());
            e.zoom = zoom_at(Some(
                "/Users/Zoë Ångström/Applications/zoom.us.app/Contents/MacOS/zoom.us",
            ));
            e.firewall = Some(FirewallState {
                product: "macOS Application Firewall".into(),
                blocks_all_incoming: true,
                ..Default::default()
            });
            e.proxy = manual_proxy("scutil --proxy");
        }),
    ];
    let firewalls = [
        None,
        firewall("ufw"),
        firewall("firewalld"),
        Some(FirewallState {
            product: "nftables".into(),
            profiles: vec![
                nft_chain("inet filter input", Some("drop"), None),
                nft_chain("inet filter output", None, Some("drop")),
                nft_chain("inet fw;reboot output", None, Some("drop")),
            ],
            ..Default::default()
        }),
    ];
    let proxies = [
        None,
        manual_proxy("GNOME"),
        manual_proxy("KDE"),
        manual_proxy("environment"),
    ];
    for bits in 0..(1u32 << 9) {
        let b = |i: u32| bits & (1 << i) != 0;
        for fw in &firewalls {
            for proxy in &proxies {
                if !(bits + fw.is_some() as u32).is_multiple_of(3) && proxy.is_some() {
                    continue; // enough combinations, faster
                }
                out.push(with(linux(), |e| {
                    e.interface = b(0).then(|| "wlp0s20f3".into());
                    e.linux.resolved = b(1);
                    e.linux.nscd = b(2);
                    e.linux.network_manager = b(3);
                    e.linux.nm_connection = b(4).then(|| "Büro WLAN".into());
                    e.linux.networkd = b(5);
                    e.linux.timedatectl = b(6);
                    e.linux.chrony = b(7);
                    e.linux.kwriteconfig = b(8).then(|| "kwriteconfig6".into());
                    e.linux.resolv_conf =
                        b(8).then(|| "search lan\nnameserver 192.168.1.1\n".into());
                    e.firewall = fw.clone();
                    e.proxy = proxy.clone();
                }));
            }
        }
    }
    out
}

/// A saved value for every setting, as if each was on before the fix.
fn saved_on() -> Saved {
    saved(&[
        ("app_blocked", "Incoming connection to /Applications/zoom.us.app is blocked."),
        ("ProxyEnable", "\r\nHKEY_CURRENT_USER\\Software\r\n    ProxyEnable    REG_DWORD    0x1\r\n"),
        ("AutoConfigURL", "\r\nHKEY_CURRENT_USER\\Software\r\n    AutoConfigURL    REG_SZ    http://wpad/proxy.pac\r\n"),
        ("web", "Enabled: Yes\nServer: proxy\nPort: 8080\n"),
        ("secure_web", "Enabled: Yes\nServer: proxy\nPort: 8080\n"),
        ("socks", "Enabled: Yes\nServer: proxy\nPort: 1080\n"),
        ("auto_url", "URL: http://wpad/proxy.pac\nEnabled: Yes\n"),
        ("auto_discovery", "Auto Proxy Discovery: On\n"),
        ("gnome_mode", "'manual'\n"),
        ("kde_proxy_type", "1\n"),
        ("windows_dns", "192.168.1.1"),
        ("mac_dns", "192.168.1.1\n"),
        ("nm_dns", "192.168.1.1\nno\n"),
        ("resolved_dns", "Link 3 (wlp0s20f3): 192.168.1.1\n"),
        ("ntp", "no\n"),
    ])
}

/// Every plan that can be made in [`all_envs`], with its undo steps.
fn all_plans() -> Vec<(FixEnv, Plan, Vec<Step>)> {
    let on = saved_on();
    let mut out = Vec::new();
    for env in all_envs() {
        for id in IDS {
            if let Ok(p) = fixes::plan(id, &env) {
                let back = undo_steps(&p, &env, &on, BACKUP);
                out.push((env.clone(), p, back));
            }
        }
    }
    out
}

/// The programs the plans may run: nothing else (no shell, no `rm`, no
/// `systemctl`, no `sc`).
const PROGRAMS: &[&str] = &[
    "ipconfig",
    "netsh",
    "net",
    "w32tm",
    "reg",
    "powershell.exe",
    "dscacheutil",
    "killall",
    SOCKETFILTERFW,
    "ifconfig",
    "networksetup",
    "sntp",
    "resolvectl",
    "nscd",
    "nmcli",
    "networkctl",
    "ufw",
    "firewall-cmd",
    "nft",
    "gsettings",
    "kreadconfig5",
    "kreadconfig6",
    "kwriteconfig5",
    "kwriteconfig6",
    "timedatectl",
    "chronyc",
];

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "zsh",
    "ksh",
    "fish",
    "csh",
    "tcsh",
    "cmd",
    "cmd.exe",
    "pwsh",
    "env",
    "sudo",
    "xargs",
    "osascript",
    "eval",
];

const DELETERS: &[&str] = &[
    "rm",
    "del",
    "erase",
    "rmdir",
    "rd",
    "ri",
    "unlink",
    "shred",
    "srm",
    "remove-item",
    "remove-itemproperty",
    "clear-content",
    "clear-item",
];

fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| c.is_whitespace() || ";|&(){}'\",".contains(c))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

fn base_name(program: &str) -> String {
    program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase()
}

/// The safety rules for one command of a plan or an undo.
fn check_command(c: &CommandSpec, ctx: &str) {
    let program = base_name(&c.program);
    assert!(
        PROGRAMS.contains(&c.program.as_str()),
        "{ctx}: unexpected program {c:?}"
    );
    assert!(!SHELLS.contains(&program.as_str()), "{ctx}: a shell {c:?}");
    assert!(
        !DELETERS.contains(&program.as_str()),
        "{ctx}: deletes {c:?}"
    );
    let lower: Vec<String> = c.args.iter().map(|a| a.to_ascii_lowercase()).collect();
    let has = |w: &str| lower.iter().any(|a| a == w);
    for d in DELETERS {
        assert!(!has(d), "{ctx}: {d} in {c:?}");
    }
    for a in &lower {
        assert!(
            !["-c", "/c", "/k", "-encodedcommand", "-e"].contains(&a.as_str()),
            "{ctx}: {c:?}"
        );
    }

    // Data never becomes code: outside the PowerShell script no argument
    // carries shell syntax, and the script is fixed text reading $env:MD_*.
    let script = (c.program == "powershell.exe").then(|| {
        assert_eq!(c.args.len(), 6, "{ctx}: {c:?}");
        assert_eq!(c.args[..5], PS_PREAMBLE, "{ctx}");
        c.args[5].as_str()
    });
    for a in c.args.iter().filter(|a| Some(a.as_str()) != script) {
        assert!(
            !a.contains(|ch: char| ";|&$`<>\n\r*?".contains(ch)) && !a.contains("$("),
            "{ctx}: shell syntax in {a:?} of {c:?}"
        );
    }
    for (k, _) in &c.env {
        assert!(k.starts_with("MD_"), "{ctx}: environment {k}");
    }
    if let Some(script) = script {
        let referenced: BTreeSet<String> = script
            .split("$env:")
            .skip(1)
            .map(|s| {
                s.chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                    .collect()
            })
            .collect();
        let given: BTreeSet<String> = c.env.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(
            referenced, given,
            "{ctx}: every value the script reads is passed, and only those"
        );
        for (k, v) in &c.env {
            // Meeting Doctor's own names are constants; the rest is data.
            if !["MD_GROUP", "MD_RULE_IN", "MD_RULE_OUT"].contains(&k.as_str()) {
                assert!(
                    !script.contains(v.as_str()),
                    "{ctx}: data {v:?} in the script"
                );
            }
        }
        for w in words(script) {
            assert!(!DELETERS.contains(&w.as_str()), "{ctx}: {w} in {script}");
        }
        for banned in [
            "set-netfirewallprofile",
            "set-mppreference",
            "stop-service",
            "set-service",
            "netsh",
            "-enabled false",
            "invoke-expression",
            "iex ",
            "start-process",
        ] {
            assert!(
                !script.to_ascii_lowercase().contains(banned),
                "{ctx}: {banned} in {script}"
            );
        }
        if script.contains("Disable-") {
            // Only a rule that blocks Zoom, named in MD_RULE, is turned off.
            assert!(
                script.ends_with("{ $r[0] | Disable-NetFirewallRule }")
                    && script.contains("$_.Name -ceq $env:MD_RULE"),
                "{ctx}: {script}"
            );
        }
    }

    // Never turn a firewall off: allow Zoom through it.
    match c.program.as_str() {
        "ufw" => {
            assert!(
                lower.starts_with(&["allow".into(), "out".into()])
                    || lower.starts_with(&["delete".into(), "allow".into(), "out".into()]),
                "{ctx}: {c:?}"
            );
            for w in ["disable", "reset", "default", "deny", "reject", "--force"] {
                assert!(!has(w), "{ctx}: {c:?}");
            }
        }
        "firewall-cmd" => {
            let a: Vec<&str> = c.args.iter().map(String::as_str).collect();
            let a = a.strip_prefix(&["--permanent"]).unwrap_or(&a[..]);
            assert!(
                a.starts_with(&["--direct", "--add-rule"])
                    || a.starts_with(&["--direct", "--remove-rule"]),
                "{ctx}: {c:?}"
            );
            assert_eq!(a[3..5], ["filter", "OUTPUT"], "{ctx}");
            assert!(a.ends_with(&["-j", "ACCEPT"]), "{ctx}: {c:?}");
        }
        "nft" => {
            assert!(
                lower.starts_with(&["insert".into(), "rule".into()]),
                "{ctx}: {c:?}"
            );
            assert!(
                lower.ends_with(&["accept".into(), "comment".into(), NFT_COMMENT.into()]),
                "{ctx}: {c:?}"
            );
            for w in ["flush", "delete", "drop", "policy", "reject"] {
                assert!(!has(w), "{ctx}: {c:?}");
            }
        }
        "netsh" => {
            assert!(
                lower == ["winsock", "reset"] || lower == ["int", "ip", "reset"],
                "{ctx}: {c:?}"
            );
        }
        SOCKETFILTERFW => {
            assert_eq!(c.args.len(), 2, "{ctx}: {c:?}");
            assert!(
                [
                    "--getappblocked",
                    "--add",
                    "--unblockapp",
                    "--remove",
                    "--blockapp"
                ]
                .contains(&c.args[0].as_str()),
                "{ctx}: {c:?}"
            );
        }
        "net" => assert_eq!(lower, ["start", "w32time"], "{ctx}"),
        "killall" => assert_eq!(lower, ["-hup", "mdnsresponder"], "{ctx}"),
        "reg" => {
            assert_eq!(
                c.args[1],
                r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"
            );
            assert!(
                ["query", "add", "delete"].contains(&lower[0].as_str()),
                "{ctx}: {c:?}"
            );
        }
        _ => {}
    }
    for w in [
        "disable",
        "stop",
        "off",
        "--setglobalstate",
        "--setblockall",
        "mask",
        "unload",
    ] {
        if ["ufw", "firewall-cmd", "nft", "netsh", SOCKETFILTERFW, "net"]
            .contains(&c.program.as_str())
        {
            assert!(!has(w), "{ctx}: {w} in {c:?}");
        }
    }
}

#[test]
fn the_safety_rules_hold_for_every_plan_and_undo_in_every_environment() {
    let plans = all_plans();
    assert!(plans.len() > 2000, "{} plans", plans.len());
    let mut seen_programs = BTreeSet::new();
    for (env, plan, back) in &plans {
        let ctx = format!("{} on {:?}", plan.fix.id, env.os);
        let mut save_names = BTreeSet::new();
        let folders: Vec<String> = cache_folders(env).into_iter().map(|(p, _)| p).collect();
        for (i, step) in plan.steps.iter().enumerate() {
            assert!(!step.title.is_empty(), "{ctx}");
            match &step.action {
                Action::Run { command, .. } | Action::Save { command, .. } => {
                    check_command(command, &ctx);
                    seen_programs.insert(command.program.clone());
                    // Caches are only ever moved aside, never touched by a program.
                    for a in command
                        .args
                        .iter()
                        .chain(command.env.iter().map(|(_, v)| v))
                    {
                        for f in &folders {
                            assert!(!a.contains(f.as_str()), "{ctx}: {a:?} touches {f}");
                        }
                    }
                    // A registry value is deleted only after it was saved.
                    if command.program == "reg" && command.args[0] == "delete" {
                        let (key, value) = (command.args[1].as_str(), command.args[3].as_str());
                        assert!(
                            plan.steps[..i].iter().any(|s| matches!(
                                &s.action,
                                Action::Save { name, command: q, .. } if name == value
                                    && q.args == ["query", key, "/v", value]
                            )),
                            "{ctx}: {value} deleted without being saved first"
                        );
                    }
                    if let Action::Save { name, .. } = &step.action {
                        assert!(save_names.insert(name.clone()), "{ctx}: {name} saved twice");
                    }
                }
                Action::MoveAside { path, keep } => {
                    assert_eq!(plan.fix.id, "zoom.clear_cache", "{ctx}");
                    assert!(folders.contains(path), "{ctx}: {path}");
                    let home = env.home.as_str();
                    assert!(
                        path.starts_with(home) && path.len() > home.len() + 1,
                        "{ctx}: {path}"
                    );
                    if !keep.is_empty() {
                        assert_eq!(
                            keep,
                            &KEEP.iter().map(|s| s.to_string()).collect::<Vec<_>>()
                        );
                    }
                }
                Action::Quit { names, grace_ms } => {
                    assert!(["zoom.quit", "zoom.clear_cache"].contains(&plan.fix.id.as_str()));
                    assert_eq!(i, 0, "{ctx}: Zoom quits first");
                    assert!(*grace_ms >= 1000);
                    assert!(!names.is_empty());
                }
                Action::WriteFile { path, .. } => {
                    assert_eq!(
                        (plan.fix.id.as_str(), path.as_str()),
                        ("dns.use_public", "/etc/resolv.conf")
                    );
                }
                a @ (Action::Restore { .. } | Action::RemoveNftRules { .. }) => {
                    panic!("{ctx}: an undo action in a plan: {a:?}")
                }
            }
        }
        if plan.fix.id == "zoom.clear_cache" {
            assert!(plan.steps[1..]
                .iter()
                .all(|s| matches!(s.action, Action::MoveAside { .. })));
        }
        for step in back {
            match &step.action {
                Action::Run { command, .. } => {
                    check_command(command, &format!("undo of {ctx}"));
                    assert!(
                        UNDO_PROGRAMS.contains(&command.program.as_str()),
                        "undo of {ctx}: {} would be refused",
                        command.program
                    );
                }
                Action::Restore { backup } => assert_eq!(backup, BACKUP),
                Action::RemoveNftRules { tag, .. } => assert_eq!(tag, "meeting-doctor-zoom"),
                a => panic!("undo of {ctx}: not an undo action {a:?}"),
            }
        }
        // Plans are data: what the journal stores reads back the same.
        let json = serde_json::to_string(plan).unwrap();
        assert_eq!(&serde_json::from_str::<Plan>(&json).unwrap(), plan, "{ctx}");
        let json = serde_json::to_string(back).unwrap();
        assert_eq!(
            &serde_json::from_str::<Vec<Step>>(&json).unwrap(),
            back,
            "{ctx}"
        );
    }
    // Every kind of plan was looked at.
    for p in [
        "ufw",
        "firewall-cmd",
        "nft",
        "nmcli",
        "networkctl",
        "gsettings",
        "kwriteconfig6",
        "chronyc",
        "reg",
        "networksetup",
        SOCKETFILTERFW,
        "powershell.exe",
    ] {
        assert!(seen_programs.contains(p), "no plan ran {p}");
    }
}

#[test]
fn every_saved_setting_has_an_undo_and_nothing_is_put_back_that_was_not_read() {
    let on = saved_on();
    let mut names = BTreeSet::new();
    for (env, plan, _) in all_plans() {
        for step in &plan.steps {
            let Action::Save { name, .. } = &step.action else {
                continue;
            };
            names.insert(name.clone());
            let only = Plan {
                steps: vec![step.clone()],
                ..plan.clone()
            };
            assert!(
                !undo_steps(&only, &env, &on, BACKUP).is_empty(),
                "{}: the saved {name} is never put back",
                plan.fix.id
            );
            assert!(
                undo_steps(&only, &env, &Saved::new(), BACKUP).is_empty(),
                "{}: {name} put back without being read",
                plan.fix.id
            );
        }
    }
    let known: BTreeSet<String> = on.keys().cloned().collect();
    assert_eq!(
        names, known,
        "the names the plans save are the ones undo knows"
    );
}

#[test]
fn data_from_this_computer_stays_one_argument_and_never_enters_a_script() {
    let nasty_if = "Wi-Fi\"; Remove-Item -Recurse C:\\; \"";
    let nasty_path = r"C:\Users\O'Brien $(whoami)\AppData\Roaming\Zoom\bin\Zoom.exe";
    let nasty_rule = "Block Zoom'; Set-NetFirewallProfile -Enabled False; '";
    let win_env = with(win(), |e| {
        e.interface = Some(nasty_if.into());
        e.zoom = zoom_at(Some(nasty_path));
        e.proxy = manual_proxy("HKCU Internet Settings");
        e.firewall = Some(FirewallState {
            product: "Windows Defender Firewall".into(),
            zoom_rules: vec![win_rule(nasty_rule, "block", true)],
            ..Default::default()
        });
    });
    let mac_svc = "Wi-Fi; rm -rf ~ `reboot`";
    let mac_if = "en0 && halt";
    let mac_app = "/Users/x $(id)/Applications/zoom.us.app";
    let mac_env = with(mac(), |e| {
        e.interface = Some(mac_if.into());
        e.service = Some(mac_svc.into());
        e.zoom = zoom_at(Some(mac_app));
        e.proxy = manual_proxy("scutil --proxy");
    });
    let conn = "Büro \"WLAN\" $(reboot); rm -rf /";
    let link = "wlan0|tee";
    let linux_env = with(linux(), |e| {
        e.interface = Some(link.into());
        e.linux.network_manager = true;
        e.linux.nm_connection = Some(conn.into());
        e.linux.networkd = true;
    });
    let cases = [
        (win_env, vec![nasty_if, nasty_path, nasty_rule]),
        (mac_env, vec![mac_svc, mac_if, mac_app]),
        (linux_env, vec![conn, link]),
    ];
    let on = saved_on();
    for (env, data) in &cases {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for id in IDS {
            let Ok(plan) = fixes::plan(id, env) else {
                continue;
            };
            let mut steps = plan.steps.clone();
            steps.extend(undo_steps(&plan, env, &on, BACKUP));
            for step in &steps {
                let Some(c) = command(&step.action) else {
                    continue;
                };
                let script = (c.program == "powershell.exe").then(|| c.args[5].as_str());
                for d in data {
                    if let Some(s) = script {
                        assert!(!s.contains(d), "{id}: {d:?} inside {s}");
                        if c.env.iter().any(|(_, v)| v == d) {
                            seen.insert(d);
                        }
                        assert!(
                            !c.env.iter().any(|(_, v)| v != d && v.contains(d)),
                            "{id}: {c:?}"
                        );
                    } else {
                        for a in &c.args {
                            if a.contains(d) {
                                assert_eq!(a, d, "{id}: {d:?} is one whole argument");
                                seen.insert(d);
                            }
                        }
                    }
                }
            }
        }
        let want: BTreeSet<&str> = data.iter().copied().collect();
        assert_eq!(seen, want, "{:?}: each value reaches a command", env.os);
    }
}

#[test]
fn the_preview_shows_every_value_that_reaches_a_program_and_its_digest_covers_them() {
    let env = with(win(), |e| {
        e.zoom = zoom_at(Some(r"C:\Program Files\Zoom\"));
        e.firewall = Some(FirewallState {
            product: "Windows Defender Firewall".into(),
            zoom_rules: vec![win_rule("Block Zoom", "block", true)],
            ..Default::default()
        });
    });
    let fix = fixes::find("firewall.allow_zoom").unwrap();
    let plan = fixes::plan("firewall.allow_zoom", &env);
    let p = Preview::of(&plan, &fix, Os::Windows);
    // On Windows the data travel in variables: the technician's view of
    // each step shows them, not only the script.
    assert!(
        p.steps[0]
            .detail
            .starts_with("MD_RULE=\"Block Zoom\" powershell.exe"),
        "{}",
        p.steps[0].detail
    );
    assert!(
        p.steps[1]
            .detail
            .contains(r#"MD_PROGRAM="C:\Program Files\Zoom\bin\Zoom.exe""#),
        "{}",
        p.steps[1].detail
    );
    // Any value in a step changes the digest, even one only a variable holds.
    let mut other = plan.clone().unwrap();
    if let Action::Run { command, .. } = &mut other.steps[0].action {
        command.env[0].1 = "Another rule".into();
    }
    assert_ne!(other.digest(), p.digest);
    assert_eq!(
        plan.unwrap().digest(),
        p.digest,
        "the same plan, the same digest"
    );
}
