// Realistic data for the unit and browser tests: the built-in Zoom plan and
// findings worded as crates/core words them.

import type { Finding, Group, Overview, PlannedCheck, Report, RunEvent, Status } from "../src/bindings";
import { groupForId } from "../src/labels";

const TITLES: Record<string, string> = {
  internet: "Internet connection",
  captive_portal: "Wi-Fi sign-in page",
  latency: "Delay to Zoom (latency)",
  loss: "Lost packets",
  jitter: "Steadiness of the connection (jitter)",
  bandwidth: "Connection speed",
  "dns.system": "Finding Zoom's servers (this computer's DNS)",
  "dns.reference": "Finding Zoom's servers (public DNS)",
  "tcp.443": "Zoom connection (port 443)",
  "tcp.8801": "Zoom connection (port 8801)",
  "tcp.8802": "Zoom connection (port 8802)",
  "udp.3478": "Zoom audio and video (port 3478)",
  "udp.3479": "Zoom audio and video (port 3479)",
  tls: "Secure connection to Zoom",
  service_status: "Zoom service status",
  proxy: "Proxy settings",
  clock: "Computer clock",
};

export const PLAN_IDS = Object.keys(TITLES);

export function titleOf(id: string): string {
  return TITLES[id] ?? id;
}

export const PLAN: PlannedCheck[] = PLAN_IDS.map((id) => ({ id, title: titleOf(id), group: groupForId(id) }));

export const OVERVIEW: Overview = {
  app: { name: "Meeting Doctor", version: "0.1.0" },
  system: { os: "linux", os_version: "Debian GNU/Linux 12 (bookworm)", arch: "x86_64" },
  profile: { name: "Zoom", source: "built-in" },
  checks: PLAN,
};

export function finding(id: string, status: Status, summary: string, detail = "", elapsed_ms = 42): Finding {
  return { id, title: titleOf(id), status, summary, detail, evidence: null, elapsed_ms };
}

const PASS: Record<string, [string, string]> = {
  internet: ["This computer can reach the internet.", "GET http://connectivity.example/ → 200 in 38 ms"],
  captive_portal: ["No Wi-Fi sign-in page is in the way.", "GET http://captive.example/generate_204 → 204"],
  latency: ["The delay to Zoom is low (32 ms).", "median TCP connect time to zoom.us:443 over 10 samples: 32 ms (good ≤ 150 ms, lower is better)"],
  loss: ["No packets were lost.", "20 of 20 STUN requests to stun.example:3478 answered; loss 0.0 % (good < 1 %, lower is better)"],
  jitter: ["The connection is steady (jitter 3 ms).", "mean change between consecutive STUN round trips: 3 ms over 20 samples (good ≤ 40 ms, lower is better)"],
  bandwidth: ["The connection is fast enough for HD group video (48 Mbps down).", "download 48.2 Mbps, upload 11.9 Mbps; Zoom needs 0.6 Mbps each way for basic video (higher is better)"],
  "dns.system": ["This computer finds Zoom's servers by name.", "zoom.us: 170.114.52.2\nus04web.zoom.us: 170.114.10.85"],
  "dns.reference": ["Public name lookup (DNS) finds Zoom's servers.", "zoom.us @ 9.9.9.9: 170.114.52.2"],
  "tcp.443": ["Zoom's servers answer on port 443.", "170.114.52.2:443 connected in 31 ms"],
  "tcp.8801": ["Zoom's servers answer on port 8801.", "170.114.10.85:8801 connected in 33 ms"],
  "tcp.8802": ["Zoom's servers answer on port 8802.", "170.114.10.85:8802 connected in 34 ms"],
  "udp.3478": ["Audio and video can get through on port 3478.", "STUN Binding to 170.114.10.85:3478 answered in 35 ms"],
  "udp.3479": ["Audio and video can get through on port 3479.", "STUN Binding to 170.114.10.85:3479 answered in 36 ms"],
  tls: ["The secure connection to Zoom is genuine.", "zoom.us:443 TLS 1.3; chain: *.zoom.us ← DigiCert Global G2 TLS RSA SHA256 2020 CA1 ← DigiCert Global Root G2 (public root)"],
  service_status: ["Zoom reports no problems with its service.", "Zoom Meetings: operational; no open incidents"],
  proxy: ["No proxy is set up on this computer.", "HTTP_PROXY, HTTPS_PROXY, ALL_PROXY unset"],
  clock: ["This computer's clock is right.", "offset from zoom.us Date header: +0.4 s (good within ±60 s)"],
};

