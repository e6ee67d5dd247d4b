// The real app under Xvfb, driven through its webview (tauri-driver +
// WebKitWebDriver), against the lab. Run by tests/e2e/run.sh, which puts
// everything in a network namespace whose resolver is the lab's DNS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { writeFileSync, openSync, readdirSync, readFileSync } from "node:fs";
import { WebDriver, waitForPort, portBusy } from "./webdriver.mjs";

const app = process.env.MD_APP;
const lab = process.env.MD_LAB;
const PORT = 4444;
const NATIVE = 4445;
const BASE = `http://127.0.0.1:${PORT}`;
const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;
let driver;

before(async () => {
  assert.ok(app && lab, "MD_APP and MD_LAB are set by run.sh");
  // An orphaned WebKitWebDriver on the native port would hang the session: fail fast.
  assert.equal(await portBusy(NATIVE), false, `port ${NATIVE} is busy (a stale WebKitWebDriver?)`);
  const log = openSync(`${ARTIFACTS}/tauri-driver.log`, "w");
  driver = spawn("tauri-driver", ["--port", String(PORT), "--native-port", String(NATIVE)], { stdio: ["ignore", log, log] });
  await waitForPort(PORT, 10_000);
});

after(async () => {
  // SIGTERM, not SIGKILL: tauri-driver reaps WebKitWebDriver only on TERM/INT/QUIT.
  if (driver && driver.exitCode === null) {
    driver.kill("SIGTERM");
    await new Promise((r) => driver.once("exit", r));
  }
});

async function session(profile) {
  return WebDriver.newSession(BASE, app, ["--profile", `${lab}/${profile}`], 60_000);
}

// This computer's own settings (read, not sent over the network): they may
// pass on a silent network, and on this test machine (no Zoom, no
// NetworkManager) some are honestly "couldn't check".
const LOCAL = ["proxy", "vpn", "firewall", "security_software", "zoom_client", "network_type"];

const ROWS = `return [...document.querySelectorAll("li.check")].map(li => ({ id: li.dataset.id, status: li.dataset.status, text: li.innerText }))`;
const DONE = `return [...document.querySelectorAll("button")].some(b => /check again/i.test(b.textContent) && b.offsetParent !== null)`;

async function startCheck(wd) {
  await wd.waitFor(`return !!document.querySelector("#start")`, 20_000, "the start button");
  await wd.click(await wd.find("#start"));
}

async function snapshot(wd, name) {
  // WebKit may return the last painted frame: let it paint first.
  await new Promise((r) => setTimeout(r, 600));
  const png = await wd.screenshot();
  assert.ok(png.length > 1000, "a real screenshot");
  writeFileSync(`${ARTIFACTS}/${name}.png`, png);
}

