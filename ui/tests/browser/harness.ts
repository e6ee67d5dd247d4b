// Injected into the page before the app (Playwright addInitScript): mocks the
// Tauri IPC with `mockIPC`, so the app's real `tauriBackend` runs unchanged —
// `invoke` for the commands and a real `Channel` for the events, which the
// mock feeds the way Tauri does (runCallback with message indexes). Reports
// carry the diagnosis the engine gives each scenario; render_report,
// technician_report, save_report and compare_reports answer from the config. The fix commands
// answer from the engine's previews for Anna's Linux laptop (tests/fixtures.ts):
// apply_fix streams the administrator wait, steps and the re-check over its
// channel, keeps a history that undo_fix and fix_history read.

/* Tauri rejects commands with plain IpcError objects, so the mock throws them. */
/* eslint-disable @typescript-eslint/only-throw-error */

import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  Finding,
  FixEvent,
  FixResult,
  Format,
  HistoryEntry,
  IpcError,
  OutcomeStatus,
  Report,
  RunEvent,
} from "../../src/bindings";
import {
  OVERVIEW,
  PLAN,
  PREVIEWS,
  SCENARIOS,
  SCENARIO_CAUSES,
  comparison,
  diagnosis,
  fixResult,
  historyEntry,
  outcome,
  report,
  startedEvents,
  stepResults,
  suggestions,
  type ScenarioName,
} from "../fixtures";

export interface MockConfig {
  scenario: ScenarioName;
  /** Delay before each finished event. */
  stepMs: number;
  /** Finish this many checks, then wait (until cancelled). */
  holdAfter?: number;
  /** How many runs holdAfter applies to (default: all); later runs finish. */
  holdRuns?: number;
  overviewError?: IpcError;
  /** start_check rejects with this the first time, then works. */
  startErrorOnce?: IpcError;
  /** The scenario of each run in turn (run n uses runs[n-1]); `scenario` after that. */
  runs?: ScenarioName[];
  /** What render_report and technician_report answer; by default a short Markdown report made from the report. */
  markdown?: string;
  /** render_report and technician_report reject with this. */
  renderError?: IpcError;
  /** Where save_report says it saved. */
  savePath?: string;
  /** save_report rejects with this. */
  saveError?: IpcError;
  /** The network names the comparison reports for the first and second run. */
  networks?: [string | null, string | null];
  /** How apply_fix ends (default: applied, and what failed passes). */
  fixStatus?: OutcomeStatus;
  /** How long the administrator password prompt takes to be answered (ms). */
  approvalMs?: number;
  /** Delay before each step and before the re-check ends (ms). */
  fixStepMs?: number;
  /** The history at the start. */
  history?: HistoryEntry[];
}

interface Internals {
  runCallback(id: number, data: unknown): void;
}

declare global {
  interface Window {
    __MD_MOCK__?: MockConfig;
    __mdCalls: { cmd: string; args: unknown }[];
  }
}

const config: MockConfig = window.__MD_MOCK__ ?? { scenario: "healthy", stepMs: 50 };
window.__mdCalls = [];

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** What crosses IPC is JSON. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A fixed shuffle, so results land out of plan order. */
function mixed<T>(items: readonly T[]): T[] {
  const odd = items.filter((_, i) => i % 2 === 1);
  const even = items.filter((_, i) => i % 2 === 0).reverse();
  return [...odd, ...even];
}

let running: { cancel(): void } | null = null;
let lastReport: Report | null = null;
let history: HistoryEntry[] = config.history ?? [];
let fixing: { cancelled: boolean; wake(): void } | null = null;
let startErrorUsed = false;
let runs = 0;

