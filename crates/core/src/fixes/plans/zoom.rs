//! `zoom.clear_cache`: Zoom's cache folders moved aside, its settings and databases kept.

use super::*;

/// Zoom's cache folders on `env.os`: (path, keep patterns). Folders that
/// hold settings and databases move only their other entries.
pub fn cache_folders(env: &FixEnv) -> Vec<(String, Vec<String>)> {
    let keep: Vec<String> = KEEP.iter().map(|s| s.to_string()).collect();
    let h = env.home.as_str();
    match env.os {
        Os::Windows => vec![(join(Os::Windows, &env.appdata(), &["Zoom", "data"]), keep)],
        Os::Macos => vec![
            (
                join(Os::Macos, h, &["Library", "Caches", "us.zoom.xos"]),
                vec![],
            ),
            (
                join(
                    Os::Macos,
                    h,
                    &["Library", "Application Support", "zoom.us", "data"],
                ),
                keep,
            ),
            (
                join(
                    Os::Macos,
                    h,
                    &[
                        "Library",
                        "Saved Application State",
                        "us.zoom.xos.savedState",
                    ],
                ),
                vec![],
            ),
        ],
        Os::Linux => {
            let cache = env
                .var("XDG_CACHE_HOME")
                .map(str::to_string)
                .unwrap_or_else(|| join(Os::Linux, h, &[".cache"]));
            vec![
                (join(Os::Linux, h, &[".zoom", "data"]), keep.clone()),
                (join(Os::Linux, &cache, &["zoom"]), vec![]),
                (
                    join(
                        Os::Linux,
                        h,
                        &[".var", "app", "us.zoom.Zoom", ".zoom", "data"],
                    ),
                    keep,
                ),
                (
                    join(Os::Linux, h, &[".var", "app", "us.zoom.Zoom", "cache"]),
                    vec![],
                ),
            ]
        }
    }
}

pub(super) fn clear_cache(env: &FixEnv, p: &mut Plan) -> Result<(), NotApplicable> {
    p.needs_admin = false;
    let folders: Vec<(String, Vec<String>)> = cache_folders(env)
        .into_iter()
        .filter(|(path, _)| {
            env.zoom_caches_present
                .as_ref()
                .is_none_or(|present| present.contains(path))
        })
        .collect();
    if folders.is_empty() {
        return Err(na(
            &p.fix.id,
            "Zoom keeps no temporary files on this computer, so there is nothing to put aside.",
        ));
    }
    p.steps.push(quit_step(env.os));
    for (path, keep) in folders {
        p.steps.push(Step::new(
            "Move Zoom's temporary files into a dated backup folder",
            Action::MoveAside { path, keep },
        ));
    }
    p.side_effects.push(
        "Zoom closes first. Your Zoom settings, sign-in and chat history stay where they are."
            .into(),
    );
    p.side_effects.push(format!(
        "Nothing is deleted: the files are kept in {}.",
        join(env.os, &env.data_dir, &["backups"])
    ));
    p.undo = "Undo moves every file back from the backup folder.".into();
    Ok(())
}
