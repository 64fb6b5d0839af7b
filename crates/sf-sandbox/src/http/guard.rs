//! The layer every data request passes through: counting, latency, faults, API
//! version and bearer token checks, in that order, so that a fault queued for "the
//! next request" hits it whether or not the token is still good. Token requests
//! are only counted and delayed.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error_codes::ErrorCode;
use crate::faults::dropped_connection;
use crate::http::errors::ApiError;
use crate::lock::lock;
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
        match check_request(&app, &request) {
            Err(error) => error.into_response(),
            Ok(()) => next.run(request).await,
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

/// The API version must look like `v66.0`, and the bearer token must be live.
fn check_request(app: &AppState, request: &Request) -> Result<(), ApiError> {
    let version = request.uri().path().split('/').nth(3).unwrap_or_default();
    let well_formed = version
        .strip_prefix('v')
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major
                    .bytes()
                    .chain(minor.bytes())
                    .all(|b| b.is_ascii_digit())
        });
    if !well_formed {
        return Err(ApiError::not_found());
    }
    let token = bearer_token(request.headers()).ok_or_else(ApiError::invalid_session)?;
    if lock(&app.tokens).is_valid(token, app.faults.token_epoch()) {
        Ok(())
    } else {
        Err(ApiError::invalid_session())
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
