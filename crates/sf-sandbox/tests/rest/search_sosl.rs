//! `GET /search?q=FIND …`: a SOSL statement, its answer shape, its clauses (IN,
//! RETURNING with fields, WHERE and LIMIT, an overall LIMIT, the 2,000 cap), and
//! Salesforce's refusals with their exact messages.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sf_sandbox::Sandbox;

use crate::support::{JIM_SMITH, OLIVIA_BROWN, V, error_code, get_q, start};

const ACME: &str = "0018V0000000001QAA";
const GLOBEX: &str = "0018V0000000002QAA";

async fn sosl(sandbox: &Sandbox, statement: &str) -> (StatusCode, Value) {
    get_q(sandbox, "/search", statement).await
}

/// The (type, id) of each record a search answered, in order; the id read from
/// `attributes.url`, since a record answers only the fields asked for.
fn found(body: &Value) -> Vec<(String, String)> {
    body["searchRecords"]
        .as_array()
        .unwrap_or_else(|| panic!("no searchRecords: {body}"))
        .iter()
        .map(|r| {
            (
                r["attributes"]["type"].as_str().unwrap().to_string(),
                r["attributes"]["url"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

fn pair(object: &str, id: &str) -> (String, String) {
    (object.to_string(), id.to_string())
}

#[tokio::test]
async fn a_search_answers_salesforce_s_shape() {
    let sandbox = start().await;
    for path in ["/search", "/search/"] {
        let (status, body) = get_q(
            &sandbox,
            path,
            "FIND {Globex} IN NAME FIELDS RETURNING Account(Id, Name)",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(
            body,
            json!({"searchRecords": [{
                "attributes": {"type": "Account", "url": format!("/services/data/{V}/sobjects/Account/{GLOBEX}")},
                "Id": GLOBEX,
                "Name": "Globex Ltd",
            }]})
        );
    }
}

#[tokio::test]
async fn returning_lists_objects_in_order_with_their_fields() {
    let sandbox = start().await;
    let (status, body) = sosl(
        &sandbox,
        "find {acme} returning Account(Name), Contact(Name, Account.Name)",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        found(&body),
        vec![
            pair("Account", ACME),
            pair("Contact", JIM_SMITH),
            pair("Contact", "0038V0000000007QAA"),
        ]
    );
    assert_eq!(body["searchRecords"][1]["Name"], "Jim Smith");
    assert_eq!(
        body["searchRecords"][1]["Account"]["Name"],
        "Acme Corporation"
    );
    // Without a field list, an object answers its ids.
    let (_, body) = sosl(&sandbox, "FIND {Globex} RETURNING Account").await;
    assert_eq!(
        body["searchRecords"][0]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        vec!["attributes", "Id"]
    );
    // Without RETURNING, every object is searched, ids only.
    let (_, body) = sosl(&sandbox, "FIND {globex}").await;
    assert_eq!(
        found(&body),
        vec![
            pair("Account", GLOBEX),
            pair("Contact", OLIVIA_BROWN),
            pair("Contact", "0038V0000000009QAA"),
        ]
    );
}

#[tokio::test]
async fn in_fields_narrows_where_terms_are_looked_for() {
    let sandbox = start().await;
    let (_, body) = sosl(
        &sandbox,
        "FIND {acme} IN NAME FIELDS RETURNING Account, Contact",
    )
    .await;
    assert_eq!(found(&body), vec![pair("Account", ACME)]);
    let (_, body) = sosl(
        &sandbox,
        "FIND {acme} IN EMAIL FIELDS RETURNING Account, Contact",
    )
    .await;
    assert_eq!(
        found(&body),
        vec![
            pair("Contact", JIM_SMITH),
            pair("Contact", "0038V0000000007QAA")
        ]
    );
    let (_, body) = sosl(
        &sandbox,
        r"FIND {\(555\) 222\-3333} IN PHONE FIELDS RETURNING Contact(Name)",
    )
    .await;
    assert_eq!(
        found(&body),
        vec![
            pair("Contact", "0038V0000000007QAA"),
            pair("Contact", "0038V0000000008QAA")
        ]
    );
    let (_, body) = sosl(&sandbox, r"FIND {O\'Brien} IN ALL FIELDS RETURNING Contact").await;
    assert_eq!(found(&body), vec![pair("Contact", "0038V0000000005QAA")]);
}

#[tokio::test]
async fn where_and_limits_cut_each_object_and_the_whole() {
    let sandbox = start().await;
    let (status, body) = sosl(
        &sandbox,
        "FIND {test} RETURNING Case(Id, Priority WHERE Priority = 'High' OR Priority = 'Low')",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        found(&body),
        vec![
            pair("Case", "5008V0000000005QAA"),
            pair("Case", "5008V0000000006QAA")
        ]
    );
    let (_, body) = sosl(
        &sandbox,
        "FIND {test OR acme} RETURNING Case(Id LIMIT 1), Account(Id)",
    )
    .await;
    assert_eq!(
        found(&body),
        vec![pair("Case", "5008V0000000004QAA"), pair("Account", ACME)]
    );
    let (_, body) = sosl(
        &sandbox,
        "FIND {test OR acme} RETURNING Case(Id WHERE Status = 'New' LIMIT 2), Account LIMIT 2",
    )
    .await;
    assert_eq!(
        found(&body),
        vec![
            pair("Case", "5008V0000000004QAA"),
            pair("Case", "5008V0000000005QAA")
        ]
    );
}

#[tokio::test]
async fn order_by_sorts_each_object_before_its_limit() {
    let sandbox = start().await;
    let (status, body) = sosl(
        &sandbox,
        "FIND {test} RETURNING Case(Subject, Priority WHERE Status = 'New' ORDER BY Priority DESC, Subject LIMIT 2)",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Picklist values sort as text: Medium before Low before High, descending.
    assert_eq!(
        found(&body),
        vec![
            pair("Case", "5008V0000000004QAA"),
            pair("Case", "5008V0000000006QAA")
        ]
    );
    let (status, body) = sosl(&sandbox, "FIND {test} RETURNING Case(Id ORDER BY Nope)").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_FIELD");
    assert!(
        body[0]["message"]
            .as_str()
            .unwrap()
            .contains("ERROR at Row:1:Column:39"),
        "{body}"
    );
}

#[tokio::test]
async fn no_search_answers_more_than_two_thousand_records() {
    let sandbox = start().await;
    for n in 0..2001 {
        sandbox
            .insert("Case", json!({"Subject": format!("bulk item {n}")}))
            .unwrap();
    }
    for statement in [
        "FIND {bulk} RETURNING Case",
        "FIND {bulk} RETURNING Case(Id LIMIT 3000) LIMIT 5000",
    ] {
        let (status, body) = sosl(&sandbox, statement).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found(&body).len(), 2000, "{statement}");
    }
}

/// "If the SearchQuery string is longer than 10,000 characters, no result rows are
/// returned" (SOSL Syntax): the statement is still read, and refused where it is wrong.
#[tokio::test]
async fn a_search_text_over_ten_thousand_characters_finds_nothing() {
    let sandbox = start().await;
    let words = "acme ".repeat(2000);
    assert_eq!(words.chars().count(), 10_000);
    let (status, body) = sosl(&sandbox, &format!("FIND {{{words}}} RETURNING Account(Id)")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found(&body), [pair("Account", ACME)]);
    let (status, body) = sosl(
        &sandbox,
        &format!("FIND {{{words}x}} RETURNING Account(Id)"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found(&body), []);
    let (status, body) = sosl(
        &sandbox,
        &format!("FIND {{{words}x}} RETURNING Account(Nope)"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_FIELD");
}

#[tokio::test]
async fn unescaped_reserved_characters_are_refused_with_salesforce_s_message() {
    let sandbox = start().await;
    let (status, body) = sosl(&sandbox, "FIND {O'Brien} RETURNING Contact").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{
            "message": "\nFIND {O'Brien} RETURNING Contact\n      ^\nERROR at Row:1:Column:7\nline 1:7 mismatched character ''' expecting '}'",
            "errorCode": "MALFORMED_SEARCH",
        }])
    );
    // The statement restforce issue #688 quotes, and Salesforce's answer to it.
    let (_, body) = sosl(&sandbox, "FIND {John|jane_gray@uoa.edu} RETURNING Contact").await;
    assert_eq!(
        body[0]["message"],
        "\nFIND {John|jane_gray@uoa.edu} RETURNING Contact\n         ^\nERROR at Row:1:Column:10\nline 1:10 mismatched character '|' expecting '}'"
    );
    for text in [
        "AB-123",
        "+15551234567",
        "a&b",
        "x!",
        "[x]",
        "x^2",
        "x~",
        "a:b",
        "\"x'y\"",
    ] {
        let statement = format!("FIND {{{text}}} RETURNING Contact");
        let (status, body) = sosl(&sandbox, &statement).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{statement}");
        assert_eq!(error_code(&body), "MALFORMED_SEARCH", "{statement}");
    }
}

#[tokio::test]
async fn malformed_statements_are_refused_with_salesforce_s_messages() {
    let sandbox = start().await;
    for statement in ["SELECT Id FROM Account", "FIND acme RETURNING Account", ""] {
        let (status, body) = sosl(&sandbox, statement).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!([{
                "message": "No search term found. The search term must be enclosed in braces.",
                "errorCode": "MALFORMED_SEARCH",
            }]),
            "{statement}"
        );
    }
    // Salesforce's answer as jesperfj/force-rest-api pull request #92 quotes it.
    let (_, body) = sosl(&sandbox, "FIND {name} IN ALL TYPE RETURNING Account(name)").await;
    assert_eq!(
        body,
        json!([{
            "message": "\nFIND {name} IN ALL TYPE RETURNING Account(name)\n                  ^\nERROR at Row:1:Column:19\nMalformed search token: TYPE",
            "errorCode": "MALFORMED_SEARCH",
        }])
    );
    for statement in [
        "FIND {acme",
        "FIND {acme} RETURNING Account(Id",
        "FIND {acme} RETURNING Account(Id WHERE Name =)",
        "FIND {acme} RETURNING Account(Id LIMIT many)",
        "FIND {acme} ORDER BY Name",
    ] {
        let (status, body) = sosl(&sandbox, statement).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{statement}");
        assert_eq!(error_code(&body), "MALFORMED_SEARCH", "{statement}: {body}");
    }
    let (status, body) = sosl(&sandbox, "FIND {a} RETURNING Account").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{
            "message": "search term must be longer than one character: a",
            "errorCode": "INVALID_SEARCH",
        }])
    );
}

#[tokio::test]
async fn unknown_objects_and_fields_are_refused_with_their_codes() {
    let sandbox = start().await;
    for (statement, code) in [
        ("FIND {acme} RETURNING Nope", "INVALID_TYPE"),
        ("FIND {acme} RETURNING Account(Nope)", "INVALID_FIELD"),
        (
            "FIND {acme} RETURNING Account(Id WHERE Nope = 'x')",
            "INVALID_FIELD",
        ),
        (
            "FIND {acme} RETURNING Account(Id WHERE Name > 5)",
            "INVALID_QUERY_FILTER_OPERATOR",
        ),
    ] {
        let (status, body) = sosl(&sandbox, statement).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{statement}: {body}");
        assert_eq!(error_code(&body), code, "{statement}: {body}");
        assert!(
            body[0]["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("\n{statement}\n")),
            "{statement}: {body}"
        );
    }
}
