//! create, update and delete over HTTP: the request each sends, the answer it returns,
//! what is refused before anything is sent, and that a write is never repeated.

mod support;

use std::sync::{Arc, Mutex};

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::Operation;
use support::*;
use time::macros::format_description;
use time::{Duration, OffsetDateTime};

const CASE_ID: &str = "5006g00000BLqurAAD";

/// A write to `path` (below `/services/data/v66.0`) whose body matches `body`, answered
/// with `status` and `response` (no body when empty).
async fn expect_write(
    server: &mut ServerGuard,
    method: &str,
    path: &str,
    body: Matcher,
    status: usize,
    response: &str,
) -> Mock {
    let mut mock = server
        .mock(method, data_path(path).as_str())
        .match_header("authorization", bearer(TOKEN).as_str());
    if !matches!(body, Matcher::Missing) {
        mock = mock.match_header("content-type", "application/json");
    }
    mock = mock.match_body(body).with_status(status);
    if !response.is_empty() {
        mock = mock
            .with_header("content-type", "application/json;charset=UTF-8")
            .with_body(response);
    }
    mock.expect(1).create_async().await
}

/// A write whose JSON body is exactly `body`.
async fn expect_json_write(
    server: &mut ServerGuard,
    method: &str,
    path: &str,
    body: Value,
    status: usize,
    response: &str,
) -> Mock {
    expect_write(server, method, path, Matcher::Json(body), status, response).await
}

fn created(id: &str) -> String {
    json!({"id": id, "success": true, "errors": []}).to_string()
}

fn utc_date_in_two_days() -> String {
    (OffsetDateTime::now_utc() + Duration::days(2))
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap()
}

// ---- create ----

#[tokio::test]
async fn create_sends_every_field_with_its_json_type_and_answers_the_id() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let create = expect_json_write(
        &mut server,
        "POST",
        "/sobjects/Case",
        json!({
            "Subject": "Caller asked for a callback",
            "Origin": "Phone",
            "ContactId": "003000000000001AAA",
            "Amount__c": 12.5,
            "Attempts__c": 3,
            "IsEscalated": true,
            "Description": null
        }),
        201,
        &created(CASE_ID),
    )
    .await;
    let function = function(Operation::Create, &server);
    let answer = invoke(
        &function,
        json!({
            "sf_operation": "create",
            "sf_object": "Case",
            "Subject": "Caller asked for a callback",
            "Origin": "Phone",
            "ContactId": "003000000000001AAA",
            "Amount__c": 12.5,
            "Attempts__c": 3,
            "IsEscalated": true,
            "Description": null
        }),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"Id": "5006g00000BLqurAAD"}));
    token.assert_async().await;
    create.assert_async().await;
}

#[tokio::test]
async fn create_resolves_a_relative_date_to_the_utc_date() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    // The date is taken before and after the call: the one sent must be one of them, so
    // only a midnight passing during the call lets the two differ.
    let before = utc_date_in_two_days();
    let body_with =
        |date: &str| json!({"Subject": "Call back", "ActivityDate": date, "Status": "Not Started"});
    let sent = Arc::new(Mutex::new(None::<Value>));
    let seen = sent.clone();
    let day_later = (OffsetDateTime::now_utc() + Duration::days(3))
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap();
    let create = server
        .mock("POST", data_path("/sobjects/Task").as_str())
        .match_header("authorization", bearer(TOKEN).as_str())
        .match_header("content-type", "application/json")
        .match_body(Matcher::AnyOf(vec![
            Matcher::Json(body_with(&before)),
            Matcher::Json(body_with(&day_later)),
        ]))
        .with_status(201)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body_from_request(move |request| {
            *seen.lock().unwrap() = serde_json::from_slice(request.body().unwrap()).ok();
            created("00T6g00000AbCdEFGH").into_bytes()
        })
        .expect(1)
        .create_async()
        .await;
    let function = function(Operation::Create, &server);
    let answer = invoke(
        &function,
        json!({"sf_object": "Task", "Subject": "Call back", "ActivityDate": "2d|date",
               "Status": "Not Started"}),
    )
    .await
    .unwrap();
    let after = utc_date_in_two_days();
    assert_eq!(answer, json!({"Id": "00T6g00000AbCdEFGH"}));
    create.assert_async().await;
    let sent = sent
        .lock()
        .unwrap()
        .clone()
        .expect("the create request's JSON body");
    assert!(
        sent == body_with(&before) || sent == body_with(&after),
        "sent {sent}, expected ActivityDate {before} (or {after})"
    );
}

#[tokio::test]
async fn create_refuses_bad_input_before_any_request() {
    let cases = [
        (json!({"Subject": "x"}), "sf_object"),
        (json!({"sf_object": "", "Subject": "x"}), "sf_object"),
        (
            json!({"sf_object": "Case/../User", "Subject": "x"}),
            "sf_object",
        ),
        // A `|` value that is not a relative date.
        (
            json!({"sf_object": "Task", "ActivityDate": "2x|date"}),
            "ActivityDate",
        ),
        (
            json!({"sf_object": "Task", "ActivityDate": "2d|Date"}),
            "ActivityDate",
        ),
        (
            json!({"sf_object": "Case", "Subject": "this | that"}),
            "Subject",
        ),
        // Field names that are not API names.
        (
            json!({"sf_object": "Case", "Account.Name": "Acme"}),
            "Account.Name",
        ),
        (
            json!({"sf_object": "Case", "Subject, Id": "x"}),
            "Subject, Id",
        ),
        (json!({"sf_object": "Case", "Sub ject": "x"}), "Sub ject"),
        (
            json!({"sf_object": "Case", "Subject": {"nested": true}}),
            "Subject",
        ),
        (json!({"sf_object": "Case", "Subject": ["a"]}), "Subject"),
        // Another operation named.
        (
            json!({"sf_operation": "update", "sf_object": "Case", "Subject": "x"}),
            "sf_operation",
        ),
        (
            json!({"sf_operation": "lookup", "sf_object": "Case", "Subject": "x"}),
            "sf_operation",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::Create, parameters, named).await;
    }
}

