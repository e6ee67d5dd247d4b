// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // The elevated run of a fix (`pkexec meeting-doctor-app
    // --meeting-doctor-elevated …`): it does its one job and exits before
    // any window, webview or log file exists.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(code) =
        meeting_doctor_core::fixes::fixer::child_main(args.get(1..).unwrap_or_default())
    {
        std::process::exit(code);
    }
    meeting_doctor_app::run();
}
