//! query and queryOne over HTTP: the SOQL built from the flow's text and replacements,
//! pagination through `nextRecordsUrl`, the answer limit, retries of reads, and
//! replacements that are refused.

mod support;

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::{Error, Operation};
use support::*;

const NEXT_PAGE: &str = "/services/data/v66.0/query/01gD0000002HU6KIAW-2000";

/// A `GET /query?q=<soql>` answered with `status` and `body`, expected `hits` times.
async fn expect_query_with(
    server: &mut ServerGuard,
    soql: &str,
    status: usize,
    body: String,
    hits: usize,
) -> Mock {
    server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::UrlEncoded("q".into(), soql.into()))
        .match_header("authorization", bearer(TOKEN).as_str())
        .with_status(status)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body(body)
        .expect(hits)
        .create_async()
        .await
}

async fn expect_query(server: &mut ServerGuard, soql: &str, body: String) -> Mock {
    expect_query_with(server, soql, 200, body, 1).await
}

/// A `GET` of a `nextRecordsUrl` (a full path, no query string), expected `hits` times.
async fn expect_next_page(server: &mut ServerGuard, path: &str, body: String, hits: usize) -> Mock {
    server
        .mock("GET", path)
        .match_header("authorization", bearer(TOKEN).as_str())
        .with_status(200)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body(body)
        .expect(hits)
        .create_async()
        .await
}

fn contact(id: &str, fields: Value) -> Value {
    record("Contact", id, fields)
}

// ---- query ----

#[tokio::test]
async fn query_replaces_names_in_order_as_documented() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        "select Id from Task",
        query_answer(
            json!([
                record("Task", "00T6g00000AbCdEAAA", json!({})),
                record("Task", "00T6g00000AbCdEAAB", json!({}))
            ]),
            2,
            None,
        ),
    )
    .await;
    let function = function(Operation::Query, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "query", "query": "select field from object", "field": "Id",
               "object": "Task"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0_Id": "00T6g00000AbCdEAAA",
            "sf_records_1_Id": "00T6g00000AbCdEAAB",
            "sf_count": "2"
        })
    );
    token.assert_async().await;
    query.assert_async().await;
}

#[tokio::test]
async fn query_phone_example_answers_records_and_count() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        "select Id from Contact where Phone LIKE '%5551234567%'",
        query_answer(json!([contact("00303000001RZfIAAW", json!({}))]), 1, None),
    )
    .await;
    let function = function(Operation::Query, &server);
    let answer = invoke(
        &function,
        json!({"query": "select Id from Contact where Phone LIKE '%number%'",
               "number": "5551234567"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({"sf_records_0_Id": "00303000001RZfIAAW", "sf_count": "1"})
    );
    query.assert_async().await;
}

#[tokio::test]
async fn query_escapes_a_quote_in_a_replacement_inside_a_literal() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        r"select Id, Name from Contact where Phone LIKE '%555\' OR Name != \'%'",
        query_answer(
            json!([
                contact("00303000001RZfIAAW", json!({"Name": "Name0"})),
                contact("00303000001RZfIAAE", json!({"Name": "Name1"}))
            ]),
            2,
            None,
        ),
    )
    .await;
    let function = function(Operation::Query, &server);
    let answer = invoke(
        &function,
        json!({"query": "select Id, Name from Contact where Phone LIKE '%number%'",
               "number": "555' OR Name != '"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0_Id": "00303000001RZfIAAW",
            "sf_records_0_Name": "Name0",
            "sf_records_1_Id": "00303000001RZfIAAE",
            "sf_records_1_Name": "Name1",
            "sf_count": "2"
        })
    );
    query.assert_async().await;
}

