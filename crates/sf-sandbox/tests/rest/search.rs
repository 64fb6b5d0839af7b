//! `POST /parameterizedSearch`: phone and text matching, `where`, limits, scopes, refusals.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{JIM_SMITH, OLIVIA_BROWN, V, call_json, error_code, start};

#[tokio::test]
async fn search_in_phone_fields_matches_digits_in_any_punctuation() {
    let sandbox = start().await;
    let request = json!({
        "q": "1122334455",
        "fields": ["Id", "Name", "Account.Name"],
        "sobjects": [{"name": "Contact"}],
        "in": "PHONE",
    });
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(request),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "searchRecords": [{
                "attributes": {"type": "Contact", "url": format!("/services/data/{V}/sobjects/Contact/{OLIVIA_BROWN}")},
                "Id": OLIVIA_BROWN,
                "Name": "Olivia Brown",
                "Account": {
                    "attributes": {"type": "Account", "url": format!("/services/data/{V}/sobjects/Account/0018V0000000002QAA")},
                    "Name": "Globex Ltd",
                },
            }],
            "metadata": {},
        })
    );
}

#[tokio::test]
async fn search_honours_where_limits_and_scope() {
    let sandbox = start().await;
    let search = |body: Value| {
        let sandbox = &sandbox;
        async move { call_json(sandbox, Method::POST, "/parameterizedSearch", Some(body)).await }
    };
    let (_, all) = search(json!({"q": "test subject", "fields": ["Id", "Subject", "Status"], "sobjects": [{"name": "Case"}]})).await;
    assert_eq!(all["searchRecords"].as_array().unwrap().len(), 3);
    let (_, high) = search(json!({
        "q": "test subject", "fields": ["Id"],
        "sobjects": [{"name": "Case", "where": "Priority = 'High'"}],
    }))
    .await;
    assert_eq!(high["searchRecords"].as_array().unwrap().len(), 1);
    let (_, limited) =
        search(json!({"q": "test subject", "sobjects": [{"name": "Case"}], "overallLimit": 2}))
            .await;
    let limited = limited["searchRecords"].as_array().unwrap();
    assert_eq!(limited.len(), 2);
    // Without fields, only Id comes back.
    assert_eq!(
        limited[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["attributes", "Id"]
    );
    let (_, shared_phone) =
        search(json!({"q": "555-222-3333", "in": "PHONE", "sobjects": [{"name": "Contact"}]}))
            .await;
    assert_eq!(shared_phone["searchRecords"].as_array().unwrap().len(), 2);
    let (_, by_email) =
        search(json!({"q": "smith", "in": "EMAIL", "sobjects": [{"name": "Contact"}]})).await;
    assert_eq!(by_email["searchRecords"][0]["Id"], JIM_SMITH);
}

#[tokio::test]
async fn search_refusals_name_the_problem() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(json!({"q": "a"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_SEARCH");
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(json!({"q": "acme", "sobjects": [{"name": "Nope"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_TYPE");
    let bad_where = json!({"q": "acme", "sobjects": [{"name": "Account", "where": "Nope = 1"}]});
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(bad_where),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_FIELD");
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(json!({"fields": ["Id"]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "MISSING_ARGUMENT");
}
