//! A SOSL statement, as `GET /search?q=` takes it (Salesforce's SOSL reference,
//! "SOSL Syntax"): `FIND {text}`, optionally `IN ALL|NAME|EMAIL|PHONE FIELDS`,
//! optionally `RETURNING Object, Object(field, … WHERE condition ORDER BY …
//! LIMIT n), …`,
//! optionally an overall `LIMIT n`. Past the braces the text is SOQL-like, so
//! it goes through the SOQL tokenizer, and each WHERE through the SOQL parser.

use super::text::{Closing, SearchExpr, parse_search_text};
use super::{Scope, SoslError};
use crate::soql::parse_condition;
use crate::soql::parser::Condition;
use crate::soql::tokenizer::{Token, TokenKind, tokenize};

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub search: SearchExpr,
    /// The length in characters of the search text as written between the braces.
    pub search_chars: usize,
    pub scope: Scope,
    /// `None` without RETURNING: every searchable object, ids only.
    pub returning: Option<Vec<Returning>>,
    pub limit: Option<usize>,
}

/// One object of RETURNING.
#[derive(Debug, Clone, PartialEq)]
pub struct Returning {
    pub object: String,
    /// Offsets in the statement, for error messages.
    pub object_position: usize,
    pub fields: Vec<(String, usize)>,
    /// The WHERE condition, and the offset in the statement its text starts at.
    pub condition: Option<(Condition, usize)>,
    /// The text after ORDER BY, and the offset in the statement it starts at;
    /// it is SOQL's ORDER BY, read by the SOQL parser once the object is known.
    pub order_by: Option<(String, usize)>,
    pub limit: Option<usize>,
}

/// Salesforce's answer to a statement without `FIND {`.
const NO_SEARCH_TERM: &str = "No search term found. The search term must be enclosed in braces.";

pub fn parse_statement(text: &str) -> Result<Statement, SoslError> {
    let chars: Vec<char> = text.chars().collect();
    let open = find_clause_brace(&chars).ok_or_else(|| SoslError {
        position: None,
        ..SoslError::malformed(NO_SEARCH_TERM, 0)
    })?;
    let (search, end) = parse_search_text(&chars, open + 1, Closing::Brace)?;
    let rest: String = chars[end..].iter().collect();
    let tokens = tokenize(&rest).map_err(|e| SoslError::from_soql(e, end))?;
    let mut parser = Clauses {
        tokens,
        next: 0,
        offset: end,
        rest: rest.chars().collect(),
    };
    let mut statement = Statement {
        search,
        search_chars: end - open - 2,
        scope: Scope::All,
        returning: None,
        limit: None,
    };
    if parser.keyword("IN") {
        parser.next += 1;
        let token = parser.take();
        statement.scope = match &token.kind {
            TokenKind::Word(word) => Scope::parse(word),
            _ => None,
        }
        .ok_or_else(|| {
            SoslError::malformed(
                format!("Malformed search token: {}", token.text),
                token.position + end,
            )
        })?;
        // `ALL FIELDS` is one search group to Salesforce: a wrong second word is
        // as malformed a token as a wrong first one.
        let fields = parser.take();
        if !fields.is_keyword("FIELDS") {
            return Err(SoslError::malformed(
                format!("Malformed search token: {}", fields.text),
                fields.position + end,
            ));
        }
    }
    if parser.keyword("RETURNING") {
        parser.next += 1;
        let mut returning = vec![parser.returning()?];
        while parser.peek().kind == TokenKind::Comma {
            parser.next += 1;
            returning.push(parser.returning()?);
        }
        statement.returning = Some(returning);
    }
    if parser.keyword("LIMIT") {
        parser.next += 1;
        statement.limit = Some(parser.number()?);
    }
    let last = parser.take();
    if last.kind != TokenKind::Eof {
        return Err(parser.unexpected(&last));
    }
    Ok(statement)
}

