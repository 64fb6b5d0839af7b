//! The search text: what stands between the braces of `FIND {…}`, and what the
//! `q` of a parameterized search holds. Salesforce's SOSL reference ("FIND
//! {SearchQuery}") defines it: words and `"quoted phrases"`, ANDed when no
//! operator stands between them; `AND`, `OR`, `AND NOT` and parentheses; `*`
//! and `?` as wildcards; and the reserved characters
//! `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -`, which "must be escaped (preceded by
//! the backslash) … An error occurs if you do not precede reserved characters
//! with a backslash. This is true even if the SearchQuery is enclosed in double
//! quotes." Salesforce answers that error as `MALFORMED_SEARCH`, "mismatched
//! character 'c' expecting '}'" (the lexer wanted the closing brace).

use super::SoslError;

/// One element of a search word after escapes are decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Char(char),
    /// `*`: any run of characters.
    AnyRun,
    /// `?`: exactly one character.
    AnyOne,
}

/// One searched word or quoted phrase, escapes decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub pieces: Vec<Piece>,
}

impl Term {
    /// The term split as Salesforce's index splits text: at spaces and
    /// punctuation, so `O\'Brien` looks for the words `o` and `brien` in a row.
    pub fn words(&self) -> Vec<Vec<Piece>> {
        self.pieces
            .split(|p| matches!(p, Piece::Char(c) if !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.iter()
                    .map(|p| match p {
                        Piece::Char(c) => Piece::Char(c.to_lowercase().next().unwrap_or(*c)),
                        other => other.clone(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The digits of the term, which phone fields are matched on.
    pub fn digits(&self) -> String {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Char(c) if c.is_ascii_digit() => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// Whether the term holds a letter (so it is no phone number).
    pub fn has_letters(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Char(c) if c.is_alphabetic()))
    }

    /// Whether the term is too short to search for: fewer than two letters or
    /// digits ("search term must be longer than one character").
    pub fn is_short(&self) -> bool {
        self.pieces
            .iter()
            .filter(|p| matches!(p, Piece::Char(c) if c.is_alphanumeric()))
            .count()
            < 2
    }
}

/// The search text, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchExpr {
    Term(Term),
    And(Vec<SearchExpr>),
    Or(Vec<SearchExpr>),
    /// `a AND NOT b`.
    AndNot(Box<SearchExpr>, Box<SearchExpr>),
}

impl SearchExpr {
    fn terms(&self) -> Vec<&Term> {
        match self {
            SearchExpr::Term(term) => vec![term],
            SearchExpr::And(all) | SearchExpr::Or(all) => {
                all.iter().flat_map(SearchExpr::terms).collect()
            }
            SearchExpr::AndNot(left, right) => {
                let mut terms = left.terms();
                terms.extend(right.terms());
                terms
            }
        }
    }
}

/// The characters SOSL reserves in search text.
pub const RESERVED: &str = "?&|!{}[]()^~*:\\\"'+-";

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    /// A word, and its text when it is plain (no escapes or wildcards): only a
    /// plain word can be an operator.
    Word(Term, Option<String>),
    Phrase(Term),
    LParen,
    RParen,
}

/// Where the search text ends: at the closing brace of `FIND {…}`, or at the
/// end of a parameterized search's `q`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    Brace,
    EndOfText,
}

/// Parses the search text in `chars` from `start`; answers the expression and
/// the offset just past the closing brace (or the end of the text).
pub fn parse_search_text(
    chars: &[char],
    start: usize,
    closing: Closing,
) -> Result<(SearchExpr, usize), SoslError> {
    let (lexemes, end) = lex(chars, start, closing)?;
    let mut parser = Parser {
        lexemes: &lexemes,
        at: 0,
        end,
    };
    let too_short = || {
        let text: String = chars[start..end.min(chars.len())]
            .iter()
            .collect::<String>()
            .trim_end_matches('}')
            .to_string();
        SoslError::invalid_search(format!(
            "search term must be longer than one character: {text}"
        ))
    };
    if lexemes.is_empty() {
        return Err(too_short());
    }
    let expr = parser.or_expr()?;
    if let Some((_, position)) = parser.lexemes.get(parser.at) {
        return Err(SoslError::malformed("unexpected token: ')'", *position));
    }
    if expr.terms().iter().all(|t| t.is_short()) {
        return Err(too_short());
    }
    Ok((expr, end))
}

fn mismatched(found: Option<char>, expecting: char, position: usize) -> SoslError {
    let found = found.map_or("<EOF>".to_string(), |c| c.to_string());
    SoslError::malformed(
        format!("line 1:{position} mismatched character '{found}' expecting '{expecting}'"),
        position,
    )
}

fn lex(
    chars: &[char],
    start: usize,
    closing: Closing,
) -> Result<(Vec<(Lexeme, usize)>, usize), SoslError> {
    let mut lexemes = Vec::new();
    let mut word: Vec<Piece> = Vec::new();
    let mut plain = true;
    let mut word_start = start;
    // The opening quote's offset while inside a phrase.
    let mut phrase: Option<usize> = None;
    let mut i = start;
    let flush = |word: &mut Vec<Piece>, plain: &mut bool, at: usize, out: &mut Vec<_>| {
        if !word.is_empty() {
            let text = plain.then(|| {
                word.iter()
                    .map(|p| match p {
                        Piece::Char(c) => *c,
                        _ => '*',
                    })
                    .collect()
            });
            out.push((
                Lexeme::Word(
                    Term {
                        pieces: std::mem::take(word),
                    },
                    text,
                ),
                at,
            ));
        }
        *plain = true;
    };
    loop {
        let Some(&c) = chars.get(i) else {
            if phrase.is_some() {
                return Err(mismatched(None, '"', i));
            }
            if closing == Closing::Brace {
                return Err(mismatched(None, '}', i));
            }
            flush(&mut word, &mut plain, word_start, &mut lexemes);
            return Ok((lexemes, i));
        };
        if word.is_empty() && phrase.is_none() {
            word_start = i;
        }
        match c {
            '\\' => {
                let Some(&escaped) = chars.get(i + 1) else {
                    return Err(mismatched(None, '}', i + 1));
                };
                word.push(Piece::Char(escaped));
                plain = false;
                i += 2;
                continue;
            }
            '}' if closing == Closing::Brace && phrase.is_none() => {
                flush(&mut word, &mut plain, word_start, &mut lexemes);
                return Ok((lexemes, i + 1));
            }
            '"' => {
                match phrase.take() {
                    None => {
                        flush(&mut word, &mut plain, word_start, &mut lexemes);
                        phrase = Some(i);
                        word_start = i;
                    }
                    Some(open) => {
                        lexemes.push((
                            Lexeme::Phrase(Term {
                                pieces: std::mem::take(&mut word),
                            }),
                            open,
                        ));
                        plain = true;
                    }
                }
                i += 1;
                continue;
            }
            '*' => {
                word.push(Piece::AnyRun);
                plain = false;
            }
            '?' => {
                word.push(Piece::AnyOne);
                plain = false;
            }
            '(' | ')' if phrase.is_none() => {
                flush(&mut word, &mut plain, word_start, &mut lexemes);
                let lexeme = if c == '(' {
                    Lexeme::LParen
                } else {
                    Lexeme::RParen
                };
                lexemes.push((lexeme, i));
            }
            c if RESERVED.contains(c) => {
                let expecting = if phrase.is_some() { '"' } else { '}' };
                return Err(mismatched(Some(c), expecting, i));
            }
            c if c.is_whitespace() && phrase.is_none() => {
                flush(&mut word, &mut plain, word_start, &mut lexemes);
            }
            c => word.push(Piece::Char(c)),
        }
        i += 1;
    }
}

struct Parser<'a> {
    lexemes: &'a [(Lexeme, usize)],
    at: usize,
    end: usize,
}

impl Parser<'_> {
    fn keyword(&self, keyword: &str) -> bool {
        matches!(
            self.lexemes.get(self.at),
            Some((Lexeme::Word(_, Some(text)), _)) if text.eq_ignore_ascii_case(keyword)
        )
    }

