//! Field values: how a value sent by a client is checked and stored for a field's
//! type (Salesforce accepts `"true"` for a checkbox and `"42"` for a number, stores
//! an empty string as null, refuses text past a field's length, takes a time only as
//! `13:45:00.000Z`, and answers dateTimes as `2024-05-01T13:45:00.000+0000`),
//! and how two stored values compare (text case-insensitively, as SOQL does).
//! Storing one normalised form per type lets WHERE, ORDER BY and search compare
//! values without caring how they were written.

use std::cmp::Ordering;

use serde_json::Value;
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time, UtcOffset};

use crate::model::ids::canonical_id;
use crate::model::schema::{FieldDef, FieldType};

/// How Salesforce writes a dateTime in REST answers.
const SF_DATETIME: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+0000");
/// How Connect (Chatter) writes a dateTime.
const CHATTER_DATETIME: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
/// Salesforce's own form on input: an offset without a colon.
const SF_DATETIME_INPUT: &[BorrowedFormatItem<'_>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]][offset_hour sign:mandatory][offset_minute]"
);
const DATE: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");
/// A time field's one form: `HH:mm:ss.SSSZ`.
const TIME: &[BorrowedFormatItem<'_>] =
    format_description!("[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Why a value cannot be stored in a field.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueError {
    /// The JSON value does not fit the type (`JSON_PARSER_ERROR`).
    Parse(String),
    /// A reference that is not an id (`MALFORMED_ID`).
    MalformedId(String),
    /// Text longer than the field's length (`STRING_TOO_LONG`).
    TooLong(String),
}

/// The JSON token a value is, as Salesforce's JSON parser names it in its errors.
fn token_name(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "VALUE_STRING",
        Value::Number(n) if n.is_f64() => "VALUE_NUMBER_FLOAT",
        Value::Number(_) => "VALUE_NUMBER_INT",
        Value::Bool(true) => "VALUE_TRUE",
        Value::Bool(false) => "VALUE_FALSE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
        Value::Null => "VALUE_NULL",
    }
}

/// The stored form of `value` for `field`, or why it does not fit. Salesforce's
/// REST API reads a JSON scalar leniently where its JSON parser converts it (any
/// scalar into a text field, a numeric string into a number field, `"true"` into a
/// checkbox) and refuses what it cannot convert with `JSON_PARSER_ERROR`.
pub fn coerce_for_write(field: &FieldDef, value: Value) -> Result<Value, ValueError> {
    let kind = field.kind;
    let as_text = match &value {
        Value::Null => return Ok(Value::Null),
        // Salesforce keeps no empty strings: clearing a field is sending "".
        Value::String(s) if s.is_empty() && kind != FieldType::Boolean => return Ok(Value::Null),
        Value::String(s) => s.clone(),
        Value::Array(_) => "[".to_string(),
        Value::Object(_) => "{".to_string(),
        other => other.to_string(),
    };
    let parse_error = || {
        ValueError::Parse(format!(
            "Cannot deserialize instance of {} from {} value {} or request may be missing a required field",
            kind.soap_name(),
            token_name(&value),
            as_text
        ))
    };
    if value.is_array() || value.is_object() {
        return Err(parse_error());
    }
    match kind {
        k if k.is_text() => {
            let length = as_text.chars().count();
            match field.length {
                Some(max) if length > max => Err(ValueError::TooLong(format!(
                    "{}: data value too large: {as_text} (max length={max})",
                    field.label()
                ))),
                _ => Ok(Value::String(as_text)),
            }
        }
        FieldType::Id | FieldType::Reference => {
            canonical_id(&as_text).map(Value::String).ok_or_else(|| {
                ValueError::MalformedId(format!(
                    "{}: id value of incorrect type: {}",
                    field.name, as_text
                ))
            })
        }
        FieldType::Boolean => match &value {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::String(_) if as_text.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Value::String(_) if as_text.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => Err(parse_error()),
        },
        _ if value.is_boolean() => Err(parse_error()),
        FieldType::Int => {
            let n: f64 = as_text.trim().parse().map_err(|_| parse_error())?;
            if n.fract() != 0.0 {
                return Err(parse_error());
            }
            Ok(Value::from(n as i64))
        }
        k if k.is_number() => {
            let n: f64 = as_text.trim().parse().map_err(|_| parse_error())?;
            serde_json::Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(parse_error)
        }
        _ if value.is_number() => Err(parse_error()),
        FieldType::Date => normalize_date(&as_text)
            .map(Value::String)
            .ok_or_else(parse_error),
        FieldType::Datetime => normalize_datetime(&as_text)
            .map(Value::String)
            .ok_or_else(parse_error),
        FieldType::Time => normalize_time(&as_text)
            .map(Value::String)
            .ok_or_else(parse_error),
        _ => Err(parse_error()),
    }
}

