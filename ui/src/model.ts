// The state of the app as plain data, the one function that changes it, and
// what is derived from it for the screens. No DOM, no IPC: unit-tested.

import type {
  Comparison,
  Finding,
  FixResult,
  Group,
  HistoryEntry,
  IpcError,
  Outcome,
  Overview,
  PlannedCheck,
  Report,
  RunEvent,
  Suggestion,
} from "./bindings";
import { GROUP_LABEL, GROUP_ORDER, GROUP_STAGE, groupForId, type RowStatus } from "./labels";

export interface Row {
  id: string;
  title: string;
  group: Group;
  status: RowStatus;
  finding: Finding | null;
}

/**
 * "switch": the first network's run is kept while the person joins another
 * network; "compare": the two runs side by side.
 */
export type Phase = "start" | "running" | "done" | "switch" | "compare" | "error";

/** Which call failed: the overview (retry loads it again), a run (retry runs again) or the comparison. */
export type ErrorSource = "overview" | "run" | "compare";

/** The first network's finished run, kept (in memory only) for the comparison. */
export interface Baseline {
  report: Report;
  rows: Row[];
}

/** Whether a change made a fix or undid one. */
export type FixAction = "apply" | "undo";

/** The fixes for the report on screen, and the changes made on this computer. */
export interface FixesState {
  /** The report (its generated_at) the suggestions are for. */
  forReport: string | null;
  /** The fixes for its diagnosis, in repair order; null while they load. */
  suggestions: Suggestion[] | null;
  /** Why the fixes couldn't be listed. */
  error: string | null;
  /** The changes made on this computer, newest first (kept across runs). */
  history: HistoryEntry[];
  /** How each fix went last this session, by fix id. */
  last: Partial<Record<string, { outcome: Outcome; action: FixAction }>>;
}

export interface State {
  phase: Phase;
  overview: Overview | null;
  /** The picker's value: null, a code, or OTHER_CODE. */
  errorCode: string | null;
  /** Increases with every run; events of older runs are ignored. */
  runId: number;
  rows: Row[];
  report: Report | null;
  cancelling: boolean;
  error: IpcError | null;
  errorSource: ErrorSource | null;
  /** Set while testing on another network: the first network's run. */
  baseline: Baseline | null;
  /** The two runs compared, once the backend answered. */
  comparison: Comparison | null;
  /** The check on the second network was stopped before it finished. */
  secondStopped: boolean;
  fixes: FixesState;
}

export type Action =
  | { type: "overviewLoaded"; overview: Overview }
  | { type: "failed"; error: IpcError; source: ErrorSource }
  | { type: "backToStart" }
  | { type: "chooseCode"; errorCode: string | null }
  | { type: "runStarted"; runId: number }
  | { type: "event"; runId: number; event: RunEvent }
  | { type: "cancelRequested"; runId: number }
  | { type: "runFinished"; runId: number; report: Report }
  /** Keep this run and get ready to check another network. */
  | { type: "testOtherNetwork" }
  /** Give up on the other network: back to the first network's results. */
  | { type: "keepFirstNetwork" }
  /** Ask for the comparison (again, after it failed). */
  | { type: "comparing" }
  | { type: "compared"; comparison: Comparison }
  /** The fixes for a report are being listed. */
  | { type: "fixesLoading"; forReport: string }
  | { type: "fixesLoaded"; forReport: string; suggestions: Suggestion[] }
  | { type: "fixesFailed"; forReport: string; error: string }
  | { type: "historyLoaded"; history: HistoryEntry[] }
  /** A fix (or an undo) ended: its record joins the report, so saved and copied reports include it. */
  | { type: "fixFinished"; result: FixResult; action: FixAction };

function noFixes(history: HistoryEntry[] = []): FixesState {
  return { forReport: null, suggestions: null, error: null, history, last: {} };
}

