import { describe, expect, it } from "vitest";
import { initialState, reduce, type Action } from "../../src/model";
import { outcome } from "../../src/outcome";
import { redact, technicianText } from "../../src/technician";
import { OVERVIEW, SCENARIOS, finding, report, scenarioReport } from "../fixtures";

function textFor(errorCode: string | null, checks = SCENARIOS.blocked, r = report(checks)) {
  const actions: Action[] = [
    { type: "overviewLoaded", overview: OVERVIEW },
    { type: "chooseCode", errorCode },
    { type: "runStarted", runId: 1 },
    { type: "runFinished", runId: 1, report: r },
  ];
  const s = actions.reduce(reduce, initialState());
  return technicianText({ report: s.report, overview: s.overview, rows: s.rows, errorCode, outcome: outcome(s.rows, s.report, errorCode), now: "2099-01-01T00:00:00Z" });
}

describe("technician text", () => {
  it("starts with time, app, system, profile and the error code", () => {
    const t = textFor("104103");
    expect(t).toContain("Time:       2025-11-22T06:19:00Z");
    expect(t).toContain("App:        Meeting Doctor 0.1.0");
    expect(t).toContain("System:     Linux · Debian GNU/Linux 12 (bookworm) · x86_64");
    expect(t).toContain("Profile:    Zoom (built-in)");
    expect(t).toContain("Error code: 104103");
    expect(t).toContain("Result:     We found 3 problems that can stop Zoom from connecting.");
    expect(t).toContain("Checks:     10 OK, 3 problems, 4 couldn't check");
  });

  it("says when no code was given, or another one", () => {
    expect(textFor(null)).toContain("Error code: none given");
    expect(textFor("other")).toContain("Error code: another code");
  });

  it("lists every check with status word, title, summary and the detail indented", () => {
    const t = textFor(null);
    for (const f of SCENARIOS.blocked) {
      expect(t).toContain(`${f.title} — ${f.summary} [${f.id}]`);
      for (const line of f.detail.split("\n")) expect(t).toContain(`\n      ${line}\n`);
    }
    expect(t).toContain("  PROBLEM: Zoom connection (port 8801) — ");
    expect(t).toContain("  COULDN'T CHECK: Zoom audio and video (port 3479) — ");
    expect(t).toContain("  OK: Internet connection — ");
    expect(t).toContain("(took 3.0 s)");
    // grouped under the group labels, in display order
    const order = ["\nInternet\n", "\nName lookup (DNS)\n", "\nZoom servers\n", "\nSecurity & proxy\n", "\nThis computer\n"].map((g) => t.indexOf(g));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("says how the run ended", () => {
    expect(textFor(null)).toContain("Run:        finished in 4.2 s (time limit 15 s)");
    const partial = [finding("internet", "pass", "ok")];
    const stopped = textFor(null, partial, report(partial, { cancelled: true, elapsed_ms: 1500 }));
    expect(stopped).toContain("stopped by the person after 1.5 s");
    expect(stopped).toContain("NOT FINISHED: Computer clock — did not finish [clock]");
  });

  it("lists the causes, best first, with their evidence and steps", () => {
    const t = textFor("104103", SCENARIOS.blocked, scenarioReport("blocked", "104103"));
    expect(t).toContain("Result:     104103 means the Zoom app could not reach Zoom's servers; here it is because something on this network");
    expect(t).toContain(
      '  1. Something on this network opens Zoom\'s secure connection (re-signed by "Contoso Inspection CA"). [tls_interception; confidence 90 %; explains 104103; checks: tls]',
    );
    expect(t).toContain("     Steps: Ask the network administrator; Try another network, such as a phone hotspot");
    expect(t).toContain("  3. Audio and video can't use their fast route (UDP) here; Zoom falls back to a slower one. [udp_blocked; confidence 60 %; call quality only; checks: udp.3478]");
  });

  it("when nothing explains the code: what was ruled out and what to try", () => {
    const t = textFor("104103", SCENARIOS.healthy, scenarioReport("healthy", "104103"));
    expect(t).toContain("Checked and fine:\n  - This computer is online.\n");
    expect(t).toContain("Suggested next steps:\n  1. Quit Zoom completely and start it again\n");
  });

  it("leaves the computer's and the person's names out", () => {
    const t = textFor(null, SCENARIOS.blocked, scenarioReport("blocked"));
    expect(t).not.toContain("anna");
  });

  it("keeps passwords in proxy addresses out", () => {
    expect(redact("proxy http://alice:s3cret@proxy.corp:8080 and https://bob@x.example/")).toBe("proxy http://***@proxy.corp:8080 and https://***@x.example/");
    const withProxy = [finding("proxy", "warn", "A proxy is set.", "HTTPS_PROXY=http://alice:s3cret@proxy.corp:8080")];
    expect(textFor(null, withProxy)).not.toContain("s3cret");
  });
});