/// `text` if it is a time of day as Salesforce's API writes one, `HH:mm:ss.SSSZ`
/// ("Considerations for the Time Custom Field Type", Salesforce Help: a time is
/// answered as `07:00:00.000Z`, and the `Z` marks no time zone). No Salesforce
/// document names another form the REST API takes, so the sandbox takes only this.
pub fn normalize_time(text: &str) -> Option<String> {
    Time::parse(text, TIME).ok().map(|_| text.to_string())
}

/// `YYYY-MM-DD` if `text` is a valid calendar date in that form.
pub fn normalize_date(text: &str) -> Option<String> {
    Date::parse(text, DATE)
        .ok()
        .map(|d| d.format(DATE).expect("a parsed date formats"))
}

/// Salesforce's answer form of a dateTime, in UTC, if `text` is one (ISO 8601 with
/// `Z` or an offset, with or without the colon).
pub fn normalize_datetime(text: &str) -> Option<String> {
    let parsed = OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, SF_DATETIME_INPUT))
        .ok()?;
    Some(format_sf_datetime(parsed))
}

fn format_sf_datetime(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .format(SF_DATETIME)
        .expect("a UTC dateTime formats")
}

/// Now, as Salesforce writes a dateTime field (`CreatedDate`).
pub fn now_datetime() -> String {
    format_sf_datetime(OffsetDateTime::now_utc())
}

/// Now, as Chatter writes `createdDate`.
pub fn now_chatter_datetime() -> String {
    OffsetDateTime::now_utc()
        .format(CHATTER_DATETIME)
        .expect("a UTC dateTime formats")
}

