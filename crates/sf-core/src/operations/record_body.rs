//! The JSON body of a record to create or update, built from the invocation's
//! parameters: shared by `create` and `update`.

use serde_json::{Map, Value};

use super::Invocation;
use crate::api_name;
use crate::error::{Error, Result};
use crate::parameters::Scalar;
use crate::relative_date;

/// The record body of a create or update: every parameter but `excluded`, each named by
/// a field API name. Text values may be relative dates (`2d|date`); numbers and
/// booleans keep their JSON type.
pub fn fields(call: &Invocation<'_>, excluded: &[&str]) -> Result<Map<String, Value>> {
    call.parameters
        .others(excluded)?
        .into_iter()
        .map(|(name, value)| {
            if name.contains('.') || !api_name::is_identifier(name) {
                return Err(Error::invalid(
                    name,
                    "a parameter named for a field API name of the record, such as Subject or Custom__c",
                ));
            }
            let value = match value {
                Scalar::Text(text) => Value::String(relative_date::resolve(name, &text, call.now)?),
                other => other.to_json(),
            };
            Ok((name.to_owned(), value))
        })
        .collect()
}
