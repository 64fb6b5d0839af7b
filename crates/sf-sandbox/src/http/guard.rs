//! The layer every data request passes through: counting, latency, faults, API
//! version and bearer token checks, and the org's API allocation, in that order, so that a fault queued for "the
//! next request" hits it whether or not the token is still good. Token requests
//! are only counted and delayed.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_usage::Usage;
use crate::error_codes::ErrorCode;
use crate::faults::dropped_connection;
use crate::http::errors::ApiError;
use crate::lock::lock;
use crate::resources::versions;
use crate::state::AppState;

async fn delay(app: &AppState) {
    let latency = app.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
}

pub async fn token_guard(
    State(app): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    app.stats.count_token_request();
    delay(&app).await;
    next.run(request).await
}

/// Salesforce refuses REST request bodies over 50 MB (its documented limit for a
/// JSON body is smaller still); nothing our clients send comes near.
const MAX_BODY_BYTES: usize = 50 * 1024 * 1024;

pub async fn data_guard(
    State(app): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    // The body is read here to be logged, then handed on unchanged.
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY_BYTES).await else {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::JsonParserError,
            "the request body is too large",
        )
        .into_response();
    };
    let entry = app.stats.arrived(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        &body,
    );
    let request = Request::from_parts(parts, Body::from(body));
    delay(&app).await;
    let process = async {
        let (checked, usage) = check_request(&app, &request);
        let response = match checked {
            Err(error) => error.into_response(),
            Ok(()) => next.run(request).await,
        };
        match usage {
            Some(usage) => usage.stamp(response),
            None => response,
        }
    };
    let answer = match app.faults.take_next() {
        Some(fault) => fault.answer(process).await,
        None => Some(process.await),
    };
    let Some(response) = answer else {
        return dropped_connection();
    };
    app.stats.answered(entry, response.status().as_u16());
    response
}

/// The API version must be one the org serves and the bearer token must be live;
/// then the request counts against the org's API allocation. Answers the refusal,
/// if any, and the org's usage once the request reached the org (a valid token).
fn check_request(app: &AppState, request: &Request) -> (Result<(), ApiError>, Option<Usage>) {
    let version = request.uri().path().split('/').nth(3).unwrap_or_default();
    if let Err(refusal) = versions::check(version) {
        return (Err(refusal), None);
    }
    let live = bearer_token(request.headers())
        .is_some_and(|token| lock(&app.tokens).is_valid(token, app.faults.token_epoch()));
    if !live {
        return (Err(ApiError::invalid_session()), None);
    }
    match app.api_usage.count() {
        Ok(usage) => (Ok(()), Some(usage)),
        Err((refusal, usage)) => (Err(refusal), Some(usage)),
    }
}

/// The token of `Authorization: Bearer <token>` (Salesforce also takes `OAuth`).
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let known = scheme.eq_ignore_ascii_case("Bearer") || scheme.eq_ignore_ascii_case("OAuth");
    known.then(|| token.trim()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn bearer_and_oauth_schemes_are_accepted() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(bearer_token(&headers), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("OAuth abc"));
        assert_eq!(bearer_token(&headers), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer_token(&headers), None);
    }
}
