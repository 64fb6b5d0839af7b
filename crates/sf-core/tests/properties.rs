//! Property tests of the pure core and of the whole handler.
//!
//! - escaping: whatever the text, the SOQL built around it reads back through a real
//!   SOQL tokenizer (the sandbox's, which decodes Salesforce's escapes) as one string
//!   literal holding exactly that text, and the statement keeps its tokens; a SOSL
//!   statement's search text ends where its author ended it;
//! - flattening: every scalar of a record reaches the answer under its path, nothing
//!   nested comes out, and nothing else does;
//! - templates and relative dates answer or refuse, never panic;
//! - the handler of every operation answers or refuses any event, never panics.
//!
//! Case counts are kept modest so that the whole suite stays quick.

use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sf_core::answer::{ResponseFormat, many_records, one_record};
use sf_core::catalog::FUNCTIONS;
use sf_core::credentials::CredentialsReader;
use sf_core::deadline::Deadline;
use sf_core::function::Function;
use sf_core::parameters::{Parameters, Scalar};
use sf_core::{Config, Error, Salesforce, relative_date, soql, sosl, template};
use sf_sandbox::search_text::{Closing, parse_search_text};
use sf_sandbox::tokenizer::{LikePiece, TokenKind, tokenize};
use sf_test_kit::Env;
use time::OffsetDateTime;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Text with the characters that matter to SOQL made likely.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z'\"\\\\%_\n\r\t\u{8}\u{c}\u{2BC}\u{FF07} ]{0,24}",
        "(' OR Name != '|\\\\'|--|/\\*|\\*/|[(){}]|%|_|\\\\n){0,6}",
    ]
}

fn identifier() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9]{0,10}(__c)?".prop_filter("phone fields are matched on digits", |name| {
        !name.eq_ignore_ascii_case("MobilePhone") && !name.eq_ignore_ascii_case("HomePhone")
    })
}

fn kinds(soql: &str) -> Vec<TokenKind> {
    tokenize(soql)
        .unwrap_or_else(|error| panic!("{soql:?} does not tokenize: {error:?}"))
        .into_iter()
        .map(|token| token.kind)
        .collect()
}