function byId(rows) {
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

test("a lab network with one fault per layer: each row shows its own status", async () => {
  const wd = await session("broken.toml");
  try {
    await startCheck(wd);
    await wd.waitFor(DONE, 30_000, "the end of the check");
    const rows = await wd.exec(ROWS);
    const s = byId(rows);
    const tcp = rows.find((r) => r.id.startsWith("tcp.") && r.id !== "tcp.8801");
    const udp = rows.find((r) => r.id.startsWith("udp."));
    assert.equal(s.internet, "pass");
    assert.equal(s.captive_portal, "fail");
    assert.equal(s["dns.system"], "fail");
    assert.equal(s["dns.reference"], "fail");
    assert.equal(tcp.status, "fail");
    assert.equal(udp.status, "fail");
    assert.equal(s.tls, "fail", "this computer trusts the inspection CA: interception");
    assert.equal(s.clock, "fail");
    assert.equal(s.service_status, "fail");
    assert.equal(s["tcp.8801"], "unknown");
    assert.equal(s.bandwidth, "pass");
    assert.match(rows.find((r) => r.id === "tls").text, /Lab Inspection CA/);
    // The diagnosis leads, as an alert: the sign-in page explains the rest.
    const alert = await wd.exec(`const a = document.querySelector('[role="alert"]'); return a ? a.innerText : null`);
    assert.ok(alert && /sign in/i.test(alert), `an alert with the diagnosis: ${alert}`);
    await snapshot(wd, "done-broken");
    // Save report…: a redacted HTML report lands in ~/Downloads.
    await wd.click(await wd.find("#save"));
    const saved = `return [...document.querySelectorAll('[role="status"]')].map(e => e.innerText).find(t => /Saved to/.test(t)) || null`;
    await wd.waitFor(saved.replace("|| null", "|| false"), 10_000, "the saved message");
    const files = readdirSync(`${process.env.MD_HOME}/Downloads`);
    assert.equal(files.length, 1, `one report: ${files}`);
    assert.match(files[0], /^meeting-doctor-report-\d+\.html$/);
    const html = readFileSync(`${process.env.MD_HOME}/Downloads/${files[0]}`, "utf8");
    assert.match(html, /<html lang="en">/);
    assert.match(html, /sign in/i);
    await snapshot(wd, "done-broken-saved");
  } finally {
    await wd.quit();
  }
});

test("the healthy lab: everything that can be tested passes", async () => {
  const wd = await session("healthy.toml");
  try {
    await startCheck(wd);
    await wd.waitFor(DONE, 30_000, "the end of the check");
    const rows = await wd.exec(ROWS);
    assert.ok(rows.length >= 19, `${rows.length} rows`);
    for (const r of rows) {
      if (LOCAL.includes(r.id)) {
        assert.ok(r.status === "pass" || r.status === "unknown", `${r.id}: ${r.text}`);
        continue;
      }
      assert.equal(r.status, r.id === "tcp.8801" ? "unknown" : "pass", `${r.id}: ${r.text}`);
    }
    const alert = await wd.exec(`return !!document.querySelector('[role="alert"]')`);
    assert.equal(alert, false, "no alert when nothing failed");
    await snapshot(wd, "done-healthy");
    // This computer's own settings, further down the list.
    const scrolled = await wd.exec(
      `const h = [...document.querySelectorAll("h2")].find(e => /security/i.test(e.textContent)); if (h) h.scrollIntoView({ block: "start" }); return !!h;`,
    );
    assert.ok(scrolled, "a Security & proxy group is shown");
    await snapshot(wd, "done-healthy-computer");
  } finally {
    await wd.quit();
  }
});

test("cancel stops a run on a network that drops everything", async () => {
  const wd = await session("silent.toml");
  try {
    await startCheck(wd);
    const cancel = `return [...document.querySelectorAll("button")].find(b => /cancel/i.test(b.textContent) && b.offsetParent !== null)`;
    await wd.waitFor(`return !!(${cancel.replace("return ", "")})`, 5_000, "the Cancel button");
    await snapshot(wd, "running-silent");
    const started = Date.now();
    await wd.exec(`${cancel.replace("return ", "const b = ")}; b.click(); return true;`);
    await wd.waitFor(`return [...document.querySelectorAll("li.check")].some(li => li.dataset.status === "skipped")`, 5_000, "cancelled rows");
    assert.ok(Date.now() - started < 3000, "cancel is prompt");
    const rows = await wd.exec(ROWS);
    assert.ok(rows.filter((r) => !LOCAL.includes(r.id)).every((r) => r.status !== "pass"), "no network check passes on a silent network");
  } finally {
    await wd.quit();
  }
});

test("a local firewall blocking Zoom: Fix it, confirm, before → after, Undo", async () => {
  // A firewall on this computer (the namespace) drops Zoom's UDP and the
  // lab's STUN port, as a host firewall would. The app runs as root here,
  // so the fix needs no prompt.
  const toml = readFileSync(`${lab}/healthy.toml`, "utf8");
  const udp = toml.split("[[udp]]")[1] ?? "";
  const port = Number((udp.match(/port\s*=\s*(\d+)/) ?? [])[1]);
  assert.ok(port > 0, "the lab's STUN port");
  const nft = (...args) => execFileSync("nft", args, { encoding: "utf8" });
  nft("add", "table", "inet", "hostfw");
  nft("add", "chain", "inet", "hostfw", "output", "{ type filter hook output priority 0; policy accept; }");
  nft("add", "rule", "inet", "hostfw", "output", "udp", "dport", `{ 3478, ${port} }`, "drop");
  const wd = await session("healthy.toml");
  try {
    await startCheck(wd);
    await wd.waitFor(DONE, 30_000, "the end of the check");
    const s = byId(await wd.exec(ROWS));
    assert.equal(s[`udp.${port}`], "fail", "the local firewall drops the STUN port");
    const FIX = `button.fix-it[data-fix="firewall.allow_zoom"]`;
    await wd.waitFor(`return !!document.querySelector('${FIX}')`, 15_000, "a Fix it button for the firewall");
    await wd.exec(`document.querySelector('${FIX}').scrollIntoView({ block: "center" }); return true;`);
    const promised = await wd.exec(`return !!document.querySelector('li.fix[data-fix="firewall.allow_zoom"] .fix-admin')`);
    assert.equal(promised, false, "the app runs as root here: no password prompt is promised");
    await snapshot(wd, "fix-offered");
    await wd.click(await wd.find(FIX));
    await wd.waitFor(`return !!document.querySelector("#fix-confirm")`, 15_000, "the confirmation dialog");
    const dialog = await wd.exec(`return document.querySelector("#fix-dialog").innerText`);
    assert.match(dialog, /firewall/i, dialog);
    const confirm = await wd.exec(`return document.querySelector("#fix-confirm").innerText`);
    assert.match(confirm, /Let Zoom through/i, "the button names the fix");
    assert.doesNotMatch(nft("list", "ruleset"), /meeting-doctor-zoom/, "nothing changed before the yes");
    await snapshot(wd, "fix-confirm");
    await wd.click(await wd.find("#fix-confirm"));
    await wd.waitFor(`return !!document.querySelector("#fix-close, #fix-undo")`, 60_000, "the fix's result");
    assert.match(nft("list", "ruleset"), /meeting-doctor-zoom/);
    const change = await wd.exec(
      `const c = document.querySelector('.fix-change[data-id="udp.${port}"]'); return c ? [...c.querySelectorAll(".change-status")].map(e => e.dataset.status) : null`,
    );
    assert.deepEqual(change, ["fail", "pass"], "before → after for the STUN port");
    await snapshot(wd, "fix-result");
    await wd.click(await wd.find("#fix-undo"));
    await wd.waitFor(`return !document.querySelector("#fix-undo") && !!document.querySelector("#fix-close")`, 60_000, "the undo's result");
    assert.doesNotMatch(nft("list", "ruleset"), /meeting-doctor-zoom/, "undo took Meeting Doctor's rules out");
    assert.match(nft("list", "ruleset"), /drop/, "and left the firewall's own rule");
    await snapshot(wd, "fix-undone");
  } finally {
    await wd.quit();
    nft("delete", "table", "inet", "hostfw");
  }
});
