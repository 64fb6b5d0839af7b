//! `POST /parameterizedSearch`: the search text read as Salesforce reads it (reserved
//! characters, escapes, words, operators, wildcards, two characters at least), phone and
//! text matching, `where`, limits and the 2,000 cap, scopes, refusals.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    BROKEN_WIDGET_CASE, JIM_SMITH, OLIVIA_BROWN, V, call_json, error_code, start,
};

#[tokio::test]
async fn search_in_phone_fields_matches_digits_in_any_punctuation() {
    let sandbox = start().await;
    let request = json!({
        "q": "1122334455",
        "fields": ["Id", "Name", "Account.Name"],
        "sobjects": [{"name": "Contact"}],
        "in": "PHONE",
    });
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(request),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "searchRecords": [{
                "attributes": {"type": "Contact", "url": format!("/services/data/{V}/sobjects/Contact/{OLIVIA_BROWN}")},
                "Id": OLIVIA_BROWN,
                "Name": "Olivia Brown",
                "Account": {
                    "attributes": {"type": "Account", "url": format!("/services/data/{V}/sobjects/Account/0018V0000000002QAA")},
                    "Name": "Globex Ltd",
                },
            }],
            "metadata": {},
        })
    );
}

#[tokio::test]
async fn search_honours_where_limits_and_scope() {
    let sandbox = start().await;
    let search = |body: Value| {
        let sandbox = &sandbox;
        async move { call_json(sandbox, Method::POST, "/parameterizedSearch", Some(body)).await }
    };
    let (_, all) = search(json!({"q": "test subject", "fields": ["Id", "Subject", "Status"], "sobjects": [{"name": "Case"}]})).await;
    assert_eq!(all["searchRecords"].as_array().unwrap().len(), 3);
    let (_, high) = search(json!({
        "q": "test subject", "fields": ["Id"],
        "sobjects": [{"name": "Case", "where": "Priority = 'High'"}],
    }))
    .await;
    assert_eq!(high["searchRecords"].as_array().unwrap().len(), 1);
    let (_, limited) =
        search(json!({"q": "test subject", "sobjects": [{"name": "Case"}], "overallLimit": 2}))
            .await;
    let limited = limited["searchRecords"].as_array().unwrap();
    assert_eq!(limited.len(), 2);
    // Without fields, only Id comes back.
    assert_eq!(
        limited[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["attributes", "Id"]
    );
    let (_, shared_phone) =
        search(json!({"q": r"555\-222\-3333", "in": "PHONE", "sobjects": [{"name": "Contact"}]}))
            .await;
    assert_eq!(shared_phone["searchRecords"].as_array().unwrap().len(), 2);
    let (_, by_email) =
        search(json!({"q": "smith", "in": "EMAIL", "sobjects": [{"name": "Contact"}]})).await;
    assert_eq!(by_email["searchRecords"][0]["Id"], JIM_SMITH);
}

#[tokio::test]
async fn search_refusals_name_the_problem() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(json!({"q": "a"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_SEARCH");
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(json!({"q": "acme", "sobjects": [{"name": "Nope"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_TYPE");
    let bad_where = json!({"q": "acme", "sobjects": [{"name": "Account", "where": "Nope = 1"}]});
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(bad_where),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_FIELD");
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch",
        Some(json!({"fields": ["Id"]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "MISSING_ARGUMENT");
}

async fn search(sandbox: &sf_sandbox::Sandbox, body: Value) -> (StatusCode, Value) {
    call_json(sandbox, Method::POST, "/parameterizedSearch", Some(body)).await
}

/// The ids a search answered, in order.
fn ids(body: &Value) -> Vec<&str> {
    body["searchRecords"]
        .as_array()
        .unwrap_or_else(|| panic!("no searchRecords: {body}"))
        .iter()
        .map(|r| r["Id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn unescaped_reserved_characters_are_refused_as_salesforce_refuses_them() {
    let sandbox = start().await;
    let (status, body) = search(&sandbox, json!({"q": "O'Brien"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{
            "message": "line 1:1 mismatched character ''' expecting '}'",
            "errorCode": "MALFORMED_SEARCH",
        }])
    );
    for q in [
        "AB-123",
        "+15551234567",
        "acme & globex",
        "acme | globex",
        "acme!",
        "{acme}",
        "acme}",
        "[acme]",
        "acme^2",
        "acme~",
        "Name:acme",
        r"acme\",
        "\"acme",
        "(acme",
        "\"O'Brien\"",
    ] {
        let (status, body) = search(&sandbox, json!({"q": q})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert_eq!(error_code(&body), "MALFORMED_SEARCH", "{q}: {body}");
        assert!(
            body[0]["message"]
                .as_str()
                .unwrap()
                .contains("mismatched character"),
            "{q}: {body}"
        );
    }
}

#[tokio::test]
async fn escaped_reserved_characters_search_for_themselves() {
    let sandbox = start().await;
    let (status, body) = search(
        &sandbox,
        json!({"q": r"O\'Brien", "in": "NAME", "sobjects": [{"name": "Contact"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ids(&body), vec!["0038V0000000005QAA"]);
    let (_, body) = search(
        &sandbox,
        json!({"q": r"\+44 1122 334455", "in": "PHONE", "sobjects": [{"name": "Contact"}]}),
    )
    .await;
    assert_eq!(ids(&body), vec![OLIVIA_BROWN]);
    let part = sandbox
        .insert(
            "Case",
            json!({"Subject": "Part AB-123 recall", "Status": "New"}),
        )
        .unwrap();
    let (_, body) = search(
        &sandbox,
        json!({"q": r"AB\-123", "sobjects": [{"name": "Case"}]}),
    )
    .await;
    assert_eq!(ids(&body), vec![part.as_str()]);
}

#[tokio::test]
async fn terms_are_whole_words_anded_unless_an_operator_joins_them() {
    let sandbox = start().await;
    let cases = |q: &'static str| {
        let sandbox = &sandbox;
        async move {
            let (status, body) =
                search(sandbox, json!({"q": q, "sobjects": [{"name": "Case"}]})).await;
            assert_eq!(status, StatusCode::OK, "{q}: {body}");
            ids(&body).into_iter().map(String::from).collect::<Vec<_>>()
        }
    };
    assert_eq!(cases("test unique").await, vec!["5008V0000000006QAA"]);
    assert_eq!(
        cases("test AND NOT unique").await,
        vec!["5008V0000000004QAA", "5008V0000000005QAA"]
    );
    assert_eq!(
        cases("billing OR refund").await,
        vec!["5008V0000000002QAA", "5008V0000000008QAA"]
    );
    // Whole words: a word's beginning is not the word.
    assert!(cases("widge").await.is_empty());
    assert_eq!(cases("widget").await, vec![BROKEN_WIDGET_CASE]);
    // A phrase wants its words in a row.
    assert_eq!(
        cases("\"subject unique\"").await,
        vec!["5008V0000000006QAA"]
    );
    assert!(cases("\"unique subject\"").await.is_empty());
}

#[tokio::test]
async fn wildcards_match_within_a_word() {
    let sandbox = start().await;
    let contacts = |q: &'static str| {
        let sandbox = &sandbox;
        async move {
            let (status, body) = search(
                sandbox,
                json!({"q": q, "in": "NAME", "sobjects": [{"name": "Contact"}]}),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{q}: {body}");
            ids(&body).into_iter().map(String::from).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        contacts("sam*").await,
        vec!["0038V0000000007QAA", "0038V0000000008QAA"]
    );
    assert_eq!(contacts("sa?").await, vec!["0038V0000000007QAA"]);
    assert_eq!(contacts("j?m").await, vec![JIM_SMITH]);
}

#[tokio::test]
async fn a_search_term_needs_two_characters() {
    let sandbox = start().await;
    for q in ["a", "a*", "x ?"] {
        let (status, body) = search(&sandbox, json!({"q": q})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(
            body,
            json!([{
                "message": format!("search term must be longer than one character: {q}"),
                "errorCode": "INVALID_SEARCH",
            }])
        );
    }
}

#[tokio::test]
async fn object_limits_default_limit_and_overall_limit_cut_the_answer() {
    let sandbox = start().await;
    let (_, body) = search(
        &sandbox,
        json!({
            "q": "acme",
            "sobjects": [{"name": "Account"}, {"name": "Contact", "limit": 1}],
        }),
    )
    .await;
    assert_eq!(ids(&body), vec!["0018V0000000001QAA", JIM_SMITH]);
    let (_, body) = search(
        &sandbox,
        json!({
            "q": "test",
            "defaultLimit": 1,
            "sobjects": [{"name": "Case"}, {"name": "Case", "limit": "2"}],
        }),
    )
    .await;
    assert_eq!(
        ids(&body),
        vec![
            "5008V0000000004QAA",
            "5008V0000000004QAA",
            "5008V0000000005QAA"
        ]
    );
    let (_, body) = search(
        &sandbox,
        json!({"q": "test", "overallLimit": 2, "sobjects": [{"name": "Case"}]}),
    )
    .await;
    assert_eq!(ids(&body).len(), 2);
}

#[tokio::test]
async fn no_search_answers_more_than_two_thousand_records() {
    let sandbox = start().await;
    for n in 0..2001 {
        sandbox
            .insert("Case", json!({"Subject": format!("bulk item {n}")}))
            .unwrap();
    }
    for body in [
        json!({"q": "bulk", "sobjects": [{"name": "Case"}]}),
        json!({"q": "bulk", "overallLimit": 5000, "sobjects": [{"name": "Case", "limit": 3000}]}),
        json!({"q": "bulk", "defaultLimit": 5000, "sobjects": [{"name": "Case"}]}),
    ] {
        let (status, answer) = search(&sandbox, body.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&answer).len(), 2000, "{body}");
    }
}

#[tokio::test]
async fn a_trailing_slash_reaches_the_same_resource() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/parameterizedSearch/",
        Some(json!({"q": "Globex", "sobjects": [{"name": "Account"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ids(&body), vec!["0018V0000000002QAA"]);
}