fn word(text: &str) -> TokenKind {
    TokenKind::Word(text.to_owned())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn an_escaped_value_reads_back_as_one_literal(text in hostile_text()) {
        let statement = format!(
            "SELECT Id FROM Case WHERE Subject = '{}' AND Status = 'New'",
            soql::escape_literal(&text)
        );
        let kinds = kinds(&statement);
        prop_assert_eq!(kinds.len(), 13, "{:?}", kinds);
        prop_assert!(
            matches!(&kinds[7], TokenKind::Str { value, .. } if *value == text),
            "{:?}", kinds[7]
        );
        prop_assert_eq!(&kinds[8], &word("AND"));
    }

    #[test]
    fn an_escaped_like_value_has_no_wildcard(text in hostile_text()) {
        let statement = format!(
            "SELECT Id FROM Case WHERE Subject LIKE '{}'",
            soql::escape_like_literal(&text)
        );
        let kinds = kinds(&statement);
        prop_assert_eq!(kinds.len(), 9, "{:?}", kinds);
        let TokenKind::Str { value, pattern } = &kinds[7] else {
            panic!("not a literal: {:?}", kinds[7]);
        };
        prop_assert_eq!(value, &text);
        let expected: Vec<LikePiece> = text.chars().map(LikePiece::Char).collect();
        prop_assert_eq!(pattern, &expected);
    }

    #[test]
    fn a_lookup_condition_is_name_operator_literal(field in identifier(), text in hostile_text()) {
        let condition = soql::condition(&field, &Scalar::Text(text.clone())).unwrap();
        let kinds = kinds(&condition);
        prop_assert_eq!(kinds.len(), 4, "{:?}", kinds);
        prop_assert_eq!(&kinds[0], &word(&field));
        prop_assert!(
            matches!(&kinds[1], TokenKind::Op(_)) || kinds[1] == word("LIKE"),
            "{:?}", kinds[1]
        );
        prop_assert!(matches!(&kinds[2], TokenKind::Str { value, .. } if *value == text), "{:?}", kinds[2]);
    }

    #[test]
    fn replacements_keep_the_statement_shape(
        who in hostile_text(),
        what in hostile_text(),
        row_limit in prop_oneof![hostile_text(), "[0-9]{1,4}", "[A-Za-z]{1,8}"],
    ) {
        let template =
            "SELECT Id FROM Contact WHERE Name = 'callerName' AND Title LIKE '%callerTitle%' LIMIT rowLimit";
        let replacements = [
            ("callerName", Scalar::Text(who.clone())),
            ("callerTitle", Scalar::Text(what.clone())),
            ("rowLimit", Scalar::Text(row_limit.clone())),
        ];
        match soql::substitute(template, &replacements) {
            Err(error) => {
                // Only the value standing outside quotes may be refused.
                prop_assert!(error.to_string().contains("`rowLimit`"), "{}", error);
            }
            Ok(statement) => {
                let kinds = kinds(&statement);
                prop_assert!(matches!(&kinds[7], TokenKind::Str { value, .. } if *value == who), "{:?}", kinds[7]);
                let TokenKind::Str { value, pattern } = &kinds[11] else {
                    panic!("not a literal: {:?}", kinds[11]);
                };
                prop_assert_eq!(value, &format!("%{what}%"));
                let mut expected = vec![LikePiece::AnyRun];
                expected.extend(what.chars().map(LikePiece::Char));
                expected.push(LikePiece::AnyRun);
                prop_assert_eq!(pattern, &expected);
                prop_assert_eq!(&kinds[12], &word("LIMIT"));
                // After LIMIT: names, numbers and commas only, and nothing after them.
                prop_assert!(kinds[13..kinds.len() - 1].iter().all(|kind| matches!(
                    kind,
                    TokenKind::Word(_) | TokenKind::Number(_) | TokenKind::Comma
                )), "{:?}", kinds);
                prop_assert_eq!(kinds.last(), Some(&TokenKind::Eof));
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the caller's values, a SOSL statement keeps the flow author's shape: the
    /// search text ends at the brace the author wrote (Salesforce's reading may refuse
    /// the words, never find a reserved character unescaped), the WHERE literal holds
    /// exactly the value, and after it come the author's LIMIT and objects.
    #[test]
    fn sosl_replacements_keep_the_statement_shape(
        who in hostile_text(),
        title in hostile_text(),
        row_limit in prop_oneof![hostile_text(), "[0-9]{1,4}", "[A-Za-z]{1,8}"],
    ) {
        let template = "FIND {callerWords} RETURNING Contact(Id, Name WHERE Title = 'callerTitle' \
                        LIMIT rowLimit), Lead(Id) LIMIT 20";
        let replacements = [
            ("callerWords", Scalar::Text(who.clone())),
            ("callerTitle", Scalar::Text(title.clone())),
            ("rowLimit", Scalar::Text(row_limit.clone())),
        ];
        match sosl::statement(template, &replacements) {
            Err(error) => {
                // Only the value standing outside quotes may be refused (as itself, or
                // as a name where the LIMIT needs a number).
                let message = error.to_string();
                prop_assert!(message.contains("`rowLimit`") || message.contains("`query`"), "{}", message);
            }
            Ok(statement) => {
                let chars: Vec<char> = statement.chars().collect();
                let brace = "FIND {".len();
                let close = brace + sosl::escape_search_text(&who).chars().count();
                prop_assert_eq!(chars[close], '}');
                match parse_search_text(&chars, brace, Closing::Brace) {
                    Ok((_, end)) => prop_assert_eq!(end, close + 1),
                    Err(error) => {
                        prop_assert!(!error.message.contains("mismatched character"), "{:?}", error);
                        prop_assert!(error.position.is_none_or(|at| at <= close), "{:?}", error);
                    }
                }
                let rest: String = chars[close + 1..].iter().collect();
                let kinds = kinds(&rest);
                prop_assert_eq!(&kinds[..8], &[
                    word("RETURNING"), word("Contact"), TokenKind::LParen, word("Id"),
                    TokenKind::Comma, word("Name"), word("WHERE"), word("Title"),
                ]);
                prop_assert!(matches!(&kinds[9], TokenKind::Str { value, .. } if *value == title), "{:?}", kinds[9]);
                prop_assert_eq!(&kinds[10], &word("LIMIT"));
                prop_assert!(matches!(&kinds[11], TokenKind::Number(_)), "{:?}", kinds[11]);
                prop_assert_eq!(&kinds[12..], &[
                    TokenKind::RParen, TokenKind::Comma, word("Lead"), TokenKind::LParen,
                    word("Id"), TokenKind::RParen, word("LIMIT"),
                    TokenKind::Number("20".into()), TokenKind::Eof,
                ]);
            }
        }
    }
}

// ---- flattening ----

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1.0e12f64..1.0e12).prop_map(|n| json!(n)),
        ".{0,8}".prop_map(Value::String),
    ]
}

