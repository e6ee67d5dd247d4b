// The words of fixes: which are buttons, what the confirmation says, how
// steps stand, what a result means, and how the state keeps them.

import { describe, expect, it } from "vitest";
import {
  changeText,
  confirmText,
  splitChanges,
  waitText,
  fixesForCause,
  historyText,
  lastTryText,
  resultText,
  stepStates,
  verifies,
  whenText,
} from "../../src/fixes";
import { initialState, reduce, type State } from "../../src/model";
import {
  CAUSES,
  PREVIEWS,
  SCENARIOS,
  fixResult,
  historyEntry,
  outcome,
  scenarioReport,
  stepResults,
  suggestions,
  titleOf,
} from "../fixtures";

const FIREWALL = PREVIEWS["firewall.allow_zoom"];
const FLUSH = PREVIEWS["dns.flush"];
const titles = new Map(SCENARIOS.blocked.map((f) => [f.id, titleOf(f.id)]));

describe("which fixes a cause offers", () => {
  it("keeps repair order, makes only applicable fixes buttons, and keeps the reason of the others", () => {
    const all = suggestions([CAUSES.dns_failure, CAUSES.offline]);
    const dns = fixesForCause(all, "dns_failure");
    expect(dns.available.map((s) => s.preview.fix.id)).toEqual(["dns.flush"]);
    expect(dns.unavailable.map((s) => [s.preview.fix.id, s.preview.reason])).toEqual([
      ["dns.use_public", "The network connection in use is not known."],
    ]);
    const offline = fixesForCause(all, "offline");
    expect(offline.available).toEqual([]);
    expect(offline.unavailable.map((s) => s.preview.fix.id)).toEqual(["network.stack_reset"]);
    expect(fixesForCause(all, "tls_interception")).toEqual({ available: [], unavailable: [] });
  });

  it("shows a fix under every cause it addresses", () => {
    const all = suggestions([
      CAUSES.tls_interception,
      CAUSES.signaling_ports_blocked,
      CAUSES.udp_blocked,
    ]);
    expect(all).toHaveLength(1);
    expect(all[0].causes).toEqual(["signaling_ports_blocked", "udp_blocked"]);
    expect(fixesForCause(all, "udp_blocked").available[0].preview.fix.id).toBe(
      "firewall.allow_zoom",
    );
  });

  it("matches check ids the way the engine does", () => {
    expect(verifies(["firewall", "tcp.*", "udp.*"], "udp.3478")).toBe(true);
    expect(verifies(["firewall", "tcp.*", "udp.*"], "firewall")).toBe(true);
    expect(verifies(["firewall", "tcp.*", "udp.*"], "dns.system")).toBe(false);
    expect(verifies(["dns.system"], "dns.system.x")).toBe(false);
  });
});

describe("the confirmation", () => {
  it("says what happens, the password, side effects, how to undo and what is checked after", () => {
    const t = confirmText(FIREWALL, titles);
    expect(t.heading).toBe("Let Zoom through this computer's firewall");
    expect(t.why).toBe("The firewall on this computer blocks the ports Zoom needs.");
    expect(t.steps).toEqual([
      "Let Zoom's connections out through the firewall",
      "Let Zoom's sound and video out through the firewall",
    ]);
    expect(t.admin).toBe("Your computer will ask for an administrator password.");
    expect(t.restart).toBeNull();
    expect(t.sideEffects).toEqual(["The firewall stays on; only Zoom's traffic is let through."]);
    expect(t.caution).toBeNull();
    expect(t.undo).toBe(
      "Undo removes the rules Meeting Doctor added; the firewall's own rules are never touched.",
    );
    expect(t.recheck).toBe(
      "Afterwards, Meeting Doctor runs 5 checks again to see whether it helped.",
    );
    expect(t.details.map((d) => d.detail)).toEqual([
      "ufw allow out proto tcp to any port 443,8801:8802 comment meeting-doctor-zoom",
      "ufw allow out proto udp to any port 3478:3479,8801:8810 comment meeting-doctor-zoom",
    ]);
  });

  it("names a few checks, and needs no password for a fix in the person's own files", () => {
    const t = confirmText(FLUSH, titles);
    expect(t.recheck).toBe(
      "Afterwards, Meeting Doctor checks again: Finding Zoom's servers (this computer's DNS).",
    );
    const quit = confirmText(PREVIEWS["zoom.quit"], titles);
    expect(quit.admin).toBeNull();
    expect(quit.recheck).toBe("Afterwards, Meeting Doctor checks again whether it helped.");
    expect(quit.undo).toBe("Start Zoom again when you are ready.");
  });

  it("warns before a broad fix and says when a restart is needed", () => {
    const reset = { ...PREVIEWS["network.stack_reset"], applicable: true, needs_restart: true };
    const t = confirmText(reset, titles);
    expect(t.caution).toBe("This is a broad change. Try the other fixes and steps first.");
    expect(t.restart).toBe("You'll need to restart the computer afterwards.");
  });
});

