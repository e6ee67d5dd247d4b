import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/bindings";
import {
  countRows,
  formatElapsed,
  groupRows,
  initialState,
  reduce,
  stageText,
  stepText,
  type Action,
  type State,
} from "../../src/model";
import {
  OVERVIEW,
  PLAN,
  SCENARIOS,
  comparison,
  finding,
  report,
  scenarioReport,
  startedEvents,
} from "../fixtures";

function run(
  actions: Action[],
  from: State = reduce(initialState(), { type: "overviewLoaded", overview: OVERVIEW }),
): State {
  return actions.reduce(reduce, from);
}

const ev = (event: RunEvent, runId = 1): Action => ({ type: "event", runId, event });
const fin = (id: string, status: "pass" | "fail" | "unknown" = "pass", runId = 1) =>
  ev({ event: "finished", finding: finding(id, status, `${id} ${status}`) }, runId);

describe("event reduction", () => {
  it("starts with every planned check pending, in plan order", () => {
    const s = run([{ type: "runStarted", runId: 1 }]);
    expect(s.phase).toBe("running");
    expect(s.rows.map((r) => r.id)).toEqual(PLAN.map((c) => c.id));
    expect(s.rows.every((r) => r.status === "pending")).toBe(true);
  });

  it("takes started and finished events in any order", () => {
    const s = run([
      { type: "runStarted", runId: 1 },
      fin("tls"),
      ...startedEvents().map((e) => ev(e)),
      fin("internet", "fail"),
      fin("clock", "unknown"),
    ]);
    const byId = new Map(s.rows.map((r) => [r.id, r]));
    expect(byId.get("tls")?.status).toBe("pass"); // a late "started" does not reset a finished row
    expect(byId.get("internet")?.status).toBe("fail");
    expect(byId.get("clock")?.status).toBe("unknown");
    expect(byId.get("proxy")?.status).toBe("pending");
    expect(s.rows).toHaveLength(PLAN.length);
  });

  it("adds checks the plan did not list, with the group of the event or of the id", () => {
    const s = run([
      { type: "runStarted", runId: 1 },
      ev({ event: "started", id: "vpn", title: "VPN", group: "SecurityAndProxy" }),
      fin("udp.8801"),
    ]);
    expect(s.rows.find((r) => r.id === "vpn")?.group).toBe("SecurityAndProxy");
    expect(s.rows.find((r) => r.id === "udp.8801")?.group).toBe("ZoomServers");
  });

  it("works without an overview: rows come from the events", () => {
    const s = [
      { type: "runStarted", runId: 1 } as Action,
      ...startedEvents().map((e) => ev(e)),
      fin("internet"),
    ].reduce(reduce, initialState());
    expect(s.rows).toHaveLength(PLAN.length);
    expect(s.rows[0]).toMatchObject({ id: "internet", status: "pass" });
  });

  it("ignores events of an older run and events after the end", () => {
    const s = run([{ type: "runStarted", runId: 2 }, fin("internet", "fail", 1)]);
    expect(s.rows.find((r) => r.id === "internet")?.status).toBe("pending");
    const done = run(
      [
        { type: "runFinished", runId: 2, report: report(SCENARIOS.healthy) },
        fin("internet", "fail", 2),
      ],
      s,
    );
    expect(done.rows.find((r) => r.id === "internet")?.status).toBe("pass");
  });

  it("a new run clears the old results", () => {
    const done = run([
      { type: "runStarted", runId: 1 },
      { type: "runFinished", runId: 1, report: report(SCENARIOS.blocked) },
    ]);
    expect(done.phase).toBe("done");
    expect(done.report).not.toBeNull();
    const again = run([{ type: "runStarted", runId: 2 }], done);
    expect(again.phase).toBe("running");
    expect(again.report).toBeNull();
    expect(again.rows.every((r) => r.status === "pending" && r.finding === null)).toBe(true);
  });

  it("cancel: marks cancelling, then the report's findings land and unfinished rows say so", () => {
    const s = run([
      { type: "runStarted", runId: 1 },
      fin("internet"),
      { type: "cancelRequested", runId: 1 },
    ]);
    expect(s.cancelling).toBe(true);
    const done = run(
      [
        {
          type: "runFinished",
          runId: 1,
          report: report([finding("internet", "pass", "ok"), finding("tls", "pass", "ok")], {
            cancelled: true,
          }),
        },
      ],
      s,
    );
    expect(done.phase).toBe("done");
    expect(done.cancelling).toBe(false);
    expect(done.rows.find((r) => r.id === "tls")?.status).toBe("pass");
    const c = countRows(done.rows);
    expect(c.pending).toBe(0);
    expect(c.stopped).toBe(PLAN.length - 2);
  });

  it("a failure keeps the choice of error code and records where it came from", () => {
    const s = run([
      { type: "chooseCode", errorCode: "104103" },
      {
        type: "failed",
        error: { kind: "busy", message: "A check is already running." },
        source: "run",
      },
    ]);
    expect(s).toMatchObject({ phase: "error", errorSource: "run", errorCode: "104103" });
    expect(run([{ type: "backToStart" }], s).phase).toBe("start");
  });

  it("a loaded overview clears an overview error, not a run error", () => {
    const profileError = run([
      { type: "failed", error: { kind: "profile", message: "bad.toml:1: x" }, source: "overview" },
    ]);
    expect(run([{ type: "overviewLoaded", overview: OVERVIEW }], profileError).phase).toBe("start");
    const busy = run([{ type: "failed", error: { kind: "busy", message: "busy" }, source: "run" }]);
    expect(run([{ type: "overviewLoaded", overview: OVERVIEW }], busy).phase).toBe("error");
  });
});

