//! `/sobjects/<Object>[/<id>]`: create, read, update, delete, and the record errors.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{JIM_SMITH, V, call, call_json, error_code, start};

#[tokio::test]
async fn create_read_update_delete_round_trip() {
    let sandbox = start().await;
    let (status, created) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(
            json!({"Subject": "Caller reports outage", "ContactId": JIM_SMITH, "Origin": "Phone"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created, json!({"id": id, "success": true, "errors": []}));
    assert!(id.starts_with("500") && id.len() == 18);

    let (status, record) =
        call_json(&sandbox, Method::GET, &format!("/sobjects/Case/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        record["attributes"],
        json!({"type": "Case", "url": format!("/services/data/{V}/sobjects/Case/{id}")})
    );
    assert_eq!(record["Subject"], "Caller reports outage");
    assert_eq!(record["Status"], "New");
    assert_eq!(record["ContactId"], JIM_SMITH);

    let (status, body) = call(
        &sandbox,
        Method::PATCH,
        &format!("/sobjects/Case/{id}"),
        Some(json!({"Status": "Closed"})),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    assert_eq!(sandbox.record("Case", &id).unwrap()["Status"], "Closed");

    let (status, body) = call(
        &sandbox,
        Method::DELETE,
        &format!("/sobjects/Case/{id}"),
        None,
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    let (status, body) =
        call_json(&sandbox, Method::GET, &format!("/sobjects/Case/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!([{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}])
    );
    assert_eq!(sandbox.stats().requests("POST", "/sobjects/Case"), 1);
    assert_eq!(
        sandbox
            .stats()
            .requests("PATCH", &format!("/sobjects/Case/{id}")),
        1
    );
}

#[tokio::test]
async fn read_accepts_fifteen_character_ids_and_a_field_list() {
    let sandbox = start().await;
    let (status, record) = call_json(
        &sandbox,
        Method::GET,
        &format!("/sobjects/Contact/{}?fields=Name,phone", &JIM_SMITH[..15]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        record,
        json!({
            "attributes": {"type": "Contact", "url": format!("/services/data/{V}/sobjects/Contact/{JIM_SMITH}")},
            "Name": "Jim Smith",
            "Phone": "(555) 123-4567",
        })
    );
}

#[tokio::test]
async fn unknown_object_or_id_is_not_found() {
    let sandbox = start().await;
    let not_found =
        json!([{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]);
    for (method, path, body) in [
        (
            Method::POST,
            "/sobjects/Nope".to_string(),
            Some(json!({"Name": "x"})),
        ),
        (
            Method::GET,
            "/sobjects/Nope/0038V0000000001QAA".to_string(),
            None,
        ),
        (
            Method::GET,
            "/sobjects/Contact/0038V000000zzzzAAA".to_string(),
            None,
        ),
        (
            Method::PATCH,
            format!("/sobjects/Account/{JIM_SMITH}"),
            Some(json!({"Name": "x"})),
        ),
        (
            Method::DELETE,
            "/sobjects/Contact/nonsense".to_string(),
            None,
        ),
    ] {
        let (status, answer) = call_json(&sandbox, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(answer, not_found, "{method} {path}");
    }
}

#[tokio::test]
async fn unknown_field_in_a_body_is_invalid_field() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"LastName": "X", "Nope__c": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{"message": "No such column 'Nope__c' on sobject of type Contact", "errorCode": "INVALID_FIELD"}])
    );
    let (status, body) = call_json(
        &sandbox,
        Method::PATCH,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        Some(json!({"Nope": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_FIELD");
}

#[tokio::test]
async fn record_errors_carry_their_fields() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"FirstName": "X"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{"message": "Required fields are missing: [LastName]", "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["LastName"]}])
    );
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(json!({"ContactId": "abc"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "MALFORMED_ID");
    let (status, body) = call(&sandbox, Method::POST, "/sobjects/Case", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("JSON_PARSER_ERROR"));
}