describe("steps while a fix runs", () => {
  it("ticks reported steps, marks the next as running, and nothing runs while waiting for the password", () => {
    const steps = stepResults(FIREWALL);
    expect(stepStates(2, [], null)).toEqual(["running", "waiting"]);
    expect(stepStates(2, [], null, true)).toEqual(["waiting", "waiting"]);
    expect(stepStates(2, steps.slice(0, 1), null)).toEqual(["done", "running"]);
    expect(stepStates(2, steps, "applied")).toEqual(["done", "done"]);
  });

  it("says how long it waits for the password", () => {
    expect(waitText(120)).toBe("Meeting Doctor waits up to 2 minutes for it.");
    expect(waitText(45)).toBe("Meeting Doctor waits up to 45 seconds for it.");
  });

  it("a change made with administrator rights reports nothing until the end: applied means all done", () => {
    expect(stepStates(3, [], "applied")).toEqual(["done", "done", "done"]);
  });

  it("a step that failed stops the rest; a no at the prompt runs nothing", () => {
    const failed = stepResults(FIREWALL, 1);
    expect(stepStates(3, failed, "failed")).toEqual(["done", "failed", "not_run"]);
    expect(stepStates(2, [], "declined")).toEqual(["not_run", "not_run"]);
  });

  it("counts a step that only read (never reported) as done once a later one is", () => {
    expect(
      stepStates(3, [{ index: 2, title: "Turn off the proxy", ok: true, detail: "" }], null),
    ).toEqual(["done", "done", "done"]);
  });
});

describe("what a result means", () => {
  const before = SCENARIOS.blocked;

  it("worked: what failed passes now (couldn't-check rows are not failures)", () => {
    const o = outcome(FIREWALL, "applied", before);
    expect(o.verification?.all_pass).toBe(false); // the two unknown ports
    const t = resultText(o, "apply");
    expect(t).toMatchObject({
      tone: "ok",
      headline: "Done, and it worked: what failed before passes now.",
      next: "Try Zoom again.",
      offerScript: false,
    });
    expect(o.verification?.checks.map(changeText)).toEqual([
      "Zoom connection (port 443): OK → OK",
      "Zoom connection (port 8801): Problem → OK",
      "Zoom connection (port 8802): Couldn't check → Couldn't check",
      "Zoom audio and video (port 3478): Problem → OK",
      "Zoom audio and video (port 3479): Couldn't check → Couldn't check",
    ]);
  });

  it("what changed or still fails leads; what stayed the same goes below", () => {
    const o = outcome(FIREWALL, "applied", before);
    const { shown, unchanged } = splitChanges(o.verification?.checks ?? []);
    expect(shown.map((c) => c.id)).toEqual(["tcp.8801", "udp.3478"]);
    expect(unchanged.map((c) => c.id)).toEqual(["tcp.443", "tcp.8802", "udp.3479"]);
    const still = splitChanges(
      outcome(FIREWALL, "applied", before, { still: true }).verification?.checks ?? [],
    );
    expect(still.shown.map((c) => c.id)).toEqual(["tcp.8801", "udp.3478"]);
  });

  it("didn't work: the problem is still there, and the next step", () => {
    const t = resultText(outcome(FIREWALL, "applied", before, { still: true }), "apply");
    expect(t).toMatchObject({
      tone: "problem",
      headline: "Done, but the problem is still there.",
      next: "Try the next fix, or the steps on the main screen.",
    });
  });

  it("couldn't tell: no checks to run again", () => {
    const t = resultText(outcome(PREVIEWS["zoom.quit"], "applied", before), "apply", {
      needsRestart: true,
    });
    expect(t.tone).toBe("unknown");
    expect(t.headline).toBe("Done. Meeting Doctor couldn't check whether it helped.");
    expect(t.next).toMatch(/^Restart the computer to finish the change/);
  });

  it("a no at the administrator prompt: no blame, the help desk, the script", () => {
    const t = resultText(outcome(FIREWALL, "declined"), "apply");
    expect(t).toMatchObject({
      tone: "neutral",
      headline: "Nothing was changed: the administrator password wasn't given.",
      offerScript: true,
    });
    expect(t.next).toMatch(/ask your help desk/);
  });

  it("every other ending has its own words", () => {
    expect(resultText(outcome(FIREWALL, "timed_out"), "apply").next).toMatch(
      /screen you can't see/,
    );
    expect(resultText(outcome(FIREWALL, "not_authorized"), "apply").headline).toBe(
      "Nothing was changed: this account isn't allowed to make this change.",
    );
    expect(resultText(outcome(FIREWALL, "cancelled"), "apply").headline).toBe(
      "Stopped waiting for the administrator password.",
    );
    expect(resultText(outcome(FIREWALL, "not_applicable"), "apply").headline).toBe(
      "This fix can't be made on this computer.",
    );
    const failed = resultText(outcome(FIREWALL, "failed"), "apply", { canUndo: true });
    expect(failed).toMatchObject({
      tone: "problem",
      headline: "The fix didn't work.",
      next: "What it did change can be put back with Undo.",
    });
    expect(failed.detail).toMatch(/did not work: ERROR/);
  });

  it("undo: undone, or not everything put back, never a script", () => {
    expect(resultText(outcome(FIREWALL, "applied"), "undo").headline).toBe(
      "Undone. What this fix changed is back as it was.",
    );
    expect(resultText(outcome(FIREWALL, "failed"), "undo").headline).toBe(
      "Not everything could be put back.",
    );
    expect(resultText(outcome(FIREWALL, "declined"), "undo")).toMatchObject({
      headline: "Nothing was undone: the administrator password wasn't given.",
      offerScript: false,
    });
    expect(lastTryText(outcome(FIREWALL, "applied"), "undo")).toBe("Undone.");
    expect(lastTryText(outcome(FIREWALL, "declined"), "apply")).toBe(
      "Nothing was changed: the administrator password wasn't given.",
    );
  });
});

