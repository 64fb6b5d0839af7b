//! searchSOSL and searchOneSOSL over HTTP: the SOSL statement each sends to
//! `GET /search?q=` once its replacements are in place, and the answer it returns over
//! `searchRecords`; statements and values refused before any request.

mod support;

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::{Error, Operation};
use support::*;

const CONTACT_ID: &str = "003D000000QV9n2IAD";
const LEAD_ID: &str = "00QD000000BfHhWMAV";

/// A `GET /search?q=<sosl>` answered with `records`.
async fn expect_search(server: &mut ServerGuard, sosl: &str, records: Value) -> Mock {
    server
        .mock("GET", data_path("/search").as_str())
        .match_query(Matcher::UrlEncoded("q".into(), sosl.into()))
        .match_header("authorization", bearer(TOKEN).as_str())
        .match_body(Matcher::Exact(String::new()))
        .with_status(200)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body(json!({ "searchRecords": records }).to_string())
        .expect(1)
        .create_async()
        .await
}

fn contact(id: &str, name: &str) -> Value {
    record(
        "Contact",
        id,
        json!({"Name": name, "Account": {
            "attributes": {"type": "Account", "url": "/services/data/v66.0/sobjects/Account/001D000000IqhSLIAZ"},
            "Name": "Acme"
        }}),
    )
}

fn lead(id: &str, name: &str) -> Value {
    record("Lead", id, json!({"Name": name}))
}

const TEMPLATE: &str = "FIND {callerName} IN NAME FIELDS RETURNING \
                        Contact(Id, Name, Account.Name WHERE MailingCity = 'city' LIMIT rows), \
                        Lead(Id, Name) LIMIT 20";

#[tokio::test]
async fn search_sosl_sends_the_statement_with_its_replacements_and_answers_every_object() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        r"FIND {Jim O\'Brien\-Smith} IN NAME FIELDS RETURNING Contact(Id, Name, Account.Name WHERE MailingCity = 'St. John\'s' LIMIT 5), Lead(Id, Name) LIMIT 20",
        json!([contact(CONTACT_ID, "Jim O'Brien-Smith"), lead(LEAD_ID, "Jim O'Brien-Smith")]),
    )
    .await;
    let function = function(Operation::Search, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "searchSOSL", "query": TEMPLATE,
               "callerName": "Jim O'Brien-Smith", "city": "St. John's", "rows": 5}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0_Id": CONTACT_ID,
            "sf_records_0_Name": "Jim O'Brien-Smith",
            "sf_records_0_Account.Name": "Acme",
            "sf_records_1_Id": LEAD_ID,
            "sf_records_1_Name": "Jim O'Brien-Smith",
            "sf_count": "2"
        })
    );
    token.assert_async().await;
    search.assert_async().await;
}

#[tokio::test]
async fn search_sosl_keeps_nested_fields_in_the_json_format() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        "FIND {acme} RETURNING Contact(Id, Name, Account.Name)",
        json!([contact(CONTACT_ID, "Jim Smith")]),
    )
    .await;
    let function = function(Operation::Search, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "searchSOSL", "sf_response_format": "json",
               "query": "FIND {acme} RETURNING Contact(Id, Name, Account.Name)"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0": {"Id": CONTACT_ID, "Name": "Jim Smith", "Account": {"Name": "Acme"}},
            "sf_count": "1"
        })
    );
    search.assert_async().await;
}

