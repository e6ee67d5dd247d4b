// Accessibility of the built app: keyboard only, axe-core in light and dark
// (every screen: start, running, stopped, done with a diagnosis, an unexplained
// error code, saved, another network, the comparison, error), 200 % zoom on a
// narrow window, reduced motion, and the CSP really applies.

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
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      id: el?.id ?? "",
      cls: el?.className ?? "",
      row: el?.closest(".check")?.getAttribute("data-id") ?? null,
      outline: el ? getComputedStyle(el).outlineStyle : "none",
    };
  });

test("keyboard only: Tab to the button, Enter starts, Tab reaches Cancel and every disclosure, Enter expands", async () => {
  const { page, context, problems } = await open({
    scenario: "blocked",
    stepMs: 250,
    holdAfter: 4,
  });
  await page.keyboard.press("Tab");
  let f = await focused(page);
  assert.equal(f.id, "start", "the first Tab lands on the big button");
  assert.notEqual(f.outline, "none", "focus is visible");
  await page.keyboard.press("Enter");
  await page.locator("#cancel").waitFor();
  assert.equal((await focused(page)).id, "cancel", "focus stays where the button was: on Cancel");

  // While running: Tab goes from Cancel to the first finished row's details.
  await page.waitForFunction(() => document.querySelectorAll(".disclosure").length >= 2);
  await page.keyboard.press("Tab");
  f = await focused(page);
  assert.match(f.cls, /disclosure/);
  const row = f.row;
  await page.keyboard.press("Enter");
  const button = page.locator(`.check[data-id='${row}'] .disclosure`);
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  await page.waitForFunction(() => document.querySelectorAll(".disclosure").length >= 4);
  assert.equal(
    await button.getAttribute("aria-expanded"),
    "true",
    "a row stays open as others finish",
  );
  assert.equal((await focused(page)).row, row, "focus stays on the row as others finish");
  await page.keyboard.press("Shift+Tab");
  assert.equal((await focused(page)).id, "cancel", "and Cancel is reachable the whole run");
  await page.keyboard.press("Enter");
  await page.locator("#again").waitFor();
  assert.equal((await focused(page)).id, "again", "when done, focus is on the primary action");

  // Done: every row's disclosure is reachable in order.
  const rows = await page
    .locator(".check")
    .evaluateAll((els) =>
      els.filter((e) => e.querySelector(".disclosure")).map((e) => e.getAttribute("data-id")),
    );
  const reached = [];
  for (let i = 0; i < 60 && reached.length < rows.length; i++) {
    await page.keyboard.press("Tab");
    f = await focused(page);
    if (/disclosure/.test(f.cls)) {
      reached.push(f.row);
      assert.notEqual(f.outline, "none");
    }
  }
  assert.deepEqual(reached, rows);
  await page.keyboard.press("Enter");
  assert.equal(
    await page
      .locator(`.check[data-id='${rows.at(-1)}'] .disclosure`)
      .getAttribute("aria-expanded"),
    "true",
  );
  await page.keyboard.press("Space");
  assert.equal(
    await page
      .locator(`.check[data-id='${rows.at(-1)}'] .disclosure`)
      .getAttribute("aria-expanded"),
    "false",
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test("keyboard only through the diagnosis, save, another network and the comparison", async () => {
  const { page, context, problems } = await open({
    scenario: "healthy",
    runs: ["blocked", "healthy"],
    stepMs: 5,
  });
  await page.locator("#start").focus();
  await page.keyboard.press("Enter");
  await page.locator("#again").waitFor();
  assert.equal((await focused(page)).id, "again");

  // Backwards from Check again: every control of the diagnosis, each with a visible focus.
  const seen = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Shift+Tab");
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      return {
        tag: el?.tagName ?? "",
        text: el?.textContent ?? "",
        outline: el ? getComputedStyle(el).outlineStyle : "none",
        inTop: !!el?.closest(".run-top"),
      };
    });
    if (!f.inTop) break;
    assert.notEqual(f.outline, "none", `focus visible on ${f.tag} ${f.text}`);
    seen.push(f.text);
  }
  assert.ok(
    seen.includes("How to tell it worked: Ask the network administrator"),
    seen.join(" | "),
  );
  assert.ok(seen.includes("Show the related check"), seen.join(" | "));
  assert.ok(
    seen.includes("Some of Zoom's ports are blocked (8801); Zoom can fall back to port 443."),
    seen.join(" | "),
  );

  // A cause opens with Enter; "Show the check" moves focus to its row.
  const cause = page.locator(".others details.cause > summary");
  await cause.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(".others details.cause").getAttribute("open"), "");
  await page.locator(".others .show-checks").focus();
  await page.keyboard.press("Enter");
  assert.equal((await focused(page)).row, "tcp.8801");

  // Save with the keyboard: Space ticks the box, Enter saves.
  await page.locator("#include-names").focus();
  await page.keyboard.press("Space");
  await page.locator("#save").focus();
  await page.keyboard.press("Enter");
  await page.locator("#save-result").filter({ hasText: "Saved to" }).waitFor();
  assert.equal((await focused(page)).id, "save", "focus stays on Save");

  // Another network: Enter, then the panel's primary button has focus.
  await page.locator("#again").focus();
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).id, "other-network");
  await page.keyboard.press("Enter");
  assert.equal((await focused(page)).id, "check-other");
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).id, "cancel-other");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.locator("#start-over").waitFor();
  await page.locator(".network").first().waitFor();
  const f = await focused(page);
  assert.equal(f.id, "start-over");
  assert.notEqual(f.outline, "none");
  await page.keyboard.press("Enter");
  assert.equal((await focused(page)).id, "start");
  assert.deepEqual(problems, []);
  await context.close();
});

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core in ${colorScheme}: start, running, stopped, done with a diagnosis, saved, another network, comparison, unexplained code, error: no serious or critical violations`, async () => {
    const { page, context, problems } = await open(
      {
        scenario: "blocked",
        runs: ["blocked", "blocked", "healthy"],
        stepMs: 100,
        holdAfter: 9,
        holdRuns: 1,
      },
      { colorScheme },
    );
    const report = {};
    report.start = await axe(page);
    await page.locator("details.preview summary").click();
    report.startPreview = await axe(page);

    await page.locator("#error-code").selectOption("104103");
    await page.locator("#start").click();
    await page.waitForFunction(
      () => document.querySelectorAll(".check:not([data-status=pending])").length >= 9,
    );
    await page.locator(".check:not([data-status=pending]) .disclosure").first().click();
    report.running = await axe(page);
    await screenshot(page, `running-${colorScheme}`);

    await page.locator("#cancel").click();
    await page.locator("#again").waitFor();
    report.stopped = await axe(page);

    await page.locator("#again").click();
    await page.locator("[role=alert]").waitFor();
    await page.locator(".check[data-id='tls'] .disclosure").click();
    report.doneWithFailures = await axe(page);
    // The diagnosis opened up: how to tell it worked, more steps, the other causes, a related row.
    for (const summary of await page.locator(".run-top details > summary").all())
      await summary.click();
    await page.locator(".also-noticed .show-checks").click();
    await page.locator("#save").click();
    await page.locator("#save-result").filter({ hasText: "Saved to" }).waitFor();
    report.doneDiagnosisOpen = await axe(page);
    await screenshot(page, `done-failures-${colorScheme}`);

    await page.locator("#other-network").click();
    await page.locator("#check-other").waitFor();
    report.otherNetwork = await axe(page);
    await page.locator("#check-other").click();
    await page.locator(".network").first().waitFor();
    report.comparison = await axe(page);
    await screenshot(page, `compare-${colorScheme}`);
    await context.close();

    const code = await open(
      {
        scenario: "healthy",
        stepMs: 5,
        saveError: {
          kind: "save",
          message:
            "Couldn't save the report in /home/anna/Downloads: Permission denied (os error 13)",
        },
      },
      { colorScheme },
    );
    await code.page.locator("#error-code").selectOption("104110");
    await code.page.locator("#start").click();
    await code.page.locator(".code-section").waitFor();
    for (const summary of await code.page.locator(".run-top details > summary").all())
      await summary.click();
    await code.page.locator("#save").click();
    await code.page.locator("#save-result").filter({ hasText: "Permission denied" }).waitFor();
    report.codeUnexplainedSaveError = await axe(code.page);
    await code.context.close();

    const err = await open(
      {
        scenario: "healthy",
        stepMs: 5,
        overviewError: { kind: "internal", message: "thread 'main' panicked at src/lib.rs:1" },
      },
      { colorScheme },
    );
    assert.equal(
      await err.page.locator("[role=alert] h1").textContent(),
      "Meeting Doctor couldn't get ready.",
    );
    report.error = await axe(err.page);
    await err.context.close();

    for (const [screen, violations] of Object.entries(report)) {
      if (violations.length > 0)
        console.log(
          `# axe ${colorScheme} ${screen}: ${violations.map((v) => `${v.id} (${v.impact}) ${v.nodes.join(", ")}`).join("; ")}`,
        );
      assert.deepEqual(serious(violations), [], `${colorScheme} ${screen}`);
    }
    assert.deepEqual([...problems, ...code.problems, ...err.problems], []);
  });
}

