//! `GET /services/data/vNN.N/search?q=FIND …`: a SOSL statement (parsed by
//! [`crate::sosl::statement`]) run against the org. Each RETURNING object is
//! searched in turn (all objects, ids only, without RETURNING), its WHERE and
//! ORDER BY evaluated by the SOQL pipeline and its LIMIT applied; the overall LIMIT (at
//! most, and by default, 2,000) cuts the whole. A search text longer than 10,000
//! characters finds nothing ("SOSL Syntax": "If the SearchQuery string is longer than
//! 10,000 characters, no result rows are returned"), once the statement is checked. The
//! answer is Salesforce's: `{"searchRecords": [record with attributes, …]}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::matching::record_matches;
use super::parameterized::MAX_RESULTS;
use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;
use crate::http::json::json_response;
use crate::model::field_paths::{ResolvedField, resolve_field_path};
use crate::model::records::project;
use crate::soql::{bind_condition, bind_query, matches, order_records, parse_query};
use crate::sosl::SoslError;
use crate::sosl::statement::{Returning, parse_statement};
use crate::state::AppState;

/// The longest search text Salesforce answers rows for.
const MAX_SEARCH_TEXT_CHARS: usize = 10_000;

pub async fn search(
    State(app): State<Arc<AppState>>,
    Path(version): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let text = params.get("q").map(String::as_str).unwrap_or_default();
    let refuse = |error: SoslError| ApiError::bad_request(error.code, error.render(text));
    let statement = parse_statement(text).map_err(refuse)?;

    let store = app.store();
    let schema = store.schema();
    let returning = statement.returning.clone().unwrap_or_else(|| {
        schema
            .objects
            .iter()
            .map(|o| Returning {
                object: o.name.clone(),
                object_position: 0,
                fields: Vec::new(),
                condition: None,
                order_by: None,
                limit: None,
            })
            .collect()
    });
    let overall_limit = statement.limit.unwrap_or(MAX_RESULTS).min(MAX_RESULTS);

    let mut results = Vec::new();
    for spec in &returning {
        let object = schema.object(&spec.object).ok_or_else(|| {
            refuse(SoslError {
                code: ErrorCode::InvalidType,
                message: format!("sObject type '{}' is not supported.", spec.object),
                position: Some(spec.object_position),
            })
        })?;
        let fields = if spec.fields.is_empty() {
            vec![
                resolve_field_path(schema, object, "Id")
                    .map_err(|e| ApiError::bad_request(ErrorCode::InvalidField, e.message))?,
            ]
        } else {
            spec.fields
                .iter()
                .map(|(name, position)| {
                    resolve_field_path(schema, object, name).map_err(|e| {
                        refuse(SoslError {
                            code: ErrorCode::InvalidField,
                            message: e.message,
                            position: Some(*position),
                        })
                    })
                })
                .collect::<Result<Vec<ResolvedField>, _>>()?
        };
        let condition = match &spec.condition {
            Some((condition, offset)) => Some(
                bind_condition(schema, object, condition)
                    .map_err(|e| refuse(SoslError::from_soql(e, *offset)))?,
            ),
            None => None,
        };
        // ORDER BY is SOQL's: read as the ORDER BY of a query on this object,
        // its errors moved back to where the clause stands in the statement.
        let order_by = match &spec.order_by {
            Some((text, offset)) => {
                let prefix = format!("SELECT Id FROM {} ORDER BY ", object.name);
                let prefix_len = prefix.chars().count();
                parse_query(&format!("{prefix}{text}"))
                    .and_then(|q| bind_query(schema, &q))
                    .map_err(|mut e| {
                        e.position = e.position.map(|p| p.saturating_sub(prefix_len));
                        refuse(SoslError::from_soql(e, *offset))
                    })?
                    .order_by
            }
            None => Vec::new(),
        };
        if statement.search_chars > MAX_SEARCH_TEXT_CHARS {
            continue;
        }
        let limit = spec.limit.unwrap_or(MAX_RESULTS);
        let mut found: Vec<_> = store
            .records(&object.name)
            .iter()
            .filter(|r| record_matches(object, r, statement.scope, &statement.search))
            .filter(|r| condition.as_ref().is_none_or(|c| matches(&store, r, c)))
            .collect();
        found.sort_by(|a, b| order_records(&store, a, b, &order_by));
        results.extend(
            found
                .into_iter()
                .take(limit)
                .map(|r| project(&store, object, r, &fields, &version)),
        );
    }
    results.truncate(overall_limit);
    Ok(json_response(
        StatusCode::OK,
        &json!({"searchRecords": results}),
    ))
}
