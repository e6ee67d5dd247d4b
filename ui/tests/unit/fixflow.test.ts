// The fix flow in jsdom with a fake Backend: "Fix it" buttons under their
// causes, the confirmation dialog (modal, keyboard, focus back), progress
// with the administrator wait, the result before → after, Undo, history.

import { beforeEach, describe, expect, it } from "vitest";
import type {
  FixEvent,
  FixResult,
  HistoryEntry,
  Preview,
  Report,
  Suggestion,
} from "../../src/bindings";
import type { Backend } from "../../src/backend";
import { createApp, type App } from "../../src/app";
import {
  ENTRY_ID,
  OVERVIEW,
  PREVIEWS,
  SCENARIOS,
  fixResult,
  historyEntry,
  outcome,
  scenarioReport,
  suggestions,
} from "../fixtures";

interface Pending<T> {
  resolve(v: T): void;
  reject(e: unknown): void;
}

interface Fake {
  backend: Backend;
  calls: { cmd: string; args: unknown[] }[];
  /** What fix_suggestions and fix_history answer. */
  answers: {
    suggestions: Suggestion[];
    history: HistoryEntry[];
    preview: Record<string, Preview | { kind: string; message: string }>;
  };
  /** The running apply or undo: its events and its end. */
  running: { onEvent: (e: FixEvent) => void; end: Pending<FixResult> } | null;
  finishCheck(r: Report): void;
}

function fake(): Fake {
  let finishCheck: (r: Report) => void = () => undefined;
  const f: Fake = {
    calls: [],
    answers: { suggestions: [], history: [], preview: { ...PREVIEWS } },
    running: null,
    finishCheck: (r) => {
      finishCheck(r);
    },
    backend: {
      overview: () => Promise.resolve(OVERVIEW),
      startCheck: () =>
        new Promise<Report>((res) => {
          finishCheck = res;
        }),
      cancelCheck: () => Promise.resolve(true),
      renderReport: () => Promise.resolve("# report\n"),
      technicianReport: () => Promise.resolve("# report\n"),
      saveReport: () => Promise.resolve("/tmp/r.html"),
      compareReports: () => Promise.reject(new Error("unused")),
      fixSuggestions: () => {
        f.calls.push({ cmd: "fix_suggestions", args: [] });
        return Promise.resolve(f.answers.suggestions);
      },
      previewFix: (id) => {
        f.calls.push({ cmd: "preview_fix", args: [id] });
        const p = f.answers.preview[id];
        // Tauri rejects with the plain IpcError object.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        return "fix" in p ? Promise.resolve(p) : Promise.reject(p);
      },
      applyFix: (id, confirmed, digest, onEvent) => {
        f.calls.push({ cmd: "apply_fix", args: [id, confirmed, digest] });
        return new Promise<FixResult>((resolve, reject) => {
          f.running = { onEvent, end: { resolve, reject } };
        });
      },
      cancelFix: () => {
        f.calls.push({ cmd: "cancel_fix", args: [] });
        return Promise.resolve(true);
      },
      undoFix: (entry, onEvent) => {
        f.calls.push({ cmd: "undo_fix", args: [entry] });
        return new Promise<FixResult>((resolve, reject) => {
          f.running = { onEvent, end: { resolve, reject } };
        });
      },
      fixHistory: () => {
        f.calls.push({ cmd: "fix_history", args: [] });
        return Promise.resolve(f.answers.history);
      },
      fixScript: (id) => {
        f.calls.push({ cmd: "fix_script", args: [id] });
        return Promise.resolve(
          `#!/bin/sh\n# ${id}\nufw allow out proto tcp to any port 443,8801:8802 comment meeting-doctor-zoom\n`,
        );
      },
    },
  };
  return f;
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const $ = (sel: string) => document.querySelector<HTMLElement>(sel);
const $$ = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];
const called = (f: Fake, cmd: string) => f.calls.filter((c) => c.cmd === cmd);
const key = (k: string, shift = false) => {
  (document.activeElement ?? document.body).dispatchEvent(
    new KeyboardEvent("keydown", { key: k, shiftKey: shift, bubbles: true, cancelable: true }),
  );
};

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement("div");
  document.body.replaceChildren(root);
});

/** The app on the Done screen of `scenario`, its fixes listed. */
async function doneWith(
  scenario: "blocked" | "dns" | "offline" | "healthy",
  copy?: (t: string) => Promise<boolean>,
): Promise<{ f: Fake; app: App }> {
  const f = fake();
  const r = scenarioReport(scenario);
  f.answers.suggestions = suggestions(r.diagnosis.causes);
  const app = createApp(root, f.backend, copy);
  await flush();
  $("#start")?.click();
  f.finishCheck(r);
  await flush();
  await flush();
  return { f, app };
}

