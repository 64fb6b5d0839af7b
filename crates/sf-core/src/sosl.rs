//! SOSL text built so that a caller's words search for themselves: the search text of
//! a search's `q` ([`search_text`]), with SOSL's reserved characters escaped unless the
//! flow asks for SOSL syntax ([`SearchSyntax`]); and a searchSOSL's whole statement with
//! its replacements ([`statement`]), whose shape no value can change.
//!
//! Salesforce's SOSL reference ("FIND {SearchQuery}") reserves
//! `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -` in search text: each must be preceded by a
//! backslash, or Salesforce refuses the search or reads the character as an operator
//! (`-` excludes a word, `"` opens a phrase, `(` groups). So `O'Brien`, `AB-123` and
//! `+1 (415) 555-0100`, which callers say and type, are escaped here. `*` and `?` are
//! left as they are: they are SOSL's wildcards, and a flow that passes `Smi*` means one.

use crate::api_name::is_identifier;
use crate::error::{Error, Result};
use crate::masking::shown_value;
use crate::parameters::Scalar;
use crate::replacements::{Place, Quotes, Segment, Template};
use crate::soql;

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

// ---- searchSOSL's statement ----

/// The parameter holding a searchSOSL or searchOneSOSL statement.
pub const QUERY: &str = "query";

/// The statement a searchSOSL `query` must be.
pub const STATEMENT_FORM: &str = "FIND {…} [IN ALL|NAME|EMAIL|PHONE FIELDS] RETURNING \
                                  Object(fields [WHERE …] [LIMIT n]), … [LIMIT n]";

/// The search text of `FIND {…}`: a quoted region in which a backslash escapes the
/// character after it, as in a string literal.
const SEARCH_TEXT: Quotes = Quotes {
    open: b'{',
    close: b'}',
};

/// The quoted regions of a SOSL statement: its search text, and the string literals of
/// its WHERE clauses.
const REGIONS: &[Quotes] = &[SEARCH_TEXT, soql::STRING_LITERAL];

/// The `IN … FIELDS` groups a statement may search.
const SEARCH_GROUPS: &[&str] = &["ALL", "NAME", "EMAIL", "PHONE"];

/// Words that end or start a clause, never an object or field name.
const CLAUSE_WORDS: &[&str] = &[
    "FIND",
    "RETURNING",
    "WHERE",
    "LIMIT",
    "ORDER",
    "OFFSET",
    "WITH",
    "USING",
];

/// The SOSL statement of `template` with every parameter name replaced by its value, in
/// the order given. A value inside `FIND {…}` gets SOSL's backslash escapes
/// ([`escape_search_text`]); inside a quoted literal of a WHERE, SOQL's literal escapes;
/// anywhere else it must be what SOQL takes unquoted ([`soql::replacement_text`]). The
/// template, and then the statement, must have the form [`STATEMENT_FORM`], or the error
/// names `query`.
///
/// As in a search's `q`, a value inside `FIND {…}` keeps `*` and `?` as wildcards and the
/// words `AND`, `OR` and `NOT` as SOSL's operators: they change which records match,
/// never what the statement returns, which objects or fields, or its limits.
pub fn statement(template: &str, replacements: &[(&str, Scalar)]) -> Result<String> {
    check_form(template, Limits::NumbersOrNames)?;
    let statement = Template::scan(template, REGIONS).substitute(
        replacements,
        |name, value, place| match place {
            Place::Inside { quotes, .. } if quotes == SEARCH_TEXT => {
                Ok(escape_search_text(&value.as_text()))
            }
            _ => soql::replacement_text(template, name, value, place),
        },
    )?;
    check_form(&statement, Limits::Numbers)?;
    Ok(statement)
}

/// What a `LIMIT` may be followed by: a number, or in a template also the name of the
/// parameter that will put one there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limits {
    Numbers,
    NumbersOrNames,
}

/// One token of a statement, as far as its form is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'s> {
    /// A keyword, a name or relationship path, or a number.
    Word(&'s str),
    /// `{…}`.
    SearchText,
    /// `'…'`.
    Literal,
    Open,
    Close,
    Comma,
    /// Any other character outside the quoted regions (an operator of a WHERE).
    Other(char),
}

