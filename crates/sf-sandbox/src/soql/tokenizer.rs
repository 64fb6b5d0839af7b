//! Splits SOQL text into tokens: words (keywords and dotted field paths alike;
//! the parser tells them apart, case-insensitively), string literals with
//! Salesforce's escapes decoded, numbers, date and dateTime literals, operators,
//! commas and parentheses. A string literal also keeps its LIKE reading, because
//! `\%` and `\_` mean a literal `%`/`_` there while bare ones are wildcards.

use super::SoqlError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One element of a LIKE pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LikePiece {
    Char(char),
    /// `%`: any run of characters, the empty one included.
    AnyRun,
    /// `_`: exactly one character.
    AnyOne,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A keyword, a name, or a dotted relationship path (`Account.Owner.Name`).
    Word(String),
    /// A string literal: its value, and its reading as a LIKE pattern.
    Str {
        value: String,
        pattern: Vec<LikePiece>,
    },
    Number(String),
    Date(String),
    DateTime(String),
    Comma,
    LParen,
    RParen,
    Op(CompareOp),
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    /// Character offset in the query text.
    pub position: usize,
    /// The token as written, for error messages.
    pub text: String,
}

impl Token {
    /// Whether this is the keyword `keyword` (any case).
    pub fn is_keyword(&self, keyword: &str) -> bool {
        matches!(&self.kind, TokenKind::Word(w) if w.eq_ignore_ascii_case(keyword))
    }

    /// Salesforce's complaint about finding this token here.
    pub fn unexpected(&self) -> SoqlError {
        let shown = if self.kind == TokenKind::Eof {
            "<EOF>"
        } else {
            &self.text
        };
        SoqlError::malformed(format!("unexpected token: '{shown}'"), self.position)
    }
}

pub fn tokenize(text: &str) -> Result<Vec<Token>, SoqlError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let kind = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            ',' => {
                i += 1;
                TokenKind::Comma
            }
            '(' => {
                i += 1;
                TokenKind::LParen
            }
            ')' => {
                i += 1;
                TokenKind::RParen
            }
            '=' => {
                i += 1;
                TokenKind::Op(CompareOp::Eq)
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                i += 2;
                TokenKind::Op(CompareOp::Ne)
            }
            '<' => {
                let (op, len) = match chars.get(i + 1) {
                    Some('=') => (CompareOp::Le, 2),
                    Some('>') => (CompareOp::Ne, 2),
                    _ => (CompareOp::Lt, 1),
                };
                i += len;
                TokenKind::Op(op)
            }
            '>' => {
                let (op, len) = match chars.get(i + 1) {
                    Some('=') => (CompareOp::Ge, 2),
                    _ => (CompareOp::Gt, 1),
                };
                i += len;
                TokenKind::Op(op)
            }
            '\'' => {
                let (kind, end) = string_literal(&chars, i)?;
                i = end;
                kind
            }
            c if c.is_ascii_digit() || (c == '-' && next_is_digit(&chars, i)) => {
                let (kind, end) = number_or_date(&chars, i)?;
                i = end;
                kind
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if word.ends_with('.') || word.contains("..") {
                    return Err(SoqlError::malformed(
                        format!("unexpected token: '{word}'"),
                        start,
                    ));
                }
                TokenKind::Word(word)
            }
            other => {
                return Err(SoqlError::malformed(
                    format!("no viable alternative at character '{other}'"),
                    start,
                ));
            }
        };
        tokens.push(Token {
            kind,
            position: start,
            text: chars[start..i].iter().collect(),
        });
    }
    tokens.push(Token {
        kind: TokenKind::Eof,
        position: chars.len(),
        text: String::new(),
    });
    Ok(tokens)
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_some_and(char::is_ascii_digit)
}

