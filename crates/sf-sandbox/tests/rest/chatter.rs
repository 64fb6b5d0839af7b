//! Chatter feed elements and comments: Connect's shapes and refusals.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{
    BROKEN_WIDGET_CASE, JANE_AGENT, SEED_FEED_ITEM, call_json, error_code, start,
};

#[tokio::test]
async fn chatter_post_and_comment_answer_connect_shapes() {
    let sandbox = start().await;
    let post = json!({
        "feedElementType": "FeedItem",
        "subjectId": BROKEN_WIDGET_CASE,
        "body": {"messageSegments": [
            {"type": "Text", "text": "Caller needs help with case 00001001 "},
            {"type": "Mention", "id": JANE_AGENT},
        ]},
    });
    let (status, item) =
        call_json(&sandbox, Method::POST, "/chatter/feed-elements", Some(post)).await;
    assert_eq!(status, StatusCode::CREATED);
    let item_id = item["id"].as_str().unwrap().to_string();
    assert!(item_id.starts_with("0D5") && item_id.len() == 18);
    assert_eq!(
        item["body"]["text"],
        "Caller needs help with case 00001001 @Jane Agent"
    );
    assert_eq!(item["parent"]["id"], BROKEN_WIDGET_CASE);
    assert_eq!(item["parent"]["type"], "Case");
    assert_eq!(item["feedElementType"], "FeedItem");
    assert_eq!(
        sandbox.record("FeedItem", &item_id).unwrap()["ParentId"],
        BROKEN_WIDGET_CASE
    );

    let comment = json!({"body": {"messageSegments": [{"type": "Text", "text": "On it."}]}});
    let path = format!("/chatter/feed-elements/{item_id}/capabilities/comments/items");
    let (status, answer) = call_json(&sandbox, Method::POST, &path, Some(comment)).await;
    assert_eq!(status, StatusCode::CREATED);
    let comment_id = answer["id"].as_str().unwrap();
    assert!(comment_id.starts_with("0D7"));
    assert_eq!(answer["body"]["text"], "On it.");
    assert_eq!(answer["feedElement"]["id"], item_id.as_str());
    assert_eq!(
        sandbox.record("FeedComment", comment_id).unwrap()["CommentBody"],
        "On it."
    );
}

#[tokio::test]
async fn chatter_refusals() {
    let sandbox = start().await;
    let unknown_subject = json!({
        "feedElementType": "FeedItem",
        "subjectId": "0038V000000zzzzAAA",
        "body": {"messageSegments": [{"type": "Text", "text": "x"}]},
    });
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/chatter/feed-elements",
        Some(unknown_subject),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "NOT_FOUND");
    let no_body = json!({"feedElementType": "FeedItem", "subjectId": BROKEN_WIDGET_CASE});
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/chatter/feed-elements",
        Some(no_body),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_API_INPUT");
    let comment = json!({"body": {"messageSegments": [{"type": "Text", "text": "x"}]}});
    let path = "/chatter/feed-elements/0D58V000000zzzzAAA/capabilities/comments/items";
    let (status, _) = call_json(&sandbox, Method::POST, path, Some(comment.clone())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let path = format!("/chatter/feed-elements/{SEED_FEED_ITEM}/capabilities/comments/items");
    let (status, body) = call_json(&sandbox, Method::POST, &path, Some(json!({"body": {}}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_API_INPUT");
    assert_eq!(
        call_json(&sandbox, Method::POST, &path, Some(comment))
            .await
            .0,
        StatusCode::CREATED
    );
}
