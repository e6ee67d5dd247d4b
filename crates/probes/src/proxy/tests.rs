use super::*;
#[cfg(unix)]
use std::time::Instant;

fn settings(f: impl FnOnce(&mut ProxySettings)) -> ProxySettings {
    let mut s = ProxySettings {
        source: "test".into(),
        ..Default::default()
    };
    f(&mut s);
    s
}

#[test]
fn exceptions_match_as_the_systems_do() {
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases: &[(&str, &[&str], bool)] = &[
        ("zoom.us", &["*.zoom.us"], false),
        ("us04web.zoom.us", &["*.zoom.us"], true),
        ("us04web.zoom.us", &[".zoom.us"], true),
        ("zoom.us", &["zoom.us"], true),
        ("us04web.zoom.us", &["zoom.us"], true),
        ("notzoom.us", &["zoom.us"], false),
        ("intranet", &["<local>"], true),
        ("zoom.us", &["<local>"], false),
        ("10.1.2.3", &["10.*"], true),
        ("10.1.2.3", &["10.0.0.0/8"], true),
        ("11.1.2.3", &["10.0.0.0/8"], false),
        ("zoom.us", &["*"], true),
        ("ZOOM.US", &["Zoom.us"], true),
        ("zoom.us", &[""], false),
        ("::1", &["::1/128"], true),
        ("zoom.us", &["10.0.0.0/99"], false),
    ];
    for (host, pats, want) in cases {
        assert_eq!(bypassed(host, &list(pats)), *want, "{host} vs {pats:?}");
    }
}

#[tokio::test]
async fn manual_settings_pick_the_proxy_for_the_scheme() {
    let ip = IpAddr::from([127, 0, 0, 1]);
    let t = Duration::from_secs(1);
    let https = url::Url::parse("https://zoom.us/").unwrap();
    let http = url::Url::parse("http://zoom.us/").unwrap();
    let s = settings(|s| {
        s.http = Some("proxy.corp:3128".into());
        s.https = Some("secure.corp".into());
    });
    let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
    assert_eq!(r.chain, vec![PacProxy::Proxy("secure.corp:8080".into())]);
    let r = route(&s, &Script::NotSet, &http, ip, t).await.unwrap();
    assert_eq!(r.chain, vec![PacProxy::Proxy("proxy.corp:3128".into())]);
    // Only an HTTP proxy: HTTPS goes direct, as curl and the desktops do.
    let s = settings(|s| s.http = Some("proxy.corp:3128".into()));
    let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
    assert_eq!(r.chain, vec![PacProxy::Direct]);
    assert!(r.how.contains("no proxy for https"), "{}", r.how);
    // SOCKS for anything without its own proxy.
    let s = settings(|s| s.socks = Some("127.0.0.1".into()));
    let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
    assert_eq!(r.chain, vec![PacProxy::Socks("127.0.0.1:1080".into())]);
    // Exceptions win.
    let s = settings(|s| {
        s.https = Some("p:1".into());
        s.bypass = vec![".zoom.us".into()];
    });
    let r = route(&s, &Script::NotSet, &https, ip, t).await.unwrap();
    assert_eq!(r.chain, vec![PacProxy::Direct]);
    assert!(r.how.contains("exception"), "{}", r.how);
    let r = route(&settings(|_| {}), &Script::NotSet, &https, ip, t)
        .await
        .unwrap();
    assert_eq!(r.how, "no proxy is set");
}

/// A `file://` proxy script that is a FIFO nobody writes to, an
/// endless device or a huge file ends at once, saying why; a real one
/// is read.
// A FIFO (mkfifo) stands for the file that never ends: Unix only.
#[cfg(unix)]
#[tokio::test]
async fn a_proxy_script_file_is_read_with_a_size_and_a_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let at = |path: &std::path::Path| {
        settings(|s| s.pac_url = Some(url::Url::from_file_path(path).unwrap().to_string()))
    };
    let limit = Duration::from_secs(2);
    let script = dir.path().join("proxy.pac");
    std::fs::write(
        &script,
        "function FindProxyForURL(u, h) { return \"DIRECT\"; }\n",
    )
    .unwrap();
    match find_script(&at(&script), limit).await {
        Script::Fetched { text, .. } => assert!(text.starts_with("function")),
        other => panic!("{other:?}"),
    }

    let fifo = dir.path().join("never-written.pac");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let huge = dir.path().join("huge.pac");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(20 * 1024 * 1024)
        .unwrap();
    let cases: &[(&std::path::Path, &str)] = &[
        (&fifo, "it is not a regular file"),
        (
            std::path::Path::new("/dev/zero"),
            "it is not a regular file",
        ),
        (&huge, "it is larger than 1024 KiB"),
        (dir.path(), "it is not a regular file"),
        (&dir.path().join("missing.pac"), "No such file"),
    ];
    for (path, why) in cases {
        let start = Instant::now();
        let found = tokio::time::timeout(limit * 2, find_script(&at(path), limit))
            .await
            .unwrap_or_else(|_| panic!("{} was still being read", path.display()));
        assert!(
            start.elapsed() < limit,
            "{}: {:?}",
            path.display(),
            start.elapsed()
        );
        match found {
            Script::Failed(e @ RouteError::PacFetch { .. }) => {
                let message = e.to_string();
                assert!(message.contains(why), "{message}");
                assert!(
                    message.starts_with("the proxy script file:///"),
                    "{message}"
                );
                assert!(message.contains("could not be read"), "{message}");
            }
            other => panic!("{}: {other:?}", path.display()),
        }
    }
}

/// A read that never ends (a hung network share) is given up at the
/// time limit, and its thread does not hold up the runtime.
// A FIFO (mkfifo) stands for the file that never ends: Unix only.
#[cfg(unix)]
#[tokio::test]
async fn a_proxy_script_file_read_that_hangs_is_given_up_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("swapped.pac");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Past the look before opening: open() itself waits for a writer.
    let start = Instant::now();
    let read = read_pac_file_with(fifo.clone(), Duration::from_millis(300), |p| {
        std::fs::File::open(p)
            .map(|_| Vec::new())
            .map_err(|e| e.to_string())
    })
    .await;
    let took = start.elapsed();
    assert_eq!(read, Err("reading it took longer than 0.3 s".to_string()));
    assert!(took < Duration::from_millis(1000), "{took:?}");
    // Let the stuck thread finish.
    let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
}

#[test]
fn host_port_splitting() {
    assert_eq!(split_host_port("a:1"), Some(("a".into(), 1)));
    assert_eq!(split_host_port("[::1]:8080"), Some(("::1".into(), 8080)));
    assert_eq!(split_host_port("a"), None);
    assert_eq!(split_host_port(":1"), None);
    assert_eq!(split_host_port("a:99999"), None);
    assert_eq!(with_port("a", 8080), "a:8080");
    assert_eq!(with_port("a:1", 8080), "a:1");
}
