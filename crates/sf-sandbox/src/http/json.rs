//! JSON in and out as Salesforce does it: answers with Salesforce's content type,
//! and request bodies read as one JSON object or refused with Salesforce's
//! `JSON_PARSER_ERROR` messages.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::http::errors::ApiError;

/// The content type Salesforce answers JSON with.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// A JSON answer with Salesforce's content type.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

/// A JSON object request body, or Salesforce's parser error.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::json_parser(
            "No content to map due to end-of-input at [line:1, column:0]",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::json_parser(format!(
            "Cannot deserialize instance of SObject out of {} token",
            match other {
                Value::Array(_) => "START_ARRAY",
                Value::String(_) => "VALUE_STRING",
                _ => "VALUE",
            }
        ))),
        Err(error) => Err(ApiError::json_parser(format!(
            "{} at [line:{}, column:{}]",
            error,
            error.line(),
            error.column()
        ))),
    }
}