export function initialState(): State {
  return {
    phase: "start",
    overview: null,
    errorCode: null,
    runId: 0,
    rows: [],
    report: null,
    cancelling: false,
    error: null,
    errorSource: null,
    baseline: null,
    comparison: null,
    secondStopped: false,
    fixes: noFixes(),
  };
}

function pendingRow(c: PlannedCheck): Row {
  return { id: c.id, title: c.title, group: c.group, status: "pending", finding: null };
}

function withFinding(rows: Row[], f: Finding): Row[] {
  const i = rows.findIndex((r) => r.id === f.id);
  if (i < 0) {
    return [
      ...rows,
      { id: f.id, title: f.title, group: groupForId(f.id), status: f.status, finding: f },
    ];
  }
  const copy = rows.slice();
  const old = rows[i];
  copy[i] = { ...old, title: f.title || old.title, status: f.status, finding: f };
  return copy;
}

function withStarted(rows: Row[], e: { id: string; title: string; group: Group }): Row[] {
  const i = rows.findIndex((r) => r.id === e.id);
  if (i < 0)
    return [
      ...rows,
      { id: e.id, title: e.title, group: e.group, status: "pending", finding: null },
    ];
  const old = rows[i];
  if (old.finding) return rows; // already finished: a late "started" changes nothing
  const copy = rows.slice();
  copy[i] = { ...old, title: e.title, group: e.group };
  return copy;
}

export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case "overviewLoaded":
      return {
        ...state,
        overview: action.overview,
        ...(state.errorSource === "overview"
          ? { phase: "start", error: null, errorSource: null }
          : {}),
      };
    case "failed":
      return {
        ...state,
        phase: "error",
        error: action.error,
        errorSource: action.source,
        cancelling: false,
      };
    case "backToStart":
      // Start over: nothing of the old runs is kept.
      return {
        ...state,
        phase: "start",
        error: null,
        errorSource: null,
        rows: [],
        report: null,
        baseline: null,
        comparison: null,
        secondStopped: false,
        fixes: noFixes(state.fixes.history),
      };
    case "chooseCode":
      return { ...state, errorCode: action.errorCode };
    case "runStarted":
      // A new run clears the old results; the plan gives the rows at once.
      return {
        ...state,
        phase: "running",
        runId: action.runId,
        rows: (state.overview?.checks ?? []).map(pendingRow),
        report: null,
        cancelling: false,
        error: null,
        errorSource: null,
        comparison: null,
        secondStopped: false,
        fixes: noFixes(state.fixes.history),
      };
    case "event": {
      if (action.runId !== state.runId || state.phase !== "running") return state;
      const e = action.event;
      const rows =
        e.event === "started" ? withStarted(state.rows, e) : withFinding(state.rows, e.finding);
      return rows === state.rows ? state : { ...state, rows };
    }
    case "cancelRequested":
      if (action.runId !== state.runId || state.phase !== "running") return state;
      return { ...state, cancelling: true };
    case "runFinished": {
      if (action.runId !== state.runId) return state;
      let rows = state.rows;
      for (const f of action.report.checks) rows = withFinding(rows, f);
      // Whatever never finished (a cancel, the deadline) says so, never "OK".
      rows = rows.map((r) => (r.status === "pending" ? { ...r, status: "stopped" } : r));
      const finished = { ...state, rows, report: action.report, cancelling: false };
      if (!state.baseline) return { ...finished, phase: "done" };
      // The second network: a stopped run proves nothing, so ask again; a full one is compared.
      return action.report.run.cancelled
        ? { ...finished, phase: "switch", secondStopped: true }
        : { ...finished, phase: "compare", comparison: null };
    }
    case "testOtherNetwork": {
      if (state.phase !== "done" || !state.report || state.report.run.cancelled) return state;
      return {
        ...state,
        phase: "switch",
        baseline: { report: state.report, rows: state.rows },
        comparison: null,
        secondStopped: false,
      };
    }
    case "keepFirstNetwork": {
      if (state.phase !== "switch" || !state.baseline) return state;
      const { report, rows } = state.baseline;
      return {
        ...state,
        phase: "done",
        report,
        rows,
        baseline: null,
        comparison: null,
        secondStopped: false,
      };
    }
    case "comparing":
      if (!state.baseline || !state.report) return state;
      return { ...state, phase: "compare", comparison: null, error: null, errorSource: null };
    case "compared":
      if (state.phase !== "compare") return state;
      return { ...state, comparison: action.comparison };
    case "fixesLoading":
      return {
        ...state,
        fixes: {
          ...state.fixes,
          forReport: action.forReport,
          suggestions: null,
          error: null,
          last: state.fixes.forReport === action.forReport ? state.fixes.last : {},
        },
      };
    case "fixesLoaded":
      if (state.fixes.forReport !== action.forReport) return state;
      return { ...state, fixes: { ...state.fixes, suggestions: action.suggestions, error: null } };
    case "fixesFailed":
      if (state.fixes.forReport !== action.forReport) return state;
      // Fixes listed before stay; only a first listing that failed says so.
      return state.fixes.suggestions
        ? state
        : { ...state, fixes: { ...state.fixes, error: action.error } };
    case "historyLoaded":
      return { ...state, fixes: { ...state.fixes, history: action.history } };
    case "fixFinished": {
      const { result } = action;
      const last = {
        ...state.fixes.last,
        [result.outcome.fix]: { outcome: result.outcome, action: action.action },
      };
      const report = state.report
        ? { ...state.report, fixes_applied: [...state.report.fixes_applied, result.record] }
        : null;
      return { ...state, report, fixes: { ...state.fixes, last } };
    }
  }
}

