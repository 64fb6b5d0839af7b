//! Building SOQL text so that no parameter value can change a statement's shape.
//!
//! Three rules live here:
//! - identifiers (object and field names) are checked against SOQL's grammar and refused
//!   otherwise ([`identifier`], [`field_list`]);
//! - values become string literals with every escape SOQL defines
//!   ([`escape_literal`]), or typed literals for JSON numbers and booleans;
//! - the lookup operation's conditions ([`condition`]) and the query operation's
//!   replacements ([`substitute`]).
//!
//! Replacements in a free-form `query` are the delicate part: the flow author's text is
//! trusted, the values (often the caller's own input) are not. A value that lands inside
//! a string literal of the template is escaped; a value that lands outside one (a field
//! or object name, a LIMIT) must be an identifier list or a number, or the call is
//! refused. Inserted values are never searched again for other parameter names.

use crate::error::{Error, Result};
use crate::masking::shown_value;
use crate::parameters::Scalar;

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

/// `'value'`, escaped.
pub fn quote(value: &str) -> String {
    format!("'{}'", escape_literal(value))
}

/// True for one SOQL name: a letter, then letters, digits and underscores (custom
/// fields `Foo__c`, namespaces `ns__Foo__c`).
fn is_name(part: &str) -> bool {
    let mut chars = part.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// True for a name or a relationship path such as `Account.Owner.Name`.
pub fn is_identifier(candidate: &str) -> bool {
    !candidate.is_empty() && candidate.split('.').all(is_name)
}

/// Checks the value of parameter `parameter` is an sObject or field name.
pub fn identifier<'a>(parameter: &str, candidate: &'a str) -> Result<&'a str> {
    let trimmed = candidate.trim();
    if is_identifier(trimmed) {
        Ok(trimmed)
    } else {
        Err(Error::invalid(
            parameter,
            format!(
                "a Salesforce API name (letters, digits and `_`, with `.` for relationships), got {}",
                shown_value(candidate)
            ),
        ))
    }
}

/// True for one entry of a field list: a field path or a single-argument SOQL function
/// applied to one, such as `toLabel(Status)` or `FORMAT(Amount)`.
fn is_field_expression(entry: &str) -> bool {
    if let Some(inner) = entry.strip_suffix(')')
        && let Some((function, argument)) = inner.split_once('(')
    {
        return is_name(function.trim()) && is_identifier(argument.trim());
    }
    is_identifier(entry)
}

/// Splits a comma-separated field list (`"Id, Name , Account.Name"`), ignoring spaces
/// around names, and checks every entry.
pub fn field_list(parameter: &str, value: &str) -> Result<Vec<String>> {
    let fields: Vec<String> = value.split(',').map(|f| f.trim().to_owned()).collect();
    if fields.iter().any(|f| !is_field_expression(f)) {
        return Err(Error::invalid(
            parameter,
            format!(
                "a comma-separated list of field API names such as \"Id, Name, Account.Name\", got {}",
                shown_value(value)
            ),
        ));
    }
    Ok(fields)
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
/// - a text value holding `%`: `LIKE`;
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
        Scalar::Text(text) if text.contains('%') => Ok(format!("{field} LIKE {}", quote(text))),
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

/// What one byte of SOQL text is, seen from string literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Outside every string literal.
    Outside,
    /// A quote opening or closing a literal.
    Quote,
    /// A plain character inside a literal.
    Inside,
    /// A backslash starting an escape sequence inside a literal.
    EscapeStart,
    /// The character after such a backslash.
    Escaped,
}

/// For each byte of `soql`, where it stands relative to single-quoted string literals.
fn literal_positions(soql: &str) -> Vec<Position> {
    let mut positions = Vec::with_capacity(soql.len());
    let mut inside = false;
    let mut escaped = false;
    for byte in soql.bytes() {
        let position = if !inside {
            inside = byte == b'\'';
            if inside {
                Position::Quote
            } else {
                Position::Outside
            }
        } else if escaped {
            escaped = false;
            Position::Escaped
        } else if byte == b'\\' {
            escaped = true;
            Position::EscapeStart
        } else if byte == b'\'' {
            inside = false;
            Position::Quote
        } else {
            Position::Inside
        };
        positions.push(position);
    }
    positions
}

