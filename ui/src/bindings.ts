// Generated from the Rust types by `cargo test -p meeting-doctor-app --test bindings`
// (ts-rs). Do not edit: CI fails when this file is stale; UPDATE_BINDINGS=1 rewrites it.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;

export type Status = "pass" | "warn" | "fail" | "unknown" | "skipped";

export type Group = "Internet" | "ZoomServers" | "Dns" | "SecurityAndProxy" | "ThisComputer";

export type Finding = { 
/**
 * Stable check id (`tcp.443`, `dns.system`, …): part of the contract.
 */
id: string, 
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

export type RunEvent = { "event": "started", id: string, title: string, group: Group, } | { "event": "finished", finding: Finding, };

export type Os = "windows" | "macos" | "linux";

export type SystemInfo = { os: Os, 
/**
 * "Debian GNU/Linux 12 (bookworm)", "macOS 14.5", "Windows 11 …" when known.
 */
os_version: string | null, arch: string, };

export type AppInfo = { name: string, version: string, };

export type ProfileInfo = { name: string, source: string, };

export type Cause = { id: string, confidence: number, explanation: string, error_codes: Array<string>, evidence: Array<string>, fixes: Array<string>, steps: Array<string>, };

export type Diagnosis = { 
/**
 * Empty means healthy.
 */
causes: Array<Cause>, };

export type RunInfo = { elapsed_ms: number, deadline_ms: number, deadline_hit: boolean, cancelled: boolean, };

export type Report = { schema: string, generated_at: string, app: AppInfo, system: SystemInfo, profile: ProfileInfo, checks: Array<Finding>, diagnosis: Diagnosis, fixes_applied: Array<JsonValue>, run: RunInfo, 
/**
 * The Zoom error code the person said they see, if any.
 */
error_code?: string, };

export type PlannedCheck = { id: string, title: string, group: Group, };

export type Overview = { app: AppInfo, system: SystemInfo, profile: ProfileInfo, checks: Array<PlannedCheck>, };

export type ErrorKind = "profile" | "busy" | "internal";

export type IpcError = { kind: ErrorKind, message: string, };
