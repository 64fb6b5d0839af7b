//! Logging in: each OAuth flow's request, the token kept between invocations, one new
//! token and one retry on a 401, and errors that never carry a secret.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use mockito::{Matcher, ServerGuard};
use serde_json::{Value, json};
use sf_core::error::SalesforceError;
use sf_core::{Error, Operation};
use sf_test_kit::Env;
use support::*;

const SECOND_TOKEN: &str = "00DTEST!access-token-two";
const SOQL: &str = "SELECT Id FROM Case WHERE CaseNumber = '00001026'";

fn lookup_parameters() -> Value {
    json!({"sf_object": "Case", "sf_fields": "Id", "CaseNumber": "00001026"})
}

async fn query_with(
    server: &mut ServerGuard,
    token: &str,
    status: usize,
    body: &str,
    hits: usize,
) -> mockito::Mock {
    server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::UrlEncoded("q".into(), SOQL.into()))
        .match_header("authorization", bearer(token).as_str())
        .with_status(status)
        .with_body(body)
        .expect(hits)
        .create_async()
        .await
}

fn one_case() -> String {
    query_answer(
        json!([record("Case", "5006g00000AaIs7AAF", json!({}))]),
        1,
        None,
    )
}

const EXPIRED: &str =
    r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#;

/// A token endpoint that hands out `tokens` in turn and records each request body.
async fn rotating_token_endpoint(
    server: &mut ServerGuard,
    tokens: &'static [&'static str],
) -> (mockito::Mock, Arc<Mutex<Vec<String>>>) {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    let served = AtomicUsize::new(0);
    let instance_url = server.url();
    let mock = server
        .mock("POST", "/services/oauth2/token")
        .with_status(200)
        .with_body_from_request(move |request| {
            seen.lock()
                .unwrap()
                .push(request.utf8_lossy_body().unwrap().into_owned());
            let turn = served.fetch_add(1, Ordering::SeqCst).min(tokens.len() - 1);
            json!({"access_token": tokens[turn], "instance_url": instance_url, "token_type": "Bearer"})
                .to_string()
                .into_bytes()
        })
        .create_async()
        .await;
    (mock, bodies)
}

#[tokio::test]
async fn one_login_serves_every_invocation() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await.expect(1);
    let query = query_with(&mut server, TOKEN, 200, &one_case(), 3).await;
    let function = function(Operation::Lookup, &server);
    for _ in 0..3 {
        invoke(&function, lookup_parameters()).await.unwrap();
    }
    token.assert_async().await;
    query.assert_async().await;
}

#[tokio::test]
async fn an_expired_session_gets_one_new_token_and_one_retry() {
    let mut server = mockito::Server::new_async().await;
    let (token, _) = rotating_token_endpoint(&mut server, &[TOKEN, SECOND_TOKEN]).await;
    let rejected = query_with(&mut server, TOKEN, 401, EXPIRED, 1).await;
    let accepted = query_with(&mut server, SECOND_TOKEN, 200, &one_case(), 2).await;
    let function = function(Operation::Lookup, &server);
    let answer = invoke(&function, lookup_parameters()).await.unwrap();
    assert_eq!(answer, json!({"Id": "5006g00000AaIs7AAF", "sf_count": "1"}));
    // The new token is kept for the next invocation.
    invoke(&function, lookup_parameters()).await.unwrap();
    rejected.assert_async().await;
    accepted.assert_async().await;
    token.expect(2).assert_async().await;
}

#[tokio::test]
async fn a_second_401_is_an_error_not_a_loop() {
    let mut server = mockito::Server::new_async().await;
    let (token, _) = rotating_token_endpoint(&mut server, &[TOKEN, SECOND_TOKEN]).await;
    query_with(&mut server, TOKEN, 401, EXPIRED, 1).await;
    let second = query_with(&mut server, SECOND_TOKEN, 401, EXPIRED, 1).await;
    let function = function(Operation::Lookup, &server);
    let error = invoke(&function, lookup_parameters()).await.unwrap_err();
    assert_eq!(
        error,
        Error::Salesforce {
            status: 401,
            errors: vec![SalesforceError::new(
                "INVALID_SESSION_ID",
                "Session expired or invalid"
            )]
        }
    );
    second.assert_async().await;
    token.expect(2).assert_async().await;
}

