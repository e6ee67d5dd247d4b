// The app in jsdom with a fake Backend: the screens follow the state, focus
// goes where the vanished control was, the live region speaks sparingly.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Report, RunEvent } from "../../src/bindings";
import type { Backend } from "../../src/backend";
import { createApp } from "../../src/app";
import { OVERVIEW, SCENARIOS, report, startedEvents } from "../fixtures";

interface Controlled {
  backend: Backend;
  emit(e: RunEvent): void;
  finish(r: Report): void;
  fail(e: unknown): void;
  calls: { start: (string | null)[]; cancel: number };
}

function controlled(): Controlled {
  let onEvent: (e: RunEvent) => void = () => undefined;
  let resolve: (r: Report) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const calls = { start: [] as (string | null)[], cancel: 0 };
  return {
    calls,
    backend: {
      overview: () => Promise.resolve(OVERVIEW),
      startCheck: (code, cb) => {
        calls.start.push(code);
        onEvent = cb;
        return new Promise<Report>((res, rej) => {
          resolve = res;
          reject = rej;
        });
      },
      cancelCheck: () => {
        calls.cancel += 1;
        return Promise.resolve(true);
      },
    },
    emit: (e) => {
      onEvent(e);
    },
    finish: (r) => {
      resolve(r);
    },
    fail: (e) => {
      reject(e);
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const $ = (sel: string) => document.querySelector(sel);
const button = (sel: string) => document.querySelector<HTMLButtonElement>(sel);

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement("div");
  document.body.replaceChildren(root);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("app", () => {
  it("start → running → done, focus on Cancel then on Check again", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    expect($("h1")?.textContent).toBe("Meeting Doctor");
    expect(document.activeElement).toBe(document.body); // nothing grabbed focus on load
    button("#start")?.focus();
    button("#start")?.click();
    expect($("h1")?.textContent).toBe("Checking your connection");
    expect(document.activeElement).toBe(button("#cancel"));
    expect(document.querySelectorAll(".check[data-status=pending]")).toHaveLength(OVERVIEW.checks.length);
    for (const e of startedEvents()) c.emit(e);
    c.emit({ event: "finished", finding: SCENARIOS.blocked[0] });
    expect($(".check[data-id=internet]")?.getAttribute("data-status")).toBe("pass");
    c.finish(report(SCENARIOS.blocked));
    await flush();
    expect($("[role=alert] h1")?.textContent).toBe("We found 3 problems that can stop Zoom from connecting.");
    expect(document.activeElement).toBe(button("#again"));
    expect($("#fixes")?.hasAttribute("hidden")).toBe(true);
  });

  it("keeps focus in the list when the run ends while reading it", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    button("#start")?.click();
    c.emit({ event: "finished", finding: SCENARIOS.healthy[0] });
    const details = button(".check[data-id=internet] .disclosure");
    details?.focus();
    c.finish(report(SCENARIOS.healthy));
    await flush();
    expect(document.activeElement).toBe(details);
    expect($("[role=status] h1")?.textContent).toBe("Zoom should be able to connect from here.");
  });

  it("announces the stage after 1 s and step n of m after 10 s, not every event", async () => {
    vi.useFakeTimers();
    const c = controlled();
    createApp(root, c.backend);
    await vi.advanceTimersByTimeAsync(0);
    button("#start")?.click();
    await vi.advanceTimersByTimeAsync(100);
    const live = $("#announcer");
    expect(live?.textContent).toBe("");
    await vi.advanceTimersByTimeAsync(1000);
    expect(live?.textContent).toBe("Checking your internet connection…");
    c.emit({ event: "finished", finding: SCENARIOS.healthy[1] });
    await vi.advanceTimersByTimeAsync(100);
    expect(live?.textContent).toBe("Checking your internet connection…");
    expect($(".progress")?.hasAttribute("hidden")).toBe(true);
    await vi.advanceTimersByTimeAsync(9000);
    expect($(".progress")?.hasAttribute("hidden")).toBe(false);
    expect($(".step")?.textContent).toBe(`Step 2 of ${String(OVERVIEW.checks.length)}`);
    expect(live?.textContent).toBe(`Still checking: step 2 of ${String(OVERVIEW.checks.length)}.`);
  });

  it("cancel asks the backend once and shows the stopped result", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    button("#start")?.click();
    button("#cancel")?.click();
    button("#cancel")?.click();
    await flush();
    expect(c.calls.cancel).toBe(1);
    expect(button("#cancel")?.getAttribute("aria-disabled")).toBe("true");
    c.finish(report([SCENARIOS.healthy[0]], { cancelled: true }));
    await flush();
    expect($("h1")?.textContent).toBe("The check was stopped before it finished.");
    expect(document.querySelectorAll(".check[data-status=stopped]")).toHaveLength(OVERVIEW.checks.length - 1);
  });

  it("sends only real codes; 'Another code' stays in the UI", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    const select = document.querySelector<HTMLSelectElement>("#error-code");
    if (!select) throw new Error("no select");
    select.value = "other";
    select.dispatchEvent(new Event("change"));
    button("#start")?.click();
    expect(c.calls.start).toEqual([null]);
  });

  it("shows a busy error with Try again, which runs again", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    button("#start")?.click();
    c.fail({ kind: "busy", message: "A check is already running." });
    await flush();
    expect($("[role=alert] h1")?.textContent).toBe("A check is already running.");
    expect($(".message")?.textContent).toBe("A check is already running.");
    expect(document.activeElement).toBe(button("#retry"));
    button("#retry")?.click();
    expect(c.calls.start).toHaveLength(2);
    expect(document.activeElement).toBe(button("#cancel"));
  });

  it("copies the technician text and confirms", async () => {
    const c = controlled();
    const copied: string[] = [];
    const app = createApp(root, c.backend, (t) => {
      copied.push(t);
      return Promise.resolve(true);
    });
    await flush();
    button("#start")?.click();
    c.finish(report(SCENARIOS.blocked));
    await flush();
    button("#copy")?.click();
    await new Promise((r) => setTimeout(r, 80));
    expect(copied[0]).toBe(app.technicianText());
    expect(copied[0]).toContain("PROBLEM: Secure connection to Zoom");
    expect($("#announcer")?.textContent).toBe("Copied");
    expect($(".copy-result")?.textContent).toMatch(/^Copied/);
  });

  it("a profile error on load becomes the error screen", async () => {
    const backend: Backend = {
      // Tauri rejects with the plain IpcError object, not an Error.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      overview: () => Promise.reject({ kind: "profile", message: "lab.toml:3: expected a table" }),
      startCheck: () => Promise.reject(new Error("unused")),
      cancelCheck: () => Promise.resolve(false),
    };
    createApp(root, backend);
    await flush();
    expect($("[role=alert] h1")?.textContent).toBe("Meeting Doctor can't use the settings file it was started with.");
    expect($(".message")?.textContent).toBe("lab.toml:3: expected a table");
  });
});
