//! The org's daily API allocation: `Sforce-Limit-Info` on every answer of a request
//! that reached the org, and `REQUEST_LIMIT_EXCEEDED` once it is spent.

use reqwest::{Client, StatusCode};
use serde_json::Value;
use sf_sandbox::{DEFAULT_DAILY_API_REQUESTS, SandboxConfig};

use crate::support::{JIM_SMITH, V, error_code, password_form, start, start_with, token_request};

async fn get(sandbox: &sf_sandbox::Sandbox, token: &str, path: &str) -> reqwest::Response {
    Client::new()
        .get(format!("{}/services/data/{V}{path}", sandbox.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn limit_info(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("Sforce-Limit-Info")
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn every_answer_counts_and_carries_the_usage() {
    let sandbox = start().await;
    let token = sandbox.issue_token();
    // A token request is not an API request.
    let (status, _) = token_request(&sandbox, &password_form()).await;
    assert_eq!(status, StatusCode::OK);
    let ok = get(&sandbox, &token, &format!("/sobjects/Contact/{JIM_SMITH}")).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        limit_info(&ok).as_deref(),
        Some(format!("api-usage=1/{DEFAULT_DAILY_API_REQUESTS}").as_str())
    );
    // A refused request that reached the org counts too.
    let missing = get(&sandbox, &token, "/sobjects/Contact/0038V000000zzzzAAA").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        limit_info(&missing).as_deref(),
        Some(format!("api-usage=2/{DEFAULT_DAILY_API_REQUESTS}").as_str())
    );
    // Without a valid session the request is no org's, and nothing is counted.
    let anonymous = get(&sandbox, "not-a-token", "/sobjects/Contact").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(limit_info(&anonymous), None);
    let third = get(&sandbox, &token, "/query?q=SELECT+Id+FROM+Case").await;
    assert_eq!(
        limit_info(&third).as_deref(),
        Some(format!("api-usage=3/{DEFAULT_DAILY_API_REQUESTS}").as_str())
    );
}

#[tokio::test]
async fn a_spent_allocation_answers_request_limit_exceeded() {
    let sandbox = start_with(SandboxConfig {
        daily_api_requests: 2,
        ..SandboxConfig::default()
    })
    .await;
    let token = sandbox.issue_token();
    for used in 1..=2 {
        let response = get(&sandbox, &token, &format!("/sobjects/Contact/{JIM_SMITH}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(limit_info(&response), Some(format!("api-usage={used}/2")));
    }
    let (status, created) = {
        let response = Client::new()
            .post(format!("{}/services/data/{V}/sobjects/Case", sandbox.url()))
            .bearer_auth(&token)
            .json(&serde_json::json!({"Subject": "over the limit"}))
            .send()
            .await
            .unwrap();
        assert_eq!(limit_info(&response).as_deref(), Some("api-usage=2/2"));
        (response.status(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&created), "REQUEST_LIMIT_EXCEEDED");
    assert_eq!(created[0]["message"], "TotalRequests Limit exceeded.");
    // Nothing was written.
    let subjects: Vec<Value> = sandbox
        .records("Case")
        .into_iter()
        .map(|r| r["Subject"].clone())
        .collect();
    assert!(!subjects.contains(&Value::from("over the limit")));
    // Logging in still works: the token endpoint is not an API request.
    let (status, _) = token_request(&sandbox, &password_form()).await;
    assert_eq!(status, StatusCode::OK);
}
