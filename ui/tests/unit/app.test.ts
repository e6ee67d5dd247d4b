// The app in jsdom with a fake Backend: the screens follow the state, focus
// goes where the vanished control was, the live region speaks sparingly.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Format, Report, RunEvent } from "../../src/bindings";
import type { Backend } from "../../src/backend";
import { createApp } from "../../src/app";
import {
  OVERVIEW,
  SCENARIOS,
  comparison,
  finding,
  findings,
  report,
  scenarioReport,
  startedEvents,
} from "../fixtures";
// What the engine's redactor makes of the report below (crates/core/tests/render.rs writes it).
import ENGINE_COPY from "../../../crates/core/tests/snapshots/leaky.technician.md?raw";

interface Controlled {
  backend: Backend;
  emit(e: RunEvent): void;
  finish(r: Report): void;
  fail(e: unknown): void;
  calls: {
    start: (string | null)[];
    cancel: number;
    render: { format: Format; redact: boolean }[];
    technician: Report[];
    save: { format: Format; redact: boolean }[];
    compare: { before: Report; after: Report }[];
  };
  /** What the next render_report / technician_report / save_report calls answer (a string), or reject with (anything else). */
  answers: { render: unknown; technician: unknown; save: unknown };
}

/** A backend with nothing to fix and no history. */
const NO_FIXES: Pick<
  Backend,
  | "fixSuggestions"
  | "previewFix"
  | "applyFix"
  | "cancelFix"
  | "undoFix"
  | "fixHistory"
  | "fixScript"
> = {
  fixSuggestions: () => Promise.resolve([]),
  previewFix: () => Promise.reject(new Error("unused")),
  applyFix: () => Promise.reject(new Error("unused")),
  cancelFix: () => Promise.resolve(false),
  undoFix: () => Promise.reject(new Error("unused")),
  fixHistory: () => Promise.resolve([]),
  fixScript: () => Promise.reject(new Error("unused")),
};

