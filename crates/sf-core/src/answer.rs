//! Turning Salesforce records into the answer Amazon Connect accepts.
//!
//! Connect takes a flat object of strings (or, with JSON response validation, nested
//! objects of strings) and nothing of 32 KB or more. So: every value becomes a string
//! (`null` → empty, numbers and booleans as JSON writes them); the `attributes` member
//! Salesforce adds to every record and sub-record is dropped; nested objects are joined
//! into `Account.Name` keys ([`ResponseFormat::Flat`], the default, as the older function
//! did) or kept nested ([`ResponseFormat::Json`]); arrays (child sub-query results)
//! become members named by index, since Connect takes no arrays. Multi-record answers
//! prefix each record's keys with `sf_records_<i>_` and add `sf_count`.

use serde_json::{Map, Value};

use crate::error::{ANSWER_LIMIT_BYTES, Error, Result};
use crate::parameters::{Parameters, RESPONSE_FORMAT};

/// The shape of the answer, chosen with the `sf_response_format` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseFormat {
    /// `{"Account.Name": "Acme", "sf_records_0_Id": "…"}`.
    #[default]
    Flat,
    /// `{"Account": {"Name": "Acme"}, "sf_records_0": {"Id": "…"}}`.
    Json,
}

impl ResponseFormat {
    pub fn from_parameters(parameters: &Parameters) -> Result<Self> {
        match parameters.optional(RESPONSE_FORMAT)? {
            None => Ok(ResponseFormat::Flat),
            Some(format) if format.trim().eq_ignore_ascii_case("flat") => Ok(ResponseFormat::Flat),
            Some(format) if format.trim().eq_ignore_ascii_case("json") => Ok(ResponseFormat::Json),
            Some(_) => Err(Error::invalid(RESPONSE_FORMAT, "\"flat\" or \"json\"")),
        }
    }
}

/// A scalar as the string Connect receives.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The members of a record or sub-record, `attributes` left out; array items are
/// members named by their index.
fn members(value: &Value) -> Vec<(String, &Value)> {
    match value {
        Value::Object(object) => object
            .iter()
            .filter(|(key, _)| key.as_str() != "attributes")
            .map(|(key, value)| (key.clone(), value))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, value)| (index.to_string(), value))
            .collect(),
        _ => Vec::new(),
    }
}

fn is_nested(value: &Value) -> bool {
    value.is_object() || value.is_array()
}

/// Writes `value`'s scalars into `answer` under `prefix` + their `.`-joined path.
fn flatten_into(answer: &mut Map<String, Value>, prefix: &str, value: &Value) {
    for (key, member) in members(value) {
        let name = format!("{prefix}{key}");
        if is_nested(member) {
            flatten_into(answer, &format!("{name}."), member);
        } else {
            answer.insert(name, Value::String(scalar_text(member)));
        }
    }
}

/// `value` with every scalar a string, `attributes` dropped and arrays made objects.
fn stringify(value: &Value) -> Value {
    if !is_nested(value) {
        return Value::String(scalar_text(value));
    }
    Value::Object(
        members(value)
            .into_iter()
            .map(|(key, member)| (key, stringify(member)))
            .collect(),
    )
}

/// Adds one record to `answer`: its fields at the top level (`prefix` empty) or under a
/// record prefix such as `sf_records_0`.
fn add_record(
    answer: &mut Map<String, Value>,
    record: &Value,
    prefix: &str,
    format: ResponseFormat,
) {
    match (format, prefix.is_empty()) {
        (ResponseFormat::Flat, true) => flatten_into(answer, "", record),
        (ResponseFormat::Flat, false) => flatten_into(answer, &format!("{prefix}_"), record),
        (ResponseFormat::Json, true) => {
            if let Value::Object(fields) = stringify(record) {
                answer.extend(fields);
            }
        }
        (ResponseFormat::Json, false) => {
            answer.insert(prefix.to_owned(), stringify(record));
        }
    }
}

