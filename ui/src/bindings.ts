// Generated from the Rust types by `cargo test -p meeting-doctor-app --test bindings`
// (ts-rs). Do not edit: CI fails when this file is stale; UPDATE_BINDINGS=1 rewrites it.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;

export type Status = "pass" | "warn" | "fail" | "unknown" | "skipped";

export type Group = "Internet" | "ZoomServers" | "Dns" | "SecurityAndProxy" | "ThisComputer";

export type CheckId = string;

export type CauseId = "offline" | "captive_portal" | "dns_failure" | "dns_filtered" | "zoom_blocked" | "signaling_ports_blocked" | "udp_blocked" | "proxy_interference" | "tls_interception" | "clock_skew" | "vpn_interference" | "local_firewall" | "security_software" | "zoom_outage" | "zoom_client_problem" | "poor_connection";

export type FixId = "zoom.quit" | "dns.flush" | "clock.sync" | "zoom.clear_cache" | "firewall.allow_zoom" | "proxy.disable" | "dns.use_public" | "network.stack_reset";

export type StepId = "sign_in_portal" | "restart_router" | "try_hotspot" | "use_ethernet" | "move_closer" | "turn_off_vpn" | "sip_alg" | "browser_client" | "new_local_user" | "reinstall_zoom" | "update_zoom" | "pause_security_test" | "ask_admin" | "proxy_sign_in" | "check_status_page" | "set_time_auto" | "quit_zoom_fully" | "restart_computer" | "contact_isp";

export type Finding = { 
/**
 * Stable check id (`tcp.443`, `dns.system`, …): part of the contract.
 */
id: CheckId, 
/**
 * Plain-words name of the check.
 */
title: string, status: Status, 
/**
 * One sentence for a person, no jargon first.
 */
summary: string, 
/**
 * The technical detail, for a technician.
 */
detail: string, 
/**
 * Structured evidence (addresses, timings, answers).
 */
evidence: JsonValue, elapsed_ms: number, };

export type RunEvent = { "event": "started", id: CheckId, title: string, group: Group, } | { "event": "finished", finding: Finding, };

export type Os = "windows" | "macos" | "linux";

export type SystemInfo = { os: Os, 
/**
 * "Debian GNU/Linux 12 (bookworm)", "macOS 14.5", "Windows 11 …" when known.
 */
os_version: string | null, arch: string, 
/**
 * The computer's name (removed from shared reports unless asked).
 */
host_name: string | null, 
/**
 * The signed-in user (removed from shared reports unless asked).
 */
user: string | null, };

export type AppInfo = { name: string, version: string, };

export type ProfileInfo = { name: string, source: string, };

export type Step = { id: StepId, title: string, why: string, how: string, worked_if: string, };

export type Cause = { 
/**
 * Stable id (`offline`, `dns_filtered`…): part of the contract.
 */
id: CauseId, 
/**
 * 0–1: how sure the rules are.
 */
confidence: number, 
/**
 * One plain sentence: what is wrong.
 */
summary: string, 
/**
 * What it means and why it stops Zoom, in a few sentences.
 */
explanation: string, 
/**
 * The Zoom error codes this cause produces.
 */
error_codes: Array<string>, 
/**
 * The check ids that show it.
 */
evidence: Array<string>, 
/**
 * Fix ids (the fix catalog), lowest risk first.
 */
fixes: Array<FixId>, 
/**
 * Guided steps, in the order to try them.
 */
steps: Array<Step>, 
/**
 * A warning about how well Zoom works rather than why it can't connect.
 */
quality_only: boolean, };

export type Diagnosis = { causes: Array<Cause>, 
/**
 * One sentence for the top of the screen: the cause and what to do first.
 */
headline: string, 
/**
 * The error code the user saw, if given.
 */
error_code: string | null, 
/**
 * What that code means, in plain words.
 */
code_meaning: string | null, 
/**
 * When nothing explains the user's code: what was checked and is fine.
 */
ruled_out: Array<string>, 
/**
 * When nothing explains the user's code: what to try next.
 */
next_steps: Array<Step>, };

export type RunInfo = { elapsed_ms: number, deadline_ms: number, deadline_hit: boolean, cancelled: boolean, };

export type Report = { schema: string, generated_at: string, app: AppInfo, system: SystemInfo, profile: ProfileInfo, checks: Array<Finding>, diagnosis: Diagnosis, 
/**
 * The fixes made or undone after this run, in order.
 */
fixes_applied: Array<FixRecord>, run: RunInfo, 
/**
 * The Zoom error code the person said they see, if any.
 */
error_code?: string, };

export type PlannedCheck = { id: CheckId, title: string, group: Group, };

export type Overview = { app: AppInfo, system: SystemInfo, profile: ProfileInfo, checks: Array<PlannedCheck>, };

export type Format = "json" | "markdown" | "html" | "text";

export type Verdict = "first_network_blocks" | "second_network_blocks" | "same_on_both" | "different_problems" | "both_fine";

