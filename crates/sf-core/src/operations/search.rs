//! `search` and `searchOne`: a parameterized search (`POST /parameterizedSearch`) for
//! `q` in one sObject, with an optional `where` and, for search, `overallLimit`. `q` is
//! text to search for, SOSL's reserved characters escaped, unless `sf_search_syntax` =
//! `sosl` (see [`crate::sosl`]).

use serde_json::{Value, json};

use super::Invocation;
use super::search_records;
use super::selection::Selection;
use crate::api_name;
use crate::error::{Error, Result};
use crate::masking::shown_value;
use crate::parameters::{FIELDS, FIELDS_EXPECTED, OBJECT, OBJECT_EXPECTED};
use crate::soql;
use crate::sosl::{self, SEARCH_SYNTAX, SearchSyntax};

const Q: &str = "q";
const WHERE: &str = "where";
const OVERALL_LIMIT: &str = "overallLimit";
const DEFAULT_OVERALL_LIMIT: u64 = 100;
/// Salesforce's own ceiling for a search's results.
const MAX_OVERALL_LIMIT: u64 = 2000;

pub async fn run(call: &Invocation<'_>, selection: Selection) -> Result<Value> {
    let parameters = call.parameters;
    let q = parameters.required(Q, "the text to search for")?;
    let syntax = SearchSyntax::from_parameter(parameters.optional(SEARCH_SYNTAX)?.as_deref())?;
    let q = sosl::search_text(&q, syntax);
    let fields = api_name::field_list(FIELDS, &parameters.required(FIELDS, FIELDS_EXPECTED)?)?;
    let object = parameters.required(OBJECT, OBJECT_EXPECTED)?;
    let mut sobject = json!({"name": api_name::identifier(OBJECT, &object)?});
    if let Some(condition) = parameters.optional(WHERE)? {
        sobject["where"] = Value::String(soql::enclosed_condition(WHERE, &condition)?.to_owned());
    }
    let mut body = json!({"q": q, "fields": fields, "sobjects": [sobject]});
    if selection == Selection::All {
        body["overallLimit"] = json!(overall_limit(parameters.optional(OVERALL_LIMIT)?)?);
    }
    let format = call.format()?;
    search_records::answer(
        call,
        &search_records::parameterized(body),
        selection,
        format,
    )
    .await
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
