import { describe, expect, it } from "vitest";
import type { Finding, Report } from "../../src/bindings";
import { initialState, reduce, type State } from "../../src/model";
import { outcome } from "../../src/outcome";
import { OVERVIEW, SCENARIOS, finding, findings, report } from "../fixtures";

function done(checks: Finding[], r: Report = report(checks), errorCode: string | null = null): State {
  return [
    { type: "overviewLoaded", overview: OVERVIEW },
    { type: "chooseCode", errorCode },
    { type: "runStarted", runId: 1 },
    { type: "runFinished", runId: 1, report: r },
  ].reduce((s, a) => reduce(s, a as Parameters<typeof reduce>[1]), initialState());
}

function outcomeOf(checks: Finding[], errorCode: string | null = null, r: Report = report(checks)) {
  const s = done(checks, r, errorCode);
  return outcome(s.rows, s.report, s.errorCode);
}

const words = (s: string) => s.trim().split(/\s+/).length;

describe("headline, lowest layer first", () => {
  const table: [string, Finding[], string, string][] = [
    ["internet down", SCENARIOS.offline, "problem", "Zoom can't connect because this computer can't reach the internet."],
    ["sign-in page", SCENARIOS.portal, "problem", "This network wants you to sign in on a web page before Zoom can connect."],
    ["name lookup", SCENARIOS.dns, "problem", "Zoom can't connect because this computer can't look up Zoom's servers by name."],
    ["ports and inspection", SCENARIOS.blocked, "problem", "We found 3 problems that can stop Zoom from connecting."],
    ["one problem", findings({ tls: finding("tls", "fail", "Re-signed.") }), "problem", "We found a problem that can stop Zoom from connecting."],
    ["only warnings", SCENARIOS.slow, "warning", "Zoom should connect, but the call may be poor."],
    ["all pass", findings(), "ok", "Zoom should be able to connect from here."],
    ["pass and couldn't check", SCENARIOS.healthy, "ok", "Zoom should be able to connect from here."],
  ];
  for (const [name, checks, tone, headline] of table) {
    it(name, () => {
      const o = outcomeOf(checks);
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
    expect(outcomeOf(all).headline).toContain("can't reach the internet");
    const noInternetFail = all.map((f) => (f.id === "internet" ? finding("internet", "pass", "ok") : f));
    expect(outcomeOf(noInternetFail).headline).toContain("sign in on a web page");
  });

  it("other problems: the first problem's summary follows, in display order", () => {
    const o = outcomeOf(SCENARIOS.blocked);
    expect(o.lead).toBe("Zoom never answered on port 8801; something on the way is dropping it.");
  });

  it("never counts couldn't-check as a problem or as OK", () => {
    const allUnknown = findings(Object.fromEntries(SCENARIOS.healthy.map((f) => [f.id, finding(f.id, "unknown", "Couldn't check.")])));
    const o = outcomeOf(allUnknown);
    expect(o.tone).toBe("unknown");
    expect(o.headline).toBe("We couldn't check whether Zoom can connect from here.");
    expect(o.unknownNote).toContain(`${String(allUnknown.length)} checks couldn't be done`);

    const blocked = outcomeOf(SCENARIOS.blocked);
    expect(blocked.headline).toContain("3 problems"); // 3 fails, 4 unknowns
    expect(blocked.unknownNote).toMatch(/^4 checks couldn't be done.*aren't counted as problems/);

    const healthy = outcomeOf(SCENARIOS.healthy);
    expect(healthy.unknownNote).toMatch(/^2 checks couldn't be done/);
    const one = outcomeOf(findings({ clock: finding("clock", "unknown", "?") }));
    expect(one.unknownNote).toMatch(/^1 check couldn't be done\. It's marked/);
  });

  it("says what to do next, always", () => {
    for (const checks of Object.values(SCENARIOS)) expect(outcomeOf(checks).next.length).toBeGreaterThan(0);
  });

  it("a stopped run says so, with what it found so far", () => {
    const partial = [finding("internet", "pass", "ok"), finding("tls", "fail", "Re-signed by Contoso.")];
    const o = outcomeOf(partial, null, report(partial, { cancelled: true }));
    expect(o.tone).toBe("stopped");
    expect(o.headline).toBe("The check was stopped before it finished.");
    expect(o.lead).toBe("1 problem found so far: Re-signed by Contoso.");
  });

  it("leads with the diagnosis when there is one", () => {
    const r = report(SCENARIOS.blocked, {}, [
      { id: "tls_interception", confidence: 0.9, explanation: "A security filter on this network opens Zoom's secure connection.", error_codes: ["104103"], evidence: ["tls"], fixes: [], steps: ["Ask your network admin to exempt Zoom from inspection."] },
      { id: "udp_blocked", confidence: 0.6, explanation: "Audio and video are blocked.", error_codes: [], evidence: [], fixes: [], steps: [] },
    ]);
    const o = outcomeOf(SCENARIOS.blocked, "104103", r);
    expect(o.headline).toBe("A security filter on this network opens Zoom's secure connection.");
    expect(o.next).toEqual(["Ask your network admin to exempt Zoom from inspection."]);
    expect(o.codeLine).toContain("The cause above explains it.");
  });
});

describe("the error code line", () => {
  it("is absent without a code", () => {
    expect(outcomeOf(SCENARIOS.blocked).codeLine).toBeNull();
  });
  it("names the code and what it means", () => {
    expect(outcomeOf(SCENARIOS.blocked, "104103").codeLine).toBe(
      "You saw error 104103: the Zoom app couldn't connect to Zoom's servers. The problem above is the likely reason.",
    );
    expect(outcomeOf(findings(), "5003").codeLine).toMatch(/^You saw error 5003: .*web servers\. Nothing here blocks Zoom now/);
    expect(outcomeOf(SCENARIOS.slow, "10002").codeLine).toMatch(/^You saw error 10002: .*A weak connection can cause it\.$/);
  });
  it("handles another code", () => {
    expect(outcomeOf(findings(), "other").codeLine).toMatch(/^You saw another error code/);
  });
});
