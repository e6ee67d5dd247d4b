//! STUN Binding (RFC 5389): the request the UDP checks send, and a strict
//! parser for the answer. A UDP port passes only when a well-formed Binding
//! Success Response carrying our own transaction id comes back.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

pub const MAGIC_COOKIE: u32 = 0x2112_A442;
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
const BINDING_ERROR: u16 = 0x0111;
const ATTR_MAPPED_ADDRESS: u16 = 0x0001;
const ATTR_ERROR_CODE: u16 = 0x0009;
const ATTR_XOR_MAPPED_ADDRESS: u16 = 0x0020;
const ATTR_SOFTWARE: u16 = 0x8022;
const HEADER_LEN: usize = 20;

pub type TransactionId = [u8; 12];

/// A fresh random transaction id.
pub fn new_transaction_id() -> TransactionId {
    rand::random()
}

/// A Binding Request with no attributes.
pub fn binding_request(txid: &TransactionId) -> [u8; HEADER_LEN] {
    let mut m = [0u8; HEADER_LEN];
    m[0..2].copy_from_slice(&BINDING_REQUEST.to_be_bytes());
    // length 0
    m[4..8].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    m[8..20].copy_from_slice(txid);
    m
}

/// What a valid Binding Success Response told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingResponse {
    /// Our address as the server saw it (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS).
    pub mapped: Option<SocketAddr>,
    pub software: Option<String>,
}

