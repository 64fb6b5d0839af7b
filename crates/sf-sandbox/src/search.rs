//! `POST /services/data/vNN.N/parameterizedSearch`: a search term matched against
//! the records of the listed objects, as Salesforce's search index would. Text
//! fields match a case-insensitive substring; phone fields match on digits only,
//! so `1122334455` finds `+44 1122 334455` (the reason phone lookups use search
//! rather than SOQL). `in` narrows the fields searched (ALL, NAME, EMAIL, PHONE);
//! each object's `where` is parsed by the SOQL WHERE parser; `limit` and
//! `overallLimit` cut the answer.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::api_error::{ApiError, json_response};
use crate::rest::json_object;
use crate::schema::{FieldDef, FieldType, ObjectDef};
use crate::soql::eval::{ResolvedField, resolve_field};
use crate::soql::parser::FieldRef;
use crate::soql::{bind_condition, matches, parse_condition, project};
use crate::state::AppState;
use crate::store::Record;

/// Salesforce's ceiling, and the default, for `overallLimit`.
const MAX_RESULTS: usize = 2000;

/// Which fields a term is looked for in (`"in"` of the request).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Name,
    Email,
    Phone,
}

impl Scope {
    fn parse(text: &str) -> Option<Scope> {
        match text.to_ascii_uppercase().as_str() {
            "ALL" => Some(Scope::All),
            "NAME" => Some(Scope::Name),
            "EMAIL" => Some(Scope::Email),
            "PHONE" => Some(Scope::Phone),
            _ => None,
        }
    }
}

/// The search term, reduced to what matching needs.
pub struct Term {
    lowered: String,
    digits: String,
}

impl Term {
    /// Quotes and SOSL wildcards are dropped: the sandbox matches substrings anyway.
    pub fn new(q: &str) -> Term {
        let cleaned: String = q
            .trim()
            .trim_matches('"')
            .chars()
            .filter(|c| !matches!(c, '*' | '?'))
            .collect();
        Term {
            lowered: cleaned.trim().to_lowercase(),
            digits: digits_of(&cleaned),
        }
    }
}

fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether the digits of `term` occur in the digits of the phone number `value`.
pub fn phone_matches(term: &Term, value: &str) -> bool {
    !term.digits.is_empty() && digits_of(value).contains(&term.digits)
}

/// Whether `value` contains the term, ignoring case.
pub fn text_matches(term: &Term, value: &str) -> bool {
    !term.lowered.is_empty() && value.to_lowercase().contains(&term.lowered)
}

/// Whether `field`'s `value` matches the term within `scope`.
fn field_matches(scope: Scope, field: &FieldDef, value: &str, term: &Term) -> bool {
    let is_phone = field.kind == FieldType::Phone;
    match scope {
        Scope::Phone => is_phone && phone_matches(term, value),
        Scope::Email => field.kind == FieldType::Email && text_matches(term, value),
        Scope::Name => field.name_field && text_matches(term, value),
        Scope::All if is_phone => phone_matches(term, value) || text_matches(term, value),
        Scope::All => field.kind.is_text() && text_matches(term, value),
    }
}

fn record_matches(object: &ObjectDef, record: &Record, scope: Scope, term: &Term) -> bool {
    object.fields.iter().any(|field| {
        record
            .get(&field.name)
            .and_then(Value::as_str)
            .is_some_and(|value| field_matches(scope, field, value, term))
    })
}

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
                "INVALID_SEARCH",
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
                "MISSING_ARGUMENT",
                "The q parameter is required",
            ));
        }
    };
    let term = Term::new(&q);
    if term.lowered.chars().count() < 2 {
        return Err(ApiError::bad_request(
            "INVALID_SEARCH",
            format!("search term must be longer than one character: {q}"),
        ));
    }
    let scope = match request.get("in").and_then(Value::as_str) {
        None => Scope::All,
        Some(text) => Scope::parse(text).ok_or_else(|| {
            ApiError::bad_request("INVALID_SEARCH", format!("invalid search scope: {text}"))
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
                "INVALID_TYPE",
                format!("sObject type '{name}' is not supported."),
            )
        })?;
        let field_names = string_list(spec.get("fields"))
            .or_else(|| global_fields.clone())
            .unwrap_or_else(|| vec!["Id".to_string()]);
        let fields = field_names
            .iter()
            .map(|f| {
                let field_ref = FieldRef {
                    path: f.trim().to_string(),
                    position: 0,
                };
                resolve_field(schema, object, &field_ref)
                    .map_err(|e| ApiError::bad_request(e.code, e.message))
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
            .filter(|r| record_matches(object, r, scope, &term))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_matching_ignores_punctuation_on_both_sides() {
        let term = Term::new("1122334455");
        assert!(phone_matches(&term, "+44 1122 334455"));
        assert!(phone_matches(&Term::new("(555) 123-4567"), "555.123.4567"));
        assert!(phone_matches(&Term::new("5551234567"), "+1 (555) 123-4567"));
        assert!(!phone_matches(&term, "+44 1122 334466"));
        assert!(!phone_matches(&Term::new("call me"), "555 1234"));
    }

    #[test]
    fn text_matching_is_a_case_insensitive_substring() {
        let term = Term::new("ACME");
        assert!(text_matches(&term, "Acme Corporation"));
        assert!(text_matches(&Term::new("\"corp*\""), "Acme Corporation"));
        assert!(!text_matches(&term, "Globex"));
    }

    #[test]
    fn scopes_choose_the_fields() {
        let field = |json: Value| serde_json::from_value::<FieldDef>(json).unwrap();
        let phone = field(json!({"name": "Phone", "type": "phone"}));
        let email = field(json!({"name": "Email", "type": "email"}));
        let name = field(json!({"name": "Name", "type": "string", "nameField": true}));
        let term = Term::new("555 1234");
        assert!(field_matches(Scope::Phone, &phone, "(555) 1234", &term));
        assert!(field_matches(Scope::All, &phone, "(555) 1234", &term));
        assert!(!field_matches(Scope::Name, &phone, "(555) 1234", &term));
        let word = Term::new("smith");
        assert!(field_matches(
            Scope::Email,
            &email,
            "jim.smith@acme.example",
            &word
        ));
        assert!(!field_matches(Scope::Email, &name, "Jim Smith", &word));
        assert!(field_matches(Scope::Name, &name, "Jim Smith", &word));
        assert!(!field_matches(Scope::Phone, &name, "Jim Smith", &word));
        assert_eq!(Scope::parse("phone"), Some(Scope::Phone));
        assert_eq!(Scope::parse("SIDEBAR"), None);
    }
}
