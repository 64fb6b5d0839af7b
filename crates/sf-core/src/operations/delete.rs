//! `delete`: `DELETE /sobjects/<sf_object>/<sf_id>`; answers `Response` = `None`, as the
//! older function did.

use reqwest::Method;
use serde_json::Value;

use super::{Invocation, record_id};
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
    let request = ApiRequest::write(
        "delete",
        Method::DELETE,
        format!("/sobjects/{object}/{id}"),
        None,
    );
    call.send(&request).await?;
    Ok(answer::fields([("Response", "None")]))
}
