// The built app in headless Chromium with the IPC mocked: the flows a person
// goes through, and the error screens.

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
  assert.match(await page.locator(".lead").textContent(), /Find out why Zoom can't connect\. It takes a few seconds and changes nothing on this computer\./);
  await page.locator(".about").filter({ hasText: "Meeting Doctor 0.1.0" }).waitFor();
  await screenshot(page, "start", false);

  const clickedAt = Date.now();
  await page.locator("#start").click();
  await page.locator("#cancel").waitFor();
  assert.ok(Date.now() - clickedAt < 500, "the running state shows at once");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "cancel", "focus moves to Cancel, where the button was");
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

  const headline = page.locator(".outcome h1");
  assert.equal(await headline.textContent(), "Zoom should be able to connect from here.");
  assert.equal(await page.locator(".outcome").getAttribute("role"), "status");
  assert.match(await page.locator(".unknown-note").textContent(), /^2 checks couldn't be done/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "again", "focus on the primary action");
  assert.equal(await page.locator(".check[data-status=unknown] .status-word").first().textContent(), "Couldn't check");
  await page.waitForFunction(() => document.getElementById("announcer")?.textContent === "Check finished. Zoom should be able to connect from here.");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a run with failures: alert headline, code line, problem rows, expandable detail", async () => {
  const { page, context, problems } = await open({ scenario: "blocked", stepMs: 30 });
  await page.locator("#error-code").selectOption("104103");
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  const [start] = await calls(page, "start_check");
  assert.equal(start.args.errorCode, "104103");

  const alert = page.locator("[role=alert]");
  assert.equal(await alert.locator("h1").textContent(), "We found 3 problems that can stop Zoom from connecting.");
  assert.equal(await page.locator(".lead").textContent(), "Zoom never answered on port 8801; something on the way is dropping it.");
  assert.match(await page.locator(".code-line").textContent(), /^You saw error 104103: the Zoom app couldn't connect to Zoom's servers\./);
  assert.equal(await page.locator(".check[data-status=fail]").count(), 3);
  for (const word of await page.locator(".check[data-status=fail] .status-word").allTextContents()) assert.equal(word, "Problem");

  const row = page.locator(".check[data-id='tcp.8801']");
  const details = row.locator(".disclosure");
  assert.equal(await details.getAttribute("aria-expanded"), "false");
  assert.equal(await row.locator(".check-detail").isHidden(), true);
  await details.click();
  assert.equal(await details.getAttribute("aria-expanded"), "true");
  const pre = row.locator(".detail-text");
  assert.equal(await pre.isVisible(), true);
  assert.match(await pre.textContent(), /170\.114\.10\.85:8801: no answer within 3000 ms\n170\.114\.10\.86:8801/);
  assert.match(await row.locator(".elapsed").textContent(), /^Took 3\.0 s$/);
  const style = await pre.evaluate((el) => ({ ws: getComputedStyle(el).whiteSpace, font: getComputedStyle(el).fontFamily }));
  assert.equal(style.ws, "pre-wrap");
  assert.match(style.font, /mono/i);
  await row.locator(".check-detail").waitFor();
  // The places later issues fill are there, hidden, with no dead buttons.
  for (const slot of ["#fixes", "#report-actions"]) {
    assert.equal(await page.locator(slot).evaluate((el) => getComputedStyle(el).display), "none", slot);
  }
  await screenshot(page, "done-failures");
  assert.deepEqual(problems, []);
  await context.close();
});

