//! `zoom.clear_cache`: Zoom's cache folders moved aside, its settings and databases kept.

use super::*;

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
            p.fix.id,
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
