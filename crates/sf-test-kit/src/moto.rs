//! `moto_server`, a local stand-in for AWS's SSM and Secrets Manager endpoints, as a
//! child process on a free loopback port (installed into .venv by `make tools`), over
//! HTTP or HTTPS.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::port::free_port;
use crate::{Env, Tls};

/// The region every client of the tests uses: moto keeps data per region.
pub const REGION: &str = "us-east-1";
pub const ACCESS_KEY_ID: &str = "AKIDLOCALTEST";
pub const SECRET_ACCESS_KEY: &str = "local-test-secret";

/// The variables that point an AWS SDK at the endpoint `url`, with the test identity.
pub fn aws_env(url: &str) -> Env {
    Env::new().aws_endpoint(url)
}

/// A moto_server child process, stopped on drop.
pub struct Moto {
    child: Child,
    url: String,
    /// The tests' own client, trusting the CA when moto serves HTTPS.
    client: reqwest::Client,
    /// The certificate and key files of an HTTPS moto, removed on drop.
    tls_files: Vec<PathBuf>,
}

impl Moto {
    /// Starts `moto_server` and waits until it accepts connections. The program is
    /// `$MOTO_SERVER` when set, else the one `make tools` installs into the workspace's
    /// `.venv`, else `moto_server` on the PATH, so a bare `cargo test` finds it too.
    pub fn start() -> Moto {
        Self::start_on(free_port())
    }

    /// [`Moto::start`] on `port`, for tests where a client was pointed at the endpoint
    /// before it was up.
    pub fn start_on(port: u16) -> Moto {
        Self::run(port, None)
    }

    /// [`Moto::start`] serving HTTPS with a certificate signed by `tls`'s CA (moto's
    /// `--ssl-cert` and `--ssl-key`).
    pub fn start_tls(tls: &Tls) -> Moto {
        Self::run(free_port(), Some(tls))
    }

    fn run(port: u16, tls: Option<&Tls>) -> Moto {
        let program = program();
        let mut command = Command::new(&program);
        command.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
        let mut tls_files = Vec::new();
        if let Some(tls) = tls {
            let (certificate, key) = tls.ca().server_certificate_pem().unwrap();
            let stem = tls.ca_file().with_extension("");
            let (certificate_file, key_file) = (
                PathBuf::from(format!("{}-moto-{port}.pem", stem.display())),
                PathBuf::from(format!("{}-moto-{port}.key", stem.display())),
            );
            std::fs::write(&certificate_file, certificate).unwrap();
            std::fs::write(&key_file, key).unwrap();
            command.arg("--ssl-cert").arg(&certificate_file);
            command.arg("--ssl-key").arg(&key_file);
            tls_files = vec![certificate_file, key_file];
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot start {} ({error}): run `make tools` once (it installs moto into .venv), or set MOTO_SERVER",
                    program.display()
                )
            });
        let (scheme, client) = match tls {
            Some(tls) => ("https", tls.client()),
            None => ("http", reqwest::Client::new()),
        };
        let moto = Moto {
            child,
            url: format!("{scheme}://127.0.0.1:{port}"),
            client,
            tls_files,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The variables that point an AWS SDK at this endpoint.
    pub fn aws_env(&self) -> Env {
        aws_env(&self.url)
    }

    /// One call of an AWS JSON 1.1 API. moto checks no signature, but reads the region
    /// and account from the Authorization header, so it must name the clients'.
    pub async fn call(&self, service: &str, target: &str, body: Value) -> Value {
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/20260101/{REGION}/{service}/aws4_request, \
             SignedHeaders=host, Signature=0"
        );
        let response = self
            .client
            .post(&self.url)
            .header("authorization", authorization)
            .header("x-amz-target", target)
            .header("content-type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{target}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A SecureString parameter.
    pub async fn put_parameter(&self, name: &str, value: &str) {
        self.call(
            "ssm",
            "AmazonSSM.PutParameter",
            json!({"Name": name, "Value": value, "Type": "SecureString", "Overwrite": true}),
        )
        .await;
    }

    /// A Secrets Manager secret, readable through `/aws/reference/secretsmanager/<name>`.
    pub async fn create_secret(&self, name: &str, value: &str) {
        self.call(
            "secretsmanager",
            "secretsmanager.CreateSecret",
            json!({"Name": name, "SecretString": value}),
        )
        .await;
    }
}

/// The `moto_server` to run: `$MOTO_SERVER`, `.venv/bin/moto_server` of the workspace,
/// or the PATH's.
fn program() -> PathBuf {
    if let Some(program) = std::env::var_os("MOTO_SERVER") {
        return program.into();
    }
    let installed = crate::workspace_root().join(".venv/bin/moto_server");
    if installed.exists() {
        installed
    } else {
        "moto_server".into()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for file in &self.tls_files {
            let _ = std::fs::remove_file(file);
        }
    }
}
