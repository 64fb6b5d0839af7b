//! Credential rotation: a warm container whose credentials the token endpoint refuses
//! reads them again from SSM and logs in with the new ones, without a restart. The token
//! endpoint (mockito) refuses the old consumer secret and accepts the new one; the
//! credentials live in an in-process Parameter Store endpoint that counts its calls, and
//! the test changes the parameter mid-run as an admin rotating the secret would.

mod support;

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::credentials::CredentialsReader;
use sf_core::deadline::{CONNECT_BUDGET, Deadline};
use sf_core::function::Function;
use sf_core::shared_token::SharedTokenStore;
use sf_core::{Config, Error, Operation, Salesforce};
use sf_test_kit::ParameterStore;
use support::*;

const PARAMETER: &str = "/connect/salesforce";
const TOKEN_PARAMETER: &str = "/connect/salesforce-token";
const OLD_SECRET: &str = "consumer-secret-before-rotation";
const NEW_SECRET: &str = "consumer-secret-after-rotation";
const OLD_TOKEN: &str = "00DTEST!token-of-the-old-secret";
const NEW_TOKEN: &str = "00DTEST!token-of-the-new-secret";
const SOQL: &str = "SELECT Id FROM Contact";

fn credentials(secret: &str) -> String {
    json!({"ConsumerKey": "test-consumer-key", "ConsumerSecret": secret}).to_string()
}

fn lookup() -> Value {
    json!({"sf_object": "Contact", "sf_fields": "Id"})
}

/// A container reading its credentials from `store`'s [`PARAMETER`], logging in at
/// `server`.
fn salesforce(server: &ServerGuard, store: &ParameterStore) -> Salesforce {
    let login_url = server.url();
    let config = Config::from_lookup(move |name| match name {
        "SF_LOGIN_URL" => Some(login_url.clone()),
        "SF_CREDENTIALS_PARAMETER" => Some(PARAMETER.to_owned()),
        _ => None,
    })
    .unwrap();
    let reader = CredentialsReader::with_ssm_client(&config, Some(ssm_client(store.url())));
    Salesforce::new(&config, reader).unwrap()
}

fn lookup_function(salesforce: Salesforce) -> Function {
    Function::new(Operation::Lookup, salesforce)
}

/// The token endpoint's answer to a login with `secret`: `access_token`, or (`None`)
/// Salesforce's refusal of a wrong consumer secret.
async fn login_with(
    server: &mut ServerGuard,
    secret: &str,
    access_token: Option<&str>,
    hits: usize,
) -> Mock {
    let mock = server
        .mock("POST", "/services/oauth2/token")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("grant_type".into(), "client_credentials".into()),
            Matcher::UrlEncoded("client_id".into(), "test-consumer-key".into()),
            Matcher::UrlEncoded("client_secret".into(), secret.into()),
        ]))
        .with_header("content-type", "application/json")
        .expect(hits);
    let mock = match access_token {
        Some(access_token) => mock.with_status(200).with_body(
            json!({"access_token": access_token, "instance_url": server.url(),
                "token_type": "Bearer"})
            .to_string(),
        ),
        None => mock.with_status(400).with_body(
            json!({"error": "invalid_client", "error_description": "invalid client credentials"})
                .to_string(),
        ),
    };
    mock.create_async().await
}

/// The lookup's query: answered for `token`, or 401 when `accepted` is false.
async fn query_with(server: &mut ServerGuard, token: &str, accepted: bool, hits: usize) -> Mock {
    let mock = server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::UrlEncoded("q".into(), SOQL.into()))
        .match_header("authorization", bearer(token).as_str())
        .expect(hits);
    let mock = if accepted {
        mock.with_body(query_answer(json!([]), 0, None))
    } else {
        mock.with_status(401).with_body(
            r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#,
        )
    };
    mock.create_async().await
}