test("200 % zoom on a 360 px wide window: no sideways scrolling, screens still usable", async () => {
  const { page, context, problems } = await open(
    {
      scenario: "blocked",
      runs: ["blocked", "blocked", "filtered"],
      stepMs: 60,
      holdAfter: 6,
      holdRuns: 1,
    },
    { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 },
  );
  assert.equal(await overflowsSideways(page), false, "start");
  await page.locator("details.preview summary").click();
  assert.equal(await overflowsSideways(page), false, "start with preview");
  await page.locator("#start").click();
  await page.waitForFunction(
    () => document.querySelectorAll(".check:not([data-status=pending])").length >= 6,
  );
  assert.equal(await overflowsSideways(page), false, "running");
  await page.locator("#cancel").click();
  await page.locator("#again").waitFor();
  assert.equal(await overflowsSideways(page), false, "stopped");
  await page.locator("#again").click();
  await page.locator("[role=alert]").waitFor();
  for (const b of await page.locator(".disclosure").all()) await b.click();
  for (const summary of await page.locator(".run-top details > summary").all())
    await summary.click();
  await page.locator(".top-cause .show-checks").click();
  assert.equal(await overflowsSideways(page), false, "done, all details open");
  const again = await page.locator("#again").boundingBox();
  assert.ok(again && again.x >= 0 && again.x + again.width <= 360, "the primary button fits");
  await screenshot(page, "done-narrow-200pct");
  await page.locator("#other-network").click();
  assert.equal(await overflowsSideways(page), false, "another network");
  await page.locator("#check-other").click();
  await page.locator(".network").first().waitFor();
  assert.equal(await overflowsSideways(page), false, "comparison");
  const startOver = await page.locator("#start-over").boundingBox();
  assert.ok(
    startOver && startOver.x >= 0 && startOver.x + startOver.width <= 360,
    "Start over fits",
  );
  await screenshot(page, "compare-narrow-200pct");
  assert.deepEqual(problems, []);
  await context.close();

  // The same at 200 % of the app's default window (760 px → 380 CSS px) with a very long message.
  const err = await open(
    {
      scenario: "healthy",
      stepMs: 5,
      overviewError: {
        kind: "profile",
        message: `/home/someone/${"very-long-folder-name/".repeat(8)}profile.toml:12:5: expected a string`,
      },
    },
    { viewport: { width: 380, height: 410 }, deviceScaleFactor: 2 },
  );
  assert.equal(await overflowsSideways(err.page), false, "error screen");
  await err.context.close();
});

