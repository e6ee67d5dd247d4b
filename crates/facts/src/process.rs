//! Zoom's running processes: the meeting client, its helpers, and the
//! helpers left behind after it quit (a stuck sharing host or opener keeps
//! Zoom from starting cleanly: "quit Zoom fully").
//!
//! [`classify`] is pure over a process list, so it is tested everywhere on
//! made-up lists of every OS; [`list`] reads this computer's list through
//! `sysinfo`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use md_model::system::Os;

/// One running process, as the OS lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProcessInfo {
    pub pid: u32,
    /// The OS's short name: "Zoom.exe" on Windows, "zoom.us" on macOS, and
    /// on Linux the kernel's `comm`, cut to 15 characters.
    pub name: String,
    /// The executable's full path, when the OS lets us read it.
    pub exe: Option<String>,
}

/// Zoom's processes among the running ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ZoomProcesses {
    /// The meeting client itself (Zoom.exe, zoom.us, zoom on Linux).
    pub main: Vec<ProcessInfo>,
    /// Helpers (ZoomOpener, CptHost, aomhost, zWebview2Agent, ZoomWebviewHost,
    /// airhost, caphost, ZoomLauncher …): they belong to a running client.
    pub helpers: Vec<ProcessInfo>,
    /// Zoom processes that run on their own by design (the Zoom Sharing
    /// Service, the privileged updater daemon, the Outlook plugin, a
    /// recording still converting): listed, never "lingering".
    pub background: Vec<ProcessInfo>,
}

impl ZoomProcesses {
    /// The meeting client is running.
    pub fn running(&self) -> bool {
        !self.main.is_empty()
    }

    /// Helpers left behind with no main client (a stuck CptHost/ZoomOpener
    /// keeps Zoom from starting cleanly) — the seeds' "quit Zoom fully"
    /// advice. Empty while the client runs.
    pub fn lingering(&self) -> Vec<&ProcessInfo> {
        if self.running() {
            Vec::new()
        } else {
            self.helpers.iter().collect()
        }
    }
}

/// What a Zoom process is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomRole {
    /// The meeting client.
    Main,
    /// Started by the client, for it; without it, left behind.
    Helper,
    /// Runs without the client by design.
    Background,
}

/// A Zoom executable, by file name (without `.exe`; compared without
/// regard to case), the OSes it ships on and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoomProcessName {
    pub name: &'static str,
    pub os: &'static [Os],
    pub role: ZoomRole,
    pub what: &'static str,
}

const fn entry(
    name: &'static str,
    os: &'static [Os],
    role: ZoomRole,
    what: &'static str,
) -> ZoomProcessName {
    ZoomProcessName {
        name,
        os,
        role,
        what,
    }
}

const WIN: &[Os] = &[Os::Windows];
const MAC: &[Os] = &[Os::Macos];
const LINUX: &[Os] = &[Os::Linux];
const WIN_MAC: &[Os] = &[Os::Windows, Os::Macos];
const WIN_LINUX: &[Os] = &[Os::Windows, Os::Linux];
const ALL: &[Os] = &[Os::Windows, Os::Macos, Os::Linux];

