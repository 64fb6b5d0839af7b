//! `lookup` and `lookup_all`: `SELECT <sf_fields> FROM <sf_object> WHERE …`, with every
//! other parameter a condition (see [`crate::soql::condition`] for how each is written).

use serde_json::Value;

use super::Invocation;
use super::selection::Selection;
use super::soql_query;
use super::uri_length::{check_uri_length, longest};
use crate::api_name;
use crate::error::Result;
use crate::parameters::{FIELDS, FIELDS_EXPECTED, OBJECT, OBJECT_EXPECTED};
use crate::soql;

pub async fn run(call: &Invocation<'_>, selection: Selection) -> Result<Value> {
    let parameters = call.parameters;
    let object = parameters.required(OBJECT, OBJECT_EXPECTED)?;
    let object = api_name::identifier(OBJECT, &object)?;
    let fields_text = parameters.required(FIELDS, FIELDS_EXPECTED)?;
    let fields = api_name::field_list(FIELDS, &fields_text)?;
    let values = parameters.others(&[OBJECT, FIELDS])?;
    let conditions = values
        .iter()
        .map(|(field, value)| soql::condition(field, value))
        .collect::<Result<Vec<_>>>()?;
    let format = call.format()?;
    let statement = soql::select(&fields, object, &conditions);
    let lengths = values
        .iter()
        .map(|(name, value)| (*name, value.as_text().len()));
    check_uri_length(&statement, longest(lengths, FIELDS, fields_text.len()))?;
    soql_query::answer(call, &statement, selection, format).await
}
