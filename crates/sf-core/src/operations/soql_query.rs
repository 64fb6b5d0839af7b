//! Running a SOQL statement against `/query`, shared by `lookup`, `lookup_all`, `query`
//! and `queryOne`: the check that it fits in a request URI, its first batch of records,
//! and the batches after it (`nextRecordsUrl`) when every record is wanted.

use serde_json::Value;

use super::Invocation;
use super::selection::Selection;
use crate::answer::ResponseFormat;
use crate::error::{Error, Result};
use crate::salesforce::ApiRequest;

/// Salesforce takes a request's URI and headers together up to 16,384 bytes, and
/// answers 414 or 431 beyond; a query travels in the URI. This is what is left for the
/// URI once the headers (the bearer token above all) are counted.
const MAX_QUERY_URI_BYTES: usize = 15_360;
/// `/services/data/vNN.N/query?q=`, with room for a longer version.
const QUERY_PATH_BYTES: usize = 32;

/// Checks that `statement` fits in a query URI, before anything is sent; when it does
/// not, the error names `blame`, the parameter that made it long.
pub fn check_uri_length(statement: &str, blame: &str) -> Result<()> {
    // Form encoding, as the query string is written: unreserved bytes and spaces take
    // one byte, every other byte three (`%XX`).
    let encoded: usize = statement
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"*-._ ".contains(&b) {
                1
            } else {
                3
            }
        })
        .sum();
    let bytes = encoded + QUERY_PATH_BYTES;
    if bytes <= MAX_QUERY_URI_BYTES {
        return Ok(());
    }
    Err(Error::invalid(
        blame,
        format!(
            "a shorter value: the SOQL statement would take {bytes} bytes of the request URI, \
             and Salesforce takes at most {MAX_QUERY_URI_BYTES} there"
        ),
    ))
}

/// The parameter to blame for a long statement: the longest of `candidates` (name and
/// value), or `fallback` when none is longer than `fallback_length`.
pub fn longest<'a>(
    candidates: impl IntoIterator<Item = (&'a str, usize)>,
    fallback: &'a str,
    fallback_length: usize,
) -> &'a str {
    candidates
        .into_iter()
        .filter(|(_, length)| *length > fallback_length)
        .max_by_key(|(_, length)| *length)
        .map_or(fallback, |(name, _)| name)
}

/// One batch of a query's answer.
pub struct QueryPage {
    /// Records matched in all, across every batch.
    pub total_size: u64,
    pub records: Vec<Value>,
    /// Where the next batch is, while there is one.
    pub next_records_url: Option<String>,
}

impl QueryPage {
    fn from_body(body: Value) -> Result<Self> {
        let malformed =
            || Error::UnexpectedResponse("a query answer without totalSize and records".into());
        let Value::Object(mut body) = body else {
            return Err(malformed());
        };
        let total_size = body
            .get("totalSize")
            .and_then(Value::as_u64)
            .ok_or_else(malformed)?;
        let Some(Value::Array(records)) = body.remove("records") else {
            return Err(malformed());
        };
        let next_records_url = match body.remove("nextRecordsUrl") {
            Some(Value::String(url)) if url.starts_with("/services/data/") => Some(url),
            Some(Value::String(_)) => {
                return Err(Error::UnexpectedResponse(
                    "a nextRecordsUrl outside /services/data/".into(),
                ));
            }
            _ => None,
        };
        Ok(QueryPage {
            total_size,
            records,
            next_records_url,
        })
    }
}

/// The first batch of `statement`'s records.
async fn first_page(call: &Invocation<'_>, statement: &str) -> Result<QueryPage> {
    let request = ApiRequest::read("query", "/query").with_query("q", statement);
    QueryPage::from_body(call.send(&request).await?)
}

/// The answer to `statement` with the records `selection` wants: for [`Selection::All`],
/// following `nextRecordsUrl` until the last batch, or until the answer is already too
/// large for Connect; otherwise from the first batch alone.
pub async fn answer(
    call: &Invocation<'_>,
    statement: &str,
    selection: Selection,
    format: ResponseFormat,
) -> Result<Value> {
    let mut page = first_page(call, statement).await?;
    let mut records = std::mem::take(&mut page.records);
    loop {
        let answer = selection.answer(&records, page.total_size, format)?;
        let next = match (selection, page.next_records_url.take()) {
            (Selection::All, Some(next)) => next,
            _ => return Ok(answer),
        };
        page = QueryPage::from_body(call.send(&ApiRequest::read("query batch", next)).await?)?;
        records.append(&mut page.records);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_read_salesforce_query_answers() {
        let page = QueryPage::from_body(json!({
            "totalSize": 3, "done": false,
            "nextRecordsUrl": "/services/data/v66.0/query/01gD0000002HU6KIAW-2000",
            "records": [{"Id": "a"}]
        }))
        .unwrap();
        assert_eq!(page.total_size, 3);
        assert_eq!(page.records, [json!({"Id": "a"})]);
        assert_eq!(
            page.next_records_url.as_deref(),
            Some("/services/data/v66.0/query/01gD0000002HU6KIAW-2000")
        );
    }

    #[test]
    fn statements_too_long_for_a_uri_are_refused_naming_the_parameter() {
        let fits = format!(
            "SELECT Id FROM Case WHERE Subject = '{}'",
            "a".repeat(15_000)
        );
        assert!(check_uri_length(&fits, "Subject").is_ok());
        // Quotes and other reserved bytes take three bytes each once encoded.
        let too_long = format!(
            "SELECT Id FROM Case WHERE Subject = '{}'",
            "'".repeat(5_200)
        );
        let error = check_uri_length(&too_long, "Subject").unwrap_err();
        assert!(error.to_string().contains("`Subject`"), "{error}");
        assert!(error.to_string().contains("15360"), "{error}");
    }

    #[test]
    fn the_longest_value_is_blamed() {
        assert_eq!(
            longest([("a", 5), ("b", 900), ("c", 40)], "query", 100),
            "b"
        );
        assert_eq!(longest([("a", 5)], "query", 100), "query");
        assert_eq!(longest([], "sf_fields", 0), "sf_fields");
    }

    #[test]
    fn malformed_pages_are_errors() {
        for body in [
            json!([]),
            json!({"records": []}),
            json!({"totalSize": 1}),
            json!({"totalSize": 1, "records": {}}),
            json!({"totalSize": 1, "records": [], "nextRecordsUrl": "https://elsewhere.example/x"}),
        ] {
            assert!(QueryPage::from_body(body).is_err());
        }
    }
}