/// The offset of the brace opening the search text: `FIND` (any case), then
/// `{`, spaces between them or not.
fn find_clause_brace(chars: &[char]) -> Option<usize> {
    let start = chars.iter().position(|c| !c.is_whitespace())?;
    let keyword: String = chars.get(start..start + 4)?.iter().collect();
    if !keyword.eq_ignore_ascii_case("FIND") {
        return None;
    }
    let brace = (start + 4..chars.len()).find(|&i| !chars[i].is_whitespace())?;
    (chars[brace] == '{').then_some(brace)
}

struct Clauses {
    tokens: Vec<Token>,
    next: usize,
    /// Where the tokenized text starts in the statement.
    offset: usize,
    rest: Vec<char>,
}

impl Clauses {
    fn peek(&self) -> &Token {
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn take(&mut self) -> Token {
        let token = self.peek().clone();
        if self.next < self.tokens.len() - 1 {
            self.next += 1;
        }
        token
    }

    fn keyword(&self, keyword: &str) -> bool {
        self.peek().is_keyword(keyword)
    }

    fn unexpected(&self, token: &Token) -> SoslError {
        SoslError::from_soql(token.unexpected(), self.offset)
    }

    fn number(&mut self) -> Result<usize, SoslError> {
        let token = self.take();
        match &token.kind {
            TokenKind::Number(n) => n.parse().map_err(|_| self.unexpected(&token)),
            _ => Err(self.unexpected(&token)),
        }
    }

    fn name(&mut self) -> Result<(String, usize), SoslError> {
        let token = self.take();
        match &token.kind {
            TokenKind::Word(word) if !is_clause_keyword(word) => {
                Ok((word.clone(), token.position + self.offset))
            }
            _ => Err(self.unexpected(&token)),
        }
    }

    /// `Object` or `Object(field, … [WHERE condition] [LIMIT n])`.
    fn returning(&mut self) -> Result<Returning, SoslError> {
        let (object, object_position) = self.name()?;
        let mut returning = Returning {
            object,
            object_position,
            fields: Vec::new(),
            condition: None,
            order_by: None,
            limit: None,
        };
        if self.peek().kind != TokenKind::LParen {
            return Ok(returning);
        }
        self.next += 1;
        returning.fields.push(self.name()?);
        while self.peek().kind == TokenKind::Comma {
            self.next += 1;
            returning.fields.push(self.name()?);
        }
        if self.keyword("WHERE") {
            self.next += 1;
            let (text, offset) = self.clause_text(true);
            let condition = parse_condition(&text).map_err(|e| SoslError::from_soql(e, offset))?;
            returning.condition = Some((condition, offset));
        }
        if self.keyword("ORDER") {
            self.next += 1;
            let by = self.take();
            if !by.is_keyword("BY") {
                return Err(self.unexpected(&by));
            }
            let (text, offset) = self.clause_text(false);
            if text.trim().is_empty() {
                return Err(self.unexpected(&self.peek().clone()));
            }
            returning.order_by = Some((text, offset));
        }
        if self.keyword("LIMIT") {
            self.next += 1;
            returning.limit = Some(self.number()?);
        }
        let close = self.take();
        if close.kind != TokenKind::RParen {
            return Err(self.unexpected(&close));
        }
        Ok(returning)
    }

    /// The text of a WHERE (`stop_at_order`) or ORDER BY clause: it runs to the
    /// ORDER, LIMIT or `)` that ends it; answered with its offset in the statement.
    fn clause_text(&mut self, stop_at_order: bool) -> (String, usize) {
        let start = self.peek().position;
        let mut depth = 0usize;
        loop {
            let token = self.peek();
            match &token.kind {
                TokenKind::Eof => break,
                TokenKind::LParen => depth += 1,
                TokenKind::RParen if depth == 0 => break,
                TokenKind::RParen => depth -= 1,
                TokenKind::Word(_)
                    if depth == 0
                        && (token.is_keyword("LIMIT")
                            || (stop_at_order && token.is_keyword("ORDER"))) =>
                {
                    break;
                }
                _ => {}
            }
            self.next += 1;
        }
        let end = self.peek().position.min(self.rest.len());
        let text: String = self.rest[start..end].iter().collect();
        (text, self.offset + start)
    }
}

fn is_clause_keyword(word: &str) -> bool {
    ["WHERE", "LIMIT", "RETURNING", "IN", "FIELDS"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_codes::ErrorCode;

    #[test]
    fn a_full_statement_parses() {
        let statement = parse_statement(
            "find {Smith} in name fields returning Contact(Id, Account.Name WHERE (Title = 'VP' OR Title = null) LIMIT 5), Account LIMIT 20",
        )
        .unwrap();
        assert_eq!(statement.scope, Scope::Name);
        assert_eq!(statement.search_chars, 5);
        assert_eq!(statement.limit, Some(20));
        let returning = statement.returning.unwrap();
        assert_eq!(returning.len(), 2);
        assert_eq!(returning[0].object, "Contact");
        assert_eq!(
            returning[0]
                .fields
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>(),
            vec!["Id", "Account.Name"]
        );
        assert!(returning[0].condition.is_some());
        assert_eq!(returning[0].limit, Some(5));
        assert_eq!(returning[1].object, "Account");
        assert!(returning[1].fields.is_empty());
    }

    #[test]
    fn find_and_braces_are_required() {
        for text in [
            "SELECT Id FROM Account",
            "FIND acme",
            "FIND 'acme'",
            "FINDER {acme}",
            "",
        ] {
            let error = parse_statement(text).unwrap_err();
            assert_eq!(error.code, ErrorCode::MalformedSearch, "{text}");
            assert_eq!(error.message, NO_SEARCH_TERM);
        }
        assert!(parse_statement("  FIND  {acme}").is_ok());
        assert!(parse_statement("find{acme}").is_ok());
    }

    #[test]
    fn malformed_clauses_point_at_the_offence() {
        // Salesforce's answer quoted in jesperfj/force-rest-api pull request #92.
        let error = parse_statement("FIND {name} IN ALL TYPE RETURNING Account(name)").unwrap_err();
        assert_eq!(error.code, ErrorCode::MalformedSearch);
        assert_eq!(error.message, "Malformed search token: TYPE");
        assert_eq!(error.position, Some(19));
        for text in [
            "FIND {acme} RETURNING",
            "FIND {acme} RETURNING Account(",
            "FIND {acme} RETURNING Account(Id WHERE)",
            "FIND {acme} RETURNING Account(Id LIMIT x)",
            "FIND {acme} LIMIT 5 RETURNING Account",
            "FIND {acme} WITH HIGHLIGHT",
            "FIND {acme} RETURNING Account(Id ORDER Name)",
            "FIND {acme} RETURNING Account(Id ORDER BY)",
        ] {
            assert_eq!(
                parse_statement(text).unwrap_err().code,
                ErrorCode::MalformedSearch,
                "{text}"
            );
        }
    }

    #[test]
    fn the_where_text_keeps_its_place_in_the_statement() {
        let statement =
            parse_statement("FIND {acme} RETURNING Account(Id WHERE Name = 'x')").unwrap();
        let (_, offset) = statement.returning.unwrap()[0].condition.clone().unwrap();
        assert_eq!(offset, 39);
        let statement = parse_statement(
            "FIND {acme} RETURNING Account(Id WHERE Name != null ORDER BY Name DESC LIMIT 3)",
        )
        .unwrap();
        let returning = &statement.returning.unwrap()[0];
        assert_eq!(returning.order_by, Some(("Name DESC ".to_string(), 61)));
        assert_eq!(returning.limit, Some(3));
        assert!(returning.condition.is_some());
    }
}
