use super::*;
use crate::facts::command::Replay;
use crate::system::Os;

#[tokio::test]
async fn a_plan_that_changed_since_the_preview_is_not_run() {
    let d = tempfile::tempdir().unwrap();
    let mut env = FixEnv::bare(Os::Linux, &d.path().join("home").to_string_lossy());
    env.data_dir = d.path().join("data").to_string_lossy().into_owned();
    env.linux.resolved = true;
    let mut f = Fixer::new(env, Arc::new(Replay::new()));
    f.admin_store = Store::admin(d.path().join("admin"));
    f.elevation = ElevationMode::Auto;
    let shown = f.preview("dns.flush").unwrap().digest;
    assert!(md_fixes::is_digest(&shown));
    // Between the yes and the run, nscd appeared: one more step.
    f.env.linux.nscd = true;
    let approval = Approval {
        fix: "dns.flush",
        confirmed: "dns.flush",
        digest: &shown,
    };
    let o = f
        .apply(approval, &|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(o.status, OutcomeStatus::Failed);
    assert_eq!(o.message, CHANGED_MESSAGE);
    assert!(f.history().unwrap().is_empty(), "nothing began");
    // A digest of nothing, or of another fix, is no yes either.
    let other = f.preview("clock.sync").unwrap().digest;
    for digest in ["", other.as_str()] {
        let approval = Approval { digest, ..approval };
        let o = f
            .apply(approval, &|_| {}, &CancellationToken::new())
            .await
            .unwrap();
        assert_eq!(o.message, CHANGED_MESSAGE);
    }
}

#[tokio::test]
async fn an_elevated_run_after_the_asker_gave_up_does_nothing() {
    if !elevate::is_elevated() {
        return; // the administrators' folder must be root's
    }
    let d = tempfile::tempdir().unwrap();
    let admin = d.path().join("admin");
    let marker = d.path().join("cancelled-e1");
    let undo = |deadline: u64| Request::Undo {
        entry: "e1".into(),
        deadline,
        cancelled: marker.clone(),
    };
    // The asking program's wait ended a minute ago.
    assert_eq!(
        elevated_run(undo(unix_now() - 60), &admin).await,
        elevate::CHILD_EXPIRED
    );
    // It was cancelled: the marker is there.
    std::fs::write(&marker, "").unwrap();
    assert_eq!(
        elevated_run(undo(unix_now() + 60), &admin).await,
        elevate::CHILD_EXPIRED
    );
    std::fs::remove_file(&marker).unwrap();
    // A digest that is not the plan's: refused before anything is written.
    let apply = Request::Apply {
        fix: "firewall.allow_zoom".into(),
        entry: "e2".into(),
        digest: "0".repeat(64),
        deadline: unix_now() + 60,
        cancelled: marker.clone(),
        inputs: elevate::PlanInputs::default(),
    };
    assert_eq!(elevated_run(apply, &admin).await, elevate::CHILD_CHANGED);
    assert!(
        !admin.join("journal.jsonl").exists(),
        "nothing was journaled"
    );
    // Another elevated change holds the lock until past the deadline.
    let held = Store::admin(&admin).lock(Duration::ZERO).unwrap();
    assert_eq!(
        elevated_run(undo(unix_now() + 1), &admin).await,
        elevate::CHILD_BUSY
    );
    drop(held);
}

#[test]
fn the_preview_says_whether_the_administrator_prompt_will_appear() {
    let mut env = FixEnv::bare(Os::Linux, "/home/zoë");
    env.linux.resolved = true;
    let mut f = Fixer::new(env, Arc::new(Replay::new()));
    f.elevation = ElevationMode::Always;
    let p = f.preview("dns.flush").unwrap();
    assert!(p.needs_admin && p.asks_password);
    // Prompting turned off: it still needs rights, but nothing will ask.
    f.elevation = ElevationMode::Never;
    let p = f.preview("dns.flush").unwrap();
    assert!(p.needs_admin && !p.asks_password);
    f.elevation = ElevationMode::Always;
    let p = f.preview("zoom.quit").unwrap();
    assert!(!p.needs_admin && !p.asks_password);
}
