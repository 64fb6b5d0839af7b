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

/// SOQL's only quoted region: the string literal (also a SOSL WHERE's, see
/// [`crate::sosl`]).
pub const STRING_LITERAL: Quotes = Quotes {
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
/// object name, a comma-separated list of them, a plain number (a LIMIT, an amount), a
/// date or dateTime, or a date literal. Each is one token that cannot end a clause.
fn is_bare_value(text: &str) -> bool {
    is_date_value(text) || is_date_literal(text) || is_name_list_or_number(text)
}

fn is_name_list_or_number(text: &str) -> bool {
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

/// SOQL's date literals, from Salesforce's "Date Formats and Date Literals in WHERE":
/// relative ranges written bare where a date stands (`CreatedDate = TODAY`).
const DATE_LITERALS: &[&str] = &[
    "YESTERDAY",
    "TODAY",
    "TOMORROW",
    "LAST_WEEK",
    "THIS_WEEK",
    "NEXT_WEEK",
    "LAST_MONTH",
    "THIS_MONTH",
    "NEXT_MONTH",
    "LAST_90_DAYS",
    "NEXT_90_DAYS",
    "THIS_QUARTER",
    "LAST_QUARTER",
    "NEXT_QUARTER",
    "THIS_YEAR",
    "LAST_YEAR",
    "NEXT_YEAR",
    "THIS_FISCAL_QUARTER",
    "LAST_FISCAL_QUARTER",
    "NEXT_FISCAL_QUARTER",
    "THIS_FISCAL_YEAR",
    "LAST_FISCAL_YEAR",
    "NEXT_FISCAL_YEAR",
];

/// The date literals that take a count, `LAST_N_DAYS:30`.
const DATE_LITERALS_WITH_COUNT: &[&str] = &[
    "LAST_N_DAYS",
    "NEXT_N_DAYS",
    "N_DAYS_AGO",
    "LAST_N_WEEKS",
    "NEXT_N_WEEKS",
    "N_WEEKS_AGO",
    "LAST_N_MONTHS",
    "NEXT_N_MONTHS",
    "N_MONTHS_AGO",
    "LAST_N_QUARTERS",
    "NEXT_N_QUARTERS",
    "N_QUARTERS_AGO",
    "LAST_N_YEARS",
    "NEXT_N_YEARS",
    "N_YEARS_AGO",
    "LAST_N_FISCAL_QUARTERS",
    "NEXT_N_FISCAL_QUARTERS",
    "N_FISCAL_QUARTERS_AGO",
    "LAST_N_FISCAL_YEARS",
    "NEXT_N_FISCAL_YEARS",
    "N_FISCAL_YEARS_AGO",
];

/// True for a SOQL date literal (any case, as SOQL keywords are): `TODAY`, or one that
/// takes a count followed by `:` and digits, `LAST_N_DAYS:30`.
fn is_date_literal(text: &str) -> bool {
    let known = |list: &[&str], name: &str| list.iter().any(|l| l.eq_ignore_ascii_case(name));
    match text.split_once(':') {
        Some((name, count)) => {
            known(DATE_LITERALS_WITH_COUNT, name)
                && (1..=9).contains(&count.len())
                && count.bytes().all(|b| b.is_ascii_digit())
        }
        None => known(DATE_LITERALS, text),
    }
}

/// Reads the decimal number of `width` digits at the start of `text`, if it is one
/// within `range`; answers it and the rest of the text.
fn digits(text: &str, width: usize, range: std::ops::RangeInclusive<u32>) -> Option<(u32, &str)> {
    let (number, rest) = text.split_at_checked(width)?;
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u32 = number.parse().ok()?;
    range.contains(&number).then_some((number, rest))
}

/// True for a SOQL date (`2024-05-01`, a day that exists) or dateTime
/// (`2024-05-01T13:45:00Z`, with optional milliseconds and a `Z`, `+hh:mm` or `-hh:mm`
/// zone), the forms SOQL takes unquoted.
fn is_date_value(text: &str) -> bool {
    let date = (|| {
        let (year, rest) = digits(text, 4, 0..=9999)?;
        let (month, rest) = digits(rest.strip_prefix('-')?, 2, 1..=12)?;
        let (day, rest) = digits(rest.strip_prefix('-')?, 2, 1..=31)?;
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        time::Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?)
            .ok()?;
        Some(rest)
    })();
    let Some(rest) = date else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    let time_of_day = (|| {
        let (_, rest) = digits(rest.strip_prefix('T')?, 2, 0..=23)?;
        let (_, rest) = digits(rest.strip_prefix(':')?, 2, 0..=59)?;
        let (_, mut rest) = digits(rest.strip_prefix(':')?, 2, 0..=59)?;
        if let Some(fraction) = rest.strip_prefix('.') {
            let width = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if !(1..=3).contains(&width) {
                return None;
            }
            rest = &fraction[width..];
        }
        Some(rest)
    })();
    match time_of_day {
        Some("Z") => true,
        Some(zone) => zone
            .strip_prefix(['+', '-'])
            .and_then(|offset| digits(offset, 2, 0..=23))
            .and_then(|(_, rest)| digits(rest.strip_prefix(':')?, 2, 0..=59))
            .is_some_and(|(_, rest)| rest.is_empty()),
        None => false,
    }
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

/// The text of parameter `name`'s `value` where its name stands in `template`: escaped
/// inside a string literal (with its wildcards too after a LIKE), refused across a quote,
/// and outside every literal only a bare value that cannot change the statement's shape.
/// A SOSL statement's replacements outside its search text follow the same rule.
pub fn replacement_text(
    template: &str,
    name: &str,
    value: &Scalar,
    place: Place,
) -> Result<String> {
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
    // A null stands for SOQL's `null` (`WHERE Email = null`), never for nothing.
    if matches!(value, Scalar::Null) {
        return Ok("null".to_owned());
    }
    if matches!(value, Scalar::Bool(_)) || is_bare_value(text.trim()) {
        return Ok(text.trim().to_owned());
    }
    Err(Error::invalid(
        name,
        format!(
            "a field or object name, a comma-separated list of names, a number, true or false, \
             a date or dateTime (2024-05-01, 2024-05-01T13:45:00Z) or a date literal (TODAY, \
             LAST_N_DAYS:30), because `{name}` stands outside quotes in `query` (put it inside \
             quotes to search for text); got {}",
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
    fn unquoted_replacements_take_dates_date_literals_and_null() {
        let template = "select Id from Case where CreatedDate > since";
        for (value, written) in [
            (text("2024-05-01"), "2024-05-01"),
            (text(" 2024-05-01T13:45:00Z "), "2024-05-01T13:45:00Z"),
            (
                text("2024-05-01T13:45:00.000+01:00"),
                "2024-05-01T13:45:00.000+01:00",
            ),
            (
                text("2024-05-01T13:45:00-08:00"),
                "2024-05-01T13:45:00-08:00",
            ),
            (text("2024-02-29"), "2024-02-29"),
            (text("TODAY"), "TODAY"),
            (text("yesterday"), "yesterday"),
            (text("LAST_N_DAYS:30"), "LAST_N_DAYS:30"),
            (text("NEXT_N_WEEKS:2"), "NEXT_N_WEEKS:2"),
            (text("N_FISCAL_YEARS_AGO:1"), "N_FISCAL_YEARS_AGO:1"),
            (text("THIS_FISCAL_QUARTER"), "THIS_FISCAL_QUARTER"),
            (text("true"), "true"),
            (Scalar::Bool(false), "false"),
            (Scalar::Null, "null"),
        ] {
            let soql = substitute(template, &[("since", value.clone())])
                .unwrap_or_else(|error| panic!("{value:?}: {error}"));
            assert_eq!(
                soql,
                format!("select Id from Case where CreatedDate > {written}"),
                "{value:?}"
            );
        }
    }

    #[test]
    fn unquoted_replacements_refuse_near_misses_of_dates() {
        let template = "select Id from Case where CreatedDate > since";
        for bad in [
            "2024-05-01 OR Id != null",
            "2024-05-01)",
            "2024-5-1",
            "2024-13-01",
            "2023-02-29",
            "2024-05-01T13:45:00",
            "2024-05-01T13:45Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T13:45:00.0000Z",
            "2024-05-01T13:45:00+0100",
            "2024-05-01T13:45:00+01:00 OR Id != null",
            "2024-05-01 13:45:00Z",
            "LAST_N_DAYS:30 OR",
            "LAST_N_DAYS:",
            "LAST_N_DAYS:-1",
            "LAST_N_DAYS:3.5",
            "LAST_N_DAYS:1234567890",
            "TODAY:1",
            "TODAY)",
            "TODAY OR Id != null",
            "",
        ] {
            let error = substitute(template, &[("since", text(bad))]).unwrap_err();
            assert!(error.to_string().contains("`since`"), "{bad:?}: {error}");
        }
        // Inside quotes a null is the empty text, as before.
        assert_eq!(
            substitute(
                "select Id from Case where Subject = 'subj'",
                &[("subj", Scalar::Null)]
            )
            .unwrap(),
            "select Id from Case where Subject = ''"
        );
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
