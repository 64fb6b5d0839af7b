//! `create`: `POST /sobjects/<sf_object>` with every other parameter a field of the new
//! record; answers its `Id`.

use reqwest::Method;
use serde_json::Value;

use super::{Invocation, created_id, record_body};
use crate::answer;
use crate::api_name;
use crate::error::Result;
use crate::parameters::{OBJECT, OBJECT_EXPECTED};
use crate::salesforce::ApiRequest;

pub async fn run(call: &Invocation<'_>) -> Result<Value> {
    let object = call.parameters.required(OBJECT, OBJECT_EXPECTED)?;
    let object = api_name::object_in_path(OBJECT, &object)?;
    let fields = record_body::fields(call, &[OBJECT])?;
    let request = ApiRequest::write(
        "create",
        Method::POST,
        format!("/sobjects/{object}"),
        Some(Value::Object(fields)),
    );
    let id = created_id(&call.send(&request).await?)?;
    Ok(answer::fields([("Id", &id)]))
}
