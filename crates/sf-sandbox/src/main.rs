//! `sf-sandbox`: serves a local Salesforce stand-in until SIGINT/SIGTERM.
//! Prints its base URL as the first line of stdout. See `--help`.

use std::process::ExitCode;
use std::time::Duration;

use sf_sandbox::{Credentials, Sandbox, SandboxConfig, SeedData};

const HELP: &str = "\
sf-sandbox: a local Salesforce org speaking the REST wire protocol

Usage: sf-sandbox [OPTIONS]

Prints its base URL (e.g. http://127.0.0.1:41234) as the first line of stdout,
then serves on 127.0.0.1 until SIGINT or SIGTERM. Use the URL as both the login
URL and the instance URL.

Options:
  --port N                 port on 127.0.0.1; 0 picks a free one [default: 0]
  --data FILE              seed org JSON [default: the built-in sample org]
  --client-id ID           consumer key accepted [default: sandbox-consumer-key]
  --client-secret SECRET   consumer secret accepted [default: sandbox-consumer-secret]
  --username NAME          integration username [default: integration@sandbox.example]
  --password PASSWORD      password, without the security token [default: sandbox-password]
  --security-token TOKEN   security token appended to the password [default: SANDBOXTOKEN]
  --jwt-public-key FILE    PEM RSA public key for the JWT bearer grant
                           [default: the committed TEST-ONLY key,
                            crates/sf-sandbox/tests/fixtures/test-only-jwt-public-key.pem]
  --token-lifetime SECS    access token lifetime [default: 7200]
  --batch-size N           query records per batch [default: 2000]
  -h, --help               this text

Admin endpoints (no token needed):
  GET|POST /__sandbox/faults   e.g. {\"latencyMs\": 200, \"failNext\": {\"count\": 2, \"status\": 503},
                               \"inject\": {\"count\": 1, \"fault\": \"drop_connection\"},
                               \"expireTokens\": true, \"clear\": true}
                               faults: status:NNN, request_limit_exceeded, truncated_json,
                               drop_connection, drop_connection_after_processing
  GET|DELETE /__sandbox/stats  token and data request counts (DELETE resets)
";

fn parse_args(args: &[String]) -> Result<Option<SandboxConfig>, String> {
    let mut config = SandboxConfig::default();
    let mut credentials = Credentials::default();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .clone();
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--port" => {
                config.port =
                    u16::try_from(number(&value)?).map_err(|_| format!("--port: {value}"))?
            }
            "--data" => config.seed = SeedData::from_file(&value).map_err(|e| e.to_string())?,
            "--client-id" => credentials.client_id = value,
            "--client-secret" => credentials.client_secret = value,
            "--username" => credentials.username = value,
            "--password" => credentials.password = value,
            "--security-token" => credentials.security_token = value,
            "--jwt-public-key" => {
                let pem = std::fs::read_to_string(&value)
                    .map_err(|e| format!("--jwt-public-key {value}: {e}"))?;
                credentials.jwt_public_key_pem = Some(pem);
            }
            "--token-lifetime" => config.token_lifetime = Duration::from_secs(number(&value)?),
            "--batch-size" => config.batch_size = number(&value)? as usize,
            other => return Err(format!("unknown option {other} (see --help)")),
        }
    }
    config.credentials = credentials;
    Ok(Some(config))
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse_args(&args) {
        Ok(Some(config)) => config,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
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
