//! SOSL, the subset the search resources take: the search text ([`text`]: words,
//! phrases, `AND`/`OR`/`AND NOT`, wildcards, backslash escapes, reserved
//! characters refused), and the statement around it ([`statement`]:
//! `FIND {…} IN … FIELDS RETURNING Object(fields WHERE … LIMIT n), … LIMIT n`,
//! its WHERE handed to the SOQL pipeline). Errors carry Salesforce's codes
//! (`MALFORMED_SEARCH`, `INVALID_SEARCH`, and the SOQL ones a WHERE raises) and,
//! for a statement, Salesforce's message form with a caret under the offence.

use crate::error_codes::ErrorCode;
use crate::soql::SoqlError;

pub mod statement;
pub mod text;

/// Which fields a search looks in: `IN … FIELDS` of SOSL, `"in"` of a
/// parameterized search.
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

/// A search Salesforce would refuse.
#[derive(Debug, Clone, PartialEq)]
pub struct SoslError {
    pub code: ErrorCode,
    pub message: String,
    /// Character offset of the offence in the statement (or `q`).
    pub position: Option<usize>,
}

impl SoslError {
    pub fn malformed(message: impl Into<String>, position: usize) -> SoslError {
        SoslError {
            code: ErrorCode::MalformedSearch,
            message: message.into(),
            position: Some(position),
        }
    }

    pub fn invalid_search(message: impl Into<String>) -> SoslError {
        SoslError {
            code: ErrorCode::InvalidSearch,
            message: message.into(),
            position: None,
        }
    }

    /// A SOQL error from a `RETURNING … WHERE` that starts at `offset` of the
    /// statement: its position moved there, and a syntax error reported as the
    /// search's (`MALFORMED_SEARCH`), as Salesforce reports it.
    pub fn from_soql(error: SoqlError, offset: usize) -> SoslError {
        SoslError {
            code: match error.code {
                ErrorCode::MalformedQuery => ErrorCode::MalformedSearch,
                code => code,
            },
            message: error.message,
            position: error.position.map(|p| p + offset),
        }
    }

    /// The message as Salesforce words it for a SOSL statement: the statement's
    /// line, a caret, `ERROR at Row:1:Column:N`, then the reason. Salesforce's
    /// N is the 0-based offset of the offence and its caret stands one place
    /// before it (`FIND {John|x}` → `Column:10`, caret under the `n`).
    pub fn render(&self, statement: &str) -> String {
        let Some(position) = self.position else {
            return self.message.clone();
        };
        let before: String = statement.chars().take(position).collect();
        let row = before.matches('\n').count() + 1;
        let column = before.chars().rev().take_while(|&c| c != '\n').count();
        let line = statement.lines().nth(row - 1).unwrap_or("");
        format!(
            "\n{line}\n{}^\nERROR at Row:{row}:Column:{column}\n{}",
            " ".repeat(column.saturating_sub(1)),
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_as_salesforce_renders_sosl_errors() {
        // Salesforce's answer to this statement, as restforce issue #688 quotes it.
        let statement = "FIND {John|jane_gray@uoa.edu} RETURNING Contact";
        let error = SoslError::malformed("line 1:10 mismatched character '|' expecting '}'", 10);
        assert_eq!(
            error.render(statement),
            "\nFIND {John|jane_gray@uoa.edu} RETURNING Contact\n         ^\nERROR at Row:1:Column:10\nline 1:10 mismatched character '|' expecting '}'"
        );
        assert_eq!(
            SoslError::invalid_search("too short").render(statement),
            "too short"
        );
    }

    #[test]
    fn where_errors_move_to_the_statement_and_become_search_errors() {
        let error = SoslError::from_soql(SoqlError::malformed("unexpected token: 'x'", 3), 40);
        assert_eq!(error.code, ErrorCode::MalformedSearch);
        assert_eq!(error.position, Some(43));
        let field = SoslError::from_soql(
            SoqlError::at(ErrorCode::InvalidField, "No such column", 0),
            40,
        );
        assert_eq!(field.code, ErrorCode::InvalidField);
    }
}
