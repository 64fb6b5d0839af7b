//! `phoneLookup`: the caller's number, reduced to its national significant number, searched
//! in the phone fields of Contact (or `sf_object`) with a parameterized search.
//! A withheld or unusable number answers `sf_count` = 0 without calling Salesforce:
//! anonymous callers are normal, not an error.

use serde_json::{Value, json};

use super::Invocation;
use super::search_records;
use super::selection::Selection;
use crate::api_name;
use crate::error::Result;
use crate::parameters::{FIELDS, FIELDS_EXPECTED, OBJECT};
use crate::phone::national_significant_number;

const PHONE: &str = "sf_phone";
const DEFAULT_OBJECT: &str = "Contact";

pub async fn run(call: &Invocation<'_>) -> Result<Value> {
    let parameters = call.parameters;
    // An absent sf_phone is a mistake in the flow; an empty one is a caller without a
    // number, handled below.
    let phone = match parameters.scalar(PHONE)? {
        Some(phone) => phone.as_text(),
        None => {
            return Err(crate::error::Error::missing(
                PHONE,
                "the caller's number in E.164 form, such as $.CustomerEndpoint.Address",
            ));
        }
    };
    let fields = api_name::field_list(FIELDS, &parameters.required(FIELDS, FIELDS_EXPECTED)?)?;
    let object = parameters.optional(OBJECT)?;
    let object = api_name::identifier(OBJECT, object.as_deref().unwrap_or(DEFAULT_OBJECT))?;
    let format = call.format()?;
    let Some(number) = national_significant_number(&phone) else {
        return Selection::First.answer(&[], 0, format);
    };
    let body = json!({
        "q": number,
        "in": "PHONE",
        "fields": fields,
        "sobjects": [{"name": object}],
    });
    search_records::answer(
        call,
        &search_records::parameterized(body),
        Selection::First,
        format,
    )
    .await
}
