// Realistic data for the unit and browser tests: the built-in Zoom plan and
// findings worded as crates/core words them.

import type {
  Cause,
  CauseId,
  Change,
  CheckChange,
  Comparison,
  Diagnosis,
  Finding,
  FixId,
  FixResult,
  Group,
  HistoryEntry,
  Outcome,
  OutcomeStatus,
  Overview,
  PlannedCheck,
  Preview,
  Report,
  RunEvent,
  RunSummary,
  Status,
  Step,
  StepId,
  StepResult,
  Suggestion,
  Verdict,
} from "../src/bindings";
import { verifies } from "../src/fixes";
import { CONNECTION_CODES as ENGINE_CODES } from "../src/vocabulary";
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

export const PLAN: PlannedCheck[] = PLAN_IDS.map((id) => ({
  id,
  title: titleOf(id),
  group: groupForId(id),
}));

export const OVERVIEW: Overview = {
  app: { name: "Meeting Doctor", version: "0.1.0" },
  system: {
    os: "linux",
    os_version: "Debian GNU/Linux 12 (bookworm)",
    arch: "x86_64",
    host_name: "anna-laptop",
    user: "anna",
  },
  profile: { name: "Zoom", source: "built-in" },
  checks: PLAN,
};

export function finding(
  id: string,
  status: Status,
  summary: string,
  detail = "",
  elapsed_ms = 42,
): Finding {
  return { id, title: titleOf(id), status, summary, detail, evidence: null, elapsed_ms };
}

const PASS: Record<string, [string, string]> = {
  internet: [
    "This computer can reach the internet.",
    "GET http://connectivity.example/ → 200 in 38 ms",
  ],
  captive_portal: [
    "No Wi-Fi sign-in page is in the way.",
    "GET http://captive.example/generate_204 → 204",
  ],
  latency: [
    "The delay to Zoom is low (32 ms).",
    "median TCP connect time to zoom.us:443 over 10 samples: 32 ms (good ≤ 150 ms, lower is better)",
  ],
  loss: [
    "No packets were lost.",
    "20 of 20 STUN requests to stun.example:3478 answered; loss 0.0 % (good < 1 %, lower is better)",
  ],
  jitter: [
    "The connection is steady (jitter 3 ms).",
    "mean change between consecutive STUN round trips: 3 ms over 20 samples (good ≤ 40 ms, lower is better)",
  ],
  bandwidth: [
    "The connection is fast enough for HD group video (48 Mbps down).",
    "download 48.2 Mbps, upload 11.9 Mbps; Zoom needs 0.6 Mbps each way for basic video (higher is better)",
  ],
  "dns.system": [
    "This computer finds Zoom's servers by name.",
    "zoom.us: 170.114.52.2\nus04web.zoom.us: 170.114.10.85",
  ],
  "dns.reference": [
    "Public name lookup (DNS) finds Zoom's servers.",
    "zoom.us @ 9.9.9.9: 170.114.52.2",
  ],
  "tcp.443": ["Zoom's servers answer on port 443.", "170.114.52.2:443 connected in 31 ms"],
  "tcp.8801": ["Zoom's servers answer on port 8801.", "170.114.10.85:8801 connected in 33 ms"],
  "tcp.8802": ["Zoom's servers answer on port 8802.", "170.114.10.85:8802 connected in 34 ms"],
  "udp.3478": [
    "Audio and video can get through on port 3478.",
    "STUN Binding to 170.114.10.85:3478 answered in 35 ms",
  ],
  "udp.3479": [
    "Audio and video can get through on port 3479.",
    "STUN Binding to 170.114.10.85:3479 answered in 36 ms",
  ],
  tls: [
    "The secure connection to Zoom is genuine.",
    "zoom.us:443 TLS 1.3; chain: *.zoom.us ← DigiCert Global G2 TLS RSA SHA256 2020 CA1 ← DigiCert Global Root G2 (public root)",
  ],
  service_status: [
    "Zoom reports no problems with its service.",
    "Zoom Meetings: operational; no open incidents",
  ],
  proxy: ["No proxy is set up on this computer.", "HTTP_PROXY, HTTPS_PROXY, ALL_PROXY unset"],
  clock: [
    "This computer's clock is right.",
    "offset from zoom.us Date header: +0.4 s (good within ±60 s)",
  ],
};

/** Every planned check passing, with these overrides. */
export function findings(overrides: Record<string, Finding> = {}): Finding[] {
  return PLAN_IDS.map((id) => overrides[id] ?? finding(id, "pass", PASS[id][0], PASS[id][1]));
}