/// Zoom's executables: data, not code. Sources: Zoom's install layouts
/// (Windows `%APPDATA%\Zoom\bin\` or `Program Files\Zoom\bin\`, macOS
/// `zoom.us.app/Contents/MacOS/zoom.us` and helper apps in
/// `Contents/Frameworks/`, Linux `/opt/zoom/` and Flathub's
/// `/app/extra/zoom/`), signed-file catalogues (CptHost.exe "Zoom Sharing
/// Host", aomhost64.exe in `bin\aomhost\`, CptControl.exe in
/// `Common Files\Zoom\Support\`), Linux packaging scripts (zoom, zopen,
/// ZoomLauncher, ZoomWebviewHost, aomhost), Zoom's macOS SDK (airhost.app,
/// ZoomAutoUpdater.app, ZoomClips.app), the project's seeds (Zoom.exe,
/// ZoomOpener, zoom.us) and user clean-up scripts that kill a
/// ZoomWebviewHost left running after the client quit.
pub const ZOOM_PROCESSES: &[ZoomProcessName] = &[
    // Zoom.exe on Windows, /opt/zoom/zoom on Linux.
    entry("Zoom", WIN_LINUX, ZoomRole::Main, "the Zoom client"),
    entry("zoom.us", MAC, ZoomRole::Main, "the Zoom client"),
    entry(
        "ZoomOpener",
        WIN_MAC,
        ZoomRole::Helper,
        "opens Zoom from meeting links (older versions)",
    ),
    entry(
        "Zoom_launcher",
        WIN,
        ZoomRole::Helper,
        "starts Zoom from meeting links",
    ),
    entry(
        "Zoom Launcher",
        WIN_MAC,
        ZoomRole::Helper,
        "starts Zoom from meeting links",
    ),
    entry(
        "ZoomLauncher",
        LINUX,
        ZoomRole::Helper,
        "starts the Zoom client",
    ),
    entry("zopen", LINUX, ZoomRole::Helper, "opens Zoom meeting links"),
    entry(
        "CptHost",
        WIN_MAC,
        ZoomRole::Helper,
        "Zoom's screen-sharing host",
    ),
    entry(
        "CptControl",
        WIN,
        ZoomRole::Helper,
        "Zoom's screen-sharing control",
    ),
    entry(
        "CptInstall",
        WIN,
        ZoomRole::Helper,
        "installs Zoom's screen-sharing service",
    ),
    entry("caphost", WIN_MAC, ZoomRole::Helper, "Zoom's capture host"),
    entry(
        "aomhost",
        ALL,
        ZoomRole::Helper,
        "Zoom's audio and media host",
    ),
    entry(
        "aomhost64",
        WIN,
        ZoomRole::Helper,
        "Zoom's audio and media host",
    ),
    entry(
        "airhost",
        WIN_MAC,
        ZoomRole::Helper,
        "shares an iPhone or iPad screen into Zoom",
    ),
    entry(
        "zWebview2Agent",
        WIN,
        ZoomRole::Helper,
        "Zoom's web view (Edge WebView2)",
    ),
    entry(
        "ZoomWebviewHost",
        ALL,
        ZoomRole::Helper,
        "Zoom's web view (embedded browser)",
    ),
    entry("ZoomClips", MAC, ZoomRole::Helper, "Zoom Clips"),
    entry(
        "zCrashReport",
        WIN,
        ZoomRole::Helper,
        "reports a Zoom crash",
    ),
    entry(
        "zCrashReport64",
        WIN,
        ZoomRole::Helper,
        "reports a Zoom crash",
    ),
    entry(
        "CptService",
        WIN,
        ZoomRole::Background,
        "the Zoom Sharing Service (a Windows service)",
    ),
    entry(
        "us.zoom.ZoomDaemon",
        MAC,
        ZoomRole::Background,
        "Zoom's privileged update helper (launchd)",
    ),
    entry("ZoomAutoUpdater", MAC, ZoomRole::Background, "updates Zoom"),
    entry(
        "zTscoder",
        WIN,
        ZoomRole::Background,
        "converts a local recording after the meeting",
    ),
    entry(
        "ZoomOutlookIMPlugin",
        WIN,
        ZoomRole::Background,
        "Zoom presence in Outlook",
    ),
];

/// The last component of a path written with `/` or `\` (a Windows path
/// read on any OS), without Linux's " (deleted)" mark of an executable
/// replaced while running.
fn file_name(path: &str) -> &str {
    let path = path.trim();
    let path = path.strip_suffix(" (deleted)").unwrap_or(path);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A process's executable name as the table writes it: no `.exe`, and
/// nixpkgs' wrapper names (`.zoom-wrapped`) undone.
fn key(name: &str) -> &str {
    let name = name.trim();
    let name = match name.len().checked_sub(4) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".exe") => {
            &name[..cut]
        }
        _ => name,
    };
    match name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix("-wrapped"))
    {
        Some(inner) if !inner.is_empty() => inner,
        _ => name,
    }
}

/// Linux keeps 15 bytes of a process name.
const LINUX_COMM_LEN: usize = 15;

