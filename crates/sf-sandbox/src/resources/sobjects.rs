//! The sObject resources: create (`POST /sobjects/<Object>`), and read, update,
//! delete (`GET|PATCH|DELETE /sobjects/<Object>/<id>`), answering Salesforce's
//! shapes and status codes. The rules a write must pass live in the model's store.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;
use crate::http::json::{json_object, json_response};
use crate::model::field_paths::resolve_field_path;
use crate::model::records::attributes;
use crate::model::store::Writer;
use crate::state::AppState;

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
                let field = resolve_field_path(store.schema(), def, name)
                    .ok()
                    .filter(|f| f.hops.is_empty())
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            ErrorCode::InvalidField,
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
