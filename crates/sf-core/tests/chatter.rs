//! createChatterPost and createChatterComment over HTTP: the Connect REST API request
//! each sends, with `{{name}}` placeholders filled, and the new element's `Id`.

mod support;

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::{Error, Operation};
use support::*;

const POST_ID: &str = "0D503000000ILY5CAO";
const COMMENT_ID: &str = "0D703000000ChhNCAS";
const CONTACT_ID: &str = "003000000000001AAA";
const USER_ID: &str = "005000000000001AAA";
const MESSAGE: &str = "I had a problem during the call. My contact id is 1234.";
const COMMENTS_PATH: &str = "/chatter/feed-elements/0D503000000ILY5CAO/capabilities/comments/items";

/// A `POST` to `path` with exactly `body`, answered with `status` and `response`.
async fn expect_post(
    server: &mut ServerGuard,
    path: &str,
    body: Value,
    status: usize,
    response: String,
) -> Mock {
    server
        .mock("POST", data_path(path).as_str())
        .match_header("authorization", bearer(TOKEN).as_str())
        .match_header("content-type", "application/json")
        .match_body(Matcher::Json(body))
        .with_status(status)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body(response)
        .expect(1)
        .create_async()
        .await
}

/// The feed item Salesforce answers a post with (201), trimmed to typical members.
fn feed_item(text: &str) -> String {
    json!({
        "actor": {"id": USER_ID, "name": "Integration User", "type": "User"},
        "body": {
            "isRichText": false,
            "messageSegments": [{"text": text, "type": "Text"}],
            "text": text
        },
        "capabilities": {"comments": {"page": {"items": [], "total": 0}}},
        "createdDate": "2024-05-01T13:45:00.000Z",
        "feedElementType": "FeedItem",
        "id": POST_ID,
        "parent": {"id": CONTACT_ID, "type": "Contact"},
        "type": "TextPost",
        "url": "/services/data/v66.0/chatter/feed-elements/0D503000000ILY5CAO"
    })
    .to_string()
}

/// The comment Salesforce answers with (201): other ids appear before the comment's own.
fn comment(text: &str) -> String {
    json!({
        "body": {"isRichText": false, "messageSegments": [{"text": text, "type": "Text"}], "text": text},
        "createdDate": "2024-05-01T13:46:00.000Z",
        "feedElement": {"id": POST_ID, "url": "/services/data/v66.0/chatter/feed-elements/0D503000000ILY5CAO"},
        "parent": {"id": CONTACT_ID, "type": "Contact"},
        "user": {"id": USER_ID, "type": "User"},
        "id": COMMENT_ID,
        "type": "TextComment",
        "url": "/services/data/v66.0/chatter/comments/0D703000000ChhNCAS"
    })
    .to_string()
}

fn post_parameters() -> Value {
    json!({
        "sf_operation": "createChatterPost",
        "sf_feedElementType": "FeedItem",
        "sf_subjectId": CONTACT_ID,
        "sf_messageType": "Text",
        "sf_message": "I had a problem during the call. My contact id is {{contactId}}.",
        "contactId": "1234"
    })
}

fn comment_parameters() -> Value {
    json!({
        "sf_operation": "createChatterComment",
        "sf_feedElementId": POST_ID,
        "sf_commentType": "Text",
        "sf_commentMessage": "Please help me with case {{ caseId }}",
        "caseId": 1234
    })
}

// ---- createChatterPost ----

#[tokio::test]
async fn post_with_a_mention_fills_the_message_and_answers_the_id() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let post = expect_post(
        &mut server,
        "/chatter/feed-elements",
        json!({
            "feedElementType": "FeedItem",
            "subjectId": CONTACT_ID,
            "body": {"messageSegments": [
                {"type": "Text", "text": MESSAGE},
                {"type": "Mention", "id": USER_ID}
            ]}
        }),
        201,
        feed_item(MESSAGE),
    )
    .await;
    let function = function(Operation::CreateChatterPost, &server);
    let mut parameters = post_parameters();
    parameters["sf_mention"] = json!(USER_ID);
    let answer = invoke(&function, parameters).await.unwrap();
    assert_eq!(answer, json!({"Id": "0D503000000ILY5CAO"}));
    token.assert_async().await;
    post.assert_async().await;
}

#[tokio::test]
async fn post_without_a_mention_sends_one_segment() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let post = expect_post(
        &mut server,
        "/chatter/feed-elements",
        json!({
            "feedElementType": "FeedItem",
            "subjectId": CONTACT_ID,
            "body": {"messageSegments": [{"type": "Text", "text": MESSAGE}]}
        }),
        201,
        feed_item(MESSAGE),
    )
    .await;
    let function = function(Operation::CreateChatterPost, &server);
    let answer = invoke(&function, post_parameters()).await.unwrap();
    assert_eq!(answer, json!({"Id": "0D503000000ILY5CAO"}));
    post.assert_async().await;
}