describe("the history", () => {
  it("says what happened and when, in the person's own clock", () => {
    const now = new Date("2025-11-22T12:00:00Z");
    const at = new Date("2025-11-22T06:25:00Z");
    const sameDay = at.getDate() === now.getDate();
    expect(whenText("2025-11-22T06:25:00Z", now)).toMatch(
      sameDay ? /^today at \d/ : /^\d+ \w+ at \d/,
    );
    expect(whenText("2025-11-20T06:25:00Z", now)).toMatch(/^(20|21) Nov at \d|^Nov (20|21) at \d/);
    expect(whenText("not a time", now)).toBe("not a time");
    expect(historyText(historyEntry(FIREWALL, "undone"), now)).toMatch(/^Undone, /);
    expect(historyText(historyEntry(FIREWALL, "undo_failed"), now)).toMatch(
      /^Couldn't be fully undone, /,
    );
  });
});

describe("the state of fixes", () => {
  function done(): State {
    let s = reduce(initialState(), { type: "runStarted", runId: 1 });
    s = reduce(s, { type: "runFinished", runId: 1, report: scenarioReport("blocked") });
    return s;
  }

  it("loads suggestions for the report on screen only", () => {
    let s = done();
    const forReport = s.report?.generated_at ?? "";
    s = reduce(s, { type: "fixesLoading", forReport });
    expect(s.fixes.suggestions).toBeNull();
    const list = suggestions(s.report?.diagnosis.causes ?? []);
    expect(reduce(s, { type: "fixesLoaded", forReport: "another run", suggestions: list })).toBe(s);
    s = reduce(s, { type: "fixesLoaded", forReport, suggestions: list });
    expect(s.fixes.suggestions).toBe(list);
    // A later failure to list them again keeps what is shown.
    expect(reduce(s, { type: "fixesFailed", forReport, error: "x" })).toBe(s);
  });

  it("a finished fix joins the report (so saved and copied reports include it) and is remembered by fix id", () => {
    let s = done();
    const result = fixResult(outcome(FIREWALL, "applied", SCENARIOS.blocked));
    s = reduce(s, { type: "fixFinished", result, action: "apply" });
    expect(s.report?.fixes_applied).toEqual([result.record]);
    expect(s.fixes.last["firewall.allow_zoom"]?.outcome.status).toBe("applied");
    const undone = fixResult(outcome(FIREWALL, "applied"), "undo");
    s = reduce(s, { type: "fixFinished", result: undone, action: "undo" });
    expect(s.report?.fixes_applied).toHaveLength(2);
    expect(s.fixes.last["firewall.allow_zoom"]?.action).toBe("undo");
  });

  it("a new run clears the suggestions but keeps the history of this computer", () => {
    let s = done();
    s = reduce(s, { type: "historyLoaded", history: [historyEntry(FIREWALL)] });
    s = reduce(s, { type: "fixesLoading", forReport: "x" });
    s = reduce(s, { type: "runStarted", runId: 2 });
    expect(s.fixes.forReport).toBeNull();
    expect(s.fixes.history).toHaveLength(1);
    s = reduce(s, { type: "backToStart" });
    expect(s.fixes.history).toHaveLength(1);
  });
});
