//! Each injected fault, as a client sees it, and what it leaves written.

use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sf_sandbox::Fault;

use crate::support::{
    JIM_SMITH, V, call, call_json, error_code, password_form, start, token_request,
};

#[tokio::test]
async fn fail_next_answers_the_status_then_recovers() {
    let sandbox = start().await;
    sandbox.faults().fail_next(2, 503);
    let path = format!("/sobjects/Contact/{JIM_SMITH}");
    for _ in 0..2 {
        let (status, body) = call_json(&sandbox, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(error_code(&body), "SERVER_UNAVAILABLE");
    }
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::OK
    );
    sandbox.faults().fail_next(1, 500);
    let (status, body) = call_json(&sandbox, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_code(&body), "UNKNOWN_EXCEPTION");
    let log = sandbox.stats().request_log();
    let statuses: Vec<Option<u16>> = log.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(503), Some(503), Some(200), Some(500)]);
}

#[tokio::test]
async fn failed_writes_are_not_processed() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox.faults().fail_next(1, 503);
    let (status, _) = call(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(json!({"Subject": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sandbox.records("Case").len(), before);
    assert_eq!(sandbox.stats().requests("POST", "/sobjects/Case"), 1);
}

#[tokio::test]
async fn request_limit_exceeded_answers_403() {
    let sandbox = start().await;
    sandbox.faults().inject_next(1, Fault::RequestLimitExceeded);
    let (status, body) = call_json(
        &sandbox,
        Method::GET,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!([{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}])
    );
}

#[tokio::test]
async fn truncated_json_is_processed_but_unreadable() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox.faults().inject_next(1, Fault::TruncatedJson);
    let (status, body) = call(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(json!({"Subject": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(!body.is_empty());
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    assert_eq!(sandbox.records("Case").len(), before + 1);
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error_and_nothing_is_written() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox.faults().inject_next(1, Fault::DropConnection);
    let result = Client::new()
        .post(format!("{}/services/data/{V}/sobjects/Case", sandbox.url()))
        .bearer_auth(sandbox.issue_token())
        .json(&json!({"Subject": "x"}))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(sandbox.records("Case").len(), before);
    assert_eq!(sandbox.stats().request_log()[0].status, None);
}

#[tokio::test]
async fn connection_dropped_after_processing_still_writes() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox
        .faults()
        .inject_next(1, Fault::DropConnectionAfterProcessing);
    let result = Client::new()
        .post(format!("{}/services/data/{V}/sobjects/Case", sandbox.url()))
        .bearer_auth(sandbox.issue_token())
        .json(&json!({"Subject": "x"}))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(sandbox.records("Case").len(), before + 1);
    assert_eq!(sandbox.stats().requests("POST", "/sobjects/Case"), 1);
}

#[tokio::test]
async fn latency_delays_but_does_not_fail_requests() {
    let sandbox = start().await;
    sandbox.faults().set_latency(Duration::from_millis(20));
    assert_eq!(sandbox.faults().latency(), Duration::from_millis(20));
    let (status, _) = token_request(&sandbox, &password_form()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        call(
            &sandbox,
            Method::GET,
            &format!("/sobjects/Contact/{JIM_SMITH}"),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    sandbox.faults().clear();
    assert_eq!(sandbox.faults().latency(), Duration::ZERO);
}