/// Salesforce field names: never a `.`, which the flat answer uses to join paths.
fn field_name() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9]{0,6}"
}

fn field_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            (
                prop::collection::btree_map(field_name(), inner, 0..4),
                any::<bool>()
            )
                .prop_map(|(members, with_attributes)| {
                    let mut object: Map<String, Value> = members.into_iter().collect();
                    if with_attributes {
                        object.insert("attributes".into(), json!({"type": "Account", "url": "/x"}));
                    }
                    Value::Object(object)
                }),
        ]
    })
}

fn record() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(field_name(), field_value(), 0..6).prop_map(|fields| {
        let mut record: Map<String, Value> = fields.into_iter().collect();
        record.insert(
            "attributes".into(),
            json!({"type": "Contact", "url": "/services/data/v66.0/sobjects/Contact/003"}),
        );
        Value::Object(record)
    })
}

/// Every scalar of `value` with its `.`-joined path, `attributes` left out.
fn scalars(value: &Value, path: &str, into: &mut Vec<(String, String)>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter().filter(|(key, _)| *key != "attributes") {
                scalars(member, &join(key), into);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                scalars(item, &join(&index.to_string()), into);
            }
        }
        Value::Null => into.push((path.to_owned(), String::new())),
        Value::String(text) => into.push((path.to_owned(), text.clone())),
        other => into.push((path.to_owned(), other.to_string())),
    }
}

