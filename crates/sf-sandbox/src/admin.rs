//! The admin endpoints, which are the sandbox's own and not Salesforce's: fault
//! injection (`GET|POST /__sandbox/faults`) and request counts
//! (`GET|DELETE /__sandbox/stats`), for driving a sandbox from outside its process.
//! They need no token and are neither counted nor faulted.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::error_codes::ErrorCode;
use crate::faults::Fault;
use crate::http::errors::ApiError;
use crate::http::json::{json_object, json_response};
use crate::state::AppState;

/// The fault settings as the admin endpoint answers them.
fn faults_state(app: &AppState) -> Value {
    let pending: Vec<String> = app.faults.pending().iter().map(Fault::name).collect();
    json!({
        "latencyMs": app.faults.latency().as_millis() as u64,
        "pending": pending,
    })
}

pub async fn show_faults(State(app): State<Arc<AppState>>) -> Response {
    json_response(StatusCode::OK, &faults_state(&app))
}

/// `POST /__sandbox/faults` with any of
/// `{"clear": true, "latencyMs": 200, "failNext": {"count": 2, "status": 503},
///   "inject": {"count": 1, "fault": "drop_connection"}, "expireTokens": true}`,
/// applied in that order.
pub async fn set_faults(
    State(app): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = json_object(&body)?;
    let count_of = |v: &Value| v.get("count").and_then(Value::as_u64).unwrap_or(1) as usize;
    if request.get("clear").and_then(Value::as_bool) == Some(true) {
        app.faults.clear();
    }
    if let Some(ms) = request.get("latencyMs").and_then(Value::as_u64) {
        app.faults.set_latency(Duration::from_millis(ms));
    }
    if let Some(fail) = request.get("failNext") {
        let status = fail
            .get("status")
            .and_then(Value::as_u64)
            .filter(|s| (100..600).contains(s))
            .ok_or_else(|| {
                ApiError::bad_request(ErrorCode::InvalidFault, "failNext needs a status")
            })?;
        app.faults.fail_next(count_of(fail), status as u16);
    }
    if let Some(inject) = request.get("inject") {
        let fault: Fault = inject
            .get("fault")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .parse()
            .map_err(|e: String| ApiError::bad_request(ErrorCode::InvalidFault, e))?;
        app.faults.inject_next(count_of(inject), fault);
    }
    if request.get("expireTokens").and_then(Value::as_bool) == Some(true) {
        app.faults.expire_tokens();
    }
    Ok(json_response(StatusCode::OK, &faults_state(&app)))
}

pub async fn show_stats(State(app): State<Arc<AppState>>) -> Response {
    let requests: Vec<Value> = app
        .stats
        .request_log()
        .into_iter()
        .map(|r| json!({"method": r.method, "path": r.path, "status": r.status}))
        .collect();
    json_response(
        StatusCode::OK,
        &json!({
            "tokenRequests": app.stats.token_requests(),
            "dataRequests": app.stats.data_requests(),
            "requests": requests,
        }),
    )
}

pub async fn reset_stats(State(app): State<Arc<AppState>>) -> StatusCode {
    app.stats.reset();
    StatusCode::NO_CONTENT
}
