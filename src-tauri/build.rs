fn main() {
    // Each app command gets an allow-<command> permission, granted per
    // window in capabilities/; nothing is reachable that is not listed there.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "overview",
            "start_check",
            "cancel_check",
            "render_report",
            "technician_report",
            "save_report",
            "compare_reports",
            "fix_suggestions",
            "preview_fix",
            "apply_fix",
            "cancel_fix",
            "undo_fix",
            "fix_history",
            "fix_script",
        ]),
    ))
    .expect("tauri build step");
}
