//! The hostile-input catalogue: injection attempts against every operation, one table.
//!
//! Each row is a parameter set a caller or a careless flow could produce, and what must
//! happen to it: either the request goes out with the statement's shape intact (the
//! exact SOQL or SOSL text or JSON body is asserted, so an escape that changed would show), or
//! the call is refused with an error naming the parameter before any request reaches
//! the server (a mock that fails on any request stands in for Salesforce).

mod support;

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::catalog::FUNCTIONS;
use sf_core::{Error, Operation};
use support::*;

/// U+02BC MODIFIER LETTER APOSTROPHE and U+FF07 FULLWIDTH APOSTROPHE: look like a quote,
/// are not one, and must pass through as the text they are.
const MODIFIER_APOSTROPHE: &str = "\u{2BC}";
const FULLWIDTH_APOSTROPHE: &str = "\u{FF07}";
/// Amazon Connect allows 32 KB per parameter value.
const CONNECT_VALUE_LIMIT: usize = 32 * 1024;

const CASE_ID: &str = "5006g00000BLqurAAD";
const FEED_ID: &str = "0D503000000ILY5CAO";

/// What must happen to one row.
enum Outcome {
    /// `GET /query` with exactly this SOQL.
    Soql(String),
    /// `GET /search` with exactly this SOSL.
    Sosl(String),
    /// A request with exactly this JSON body (`Value::Null`: no body).
    Json {
        method: &'static str,
        path: String,
        body: Value,
    },
    /// Answered without any request (a withheld caller's number).
    AnsweredLocally(Value),
    /// Refused, naming this parameter, without any request.
    Refused(&'static str),
}

struct Case {
    what: &'static str,
    operation: Operation,
    parameters: Value,
    outcome: Outcome,
}

fn soql(text: &str) -> Outcome {
    Outcome::Soql(text.to_owned())
}

fn sosl(text: &str) -> Outcome {
    Outcome::Sosl(text.to_owned())
}

fn json_request(method: &'static str, path: &str, body: Value) -> Outcome {
    Outcome::Json {
        method,
        path: path.to_owned(),
        body,
    }
}

fn search_body(q: &str, fields: &[&str], object: Value, limit: Option<u64>) -> Value {
    let mut body = json!({"q": q, "fields": fields, "sobjects": [object]});
    if let Some(limit) = limit {
        body["overallLimit"] = json!(limit);
    }
    body
}

/// A JSON value nested `depth` objects deep around a string.
fn nested(depth: usize) -> Value {
    (0..depth).fold(json!("deep"), |inner, _| json!({ "x": inner }))
}

fn lookup(extra: Value) -> Value {
    let mut parameters = json!({"sf_object": "Contact", "sf_fields": "Id"});
    for (key, value) in extra.as_object().unwrap() {
        parameters[key] = value.clone();
    }
    parameters
}

fn catalogue() -> Vec<Case> {
    let oversized = "A".repeat(CONNECT_VALUE_LIMIT);
    // Long, but within what a query URI may hold.
    let long = "A".repeat(4 * 1024);
    let mut cases = vec![
        // ---- lookup: values are escaped literals ----
        Case {
            what: "a quote in a value",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "O'Brien"})),
            outcome: soql(r"SELECT Id FROM Contact WHERE LastName = 'O\'Brien'"),
        },
        Case {
            what: "SOQL keywords in a value",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "x' OR Name != '"})),
            outcome: soql(r"SELECT Id FROM Contact WHERE LastName = 'x\' OR Name != \''"),
        },
        Case {
            what: "a trailing backslash that would escape the closing quote",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "x\\", "Title": "' OR Id != '"})),
            outcome: soql(
                r"SELECT Id FROM Contact WHERE LastName = 'x\\' AND Title = '\' OR Id != \''",
            ),
        },
        Case {
            what: "an escaped quote in the input",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "\\' OR Id != null --"})),
            outcome: soql(r"SELECT Id FROM Contact WHERE LastName = '\\\' OR Id != null --'"),
        },
        Case {
            what: "double quotes, newlines, tabs and other control characters",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "a\"b\nc\rd\te\u{8}f\u{c}"})),
            outcome: soql(r#"SELECT Id FROM Contact WHERE LastName = 'a\"b\nc\rd\te\bf\f'"#),
        },
        Case {
            what: "unicode look-alikes of the quote",
            operation: Operation::Lookup,
            parameters: lookup(json!({
                "LastName": format!("x{MODIFIER_APOSTROPHE} OR Name != {FULLWIDTH_APOSTROPHE}")
            })),
            outcome: soql(&format!(
                "SELECT Id FROM Contact WHERE LastName = 'x{MODIFIER_APOSTROPHE} OR Name != {FULLWIDTH_APOSTROPHE}'"
            )),
        },
        Case {
            what: "an underscore alone is no wildcard: equality",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "a_b"})),
            outcome: soql("SELECT Id FROM Contact WHERE LastName = 'a_b'"),
        },
        Case {
            what: "a percent sign makes a LIKE, as documented, still one literal",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "%' OR Name LIKE '%"})),
            outcome: soql(r"SELECT Id FROM Contact WHERE LastName LIKE '%\' OR Name LIKE \'%'"),
        },
        Case {
            what: "an underscore in a LIKE value matches only itself",
            operation: Operation::Lookup,
            parameters: lookup(json!({"Email": "jim_smith%"})),
            outcome: soql(r"SELECT Id FROM Contact WHERE Email LIKE 'jim\_smith%'"),
        },
        Case {
            what: "underscores, quotes and backslashes in a LIKE value",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": "_%' OR Name LIKE '_\\"})),
            outcome: soql(
                r"SELECT Id FROM Contact WHERE LastName LIKE '\_%\' OR Name LIKE \'\_\\'",
            ),
        },
        Case {
            what: "a phone condition keeps only the digits",
            operation: Operation::Lookup,
            parameters: lookup(json!({"MobilePhone": "+1 (555) 123-4567' OR Id != '"})),
            outcome: soql("SELECT Id FROM Contact WHERE MobilePhone LIKE '%555%123%4567%'"),
        },
        Case {
            what: "a phone condition without ten digits",
            operation: Operation::Lookup,
            parameters: lookup(json!({"HomePhone": "555' OR Name != '"})),
            outcome: Outcome::Refused("HomePhone"),
        },
        Case {
            what: "a long value stays one literal",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": format!("{long}'")})),
            outcome: soql(&format!(
                r"SELECT Id FROM Contact WHERE LastName = '{long}\''"
            )),
        },
        Case {
            what: "a value too long for Salesforce's URI limit",
            operation: Operation::Lookup,
            parameters: lookup(json!({"Title": "x", "LastName": oversized.clone()})),
            outcome: Outcome::Refused("LastName"),
        },
        Case {
            what: "a condition named with punctuation",
            operation: Operation::Lookup,
            parameters: lookup(json!({"Name) OR (Id": "x"})),
            outcome: Outcome::Refused("Name) OR (Id"),
        },
        Case {
            what: "a condition named with a comment",
            operation: Operation::Lookup,
            parameters: lookup(json!({"Id FROM User--": "x"})),
            outcome: Outcome::Refused("Id FROM User--"),
        },
        Case {
            what: "an object with a clause",
            operation: Operation::Lookup,
            parameters: json!({"sf_object": "Contact WHERE Id != null", "sf_fields": "Id"}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "an object in fullwidth letters",
            operation: Operation::Lookup,
            parameters: json!({"sf_object": "\u{FF23}ontact", "sf_fields": "Id"}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "fields with a subquery",
            operation: Operation::Lookup,
            parameters: json!({"sf_object": "Contact", "sf_fields": "Id, (SELECT Id FROM User)"}),
            outcome: Outcome::Refused("sf_fields"),
        },
        Case {
            what: "fields ending the select list",
            operation: Operation::Lookup,
            parameters: json!({"sf_object": "Contact", "sf_fields": "Id FROM User--"}),
            outcome: Outcome::Refused("sf_fields"),
        },
        Case {
            what: "a nested JSON value",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": nested(100)})),
            outcome: Outcome::Refused("LastName"),
        },
        Case {
            what: "an array value",
            operation: Operation::Lookup,
            parameters: lookup(json!({"LastName": ["a", "b"]})),
            outcome: Outcome::Refused("LastName"),
        },
        Case {
            what: "another operation named",
            operation: Operation::Lookup,
            parameters: lookup(json!({"sf_operation": "lookup' OR '1'='1"})),
            outcome: Outcome::Refused("sf_operation"),
        },
        // ---- query and queryOne: replacements ----
        Case {
            what: "a replacement inside quotes is escaped",
            operation: Operation::Query,
            parameters: json!({
                "query": "SELECT Id FROM Contact WHERE LastName = 'name'",
                "name": "x' OR Name != '\\"
            }),
            outcome: soql(r"SELECT Id FROM Contact WHERE LastName = 'x\' OR Name != \'\\'"),
        },
        Case {
            what: "a replacement in a LIKE pattern cannot add wildcards",
            operation: Operation::Query,
            parameters: json!({
                "query": "SELECT Id FROM Contact WHERE Phone LIKE '%number%'",
                "number": "%_'"
            }),
            outcome: soql(r"SELECT Id FROM Contact WHERE Phone LIKE '%\%\_\'%'"),
        },
        Case {
            what: "look-alike quotes and a newline in a replacement",
            operation: Operation::QueryOne,
            parameters: json!({
                "query": "SELECT Id FROM Contact WHERE LastName = 'name'",
                "name": format!("{FULLWIDTH_APOSTROPHE}\n{MODIFIER_APOSTROPHE}")
            }),
            outcome: soql(&format!(
                r"SELECT Id FROM Contact WHERE LastName = '{FULLWIDTH_APOSTROPHE}\n{MODIFIER_APOSTROPHE}'"
            )),
        },
        Case {
            what: "a clause where a name stands",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT Id FROM object", "object": "Contact WHERE Id != null"}),
            outcome: Outcome::Refused("object"),
        },
        Case {
            what: "a clause where a number stands",
            operation: Operation::QueryOne,
            parameters: json!({"query": "SELECT Id FROM Contact LIMIT n", "n": "1 OFFSET 5"}),
            outcome: Outcome::Refused("n"),
        },
        Case {
            what: "a list of names where a name stands",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT fields FROM Contact", "fields": "Id, Name"}),
            outcome: soql("SELECT Id, Name FROM Contact"),
        },
        Case {
            what: "a dateTime where a date stands",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT Id FROM Case WHERE CreatedDate > since", "since": "2024-05-01T13:45:00.000+01:00"}),
            outcome: soql("SELECT Id FROM Case WHERE CreatedDate > 2024-05-01T13:45:00.000+01:00"),
        },
        Case {
            what: "a date literal with a count where a date stands",
            operation: Operation::QueryOne,
            parameters: json!({"query": "SELECT Id FROM Case WHERE CreatedDate = since", "since": "LAST_N_DAYS:30"}),
            outcome: soql("SELECT Id FROM Case WHERE CreatedDate = LAST_N_DAYS:30"),
        },
        Case {
            what: "a null where a value stands becomes null, not nothing",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT Id FROM Contact WHERE Email != email", "email": null}),
            outcome: soql("SELECT Id FROM Contact WHERE Email != null"),
        },
        Case {
            what: "a date followed by a clause",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT Id FROM Case WHERE CreatedDate > since", "since": "2024-05-01 OR Id != null"}),
            outcome: Outcome::Refused("since"),
        },
        Case {
            what: "a dateTime followed by a clause",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT Id FROM Case WHERE CreatedDate > since", "since": "2024-05-01T00:00:00Z) OR (Id != null"}),
            outcome: Outcome::Refused("since"),
        },
        Case {
            what: "a date literal followed by an operator",
            operation: Operation::QueryOne,
            parameters: json!({"query": "SELECT Id FROM Case WHERE CreatedDate = since Id != null", "since": "LAST_N_DAYS:30 OR"}),
            outcome: Outcome::Refused("since"),
        },
        Case {
            what: "a date literal closing a parenthesis",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT Id FROM Case WHERE (CreatedDate = since)", "since": "TODAY) OR (Id != null"}),
            outcome: Outcome::Refused("since"),
        },
        Case {
            what: "a date literal with a count that is no number",
            operation: Operation::Query,
            parameters: json!({"query": "SELECT Id FROM Case WHERE CreatedDate = since", "since": "LAST_N_DAYS:1 OR Id != null"}),
            outcome: Outcome::Refused("since"),
        },
        Case {
            what: "a replacement named to cover a whole literal",
            operation: Operation::Query,
            parameters: json!({
                "query": "SELECT Id FROM Contact WHERE LastName = 'name'",
                "'name'": "x OR Id != null"
            }),
            outcome: Outcome::Refused("'name'"),
        },
        Case {
            what: "a replacement named like the letter of an escape",
            operation: Operation::Query,
            parameters: json!({
                "query": r"SELECT Id FROM Contact WHERE Title = 'a\nb'",
                "n": "' OR Id != '"
            }),
            outcome: Outcome::Refused("n"),
        },
        Case {
            what: "a long replacement stays one literal",
            operation: Operation::Query,
            parameters: json!({
                "query": "SELECT Id FROM Contact WHERE Description = 'text'",
                "text": format!("{long}'")
            }),
            outcome: soql(&format!(
                r"SELECT Id FROM Contact WHERE Description = '{long}\''"
            )),
        },
        Case {
            what: "a replacement too long for Salesforce's URI limit",
            operation: Operation::QueryOne,
            parameters: json!({
                "query": "SELECT Id FROM Contact WHERE Description = 'text'",
                "text": oversized.clone()
            }),
            outcome: Outcome::Refused("text"),
        },
        Case {
            what: "a nested replacement",
            operation: Operation::QueryOne,
            parameters: json!({"query": "SELECT Id FROM Contact WHERE Name = 'x'", "x": nested(64)}),
            outcome: Outcome::Refused("x"),
        },
        // ---- create and update: names are field names, values JSON ----
        Case {
            what: "hostile text in create values is data, not syntax",
            operation: Operation::Create,
            parameters: json!({
                "sf_object": "Case",
                "Subject": "x' OR Name != '\\",
                "Description": format!("{{\"a\": 1}}\n{FULLWIDTH_APOSTROPHE}%_"),
            }),
            outcome: json_request(
                "POST",
                "/sobjects/Case",
                json!({
                    "Subject": "x' OR Name != '\\",
                    "Description": format!("{{\"a\": 1}}\n{FULLWIDTH_APOSTROPHE}%_"),
                }),
            ),
        },
        Case {
            what: "an oversized create value",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case", "Description": oversized.clone()}),
            outcome: json_request(
                "POST",
                "/sobjects/Case",
                json!({"Description": oversized.clone()}),
            ),
        },
        Case {
            what: "a create field named with punctuation",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case", "Subject\": \"x": "y"}),
            outcome: Outcome::Refused("Subject\": \"x"),
        },
        Case {
            what: "a create field through a relationship",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case", "Owner.Name": "x"}),
            outcome: Outcome::Refused("Owner.Name"),
        },
        Case {
            what: "an object with a path",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case/../User", "Subject": "x"}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "an object with a query string",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case?_HttpMethod=DELETE", "Subject": "x"}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "an object with a format suffix Salesforce would answer in XML",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case.xml", "Subject": "x"}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "an update of an object with a format suffix",
            operation: Operation::Update,
            parameters: json!({"sf_object": "Case.json", "sf_id": CASE_ID, "Status": "x"}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "a delete of an object with a format suffix",
            operation: Operation::Delete,
            parameters: json!({"sf_object": "Case.xml", "sf_id": CASE_ID}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "a value that looks half like a relative date",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case", "Subject": "a|b"}),
            outcome: Outcome::Refused("Subject"),
        },
        Case {
            what: "a nested create value",
            operation: Operation::Create,
            parameters: json!({"sf_object": "Case", "Subject": nested(100)}),
            outcome: Outcome::Refused("Subject"),
        },
        Case {
            what: "hostile text in update values",
            operation: Operation::Update,
            parameters: json!({"sf_object": "Case", "sf_id": CASE_ID, "Status": "New' OR '1'='1"}),
            outcome: json_request(
                "PATCH",
                &format!("/sobjects/Case/{CASE_ID}"),
                json!({"Status": "New' OR '1'='1"}),
            ),
        },
        Case {
            what: "an id with SOQL",
            operation: Operation::Update,
            parameters: json!({"sf_object": "Case", "sf_id": format!("{CASE_ID}' OR '1'='1"), "Status": "x"}),
            outcome: Outcome::Refused("sf_id"),
        },
        Case {
            what: "an id with an encoded slash",
            operation: Operation::Update,
            parameters: json!({"sf_object": "Case", "sf_id": "5006g00000BLq%2F", "Status": "x"}),
            outcome: Outcome::Refused("sf_id"),
        },
        Case {
            what: "an id in fullwidth digits",
            operation: Operation::Update,
            parameters: json!({"sf_object": "Case", "sf_id": "\u{FF15}006g00000BLqurAAD", "Status": "x"}),
            outcome: Outcome::Refused("sf_id"),
        },
        // ---- delete ----
        Case {
            what: "a delete id climbing the path",
            operation: Operation::Delete,
            parameters: json!({"sf_object": "Case", "sf_id": "../../sobjects/User/005"}),
            outcome: Outcome::Refused("sf_id"),
        },
        Case {
            what: "a delete id with surrounding newlines is trimmed, not refused",
            operation: Operation::Delete,
            parameters: json!({"sf_object": "Case", "sf_id": format!("\n{CASE_ID}\n")}),
            outcome: json_request("DELETE", &format!("/sobjects/Case/{CASE_ID}"), Value::Null),
        },
        Case {
            what: "an oversized delete id",
            operation: Operation::Delete,
            parameters: json!({"sf_object": "Case", "sf_id": oversized.clone()}),
            outcome: Outcome::Refused("sf_id"),
        },
        // ---- phoneLookup ----
        Case {
            what: "a caller number with SOQL is no number",
            operation: Operation::PhoneLookup,
            parameters: json!({"sf_phone": "+1555' OR Name != '", "sf_fields": "Id"}),
            outcome: Outcome::AnsweredLocally(json!({"sf_count": "0"})),
        },
        Case {
            what: "an oversized caller number",
            operation: Operation::PhoneLookup,
            parameters: json!({"sf_phone": format!("+{}", "1".repeat(CONNECT_VALUE_LIMIT)), "sf_fields": "Id"}),
            outcome: Outcome::AnsweredLocally(json!({"sf_count": "0"})),
        },
        Case {
            what: "a caller number in punctuation searches only its digits",
            operation: Operation::PhoneLookup,
            parameters: json!({"sf_phone": "+44 (0)1122-334455", "sf_fields": "Id"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                json!({"q": "1122334455", "in": "PHONE", "fields": ["Id"], "sobjects": [{"name": "Contact"}]}),
            ),
        },
        Case {
            what: "an object adding a RETURNING clause",
            operation: Operation::PhoneLookup,
            parameters: json!({"sf_phone": "+441122334455", "sf_fields": "Id", "sf_object": "Contact) RETURNING User(Id"}),
            outcome: Outcome::Refused("sf_object"),
        },
        Case {
            what: "fields adding a RETURNING clause",
            operation: Operation::PhoneLookup,
            parameters: json!({"sf_phone": "+441122334455", "sf_fields": "Id) RETURNING User(Id"}),
            outcome: Outcome::Refused("sf_fields"),
        },
        // ---- search and searchOne ----
        Case {
            what: "SOSL reserved characters in q are escaped, the wildcards kept",
            operation: Operation::Search,
            parameters: json!({"q": "a?&|!{}[]()^~*:\\\"'+-} RETURNING User(Id)", "sf_fields": "Id", "sf_object": "Case"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                search_body(
                    r#"a?\&\|\!\{\}\[\]\(\)\^\~*\:\\\"\'\+\-\} RETURNING User\(Id\)"#,
                    &["Id"],
                    json!({"name": "Case"}),
                    Some(100),
                ),
            ),
        },
        Case {
            what: "a name with an apostrophe searches for itself",
            operation: Operation::SearchOne,
            parameters: json!({"q": "O'Brien", "sf_fields": "Id", "sf_object": "Contact"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                search_body(r"O\'Brien", &["Id"], json!({"name": "Contact"}), None),
            ),
        },
        Case {
            what: "a spoken phone number searches for itself",
            operation: Operation::Search,
            parameters: json!({"q": "+1 (415) 555-0100", "sf_fields": "Id", "sf_object": "Contact"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                search_body(
                    r"\+1 \(415\) 555\-0100",
                    &["Id"],
                    json!({"name": "Contact"}),
                    Some(100),
                ),
            ),
        },
        Case {
            what: "a reference with a hyphen excludes nothing",
            operation: Operation::SearchOne,
            parameters: json!({"q": "AB-123", "sf_fields": "Id", "sf_object": "Case"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                search_body(r"AB\-123", &["Id"], json!({"name": "Case"}), None),
            ),
        },
        Case {
            what: "SOSL syntax asked for goes as written",
            operation: Operation::Search,
            parameters: json!({"q": "\"Jim Smith\" OR Smi* -Acme", "sf_fields": "Id", "sf_object": "Contact", "sf_search_syntax": "sosl"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                search_body(
                    "\"Jim Smith\" OR Smi* -Acme",
                    &["Id"],
                    json!({"name": "Contact"}),
                    Some(100),
                ),
            ),
        },
        Case {
            what: "a search syntax that is not sosl",
            operation: Operation::SearchOne,
            parameters: json!({"q": "x", "sf_fields": "Id", "sf_object": "Case", "sf_search_syntax": "sosl' OR"}),
            outcome: Outcome::Refused("sf_search_syntax"),
        },
        Case {
            what: "an oversized q",
            operation: Operation::SearchOne,
            parameters: json!({"q": oversized.clone(), "sf_fields": "Id", "sf_object": "Case"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                search_body(&oversized, &["Id"], json!({"name": "Case"}), None),
            ),
        },
        Case {
            what: "a balanced where goes as given",
            operation: Operation::SearchOne,
            parameters: json!({"q": "x", "sf_fields": "Id", "sf_object": "Case", "where": "Subject != 'a)b'"}),
            outcome: json_request(
                "POST",
                "/parameterizedSearch",
                search_body(
                    "x",
                    &["Id"],
                    json!({"name": "Case", "where": "Subject != 'a)b'"}),
                    None,
                ),
            ),
        },
        Case {
            what: "a where ending its clause",
            operation: Operation::Search,
            parameters: json!({"q": "x", "sf_fields": "Id", "sf_object": "Case", "where": "Status = 'New') RETURNING User(Id"}),
            outcome: Outcome::Refused("where"),
        },
        Case {
            what: "a where with an open literal",
            operation: Operation::SearchOne,
            parameters: json!({"q": "x", "sf_fields": "Id", "sf_object": "Case", "where": "Status = 'New"}),
            outcome: Outcome::Refused("where"),
        },
        Case {
            what: "a limit with a clause",
            operation: Operation::Search,
            parameters: json!({"q": "x", "sf_fields": "Id", "sf_object": "Case", "overallLimit": "10 OR 1=1"}),
            outcome: Outcome::Refused("overallLimit"),
        },
        Case {
            what: "search fields with punctuation",
            operation: Operation::Search,
            parameters: json!({"q": "x", "sf_fields": "Id, Name)", "sf_object": "Case"}),
            outcome: Outcome::Refused("sf_fields"),
        },
        Case {
            what: "a nested q",
            operation: Operation::Search,
            parameters: json!({"q": nested(100), "sf_fields": "Id", "sf_object": "Case"}),
            outcome: Outcome::Refused("q"),
        },
        // ---- searchSOSL / searchOneSOSL: each value escaped for where it lands ----
        Case {
            what: "a brace in the search text cannot end it",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL", "who": "x} RETURNING User(Id, Email) LIMIT 1 {",
                               "query": "FIND {who} RETURNING Contact(Id)"}),
            outcome: sosl(
                r"FIND {x\} RETURNING User\(Id, Email\) LIMIT 1 \{} RETURNING Contact(Id)",
            ),
        },
        Case {
            what: "a trailing backslash that would escape the closing brace",
            operation: Operation::SearchOne,
            parameters: json!({"sf_operation": "searchOneSOSL", "who": "smith\\",
                               "query": "FIND {who} RETURNING Contact(Id)"}),
            outcome: sosl(r"FIND {smith\\} RETURNING Contact(Id)"),
        },
        Case {
            what: "a caller's quote, dash and parentheses search for themselves",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL", "who": "O'Brien +1 (415) 555-0100",
                               "query": "FIND {who} IN ALL FIELDS RETURNING Contact(Id), Lead(Id)"}),
            outcome: sosl(
                r"FIND {O\'Brien \+1 \(415\) 555\-0100} IN ALL FIELDS RETURNING Contact(Id), Lead(Id)",
            ),
        },
        Case {
            what: "a quote in a WHERE literal",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL", "title": "x' OR Name != '",
                               "query": "FIND {acme} RETURNING Contact(Id WHERE Title = 'title')"}),
            outcome: sosl(r"FIND {acme} RETURNING Contact(Id WHERE Title = 'x\' OR Name != \'')"),
        },
        Case {
            what: "wildcards in a WHERE LIKE literal match only themselves",
            operation: Operation::SearchOne,
            parameters: json!({"sf_operation": "searchOneSOSL", "domain": "%_' OR",
                               "query": "FIND {acme} RETURNING Contact(Id WHERE Email LIKE '%domain')"}),
            outcome: sosl(r"FIND {acme} RETURNING Contact(Id WHERE Email LIKE '%\%\_\' OR')"),
        },
        Case {
            what: "a clause in an unquoted spot",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL", "since": "2024-05-01 OR Id != null OR",
                               "query": "FIND {acme} RETURNING Case(Id WHERE CreatedDate > since)"}),
            outcome: Outcome::Refused("since"),
        },
        Case {
            what: "an object list in an unquoted spot",
            operation: Operation::SearchOne,
            parameters: json!({"sf_operation": "searchOneSOSL", "fields": "Id), User(Id, Email",
                               "query": "FIND {acme} RETURNING Contact(fields)"}),
            outcome: Outcome::Refused("fields"),
        },
        Case {
            what: "a name across the search text's brace",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL", "acme} RETURNING": "x",
                               "query": "FIND {acme} RETURNING Contact(Id)"}),
            outcome: Outcome::Refused("acme} RETURNING"),
        },
        Case {
            what: "a statement without RETURNING",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL", "who": "x", "query": "FIND {who}"}),
            outcome: Outcome::Refused("query"),
        },
        Case {
            what: "a SOQL statement in query",
            operation: Operation::SearchOne,
            parameters: json!({"sf_operation": "searchOneSOSL", "who": "x' OR Id != '",
                               "query": "SELECT Id FROM Contact WHERE Name = 'who'"}),
            outcome: Outcome::Refused("query"),
        },
        Case {
            what: "a statement that goes on after its RETURNING",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL",
                               "query": "FIND {acme} RETURNING Contact(Id) WITH SNIPPET"}),
            outcome: Outcome::Refused("query"),
        },
        Case {
            what: "a nested replacement",
            operation: Operation::Search,
            parameters: json!({"sf_operation": "searchSOSL", "who": nested(100),
                               "query": "FIND {who} RETURNING Contact(Id)"}),
            outcome: Outcome::Refused("who"),
        },
        Case {
            what: "a search text too long for Salesforce's URI limit",
            operation: Operation::SearchOne,
            parameters: json!({"sf_operation": "searchOneSOSL", "who": oversized.clone(),
                               "query": "FIND {who} RETURNING Contact(Id)"}),
            outcome: Outcome::Refused("who"),
        },
        // ---- Chatter ----
        Case {
            what: "hostile text in a post is data, and placeholders fill once",
            operation: Operation::CreateChatterPost,
            parameters: json!({
                "sf_feedElementType": "FeedItem", "sf_subjectId": "me", "sf_messageType": "Text",
                "sf_message": "Caller said: {{said}}", "said": "\"}]} {{sf_subjectId}} '\n"
            }),
            outcome: json_request(
                "POST",
                "/chatter/feed-elements",
                json!({
                    "feedElementType": "FeedItem", "subjectId": "me",
                    "body": {"messageSegments": [{"type": "Text", "text": "Caller said: \"}]} {{sf_subjectId}} '\n"}]}
                }),
            ),
        },
        Case {
            what: "a post message oversized",
            operation: Operation::CreateChatterPost,
            parameters: json!({
                "sf_feedElementType": "FeedItem", "sf_subjectId": "me", "sf_messageType": "Text",
                "sf_message": oversized.clone()
            }),
            outcome: json_request(
                "POST",
                "/chatter/feed-elements",
                json!({
                    "feedElementType": "FeedItem", "subjectId": "me",
                    "body": {"messageSegments": [{"type": "Text", "text": oversized.clone()}]}
                }),
            ),
        },
        Case {
            what: "a nested placeholder value",
            operation: Operation::CreateChatterPost,
            parameters: json!({
                "sf_feedElementType": "FeedItem", "sf_subjectId": "me", "sf_messageType": "Text",
                "sf_message": "{{said}}", "said": nested(100)
            }),
            outcome: Outcome::Refused("said"),
        },
        Case {
            what: "a comment on a feed element id climbing the path",
            operation: Operation::CreateChatterComment,
            parameters: json!({"sf_feedElementId": "../../sobjects/User", "sf_commentType": "Text", "sf_commentMessage": "x"}),
            outcome: Outcome::Refused("sf_feedElementId"),
        },
        Case {
            what: "hostile text in a comment",
            operation: Operation::CreateChatterComment,
            parameters: json!({"sf_feedElementId": FEED_ID, "sf_commentType": "Text", "sf_commentMessage": "{{ x }}\\' OR", "x": MODIFIER_APOSTROPHE}),
            outcome: json_request(
                "POST",
                &format!("/chatter/feed-elements/{FEED_ID}/capabilities/comments/items"),
                json!({"body": {"messageSegments": [{"type": "Text", "text": format!("{MODIFIER_APOSTROPHE}\\' OR")}]}}),
            ),
        },
    ];
    // Every operation reads sf_operation first, and refuses one that is not a scalar.
    for operation in FUNCTIONS.iter().map(|entry| entry.operation) {
        cases.push(Case {
            what: "a nested sf_operation",
            operation,
            parameters: json!({"sf_operation": nested(100)}),
            outcome: Outcome::Refused("sf_operation"),
        });
    }
    cases
}