#[tokio::test]
async fn invalid_grant_is_a_clear_error_and_nothing_else_is_sent() {
    let mut server = mockito::Server::new_async().await;
    let token = server
        .mock("POST", "/services/oauth2/token")
        .with_status(400)
        .with_body(r#"{"error":"invalid_grant","error_description":"authentication failure"}"#)
        .expect(1)
        .create_async()
        .await;
    let query = query_with(&mut server, TOKEN, 200, &one_case(), 0).await;
    let function = function(Operation::Lookup, &server);
    let error = invoke(&function, lookup_parameters()).await.unwrap_err();
    assert_eq!(error.error_type(), "AuthenticationError");
    assert_eq!(
        error.to_string(),
        "Salesforce login failed (client_credentials flow): invalid_grant: authentication failure"
    );
    assert!(!error.to_string().contains("test-consumer-secret"));
    token.assert_async().await;
    query.assert_async().await;
}

#[tokio::test]
async fn a_failed_login_is_tried_again_on_the_next_invocation() {
    let mut server = mockito::Server::new_async().await;
    let down = server
        .mock("POST", "/services/oauth2/token")
        .with_status(503)
        .with_body("Service Unavailable")
        .expect(1)
        .create_async()
        .await;
    let function = function(Operation::Lookup, &server);
    let error = invoke(&function, lookup_parameters()).await.unwrap_err();
    assert!(matches!(error, Error::Authentication { .. }), "{error:?}");
    down.assert_async().await;
    token_endpoint(&mut server, TOKEN).await;
    query_with(&mut server, TOKEN, 200, &one_case(), 1).await;
    assert!(invoke(&function, lookup_parameters()).await.is_ok());
}

#[derive(serde::Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    exp: u64,
}

#[tokio::test]
async fn jwt_bearer_flow_sends_a_signed_assertion() {
    let mut server = mockito::Server::new_async().await;
    let (token, bodies) = rotating_token_endpoint(&mut server, &[TOKEN]).await;
    query_with(&mut server, TOKEN, 200, &one_case(), 1).await;
    let private_key = include_str!("fixtures/test-only-rsa-private-key.pem");
    let credentials =
        json!({"ConsumerKey": "3MVG9-connected-app", "Username": "integration@acme.example",
                             "PrivateKey": private_key})
        .to_string();
    let function = function_with(Operation::Lookup, &server, &credentials);
    invoke(&function, lookup_parameters()).await.unwrap();
    token.assert_async().await;

    let body = bodies.lock().unwrap()[0].clone();
    let form: Vec<(String, String)> = url_form(&body);
    assert_eq!(
        form[0],
        (
            "grant_type".into(),
            "urn:ietf:params:oauth:grant-type:jwt-bearer".into()
        )
    );
    assert_eq!(form[1].0, "assertion");
    assert_eq!(form.len(), 2);
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(include_bytes!(
        "fixtures/test-only-rsa-public-key.pem"
    ))
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["https://login.salesforce.com"]);
    validation.set_issuer(&["3MVG9-connected-app"]);
    let claims = jsonwebtoken::decode::<Claims>(&form[1].1, &key, &validation)
        .unwrap()
        .claims;
    assert_eq!(claims.sub, "integration@acme.example");
    assert_eq!(claims.iss, "3MVG9-connected-app");
    // A login URL on this machine is the local sandbox, which plays a production org.
    assert_eq!(claims.aud, "https://login.salesforce.com");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        claims.exp > now && claims.exp <= now + 180,
        "exp {} now {now}",
        claims.exp
    );
}

