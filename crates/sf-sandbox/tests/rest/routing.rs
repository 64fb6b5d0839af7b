//! Unknown resources, API versions and methods.

use reqwest::{Client, Method, StatusCode};
use serde_json::json;

use crate::support::{JIM_SMITH, V, call_json, error_code, start};

#[tokio::test]
async fn unknown_resources_versions_and_methods() {
    let sandbox = start().await;
    let token = sandbox.issue_token();
    let get = |path: String| {
        let token = token.clone();
        async move {
            Client::new()
                .get(path)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        get(format!("{}/services/data/{V}/nope", sandbox.url())).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!(
            "{}/services/data/latest/sobjects/Contact/{JIM_SMITH}",
            sandbox.url()
        ))
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!(
            "{}/services/data/v58.0/sobjects/Contact/{JIM_SMITH}",
            sandbox.url()
        ))
        .await,
        StatusCode::OK
    );
    let (status, body) = call_json(
        &sandbox,
        Method::PUT,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(&body), "METHOD_NOT_ALLOWED");
}
