//! Each leak class, and what redaction must leave alone.

use super::*;

fn red() -> Redactor {
    Redactor {
        personal: true,
        names: vec![
            ("alice".chars().collect(), USER_PLACEHOLDER),
            ("al".chars().collect(), USER_PLACEHOLDER),
            ("lab-pc".chars().collect(), COMPUTER_PLACEHOLDER),
        ],
        ..Redactor::secrets_only()
    }
}

#[test]
fn ip_addresses_become_stable_placeholders() {
    let mut r = red();
    let cases = [
        (
            "TCP 203.0.113.10:443: refused",
            "TCP address-1:443: refused",
        ),
        ("from 10.20.0.53.", "from address-2."),
        ("again 203.0.113.10", "again address-1"),
        ("[2001:db8::10]:443", "[address-3]:443"),
        (
            "2001:0db8:0:0:0:0:0:10 is the same",
            "address-3 is the same",
        ),
        ("fe80::1%wlan0", "address-4%wlan0"),
        ("sinkhole 0.0.0.0, ::", "sinkhole 0.0.0.0, ::"),
        ("resolver 127.0.0.1:48116", "resolver 127.0.0.1:48116"),
        ("::ffff:198.51.100.7", "address-5"),
        ("10.0.0.0/8 via 10.20.0.1", "address-6/8 via address-7"),
    ];
    for (input, want) in cases {
        assert_eq!(r.text(input), want, "{input}");
    }
}

#[test]
fn addresses_inside_longer_tokens_are_found() {
    let mut r = red();
    let cases = [
        // IPv6 after a word and a colon, as `ip -o addr` and logs write it.
        ("dev eth0:fe80::1c2:3ff:fe4:5 up", "dev eth0:address-1 up"),
        ("wlan0:2001:db8::7", "wlan0:address-2"),
        // Bare, with its zone: the interface name stays.
        ("fe80::1%eth0", "address-3%eth0"),
        ("inet6 fe80::1c2:3ff:fe4:5/64", "inet6 address-1/64"),
        // An address run into hex letters, or between colons.
        ("peer 192.168.1.57abc", "peer address-4abc"),
        ("10.20.0.53:53:192.168.1.57", "address-5:53:address-4"),
        // Reverse-DNS names with the address in dashes: the same
        // placeholder as the dotted address.
        ("ip-192-168-1-57.ec2.internal", "ip-address-4.ec2.internal"),
        (
            "c-203-0-113-45.hsd1.example.net",
            "c-address-6.hsd1.example.net",
        ),
        ("127-0-0-1.nip.example", "127-0-0-1.nip.example"),
    ];
    for (input, want) in cases {
        assert_eq!(r.text(input), want, "{input}");
    }
}

#[test]
fn mac_addresses_become_stable_placeholders_in_any_spelling() {
    let mut r = red();
    let cases = [
        ("MAC a4:83:e7:12:34:56", "MAC mac-1"),
        (
            "Physical Address A4-83-E7-12-34-56.",
            "Physical Address mac-1.",
        ),
        ("cisco a483.e712.3456", "cisco mac-1"),
        ("eth0:a4:83:e7:12:34:56", "eth0:mac-1"),
        ("(bssid=aa:bb:cc:dd:ee:ff)", "(bssid=mac-2)"),
        // Broadcast and "none" identify no device.
        ("to ff:ff:ff:ff:ff:ff", "to ff:ff:ff:ff:ff:ff"),
        ("00-00-00-00-00-00", "00-00-00-00-00-00"),
        // Inside an IPv6 address it is part of the address.
        ("fe80::a4:83:e7:12:34:56", "address-1"),
        ("2001:db8:a4:83:e7:12:34:56", "address-2"),
        // Seven groups are not a MAC address.
        ("a4:83:e7:12:34:56:78", "a4:83:e7:12:34:56:78"),
    ];
    for (input, want) in cases {
        assert_eq!(r.text(input), want, "{input}");
    }
}

#[test]
fn things_that_only_look_like_addresses_stay() {
    let mut r = red();
    for s in [
        "2026-11-22T08:28:18Z",
        "at 10:30:00, again at 10:30:05.123",
        "std::net::IpAddr",
        "version 6.2.11.50139",
        "Zoom 5.17.11.34827 (x64)",
        "dead beef cafe",
        "handshake 5.1 ms",
        "12:30",
        "added to face",
        "zoom.us:8801 and zoom.us:443",
        "udp.3478, tcp.8801, dns.system",
        "UDP 3478, 3479, 8801–8810 and 8801-8810",
        "1.2.3.4.5",
        "2026-11-22",
        "build 2024.1110.0001",
        "HTTP 407 Proxy Authentication Required",
        "Get-NetFirewallRule -Direction Outbound",
        "zoom.us @ 0.0.0.0",
    ] {
        assert_eq!(r.text(s), s);
    }
}

