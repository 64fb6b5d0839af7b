//! The certificate authorities the functions trust for Salesforce and AWS, read once per
//! process from one PEM bundle: `SSL_CERT_FILE` when set, else the system's bundle
//! (on Lambda's Amazon Linux 2023 image `/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem`,
//! which `/etc/pki/tls/certs/ca-bundle.crt` links to), found as OpenSSL finds it
//! (`openssl-probe`).
//!
//! Left to themselves, reqwest (through rustls-platform-verifier) and the AWS SDK (through
//! rustls-native-certs) each load the system's CAs on their first connection: the
//! bundle file and then every file of the certificate directories (`/etc/ssl/certs`,
//! `/etc/pki/tls/certs`), which hold the same CAs again, one file each. Here the
//! bundle is read and parsed once, and both clients are handed the result.
//!
//! The directories are not read: on every distribution the bundle is generated from
//! the same trust store as they are (`update-ca-trust`, `update-ca-certificates`).
//! Where no bundle file exists at all, the roots come from rustls-native-certs as before.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// The CAs, read once.
struct Roots {
    store: Arc<RootCertStore>,
    /// The bundle's PEM text, for the AWS SDK (whose trust store takes PEM), when every
    /// certificate in it parsed; `None` leaves the SDK its own loader, which skips the
    /// ones that do not (its PEM path would panic on them).
    pem: Option<Vec<u8>>,
}

fn roots() -> &'static Roots {
    static ROOTS: OnceLock<Roots> = OnceLock::new();
    ROOTS.get_or_init(
        || match bundle_path().and_then(|path| std::fs::read(path).ok()) {
            Some(pem) => {
                let certificates: Vec<CertificateDer<'static>> =
                    CertificateDer::pem_slice_iter(&pem)
                        .filter_map(Result::ok)
                        .collect();
                let total = certificates.len();
                let mut store = RootCertStore::empty();
                let (added, _) = store.add_parsable_certificates(certificates);
                Roots {
                    store: Arc::new(store),
                    pem: (added == total).then_some(pem),
                }
            }
            None => {
                let mut store = RootCertStore::empty();
                store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                Roots {
                    store: Arc::new(store),
                    pem: None,
                }
            }
        },
    )
}

/// `SSL_CERT_FILE`, else the first system bundle that exists.
fn bundle_path() -> Option<PathBuf> {
    openssl_probe::probe().cert_file
}

/// The TLS configuration of the Salesforce client: the roots, aws-lc-rs (the one crypto
/// library of the functions), TLS 1.2 and 1.3, and HTTP/2 or HTTP/1.1 by ALPN, as
/// reqwest would offer them itself.
pub fn salesforce_tls() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("aws-lc-rs supports TLS 1.2 and 1.3")
        .with_root_certificates(Arc::clone(&roots().store))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config
}

/// The AWS SDK's HTTPS client (rustls on aws-lc-rs, as its default one), trusting the
/// same roots.
pub fn aws_http_client() -> aws_sdk_ssm::config::SharedHttpClient {
    let builder = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
    let context = roots().pem.as_ref().and_then(|pem| {
        let trust = TrustStore::empty().with_pem_certificate(pem.as_slice());
        TlsContext::builder().with_trust_store(trust).build().ok()
    });
    match context {
        Some(context) => builder.tls_context(context).build_https(),
        None => builder.build_https(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_bundle_gives_the_roots() {
        // Without CAs no function could reach Salesforce: this machine's bundle (or
        // SSL_CERT_FILE) must give some, each parsed.
        assert!(!roots().store.is_empty());
        assert!(roots().pem.is_some());
        let config = salesforce_tls();
        assert_eq!(
            config.alpn_protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }
}
