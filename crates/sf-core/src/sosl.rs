//! SOSL text built so that a caller's words search for themselves: the search text of
//! a search's `q` ([`search_text`]), with SOSL's reserved characters escaped unless the
//! flow asks for SOSL syntax ([`SearchSyntax`]).
//!
//! Salesforce's SOSL reference ("FIND {SearchQuery}") reserves
//! `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -` in search text: each must be preceded by a
//! backslash, or Salesforce refuses the search or reads the character as an operator
//! (`-` excludes a word, `"` opens a phrase, `(` groups). So `O'Brien`, `AB-123` and
//! `+1 (415) 555-0100`, which callers say and type, are escaped here. `*` and `?` are
//! left as they are: they are SOSL's wildcards, and a flow that passes `Smi*` means one.

use crate::error::{Error, Result};
use crate::masking::shown_value;

/// The characters escaped in search text: SOSL's reserved characters but the wildcards
/// `*` and `?`.
pub const ESCAPED: &str = "&|!{}[]()^~:\\\"'+-";

/// The parameter that chooses how `q` is read.
pub const SEARCH_SYNTAX: &str = "sf_search_syntax";

/// How a search's `q` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchSyntax {
    /// The default: text to search for, SOSL's reserved characters escaped, `*` and `?`
    /// wildcards.
    #[default]
    Text,
    /// `sf_search_syntax` = `sosl`: `q` goes as written, for a flow author who writes
    /// SOSL operators (`"exact phrase"`, `OR`, `-exclude`) on purpose.
    Sosl,
}

impl SearchSyntax {
    /// The syntax the value of `sf_search_syntax` names: absent or blank is the default,
    /// `sosl` is SOSL, anything else an error naming the parameter.
    pub fn from_parameter(value: Option<&str>) -> Result<Self> {
        match value.map(str::trim) {
            None | Some("") => Ok(SearchSyntax::Text),
            Some("sosl") => Ok(SearchSyntax::Sosl),
            Some(_) => Err(Error::invalid(
                SEARCH_SYNTAX,
                format!(
                    "\"sosl\" to send `q` as SOSL search syntax, or nothing to search for `q` as \
                     text; got {}",
                    shown_value(value.unwrap_or_default())
                ),
            )),
        }
    }
}

/// `text` with a backslash before each character of [`ESCAPED`].
pub fn escape_search_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if ESCAPED.contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The search text to send for `q`, read with `syntax`.
pub fn search_text(q: &str, syntax: SearchSyntax) -> String {
    match syntax {
        SearchSyntax::Text => escape_search_text(q),
        SearchSyntax::Sosl => q.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_callers_say_searches_for_itself() {
        assert_eq!(escape_search_text("O'Brien"), r"O\'Brien");
        assert_eq!(
            escape_search_text("+1 (415) 555-0100"),
            r"\+1 \(415\) 555\-0100"
        );
        assert_eq!(escape_search_text("AB-123"), r"AB\-123");
        assert_eq!(
            escape_search_text(r#"a&b|c!d{e}f[g]h(i)j^k~l:m\n"o'p+q-r"#),
            r#"a\&b\|c\!d\{e\}f\[g\]h\(i\)j\^k\~l\:m\\n\"o\'p\+q\-r"#
        );
        assert_eq!(escape_search_text("Smi* J?n"), "Smi* J?n");
        assert_eq!(escape_search_text("Núñez 東京"), "Núñez 東京");
    }

    #[test]
    fn sosl_syntax_sends_q_as_written() {
        let q = r#""Jim Smith" OR Smi* -Acme"#;
        assert_eq!(search_text(q, SearchSyntax::Sosl), q);
        assert_eq!(
            search_text(q, SearchSyntax::Text),
            r#"\"Jim Smith\" OR Smi* \-Acme"#
        );
    }

    #[test]
    fn the_syntax_is_text_sosl_or_an_error_naming_the_parameter() {
        assert_eq!(
            SearchSyntax::from_parameter(None).unwrap(),
            SearchSyntax::Text
        );
        assert_eq!(
            SearchSyntax::from_parameter(Some("  ")).unwrap(),
            SearchSyntax::Text
        );
        assert_eq!(
            SearchSyntax::from_parameter(Some(" sosl ")).unwrap(),
            SearchSyntax::Sosl
        );
        for bad in ["SOSL-ish", "text", "soql", "raw"] {
            let error = SearchSyntax::from_parameter(Some(bad)).unwrap_err();
            let message = error.to_string();
            assert!(message.contains("`sf_search_syntax`"), "{message}");
            assert!(message.contains("\"sosl\""), "{message}");
        }
    }
}
