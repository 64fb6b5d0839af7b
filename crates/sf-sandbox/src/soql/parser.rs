//! Recursive descent over the tokens into a [`Query`]. Grammar (keywords in any case):
//!
//! ```text
//! query     := SELECT field {, field} FROM object [WHERE condition]
//!              [ORDER BY order {, order}] [LIMIT n] [OFFSET n]
//! condition := term {AND term} | term {OR term}   -- mixing needs parentheses
//! term      := NOT term | ( condition ) | field op literal
//!            | field [NOT] IN ( literal {, literal} ) | field LIKE string
//! order     := field [ASC|DESC] [NULLS FIRST|LAST]
//! literal   := string | number | date | dateTime | TRUE | FALSE | NULL
//! ```
//!
//! Names are not checked here (that needs the schema): see `eval`.

use super::SoqlError;
use super::tokenizer::{CompareOp, LikePiece, Token, TokenKind, tokenize};

/// A field path as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRef {
    pub path: String,
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    Number(f64),
    Boolean(bool),
    Null,
    Date(String),
    /// Already normalised to the stored form (UTC, `…T13:45:00.000+0000`).
    DateTime(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        field: FieldRef,
        op: CompareOp,
        value: Literal,
        value_position: usize,
    },
    In {
        field: FieldRef,
        values: Vec<(Literal, usize)>,
        negated: bool,
    },
    Like {
        field: FieldRef,
        pattern: Vec<LikePiece>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    pub field: FieldRef,
    pub descending: bool,
    /// Salesforce sorts nulls first unless told `NULLS LAST`.
    pub nulls_last: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub fields: Vec<FieldRef>,
    pub object: String,
    pub object_position: usize,
    pub condition: Option<Condition>,
    pub order_by: Vec<OrderItem>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// Words that cannot name a field.
const RESERVED: &[&str] = &[
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "ORDER", "BY", "LIMIT", "OFFSET",
    "NULL", "TRUE", "FALSE", "ASC", "DESC", "NULLS",
];

pub fn parse_query(text: &str) -> Result<Query, SoqlError> {
    let mut parser = Parser::new(text)?;
    let query = parser.query()?;
    parser.expect_end()?;
    Ok(query)
}

/// A WHERE condition on its own (parameterizedSearch's `where`).
pub fn parse_condition(text: &str) -> Result<Condition, SoqlError> {
    let mut parser = Parser::new(text)?;
    let condition = parser.condition()?;
    parser.expect_end()?;
    Ok(condition)
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
}

impl Parser {
    fn new(text: &str) -> Result<Parser, SoqlError> {
        Ok(Parser {
            tokens: tokenize(text)?,
            next: 0,
        })
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.next]
    }

    fn advance(&mut self) -> Token {
        let token = self.tokens[self.next].clone();
        if token.kind != TokenKind::Eof {
            self.next += 1;
        }
        token
    }

    fn accept_keyword(&mut self, keyword: &str) -> bool {
        let found = self.peek().is_keyword(keyword);
        if found {
            self.advance();
        }
        found
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), SoqlError> {
        if self.accept_keyword(keyword) {
            Ok(())
        } else {
            Err(self.peek().unexpected())
        }
    }

    fn expect_end(&self) -> Result<(), SoqlError> {
        match self.peek().kind {
            TokenKind::Eof => Ok(()),
            _ => Err(self.peek().unexpected()),
        }
    }

    fn query(&mut self) -> Result<Query, SoqlError> {
        self.expect_keyword("SELECT")?;
        let mut fields = vec![self.field()?];
        while self.peek().kind == TokenKind::Comma {
            self.advance();
            fields.push(self.field()?);
        }
        self.expect_keyword("FROM")?;
        let object_token = self.advance();
        let object = match &object_token.kind {
            TokenKind::Word(w) if !w.contains('.') => w.clone(),
            _ => return Err(object_token.unexpected()),
        };
        let condition = if self.accept_keyword("WHERE") {
            Some(self.condition()?)
        } else {
            None
        };
        let mut order_by = Vec::new();
        if self.accept_keyword("ORDER") {
            self.expect_keyword("BY")?;
            order_by.push(self.order_item()?);
            while self.peek().kind == TokenKind::Comma {
                self.advance();
                order_by.push(self.order_item()?);
            }
        }
        let limit = if self.accept_keyword("LIMIT") {
            Some(self.count()?)
        } else {
            None
        };
        let offset = if self.accept_keyword("OFFSET") {
            Some(self.count()?)
        } else {
            None
        };
        Ok(Query {
            fields,
            object,
            object_position: object_token.position,
            condition,
            order_by,
            limit,
            offset,
        })
    }

    fn field(&mut self) -> Result<FieldRef, SoqlError> {
        let token = self.advance();
        match &token.kind {
            TokenKind::Word(w) if !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(w)) => {
                Ok(FieldRef {
                    path: w.clone(),
                    position: token.position,
                })
            }
            _ => Err(token.unexpected()),
        }
    }

    fn count(&mut self) -> Result<usize, SoqlError> {
        let token = self.advance();
        match &token.kind {
            TokenKind::Number(n) => n.parse().map_err(|_| token.unexpected()),
            _ => Err(token.unexpected()),
        }
    }

    fn order_item(&mut self) -> Result<OrderItem, SoqlError> {
        let field = self.field()?;
        let descending = if self.accept_keyword("DESC") {
            true
        } else {
            self.accept_keyword("ASC");
            false
        };
        let nulls_last = if self.accept_keyword("NULLS") {
            if self.accept_keyword("LAST") {
                true
            } else {
                self.expect_keyword("FIRST")?;
                false
            }
        } else {
            false
        };
        Ok(OrderItem {
            field,
            descending,
            nulls_last,
        })
    }

    /// Terms joined by one connective; Salesforce refuses `a AND b OR c` without
    /// parentheses, and so do we.
    fn condition(&mut self) -> Result<Condition, SoqlError> {
        let mut terms = vec![self.term()?];
        let mut connective: Option<&'static str> = None;
        loop {
            let found = if self.peek().is_keyword("AND") {
                "AND"
            } else if self.peek().is_keyword("OR") {
                "OR"
            } else {
                break;
            };
            if connective.is_some_and(|c| c != found) {
                return Err(self.peek().unexpected());
            }
            connective = Some(found);
            self.advance();
            terms.push(self.term()?);
        }
        Ok(match connective {
            None => terms.pop().expect("one term was parsed"),
            Some("AND") => Condition::And(terms),
            Some(_) => Condition::Or(terms),
        })
    }

    fn term(&mut self) -> Result<Condition, SoqlError> {
        if self.accept_keyword("NOT") {
            return Ok(Condition::Not(Box::new(self.term()?)));
        }
        if self.peek().kind == TokenKind::LParen {
            self.advance();
            let inner = self.condition()?;
            if self.peek().kind != TokenKind::RParen {
                return Err(self.peek().unexpected());
            }
            self.advance();
            return Ok(inner);
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Condition, SoqlError> {
        let field = self.field()?;
        let token = self.advance();
        match &token.kind {
            TokenKind::Op(op) => {
                let (value, value_position) = self.literal()?;
                Ok(Condition::Compare {
                    field,
                    op: *op,
                    value,
                    value_position,
                })
            }
            _ if token.is_keyword("IN") => self.in_list(field, false),
            _ if token.is_keyword("NOT") => {
                self.expect_keyword("IN")?;
                self.in_list(field, true)
            }
            _ if token.is_keyword("LIKE") => {
                let pattern_token = self.advance();
                match pattern_token.kind {
                    TokenKind::Str { pattern, .. } => Ok(Condition::Like { field, pattern }),
                    _ => Err(pattern_token.unexpected()),
                }
            }
            _ => Err(token.unexpected()),
        }
    }

    fn in_list(&mut self, field: FieldRef, negated: bool) -> Result<Condition, SoqlError> {
        if self.peek().kind != TokenKind::LParen {
            return Err(self.peek().unexpected());
        }
        self.advance();
        let mut values = vec![self.literal()?];
        while self.peek().kind == TokenKind::Comma {
            self.advance();
            values.push(self.literal()?);
        }
        if self.peek().kind != TokenKind::RParen {
            return Err(self.peek().unexpected());
        }
        self.advance();
        Ok(Condition::In {
            field,
            values,
            negated,
        })
    }

    fn literal(&mut self) -> Result<(Literal, usize), SoqlError> {
        let token = self.advance();
        let literal = match &token.kind {
            TokenKind::Str { value, .. } => Literal::String(value.clone()),
            TokenKind::Number(n) => Literal::Number(n.parse().map_err(|_| token.unexpected())?),
            TokenKind::Date(d) => Literal::Date(d.clone()),
            TokenKind::DateTime(d) => Literal::DateTime(d.clone()),
            _ if token.is_keyword("TRUE") => Literal::Boolean(true),
            _ if token.is_keyword("FALSE") => Literal::Boolean(false),
            _ if token.is_keyword("NULL") => Literal::Null,
            _ => return Err(token.unexpected()),
        };
        Ok((literal, token.position))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_codes::ErrorCode;

    fn field(path: &str, position: usize) -> FieldRef {
        FieldRef {
            path: path.into(),
            position,
        }
    }

    #[test]
    fn full_query_with_every_clause() {
        let q = parse_query(
            "select Id, Account.Owner.Name FROM Contact where LastName = 'Smith' \
             order by LastName desc nulls last, Id limit 10 offset 5",
        )
        .unwrap();
        assert_eq!(
            q.fields,
            vec![field("Id", 7), field("Account.Owner.Name", 11)]
        );
        assert_eq!(q.object, "Contact");
        assert_eq!(
            q.condition,
            Some(Condition::Compare {
                field: field("LastName", 49),
                op: CompareOp::Eq,
                value: Literal::String("Smith".into()),
                value_position: 60,
            })
        );
        assert_eq!(q.order_by.len(), 2);
        assert!(q.order_by[0].descending && q.order_by[0].nulls_last);
        assert!(!q.order_by[1].descending && !q.order_by[1].nulls_last);
        assert_eq!((q.limit, q.offset), (Some(10), Some(5)));
    }

    #[test]
    fn and_or_not_and_parentheses_nest() {
        let c = parse_condition("NOT (A = 1 OR B = 2) AND C IN ('x', 'y') AND D NOT IN (null)")
            .unwrap();
        let Condition::And(terms) = c else {
            panic!("not an AND")
        };
        assert_eq!(terms.len(), 3);
        assert!(
            matches!(&terms[0], Condition::Not(inner) if matches!(**inner, Condition::Or(ref o) if o.len() == 2))
        );
        assert!(
            matches!(&terms[1], Condition::In { values, negated: false, .. } if values.len() == 2)
        );
        assert!(matches!(&terms[2], Condition::In { negated: true, .. }));
    }

    #[test]
    fn literals_of_every_kind() {
        let c = parse_condition(
            "a = 'x' AND b = 1.5 AND c = true AND d = FALSE AND e = null AND f = 2024-01-02 AND g > 2024-01-02T03:04:05Z AND h LIKE 'a%'",
        )
        .unwrap();
        let Condition::And(terms) = c else {
            panic!("not an AND")
        };
        let values: Vec<Literal> = terms
            .iter()
            .filter_map(|t| match t {
                Condition::Compare { value, .. } => Some(value.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            values,
            vec![
                Literal::String("x".into()),
                Literal::Number(1.5),
                Literal::Boolean(true),
                Literal::Boolean(false),
                Literal::Null,
                Literal::Date("2024-01-02".into()),
                Literal::DateTime("2024-01-02T03:04:05.000+0000".into()),
            ]
        );
        assert!(matches!(terms[7], Condition::Like { .. }));
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert!(parse_query("SeLeCt id FrOm contact WhErE x = 1 OrDeR bY x AsC lImIt 1").is_ok());
    }

    #[test]
    fn malformed_queries_name_the_unexpected_token() {
        let cases = [
            ("SELECT FROM Contact", "unexpected token: 'FROM'", 7),
            ("SELECT Id Contact", "unexpected token: 'Contact'", 10),
            ("SELECT Id FROM", "unexpected token: '<EOF>'", 14),
            (
                "SELECT Id FROM Contact WHERE",
                "unexpected token: '<EOF>'",
                28,
            ),
            (
                "SELECT Id FROM Contact WHERE A = 1 AND B = 2 OR C = 3",
                "unexpected token: 'OR'",
                45,
            ),
            (
                "SELECT Id FROM Contact WHERE A LIKE 5",
                "unexpected token: '5'",
                36,
            ),
            (
                "SELECT Id FROM Contact LIMIT x",
                "unexpected token: 'x'",
                29,
            ),
            (
                "SELECT Id FROM Contact LIMIT 1.5",
                "unexpected token: '1.5'",
                29,
            ),
            (
                "SELECT Id FROM Contact WHERE (A = 1",
                "unexpected token: '<EOF>'",
                35,
            ),
            (
                "SELECT Id FROM Contact WHERE A = B",
                "unexpected token: 'B'",
                33,
            ),
            (
                "SELECT Id FROM Contact extra",
                "unexpected token: 'extra'",
                23,
            ),
            ("DELETE FROM Contact", "unexpected token: 'DELETE'", 0),
        ];
        for (text, message, position) in cases {
            let error = parse_query(text).unwrap_err();
            assert_eq!(error.code, ErrorCode::MalformedQuery, "{text}");
            assert_eq!(error.message, message, "{text}");
            assert_eq!(error.position, Some(position), "{text}");
        }
    }
}
