//! `lookup` and `lookup_all`: `SELECT <sf_fields> FROM <sf_object> WHERE …`, with every
//! other parameter a condition (see [`crate::soql::condition`] for how each is written).

use serde_json::Value;

use super::Invocation;
use super::query::{all_records_answer, check_uri_length, first_page, longest};
use crate::answer;
use crate::error::Result;
use crate::parameters::{FIELDS, FIELDS_EXPECTED, OBJECT, OBJECT_EXPECTED};
use crate::soql;

pub async fn run(call: &Invocation<'_>, all: bool) -> Result<Value> {
    let parameters = call.parameters;
    let object = parameters.required(OBJECT, OBJECT_EXPECTED)?;
    let object = soql::identifier(OBJECT, &object)?;
    let fields_text = parameters.required(FIELDS, FIELDS_EXPECTED)?;
    let fields = soql::field_list(FIELDS, &fields_text)?;
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
    if all {
        return all_records_answer(call, &statement, format).await;
    }
    let page = first_page(call, &statement).await?;
    answer::one_record(page.records.first(), page.total_size, format)
}
