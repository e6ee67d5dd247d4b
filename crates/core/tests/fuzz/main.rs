//! Fuzz tests of the parsers that read network or OS output: HTTP/1 heads
//! (from a server and from a proxy, and SOCKS5 answers), STUN answers, DNS
//! answers (hickory's parsing, as `dns.reference` uses it), PAC scripts and
//! their answers, PowerShell JSON, `scutil`, `nft -j`, the other OS tools'
//! text, and the profile.
//!
//! Ordinary `cargo test` tests on the stable toolchain: a seeded mutator
//! over a corpus (the recorded outputs under `tests/fixtures/`, inputs made
//! by code, and the files in `crates/core/tests/fuzz-corpus/<target>/`: hand-made
//! edge cases and the regressions found so far). Every input must not panic
//! (anywhere, also on a thread the parser starts), must finish within a
//! deadline, and must stay under a peak of 64 × its length + 1 MiB of memory
//! (counted by the allocator below; the PAC engine's own limit is checked on
//! the process's resident memory instead). A failing input is saved in the
//! corpus folder, so it is replayed on every later run.
//!
//! Each target runs for a few seconds in CI (about 30 s for all on two
//! cores). Longer, e.g.: `MD_FUZZ_SECS=600 cargo test -p meeting-doctor-core
//! --test fuzz -- --nocapture --test-threads 2` (and see `engine::budget`
//! for `MD_FUZZ_ITERS`, `MD_FUZZ_SEED` and `MD_FUZZ_TRACE`).

mod engine;
mod loopback;

use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use engine::{fixtures, fuzz, no_seeds, Counting, Memory, Target, LINEAR};
use meeting_doctor_core::facts::{linux, macos, windows};
use meeting_doctor_core::pac::{self, PacEnv, PacError, PacProxy};
use meeting_doctor_core::{http1, stun, Profile};
use rand::rngs::StdRng;
use rand::Rng;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SECOND: Duration = Duration::from_secs(1);
/// One parse taking longer than this is a hang (a debug build, on a shared
/// two-core machine: the slowest seen is under 100 ms).
const PARSE_HANG: Duration = Duration::from_secs(2);

fn text(input: &[u8]) -> std::borrow::Cow<'_, str> {
    // What the command executor does with a tool's output.
    String::from_utf8_lossy(input)
}

fn zoom_ip() -> IpAddr {
    "170.114.52.2".parse().unwrap()
}

// ---------------------------------------------------------------------------
// HTTP/1

const HTTP_DICT: &[&str] = &[
    "HTTP/1.1 ",
    "HTTP/1.0 ",
    "HTTP/2 ",
    "200 OK",
    "302 Found",
    "\r\n",
    "\r\n\r\n",
    "\n\n",
    "Location: ",
    "Date: Sun, 06 Nov 1994 08:49:37 GMT",
    "Content-Length: ",
    "Transfer-Encoding: chunked",
    ": ",
    ":",
];

fn http_head(input: &[u8]) -> Result<(), String> {
    match http1::parse_head(input) {
        Ok((status, _)) if !(100..600).contains(&status) => Err(format!("status {status}")),
        _ => Ok(()),
    }
}

fn http_seeds() -> Vec<Vec<u8>> {
    vec![
        b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n".to_vec(),
        b"HTTP/1.1 302 Found\r\nLocation: http://portal.example/login\r\nConnection: close\r\n\r\n".to_vec(),
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>Success</body></html>".to_vec(),
    ]
}

