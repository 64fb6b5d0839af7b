//! Reducing a caller's number to the form Salesforce stores and searches.
//!
//! Connect gives the caller's number in E.164 (`+441122334455`); orgs store numbers in
//! national form with any punctuation (`01122 334455`, `(555) 123-4567`). Searching for
//! the national significant number (`1122334455`) matches them all. Parsing is the
//! `rlibphonenumber` crate's, a port of Google's libphonenumber with its metadata,
//! chosen over the `phonenumber` crate for its start-up: `phonenumber` parses every
//! country's regular expressions on first use (55-87 ms of a cold start, see the
//! README's Performance section).

use rlibphonenumber::PhoneNumber;

/// The national significant number of `number`, or `None` for a withheld caller
/// (`anonymous`, any case), an empty value or one that is not an international number.
pub fn national_significant_number(number: &str) -> Option<String> {
    let number = number.trim();
    if number.is_empty() || number.eq_ignore_ascii_case("anonymous") {
        return None;
    }
    let parsed = PhoneNumber::parse(number, None).ok()?;
    // With its leading zeros: an Italian landline's national significant number keeps
    // its 0 (`+39 06 1234 5678` is `0612345678`).
    let national = parsed.get_national_significant_number();
    (!national.is_empty() && national.bytes().any(|b| b != b'0')).then_some(national)
}

/// Loads the numbering metadata now, rather than on the first caller's number.
pub fn load_metadata() {
    let _ = PhoneNumber::parse("+15551234567", None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers_from_several_countries() {
        let cases = [
            ("+15551234567", "5551234567"),
            ("+441122334455", "1122334455"),
            ("+44 (0)20 7946 0958", "2079460958"),
            ("+33612345678", "612345678"),
            ("+4930123456", "30123456"),
            ("+61 2 9876 5432", "298765432"),
            ("+81-3-1234-5678", "312345678"),
            ("+5511987654321", "11987654321"),
            ("+390612345678", "0612345678"),
            ("+39 347 123 4567", "3471234567"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                national_significant_number(input).as_deref(),
                Some(expected),
                "{input}"
            );
        }
    }

    #[test]
    fn withheld_empty_and_garbage_numbers_are_none() {
        for input in [
            "",
            "   ",
            "anonymous",
            "Anonymous",
            "ANONYMOUS",
            "garbage",
            "+",
            "+0",
            "12",
            "+1",
            "'; DELETE",
            "+99912345678",
        ] {
            assert_eq!(national_significant_number(input), None, "{input:?}");
        }
    }
}
