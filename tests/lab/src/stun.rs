//! A minimal RFC 5389 STUN Binding responder: decoder for Binding requests and
//! encoder for Binding success responses. Deliberately independent of the
//! engine's own STUN code, so the lab checks it rather than mirrors it.

use std::net::SocketAddr;

pub(crate) const MAGIC_COOKIE: u32 = 0x2112_A442;
const HEADER_LEN: usize = 20;
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
const ATTR_XOR_MAPPED_ADDRESS: u16 = 0x0020;
const ATTR_SOFTWARE: u16 = 0x8022;
const SOFTWARE: &str = "md-lab";

pub(crate) type TransactionId = [u8; 12];

/// The transaction id of a well-formed Binding request, `None` for anything else.
pub(crate) fn parse_binding_request(packet: &[u8]) -> Option<TransactionId> {
    if packet.len() < HEADER_LEN {
        return None;
    }
    let msg_type = u16::from_be_bytes([packet[0], packet[1]]);
    let msg_len = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
    let cookie = u32::from_be_bytes([packet[4], packet[5], packet[6], packet[7]]);
    // The two top bits of a STUN message are zero (checked by the type
    // comparison), the length counts the attributes, which are 4-aligned.
    if msg_type != BINDING_REQUEST
        || cookie != MAGIC_COOKIE
        || msg_len % 4 != 0
        || packet.len() != HEADER_LEN + msg_len
    {
        return None;
    }
    // Every attribute (type, length, value, padding) must fit exactly.
    let mut rest = &packet[HEADER_LEN..];
    while !rest.is_empty() {
        if rest.len() < 4 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
        let padded = 4 + len.div_ceil(4) * 4;
        rest = rest.get(padded..)?;
    }
    packet[8..HEADER_LEN].try_into().ok()
}

/// The value of an XOR-MAPPED-ADDRESS attribute for `addr`.
pub(crate) fn xor_mapped_address(transaction_id: &TransactionId, addr: SocketAddr) -> Vec<u8> {
    let cookie = MAGIC_COOKIE.to_be_bytes();
    // The port is XORed with the top 16 bits of the cookie.
    let port = addr.port() ^ (MAGIC_COOKIE >> 16) as u16;
    let mut value = Vec::with_capacity(20);
    match addr.ip().to_canonical() {
        std::net::IpAddr::V4(ip) => {
            value.extend_from_slice(&[0, 0x01]);
            value.extend_from_slice(&port.to_be_bytes());
            value.extend(ip.octets().iter().zip(cookie).map(|(a, k)| a ^ k));
        }
        std::net::IpAddr::V6(ip) => {
            value.extend_from_slice(&[0, 0x02]);
            value.extend_from_slice(&port.to_be_bytes());
            let key = cookie.iter().chain(transaction_id.iter());
            value.extend(ip.octets().iter().zip(key).map(|(a, k)| a ^ k));
        }
    }
    value
}

/// A Binding success response telling `mapped` its address.
pub(crate) fn binding_success(transaction_id: &TransactionId, mapped: SocketAddr) -> Vec<u8> {
    let mut attributes = Vec::new();
    push_attribute(
        &mut attributes,
        ATTR_XOR_MAPPED_ADDRESS,
        &xor_mapped_address(transaction_id, mapped),
    );
    push_attribute(&mut attributes, ATTR_SOFTWARE, SOFTWARE.as_bytes());

    let mut message = Vec::with_capacity(HEADER_LEN + attributes.len());
    message.extend_from_slice(&BINDING_SUCCESS.to_be_bytes());
    // Both attributes are short: the length always fits.
    let len = u16::try_from(attributes.len()).unwrap_or(u16::MAX);
    message.extend_from_slice(&len.to_be_bytes());
    message.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
    message.extend_from_slice(transaction_id);
    message.extend_from_slice(&attributes);
    message
}

fn push_attribute(out: &mut Vec<u8>, attr_type: u16, value: &[u8]) {
    out.extend_from_slice(&attr_type.to_be_bytes());
    let len = u16::try_from(value.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(value);
    out.resize(out.len() + (4 - value.len() % 4) % 4, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5769 section 2.2/2.3: the transaction id of the sample responses.
    const RFC5769_TXID: TransactionId = [
        0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
    ];

    #[test]
    fn rfc5769_ipv4_xor_mapped_address() {
        let addr: SocketAddr = "192.0.2.1:32853".parse().unwrap();
        assert_eq!(
            xor_mapped_address(&RFC5769_TXID, addr),
            [0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43]
        );
    }

    #[test]
    fn rfc5769_ipv6_xor_mapped_address() {
        let addr: SocketAddr = "[2001:db8:1234:5678:11:2233:4455:6677]:32853"
            .parse()
            .unwrap();
        assert_eq!(
            xor_mapped_address(&RFC5769_TXID, addr),
            [
                0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25,
                0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9
            ]
        );
    }

    #[test]
    fn rfc5769_sample_request_is_a_binding_request() {
        // RFC 5769 section 2.1 (with its SOFTWARE, PRIORITY, ICE-CONTROLLED,
        // USERNAME, MESSAGE-INTEGRITY and FINGERPRINT attributes).
        let request: [u8; 108] = [
            0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
            0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e,
            0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x00, 0x24,
            0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1,
            0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68,
            0x36, 0x76, 0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c,
            0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5,
            0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf,
        ];
        assert_eq!(parse_binding_request(&request), Some(RFC5769_TXID));
        // An attribute that overflows the message: not well-formed.
        let mut bad_attr = request;
        bad_attr[22] = 0x7f; // SOFTWARE claims 0x7f10 bytes
        assert_eq!(parse_binding_request(&bad_attr), None);
        // A message length that disagrees with the datagram.
        assert_eq!(parse_binding_request(&request[..104]), None);
    }

    #[test]
    fn rejects_non_binding_requests() {
        let mut request = [0u8; 20];
        request[..8].copy_from_slice(&[0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]);
        assert!(parse_binding_request(&request).is_some());
        let mut response = request;
        response[1] = 0x01;
        response[0] = 0x01;
        assert_eq!(parse_binding_request(&response), None);
        let mut no_cookie = request;
        no_cookie[4] = 0;
        assert_eq!(parse_binding_request(&no_cookie), None);
        assert_eq!(parse_binding_request(&request[..19]), None);
        let mut wrong_len = request.to_vec();
        wrong_len[3] = 4;
        assert_eq!(parse_binding_request(&wrong_len), None);
        wrong_len.extend_from_slice(&[0, 0, 0, 8]);
        assert_eq!(parse_binding_request(&wrong_len), None);
    }

    #[test]
    fn success_layout() {
        let txid = [7u8; 12];
        let reply = binding_success(&txid, "10.1.2.3:4567".parse().unwrap());
        assert_eq!(&reply[..2], &[0x01, 0x01]);
        assert_eq!(
            usize::from(u16::from_be_bytes([reply[2], reply[3]])),
            reply.len() - 20
        );
        assert_eq!(&reply[4..8], &MAGIC_COOKIE.to_be_bytes());
        assert_eq!(&reply[8..20], &txid);
        assert_eq!(&reply[20..24], &[0x00, 0x20, 0x00, 0x08]);
        assert_eq!(&reply[32..36], &[0x80, 0x22, 0x00, 0x06]);
        assert_eq!(&reply[36..42], b"md-lab");
        assert_eq!(reply.len(), 44);
    }
}