/// The table entry for one process: by the executable's file name when the
/// path is known (so a script named "zoom" run by bash is bash), else by
/// the process name, which Linux may have cut to 15 characters.
pub fn lookup(process: &ProcessInfo) -> Option<&'static ZoomProcessName> {
    if let Some(exe) = process.exe.as_deref().filter(|e| !e.trim().is_empty()) {
        let k = key(file_name(exe));
        return ZOOM_PROCESSES
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(k));
    }
    let k = key(&process.name);
    ZOOM_PROCESSES.iter().find(|e| {
        e.name.eq_ignore_ascii_case(k)
            || (k.len() == LINUX_COMM_LEN
                && e.name.len() > LINUX_COMM_LEN
                && e.name.is_char_boundary(LINUX_COMM_LEN)
                && e.name[..LINUX_COMM_LEN].eq_ignore_ascii_case(k))
    })
}

/// Classify by the executable's FILE NAME when exe is known (Linux
/// truncates names to 15 chars; on macOS the main binary is
/// .../zoom.us.app/Contents/MacOS/zoom.us), else by name; case-insensitive
/// (Zoom.exe, zoom.exe). Names are matched whole, so "zoomer", "kzoomd",
/// "gnome-zoom", "Zoomify", a browser, this program and Sysinternals'
/// "ZoomIt64.exe" are not Zoom.
pub fn classify(processes: &[ProcessInfo]) -> ZoomProcesses {
    let mut out = ZoomProcesses::default();
    for p in processes {
        let list = match lookup(p).map(|e| e.role) {
            Some(ZoomRole::Main) => &mut out.main,
            Some(ZoomRole::Helper) => &mut out.helpers,
            Some(ZoomRole::Background) => &mut out.background,
            None => continue,
        };
        list.push(p.clone());
    }
    for list in [&mut out.main, &mut out.helpers, &mut out.background] {
        list.sort_by_key(|p| p.pid);
    }
    out
}

/// The executable names `zoom.quit` quits on `os`: the meeting client and
/// its helpers, never the background services. Windows names carry `.exe`.
pub fn quit_names(os: Os) -> Vec<String> {
    ZOOM_PROCESSES
        .iter()
        .filter(|e| e.os.contains(&os) && matches!(e.role, ZoomRole::Main | ZoomRole::Helper))
        .map(|e| {
            if os == Os::Windows {
                format!("{}.exe", e.name)
            } else {
                e.name.to_string()
            }
        })
        .collect()
}