/// Decodes the literal opening at `start`; answers the token and where it ends.
fn string_literal(chars: &[char], start: usize) -> Result<(TokenKind, usize), SoqlError> {
    let mut value = String::new();
    let mut pattern = Vec::new();
    let mut i = start + 1;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(SoqlError::malformed(
                "mismatched character '<EOF>' expecting '''",
                start,
            ));
        };
        match c {
            '\'' => break,
            '\\' => {
                let escaped = chars.get(i + 1).copied();
                let (decoded, len) = match escaped {
                    Some('\'') => ('\'', 2),
                    Some('"') => ('"', 2),
                    Some('\\') => ('\\', 2),
                    Some('n') => ('\n', 2),
                    Some('r') => ('\r', 2),
                    Some('t') => ('\t', 2),
                    Some('b') => ('\u{8}', 2),
                    Some('f') => ('\u{c}', 2),
                    // Literal in LIKE; in any other comparison just the character.
                    Some('%') => ('%', 2),
                    Some('_') => ('_', 2),
                    Some('u') => (unicode_escape(chars, i, start)?, 6),
                    _ => return Err(illegal_escape(chars, start, i)),
                };
                value.push(decoded);
                pattern.push(LikePiece::Char(decoded));
                i += len;
            }
            '%' => {
                value.push(c);
                pattern.push(LikePiece::AnyRun);
                i += 1;
            }
            '_' => {
                value.push(c);
                pattern.push(LikePiece::AnyOne);
                i += 1;
            }
            _ => {
                value.push(c);
                pattern.push(LikePiece::Char(c));
                i += 1;
            }
        }
    }
    Ok((TokenKind::Str { value, pattern }, i + 1))
}

/// The character of `\uXXXX` at `i` (the backslash).
fn unicode_escape(chars: &[char], i: usize, literal_start: usize) -> Result<char, SoqlError> {
    let hex: String = chars.iter().skip(i + 2).take(4).collect();
    if hex.len() != 4 {
        return Err(illegal_escape(chars, literal_start, i));
    }
    u32::from_str_radix(&hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| illegal_escape(chars, literal_start, i))
}

fn illegal_escape(chars: &[char], literal_start: usize, backslash: usize) -> SoqlError {
    let mut end = literal_start + 1;
    while end < chars.len() && chars[end] != '\'' {
        end += if chars[end] == '\\' { 2 } else { 1 };
    }
    let literal: String = chars[literal_start..(end + 1).min(chars.len())]
        .iter()
        .collect();
    let sequence: String = chars[backslash..].iter().take(2).collect();
    SoqlError::malformed(
        format!(
            "Invalid string literal {literal}. Illegal character sequence '{sequence}' in string literal."
        ),
        literal_start,
    )
}