describe("testing on another network", () => {
  const first = scenarioReport("filtered");
  const second = scenarioReport("healthy");
  const afterFirst = () =>
    run([
      { type: "runStarted", runId: 1 },
      { type: "runFinished", runId: 1, report: first },
    ]);

  it("keeps the first run while the person switches, and gives it back on cancel", () => {
    const switching = run([{ type: "testOtherNetwork" }], afterFirst());
    expect(switching.phase).toBe("switch");
    expect(switching.baseline?.report).toBe(first);
    expect(switching.baseline?.rows.find((r) => r.id === "dns.system")?.status).toBe("fail");
    const back = run([{ type: "keepFirstNetwork" }], switching);
    expect(back).toMatchObject({ phase: "done", report: first, baseline: null });
    expect(back.rows).toBe(switching.baseline?.rows);
  });

  it("only a full run can be compared", () => {
    const stopped = run([
      { type: "runStarted", runId: 1 },
      { type: "runFinished", runId: 1, report: report([], { cancelled: true }) },
    ]);
    expect(run([{ type: "testOtherNetwork" }], stopped).phase).toBe("done");
    expect(run([{ type: "testOtherNetwork" }]).phase).toBe("start");
  });

  it("the second run is compared; its results replace the rows, the first stays the baseline", () => {
    const s = run([{ type: "testOtherNetwork" }, { type: "runStarted", runId: 2 }], afterFirst());
    expect(s).toMatchObject({ phase: "running", report: null, comparison: null });
    expect(s.baseline?.report).toBe(first);
    const compared = run([{ type: "runFinished", runId: 2, report: second }], s);
    expect(compared).toMatchObject({ phase: "compare", report: second, comparison: null });
    const c = comparison(first, second);
    const shown = run([{ type: "compared", comparison: c }], compared);
    expect(shown.comparison).toBe(c);
    expect(shown.baseline?.report).toBe(first);
  });

  it("a stopped second run goes back to the switch panel, saying so", () => {
    const s = run(
      [
        { type: "testOtherNetwork" },
        { type: "runStarted", runId: 2 },
        { type: "runFinished", runId: 2, report: report([], { cancelled: true }) },
      ],
      afterFirst(),
    );
    expect(s).toMatchObject({ phase: "switch", secondStopped: true });
    expect(run([{ type: "runStarted", runId: 3 }], s).secondStopped).toBe(false);
    expect(run([{ type: "keepFirstNetwork" }], s)).toMatchObject({
      phase: "done",
      report: first,
      secondStopped: false,
    });
  });

  it("a failed comparison can be asked for again", () => {
    const s = run(
      [
        { type: "testOtherNetwork" },
        { type: "runStarted", runId: 2 },
        { type: "runFinished", runId: 2, report: second },
      ],
      afterFirst(),
    );
    const failed = run(
      [{ type: "failed", error: { kind: "internal", message: "x" }, source: "compare" }],
      s,
    );
    expect(failed.phase).toBe("error");
    expect(run([{ type: "comparing" }], failed)).toMatchObject({
      phase: "compare",
      error: null,
      comparison: null,
    });
  });

  it("start over forgets both runs", () => {
    const s = run(
      [
        { type: "testOtherNetwork" },
        { type: "runStarted", runId: 2 },
        { type: "runFinished", runId: 2, report: second },
      ],
      afterFirst(),
    );
    const fresh = run([{ type: "backToStart" }], s);
    expect(fresh).toMatchObject({
      phase: "start",
      report: null,
      rows: [],
      baseline: null,
      comparison: null,
    });
    expect(fresh.overview).toBe(OVERVIEW);
  });
});

