//! HTTPS, as Salesforce and AWS are only reachable over it: a certificate authority
//! made when a test (or `sf-sandbox --tls`) starts, and server certificates it signs for
//! `127.0.0.1` and `localhost`. Clients trust the CA through its PEM file (the
//! functions through `SSL_CERT_FILE`), so a test checks the certificate chain and the
//! host name exactly as a function does against Salesforce: nothing is switched off.
//!
//! The CA's key lives only in memory and only as long as the process: a certificate it
//! signed means nothing anywhere else.

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// The names every server certificate is valid for: the loopback address the servers
/// listen on, and its host name.
const SERVER_NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

/// A certificate authority for one test run.
pub struct TestCa {
    certificate_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// Why a certificate or the server's TLS configuration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("cannot make a test certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("cannot configure TLS: {0}")]
    Tls(#[from] rustls::Error),
}

impl TestCa {
    /// A new CA with a fresh ECDSA P-256 key.
    pub fn generate() -> Result<TestCa, CertificateError> {
        let mut params = CertificateParams::default();
        params
            .distinguished_name
            .push(DnType::CommonName, "sf-sandbox test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate()?;
        let certificate = params.self_signed(&key)?;
        Ok(TestCa {
            certificate_pem: certificate.pem(),
            issuer: Issuer::new(params, key),
        })
    }

    /// The CA's certificate, PEM: what a client trusts.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// Writes the CA's certificate (PEM) to `path`, for `SSL_CERT_FILE`.
    pub fn write_certificate(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, &self.certificate_pem)
    }

    /// A new server certificate for `127.0.0.1` and `localhost` signed by this CA,
    /// with its key.
    fn issue(&self) -> Result<(rcgen::Certificate, KeyPair), CertificateError> {
        let mut params = CertificateParams::new(SERVER_NAMES.map(String::from).to_vec())?;
        params
            .distinguished_name
            .push(DnType::CommonName, "sf-sandbox");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate()?;
        let certificate = params.signed_by(&key, &self.issuer)?;
        Ok((certificate, key))
    }

    /// A new server certificate and its private key (PKCS#8), both PEM, for a server
    /// that reads them from files (`moto_server --ssl-cert … --ssl-key …`).
    pub fn server_certificate_pem(&self) -> Result<(String, String), CertificateError> {
        let (certificate, key) = self.issue()?;
        Ok((certificate.pem(), key.serialize_pem()))
    }

    /// A TLS server configuration with a new certificate for `127.0.0.1` and
    /// `localhost` signed by this CA, offering HTTP/2 and HTTP/1.1 by ALPN.
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, CertificateError> {
        let (certificate, key) = self.issue()?;
        let chain = vec![certificate.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

impl fmt::Debug for TestCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestCa").finish_non_exhaustive()
    }
}

/// Serves `router` over TLS on `listener` until `stop` completes. Each connection's
/// handshake runs in its own task, so a slow client does not hold up the others; a
/// failed handshake closes only that connection.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: Arc<ServerConfig>,
    stop: impl Future<Output = ()>,
) {
    let acceptor = TlsAcceptor::from(config);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A failed accept (out of descriptors) is not the end of the server.
                Err(_) => continue,
            },
            () = &mut stop => return,
        };
        // As axum::serve does for plain HTTP: small TLS records are sent at once.
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let Ok(stream) = acceptor.accept(stream).await else {
                return;
            };
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .await;
        });
    }
}
