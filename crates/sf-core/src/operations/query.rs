//! `query` and `queryOne`: the flow's own SOQL, with every other parameter a replacement
//! (see [`crate::soql::substitute`]).

use serde_json::Value;

use super::Invocation;
use super::selection::Selection;
use super::soql_query;
use super::uri_length::check_statement_uri_length;
use crate::error::Result;
use crate::soql;

const QUERY: &str = "query";

pub async fn run(call: &Invocation<'_>, selection: Selection) -> Result<Value> {
    let parameters = call.parameters;
    let template = parameters.required(
        QUERY,
        "a SOQL statement, such as \"SELECT Id FROM Contact WHERE Phone LIKE '%number%'\"",
    )?;
    let replacements = parameters.others(&[QUERY])?;
    let statement = soql::substitute(&template, &replacements)?;
    check_statement_uri_length(&statement, QUERY, &template, &replacements)?;
    let format = call.format()?;
    soql_query::answer(call, &statement, selection, format).await
}