#[tokio::test]
async fn password_flow_sends_password_and_security_token_in_the_body() {
    let mut server = mockito::Server::new_async().await;
    let (token, bodies) = rotating_token_endpoint(&mut server, &[TOKEN]).await;
    query_with(&mut server, TOKEN, 200, &one_case(), 1).await;
    let credentials = r#"{"ConsumerKey":"ck","ConsumerSecret":"cs","Username":"u@acme.example",
                          "Password":"pass word&","AccessToken":"SECTOKEN"}"#;
    let function = function_with(Operation::Lookup, &server, credentials);
    invoke(&function, lookup_parameters()).await.unwrap();
    token.assert_async().await;
    let body = bodies.lock().unwrap()[0].clone();
    assert_eq!(
        url_form(&body),
        [
            ("grant_type", "password"),
            ("client_id", "ck"),
            ("client_secret", "cs"),
            ("username", "u@acme.example"),
            ("password", "pass word&SECTOKEN"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

#[tokio::test]
async fn a_cached_auth_token_is_used_before_logging_in() {
    let mut server = mockito::Server::new_async().await;
    let (token, _) = rotating_token_endpoint(&mut server, &[SECOND_TOKEN]).await;
    let cached = query_with(&mut server, "00DCACHED!token", 401, EXPIRED, 1).await;
    let fresh = query_with(&mut server, SECOND_TOKEN, 200, &one_case(), 1).await;
    let credentials =
        json!({"ConsumerKey": "test-consumer-key", "ConsumerSecret": "test-consumer-secret",
                             "AuthToken": "00DCACHED!token", "InstanceUrl": server.url()})
        .to_string();
    let function = function_with(Operation::Lookup, &server, &credentials);
    invoke(&function, lookup_parameters()).await.unwrap();
    cached.assert_async().await;
    fresh.assert_async().await;
    token.expect(1).assert_async().await;
}

#[tokio::test]
async fn a_cached_auth_token_that_works_needs_no_login() {
    let mut server = mockito::Server::new_async().await;
    let forbidden_login = server
        .mock("POST", "/services/oauth2/token")
        .expect(0)
        .create_async()
        .await;
    let query = query_with(&mut server, "00DCACHED!token", 200, &one_case(), 1).await;
    let credentials = json!({"ConsumerKey": "k", "ConsumerSecret": "s",
                             "AuthToken": "00DCACHED!token", "InstanceUrl": server.url()})
    .to_string();
    let function = function_with(Operation::Lookup, &server, &credentials);
    invoke(&function, lookup_parameters()).await.unwrap();
    query.assert_async().await;
    forbidden_login.assert_async().await;
}

#[tokio::test]
async fn warm_up_logs_in_before_the_first_invocation() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await.expect(1);
    query_with(&mut server, TOKEN, 200, &one_case(), 1).await;
    let function = function(Operation::Lookup, &server);
    function
        .salesforce()
        .warm_up(sf_core::deadline::Deadline::after(
            sf_core::deadline::CONNECT_BUDGET,
        ))
        .await
        .unwrap();
    token.assert_async().await;
    invoke(&function, lookup_parameters()).await.unwrap();
    token.assert_async().await;
}

#[tokio::test]
async fn an_unreachable_login_server_is_a_clear_error() {
    // A port that was just free: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let function = function_from(
        Operation::Lookup,
        &Env::new().login_url(url).credentials(CLIENT_CREDENTIALS),
    );
    let error = invoke(&function, lookup_parameters()).await.unwrap_err();
    assert_eq!(error.error_type(), "Unreachable", "{error}");
    assert!(error.to_string().contains("token endpoint"), "{error}");
    assert!(
        !error.to_string().contains("test-consumer-secret"),
        "{error}"
    );
}

#[tokio::test]
async fn sf_jwt_audience_sets_the_assertions_aud() {
    let mut server = mockito::Server::new_async().await;
    let (token, bodies) = rotating_token_endpoint(&mut server, &[TOKEN]).await;
    query_with(&mut server, TOKEN, 200, &one_case(), 1).await;
    let credentials = json!({"ConsumerKey": "3MVG9-connected-app", "Username": "u@acme.example",
        "PrivateKey": include_str!("fixtures/test-only-rsa-private-key.pem")});
    let function = function_from(
        Operation::Lookup,
        &Env::new()
            .login_url(server.url())
            .credentials(credentials)
            .jwt_audience("https://acme.my.site.com/support/"),
    );
    invoke(&function, lookup_parameters()).await.unwrap();
    token.assert_async().await;
    let body = bodies.lock().unwrap()[0].clone();
    let assertion = &url_form(&body)[1].1;
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(include_bytes!(
        "fixtures/test-only-rsa-public-key.pem"
    ))
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["https://acme.my.site.com/support"]);
    let claims = jsonwebtoken::decode::<Claims>(assertion, &key, &validation)
        .unwrap()
        .claims;
    assert_eq!(claims.aud, "https://acme.my.site.com/support");
}

