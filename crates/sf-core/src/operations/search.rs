//! `search` and `searchOne`: a parameterized search (`POST /parameterizedSearch`) for
//! `q` in one sObject, with an optional `where` and, for search, `overallLimit`.
//! Also the search request shared with phoneLookup.

use serde_json::{Value, json};

use super::Invocation;
use crate::answer;
use crate::error::{Error, Result};
use crate::masking::shown_value;
use crate::parameters::{FIELDS, FIELDS_EXPECTED, OBJECT, OBJECT_EXPECTED};
use crate::salesforce::ApiRequest;
use crate::soql;

const Q: &str = "q";
const WHERE: &str = "where";
const OVERALL_LIMIT: &str = "overallLimit";
const DEFAULT_OVERALL_LIMIT: u64 = 100;
/// Salesforce's own ceiling for a search's results.
const MAX_OVERALL_LIMIT: u64 = 2000;

/// How many records the answer holds.
pub enum Answer {
    /// `sf_records_…` for every match (`search`).
    All,
    /// The record's fields when exactly one matched (`searchOne`).
    One,
}

pub async fn run(call: &Invocation<'_>, answer: Answer) -> Result<Value> {
    let parameters = call.parameters;
    let q = parameters.required(Q, "the text to search for")?;
    let fields = soql::field_list(FIELDS, &parameters.required(FIELDS, FIELDS_EXPECTED)?)?;
    let object = parameters.required(OBJECT, OBJECT_EXPECTED)?;
    let mut sobject = json!({"name": soql::identifier(OBJECT, &object)?});
    if let Some(condition) = parameters.optional(WHERE)? {
        sobject["where"] = Value::String(soql::enclosed_condition(WHERE, &condition)?.to_owned());
    }
    let mut body = json!({"q": q, "fields": fields, "sobjects": [sobject]});
    if let Answer::All = answer {
        body["overallLimit"] = json!(overall_limit(parameters.optional(OVERALL_LIMIT)?)?);
    }
    let format = call.format()?;
    let records = parameterized_search(call, body).await?;
    let count = records.len() as u64;
    match answer {
        Answer::All => answer::many_records(&records, count, format),
        Answer::One => answer::one_record(records.first().filter(|_| count == 1), count, format),
    }
}

fn overall_limit(value: Option<String>) -> Result<u64> {
    let Some(value) = value else {
        return Ok(DEFAULT_OVERALL_LIMIT);
    };
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|limit| (1..=MAX_OVERALL_LIMIT).contains(limit))
        .ok_or_else(|| {
            Error::invalid(
                OVERALL_LIMIT,
                format!(
                    "a whole number from 1 to {MAX_OVERALL_LIMIT}, got {}",
                    shown_value(&value)
                ),
            )
        })
}

/// The `searchRecords` of a parameterized search with `body`.
pub async fn parameterized_search(call: &Invocation<'_>, body: Value) -> Result<Vec<Value>> {
    let request = ApiRequest::post_read("parameterizedSearch", "/parameterizedSearch", body);
    match call.send(&request).await? {
        Value::Object(mut answer) => match answer.remove("searchRecords") {
            Some(Value::Array(records)) => Ok(records),
            _ => Err(Error::UnexpectedResponse(
                "a search answer without searchRecords".into(),
            )),
        },
        _ => Err(Error::UnexpectedResponse(
            "a search answer that is not an object".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_limit_defaults_and_bounds() {
        assert_eq!(overall_limit(None).unwrap(), 100);
        assert_eq!(overall_limit(Some(" 5 ".into())).unwrap(), 5);
        assert_eq!(overall_limit(Some("2000".into())).unwrap(), 2000);
        for bad in ["0", "2001", "-1", "ten", "1.5"] {
            let error = overall_limit(Some(bad.into())).unwrap_err();
            assert!(error.to_string().contains("`overallLimit`"), "{error}");
        }
    }
}