function controlled(): Controlled {
  let onEvent: (e: RunEvent) => void = () => undefined;
  let resolve: (r: Report) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const calls: Controlled["calls"] = {
    start: [],
    cancel: 0,
    render: [],
    technician: [],
    save: [],
    compare: [],
  };
  const answers: Controlled["answers"] = {
    render: "# Meeting Doctor report\n",
    technician: "# Meeting Doctor report\n",
    save: "/home/anna/Downloads/meeting-doctor-report-20251122061900.html",
  };
  // Tauri rejects with the plain IpcError object, not an Error.
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
  const answer = (a: unknown) => (typeof a === "string" ? Promise.resolve(a) : Promise.reject(a));
  return {
    calls,
    answers,
    backend: {
      ...NO_FIXES,
      renderReport: (_report, format, redact) => {
        calls.render.push({ format, redact });
        return answer(answers.render);
      },
      technicianReport: (r) => {
        calls.technician.push(r);
        return answer(answers.technician);
      },
      saveReport: (_report, format, redact) => {
        calls.save.push({ format, redact });
        return answer(answers.save);
      },
      compareReports: (before, after) => {
        calls.compare.push({ before, after });
        return Promise.resolve(
          comparison(before, after, ["Wi-Fi (Office)", "Wi-Fi (Anna's phone)"]),
        );
      },
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

/** A report with each kind of secret and address the engine's redactor removes (the kinds crates/core/tests/render.rs checks in every format). */
const PORTAL = "http://login.hotel.example/portal?mac=aa:bb:cc:dd:ee:ff&token=s3cr3t";
const PROXY = "http://alice:hunter2@proxy.corp.example:8080";
const PAC = "http://wpad.corp.example/proxy.pac?auth=abc123";
const LEAKY = report(
  findings({
    captive_portal: finding(
      "captive_portal",
      "fail",
      "This network wants you to sign in on a web page first (login.hotel.example).",
      `GET http://captive.example/generate_204 → HTTP 302; redirected to ${PORTAL}`,
    ),
    proxy: finding(
      "proxy",
      "warn",
      `Web traffic goes through a proxy (${PROXY}) and a script (${PAC}).`,
      `{"pac_url":"${PAC}","http":"alice:hunter2@proxy.corp.example:8080"} (HTTPS_PROXY_PASSWORD=envs3cret)`,
    ),
    vpn: finding(
      "vpn",
      "warn",
      "Zoom's traffic leaves by eth0:fe80::1c2:3ff:fe4:5, next to fe80::1%eth0.",
      "gateway lladdr a4:83:e7:12:34:56",
    ),
    network_type: finding(
      "network_type",
      "warn",
      "Connected by Wi-Fi (Alice's iPhone); access point A4-83-E7-12-34-56.",
      "interface wlan0 (a4:83:e7:12:34:56)",
    ),
  }),
);
/** None of these may reach the clipboard (lower case). */
const LEAKS = [
  "envs3cret",
  "hunter2",
  "s3cr3t",
  "token=",
  "abc123",
  "auth=",
  "alice:",
  "mac=aa",
  "fe80::1",
  "a4:83:e7:12:34:56",
  "a4-83-e7-12-34-56",
  "aa:bb:cc:dd:ee:ff",
  "alice's iphone",
  "anna",
];

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
    expect(document.querySelectorAll(".check[data-status=pending]")).toHaveLength(
      OVERVIEW.checks.length,
    );
    for (const e of startedEvents()) c.emit(e);
    c.emit({ event: "finished", finding: SCENARIOS.blocked[0] });
    expect($(".check[data-id=internet]")?.getAttribute("data-status")).toBe("pass");
    c.finish(scenarioReport("blocked"));
    await flush();
    expect($("[role=alert] h1")?.textContent).toBe(
      'Something on this network opens Zoom\'s secure connection (re-signed by "Contoso Inspection CA").',
    );
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
    expect($("[role=status] h1")?.textContent).toBe(
      "Everything Zoom needs works on this computer and network.",
    );
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
    expect(document.querySelectorAll(".check[data-status=stopped]")).toHaveLength(
      OVERVIEW.checks.length - 1,
    );
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

  it("copies the engine's redacted report for a technician, prepared ahead, and confirms", async () => {
    const c = controlled();
    const copied: string[] = [];
    createApp(root, c.backend, (t) => {
      copied.push(t);
      return Promise.resolve(true);
    });
    await flush();
    button("#start")?.click();
    const r = scenarioReport("blocked");
    c.finish(r);
    await flush();
    expect(c.calls.technician).toEqual([r]); // prepared ahead
    expect(c.calls.render).toEqual([]); // never the render with a redaction flag
    button("#copy")?.click();
    await new Promise((r) => setTimeout(r, 80));
    expect(copied).toEqual(["# Meeting Doctor report\n"]);
    expect(c.calls.technician).toHaveLength(1);
    expect($("#announcer")?.textContent).toBe("Copied");
    expect($(".copy-result")?.textContent).toMatch(/^Copied/);
  });

  it("copies exactly the engine's text: no secret, address or Wi-Fi name of the report gets in", async () => {
    const c = controlled();
    c.answers.technician = ENGINE_COPY;
    const copied: string[] = [];
    createApp(root, c.backend, (t) => {
      copied.push(t);
      return Promise.resolve(false); // and shown to copy by hand
    });
    await flush();
    button("#start")?.click();
    c.finish(LEAKY);
    await flush();
    button("#copy")?.click();
    await new Promise((r) => setTimeout(r, 80));
    expect(copied).toEqual([ENGINE_COPY]);
    const manual = document.querySelector<HTMLTextAreaElement>(".manual-copy");
    expect(manual?.hidden).toBe(false);
    expect(manual?.value).toBe(ENGINE_COPY);
    for (const text of [copied[0], manual?.value ?? ""]) {
      for (const s of LEAKS) expect(text.toLowerCase()).not.toContain(s);
      // What the technician acts on is still there.
      expect(text).toContain("http://login.hotel.example/portal?[redacted]");
      expect(text).toContain("http://[credentials]@proxy.corp.example:8080");
      expect(text).toContain("http://wpad.corp.example/proxy.pac?[redacted]");
    }
  });

  it("when the engine can't prepare the copy: nothing is copied, nothing unredacted shown, and it says so", async () => {
    const c = controlled();
    c.answers.technician = { kind: "internal", message: "render failed" };
    const copied: string[] = [];
    createApp(root, c.backend, (t) => {
      copied.push(t);
      return Promise.resolve(false);
    });
    await flush();
    button("#start")?.click();
    c.finish(LEAKY);
    await flush();
    button("#copy")?.click();
    await new Promise((r) => setTimeout(r, 80));
    expect(c.calls.technician).toHaveLength(2); // prepared ahead, then asked again at the click
    expect(copied).toEqual([]);
    expect($(".copy-result")?.textContent).toBe(
      "Couldn't prepare the details for a technician. Please try again.",
    );
    expect($("#announcer")?.textContent).toBe("Couldn't prepare the details for a technician.");
    const manual = document.querySelector<HTMLTextAreaElement>(".manual-copy");
    expect(manual?.hidden).toBe(true);
    expect(manual?.value).toBe("");
    // Trying again once the engine answers copies its text.
    c.answers.technician = ENGINE_COPY;
    button("#copy")?.click();
    await new Promise((r) => setTimeout(r, 80));
    expect(copied).toEqual([ENGINE_COPY]);
    expect(manual?.value).toBe(ENGINE_COPY);
  });

  it("leads the Done screen with the diagnosis: headline, why, the first step", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    button("#start")?.click();
    c.finish(scenarioReport("filtered"));
    await flush();
    expect($("[role=alert] h1")?.textContent).toBe(
      "This network's name lookup blocks Zoom (zoom.us).",
    );
    expect($(".top-cause .explanation")?.textContent).toMatch(
      /^The network's DNS answers Zoom's names/,
    );
    expect($(".first-step h3")?.textContent).toBe("Ask the network administrator");
    expect($(".first-step .step-how")?.textContent).toBe(
      "Send them the administrator note from the report (Copy for a technician).",
    );
    expect($(".first-step details")?.hasAttribute("open")).toBe(false);
    expect($(".first-step details p")?.textContent).toBe(
      "How to tell it worked: The administrator confirms Zoom is allowed, and the checks pass.",
    );
    // "Show the checks": the evidence rows are marked, and the first takes focus.
    button(".top-cause .show-checks")?.click();
    expect(
      [...document.querySelectorAll(".check.related")].map((e) => e.getAttribute("data-id")),
    ).toEqual(["dns.system", "dns.reference"]);
    expect(document.activeElement).toBe($(".check[data-id='dns.system']"));
    expect($(".check[data-id='dns.system'] .related-tag")?.textContent).toBe(
      "Related to the cause above",
    );
  });

  it("saves the report as HTML, names left out unless the box is ticked, and says where", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    button("#start")?.click();
    c.finish(scenarioReport("blocked"));
    await flush();
    button("#save")?.click();
    await flush();
    expect(c.calls.save).toEqual([{ format: "html", redact: true }]);
    expect($("#save-result")?.textContent).toBe(
      "Saved to /home/anna/Downloads/meeting-doctor-report-20251122061900.html",
    );
    expect($("#save-result")?.getAttribute("role")).toBe("status");

    const box = document.querySelector<HTMLInputElement>("#include-names");
    if (!box) throw new Error("no checkbox");
    box.click();
    c.answers.save = {
      kind: "save",
      message: "Couldn't save the report in /home/anna/Downloads: Permission denied (os error 13)",
    };
    button("#save")?.click();
    await flush();
    expect(c.calls.save[1]).toEqual({ format: "html", redact: false });
    expect($("#save-result")?.textContent).toBe(
      "Couldn't save the report in /home/anna/Downloads: Permission denied (os error 13)",
    );
    // The report stays on screen.
    expect($("[role=alert] h1")?.textContent).toMatch(
      /^Something on this network opens Zoom's secure connection/,
    );
    expect($("#again")).not.toBeNull();
  });

  it("tests on another network: keeps the first run, checks again, compares both", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    button("#start")?.click();
    const first = scenarioReport("filtered");
    c.finish(first);
    await flush();
    button("#other-network")?.click();
    expect($("h1")?.textContent).toBe("Test on another network");
    expect($(".lead")?.textContent).toBe(
      "Connect to another network — your phone's hotspot works — then press Check this network.",
    );
    expect(document.activeElement).toBe(button("#check-other"));

    // Cancel goes back to the first results, focus on the button that led away.
    button("#cancel-other")?.click();
    expect($("[role=alert] h1")?.textContent).toMatch(/^This network's name lookup blocks Zoom/);
    expect(document.activeElement).toBe(button("#other-network"));

    button("#other-network")?.click();
    button("#check-other")?.click();
    expect($("h1")?.textContent).toBe("Checking this network");
    expect(c.calls.start).toHaveLength(2);
    const second = scenarioReport("healthy");
    c.finish(second);
    await flush();
    expect(c.calls.compare).toHaveLength(1);
    expect(c.calls.compare[0].before).toBe(first);
    expect(c.calls.compare[0].after).toBe(second);
    expect($(".compare .outcome h1")?.textContent).toBe(
      "Wi-Fi (Office) blocks Zoom: it works on Wi-Fi (Anna's phone).",
    );
    expect([...document.querySelectorAll(".network h2")].map((e) => e.textContent)).toEqual([
      "First network: Wi-Fi (Office)",
      "Second network: Wi-Fi (Anna's phone)",
    ]);
    expect($(".change[data-id='dns.system'] .change-line > [aria-hidden]")?.textContent).toBe(
      "Finding Zoom's servers (this computer's DNS): Problem → OK",
    );
    expect(document.activeElement).toBe(button("#start-over"));
    await new Promise((r) => setTimeout(r, 80));
    expect($("#announcer")?.textContent).toMatch(
      /^Compared the two networks\. Wi-Fi \(Office\) blocks Zoom: it works on Wi-Fi \(Anna.s phone\)\. This computer is fine\./,
    );

    button("#start-over")?.click();
    expect($("h1")?.textContent).toBe("Meeting Doctor");
    expect(document.activeElement).toBe(button("#start"));
  });

  it("a stopped check on the second network asks again instead of comparing", async () => {
    const c = controlled();
    createApp(root, c.backend);
    await flush();
    button("#start")?.click();
    c.finish(scenarioReport("filtered"));
    await flush();
    button("#other-network")?.click();
    button("#check-other")?.click();
    button("#cancel")?.click();
    c.finish(report([SCENARIOS.healthy[0]], { cancelled: true }));
    await flush();
    expect(c.calls.compare).toHaveLength(0);
    expect($("#switch-note")?.textContent).toMatch(/^The check on this network was stopped/);
    expect(document.activeElement).toBe(button("#check-other"));
  });

  it("a profile error on load becomes the error screen", async () => {
    const backend: Backend = {
      ...NO_FIXES,
      // Tauri rejects with the plain IpcError object, not an Error.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      overview: () => Promise.reject({ kind: "profile", message: "lab.toml:3: expected a table" }),
      startCheck: () => Promise.reject(new Error("unused")),
      cancelCheck: () => Promise.resolve(false),
      renderReport: () => Promise.reject(new Error("unused")),
      technicianReport: () => Promise.reject(new Error("unused")),
      saveReport: () => Promise.reject(new Error("unused")),
      compareReports: () => Promise.reject(new Error("unused")),
    };
    createApp(root, backend);
    await flush();
    expect($("[role=alert] h1")?.textContent).toBe(
      "Meeting Doctor can't use the settings file it was started with.",
    );
    expect($(".message")?.textContent).toBe("lab.toml:3: expected a table");
  });
});
