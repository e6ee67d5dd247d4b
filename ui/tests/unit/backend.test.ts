// tauriBackend over the mocked IPC: the commands, their arguments, and the
// Channel the events come back on (with Tauri's message indexes).

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { FixEvent, RunEvent } from "../../src/bindings";
import { isIpcError, tauriBackend, toIpcError } from "../../src/backend";
import {
  ENTRY_ID,
  OVERVIEW,
  PREVIEWS,
  SCENARIOS,
  comparison,
  fixResult,
  historyEntry,
  outcome,
  report,
  scenarioReport,
  startedEvents,
  suggestions,
} from "../fixtures";

interface TauriInternals {
  runCallback(id: number, data: unknown): void;
}

function channelId(arg: unknown): number {
  const s = JSON.stringify(arg);
  const m = /__CHANNEL__:(\d+)/.exec(s);
  if (!m) throw new Error(`not a channel: ${s}`);
  return Number(m[1]);
}

afterEach(() => {
  clearMocks();
});

describe("tauriBackend", () => {
  it("calls overview", async () => {
    mockIPC((cmd) => (cmd === "overview" ? OVERVIEW : null));
    await expect(tauriBackend.overview()).resolves.toEqual(OVERVIEW);
  });

  it("passes the error code and a channel; events arrive in index order even if sent out of order", async () => {
    const got: RunEvent[] = [];
    let args: Record<string, unknown> = {};
    mockIPC((cmd, payload) => {
      if (cmd !== "start_check") return null;
      args = payload as Record<string, unknown>;
      const id = channelId(args.onEvent);
      const internals = (window as unknown as { __TAURI_INTERNALS__: TauriInternals })
        .__TAURI_INTERNALS__;
      const events = startedEvents().slice(0, 3);
      // deliver index 2, then 0, then 1: the Channel reorders them
      for (const i of [2, 0, 1]) internals.runCallback(id, { index: i, message: events[i] });
      return report(SCENARIOS.healthy);
    });
    const r = await tauriBackend.startCheck("104103", (e) => got.push(e));
    expect(args.errorCode).toBe("104103");
    expect(r.checks).toHaveLength(SCENARIOS.healthy.length);
    expect(got.map((e) => (e.event === "started" ? e.id : ""))).toEqual([
      "internet",
      "captive_portal",
      "latency",
    ]);
  });

  it("rejects with the IpcError as sent", async () => {
    mockIPC(() => {
      // Tauri rejects with the plain IpcError object, not an Error.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { kind: "busy", message: "A check is already running." };
    });
    await expect(tauriBackend.startCheck(null, () => undefined)).rejects.toEqual({
      kind: "busy",
      message: "A check is already running.",
    });
  });

  it("renders and saves a report with its format and redaction", async () => {
    const seen: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      seen.push({ cmd, args });
      return cmd === "render_report"
        ? "# Meeting Doctor report\n"
        : "/home/anna/Downloads/meeting-doctor-report-20251122061900.html";
    });
    const r = scenarioReport("blocked");
    await expect(tauriBackend.renderReport(r, "markdown", true)).resolves.toBe(
      "# Meeting Doctor report\n",
    );
    await expect(tauriBackend.saveReport(r, "html", false)).resolves.toMatch(
      /Downloads\/meeting-doctor-report-\d+\.html$/,
    );
    expect(seen).toEqual([
      { cmd: "render_report", args: { report: r, format: "markdown", redact: true } },
      { cmd: "save_report", args: { report: r, format: "html", redact: false } },
    ]);
  });

  it("asks for the technician's copy with the report only: no redaction flag to get wrong", async () => {
    const seen: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      seen.push({ cmd, args });
      return "# Meeting Doctor report\n";
    });
    const r = scenarioReport("blocked");
    await expect(tauriBackend.technicianReport(r)).resolves.toBe("# Meeting Doctor report\n");
    expect(seen).toEqual([{ cmd: "technician_report", args: { report: r } }]);
  });

  it("a save error keeps its kind", async () => {
    mockIPC(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw {
        kind: "save",
        message:
          "Couldn't save the report in /home/anna/Downloads: No space left on device (os error 28)",
      };
    });
    const e: unknown = await tauriBackend
      .saveReport(scenarioReport("healthy"), "html", true)
      .catch((x: unknown) => x);
    expect(isIpcError(e)).toBe(true);
    expect(toIpcError(e).kind).toBe("save");
  });

  it("compares two reports, before and after", async () => {
    let args: unknown = null;
    const before = scenarioReport("filtered");
    const after = scenarioReport("healthy");
    mockIPC((cmd, payload) => {
      args = payload;
      return cmd === "compare_reports" ? comparison(before, after) : null;
    });
    const c = await tauriBackend.compareReports(before, after);
    expect(args).toEqual({ before, after });
    expect(c.verdict).toBe("first_network_blocks");
  });

  it("cancel returns the boolean", async () => {
    mockIPC((cmd) => cmd === "cancel_check");
    await expect(tauriBackend.cancelCheck()).resolves.toBe(true);
  });
});