export type Change = { id: CheckId, title: string, before: Status, after: Status, 
/**
 * The summaries, so a person sees what each run said.
 */
before_summary: string, after_summary: string, };

export type RunSummary = { generated_at: string, 
/**
 * "Wi-Fi (HomeNet)", "Ethernet", … when the run knew.
 */
network: string | null, 
/**
 * Cause ids, best first (quality warnings included).
 */
causes: Array<CauseId>, };

export type Comparison = { before: RunSummary, after: RunSummary, verdict: Verdict, 
/**
 * What it means, in one short sentence.
 */
meaning: string, 
/**
 * What to do about it.
 */
advice: string, 
/**
 * Checks whose status changed, worse-to-better first.
 */
changes: Array<Change>, };

export type Risk = "low" | "medium" | "high";

export type Fix = { id: FixId, 
/**
 * Short, for a button ("Clear Zoom's temporary files").
 */
title: string, 
/**
 * Why it may help, in one plain sentence.
 */
why: string, risk: Risk, 
/**
 * The checks to run again afterwards to see whether it helped
 * (`udp.*` means every UDP port check).
 */
verify: Array<string>, };

export type PreviewStep = { title: string, 
/**
 * The command as typed, or the move, for a technician.
 */
detail: string, };

export type Preview = { fix: Fix, os: Os, 
/**
 * False when the fix cannot be done here; `reason` says why.
 */
applicable: boolean, reason: string | null, needs_admin: boolean, 
/**
 * Applying it will bring up the system's administrator prompt (it
 * needs rights this program does not have). [`Preview::of`] assumes
 * so; [`Fixer::preview`] knows.
 */
asks_password: boolean, needs_restart: boolean, side_effects: Array<string>, steps: Array<PreviewStep>, undo: string, 
/**
 * [`Plan::digest`] of the plan shown (empty when not applicable).
 * Applying takes it back: a plan that changed since is not run.
 */
digest: string, };

export type Suggestion = { preview: Preview, 
/**
 * Cause ids, most likely first.
 */
causes: Array<CauseId>, };

export type StepResult = { index: number, title: string, ok: boolean, 
/**
 * What the command said, or what moved (a line or two).
 */
detail: string, };

export type OutcomeStatus = "applied" | "failed" | "declined" | "cancelled" | "not_authorized" | "timed_out" | "not_applicable";

export type CheckChange = { id: CheckId, title: string, before: Status | null, after: Status, summary: string, };

export type Verification = { checks: Array<CheckChange>, 
/**
 * Something that failed now passes, and nothing got worse.
 */
helped: boolean, 
/**
 * Every check of the fix now passes.
 */
all_pass: boolean, };

export type Outcome = { status: OutcomeStatus, fix: string, title: string, 
/**
 * One or two plain sentences.
 */
message: string, 
/**
 * The journal entry (to undo it).
 */
entry: string | null, steps: Array<StepResult>, verification: Verification | null, };

export type FixAction = "apply" | "undo";

export type FixRecord = { action: FixAction, at: string, status: OutcomeStatus, fix: string, title: string, 
/**
 * One or two plain sentences.
 */
message: string, 
/**
 * The journal entry (to undo it).
 */
entry: string | null, steps: Array<StepResult>, verification: Verification | null, };

export type FixEvent = { "event": "waiting_for_approval", timeout_s: number, } | { "event": "step", step: StepResult, } | { "event": "verifying", checks: Array<string>, };

export type FixResult = { outcome: Outcome, 
/**
 * The entry added to the last report's `fixes_applied`: the outcome
 * with `action` ("apply" or "undo") and `at`. The UI adds the same
 * entry to its copy of the report.
 */
record: FixRecord, 
/**
 * The change is in the journal and can be undone (`outcome.entry`).
 */
can_undo: boolean, };

export type EntryState = "applied" | "failed" | "interrupted" | "undone" | "undo_failed";

export type Entry = { id: string, fix: string, title: string, at: string, state: EntryState, steps_done: number, steps_total: number, 
/**
 * Plain words for each undo step (empty: nothing to undo).
 */
undo: Array<string>, 
/**
 * Where the files it moved are kept (when it moved files).
 */
backup: string | null, message: string | null, 
/**
 * It is in the administrators' journal: undoing it needs their rights.
 */
admin: boolean, };

export type HistoryEntry = { 
/**
 * There is something to undo and it has not been undone.
 */
can_undo: boolean, id: string, fix: string, title: string, at: string, state: EntryState, steps_done: number, steps_total: number, 
/**
 * Plain words for each undo step (empty: nothing to undo).
 */
undo: Array<string>, 
/**
 * Where the files it moved are kept (when it moved files).
 */
backup: string | null, message: string | null, 
/**
 * It is in the administrators' journal: undoing it needs their rights.
 */
admin: boolean, };

export type ErrorKind = "profile" | "busy" | "save" | "fix" | "internal";

export type IpcError = { kind: ErrorKind, message: string, };
