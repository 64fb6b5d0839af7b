//! Credentials read through the real `aws-sdk-ssm` client from a local AWS endpoint
//! (`moto_server`, installed into .venv by `make tools`): a SecureString parameter, a
//! Secrets Manager secret through `/aws/reference/secretsmanager/…`, and a missing
//! parameter that is reported clearly and recovered from once it exists.

mod support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_ssm::config::{BehaviorVersion, Credentials, Region};
use mockito::Matcher;
use serde_json::{Value, json};
use sf_core::credentials::CredentialsReader;
use sf_core::function::Function;
use sf_core::{Config, Error, Operation, Salesforce};
use support::*;

const REGION: &str = "us-east-1";

/// A moto_server child process on a free loopback port, stopped on drop.
struct Moto {
    child: Child,
    url: String,
}

impl Moto {
    fn start() -> Moto {
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start {program} ({error}): run `make tools`, or set MOTO_SERVER")
            });
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    /// One call of an AWS JSON 1.1 API. moto checks no signature, but reads the region
    /// and account from the Authorization header, so it must name the client's.
    async fn call(&self, service: &str, target: &str, body: Value) {
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/{REGION}/{service}/aws4_request, \
             SignedHeaders=host, Signature=0"
        );
        let response = reqwest::Client::new()
            .post(&self.url)
            .header("authorization", authorization)
            .header("x-amz-target", target)
            .header("content-type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{target}: {}",
            response.text().await.unwrap()
        );
    }

    async fn put_parameter(&self, name: &str, value: &str) {
        self.call(
            "ssm",
            "AmazonSSM.PutParameter",
            json!({"Name": name, "Value": value, "Type": "SecureString"}),
        )
        .await;
    }

    async fn create_secret(&self, name: &str, value: &str) {
        self.call(
            "secretsmanager",
            "secretsmanager.CreateSecret",
            json!({"Name": name, "SecretString": value}),
        )
        .await;
    }

    fn ssm_client(&self) -> aws_sdk_ssm::Client {
        let config = aws_sdk_ssm::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new(
                "AKIDTEST",
                "test-secret",
                None,
                None,
                "test",
            ))
            .endpoint_url(&self.url)
            .build();
        aws_sdk_ssm::Client::from_conf(config)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn function_reading(moto: &Moto, server: &mockito::ServerGuard, parameter: &str) -> Function {
    let login_url = server.url();
    let parameter = parameter.to_owned();
    let config = Config::from_lookup(move |name| match name {
        "SF_LOGIN_URL" => Some(login_url.clone()),
        "SF_CREDENTIALS_PARAMETER" => Some(parameter.clone()),
        _ => None,
    })
    .unwrap();
    let reader = CredentialsReader::with_ssm_client(&config, Some(moto.ssm_client()));
    Function::new(Operation::Lookup, Salesforce::new(&config, reader).unwrap())
}

async fn expect_lookup(server: &mut mockito::ServerGuard) -> mockito::Mock {
    server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::UrlEncoded(
            "q".into(),
            "SELECT Id FROM Contact".into(),
        ))
        .match_header("authorization", bearer(TOKEN).as_str())
        .with_body(query_answer(json!([]), 0, None))
        .expect(1)
        .create_async()
        .await
}

const LOOKUP: fn() -> Value = || json!({"sf_object": "Contact", "sf_fields": "Id"});

#[tokio::test(flavor = "multi_thread")]
async fn credentials_from_every_source_and_a_missing_parameter() {
    // One moto_server for the whole file: it takes a second or two to start.
    let moto = Moto::start();

    // A SecureString parameter, decrypted.
    moto.put_parameter("/connect/salesforce", CLIENT_CREDENTIALS)
        .await;
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await.expect(1);
    let query = expect_lookup(&mut server).await;
    let function = function_reading(&moto, &server, "/connect/salesforce");
    assert_eq!(
        invoke(&function, LOOKUP()).await.unwrap(),
        json!({"sf_count": "0"})
    );
    token.assert_async().await;
    query.assert_async().await;

    // A Secrets Manager secret, through Parameter Store's reference path.
    moto.create_secret("connect/salesforce-secret", CLIENT_CREDENTIALS)
        .await;
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await.expect(1);
    let query = expect_lookup(&mut server).await;
    let function = function_reading(
        &moto,
        &server,
        "/aws/reference/secretsmanager/connect/salesforce-secret",
    );
    assert_eq!(
        invoke(&function, LOOKUP()).await.unwrap(),
        json!({"sf_count": "0"})
    );
    token.assert_async().await;
    query.assert_async().await;

    // A parameter that does not exist yet: a clear error naming it, nothing sent to
    // Salesforce, and success once it has been created.
    let mut server = mockito::Server::new_async().await;
    let forbidden = forbid_requests(&mut server).await;
    let function = function_reading(&moto, &server, "/connect/not-yet");
    let error = invoke(&function, LOOKUP()).await.unwrap_err();
    assert!(matches!(error, Error::Credentials { .. }), "{error:?}");
    assert!(error.to_string().contains("`/connect/not-yet`"), "{error}");
    assert!(error.to_string().contains("not found"), "{error}");
    assert_all(&forbidden);
    moto.put_parameter("/connect/not-yet", CLIENT_CREDENTIALS)
        .await;
    let mut server2 = mockito::Server::new_async().await;
    token_endpoint(&mut server2, TOKEN).await;
    expect_lookup(&mut server2).await;
    // The function keeps its login URL; point a new one at the new server instead.
    let function = function_reading(&moto, &server2, "/connect/not-yet");
    assert!(invoke(&function, LOOKUP()).await.is_ok());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parameter_that_is_not_credentials_json_names_the_parameter_only() {
    let moto = Moto::start();
    moto.put_parameter("/connect/broken", "Password=hunter2")
        .await;
    let mut server = mockito::Server::new_async().await;
    let forbidden = forbid_requests(&mut server).await;
    let function = function_reading(&moto, &server, "/connect/broken");
    let error = invoke(&function, LOOKUP()).await.unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`/connect/broken`") && message.contains("not valid JSON"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
    assert_all(&forbidden);
}
