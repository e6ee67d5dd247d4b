//! The environment a child process starts with: nothing inherited but a
//! short list of variables that only say where the person's session and
//! folders are, a fixed PATH per OS, and the variables its command names.
//!
//! Why: this program also runs with administrator rights (a fix's
//! elevated run). A child of that run must not get `LD_PRELOAD`, a PATH
//! that finds a user's own `nft` first, or a PowerShell module path a
//! user can write. Commands are built by code, never read from a file,
//! and even so the variables that make a program load other code are
//! refused here, at the one place children start.

/// Directories searched for programs, per OS. Only folders that an
/// administrator owns: no `~/bin`, no Homebrew folder (which the
/// installing user owns on Intel Macs).
#[cfg(target_os = "macos")]
const PATH: &str = "/usr/bin:/bin:/usr/sbin:/sbin";
#[cfg(all(unix, not(target_os = "macos")))]
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Inherited when set: where the person's session and folders are, which
/// desktop tools (gsettings, kreadconfig, PowerShell) need to read *their*
/// settings. None of these makes a program load code.
#[cfg(unix)]
const INHERITED: &[&str] = &[
    "HOME",
    "USER",
    "LOGNAME",
    "TMPDIR",
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_CURRENT_DESKTOP",
    // Which of the installed settings stores GNOME's gsettings reads
    // (a desktop session may set it); it names a store, not code.
    "GSETTINGS_BACKEND",
    "DISPLAY",
    "WAYLAND_DISPLAY",
];
#[cfg(windows)]
const INHERITED: &[&str] = &[
    "USERPROFILE",
    "APPDATA",
    "LOCALAPPDATA",
    "TEMP",
    "TMP",
    "USERNAME",
    "USERDOMAIN",
    "COMPUTERNAME",
    "HOMEDRIVE",
    "HOMEPATH",
    "NUMBER_OF_PROCESSORS",
    "PROCESSOR_ARCHITECTURE",
    "OS",
    "PATHEXT",
];

/// True for a variable no child may be given: ones that make the dynamic
/// loader, a shell or an interpreter load code of someone else's choosing.
pub fn refused_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.is_empty()
        || upper.contains('=')
        || upper.contains('\0')
        || upper.starts_with("LD_")
        || upper.starts_with("DYLD_")
        || matches!(
            upper.as_str(),
            "BASH_ENV"
                | "ENV"
                | "SHELLOPTS"
                | "BASHOPTS"
                | "IFS"
                | "PERL5OPT"
                | "PERL5LIB"
                | "PYTHONPATH"
                | "PYTHONSTARTUP"
                | "RUBYOPT"
                | "NODE_OPTIONS"
                | "PSMODULEPATH"
                | "COMSPEC"
        )
}

/// The variables a child of this program starts with, before its
/// command's own: (name, value) pairs.
pub fn base() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = INHERITED
        .iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
        .filter(|(_, v)| !v.contains('\0'))
        .collect();
    out.extend(system_paths());
    out
}

#[cfg(unix)]
fn system_paths() -> Vec<(String, String)> {
    vec![("PATH".into(), PATH.into())]
}

/// Windows: PATH, SystemRoot and PowerShell's module path from the
/// Windows folder the system reports, not from variables (a user's own
/// `SystemRoot` in HKCU\Environment would otherwise lead an elevated
/// child to the user's programs).
#[cfg(windows)]
fn system_paths() -> Vec<(String, String)> {
    let windir = windows_dir();
    let sys = format!(r"{windir}\System32");
    vec![
        (
            "PATH".into(),
            format!(r"{sys};{windir};{sys}\Wbem;{sys}\WindowsPowerShell\v1.0"),
        ),
        ("SystemRoot".into(), windir.clone()),
        ("windir".into(), windir.clone()),
        ("ComSpec".into(), format!(r"{sys}\cmd.exe")),
        (
            "PSModulePath".into(),
            format!(r"{sys}\WindowsPowerShell\v1.0\Modules"),
        ),
        ("SystemDrive".into(), windir.chars().take(2).collect()),
        (
            "ProgramData".into(),
            format!(
                r"{}\ProgramData",
                windir.chars().take(2).collect::<String>()
            ),
        ),
    ]
}

/// The Windows folder (`C:\Windows`), as the system reports it.
#[cfg(windows)]
#[allow(unsafe_code)]
pub fn windows_dir() -> String {
    use windows_sys::Win32::System::SystemInformation::GetSystemWindowsDirectoryW;
    let mut buf = [0u16; 260];
    // SAFETY: the buffer is valid for `buf.len()` u16s; the call writes at
    // most that many and returns the length written (0 on failure).
    let n = unsafe { GetSystemWindowsDirectoryW(buf.as_mut_ptr(), buf.len() as u32) } as usize;
    if n == 0 || n > buf.len() {
        return r"C:\Windows".into();
    }
    String::from_utf16_lossy(&buf[..n])
}

/// Sets `cmd` up with a clean environment: [`base`], then the command's
/// own variables. Err when the command names a refused variable.
pub fn apply(cmd: &mut tokio::process::Command, vars: &[(String, String)]) -> Result<(), String> {
    if let Some((k, _)) = vars.iter().find(|(k, _)| refused_variable(k)) {
        return Err(format!(
            "the environment variable {k:?} is never passed to a program"
        ));
    }
    cmd.env_clear();
    for (k, v) in base() {
        cmd.env(k, v);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    Ok(())
}

/// The folders [`base`]'s PATH lists, for "is this tool installed".
pub fn search_path() -> Vec<std::path::PathBuf> {
    base()
        .into_iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| std::env::split_paths(&v).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_and_interpreter_variables_are_refused() {
        for k in [
            "LD_PRELOAD",
            "ld_library_path",
            "LD_AUDIT",
            "DYLD_INSERT_LIBRARIES",
            "BASH_ENV",
            "PSModulePath",
            "",
            "A=B",
        ] {
            assert!(refused_variable(k), "{k}");
        }
        for k in ["LC_ALL", "LANG", "MD_RULE", "GSETTINGS_BACKEND", "PATH"] {
            assert!(!refused_variable(k), "{k}");
        }
    }
}
