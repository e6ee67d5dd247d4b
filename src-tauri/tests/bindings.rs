//! The TypeScript types of everything that crosses IPC, generated from the
//! Rust types (ts-rs), and the UI's vocabulary (error codes, check groups,
//! the contract's ids) generated from the engine's own lists. Fails when
//! ui/src/bindings.ts or ui/src/vocabulary.ts is stale; run with
//! UPDATE_BINDINGS=1 to rewrite them.

use meeting_doctor_app::fixes::{FixEvent, FixResult, HistoryEntry};
use meeting_doctor_app::{ErrorKind, IpcError};
use meeting_doctor_core::checks::{self, Group};
use meeting_doctor_core::compare::{Change, Comparison, RunSummary, Verdict};
use meeting_doctor_core::diagnosis::CONNECTION_CODES;
use meeting_doctor_core::fixes::apply::StepResult;
use meeting_doctor_core::fixes::fixer::{
    CheckChange, FixAction, FixRecord, Outcome, OutcomeStatus, Verification,
};
use meeting_doctor_core::fixes::journal::{Entry, EntryState};
use meeting_doctor_core::fixes::{Fix, Preview, PreviewStep, Risk, Suggestion};
use meeting_doctor_core::ids::{CauseId, CheckId, FixId, StepId};
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
        CheckId::decl(&cfg),
        CauseId::decl(&cfg),
        FixId::decl(&cfg),
        StepId::decl(&cfg),
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
        FixAction::decl(&cfg),
        FixRecord::decl(&cfg),
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

/// The UI's vocabulary from the engine's lists, so the two cannot drift.
fn vocabulary() -> String {
    let list = |items: Vec<String>| {
        items
            .iter()
            .map(|i| format!("  {i},\n"))
            .collect::<String>()
    };
    let quoted = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let group = |g: Group| serde_json::to_string(&g).expect("a group serialises");
    let mut out = String::from(
        "// Generated from the engine's lists by `cargo test -p meeting-doctor-app --test bindings`.\n\
         // Do not edit: CI fails when this file is stale; UPDATE_BINDINGS=1 rewrites it.\n\n\
         import type { CauseId, FixId, Group, StepId } from \"./bindings\";\n",
    );
    out += "\n/** The error codes the engine knows the meaning of (the picker lists them). */\n";
    out += "export const CONNECTION_CODES: readonly string[] = [\n";
    out += &list(CONNECTION_CODES.iter().map(|c| quoted(c)).collect());
    out += "];\n";
    out += "\n/** The group of each check with a fixed id. */\n";
    out += "export const CHECK_GROUP: Readonly<Record<string, Group>> = {\n";
    out += &list(
        CheckId::FIXED
            .iter()
            .map(|id| format!("{}: {}", quoted(&id.to_string()), group(checks::group(*id))))
            .collect(),
    );
    out += "};\n";
    out += "\n/** The group of the per-port checks (`tcp.<port>`, `udp.<port>`). */\n";
    out += &format!(
        "export const PORT_CHECK_GROUP: Group = {};\n",
        group(checks::group(CheckId::Tcp(443)))
    );
    let ids = |name: &str, ty: &str, all: Vec<&str>| {
        format!(
            "\n/** Every {ty} of the contract. */\nexport const {name}: readonly {ty}[] = [\n{}];\n",
            list(all.into_iter().map(quoted).collect())
        )
    };
    out += &ids(
        "CAUSE_IDS",
        "CauseId",
        CauseId::ALL.iter().map(|c| c.as_str()).collect(),
    );
    out += &ids(
        "FIX_IDS",
        "FixId",
        FixId::ALL.iter().map(|c| c.as_str()).collect(),
    );
    out += &ids(
        "STEP_IDS",
        "StepId",
        StepId::ALL.iter().map(|c| c.as_str()).collect(),
    );
    out
}

fn check_fresh(file: &str, fresh: &str) {
    let path = format!("{}/../ui/src/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, fresh).expect("write the generated file");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/{file} is stale: run `UPDATE_BINDINGS=1 cargo test -p meeting-doctor-app --test bindings` and commit it"
    );
}

#[test]
fn typescript_bindings_are_fresh() {
    check_fresh("bindings.ts", &generate());
}

#[test]
fn ui_vocabulary_is_fresh() {
    check_fresh("vocabulary.ts", &vocabulary());
}