export interface GroupView {
  group: Group;
  label: string;
  rows: Row[];
}

/** Rows by group, groups in display order, empty groups left out; rows keep their order. */
export function groupRows(rows: readonly Row[]): GroupView[] {
  return GROUP_ORDER.map((group) => ({
    group,
    label: GROUP_LABEL[group],
    rows: rows.filter((r) => r.group === group),
  })).filter((g) => g.rows.length > 0);
}

export type Counts = Record<RowStatus, number>;

export function countRows(rows: readonly Row[]): Counts {
  const counts: Counts = {
    pass: 0,
    warn: 0,
    fail: 0,
    unknown: 0,
    skipped: 0,
    pending: 0,
    stopped: 0,
  };
  for (const r of rows) counts[r.status] += 1;
  return counts;
}

/** Checks that measure for a few seconds (speed, delay, jitter, loss). */
const MEASUREMENTS: ReadonlySet<string> = new Set(["latency", "jitter", "loss", "bandwidth"]);

/**
 * The named stage: the first group, in display order, with a quick check
 * still running; once only the few-second measurements are left, say that.
 */
export function stageText(rows: readonly Row[]): string {
  const pending = rows.filter((r) => r.status === "pending");
  const quick = pending.filter((r) => !MEASUREMENTS.has(r.id));
  const waiting = GROUP_ORDER.find((g) => quick.some((r) => r.group === g));
  if (waiting) return GROUP_STAGE[waiting];
  if (pending.length > 0) return "Measuring the speed and quality of your connection…";
  return rows.length > 0 ? "Putting the results together…" : "Starting the checks…";
}

/** "Step n of m": n is the check being waited for (finished + 1), never past m. */
export function stepText(rows: readonly Row[]): string {
  const m = rows.length;
  if (m === 0) return "";
  const done = rows.filter((r) => r.status !== "pending").length;
  return `Step ${String(Math.min(done + 1, m))} of ${String(m)}`;
}

export function doneCount(rows: readonly Row[]): number {
  return rows.filter((r) => r.status !== "pending").length;
}

/** "35 ms", "1.2 s", "12 s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${String(Math.round(ms))} ms`;
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${String(Math.round(s))} s`;
}
