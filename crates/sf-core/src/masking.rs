//! Masking customer data before it reaches a log line or an error message.
//!
//! Callers' phone numbers are personal data: they travel in lookup conditions,
//! phone-lookup searches and free-form queries, and Salesforce repeats them in its own
//! error messages. [`mask_phone_numbers`] hides all but the last four digits of anything
//! that looks like one, wherever it stands in a text, so request detail can be logged at
//! debug level and errors can show what was refused ([`crate::logging`] masks every
//! log line with it). [`shown_value`] is how an error
//! quotes a refused parameter value: masked, and cut short, since Connect allows 32 KB
//! per value and an error should not repeat all of it.

use serde_json::Value;

/// Digits left visible at the end of a masked number: enough to tell two callers apart
/// in a log, too few to call anyone.
const VISIBLE_DIGITS: usize = 4;
/// Runs with fewer digits are record counts, limits, amounts or years, not numbers to
/// call.
const MIN_PHONE_DIGITS: usize = 7;
/// How much of a refused value an error message repeats.
const SHOWN_CHARS: usize = 64;

/// True for the characters that punctuate written phone numbers (and `%`, which joins
/// the digit groups of a phone condition in SOQL, `LIKE '%555%123%4567%'`).
fn is_phone_punctuation(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+' | '%')
}

/// `text` with every phone-number-like run (seven or more digits, possibly punctuated)
/// masked to its last four digits: `+44 1122 334455` becomes `+** **** **4455`.
///
/// A run of digits glued to letters (`5008V0000000001QAA`, a record id), directly or
/// through one hyphen (`12345678-abcd-…`, a contact id), is part of a word, not a
/// number, and is left alone.
pub fn mask_phone_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_word = |at: usize| chars.get(at).is_some_and(|c| c.is_alphanumeric());
    let mut masked = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_run = chars[i].is_ascii_digit() || chars[i] == '+' || chars[i] == '(';
        let glued_to_word =
            i > 0 && (is_word(i - 1) || (chars[i - 1] == '-' && i > 1 && is_word(i - 2)));
        if !starts_run || glued_to_word {
            masked.push(chars[i]);
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len() && (chars[end].is_ascii_digit() || is_phone_punctuation(chars[end]))
        {
            end += 1;
        }
        // The run ends at its last digit: trailing punctuation belongs to the text.
        while end > i && !chars[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let run = &chars[i..end.max(i + 1)];
        let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
        let followed_by_word = is_word(end) || (chars.get(end) == Some(&'-') && is_word(end + 1));
        if digits >= MIN_PHONE_DIGITS && !followed_by_word {
            let mut left_to_hide = digits - VISIBLE_DIGITS;
            for &c in run {
                if c.is_ascii_digit() && left_to_hide > 0 {
                    masked.push('*');
                    left_to_hide -= 1;
                } else {
                    masked.push(c);
                }
            }
        } else {
            masked.extend(run);
        }
        i += run.len();
    }
    masked
}

/// A parameter value as an error message quotes it: phone numbers masked, at most 64
/// characters, in quotes with control characters escaped.
pub fn shown_value(value: &str) -> String {
    let masked = mask_phone_numbers(value);
    let total = masked.chars().count();
    if total <= SHOWN_CHARS {
        return format!("{masked:?}");
    }
    let head: String = masked.chars().take(SHOWN_CHARS).collect();
    format!("{head:?}… ({total} characters)")
}

/// `value` with the phone numbers in every string masked, at any depth. Numbers stay
/// as they are: a JSON number is a count or an id, and masking its digits would make it
/// invalid JSON.
pub fn mask_json_strings(value: &mut Value) {
    match value {
        Value::String(text) => *text = mask_phone_numbers(text),
        Value::Array(items) => items.iter_mut().for_each(mask_json_strings),
        Value::Object(members) => members.values_mut().for_each(mask_json_strings),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_any_punctuation_keep_their_last_four_digits() {
        let cases = [
            ("+441122334455", "+********4455"),
            ("+44 1122 334455", "+** **** **4455"),
            ("(555) 123-4567", "(***) ***-4567"),
            ("call 5551234567 now", "call ******4567 now"),
            (
                "MobilePhone LIKE '%555%123%4567%'",
                "MobilePhone LIKE '%***%***%4567%'",
            ),
            (
                r#"{"q":"1122334455","in":"PHONE"}"#,
                r#"{"q":"******4455","in":"PHONE"}"#,
            ),
            ("tel:+15551234567.", "tel:+*******4567."),
        ];
        for (text, expected) in cases {
            assert_eq!(mask_phone_numbers(text), expected, "{text}");
        }
    }

    #[test]
    fn short_numbers_and_record_ids_are_left_alone() {
        for text in [
            "SELECT Id FROM Case LIMIT 200 OFFSET 10",
            "/services/data/v66.0/sobjects/Case/5008V0000000001QAA",
            "0038V0000000001QAA",
            "contact 12345678-abcd-4ef0-9123-456789012345 answered",
            r#"{"requestId":"e2e-00000001-8f2b-4c0e-9f1d-0a1b2c3d4e5f"}"#,
            r#"{"timestamp":"2026-11-25T16:59:28.123456Z"}"#,
            "HTTP 503, 2 attempts",
            "",
        ] {
            assert_eq!(mask_phone_numbers(text), text);
        }
    }

    #[test]
    fn json_strings_are_masked_and_numbers_left_alone() {
        let mut value = serde_json::json!({
            "body": "{\"sf_phone\":\"+15551234567\"}",
            "list": ["5551234567"],
            "sdk_invocation_id": 3338609533u64
        });
        mask_json_strings(&mut value);
        assert_eq!(
            value,
            serde_json::json!({
                "body": "{\"sf_phone\":\"+*******4567\"}",
                "list": ["******4567"],
                "sdk_invocation_id": 3338609533u64
            })
        );
    }

    #[test]
    fn shown_values_are_masked_quoted_and_cut_short() {
        assert_eq!(shown_value("Case WHERE"), r#""Case WHERE""#);
        assert_eq!(shown_value("+15551234567"), r#""+*******4567""#);
        assert_eq!(shown_value("a\nb"), r#""a\nb""#);
        let long = "x".repeat(32 * 1024);
        let shown = shown_value(&long);
        assert!(shown.len() < 100, "{shown}");
        assert!(shown.ends_with("… (32768 characters)"), "{shown}");
    }
}