/// The default `SF_LOGIN_URL` with a secret that has neither key nor password: the
/// client credentials flow, which Salesforce refuses at login.salesforce.com.
#[tokio::test]
async fn client_credentials_at_the_generic_login_url_is_refused_before_any_login() {
    for login_url in [None, Some("https://TEST.salesforce.com/")] {
        let mut env = Env::new().credentials(CLIENT_CREDENTIALS);
        if let Some(login_url) = login_url {
            env = env.login_url(login_url);
        }
        let function = function_from(Operation::Lookup, &env);
        let warm_up = function
            .salesforce()
            .warm_up(sf_core::deadline::Deadline::after(
                sf_core::deadline::CONNECT_BUDGET,
            ))
            .await
            .unwrap_err();
        let error = invoke(&function, lookup_parameters()).await.unwrap_err();
        assert_eq!(warm_up, error);
        assert_eq!(error.error_type(), "ConfigurationError", "{error}");
        let message = error.to_string();
        assert!(
            message.starts_with("invalid configuration `SF_LOGIN_URL`"),
            "{message}"
        );
        assert!(
            message.contains("https://<your-domain>.my.salesforce.com"),
            "{message}"
        );
        assert!(!message.contains("test-consumer-secret"), "{message}");
    }
}

/// A login URL that redirects, as a Lightning host does: the token request is not
/// repeated at the new address (a 307 would carry the secret there), and the error
/// names SF_LOGIN_URL and where it pointed.
#[tokio::test]
async fn a_login_url_that_redirects_is_a_configuration_error() {
    for status in [302, 307] {
        let mut server = mockito::Server::new_async().await;
        let elsewhere = format!("{}/elsewhere/services/oauth2/token", server.url());
        let login = server
            .mock("POST", "/services/oauth2/token")
            .with_status(status)
            .with_header("location", &elsewhere)
            .expect(1)
            .create_async()
            .await;
        let followed: Vec<mockito::Mock> = {
            let mut mocks = Vec::new();
            for method in ["GET", "POST"] {
                mocks.push(
                    server
                        .mock(method, "/elsewhere/services/oauth2/token")
                        .expect(0)
                        .create_async()
                        .await,
                );
            }
            mocks
        };
        let query = query_with(&mut server, TOKEN, 200, &one_case(), 0).await;
        let function = function(Operation::Lookup, &server);
        let error = invoke(&function, lookup_parameters()).await.unwrap_err();
        assert_eq!(
            error.error_type(),
            "ConfigurationError",
            "{status}: {error}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("invalid configuration `SF_LOGIN_URL`"),
            "{message}"
        );
        assert!(message.contains(&format!("HTTP {status}")), "{message}");
        assert!(message.contains("to 127.0.0.1"), "{message}");
        assert!(!message.contains("elsewhere"), "{message}");
        assert!(!message.contains("test-consumer-secret"), "{message}");
        login.assert_async().await;
        for mock in &followed {
            mock.assert_async().await;
        }
        query.assert_async().await;
    }
}

/// Only the token request refuses redirects: a data call keeps following one.
#[tokio::test]
async fn data_calls_still_follow_a_redirect() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let moved = format!("{}{}", server.url(), data_path("/moved"));
    server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::Any)
        .with_status(301)
        .with_header("location", &moved)
        .expect(1)
        .create_async()
        .await;
    let target = server
        .mock("GET", data_path("/moved").as_str())
        .with_status(200)
        .with_body(one_case())
        .expect(1)
        .create_async()
        .await;
    let function = function(Operation::Lookup, &server);
    let answer = invoke(&function, lookup_parameters()).await.unwrap();
    assert_eq!(answer, json!({"Id": "5006g00000AaIs7AAF", "sf_count": "1"}));
    target.assert_async().await;
}

fn url_form(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap()
}