/// The process list from the OS via sysinfo (not unit-tested beyond
/// "returns our own pid"). Threads are left out; an unreadable list is
/// empty.
pub fn list() -> Vec<ProcessInfo> {
    use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

    let Ok(mut system) = System::new() else {
        return Vec::new();
    };
    system.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing().with_exe(UpdateKind::OnlyIfNotSet),
    );
    let mut out: Vec<ProcessInfo> = system
        .processes()
        .values()
        .filter(|p| p.thread_kind().is_none())
        .map(|p| ProcessInfo {
            pid: p.pid().as_u32(),
            name: p.name().to_string_lossy().into_owned(),
            exe: p.exe().map(|e| e.to_string_lossy().into_owned()),
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pid: u32, name: &str, exe: Option<&str>) -> ProcessInfo {
        ProcessInfo {
            pid,
            name: name.to_string(),
            exe: exe.map(str::to_string),
        }
    }

    fn role(name: &str, exe: Option<&str>) -> Option<ZoomRole> {
        lookup(&p(1, name, exe)).map(|e| e.role)
    }

    #[test]
    fn names_and_paths_of_every_os() {
        use ZoomRole::*;
        let cases: &[(&str, Option<&str>, Option<ZoomRole>)] = &[
            // Windows: per-user and per-machine installs, any case.
            (
                "Zoom.exe",
                Some(r"C:\Users\José\AppData\Roaming\Zoom\bin\Zoom.exe"),
                Some(Main),
            ),
            (
                "Zoom.exe",
                Some(r"C:\Program Files\Zoom\bin\Zoom.exe"),
                Some(Main),
            ),
            (
                "zoom.exe",
                Some(r"C:\Users\Ana María\AppData\Roaming\Zoom\bin\zoom.exe"),
                Some(Main),
            ),
            ("ZOOM.EXE", None, Some(Main)),
            (
                "CptHost.exe",
                Some(r"C:\Program Files (x86)\Zoom\bin\CptHost.exe"),
                Some(Helper),
            ),
            (
                "aomhost64.exe",
                Some(r"C:\Users\José\AppData\Roaming\Zoom\bin\aomhost\aomhost64.exe"),
                Some(Helper),
            ),
            ("zWebview2Agent.exe", None, Some(Helper)),
            ("ZoomOpener.exe", None, Some(Helper)),
            ("airhost.exe", None, Some(Helper)),
            (
                "CptService.exe",
                Some(r"C:\Program Files\Common Files\Zoom\Support\CptService.exe"),
                Some(Background),
            ),
            ("zTscoder.exe", None, Some(Background)),
            // macOS: the bundle's binary and helper apps.
            (
                "zoom.us",
                Some("/Applications/zoom.us.app/Contents/MacOS/zoom.us"),
                Some(Main),
            ),
            (
                "zoom.us",
                Some("/Users/josé/Applications/zoom.us.app/Contents/MacOS/zoom.us"),
                Some(Main),
            ),
            (
                "CptHost",
                Some("/Applications/zoom.us.app/Contents/Frameworks/cpthost.app/Contents/MacOS/CptHost"),
                Some(Helper),
            ),
            (
                "aomhost",
                Some("/Applications/zoom.us.app/Contents/Frameworks/aomhost.app/Contents/MacOS/aomhost"),
                Some(Helper),
            ),
            (
                "caphost",
                Some("/Applications/zoom.us.app/Contents/Frameworks/caphost.app/Contents/MacOS/caphost"),
                Some(Helper),
            ),
            (
                "ZoomOpener",
                Some("/Users/ana/.zoomus/ZoomOpener.app/Contents/MacOS/ZoomOpener"),
                Some(Helper),
            ),
            (
                "us.zoom.ZoomDaemon",
                Some("/Library/PrivilegedHelperTools/us.zoom.ZoomDaemon"),
                Some(Background),
            ),
            // Linux: deb/rpm in /opt/zoom, Flathub in /app/extra/zoom.
            ("zoom", Some("/opt/zoom/zoom"), Some(Main)),
            ("zoom", Some("/app/extra/zoom/zoom"), Some(Main)),
            ("zoom", Some("/opt/zoom/zoom (deleted)"), Some(Main)),
            ("ZoomLauncher", Some("/app/extra/zoom/ZoomLauncher"), Some(Helper)),
            ("ZoomWebviewHost", Some("/opt/zoom/ZoomWebviewHost"), Some(Helper)),
            ("ZoomWebviewHost", None, Some(Helper)),
            ("aomhost", Some("/opt/zoom/aomhost"), Some(Helper)),
            // nixpkgs' wrapper renames the binary.
            (
                ".zoom-wrapped",
                Some("/nix/store/abc-zoom-6.2.5/opt/zoom/.zoom-wrapped"),
                Some(Main),
            ),
            // The exe decides: a script named "zoom" is its interpreter,
            // and a truncated name is read from the full path.
            ("zoom", Some("/usr/bin/bash"), None),
            ("ZoomOutlookIMPl", None, Some(Background)),
            (
                "ZoomOutlookIMPl",
                Some(r"C:\Program Files\Zoom\bin\ZoomOutlookIMPlugin.exe"),
                Some(Background),
            ),
            // Not Zoom.
            ("ZoomIt64.exe", Some(r"C:\Tools\Sysinternals\ZoomIt64.exe"), None),
            ("ZoomIt.exe", None, None),
            ("zoomer", Some("/usr/bin/zoomer"), None),
            ("kzoomd", None, None),
            ("gnome-zoom", Some("/usr/libexec/gnome-zoom"), None),
            ("Zoomify", None, None),
            ("zoom.sh", Some("/opt/zoom/zoom.sh"), None),
            (
                "chrome.exe",
                Some(r"C:\Program Files\Google\Chrome\Application\chrome.exe"),
                None,
            ),
            ("Google Chrome Helper (Renderer)", None, None),
            ("msedgewebview2.exe", None, None),
            (
                "meeting-doctor",
                Some("/home/ana/.local/bin/meeting-doctor"),
                None,
            ),
            ("meeting-doctor.exe", None, None),
            ("Zoom Rooms", None, None),
            ("", None, None),
            ("zoom", Some(""), Some(Main)),
        ];
        for (name, exe, expected) in cases {
            assert_eq!(role(name, *exe), *expected, "{name:?} {exe:?}");
        }
    }

    #[test]
    fn the_table_is_consistent() {
        for (i, e) in ZOOM_PROCESSES.iter().enumerate() {
            assert!(!e.name.is_empty() && !e.os.is_empty() && !e.what.is_empty());
            assert!(!e.name.to_ascii_lowercase().ends_with(".exe"), "{}", e.name);
            assert!(
                ZOOM_PROCESSES[..i]
                    .iter()
                    .all(|o| !o.name.eq_ignore_ascii_case(e.name)),
                "{} twice",
                e.name
            );
            // Linux names fit the kernel's 15 characters.
            if e.os.contains(&Os::Linux) {
                assert!(e.name.len() <= LINUX_COMM_LEN, "{}", e.name);
            }
        }
    }

    #[test]
    fn running_and_lingering() {
        let helper = p(
            4120,
            "CptHost.exe",
            Some(r"C:\Users\José\AppData\Roaming\Zoom\bin\CptHost.exe"),
        );
        let opener = p(4400, "ZoomOpener.exe", None);
        let service = p(
            2210,
            "CptService.exe",
            Some(r"C:\Program Files\Common Files\Zoom\Support\CptService.exe"),
        );
        let main = p(
            5012,
            "Zoom.exe",
            Some(r"C:\Users\José\AppData\Roaming\Zoom\bin\Zoom.exe"),
        );
        let other = p(77, "ZoomIt64.exe", Some(r"C:\Tools\ZoomIt64.exe"));

        // Zoom quit, a sharing host and the opener still there.
        let z = classify(&[
            opener.clone(),
            other.clone(),
            helper.clone(),
            service.clone(),
        ]);
        assert!(!z.running());
        assert_eq!(z.lingering(), vec![&helper, &opener], "sorted by pid");
        assert_eq!(z.background, vec![service.clone()]);

        // The client runs: its helpers are not lingering.
        let z = classify(&[helper.clone(), main.clone(), service.clone()]);
        assert!(z.running());
        assert!(z.lingering().is_empty());
        assert_eq!(z.main, vec![main.clone()]);

        // Only the sharing service: nothing to quit.
        let z = classify(&[service.clone(), other.clone()]);
        assert!(!z.running() && z.lingering().is_empty());

        // Nothing of Zoom at all.
        assert_eq!(classify(&[other]), ZoomProcesses::default());
        assert_eq!(classify(&[]), ZoomProcesses::default());

        // Linux: a ZoomWebviewHost and its CEF children outliving zoom.
        let z = classify(&[
            p(3001, "ZoomWebviewHost", Some("/opt/zoom/ZoomWebviewHost")),
            p(3002, "ZoomWebviewHost", Some("/opt/zoom/ZoomWebviewHost")),
            p(900, "bash", Some("/usr/bin/bash")),
        ]);
        assert_eq!(z.lingering().len(), 2);

        // macOS: the client and its sharing host.
        let z = classify(&[
            p(
                610,
                "zoom.us",
                Some("/Applications/zoom.us.app/Contents/MacOS/zoom.us"),
            ),
            p(
                640,
                "CptHost",
                Some("/Applications/zoom.us.app/Contents/Frameworks/cpthost.app/Contents/MacOS/CptHost"),
            ),
        ]);
        assert!(z.running() && z.lingering().is_empty() && z.helpers.len() == 1);
    }

    #[test]
    fn list_includes_this_process() {
        let me = std::process::id();
        let all = list();
        let this = all
            .iter()
            .find(|p| p.pid == me)
            .expect("our own pid is listed");
        assert!(!this.name.is_empty());
        // The test binary is not Zoom.
        assert!(lookup(this).is_none(), "{this:?}");
    }
}
