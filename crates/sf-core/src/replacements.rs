//! The scanner behind parameter replacements in a statement template: a SOQL `query`,
//! whose quoted regions are string literals, and a SOSL `query`, whose search text
//! `FIND {…}` is a second kind of quoted region.
//!
//! The template's text is trusted, the values (often the caller's own input) are not.
//! [`Template::scan`] marks each byte of the template as outside every quoted region,
//! a delimiter of one, or inside one (a plain character, a backslash starting an escape,
//! or the escaped character). [`Template::substitute`] then finds each parameter name
//! and asks the statement's language how to write the value for the [`Place`] where it
//! lands: the language knows its quoting and escapes, this module only where things
//! stand. Inserted values are never searched again for other parameter names.

use crate::error::Result;
use crate::parameters::Scalar;

/// A kind of quoted region: the byte that opens it and the byte that closes it. Inside
/// one, a backslash escapes the byte after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotes {
    pub open: u8,
    pub close: u8,
}

/// What one byte of a template is, seen from its quoted regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Outside every quoted region.
    Outside,
    /// A delimiter opening or closing a region.
    Delimiter,
    /// A plain character inside a region.
    Inside,
    /// A backslash starting an escape sequence inside a region.
    EscapeStart,
    /// The character after such a backslash.
    Escaped,
}

/// Where an occurrence of a parameter name stands in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Wholly outside every quoted region.
    Outside,
    /// Wholly inside one region of `quotes`, made of whole characters; its opening
    /// delimiter is at byte `opened_at` of the template.
    Inside { quotes: Quotes, opened_at: usize },
    /// Across a delimiter, or within an escape sequence (such as the `n` of `\n`):
    /// replacing it with an escaped value could end the region early.
    Across,
}

/// A run of a template: text outside every quoted region, or one quoted region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'t> {
    Outside(&'t str),
    /// A region of `Quotes`, its delimiters included.
    Quoted(Quotes, &'t str),
}

/// A template scanned for its quoted regions.
pub struct Template<'t> {
    text: &'t str,
    quotes: &'t [Quotes],
    positions: Vec<Position>,
    regions_closed: bool,
}

enum Piece<'a> {
    /// Text of the template, with its byte offset in the template.
    Template(&'a str, usize),
    /// A value already inserted: never searched again.
    Inserted(String),
}

impl<'t> Template<'t> {
    /// Scans `text`, whose quoted regions are of the kinds `quotes`.
    pub fn scan(text: &'t str, quotes: &'t [Quotes]) -> Self {
        let mut positions = Vec::with_capacity(text.len());
        let mut open: Option<Quotes> = None;
        let mut escaped = false;
        for byte in text.bytes() {
            let position = match open {
                None => {
                    open = quotes.iter().copied().find(|kind| kind.open == byte);
                    if open.is_some() {
                        Position::Delimiter
                    } else {
                        Position::Outside
                    }
                }
                Some(_) if escaped => {
                    escaped = false;
                    Position::Escaped
                }
                Some(_) if byte == b'\\' => {
                    escaped = true;
                    Position::EscapeStart
                }
                Some(kind) if byte == kind.close => {
                    open = None;
                    Position::Delimiter
                }
                Some(_) => Position::Inside,
            };
            positions.push(position);
        }
        Template {
            text,
            quotes,
            positions,
            regions_closed: open.is_none(),
        }
    }

    /// True when every quoted region the template opens is closed again.
    pub fn regions_closed(&self) -> bool {
        self.regions_closed
    }

