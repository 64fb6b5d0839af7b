//! Chatter (Connect REST API): posting a feed item on a record
//! (`POST /chatter/feed-elements`) and commenting on one
//! (`POST /chatter/feed-elements/<id>/capabilities/comments/items`). Posts and
//! comments are stored as `FeedItem` and `FeedComment` records, so tests can query
//! them; answers carry the fields clients read (`id`, `body.text`, `parent`, …) in
//! Connect's shapes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;
use crate::http::json::json_object;
use crate::http::json::json_response;
use crate::model::store::{Store, Writer};
use crate::model::values::now_chatter_datetime;
use crate::state::AppState;

/// Connect's limit on a post or comment body.
const MAX_BODY_CHARS: usize = 10_000;

fn invalid_input(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(ErrorCode::InvalidApiInput, message)
}

/// A message body as stored (plain text) and as answered (segments).
struct Message {
    text: String,
    segments: Vec<Value>,
}

/// Reads `body.messageSegments`, resolving mentions to users' names as Chatter does.
fn read_message(
    store: &Store,
    input: &Map<String, Value>,
    version: &str,
) -> Result<Message, ApiError> {
    let segments = input
        .get("body")
        .and_then(|b| b.get("messageSegments"))
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid_input("The body of the feed element can't be empty."))?;
    let mut text = String::new();
    let mut answered = Vec::new();
    for segment in segments {
        let kind = segment
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let field = |name: &str| {
            segment
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        match kind {
            "Text" => {
                text.push_str(field("text"));
                answered.push(json!({"htmlTag": null, "text": field("text"), "type": "Text"}));
            }
            "Mention" => {
                let user = store
                    .find(field("id"))
                    .filter(|(object, _)| object.name == "User")
                    .map(|(_, user)| user)
                    .ok_or_else(|| {
                        invalid_input(format!("Invalid mention: {} is not a user.", field("id")))
                    })?;
                let name = user["Name"].as_str().unwrap_or_default();
                let id = user["Id"].as_str().unwrap_or_default();
                text.push('@');
                text.push_str(name);
                answered.push(json!({
                    "accessible": true,
                    "name": name,
                    "record": {"id": id, "displayName": name, "type": "User",
                               "url": format!("/services/data/{version}/chatter/users/{id}")},
                    "text": format!("@{name}"),
                    "type": "Mention",
                }));
            }
            "Link" => {
                text.push_str(field("url"));
                answered.push(json!({"text": field("url"), "type": "Link", "url": field("url")}));
            }
            "Hashtag" => {
                text.push('#');
                text.push_str(field("tag"));
                answered.push(json!({"tag": field("tag"), "text": format!("#{}", field("tag")), "type": "Hashtag"}));
            }
            // Rich-text markup adds no characters to the plain text.
            "MarkupBegin" | "MarkupEnd" => answered.push(segment.clone()),
            other => {
                return Err(invalid_input(format!(
                    "Invalid message segment type: {other}"
                )));
            }
        }
    }
    if text.chars().count() > MAX_BODY_CHARS {
        return Err(invalid_input(format!(
            "The body can't exceed {MAX_BODY_CHARS} characters."
        )));
    }
    Ok(Message {
        text,
        segments: answered,
    })
}

/// Connect's summary of a user (`actor`, `user`).
fn user_summary(store: &Store, user_id: &str, version: &str) -> Value {
    let name = store
        .find(user_id)
        .and_then(|(_, u)| u["Name"].as_str().map(str::to_string))
        .unwrap_or_default();
    json!({
        "displayName": name,
        "id": user_id,
        "name": name,
        "type": "User",
        "url": format!("/services/data/{version}/chatter/users/{user_id}"),
    })
}

/// Connect's summary of the record a post is on (`parent`).
fn record_summary(store: &Store, id: &str, version: &str) -> Value {
    let (object, record) = store.find(id).expect("the parent was checked");
    let name = ["Name", "Subject", "CaseNumber"]
        .iter()
        .find_map(|f| record.get(*f).and_then(Value::as_str))
        .unwrap_or_default();
    json!({
        "id": id,
        "name": name,
        "type": object.name,
        "url": format!("/services/data/{version}/chatter/records/{id}"),
    })
}