/// Why a datagram is not the answer we wait for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StunError {
    #[error("not a STUN message ({0})")]
    NotStun(&'static str),
    #[error("a STUN answer for another request (transaction id differs)")]
    WrongTransaction,
    #[error("the server answered with STUN error {code} {reason:?}")]
    ErrorResponse { code: u16, reason: String },
    #[error("unexpected STUN message type 0x{0:04x}")]
    UnexpectedType(u16),
    #[error("malformed STUN attribute ({0})")]
    BadAttribute(&'static str),
}

/// Parses `msg` as the answer to the request with id `txid`.
pub fn parse_binding_response(
    msg: &[u8],
    txid: &TransactionId,
) -> Result<BindingResponse, StunError> {
    if msg.len() < HEADER_LEN {
        return Err(StunError::NotStun("shorter than a STUN header"));
    }
    let ty = u16::from_be_bytes([msg[0], msg[1]]);
    if ty & 0xC000 != 0 {
        return Err(StunError::NotStun("top bits set"));
    }
    let len = usize::from(u16::from_be_bytes([msg[2], msg[3]]));
    if u32::from_be_bytes([msg[4], msg[5], msg[6], msg[7]]) != MAGIC_COOKIE {
        return Err(StunError::NotStun("no magic cookie"));
    }
    if len % 4 != 0 || HEADER_LEN + len != msg.len() {
        return Err(StunError::NotStun("length does not match the datagram"));
    }
    if msg[8..20] != txid[..] {
        return Err(StunError::WrongTransaction);
    }
    let attrs = attributes(&msg[HEADER_LEN..])?;
    match ty {
        BINDING_SUCCESS => {}
        BINDING_ERROR => {
            let (code, reason) = attrs
                .iter()
                .find(|(t, _)| *t == ATTR_ERROR_CODE)
                .map(|(_, v)| parse_error_code(v))
                .transpose()?
                .unwrap_or((0, String::new()));
            return Err(StunError::ErrorResponse { code, reason });
        }
        other => return Err(StunError::UnexpectedType(other)),
    }
    let mut out = BindingResponse {
        mapped: None,
        software: None,
    };
    for (t, v) in &attrs {
        match *t {
            ATTR_XOR_MAPPED_ADDRESS => out.mapped = Some(parse_address(v, Some(txid))?),
            ATTR_MAPPED_ADDRESS if out.mapped.is_none() => {
                out.mapped = Some(parse_address(v, None)?)
            }
            ATTR_SOFTWARE => out.software = Some(String::from_utf8_lossy(v).trim_end().to_string()),
            _ => {}
        }
    }
    Ok(out)
}

fn attributes(mut body: &[u8]) -> Result<Vec<(u16, &[u8])>, StunError> {
    let mut out = Vec::new();
    while !body.is_empty() {
        if body.len() < 4 {
            return Err(StunError::BadAttribute("truncated header"));
        }
        let t = u16::from_be_bytes([body[0], body[1]]);
        let l = usize::from(u16::from_be_bytes([body[2], body[3]]));
        let padded = l.div_ceil(4) * 4;
        if body.len() < 4 + padded {
            return Err(StunError::BadAttribute("value runs past the message"));
        }
        out.push((t, &body[4..4 + l]));
        body = &body[4 + padded..];
    }
    Ok(out)
}

fn parse_address(v: &[u8], xor_with: Option<&TransactionId>) -> Result<SocketAddr, StunError> {
    if v.len() < 4 {
        return Err(StunError::BadAttribute("address too short"));
    }
    let cookie = MAGIC_COOKIE.to_be_bytes();
    let mut port = u16::from_be_bytes([v[2], v[3]]);
    if xor_with.is_some() {
        port ^= (MAGIC_COOKIE >> 16) as u16;
    }
    let ip = match (v[1], v.len()) {
        (0x01, 8) => {
            let mut o = [v[4], v[5], v[6], v[7]];
            if xor_with.is_some() {
                for (b, k) in o.iter_mut().zip(cookie) {
                    *b ^= k;
                }
            }
            IpAddr::V4(Ipv4Addr::from(o))
        }
        (0x02, 20) => {
            let mut o = [0u8; 16];
            o.copy_from_slice(&v[4..20]);
            if let Some(txid) = xor_with {
                let key: Vec<u8> = cookie.iter().chain(txid.iter()).copied().collect();
                for (b, k) in o.iter_mut().zip(key) {
                    *b ^= k;
                }
            }
            IpAddr::V6(Ipv6Addr::from(o))
        }
        _ => return Err(StunError::BadAttribute("unknown address family or length")),
    };
    Ok(SocketAddr::new(ip, port))
}

fn parse_error_code(v: &[u8]) -> Result<(u16, String), StunError> {
    if v.len() < 4 {
        return Err(StunError::BadAttribute("error code too short"));
    }
    let code = u16::from(v[2] & 0x07) * 100 + u16::from(v[3]);
    Ok((code, String::from_utf8_lossy(&v[4..]).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXID: TransactionId = [
        0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
    ];

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 5769 §2.2, sample IPv4 response.
    fn rfc5769_ipv4() -> Vec<u8> {
        hex("0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
             8022000b 74657374 20766563 746f7220
             00200008 0001a147 e112a643
             00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
             80280004 c07d4c96")
    }

    #[test]
    fn rfc5769_ipv4_response() {
        let r = parse_binding_response(&rfc5769_ipv4(), &TXID).unwrap();
        assert_eq!(r.mapped, Some("192.0.2.1:32853".parse().unwrap()));
        assert_eq!(r.software.as_deref(), Some("test vector"));
    }

    /// RFC 5769 §2.3, sample IPv6 response.
    #[test]
    fn rfc5769_ipv6_response() {
        let msg = hex("01010048 2112a442 b7e7a701 bc34d686 fa87dfae
             8022000b 74657374 20766563 746f7220
             00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
             00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
             80280004 c8fb0b4c");
        let r = parse_binding_response(&msg, &TXID).unwrap();
        assert_eq!(
            r.mapped,
            Some(
                "[2001:db8:1234:5678:11:2233:4455:6677]:32853"
                    .parse()
                    .unwrap()
            )
        );
    }

    #[test]
    fn another_transaction_is_not_our_answer() {
        let mut other = TXID;
        other[11] ^= 1;
        assert_eq!(
            parse_binding_response(&rfc5769_ipv4(), &other),
            Err(StunError::WrongTransaction)
        );
    }

    #[test]
    fn request_is_well_formed() {
        let req = binding_request(&TXID);
        assert_eq!(&req[0..4], &[0, 1, 0, 0]);
        assert_eq!(&req[4..8], &MAGIC_COOKIE.to_be_bytes());
        assert_eq!(&req[8..], &TXID);
        assert_ne!(new_transaction_id(), new_transaction_id());
    }

    #[test]
    fn garbage_truncation_and_errors_are_rejected_without_panic() {
        let good = rfc5769_ipv4();
        for cut in 0..good.len() {
            assert!(
                parse_binding_response(&good[..cut], &TXID).is_err(),
                "cut at {cut}"
            );
        }
        for len in 0..64usize {
            let junk: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert!(parse_binding_response(&junk, &TXID).is_err());
        }
        // A DNS-looking datagram.
        assert!(matches!(
            parse_binding_response(
                &[0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                &TXID
            ),
            Err(StunError::NotStun(_))
        ));
        // An error response: 0x0111 with ERROR-CODE 420.
        let mut err = hex("01110010 2112a442");
        err.extend_from_slice(&TXID);
        err.extend_from_slice(&hex("0009000c 00000414 556e6b6e 6f776e21"));
        assert_eq!(
            parse_binding_response(&err, &TXID),
            Err(StunError::ErrorResponse {
                code: 420,
                reason: "Unknown!".into()
            })
        );
        // An attribute whose length runs past the end.
        let mut bad = hex("01010008 2112a442");
        bad.extend_from_slice(&TXID);
        bad.extend_from_slice(&hex("00200040 00010000"));
        assert!(matches!(
            parse_binding_response(&bad, &TXID),
            Err(StunError::BadAttribute(_))
        ));
    }

    #[test]
    fn random_datagrams_never_panic_and_never_pass() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(5389);
        for i in 0..20_000 {
            let len = rng.random_range(0..120);
            let mut msg: Vec<u8> = (0..len).map(|_| rng.random()).collect();
            // Half of them look like a STUN success for our transaction.
            if i % 2 == 0 && msg.len() >= 20 {
                let body = (msg.len() - 20) & !3;
                msg.truncate(20 + body);
                msg[0..2].copy_from_slice(&BINDING_SUCCESS.to_be_bytes());
                msg[2..4].copy_from_slice(&(body as u16).to_be_bytes());
                msg[4..8].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
                msg[8..20].copy_from_slice(&TXID);
            }
            if parse_binding_response(&msg, &TXID).is_ok() {
                // Anything accepted must really be a success for our id.
                assert_eq!(&msg[8..20], &TXID);
                assert_eq!(&msg[0..2], &BINDING_SUCCESS.to_be_bytes());
            }
        }
    }
}
