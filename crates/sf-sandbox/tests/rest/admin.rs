//! The sandbox's own controls: the admin endpoints and shutdown.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{JIM_SMITH, call, start};

#[tokio::test]
async fn admin_endpoint_sets_faults_and_reports_stats() {
    let sandbox = start().await;
    let client = Client::new();
    let admin = format!("{}/__sandbox/faults", sandbox.url());
    let state: Value = client
        .post(&admin)
        .json(&json!({"failNext": {"count": 1, "status": 503}, "inject": {"count": 1, "fault": "request_limit_exceeded"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state,
        json!({"latencyMs": 0, "pending": ["status:503", "request_limit_exceeded"]})
    );
    let path = format!("/sobjects/Contact/{JIM_SMITH}");
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::FORBIDDEN
    );
    let response = client
        .post(&admin)
        .json(&json!({"expireTokens": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bad = client
        .post(&admin)
        .json(&json!({"inject": {"fault": "nope"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let stats: Value = client
        .get(format!("{}/__sandbox/stats", sandbox.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["dataRequests"], 2);
    assert_eq!(stats["tokenRequests"], 0);
    assert_eq!(stats["requests"][0]["status"], 503);
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sandbox = start().await;
    let url = sandbox.token_url();
    sandbox.shutdown().await;
    assert!(Client::new().post(url).send().await.is_err());
}