/// A number (`42`, `-1.5`), a date (`2024-05-01`) or a dateTime
/// (`2024-05-01T13:45:00Z`, `…+01:00`) starting at `start`.
fn number_or_date(chars: &[char], start: usize) -> Result<(TokenKind, usize), SoqlError> {
    let digits_at = |from: usize, count: usize| {
        (from..from + count).all(|k| chars.get(k).is_some_and(char::is_ascii_digit))
    };
    let is_date = digits_at(start, 4)
        && chars.get(start + 4) == Some(&'-')
        && digits_at(start + 5, 2)
        && chars.get(start + 7) == Some(&'-')
        && digits_at(start + 8, 2);
    if is_date {
        let date: String = chars[start..start + 10].iter().collect();
        if crate::model::values::normalize_date(&date).is_none() {
            return Err(SoqlError::malformed(format!("invalid date: {date}"), start));
        }
        if chars.get(start + 10) != Some(&'T') {
            return Ok((TokenKind::Date(date), start + 10));
        }
        let mut end = start + 11;
        while end < chars.len()
            && (chars[end].is_ascii_alphanumeric() || matches!(chars[end], ':' | '.' | '+' | '-'))
        {
            end += 1;
        }
        let text: String = chars[start..end].iter().collect();
        return match crate::model::values::normalize_datetime(&text) {
            Some(normalized) => Ok((TokenKind::DateTime(normalized), end)),
            None => Err(SoqlError::malformed(
                format!("invalid dateTime: {text}"),
                start,
            )),
        };
    }
    let mut end = start + 1;
    while end < chars.len() && chars[end].is_ascii_digit() {
        end += 1;
    }
    if chars.get(end) == Some(&'.') && next_is_digit(chars, end) {
        end += 1;
        while end < chars.len() && chars[end].is_ascii_digit() {
            end += 1;
        }
    }
    Ok((TokenKind::Number(chars[start..end].iter().collect()), end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_codes::ErrorCode;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    fn string_value(text: &str) -> String {
        match &kinds(text)[0] {
            TokenKind::Str { value, .. } => value.clone(),
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn words_operators_and_punctuation() {
        use CompareOp::*;
        assert_eq!(
            kinds(
                "select Account.Name,Id from Contact where a=1 and b!=2 and c<>3 and d<4 and e<=5 and f>6 and g>=7"
            ),
            vec![
                TokenKind::Word("select".into()),
                TokenKind::Word("Account.Name".into()),
                TokenKind::Comma,
                TokenKind::Word("Id".into()),
                TokenKind::Word("from".into()),
                TokenKind::Word("Contact".into()),
                TokenKind::Word("where".into()),
                TokenKind::Word("a".into()),
                TokenKind::Op(Eq),
                TokenKind::Number("1".into()),
                TokenKind::Word("and".into()),
                TokenKind::Word("b".into()),
                TokenKind::Op(Ne),
                TokenKind::Number("2".into()),
                TokenKind::Word("and".into()),
                TokenKind::Word("c".into()),
                TokenKind::Op(Ne),
                TokenKind::Number("3".into()),
                TokenKind::Word("and".into()),
                TokenKind::Word("d".into()),
                TokenKind::Op(Lt),
                TokenKind::Number("4".into()),
                TokenKind::Word("and".into()),
                TokenKind::Word("e".into()),
                TokenKind::Op(Le),
                TokenKind::Number("5".into()),
                TokenKind::Word("and".into()),
                TokenKind::Word("f".into()),
                TokenKind::Op(Gt),
                TokenKind::Number("6".into()),
                TokenKind::Word("and".into()),
                TokenKind::Word("g".into()),
                TokenKind::Op(Ge),
                TokenKind::Number("7".into()),
                TokenKind::Eof,
            ]
        );
        assert_eq!(
            kinds("(x)"),
            vec![
                TokenKind::LParen,
                TokenKind::Word("x".into()),
                TokenKind::RParen,
                TokenKind::Eof
            ]
        );
    }

    #[test]
    fn every_salesforce_string_escape_decodes() {
        assert_eq!(string_value(r"'O\'Brien'"), "O'Brien");
        assert_eq!(string_value(r#"'say \"hi\"'"#), "say \"hi\"");
        assert_eq!(string_value(r"'back\\slash'"), "back\\slash");
        assert_eq!(string_value(r"'a\nb\rc\td'"), "a\nb\rc\td");
        assert_eq!(string_value(r"'\b\f'"), "\u{8}\u{c}");
        assert_eq!(string_value(r"'Jos\u00e9'"), "José");
        assert_eq!(string_value(r"'100\%'"), "100%");
        assert_eq!(string_value(r"'a\_b'"), "a_b");
        assert_eq!(string_value("''"), "");
        assert_eq!(string_value("'ünïcödé'"), "ünïcödé");
    }

    #[test]
    fn like_reading_tells_escaped_wildcards_from_bare_ones() {
        let TokenKind::Str { pattern, .. } = &kinds(r"'5\%_x%'")[0] else {
            panic!("not a string")
        };
        assert_eq!(
            pattern,
            &vec![
                LikePiece::Char('5'),
                LikePiece::Char('%'),
                LikePiece::AnyOne,
                LikePiece::Char('x'),
                LikePiece::AnyRun,
            ]
        );
    }

    #[test]
    fn bad_strings_are_malformed_queries() {
        let unterminated = tokenize("x = 'abc").unwrap_err();
        assert_eq!(unterminated.code, ErrorCode::MalformedQuery);
        assert_eq!(unterminated.position, Some(4));
        let bad_escape = tokenize(r"x = 'a\zb'").unwrap_err();
        assert_eq!(
            bad_escape.message,
            r"Invalid string literal 'a\zb'. Illegal character sequence '\z' in string literal."
        );
        assert!(tokenize(r"x = '\u12'").is_err());
        assert!(tokenize(r"x = '\uZZZZ'").is_err());
    }

    #[test]
    fn numbers_dates_and_datetimes() {
        assert_eq!(
            kinds("-1.5 42 2024-05-01 2024-05-01T13:45:00Z 2024-05-01T15:45:00+02:00"),
            vec![
                TokenKind::Number("-1.5".into()),
                TokenKind::Number("42".into()),
                TokenKind::Date("2024-05-01".into()),
                TokenKind::DateTime("2024-05-01T13:45:00.000+0000".into()),
                TokenKind::DateTime("2024-05-01T13:45:00.000+0000".into()),
                TokenKind::Eof,
            ]
        );
        assert!(tokenize("2024-13-01").is_err());
        assert!(tokenize("2024-05-01T99").is_err());
    }

    #[test]
    fn stray_characters_are_refused_with_their_position() {
        let error = tokenize("SELECT Id FROM Case;").unwrap_err();
        assert_eq!(error.position, Some(19));
        assert_eq!(error.message, "no viable alternative at character ';'");
        assert!(tokenize("Account.").is_err());
    }
}