#[tokio::test]
async fn create_turns_salesforces_error_array_into_the_message() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let create = expect_json_write(
        &mut server,
        "POST",
        "/sobjects/Case",
        json!({"Origin": "Phone"}),
        400,
        r#"[{"message":"Required fields are missing: [Subject]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Subject"]}]"#,
    )
    .await;
    let function = function(Operation::Create, &server);
    let error = invoke(&function, json!({"sf_object": "Case", "Origin": "Phone"}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type(), "SalesforceError");
    assert_eq!(
        error.to_string(),
        "Salesforce error (HTTP 400): REQUIRED_FIELD_MISSING: Required fields are missing: [Subject]"
    );
    create.assert_async().await;
}

#[tokio::test]
async fn create_is_not_repeated_after_a_503() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    // Any further POST to the same path would also hit this mock and make it fail.
    let create = expect_json_write(
        &mut server,
        "POST",
        "/sobjects/Case",
        json!({"Subject": "x"}),
        503,
        r#"[{"message":"Service temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}]"#,
    )
    .await;
    let function = function(Operation::Create, &server);
    let error = invoke(&function, json!({"sf_object": "Case", "Subject": "x"}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type(), "SalesforceError");
    assert_eq!(
        error.to_string(),
        "Salesforce error (HTTP 503): SERVER_UNAVAILABLE: Service temporarily unavailable"
    );
    create.assert_async().await;
}

// ---- update ----

#[tokio::test]
async fn update_patches_the_record_and_answers_status_204() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let update = expect_json_write(
        &mut server,
        "PATCH",
        "/sobjects/Case/5006g00000BLqurAAD",
        json!({"Status": "Closed", "Priority": "Low", "Attempts__c": 4, "IsEscalated": false}),
        204,
        "",
    )
    .await;
    let function = function(Operation::Update, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "update", "sf_object": "Case", "sf_id": CASE_ID,
               "Status": "Closed", "Priority": "Low", "Attempts__c": 4, "IsEscalated": false}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"Status": "204"}));
    token.assert_async().await;
    update.assert_async().await;
}

#[tokio::test]
async fn update_refuses_bad_input_before_any_request() {
    let cases = [
        (json!({"sf_object": "Case", "Status": "Closed"}), "sf_id"),
        (
            json!({"sf_object": "Case", "sf_id": "", "Status": "Closed"}),
            "sf_id",
        ),
        (
            json!({"sf_object": "Case", "sf_id": "../../x", "Status": "Closed"}),
            "sf_id",
        ),
        (
            json!({"sf_object": "Case", "sf_id": "5006g00000BLqurAA", "Status": "Closed"}),
            "sf_id",
        ),
        (
            json!({"sf_object": "Case", "sf_id": "5006g00000BLqurAAD/x", "Status": "Closed"}),
            "sf_id",
        ),
        (json!({"sf_id": CASE_ID, "Status": "Closed"}), "sf_object"),
        (
            json!({"sf_object": "Case/x", "sf_id": CASE_ID, "Status": "Closed"}),
            "sf_object",
        ),
        (
            json!({"sf_object": "Case", "sf_id": CASE_ID, "Status": "a|b"}),
            "Status",
        ),
        (
            json!({"sf_object": "Case", "sf_id": CASE_ID, "Owner.Name": "x"}),
            "Owner.Name",
        ),
        (
            json!({"sf_operation": "create", "sf_object": "Case", "sf_id": CASE_ID}),
            "sf_operation",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::Update, parameters, named).await;
    }
}

// ---- delete ----

#[tokio::test]
async fn delete_sends_delete_and_answers_response_none() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let delete = expect_write(
        &mut server,
        "DELETE",
        "/sobjects/Case/5006g00000BLqurAAD",
        Matcher::Missing,
        204,
        "",
    )
    .await;
    let function = function(Operation::Delete, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "delete", "sf_object": "Case", "sf_id": CASE_ID}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"Response": "None"}));
    token.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn delete_of_a_missing_record_is_salesforces_error() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let delete = expect_write(
        &mut server,
        "DELETE",
        "/sobjects/Case/5006g00000BLqurAAD",
        Matcher::Missing,
        404,
        r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#,
    )
    .await;
    let function = function(Operation::Delete, &server);
    let error = invoke(&function, json!({"sf_object": "Case", "sf_id": CASE_ID}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type(), "SalesforceError");
    assert_eq!(
        error.to_string(),
        "Salesforce error (HTTP 404): NOT_FOUND: The requested resource does not exist"
    );
    delete.assert_async().await;
}

#[tokio::test]
async fn delete_refuses_bad_input_before_any_request() {
    let cases = [
        (json!({"sf_object": "Case"}), "sf_id"),
        (json!({"sf_object": "Case", "sf_id": "../../x"}), "sf_id"),
        (
            json!({"sf_object": "Case", "sf_id": "5006g00000BLqurAA"}),
            "sf_id",
        ),
        (
            json!({"sf_object": "Case", "sf_id": "5006g00000BLqurAAD?x=1"}),
            "sf_id",
        ),
        (json!({"sf_id": CASE_ID}), "sf_object"),
        (
            json!({"sf_object": "../Case", "sf_id": CASE_ID}),
            "sf_object",
        ),
        (
            json!({"sf_operation": "create", "sf_object": "Case", "sf_id": CASE_ID}),
            "sf_operation",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::Delete, parameters, named).await;
    }
}