impl Token<'_> {
    fn shown(self) -> String {
        match self {
            Token::Word(word) => shown_value(word),
            Token::SearchText => "search text in braces".to_owned(),
            Token::Literal => "a quoted text".to_owned(),
            Token::Open => "`(`".to_owned(),
            Token::Close => "`)`".to_owned(),
            Token::Comma => "`,`".to_owned(),
            Token::Other(c) => shown_value(&c.to_string()),
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// The tokens of `text`, whose quoted regions are all closed.
fn tokens<'s>(template: &Template<'s>) -> Vec<Token<'s>> {
    let mut tokens = Vec::new();
    for segment in template.segments() {
        let text = match segment {
            Segment::Quoted(quotes, _) if quotes == SEARCH_TEXT => {
                tokens.push(Token::SearchText);
                continue;
            }
            Segment::Quoted(..) => {
                tokens.push(Token::Literal);
                continue;
            }
            Segment::Outside(text) => text,
        };
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let width = if is_word_char(c) {
                let word_end = rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
                tokens.push(Token::Word(&rest[..word_end]));
                word_end
            } else {
                match c {
                    c if c.is_whitespace() => {}
                    '(' => tokens.push(Token::Open),
                    ')' => tokens.push(Token::Close),
                    ',' => tokens.push(Token::Comma),
                    other => tokens.push(Token::Other(other)),
                }
                c.len_utf8()
            };
            rest = &rest[width..];
        }
    }
    tokens
}

/// Checks that `text` has the form [`STATEMENT_FORM`].
fn check_form(text: &str, limits: Limits) -> Result<()> {
    let refuse = |problem: String| {
        Error::invalid(
            QUERY,
            format!("a SOSL statement, {STATEMENT_FORM}; {problem}"),
        )
    };
    let scanned = Template::scan(text, REGIONS);
    if !scanned.regions_closed() {
        return Err(refuse(
            "a `{` or `'` is never closed (a `}` or `'` inside them needs a backslash)".into(),
        ));
    }
    let mut form = Form {
        tokens: tokens(&scanned),
        next: 0,
        limits,
    };
    if matches!(form.peek(), Some(Token::Word(word)) if word.eq_ignore_ascii_case("SELECT")) {
        return Err(refuse(
            "this is a SOQL statement: the query and queryOne functions run SOQL".into(),
        ));
    }
    form.statement().map_err(refuse)
}

/// Reads the tokens of a statement against its form; a problem is said in words.
struct Form<'s> {
    tokens: Vec<Token<'s>>,
    next: usize,
    limits: Limits,
}

type Problem = std::result::Result<(), String>;

