//! `createChatterPost` and `createChatterComment` through the Connect REST API
//! (`/chatter/feed-elements`), with `{{name}}` placeholders in the message filled from the
//! other parameters. Both answer the new element's `Id`.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Invocation, created_id, record_id};
use crate::answer;
use crate::error::Result;
use crate::salesforce::ApiRequest;
use crate::template;

const FEED_ELEMENT_TYPE: &str = "sf_feedElementType";
const SUBJECT_ID: &str = "sf_subjectId";
const MESSAGE_TYPE: &str = "sf_messageType";
const MESSAGE: &str = "sf_message";
const MENTION: &str = "sf_mention";
const FEED_ELEMENT_ID: &str = "sf_feedElementId";
const COMMENT_TYPE: &str = "sf_commentType";
const COMMENT_MESSAGE: &str = "sf_commentMessage";

const SEGMENT_TYPE_EXPECTED: &str = "a message segment type, such as Text";
const MESSAGE_EXPECTED: &str = "the message text, with {{name}} placeholders for other parameters";

pub async fn post(call: &Invocation<'_>) -> Result<Value> {
    let parameters = call.parameters;
    let feed_element_type =
        parameters.required(FEED_ELEMENT_TYPE, "a feed element type, such as FeedItem")?;
    let subject_id = parameters.required(
        SUBJECT_ID,
        "the id of the record, user or group the post is about (or \"me\")",
    )?;
    let message_type = parameters.required(MESSAGE_TYPE, SEGMENT_TYPE_EXPECTED)?;
    let message = parameters.required(MESSAGE, MESSAGE_EXPECTED)?;
    let mut segments = vec![json!({
        "type": message_type.trim(),
        "text": template::fill(MESSAGE, &message, parameters)?,
    })];
    if let Some(mention) = parameters.optional(MENTION)? {
        segments.push(json!({"type": "Mention", "id": mention.trim()}));
    }
    let body = json!({
        "feedElementType": feed_element_type.trim(),
        "subjectId": subject_id.trim(),
        "body": {"messageSegments": segments},
    });
    let request = ApiRequest::write(
        "createChatterPost",
        Method::POST,
        "/chatter/feed-elements",
        Some(body),
    );
    let id = created_id(&call.send(&request).await?)?;
    Ok(answer::fields([("Id", &id)]))
}

pub async fn comment(call: &Invocation<'_>) -> Result<Value> {
    let parameters = call.parameters;
    let feed_element_id = record_id(
        FEED_ELEMENT_ID,
        &parameters.required(FEED_ELEMENT_ID, "the id of the feed element to comment on")?,
    )?;
    let comment_type = parameters.required(COMMENT_TYPE, SEGMENT_TYPE_EXPECTED)?;
    let message = parameters.required(COMMENT_MESSAGE, MESSAGE_EXPECTED)?;
    let body = json!({
        "body": {"messageSegments": [{
            "type": comment_type.trim(),
            "text": template::fill(COMMENT_MESSAGE, &message, parameters)?,
        }]},
    });
    let request = ApiRequest::write(
        "createChatterComment",
        Method::POST,
        format!("/chatter/feed-elements/{feed_element_id}/capabilities/comments/items"),
        Some(body),
    );
    let id = created_id(&call.send(&request).await?)?;
    Ok(answer::fields([("Id", &id)]))
}