/** A report; without a diagnosis, the one of a healthy run with no error code. */
export function report(
  checks: Finding[],
  run: Partial<Report["run"]> = {},
  diagnosis: Diagnosis = HEALTHY,
): Report {
  return {
    schema: "meeting-doctor/report/v1",
    generated_at: "2025-11-22T06:19:00Z",
    app: OVERVIEW.app,
    system: OVERVIEW.system,
    profile: OVERVIEW.profile,
    checks,
    diagnosis,
    fixes_applied: [],
    run: { elapsed_ms: 4200, deadline_ms: 15000, deadline_hit: false, cancelled: false, ...run },
  };
}

const UNKNOWN_PORTS = {
  "tcp.8802": finding(
    "tcp.8802",
    "unknown",
    "Couldn't test port 8802: no server is known to answer there.",
    "the profile lists TCP 8802 without a host; no public server is documented to answer on it, so a result would prove nothing",
  ),
  "udp.3479": finding(
    "udp.3479",
    "unknown",
    "Couldn't test port 3479: no server is known to answer there.",
    "the profile lists UDP 3479 without a host; no public server is documented to answer on it, so a result would prove nothing",
  ),
};

export const SCENARIOS = {
  healthy: findings(UNKNOWN_PORTS),
  blocked: findings({
    ...UNKNOWN_PORTS,
    "tcp.8801": finding(
      "tcp.8801",
      "fail",
      "Zoom never answered on port 8801; something on the way is dropping it.",
      "170.114.10.85:8801: no answer within 3000 ms\n170.114.10.86:8801: no answer within 3000 ms",
      3004,
    ),
    "udp.3478": finding(
      "udp.3478",
      "fail",
      "Audio and video get no answer on port 3478; this network seems to block them.",
      "UDP: 6 STUN requests to 170.114.10.85:3478, no answer",
      3010,
    ),
    tls: finding(
      "tls",
      "fail",
      "Something on this network opens Zoom's secure connection: it is re-signed by “Contoso Inspection CA”.",
      "zoom.us:443 chain: *.zoom.us ← Contoso Inspection CA (trusted only by this computer's store)\nexpected a public root",
      120,
    ),
    loss: finding(
      "loss",
      "unknown",
      "Couldn't measure lost packets: the audio and video test server did not answer at all.",
      "stun.example:3478: 0 of 20 STUN requests answered (see the UDP checks)",
    ),
    jitter: finding(
      "jitter",
      "unknown",
      "Couldn't measure steadiness: too few answers to compare.",
      "0 samples",
    ),
  }),
  offline: PLAN_IDS.map((id) =>
    id === "internet"
      ? finding(
          "internet",
          "fail",
          "This computer can't reach the internet.",
          "GET http://connectivity.example/: connect: network is unreachable (os error 101)",
          2,
        )
      : finding(
          id,
          "skipped",
          "Skipped because this computer can't reach the internet.",
          "internet check failed first",
          0,
        ),
  ),
  portal: findings({
    captive_portal: finding(
      "captive_portal",
      "fail",
      "This network wants you to sign in on a web page first (login.hotel.example).",
      "GET http://captive.example/generate_204 → 302 Location: http://login.hotel.example/?orig=…",
    ),
  }),
  dns: findings({
    "dns.system": finding(
      "dns.system",
      "fail",
      "This computer's name lookup (DNS) is not answering.",
      "zoom.us: resolver unreachable: timed out after 2000 ms",
    ),
  }),
  filtered: findings({
    ...UNKNOWN_PORTS,
    "dns.system": {
      ...finding(
        "dns.system",
        "fail",
        "This network's name lookup sends Zoom's names nowhere (zoom.us → 0.0.0.0).",
        "zoom.us: 0.0.0.0 (system resolver 192.168.1.1)\nzoom.us @ 9.9.9.9: 170.114.52.2",
      ),
      evidence: { sinkholed: ["zoom.us"] },
    },
  }),
  firewall: findings({
    ...UNKNOWN_PORTS,
    "tcp.8801": finding(
      "tcp.8801",
      "fail",
      "Zoom never answered on port 8801; something on the way is dropping it.",
      "170.114.10.85:8801: no answer within 3000 ms",
      3002,
    ),
    "udp.3478": finding(
      "udp.3478",
      "fail",
      "Audio and video get no answer on port 3478; this network seems to block them.",
      "UDP: 6 STUN requests to 170.114.10.85:3478, no answer",
      3008,
    ),
  }),
  slow: findings({
    latency: finding(
      "latency",
      "warn",
      "The delay to Zoom is high (210 ms); people may talk over each other.",
      "median TCP connect time to zoom.us:443 over 10 samples: 210 ms (good ≤ 150 ms, lower is better)",
    ),
  }),
} satisfies Record<string, Finding[]>;

