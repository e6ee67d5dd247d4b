//! Which computer this is: OS, version, architecture, name and user (the
//! report's header). Read here, not in the model, so the model stays free
//! of I/O.

use md_model::system::{parse_os_release, Os, SystemInfo};

/// This computer, now.
pub fn system_info() -> SystemInfo {
    let os = Os::current();
    let os_version = match os {
        Os::Linux => std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|t| parse_os_release(&t)),
        _ => sysinfo::System::long_os_version().ok(),
    };
    let user = ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()));
    SystemInfo {
        os,
        os_version,
        arch: std::env::consts::ARCH.to_string(),
        host_name: sysinfo::System::host_name().ok(),
        user,
    }
}
