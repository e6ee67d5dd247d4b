import { describe, expect, it } from "vitest";
import type { Finding, Report } from "../../src/bindings";
import { initialState, reduce, type State } from "../../src/model";
import { outcome } from "../../src/outcome";
import {
  CAUSES,
  HEALTHY,
  OVERVIEW,
  SCENARIOS,
  cause,
  diagnosis,
  finding,
  findings,
  report,
  scenarioReport,
  type ScenarioName,
} from "../fixtures";

function done(r: Report, errorCode: string | null = null): State {
  return [
    { type: "overviewLoaded", overview: OVERVIEW },
    { type: "chooseCode", errorCode },
    { type: "runStarted", runId: 1 },
    { type: "runFinished", runId: 1, report: r },
  ].reduce((s, a) => reduce(s, a as Parameters<typeof reduce>[1]), initialState());
}

function outcomeOf(r: Report, errorCode: string | null = null) {
  const s = done(r, errorCode);
  return outcome(s.rows, s.report, s.errorCode);
}

/** The engine's run of a scenario, with the code the person picked. */
const scenario = (name: ScenarioName, code: string | null = null) =>
  outcomeOf(scenarioReport(name, code), code);

/** A report whose diagnosis says nothing (no causes, no headline): the UI's own rules speak. */
const bare = (checks: Finding[], run: Partial<Report["run"]> = {}) =>
  report(checks, run, { ...HEALTHY, headline: "" });

const words = (s: string) => s.trim().split(/\s+/).length;

