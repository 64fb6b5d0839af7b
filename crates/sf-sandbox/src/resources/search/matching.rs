//! How the search index matches parsed search text ([`SearchExpr`]), for every
//! search resource. Salesforce's index "splits record information separated by
//! spaces or punctuation into separate tokens" (SOSL reference, FIND), so a
//! term matches whole words, case-insensitively, with `*` and `?` as
//! wildcards; a term with punctuation (`O\'Brien`) matches its words in a row.
//! Phone fields match on digits only, so `1122334455` finds `+44 1122 334455`
//! (the reason phone lookups use search rather than SOQL). Terms are ANDed
//! unless `OR` joins them; each term may match any searched field of the
//! record. A [`Scope`] (ALL, NAME, EMAIL, PHONE) narrows the fields searched.

use serde_json::Value;

use crate::model::schema::{FieldDef, FieldType, ObjectDef};
use crate::model::store::Record;
pub use crate::sosl::Scope;
use crate::sosl::text::{Piece, SearchExpr, Term};

fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `term` is a phone number (digits and punctuation, no letters) whose
/// digits occur in the digits of the phone number `value`. A term with letters
/// (`AB\-123`) is a word, not a number, even if it holds digits.
pub fn phone_matches(term: &Term, value: &str) -> bool {
    let digits = term.digits();
    !digits.is_empty() && !term.has_letters() && digits_of(value).contains(&digits)
}

/// `value` split into lowercase words at spaces and punctuation, as the index does.
fn words_of(value: &str) -> Vec<Vec<char>> {
    value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().collect())
        .collect()
}

/// Whether one word of the term (wildcards included) matches one word of a value.
fn word_matches(pattern: &[Piece], word: &[char]) -> bool {
    match pattern.split_first() {
        None => word.is_empty(),
        Some((Piece::AnyRun, rest)) => {
            (0..=word.len()).any(|skip| word_matches(rest, &word[skip..]))
        }
        Some((Piece::AnyOne, rest)) => !word.is_empty() && word_matches(rest, &word[1..]),
        Some((Piece::Char(c), rest)) => word.first() == Some(c) && word_matches(rest, &word[1..]),
    }
}

/// Whether the words of `term` occur, in a row, among the words of `value`.
pub fn text_matches(term: &Term, value: &str) -> bool {
    let pattern = term.words();
    let words = words_of(value);
    !pattern.is_empty()
        && words.len() >= pattern.len()
        && words
            .windows(pattern.len())
            .any(|run| run.iter().zip(&pattern).all(|(w, p)| word_matches(p, w)))
}

/// Whether `field`'s `value` matches the term within `scope`.
pub fn field_matches(scope: Scope, field: &FieldDef, value: &str, term: &Term) -> bool {
    let is_phone = field.kind == FieldType::Phone;
    match scope {
        Scope::Phone => is_phone && phone_matches(term, value),
        Scope::Email => field.kind == FieldType::Email && text_matches(term, value),
        Scope::Name => field.name_field && text_matches(term, value),
        Scope::All if is_phone => phone_matches(term, value) || text_matches(term, value),
        Scope::All => field.kind.is_text() && text_matches(term, value),
    }
}

fn term_matches(object: &ObjectDef, record: &Record, scope: Scope, term: &Term) -> bool {
    // A one-character word beside longer ones is below the index's minimum: it
    // narrows nothing.
    term.is_short()
        || object.fields.iter().any(|field| {
            record
                .get(&field.name)
                .and_then(Value::as_str)
                .is_some_and(|value| field_matches(scope, field, value, term))
        })
}

pub fn record_matches(
    object: &ObjectDef,
    record: &Record,
    scope: Scope,
    search: &SearchExpr,
) -> bool {
    match search {
        SearchExpr::Term(term) => term_matches(object, record, scope, term),
        SearchExpr::And(all) => all.iter().all(|s| record_matches(object, record, scope, s)),
        SearchExpr::Or(any) => any.iter().any(|s| record_matches(object, record, scope, s)),
        SearchExpr::AndNot(wanted, unwanted) => {
            record_matches(object, record, scope, wanted)
                && !record_matches(object, record, scope, unwanted)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sosl::text::{Closing, parse_search_text};

    fn term(text: &str) -> Term {
        let chars: Vec<char> = text.chars().collect();
        match parse_search_text(&chars, 0, Closing::EndOfText).unwrap().0 {
            SearchExpr::Term(term) => term,
            other => panic!("not one term: {other:?}"),
        }
    }

    #[test]
    fn phone_matching_ignores_punctuation_on_both_sides() {
        let t = term("1122334455");
        assert!(phone_matches(&t, "+44 1122 334455"));
        assert!(phone_matches(&term(r"\(555\)\ 123\-4567"), "555.123.4567"));
        assert!(phone_matches(&term(r"\+15551234567"), "+1 (555) 123-4567"));
        assert!(!phone_matches(&t, "+44 1122 334466"));
        assert!(!phone_matches(&term("\"call me\""), "555 1234"));
        assert!(!phone_matches(&term(r"AB\-123"), "555 123 4567"));
    }

    #[test]
    fn text_matches_whole_words_ignoring_case() {
        let t = term("ACME");
        assert!(text_matches(&t, "Acme Corporation"));
        assert!(text_matches(&t, "sam.lee@acme.example"));
        assert!(!text_matches(&term("acm"), "Acme Corporation"));
        assert!(!text_matches(&t, "Globex"));
        assert!(text_matches(
            &term("\"test subject\""),
            "test subject unique"
        ));
        assert!(!text_matches(
            &term("\"subject test\""),
            "test subject unique"
        ));
    }

    #[test]
    fn wildcards_match_within_a_word() {
        assert!(text_matches(&term("corp*"), "Acme Corporation"));
        assert!(text_matches(&term("jo?n"), "John Doe"));
        assert!(!text_matches(&term("jo?n"), "Jon Doe"));
        assert!(text_matches(&term("sa*a"), "Samantha Lee"));
        assert!(!text_matches(&term("sam?"), "Sam Lee"));
    }

    #[test]
    fn escaped_punctuation_matches_the_words_around_it() {
        assert!(text_matches(&term(r"O\'Brien"), "Aoife O'Brien"));
        assert!(text_matches(&term(r"AB\-123"), "Part AB-123 recall"));
        assert!(!text_matches(&term(r"AB\-124"), "Part AB-123 recall"));
    }

    #[test]
    fn scopes_choose_the_fields() {
        let field = |json: Value| serde_json::from_value::<FieldDef>(json).unwrap();
        let phone = field(json!({"name": "Phone", "type": "phone"}));
        let email = field(json!({"name": "Email", "type": "email"}));
        let name = field(json!({"name": "Name", "type": "string", "nameField": true}));
        let number = term("\"555 1234\"");
        assert!(field_matches(Scope::Phone, &phone, "(555) 1234", &number));
        assert!(field_matches(Scope::All, &phone, "(555) 1234", &number));
        assert!(!field_matches(Scope::Name, &phone, "(555) 1234", &number));
        let word = term("smith");
        assert!(field_matches(
            Scope::Email,
            &email,
            "jim.smith@acme.example",
            &word
        ));
        assert!(!field_matches(Scope::Email, &name, "Jim Smith", &word));
        assert!(field_matches(Scope::Name, &name, "Jim Smith", &word));
        assert!(!field_matches(Scope::Phone, &name, "Jim Smith", &word));
        assert_eq!(Scope::parse("phone"), Some(Scope::Phone));
        assert_eq!(Scope::parse("SIDEBAR"), None);
    }
}
