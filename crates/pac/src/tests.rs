use super::*;
use std::net::Ipv4Addr;
use std::sync::atomic::AtomicUsize;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/pac/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The lab's DNS: a fixed map.
fn lab_dns(name: &str) -> Option<IpAddr> {
    let ip = match name {
        "intranet.corp.example" => "10.1.2.3",
        "wiki.corp.example" => "10.1.9.9",
        "hr.corp.example" => "172.20.4.5",
        "printer" => "192.168.7.20",
        "zoom.us" | "us04web.zoom.us" => "170.114.52.2",
        "www.example.com" => "93.184.215.14",
        "v6only.example" => "2001:db8::1",
        "mapped.example" => "::ffff:10.9.8.7",
        _ => return None,
    };
    ip.parse().ok()
}

fn env_with(my_ip: &str) -> PacEnv<'static> {
    PacEnv {
        my_ip: my_ip.parse().expect("address"),
        resolve: &lab_dns,
        time_limit: Duration::from_secs(5),
    }
}

fn office() -> PacEnv<'static> {
    env_with("10.20.30.40")
}

fn proxy(a: &str) -> PacProxy {
    PacProxy::Proxy(a.into())
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.split(':').next().unwrap_or(authority)
}

fn pac(name: &str, url: &str, env: &PacEnv) -> Vec<PacProxy> {
    find_proxy(&fixture(name), url, host_of(url), env)
        .unwrap_or_else(|e| panic!("{name} for {url}: {e}"))
}

/// Monday 15 January 2024, 10:30:00 local time.
const MONDAY_MORNING: FixedNow = FixedNow {
    utc: false,
    parts: [2024, 0, 15, 10, 30, 0],
};

