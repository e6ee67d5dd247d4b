// Fixes in the built app, headless Chromium, IPC mocked: "Fix it" under the
// cause, the confirmation that names the fix and lists what will happen,
// Cancel that changes nothing, the administrator wait, steps ticking, the
// result before → after, Undo; a declined password; a fix that can't be made
// here is not a button; the dialog by keyboard; axe in light and dark.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  axe,
  bundleHarness,
  launch,
  openApp,
  overflowsSideways,
  screenshot,
  serious,
  serveDist,
} from "./support.mjs";

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
const calls = (page, cmd) => page.evaluate((c) => window.__mdCalls.filter((x) => x.cmd === c), cmd);
const focused = (page) =>
  page.evaluate(() => ({
    id: document.activeElement?.id ?? "",
    fix: document.activeElement?.getAttribute("data-fix") ?? null,
    tag: document.activeElement?.tagName ?? "",
  }));

async function done(page) {
  await page.locator("#start").click();
  await page.locator("#again").waitFor();
  await page.locator(".cause-fixes .fix-it, .cause-fixes details").first().waitFor();
}

test("Fix it → the dialog names the fix and lists its steps → Cancel changes nothing → confirm → password wait → steps → before → after → Undo", async () => {
  const { page, context, problems } = await open({
    scenario: "firewall",
    stepMs: 5,
    approvalMs: 900,
    fixStepMs: 250,
  });
  await done(page);

  // The fix sits under the cause, with the shield on the button that needs a password.
  const fixIt = page.locator(".top-cause .fix-it[data-fix='firewall.allow_zoom']");
  assert.equal(await fixIt.textContent(), "Fix it: Let Zoom through this computer's firewall");
  assert.equal(await fixIt.locator(".shield").count(), 1);
  assert.equal(
    await page.locator(".top-cause .fix-admin").textContent(),
    "Asks for an administrator password",
  );
  assert.equal(
    await page.locator("#again").getAttribute("class"),
    "primary",
    "Check again stays the one primary button",
  );
  await screenshot(page, "fix-done-screen", false);

  // Ask first: title, why, what will happen, password, undo, how it's checked.
  await fixIt.click();
  const dialog = page.locator("[role=dialog]");
  await dialog.locator("#fix-confirm").waitFor();
  assert.equal(await dialog.getAttribute("aria-modal"), "true");
  assert.equal(
    await page.locator("#fix-dialog-title").textContent(),
    "Let Zoom through this computer's firewall",
  );
  assert.equal(await dialog.getAttribute("aria-labelledby"), "fix-dialog-title");
  assert.equal(
    await page.locator("#fix-dialog-why").textContent(),
    "The firewall on this computer blocks the ports Zoom needs.",
  );
  assert.deepEqual(await dialog.locator(".fix-steps li").allTextContents(), [
    "Let Zoom's connections out through the firewall",
    "Let Zoom's sound and video out through the firewall",
  ]);
  assert.equal(
    await dialog.locator(".fix-admin").textContent(),
    "Your computer will ask for an administrator password.",
  );
  assert.match(
    await dialog.locator(".fix-undo").textContent(),
    /^Undo removes the rules Meeting Doctor added/,
  );
  assert.equal(
    await dialog.locator("#fix-confirm").textContent(),
    "Let Zoom through this computer's firewall",
  );
  assert.deepEqual(await dialog.locator(".dialog-actions button").allTextContents(), [
    "Cancel",
    "Let Zoom through this computer's firewall",
  ]);
  // The exact commands are one click below, for a technician.
  assert.equal(await dialog.locator(".fix-commands").isVisible(), false);
  await dialog.locator(".fix-details > summary").click();
  assert.deepEqual(await dialog.locator(".fix-commands code").allTextContents(), [
    "ufw allow out proto tcp to any port 443,8801:8802 comment meeting-doctor-zoom",
    "ufw allow out proto udp to any port 3478:3479,8801:8810 comment meeting-doctor-zoom",
  ]);
  assert.equal(await page.locator("#copy-script").isVisible(), true);
  await screenshot(page, "fix-confirm", false);

  await page.locator("#fix-cancel").click();
  assert.equal(await dialog.count(), 0);
  assert.equal((await focused(page)).fix, "firewall.allow_zoom", "focus is back on Fix it");
  assert.deepEqual(await calls(page, "apply_fix"), [], "Cancel changed nothing");

  // Again, and yes.
  await fixIt.click();
  await page.locator("#fix-confirm").click();
  await page.locator(".fix-approval:not([hidden])").waitFor();
  assert.equal(
    await page.locator(".approval-title").textContent(),
    "Waiting for administrator approval",
  );
  assert.equal(await page.locator(".fix-status").isVisible(), false, "said once, in the box");
  assert.equal(await page.locator("#fix-stop").textContent(), "Cancel");
  await screenshot(page, "fix-waiting-for-password", false);
  const [apply] = await calls(page, "apply_fix");
  assert.equal(apply.args.id, "firewall.allow_zoom");
  assert.equal(apply.args.confirmed, "firewall.allow_zoom");

  // Then: checking whether it helped, then the result.
  await page.locator(".fix-status").filter({ hasText: "Checking whether it helped" }).waitFor();
  await page.locator(".fix-result").waitFor();
  assert.equal(
    await page.locator(".fix-result-headline").textContent(),
    "Done, and it worked: what failed before passes now.",
  );
  const changes = await page
    .locator(".fix-change")
    .evaluateAll((els) =>
      els.map(
        (e) =>
          e.querySelector(".change-title").textContent +
          [...e.querySelectorAll(".change-status")].map((s) => s.textContent).join(" → "),
      ),
    );
  assert.ok(
    changes.includes("Zoom audio and video (port 3478): Problem → OK"),
    changes.join(" | "),
  );
  assert.ok(changes.includes("Zoom connection (port 8801): Problem → OK"), changes.join(" | "));
  assert.equal((await focused(page)).id, "fix-close");
  await page.waitForFunction(
    () =>
      document.getElementById("fix-dialog-live")?.textContent ===
      "Done, and it worked: what failed before passes now.",
  );
  await screenshot(page, "fix-result", false);

  // Undo: by the journal entry's id.
  await page.locator("#fix-undo").click();
  await page.locator(".fix-result-headline").filter({ hasText: "Undone" }).waitFor();
  const [undo] = await calls(page, "undo_fix");
  assert.equal(undo.args.entry, "20251122062500-firewall.allow_zoom-3f2a");
  assert.equal(
    await page.locator(".fix-result-headline").textContent(),
    "Undone. What this fix changed is back as it was.",
  );
  await screenshot(page, "fix-undone", false);
  await page.locator("#fix-close").click();
  assert.equal(await dialog.count(), 0);
  assert.equal((await focused(page)).fix, "firewall.allow_zoom", "focus back on the fix");

  // Changes made: the history says it was undone; the copied report says what was tried.
  await page.locator("#fixes .history-when").filter({ hasText: "Undone" }).waitFor();
  assert.equal(await page.locator("#fixes h2").textContent(), "Changes made");
  assert.equal(await page.locator("#fixes .undo").count(), 0);
  assert.match(await page.locator(".fix-last").textContent(), /^Last try: Undone\.$/);
  await page.locator("#copy").click();
  await page.locator(".copy-result").filter({ hasText: "Copied" }).waitFor();
  const renders = await calls(page, "technician_report");
  const fixes = renders.at(-1).args.report.fixes_applied;
  assert.deepEqual(
    fixes.map((f) => [f.action, f.title, f.status]),
    [
      ["apply", "Let Zoom through this computer's firewall", "applied"],
      ["undo", "Undo: Let Zoom through this computer's firewall", "applied"],
    ],
  );
  await screenshot(page, "fix-changes-made");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a no at the administrator prompt: a clear message, no blame, the script for the help desk", async () => {
  const { page, context, problems } = await open({
    scenario: "dns",
    stepMs: 5,
    approvalMs: 300,
    fixStatus: "declined",
  });
  await done(page);
  await page.locator(".top-cause .fix-it[data-fix='dns.flush']").click();
  await page.locator("#fix-confirm").click();
  await page.locator(".fix-approval:not([hidden])").waitFor();
  await page.locator(".fix-result").waitFor();
  assert.equal(
    await page.locator(".fix-result-headline").textContent(),
    "Nothing was changed: the administrator password wasn't given.",
  );
  assert.match(
    await page.locator(".fix-next").textContent(),
    /ask your help desk to make this change: “Copy as script” gives them the exact commands\./,
  );
  assert.equal(await page.locator("#fix-undo").count(), 0);
  assert.equal(await page.locator(".fix-change").count(), 0);
  await page.locator("#copy-script").click();
  await page
    .locator("#script-result")
    .filter({ hasText: /Copied|Couldn't copy/ })
    .waitFor();
  await screenshot(page, "fix-declined", false);
  assert.deepEqual(await calls(page, "undo_fix"), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a fix that can't be made here is not a button: its reason sits quietly under Details", async () => {
  const { page, context, problems } = await open({ scenario: "dns", stepMs: 5 });
  await done(page);
  assert.deepEqual(
    await page.locator(".fix-it").evaluateAll((els) => els.map((e) => e.getAttribute("data-fix"))),
    ["dns.flush"],
  );
  assert.equal(await page.locator(".fix-it[data-fix='dns.use_public']").count(), 0);
  const why = page.locator(".top-cause .fixes-unavailable");
  assert.equal(
    await why.locator("summary").textContent(),
    "Details: 1 more fix isn't possible here",
  );
  assert.equal(await why.locator("li").isVisible(), false);
  await why.locator("summary").click();
  assert.equal(
    await why.locator("li").textContent(),
    "Use public DNS servers: The network connection in use is not known.",
  );
  await screenshot(page, "fix-not-possible-here", false);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the dialog by keyboard: focus inside, Tab wraps, Esc cancels, focus returns; Esc doesn't stop a change", async () => {
  const { page, context, problems } = await open({
    scenario: "firewall",
    stepMs: 5,
    approvalMs: 1500,
    fixStepMs: 200,
  });
  await done(page);
  await page.locator(".fix-it").focus();
  await page.keyboard.press("Enter");
  await page.locator("#fix-confirm").waitFor();
  assert.equal((await focused(page)).id, "fix-dialog-title");
  // Tab goes round inside the dialog only.
  const seen = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => ({
      inDialog: !!document.activeElement?.closest("[role=dialog]"),
      text: document.activeElement?.textContent ?? "",
      outline: getComputedStyle(document.activeElement).outlineStyle,
    }));
    assert.ok(f.inDialog, `focus left the dialog: ${f.text}`);
    assert.notEqual(f.outline, "none", `focus visible on ${f.text}`);
    seen.push(f.text);
  }
  assert.deepEqual(seen.slice(0, 4), [
    "Show details",
    "Cancel",
    "Let Zoom through this computer's firewall",
    "Show details",
  ]);
  // The page behind can't be reached.
  assert.equal(await page.locator("main").getAttribute("inert"), "");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("[role=dialog]").count(), 0);
  assert.equal((await focused(page)).fix, "firewall.allow_zoom");
  assert.deepEqual(await calls(page, "apply_fix"), []);

  // While waiting for the password, Esc is Cancel: it stops waiting, nothing changes.
  await page.keyboard.press("Enter");
  await page.locator("#fix-confirm").focus();
  await page.keyboard.press("Enter");
  await page.locator(".fix-approval:not([hidden])").waitFor();
  await page.keyboard.press("Escape");
  await page.locator(".fix-result").waitFor();
  assert.equal(
    await page.locator(".fix-result-headline").textContent(),
    "Stopped waiting for the administrator password.",
  );
  assert.equal((await calls(page, "cancel_fix")).length, 1);
  await page.keyboard.press("Enter"); // Close has focus
  assert.equal(await page.locator("[role=dialog]").count(), 0);
  assert.equal((await focused(page)).fix, "firewall.allow_zoom");
  assert.deepEqual(problems, []);
  await context.close();
});

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core in ${colorScheme}: fixes on the Done screen, the confirmation, waiting, the result, the history`, async () => {
    const { page, context, problems } = await open(
      { scenario: "firewall", stepMs: 5, approvalMs: 1200, fixStepMs: 150 },
      { colorScheme },
    );
    await done(page);
    const report = {};
    report.doneWithFixes = await axe(page);
    await page.locator(".fix-it").click();
    await page.locator("#fix-confirm").waitFor();
    await page.locator(".fix-details > summary").click();
    report.confirm = await axe(page);
    await screenshot(page, `fix-confirm-${colorScheme}`, false);
    await page.locator("#fix-confirm").click();
    await page.locator(".fix-approval:not([hidden])").waitFor();
    report.waiting = await axe(page);
    await page.locator(".fix-result").waitFor();
    report.result = await axe(page);
    await screenshot(page, `fix-result-${colorScheme}`, false);
    await page.locator("#fix-close").click();
    await page.locator("#fixes:not([hidden])").waitFor();
    report.history = await axe(page);
    for (const [screen, violations] of Object.entries(report)) {
      if (violations.length > 0)
        console.log(
          `# axe ${colorScheme} ${screen}: ${violations.map((v) => `${v.id} (${v.impact}) ${v.nodes.join(", ")}`).join("; ")}`,
        );
      assert.deepEqual(serious(violations), [], `${colorScheme} ${screen}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("200 % zoom on a narrow window: the dialog fits and scrolls, never sideways", async () => {
  const { page, context, problems } = await open(
    { scenario: "firewall", stepMs: 5, approvalMs: 300, fixStepMs: 50 },
    { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2 },
  );
  await done(page);
  assert.equal(await overflowsSideways(page), false, "done with fixes");
  await page.locator(".fix-it").click();
  await page.locator("#fix-confirm").waitFor();
  await page.locator(".fix-details > summary").click();
  assert.equal(await overflowsSideways(page), false, "confirmation");
  const confirm = page.locator("#fix-confirm");
  await confirm.scrollIntoViewIfNeeded();
  const box = await confirm.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 360, "the confirm button fits");
  await screenshot(page, "fix-confirm-narrow-200pct", false);
  await confirm.click();
  await page.locator(".fix-result").waitFor();
  assert.equal(await overflowsSideways(page), false, "result");
  await screenshot(page, "fix-result-narrow-200pct", false);
  assert.deepEqual(problems, []);
  await context.close();
});
