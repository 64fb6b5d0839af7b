//! Relative dates in create and update values: `<delta>|<format>`.
//!
//! `2d|date` is the day after tomorrow, `-1h|datetime` an hour ago, `|time` now. The
//! delta is empty or an integer followed by `w`, `d`, `h` or `m`; the format is `date`
//! (`2024-05-01`), `time` (`13:45:00.000Z`) or `datetime` (`2024-05-01T13:45:00Z`), all
//! in UTC. A value with `|` that is not of this form is an error rather than text, so
//! that a typo in a flow never lands in a date field.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result};
use crate::masking::shown_value;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");
/// A Salesforce `time` field takes `HH:mm:ss.SSSZ`, milliseconds and all, and answers
/// in the same form (`07:00:00.000Z`): "Considerations for the Time Custom Field Type",
/// https://help.salesforce.com/s/articleView?id=platform.custom_field_time_overview.htm&type=5
const TIME: &[FormatItem<'static>] =
    format_description!("[hour]:[minute]:[second].[subsecond digits:3]Z");
const DATETIME: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

const EXPECTED: &str = "a relative date `<delta>|<format>`: delta empty or an integer \
    followed by w, d, h or m (such as 2d or -3h), format date, time or datetime \
    (such as 2d|date); no other value may contain `|`";

/// The value to send for parameter `parameter`: `value` itself when it holds no `|`,
/// else the relative date it describes, counted from `now`.
pub fn resolve(parameter: &str, value: &str, now: OffsetDateTime) -> Result<String> {
    let Some((delta, format)) = value.split_once('|') else {
        return Ok(value.to_owned());
    };
    let invalid = || Error::invalid(parameter, format!("{EXPECTED}; got {}", shown_value(value)));
    let shift = parse_delta(delta.trim()).ok_or_else(invalid)?;
    let moment = now.checked_add(shift).ok_or_else(invalid)?;
    let items = match format.trim() {
        "date" => DATE,
        "time" => TIME,
        "datetime" => DATETIME,
        _ => return Err(invalid()),
    };
    moment.format(items).map_err(|_| invalid())
}

fn parse_delta(delta: &str) -> Option<Duration> {
    if delta.is_empty() {
        return Some(Duration::ZERO);
    }
    let unit = delta.chars().last()?;
    let amount = &delta[..delta.len() - unit.len_utf8()];
    let digits = amount.strip_prefix(['-', '+']).unwrap_or(amount);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let amount: i64 = amount.parse().ok()?;
    let minutes_per_unit = match unit {
        'w' => 7 * 24 * 60,
        'd' => 24 * 60,
        'h' => 60,
        'm' => 1,
        _ => return None,
    };
    // Counted in seconds with checks: `Duration::minutes` panics when the minutes do
    // not fit in seconds, and a flow (or a caller) can send any number of weeks.
    let seconds = amount.checked_mul(minutes_per_unit)?.checked_mul(60)?;
    Some(Duration::seconds(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2024-05-01 13:45:00 UTC);

    fn at_now(value: &str) -> Result<String> {
        resolve("ActivityDate", value, NOW)
    }

    #[test]
    fn huge_deltas_are_errors_not_panics() {
        for value in [
            "153722867280912931m|date",
            "2562047788015216h|time",
            "9223372036854775807w|datetime",
            "-9223372036854775808d|date",
            "99999999999w|date",
        ] {
            let error = at_now(value).unwrap_err();
            assert!(error.to_string().contains("`ActivityDate`"), "{error}");
        }
    }

    #[test]
    fn values_without_a_bar_are_untouched() {
        assert_eq!(at_now("Call back").unwrap(), "Call back");
        assert_eq!(at_now("").unwrap(), "");
    }

    #[test]
    fn each_unit_and_format() {
        assert_eq!(at_now("2d|date").unwrap(), "2024-05-03");
        assert_eq!(at_now("|date").unwrap(), "2024-05-01");
        assert_eq!(at_now("1w|date").unwrap(), "2024-05-08");
        assert_eq!(at_now("-3h|time").unwrap(), "10:45:00.000Z");
        assert_eq!(at_now("30m|datetime").unwrap(), "2024-05-01T14:15:00Z");
        assert_eq!(at_now("-1d|datetime").unwrap(), "2024-04-30T13:45:00Z");
        assert_eq!(at_now("+12h|datetime").unwrap(), "2024-05-02T01:45:00Z");
        assert_eq!(at_now("|time").unwrap(), "13:45:00.000Z");
    }

    #[test]
    fn malformed_relative_dates_are_errors_naming_the_parameter() {
        for bad in [
            "2|date",
            "d|date",
            "2x|date",
            "2d|",
            "2d|Date",
            "2d|date|x",
            "a | b",
            "--2d|date",
            "2.5d|date",
            "99999999999999999999w|date",
            "9999999999999w|date",
            "2 d|date",
            "٣d|date",
            "2d|datetime ",
            "|",
        ] {
            let result = at_now(bad);
            if bad == "2d|datetime " {
                // Spaces around the format are forgiven, like spaces around field names.
                assert_eq!(result.unwrap(), "2024-05-03T13:45:00Z");
                continue;
            }
            let error = result.expect_err(bad);
            assert!(error.to_string().contains("`ActivityDate`"), "{error}");
        }
    }
}