export type ScenarioName = keyof typeof SCENARIOS;

export function startedEvents(plan: readonly PlannedCheck[] = PLAN): RunEvent[] {
  return plan.map((c) => ({ event: "started", id: c.id, title: c.title, group: c.group }));
}

export function groupOf(id: string): Group {
  return groupForId(id);
}

// ——— Diagnoses, worded as crates/core/src/diagnosis.rs words them ———

const STEPS: Record<string, [string, string, string, string]> = {
  sign_in_portal: [
    "Sign in to the Wi-Fi",
    "Hotel, airport and café networks hold everything back until you accept their terms.",
    "Open a web browser and visit any site; the sign-in page appears. Accept it, then open Zoom.",
    "Web pages open normally and Meeting Doctor's checks turn green.",
  ],
  restart_router: [
    "Restart the router",
    "A router that has run for weeks can hold stale connections and lookups.",
    "Unplug the router (and modem) for 30 seconds, plug back in, wait two minutes.",
    "The internet check passes again.",
  ],
  try_hotspot: [
    "Try another network, such as a phone hotspot",
    "It tells at once whether the problem is this network or this computer.",
    'Turn on your phone\'s hotspot, join it, and run the check again (use "Test on another network").',
    "If Zoom works on the hotspot, this network blocks Zoom; if not, the cause is on this computer.",
  ],
  use_ethernet: [
    "Use a cable instead of Wi-Fi",
    "A cable connection does not drop or slow down the way Wi-Fi does.",
    "Plug the computer into the router with a network cable.",
    "Delay, jitter and loss checks improve.",
  ],
  sip_alg: [
    "Turn off SIP ALG on the router",
    "This router feature rewrites call traffic and can break audio and video.",
    "Open the router's settings page, find SIP ALG (often under Advanced or NAT), turn it off and restart the router.",
    "Audio and video checks pass after the restart.",
  ],
  browser_client: [
    "Join from a web browser",
    "If the browser works but the app doesn't, the app or its settings are the problem.",
    'Open the meeting link and choose "Join from your browser".',
    "You can join in the browser.",
  ],
  new_local_user: [
    "Test in a new user account",
    "A damaged user profile can hold bad proxy, certificate or app settings.",
    "Create a temporary local user on this computer, sign in as that user and try Zoom.",
    "If Zoom works there, the problem is in your usual profile's settings.",
  ],
  reinstall_zoom: [
    "Reinstall Zoom (the right version for this computer)",
    "Damaged or outdated app files can stop Zoom from connecting.",
    "Uninstall Zoom normally, download it again from zoom.us/download (Apple Silicon Macs: the Apple Silicon build), install and restart.",
    "The Zoom app check shows the new version and meetings connect.",
  ],
  update_zoom: [
    "Update Zoom",
    "Old versions are refused by Zoom's servers and miss connection fixes.",
    'In Zoom, open your profile picture and choose "Check for Updates".',
    "Zoom reports it is up to date.",
  ],
  ask_admin: [
    "Ask the network administrator",
    "On work and school networks, only the administrator can change what is blocked.",
    "Send them the administrator note from the report (Copy for a technician).",
    "The administrator confirms Zoom is allowed, and the checks pass.",
  ],
  quit_zoom_fully: [
    "Quit Zoom completely and start it again",
    "A half-closed Zoom can keep the new one from connecting.",
    "Quit Zoom from its tray or menu-bar icon (not just the window), then start it again.",
    "Zoom starts and connects.",
  ],
  restart_computer: [
    "Restart the computer",
    "It reloads the network settings and clears stuck connections.",
    "Save your work and restart.",
    "The checks pass after the restart.",
  ],
  contact_isp: [
    "Contact your internet provider",
    "If several devices fail at home but work on mobile data, the provider's line or filter is the likely cause.",
    "Call them with the report from Meeting Doctor.",
    "The provider finds and fixes the fault.",
  ],
};

export function step(id: StepId): Step {
  const [title, why, how, worked_if] = STEPS[id];
  return { id, title, why, how, worked_if };
}

