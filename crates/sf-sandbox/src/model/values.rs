//! Field values: how a value sent by a client is checked and stored for a field's
//! type (Salesforce accepts `"true"` for a checkbox and `"42"` for a number, stores
//! an empty string as null, and answers dateTimes as `2024-05-01T13:45:00.000+0000`),
//! and how two stored values compare (text case-insensitively, as SOQL does).
//! Storing one normalised form per type lets WHERE, ORDER BY and search compare
//! values without caring how they were written.

use std::cmp::Ordering;

use serde_json::Value;
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

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

/// Why a value cannot be stored in a field.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueError {
    /// The JSON value does not fit the type (`JSON_PARSER_ERROR`).
    Parse(String),
    /// A reference that is not an id (`MALFORMED_ID`).
    MalformedId(String),
}

/// The stored form of `value` for `field`, or why it does not fit.
pub fn coerce_for_write(field: &FieldDef, value: Value) -> Result<Value, ValueError> {
    let kind = field.kind;
    let value = match value {
        Value::Null => return Ok(Value::Null),
        // Salesforce keeps no empty strings: clearing a field is sending "".
        Value::String(s) if s.is_empty() && kind != FieldType::Boolean => return Ok(Value::Null),
        Value::Array(_) | Value::Object(_) => {
            return Err(ValueError::Parse(format!(
                "Cannot deserialize instance of {} from {} value {} or request may be missing a required field",
                kind.soap_name(),
                if value.is_array() {
                    "START_ARRAY"
                } else {
                    "START_OBJECT"
                },
                if value.is_array() { "[" } else { "{" },
            )));
        }
        other => other,
    };
    let as_text = match &value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let parse_error = || {
        ValueError::Parse(format!(
            "Cannot deserialize instance of {} from VALUE_STRING value {} or request may be missing a required field",
            kind.soap_name(),
            as_text
        ))
    };
    match kind {
        k if k.is_text() => Ok(Value::String(as_text)),
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
            _ if as_text.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            _ if as_text.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => Err(parse_error()),
        },
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
        FieldType::Date => normalize_date(&as_text)
            .map(Value::String)
            .ok_or_else(parse_error),
        FieldType::Datetime => normalize_datetime(&as_text)
            .map(Value::String)
            .ok_or_else(parse_error),
        _ => Err(parse_error()),
    }
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
