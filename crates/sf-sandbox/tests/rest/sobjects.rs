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

/// Each field type on create and update, as Salesforce's REST API checks it: its
/// JSON parser converts what it can (a number into text, a numeric string into a
/// number, `"true"` into a checkbox) and refuses the rest with `JSON_PARSER_ERROR`;
/// text past its field's length is `STRING_TOO_LONG`.
#[tokio::test]
async fn field_values_are_checked_by_type_on_create_and_update() {
    let sandbox = start().await;
    let (status, created) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(json!({
            "Subject": 12345,
            "IsEscalated": "true",
            "ClosedDate": "2024-05-01T15:45:00+02:00",
            "Preferred_Callback_Time__c": "13:45:00.000Z",
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    let case = sandbox.record("Case", id).unwrap();
    assert_eq!(case["Subject"], "12345");
    assert_eq!(case["IsEscalated"], true);
    assert_eq!(case["ClosedDate"], "2024-05-01T13:45:00.000+0000");
    assert_eq!(case["Preferred_Callback_Time__c"], "13:45:00.000Z");
    let (status, _) = call_json(
        &sandbox,
        Method::PATCH,
        "/sobjects/Account/0018V0000000001QAA",
        Some(json!({"NumberOfEmployees": "250", "AnnualRevenue": 1.5e6})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let account = sandbox.record("Account", "0018V0000000001QAA").unwrap();
    assert_eq!(account["NumberOfEmployees"], 250);
    assert_eq!(account["AnnualRevenue"], 1.5e6);

    let refusals = [
        (
            json!({"Preferred_Callback_Time__c": "13:45:00"}),
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of time from VALUE_STRING value 13:45:00 or request may be missing a required field",
            "Preferred_Callback_Time__c",
        ),
        (
            json!({"IsEscalated": "yes"}),
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of boolean from VALUE_STRING value yes or request may be missing a required field",
            "IsEscalated",
        ),
        (
            json!({"IsEscalated": 1}),
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of boolean from VALUE_NUMBER_INT value 1 or request may be missing a required field",
            "IsEscalated",
        ),
        (
            json!({"ClosedDate": "2024-05-01"}),
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of dateTime from VALUE_STRING value 2024-05-01 or request may be missing a required field",
            "ClosedDate",
        ),
        (
            json!({"Subject": "x".repeat(256)}),
            "STRING_TOO_LONG",
            &format!(
                "Subject: data value too large: {} (max length=255)",
                "x".repeat(256)
            ),
            "Subject",
        ),
    ];
    for (body, code, message, field) in refusals {
        for (method, path) in [
            (Method::POST, "/sobjects/Case".to_string()),
            (Method::PATCH, format!("/sobjects/Case/{id}")),
        ] {
            let (status, answer) =
                call_json(&sandbox, method.clone(), &path, Some(body.clone())).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {body}");
            assert_eq!(
                answer,
                json!([{"message": message, "errorCode": code, "fields": [field]}]),
                "{method} {body}"
            );
        }
    }
    let more = [
        (
            json!({"Birthdate": "05/01/2024", "LastName": "X"}),
            "Contact",
            "date",
        ),
        (
            json!({"NumberOfEmployees": "many", "Name": "X"}),
            "Account",
            "int",
        ),
        (
            json!({"AnnualRevenue": true, "Name": "X"}),
            "Account",
            "double",
        ),
    ];
    for (body, object, type_name) in more {
        let (status, answer) = call_json(
            &sandbox,
            Method::POST,
            &format!("/sobjects/{object}"),
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code(&answer), "JSON_PARSER_ERROR", "{body}");
        let message = answer[0]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("Cannot deserialize instance of {type_name} from ")),
            "{message}"
        );
    }
    // Nothing refused was written.
    assert_eq!(sandbox.record("Case", id).unwrap(), case);
}