#[test]
fn urls_lose_credentials_queries_and_tokens_but_keep_their_host() {
    for (input, want) in [
        // A captive portal: where it lives stays, what it was told goes.
        (
            "redirected to http://login.hotel.example/portal?mac=aa:bb:cc:dd:ee:ff&token=s3cr3t",
            "redirected to http://login.hotel.example/portal?[redacted]",
        ),
        (
            "http://alice:hunter2@proxy.corp.example:8080",
            "http://[credentials]@proxy.corp.example:8080",
        ),
        (
            "script http://wpad.corp.example/proxy.pac?auth=abc123.",
            "script http://wpad.corp.example/proxy.pac?[redacted].",
        ),
        (
            "(it redirects to https://x.example/p?a=(1))",
            "(it redirects to https://x.example/p?[redacted])",
        ),
        (
            "https://portal.example/#token=abc",
            "https://portal.example/#[redacted]",
        ),
        ("https://portal.example/?", "https://portal.example/?"),
        // Raw "/", "#" and "@" in a password do not leave half of it.
        (
            "http://u:p@ss/w#rd@proxy.corp.example:8080/",
            "http://[credentials]@proxy.corp.example:8080/",
        ),
        (
            "http://alice@wpad/proxy.pac",
            "http://[credentials]@wpad/proxy.pac",
        ),
        (
            "socks5://bob:pw@10.0.0.1:1080",
            "socks5://[credentials]@10.0.0.1:1080",
        ),
        (
            "\"pac_url\":\"http://wpad/x.pac?key=1\"",
            "\"pac_url\":\"http://wpad/x.pac?[redacted]\"",
        ),
        // An "@" after the host is not credentials.
        (
            "http://portal.example/login?email=a@b.example",
            "http://portal.example/login?[redacted]",
        ),
        (
            "http://alice:pw@proxy.example:8080/x?e=a@b.example",
            "http://[credentials]@proxy.example:8080/x?[redacted]",
        ),
        (
            "https://medium.example/@alice/post",
            "https://medium.example/@alice/post",
        ),
        // Session ids in the path.
        (
            "https://portal.example/s/8f14e45fceea167a5a36dedd4bea2543/login;jsessionid=ABC",
            "https://portal.example/s/[redacted]/login;[redacted]",
        ),
        (
            "https://g.example/guest/123e4567-e89b-12d3-a456-426614174000/ok",
            "https://g.example/guest/[redacted]/ok",
        ),
        // Without a scheme.
        (
            "HTTPS_PROXY=alice:hunter2@proxy.corp:3128",
            "HTTPS_PROXY=[credentials]@proxy.corp:3128",
        ),
        (
            "proxy alice:p@ss@proxy.corp:3128 is set",
            "proxy [credentials]@proxy.corp:3128 is set",
        ),
    ] {
        assert_eq!(secrets(input), want, "{input}");
        assert_eq!(secrets(want), want, "twice: {want}");
    }
    for keep in [
        "https://zoom.us/client/latest/ZoomInstallerFull64.msi",
        "https://status.zoom.us/api/v2/summary.json",
        "http://connectivitycheck.gstatic.com/generate_204",
        "https://zoom.us:8801/wc/join/6.2.11.50139",
        "GET http://detectportal.firefox.com/success.txt → HTTP 200 from 34.107.221.82:80",
        "proxy.corp.example:3128 and zoom.us:443",
        "sip:alice@zoomcrc.com and mailto:bob@corp.example",
        "at 10:30 alice@corp.example wrote",
        "zoom.us @ 1.1.1.1: 170.114.52.2",
    ] {
        assert_eq!(secrets(keep), keep);
    }
}

#[test]
fn named_secrets_outside_urls_lose_their_value() {
    for (input, want) in [
        (
            "HTTPS_PROXY_PASSWORD=hunter2 set",
            "HTTPS_PROXY_PASSWORD=[redacted] set",
        ),
        (
            r#"{"client_secret":"abc","x":1}"#,
            r#"{"client_secret":"[redacted]","x":1}"#,
        ),
        (
            "Proxy-Authorization: Basic YWxpY2U6aHVudGVyMg==\nnext",
            "Proxy-Authorization: [redacted]\nnext",
        ),
        ("x-auth-token: abc123 next", "x-auth-token: [redacted] next"),
        ("pwd = 's3 cr3t', ok", "pwd = '[redacted]', ok"),
        // The start of a sign-in page: what its form carries.
        (
            r#"<form><input type="hidden" name="token" value="s3cr3t"><input name=mac VALUE='aa:bb:cc:dd:ee:ff'>"#,
            r#"<form><input type="hidden" name="token" value="[redacted]"><input name=mac VALUE='[redacted]'>"#,
        ),
    ] {
        assert_eq!(secrets(input), want, "{input}");
        assert_eq!(secrets(want), want, "twice: {want}");
    }
    for keep in [
        "Proxy-Authenticate: Negotiate",
        "a password-protected Wi-Fi",
        "tokens: 3",
        "the value=\"x\" of no form",
        "token://x",
    ] {
        assert_eq!(secrets(keep), keep);
    }
    // Evidence keys that name a secret hide the value, whatever it is.
    let mut v = serde_json::json!({"password": "x", "proxy": {"api_key": "42", "port": 8080, "http": "p:3128"}});
    Redactor::secrets_only().value(&mut v, true);
    assert_eq!(
        v,
        serde_json::json!({"password": "[redacted]", "proxy": {"api_key": "[redacted]", "port": 8080, "http": "p:3128"}})
    );
}