    fn position(&self) -> usize {
        self.lexemes.get(self.at).map_or(self.end, |(_, p)| *p)
    }

    fn or_expr(&mut self) -> Result<SearchExpr, SoslError> {
        let mut any = vec![self.and_expr()?];
        while self.keyword("OR") {
            self.at += 1;
            any.push(self.and_expr()?);
        }
        Ok(if any.len() == 1 {
            any.remove(0)
        } else {
            SearchExpr::Or(any)
        })
    }

    fn and_expr(&mut self) -> Result<SearchExpr, SoslError> {
        let mut expr = self.unary()?;
        loop {
            let explicit = self.keyword("AND");
            if explicit {
                self.at += 1;
                if self.keyword("NOT") {
                    self.at += 1;
                    let right = self.unary()?;
                    expr = SearchExpr::AndNot(Box::new(expr), Box::new(right));
                    continue;
                }
            } else if self.keyword("OR")
                || matches!(self.lexemes.get(self.at), None | Some((Lexeme::RParen, _)))
            {
                return Ok(expr);
            }
            // Words with no operator between them are ANDed.
            let right = self.unary()?;
            expr = match expr {
                SearchExpr::And(mut all) => {
                    all.push(right);
                    SearchExpr::And(all)
                }
                other => SearchExpr::And(vec![other, right]),
            };
        }
    }

