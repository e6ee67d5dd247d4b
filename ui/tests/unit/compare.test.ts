import { describe, expect, it } from "vitest";
import { changeText, clockTime, comparisonView, networkName } from "../../src/compare";
import { comparison, scenarioReport } from "../fixtures";

describe("comparison text", () => {
  const office = scenarioReport("blocked");
  const hotspot = scenarioReport("healthy");

  it("leads with the engine's meaning; the first network blocks Zoom", () => {
    const v = comparisonView(
      comparison(office, hotspot, ["Wi-Fi (Office)", "Wi-Fi (Anna's phone)"]),
      office,
      hotspot,
    );
    expect(v.tone).toBe("warning");
    expect(v.headline).toBe("Wi-Fi (Office) blocks Zoom: it works on Wi-Fi (Anna's phone).");
    expect(v.advice).toMatch(
      /^This computer is fine\. Ask whoever runs Wi-Fi \(Office\) to allow Zoom/,
    );
  });

  it("names each network, or calls it the first and second", () => {
    const named = comparisonView(
      comparison(office, hotspot, ["Wi-Fi (Office)", null]),
      office,
      hotspot,
    );
    expect(named.networks.map((n) => [n.label, n.name])).toEqual([
      ["First network", "Wi-Fi (Office)"],
      ["Second network", null],
    ]);
    const c = comparison(office, hotspot);
    expect(networkName(c.before, 0)).toBe("the first network");
    expect(networkName(c.after, 1)).toBe("the second network");
    expect(c.meaning).toBe("The first network blocks Zoom: it works on the second network.");
  });

  it("says what each network showed in the engine's words, warnings apart", () => {
    const v = comparisonView(comparison(office, hotspot), office, hotspot);
    expect(v.networks[0].problems).toEqual([
      'Something on this network opens Zoom\'s secure connection (re-signed by "Contoso Inspection CA").',
      "Some of Zoom's ports are blocked (8801); Zoom can fall back to port 443.",
    ]);
    expect(v.networks[0].alsoNoticed).toEqual([
      "Audio and video can't use their fast route (UDP) here; Zoom falls back to a slower one.",
    ]);
    expect(v.networks[1].problems).toEqual([]);
  });

  it("falls back to plain words for a cause only known by its id", () => {
    const c = comparison(office, hotspot);
    const v = comparisonView(
      { ...c, before: { ...c.before, causes: ["zoom_blocked"] } },
      office,
      hotspot,
    );
    expect(v.networks[0].problems).toEqual(["The network blocks Zoom's connections."]);
  });

  it("lists every changed check as “Title: before → after”, in words", () => {
    const v = comparisonView(comparison(office, hotspot), office, hotspot);
    expect(v.changes.map((c) => c.text)).toEqual([
      "Zoom connection (port 8801): Problem → OK",
      "Zoom audio and video (port 3478): Problem → OK",
      "Secure connection to Zoom: Problem → OK",
      "Lost packets: Couldn't check → OK",
      "Steadiness of the connection (jitter): Couldn't check → OK",
    ]);
    expect(v.changes[0].beforeSummary).toMatch(/^Zoom never answered on port 8801/);
    expect(changeText({ title: "Internet connection", before: "pass", after: "skipped" })).toBe(
      "Internet connection: OK → Skipped",
    );
  });

  it("the same problem on both networks points at this computer", () => {
    const v = comparisonView(comparison(office, scenarioReport("blocked")), office, null);
    expect(v.tone).toBe("problem");
    expect(v.headline).toMatch(/^The same problem shows on both networks/);
    expect(v.changes).toEqual([]);
  });

  it("both fine", () => {
    const v = comparisonView(comparison(hotspot, scenarioReport("slow")), hotspot, null);
    expect(v.tone).toBe("ok");
    expect(v.headline).toMatch(/^Zoom's connections work on both networks/);
  });

  it("formats the run time, and nothing for a time it can't read", () => {
    expect(clockTime("2025-11-22T06:19:00Z")).toMatch(/\d{1,2}[:.]\d{2}/);
    expect(clockTime("not a time")).toBe("");
  });
});
