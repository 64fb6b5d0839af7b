//! Shared set-up for the HTTP tests: a mockito server standing in for both the login
//! server and the org's instance, and a function pointed at it.

#![allow(dead_code)] // each test file uses its own part of this module

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::credentials::CredentialsReader;
use sf_core::deadline::{CONNECT_BUDGET, Deadline};
use sf_core::function::Function;
use sf_core::{Config, Operation, Salesforce};

pub const TOKEN: &str = "00DTEST!access-token-one";
pub const CLIENT_CREDENTIALS: &str =
    r#"{"ConsumerKey":"test-consumer-key","ConsumerSecret":"test-consumer-secret"}"#;

pub fn config(server: &ServerGuard, credentials_json: &str) -> Config {
    let login_url = server.url();
    let credentials_json = credentials_json.to_owned();
    Config::from_lookup(move |name| match name {
        "SF_LOGIN_URL" => Some(login_url.clone()),
        "SF_CREDENTIALS" => Some(credentials_json.clone()),
        _ => None,
    })
    .unwrap()
}

pub fn function_with(
    operation: Operation,
    server: &ServerGuard,
    credentials_json: &str,
) -> Function {
    let config = config(server, credentials_json);
    let reader = CredentialsReader::with_ssm_client(&config, None);
    Function::new(operation, Salesforce::new(&config, reader).unwrap())
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

/// A real-shaped Connect event carrying `parameters`, with the nulls Connect sends.
pub fn event(parameters: Value) -> Value {
    json!({
        "Name": "ContactFlowEvent",
        "Details": {
            "ContactData": {
                "Attributes": {},
                "Channel": "VOICE",
                "ContactId": "5ca32fbd-8f92-46af-92a5-6b0f970f0efe",
                "CustomerEndpoint": {"Address": "+441122334455", "Type": "TELEPHONE_NUMBER"},
                "InitialContactId": "5ca32fbd-8f92-46af-92a5-6b0f970f0efe",
                "InitiationMethod": "INBOUND",
                "InstanceARN": "arn:aws:connect:eu-west-2:123456789012:instance/9308c2a1-9bc6-4cea-8290-6c0b4a6d38fa",
                "MediaStreams": null,
                "PreviousContactId": "5ca32fbd-8f92-46af-92a5-6b0f970f0efe",
                "Queue": null,
                "SystemEndpoint": {"Address": "+442033334444", "Type": "TELEPHONE_NUMBER"}
            },
            "Parameters": parameters
        }
    })
}

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
    use sf_e2e::moto;
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
