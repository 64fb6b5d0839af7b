//! Paths: unknown resources, API versions and methods, trailing slashes, and the
//! Versions resource.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

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

/// Client libraries (simple-salesforce among them) end resource paths with a slash,
/// and Salesforce accepts it on each resource.
#[tokio::test]
async fn a_trailing_slash_names_the_same_resource() {
    let sandbox = start().await;
    let (status, answer) = call_json(
        &sandbox,
        Method::GET,
        "/query/?q=SELECT+Id+FROM+Contact+LIMIT+2",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["totalSize"], 2);
    let (status, created) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Case/",
        Some(json!({"Subject": "Slash"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    let (status, record) = call_json(
        &sandbox,
        Method::GET,
        &format!("/sobjects/Case/{id}/"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(record["Subject"], "Slash");
    let (status, _) = call_json(
        &sandbox,
        Method::PATCH,
        &format!("/sobjects/Case/{id}/"),
        Some(json!({"Subject": "Slashed"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(sandbox.record("Case", id).unwrap()["Subject"], "Slashed");
    let (status, answer) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch/",
        Some(json!({"q": "Smith", "sobjects": [{"name": "Contact"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, _) = call_json(
        &sandbox,
        Method::DELETE,
        &format!("/sobjects/Case/{id}/"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(sandbox.record("Case", id).is_none());
}

/// "API End-of-Life Policy": 30.0 and older are retired (410 `GONE`); a version
/// after the org's release does not exist there (404).
#[tokio::test]
async fn retired_and_unreleased_versions_are_refused() {
    let sandbox = start().await;
    let token = sandbox.issue_token();
    let get = |version: &str| {
        Client::new()
            .get(format!(
                "{}/services/data/{version}/sobjects/Contact/{JIM_SMITH}",
                sandbox.url()
            ))
            .bearer_auth(&token)
            .send()
    };
    for retired in ["v30.0", "v20.0", "v7.0"] {
        let response = get(retired).await.unwrap();
        assert_eq!(response.status(), StatusCode::GONE, "{retired}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "GONE", "{retired}");
    }
    for unknown in ["v67.0", "v100.0", "v66.5"] {
        let response = get(unknown).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{unknown}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "NOT_FOUND", "{unknown}");
    }
    for served in ["v31.0", "v66.0"] {
        assert_eq!(
            get(served).await.unwrap().status(),
            StatusCode::OK,
            "{served}"
        );
    }
}

/// `GET /services/data/` lists every version served, without a token.
#[tokio::test]
async fn the_versions_resource_lists_31_to_the_latest_without_a_token() {
    let sandbox = start().await;
    for path in ["/services/data/", "/services/data"] {
        let response = Client::new()
            .get(format!("{}{path}", sandbox.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.headers().get("sforce-limit-info").is_none());
        let versions: Vec<Value> = response.json().await.unwrap();
        assert_eq!(versions.len(), 66 - 31 + 1);
        assert_eq!(
            versions[0],
            json!({"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"})
        );
        assert_eq!(
            versions.last().unwrap(),
            &json!({"label": "Spring '26", "url": "/services/data/v66.0", "version": "66.0"})
        );
    }
    assert_eq!(sandbox.stats().data_requests(), 0);
}