static HTTP_HEAD: Target = Target {
    name: "http1-head",
    fixtures: &[],
    generated: http_seeds,
    dict: HTTP_DICT,
    nest: &[],
    run: http_head,
    fixup: None,
    max_len: 64 << 10,
    memory: LINEAR,
    secs: 2.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn http1_head() {
    fuzz(&HTTP_HEAD);
}

static HTTP_GET: Target = Target {
    // The same corpus as the parser's.
    name: "http1-head",
    fixtures: &[],
    generated: http_seeds,
    dict: HTTP_DICT,
    nest: &[],
    run: loopback::http_get,
    fixup: None,
    max_len: 40 << 10,
    memory: LINEAR,
    secs: 2.0,
    hang: Duration::from_secs(5),
    exclusive: false,
};

/// The response read off a loopback socket in pieces, as the internet,
/// captive-portal and clock checks read it.
#[test]
fn http1_get_over_loopback() {
    fuzz(&HTTP_GET);
}

static PROXY_TUNNEL: Target = Target {
    name: "proxy-answer",
    fixtures: &[],
    generated: loopback::proxy_seeds,
    dict: &[
        "HTTP/1.1 200 Connection established\r\n\r\n",
        "HTTP/1.1 407 ",
        "Proxy-Authenticate: ",
        "\r\n",
        "\r\n\r\n",
        "\u{5}\u{0}",
        "\u{5}\u{ff}",
        "\u{0}\u{3}\u{ff}",
    ],
    nest: &[],
    run: loopback::proxy_tunnel,
    fixup: None,
    max_len: 20 << 10,
    memory: LINEAR,
    secs: 2.0,
    hang: Duration::from_secs(5),
    exclusive: false,
};

/// A proxy's answer to CONNECT, or to the SOCKS5 handshake, read off a
/// loopback socket by `proxy::tunnel`.
#[test]
fn proxy_answer_over_loopback() {
    fuzz(&PROXY_TUNNEL);
}

// ---------------------------------------------------------------------------
// STUN

const TXID: stun::TransactionId = [
    0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
];

fn stun_answer(input: &[u8]) -> Result<(), String> {
    match stun::parse_binding_response(input, &TXID) {
        Ok(_) if input.get(8..20) != Some(&TXID[..]) => {
            Err("accepted an answer for another transaction".into())
        }
        Ok(_) if input.get(0..2) != Some(&[0x01, 0x01][..]) => {
            Err("accepted a message that is not a Binding Success".into())
        }
        _ => Ok(()),
    }
}

/// Keeps a mutant past the header checks: a consistent length, the magic
/// cookie and our transaction id, so the attributes get parsed.
fn stun_fixup(v: &mut Vec<u8>, rng: &mut StdRng) {
    if v.len() < 20 {
        v.resize(20, 0);
    }
    let body = (v.len() - 20) & !3;
    v.truncate(20 + body);
    if rng.random_bool(0.8) {
        v[0..2].copy_from_slice(&[0x01, 0x01]);
    } else {
        v[0..2].copy_from_slice(&[0x01, 0x11]);
    }
    v[2..4].copy_from_slice(&(body.min(0xffff) as u16).to_be_bytes());
    v[4..8].copy_from_slice(&stun::MAGIC_COOKIE.to_be_bytes());
    v[8..20].copy_from_slice(&TXID);
}

static STUN: Target = Target {
    name: "stun",
    fixtures: &[],
    generated: no_seeds,
    dict: &[
        "\u{0}\u{20}\u{0}\u{8}",
        "\u{0}\u{1}\u{0}\u{8}",
        "\u{0}\u{9}\u{0}\u{4}",
        "\u{0}\u{0}\u{0}\u{0}",
        "\u{ff}\u{ff}",
    ],
    nest: &[],
    run: stun_answer,
    fixup: Some(stun_fixup),
    max_len: 2048,
    memory: LINEAR,
    secs: 2.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn stun_binding_response() {
    fuzz(&STUN);
}

// ---------------------------------------------------------------------------
// DNS

/// What `dns.reference` takes from an answer: hickory's message, then the
/// addresses of its A and AAAA records.
fn dns_message(input: &[u8]) -> Result<(), String> {
    if let Ok(message) = hickory_proto::op::Message::from_vec(input) {
        let addresses: Vec<IpAddr> = message
            .answers
            .iter()
            .filter_map(|r| r.data.ip_addr())
            .collect();
        std::hint::black_box(addresses);
    }
    Ok(())
}

const DNS_DICT: &[&str] = &[
    "\u{c0}\u{0c}",
    "\u{c0}\u{00}",
    "\u{3f}",
    "\u{0}\u{1}\u{0}\u{1}",
    "\u{0}\u{1c}\u{0}\u{1}",
    "\u{0}\u{5}\u{0}\u{1}",
    "\u{0}\u{29}",
    "\u{0}\u{0}\u{0}\u{0}",
    "\u{ff}\u{ff}",
];

/// hickory reserves room for as many questions as the header's count says
/// (`Vec::with_capacity(qdcount)`, up to 65,535 × 88 bytes, in
/// `Message::read`) before reading any: a fixed ~5.6 MiB at most, reserved and
/// freed at once, so the bound for a DNS answer is that on top of the usual.
const DNS_MEMORY: Memory = Memory::PerInput {
    per_byte: 64,
    base: (1 << 20) + 65_535 * 88 + (1 << 20),
};

static DNS_MESSAGE: Target = Target {
    name: "dns-answer",
    fixtures: &[],
    generated: loopback::dns_seeds,
    dict: DNS_DICT,
    nest: &[("\u{1}a", "")],
    run: dns_message,
    fixup: None,
    max_len: 4096,
    memory: DNS_MEMORY,
    secs: 2.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn dns_answer_message() {
    fuzz(&DNS_MESSAGE);
}

static DNS_LOOKUP: Target = Target {
    name: "dns-answer",
    fixtures: &[],
    generated: loopback::dns_seeds,
    dict: DNS_DICT,
    nest: &[("\u{1}a", "")],
    run: loopback::dns_lookup,
    fixup: None,
    max_len: 1232,
    memory: DNS_MEMORY,
    secs: 3.0,
    hang: Duration::from_secs(5),
    exclusive: false,
};

/// The answer read by `dns.reference`'s resolver off a loopback socket.
#[test]
fn dns_answer_over_loopback() {
    fuzz(&DNS_LOOKUP);
}

// ---------------------------------------------------------------------------
// PAC

/// PAC lookups answer from a fixed map (no network).
fn pac_dns(name: &str) -> Option<IpAddr> {
    let ip = match name {
        "intranet.corp.example" => "10.1.2.3",
        "printer" => "192.168.7.20",
        "zoom.us" | "us04web.zoom.us" => "170.114.52.2",
        "v6only.example" => "2001:db8::1",
        _ => return None,
    };
    ip.parse().ok()
}

const PAC_TIME_LIMIT: Duration = Duration::from_millis(250);

fn pac_script(input: &[u8]) -> Result<(), String> {
    let env = PacEnv {
        my_ip: "10.20.30.40".parse().unwrap(),
        resolve: &pac_dns,
        time_limit: PAC_TIME_LIMIT,
    };
    let began = Instant::now();
    let result = pac::find_proxy(&text(input), "https://zoom.us/wc/join/1", "zoom.us", &env);
    let took = began.elapsed();
    // Compiling is not interruptible, and the machine is shared: generous.
    if took > PAC_TIME_LIMIT + 3 * SECOND {
        return Err(format!(
            "ran for {took:?} with a limit of {PAC_TIME_LIMIT:?}"
        ));
    }
    match result {
        Ok(list) if list.is_empty() => Err("an empty proxy list".into()),
        Err(PacError::TooSlow(limit)) if limit != PAC_TIME_LIMIT => {
            Err(format!("TooSlow({limit:?})"))
        }
        _ => Ok(()),
    }
}

const PAC_DICT: &[&str] = &[
    "function FindProxyForURL(url, host) {",
    "return \"PROXY a:8080; DIRECT\";",
    "return \"DIRECT\";",
    "}",
    "if (",
    ") {",
    "while (true) {}",
    "for (;;) {}",
    "dnsResolve(host)",
    "isInNet(host, \"10.0.0.0\", \"255.0.0.0\")",
    "shExpMatch(url, \"*zoom*\")",
    "isPlainHostName(host)",
    "dnsDomainIs(host, \".zoom.us\")",
    "myIpAddress()",
    "weekdayRange(\"MON\", \"FRI\")",
    "dateRange(1, \"JAN\", 31, \"DEC\")",
    "timeRange(9, 17)",
    "sortIpAddressList(\"10.0.0.1;::1\")",
    "isInNetEx(host, \"2001:db8::/32\")",
    "new Array(1e6)",
    "\"x\".repeat(1 << 20)",
    "throw new Error(\"x\");",
    "arguments.callee()",
    "Object.defineProperty(this, \"FindProxyForURL\", { get: function () { for (;;) {} } });",
    "/(a+)+$/.test(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\")",
    "var ",
    "let ",
    "const ",
    "`${",
    "\\u{10ffff}",
    "\u{0}",
];

static PAC_SCRIPT: Target = Target {
    name: "pac-script",
    fixtures: &[fixtures("tests/fixtures/pac", "", ".pac")],
    generated: no_seeds,
    dict: PAC_DICT,
    nest: &[
        ("(", ")"),
        ("[", "]"),
        ("{", "}"),
        ("function f(){", "}"),
        ("f(", ")"),
    ],
    run: pac_script,
    fixup: None,
    max_len: 64 << 10,
    memory: Memory::Own,
    secs: 8.0,
    hang: Duration::from_secs(4),
    exclusive: true,
};

/// QuickJS's heap limit for one evaluation (pac.rs's MEMORY_LIMIT).
const PAC_ENGINE_LIMIT: usize = 16 << 20;

/// Scripts, hostile ones included, with the engine's memory, stack and time
/// limits: the process's resident memory must stay within a small multiple
/// of the engine's heap limit (the engine allocates with its own allocator
/// on its own thread, so the counting allocator does not see it).
#[test]
fn pac_scripts() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    // Warm up (the first engine's one-time setup is not a script's doing).
    let _ = pac_script(b"function FindProxyForURL(u, h) { return 'DIRECT'; }");
    let baseline = engine::rss_bytes();
    let peak = Arc::new(AtomicUsize::new(baseline));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(engine::rss_bytes(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let result = std::panic::catch_unwind(|| fuzz(&PAC_SCRIPT));
    stop.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    let grew = peak.load(Ordering::Relaxed).saturating_sub(baseline);
    eprintln!(
        "fuzz pac-script: resident memory grew by at most {} KiB (engine limit {} KiB)",
        grew >> 10,
        PAC_ENGINE_LIMIT >> 10
    );
    assert!(
        grew < 4 * PAC_ENGINE_LIMIT,
        "PAC scripts grew the process by {grew} bytes: the engine's {PAC_ENGINE_LIMIT}-byte limit did not hold"
    );
}

fn pac_answer(input: &[u8]) -> Result<(), String> {
    match pac::parse_answer(&text(input)) {
        Ok(list) if list.is_empty() => Err("an empty proxy list".into()),
        Ok(list) => {
            for p in &list {
                if let PacProxy::Proxy(a) | PacProxy::Https(a) | PacProxy::Socks(a) = p {
                    let port_ok = a
                        .rsplit_once(':')
                        .and_then(|(_, port)| port.parse::<u16>().ok())
                        .is_some_and(|port| port != 0);
                    if !port_ok {
                        return Err(format!("an address without a port: {a:?}"));
                    }
                }
            }
            Ok(())
        }
        Err(_) => Ok(()),
    }
}

static PAC_ANSWER: Target = Target {
    name: "pac-answer",
    fixtures: &[],
    generated: no_seeds,
    dict: &[
        "PROXY ",
        "HTTP ",
        "HTTPS ",
        "SOCKS ",
        "SOCKS4 ",
        "SOCKS5 ",
        "DIRECT",
        "; ",
        ";",
        ":",
        ":8080",
        ":0",
        ":65536",
        "[2001:db8::1]",
        "[::1]:3128",
        "proxy.corp.example",
    ],
    nest: &[],
    run: pac_answer,
    fixup: None,
    max_len: 16 << 10,
    memory: LINEAR,
    secs: 2.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn pac_answers() {
    fuzz(&PAC_ANSWER);
}

// ---------------------------------------------------------------------------
// Windows: PowerShell JSON and the text tools

fn powershell_json(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let _ = windows::parse_proxy(&t);
    let _ = windows::parse_dns_servers(&t);
    let _ = windows::parse_firewall_profiles(&t);
    let _ = windows::parse_firewall_rules(&t);
    let _ = windows::parse_route(&t, zoom_ip());
    let _ = windows::parse_adapters(&t);
    let _ = windows::parse_antivirus(&t);
    let _ = windows::parse_zoom(&t);
    Ok(())
}

const JSON_DICT: &[&str] = &[
    "{", "}", "[", "]", "\"", "\":", ",", "null", "true", "false", "[]", "{}", "\"\"", "\\u0000",
    "\\ud800", "-0", "1e999",
];

const JSON_NEST: &[(&str, &str)] = &[("[", "]"), ("{\"a\":", "}"), ("[{\"x\":[", "]}]")];

static POWERSHELL_JSON: Target = Target {
    name: "powershell-json",
    fixtures: &[fixtures("tests/fixtures/windows", "ps-", ".json")],
    generated: no_seeds,
    dict: JSON_DICT,
    nest: JSON_NEST,
    run: powershell_json,
    fixup: None,
    max_len: 128 << 10,
    memory: LINEAR,
    secs: 3.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn powershell_json_parsers() {
    fuzz(&POWERSHELL_JSON);
}

fn windows_text(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let _ = windows::parse_winhttp(&t);
    let _ = windows::parse_ipconfig_all(&t);
    let _ = windows::parse_wmic_adapter_dns(&t);
    let _ = windows::parse_advfirewall_allprofiles(&t);
    let _ = windows::parse_firewall_profile_table(&t);
    let _ = windows::parse_wmic_adapters(&t);
    let _ = windows::parse_route_print_defaults(&t);
    let _ = windows::parse_wmic_antivirus(&t);
    let _ = windows::parse_netsh_wlan(&t);
    let _ = windows::parse_netsh_wlan_networks(&t);
    Ok(())
}

static WINDOWS_TEXT: Target = Target {
    name: "windows-text",
    fixtures: &[fixtures("tests/fixtures/windows", "", ".txt")],
    generated: no_seeds,
    dict: &[
        " : ",
        ". . . . : ",
        "=",
        "    ",
        "0.0.0.0",
        "On-link",
        "ON",
        "OFF",
        "%",
    ],
    nest: &[],
    run: windows_text,
    fixup: None,
    max_len: 128 << 10,
    memory: LINEAR,
    secs: 3.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn windows_text_parsers() {
    fuzz(&WINDOWS_TEXT);
}

// ---------------------------------------------------------------------------
// macOS: scutil and the other tools

fn scutil(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let _ = macos::parse_scutil_dictionary(&t, "scutil");
    let _ = macos::parse_scutil_proxy(&t);
    let _ = macos::parse_scutil_dns(&t);
    let _ = macos::parse_nc_list(&t);
    let _ = macos::parse_global_ipv4(&t);
    Ok(())
}

static SCUTIL: Target = Target {
    name: "scutil",
    fixtures: &[fixtures("tests/fixtures/macos", "scutil-", ".txt")],
    generated: no_seeds,
    dict: &[
        "<dictionary> {\n",
        "<array> {\n",
        "}\n",
        " : ",
        "resolver #1\n",
        "  nameserver[0] : ",
        "  reach    : 0x00000002 (Reachable)\n",
        "  order    : ",
        "  if_index : 4 (en0)\n",
        "DNS configuration\n",
        "__SCOPED__",
        "HTTPEnable : 1\n",
        "ProxyAutoConfigEnable : 1\n",
    ],
    nest: &[
        ("<dictionary> {\nK : <dictionary> {\n", "}\n}\n"),
        ("A : <array> {\n0 : <array> {\n", "}\n}\n"),
    ],
    run: scutil,
    fixup: None,
    max_len: 64 << 10,
    memory: LINEAR,
    secs: 3.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn scutil_parsers() {
    fuzz(&SCUTIL);
}

fn macos_text(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let _ = macos::parse_networksetup_proxy(&t);
    let _ = macos::parse_route_get(&t, zoom_ip());
    let _ = macos::parse_netstat_defaults(&t);
    let _ = macos::parse_hardware_ports(&t);
    let _ = macos::parse_socketfilterfw_global(&t);
    let _ = macos::parse_socketfilterfw_listapps(&t);
    let _ = macos::parse_socketfilterfw_appblocked(&t);
    let _ = macos::firewall_state(&t, Some(&t));
    let _ = macos::parse_system_extensions(&t);
    let _ = macos::parse_info_plist(&t);
    let _ = macos::parse_lipo_archs(&t);
    let _ = macos::parse_system_profiler_apps(&t);
    let _ = macos::parse_airport_info(&t);
    let _ = macos::parse_system_profiler_airport(&t);
    let _ = macos::parse_wdutil_info(&t);
    let _ = macos::parse_hw_optional_arm64(&t);
    Ok(())
}

static MACOS_TEXT: Target = Target {
    name: "macos-text",
    fixtures: &[
        fixtures("tests/fixtures/macos", "", ".txt"),
        fixtures("tests/fixtures/macos", "", ".json"),
        fixtures("tests/fixtures/macos", "Info.plist", ".xml"),
    ],
    generated: no_seeds,
    dict: &[
        "<key>",
        "</key>",
        "<string>",
        "</string>",
        "<dict>",
        "</dict>",
        "&amp;",
        "&#x",
        "&#",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        ": ",
        "\t",
        "(state: ",
        ")",
        "[activated enabled]",
    ],
    nest: &[
        ("<dict>", "</dict>"),
        ("<array>", "</array>"),
        ("[", "]"),
        ("{\"a\":", "}"),
    ],
    run: macos_text,
    fixup: None,
    max_len: 128 << 10,
    memory: LINEAR,
    secs: 3.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn macos_text_parsers() {
    fuzz(&MACOS_TEXT);
}

// ---------------------------------------------------------------------------
// Linux: nft -j, ip -j, and the text tools

fn nft(input: &[u8]) -> Result<(), String> {
    let _ = linux::parse_nft_ruleset(&text(input));
    Ok(())
}

static NFT: Target = Target {
    name: "nft-json",
    fixtures: &[fixtures("tests/fixtures/linux", "nft-j-", ".txt")],
    generated: no_seeds,
    dict: &[
        "{\"range\": [1, 65535]}",
        "{\"set\": [3478, {\"range\": [8801, 8810]}]}",
        "\"dport\"",
        "\"accept\": null",
        "\"drop\": null",
        "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"input\", \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"udp\", \"field\": \"dport\"}}, \"right\": 8801}}, {\"drop\": null}]}},",
        "{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"input\", \"hook\": \"input\", \"policy\": \"drop\"}},",
    ],
    nest: JSON_NEST,
    run: nft,
    fixup: None,
    max_len: 128 << 10,
    memory: LINEAR,
    secs: 3.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn nft_json_parser() {
    fuzz(&NFT);
}

fn linux_tools(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let _ = linux::parse_route_get(&t, zoom_ip());
    let _ = linux::parse_default_routes(&t);
    let _ = linux::parse_interfaces(&t);
    let _ = linux::parse_resolv_conf(&t);
    let _ = linux::parse_resolvectl_status(&t);
    let _ = linux::parse_env_proxy(t.lines().filter_map(|l| l.split_once('=')));
    let _ = linux::parse_gsettings_proxy(&t);
    let _ = linux::parse_kioslaverc(&t);
    let _ = linux::parse_ufw_status(&t);
    let _ = linux::parse_firewalld_list_all(&t);
    let _ = linux::parse_nmcli_device_status(&t);
    let _ = linux::parse_iw_link(&t);
    let _ = linux::parse_dpkg_zoom(&t);
    let _ = linux::parse_rpm_zoom(&t);
    let _ = linux::parse_flatpak_zoom(&t);
    Ok(())
}

static LINUX_TOOLS: Target = Target {
    name: "linux-tools",
    fixtures: &[fixtures("tests/fixtures/linux", "", ".txt")],
    generated: no_seeds,
    dict: &[
        "nameserver ",
        "search ",
        "Link 2 (eth0)\n",
        "DNS Servers: ",
        "Current DNS Server: ",
        "\\:",
        ":",
        "'",
        "[",
        "]",
        "@as []",
        "ALLOW",
        "DENY",
        "/udp",
        "Anywhere",
        "8801:8810",
    ],
    nest: JSON_NEST,
    run: linux_tools,
    fixup: None,
    max_len: 128 << 10,
    memory: LINEAR,
    secs: 3.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn linux_tool_parsers() {
    fuzz(&LINUX_TOOLS);
}

// ---------------------------------------------------------------------------
// The profile

fn profile(input: &[u8]) -> Result<(), String> {
    let _ = Profile::from_toml(&text(input), "fuzz.toml", Path::new("/nonexistent"));
    Ok(())
}

/// The toml crate builds a tree of spanned values for the whole document
/// before serde sees it: measured at 50–110 bytes of tree per byte of the
/// densest inputs (`[[tcp]]` tables, `[[],[],…]`). Linear, so bounded, but
/// past the default 64 ×.
const TOML_MEMORY: Memory = Memory::PerInput {
    per_byte: 192,
    base: 1 << 20,
};

static PROFILE: Target = Target {
    name: "profile",
    fixtures: &[fixtures("assets/profiles", "", ".toml")],
    generated: no_seeds,
    dict: &[
        "[[tcp]]\n",
        "[[udp]]\n",
        "[http]\n",
        "[timeouts]\n",
        "[tls]\n",
        "[dns]\n",
        " = ",
        "\"",
        "'''",
        "\"\"\"",
        "port = ",
        "host = ",
        "probe_ms = ",
        "total_ms = ",
        "1979-05-27T07:32:00Z",
        "inf",
        "nan",
        "0x7fffffffffffffff",
        "1_000",
        "[",
        "]",
        "{",
        "}",
        "\\u0000",
        "\\U0010ffff",
    ],
    nest: &[
        ("[", "]"),
        ("a = [", "]"),
        ("{a=", "}"),
        ("a = {b = [", "]}"),
    ],
    run: profile,
    fixup: None,
    max_len: 64 << 10,
    memory: TOML_MEMORY,
    secs: 3.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn profile_toml() {
    fuzz(&PROFILE);
}

// ---------------------------------------------------------------------------
// The journal (a file its owner, or any program of theirs, can write)

/// A record the journal really writes, as its line.
fn journal_line(entry: &str) -> String {
    use meeting_doctor_core::fixes::journal::Record;
    use meeting_doctor_core::fixes::undo::Undo;
    let r = Record::Begin {
        entry: entry.into(),
        fix: "clock.sync".into(),
        title: "Set the clock from the internet".into(),
        at: "2026-12-01T10:00:00Z".into(),
        os: meeting_doctor_core::system::Os::Linux,
        steps: vec![],
        undo: vec![Undo::NtpWasOff],
        saved: Default::default(),
        digest: "0".repeat(64),
    };
    serde_json::to_string(&r).unwrap()
}

fn journal(input: &[u8]) -> Result<(), String> {
    use meeting_doctor_core::fixes::journal::{entries, parse, Record};
    let text = String::from_utf8_lossy(input);
    let c = parse(&text);
    // Every undo value read back is either refused with a reason or made
    // into a step: never a panic.
    for e in entries(&c.records) {
        let _ = e.can_undo();
    }
    for r in &c.records {
        if let Record::Begin { undo, .. } = r {
            for u in undo {
                let _ = (u.step("/backup"), u.title());
            }
        }
    }
    // Whatever came before, a record appended on a fresh line (as
    // `Journal::append` does) is read whole.
    let mut torn = text.into_owned();
    if !torn.ends_with('\n') {
        torn.push('\n');
    }
    torn.push_str(&journal_line("after"));
    torn.push('\n');
    match parse(&torn).records.last() {
        Some(r) if r.entry() == "after" => Ok(()),
        other => Err(format!("the record after the input was lost: {other:?}")),
    }
}

fn journal_seeds() -> Vec<Vec<u8>> {
    let mut v = vec![journal_line("a").into_bytes()];
    let whole = format!("{}\n{}\n", journal_line("a"), journal_line("b"));
    v.push(whole.as_bytes()[..whole.len() - 40].to_vec());
    v.push(br#"{"event":"begin","entry":"x","fix":"firewall.allow_zoom","title":"t","at":"","os":"linux","steps":[],"undo":[{"kind":"nft_rules","family":"inet","table":"filter","chain":"output"},{"kind":"ufw_rule","proto":"udp","ports":"3478,8801:8810"},{"kind":"windows_dns","interface":"Wi-Fi","servers":["1.1.1.1"]}]}"#.to_vec());
    v.push(br#"{"event":"end","entry":"x","ok":true,"message":null}"#.to_vec());
    v
}

static JOURNAL: Target = Target {
    name: "journal",
    fixtures: &[],
    generated: journal_seeds,
    dict: &[
        "\n",
        "{\"event\":\"begin\",",
        "\"undo\":[",
        "{\"kind\":\"restore_files\"}",
        "\"entry\":\"x\"",
        "\"kind\":",
        "\"nft_rules\"",
        "\"mac_dns\"",
        "\"servers\":[",
        "\"ports\":\"",
        "\\u0000",
        "\\ud800",
        "null",
        "\"",
        "}",
        "]",
    ],
    nest: &[("[", "]"), ("{\"a\":", "}")],
    run: journal,
    fixup: None,
    max_len: 64 << 10,
    memory: LINEAR,
    secs: 2.0,
    hang: PARSE_HANG,
    exclusive: false,
};

#[test]
fn journal_lines() {
    fuzz(&JOURNAL);
}
