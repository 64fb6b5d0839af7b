//! Shared set-up for the HTTP tests: a mockito server standing in for both the login
//! server and the org's instance, and a function pointed at it.

#![allow(dead_code)] // each test file uses its own part of this module

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::credentials::CredentialsReader;
use sf_core::deadline::{CONNECT_BUDGET, Deadline};
use sf_core::function::Function;
use sf_core::{Config, Operation, Salesforce};
use sf_test_kit::Env;

pub const TOKEN: &str = "00DTEST!access-token-one";
pub const CLIENT_CREDENTIALS: &str =
    r#"{"ConsumerKey":"test-consumer-key","ConsumerSecret":"test-consumer-secret"}"#;

/// The environment of a function logging in at `server` with `credentials_json`.
pub fn env(server: &ServerGuard, credentials_json: &str) -> Env {
    Env::new()
        .login_url(server.url())
        .credentials(credentials_json)
}

/// The configuration `env` makes, which must be valid.
pub fn config_from(env: &Env) -> Config {
    Config::from_lookup(env.lookup()).unwrap()
}

/// A function of `operation` configured by `env` alone, reading no SSM.
pub fn function_from(operation: Operation, env: &Env) -> Function {
    let config = config_from(env);
    let reader = CredentialsReader::with_ssm_client(&config, None);
    Function::new(operation, Salesforce::new(&config, reader).unwrap())
}

/// A lookup function whose environment is `env` (and nothing else).
pub fn function_from_env(env: &[(&'static str, String)]) -> Function {
    function_from(Operation::Lookup, &Env::from(env.to_vec()))
}

pub fn config(server: &ServerGuard, credentials_json: &str) -> Config {
    config_from(&env(server, credentials_json))
}

pub fn function_with(
    operation: Operation,
    server: &ServerGuard,
    credentials_json: &str,
) -> Function {
    function_from(operation, &env(server, credentials_json))
}

/// A function logging in with the client credentials flow.
pub fn function(operation: Operation, server: &ServerGuard) -> Function {
    function_with(operation, server, CLIENT_CREDENTIALS)
}

/// The token endpoint answering `access_token` for the client credentials flow.
pub async fn token_endpoint(server: &mut ServerGuard, access_token: &str) -> Mock {
    let body = json!({
        "access_token": access_token,
        "instance_url": server.url(),
        "id": "https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA",
        "token_type": "Bearer",
        "issued_at": "1716900000000",
        "signature": "c2lnbmF0dXJl"
    });
    server
        .mock("POST", "/services/oauth2/token")
        .match_header("content-type", "application/x-www-form-urlencoded")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("grant_type".into(), "client_credentials".into()),
            Matcher::UrlEncoded("client_id".into(), "test-consumer-key".into()),
            Matcher::UrlEncoded("client_secret".into(), "test-consumer-secret".into()),
        ]))
        .with_status(200)
        .with_header("content-type", "application/json")
        .with_body(body.to_string())
        .create_async()
        .await
}

/// A real-shaped Connect event carrying `parameters` (the test kit's).
pub use sf_test_kit::event;

pub async fn invoke(function: &Function, parameters: Value) -> sf_core::Result<Value> {
    function
        .handle(event(parameters), Deadline::after(CONNECT_BUDGET))
        .await
}

pub fn data_path(rest: &str) -> String {
    format!("/services/data/v66.0{rest}")
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Mocks that fail the test if any data or token request reaches the server.
pub async fn forbid_requests(server: &mut ServerGuard) -> Vec<Mock> {
    let mut mocks = Vec::new();
    for method in ["GET", "POST", "PATCH", "DELETE", "PUT"] {
        mocks.push(
            server
                .mock(method, Matcher::Any)
                .expect(0)
                .create_async()
                .await,
        );
    }
    mocks
}

pub fn assert_all(mocks: &[Mock]) {
    for mock in mocks {
        mock.assert();
    }
}

/// Runs `parameters` against a server that fails the test on any request, and checks
/// the error is a parameter error naming `named`.
pub async fn assert_refused(
    operation: Operation,
    parameters: Value,
    named: &str,
) -> sf_core::Error {
    let mut server = mockito::Server::new_async().await;
    let forbidden = forbid_requests(&mut server).await;
    let function = function(operation, &server);
    let error = invoke(&function, parameters.clone()).await.unwrap_err();
    assert!(
        matches!(
            error,
            sf_core::Error::MissingParameter { .. } | sf_core::Error::InvalidParameter { .. }
        ),
        "{parameters}: {error:?}"
    );
    assert!(
        error.to_string().contains(&format!("`{named}`")),
        "{parameters}: {error}"
    );
    assert_all(&forbidden);
    error
}

/// A query answer as Salesforce sends it.
pub fn query_answer(records: Value, total_size: usize, next: Option<&str>) -> String {
    let mut body = json!({"totalSize": total_size, "done": next.is_none(), "records": records});
    if let Some(next) = next {
        body["nextRecordsUrl"] = json!(next);
    }
    body.to_string()
}

pub fn record(object: &str, id: &str, fields: Value) -> Value {
    let mut record = json!({
        "attributes": {"type": object, "url": format!("/services/data/v66.0/sobjects/{object}/{id}")},
        "Id": id
    });
    for (key, value) in fields.as_object().unwrap() {
        record[key] = value.clone();
    }
    record
}

/// An SSM client of the SDK pointed at a local endpoint (`moto_server`, or the
/// harness's `ParameterStore`).
pub fn ssm_client(endpoint: &str) -> aws_sdk_ssm::Client {
    use aws_sdk_ssm::config::{BehaviorVersion, Credentials, Region};
    use sf_test_kit::moto;
    let config = aws_sdk_ssm::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(moto::REGION))
        .credentials_provider(Credentials::new(
            moto::ACCESS_KEY_ID,
            moto::SECRET_ACCESS_KEY,
            None,
            None,
            "test",
        ))
        .endpoint_url(endpoint)
        .build();
    aws_sdk_ssm::Client::from_conf(config)
}
