// A minimal W3C WebDriver client (fetch only) for driving the real app
// through tauri-driver + WebKitWebDriver. Every call is bounded in time.

const W3C_ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriver {
  constructor(base, sessionId) {
    this.base = base;
    this.sessionId = sessionId;
  }

  static async request(base, method, path, body, timeoutMs = 30_000) {
    const res = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok || (json.value && json.value.error)) {
      const v = json.value || {};
      throw new Error(`${method} ${path}: ${v.error || res.status}: ${v.message || text.slice(0, 300)}`);
    }
    return json.value;
  }

  static async newSession(base, application, args, timeoutMs = 60_000) {
    const value = await WebDriver.request(
      base,
      "POST",
      "/session",
      { capabilities: { alwaysMatch: { "tauri:options": { application, args } } } },
      timeoutMs,
    );
    return new WebDriver(base, value.sessionId);
  }

  cmd(method, path, body, timeoutMs) {
    return WebDriver.request(this.base, method, `/session/${this.sessionId}${path}`, body, timeoutMs);
  }

  async find(css) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return v[W3C_ELEMENT];
  }

  async findAll(css) {
    const v = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return v.map((e) => e[W3C_ELEMENT]);
  }

  /** Runs `fn` (a function body string) in the page and returns its value. */
  exec(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  click(el) {
    return this.cmd("POST", `/element/${el}/click`, {});
  }

  text(el) {
    return this.cmd("GET", `/element/${el}/text`);
  }

  async screenshot() {
    const b64 = await this.cmd("GET", "/screenshot");
    return Buffer.from(b64, "base64");
  }

  /** Polls `script` until it returns a truthy value, or fails after `timeoutMs`. */
  async waitFor(script, timeoutMs, what) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      try {
        last = await this.exec(script);
        if (last) return last;
      } catch (e) {
        last = e.message;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
  }

  async quit() {
    await this.cmd("DELETE", "", undefined, 15_000).catch(() => {});
  }
}

/** Waits until something accepts TCP connections on host:port. */
export async function waitForPort(port, timeoutMs) {
  const net = await import("node:net");
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** True when something already listens on the port (a stale WebKitWebDriver). */
export async function portBusy(port) {
  try {
    await waitForPort(port, 200);
    return true;
  } catch {
    return false;
  }
}