test("copy details for a technician: text on the clipboard, confirmed", async () => {
  const { page, context, problems } = await open({ scenario: "blocked", stepMs: 5 });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.locator("#error-code").selectOption("5003");
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  assert.match(await page.locator(".hint").last().textContent(), /no passwords or personal files/);
  await page.locator("#copy").click();
  await page.locator(".copy-result").filter({ hasText: "Copied" }).waitFor();
  await page.waitForFunction(() => document.getElementById("announcer")?.textContent === "Copied");
  const text = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(text, /^Meeting Doctor — connection check for Zoom/);
  assert.match(text, /Error code: 5003/);
  assert.match(text, /System: {5}Linux · Debian GNU\/Linux 12 \(bookworm\) · x86_64/);
  assert.match(text, /PROBLEM: Zoom connection \(port 8801\) — Zoom never answered on port 8801/);
  assert.match(text, /\n {6}170\.114\.10\.85:8801: no answer within 3000 ms\n/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("cancel mid-run: stops, says so, keeps what finished", async () => {
  const { page, context, problems } = await open({ scenario: "healthy", stepMs: 150 });
  await page.locator("#start").click();
  await page.waitForFunction(() => document.querySelectorAll(".check:not([data-status=pending])").length >= 3);
  await page.locator("#cancel").click();
  await page.locator("#again").waitFor();
  assert.equal((await calls(page, "cancel_check")).length, 1);
  assert.equal(await page.locator(".outcome h1").textContent(), "The check was stopped before it finished.");
  const stopped = await page.locator(".check[data-status=stopped]").count();
  const done = await page.locator(".check[data-status=pass], .check[data-status=unknown]").count();
  assert.ok(done >= 3 && stopped >= 1 && done + stopped === 17, `done ${String(done)}, stopped ${String(stopped)}`);
  assert.equal(await page.locator(".check[data-status=stopped] .status-word").first().textContent(), "Not finished");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "again");

  // Check again: a new run clears the old results.
  await page.locator("#again").click();
  await page.locator("#cancel").waitFor();
  assert.equal(await page.locator(".check[data-status=stopped]").count(), 0);
  assert.ok((await finishedCount(page)) < 3);
  await page.locator("#again").waitFor();
  assert.equal(await page.locator(".outcome h1").textContent(), "Zoom should be able to connect from here.");
  assert.deepEqual(problems, []);
  await context.close();
});

test("busy: the error screen says so plainly; Try again runs the check", async () => {
  const { page, context, problems } = await open({ scenario: "offline", stepMs: 10, startErrorOnce: { kind: "busy", message: "A check is already running." } });
  await page.locator("#start").click();
  await page.locator("#retry").waitFor();
  assert.equal(await page.locator("[role=alert] h1").textContent(), "A check is already running.");
  assert.match(await page.locator(".message").textContent(), /A check is already running\./);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "retry");
  await page.locator("#retry").click();
  await page.locator("#again").waitFor();
  assert.equal(await page.locator("[role=alert] h1").textContent(), "Zoom can't connect because this computer can't reach the internet.");
  assert.equal(await page.locator(".check[data-status=skipped]").count(), 16);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a bad profile: a clear error screen with the file's message, no crash", async () => {
  const message = "/tmp/lab.toml:3:1: expected `[[tcp]]` to have `port`";
  const { page, context, problems } = await open({ scenario: "healthy", stepMs: 10, overviewError: { kind: "profile", message } });
  await page.locator("#retry").waitFor();
  assert.equal(await page.locator("[role=alert] h1").textContent(), "Meeting Doctor can't use the settings file it was started with.");
  const pre = page.locator(".message");
  assert.equal(await pre.textContent(), message);
  assert.match(await pre.evaluate((el) => getComputedStyle(el).fontFamily), /mono/i);
  await screenshot(page, "error-profile", false);
  await page.locator("#retry").click();
  await page.waitForFunction(() => window.__mdCalls.filter((c) => c.cmd === "overview").length === 2);
  assert.equal(await page.locator("#retry").count(), 1, "still the error screen while the profile is bad");
  assert.deepEqual(problems, []);
  await context.close();
});

test("after 1 s a named stage, after 10 s step n of m, Cancel all along", async () => {
  const { page, context, problems } = await open({ scenario: "healthy", stepMs: 1500, holdAfter: 8 }, { clock: true });
  await page.locator("#start").click();
  await page.locator("#cancel").waitFor();
  assert.equal(await page.locator(".progress").isHidden(), true);
  await page.clock.runFor(1100);
  await page.waitForFunction(() => document.getElementById("announcer")?.textContent === "Checking your internet connection…");
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