/** What the engine sends as a connection cause's codes: every code it knows. */
export const CONNECTION_CODES: string[] = [...ENGINE_CODES];

export function cause(
  id: CauseId,
  confidence: number,
  summary: string,
  explanation: string,
  evidence: string[],
  steps: StepId[],
  options: { fixes?: FixId[]; qualityOnly?: boolean; codes?: string[] } = {},
): Cause {
  const qualityOnly = options.qualityOnly ?? false;
  return {
    id,
    confidence,
    summary,
    explanation,
    error_codes: options.codes ?? (qualityOnly ? [] : CONNECTION_CODES),
    evidence,
    fixes: options.fixes ?? [],
    steps: steps.map(step),
    quality_only: qualityOnly,
  };
}

export const CAUSES = {
  offline: cause(
    "offline",
    0.95,
    "This computer is not connected to the internet.",
    "No test could reach anything outside this computer, so Zoom cannot either. Everything else waits on the connection.",
    ["internet"],
    ["restart_router", "use_ethernet", "try_hotspot", "restart_computer", "contact_isp"],
    { fixes: ["network.stack_reset"] },
  ),
  captive_portal: cause(
    "captive_portal",
    0.95,
    "This Wi-Fi wants you to sign in on a web page before anything else works.",
    "Public and guest networks hold back all traffic, Zoom's included, until their sign-in page is accepted. The other red rows follow from that.",
    ["captive_portal"],
    ["sign_in_portal", "try_hotspot"],
  ),
  dns_failure: cause(
    "dns_failure",
    0.7,
    "This computer can't look up Zoom's servers by name.",
    "Name lookup (DNS) is failing, so Zoom can't find where to connect.",
    ["dns.system"],
    ["restart_router", "try_hotspot"],
    { fixes: ["dns.flush", "dns.use_public"] },
  ),
  dns_filtered: cause(
    "dns_filtered",
    0.92,
    "This network's name lookup blocks Zoom (zoom.us).",
    "The network's DNS answers Zoom's names with an address that goes nowhere: a content filter (router, school or office filter, parental controls) is blocking Zoom.",
    ["dns.system", "dns.reference"],
    ["ask_admin", "try_hotspot"],
    { fixes: ["dns.use_public"] },
  ),
  tls_interception: cause(
    "tls_interception",
    0.9,
    'Something on this network opens Zoom\'s secure connection (re-signed by "Contoso Inspection CA").',
    "The network (or a company filter) decrypts and re-signs secure traffic. Zoom's traffic should be excluded from this SSL inspection.",
    ["tls"],
    ["ask_admin", "try_hotspot"],
  ),
  signaling_ports_blocked: cause(
    "signaling_ports_blocked",
    0.5,
    "Some of Zoom's ports are blocked (8801); Zoom can fall back to port 443.",
    "Zoom prefers TCP 8801 and 8802 for meeting connections. Blocked, Zoom falls back to 443, which usually works but joins more slowly.",
    ["tcp.8801"],
    ["ask_admin"],
    { fixes: ["firewall.allow_zoom"] },
  ),
  udp_blocked: cause(
    "udp_blocked",
    0.6,
    "Audio and video can't use their fast route (UDP) here; Zoom falls back to a slower one.",
    "Zoom sends sound and video over UDP (ports 3478, 3479, 8801–8810). This network blocks it, so Zoom carries them over TCP 443: meetings connect, but sound and video may lag or break up.",
    ["udp.3478"],
    ["ask_admin", "sip_alg", "try_hotspot"],
    { fixes: ["firewall.allow_zoom"], qualityOnly: true },
  ),
  local_firewall: cause(
    "local_firewall",
    0.8,
    "This computer's firewall blocks Zoom's ports (8801, 3478).",
    "The firewall on this computer (ufw) drops Zoom's connections on ports 8801 and 3478, so meetings join slowly and audio and video may not get through.",
    ["tcp.8801", "udp.3478"],
    ["try_hotspot", "ask_admin"],
    { fixes: ["firewall.allow_zoom"] },
  ),
  poor_connection: cause(
    "poor_connection",
    0.4,
    "The connection is slow or unsteady; sound and video may break up.",
    "Delay, jitter, lost packets or low speed make meetings choppy and can make joining time out (error 10002).",
    ["latency"],
    ["use_ethernet", "restart_router", "sip_alg"],
    { qualityOnly: true },
  ),
} satisfies Record<string, Cause>;