describe("with the engine's diagnosis", () => {
  const table: [ScenarioName, string, string, string | null][] = [
    ["offline", "problem", "This computer is not connected to the internet.", "offline"],
    [
      "portal",
      "problem",
      "This Wi-Fi wants you to sign in on a web page before anything else works.",
      "captive_portal",
    ],
    ["dns", "problem", "This computer can't look up Zoom's servers by name.", "dns_failure"],
    ["filtered", "problem", "This network's name lookup blocks Zoom (zoom.us).", "dns_filtered"],
    [
      "blocked",
      "problem",
      'Something on this network opens Zoom\'s secure connection (re-signed by "Contoso Inspection CA").',
      "tls_interception",
    ],
    [
      "slow",
      "warning",
      "The connection is slow or unsteady; sound and video may break up.",
      "poor_connection",
    ],
    ["healthy", "ok", "Everything Zoom needs works on this computer and network.", null],
  ];
  for (const [name, tone, headline, top] of table) {
    it(`${name}: the headline is the diagnosis's, the top cause leads`, () => {
      const o = scenario(name);
      expect(o.tone).toBe(tone);
      expect(o.headline).toBe(headline);
      expect(o.top?.id ?? null).toBe(top);
      expect(o.headline).not.toMatch(/\b(UDP|TCP|DNS|TLS|SSL)\b/); // no jargon in the first line
      expect(words(o.headline)).toBeLessThanOrEqual(25);
    });
  }

  it("groups the rest: other causes best first, call-quality warnings under “Also noticed”", () => {
    const o = scenario("blocked");
    expect(o.top?.id).toBe("tls_interception");
    expect(o.others.map((c) => c.id)).toEqual(["signaling_ports_blocked"]);
    expect(o.alsoNoticed.map((c) => c.id)).toEqual(["udp_blocked"]);
    expect(o.next).toEqual([]); // the steps come from the cause
    expect(o.lead).toBeNull();
  });

  it("keeps the engine's order, best first", () => {
    const causes = [
      CAUSES.dns_filtered,
      CAUSES.tls_interception,
      CAUSES.signaling_ports_blocked,
      CAUSES.poor_connection,
      CAUSES.udp_blocked,
    ];
    const o = outcomeOf(report(SCENARIOS.blocked, {}, diagnosis(causes)));
    expect(o.others.map((c) => c.id)).toEqual(["tls_interception", "signaling_ports_blocked"]);
    expect(o.alsoNoticed.map((c) => c.id)).toEqual(["poor_connection", "udp_blocked"]);
  });

  it("only call-quality warnings: a warning, the first of them leads, nothing under it", () => {
    const o = scenario("slow");
    expect(o.tone).toBe("warning");
    expect(o.top?.quality_only).toBe(true);
    expect(o.others).toEqual([]);
    expect(o.alsoNoticed).toEqual([]);
  });

  it("an error code the cause explains: the headline says so, no separate code line", () => {
    const o = scenario("blocked", "104103");
    expect(o.headline).toBe(
      "104103 means the Zoom app could not reach Zoom's servers; here it is because something on this network opens Zoom's secure connection (re-signed by \"Contoso Inspection CA\").",
    );
    expect(o.codeLine).toBeNull();
    expect(o.codeMeaning).toBeNull();
    expect(o.ruledOut).toEqual([]);
  });

  it("an error code and no cause: what it means, what is fine, what to try next", () => {
    const o = scenario("healthy", "104103");
    expect(o.tone).toBe("ok");
    expect(o.headline).toBe(
      "104103 means the Zoom app could not reach Zoom's servers, but everything Zoom needs works here now.",
    );
    expect(o.top).toBeNull();
    expect(o.codeMeaning).toBe("104103 means the Zoom app could not reach Zoom's servers");
    expect(o.ruledOut).toContain("This computer is online.");
    expect(o.nextSteps.map((s) => s.id)).toEqual([
      "quit_zoom_fully",
      "browser_client",
      "update_zoom",
      "reinstall_zoom",
      "new_local_user",
      "try_hotspot",
    ]);
    expect(o.next).toEqual([]);
    expect(o.codeLine).toBeNull();
  });

  it("an error code and only call-quality warnings: the warning leads, the code is still explained", () => {
    const o = scenario("slow", "10002");
    expect(o.top?.id).toBe("poor_connection");
    expect(o.codeMeaning).toBe(
      "10002 means the Zoom app lost or could not make its connection to Zoom's servers",
    );
    expect(o.ruledOut.length).toBeGreaterThan(0);
    expect(o.nextSteps.length).toBeGreaterThan(0);
  });

  it("healthy without a code: all good, and what to do if Zoom still fails", () => {
    const o = scenario("healthy");
    expect(o.codeMeaning).toBeNull();
    expect(o.ruledOut).toEqual([]);
    expect(o.next).toHaveLength(2);
    expect(o.next[1]).toContain("Copy for a technician");
    expect(o.unknownNote).toMatch(/^2 checks couldn't be done/);
  });

  it("another code (not sent to the engine) still gets its line", () => {
    expect(scenario("blocked", null).codeLine).toBeNull();
    expect(outcomeOf(scenarioReport("blocked"), "other").codeLine).toMatch(
      /^You saw another error code/,
    );
  });

  it("a cause with no steps sends the person to the help desk", () => {
    const firewall = cause(
      "local_firewall",
      0.85,
      "This computer's firewall blocks Zoom.",
      "A rule in this computer's firewall blocks Zoom.",
      ["firewall"],
      [],
      { fixes: ["firewall.allow_zoom"] },
    );
    const o = outcomeOf(report(SCENARIOS.blocked, {}, diagnosis([firewall])));
    expect(o.headline).toBe("This computer's firewall blocks Zoom.");
    expect(o.next).toEqual([
      "If it still fails, use “Copy for a technician” below and send the text to your help desk.",
    ]);
  });

  it("a stopped run says so and leaves the causes out", () => {
    const partial = [
      finding("internet", "pass", "ok"),
      finding("tls", "fail", "Re-signed by Contoso."),
    ];
    const o = outcomeOf(report(partial, { cancelled: true }, diagnosis([CAUSES.tls_interception])));
    expect(o.tone).toBe("stopped");
    expect(o.headline).toBe("The check was stopped before it finished.");
    expect(o.lead).toBe("1 problem found so far: Re-signed by Contoso.");
    expect(o.top).toBeNull();
    expect(o.unknownNote).toBeNull();
  });

  it("red rows the diagnosis has no cause for are never called fine", () => {
    const o = outcomeOf(report(SCENARIOS.blocked));
    expect(o.tone).toBe("problem");
    expect(o.headline).toBe("We found 3 problems that can stop Zoom from connecting.");
  });

  it("nothing could be checked is never called fine", () => {
    const allUnknown = findings(
      Object.fromEntries(
        SCENARIOS.healthy.map((f) => [f.id, finding(f.id, "unknown", "Couldn't check.")]),
      ),
    );
    const o = outcomeOf(report(allUnknown));
    expect(o.tone).toBe("unknown");
    expect(o.headline).toBe("We couldn't check whether Zoom can connect from here.");
  });
});

describe("without a diagnosis: from the findings, lowest layer first", () => {
  const table: [string, Finding[], string, string][] = [
    [
      "internet down",
      SCENARIOS.offline,
      "problem",
      "Zoom can't connect because this computer can't reach the internet.",
    ],
    [
      "sign-in page",
      SCENARIOS.portal,
      "problem",
      "This network wants you to sign in on a web page before Zoom can connect.",
    ],
    [
      "name lookup",
      SCENARIOS.dns,
      "problem",
      "Zoom can't connect because this computer can't look up Zoom's servers by name.",
    ],
    [
      "ports and inspection",
      SCENARIOS.blocked,
      "problem",
      "We found 3 problems that can stop Zoom from connecting.",
    ],
    [
      "one problem",
      findings({ tls: finding("tls", "fail", "Re-signed.") }),
      "problem",
      "We found a problem that can stop Zoom from connecting.",
    ],
    ["only warnings", SCENARIOS.slow, "warning", "Zoom should connect, but the call may be poor."],
    ["all pass", findings(), "ok", "Zoom should be able to connect from here."],
    [
      "pass and couldn't check",
      SCENARIOS.healthy,
      "ok",
      "Zoom should be able to connect from here.",
    ],
  ];
  for (const [name, checks, tone, headline] of table) {
    it(name, () => {
      const o = outcomeOf(bare(checks));
      expect(o.tone).toBe(tone);
      expect(o.headline).toBe(headline);
      expect(words(o.headline)).toBeLessThanOrEqual(20);
      expect(o.headline).not.toMatch(/\b[A-Z]{2,}\b/); // no acronyms in the first sentence
    });
  }

  it("internet beats the sign-in page, which beats name lookup", () => {
    const all = findings({
      internet: finding("internet", "fail", "x"),
      captive_portal: finding("captive_portal", "fail", "y"),
      "dns.system": finding("dns.system", "fail", "z"),
    });
    expect(outcomeOf(bare(all)).headline).toContain("can't reach the internet");
    const noInternetFail = all.map((f) =>
      f.id === "internet" ? finding("internet", "pass", "ok") : f,
    );
    expect(outcomeOf(bare(noInternetFail)).headline).toContain("sign in on a web page");
  });

  it("other problems: the first problem's summary follows, in display order", () => {
    expect(outcomeOf(bare(SCENARIOS.blocked)).lead).toBe(
      "Zoom never answered on port 8801; something on the way is dropping it.",
    );
  });

  it("never counts couldn't-check as a problem or as OK", () => {
    const blocked = outcomeOf(bare(SCENARIOS.blocked));
    expect(blocked.headline).toContain("3 problems"); // 3 fails, 4 unknowns
    expect(blocked.unknownNote).toMatch(/^4 checks couldn't be done.*aren't counted as problems/);
    const one = outcomeOf(bare(findings({ clock: finding("clock", "unknown", "?") })));
    expect(one.unknownNote).toMatch(/^1 check couldn't be done\. It's marked/);
  });

  it("says what to do next, always", () => {
    for (const checks of Object.values(SCENARIOS))
      expect(outcomeOf(bare(checks)).next.length).toBeGreaterThan(0);
  });
});

describe("the error code line, when the headline doesn't speak to the code", () => {
  it("is absent without a code", () => {
    expect(outcomeOf(bare(SCENARIOS.blocked)).codeLine).toBeNull();
  });
  it("names the code and what it means", () => {
    expect(outcomeOf(bare(SCENARIOS.blocked), "104103").codeLine).toBe(
      "You saw error 104103: the Zoom app couldn't connect to Zoom's servers. The problem above is the likely reason.",
    );
    expect(outcomeOf(bare(findings()), "5003").codeLine).toMatch(
      /^You saw error 5003: .*web servers\. Nothing here blocks Zoom now/,
    );
    expect(outcomeOf(bare(SCENARIOS.slow), "10002").codeLine).toMatch(
      /^You saw error 10002: .*A weak connection can cause it\.$/,
    );
  });
  it("handles another code", () => {
    expect(outcomeOf(bare(findings()), "other").codeLine).toMatch(/^You saw another error code/);
  });
});