/// No arrays, and every leaf a string.
fn only_strings_and_objects(value: &Value) -> bool {
    match value {
        Value::String(_) => true,
        Value::Object(members) => members.values().all(only_strings_and_objects),
        _ => false,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn flattening_keeps_every_scalar_and_nothing_nested(records in prop::collection::vec(record(), 0..4)) {
        let answer = one_record(records.first(), records.len() as u64, ResponseFormat::Flat).unwrap();
        let answer = answer.as_object().unwrap();
        prop_assert!(answer.values().all(Value::is_string));
        let mut expected = Vec::new();
        if let Some(first) = records.first() {
            scalars(first, "", &mut expected);
        }
        prop_assert_eq!(answer.len(), expected.len() + 1);
        for (path, text) in &expected {
            prop_assert_eq!(answer.get(path), Some(&Value::String(text.clone())), "{}", path);
        }
        prop_assert_eq!(&answer["sf_count"], &json!(records.len().to_string()));

        let answer = many_records(&records, 99, ResponseFormat::Flat).unwrap();
        let answer = answer.as_object().unwrap();
        prop_assert!(answer.values().all(Value::is_string));
        let mut expected = Vec::new();
        for (index, record) in records.iter().enumerate() {
            let mut fields = Vec::new();
            scalars(record, "", &mut fields);
            expected.extend(
                fields.into_iter().map(|(path, text)| (format!("sf_records_{index}_{path}"), text)),
            );
        }
        prop_assert_eq!(answer.len(), expected.len() + 1);
        for (key, text) in &expected {
            prop_assert_eq!(answer.get(key), Some(&Value::String(text.clone())), "{}", key);
        }
    }

    #[test]
    fn the_json_format_nests_objects_of_strings_only(records in prop::collection::vec(record(), 0..4)) {
        let answer = many_records(&records, 7, ResponseFormat::Json).unwrap();
        prop_assert!(only_strings_and_objects(&answer), "{}", answer);
        let answer = one_record(records.first(), 1, ResponseFormat::Json).unwrap();
        prop_assert!(only_strings_and_objects(&answer), "{}", answer);
        prop_assert!(!answer.to_string().contains("\"attributes\""));
    }
}

// ---- templates and relative dates ----

fn parameters() -> impl Strategy<Value = Parameters> {
    prop::collection::btree_map("[a-z ]{0,3}", prop_oneof![leaf(), field_value()], 0..5)
        .prop_map(|map| Parameters::new(map.into_iter().collect()))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn templates_fill_or_refuse_without_panicking(
        message in prop_oneof![any::<String>(), "(\\{\\{ ?[a-z ]{0,3} ?\\}\\}|\\{\\{|\\}\\}|[^{}]{0,4}|\\{|\\})*"],
        parameters in parameters(),
    ) {
        match template::fill("sf_message", &message, &parameters) {
            // Text without placeholders is left as it is.
            Ok(filled) => prop_assert!(message.contains("{{") || filled == message),
            Err(error) => prop_assert!(
                matches!(error, Error::InvalidParameter { .. }),
                "{:?}", error
            ),
        }
    }

    #[test]
    fn relative_dates_resolve_or_refuse_without_panicking(
        value in prop_oneof![
            any::<String>(),
            "[+-]?[0-9]{0,22}[wdhmy]?\\|(date|time|datetime|[a-z]{0,4})",
            "-?9{10,20}w\\|datetime",
        ],
        // Anywhere in the years the time crate represents (-9999 to 9999).
        seconds in -300_000_000_000i64..250_000_000_000,
    ) {
        let now = OffsetDateTime::from_unix_timestamp(seconds).unwrap();
        match relative_date::resolve("ActivityDate", &value, now) {
            Ok(resolved) => prop_assert!(value.contains('|') || resolved == value),
            Err(error) => {
                prop_assert!(value.contains('|'));
                prop_assert!(error.to_string().contains("`ActivityDate`"), "{}", error);
            }
        }
    }
}

// ---- the whole handler ----

/// Every function's handler, with Salesforce at an address where nothing listens: an
/// event that passes every check ends in a connection error, never a panic.
fn functions() -> Vec<Function> {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new()
        .login_url(format!("http://127.0.0.1:{closed_port}"))
        .credentials(r#"{"ConsumerKey":"k","ConsumerSecret":"s"}"#);
    let config = Config::from_lookup(env.lookup()).unwrap();
    FUNCTIONS
        .iter()
        .map(|entry| {
            let reader = CredentialsReader::with_ssm_client(&config, None);
            Function::new(entry.operation, Salesforce::new(&config, reader).unwrap())
        })
        .collect()
}

fn any_json() -> impl Strategy<Value = Value> {
    field_value()
}

/// Parameter names the operations read, and others.
fn parameter_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "sf_operation",
            "sf_object",
            "sf_fields",
            "sf_id",
            "sf_phone",
            "query",
            "q",
            "where",
            "overallLimit",
            "sf_response_format",
            "sf_feedElementType",
            "sf_subjectId",
            "sf_messageType",
            "sf_message",
            "sf_mention",
            "sf_feedElementId",
            "sf_commentType",
            "sf_commentMessage",
            "Subject",
            "MobilePhone",
            "ActivityDate",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

fn parameter_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "Case", "Id, Subject", "5006g00000BLqurAAD", "+441122334455", "anonymous",
            "SELECT Id FROM Case WHERE Subject = 'Subject'", "2d|date", "Text", "me",
            "{{Subject}}", "json", "lookup_all", "Status = 'New'", "5",
        ])
        .prop_map(Value::from),
        4 => hostile_text().prop_map(Value::String),
        1 => any_json(),
    ]
}

/// Events shaped like Connect's with arbitrary parameters, and arbitrary JSON.
fn event() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (
            prop::collection::btree_map(parameter_name(), parameter_value(), 0..8),
            prop_oneof![Just(Value::Null), any_json(), Just(json!({"ContactId": "c-1"}))],
        )
            .prop_map(|(parameters, contact_data)| {
                let parameters: Map<String, Value> = parameters.into_iter().collect();
                json!({"Name": "ContactFlowEvent", "Details": {"ContactData": contact_data, "Parameters": parameters}})
            }),
        1 => any_json(),
        1 => any_json().prop_map(|details| json!({"Details": details})),
    ]
}

#[test]
fn the_handler_never_panics_on_any_event() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let functions = functions();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 128,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &(
                prop::sample::select((0..functions.len()).collect::<Vec<_>>()),
                event(),
            ),
            |(index, event)| {
                let outcome = runtime.block_on(
                    functions[index].handle(event, Deadline::after(Duration::from_secs(2))),
                );
                if let Err(error) = outcome {
                    // The message is what the flow sees: never empty.
                    prop_assert!(!error.to_string().is_empty());
                }
                Ok(())
            },
        )
        .unwrap();
}
