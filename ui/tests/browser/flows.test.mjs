// The built app in headless Chromium with the IPC mocked: the flows a person
// goes through (check, read the diagnosis, save, copy, test on another
// network), and the error screens.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { bundleHarness, launch, openApp, screenshot, serveDist } from "./support.mjs";

let browser;
let server;
let harness;

before(async () => {
  [server, harness, browser] = await Promise.all([serveDist(), bundleHarness(), launch()]);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const open = (mock, options) => openApp(browser, server.url, harness, mock, options);
const finishedCount = (page) => page.locator(".check:not([data-status=pending])").count();
const calls = (page, cmd) => page.evaluate((c) => window.__mdCalls.filter((x) => x.cmd === c), cmd);

test("start → results fill in live → done headline", async () => {
  const { page, context, problems } = await open({ scenario: "healthy", stepMs: 120 });
  assert.equal(await page.locator("h1").textContent(), "Meeting Doctor");
  assert.match(
    await page.locator(".lead").textContent(),
    /Find out why Zoom can't connect\. It takes a few seconds and changes nothing on this computer\./,
  );
  await page.locator(".about").filter({ hasText: "Meeting Doctor 0.1.0" }).waitFor();
  await screenshot(page, "start", false);

  const clickedAt = Date.now();
  await page.locator("#start").click();
  await page.locator("#cancel").waitFor();
  assert.ok(Date.now() - clickedAt < 500, "the running state shows at once");
  assert.equal(
    await page.evaluate(() => document.activeElement?.id),
    "cancel",
    "focus moves to Cancel, where the button was",
  );
  assert.equal(await page.locator("h1").textContent(), "Checking your connection");
  assert.equal(await page.locator(".stage").textContent(), "Checking your internet connection…");

  // Rows fill in one by one as "finished" events arrive.
  const seen = new Set();
  const total = await page.locator(".check").count();
  assert.equal(total, 17);
  while ((await page.locator("#cancel").count()) > 0) {
    seen.add(await finishedCount(page));
    await page.waitForTimeout(40);
  }
  assert.ok(seen.size >= 5, `saw the list grow in steps, got ${[...seen].join(",")}`);

  // Healthy, no code: a clear green "all good", what to do if Zoom still fails, no causes.
  const headline = page.locator(".outcome h1");
  assert.equal(
    await headline.textContent(),
    "Everything Zoom needs works on this computer and network.",
  );
  assert.equal(await page.locator(".outcome").getAttribute("role"), "status");
  assert.match(await page.locator(".outcome").getAttribute("class"), /tone-ok/);
  assert.equal(await page.locator(".outcome .icon-pass").count(), 1);
  assert.equal(await page.locator(".top-cause, .causes-section, .code-section").count(), 0);
  assert.match(await page.locator(".next").textContent(), /quit the Zoom app completely/);
  assert.match(await page.locator(".unknown-note").textContent(), /^2 checks couldn't be done/);
  assert.equal(
    await page.evaluate(() => document.activeElement?.id),
    "again",
    "focus on the primary action",
  );
  assert.equal(
    await page.locator(".check[data-status=unknown] .status-word").first().textContent(),
    "Couldn't check",
  );
  await page.waitForFunction(
    () =>
      document.getElementById("announcer")?.textContent ===
      "Check finished. Everything Zoom needs works on this computer and network.",
  );
  await screenshot(page, "done-healthy", false);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a run with failures: the diagnosis leads, the first step, the other causes, the rows below", async () => {
  const { page, context, problems } = await open({ scenario: "blocked", stepMs: 30 });
  await page.locator("#error-code").selectOption("104103");
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  const [start] = await calls(page, "start_check");
  assert.equal(start.args.errorCode, "104103");

  // The headline: the code, the cause and the first thing to do, as one alert.
  const alert = page.locator("[role=alert]");
  assert.equal(
    await alert.locator("h1").textContent(),
    `104103 means the Zoom app could not reach Zoom's servers; here it is because something on this network opens Zoom's secure connection (re-signed by "Contoso Inspection CA").`,
  );
  assert.equal(
    await page.locator(".code-line").count(),
    0,
    "the headline already speaks to the code",
  );
  // Under it: why, then the first step with how; how to tell it worked one click below.
  assert.match(
    await page.locator(".top-cause .explanation").textContent(),
    /^The network \(or a company filter\) decrypts and re-signs secure traffic\./,
  );
  assert.equal(await page.locator(".first-step h2").textContent(), "Try this first");
  assert.equal(await page.locator(".first-step h3").textContent(), "Ask the network administrator");
  assert.equal(
    await page.locator(".first-step .step-how").textContent(),
    "Send them the administrator note from the report (Copy for a technician).",
  );
  const worked = page.locator(".first-step .step-more");
  assert.equal(await worked.locator("p").first().isVisible(), false);
  await worked.locator("summary").click();
  assert.equal(
    await worked.locator("p").first().textContent(),
    "How to tell it worked: The administrator confirms Zoom is allowed, and the checks pass.",
  );
  assert.equal(await worked.locator("p").first().isVisible(), true);
  assert.equal(
    await page.locator(".top-cause .more-steps > summary").textContent(),
    "If that doesn't work: 1 more thing to try",
  );

  // Other causes, best first, collapsed; call quality apart under "Also noticed".
  assert.equal(await page.locator(".others h2").textContent(), "Other possible causes");
  assert.deepEqual(await page.locator(".others details.cause > summary").allTextContents(), [
    "Some of Zoom's ports are blocked (8801); Zoom can fall back to port 443.",
  ]);
  assert.equal(await page.locator(".also-noticed h2").textContent(), "Also noticed");
  const udp = page.locator(".also-noticed details.cause");
  assert.equal(
    await udp.locator("> summary").textContent(),
    "Audio and video can't use their fast route (UDP) here; Zoom falls back to a slower one.",
  );
  assert.equal(await udp.locator(".explanation").isVisible(), false);
  await udp.locator("> summary").click();
  assert.match(
    await udp.locator(".explanation").textContent(),
    /^Zoom sends sound and video over UDP/,
  );
  assert.deepEqual(await udp.locator(".step-title").allTextContents(), [
    "Ask the network administrator",
    "Turn off SIP ALG on the router",
    "Try another network, such as a phone hotspot",
  ]);

  // "Show the related check" marks the row, in words too, and moves there.
  assert.equal(await udp.locator(".show-checks").textContent(), "Show the related check");
  await udp.locator(".show-checks").click();
  const related = page.locator(".check.related");
  assert.deepEqual(await related.evaluateAll((els) => els.map((e) => e.getAttribute("data-id"))), [
    "udp.3478",
  ]);
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute("data-id")),
    "udp.3478",
  );
  assert.equal(await related.locator(".related-tag").textContent(), "Related to the cause above");
  await page.locator(".top-cause .show-checks").click();
  assert.deepEqual(await related.evaluateAll((els) => els.map((e) => e.getAttribute("data-id"))), [
    "tls",
  ]);

  // The checklist stays below, as before.
  assert.equal(await page.locator(".check[data-status=fail]").count(), 3);
  for (const word of await page.locator(".check[data-status=fail] .status-word").allTextContents())
    assert.equal(word, "Problem");
  const row = page.locator(".check[data-id='tcp.8801']");
  const details = row.locator(".disclosure");
  assert.equal(await details.getAttribute("aria-expanded"), "false");
  assert.equal(await row.locator(".check-detail").isHidden(), true);
  await details.click();
  assert.equal(await details.getAttribute("aria-expanded"), "true");
  const pre = row.locator(".detail-text");
  assert.equal(await pre.isVisible(), true);
  assert.match(
    await pre.textContent(),
    /170\.114\.10\.85:8801: no answer within 3000 ms\n170\.114\.10\.86:8801/,
  );
  assert.match(await row.locator(".elapsed").textContent(), /^Took 3\.0 s$/);
  const style = await pre.evaluate((el) => ({
    ws: getComputedStyle(el).whiteSpace,
    font: getComputedStyle(el).fontFamily,
  }));
  assert.equal(style.ws, "pre-wrap");
  assert.match(style.font, /mono/i);
  // The fixes a later issue fills stay hidden, with no dead buttons.
  assert.equal(await page.locator("#fixes").evaluate((el) => getComputedStyle(el).display), "none");
  await screenshot(page, "done-failures");
  assert.deepEqual(problems, []);
  await context.close();
});

test("an error code nothing here explains: what it means, what is fine, what to try next", async () => {
  const { page, context, problems } = await open({ scenario: "healthy", stepMs: 5 });
  await page.locator("#error-code").selectOption("104110");
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  assert.equal(
    await page.locator(".outcome h1").textContent(),
    "104110 means the Zoom app could not reach Zoom's servers, but everything Zoom needs works here now.",
  );
  assert.equal(await page.locator(".code-section h2").textContent(), "About error 104110");
  assert.equal(
    await page.locator(".code-meaning").textContent(),
    "104110 means the Zoom app could not reach Zoom's servers.",
  );
  assert.equal(await page.locator(".ruled-out h3").textContent(), "Checked and fine");
  assert.ok(
    (await page.locator(".ruled-out-list li").allTextContents()).includes(
      "This computer is online.",
    ),
  );
  assert.deepEqual(
    (await page.locator(".code-section .step-title").allTextContents()).slice(0, 2),
    ["Quit Zoom completely and start it again", "Join from a web browser"],
  );
  assert.equal(await page.locator(".next").count(), 0, "the steps say what to do");
  await screenshot(page, "done-code-unexplained");
  assert.deepEqual(problems, []);
  await context.close();
});

test("save report: HTML, names left out by default, the path said politely; a save error keeps the report", async () => {
  const { page, context, problems } = await open({ scenario: "filtered", stepMs: 5 });
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  const box = page.locator("#include-names");
  assert.equal(await box.isChecked(), false);
  assert.equal(
    await page.locator("label[for=include-names]").textContent(),
    "Include names and addresses",
  );
  const result = page.locator("#save-result");
  assert.equal(await result.getAttribute("role"), "status");

  await page.locator("#save").click();
  await result.filter({ hasText: "Saved to" }).waitFor();
  assert.equal(
    await result.textContent(),
    "Saved to /home/anna/Downloads/meeting-doctor-report-20251122061900.html",
  );
  let saves = await calls(page, "save_report");
  assert.equal(saves.length, 1);
  assert.equal(saves[0].args.format, "html");
  assert.equal(saves[0].args.redact, true);
  assert.equal(saves[0].args.report.diagnosis.causes[0].id, "dns_filtered");

  await box.check();
  await page.locator("#save").click();
  await page.waitForFunction(
    () => window.__mdCalls.filter((c) => c.cmd === "save_report").length === 2,
  );
  saves = await calls(page, "save_report");
  assert.equal(saves[1].args.redact, false, "the box keeps names and addresses in");
  assert.deepEqual(problems, []);
  await context.close();

  const message =
    "Couldn't save the report in /home/anna/Downloads: Permission denied (os error 13)";
  const failing = await open({
    scenario: "filtered",
    stepMs: 5,
    saveError: { kind: "save", message },
  });
  await failing.page.locator("#start").click();
  await failing.page.locator("#again").waitFor();
  await failing.page.locator("#save").click();
  const failed = failing.page.locator("#save-result");
  await failed.filter({ hasText: "Permission denied" }).waitFor();
  assert.equal(await failed.textContent(), message);
  assert.equal(await failed.locator(".icon-fail").count(), 1);
  assert.match(
    await failing.page.locator("[role=alert] h1").textContent(),
    /^This network's name lookup blocks Zoom/,
    "the report stays",
  );
  assert.equal(await failing.page.locator("#retry").count(), 0, "not the error screen");
  assert.deepEqual(failing.problems, []);
  await failing.context.close();
});

test("copy for a technician: the engine's redacted report, on the clipboard", async () => {
  const markdown =
    "# Meeting Doctor report\n\n**This network's name lookup blocks Zoom (zoom.us).**\n\n| Check | Result |\n|---|---|\n| Finding Zoom's servers | Problem |\n";
  const { page, context, problems } = await open({ scenario: "filtered", stepMs: 5, markdown });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.locator("#error-code").selectOption("5003");
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  assert.match(
    await page.locator("#share-hint").textContent(),
    /leave out this computer's name, your user name and network addresses, and never contain passwords/,
  );
  await page.locator("#copy").click();
  await page.locator(".copy-result").filter({ hasText: "Copied" }).waitFor();
  await page.waitForFunction(() => document.getElementById("announcer")?.textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);
  const asked = await calls(page, "technician_report");
  assert.ok(asked.length >= 1);
  for (const r of asked) {
    assert.deepEqual(Object.keys(r.args), ["report"], "no redaction flag to get wrong");
    assert.equal(r.args.report.error_code, "5003");
  }
  assert.equal((await calls(page, "render_report")).length, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("copy for a technician copies nothing when the engine can't prepare it, and says so", async () => {
  const { page, context, problems } = await open({
    scenario: "blocked",
    stepMs: 5,
    renderError: { kind: "internal", message: "render failed" },
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.evaluate(() => navigator.clipboard.writeText("before"));
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  await page.locator("#copy").click();
  await page
    .locator(".copy-result")
    .filter({ hasText: "Couldn't prepare the details for a technician" })
    .waitFor();
  await page.waitForFunction(
    () =>
      document.getElementById("announcer")?.textContent ===
      "Couldn't prepare the details for a technician.",
  );
  // No text of the UI's own, unredacted, in its place.
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "before");
  assert.equal(await page.locator(".manual-copy").isHidden(), true);
  assert.equal(await page.locator(".manual-copy").inputValue(), "");
  assert.deepEqual(problems, []);
  await context.close();
});

test("test on another network: keep the first run, check the hotspot, compare the two", async () => {
  const { page, context, problems } = await open({
    scenario: "healthy",
    runs: ["filtered", "healthy"],
    stepMs: 10,
    networks: ["Wi-Fi (Office)", "Wi-Fi (Anna's phone)"],
  });
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  const firstHeadline = await page.locator(".outcome h1").textContent();
  assert.match(firstHeadline, /^This network's name lookup blocks Zoom/);

  await page.locator("#other-network").click();
  assert.equal(await page.locator("h1").textContent(), "Test on another network");
  assert.equal(
    await page.locator("#switch-how").textContent(),
    "Connect to another network — your phone's hotspot works — then press Check this network.",
  );
  assert.equal(await page.evaluate(() => document.activeElement?.id), "check-other");
  assert.equal((await calls(page, "start_check")).length, 1, "nothing runs until asked");

  // Cancel is safe: back to the first results, on the button that led away.
  await page.locator("#cancel-other").click();
  assert.equal(await page.locator(".outcome h1").textContent(), firstHeadline);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "other-network");
  await page.locator("#other-network").click();
  await screenshot(page, "switch-network", false);

  await page.locator("#check-other").click();
  await page.locator("#cancel").waitFor();
  assert.equal(await page.locator("h1").textContent(), "Checking this network");
  await page.locator("#start-over").waitFor();
  await page.locator(".network").first().waitFor();

  const starts = await calls(page, "start_check");
  assert.equal(starts.length, 2);
  const [compare] = await calls(page, "compare_reports");
  assert.equal(
    compare.args.before.diagnosis.causes[0].id,
    "dns_filtered",
    "the first network's report comes first",
  );
  assert.deepEqual(compare.args.after.diagnosis.causes, []);
  assert.notEqual(compare.args.before.generated_at, compare.args.after.generated_at);

  assert.equal(
    await page.locator(".outcome h1").textContent(),
    "Wi-Fi (Office) blocks Zoom: it works on Wi-Fi (Anna's phone).",
  );
  assert.match(
    await page.locator(".advice").textContent(),
    /^This computer is fine\. Ask whoever runs Wi-Fi \(Office\) to allow Zoom/,
  );
  assert.deepEqual(await page.locator(".network h2").allTextContents(), [
    "First network: Wi-Fi (Office)",
    "Second network: Wi-Fi (Anna's phone)",
  ]);
  assert.match(
    await page.locator(".network").first().textContent(),
    /Problems found:This network's name lookup blocks Zoom \(zoom\.us\)\./,
  );
  assert.match(await page.locator(".network").last().textContent(), /No problems that stop Zoom\./);
  const change = page.locator(".change[data-id='dns.system']");
  assert.equal(
    await change.locator(".change-line > [aria-hidden]").textContent(),
    "Finding Zoom's servers (this computer's DNS): Problem → OK",
  );
  assert.equal(
    await change.locator(".change-line > .visually-hidden").textContent(),
    "Finding Zoom's servers (this computer's DNS): Problem on the first network, OK on the second.",
  );
  assert.match(
    await change.textContent(),
    /First network: This network's name lookup sends Zoom's names nowhere/,
  );
  assert.equal(await page.evaluate(() => document.activeElement?.id), "start-over");
  await page.waitForFunction(() =>
    document
      .getElementById("announcer")
      ?.textContent?.startsWith(
        "Compared the two networks. Wi-Fi (Office) blocks Zoom: it works on Wi-Fi (Anna's phone). This computer is fine.",
      ),
  );
  await screenshot(page, "compare");

  await page.locator("#start-over").click();
  assert.equal(await page.locator("h1").textContent(), "Meeting Doctor");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "start");
  assert.equal((await calls(page, "save_report")).length, 0, "nothing was saved");
  assert.deepEqual(problems, []);
  await context.close();
});

test("cancel mid-run: stops, says so, keeps what finished", async () => {
  const { page, context, problems } = await open({ scenario: "healthy", stepMs: 150 });
  await page.locator("#start").click();
  await page.waitForFunction(
    () => document.querySelectorAll(".check:not([data-status=pending])").length >= 3,
  );
  await page.locator("#cancel").click();
  await page.locator("#again").waitFor();
  assert.equal((await calls(page, "cancel_check")).length, 1);
  assert.equal(
    await page.locator(".outcome h1").textContent(),
    "The check was stopped before it finished.",
  );
  const stopped = await page.locator(".check[data-status=stopped]").count();
  const done = await page.locator(".check[data-status=pass], .check[data-status=unknown]").count();
  assert.ok(
    done >= 3 && stopped >= 1 && done + stopped === 17,
    `done ${String(done)}, stopped ${String(stopped)}`,
  );
  assert.equal(
    await page.locator(".check[data-status=stopped] .status-word").first().textContent(),
    "Not finished",
  );
  assert.equal(await page.evaluate(() => document.activeElement?.id), "again");

  // Check again: a new run clears the old results.
  await page.locator("#again").click();
  await page.locator("#cancel").waitFor();
  assert.equal(await page.locator(".check[data-status=stopped]").count(), 0);
  assert.ok((await finishedCount(page)) < 3);
  await page.locator("#again").waitFor();
  assert.equal(
    await page.locator(".outcome h1").textContent(),
    "Everything Zoom needs works on this computer and network.",
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test("busy: the error screen says so plainly; Try again runs the check", async () => {
  const { page, context, problems } = await open({
    scenario: "offline",
    stepMs: 10,
    startErrorOnce: { kind: "busy", message: "A check is already running." },
  });
  await page.locator("#start").click();
  await page.locator("#retry").waitFor();
  assert.equal(await page.locator("[role=alert] h1").textContent(), "A check is already running.");
  assert.match(await page.locator(".message").textContent(), /A check is already running\./);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "retry");
  await page.locator("#retry").click();
  await page.locator("#again").waitFor();
  assert.equal(
    await page.locator("[role=alert] h1").textContent(),
    "This computer is not connected to the internet.",
  );
  assert.equal(await page.locator(".first-step h3").textContent(), "Restart the router");
  assert.equal(await page.locator(".check[data-status=skipped]").count(), 16);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a bad profile: a clear error screen with the file's message, no crash", async () => {
  const message = "/tmp/lab.toml:3:1: expected `[[tcp]]` to have `port`";
  const { page, context, problems } = await open({
    scenario: "healthy",
    stepMs: 10,
    overviewError: { kind: "profile", message },
  });
  await page.locator("#retry").waitFor();
  assert.equal(
    await page.locator("[role=alert] h1").textContent(),
    "Meeting Doctor can't use the settings file it was started with.",
  );
  const pre = page.locator(".message");
  assert.equal(await pre.textContent(), message);
  assert.match(await pre.evaluate((el) => getComputedStyle(el).fontFamily), /mono/i);
  await screenshot(page, "error-profile", false);
  await page.locator("#retry").click();
  await page.waitForFunction(
    () => window.__mdCalls.filter((c) => c.cmd === "overview").length === 2,
  );
  assert.equal(
    await page.locator("#retry").count(),
    1,
    "still the error screen while the profile is bad",
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test("after 1 s a named stage, after 10 s step n of m, Cancel all along", async () => {
  const { page, context, problems } = await open(
    { scenario: "healthy", stepMs: 1500, holdAfter: 8 },
    { clock: true },
  );
  await page.locator("#start").click();
  await page.locator("#cancel").waitFor();
  assert.equal(await page.locator(".progress").isHidden(), true);
  await page.clock.runFor(1100);
  await page.waitForFunction(
    () =>
      document.getElementById("announcer")?.textContent === "Checking your internet connection…",
  );
  await page.clock.runFor(9000);
  await page.locator(".progress").waitFor();
  assert.match(await page.locator(".step").textContent(), /^Step \d+ of 17$/);
  assert.equal(await page.locator("#cancel").isVisible(), true);
  await page.clock.runFor(20_000);
  assert.equal(await page.locator(".step").textContent(), "Step 9 of 17");
  assert.equal(await page.locator("#cancel").isVisible(), true);
  await screenshot(page, "running", false);
  assert.deepEqual(problems, []);
  await context.close();
});