/// How two stored values of a field of type `kind` order; `None` when either is
/// null (SOQL comparisons with null are false).
pub fn compare(kind: FieldType, a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::String(x), Value::String(y)) if kind.is_id() => Some(x.cmp(y)),
        (Value::String(x), Value::String(y)) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldType) -> FieldDef {
        serde_json::from_value(serde_json::json!({"name": "F", "type": "string"}))
            .map(|f: FieldDef| FieldDef { kind, ..f })
            .unwrap()
    }

    #[test]
    fn text_fields_take_scalars_as_text_and_empty_as_null() {
        let f = field(FieldType::String);
        assert_eq!(coerce_for_write(&f, "x".into()), Ok("x".into()));
        assert_eq!(coerce_for_write(&f, 5.into()), Ok("5".into()));
        assert_eq!(coerce_for_write(&f, "".into()), Ok(Value::Null));
        assert!(matches!(
            coerce_for_write(&f, serde_json::json!([1])),
            Err(ValueError::Parse(_))
        ));
    }

    #[test]
    fn booleans_and_numbers_accept_their_text() {
        let b = field(FieldType::Boolean);
        assert_eq!(coerce_for_write(&b, "TRUE".into()), Ok(true.into()));
        assert_eq!(coerce_for_write(&b, false.into()), Ok(false.into()));
        assert!(coerce_for_write(&b, "yes".into()).is_err());
        let i = field(FieldType::Int);
        assert_eq!(coerce_for_write(&i, "42".into()), Ok(42.into()));
        assert!(coerce_for_write(&i, "4.5".into()).is_err());
        let d = field(FieldType::Double);
        assert_eq!(coerce_for_write(&d, "4.5".into()), Ok(4.5.into()));
        assert!(coerce_for_write(&d, "four".into()).is_err());
    }

    #[test]
    fn references_are_stored_as_eighteen_character_ids() {
        let r = field(FieldType::Reference);
        assert_eq!(
            coerce_for_write(&r, "001A0000006Vm9r".into()),
            Ok("001A0000006Vm9rIAC".into())
        );
        assert!(matches!(
            coerce_for_write(&r, "nope".into()),
            Err(ValueError::MalformedId(m)) if m == "F: id value of incorrect type: nope"
        ));
    }

    #[test]
    fn dates_and_datetimes_are_normalised() {
        let d = field(FieldType::Date);
        assert_eq!(
            coerce_for_write(&d, "2024-02-29".into()),
            Ok("2024-02-29".into())
        );
        assert!(coerce_for_write(&d, "2023-02-29".into()).is_err());
        assert!(coerce_for_write(&d, "tomorrow".into()).is_err());
        let dt = field(FieldType::Datetime);
        for input in [
            "2024-05-01T13:45:00Z",
            "2024-05-01T15:45:00+02:00",
            "2024-05-01T13:45:00.000+0000",
        ] {
            assert_eq!(
                coerce_for_write(&dt, input.into()),
                Ok("2024-05-01T13:45:00.000+0000".into()),
                "{input}"
            );
        }
        assert!(coerce_for_write(&dt, "2024-05-01".into()).is_err());
    }

    #[test]
    fn times_take_only_the_apis_form() {
        let t = field(FieldType::Time);
        assert_eq!(
            coerce_for_write(&t, "13:45:00.000Z".into()),
            Ok("13:45:00.000Z".into())
        );
        for refused in [
            "13:45:00",
            "13:45",
            "13:45:00Z",
            "13:45:00.000",
            "13:45:00.000+01:00",
            "25:00:00.000Z",
            "2024-05-01T13:45:00.000Z",
        ] {
            assert_eq!(
                coerce_for_write(&t, refused.into()),
                Err(ValueError::Parse(format!(
                    "Cannot deserialize instance of time from VALUE_STRING value {refused} or request may be missing a required field"
                ))),
                "{refused}"
            );
        }
    }

    #[test]
    fn refusals_name_the_json_token_sent() {
        let message = |kind, value: Value| match coerce_for_write(&field(kind), value) {
            Err(ValueError::Parse(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            message(FieldType::Boolean, 1.into()),
            "Cannot deserialize instance of boolean from VALUE_NUMBER_INT value 1 or request may be missing a required field"
        );
        assert_eq!(
            message(FieldType::Date, 1.5.into()),
            "Cannot deserialize instance of date from VALUE_NUMBER_FLOAT value 1.5 or request may be missing a required field"
        );
        assert_eq!(
            message(FieldType::Double, true.into()),
            "Cannot deserialize instance of double from VALUE_TRUE value true or request may be missing a required field"
        );
        assert_eq!(
            message(FieldType::String, serde_json::json!({"a": 1})),
            "Cannot deserialize instance of string from START_OBJECT value { or request may be missing a required field"
        );
    }

    #[test]
    fn text_past_the_fields_length_is_too_long() {
        let city = FieldDef {
            name: "BillingCity".into(),
            length: Some(5),
            ..field(FieldType::String)
        };
        assert_eq!(coerce_for_write(&city, "Paris".into()), Ok("Paris".into()));
        // Characters are counted, not bytes.
        assert_eq!(coerce_for_write(&city, "Nîmes".into()), Ok("Nîmes".into()));
        assert_eq!(
            coerce_for_write(&city, "London".into()),
            Err(ValueError::TooLong(
                "Billing City: data value too large: London (max length=5)".into()
            ))
        );
        // A number sent to a text field is its text, and counted as such.
        assert_eq!(
            coerce_for_write(&city, 123456.into()),
            Err(ValueError::TooLong(
                "Billing City: data value too large: 123456 (max length=5)".into()
            ))
        );
    }

    #[test]
    fn text_compares_case_insensitively_and_ids_exactly() {
        let a = Value::from("acme");
        let b = Value::from("ACME");
        assert_eq!(compare(FieldType::String, &a, &b), Some(Ordering::Equal));
        assert_ne!(compare(FieldType::Id, &a, &b), Some(Ordering::Equal));
        assert_eq!(compare(FieldType::String, &a, &Value::Null), None);
        assert_eq!(
            compare(FieldType::Double, &2.into(), &10.5.into()),
            Some(Ordering::Less)
        );
    }
}