/** The causes the engine finds for each scenario, best first. */
export const SCENARIO_CAUSES: Record<ScenarioName, Cause[]> = {
  healthy: [],
  blocked: [CAUSES.tls_interception, CAUSES.signaling_ports_blocked, CAUSES.udp_blocked],
  offline: [CAUSES.offline],
  portal: [CAUSES.captive_portal],
  dns: [CAUSES.dns_failure],
  filtered: [CAUSES.dns_filtered],
  firewall: [CAUSES.local_firewall],
  slow: [CAUSES.poor_connection],
};

function codeMeaningOf(code: string): string | null {
  if (/^1041(0[1-6]|1[0-8])$/.test(code))
    return `${code} means the Zoom app could not reach Zoom's servers`;
  if (code === "10002")
    return `${code} means the Zoom app lost or could not make its connection to Zoom's servers`;
  if (code === "5003") return `${code} means the Zoom app could not connect to Zoom's servers`;
  return null;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string) =>
  s.length > 1 && !s.startsWith("Z") && /[a-z]/.test(s[1])
    ? s.charAt(0).toLowerCase() + s.slice(1)
    : s;

function headline(causes: readonly Cause[], code: string | null, meaning: string | null): string {
  const top = causes.at(0);
  const means = capitalize(meaning ?? "Your error code means Zoom could not connect");
  if (top && code !== null && !top.quality_only)
    return `${means}; here it is because ${lowerFirst(top.summary.replace(/\.$/, ""))}.`;
  if (top) return top.summary;
  if (code !== null) return `${means}, but everything Zoom needs works here now.`;
  return "Everything Zoom needs works on this computer and network.";
}

const RULED_OUT = [
  "This computer is online.",
  "Zoom's servers are found by name.",
  "Zoom's connection ports are open.",
  "The secure connection to Zoom is genuine.",
  "No proxy stands in the way.",
  "Zoom reports no outage.",
  "The clock is right.",
];

/** The diagnosis of a set of causes, as the engine builds it. */
export function diagnosis(causes: Cause[], code: string | null = null): Diagnosis {
  const meaning = code === null ? null : codeMeaningOf(code);
  const unexplained = code !== null && causes.every((c) => c.quality_only);
  return {
    causes,
    headline: headline(causes, code, meaning),
    error_code: code,
    code_meaning: meaning,
    ruled_out: unexplained ? RULED_OUT : [],
    next_steps: unexplained
      ? (
          [
            "quit_zoom_fully",
            "browser_client",
            "update_zoom",
            "reinstall_zoom",
            "new_local_user",
            "try_hotspot",
          ] satisfies StepId[]
        ).map(step)
      : [],
  };
}

export const HEALTHY: Diagnosis = diagnosis([]);

/** A finished run of a scenario, with the diagnosis the engine gives it. */
export function scenarioReport(
  name: ScenarioName,
  code: string | null = null,
  run: Partial<Report["run"]> = {},
): Report {
  const r = report(
    SCENARIOS[name],
    run,
    diagnosis(run.cancelled ? [] : SCENARIO_CAUSES[name], code),
  );
  if (code !== null) r.error_code = code;
  return r;
}

// ——— Fixes, as crates/core/src/fixes words them (Linux: ufw, systemd-resolved) ———