/// Where a replacement lands in the template, which decides how its value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Outside every literal: only names and numbers may stand there.
    Bare,
    /// Inside a string literal: the value is escaped.
    Literal,
    /// Inside the pattern of a LIKE: escaped, and its `%` and `_` are not wildcards,
    /// so a caller's input cannot widen the match the flow author wrote.
    LikePattern,
}

/// The slot of the occurrence of a parameter name at bytes `start..end` of `template`:
/// wholly outside literals, or wholly inside one literal and made of whole characters
/// (never a quote, never half of an escape sequence such as the `n` of `\n`); `None`
/// anywhere else. Replacing an occurrence of the last kind with an escaped value could
/// end a literal early, so those are refused.
fn slot(template: &str, positions: &[Position], start: usize, end: usize) -> Option<Slot> {
    let span = &positions[start..end];
    if span.iter().all(|p| *p == Position::Outside) {
        return Some(Slot::Bare);
    }
    let whole_characters = span.iter().all(|p| {
        matches!(
            p,
            Position::Inside | Position::EscapeStart | Position::Escaped
        )
    }) && span.first() != Some(&Position::Escaped)
        && span.last() != Some(&Position::EscapeStart);
    if !whole_characters {
        return None;
    }
    let opening_quote = positions[..start]
        .iter()
        .rposition(|p| *p == Position::Quote)?;
    Some(if follows_like(&template[..opening_quote]) {
        Slot::LikePattern
    } else {
        Slot::Literal
    })
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
    let positions = literal_positions(condition);
    let quotes = positions.iter().filter(|p| **p == Position::Quote).count();
    let mut balanced = quotes % 2 == 0;
    let mut depth: usize = 0;
    for (byte, position) in condition.bytes().zip(&positions) {
        match (byte, position) {
            (b'(', Position::Outside) => depth += 1,
            (b')', Position::Outside) => match depth.checked_sub(1) {
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

enum Piece<'a> {
    /// Text of the template, with its byte offset in the template.
    Template(&'a str, usize),
    /// A value already inserted: never searched again.
    Inserted(String),
}

/// Replaces every occurrence of each parameter name in `template` by its value, in the
/// order given. Inside a string literal the value is escaped (and in a LIKE pattern its
/// wildcards too); outside, it must be a name, a list of names or a number.
pub fn substitute(template: &str, replacements: &[(&str, Scalar)]) -> Result<String> {
    let positions = literal_positions(template);
    let mut pieces = vec![Piece::Template(template, 0)];
    for (name, value) in replacements {
        if name.is_empty() {
            continue;
        }
        let mut next = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let Piece::Template(text, offset) = piece else {
                next.push(piece);
                continue;
            };
            let mut rest_start = 0;
            for (at, _) in text.match_indices(name) {
                let start = offset + at;
                let Some(slot) = slot(template, &positions, start, start + name.len()) else {
                    return Err(Error::invalid(
                        name,
                        "a parameter name that stands either wholly outside or wholly inside a \
                         quoted text in `query`, never across a quote or within an escape such as \\n",
                    ));
                };
                next.push(Piece::Template(&text[rest_start..at], offset + rest_start));
                next.push(Piece::Inserted(replacement_text(name, value, slot)?));
                rest_start = at + name.len();
            }
            next.push(Piece::Template(&text[rest_start..], offset + rest_start));
        }
        pieces = next;
    }
    Ok(pieces
        .iter()
        .map(|piece| match piece {
            Piece::Template(text, _) => *text,
            Piece::Inserted(text) => text.as_str(),
        })
        .collect())
}

fn replacement_text(name: &str, value: &Scalar, slot: Slot) -> Result<String> {
    let text = value.as_text();
    match slot {
        Slot::Literal => return Ok(escape_literal(&text)),
        Slot::LikePattern => return Ok(escape_like_literal(&text)),
        Slot::Bare => {}
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
    fn identifiers_accept_api_names_and_paths_only() {
        for good in [
            "Case",
            "Account.Name",
            "ns__Thing__c",
            "Owner.Profile.Name",
            "X1",
        ] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in [
            "",
            "1Case",
            "Case WHERE",
            "Name'",
            "Id,Name",
            "Account..Name",
            ".Name",
            "Name.",
            "Ｃase",
            "Name--",
            "Id FROM User",
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn identifier_error_names_the_parameter() {
        let error = identifier("sf_object", "Case; DELETE").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid parameter `sf_object`"),
            "{error}"
        );
    }

    #[test]
    fn field_lists_ignore_spaces_and_refuse_injection() {
        assert_eq!(
            field_list("sf_fields", " Id ,Name,  Account.Name , toLabel(Status)").unwrap(),
            ["Id", "Name", "Account.Name", "toLabel(Status)"]
        );
        for bad in [
            "",
            "Id,",
            "Id, Name FROM Case --",
            "Id) FROM User WHERE (Id",
            "(Id)",
        ] {
            assert!(field_list("sf_fields", bad).is_err(), "{bad}");
        }
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
    fn substitutes_names_in_order() {
        let soql = substitute(
            "select field from object",
            &[("field", text("Id")), ("object", text("Task"))],
        )
        .unwrap();
        assert_eq!(soql, "select Id from Task");
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
    fn inserted_values_are_not_searched_again() {
        let soql = substitute(
            "select Id from Contact where Name = 'who' and Title = 'what'",
            &[("who", text("what")), ("what", text("CEO"))],
        )
        .unwrap();
        assert_eq!(
            soql,
            "select Id from Contact where Name = 'what' and Title = 'CEO'"
        );
    }

    #[test]
    fn literal_positions_follow_escapes() {
        let template = r"a 'b\'c' d";
        let shown: String = literal_positions(template)
            .iter()
            .map(|position| match position {
                Position::Outside => '_',
                Position::Quote => 'q',
                Position::Inside => 'i',
                Position::EscapeStart => 'e',
                Position::Escaped => 'x',
            })
            .collect();
        assert_eq!(shown, "__qiexiq__");
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

    #[test]
    fn a_name_straddling_a_quote_is_refused() {
        assert!(
            substitute(
                "select Id from Case where Subject = 'x'",
                &[("= 'x", text("y"))]
            )
            .is_err()
        );
    }

    /// A name covering a whole literal, quotes included, would put the escaped value
    /// outside any literal, where escaping means nothing.
    #[test]
    fn a_name_covering_the_quotes_of_a_literal_is_refused() {
        let error = substitute(
            "select Id from Case where Subject = 'subj'",
            &[("'subj'", text("x' OR Name != 'y"))],
        )
        .unwrap_err();
        assert!(error.to_string().contains("`'subj'`"), "{error}");
        assert!(
            substitute(
                "select Id from Case where Subject = 'x'",
                &[("'", text("y"))]
            )
            .is_err()
        );
    }

    /// Replacing the `n` of an escape `\n` with an escaped quote `\'` would leave `\\'`:
    /// an escaped backslash, then a quote ending the literal early.
    #[test]
    fn a_name_inside_an_escape_sequence_is_refused() {
        for (template, name) in [
            (r"select Id from Case where Subject = 'a\nb'", "n"),
            (r"select Id from Case where Subject = 'a\nb'", "nb"),
            (r"select Id from Case where Subject = 'a\nb'", "a\\"),
        ] {
            let error = substitute(template, &[(name, text("' OR Name != '"))]).unwrap_err();
            assert!(matches!(error, Error::InvalidParameter { .. }), "{error}");
        }
        // A name made of whole characters, escape sequences included, is fine.
        assert_eq!(
            substitute(
                r"select Id from Case where Subject = 'a\nb'",
                &[("a\\n", text("x'"))]
            )
            .unwrap(),
            r"select Id from Case where Subject = 'x\'b'"
        );
    }
}