fn message_body(message: &Message) -> Value {
    json!({"isRichText": false, "messageSegments": message.segments, "text": message.text})
}

/// `POST /services/data/vNN.N/chatter/feed-elements`
pub async fn post_feed_element(
    State(app): State<Arc<AppState>>,
    Path(version): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input = json_object(&body)?;
    match input.get("feedElementType").and_then(Value::as_str) {
        Some("FeedItem") => {}
        Some(other) => {
            return Err(invalid_input(format!(
                "Invalid feed element type: {other}. Specify FeedItem."
            )));
        }
        None => return Err(invalid_input("Missing required input: feedElementType.")),
    }
    let subject = input
        .get("subjectId")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid_input("Missing required input: subjectId."))?;

    let mut store = app.store();
    let user_id = store.integration_user_id.clone();
    // `me` is the context user's own feed, as in Connect.
    let subject_id = if subject == "me" {
        user_id.clone()
    } else {
        store
            .find(subject)
            .map(|(_, record)| record["Id"].as_str().unwrap_or_default().to_string())
            .ok_or_else(ApiError::not_found)?
    };
    let message = read_message(&store, &input, &version)?;
    let created_date = now_chatter_datetime();
    let fields = json!({
        "ParentId": subject_id,
        "Body": message.text,
        "Type": "TextPost",
        "CreatedById": user_id,
    });
    let id = store.create(
        "FeedItem",
        fields.as_object().expect("an object").clone(),
        Writer::System,
    )?;
    let answer = json!({
        "actor": user_summary(&store, &user_id, &version),
        "body": message_body(&message),
        "capabilities": {
            "comments": {"page": {"comments": [], "currentPageToken": null, "nextPageToken": null, "total": 0}},
        },
        "createdDate": created_date,
        "feedElementType": "FeedItem",
        "id": id,
        "parent": record_summary(&store, &subject_id, &version),
        "relativeCreatedDate": "Just now",
        "type": "TextPost",
        "url": format!("/services/data/{version}/chatter/feed-elements/{id}"),
    });
    Ok(json_response(StatusCode::CREATED, &answer))
}

/// `POST /services/data/vNN.N/chatter/feed-elements/<id>/capabilities/comments/items`
pub async fn post_comment(
    State(app): State<Arc<AppState>>,
    Path((version, feed_element_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input = json_object(&body)?;
    let mut store = app.store();
    let (feed_item_id, parent_id) = store
        .find(&feed_element_id)
        .filter(|(object, _)| object.name == "FeedItem")
        .map(|(_, item)| {
            (
                item["Id"].as_str().unwrap_or_default().to_string(),
                item["ParentId"].as_str().unwrap_or_default().to_string(),
            )
        })
        .ok_or_else(ApiError::not_found)?;
    let message = read_message(&store, &input, &version)?;
    let user_id = store.integration_user_id.clone();
    let created_date = now_chatter_datetime();
    let fields = json!({
        "FeedItemId": feed_item_id,
        "ParentId": parent_id,
        "CommentBody": message.text,
        "CreatedById": user_id,
    });
    let id = store.create(
        "FeedComment",
        fields.as_object().expect("an object").clone(),
        Writer::System,
    )?;
    let answer = json!({
        "body": message_body(&message),
        "capabilities": {},
        "createdDate": created_date,
        "feedElement": {
            "id": feed_item_id,
            "url": format!("/services/data/{version}/chatter/feed-elements/{feed_item_id}"),
        },
        "id": id,
        "parent": record_summary(&store, &parent_id, &version),
        "relativeCreatedDate": "Just now",
        "type": "TextComment",
        "url": format!("/services/data/{version}/chatter/comments/{id}"),
        "user": user_summary(&store, &user_id, &version),
    });
    Ok(json_response(StatusCode::CREATED, &answer))
}