/// The answer Salesforce gives to the request of `outcome`.
async fn expect(server: &mut ServerGuard, outcome: &Outcome) -> Mock {
    match outcome {
        Outcome::Soql(soql) => {
            server
                .mock("GET", data_path("/query").as_str())
                .match_query(Matcher::UrlEncoded("q".into(), soql.clone()))
                .with_status(200)
                .with_header("content-type", "application/json")
                .with_body(query_answer(json!([]), 0, None))
                .expect(1)
                .create_async()
                .await
        }
        Outcome::Json { method, path, body } => {
            let answer = match (*method, path.as_str()) {
                ("POST", "/parameterizedSearch") => json!({"searchRecords": []}).to_string(),
                ("POST", _) => json!({"id": "0D5000000000001AAA", "success": true}).to_string(),
                _ => String::new(),
            };
            let body_matcher = if body.is_null() {
                Matcher::Exact(String::new())
            } else {
                Matcher::Json(body.clone())
            };
            server
                .mock(method, data_path(path).as_str())
                .match_body(body_matcher)
                .with_status(if answer.is_empty() { 204 } else { 200 })
                .with_header("content-type", "application/json")
                .with_body(answer)
                .expect(1)
                .create_async()
                .await
        }
        Outcome::Sosl(sosl) => {
            server
                .mock("GET", data_path("/search").as_str())
                .match_query(Matcher::UrlEncoded("q".into(), sosl.clone()))
                .with_status(200)
                .with_header("content-type", "application/json")
                .with_body(json!({"searchRecords": []}).to_string())
                .expect(1)
                .create_async()
                .await
        }
        Outcome::AnsweredLocally(_) | Outcome::Refused(_) => unreachable!(),
    }
}

