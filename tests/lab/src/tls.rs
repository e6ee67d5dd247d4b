//! The lab's PKI (a public root and an SSL-inspection root, no intermediates)
//! and its TLS servers, which speak the lab's HTTP routes after the handshake.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::stats::bump;
use crate::{http, Context, Ctx};

pub(crate) const PUBLIC_CA_NAME: &str = "Lab Public Root CA";
pub(crate) const INSPECTION_CA_NAME: &str = "Lab Inspection CA";
pub(crate) const INSPECTION_ORG: &str = "Lab Inspection Proxy";
pub(crate) const WRONG_NAME: &str = "wrong.lab.test";
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Public,
    Inspected,
    Expired,
    NotYetValid,
    WrongName,
}

impl Kind {
    /// In the order of the `LabInfo` fields.
    pub(crate) const ALL: [Kind; 5] = [
        Kind::Public,
        Kind::Inspected,
        Kind::Expired,
        Kind::NotYetValid,
        Kind::WrongName,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

fn pki_error(what: &str) -> impl FnOnce(rcgen::Error) -> io::Error + '_ {
    move |e| io::Error::other(format!("{what}: {e}"))
}

fn rustls_error(what: &str) -> impl FnOnce(rustls::Error) -> io::Error + '_ {
    move |e| io::Error::other(format!("{what}: {e}"))
}

struct Ca {
    issuer: Issuer<'static, KeyPair>,
    der: CertificateDer<'static>,
    pem: String,
}

impl Ca {
    fn generate(common_name: &str, organization: &str, now: OffsetDateTime) -> io::Result<Ca> {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .map_err(pki_error("generating a CA key"))?;
        let mut params = CertificateParams::default();
        params.distinguished_name = distinguished_name(common_name, organization);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        params.not_before = now - time::Duration::days(365);
        params.not_after = now + time::Duration::days(3650);
        let cert = params
            .self_signed(&key)
            .map_err(pki_error("self-signing a CA"))?;
        Ok(Ca {
            der: cert.der().clone(),
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        })
    }

    /// A server certificate for `names`, valid between the two dates, and the
    /// server configuration presenting it (with this CA behind it).
    fn server_config(
        &self,
        names: Vec<String>,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> io::Result<Arc<ServerConfig>> {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .map_err(pki_error("generating a server key"))?;
        let common_name = names.first().cloned().unwrap_or_default();
        let mut params =
            CertificateParams::new(names).map_err(pki_error("server certificate names"))?;
        params.distinguished_name = distinguished_name(&common_name, "Meeting Doctor Lab");
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        params.not_before = not_before;
        params.not_after = not_after;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(pki_error("signing a server certificate"))?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(rustls_error("TLS protocol versions"))?
            .with_no_client_auth()
            .with_single_cert(
                // Leaf and issuing CA, as inspection boxes (and many servers) send them.
                vec![cert.der().clone(), self.der.clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .map_err(rustls_error("TLS server certificate"))?;
        Ok(Arc::new(config))
    }
}

fn distinguished_name(common_name: &str, organization: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name.push(DnType::OrganizationName, organization);
    name
}

/// The lab's certificate authorities and one server configuration per [`Kind`].
pub(crate) struct Pki {
    public_ca_pem: String,
    inspection_ca_pem: String,
    configs: Vec<Arc<ServerConfig>>,
}

impl Pki {
    pub(crate) fn generate(ip: IpAddr) -> io::Result<Pki> {
        let now = OffsetDateTime::now_utc();
        let day = time::Duration::days(1);
        let public = Ca::generate(PUBLIC_CA_NAME, "Lab Public Trust Services", now)?;
        let inspection = Ca::generate(INSPECTION_CA_NAME, INSPECTION_ORG, now)?;

        let mut names = vec!["localhost".to_owned(), Ipv4Addr::LOCALHOST.to_string()];
        if ip != IpAddr::V4(Ipv4Addr::LOCALHOST) {
            names.push(ip.to_string());
        }
        let (valid_from, valid_to) = (now - day, now + 365 * day);
        let mut configs = Vec::with_capacity(Kind::ALL.len());
        for kind in Kind::ALL {
            debug_assert_eq!(kind.index(), configs.len());
            let config = match kind {
                Kind::Public => public.server_config(names.clone(), valid_from, valid_to)?,
                Kind::Inspected => inspection.server_config(names.clone(), valid_from, valid_to)?,
                Kind::Expired => {
                    public.server_config(names.clone(), now - 90 * day, now - 30 * day)?
                }
                Kind::NotYetValid => {
                    public.server_config(names.clone(), now + 30 * day, now + 120 * day)?
                }
                Kind::WrongName => {
                    public.server_config(vec![WRONG_NAME.to_owned()], valid_from, valid_to)?
                }
            };
            configs.push(config);
        }
        Ok(Pki {
            public_ca_pem: public.pem,
            inspection_ca_pem: inspection.pem,
            configs,
        })
    }

    pub(crate) fn server_config(&self, kind: Kind) -> Arc<ServerConfig> {
        Arc::clone(&self.configs[kind.index()])
    }

    pub(crate) fn public_ca_pem(&self) -> &str {
        &self.public_ca_pem
    }

    pub(crate) fn inspection_ca_pem(&self) -> &str {
        &self.inspection_ca_pem
    }
}

/// A TLS server of one kind; after the handshake it serves the HTTP routes.
pub(crate) async fn serve(
    ctx: &Ctx,
    ip: IpAddr,
    kind: Kind,
    config: Arc<ServerConfig>,
) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind((ip, 0))
        .await
        .with_context(|| format!("binding the {kind:?} TLS server on {ip}"))?;
    let addr = listener.local_addr()?;
    let acceptor = TlsAcceptor::from(config);
    let task = ctx.accept_each(listener, move |stream, ctx| {
        let acceptor = acceptor.clone();
        async move {
            let stats = ctx.stats();
            bump(match kind {
                Kind::Public => &stats.tls_public_accepts,
                Kind::Inspected => &stats.tls_inspected_accepts,
                Kind::Expired => &stats.tls_expired_accepts,
                Kind::NotYetValid => &stats.tls_not_yet_valid_accepts,
                Kind::WrongName => &stats.tls_wrong_name_accepts,
            });
            // A failed handshake (the client rejected the certificate) just ends here.
            if let Ok(Ok(tls)) =
                tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
            {
                http::serve_connection(tls, &stats.https).await;
            }
        }
    });
    Ok((addr, task))
}