fn with_count(mut answer: Map<String, Value>, count: u64) -> Result<Value> {
    answer.insert("sf_count".to_owned(), Value::String(count.to_string()));
    within_limit(Value::Object(answer))
}

/// The answer for one record (lookup, phoneLookup, queryOne, searchOne): the record's
/// fields, when there is one, and `sf_count`, the number of records matched.
pub fn one_record(record: Option<&Value>, count: u64, format: ResponseFormat) -> Result<Value> {
    let mut answer = Map::new();
    if let Some(record) = record {
        add_record(&mut answer, record, "", format);
    }
    with_count(answer, count)
}

/// The answer for many records (lookup_all, query, search): `sf_records_<i>_…` and
/// `sf_count`, the number of records matched.
pub fn many_records(records: &[Value], count: u64, format: ResponseFormat) -> Result<Value> {
    let mut answer = Map::new();
    for (index, record) in records.iter().enumerate() {
        add_record(&mut answer, record, &format!("sf_records_{index}"), format);
    }
    with_count(answer, count)
}

/// An answer of fixed members, such as `{"Id": "…"}` or `{"Status": "204"}`.
pub fn fields<const N: usize>(members: [(&str, &str); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(key, value)| (key.to_owned(), Value::String(value.to_owned())))
            .collect(),
    )
}

/// Size in bytes of `answer` as the Lambda runtime will send it, counted as it is
/// serialized rather than by building the JSON.
pub fn encoded_size(answer: &Value) -> usize {
    let mut counter = ByteCounter(0);
    serde_json::to_writer(&mut counter, answer).map_or(usize::MAX, |()| counter.0)
}