#[tokio::test]
async fn post_error_is_salesforces_message() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let post = expect_post(
        &mut server,
        "/chatter/feed-elements",
        json!({
            "feedElementType": "FeedItem",
            "subjectId": CONTACT_ID,
            "body": {"messageSegments": [{"type": "Text", "text": MESSAGE}]}
        }),
        400,
        r#"[{"errorCode":"INVALID_ID_FIELD","message":"Invalid subject id."}]"#.to_owned(),
    )
    .await;
    let function = function(Operation::CreateChatterPost, &server);
    let error = invoke(&function, post_parameters()).await.unwrap_err();
    assert_eq!(error.error_type(), "SalesforceError");
    assert_eq!(
        error.to_string(),
        "Salesforce error (HTTP 400): INVALID_ID_FIELD: Invalid subject id."
    );
    post.assert_async().await;
}

#[tokio::test]
async fn post_refuses_bad_input_before_any_request() {
    let with = |name: &str, value: Value| {
        let mut parameters = post_parameters();
        parameters[name] = value;
        parameters
    };
    let without = |name: &str| {
        let mut parameters = post_parameters();
        parameters.as_object_mut().unwrap().remove(name);
        parameters
    };
    let unclosed = assert_refused(
        Operation::CreateChatterPost,
        with("sf_message", json!("My contact id is {{contactId.")),
        "sf_message",
    )
    .await;
    assert!(unclosed.to_string().contains("closed"), "{unclosed}");
    let no_parameter = assert_refused(
        Operation::CreateChatterPost,
        with("sf_message", json!("My case is {{caseId}}.")),
        "sf_message",
    )
    .await;
    assert!(
        no_parameter.to_string().contains("`caseId`"),
        "{no_parameter}"
    );
    let cases = [
        (without("contactId"), "sf_message"),
        (without("sf_feedElementType"), "sf_feedElementType"),
        (without("sf_subjectId"), "sf_subjectId"),
        (without("sf_messageType"), "sf_messageType"),
        (without("sf_message"), "sf_message"),
        (with("sf_message", json!("")), "sf_message"),
        (
            with("sf_operation", json!("createChatterComment")),
            "sf_operation",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::CreateChatterPost, parameters, named).await;
    }
}

// ---- createChatterComment ----

#[tokio::test]
async fn comment_fills_the_message_and_answers_the_comment_id() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let post = expect_post(
        &mut server,
        COMMENTS_PATH,
        json!({"body": {"messageSegments": [
            {"type": "Text", "text": "Please help me with case 1234"}
        ]}}),
        201,
        comment("Please help me with case 1234"),
    )
    .await;
    let function = function(Operation::CreateChatterComment, &server);
    let answer = invoke(&function, comment_parameters()).await.unwrap();
    assert_eq!(answer, json!({"Id": "0D703000000ChhNCAS"}));
    token.assert_async().await;
    post.assert_async().await;
}

#[tokio::test]
async fn comment_on_a_missing_feed_element_is_salesforces_error() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let post = expect_post(
        &mut server,
        COMMENTS_PATH,
        json!({"body": {"messageSegments": [
            {"type": "Text", "text": "Please help me with case 1234"}
        ]}}),
        404,
        r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#
            .to_owned(),
    )
    .await;
    let function = function(Operation::CreateChatterComment, &server);
    let error = invoke(&function, comment_parameters()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "Salesforce error (HTTP 404): NOT_FOUND: The requested resource does not exist"
    );
    post.assert_async().await;
}

#[tokio::test]
async fn comment_refuses_bad_input_before_any_request() {
    let with = |name: &str, value: Value| {
        let mut parameters = comment_parameters();
        parameters[name] = value;
        parameters
    };
    let without = |name: &str| {
        let mut parameters = comment_parameters();
        parameters.as_object_mut().unwrap().remove(name);
        parameters
    };
    let missing_type = assert_refused(
        Operation::CreateChatterComment,
        without("sf_commentType"),
        "sf_commentType",
    )
    .await;
    assert!(
        matches!(missing_type, Error::MissingParameter { ref name, .. } if name == "sf_commentType"),
        "{missing_type:?}"
    );
    assert_eq!(missing_type.error_type(), "MissingParameter");
    let cases = [
        (with("sf_commentType", json!("")), "sf_commentType"),
        (without("sf_feedElementId"), "sf_feedElementId"),
        (
            with("sf_feedElementId", json!("../../sobjects/User")),
            "sf_feedElementId",
        ),
        (
            with("sf_feedElementId", json!("0D503000000ILY5CA")),
            "sf_feedElementId",
        ),
        (without("sf_commentMessage"), "sf_commentMessage"),
        (
            with("sf_commentMessage", json!("case {{ caseId ")),
            "sf_commentMessage",
        ),
        (
            with("sf_commentMessage", json!("case {{contactId}}")),
            "sf_commentMessage",
        ),
        (without("caseId"), "sf_commentMessage"),
        (
            with("sf_operation", json!("createChatterPost")),
            "sf_operation",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::CreateChatterComment, parameters, named).await;
    }
}