describe("fixes on the Done screen", () => {
  it("shows applicable fixes as Fix it buttons under their cause; the others quietly, with the reason", async () => {
    const { f } = await doneWith("dns");
    expect(called(f, "fix_suggestions")).toHaveLength(1);
    expect(called(f, "fix_history")).toHaveLength(1);
    const block = $(".top-cause .cause-fixes");
    expect(block?.querySelector("h3")?.textContent).toBe("Meeting Doctor can try a fix");
    const buttons = $$(".top-cause .fix-it");
    expect(buttons.map((b) => b.dataset.fix)).toEqual(["dns.flush"]);
    expect(buttons[0].textContent).toBe(
      "Fix it: Clear the list of remembered addresses (DNS cache)",
    );
    expect(buttons[0].querySelector(".shield")).not.toBeNull();
    expect(block?.querySelector(".fix-admin")?.textContent).toBe(
      "Asks for an administrator password",
    );
    // Not possible here: no button, the reason under Details.
    expect($(".fix-it[data-fix='dns.use_public']")).toBeNull();
    const why = block?.querySelector("details.fixes-unavailable");
    expect(why?.querySelector("summary")?.textContent).toBe(
      "Details: 1 more fix isn't possible here",
    );
    expect(why?.querySelector("li")?.textContent).toBe(
      "Use public DNS servers: The network connection in use is not known.",
    );
    // The history is empty: its section stays hidden.
    expect($("#fixes")?.hidden).toBe(true);
  });

  it("a cause whose only fix can't be made here says so without a button", async () => {
    await doneWith("offline");
    expect($$(".fix-it")).toHaveLength(0);
    expect($(".cause-fixes summary")?.textContent).toBe(
      "Details: why Meeting Doctor can't fix this here",
    );
  });

  it("a run without fixes asks for none", async () => {
    const { f } = await doneWith("healthy");
    expect(called(f, "fix_suggestions")).toHaveLength(0);
    expect($$(".cause-fixes")).toHaveLength(0);
  });
});

