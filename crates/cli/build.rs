//! On Windows, gives `meeting-doctor.exe` its icon and the version and
//! publisher that Explorer's Properties and antivirus logs show (the app's
//! exe gets the same from tauri-build). Nothing to do elsewhere.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let icon = "../../src-tauri/icons/icon.ico";
    println!("cargo:rerun-if-changed={icon}");
    let mut res = tauri_winres::WindowsResource::new();
    res.set_icon(icon)
        .set("ProductName", "Meeting Doctor")
        .set("FileDescription", "Meeting Doctor command-line tool")
        .set("CompanyName", "Meeting Doctor")
        .set(
            "LegalCopyright",
            "Copyright 2026 the Meeting Doctor developers (MIT OR Apache-2.0)",
        )
        .set("OriginalFilename", "meeting-doctor.exe");
    if let Err(e) = res.compile() {
        // A Windows build without its version resource would still run;
        // stop anyway, so a release never ships without it.
        panic!("cannot embed the Windows resource (icon, version): {e}");
    }
}