    fn unary(&mut self) -> Result<SearchExpr, SoslError> {
        let position = self.position();
        let Some((lexeme, _)) = self.lexemes.get(self.at) else {
            return Err(SoslError::malformed(
                "unexpected end of search text",
                position,
            ));
        };
        self.at += 1;
        match lexeme {
            Lexeme::Word(_, Some(text))
                if ["AND", "OR", "NOT"]
                    .iter()
                    .any(|k| text.eq_ignore_ascii_case(k)) =>
            {
                Err(SoslError::malformed(
                    format!("unexpected token: '{text}'"),
                    position,
                ))
            }
            Lexeme::Word(term, _) | Lexeme::Phrase(term) => Ok(SearchExpr::Term(term.clone())),
            Lexeme::LParen => {
                let inner = self.or_expr()?;
                match self.lexemes.get(self.at) {
                    Some((Lexeme::RParen, _)) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err(mismatched(None, ')', self.position())),
                }
            }
            Lexeme::RParen => Err(SoslError::malformed("unexpected token: ')'", position)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_codes::ErrorCode;

    fn parse(text: &str) -> Result<SearchExpr, SoslError> {
        let chars: Vec<char> = text.chars().collect();
        parse_search_text(&chars, 0, Closing::EndOfText).map(|(e, _)| e)
    }

    fn term(text: &str) -> SearchExpr {
        SearchExpr::Term(Term {
            pieces: text.chars().map(Piece::Char).collect(),
        })
    }

    #[test]
    fn words_are_anded_and_operators_combine_them() {
        assert_eq!(
            parse("test subject").unwrap(),
            SearchExpr::And(vec![term("test"), term("subject")])
        );
        assert_eq!(
            parse("acme or globex").unwrap(),
            SearchExpr::Or(vec![term("acme"), term("globex")])
        );
        assert_eq!(
            parse("(acme OR globex) AND NOT ltd").unwrap(),
            SearchExpr::AndNot(
                Box::new(SearchExpr::Or(vec![term("acme"), term("globex")])),
                Box::new(term("ltd"))
            )
        );
        assert_eq!(parse("\"jim smith\"").unwrap(), term("jim smith"));
    }

    #[test]
    fn escapes_make_reserved_characters_literal() {
        assert_eq!(parse(r"O\'Brien").unwrap(), term("O'Brien"));
        assert_eq!(
            parse(r"\+1 \(415\) 555\-0100").unwrap(),
            SearchExpr::And(vec![term("+1"), term("(415)"), term("555-0100")])
        );
        assert_eq!(parse(r"\*\?\\").unwrap_err().code, ErrorCode::InvalidSearch);
    }

    #[test]
    fn unescaped_reserved_characters_are_refused_where_they_stand() {
        for (text, found, at) in [
            ("AB-123", '-', 2),
            ("O'Brien", '\'', 1),
            ("+15551234567", '+', 0),
            ("a&b", '&', 1),
            ("jim|jane", '|', 3),
            ("\"x:y\"", ':', 2),
            ("tilde~", '~', 5),
            ("a}b", '}', 1),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.code, ErrorCode::MalformedSearch, "{text}");
            assert_eq!(error.position, Some(at), "{text}");
            assert!(
                error
                    .message
                    .contains(&format!("mismatched character '{found}'")),
                "{text}: {}",
                error.message
            );
        }
    }

    #[test]
    fn wildcards_stay_wildcards() {
        let SearchExpr::Term(t) = parse("jo?n*").unwrap() else {
            panic!()
        };
        assert_eq!(
            t.pieces,
            vec![
                Piece::Char('j'),
                Piece::Char('o'),
                Piece::AnyOne,
                Piece::Char('n'),
                Piece::AnyRun
            ]
        );
    }

    #[test]
    fn a_search_needs_a_term_of_two_characters() {
        for text in ["a", "a*", "  ", "a b", "\"\""] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidSearch, "{text}");
            assert!(
                error
                    .message
                    .starts_with("search term must be longer than one character")
            );
        }
        assert!(parse("a bc").is_ok());
    }

    #[test]
    fn unbalanced_quotes_and_parentheses_are_malformed() {
        for text in ["\"open phrase", "(acme", "acme)", "acme OR", "AND acme"] {
            assert_eq!(
                parse(text).unwrap_err().code,
                ErrorCode::MalformedSearch,
                "{text}"
            );
        }
    }

    #[test]
    fn the_brace_closes_the_text_in_a_statement() {
        let chars: Vec<char> = "FIND {acme} IN ALL FIELDS".chars().collect();
        let (expr, end) = parse_search_text(&chars, 6, Closing::Brace).unwrap();
        assert_eq!(expr, term("acme"));
        assert_eq!(end, 11);
        let open: Vec<char> = "FIND {acme".chars().collect();
        let error = parse_search_text(&open, 6, Closing::Brace).unwrap_err();
        assert_eq!(
            error.message,
            "line 1:10 mismatched character '<EOF>' expecting '}'"
        );
    }

    #[test]
    fn terms_split_into_words_like_the_index() {
        let SearchExpr::Term(t) = parse(r"O\'Brien").unwrap() else {
            panic!()
        };
        assert_eq!(
            t.words(),
            vec![
                vec![Piece::Char('o')],
                "brien".chars().map(Piece::Char).collect::<Vec<_>>()
            ]
        );
        let SearchExpr::Term(digits) = parse(r"\+44\-20").unwrap() else {
            panic!()
        };
        assert_eq!(digits.digits(), "4420");
    }
}
