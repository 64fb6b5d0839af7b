//! `searchSOSL` and `searchOneSOSL`: the flow's own SOSL statement, with every other
//! parameter a replacement (see [`crate::sosl::statement`]), sent as `GET /search?q=`
//! and answered over `searchRecords` as `search` and `searchOne` answer.

use serde_json::Value;

use super::Invocation;
use super::search_records;
use super::selection::Selection;
use super::uri_length::check_statement_uri_length;
use crate::error::Result;
use crate::sosl::{self, QUERY};

pub async fn run(call: &Invocation<'_>, selection: Selection) -> Result<Value> {
    let parameters = call.parameters;
    let template = parameters.required(
        QUERY,
        "a SOSL statement, such as \"FIND {callerName} IN NAME FIELDS RETURNING \
         Contact(Id, Name), Lead(Id, Name)\"",
    )?;
    let replacements = parameters.others(&[QUERY])?;
    let statement = sosl::statement(&template, &replacements)?;
    check_statement_uri_length(&statement, QUERY, &template, &replacements)?;
    let format = call.format()?;
    search_records::answer(call, &search_records::sosl(&statement), selection, format).await
}
