// Injected into the page before the app (Playwright addInitScript): mocks the
// Tauri IPC with `mockIPC`, so the app's real `tauriBackend` runs unchanged —
// `invoke` for the commands and a real `Channel` for the events, which the
// mock feeds the way Tauri does (runCallback with message indexes). Reports
// carry the diagnosis the engine gives each scenario; render_report,
// save_report and compare_reports answer from the config.

/* Tauri rejects commands with plain IpcError objects, so the mock throws them. */
/* eslint-disable @typescript-eslint/only-throw-error */

import { mockIPC } from "@tauri-apps/api/mocks";
import type { Finding, Format, IpcError, Report, RunEvent } from "../../src/bindings";
import { OVERVIEW, PLAN, SCENARIOS, SCENARIO_CAUSES, comparison, diagnosis, report, startedEvents, type ScenarioName } from "../fixtures";

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
  /** What render_report answers; by default a short Markdown report made from the report. */
  markdown?: string;
  /** render_report rejects with this. */
  renderError?: IpcError;
  /** Where save_report says it saved. */
  savePath?: string;
  /** save_report rejects with this. */
  saveError?: IpcError;
  /** The network names the comparison reports for the first and second run. */
  networks?: [string | null, string | null];
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
    const r = report(checks, { cancelled: run.cancelled }, diagnosis(run.cancelled ? [] : SCENARIO_CAUSES[scenario], code));
    r.generated_at = generatedAt;
    if (code !== null) r.error_code = code;
    return wire(r);
  } finally {
    running = null;
  }
}

/** A stand-in for the engine's Markdown report. */
function markdownOf(r: Report, format: Format, redact: boolean): string {
  const lines = [`# Meeting Doctor report (${format}${redact ? ", names and addresses removed" : ""})`, "", `**${r.diagnosis.headline}**`, "", `- Time: ${r.generated_at}`];
  for (const c of r.diagnosis.causes) lines.push(`- Cause: ${c.id} — ${c.summary}`);
  for (const f of r.checks) lines.push(`- ${f.status.toUpperCase()} ${f.id}: ${f.summary}`);
  return lines.join("\n") + "\n";
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
      const { report: r, format, redact } = args as { report: Report; format: Format; redact: boolean };
      return config.markdown ?? markdownOf(r, format, redact);
    }
    case "save_report": {
      await wait(20);
      if (config.saveError) throw wire(config.saveError);
      const { report: r, format } = args as { report: Report; format: Format };
      const stamp = r.generated_at.replace(/\D/g, "").slice(0, 14);
      return config.savePath ?? `/home/anna/Downloads/meeting-doctor-report-${stamp}.${format === "markdown" ? "md" : format}`;
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
    default:
      throw wire<IpcError>({ kind: "internal", message: `unknown command ${cmd}` });
  }
});
