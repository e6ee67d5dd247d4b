//! Redaction: what a report shared with a help desk leaves out.
//!
//! Two tiers, both applied to every string of the report (summaries,
//! details, the diagnosis, evidence values and evidence keys), so a new
//! field is covered without anyone remembering to:
//!
//! - **Secrets** leave every rendered report, with or without names (the
//!   app promises "never contain passwords"): credentials in URLs
//!   (`http://user:pass@proxy` → `http://[credentials]@proxy`) and before
//!   a host without a scheme (`user:pass@proxy:8080`), URL query strings
//!   and fragments (`?[redacted]`, `#[redacted]`: a captive portal's
//!   `?mac=…&token=…`, a PAC URL's `?auth=…`), path parameters
//!   (`;jsessionid=…`) and path segments that look like tokens; outside
//!   URLs, the values of settings and headers named like secrets
//!   (`HTTPS_PROXY_PASSWORD=…`, `"client_secret": "…"`, `Authorization:`,
//!   evidence keys such as `password`) and of HTML form fields (the start
//!   of a sign-in page).
//!   Scheme, host, port and the rest of the path stay: "the portal at
//!   login.hotel.example" or "the PAC file at wpad.corp.example/proxy.pac"
//!   is what a technician acts on, and names the network, not a person.
//! - **Personal details** leave a redacted report: the user and computer
//!   names (and the 15-character NetBIOS cut of a long computer name), the
//!   Wi-Fi network's name, home folders, e-mail addresses (their local
//!   part), user names after `username=`/`ProxyUser=`, Windows account SIDs,
//!   IP addresses and MAC addresses. Other host names (proxies, portals,
//!   DNS suffixes) stay: they name the network, and a technician needs them.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use serde_json::Value;

use crate::compare::Comparison;
use crate::Report;

mod names;
mod personal;
mod secrets;
#[cfg(test)]
mod tests;

use names::*;
use personal::*;
use secrets::*;

/// What the placeholders of [`redacted`] look like.
pub const USER_PLACEHOLDER: &str = "[user]";
pub const COMPUTER_PLACEHOLDER: &str = "[computer]";
/// What a Wi-Fi network's name becomes ("Alice's iPhone" names a person).
pub const WIFI_PLACEHOLDER: &str = "[Wi-Fi name]";
/// What a user name and password in a URL or before a host become.
pub const CREDENTIALS_PLACEHOLDER: &str = "[credentials]";
/// What a URL's query string, fragment or a token in its path becomes.
pub const SECRET_PLACEHOLDER: &str = "[redacted]";

/// A copy without secrets and with personal details replaced: the user
/// name (`[user]`), the computer name (`[computer]`), the Wi-Fi network's
/// name (`[Wi-Fi name]`), home paths (`/home/NAME`, `/Users/NAME`,
/// `C:\Users\NAME`), the local part of e-mail addresses (`[user]@corp.example`),
/// every IP address (each distinct one becomes `address-1`, `address-2`… in
/// order of appearance, so two findings about one address still match; also
/// inside longer tokens: `eth0:fe80::1`, `ip-10-0-0-5.ec2.internal`) and
/// every MAC address (`mac-1`, `mac-2`…, in any of its spellings). Names
/// match case-insensitively as whole words; names shorter than two
/// characters are left alone. Loopback and unspecified addresses
/// (127.0.0.1, ::1, 0.0.0.0, ::) and the broadcast and all-zero MAC
/// addresses identify no one and mean something (a local resolver, a
/// filter's answer), so they stay. Only strings change: numbers and the
/// JSON shape stay as they are.
pub fn redacted(report: &Report) -> Report {
    prepare(report, None, true).0
}

/// A copy without secrets (see the module documentation), names and
/// addresses kept: what a report "with names and addresses" contains.
pub fn without_secrets(report: &Report) -> Report {
    prepare(report, None, false).0
}

/// The report and the comparison it is rendered with, redacted together
/// (`personal`) or only rid of secrets, so one address or network gets one
/// placeholder in both.
pub(crate) fn prepare(
    report: &Report,
    comparison: Option<&Comparison>,
    personal: bool,
) -> (Report, Option<Comparison>) {
    let mut red = if personal {
        Redactor::new(report)
    } else {
        Redactor::secrets_only()
    };
    if personal {
        // The other network's name, as compare writes it ("Wi-Fi (Name)").
        if let Some(c) = comparison {
            for n in [&c.before.network, &c.after.network].into_iter().flatten() {
                if let Some(ssid) = wifi_name(n) {
                    red.add_wifi(ssid);
                }
            }
        }
        red.sort_names();
    }
    let r = red.report(report);
    let c = comparison.map(|c| red.comparison(c));
    (r, c)
}

/// "Wi-Fi (Name)" → "Name".
fn wifi_name(network: &str) -> Option<&str> {
    network.strip_prefix("Wi-Fi (")?.strip_suffix(')')
}
