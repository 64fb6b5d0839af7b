//! `create`: `POST /sobjects/<sf_object>` with every other parameter a field of the new
//! record; answers its `Id`.

use reqwest::Method;
use serde_json::{Map, Value};

use super::{Invocation, created_id};
use crate::answer;
use crate::error::{Error, Result};
use crate::parameters::{OBJECT, OBJECT_EXPECTED};
use crate::relative_date;
use crate::salesforce::ApiRequest;
use crate::soql;

pub async fn run(call: &Invocation<'_>) -> Result<Value> {
    let object = call.parameters.required(OBJECT, OBJECT_EXPECTED)?;
    let object = soql::identifier(OBJECT, &object)?;
    let fields = record_fields(call, &[OBJECT])?;
    let request = ApiRequest::write(
        "create",
        Method::POST,
        format!("/sobjects/{object}"),
        Some(Value::Object(fields)),
    );
    let id = created_id(&call.send(&request).await?)?;
    Ok(answer::fields([("Id", &id)]))
}

/// The record body of a create or update: every parameter but `excluded`, each named by
/// a field API name. Text values may be relative dates (`2d|date`); numbers and
/// booleans keep their JSON type.
pub fn record_fields(call: &Invocation<'_>, excluded: &[&str]) -> Result<Map<String, Value>> {
    call.parameters
        .others(excluded)?
        .into_iter()
        .map(|(name, value)| {
            if name.contains('.') || !soql::is_identifier(name) {
                return Err(Error::invalid(
                    name,
                    "a parameter named for a field API name of the record, such as Subject or Custom__c",
                ));
            }
            let value = match value {
                crate::parameters::Scalar::Text(text) => {
                    Value::String(relative_date::resolve(name, &text, call.now)?)
                }
                other => other.to_json(),
            };
            Ok((name.to_owned(), value))
        })
        .collect()
}