/// The value of a JavaScript expression, as the text String() makes of it.
fn eval_at(expr: &str, env: &PacEnv, now: Option<FixedNow>) -> String {
    let script = format!("function FindProxyForURL(url, host) {{ return String({expr}); }}");
    run_script(&script, "http://x/", "x", env, now).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn eval(expr: &str) -> String {
    eval_at(expr, &office(), Some(MONDAY_MORNING))
}

fn check_table(table: &[(&str, &str)], env: &PacEnv, now: Option<FixedNow>) {
    for (expr, want) in table {
        assert_eq!(eval_at(expr, env, now), *want, "{expr}");
    }
}

// --- realistic PAC files ------------------------------------------------

#[test]
fn zoom_goes_direct_and_the_rest_through_the_proxy() {
    let env = office();
    let corp = vec![proxy("proxy.corp.example:8080")];
    for (url, want) in [
        ("https://zoom.us/", vec![PacProxy::Direct]),
        (
            "https://us04web.zoom.us/wc/join/123",
            vec![PacProxy::Direct],
        ),
        ("https://ZOOM.US/signin", vec![PacProxy::Direct]),
        ("https://file.zoomgov.com/x", vec![PacProxy::Direct]),
        ("https://zoom.com/", vec![PacProxy::Direct]),
        ("https://notzoom.us/", corp.clone()),
        ("https://www.example.com/", corp.clone()),
        ("http://zoom.us.evil.example/", corp.clone()),
    ] {
        assert_eq!(pac("zoom-direct.pac", url, &env), want, "{url}");
    }
}

#[test]
fn the_office_subnet_decides_by_my_ip_address() {
    let url = "https://us04web.zoom.us/";
    assert_eq!(
        pac("office-subnet.pac", url, &env_with("10.20.30.40")),
        vec![proxy("proxy.corp.example:8080"), PacProxy::Direct]
    );
    assert_eq!(
        pac("office-subnet.pac", url, &env_with("192.168.5.9")),
        vec![proxy("branch-proxy.corp.example:3128")]
    );
    assert_eq!(
        pac("office-subnet.pac", url, &env_with("203.0.113.7")),
        vec![PacProxy::Direct]
    );
    // No IPv4 address: myIpAddress() says 127.0.0.1, the "off the network" branch.
    assert_eq!(
        pac("office-subnet.pac", url, &env_with("2001:db8::5")),
        vec![PacProxy::Direct]
    );
    // Plain host names are local wherever we are.
    assert_eq!(
        pac(
            "office-subnet.pac",
            "http://printer/",
            &env_with("10.20.30.40")
        ),
        vec![PacProxy::Direct]
    );
}

#[test]
fn internal_hosts_are_found_by_resolving_them() {
    let env = office();
    let corp = vec![proxy("proxy.corp.example:3128")];
    for (url, want) in [
        ("http://intranet.corp.example/", vec![PacProxy::Direct]),
        ("https://hr.corp.example/pay", vec![PacProxy::Direct]),
        ("http://printer/status", vec![PacProxy::Direct]),
        ("http://127.0.0.1:8080/", vec![PacProxy::Direct]),
        ("http://192.168.1.1/", vec![PacProxy::Direct]),
        ("https://zoom.us/", corp.clone()),
        ("https://www.example.com/", corp.clone()),
        ("https://unknown.example/", corp.clone()),
        // IPv6-only: dnsResolve is IPv4-only, so not internal.
        ("https://v6only.example/", corp.clone()),
        ("https://mapped.example/", vec![PacProxy::Direct]),
    ] {
        assert_eq!(pac("internal-dns.pac", url, &env), want, "{url}");
    }
}

#[test]
fn url_patterns_choose_the_proxy() {
    let env = office();
    for (url, want) in [
        (
            "http://download.example.com/downloads/zoom.pkg",
            vec![proxy("cache.corp.example:3128")],
        ),
        ("https://us04web.zoom.us/wc/join/1", vec![PacProxy::Direct]),
        ("wss://us04web.zoom.us/ws", vec![PacProxy::Direct]),
        (
            "http://www.example.com/index.html",
            vec![proxy("proxy.corp.example:8080")],
        ),
        (
            "ftp://files.example.com/pub/",
            vec![PacProxy::Socks("socks.corp.example:1080".into())],
        ),
        (
            "https://www.example.com/",
            vec![
                PacProxy::Https("secure-proxy.corp.example:443".into()),
                PacProxy::Direct,
            ],
        ),
    ] {
        assert_eq!(pac("url-patterns.pac", url, &env), want, "{url}");
    }
}

#[test]
fn plain_and_corporate_host_names_skip_the_proxy() {
    let env = office();
    let corp = vec![proxy("proxy.corp.example:8080")];
    for (url, want) in [
        ("http://intranet/", vec![PacProxy::Direct]),
        ("http://wiki/", vec![PacProxy::Direct]),
        ("http://wiki.corp.example/", vec![PacProxy::Direct]),
        ("https://intranet.corp.example/", vec![PacProxy::Direct]),
        ("https://corp.example.attacker.example/", corp.clone()),
        ("https://zoom.us/", corp.clone()),
        ("https://a.b.c.d.example.com/", vec![PacProxy::Direct]),
    ] {
        assert_eq!(pac("plain-hosts.pac", url, &env), want, "{url}");
    }
}

#[test]
fn failover_list_keeps_its_order() {
    assert_eq!(
        pac("failover.pac", "https://zoom.us/", &office()),
        vec![
            proxy("proxy-a.corp.example:3128"),
            proxy("proxy-b.corp.example:3128"),
            PacProxy::Direct,
        ]
    );
}

#[test]
fn bypass_list_of_a_generated_pac_file() {
    let env = office();
    let cloud = vec![
        proxy("gateway.cloudproxy.example:80"),
        proxy("gateway2.cloudproxy.example:80"),
        PacProxy::Direct,
    ];
    for (url, want) in [
        ("https://us04web.zoom.us/", vec![PacProxy::Direct]),
        ("https://zoom.us/", vec![PacProxy::Direct]),
        ("https://Zoom.US/", vec![PacProxy::Direct]),
        ("https://localhost:9000/", vec![PacProxy::Direct]),
        ("http://10.4.4.4/", vec![PacProxy::Direct]),
        ("https://www.example.com/", cloud.clone()),
        ("https://zoomus.example/", cloud.clone()),
    ] {
        assert_eq!(pac("bypass-list.pac", url, &env), want, "{url}");
    }
}

// --- helper functions ---------------------------------------------------

#[test]
fn host_name_helpers() {
    check_table(
        &[
            ("isPlainHostName('www')", "true"),
            ("isPlainHostName('www.zoom.us')", "false"),
            ("isPlainHostName('::1')", "false"),
            ("dnsDomainIs('www.zoom.us', '.zoom.us')", "true"),
            ("dnsDomainIs('WWW.ZOOM.US', '.zoom.us')", "true"),
            ("dnsDomainIs('zoom.us', '.zoom.us')", "false"),
            ("dnsDomainIs('www', '.zoom.us')", "false"),
            (
                "localHostOrDomainIs('www.netscape.com', 'www.netscape.com')",
                "true",
            ),
            ("localHostOrDomainIs('www', 'www.netscape.com')", "true"),
            (
                "localHostOrDomainIs('www.mcom.com', 'www.netscape.com')",
                "false",
            ),
            (
                "localHostOrDomainIs('home.netscape.com', 'www.netscape.com')",
                "false",
            ),
            ("localHostOrDomainIs('ww', 'www.netscape.com')", "false"),
            ("dnsDomainLevels('www')", "0"),
            ("dnsDomainLevels('www.zoom.us')", "2"),
        ],
        &office(),
        None,
    );
}

#[test]
fn dns_helpers() {
    check_table(
        &[
            ("dnsResolve('intranet.corp.example')", "10.1.2.3"),
            ("dnsResolve('INTRANET.corp.example')", "10.1.2.3"),
            ("dnsResolve('nowhere.example')", "null"),
            ("dnsResolve('v6only.example')", "null"),
            ("dnsResolve('mapped.example')", "10.9.8.7"),
            ("dnsResolve('192.0.2.7')", "192.0.2.7"),
            ("dnsResolve('')", "null"),
            ("dnsResolve('bad host/name')", "null"),
            ("isResolvable('intranet.corp.example')", "true"),
            ("isResolvable('nowhere.example')", "false"),
            ("isResolvable('10.0.0.1')", "true"),
            ("isInNet('10.1.2.3', '10.0.0.0', '255.0.0.0')", "true"),
            ("isInNet('11.1.2.3', '10.0.0.0', '255.0.0.0')", "false"),
            ("isInNet('172.20.1.1', '172.16.0.0', '255.240.0.0')", "true"),
            (
                "isInNet('172.32.1.1', '172.16.0.0', '255.240.0.0')",
                "false",
            ),
            (
                "isInNet('192.168.1.77', '192.168.1.0', '255.255.255.0')",
                "true",
            ),
            (
                "isInNet('192.168.2.77', '192.168.1.0', '255.255.255.0')",
                "false",
            ),
            (
                "isInNet('intranet.corp.example', '10.0.0.0', '255.0.0.0')",
                "true",
            ),
            (
                "isInNet('nowhere.example', '10.0.0.0', '255.0.0.0')",
                "false",
            ),
            ("isInNet('10.1.2.3', '10.0.0.0', 'bogus')", "false"),
            ("isInNet('10.1.2.3', '10.0.0.300', '255.0.0.0')", "false"),
            ("isInNet('1.2.3.4', '0.0.0.0', '0.0.0.0')", "true"),
            ("convert_addr('104.16.41.2')", "1745889538"),
            ("convert_addr('192.168.1.1')", "-1062731519"),
            ("myIpAddress()", "10.20.30.40"),
            ("myIpAddressEx()", "10.20.30.40"),
        ],
        &office(),
        None,
    );
    let v6 = env_with("2001:db8::5");
    check_table(
        &[
            ("myIpAddress()", "127.0.0.1"),
            ("myIpAddressEx()", "2001:db8::5"),
        ],
        &v6,
        None,
    );
}

#[test]
fn microsoft_ipv6_helpers() {
    check_table(
        &[
            ("dnsResolveEx('v6only.example')", "2001:db8::1"),
            ("dnsResolveEx('intranet.corp.example')", "10.1.2.3"),
            ("dnsResolveEx('nowhere.example')", ""),
            ("isResolvableEx('v6only.example')", "true"),
            ("isResolvableEx('nowhere.example')", "false"),
            ("isInNetEx('2001:db8::1', '2001:db8::/32')", "true"),
            ("isInNetEx('2001:db9::1', '2001:db8::/32')", "false"),
            ("isInNetEx('v6only.example', '2001:db8::/32')", "true"),
            ("isInNetEx('10.1.2.3', '10.0.0.0/8')", "true"),
            ("isInNetEx('10.1.2.3', '10.1.2.3/32')", "true"),
            ("isInNetEx('11.1.2.3', '10.0.0.0/8')", "false"),
            ("isInNetEx('10.1.2.3', '2001:db8::/32')", "false"),
            ("isInNetEx('10.1.2.3', '10.0.0.0/33')", "false"),
            ("isInNetEx('10.1.2.3', '10.0.0.0')", "false"),
            ("isInNetEx('1.2.3.4', '0.0.0.0/0')", "true"),
            (
                "sortIpAddressList('10.2.2.2;2001:db8::1;10.1.1.1;::1')",
                "::1;2001:db8::1;10.1.1.1;10.2.2.2",
            ),
            (
                "sortIpAddressList('10.2.2.2; 10.1.1.1')",
                "10.1.1.1;10.2.2.2",
            ),
            ("sortIpAddressList('bogus;10.1.1.1')", "false"),
            ("sortIpAddressList('')", "false"),
            ("getClientVersion()", "1.0"),
        ],
        &office(),
        None,
    );
}

#[test]
fn sh_exp_match() {
    check_table(
        &[
            (
                "shExpMatch('http://home.netscape.com/people/ari/index.html', '*/ari/*')",
                "true",
            ),
            (
                "shExpMatch('http://home.netscape.com/people/montulli/index.html', '*/ari/*')",
                "false",
            ),
            ("shExpMatch('www.zoom.us', '*.zoom.us')", "true"),
            ("shExpMatch('zoom.us', '*.zoom.us')", "false"),
            ("shExpMatch('a.b', 'a?b')", "true"),
            ("shExpMatch('ab', 'a?b')", "false"),
            ("shExpMatch('axb', 'a.b')", "false"),
            ("shExpMatch('a+b', 'a+b')", "true"),
            ("shExpMatch('aab', 'a+b')", "false"),
            ("shExpMatch('(x)[y]{z}^$|\\\\', '(x)[y]{z}^$|\\\\')", "true"),
            ("shExpMatch('abc', 'a*c*')", "true"),
            ("shExpMatch('abcd', 'a*c')", "false"),
            ("shExpMatch('abc', '')", "false"),
            ("shExpMatch('', '*')", "true"),
            ("shExpMatch('a*c', 'a*c')", "true"),
            ("shExpMatch('WWW.ZOOM.US', '*.zoom.us')", "false"),
            ("shExpMatch('line\\nbreak', 'line*')", "true"),
            (
                "shExpMatch('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '*a*a*a*a*a*a*a*b')",
                "false",
            ),
        ],
        &office(),
        None,
    );
}

#[test]
fn weekday_range() {
    check_table(
        &[
            ("weekdayRange('MON')", "true"),
            ("weekdayRange('mon')", "true"),
            ("weekdayRange('TUE')", "false"),
            ("weekdayRange('MON', 'FRI')", "true"),
            ("weekdayRange('TUE', 'FRI')", "false"),
            ("weekdayRange('FRI', 'MON')", "true"),
            ("weekdayRange('SAT', 'SUN')", "false"),
            ("weekdayRange('XYZ')", "false"),
            ("weekdayRange()", "false"),
        ],
        &office(),
        Some(MONDAY_MORNING),
    );
    // Sunday 23:30 UTC: GMT reads the UTC day.
    let sunday_late_utc = FixedNow {
        utc: true,
        parts: [2024, 0, 14, 23, 30, 0],
    };
    check_table(
        &[
            ("weekdayRange('SUN', 'GMT')", "true"),
            ("weekdayRange('MON', 'GMT')", "false"),
            ("weekdayRange('SAT', 'SUN', 'GMT')", "true"),
        ],
        &office(),
        Some(sunday_late_utc),
    );
}

#[test]
fn date_range() {
    check_table(
        &[
            ("dateRange(15)", "true"),
            ("dateRange(16)", "false"),
            ("dateRange('JAN')", "true"),
            ("dateRange('FEB')", "false"),
            ("dateRange(2024)", "true"),
            ("dateRange(2023)", "false"),
            ("dateRange(1, 20)", "true"),
            ("dateRange(16, 31)", "false"),
            ("dateRange(25, 16)", "true"),
            ("dateRange('DEC', 'FEB')", "true"),
            ("dateRange('MAR', 'NOV')", "false"),
            ("dateRange(1, 'JAN', 31, 'JAN')", "true"),
            ("dateRange(16, 'JAN', 31, 'MAR')", "false"),
            ("dateRange(1, 'DEC', 20, 'JAN')", "true"),
            ("dateRange('JUN', 2023, 'MAR', 2024)", "true"),
            ("dateRange('FEB', 2024, 'MAR', 2024)", "false"),
            ("dateRange(1, 'JAN', 2024, 14, 'JAN', 2024)", "false"),
            ("dateRange(15, 'JAN', 2024, 15, 'JAN', 2024)", "true"),
            ("dateRange(1, 'JAN', 2025, 1, 'JAN', 2024)", "false"),
            ("dateRange(2020, 2030)", "true"),
            ("dateRange('JAN', 2024, 5)", "false"),
            ("dateRange(1, 'JAN')", "false"),
            ("dateRange('BOGUS')", "false"),
            ("dateRange()", "false"),
        ],
        &office(),
        Some(MONDAY_MORNING),
    );
    let new_year_utc = FixedNow {
        utc: true,
        parts: [2024, 0, 1, 0, 30, 0],
    };
    check_table(
        &[
            ("dateRange(1, 'GMT')", "true"),
            ("dateRange('JAN', 'GMT')", "true"),
            ("dateRange(2023, 'GMT')", "false"),
        ],
        &office(),
        Some(new_year_utc),
    );
}

#[test]
fn time_range() {
    check_table(
        &[
            ("timeRange(10)", "true"),
            ("timeRange(11)", "false"),
            ("timeRange(9, 11)", "true"),
            ("timeRange(8, 10)", "false"),
            ("timeRange(10, 10)", "false"),
            ("timeRange(22, 11)", "true"),
            ("timeRange(11, 10)", "false"),
            ("timeRange(0, 24)", "true"),
            ("timeRange(10, 30, 10, 30)", "true"),
            ("timeRange(10, 31, 12, 0)", "false"),
            ("timeRange(9, 0, 10, 29)", "false"),
            ("timeRange(23, 0, 10, 45)", "true"),
            ("timeRange(10, 30, 0, 10, 30, 0)", "true"),
            ("timeRange(10, 30, 1, 11, 0, 0)", "false"),
            ("timeRange('10')", "true"),
            ("timeRange('x')", "false"),
            ("timeRange(1, 2, 3)", "false"),
            ("timeRange()", "false"),
        ],
        &office(),
        Some(MONDAY_MORNING),
    );
    let late_utc = FixedNow {
        utc: true,
        parts: [2024, 0, 15, 23, 15, 0],
    };
    check_table(
        &[
            ("timeRange(23, 'GMT')", "true"),
            ("timeRange(22, 24, 'GMT')", "true"),
            ("timeRange(23, 20, 23, 59, 'GMT')", "false"),
        ],
        &office(),
        Some(late_utc),
    );
}

#[test]
fn real_clock_is_used_without_a_fixed_time() {
    // Whatever today is, it is one of the seven days and inside the year.
    assert_eq!(
        eval_at("weekdayRange('SUN', 'SAT')", &office(), None),
        "true"
    );
    assert_eq!(eval_at("timeRange(0, 24)", &office(), None), "true");
    assert_eq!(
        eval_at("dateRange(1, 'JAN', 31, 'DEC')", &office(), None),
        "true"
    );
}

#[test]
fn alert_does_nothing() {
    assert_eq!(eval("alert('hello')"), "undefined");
}

#[test]
fn resolver_is_called_at_evaluation_time_once_per_name() {
    let calls = AtomicUsize::new(0);
    let resolve = |name: &str| {
        calls.fetch_add(1, Ordering::SeqCst);
        (name == "meet.corp.example").then_some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9)))
    };
    let env = PacEnv {
        my_ip: "10.0.0.1".parse().expect("ip"),
        resolve: &resolve,
        time_limit: Duration::from_secs(5),
    };
    let script = "function FindProxyForURL(url, host) {
            var a = dnsResolve(host), b = dnsResolve(host), c = isResolvable('10.0.0.1');
            return a === b && isInNet(host, '10.0.0.0', '255.0.0.0') ? 'DIRECT' : 'PROXY p:1';
        }";
    assert_eq!(
        find_proxy(
            script,
            "https://meet.corp.example/",
            "meet.corp.example",
            &env
        ),
        Ok(vec![PacProxy::Direct])
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        find_proxy(
            script,
            "https://elsewhere.example/",
            "elsewhere.example",
            &env
        ),
        Ok(vec![proxy("p:1")])
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

// --- parse_answer -------------------------------------------------------

#[test]
fn parse_answer_table() {
    let ok: &[(&str, Vec<PacProxy>)] = &[
        ("DIRECT", vec![PacProxy::Direct]),
        ("", vec![PacProxy::Direct]),
        ("   ", vec![PacProxy::Direct]),
        (";;", vec![PacProxy::Direct]),
        ("PROXY a:8080", vec![proxy("a:8080")]),
        ("proxy a:8080", vec![proxy("a:8080")]),
        ("HTTP a:8080", vec![proxy("a:8080")]),
        ("PROXY a", vec![proxy("a:80")]),
        ("PROXY 10.0.0.1:3128", vec![proxy("10.0.0.1:3128")]),
        (
            "PROXY [2001:db8::1]:3128",
            vec![proxy("[2001:db8::1]:3128")],
        ),
        ("PROXY [2001:db8::1]", vec![proxy("[2001:db8::1]:80")]),
        (
            "HTTPS secure:8443",
            vec![PacProxy::Https("secure:8443".into())],
        ),
        ("https secure", vec![PacProxy::Https("secure:443".into())]),
        ("SOCKS s:1080", vec![PacProxy::Socks("s:1080".into())]),
        ("SOCKS4 s:1081", vec![PacProxy::Socks("s:1081".into())]),
        ("socks5 s", vec![PacProxy::Socks("s:1080".into())]),
        (
            "PROXY a:8080; SOCKS5 b:1080; DIRECT",
            vec![
                proxy("a:8080"),
                PacProxy::Socks("b:1080".into()),
                PacProxy::Direct,
            ],
        ),
        (
            "  PROXY   a:8080 ;;\tDIRECT ; ",
            vec![proxy("a:8080"), PacProxy::Direct],
        ),
        ("PROXY a:8080;", vec![proxy("a:8080")]),
        ("direct", vec![PacProxy::Direct]),
    ];
    for (answer, want) in ok {
        assert_eq!(parse_answer(answer).as_ref(), Ok(want), "{answer:?}");
    }
    for bad in [
        "BOGUS x",
        "PROXY",
        "DIRECT x",
        "PROXY a b",
        "PROXY a:0",
        "PROXY a:99999",
        "PROXY a:",
        "PROXY a:80x",
        "PROXY http://a:8080",
        "PROXY :8080",
        "PROXY [nonsense]:80",
        "PROXY ::1",
        "PROXY a:8080; BOGUS",
        "SOCKS6 s:1",
    ] {
        assert_eq!(
            parse_answer(bad),
            Err(PacError::BadAnswer(bad.to_string())),
            "{bad:?}"
        );
    }
    let long = format!("BOGUS {}", "x".repeat(1000));
    match parse_answer(&long) {
        Err(PacError::BadAnswer(text)) => assert!(text.chars().count() <= 201),
        other => panic!("{other:?}"),
    }
}

#[test]
fn pac_proxy_serializes_as_kind_and_address() {
    let json = serde_json::to_value(vec![PacProxy::Direct, proxy("a:1")]).expect("json");
    assert_eq!(
        json,
        serde_json::json!([{"kind": "direct"}, {"kind": "proxy", "address": "a:1"}])
    );
}

// --- broken and hostile scripts -----------------------------------------

fn run(script: &str) -> Result<Vec<PacProxy>, PacError> {
    find_proxy(script, "https://zoom.us/", "zoom.us", &office())
}

fn quick() -> PacEnv<'static> {
    PacEnv {
        time_limit: Duration::from_millis(200),
        ..office()
    }
}