#[tokio::test]
async fn query_follows_next_records_url_until_done() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let first = expect_query(
        &mut server,
        "SELECT Id, Name FROM Contact",
        query_answer(
            json!([
                contact("003000000000001AAA", json!({"Name": "Ana"})),
                contact("003000000000002AAA", json!({"Name": "Bo"}))
            ]),
            3,
            Some(NEXT_PAGE),
        ),
    )
    .await;
    let second = expect_next_page(
        &mut server,
        NEXT_PAGE,
        query_answer(
            json!([contact("003000000000003AAA", json!({"Name": "Cy"}))]),
            3,
            None,
        ),
        1,
    )
    .await;
    let function = function(Operation::Query, &server);
    let answer = invoke(&function, json!({"query": "SELECT Id, Name FROM Contact"}))
        .await
        .unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0_Id": "003000000000001AAA",
            "sf_records_0_Name": "Ana",
            "sf_records_1_Id": "003000000000002AAA",
            "sf_records_1_Name": "Bo",
            "sf_records_2_Id": "003000000000003AAA",
            "sf_records_2_Name": "Cy",
            "sf_count": "3"
        })
    );
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn query_answer_of_32_kb_or_more_is_an_error_and_stops_paging() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let description = "d".repeat(1000);
    let records: Vec<Value> = (0..40)
        .map(|i| {
            record(
                "Case",
                &format!("5006g{i:013}"),
                json!({"Description": description}),
            )
        })
        .collect();
    let first = expect_query(
        &mut server,
        "SELECT Id, Description FROM Case",
        query_answer(Value::Array(records), 4000, Some(NEXT_PAGE)),
    )
    .await;
    let second = expect_next_page(
        &mut server,
        NEXT_PAGE,
        query_answer(json!([]), 4000, None),
        0,
    )
    .await;
    let function = function(Operation::Query, &server);
    let error = invoke(
        &function,
        json!({"query": "SELECT Id, Description FROM Case"}),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, Error::AnswerTooLarge { .. }), "{error:?}");
    assert_eq!(error.error_type(), "AnswerTooLarge");
    assert!(error.to_string().contains("sf_fields"), "{error}");
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn query_too_large_only_after_the_second_page_is_an_error() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let description = "d".repeat(1000);
    let page = |from: usize| -> Value {
        Value::Array(
            (from..from + 20)
                .map(|i| {
                    record(
                        "Case",
                        &format!("5006g{i:013}"),
                        json!({"Description": description}),
                    )
                })
                .collect(),
        )
    };
    let first = expect_query(
        &mut server,
        "SELECT Id, Description FROM Case",
        query_answer(page(0), 40, Some(NEXT_PAGE)),
    )
    .await;
    let second =
        expect_next_page(&mut server, NEXT_PAGE, query_answer(page(20), 40, None), 1).await;
    let function = function(Operation::Query, &server);
    let error = invoke(
        &function,
        json!({"query": "SELECT Id, Description FROM Case"}),
    )
    .await
    .unwrap_err();
    assert_eq!(error.error_type(), "AnswerTooLarge");
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn query_is_retried_after_a_503() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let soql = "SELECT Id FROM Case";
    let unavailable = expect_query_with(
        &mut server,
        soql,
        503,
        r#"[{"message":"Service temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}]"#
            .to_owned(),
        1,
    )
    .await;
    let answered = expect_query_with(
        &mut server,
        soql,
        200,
        query_answer(
            json!([record("Case", "5006g00000AaIs7AAF", json!({}))]),
            1,
            None,
        ),
        1,
    )
    .await;
    let function = function(Operation::Query, &server);
    let answer = invoke(&function, json!({"query": soql})).await.unwrap();
    assert_eq!(
        answer,
        json!({"sf_records_0_Id": "5006g00000AaIs7AAF", "sf_count": "1"})
    );
    unavailable.assert_async().await;
    answered.assert_async().await;
}

#[tokio::test]
async fn query_refuses_bad_input_before_any_request() {
    let cases = [
        (json!({}), "query"),
        (json!({"query": ""}), "query"),
        (json!({"query": "   "}), "query"),
        (
            json!({"query": "select Id from object", "object": "Case WHERE Id != null"}),
            "object",
        ),
        (
            json!({"query": "select field from Case", "field": "Id FROM User --"}),
            "field",
        ),
        (
            json!({"query": "select Id from Case limit n", "n": "5; DELETE"}),
            "n",
        ),
        (
            json!({"query": "select Id from Case where Subject = 'x'", "x": {"nested": 1}}),
            "x",
        ),
        (
            json!({"sf_operation": "queryOne", "query": "select Id from Case"}),
            "sf_operation",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::Query, parameters, named).await;
    }
}

// ---- queryOne ----

#[tokio::test]
async fn query_one_with_exactly_one_record_answers_its_fields() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        "select Id from Contact where Phone LIKE '%5551234567%'",
        query_answer(json!([contact("00303000001RZfIAAW", json!({}))]), 1, None),
    )
    .await;
    let function = function(Operation::QueryOne, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "queryOne",
               "query": "select Id from Contact where Phone LIKE '%number%'",
               "number": "5551234567"}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"Id": "00303000001RZfIAAW", "sf_count": "1"}));
    query.assert_async().await;
}

#[tokio::test]
async fn query_one_with_several_records_answers_the_count_alone() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        "select Id, Name from Contact where LastName = 'Smith'",
        query_answer(
            json!([
                contact("00303000001RZfIAAW", json!({"Name": "Jim Smith"})),
                contact("00303000001RZfIAAE", json!({"Name": "Jo Smith"}))
            ]),
            2,
            None,
        ),
    )
    .await;
    let function = function(Operation::QueryOne, &server);
    let answer = invoke(
        &function,
        json!({"query": "select Id, Name from Contact where LastName = 'name'", "name": "Smith"}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"sf_count": "2"}));
    query.assert_async().await;
}

#[tokio::test]
async fn query_one_with_no_record_answers_zero() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        "select Id from Contact where LastName = 'Nobody'",
        query_answer(json!([]), 0, None),
    )
    .await;
    let function = function(Operation::QueryOne, &server);
    let answer = invoke(
        &function,
        json!({"query": "select Id from Contact where LastName = 'name'", "name": "Nobody"}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"sf_count": "0"}));
    query.assert_async().await;
}
