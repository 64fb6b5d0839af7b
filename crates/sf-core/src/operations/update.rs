//! `update`: `PATCH /sobjects/<sf_object>/<sf_id>` with every other parameter a field to
//! set; answers `Status` = `204`, what flows built on the older function compare with,
//! whichever 2xx Salesforce answered.

use reqwest::Method;
use serde_json::Value;

use super::{Invocation, record_body, record_id};
use crate::answer;
use crate::api_name;
use crate::error::Result;
use crate::parameters::{ID, ID_EXPECTED, OBJECT, OBJECT_EXPECTED};
use crate::salesforce::ApiRequest;

pub async fn run(call: &Invocation<'_>) -> Result<Value> {
    let parameters = call.parameters;
    let object = parameters.required(OBJECT, OBJECT_EXPECTED)?;
    let object = api_name::object_in_path(OBJECT, &object)?;
    let id = record_id(ID, &parameters.required(ID, ID_EXPECTED)?)?;
    let fields = record_body::fields(call, &[OBJECT, ID])?;
    let request = ApiRequest::write(
        "update",
        Method::PATCH,
        format!("/sobjects/{object}/{id}"),
        Some(Value::Object(fields)),
    );
    call.send(&request).await?;
    Ok(answer::fields([("Status", "204")]))
}
