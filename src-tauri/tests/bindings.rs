//! The TypeScript types of everything that crosses IPC, generated from the
//! Rust types (ts-rs). Fails when ui/src/bindings.ts is stale; run with
//! UPDATE_BINDINGS=1 to rewrite it.

use meeting_doctor_app::fixes::{FixEvent, FixResult, HistoryEntry};
use meeting_doctor_app::{ErrorKind, IpcError};
use meeting_doctor_core::checks::Group;
use meeting_doctor_core::compare::{Change, Comparison, RunSummary, Verdict};
use meeting_doctor_core::fixes::apply::StepResult;
use meeting_doctor_core::fixes::fixer::{CheckChange, Outcome, OutcomeStatus, Verification};
use meeting_doctor_core::fixes::journal::{Entry, EntryState};
use meeting_doctor_core::fixes::{Fix, Preview, PreviewStep, Risk, Suggestion};
use meeting_doctor_core::render::Format;
use meeting_doctor_core::report::{
    AppInfo, Cause, Diagnosis, Overview, PlannedCheck, ProfileInfo, RunInfo, Step,
};
use meeting_doctor_core::system::{Os, SystemInfo};
use meeting_doctor_core::{Finding, Report, RunEvent, Status};
use ts_rs::{Config, TS};

const JSON_VALUE: &str = "type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;";

fn generate() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        JSON_VALUE.to_string(),
        Status::decl(&cfg),
        Group::decl(&cfg),
        Finding::decl(&cfg),
        RunEvent::decl(&cfg),
        Os::decl(&cfg),
        SystemInfo::decl(&cfg),
        AppInfo::decl(&cfg),
        ProfileInfo::decl(&cfg),
        Step::decl(&cfg),
        Cause::decl(&cfg),
        Diagnosis::decl(&cfg),
        RunInfo::decl(&cfg),
        Report::decl(&cfg),
        PlannedCheck::decl(&cfg),
        Overview::decl(&cfg),
        Format::decl(&cfg),
        Verdict::decl(&cfg),
        Change::decl(&cfg),
        RunSummary::decl(&cfg),
        Comparison::decl(&cfg),
        Risk::decl(&cfg),
        Fix::decl(&cfg),
        PreviewStep::decl(&cfg),
        Preview::decl(&cfg),
        Suggestion::decl(&cfg),
        StepResult::decl(&cfg),
        OutcomeStatus::decl(&cfg),
        CheckChange::decl(&cfg),
        Verification::decl(&cfg),
        Outcome::decl(&cfg),
        FixEvent::decl(&cfg),
        FixResult::decl(&cfg),
        EntryState::decl(&cfg),
        Entry::decl(&cfg),
        HistoryEntry::decl(&cfg),
        ErrorKind::decl(&cfg),
        IpcError::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `cargo test -p meeting-doctor-app --test bindings`\n\
         // (ts-rs). Do not edit: CI fails when this file is stale; UPDATE_BINDINGS=1 rewrites it.\n",
    );
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(d.trim().trim_start_matches("export "));
        out.push('\n');
    }
    out
}

#[test]
fn typescript_bindings_are_fresh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");
    let fresh = generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(path, &fresh).expect("write bindings");
        return;
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p meeting-doctor-app --test bindings` and commit it"
    );
}
