// Words a person sees for the fixed vocabularies of the contract: groups,
// statuses, operating systems and the Zoom error codes of the picker. The
// lists themselves (codes, check groups, ids) come from the engine in
// vocabulary.ts; a missing word for a cause id is a type error here.

import type { CauseId, Group, Os, Status } from "./bindings";
import { CHECK_GROUP, CONNECTION_CODES, PORT_CHECK_GROUP } from "./vocabulary";

/** Groups in display order. */
export const GROUP_ORDER: readonly Group[] = [
  "Internet",
  "Dns",
  "ZoomServers",
  "SecurityAndProxy",
  "ThisComputer",
];

export const GROUP_LABEL: Record<Group, string> = {
  Internet: "Internet",
  Dns: "Name lookup (DNS)",
  ZoomServers: "Zoom servers",
  SecurityAndProxy: "Security & proxy",
  ThisComputer: "This computer",
};

/** The named stage shown while a group still has checks running. */
export const GROUP_STAGE: Record<Group, string> = {
  Internet: "Checking your internet connection…",
  Dns: "Looking up Zoom's servers by name…",
  ZoomServers: "Checking the way to Zoom's servers…",
  SecurityAndProxy: "Checking security and proxy settings…",
  ThisComputer: "Checking this computer…",
};

/**
 * The group of a check id, for findings that arrive without a `started`
 * event or plan entry (the engine's own grouping, generated).
 */
export function groupForId(id: string): Group {
  return CHECK_GROUP[id] ?? PORT_CHECK_GROUP;
}

/** What a row can show: a finished status, or still running, or never finished. */
export type RowStatus = Status | "pending" | "stopped";

export const STATUS_WORD: Record<RowStatus, string> = {
  pass: "OK",
  warn: "Warning",
  fail: "Problem",
  unknown: "Couldn't check",
  skipped: "Skipped",
  pending: "Checking…",
  stopped: "Not finished",
};

export const OS_LABEL: Record<Os, string> = {
  windows: "Windows",
  macos: "macOS",
  linux: "Linux",
};

/** The picker's value for "Another code": kept in the UI, never sent as a code. */
export const OTHER_CODE = "other";

export interface CodeOption {
  value: string | null;
  label: string;
}

/** The picker: no code, every code the engine knows, or another one. */
export const ERROR_CODE_OPTIONS: readonly CodeOption[] = [
  { value: null, label: "I don't see a code" },
  ...CONNECTION_CODES.map((c) => ({ value: c, label: c })),
  { value: OTHER_CODE, label: "Another code" },
];

/** What a Zoom error code means, in plain words (no acronyms). */
export function codeMeaning(code: string): string {
  if (code === "5003") return "the Zoom app couldn't reach Zoom's web servers";
  if (code === "5004") return "the Zoom app's connection to Zoom's servers failed";
  if (code === "10002") return "the Zoom app couldn't get through to Zoom's servers";
  if (/^1041(0[1-9]|1[0-8])$/.test(code)) return "the Zoom app couldn't connect to Zoom's servers";
  return "the Zoom app reported a problem";
}

/**
 * Cause ids of the contract in plain words, for when only the id is at hand
 * (a run summary). The engine's own sentence is preferred when there is one.
 */
export const CAUSE_LABEL: Record<CauseId, string> = {
  offline: "Not connected to the internet",
  captive_portal: "The Wi-Fi wants a sign-in on a web page",
  dns_failure: "Zoom's servers can't be looked up by name",
  dns_filtered: "The network's name lookup blocks Zoom",
  zoom_blocked: "The network blocks Zoom's connections",
  signaling_ports_blocked: "Some of Zoom's ports are blocked",
  udp_blocked: "Audio and video can't use their fast route",
  proxy_interference: "The proxy gets in Zoom's way",
  tls_interception: "Something opens Zoom's secure connection",
  clock_skew: "This computer's clock is wrong",
  vpn_interference: "The VPN may block or slow Zoom",
  local_firewall: "This computer's firewall blocks Zoom",
  security_software: "Security software may filter Zoom",
  zoom_outage: "Zoom itself has a problem",
  zoom_client_problem: "The Zoom app is in a bad state",
  poor_connection: "The connection is slow or unsteady",
};

export function causeLabel(id: string): string {
  const known: Partial<Record<string, string>> = CAUSE_LABEL;
  return known[id] ?? id;
}