/** Each fix's preview on Anna's Linux laptop (printed from the engine's plans). */
export const PREVIEWS: Record<string, Preview> = {
  "zoom.quit": {
    fix: {
      id: "zoom.quit",
      title: "Quit Zoom completely",
      why: "A Zoom helper left running can keep Zoom from starting cleanly.",
      risk: "low",
      verify: ["zoom_client"],
    },
    os: "linux",
    applicable: true,
    reason: null,
    needs_admin: false,
    asks_password: false,
    needs_restart: false,
    side_effects: [],
    steps: [
      {
        title: "Quit Zoom and its helpers (they get 5 seconds to close on their own)",
        detail: "quit Zoom, ZoomLauncher, zopen, aomhost, ZoomWebviewHost (forced after 5 s)",
      },
    ],
    undo: "Start Zoom again when you are ready.",
    digest: "616d35ae65f0faf9c68f7b59edfe6df36fc446a7735ffd6c953149339c18ae9a",
  },
  "dns.flush": {
    fix: {
      id: "dns.flush",
      title: "Clear the list of remembered addresses (DNS cache)",
      why: "An old or wrong address remembered by this computer can send Zoom to the wrong place.",
      risk: "low",
      verify: ["dns.system"],
    },
    os: "linux",
    applicable: true,
    reason: null,
    needs_admin: true,
    asks_password: true,
    needs_restart: false,
    side_effects: [],
    steps: [
      {
        title: "Clear systemd-resolved's cache",
        detail: "resolvectl flush-caches",
      },
    ],
    undo: "Nothing to undo: the cache fills again by itself.",
    digest: "b69025173f76b6d840f4a16454e3644d8a7f9e59be2563201814aa4bb4b8d4da",
  },
  "zoom.clear_cache": {
    fix: {
      id: "zoom.clear_cache",
      title: "Put Zoom's temporary files aside",
      why: "Damaged temporary files can stop Zoom from connecting; Zoom makes new ones.",
      risk: "low",
      verify: ["zoom_client"],
    },
    os: "linux",
    applicable: true,
    reason: null,
    needs_admin: false,
    asks_password: false,
    needs_restart: false,
    side_effects: [
      "Zoom closes first. Your Zoom settings, sign-in and chat history stay where they are.",
      "Nothing is deleted: the files are kept in /home/anna/.local/share/meeting-doctor/backups.",
    ],
    steps: [
      {
        title: "Quit Zoom and its helpers (they get 5 seconds to close on their own)",
        detail: "quit Zoom, ZoomLauncher, zopen, aomhost, ZoomWebviewHost (forced after 5 s)",
      },
      {
        title: "Move Zoom's temporary files into a dated backup folder",
        detail:
          "move the contents of /home/anna/.zoom/data into the backup folder, except *.db, *.db-*, *.ini, *.conf, *.plist",
      },
      {
        title: "Move Zoom's temporary files into a dated backup folder",
        detail: "move /home/anna/.cache/zoom into the backup folder",
      },
      {
        title: "Move Zoom's temporary files into a dated backup folder",
        detail:
          "move the contents of /home/anna/.var/app/us.zoom.Zoom/.zoom/data into the backup folder, except *.db, *.db-*, *.ini, *.conf, *.plist",
      },
      {
        title: "Move Zoom's temporary files into a dated backup folder",
        detail: "move /home/anna/.var/app/us.zoom.Zoom/cache into the backup folder",
      },
    ],
    undo: "Undo moves every file back from the backup folder.",
    digest: "bffb6c3af4820ca02f830c13cd71948c89fcfb8c9eada011f492dbec57e86368",
  },
  "firewall.allow_zoom": {
    fix: {
      id: "firewall.allow_zoom",
      title: "Let Zoom through this computer's firewall",
      why: "The firewall on this computer blocks the ports Zoom needs.",
      risk: "medium",
      verify: ["firewall", "tcp.*", "udp.*"],
    },
    os: "linux",
    applicable: true,
    reason: null,
    needs_admin: true,
    asks_password: true,
    needs_restart: false,
    side_effects: ["The firewall stays on; only Zoom's traffic is let through."],
    steps: [
      {
        title: "Let Zoom's connections out through the firewall",
        detail: "ufw allow out proto tcp to any port 443,8801:8802 comment meeting-doctor-zoom",
      },
      {
        title: "Let Zoom's sound and video out through the firewall",
        detail:
          "ufw allow out proto udp to any port 3478:3479,8801:8810 comment meeting-doctor-zoom",
      },
    ],
    undo: "Undo removes the rules Meeting Doctor added; the firewall's own rules are never touched.",
    digest: "59fdee0b2f7bf949e9ab0b6cb1069fbafc8d71d5dc80bbdbe572068ce75a31a6",
  },
  "dns.use_public": {
    fix: {
      id: "dns.use_public",
      title: "Use public DNS servers",
      why: "This network's DNS servers do not answer, or answer wrongly, for Zoom.",
      risk: "medium",
      verify: ["dns.system"],
    },
    os: "linux",
    applicable: false,
    reason: "The network connection in use is not known.",
    needs_admin: false,
    asks_password: false,
    needs_restart: false,
    side_effects: [],
    steps: [],
    undo: "",
    digest: "",
  },
  "proxy.disable": {
    fix: {
      id: "proxy.disable",
      title: "Stop using the proxy server",
      why: "The proxy server this computer is set to use stands between Zoom and its servers.",
      risk: "medium",
      verify: ["proxy", "internet", "tls"],
    },
    os: "linux",
    applicable: false,
    reason: "This computer does not use a proxy server.",
    needs_admin: false,
    asks_password: false,
    needs_restart: false,
    side_effects: [],
    steps: [],
    undo: "",
    digest: "",
  },
  "network.stack_reset": {
    fix: {
      id: "network.stack_reset",
      title: "Reset this computer's network settings",
      why: "Damaged network settings can break every connection; a reset rebuilds them.",
      risk: "high",
      verify: ["internet", "dns.system"],
    },
    os: "linux",
    applicable: false,
    reason: "The network interface in use is not known, so it cannot be restarted.",
    needs_admin: false,
    asks_password: false,
    needs_restart: false,
    side_effects: [],
    steps: [],
    undo: "",
    digest: "",
  },
};

