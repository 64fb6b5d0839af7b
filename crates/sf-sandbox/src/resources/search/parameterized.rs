//! `POST /services/data/vNN.N/parameterizedSearch`: the search text `q` (SOSL's
//! FIND text without the braces: reserved characters refused unless escaped, a
//! term of two characters at least; see [`crate::sosl::text`]) matched (see
//! [`super::matching`]) against the records of the listed objects. Each object's
//! `where` is parsed by the SOQL WHERE parser; `limit` (else `defaultLimit`) and
//! `overallLimit` cut the answer, never past Salesforce's 2,000.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::matching::{Scope, record_matches};
use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;
use crate::http::json::{json_object, json_response};
use crate::model::field_paths::{ResolvedField, resolve_field_path};
use crate::model::records::project;
use crate::soql::{bind_condition, matches, parse_condition};
use crate::sosl::text::{Closing, parse_search_text};
use crate::state::AppState;

/// Salesforce's ceiling, and the default, for `overallLimit`.
pub const MAX_RESULTS: usize = 2000;

/// A limit sent as a number or as numeric text (Connect hands strings around).
fn limit_value(value: Option<&Value>, name: &str) -> Result<Option<usize>, ApiError> {
    let parsed = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    parsed
        .map(|n| Some((n as usize).min(MAX_RESULTS)))
        .ok_or_else(|| {
            ApiError::bad_request(
                ErrorCode::InvalidSearch,
                format!("invalid {name}: {}", value.unwrap_or(&Value::Null)),
            )
        })
}

fn string_list(value: Option<&Value>) -> Option<Vec<String>> {
    value?.as_array().map(|items| {
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    })
}

pub async fn parameterized_search(
    State(app): State<Arc<AppState>>,
    Path(version): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = json_object(&body)?;
    let q = match request.get("q") {
        Some(Value::String(q)) if !q.trim().is_empty() => q.clone(),
        _ => {
            return Err(ApiError::bad_request(
                ErrorCode::MissingArgument,
                "The q parameter is required",
            ));
        }
    };
    let chars: Vec<char> = q.chars().collect();
    let (search, _) = parse_search_text(&chars, 0, Closing::EndOfText)
        .map_err(|e| ApiError::bad_request(e.code, e.message))?;
    let scope = match request.get("in").and_then(Value::as_str) {
        None => Scope::All,
        Some(text) => Scope::parse(text).ok_or_else(|| {
            ApiError::bad_request(
                ErrorCode::InvalidSearch,
                format!("invalid search scope: {text}"),
            )
        })?,
    };
    let overall_limit =
        limit_value(request.get("overallLimit"), "overallLimit")?.unwrap_or(MAX_RESULTS);
    let default_limit = limit_value(request.get("defaultLimit"), "defaultLimit")?;
    let global_fields = string_list(request.get("fields"));

    let store = app.store();
    let schema = store.schema();
    // Without `sobjects`, Salesforce searches every searchable object.
    let requested: Vec<Value> = match request.get("sobjects") {
        Some(Value::Array(list)) => list.clone(),
        Some(_) => return Err(ApiError::json_parser("sobjects must be an array")),
        None => schema
            .objects
            .iter()
            .map(|o| json!({"name": o.name}))
            .collect(),
    };

    let mut results = Vec::new();
    for spec in &requested {
        let name = spec.get("name").and_then(Value::as_str).unwrap_or_default();
        let object = schema.object(name).ok_or_else(|| {
            ApiError::bad_request(
                ErrorCode::InvalidType,
                format!("sObject type '{name}' is not supported."),
            )
        })?;
        let field_names = string_list(spec.get("fields"))
            .or_else(|| global_fields.clone())
            .unwrap_or_else(|| vec!["Id".to_string()]);
        let fields = field_names
            .iter()
            .map(|f| {
                resolve_field_path(schema, object, f.trim())
                    .map_err(|e| ApiError::bad_request(ErrorCode::InvalidField, e.message))
            })
            .collect::<Result<Vec<ResolvedField>, _>>()?;
        let condition = match spec.get("where").and_then(Value::as_str) {
            Some(text) if !text.trim().is_empty() => Some(
                parse_condition(text)
                    .and_then(|c| bind_condition(schema, object, &c))
                    .map_err(|e| ApiError::from_soql(&e, text))?,
            ),
            _ => None,
        };
        let limit = limit_value(spec.get("limit"), "limit")?
            .or(default_limit)
            .unwrap_or(MAX_RESULTS);
        let found = store
            .records(&object.name)
            .iter()
            .filter(|r| record_matches(object, r, scope, &search))
            .filter(|r| condition.as_ref().is_none_or(|c| matches(&store, r, c)))
            .take(limit)
            .map(|r| project(&store, object, r, &fields, &version));
        results.extend(found);
    }
    results.truncate(overall_limit);
    Ok(json_response(
        StatusCode::OK,
        &json!({"searchRecords": results, "metadata": {}}),
    ))
}
