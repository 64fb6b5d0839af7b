//! HTTPS for a test: one [`TestCa`] signs the certificates of the sandbox and of the
//! SSM endpoint, and its certificate sits in a file the functions trust through
//! `SSL_CERT_FILE`, as a Lambda function trusts the public CAs of its image.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sf_sandbox::TestCa;

use crate::Env;

/// A test CA and its certificate's file, removed when the last clone is dropped.
#[derive(Clone)]
pub struct Tls(Arc<Files>);

struct Files {
    ca: Arc<TestCa>,
    ca_file: PathBuf,
}

impl Tls {
    pub fn new() -> Tls {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let ca = TestCa::generate().expect("a test CA");
        let ca_file = std::env::temp_dir().join(format!(
            "sf-test-kit-ca-{}-{}.pem",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        ca.write_certificate(&ca_file)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", ca_file.display()));
        Tls(Arc::new(Files {
            ca: Arc::new(ca),
            ca_file,
        }))
    }

    pub fn ca(&self) -> &Arc<TestCa> {
        &self.0.ca
    }

    /// The CA's certificate (PEM).
    pub fn ca_file(&self) -> &Path {
        &self.0.ca_file
    }

    /// `SSL_CERT_FILE`: the CA is the only one a function trusts.
    pub fn env(&self) -> Env {
        Env::new().ssl_cert_file(self.ca_file().display())
    }

    /// A client for the tests themselves that trusts the CA (and nothing else).
    pub fn client(&self) -> reqwest::Client {
        let certificate = reqwest::Certificate::from_pem(self.0.ca.certificate_pem().as_bytes())
            .expect("the CA's PEM");
        reqwest::Client::builder()
            .tls_certs_only([certificate])
            .build()
            .expect("a client trusting the test CA")
    }
}

impl Default for Tls {
    fn default() -> Tls {
        Tls::new()
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.ca_file);
    }
}
