//! `sf-sandbox`: serves a local Salesforce stand-in until SIGINT/SIGTERM.
//! Prints its base URL as the first line of stdout. See `--help`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use sf_sandbox::{
    Credentials, DEFAULT_BATCH_SIZE, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    DEFAULT_DAILY_API_REQUESTS, DEFAULT_PASSWORD, DEFAULT_SECURITY_TOKEN, DEFAULT_TOKEN_LIFETIME,
    DEFAULT_USERNAME, PRODUCTION_JWT_AUDIENCE, Sandbox, SandboxConfig, SeedData, TestCa,
};

const ADMIN_HELP: &str = "\
Admin endpoints (no token needed):
  GET|POST /__sandbox/faults   e.g. {\"latencyMs\": 200, \"failNext\": {\"count\": 2, \"status\": 503},
                               \"inject\": {\"count\": 1, \"fault\": \"drop_connection\"},
                               \"expireTokens\": true, \"clear\": true}
                               faults: status:NNN, request_limit_exceeded, truncated_json,
                               drop_connection, drop_connection_after_processing
  GET|DELETE /__sandbox/stats  token and data request counts (DELETE resets)";

/// A local Salesforce org speaking the REST wire protocol.
///
/// Prints its base URL (e.g. http://127.0.0.1:41234, https://… with --tls) as the
/// first line of stdout,
/// then serves on 127.0.0.1 until SIGINT or SIGTERM. Use the URL as both the login
/// URL and the instance URL.
// A flag given twice takes its last value, as the hand-written parser did.
#[derive(Parser)]
#[command(name = "sf-sandbox", args_override_self = true, after_help = ADMIN_HELP)]
struct Args {
    /// Port on 127.0.0.1; 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// Seed org JSON [default: the built-in sample org]
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Consumer key accepted
    #[arg(long, value_name = "ID", default_value = DEFAULT_CLIENT_ID)]
    client_id: String,
    /// Consumer secret accepted
    #[arg(long, value_name = "SECRET", default_value = DEFAULT_CLIENT_SECRET)]
    client_secret: String,
    /// Integration username
    #[arg(long, value_name = "NAME", default_value = DEFAULT_USERNAME)]
    username: String,
    /// Password, without the security token
    #[arg(long, value_name = "PASSWORD", default_value = DEFAULT_PASSWORD)]
    password: String,
    /// Security token appended to the password
    #[arg(long, value_name = "TOKEN", default_value = DEFAULT_SECURITY_TOKEN)]
    security_token: String,
    /// PEM RSA public key for the JWT bearer grant [default: the committed
    /// TEST-ONLY key, crates/sf-sandbox/tests/fixtures/test-only-jwt-public-key.pem]
    #[arg(long, value_name = "FILE")]
    jwt_public_key: Option<PathBuf>,
    /// The only `aud` the JWT bearer grant accepts: the org kind's login server
    /// (a production org's by default; https://test.salesforce.com to play a
    /// sandbox or scratch org, the site URL to play an Experience Cloud site)
    #[arg(long, value_name = "URL", default_value = PRODUCTION_JWT_AUDIENCE)]
    jwt_audience: String,
    /// Access token lifetime in seconds
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TOKEN_LIFETIME.as_secs())]
    token_lifetime: u64,
    /// Query records per batch
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE)]
    batch_size: usize,
    /// The org's daily API request allocation; once spent, data requests answer 403
    /// REQUEST_LIMIT_EXCEEDED [default: an Enterprise Edition org's base allocation]
    #[arg(long, value_name = "N", default_value_t = DEFAULT_DAILY_API_REQUESTS)]
    daily_api_requests: u64,
    /// Serve HTTPS instead of HTTP, with a certificate for 127.0.0.1 and localhost
    /// signed by a CA made at start-up (its certificate written to --ca-file)
    #[arg(long, requires = "ca_file")]
    tls: bool,
    /// Where --tls writes its CA's certificate (PEM), for clients to trust, e.g.
    /// through SSL_CERT_FILE
    #[arg(long, value_name = "FILE", requires = "tls")]
    ca_file: Option<PathBuf>,
}

impl Args {
    /// The sandbox these arguments describe, or why the files they name are unusable.
    fn into_config(self) -> Result<SandboxConfig, String> {
        let mut credentials = Credentials {
            client_id: self.client_id,
            client_secret: self.client_secret,
            username: self.username,
            password: self.password,
            security_token: self.security_token,
            jwt_audience: self.jwt_audience,
            ..Credentials::default()
        };
        if let Some(path) = self.jwt_public_key {
            let pem = std::fs::read_to_string(&path)
                .map_err(|e| format!("--jwt-public-key {}: {e}", path.display()))?;
            credentials.jwt_public_key_pem = Some(pem);
        }
        let seed = match self.data {
            Some(path) => SeedData::from_file(path).map_err(|e| e.to_string())?,
            None => SeedData::sample(),
        };
        let tls = match self.ca_file {
            Some(path) => {
                let ca = TestCa::generate().map_err(|e| e.to_string())?;
                ca.write_certificate(&path)
                    .map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
                Some(Arc::new(ca))
            }
            None => None,
        };
        Ok(SandboxConfig {
            port: self.port,
            credentials,
            token_lifetime: Duration::from_secs(self.token_lifetime),
            batch_size: self.batch_size,
            daily_api_requests: self.daily_api_requests,
            seed,
            tls,
        })
    }
}

async fn wait_for_signal() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler installs");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = match Args::parse().into_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("sf-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("sf-sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", sandbox.url());
    wait_for_signal().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
