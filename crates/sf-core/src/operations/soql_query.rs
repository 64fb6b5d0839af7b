//! Running a SOQL statement against `/query`, shared by `lookup`, `lookup_all`, `query`
//! and `queryOne`: its first batch of records, and the batches after it
//! (`nextRecordsUrl`) when every record is wanted.

use serde_json::Value;

use super::Invocation;
use super::selection::Selection;
use crate::answer::ResponseFormat;
use crate::error::{Error, Result};
use crate::salesforce::ApiRequest;

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
