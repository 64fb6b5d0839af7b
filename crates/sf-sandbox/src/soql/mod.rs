//! SOQL, the subset the Lambdas and their tests use: `SELECT` fields (with
//! child-to-parent paths such as `Account.Owner.Name`) `FROM` one object, `WHERE`
//! with comparisons, `LIKE`, `IN`, `AND`/`OR`/`NOT` and parentheses, `ORDER BY`,
//! `LIMIT` and `OFFSET`. The text goes through the [`tokenizer`] (literals and
//! Salesforce's string escapes), the [`parser`] (recursive descent into a
//! [`parser::Query`]) and [`eval`] (names resolved against the schema by
//! [`crate::model::field_paths`], then records filtered and sorted, and shaped by
//! [`crate::model::records`]). Errors carry Salesforce's `errorCode` and a message
//! in Salesforce's form, with the query line and a caret under the offending token.

use crate::error_codes::ErrorCode;

pub mod eval;
pub mod parser;
pub mod tokenizer;

pub use eval::{bind_condition, bind_query, execute, matches, order_records};
pub use parser::{parse_condition, parse_query};

/// A query Salesforce would refuse.
#[derive(Debug, Clone, PartialEq)]
pub struct SoqlError {
    /// `MALFORMED_QUERY`, `INVALID_FIELD`, `INVALID_TYPE` or
    /// `INVALID_QUERY_FILTER_OPERATOR`.
    pub code: ErrorCode,
    pub message: String,
    /// Character offset of the offending token in the query text.
    pub position: Option<usize>,
}

impl SoqlError {
    pub fn malformed(message: impl Into<String>, position: usize) -> SoqlError {
        SoqlError {
            code: ErrorCode::MalformedQuery,
            message: message.into(),
            position: Some(position),
        }
    }

    pub fn at(code: ErrorCode, message: impl Into<String>, position: usize) -> SoqlError {
        SoqlError {
            code,
            message: message.into(),
            position: Some(position),
        }
    }

    /// The message as Salesforce words it: the query line, a caret under the error,
    /// its row and column, then the reason.
    pub fn render(&self, text: &str) -> String {
        let Some(position) = self.position else {
            return self.message.clone();
        };
        let before: String = text.chars().take(position).collect();
        let row = before.matches('\n').count() + 1;
        let column = before.chars().rev().take_while(|&c| c != '\n').count() + 1;
        let line = text.lines().nth(row - 1).unwrap_or("");
        format!(
            "\n{line}\n{}^\nERROR at Row:{row}:Column:{column}\n{}",
            " ".repeat(column - 1),
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_with_the_line_and_a_caret() {
        let error = SoqlError::at(ErrorCode::InvalidField, "No such column 'Foo'", 7);
        assert_eq!(
            error.render("SELECT Foo FROM Contact"),
            "\nSELECT Foo FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo'"
        );
        let second_line = SoqlError::at(ErrorCode::MalformedQuery, "unexpected token: 'x'", 20);
        assert_eq!(
            second_line.render("SELECT Id\nFROM Case x"),
            "\nFROM Case x\n          ^\nERROR at Row:2:Column:11\nunexpected token: 'x'"
        );
    }
}
