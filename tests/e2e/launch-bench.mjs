// Launch benchmark for the real app under Xvfb (run inside the e2e
// namespace by run.sh --bench): time from spawning the binary to
//  - the "page loaded" log line (the app's own page-load hook), and
//  - the first screenshot of the display that shows the window painted;
// then resident memory of the app and its WebKit processes, idle and after
// a full check (started through WebDriver).
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { WebDriver, waitForPort } from "./webdriver.mjs";

const app = process.env.MD_APP;
const lab = process.env.MD_LAB;
const display = process.env.DISPLAY;
const runs = Number(process.env.MD_BENCH_RUNS || 5);

let screenshotErrors = 0;
function screenshotStats() {
  // Mean brightness of the whole display (Xvfb's root is black until a window paints).
  try {
    const out = execFileSync("/usr/bin/import", ["-display", display, "-window", "root", "-resize", "64x48", "-colorspace", "gray", "-format", "%[fx:mean]", "info:"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return Number(out.trim());
  } catch (e) {
    screenshotErrors += 1;
    if (screenshotErrors <= 3) console.error(`screenshot failed (${screenshotErrors}): ${String(e.stderr || e.message).trim()}`);
    return 0;
  }
}

/** Resident (RSS), proportional (PSS: shared pages split between users) and
 *  private anonymous memory of a process, in KiB. */
function mem(pid) {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const get = (k) => Number((t.match(new RegExp(`^${k}:\\s+(\\d+) kB`, "m")) || [0, 0])[1]);
    return { rss: get("Rss"), pss: get("Pss"), anon: get("Anonymous") };
  } catch {
    return { rss: 0, pss: 0, anon: 0 };
  }
}

function sum(pids) {
  return pids.map(mem).reduce((a, m) => ({ rss: a.rss + m.rss, pss: a.pss + m.pss, anon: a.anon + m.anon }), { rss: 0, pss: 0, anon: 0 });
}

const mib = (k) => Math.round(k / 1024);
const fmt = (m) => `RSS ${mib(m.rss)} / PSS ${mib(m.pss)} / private ${mib(m.anon)} MiB`;

/** The app and every process below it (WebKit's web and network processes). */
function tree(root) {
  const children = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const c of children.get(p) || []) walk(c);
  };
  walk(root);
  return out;
}

function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

async function launchOnce() {
  const start = process.hrtime.bigint();
  const child = spawn(app, ["--profile", `${lab}/healthy.toml`], { env: { ...process.env, RUST_LOG: "info" }, stdio: ["ignore", "ignore", "pipe"] });
  let pageLoaded = null;
  let logged = "";
  child.stderr.on("data", (d) => {
    logged += d;
    const m = logged.match(/page loaded since_start_ms=(\d+)/);
    if (m && pageLoaded === null) pageLoaded = Number(m[1]);
  });
  let painted = null;
  const limit = Date.now() + 15000;
  while (Date.now() < limit && painted === null) {
    if (screenshotStats() > 0.2) painted = Number(process.hrtime.bigint() - start) / 1e6;
    else await new Promise((r) => setTimeout(r, 20));
  }
  while (pageLoaded === null && Date.now() < limit) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 1500));
  const idle = { app: mem(child.pid), all: sum(tree(child.pid)) };
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return { pageLoaded, painted, idle };
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const results = [];
for (let i = 0; i < runs; i++) results.push(await launchOnce());
console.log(`launch → page loaded (app log): median ${median(results.map((r) => r.pageLoaded))} ms  [${results.map((r) => r.pageLoaded).join(", ")}]`);
console.log(`launch → first painted frame (screenshots, ±polling): median ${Math.round(median(results.map((r) => r.painted)))} ms  [${results.map((r) => Math.round(r.painted)).join(", ")}]`);
const mid = results[Math.floor(results.length / 2)].idle;
console.log(`memory idle after launch: app ${fmt(mid.app)}; app + WebKit processes ${fmt(mid.all)}`);

// After a full check, through WebDriver.
const driver = spawn("tauri-driver", ["--port", "4444", "--native-port", "4445"], { stdio: "ignore" });
try {
  await waitForPort(4444, 10000);
  const wd = await WebDriver.newSession("http://127.0.0.1:4444", app, ["--profile", `${lab}/healthy.toml`]);
  try {
    await wd.waitFor(`return document.readyState === "complete" && !!document.querySelector("button")`, 15000, "the first screen");
    await wd.exec(`[...document.querySelectorAll("button")].find(b => /check my connection/i.test(b.textContent)).click(); return true;`);
    await wd.waitFor(`return [...document.querySelectorAll("button")].some(b => /check again/i.test(b.textContent))`, 30000, "the end of the check");
    const appPid = Number(execFileSync("pgrep", ["-n", "-f", app], { encoding: "utf8" }).trim());
    const procs = tree(appPid);
    const parts = procs.map((p) => `${comm(p)}: ${fmt(mem(p))}`);
    console.log(`memory after a full check: app ${fmt(mem(appPid))}; app + WebKit processes ${fmt(sum(procs))}\n  ${parts.join("\n  ")}`);
  } finally {
    await wd.quit();
  }
} finally {
  driver.kill("SIGTERM");
}