/** Catalog (repair) order. */
const CATALOG_ORDER = [
  "zoom.quit",
  "dns.flush",
  "clock.sync",
  "zoom.clear_cache",
  "firewall.allow_zoom",
  "proxy.disable",
  "dns.use_public",
  "network.stack_reset",
];

/** The fixes of a diagnosis as the engine's `suggest` orders them: causes as ranked, each cause's fixes in catalog order, once. */
export function suggestions(causes: readonly Cause[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const c of causes) {
    const ids = [...c.fixes].sort((a, b) => CATALOG_ORDER.indexOf(a) - CATALOG_ORDER.indexOf(b));
    for (const id of ids) {
      const seen = out.find((s) => s.preview.fix.id === id);
      if (seen) {
        if (!seen.causes.includes(c.id)) seen.causes.push(c.id);
        continue;
      }
      const preview = PREVIEWS[id] as Preview | undefined;
      if (preview) out.push({ preview, causes: [c.id] });
    }
  }
  return out;
}

/** Before → after of a fix's checks: what failed passes now (unless `still`), the rest stays. */
export function verification(
  preview: Preview,
  before: readonly Finding[],
  still = false,
): { checks: CheckChange[]; helped: boolean; all_pass: boolean } {
  const checks: CheckChange[] = before
    .filter((f) => verifies(preview.fix.verify, f.id))
    .map((f) => {
      const after: Status = f.status === "fail" && !still ? "pass" : f.status;
      return {
        id: f.id,
        title: f.title,
        before: f.status,
        after,
        summary:
          after === "pass" && f.status !== "pass"
            ? ((PASS[f.id] as [string, string] | undefined)?.[0] ?? f.summary)
            : f.summary,
      };
    });
  const rank: Record<Status, number> = { pass: 0, warn: 1, unknown: 2, skipped: 2, fail: 3 };
  const better = checks.some(
    (c) => c.before !== null && rank[c.before] > rank[c.after] && c.after === "pass",
  );
  const worse = checks.some((c) => c.before !== null && rank[c.before] < rank[c.after]);
  return {
    checks,
    helped: better && !worse,
    all_pass: checks.length > 0 && checks.every((c) => c.after === "pass"),
  };
}

const MESSAGES: Record<OutcomeStatus, string> = {
  applied: "Done.",
  failed:
    '"Let Zoom\'s sound and video out through the firewall" did not work: ERROR: Could not update running firewall',
  declined: "You said no to the administrator prompt, so nothing was changed.",
  cancelled:
    "Stopped waiting for administrator approval. If the change had already started, the history shows what was done.",
  not_authorized:
    "This account may not make this change (pkexec: not authorized). Ask an administrator.",
  timed_out:
    "Nobody answered the administrator prompt within 120 seconds. If you are helping remotely, the prompt may be on a screen you cannot see: export the fix as a script and run it in an administrator shell.",
  not_applicable: "The network connection in use is not known.",
};

export const ENTRY_ID = "20251122062500-firewall.allow_zoom-3f2a";

/** The steps a plan reports as they run (steps that only read are not reported). */
export function stepResults(preview: Preview, failAt: number | null = null): StepResult[] {
  const out: StepResult[] = [];
  for (const [index, s] of preview.steps.entries()) {
    if (s.title.startsWith("Note the current setting")) continue;
    const ok = index !== failAt;
    out.push({
      index,
      title: s.title,
      ok,
      detail: ok ? "Rule added" : "ERROR: Could not update running firewall",
    });
    if (!ok) break;
  }
  return out;
}