describe("grouping and ordering", () => {
  it("shows groups in display order, leaves empty groups out, keeps row order", () => {
    const s = run([{ type: "runStarted", runId: 1 }]);
    const groups = groupRows(s.rows);
    expect(groups.map((g) => g.label)).toEqual([
      "Internet",
      "Name lookup (DNS)",
      "Zoom servers",
      "Security & proxy",
      "This computer",
    ]);
    expect(groups[0].rows.map((r) => r.id)).toEqual([
      "internet",
      "captive_portal",
      "latency",
      "loss",
      "jitter",
      "bandwidth",
    ]);
    const onlyDns = groupRows(
      s.rows.filter((r) => r.group === "Dns" || r.group === "ThisComputer"),
    );
    expect(onlyDns.map((g) => g.group)).toEqual(["Dns", "ThisComputer"]);
  });

  it("names the stage after the first group still waiting", () => {
    const s = run([{ type: "runStarted", runId: 1 }]);
    expect(stageText(s.rows)).toBe("Checking your internet connection…");
    const internetDone = run(
      ["internet", "captive_portal", "latency", "loss", "jitter", "bandwidth"].map((id) => fin(id)),
      s,
    );
    expect(stageText(internetDone.rows)).toBe("Looking up Zoom's servers by name…");
    expect(stageText([])).toBe("Starting the checks…");
  });

  it("does not stay on a group while only its slow measurements run", () => {
    const s = run([{ type: "runStarted", runId: 1 }]);
    const quick = ["internet", "captive_portal"].map((id) => fin(id));
    // The speed test still runs, but name lookup is what is being waited for.
    expect(stageText(run(quick, s).rows)).toBe("Looking up Zoom's servers by name…");
    const allQuickDone = s.rows
      .filter((r) => !["latency", "loss", "jitter", "bandwidth"].includes(r.id))
      .map((r) => fin(r.id));
    expect(stageText(run(allQuickDone, s).rows)).toBe(
      "Measuring the speed and quality of your connection…",
    );
    const everything = s.rows.map((r) => fin(r.id));
    expect(stageText(run(everything, s).rows)).toBe("Putting the results together…");
  });

  it("counts steps as n of m without passing m", () => {
    const s = run([{ type: "runStarted", runId: 1 }]);
    expect(stepText(s.rows)).toBe(`Step 1 of ${String(PLAN.length)}`);
    const all = run(
      PLAN.map((c) => fin(c.id)),
      s,
    );
    expect(stepText(all.rows)).toBe(`Step ${String(PLAN.length)} of ${String(PLAN.length)}`);
  });

  it("formats elapsed times", () => {
    expect(formatElapsed(35)).toBe("35 ms");
    expect(formatElapsed(1234)).toBe("1.2 s");
    expect(formatElapsed(15000)).toBe("15 s");
  });
});