fn assert_refused(error: &Error) {
    assert!(
        matches!(error, Error::Authentication { code, .. } if code == "invalid_client"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_rotated_secret_reaches_a_warm_container() {
    let store = ParameterStore::start().await;
    store.put(PARAMETER, &credentials(OLD_SECRET));
    let mut server = mockito::Server::new_async().await;
    let old_accepted = login_with(&mut server, OLD_SECRET, Some(OLD_TOKEN), 1).await;
    let old_query = query_with(&mut server, OLD_TOKEN, true, 1).await;
    let function = lookup_function(salesforce(&server, &store));
    assert_eq!(invoke(&function, lookup()).await.unwrap()["sf_count"], "0");
    old_accepted.assert_async().await;
    old_query.assert_async().await;
    assert_eq!(store.calls("GetParameter"), 1);

    // The admin regenerates the consumer secret: Salesforce ends the sessions and
    // refuses the old secret, and the new one is put in SSM.
    old_accepted.remove_async().await;
    old_query.remove_async().await;
    let old_refused = login_with(&mut server, OLD_SECRET, None, 1).await;
    let new_accepted = login_with(&mut server, NEW_SECRET, Some(NEW_TOKEN), 1).await;
    let ended = query_with(&mut server, OLD_TOKEN, false, 1).await;
    let new_query = query_with(&mut server, NEW_TOKEN, true, 2).await;
    store.put(PARAMETER, &credentials(NEW_SECRET));

    // The next invocation: a 401, a login the endpoint refuses, one read of SSM, a login
    // with the new secret and the query again.
    assert_eq!(invoke(&function, lookup()).await.unwrap()["sf_count"], "0");
    assert_eq!(store.calls("GetParameter"), 2);
    // The new credentials and token are kept: no SSM call, no login.
    assert_eq!(invoke(&function, lookup()).await.unwrap()["sf_count"], "0");
    assert_eq!(store.calls("GetParameter"), 2);
    old_refused.assert_async().await;
    new_accepted.assert_async().await;
    ended.assert_async().await;
    new_query.assert_async().await;
}

#[tokio::test]
async fn unchanged_credentials_are_not_tried_again_and_read_once_per_interval() {
    let store = ParameterStore::start().await;
    store.put(PARAMETER, &credentials(OLD_SECRET));
    let mut server = mockito::Server::new_async().await;
    // One login per invocation: a re-read that finds the same secret adds none.
    let refused = login_with(&mut server, OLD_SECRET, None, 3).await;
    let function = lookup_function(salesforce(&server, &store));

    assert_refused(&invoke(&function, lookup()).await.unwrap_err());
    // The first read, and one more after the refusal.
    assert_eq!(store.calls("GetParameter"), 2);
    // Refused again within the interval: SSM is not read again.
    for _ in 0..2 {
        assert_refused(&invoke(&function, lookup()).await.unwrap_err());
    }
    assert_eq!(store.calls("GetParameter"), 2);
    refused.assert_async().await;
}

#[tokio::test]
async fn a_rotated_value_that_is_not_credentials_is_reported_without_quoting_it() {
    let store = ParameterStore::start().await;
    store.put(PARAMETER, &credentials(OLD_SECRET));
    let mut server = mockito::Server::new_async().await;
    let refused = login_with(&mut server, OLD_SECRET, None, 2).await;
    let function = lookup_function(salesforce(&server, &store));
    function
        .salesforce()
        .warm_up(Deadline::after(CONNECT_BUDGET))
        .await
        .unwrap_err();
    store.put(PARAMETER, "ConsumerSecret=hunter2");
    let error = invoke(&function, lookup()).await.unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Credentials { .. }), "{error:?}");
    assert!(message.contains(PARAMETER), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert_eq!(store.calls("GetParameter"), 2);
    refused.assert_async().await;
}

#[tokio::test]
async fn the_warm_up_reads_once_and_leaves_the_reread_to_the_first_invocation() {
    let store = ParameterStore::start().await;
    store.put(PARAMETER, &credentials(OLD_SECRET));
    let mut server = mockito::Server::new_async().await;
    let refused = login_with(&mut server, OLD_SECRET, None, 2).await;
    let accepted = login_with(&mut server, NEW_SECRET, Some(NEW_TOKEN), 1).await;
    let query = query_with(&mut server, NEW_TOKEN, true, 1).await;
    let function = lookup_function(salesforce(&server, &store));

    // A cold start with a secret Salesforce no longer takes: the warm-up fails without
    // reading the credentials it has just read a second time.
    let error = function
        .salesforce()
        .warm_up(Deadline::after(CONNECT_BUDGET))
        .await
        .unwrap_err();
    assert_refused(&error);
    assert_eq!(store.calls("GetParameter"), 1);

    // The admin puts the new secret in SSM; the first invocation picks it up.
    store.put(PARAMETER, &credentials(NEW_SECRET));
    assert_eq!(invoke(&function, lookup()).await.unwrap()["sf_count"], "0");
    assert_eq!(store.calls("GetParameter"), 2);
    refused.assert_async().await;
    accepted.assert_async().await;
    query.assert_async().await;
}

#[tokio::test]
async fn inline_credentials_are_never_read_again() {
    let mut server = mockito::Server::new_async().await;
    let refused = login_with(&mut server, OLD_SECRET, None, 2).await;
    let function = function_with(Operation::Lookup, &server, &credentials(OLD_SECRET));
    for _ in 0..2 {
        assert_refused(&invoke(&function, lookup()).await.unwrap_err());
    }
    // One login per invocation, none repeated.
    refused.assert_async().await;
}

#[tokio::test]
async fn with_the_shared_token_store_one_container_rereads_and_logs_in_for_all() {
    let store = ParameterStore::start().await;
    store.put(PARAMETER, &credentials(OLD_SECRET));
    let mut server = mockito::Server::new_async().await;
    let old_accepted = login_with(&mut server, OLD_SECRET, Some(OLD_TOKEN), 1).await;
    let old_query = query_with(&mut server, OLD_TOKEN, true, 2).await;
    let containers: Vec<Function> =
        (0..2)
            .map(|_| {
                lookup_function(salesforce(&server, &store).with_shared_tokens(
                    SharedTokenStore::new(ssm_client(store.url()), TOKEN_PARAMETER),
                ))
            })
            .collect();
    for container in &containers {
        invoke(container, lookup()).await.unwrap();
    }
    old_accepted.assert_async().await;
    old_query.assert_async().await;

    old_accepted.remove_async().await;
    old_query.remove_async().await;
    let old_refused = login_with(&mut server, OLD_SECRET, None, 1).await;
    let new_accepted = login_with(&mut server, NEW_SECRET, Some(NEW_TOKEN), 1).await;
    let ended = query_with(&mut server, OLD_TOKEN, false, 2).await;
    let new_query = query_with(&mut server, NEW_TOKEN, true, 2).await;
    store.put(PARAMETER, &credentials(NEW_SECRET));

    // The first container re-reads and logs in with the new secret, and shares the
    // token; the second uses it without a login or a re-read of its own.
    for container in &containers {
        assert_eq!(invoke(container, lookup()).await.unwrap()["sf_count"], "0");
    }
    old_refused.assert_async().await;
    new_accepted.assert_async().await;
    ended.assert_async().await;
    new_query.assert_async().await;
    assert!(
        store
            .get(TOKEN_PARAMETER)
            .is_some_and(|stored| stored.contains(NEW_TOKEN))
    );
}
