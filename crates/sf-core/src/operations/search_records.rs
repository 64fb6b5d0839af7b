//! Running a search and answering with the records it matched (`searchRecords`),
//! shared by `search`, `searchOne` and `phoneLookup`, which send a parameterized search
//! (`POST /parameterizedSearch`) of their own body, and by `searchSOSL` and
//! `searchOneSOSL`, which send a SOSL statement (`GET /search?q=`). Both resources
//! answer alike, so every search answers through [`answer`].

use serde_json::Value;

use super::Invocation;
use super::selection::Selection;
use crate::answer::ResponseFormat;
use crate::error::{Error, Result};
use crate::salesforce::ApiRequest;

/// A parameterized search with `body`.
pub fn parameterized(body: Value) -> ApiRequest {
    ApiRequest::post_read("parameterizedSearch", "/parameterizedSearch", body)
}

/// A search with the SOSL `statement`.
pub fn sosl(statement: &str) -> ApiRequest {
    ApiRequest::read("search", "/search").with_query("q", statement)
}

/// Sends the search `request` and answers with the records `selection` wants of every
/// record it matched, across every object searched.
pub async fn answer(
    call: &Invocation<'_>,
    request: &ApiRequest,
    selection: Selection,
    format: ResponseFormat,
) -> Result<Value> {
    let records = records(call.send(request).await?)?;
    selection.answer(&records, records.len() as u64, format)
}

/// The `searchRecords` of a search's answer.
fn records(answer: Value) -> Result<Vec<Value>> {
    match answer {
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
    use serde_json::json;

    #[test]
    fn records_are_the_search_records() {
        assert_eq!(
            records(json!({"searchRecords": [{"Id": "a"}], "metadata": {}})).unwrap(),
            [json!({"Id": "a"})]
        );
        for malformed in [
            json!([]),
            json!({"records": []}),
            json!({"searchRecords": {}}),
        ] {
            assert!(records(malformed).is_err());
        }
    }
}
