//! Credentials read through the real `aws-sdk-ssm` client from a local AWS endpoint
//! (`moto_server`, installed into .venv by `make tools`): a SecureString parameter, a
//! Secrets Manager secret through `/aws/reference/secretsmanager/…`, and a missing
//! parameter that is reported clearly and recovered from once it exists.

mod support;

use mockito::Matcher;
use serde_json::{Value, json};
use sf_core::credentials::CredentialsReader;
use sf_core::function::Function;
use sf_core::{Error, Operation, Salesforce};
use sf_test_kit::{Env, Moto};
use support::*;

fn function_reading(moto: &Moto, server: &mockito::ServerGuard, parameter: &str) -> Function {
    let config = config_from(
        &Env::new()
            .login_url(server.url())
            .credentials_parameter(parameter),
    );
    let reader = CredentialsReader::with_ssm_client(&config, Some(ssm_client(moto.url())));
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
