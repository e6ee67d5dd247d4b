// Generated from the engine's lists by `cargo test -p meeting-doctor-app --test bindings`.
// Do not edit: CI fails when this file is stale; UPDATE_BINDINGS=1 rewrites it.

import type { CauseId, FixId, Group, StepId } from "./bindings";

/** The error codes the engine knows the meaning of (the picker lists them). */
export const CONNECTION_CODES: readonly string[] = [
  "104101",
  "104102",
  "104103",
  "104104",
  "104105",
  "104106",
  "104110",
  "104111",
  "104112",
  "104113",
  "104114",
  "104115",
  "104116",
  "104117",
  "104118",
  "10002",
  "5003",
  "5004",
];

/** The group of each check with a fixed id. */
export const CHECK_GROUP: Readonly<Record<string, Group>> = {
  "internet": "Internet",
  "captive_portal": "Internet",
  "dns.system": "Dns",
  "dns.reference": "Dns",
  "tls": "ZoomServers",
  "clock": "ThisComputer",
  "proxy": "SecurityAndProxy",
  "vpn": "SecurityAndProxy",
  "firewall": "SecurityAndProxy",
  "security_software": "SecurityAndProxy",
  "zoom_client": "ThisComputer",
  "service_status": "ZoomServers",
  "latency": "Internet",
  "loss": "Internet",
  "jitter": "Internet",
  "bandwidth": "Internet",
  "network_type": "Internet",
};

/** The group of the per-port checks (`tcp.<port>`, `udp.<port>`). */
export const PORT_CHECK_GROUP: Group = "ZoomServers";

/** Every CauseId of the contract. */
export const CAUSE_IDS: readonly CauseId[] = [
  "offline",
  "captive_portal",
  "dns_failure",
  "dns_filtered",
  "zoom_blocked",
  "signaling_ports_blocked",
  "udp_blocked",
  "proxy_interference",
  "tls_interception",
  "clock_skew",
  "vpn_interference",
  "local_firewall",
  "security_software",
  "zoom_outage",
  "zoom_client_problem",
  "poor_connection",
];

/** Every FixId of the contract. */
export const FIX_IDS: readonly FixId[] = [
  "zoom.quit",
  "dns.flush",
  "clock.sync",
  "zoom.clear_cache",
  "firewall.allow_zoom",
  "proxy.disable",
  "dns.use_public",
  "network.stack_reset",
];

/** Every StepId of the contract. */
export const STEP_IDS: readonly StepId[] = [
  "sign_in_portal",
  "restart_router",
  "try_hotspot",
  "use_ethernet",
  "move_closer",
  "turn_off_vpn",
  "sip_alg",
  "browser_client",
  "new_local_user",
  "reinstall_zoom",
  "update_zoom",
  "pause_security_test",
  "ask_admin",
  "proxy_sign_in",
  "check_status_page",
  "set_time_auto",
  "quit_zoom_fully",
  "restart_computer",
  "contact_isp",
];
