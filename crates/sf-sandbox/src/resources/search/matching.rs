//! How the search index matches a term, for every search resource: text fields
//! match a case-insensitive substring; phone fields match on digits only, so
//! `1122334455` finds `+44 1122 334455` (the reason phone lookups use search
//! rather than SOQL); a [`Scope`] (ALL, NAME, EMAIL, PHONE) narrows the fields
//! searched.

use serde_json::Value;

use crate::model::schema::{FieldDef, FieldType, ObjectDef};
use crate::model::store::Record;

/// Which fields a term is looked for in (`"in"` of the request).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Name,
    Email,
    Phone,
}

impl Scope {
    pub fn parse(text: &str) -> Option<Scope> {
        match text.to_ascii_uppercase().as_str() {
            "ALL" => Some(Scope::All),
            "NAME" => Some(Scope::Name),
            "EMAIL" => Some(Scope::Email),
            "PHONE" => Some(Scope::Phone),
            _ => None,
        }
    }
}

/// The search term, reduced to what matching needs.
pub struct Term {
    /// Read by each search resource to refuse a term that is too short.
    pub(super) lowered: String,
    digits: String,
}

impl Term {
    /// Quotes and SOSL wildcards are dropped: the sandbox matches substrings anyway.
    pub fn new(q: &str) -> Term {
        let cleaned: String = q
            .trim()
            .trim_matches('"')
            .chars()
            .filter(|c| !matches!(c, '*' | '?'))
            .collect();
        Term {
            lowered: cleaned.trim().to_lowercase(),
            digits: digits_of(&cleaned),
        }
    }
}

fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether the digits of `term` occur in the digits of the phone number `value`.
pub fn phone_matches(term: &Term, value: &str) -> bool {
    !term.digits.is_empty() && digits_of(value).contains(&term.digits)
}

/// Whether `value` contains the term, ignoring case.
pub fn text_matches(term: &Term, value: &str) -> bool {
    !term.lowered.is_empty() && value.to_lowercase().contains(&term.lowered)
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

pub fn record_matches(object: &ObjectDef, record: &Record, scope: Scope, term: &Term) -> bool {
    object.fields.iter().any(|field| {
        record
            .get(&field.name)
            .and_then(Value::as_str)
            .is_some_and(|value| field_matches(scope, field, value, term))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn phone_matching_ignores_punctuation_on_both_sides() {
        let term = Term::new("1122334455");
        assert!(phone_matches(&term, "+44 1122 334455"));
        assert!(phone_matches(&Term::new("(555) 123-4567"), "555.123.4567"));
        assert!(phone_matches(&Term::new("5551234567"), "+1 (555) 123-4567"));
        assert!(!phone_matches(&term, "+44 1122 334466"));
        assert!(!phone_matches(&Term::new("call me"), "555 1234"));
    }

    #[test]
    fn text_matching_is_a_case_insensitive_substring() {
        let term = Term::new("ACME");
        assert!(text_matches(&term, "Acme Corporation"));
        assert!(text_matches(&Term::new("\"corp*\""), "Acme Corporation"));
        assert!(!text_matches(&term, "Globex"));
    }

    #[test]
    fn scopes_choose_the_fields() {
        let field = |json: Value| serde_json::from_value::<FieldDef>(json).unwrap();
        let phone = field(json!({"name": "Phone", "type": "phone"}));
        let email = field(json!({"name": "Email", "type": "email"}));
        let name = field(json!({"name": "Name", "type": "string", "nameField": true}));
        let term = Term::new("555 1234");
        assert!(field_matches(Scope::Phone, &phone, "(555) 1234", &term));
        assert!(field_matches(Scope::All, &phone, "(555) 1234", &term));
        assert!(!field_matches(Scope::Name, &phone, "(555) 1234", &term));
        let word = Term::new("smith");
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