#[tokio::test]
async fn every_hostile_input_is_escaped_or_refused_before_any_request() {
    let cases = catalogue();
    let operations: std::collections::HashSet<&str> = cases
        .iter()
        .map(|case| case.operation.function_name())
        .collect();
    assert_eq!(
        operations.len(),
        FUNCTIONS.len(),
        "every operation is in the catalogue"
    );
    for case in cases {
        let mut server = mockito::Server::new_async().await;
        let label = format!("{} ({})", case.what, case.operation.function_name());
        match &case.outcome {
            Outcome::Soql(_) | Outcome::Sosl(_) | Outcome::Json { .. } => {
                token_endpoint(&mut server, TOKEN).await;
                let request = expect(&mut server, &case.outcome).await;
                let function = function(case.operation, &server);
                let outcome = invoke(&function, case.parameters.clone()).await;
                assert!(outcome.is_ok(), "{label}: {outcome:?}");
                request.assert_async().await;
            }
            Outcome::AnsweredLocally(answer) => {
                let forbidden = forbid_requests(&mut server).await;
                let function = function(case.operation, &server);
                let outcome = invoke(&function, case.parameters.clone()).await;
                assert_eq!(outcome.as_ref().ok(), Some(answer), "{label}: {outcome:?}");
                assert_all(&forbidden);
            }
            Outcome::Refused(named) => {
                let forbidden = forbid_requests(&mut server).await;
                let function = function(case.operation, &server);
                let error = invoke(&function, case.parameters.clone())
                    .await
                    .expect_err(&label);
                assert!(
                    matches!(
                        error,
                        Error::InvalidParameter { .. } | Error::MissingParameter { .. }
                    ),
                    "{label}: {error:?}"
                );
                let message = error.to_string();
                assert!(
                    message.contains(&format!("`{named}`")),
                    "{label}: {message}"
                );
                // A refused 32 KB value is quoted in part, never repeated whole.
                assert!(message.len() < 1024, "{label}: {} bytes", message.len());
                assert_all(&forbidden);
            }
        }
    }
}