test("reduced motion: the spinner stands still", async () => {
  const { page, context } = await open(
    { scenario: "healthy", stepMs: 5000, holdAfter: 0 },
    { reducedMotion: "reduce" },
  );
  await page.locator("#start").click();
  const spinner = page.locator(".icon-pending").first();
  await spinner.waitFor();
  assert.equal(await spinner.evaluate((el) => getComputedStyle(el).animationName), "none");
  await page.locator("#cancel").click();
  await context.close();

  const moving = await open({ scenario: "healthy", stepMs: 5000, holdAfter: 0 });
  await moving.page.locator("#start").click();
  assert.equal(
    await moving.page
      .locator(".icon-pending")
      .first()
      .evaluate((el) => getComputedStyle(el).animationName),
    "spin",
  );
  await moving.page.locator("#cancel").click();
  await moving.context.close();
});

test("the app's CSP is enforced in these tests (an inline style would be reported)", async () => {
  const { page, context, problems } = await open({ scenario: "healthy", stepMs: 5 });
  assert.deepEqual(problems, []);
  await page.evaluate(() => {
    const s = document.createElement("style");
    s.textContent = "body { color: red }";
    document.head.appendChild(s);
  });
  await page.waitForTimeout(100);
  assert.ok(
    problems.some((p) => p.includes("CSP violation: style-src")),
    problems.join("\n"),
  );
  const html = await page.evaluate(() => document.documentElement.outerHTML);
  assert.doesNotMatch(
    html.replace(/<style>body \{ color: red \}<\/style>/, ""),
    /<style|style="|<script>(?!<)/,
  );
  await context.close();
});
