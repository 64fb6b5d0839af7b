//! Access tokens on data requests: missing, unknown, expired, and their lifetime.

use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sf_sandbox::SandboxConfig;

use crate::support::{JIM_SMITH, V, call, call_with_token, start, start_with};

#[tokio::test]
async fn missing_or_unknown_token_is_invalid_session() {
    let sandbox = start().await;
    let url = format!(
        "{}/services/data/{V}/sobjects/Contact/{JIM_SMITH}",
        sandbox.url()
    );
    let response = Client::new().get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    );
    let (status, _) = call_with_token(
        &sandbox,
        "00D!forged",
        Method::GET,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_answer_401_after_expiry() {
    let sandbox = start().await;
    let token = sandbox.issue_token();
    let path = format!("/sobjects/Contact/{JIM_SMITH}");
    assert_eq!(
        call_with_token(&sandbox, &token, Method::GET, &path, None)
            .await
            .0,
        StatusCode::OK
    );
    sandbox.faults().expire_tokens();
    let (status, body) = call_with_token(&sandbox, &token, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("INVALID_SESSION_ID"));
    // A token issued after the expiry works.
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn token_lifetime_is_configurable() {
    let sandbox = start_with(SandboxConfig {
        token_lifetime: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let (status, _) = call(
        &sandbox,
        Method::GET,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