/** Every planned check passing, with these overrides. */
export function findings(overrides: Record<string, Finding> = {}): Finding[] {
  return PLAN_IDS.map((id) => overrides[id] ?? finding(id, "pass", PASS[id][0], PASS[id][1]));
}

export function report(checks: Finding[], run: Partial<Report["run"]> = {}, causes: Report["diagnosis"]["causes"] = []): Report {
  return {
    schema: "meeting-doctor/report/v1",
    generated_at: "2025-11-22T06:19:00Z",
    app: OVERVIEW.app,
    system: OVERVIEW.system,
    profile: OVERVIEW.profile,
    checks,
    diagnosis: { causes },
    fixes_applied: [],
    run: { elapsed_ms: 4200, deadline_ms: 15000, deadline_hit: false, cancelled: false, ...run },
  };
}

const UNKNOWN_PORTS = {
  "tcp.8802": finding("tcp.8802", "unknown", "Couldn't test port 8802: no server is known to answer there.", "the profile lists TCP 8802 without a host; no public server is documented to answer on it, so a result would prove nothing"),
  "udp.3479": finding("udp.3479", "unknown", "Couldn't test port 3479: no server is known to answer there.", "the profile lists UDP 3479 without a host; no public server is documented to answer on it, so a result would prove nothing"),
};

export const SCENARIOS = {
  healthy: findings(UNKNOWN_PORTS),
  blocked: findings({
    ...UNKNOWN_PORTS,
    "tcp.8801": finding("tcp.8801", "fail", "Zoom never answered on port 8801; something on the way is dropping it.", "170.114.10.85:8801: no answer within 3000 ms\n170.114.10.86:8801: no answer within 3000 ms", 3004),
    "udp.3478": finding("udp.3478", "fail", "Audio and video get no answer on port 3478; this network seems to block them.", "UDP: 6 STUN requests to 170.114.10.85:3478, no answer", 3010),
    tls: finding("tls", "fail", "Something on this network opens Zoom's secure connection: it is re-signed by “Contoso Inspection CA”.", "zoom.us:443 chain: *.zoom.us ← Contoso Inspection CA (trusted only by this computer's store)\nexpected a public root", 120),
    loss: finding("loss", "unknown", "Couldn't measure lost packets: the audio and video test server did not answer at all.", "stun.example:3478: 0 of 20 STUN requests answered (see the UDP checks)"),
    jitter: finding("jitter", "unknown", "Couldn't measure steadiness: too few answers to compare.", "0 samples"),
  }),
  offline: PLAN_IDS.map((id) =>
    id === "internet"
      ? finding("internet", "fail", "This computer can't reach the internet.", "GET http://connectivity.example/: connect: network is unreachable (os error 101)", 2)
      : finding(id, "skipped", "Skipped because this computer can't reach the internet.", "internet check failed first", 0),
  ),
  portal: findings({
    captive_portal: finding("captive_portal", "fail", "This network wants you to sign in on a web page first (login.hotel.example).", "GET http://captive.example/generate_204 → 302 Location: http://login.hotel.example/?orig=…"),
  }),
  dns: findings({
    "dns.system": finding("dns.system", "fail", "This computer's name lookup (DNS) is not answering.", "zoom.us: resolver unreachable: timed out after 2000 ms"),
  }),
  slow: findings({
    latency: finding("latency", "warn", "The delay to Zoom is high (210 ms); people may talk over each other.", "median TCP connect time to zoom.us:443 over 10 samples: 210 ms (good ≤ 150 ms, lower is better)"),
  }),
} satisfies Record<string, Finding[]>;

export type ScenarioName = keyof typeof SCENARIOS;

export function startedEvents(plan: readonly PlannedCheck[] = PLAN): RunEvent[] {
  return plan.map((c) => ({ event: "started", id: c.id, title: c.title, group: c.group }));
}

export function groupOf(id: string): Group {
  return groupForId(id);
}
