//! The Query resource: SOQL (`GET /query?q=`) and the later batches of a large
//! answer (`GET /query/<locator>-<offset>`, the `nextRecordsUrl` Salesforce hands
//! out), answering Salesforce's shapes and status codes. A request may ask for
//! its batch size with the `Sforce-Query-Options` header.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;
use crate::http::json::json_response;
use crate::lock::lock;
use crate::model::ids::make_id;
use crate::soql::{bind_query, execute, parse_query};
use crate::state::AppState;

/// Numbers the query locators (`01g…`), which Salesforce makes look like ids.
static NEXT_LOCATOR: AtomicU64 = AtomicU64::new(1);

/// The batch size a request asks for with `Sforce-Query-Options: batchSize=N`
/// ("Query Options Header", REST API Developer Guide: 200 to 2,000, and not
/// guaranteed, so a size outside that range is brought into it), or the org's.
fn batch_size(app: &AppState, headers: &HeaderMap) -> usize {
    let requested = headers
        .get("Sforce-Query-Options")
        .and_then(|v| v.to_str().ok())
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|option| option.trim().strip_prefix("batchSize="))
        .find_map(|n| n.trim().parse::<usize>().ok());
    match requested {
        Some(n) => n.clamp(MIN_BATCH_SIZE, MAX_BATCH_SIZE),
        None => app.batch_size,
    }
}

const MIN_BATCH_SIZE: usize = 200;
const MAX_BATCH_SIZE: usize = 2000;

/// `GET /services/data/vNN.N/query?q=SOQL`
pub async fn query(
    State(app): State<Arc<AppState>>,
    Path(version): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let batch_size = batch_size(&app, &headers);
    let Some(text) = params.get("q").filter(|q| !q.trim().is_empty()) else {
        return ApiError::bad_request(
            ErrorCode::MalformedQuery,
            "A query string has to be specified",
        )
        .into_response();
    };
    let records = {
        let store = app.store();
        let bound = parse_query(text).and_then(|q| bind_query(store.schema(), &q));
        match bound {
            Ok(bound) => execute(&store, &bound, &version),
            Err(error) => return ApiError::from_soql(&error, text).into_response(),
        }
    };
    let records = Arc::new(records);
    let locator = make_id("01g", NEXT_LOCATOR.fetch_add(1, Ordering::Relaxed));
    if records.len() > batch_size {
        lock(&app.cursors).insert(locator.clone(), records.clone());
    }
    query_page(&records, 0, batch_size, &version, &locator)
}

/// `GET /services/data/vNN.N/query/<locator>-<offset>`: the next batch.
pub async fn query_more(
    State(app): State<Arc<AppState>>,
    Path((version, locator)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let invalid = || {
        ApiError::bad_request(ErrorCode::InvalidQueryLocator, "invalid query locator")
            .into_response()
    };
    let Some((id, offset)) = locator.split_once('-') else {
        return invalid();
    };
    let Ok(offset) = offset.parse::<usize>() else {
        return invalid();
    };
    let Some(records) = lock(&app.cursors).get(id).cloned() else {
        return invalid();
    };
    if offset >= records.len() {
        return invalid();
    }
    query_page(&records, offset, batch_size(&app, &headers), &version, id)
}

/// One batch of a query answer, with `nextRecordsUrl` when more remain.
fn query_page(
    records: &[Value],
    offset: usize,
    batch_size: usize,
    version: &str,
    locator: &str,
) -> Response {
    let end = (offset + batch_size).min(records.len());
    let done = end == records.len();
    let mut body = Map::new();
    body.insert("totalSize".into(), json!(records.len()));
    body.insert("done".into(), json!(done));
    if !done {
        body.insert(
            "nextRecordsUrl".into(),
            json!(format!("/services/data/{version}/query/{locator}-{end}")),
        );
    }
    body.insert("records".into(), json!(records[offset..end]));
    json_response(StatusCode::OK, &Value::Object(body))
}
