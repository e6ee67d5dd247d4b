//! The parts of the checks' evidence that the diagnosis reads, as types.
//! A check's evidence is free JSON for a technician (addresses, timings,
//! answers); these structs name the few fields a rule acts on, so the key
//! a probe writes and the key a rule reads are one definition. Fields the
//! struct does not name are ignored when reading; a missing field is its
//! default (empty), so an absent piece of evidence never reads as one
//! that says something.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Reads the typed part of `evidence`; anything unreadable is the default.
pub fn read<T: DeserializeOwned + Default>(evidence: &Value) -> T {
    T::deserialize(evidence).unwrap_or_default()
}

/// Writes `part`'s fields into `evidence` (an object), beside the others.
pub fn write<T: Serialize>(part: &T, evidence: &mut Value) {
    if let (Ok(Value::Object(fields)), Some(target)) =
        (serde_json::to_value(part), evidence.as_object_mut())
    {
        target.extend(fields);
    }
}

/// `dns.system`: names answered with an address that goes nowhere (a
/// filter's answer), and names that fail only on this computer's resolver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DnsSystemEvidence {
    pub sinkholed: Vec<String>,
    pub fails_only_on_system: Vec<String>,
}

/// `proxy`: the hop the test connection to Zoom went through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxyEvidence {
    pub used: Option<ProxyHop>,
}

/// A hop as the proxy route records it (`{"kind": "direct"}`, `{"kind":
/// "proxy", "address": …}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxyHop {
    pub kind: String,
}

/// `tls`: what each target's certificate chain was judged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsEvidence {
    pub targets: Vec<TlsTargetEvidence>,
}

/// One TLS target: its chain against public roots and this computer's
/// roots ("trusted", "unknown_issuer"…), the top issuer, and the stage a
/// connection that failed stopped at ("connect", "handshake"…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsTargetEvidence {
    pub public_roots: Option<String>,
    pub local_roots: Option<String>,
    pub issuer: Option<String>,
    pub stage: Option<String>,
}

/// `vpn`: the kind of interface the route to Zoom leaves by ("tunnel",
/// "ppp", "ethernet"…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VpnEvidence {
    pub interface_kind: Option<String>,
}

/// `security_software`: the products found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecurityEvidence {
    pub products: Vec<NamedProduct>,
}

/// A security product, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NamedProduct {
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_named_fields_are_read_and_the_rest_ignored() {
        let ev = json!({ "names": [], "sinkholed": ["zoom.us"], "other": 1 });
        let d: DnsSystemEvidence = read(&ev);
        assert_eq!(d.sinkholed, ["zoom.us"]);
        assert!(d.fails_only_on_system.is_empty());
        let t: TlsEvidence =
            read(&json!({ "targets": [{ "public_roots": "unknown_issuer", "chain": [] }] }));
        assert_eq!(t.targets[0].public_roots.as_deref(), Some("unknown_issuer"));
        assert_eq!(t.targets[0].stage, None);
    }

    #[test]
    fn unreadable_evidence_says_nothing_rather_than_something() {
        let d: DnsSystemEvidence = read(&json!({ "sinkholed": "not a list" }));
        assert_eq!(d, DnsSystemEvidence::default());
        let v: VpnEvidence = read(&Value::Null);
        assert_eq!(v.interface_kind, None);
    }

    #[test]
    fn writing_keeps_the_other_fields() {
        let mut ev = json!({ "names": ["a"] });
        write(
            &DnsSystemEvidence {
                sinkholed: vec!["zoom.us".into()],
                fails_only_on_system: vec![],
            },
            &mut ev,
        );
        assert_eq!(
            ev,
            json!({ "names": ["a"], "sinkholed": ["zoom.us"], "fails_only_on_system": [] })
        );
    }
}