#[test]
fn syntax_error_names_the_line() {
    let err = run("function FindProxyForURL(url, host) {\n  return 'DIRECT'\n  if (\n}\n")
        .expect_err("syntax error");
    match err {
        PacError::Syntax(text) => {
            assert!(text.contains("SyntaxError"), "{text}");
            assert!(text.contains("line 4"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_function_is_no_function() {
    assert_eq!(run("var x = 1;"), Err(PacError::NoFunction));
    assert_eq!(run(""), Err(PacError::NoFunction));
    assert_eq!(
        run("var FindProxyForURL = 'DIRECT';"),
        Err(PacError::NoFunction)
    );
    assert_eq!(
        run("function findProxyForUrl(u, h) { return 'DIRECT'; }"),
        Err(PacError::NoFunction)
    );
}

#[test]
fn other_ways_of_defining_the_function_are_found() {
    assert_eq!(
        run("let FindProxyForURL = (url, host) => 'PROXY p:1';"),
        Ok(vec![proxy("p:1")])
    );
    assert_eq!(
        run("var FindProxyForURL = function (url, host) { return 'SOCKS s:2'; };"),
        Ok(vec![PacProxy::Socks("s:2".into())])
    );
    // Windows prefers the Ex function when a script has both.
    assert_eq!(
        run("function FindProxyForURL(u, h) { return 'PROXY old:1'; }\n\
                 function FindProxyForURLEx(u, h) { return 'PROXY new:1'; }"),
        Ok(vec![proxy("new:1")])
    );
    // Sloppy mode, as browsers run PAC files: undeclared variables are fine.
    assert_eq!(
        run("function FindProxyForURL(u, h) { answer = 'DIRECT'; return answer; }"),
        Ok(vec![PacProxy::Direct])
    );
    // The arguments arrive as given.
    assert_eq!(
        run("function FindProxyForURL(u, h) { return 'PROXY ' + h + ':' + u.length; }"),
        Ok(vec![proxy("zoom.us:16")])
    );
}

#[test]
fn a_throw_is_a_runtime_error() {
    match run("function FindProxyForURL(u, h) {\n  throw new Error('boom');\n}") {
        Err(PacError::Runtime(text)) => {
            assert!(text.contains("Error: boom"), "{text}");
            assert!(text.contains("line 2"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        run("function FindProxyForURL(u, h) { throw 'plain text'; }"),
        Err(PacError::Runtime("plain text".into()))
    );
    assert_eq!(
        run("function FindProxyForURL(u, h) { throw 42; }"),
        Err(PacError::Runtime("42".into()))
    );
    match run("function FindProxyForURL(u, h) { return noSuchFunction(h); }") {
        Err(PacError::Runtime(text)) => assert!(text.contains("ReferenceError"), "{text}"),
        other => panic!("{other:?}"),
    }
    // Thrown while the script itself runs, before FindProxyForURL is called.
    match run("undefinedThing.property = 1;\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }") {
        Err(PacError::Runtime(text)) => assert!(text.contains("line 1"), "{text}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn answers_that_are_not_text_are_bad_answers() {
    for (body, shown) in [
        ("return 42;", "42"),
        ("return 1.5;", "1.5"),
        ("return;", "undefined"),
        ("return null;", "null"),
        ("return true;", "true"),
        ("return {};", "[object Object]"),
        ("return ['DIRECT'];", "[object Array]"),
        ("return function () {};", "[object Function]"),
        ("return new String('DIRECT');", "[object Object]"),
        ("return 'BOGUS x';", "BOGUS x"),
    ] {
        let script = format!("function FindProxyForURL(u, h) {{ {body} }}");
        assert_eq!(
            run(&script),
            Err(PacError::BadAnswer(shown.into())),
            "{body}"
        );
    }
}

#[test]
fn an_endless_loop_is_stopped() {
    let started = Instant::now();
    let result = find_proxy(
        "function FindProxyForURL(u, h) { while (true) {} }",
        "https://zoom.us/",
        "zoom.us",
        &quick(),
    );
    assert_eq!(result, Err(PacError::TooSlow(Duration::from_millis(200))));
    assert!(started.elapsed() < Duration::from_secs(10));
    // In the script body, and inside a try/catch that would like to swallow it.
    for script in [
        "for (;;) {}\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }",
        "function FindProxyForURL(u, h) { for (;;) { try { while (true) {} } catch (e) {} } }",
    ] {
        assert_eq!(
            find_proxy(script, "https://zoom.us/", "zoom.us", &quick()),
            Err(PacError::TooSlow(Duration::from_millis(200))),
            "{script}"
        );
    }
}

#[test]
fn endless_recursion_is_an_error() {
    match run("function f(n) { return f(n + 1) + 1; }\n\
                   function FindProxyForURL(u, h) { return f(0); }")
    {
        Err(PacError::Runtime(text)) => assert!(text.contains("stack"), "{text}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_huge_allocation_is_an_error() {
    for script in [
            "function FindProxyForURL(u, h) { var a = []; while (true) a.push('x'.repeat(65536) + a.length); }",
            "function FindProxyForURL(u, h) { var s = 'x'; while (true) s = s + s; }",
            "function FindProxyForURL(u, h) { return 'PROXY ' + 'x'.repeat(100000000); }",
            "var big = new Array(100000000).fill(1);\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }",
        ] {
            let result = find_proxy(script, "https://zoom.us/", "zoom.us", &quick());
            assert!(
                matches!(result, Err(PacError::Runtime(_) | PacError::TooSlow(_))),
                "{script}: {result:?}"
            );
        }
    // And the next script runs normally.
    assert_eq!(
        run("function FindProxyForURL(u, h) { return 'DIRECT'; }"),
        Ok(vec![PacProxy::Direct])
    );
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    // xorshift: the same "random" bytes every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..40 {
        let len = 1 + (round * 97) % 3000;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let script = String::from_utf8_lossy(&bytes);
        assert!(run(&script).is_err(), "round {round}");
    }
    for script in [
        "\0",
        "function FindProxyForURL(u, h) { return 'DIRECT'; }\0",
        "\u{feff}\u{fffd}\u{fffd}",
        "((((((((((((((((((((((((((((((((((((((((((((((((((",
        &"[".repeat(200_000),
        &"{".repeat(200_000),
        "}}}}",
        "function FindProxyForURL(u, h) { return '\\uD800'; }",
    ] {
        let result = run(script);
        assert!(result.is_err(), "{:?}: {result:?}", shorten(script, 40));
    }
}

#[test]
fn a_big_generated_pac_file_still_works() {
    let mut script = String::from("/* generated */\nfunction FindProxyForURL(url, host) {\n");
    for i in 0..20_000 {
        script.push_str(&format!(
                "  if (shExpMatch(host, '*.site{i}.example') || dnsDomainIs(host, 'site{i}.example')) return 'PROXY p{i}.corp.example:8080';\n"
            ));
    }
    script.push_str("  return 'DIRECT';\n}\n");
    assert!(script.len() > 1_000_000);
    let env = office();
    assert_eq!(
        find_proxy(
            &script,
            "https://a.site19999.example/",
            "a.site19999.example",
            &env
        ),
        Ok(vec![proxy("p19999.corp.example:8080")])
    );
    assert_eq!(
        find_proxy(&script, "https://zoom.us/", "zoom.us", &env),
        Ok(vec![PacProxy::Direct])
    );
}

#[test]
fn evaluations_run_side_by_side() {
    let script = fixture("zoom-direct.pac");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let script = &script;
                s.spawn(move || {
                    let host = if i % 2 == 0 {
                        "zoom.us"
                    } else {
                        "www.example.com"
                    };
                    find_proxy(script, &format!("https://{host}/"), host, &office())
                })
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            let want = if i % 2 == 0 {
                vec![PacProxy::Direct]
            } else {
                vec![proxy("proxy.corp.example:8080")]
            };
            assert_eq!(h.join().expect("thread"), Ok(want));
        }
    });
}

#[test]
fn env_debug_does_not_need_the_resolver() {
    let text = format!("{:?}", office());
    assert!(text.contains("10.20.30.40"), "{text}");
}