async function startCheck(args: Record<string, unknown>): Promise<Report> {
  if (running) throw wire<IpcError>({ kind: "busy", message: "A check is already running." });
  if (config.startErrorOnce && !startErrorUsed) {
    startErrorUsed = true;
    throw wire(config.startErrorOnce);
  }
  const channel = /__CHANNEL__:(\d+)/.exec(JSON.stringify(args.onEvent));
  if (!channel) throw wire<IpcError>({ kind: "internal", message: "no channel" });
  const id = Number(channel[1]);
  runs += 1;
  const hold = runs <= (config.holdRuns ?? Infinity) ? config.holdAfter : undefined;
  const scenario = config.runs?.[runs - 1] ?? config.scenario;
  const code = typeof args.errorCode === "string" ? args.errorCode : null;
  const generatedAt = `2025-11-22T06:${String(18 + runs).padStart(2, "0")}:00Z`;
  const internals = (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
  let index = 0;
  const send = (message: RunEvent) => {
    internals.runCallback(id, wire({ index: index++, message }));
  };

  const run = { cancelled: false };
  let wake: () => void = () => undefined;
  running = {
    cancel: () => {
      run.cancelled = true;
      wake();
    },
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const finished: Finding[] = [];
  try {
    await wait(10);
    for (const e of startedEvents(PLAN)) send(e);
    const all = mixed(SCENARIOS[scenario]);
    const limit = hold ?? all.length;
    for (const f of all.slice(0, limit)) {
      await sleep(config.stepMs);
      if (run.cancelled) break;
      send({ event: "finished", finding: f });
      finished.push(f);
    }
    while (!run.cancelled && finished.length < all.length) await sleep(60_000);
    internals.runCallback(id, { index, end: true });
    const checks = run.cancelled ? finished : SCENARIOS[scenario];
    const r = report(
      checks,
      { cancelled: run.cancelled },
      diagnosis(run.cancelled ? [] : SCENARIO_CAUSES[scenario], code),
    );
    r.generated_at = generatedAt;
    if (code !== null) r.error_code = code;
    if (!run.cancelled) lastReport = r;
    return wire(r);
  } finally {
    running = null;
  }
}

/** A stand-in for the engine's Markdown report. */
function markdownOf(r: Report, format: Format, redact: boolean): string {
  const lines = [
    `# Meeting Doctor report (${format}${redact ? ", names and addresses removed" : ""})`,
    "",
    `**${r.diagnosis.headline}**`,
    "",
    `- Time: ${r.generated_at}`,
  ];
  for (const c of r.diagnosis.causes) lines.push(`- Cause: ${c.id} — ${c.summary}`);
  for (const f of r.checks) lines.push(`- ${f.status.toUpperCase()} ${f.id}: ${f.summary}`);
  return lines.join("\n") + "\n";
}

function channelOf(args: Record<string, unknown>): (e: FixEvent) => void {
  const channel = /__CHANNEL__:(\d+)/.exec(JSON.stringify(args.onEvent));
  if (!channel) throw wire<IpcError>({ kind: "internal", message: "no channel" });
  const id = Number(channel[1]);
  const internals = (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
  let index = 0;
  return (message) => {
    internals.runCallback(id, wire({ index: index++, message }));
  };
}

/** A pause that cancel_fix cuts short. */
function fixSleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    if (fixing)
      fixing.wake = () => {
        clearTimeout(t);
        resolve();
      };
  });
}

const fixError = (message: string) => wire<IpcError>({ kind: "fix", message });

async function applyFix(args: Record<string, unknown>): Promise<FixResult> {
  const id = String(args.id);
  const preview = PREVIEWS[id] as (typeof PREVIEWS)[string] | undefined;
  if (!preview)
    throw fixError(
      `There is no fix called "${id}"; only the fixes Meeting Doctor lists can be made.`,
    );
  if (args.confirmed !== id)
    throw fixError(`${preview.fix.title} was not confirmed, so nothing was changed`);
  const send = channelOf(args);
  const step = config.fixStepMs ?? 120;
  fixing = { cancelled: false, wake: () => undefined };
  const me = fixing;
  try {
    await wait(10);
    if (preview.asks_password) {
      send({ event: "waiting_for_approval", timeout_s: 120 });
      await fixSleep(config.approvalMs ?? 400);
      if (me.cancelled) return wire(fixResult(outcome(preview, "cancelled")));
    }
    const status = config.fixStatus ?? "applied";
    if (status !== "applied" && status !== "failed")
      return wire(fixResult(outcome(preview, status)));
    const o = outcome(preview, status, lastReport?.checks ?? [], {
      entry: `20251122062500-${id}-3f2a`,
    });
    // A fix made with administrator rights reports its steps at the end.
    if (!preview.asks_password) {
      for (const s of stepResults(preview, status === "failed" ? preview.steps.length - 1 : null)) {
        await wait(step);
        send({ event: "step", step: s });
      }
    }
    if (status === "applied") {
      send({ event: "verifying", checks: o.verification?.checks.map((c) => c.id) ?? [] });
      await wait(step * 2);
    }
    const entry = historyEntry(preview, status, o.entry ?? undefined);
    history = [entry, ...history];
    const result = fixResult(o, "apply", entry.can_undo);
    lastReport?.fixes_applied.push(result.record);
    return wire(result);
  } finally {
    fixing = null;
  }
}

