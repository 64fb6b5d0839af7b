//! Property tests of search text: whatever a caller says, the `q` sent to Salesforce
//! holds no SOSL reserved character unescaped but the wildcards `*` and `?`, and reads
//! back, escapes removed, as exactly what was said.

use proptest::prelude::*;
use sf_core::sosl::{ESCAPED, escape_search_text};

/// Text with SOSL's reserved characters and the backslash made likely.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9?&|!{}\\[\\]()^~*:\\\\\"'+\\- ]{0,32}",
        "(\\\\|\\\\'|\\} RETURNING User\\(Id\\)|AND NOT|OR|-|\"){0,6}",
    ]
}

/// The text a SOSL search reads from `escaped`, or `None` when some character of it is
/// reserved and unescaped (an operator, or an error at Salesforce).
fn read_back(escaped: &str) -> Option<String> {
    let mut text = String::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next()?),
            '*' | '?' => text.push(c),
            c if ESCAPED.contains(c) => return None,
            c => text.push(c),
        }
    }
    Some(text)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn escaped_search_text_has_no_unescaped_reserved_character(text in hostile_text()) {
        let escaped = escape_search_text(&text);
        prop_assert_eq!(read_back(&escaped), Some(text));
    }
}

#[test]
fn read_back_finds_unescaped_reserved_characters() {
    assert_eq!(read_back(r"O\'Brien"), Some("O'Brien".to_owned()));
    assert_eq!(read_back("Smi*"), Some("Smi*".to_owned()));
    for unescaped in ["O'Brien", "AB-123", r"x\", "(a)", "a\\\\'"] {
        assert_eq!(read_back(unescaped), None, "{unescaped}");
    }
}