/** An outcome as the engine gives it. */
export function outcome(
  preview: Preview,
  status: OutcomeStatus,
  before: readonly Finding[] = [],
  options: { entry?: string | null; still?: boolean } = {},
): Outcome {
  const ran = status === "applied" || status === "failed";
  return {
    status,
    fix: preview.fix.id,
    title: preview.fix.title,
    message: MESSAGES[status],
    entry: ran ? (options.entry ?? ENTRY_ID) : null,
    steps: ran ? stepResults(preview, status === "failed" ? preview.steps.length - 1 : null) : [],
    verification: status === "applied" ? verification(preview, before, options.still) : null,
  };
}

/** apply_fix's answer: the outcome, the report record, whether it can be undone. */
export function fixResult(
  o: Outcome,
  action: "apply" | "undo" = "apply",
  canUndo = action === "apply" && o.entry !== null,
): FixResult {
  return {
    outcome: o,
    record: {
      ...(JSON.parse(JSON.stringify(o)) as Outcome),
      action,
      at: "2025-11-22T06:25:00Z",
      ...(action === "undo" ? { title: `Undo: ${o.title}` } : {}),
    },
    can_undo: canUndo,
  };
}

/** A change in the history. */
export function historyEntry(
  preview: Preview,
  state: HistoryEntry["state"] = "applied",
  id = ENTRY_ID,
): HistoryEntry {
  const undo =
    preview.fix.id === "firewall.allow_zoom"
      ? ["Remove the TCP rule Meeting Doctor added", "Remove the UDP rule Meeting Doctor added"]
      : [];
  return {
    id,
    fix: preview.fix.id,
    title: preview.fix.title,
    at: "2025-11-22T06:25:00Z",
    state,
    steps_done: preview.steps.length,
    steps_total: preview.steps.length,
    undo,
    backup: null,
    message: null,
    admin: preview.needs_admin,
    can_undo: undo.length > 0 && state !== "undone",
  };
}

// ——— Comparison, as crates/core/src/compare.rs makes it ———

function summaryOf(r: Report, network: string | null): RunSummary {
  return { generated_at: r.generated_at, network, causes: r.diagnosis.causes.map((c) => c.id) };
}

const SEVERITY: Record<Status, number> = { fail: 3, warn: 2, unknown: 1, skipped: 1, pass: 0 };

export function comparison(
  a: Report,
  b: Report,
  networks: [string | null, string | null] = [null, null],
): Comparison {
  const blocking = (r: Report) =>
    r.diagnosis.causes.filter((c) => !c.quality_only).map((c) => c.id);
  const [pa, pb] = [blocking(a), blocking(b)];
  const verdict: Verdict =
    pa.length > 0 && pb.length === 0
      ? "first_network_blocks"
      : pa.length === 0 && pb.length > 0
        ? "second_network_blocks"
        : pa.length === 0
          ? "both_fine"
          : pa.join() === pb.join()
            ? "same_on_both"
            : "different_problems";
  const first = networks[0] ?? "the first network";
  const second = networks[1] ?? "the second network";
  const cap = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
  const words: Record<Verdict, [string, string]> = {
    first_network_blocks: [
      `${cap(first)} blocks Zoom: it works on ${second}.`,
      `This computer is fine. Ask whoever runs ${first} to allow Zoom; the report's note for the administrator says what to open.`,
    ],
    second_network_blocks: [
      `${cap(second)} blocks Zoom: it works on ${first}.`,
      `Use ${first} for meetings.`,
    ],
    same_on_both: [
      "The same problem shows on both networks.",
      "So it is on this computer (or Zoom itself), not the network: start with the steps for it.",
    ],
    different_problems: [
      "Both networks have problems, but not the same ones.",
      "Look at what each network showed.",
    ],
    both_fine: [
      "Zoom's connections work on both networks.",
      "If Zoom still fails, the cause is in the Zoom app or the meeting itself.",
    ],
  };
  const changes: Change[] = a.checks.flatMap((ca) => {
    const cb = b.checks.find((c) => c.id === ca.id);
    return cb && cb.status !== ca.status
      ? [
          {
            id: ca.id,
            title: ca.title,
            before: ca.status,
            after: cb.status,
            before_summary: ca.summary,
            after_summary: cb.summary,
          },
        ]
      : [];
  });
  changes.sort(
    (x, y) => SEVERITY[y.before] - SEVERITY[y.after] - (SEVERITY[x.before] - SEVERITY[x.after]),
  );
  return {
    before: summaryOf(a, networks[0]),
    after: summaryOf(b, networks[1]),
    verdict,
    meaning: words[verdict][0],
    advice: words[verdict][1],
    changes,
  };
}