    /// The template cut into its runs of text outside every quoted region and its
    /// quoted regions (delimiters included), in order. Meant for a template whose
    /// regions are all closed.
    pub fn segments(&self) -> Vec<Segment<'t>> {
        let mut segments = Vec::new();
        let mut start = 0;
        let mut open: Option<Quotes> = None;
        for (at, position) in self.positions.iter().enumerate() {
            if *position != Position::Delimiter {
                continue;
            }
            match open.take() {
                None => {
                    if start < at {
                        segments.push(Segment::Outside(&self.text[start..at]));
                    }
                    let byte = self.text.as_bytes()[at];
                    open = self.quotes.iter().copied().find(|kind| kind.open == byte);
                    start = at;
                }
                Some(quotes) => {
                    segments.push(Segment::Quoted(quotes, &self.text[start..=at]));
                    start = at + 1;
                }
            }
        }
        match open {
            Some(quotes) => segments.push(Segment::Quoted(quotes, &self.text[start..])),
            None if start < self.text.len() => {
                segments.push(Segment::Outside(&self.text[start..]));
            }
            None => {}
        }
        segments
    }

    /// The bytes outside every quoted region.
    pub fn outside(&self) -> impl Iterator<Item = u8> + '_ {
        self.text
            .bytes()
            .zip(&self.positions)
            .filter(|(_, position)| **position == Position::Outside)
            .map(|(byte, _)| byte)
    }

    /// Where bytes `start..end` of the template stand.
    pub fn place(&self, start: usize, end: usize) -> Place {
        let span = &self.positions[start..end];
        if span.iter().all(|p| *p == Position::Outside) {
            return Place::Outside;
        }
        let whole_characters = span.iter().all(|p| {
            matches!(
                p,
                Position::Inside | Position::EscapeStart | Position::Escaped
            )
        }) && span.first() != Some(&Position::Escaped)
            && span.last() != Some(&Position::EscapeStart);
        if !whole_characters {
            return Place::Across;
        }
        let opening = self.positions[..start]
            .iter()
            .rposition(|p| *p == Position::Delimiter);
        let quotes = opening.and_then(|at| {
            let byte = self.text.as_bytes()[at];
            self.quotes.iter().copied().find(|kind| kind.open == byte)
        });
        match (opening, quotes) {
            (Some(opened_at), Some(quotes)) => Place::Inside { quotes, opened_at },
            _ => Place::Across,
        }
    }

    /// Replaces every occurrence of each parameter name by its value, in the order
    /// given; `write` gives the text of a value for the place where its name stands,
    /// or the error refusing it there.
    pub fn substitute(
        &self,
        replacements: &[(&str, Scalar)],
        write: impl Fn(&str, &Scalar, Place) -> Result<String>,
    ) -> Result<String> {
        let mut pieces = vec![Piece::Template(self.text, 0)];
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
                    let place = self.place(start, start + name.len());
                    let inserted = write(name, value, place)?;
                    next.push(Piece::Template(&text[rest_start..at], offset + rest_start));
                    next.push(Piece::Inserted(inserted));
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::soql::substitute;

    const STRING: Quotes = Quotes {
        open: b'\'',
        close: b'\'',
    };
    const BRACES: Quotes = Quotes {
        open: b'{',
        close: b'}',
    };

    fn text(value: &str) -> Scalar {
        Scalar::Text(value.to_owned())
    }

    fn shown(template: &str, quotes: &[Quotes]) -> String {
        Template::scan(template, quotes)
            .positions
            .iter()
            .map(|position| match position {
                Position::Outside => '_',
                Position::Delimiter => 'q',
                Position::Inside => 'i',
                Position::EscapeStart => 'e',
                Position::Escaped => 'x',
            })
            .collect()
    }

    #[test]
    fn literal_positions_follow_escapes() {
        assert_eq!(shown(r"a 'b\'c' d", &[STRING]), "__qiexiq__");
    }

    #[test]
    fn each_kind_of_region_closes_with_its_own_delimiter() {
        assert_eq!(shown(r"{a'\}} 'b}'", &[STRING, BRACES]), "qiiexq_qiiq");
        let template = Template::scan("x {a} 'b'", &[STRING, BRACES]);
        assert_eq!(
            template.place(3, 4),
            Place::Inside {
                quotes: BRACES,
                opened_at: 2
            }
        );
        assert_eq!(template.place(0, 1), Place::Outside);
        assert_eq!(template.place(4, 6), Place::Across);
        assert!(template.regions_closed());
        assert!(!Template::scan("{a", &[BRACES]).regions_closed());
        assert_eq!(
            Template::scan("(a) '(' {)}", &[STRING, BRACES])
                .outside()
                .collect::<Vec<_>>(),
            b"(a)  ".to_vec()
        );
    }

    #[test]
    fn segments_cut_the_template_at_its_regions() {
        assert_eq!(
            Template::scan(r"find {a'\}} x = 'b{' ", &[STRING, BRACES]).segments(),
            [
                Segment::Outside("find "),
                Segment::Quoted(BRACES, r"{a'\}}"),
                Segment::Outside(" x = "),
                Segment::Quoted(STRING, "'b{'"),
                Segment::Outside(" "),
            ]
        );
        assert_eq!(
            Template::scan("{}'x", &[STRING, BRACES]).segments(),
            [Segment::Quoted(BRACES, "{}"), Segment::Quoted(STRING, "'x")]
        );
        assert_eq!(Template::scan("", &[STRING]).segments(), []);
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