/// A writer that only counts what it is given.
struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `answer` itself, or the error Connect would otherwise give less clearly.
pub fn within_limit(answer: Value) -> Result<Value> {
    let bytes = encoded_size(&answer);
    if bytes >= ANSWER_LIMIT_BYTES {
        return Err(Error::AnswerTooLarge { bytes });
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case_record() -> Value {
        json!({
            "attributes": {"type": "Case", "url": "/services/data/v66.0/sobjects/Case/500"},
            "Id": "5006g00000AaIs7AAF",
            "IsClosed": false,
            "Amount__c": 12.5,
            "Description": null,
            "Contact": {
                "attributes": {"type": "Contact", "url": "/x"},
                "Name": "Jim Smith",
                "Account": {"attributes": {"type": "Account"}, "Name": "Acme", "Owner": null}
            },
            "MailingAddress": {"City": "Leeds", "Street": null}
        })
    }

    #[test]
    fn one_record_flat_matches_the_documented_shape() {
        let answer = one_record(
            Some(&json!({"attributes": {"type": "Case"}, "Id": "5006g00000AaIs7AAF"})),
            1,
            ResponseFormat::Flat,
        )
        .unwrap();
        assert_eq!(answer, json!({"Id": "5006g00000AaIs7AAF", "sf_count": "1"}));
    }

    #[test]
    fn nested_fields_two_levels_deep_flatten_with_dots() {
        let answer = one_record(Some(&case_record()), 3, ResponseFormat::Flat).unwrap();
        assert_eq!(
            answer,
            json!({
                "Id": "5006g00000AaIs7AAF",
                "IsClosed": "false",
                "Amount__c": "12.5",
                "Description": "",
                "Contact.Name": "Jim Smith",
                "Contact.Account.Name": "Acme",
                "Contact.Account.Owner": "",
                "MailingAddress.City": "Leeds",
                "MailingAddress.Street": "",
                "sf_count": "3"
            })
        );
    }

    #[test]
    fn many_records_use_the_record_prefix_then_dots() {
        let records = [
            json!({"attributes": {}, "Id": "a", "Name": "Name0", "Account": {"attributes": {}, "Name": "Acme"}}),
            json!({"attributes": {}, "Id": "b", "Name": "Name1", "Account": null}),
        ];
        let answer = many_records(&records, 2, ResponseFormat::Flat).unwrap();
        assert_eq!(
            answer,
            json!({
                "sf_records_0_Id": "a",
                "sf_records_0_Name": "Name0",
                "sf_records_0_Account.Name": "Acme",
                "sf_records_1_Id": "b",
                "sf_records_1_Name": "Name1",
                "sf_records_1_Account": "",
                "sf_count": "2"
            })
        );
    }

    #[test]
    fn no_record_is_the_count_alone() {
        assert_eq!(
            one_record(None, 0, ResponseFormat::Flat).unwrap(),
            json!({"sf_count": "0"})
        );
        assert_eq!(
            many_records(&[], 0, ResponseFormat::Json).unwrap(),
            json!({"sf_count": "0"})
        );
    }

    #[test]
    fn json_format_keeps_nesting_as_strings_without_attributes() {
        let answer = one_record(Some(&case_record()), 1, ResponseFormat::Json).unwrap();
        assert_eq!(answer["Contact"]["Account"]["Name"], "Acme");
        assert_eq!(answer["Contact"]["Account"]["Owner"], "");
        assert_eq!(answer["Amount__c"], "12.5");
        assert!(answer.get("attributes").is_none());
        assert!(answer["Contact"].get("attributes").is_none());
        let many = many_records(&[case_record()], 1, ResponseFormat::Json).unwrap();
        assert_eq!(many["sf_records_0"]["Contact"]["Name"], "Jim Smith");
        assert_eq!(many["sf_count"], "1");
    }

    #[test]
    fn arrays_become_indexed_members() {
        let record = json!({
            "Id": "001",
            "Contacts": {"totalSize": 2, "done": true, "records": [
                {"attributes": {}, "Name": "A"}, {"attributes": {}, "Name": "B"}
            ]}
        });
        let flat = one_record(Some(&record), 1, ResponseFormat::Flat).unwrap();
        assert_eq!(flat["Contacts.records.1.Name"], "B");
        assert_eq!(flat["Contacts.totalSize"], "2");
        let nested = one_record(Some(&record), 1, ResponseFormat::Json).unwrap();
        assert_eq!(nested["Contacts"]["records"]["0"]["Name"], "A");
    }

    #[test]
    fn response_format_parameter() {
        let read = |value: Value| {
            ResponseFormat::from_parameters(&Parameters::new(
                json!({"sf_response_format": value})
                    .as_object()
                    .unwrap()
                    .clone(),
            ))
        };
        assert_eq!(read(json!("json")).unwrap(), ResponseFormat::Json);
        assert_eq!(read(json!("JSON")).unwrap(), ResponseFormat::Json);
        assert_eq!(read(json!("flat")).unwrap(), ResponseFormat::Flat);
        assert_eq!(read(json!("")).unwrap(), ResponseFormat::Flat);
        let error = read(json!("xml")).unwrap_err();
        assert!(
            error.to_string().contains("`sf_response_format`"),
            "{error}"
        );
    }

    #[test]
    fn answers_of_32_kb_or_more_are_errors() {
        let just_under = "x".repeat(ANSWER_LIMIT_BYTES - r#"{"Id":""}"#.len() - 1);
        assert!(within_limit(json!({"Id": just_under})).is_ok());
        let at_limit = "x".repeat(ANSWER_LIMIT_BYTES - r#"{"Id":""}"#.len());
        let error = within_limit(json!({"Id": at_limit})).unwrap_err();
        assert_eq!(
            error,
            Error::AnswerTooLarge {
                bytes: ANSWER_LIMIT_BYTES
            }
        );
        let records: Vec<Value> = (0..400)
            .map(|i| json!({"Id": format!("500{i:015}"), "Subject": "a fairly long subject line"}))
            .collect();
        assert!(matches!(
            many_records(&records, 400, ResponseFormat::Flat),
            Err(Error::AnswerTooLarge { .. })
        ));
    }

    #[test]
    fn fixed_fields() {
        assert_eq!(fields([("Status", "204")]), json!({"Status": "204"}));
    }
}