describe("fixes over IPC", () => {
  it("asks by catalog id only: suggestions, preview, history, script", async () => {
    const seen: { cmd: string; args: unknown }[] = [];
    const list = suggestions(scenarioReport("dns").diagnosis.causes);
    mockIPC((cmd, args) => {
      seen.push({ cmd, args });
      switch (cmd) {
        case "fix_suggestions":
          return list;
        case "preview_fix":
          return PREVIEWS["dns.flush"];
        case "fix_history":
          return [historyEntry(PREVIEWS["firewall.allow_zoom"])];
        case "fix_script":
          return "#!/bin/sh\nresolvectl flush-caches\n";
        default:
          return null;
      }
    });
    await expect(tauriBackend.fixSuggestions()).resolves.toEqual(list);
    await expect(tauriBackend.previewFix("dns.flush")).resolves.toEqual(PREVIEWS["dns.flush"]);
    const history = await tauriBackend.fixHistory();
    expect(history[0].can_undo).toBe(true);
    await expect(tauriBackend.fixScript("dns.flush")).resolves.toMatch(/resolvectl flush-caches/);
    expect(seen.map((s) => [s.cmd, s.args])).toEqual([
      ["fix_suggestions", {}],
      ["preview_fix", { id: "dns.flush" }],
      ["fix_history", {}],
      ["fix_script", { id: "dns.flush" }],
    ]);
  });

  it("applies with the confirmation and a channel; undoes by entry id", async () => {
    const got: FixEvent[] = [];
    const seen: { cmd: string; args: Record<string, unknown> }[] = [];
    const o = outcome(PREVIEWS["firewall.allow_zoom"], "applied", SCENARIOS.blocked);
    mockIPC((cmd, payload) => {
      const args = payload as Record<string, unknown>;
      seen.push({ cmd, args });
      if (cmd === "cancel_fix") return true;
      const internals = (window as unknown as { __TAURI_INTERNALS__: TauriInternals })
        .__TAURI_INTERNALS__;
      const id = channelId(args.onEvent);
      internals.runCallback(id, {
        index: 0,
        message: { event: "waiting_for_approval", timeout_s: 120 },
      });
      internals.runCallback(id, {
        index: 1,
        message: { event: "verifying", checks: ["udp.3478"] },
      });
      return cmd === "apply_fix"
        ? fixResult(o)
        : fixResult(outcome(PREVIEWS["firewall.allow_zoom"], "applied"), "undo");
    });
    const r = await tauriBackend.applyFix(
      "firewall.allow_zoom",
      "firewall.allow_zoom",
      "d".repeat(64),
      (e) => got.push(e),
    );
    expect(r.outcome.verification?.helped).toBe(true);
    expect(seen[0].cmd).toBe("apply_fix");
    expect(seen[0].args.id).toBe("firewall.allow_zoom");
    expect(seen[0].args.confirmed).toBe("firewall.allow_zoom");
    expect(seen[0].args.digest).toBe("d".repeat(64));
    expect(got.map((e) => e.event)).toEqual(["waiting_for_approval", "verifying"]);
    await expect(tauriBackend.cancelFix()).resolves.toBe(true);
    const u = await tauriBackend.undoFix(ENTRY_ID, () => undefined);
    expect(u.record).toMatchObject({
      action: "undo",
      title: "Undo: Let Zoom through this computer's firewall",
    });
    expect(seen[2].cmd).toBe("undo_fix");
    expect(seen[2].args.entry).toBe(ENTRY_ID);
  });

  it("a fix error keeps its kind", async () => {
    mockIPC(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw {
        kind: "fix",
        message:
          'There is no fix called "rm -rf /"; only the fixes Meeting Doctor lists can be made.',
      };
    });
    const e: unknown = await tauriBackend.previewFix("rm -rf /").catch((x: unknown) => x);
    expect(isIpcError(e)).toBe(true);
    expect(toIpcError(e).kind).toBe("fix");
  });
});

describe("errors", () => {
  it("recognises IpcError and turns anything else into an internal one", () => {
    expect(isIpcError({ kind: "profile", message: "x" })).toBe(true);
    expect(isIpcError({ kind: "save", message: "x" })).toBe(true);
    expect(isIpcError({ kind: "other", message: "x" })).toBe(false);
    expect(toIpcError("boom")).toEqual({ kind: "internal", message: "boom" });
    expect(toIpcError(new Error("no ipc"))).toEqual({ kind: "internal", message: "no ipc" });
    expect(toIpcError({ a: 1 })).toEqual({ kind: "internal", message: '{"a":1}' });
  });
});