#[test]
fn account_names_and_ids_are_personal() {
    let mut r = red();
    for (input, want) in [
        ("ProxyUser=bob", "ProxyUser=[user]"),
        (r#""username": "bob""#, r#""username": "[user]""#),
        (
            "owner S-1-5-21-3623811015-3361044348-30300820-1013.",
            "owner S-1-5-21-[user].",
        ),
        ("SYSTEM is S-1-5-18", "SYSTEM is S-1-5-18"),
    ] {
        assert_eq!(r.text(input), want, "{input}");
    }
    // A computer name longer than 15 characters, as NetBIOS cuts it.
    let mut report = crate::Report::new(
        &md_model::profile::Profile::builtin(),
        md_probes::runner::RunOutcome {
            findings: vec![],
            elapsed_ms: 0,
            deadline_ms: 0,
            deadline_hit: false,
            cancelled: false,
        },
    );
    report.system.user = None;
    report.system.host_name = Some("Finance-Laptop-Alice.corp.example".into());
    let mut r = Redactor::new(&report);
    assert_eq!(
        r.text("CORP\\FINANCE-LAPTOP-$ and finance-laptop-alice"),
        "CORP\\[computer]$ and [computer]"
    );
}

#[test]
fn user_names_before_a_host_are_personal() {
    for (input, want) in [
        ("ask alice.smith@corp.example", "ask [user]@corp.example"),
        ("proxy bob@proxy:8080", "proxy [user]@proxy:8080"),
        ("sip:alice@zoomcrc.com", "sip:[user]@zoomcrc.com"),
        ("[user]@corp.example", "[user]@corp.example"),
        (
            "[credentials]@proxy.corp:3128",
            "[credentials]@proxy.corp:3128",
        ),
        ("zoom.us @ 1.1.1.1", "zoom.us @ 1.1.1.1"),
        ("npm i pkg@1.2.3", "npm i pkg@1.2.3"),
        ("Zoom@Home", "Zoom@Home"),
    ] {
        assert_eq!(emails(input), want, "{input}");
    }
}

#[test]
fn names_match_whole_words_in_any_case() {
    let r = red();
    assert_eq!(
        r.names_in("Alice also logged in as ALICE on lab-pc.local; al too"),
        "[user] also logged in as [user] on [computer].local; [user] too"
    );
    assert_eq!(r.names_in("alicea lab-pcs"), "alicea lab-pcs");
    // A user called "user" doesn't nest placeholders.
    let r = Redactor {
        personal: true,
        names: vec![("user".chars().collect(), USER_PLACEHOLDER)],
        ..Redactor::secrets_only()
    };
    assert_eq!(
        r.names_in("/home/[user] and user"),
        "/home/[user] and [user]"
    );
}

#[test]
fn wifi_names_that_are_common_words_are_not_replaced_as_words() {
    let mut r = Redactor::new(&crate::Report::new(
        &md_model::profile::Profile::builtin(),
        md_probes::runner::RunOutcome {
            findings: vec![],
            elapsed_ms: 0,
            deadline_ms: 0,
            deadline_hit: false,
            cancelled: false,
        },
    ));
    r.names.clear();
    for ssid in ["Home", "Zoom", "Alice's iPhone", "12345678"] {
        r.add_wifi(ssid);
    }
    r.sort_names();
    assert_eq!(
        r.names_in("Zoom on /home/x via Alice's iPhone, 12345678 bytes"),
        "Zoom on /home/x via [Wi-Fi name], 12345678 bytes"
    );
}

#[test]
fn home_paths_lose_their_owner() {
    for (input, want) in [
        ("/home/bob/.zoom/logs", "/home/[user]/.zoom/logs"),
        ("/Users/Bob/Library", "/Users/[user]/Library"),
        (r"C:\Users\bob\AppData", r"C:\Users\[user]\AppData"),
        (r"C:\\Users\\bob\\AppData", r"C:\\Users\\[user]\\AppData"),
        ("C:/users/bob/x", "C:/users/[user]/x"),
        ("/srv/myhome/x", "/srv/myhome/x"),
        ("\"/home/bob\"", "\"/home/[user]\""),
        ("/home/[user]/x", "/home/[user]/x"),
        (
            r"C:\Users\John Smith\AppData\Roaming",
            r"C:\Users\[user]\AppData\Roaming",
        ),
        (
            r"C:\Documents and Settings\bob\Zoom",
            r"C:\Documents and Settings\[user]\Zoom",
        ),
        (
            r"C:\Users\bob and C:\Users\carol",
            r"C:\Users\[user] and C:\Users\[user]",
        ),
        ("/home/bob is /x", "/home/[user] is /x"),
        ("/var/home/bob/x", "/var/home/[user]/x"),
    ] {
        assert_eq!(home_paths(input), want, "{input}");
    }
}
