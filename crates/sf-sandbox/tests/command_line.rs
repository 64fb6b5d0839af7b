//! The `sf-sandbox` binary's command line: every flag that scripts, the README and
//! other crates' tests may pass is accepted and takes effect, `--help` names them
//! all, and a mistake exits 2 without serving.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use jsonwebtoken::{Algorithm, EncodingKey, Header, get_current_timestamp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const BINARY: &str = env!("CARGO_BIN_EXE_sf-sandbox");

const FLAGS: &[&str] = &[
    "--port",
    "--data",
    "--client-id",
    "--client-secret",
    "--username",
    "--password",
    "--security-token",
    "--jwt-public-key",
    "--jwt-audience",
    "--token-lifetime",
    "--batch-size",
    "--daily-api-requests",
    "--tls",
    "--ca-file",
];

/// A running binary, stopped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with `args` and answers it with the URL it printed first.
fn serve(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut url = String::new();
    BufReader::new(stdout).read_line(&mut url).unwrap();
    (running, url.trim().to_string())
}

#[tokio::test]
async fn every_flag_is_accepted_and_takes_effect() {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let data = format!("{manifest}/data/sample-org.json");
    let key = format!("{manifest}/tests/fixtures/test-only-jwt-public-key.pem");
    let (_running, url) = serve(&[
        "--port",
        "0",
        "--data",
        &data,
        "--client-id",
        "cli-key",
        "--client-secret",
        "cli-secret",
        "--username",
        "cli@sandbox.example",
        "--password",
        "cli-password",
        "--security-token",
        "CLITOKEN",
        "--jwt-public-key",
        &key,
        "--jwt-audience",
        "https://test.salesforce.com",
        "--token-lifetime",
        "60",
        "--batch-size",
        "1",
        "--daily-api-requests",
        "500",
    ]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let client = Client::new();
    let token: Value = client
        .post(format!("{url}/services/oauth2/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", "cli-key"),
            ("client_secret", "cli-secret"),
            ("username", "cli@sandbox.example"),
            ("password", "cli-passwordCLITOKEN"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access_token = token["access_token"].as_str().unwrap();
    let response = client
        .get(format!("{url}/services/data/v66.0/query"))
        .query(&[("q", "SELECT Id FROM Contact")])
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    // --daily-api-requests 500: the org's allocation.
    assert_eq!(response.headers()["sforce-limit-info"], "api-usage=1/500");
    let answer: Value = response.json().await.unwrap();
    // --batch-size 1: one record per batch, the rest behind nextRecordsUrl.
    assert_eq!(answer["records"].as_array().unwrap().len(), 1);
    assert_eq!(answer["done"], false);
    // --jwt-audience: the JWT grant wants the sandbox org kind's login server.
    let key = EncodingKey::from_rsa_pem(sf_sandbox::TEST_JWT_PRIVATE_KEY_PEM.as_bytes()).unwrap();
    for (aud, expected) in [
        ("https://test.salesforce.com", StatusCode::OK),
        ("https://login.salesforce.com", StatusCode::BAD_REQUEST),
    ] {
        let claims = json!({
            "iss": "cli-key",
            "sub": "cli@sandbox.example",
            "aud": aud,
            "exp": get_current_timestamp() + 180,
        });
        let assertion =
            jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap();
        let response = client
            .post(format!("{url}/services/oauth2/token"))
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{aud}");
    }
}

#[tokio::test]
async fn default_credentials_need_no_flags() {
    let (_running, url) = serve(&["--port", "0"]);
    let response = Client::new()
        .post(format!("{url}/services/oauth2/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", sf_sandbox::DEFAULT_CLIENT_ID),
            ("client_secret", sf_sandbox::DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn tls_serves_https_with_a_certificate_from_the_written_ca() {
    let ca_file = std::env::temp_dir().join(format!("sf-sandbox-ca-{}.pem", std::process::id()));
    let (_running, url) = serve(&["--tls", "--ca-file", ca_file.to_str().unwrap()]);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let ca = std::fs::read(&ca_file).unwrap();
    std::fs::remove_file(&ca_file).unwrap();
    let trusting = Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&ca).unwrap()])
        .build()
        .unwrap();
    let login = |client: &Client, base: &str| {
        client
            .post(format!("{base}/services/oauth2/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", sf_sandbox::DEFAULT_CLIENT_ID),
                ("client_secret", sf_sandbox::DEFAULT_CLIENT_SECRET),
            ])
            .send()
    };
    let token: Value = login(&trusting, &url).await.unwrap().json().await.unwrap();
    // Tokens send the client back to the org over HTTPS.
    assert_eq!(token["instance_url"], url.as_str());
    let response = trusting
        .get(format!("{url}/services/data/v66.0/query"))
        .query(&[("q", "SELECT Id FROM Contact")])
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // The certificate names localhost too.
    let port = url.rsplit(':').next().unwrap();
    let by_name = login(&trusting, &format!("https://localhost:{port}"))
        .await
        .unwrap();
    assert_eq!(by_name.status(), StatusCode::OK);
    // A client that does not trust the CA is refused the handshake, and plain HTTP
    // is not served beside HTTPS.
    let system_roots_only = login(&Client::new(), &url).await.unwrap_err();
    assert!(system_roots_only.is_connect(), "{system_roots_only:?}");
    let plain = login(&Client::new(), &url.replacen("https", "http", 1)).await;
    assert!(plain.is_err(), "{plain:?}");
}

#[test]
fn help_names_every_flag_and_the_admin_endpoints() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in FLAGS {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
    assert!(help.contains("/__sandbox/faults"));
    assert!(help.contains("/__sandbox/stats"));
}

#[test]
fn mistakes_exit_2_without_serving() {
    for args in [
        &["--bogus", "1"][..],
        &["--port"],
        &["--port", "70000"],
        &["--batch-size", "many"],
        &["--data", "/nonexistent/seed.json"],
        &["--jwt-public-key", "/nonexistent/key.pem"],
        // --tls and --ca-file need each other: a CA nobody can read is of no use.
        &["--tls"],
        &["--ca-file", "/tmp/sf-sandbox-unused-ca.pem"],
        &["--tls", "--ca-file", "/nonexistent/dir/ca.pem"],
    ] {
        let output = Command::new(BINARY).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
