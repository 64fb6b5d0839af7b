//! Running a parameterized search (`POST /parameterizedSearch`), shared by `search`,
//! `searchOne` and `phoneLookup`: each builds its own body, this sends it and reads the
//! matched records.

use serde_json::Value;

use super::Invocation;
use crate::error::{Error, Result};
use crate::salesforce::ApiRequest;

/// The `searchRecords` of a parameterized search with `body`.
pub async fn records(call: &Invocation<'_>, body: Value) -> Result<Vec<Value>> {
    let request = ApiRequest::post_read("parameterizedSearch", "/parameterizedSearch", body);
    match call.send(&request).await? {
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
