//! The head of an HTTP/1 response (status line and headers), as plain GETs
//! and proxy CONNECT answers both read it. Its own module so the tunnel and
//! the GET do not depend on each other for it.

/// Parses a response head: status line and headers.
pub fn parse_head(head: &[u8]) -> Result<(u16, Vec<(String, String)>), String> {
    let text = std::str::from_utf8(head).map_err(|_| "header is not text".to_string())?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(format!("status line {status_line:?}"));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| format!("status line {status_line:?}"))?;
    let headers = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok((status, headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_and_garbage_is_refused() {
        let (s, h) = parse_head(b"HTTP/1.1 302 Found\r\nLocation: http://x/\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n").unwrap();
        assert_eq!(s, 302);
        assert_eq!(h[0], ("Location".into(), "http://x/".into()));
        for bad in [
            &b"SSH-2.0-OpenSSH_9.2\r\n\r\n"[..],
            b"HTTP/1.1 abc\r\n\r\n",
            b"HTTP/1.1 999 x\r\n\r\n",
            b"\xff\xfe\r\n\r\n",
            b"",
        ] {
            assert!(parse_head(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn random_heads_never_panic() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7230);
        let alphabet = b"HTTP/1.0 2345:\r\n abcXYZ\xff\x00";
        for _ in 0..20_000 {
            let len = rng.random_range(0..80);
            let head: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect();
            if let Ok((status, _)) = parse_head(&head) {
                assert!((100..600).contains(&status));
            }
        }
    }
}
