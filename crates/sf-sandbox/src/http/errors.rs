//! Salesforce's error answers: an HTTP status and a JSON array of
//! `{"message", "errorCode"}` objects (`fields` too for record errors), with
//! Salesforce's content type. Every handler answers its refusals through
//! [`ApiError`] so that clients see one shape everywhere; the codes themselves are
//! listed in [`crate::error_codes`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::error_codes::ErrorCode;
use crate::http::json::json_response;
use crate::model::store::WriteError;
use crate::soql::SoqlError;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    /// Present (possibly empty) for record errors, as Salesforce sends it.
    pub fields: Option<Vec<String>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: None,
        }
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// What Salesforce answers for an unknown resource, object or record id.
    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "The requested resource does not exist",
        )
    }

    pub fn invalid_session() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidSessionId,
            "Session expired or invalid",
        )
    }

    /// A request body that is not the JSON expected.
    pub fn json_parser(message: impl Into<String>) -> ApiError {
        ApiError::bad_request(ErrorCode::JsonParserError, message)
    }

    /// Salesforce's error body for a bare status (the status fault).
    pub fn for_status(status: u16) -> ApiError {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match status.as_u16() {
            401 => ApiError::invalid_session(),
            403 => ApiError::new(
                status,
                ErrorCode::RequestLimitExceeded,
                "TotalRequests Limit exceeded.",
            ),
            404 => ApiError::not_found(),
            503 => ApiError::new(
                status,
                ErrorCode::ServerUnavailable,
                "Server temporarily unavailable. Please try again later.",
            ),
            _ => ApiError::new(
                status,
                ErrorCode::UnknownException,
                "An unexpected error occurred. Please include this ErrorId if you contact support: 1471502718-35830 (-1098711133)",
            ),
        }
    }

    pub fn body(&self) -> Value {
        let mut error = json!({"message": self.message, "errorCode": self.code.as_str()});
        if let Some(fields) = &self.fields {
            error["fields"] = json!(fields);
        }
        json!([error])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, &self.body());
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
        }
        response
    }
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> ApiError {
        match error {
            WriteError::UnknownObject(_) | WriteError::NotFound => ApiError::not_found(),
            WriteError::UnknownField { .. } => {
                ApiError::bad_request(error.error_code(), error.to_string())
            }
            _ => ApiError {
                fields: Some(error.fields()),
                ..ApiError::bad_request(error.error_code(), error.to_string())
            },
        }
    }
}

impl ApiError {
    /// A SOQL refusal, its message rendered against the query text as Salesforce does.
    pub fn from_soql(error: &SoqlError, text: &str) -> ApiError {
        ApiError::bad_request(error.code, error.render(text))
    }
}
