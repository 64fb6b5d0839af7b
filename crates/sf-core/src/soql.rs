//! SOQL text built so that no parameter value can change a statement's shape: values
//! become string literals with every escape SOQL defines ([`escape_literal`]), or typed
//! literals for JSON numbers and booleans; the lookup operation's conditions
//! ([`condition`]); a search's `where` checked to stay in its clause
//! ([`enclosed_condition`]); and the query operation's replacements ([`substitute`]).
//! Names (objects, fields) are checked by [`crate::api_name`].
//!
//! Replacements in a free-form `query` are the delicate part: the flow author's text is
//! trusted, the values (often the caller's own input) are not. A value that lands inside
//! a string literal of the template is escaped; a value that lands outside one (a field
//! or object name, a LIMIT) must be an identifier list or a number, or the call is
//! refused. Where a value lands is [`crate::replacements`]' to say.

use crate::api_name::{identifier, is_identifier};
use crate::error::{Error, Result};
use crate::masking::shown_value;
use crate::parameters::Scalar;
use crate::replacements::{Place, Quotes, Template};

/// SOQL's only quoted region: the string literal.
const STRING_LITERAL: Quotes = Quotes {
    open: b'\'',
    close: b'\'',
};

/// Escapes `value` for use between single quotes in SOQL, with the escape sequences the
/// SOQL reference defines (`\n \r \t \b \f \" \' \\`).
pub fn escape_literal(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\'' => escaped.push_str("\\'"),
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            '\u{8}' => escaped.push_str("\\b"),
            '\u{c}' => escaped.push_str("\\f"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// [`escape_literal`] for the pattern of a LIKE, where `%` and `_` are wildcards: they
/// become `\%` and `\_`, so a value matches only itself.
pub fn escape_like_literal(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() + 2);
    for c in escape_literal(value).chars() {
        if matches!(c, '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// [`escape_literal`] for a LIKE pattern the caller's value itself is, as in a lookup
/// condition holding `%`: `%` stays the wildcard the value asks for, and `_` becomes `\_`,
/// so that `jim_smith%` matches `jim_smith…` and not `jimXsmith…`.
pub fn escape_like_pattern(value: &str) -> String {
    escape_literal(value).replace('_', "\\_")
}

/// `'value'`, escaped.
pub fn quote(value: &str) -> String {
    format!("'{}'", escape_literal(value))
}

/// A scalar parameter value written as a SOQL literal: text is quoted and escaped,
/// numbers and booleans keep their JSON type, null is `null`.
fn literal(value: &Scalar) -> String {
    match value {
        Scalar::Text(text) => quote(text),
        Scalar::Number(number) => number.clone(),
        Scalar::Bool(flag) => flag.to_string(),
        Scalar::Null => "null".to_owned(),
    }
}

/// One lookup condition for parameter `field` = `value`:
/// - `MobilePhone`/`HomePhone` (any case): the last ten digits `AAABBBCCCC` match stored
///   numbers in any punctuation through `LIKE '%AAA%BBB%CCCC%'`;
/// - a text value holding `%`: `LIKE`, with `%` the only wildcard (`_` is escaped);
/// - otherwise `=`.
pub fn condition(field: &str, value: &Scalar) -> Result<String> {
    let field = identifier(field, field)?;
    if field.eq_ignore_ascii_case("MobilePhone") || field.eq_ignore_ascii_case("HomePhone") {
        let digits: String = match value {
            Scalar::Text(text) => text.chars().filter(char::is_ascii_digit).collect(),
            Scalar::Number(number) => number.chars().filter(char::is_ascii_digit).collect(),
            _ => String::new(),
        };
        if digits.len() < 10 {
            return Err(Error::invalid(
                field,
                "a phone number with at least ten digits",
            ));
        }
        let last_ten = &digits[digits.len() - 10..];
        return Ok(format!(
            "{field} LIKE '%{}%{}%{}%'",
            &last_ten[..3],
            &last_ten[3..6],
            &last_ten[6..]
        ));
    }
    match value {
        Scalar::Text(text) if text.contains('%') => {
            Ok(format!("{field} LIKE '{}'", escape_like_pattern(text)))
        }
        other => Ok(format!("{field} = {}", literal(other))),
    }
}

/// `SELECT <fields> FROM <object> [WHERE c1 AND c2 …]` from parts already checked.
pub fn select(fields: &[String], object: &str, conditions: &[String]) -> String {
    let mut soql = format!("SELECT {} FROM {}", fields.join(", "), object);
    if !conditions.is_empty() {
        soql.push_str(" WHERE ");
        soql.push_str(&conditions.join(" AND "));
    }
    soql
}

/// True when `before` (the text before a literal) ends with the keyword LIKE.
fn follows_like(before: &str) -> bool {
    let before = before.trim_end();
    let Some(keyword_at) = before.len().checked_sub(4) else {
        return false;
    };
    before
        .get(keyword_at..)
        .is_some_and(|keyword| keyword.eq_ignore_ascii_case("like"))
        && !before[..keyword_at]
            .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Checks that parameter `parameter` is one condition a flow author can hand to
/// Salesforce inside a larger statement (a search's `where`): every literal closed and
/// every parenthesis balanced, so that it cannot end the clause it is put in.
pub fn enclosed_condition<'a>(parameter: &str, condition: &'a str) -> Result<&'a str> {
    let scanned = Template::scan(condition, &[STRING_LITERAL]);
    let mut balanced = scanned.regions_closed();
    let mut depth: usize = 0;
    for byte in scanned.outside() {
        match byte {
            b'(' => depth += 1,
            b')' => match depth.checked_sub(1) {
                Some(less) => depth = less,
                None => balanced = false,
            },
            _ => {}
        }
    }
    if balanced && depth == 0 {
        Ok(condition)
    } else {
        Err(Error::invalid(
            parameter,
            format!(
                "a condition with every quote closed and every parenthesis balanced, such as \
                 \"Status = 'New'\", got {}",
                shown_value(condition)
            ),
        ))
    }
}

/// True for text that may stand outside a literal in place of a parameter: a field or
/// object name, a comma-separated list of them, or a plain number (a LIMIT, an amount).
fn is_bare_value(text: &str) -> bool {
    let is_number = {
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let mut parts = unsigned.splitn(2, '.');
        let whole = parts.next().unwrap_or("");
        let fraction = parts.next();
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    };
    is_number || (!text.is_empty() && text.split(',').all(|part| is_identifier(part.trim())))
}

/// Replaces every occurrence of each parameter name in `template` by its value, in the
/// order given. Inside a string literal the value is escaped (and in a LIKE pattern its
/// wildcards too, so a caller's input cannot widen the match the flow author wrote);
/// outside, it must be a name, a list of names or a number.
pub fn substitute(template: &str, replacements: &[(&str, Scalar)]) -> Result<String> {
    Template::scan(template, &[STRING_LITERAL]).substitute(replacements, |name, value, place| {
        replacement_text(template, name, value, place)
    })
}

fn replacement_text(template: &str, name: &str, value: &Scalar, place: Place) -> Result<String> {
    let text = value.as_text();
    match place {
        Place::Inside { opened_at, .. } if follows_like(&template[..opened_at]) => {
            return Ok(escape_like_literal(&text));
        }
        Place::Inside { .. } => return Ok(escape_literal(&text)),
        Place::Across => {
            return Err(Error::invalid(
                name,
                "a parameter name that stands either wholly outside or wholly inside a \
                 quoted text in `query`, never across a quote or within an escape such as \\n",
            ));
        }
        Place::Outside => {}
    }
    if matches!(value, Scalar::Bool(_) | Scalar::Null) || is_bare_value(text.trim()) {
        return Ok(text.trim().to_owned());
    }
    Err(Error::invalid(
        name,
        format!(
            "a field or object name, a comma-separated list of names, or a number, because \
             `{name}` stands outside quotes in `query` (put it inside quotes to search for text); got {}",
            shown_value(&text)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Scalar {
        Scalar::Text(value.to_owned())
    }

    #[test]
    fn escapes_every_soql_escape() {
        assert_eq!(escape_literal(r"O'Brien"), r"O\'Brien");
        assert_eq!(escape_literal(r"back\slash"), r"back\\slash");
        assert_eq!(escape_literal("say \"hi\""), r#"say \"hi\""#);
        assert_eq!(
            escape_literal("a\nb\rc\td\u{8}e\u{c}f"),
            r"a\nb\rc\td\be\ff"
        );
        assert_eq!(escape_literal(r"\'"), r"\\\'");
        assert_eq!(escape_literal("100% ünïcode"), "100% ünïcode");
    }

    #[test]
    fn plain_like_and_typed_conditions() {
        assert_eq!(condition("Name", &text("Jim")).unwrap(), "Name = 'Jim'");
        assert_eq!(condition("Name", &text("Ji%")).unwrap(), "Name LIKE 'Ji%'");
        assert_eq!(
            condition("Subject", &text("it's 50% off\\")).unwrap(),
            r"Subject LIKE 'it\'s 50% off\\'"
        );
        assert_eq!(
            condition("Amount", &Scalar::Number("12.5".into())).unwrap(),
            "Amount = 12.5"
        );
        assert_eq!(
            condition("IsClosed", &Scalar::Bool(false)).unwrap(),
            "IsClosed = false"
        );
        assert_eq!(condition("Email", &Scalar::Null).unwrap(), "Email = null");
        assert_eq!(
            condition("Account.Name", &text("x' OR Name != '")).unwrap(),
            r"Account.Name = 'x\' OR Name != \''"
        );
    }

    #[test]
    fn a_like_condition_has_only_percent_for_a_wildcard() {
        assert_eq!(
            condition("Email", &text("jim_smith%")).unwrap(),
            r"Email LIKE 'jim\_smith%'"
        );
        assert_eq!(
            condition("Name", &text("O'B_%\\")).unwrap(),
            r"Name LIKE 'O\'B\_%\\'"
        );
        // Without `%` there is no LIKE, so `_` needs no escape.
        assert_eq!(condition("Name", &text("a_b")).unwrap(), "Name = 'a_b'");
    }

    #[test]
    fn phone_fields_match_any_punctuation() {
        assert_eq!(
            condition("MobilePhone", &text("+1 (555) 123-4567")).unwrap(),
            "MobilePhone LIKE '%555%123%4567%'"
        );
        assert_eq!(
            condition("homephone", &text("+441122334455")).unwrap(),
            "homephone LIKE '%112%233%4455%'"
        );
        assert_eq!(
            condition("MobilePhone", &Scalar::Number("5551234567".into())).unwrap(),
            "MobilePhone LIKE '%555%123%4567%'"
        );
        let error = condition("MobilePhone", &text("12345")).unwrap_err();
        assert!(error.to_string().contains("`MobilePhone`"), "{error}");
        assert!(condition("MobilePhone", &text("anonymous")).is_err());
    }

    #[test]
    fn condition_refuses_bad_field_names() {
        let error = condition("Name = 'x' OR Id", &text("y")).unwrap_err();
        assert!(matches!(error, Error::InvalidParameter { .. }));
    }

    #[test]
    fn select_with_and_without_conditions() {
        let fields = vec!["Id".to_owned(), "Subject".to_owned()];
        assert_eq!(select(&fields, "Case", &[]), "SELECT Id, Subject FROM Case");
        assert_eq!(
            select(
                &fields,
                "Case",
                &["Status = 'New'".into(), "Priority = 'High'".into()]
            ),
            "SELECT Id, Subject FROM Case WHERE Status = 'New' AND Priority = 'High'"
        );
    }

    #[test]
    fn substitution_escapes_values_inside_literals() {
        let soql = substitute(
            "select Id from Contact where Phone LIKE '%number%'",
            &[("number", text("555' OR Name != '"))],
        )
        .unwrap();
        assert_eq!(
            soql,
            r"select Id from Contact where Phone LIKE '%555\' OR Name != \'%'"
        );
        let soql = substitute(
            "select Id from Case where Subject = 'subj'",
            &[("subj", text("a\\"))],
        )
        .unwrap();
        assert_eq!(soql, r"select Id from Case where Subject = 'a\\'");
    }

    #[test]
    fn substitution_outside_literals_takes_names_and_numbers_only() {
        let soql = substitute(
            "select fields from Case limit n",
            &[
                ("fields", text("Id, Subject")),
                ("n", Scalar::Number("5".into())),
            ],
        )
        .unwrap();
        assert_eq!(soql, "select Id, Subject from Case limit 5");
        let error = substitute(
            "select Id from object",
            &[("object", text("Case WHERE Id != null"))],
        )
        .unwrap_err();
        assert!(error.to_string().contains("`object`"), "{error}");
        assert!(substitute("select Id from Case limit n", &[("n", text("5 OFFSET 2"))]).is_err());
        assert!(substitute("select Id from Case limit n", &[("n", text(""))]).is_err());
    }

    #[test]
    fn wildcards_in_a_value_for_a_like_pattern_match_only_themselves() {
        assert_eq!(escape_like_literal(r"50%_off'"), r"50\%\_off\'");
        let soql = substitute(
            "select Id from Contact where Phone LIKE '%number%' and Name = 'who'",
            &[("number", text("%")), ("who", text("a_b%"))],
        )
        .unwrap();
        assert_eq!(
            soql,
            r"select Id from Contact where Phone LIKE '%\%%' and Name = 'a_b%'"
        );
        let soql = substitute(
            "select Id from Contact where Name\nlike\t'x%' or Title NOT LIKE 'x'",
            &[("x", text("_"))],
        )
        .unwrap();
        assert_eq!(
            soql,
            "select Id from Contact where Name\nlike\t'\\_%' or Title NOT LIKE '\\_'"
        );
        // A field that merely ends in "like" is not the keyword.
        assert!(!follows_like("where Unlike "));
        assert!(!follows_like("where ns.Like"));
        assert!(follows_like("where Name LIKE  "));
        assert!(!follows_like("ké"));
    }

    #[test]
    fn enclosed_conditions_cannot_end_their_clause() {
        for good in [
            "Status = 'New'",
            "(Status = 'New' OR Status = 'Open') AND Subject != 'a)b'",
            r"Subject = 'it\'s'",
            "",
        ] {
            assert_eq!(enclosed_condition("where", good).unwrap(), good);
        }
        for bad in [
            "Status = 'New') RETURNING User(Id",
            "Status = 'New",
            r"Subject = 'x\'",
            "(Status = 'New'",
            ")(",
        ] {
            let error = enclosed_condition("where", bad).unwrap_err();
            assert!(error.to_string().contains("`where`"), "{error}");
        }
    }
}