describe("the fix dialog", () => {
  it("asks first: names the fix, lists the steps, Cancel and Esc change nothing and give focus back", async () => {
    const { f } = await doneWith("blocked");
    const others = $(".others details.cause");
    others?.setAttribute("open", "");
    const fixIt = $(".others .fix-it[data-fix='firewall.allow_zoom']");
    fixIt?.focus();
    fixIt?.click();
    const dialog = $("[role=dialog]");
    expect(dialog?.getAttribute("aria-modal")).toBe("true");
    expect(
      document.getElementById(dialog?.getAttribute("aria-labelledby") ?? "")?.textContent,
    ).toBe("Let Zoom through this computer's firewall");
    expect(document.activeElement).toBe($("#fix-dialog-title"));
    expect($("main")?.hasAttribute("inert")).toBe(true);
    await flush();
    expect(called(f, "preview_fix")[0].args).toEqual(["firewall.allow_zoom"]);
    expect(
      document.getElementById(dialog?.getAttribute("aria-describedby") ?? "")?.textContent,
    ).toBe("The firewall on this computer blocks the ports Zoom needs.");
    expect($$(".fix-steps li").map((l) => l.textContent)).toEqual([
      "Let Zoom's connections out through the firewall",
      "Let Zoom's sound and video out through the firewall",
    ]);
    expect($(".dialog .fix-admin")?.textContent).toBe(
      "Your computer will ask for an administrator password.",
    );
    expect($(".fix-undo")?.textContent).toMatch(/^Undo removes the rules/);
    expect($(".fix-effects")?.textContent).toBe(
      "The firewall stays on; only Zoom's traffic is let through.",
    );
    expect($$(".fix-commands code").map((c) => c.textContent)).toHaveLength(2);
    expect($(".fix-details")?.hasAttribute("open")).toBe(false);
    const confirm = $("#fix-confirm");
    expect(confirm?.textContent).toBe("Let Zoom through this computer's firewall");
    expect(confirm?.querySelector(".shield")).not.toBeNull();
    expect($$(".dialog button").map((b) => b.textContent)).not.toContain("OK");

    $("#fix-cancel")?.click();
    expect($("[role=dialog]")).toBeNull();
    expect($("main")?.hasAttribute("inert")).toBe(false);
    expect(document.activeElement).toBe(fixIt);
    expect(called(f, "apply_fix")).toHaveLength(0);

    fixIt?.click();
    await flush();
    key("Escape");
    expect($("[role=dialog]")).toBeNull();
    expect(document.activeElement).toBe(fixIt);
    expect(called(f, "apply_fix")).toHaveLength(0);
  });

  it("keeps Tab inside the dialog", async () => {
    await doneWith("dns");
    $(".fix-it")?.click();
    await flush();
    const confirm = $("#fix-confirm");
    confirm?.focus();
    key("Tab");
    expect(document.activeElement?.tagName).toBe("SUMMARY"); // wraps to the first: Show details
    key("Tab", true);
    expect(document.activeElement).toBe(confirm);
  });

  it("confirm → waits for the password (Cancel stops waiting) → steps → checking → before → after → Undo", async () => {
    const copied: string[] = [];
    const { f, app } = await doneWith("blocked", (t) => {
      copied.push(t);
      return Promise.resolve(true);
    });
    $(".others details.cause")?.setAttribute("open", "");
    $(".fix-it")?.click();
    await flush();
    $("#fix-confirm")?.click();
    // The yes names the fix, and the digest of the plan shown goes with it.
    expect(called(f, "apply_fix")[0].args).toEqual([
      "firewall.allow_zoom",
      "firewall.allow_zoom",
      PREVIEWS["firewall.allow_zoom"].digest,
    ]);
    expect(document.activeElement).toBe($("#fix-dialog-title"));
    expect($(".fix-status")?.textContent).toBe("Working on it…");
    expect($$(".fix-step").map((s) => s.dataset.state)).toEqual(["running", "waiting"]);
    const run = f.running;
    if (!run) throw new Error("not running");

    run.onEvent({ event: "waiting_for_approval", timeout_s: 120 });
    expect($(".fix-status")?.hidden).toBe(true); // the box says it
    expect($(".approval-title")?.textContent).toBe("Waiting for administrator approval");
    expect($(".fix-approval")?.hidden).toBe(false);
    expect($(".approval-limit")?.textContent).toBe("Meeting Doctor waits up to 2 minutes for it.");
    expect($$(".fix-step").map((s) => s.dataset.state)).toEqual(["waiting", "waiting"]);
    await new Promise((r) => setTimeout(r, 80));
    expect($("#fix-dialog-live")?.textContent).toMatch(/^Waiting for administrator approval/);
    // Esc while waiting is the same as Cancel: stop waiting, once.
    key("Escape");
    $("#fix-stop")?.click();
    expect(called(f, "cancel_fix")).toHaveLength(1);
    expect($("#fix-stop")?.textContent).toBe("Stopping…");
    expect($("[role=dialog]")).not.toBeNull();

    // (The person typed the password after all.)
    const o = outcome(PREVIEWS["firewall.allow_zoom"], "applied", SCENARIOS.blocked);
    run.onEvent({
      event: "verifying",
      checks: ["tcp.443", "tcp.8801", "tcp.8802", "udp.3478", "udp.3479"],
    });
    expect($(".fix-status")?.textContent).toBe("Done. Checking whether it helped…");
    expect($(".fix-status")?.hidden).toBe(false);
    key("Escape"); // nothing to stop now
    expect($("[role=dialog]")).not.toBeNull();
    const result = fixResult(o);
    f.answers.history = [historyEntry(PREVIEWS["firewall.allow_zoom"])];
    run.end.resolve(result);
    await flush();
    await flush();
    expect($(".fix-result-headline")?.textContent).toBe(
      "Done, and it worked: what failed before passes now.",
    );
    expect($(".fix-result")?.getAttribute("role")).toBeNull();
    // What changed leads; what stayed the same is one click below.
    expect($$(".fix-changes:not(.fix-unchanged *) .fix-change").map((c) => c.textContent)).toEqual([
      "Zoom connection (port 8801): Problem →  now OKZoom's servers answer on port 8801.",
      "Zoom audio and video (port 3478): Problem →  now OKAudio and video can get through on port 3478.",
    ]);
    expect($(".fix-unchanged summary")?.textContent).toBe("3 other checks stayed the same");
    expect($$(".fix-step").map((s) => s.dataset.state)).toEqual(["done", "done"]);
    expect(document.activeElement).toBe($("#fix-close"));
    // The report on screen (saved, copied) now includes it.
    expect(app.state.report?.fixes_applied).toEqual([result.record]);
    expect($(".fix[data-fix='firewall.allow_zoom'] .fix-last")?.textContent).toBe(
      "Last try: Done, and it worked: what failed before passes now.",
    );
    expect(called(f, "fix_history").length).toBeGreaterThanOrEqual(2);
    expect($("#fixes")?.hidden).toBe(false);
    expect($(".history-title")?.textContent).toBe("Let Zoom through this computer's firewall");

    $("#fix-undo")?.click();
    expect(called(f, "undo_fix")[0].args).toEqual([ENTRY_ID]);
    expect($("#fix-dialog-title")?.textContent).toBe(
      "Undo: Let Zoom through this computer's firewall",
    );
    expect($$(".fix-step .step-text").map((s) => s.textContent)).toEqual([
      "Remove the TCP rule Meeting Doctor added",
      "Remove the UDP rule Meeting Doctor added",
    ]);
    f.answers.history = [historyEntry(PREVIEWS["firewall.allow_zoom"], "undone")];
    f.running?.end.resolve(fixResult(outcome(PREVIEWS["firewall.allow_zoom"], "applied"), "undo"));
    await flush();
    await flush();
    expect($(".fix-result-headline")?.textContent).toBe(
      "Undone. What this fix changed is back as it was.",
    );
    expect($("#fix-undo")).toBeNull();
    expect(app.state.report?.fixes_applied).toHaveLength(2);
    $("#fix-close")?.click();
    expect($("[role=dialog]")).toBeNull();
    // The button that opened it was re-rendered: focus goes to the same fix's button.
    expect(document.activeElement?.getAttribute("data-fix")).toBe("firewall.allow_zoom");
    expect($(".history-when")?.textContent).toMatch(/^Undone, /);
    expect($(".history .undo")).toBeNull();
    expect(copied).toEqual([]);
  });

  it("a no at the administrator prompt: a clear message and the script for the help desk", async () => {
    const copied: string[] = [];
    const { f } = await doneWith("dns", (t) => {
      copied.push(t);
      return Promise.resolve(true);
    });
    $(".fix-it")?.click();
    await flush();
    $("#fix-confirm")?.click();
    f.running?.onEvent({ event: "waiting_for_approval", timeout_s: 120 });
    f.running?.end.resolve(fixResult(outcome(PREVIEWS["dns.flush"], "declined")));
    await flush();
    await flush();
    expect($(".fix-result-headline")?.textContent).toBe(
      "Nothing was changed: the administrator password wasn't given.",
    );
    expect($(".fix-next")?.textContent).toMatch(/ask your help desk to make this change/);
    expect($("#fix-undo")).toBeNull();
    expect($$(".fix-change")).toHaveLength(0);
    expect(called(f, "fix_script")[0].args).toEqual(["dns.flush"]);
    $("#copy-script")?.click();
    await flush();
    await flush();
    expect(copied[0]).toMatch(/^#!\/bin\/sh/);
    expect($("#script-result")?.textContent).toMatch(
      /^Copied\. Paste it into an administrator shell/,
    );
  });

  it("a failed step is an alert, with Undo for what was done", async () => {
    const { f } = await doneWith("blocked");
    $(".others details.cause")?.setAttribute("open", "");
    $(".fix-it")?.click();
    await flush();
    $("#fix-confirm")?.click();
    const o = outcome(PREVIEWS["firewall.allow_zoom"], "failed");
    for (const s of o.steps) f.running?.onEvent({ event: "step", step: s });
    expect($$(".fix-step").map((s) => s.dataset.state)).toEqual(["done", "failed"]);
    f.running?.end.resolve(fixResult(o));
    await flush();
    expect($(".fix-result")?.getAttribute("role")).toBe("alert");
    expect($(".fix-result-headline")?.textContent).toBe("The fix didn't work.");
    expect($(".fix-result-detail")?.textContent).toMatch(/did not work: ERROR/);
    expect($("#fix-undo")).not.toBeNull();
  });

  it("an error from the backend is shown in the dialog, not as a dead end", async () => {
    const { f } = await doneWith("dns");
    f.answers.preview["dns.flush"] = {
      kind: "fix",
      message:
        "cannot read the journal /root/.local/share/meeting-doctor/journal.jsonl: Permission denied",
    };
    $(".fix-it")?.click();
    await flush();
    expect($("[role=dialog] [role=alert]")?.textContent).toBe("The change couldn't be made.");
    expect($(".dialog .message")?.textContent).toMatch(/Permission denied/);
    expect(document.activeElement).toBe($("#fix-close"));
  });

  it("Undo in the history undoes that change by its entry id", async () => {
    const f = fake();
    f.answers.history = [
      historyEntry(PREVIEWS["firewall.allow_zoom"]),
      historyEntry(PREVIEWS["dns.flush"], "applied", "20251122062000-dns.flush-0001"),
    ];
    createApp(root, f.backend);
    await flush();
    $("#start")?.click();
    f.finishCheck(scenarioReport("healthy"));
    await flush();
    await flush();
    expect($("#fixes")?.hidden).toBe(false);
    expect($("#history-heading")?.textContent).toBe("Changes made");
    // Only the change with something to undo has a button.
    const undo = $$(".history .undo");
    expect(undo.map((b) => b.textContent)).toEqual([
      "Undo: Let Zoom through this computer's firewall",
    ]);
    undo[0].click();
    expect(called(f, "undo_fix")[0].args).toEqual([ENTRY_ID]);
    expect($("[role=dialog]")).not.toBeNull();
  });
});