async function undoFix(args: Record<string, unknown>): Promise<FixResult> {
  const entry = history.find((e) => e.id === args.entry);
  if (!entry) throw fixError(`There is no change "${String(args.entry)}" in the history.`);
  const send = channelOf(args);
  const preview = PREVIEWS[entry.fix];
  await wait(10);
  if (entry.admin) {
    send({ event: "waiting_for_approval", timeout_s: 120 });
    await wait(config.approvalMs ?? 400);
  }
  history = history.map((e) =>
    e.id === entry.id ? { ...e, state: "undone", can_undo: false } : e,
  );
  const result = fixResult(
    { ...outcome(preview, "applied", [], { entry: entry.id }), steps: [], verification: null },
    "undo",
    false,
  );
  lastReport?.fixes_applied.push(result.record);
  return wire(result);
}

mockIPC(async (cmd, args) => {
  window.__mdCalls.push({ cmd, args: wire(args ?? {}) });
  switch (cmd) {
    case "overview":
      await wait(5);
      if (config.overviewError) throw wire(config.overviewError);
      return wire(OVERVIEW);
    case "start_check":
      return startCheck(args as Record<string, unknown>);
    case "render_report": {
      await wait(5);
      if (config.renderError) throw wire(config.renderError);
      const {
        report: r,
        format,
        redact,
      } = args as { report: Report; format: Format; redact: boolean };
      return config.markdown ?? markdownOf(r, format, redact);
    }
    case "technician_report": {
      await wait(5);
      if (config.renderError) throw wire(config.renderError);
      const { report: r } = args as { report: Report };
      return config.markdown ?? markdownOf(r, "markdown", true);
    }
    case "save_report": {
      await wait(20);
      if (config.saveError) throw wire(config.saveError);
      const { report: r, format } = args as { report: Report; format: Format };
      const stamp = r.generated_at.replace(/\D/g, "").slice(0, 14);
      return (
        config.savePath ??
        `/home/anna/Downloads/meeting-doctor-report-${stamp}.${format === "markdown" ? "md" : format}`
      );
    }
    case "compare_reports": {
      await wait(5);
      const { before, after } = args as { before: Report; after: Report };
      return wire(comparison(before, after, config.networks));
    }
    case "cancel_check": {
      const r = running;
      r?.cancel();
      return r !== null;
    }
    case "fix_suggestions":
      await wait(30);
      return wire(lastReport ? suggestions(lastReport.diagnosis.causes) : []);
    case "preview_fix": {
      await wait(5);
      const id = String((args as Record<string, unknown>).id);
      if (!(id in PREVIEWS)) throw fixError(`There is no fix called "${id}".`);
      return wire(PREVIEWS[id]);
    }
    case "apply_fix":
      return applyFix(args as Record<string, unknown>);
    case "undo_fix":
      return undoFix(args as Record<string, unknown>);
    case "cancel_fix": {
      const f = fixing;
      if (f) {
        f.cancelled = true;
        f.wake();
      }
      return f !== null;
    }
    case "fix_history":
      await wait(5);
      return wire(history);
    case "fix_script": {
      await wait(5);
      const id = String((args as Record<string, unknown>).id);
      const p = PREVIEWS[id];
      return [
        "#!/bin/sh",
        `# Meeting Doctor: ${p.fix.title}. Run as root (sudo sh this-file).`,
        "set -e",
        ...p.steps.map((s) => s.detail),
        "",
      ].join("\n");
    }
    default:
      throw wire<IpcError>({ kind: "internal", message: `unknown command ${cmd}` });
  }
});