#[tokio::test]
async fn search_one_sosl_answers_the_record_only_when_exactly_one_matched() {
    for (records, expected) in [
        (
            json!([lead(LEAD_ID, "Jim Smith")]),
            json!({"Id": LEAD_ID, "Name": "Jim Smith", "sf_count": "1"}),
        ),
        (
            json!([lead(LEAD_ID, "Jim Smith"), contact(CONTACT_ID, "Jim Smith")]),
            json!({"sf_count": "2"}),
        ),
        (json!([]), json!({"sf_count": "0"})),
    ] {
        let mut server = mockito::Server::new_async().await;
        token_endpoint(&mut server, TOKEN).await;
        let search = expect_search(
            &mut server,
            "FIND {Jim Smith} RETURNING Lead(Id, Name), Contact(Id, Name)",
            records,
        )
        .await;
        let function = function(Operation::SearchOne, &server);
        let answer = invoke(
            &function,
            json!({"sf_operation": "searchOneSOSL", "who": "Jim Smith",
                   "query": "FIND {who} RETURNING Lead(Id, Name), Contact(Id, Name)"}),
        )
        .await
        .unwrap();
        assert_eq!(answer, expected);
        search.assert_async().await;
    }
}

#[tokio::test]
async fn an_answer_too_large_for_connect_is_an_error() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let long = "x".repeat(20_000);
    let search = expect_search(
        &mut server,
        "FIND {acme} RETURNING Lead(Id, Name)",
        json!([lead(LEAD_ID, &long), lead("00QD000000BfHhXMAV", &long)]),
    )
    .await;
    let function = function(Operation::Search, &server);
    let error = invoke(
        &function,
        json!({"sf_operation": "searchSOSL", "query": "FIND {acme} RETURNING Lead(Id, Name)"}),
    )
    .await
    .unwrap_err();
    assert_eq!(error.error_type(), "AnswerTooLarge", "{error}");
    search.assert_async().await;
}

#[tokio::test]
async fn salesforces_refusal_of_a_search_is_its_own_error() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let refusal = server
        .mock("GET", data_path("/search").as_str())
        .match_query(Matcher::Any)
        .with_status(400)
        .with_header("content-type", "application/json")
        .with_body(
            json!([{"errorCode": "INVALID_FIELD", "message": "No such column 'Nope' on entity 'Lead'."}])
                .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let function = function(Operation::SearchOne, &server);
    let error = invoke(
        &function,
        json!({"sf_operation": "searchOneSOSL", "query": "FIND {acme} RETURNING Lead(Nope)"}),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, Error::Salesforce { status: 400, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("INVALID_FIELD"), "{error}");
    refusal.assert_async().await;
}

#[tokio::test]
async fn bad_statements_and_values_are_refused_before_any_request() {
    for (operation, parameters, named) in [
        (
            Operation::Search,
            json!({"sf_operation": "searchSOSL"}),
            "query",
        ),
        (
            Operation::Search,
            json!({"sf_operation": "searchSOSL", "query": "SELECT Id FROM Contact WHERE Name = 'who'", "who": "x"}),
            "query",
        ),
        (
            Operation::SearchOne,
            json!({"sf_operation": "searchOneSOSL", "query": "FIND {who}", "who": "x"}),
            "query",
        ),
        (
            Operation::SearchOne,
            json!({"sf_operation": "searchOneSOSL", "query": "FIND {acme} RETURNING Lead(Id) LIMIT rows", "rows": "5 OR Id != null"}),
            "rows",
        ),
        (
            Operation::Search,
            json!({"sf_operation": "searchSOSL", "query": "FIND {who} RETURNING Lead(Id)", "who": "a".repeat(20_000)}),
            "who",
        ),
        (
            Operation::Search,
            json!({"sf_operation": "searchSOSL", "query": "FIND {acme} RETURNING Lead(Id)", "sf_response_format": "xml"}),
            "sf_response_format",
        ),
        // A function refuses an operation it does not serve.
        (
            Operation::Search,
            json!({"sf_operation": "searchOneSOSL", "query": "FIND {acme} RETURNING Lead(Id)"}),
            "sf_operation",
        ),
        (
            Operation::SearchOne,
            json!({"sf_operation": "searchSOSL", "query": "FIND {acme} RETURNING Lead(Id)"}),
            "sf_operation",
        ),
        (
            Operation::Query,
            json!({"sf_operation": "searchSOSL", "query": "FIND {acme} RETURNING Lead(Id)"}),
            "sf_operation",
        ),
    ] {
        assert_refused(operation, parameters, named).await;
    }
}
