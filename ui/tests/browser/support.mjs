// Shared by the browser tests: a static server for the BUILT app (ui/dist)
// that sends the app's real CSP, Debian's Chromium through playwright-core,
// the IPC mock bundled for injection, and an axe-core scan.

import { readFile, mkdir, stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { build } from "vite";

export const UI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = path.join(UI, "dist");
export const RESULTS = path.join(UI, "test-results");

const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ipc: http://ipc.localhost";

/** The CSP the desktop app runs under (src-tauri/tauri.conf.json), so tests catch what it would block. */
async function appCsp() {
  try {
    const conf = JSON.parse(await readFile(path.join(UI, "../src-tauri/tauri.conf.json"), "utf8"));
    return conf?.app?.security?.csp ?? FALLBACK_CSP;
  } catch {
    return FALLBACK_CSP;
  }
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export async function serveDist() {
  try {
    await stat(path.join(DIST, "index.html"));
  } catch {
    throw new Error("ui/dist/index.html is missing: run `npm run build` first");
  }
  const csp = await appCsp();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let rel = decodeURIComponent(url.pathname);
    if (rel === "/favicon.ico") {
      // Chromium asks for it; the desktop webview does not. No content, no 404 noise.
      res.writeHead(204).end();
      return;
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(DIST, path.normalize(rel));
    if (!file.startsWith(DIST + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "content-security-policy": csp,
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    close: () => new Promise((r) => server.close(() => r(undefined))),
  };
}

/** tests/browser/harness.ts as one classic script (IIFE) for addInitScript. */
export async function bundleHarness() {
  const out = await build({
    configFile: false,
    logLevel: "silent",
    root: UI,
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: {
        entry: path.join(UI, "tests/browser/harness.ts"),
        formats: ["iife"],
        name: "mdHarness",
        fileName: "harness",
      },
    },
  });
  const result = Array.isArray(out) ? out[0] : out;
  const chunk = result.output.find((o) => o.type === "chunk");
  if (!chunk) throw new Error("harness did not bundle");
  return chunk.code;
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * A fresh context and page with the mock injected before the app script.
 * `problems` collects console errors, page errors and CSP violations.
 */
export async function openApp(browser, base, harness, mock, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 760, height: 820 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    colorScheme: options.colorScheme ?? "light",
    reducedMotion: options.reducedMotion ?? "no-preference",
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning")
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${String(e)}`));
  if (options.clock) await page.clock.install();
  await page.addInitScript(
    `window.__MD_MOCK__ = ${JSON.stringify(mock)};
     document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));`,
  );
  await page.addInitScript(harness);
  await page.goto(base);
  await page.locator("#start, #retry").first().waitFor();
  return { context, page, problems };
}

export async function screenshot(page, name, fullPage = true) {
  await mkdir(RESULTS, { recursive: true });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage });
}

let axeSource;
/** Runs axe-core (WCAG 2 A/AA rules and best practices) and returns its violations. */
export async function axe(page) {
  axeSource ??= await readFile(path.join(UI, "node_modules/axe-core/axe.min.js"), "utf8");
  // evaluate() is not subject to the page's CSP, unlike an injected <script>.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
      },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
    }));
  });
}

export function serious(violations) {
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** True when the page scrolls sideways. */
export function overflowsSideways(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
}
