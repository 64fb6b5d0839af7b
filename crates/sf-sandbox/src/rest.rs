//! The REST data resources: SOQL query (`/query?q=` and its `nextRecordsUrl`
//! batches) and sObject create, read, update, delete (`/sobjects/<Object>[/<id>]`),
//! answering Salesforce's shapes and status codes.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::api_error::{ApiError, json_response};
use crate::ids::make_id;
use crate::soql::eval::{attributes, resolve_field};
use crate::soql::parser::FieldRef;
use crate::soql::{bind_query, execute, parse_query};
use crate::state::{AppState, lock};
use crate::store::Writer;

/// Numbers the query locators (`01g…`), which Salesforce makes look like ids.
static NEXT_LOCATOR: AtomicU64 = AtomicU64::new(1);

/// `GET /services/data/vNN.N/query?q=SOQL`
pub async fn query(
    State(app): State<Arc<AppState>>,
    Path(version): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(text) = params.get("q").filter(|q| !q.trim().is_empty()) else {
        return ApiError::bad_request("MALFORMED_QUERY", "A query string has to be specified")
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
    if records.len() > app.batch_size {
        lock(&app.cursors).insert(locator.clone(), records.clone());
    }
    query_page(&app, &records, 0, &version, &locator)
}

/// `GET /services/data/vNN.N/query/<locator>-<offset>`: the next batch.
pub async fn query_more(
    State(app): State<Arc<AppState>>,
    Path((version, locator)): Path<(String, String)>,
) -> Response {
    let invalid =
        || ApiError::bad_request("INVALID_QUERY_LOCATOR", "invalid query locator").into_response();
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
    query_page(&app, &records, offset, &version, id)
}

/// One batch of a query answer, with `nextRecordsUrl` when more remain.
fn query_page(
    app: &AppState,
    records: &[Value],
    offset: usize,
    version: &str,
    locator: &str,
) -> Response {
    let end = (offset + app.batch_size).min(records.len());
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

/// `POST /services/data/vNN.N/sobjects/<Object>`
pub async fn create(
    State(app): State<Arc<AppState>>,
    Path((_version, object)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if app.store().schema().object(&object).is_none() {
        return Err(ApiError::not_found());
    }
    let fields = json_object(&body)?;
    let id = app.store().create(&object, fields, Writer::Client)?;
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"id": id, "success": true, "errors": []}),
    ))
}

/// `GET /services/data/vNN.N/sobjects/<Object>/<id>[?fields=A,B]`
pub async fn read(
    State(app): State<Arc<AppState>>,
    Path((version, object, id)): Path<(String, String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let store = app.store();
    let (def, record) = store.get(&object, &id)?;
    let mut answer = Map::new();
    answer.insert("attributes".into(), attributes(&def.name, record, &version));
    match params.get("fields") {
        Some(list) => {
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let field_ref = FieldRef {
                    path: name.to_string(),
                    position: 0,
                };
                let field = resolve_field(store.schema(), def, &field_ref)
                    .ok()
                    .filter(|f| f.hops.is_empty())
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            "INVALID_FIELD",
                            format!("No such column '{name}' on entity '{}'", def.name),
                        )
                    })?;
                answer.insert(field.name.clone(), record[&field.name].clone());
            }
        }
        None => answer.extend(record.clone()),
    }
    Ok(json_response(StatusCode::OK, &Value::Object(answer)))
}

/// `PATCH /services/data/vNN.N/sobjects/<Object>/<id>`
pub async fn update(
    State(app): State<Arc<AppState>>,
    Path((_version, object, id)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    app.store().get(&object, &id)?;
    let fields = json_object(&body)?;
    app.store().update(&object, &id, fields, Writer::Client)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /services/data/vNN.N/sobjects/<Object>/<id>`
pub async fn delete(
    State(app): State<Arc<AppState>>,
    Path((_version, object, id)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.store().delete(&object, &id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