impl<'s> Form<'s> {
    fn peek(&self) -> Option<Token<'s>> {
        self.tokens.get(self.next).copied()
    }

    fn found(&self) -> String {
        self.peek()
            .map_or("the end of the statement".to_owned(), Token::shown)
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(word)) if word.eq_ignore_ascii_case(keyword))
    }

    /// Takes `keyword` if it is next.
    fn keyword(&mut self, keyword: &str) -> bool {
        let there = self.at_keyword(keyword);
        if there {
            self.next += 1;
        }
        there
    }

    fn expect(&mut self, token: Token<'_>, what: &str) -> Problem {
        if self.peek() == Some(token) {
            self.next += 1;
            Ok(())
        } else {
            Err(format!("expected {what}, found {}", self.found()))
        }
    }

    fn expect_keyword(&mut self, keyword: &str, after: &str) -> Problem {
        if self.keyword(keyword) {
            Ok(())
        } else {
            Err(format!(
                "expected {keyword} {after}, found {}",
                self.found()
            ))
        }
    }

    /// A name: an object's (`relationships` false) or a field's.
    fn name(&mut self, what: &str, relationships: bool) -> Problem {
        match self.peek() {
            Some(Token::Word(word))
                if is_identifier(word)
                    && (relationships || !word.contains('.'))
                    && !CLAUSE_WORDS.iter().any(|k| word.eq_ignore_ascii_case(k)) =>
            {
                self.next += 1;
                Ok(())
            }
            _ => Err(format!("expected {what}, found {}", self.found())),
        }
    }

    fn limit(&mut self, of: &str) -> Problem {
        match self.peek() {
            Some(Token::Word(word))
                if word.bytes().all(|b| b.is_ascii_digit())
                    || (self.limits == Limits::NumbersOrNames && is_identifier(word)) =>
            {
                self.next += 1;
                Ok(())
            }
            _ => Err(format!(
                "expected a whole number after the LIMIT of {of}, found {}",
                self.found()
            )),
        }
    }

    fn statement(&mut self) -> Problem {
        self.expect_keyword("FIND", "at the start")?;
        self.expect(Token::SearchText, "the search text in braces after FIND")?;
        if self.keyword("IN") {
            match self.peek() {
                Some(Token::Word(group))
                    if SEARCH_GROUPS.iter().any(|g| group.eq_ignore_ascii_case(g)) =>
                {
                    self.next += 1;
                }
                _ => {
                    return Err(format!(
                        "expected ALL, NAME, EMAIL or PHONE after IN, found {}",
                        self.found()
                    ));
                }
            }
            self.expect_keyword("FIELDS", "after the search group")?;
        }
        self.expect_keyword("RETURNING", "after the search text")?;
        self.object()?;
        while self.peek() == Some(Token::Comma) {
            self.next += 1;
            self.object()?;
        }
        if self.keyword("LIMIT") {
            self.limit("the statement")?;
        }
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(format!(
                "expected `,`, LIMIT or the end of the statement, found {}",
                self.found()
            )),
        }
    }

    /// `Object(field, … [WHERE condition] [LIMIT n])`.
    fn object(&mut self) -> Problem {
        self.name("an object name after RETURNING or `,`", false)?;
        self.expect(Token::Open, "`(` and the fields to return after the object")?;
        self.name("a field name", true)?;
        while self.peek() == Some(Token::Comma) {
            self.next += 1;
            self.name("a field name after `,`", true)?;
        }
        if self.keyword("WHERE") {
            self.condition()?;
        }
        if self.keyword("LIMIT") {
            self.limit("an object")?;
        }
        self.expect(
            Token::Close,
            "`,`, WHERE, LIMIT or `)` after an object's fields",
        )
    }

    /// A WHERE condition: any tokens but search text, its parentheses balanced, up to
    /// the object's LIMIT or `)`.
    fn condition(&mut self) -> Problem {
        let start = self.next;
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return Err("the `(` of an object's fields is never closed".into()),
                Some(Token::SearchText) => {
                    return Err("expected no braces in a WHERE condition".into());
                }
                Some(Token::Close) if depth == 0 => break,
                Some(Token::Close) => depth -= 1,
                Some(Token::Open) => depth += 1,
                Some(Token::Word(_)) if depth == 0 && self.at_keyword("LIMIT") => break,
                Some(_) => {}
            }
            self.next += 1;
        }
        if self.next == start {
            return Err(format!(
                "expected a condition after WHERE, found {}",
                self.found()
            ));
        }
        Ok(())
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

    fn text(value: &str) -> Scalar {
        Scalar::Text(value.to_owned())
    }

    const TEMPLATE: &str = "FIND {who} IN NAME FIELDS RETURNING Contact(fields WHERE Title = \
                            'title' AND Email LIKE '%domain' LIMIT perObject), Lead(Id, Name) LIMIT total";

    fn built(who: &str, title: &str) -> Result<String> {
        statement(
            TEMPLATE,
            &[
                ("who", text(who)),
                ("fields", text("Id, Name, Account.Name")),
                ("title", text(title)),
                ("domain", text("acme_example.com")),
                ("perObject", Scalar::Number("5".into())),
                ("total", text("20")),
            ],
        )
    }

    #[test]
    fn each_replacement_is_escaped_for_where_it_lands() {
        assert_eq!(
            built("Jim O'Brien", "VP").unwrap(),
            r"FIND {Jim O\'Brien} IN NAME FIELDS RETURNING Contact(Id, Name, Account.Name WHERE Title = 'VP' AND Email LIKE '%acme\_example.com' LIMIT 5), Lead(Id, Name) LIMIT 20"
        );
        // A brace or backslash in the search text cannot end it; a quote in a literal
        // cannot end that.
        assert_eq!(
            built(r"x} RETURNING User(Id) \", "x' OR Name != '").unwrap(),
            r"FIND {x\} RETURNING User\(Id\) \\} IN NAME FIELDS RETURNING Contact(Id, Name, Account.Name WHERE Title = 'x\' OR Name != \'' AND Email LIKE '%acme\_example.com' LIMIT 5), Lead(Id, Name) LIMIT 20"
        );
        // Wildcards stay wildcards, as in a search's q.
        assert!(built("Smi*", "").unwrap().starts_with("FIND {Smi*} "));
    }

    #[test]
    fn a_value_outside_quotes_is_what_query_takes_there() {
        let template = "FIND {acme} RETURNING Account(Id WHERE CreatedDate > since) LIMIT rows";
        assert_eq!(
            statement(
                template,
                &[("since", text("LAST_N_DAYS:30")), ("rows", text("10"))]
            )
            .unwrap(),
            "FIND {acme} RETURNING Account(Id WHERE CreatedDate > LAST_N_DAYS:30) LIMIT 10"
        );
        for (name, value) in [
            ("since", "2024-05-01 OR Id != null"),
            ("since", "TODAY) , User(Id"),
            ("rows", "10 RETURNING User(Id)"),
            ("rows", "{x}"),
        ] {
            let replacements = [(name, text(value))];
            let error = statement(template, &replacements).unwrap_err();
            assert!(error.to_string().contains(&format!("`{name}`")), "{error}");
        }
        // A name that the form reads as a limit, once in place, is not a number.
        let error = statement(template, &[("rows", text("Id"))]).unwrap_err();
        assert!(error.to_string().contains("`query`"), "{error}");
    }

    #[test]
    fn a_name_across_the_search_texts_braces_is_refused() {
        let error = statement(
            "FIND {acme} RETURNING Account(Id)",
            &[("acme} RETURNING", text("x"))],
        )
        .unwrap_err();
        assert!(error.to_string().contains("`acme} RETURNING`"), "{error}");
    }

    #[test]
    fn statements_of_the_documented_form_pass() {
        for good in [
            "FIND {acme} RETURNING Account(Id)",
            "find{acme}in all fields returning Account(Id,Name),Contact(Id where Name != null)",
            "FIND {\"jim smith\" OR acme*} IN PHONE FIELDS RETURNING Contact(Id LIMIT 3) LIMIT 10",
            "FIND {a\\}b} RETURNING Case(Id WHERE (Subject = 'it\\'s (x)' OR Status IN ('New', 'Open')) LIMIT 1)",
            "  FIND {acme}\n RETURNING\tAccount(Id)  ",
        ] {
            assert_eq!(statement(good, &[]).unwrap(), good);
        }
    }

    #[test]
    fn other_statements_are_refused_naming_query() {
        for (bad, problem) in [
            ("SELECT Id FROM Contact", "SOQL"),
            ("FIND {acme}", "RETURNING"),
            ("FIND acme RETURNING Account(Id)", "search text in braces"),
            ("FIND {acme RETURNING Account(Id)", "never closed"),
            (
                "FIND {acme} RETURNING Account(Id WHERE Name = 'x)",
                "never closed",
            ),
            ("FIND {acme} RETURNING Account", "`(`"),
            ("FIND {acme} RETURNING Account()", "field name"),
            ("FIND {acme} RETURNING Account(Id,)", "field name"),
            ("FIND {acme} RETURNING Account(Id WHERE)", "condition"),
            (
                "FIND {acme} RETURNING Account(Id WHERE Name = {x})",
                "braces",
            ),
            (
                "FIND {acme} RETURNING Account(Id WHERE (Name = 'x')",
                "never closed",
            ),
            ("FIND {acme} RETURNING Account(Id LIMIT x)", "whole number"),
            ("FIND {acme} RETURNING Account(Id) LIMIT", "whole number"),
            (
                "FIND {acme} RETURNING Account(Id) LIMIT 5 OFFSET 2",
                "end of the statement",
            ),
            ("FIND {acme} RETURNING Account(Id), ", "object name"),
            ("FIND {acme} RETURNING Account.Owner(Id)", "object name"),
            (
                "FIND {acme} RETURNING Account(Id) Contact(Id)",
                "\"Contact\"",
            ),
            (
                "FIND {acme} IN SIDEBAR FIELDS RETURNING Account(Id)",
                "ALL, NAME",
            ),
            ("FIND {acme} IN ALL RETURNING Account(Id)", "FIELDS"),
            ("FIND {acme} RETURNING Account(Id)}", "\"}\""),
            ("FIND {acme} {more} RETURNING Account(Id)", "RETURNING"),
            ("FIND {acme} RETURNING Account(Id); DELETE", "\";\""),
            ("", "FIND"),
        ] {
            let error = statement(bad, &[]).unwrap_err();
            let message = error.to_string();
            assert!(
                matches!(error, Error::InvalidParameter { ref name, .. } if name == "query"),
                "{bad}: {message}"
            );
            assert!(message.contains(STATEMENT_FORM), "{bad}: {message}");
            assert!(message.contains(problem), "{bad}: {message}");
        }
    }

    #[test]
    fn the_template_is_checked_before_any_value_is_placed() {
        // A SOQL statement is named as such even when its replacements would be refused.
        let error = statement(
            "SELECT Id FROM Contact WHERE Name = x",
            &[("x", text("y OR Id != null"))],
        )
        .unwrap_err();
        assert!(error.to_string().contains("`query`"), "{error}");
        assert!(error.to_string().contains("SOQL"), "{error}");
    }
}
