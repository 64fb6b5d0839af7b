//! lookup and lookup_all over HTTP: the SOQL each sends and the answer it returns.

mod support;

use mockito::Matcher;
use serde_json::json;
use sf_core::Operation;
use support::*;

async fn expect_query(
    server: &mut mockito::ServerGuard,
    soql: &str,
    body: String,
) -> mockito::Mock {
    server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::UrlEncoded("q".into(), soql.into()))
        .match_header("authorization", bearer(TOKEN).as_str())
        .with_status(200)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body(body)
        .expect(1)
        .create_async()
        .await
}

#[tokio::test]
async fn lookup_answers_the_first_record_and_the_count() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        "SELECT Id FROM Case WHERE CaseNumber = '00001026'",
        query_answer(
            json!([record("Case", "5006g00000AaIs7AAF", json!({}))]),
            1,
            None,
        ),
    )
    .await;
    let function = function(Operation::Lookup, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "lookup", "sf_object": "Case", "sf_fields": "Id", "CaseNumber": "00001026"}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"Id": "5006g00000AaIs7AAF", "sf_count": "1"}));
    token.assert_async().await;
    query.assert_async().await;
}

#[tokio::test]
async fn lookup_all_answers_every_record_with_prefixes() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        "SELECT Id, Name FROM Account WHERE Industry = 'Energy' AND Rating LIKE 'Ho%'",
        query_answer(
            json!([
                record("Account", "5006g00000AaIs7AAF", json!({"Name": "Name0"})),
                record("Account", "5006g00000AaIs7AAE", json!({"Name": "Name1"}))
            ]),
            2,
            None,
        ),
    )
    .await;
    let function = function(Operation::Lookup, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "lookup_all", "sf_object": "Account", "sf_fields": "Id, Name",
               "Industry": "Energy", "Rating": "Ho%"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0_Id": "5006g00000AaIs7AAF",
            "sf_records_0_Name": "Name0",
            "sf_records_1_Id": "5006g00000AaIs7AAE",
            "sf_records_1_Name": "Name1",
            "sf_count": "2"
        })
    );
    query.assert_async().await;
}

#[tokio::test]
async fn lookup_with_several_matches_answers_the_first_and_counts_all() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    expect_query(
        &mut server,
        "SELECT Id, Name, Account.Name, Account.Owner.Name FROM Contact WHERE MobilePhone LIKE '%555%123%4567%'",
        query_answer(
            json!([
                record("Contact", "003000000000001AAA", json!({
                    "Name": "Jim Smith",
                    "Account": {"attributes": {"type": "Account"}, "Name": "Acme",
                                "Owner": {"attributes": {"type": "User"}, "Name": "Ana Owner"}}
                })),
                record("Contact", "003000000000002AAA", json!({"Name": "Jo Smith", "Account": null}))
            ]),
            2,
            None,
        ),
    )
    .await;
    let function = function(Operation::Lookup, &server);
    let answer = invoke(
        &function,
        json!({"sf_object": "Contact", "sf_fields": "Id, Name, Account.Name, Account.Owner.Name",
               "MobilePhone": "+1 (555) 123-4567"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "Id": "003000000000001AAA",
            "Name": "Jim Smith",
            "Account.Name": "Acme",
            "Account.Owner.Name": "Ana Owner",
            "sf_count": "2"
        })
    );
}

#[tokio::test]
async fn lookup_without_conditions_or_matches() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    expect_query(
        &mut server,
        "SELECT Id FROM Case",
        query_answer(json!([]), 0, None),
    )
    .await;
    let function = function(Operation::Lookup, &server);
    let answer = invoke(&function, json!({"sf_object": "Case", "sf_fields": "Id"}))
        .await
        .unwrap();
    assert_eq!(answer, json!({"sf_count": "0"}));
}

#[tokio::test]
async fn customer_input_is_escaped_not_obeyed() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let query = expect_query(
        &mut server,
        r"SELECT Id FROM Contact WHERE LastName = 'x\' OR LastName != \'' AND Title = 'a\\b'",
        query_answer(json!([]), 0, None),
    )
    .await;
    let function = function(Operation::Lookup, &server);
    invoke(
        &function,
        json!({"sf_object": "Contact", "sf_fields": "Id", "LastName": "x' OR LastName != '", "Title": "a\\b"}),
    )
    .await
    .unwrap();
    query.assert_async().await;
}

#[tokio::test]
async fn json_response_format_keeps_relationships_nested() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    expect_query(
        &mut server,
        "SELECT Id, Account.Name FROM Contact WHERE Email = 'jim@example.com'",
        query_answer(
            json!([record(
                "Contact",
                "003000000000001AAA",
                json!({"Account": {"attributes": {}, "Name": "Acme"}})
            )]),
            1,
            None,
        ),
    )
    .await;
    let function = function(Operation::Lookup, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "lookup_all", "sf_object": "Contact", "sf_fields": "Id, Account.Name",
               "Email": "jim@example.com", "sf_response_format": "json"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({"sf_records_0": {"Id": "003000000000001AAA", "Account": {"Name": "Acme"}}, "sf_count": "1"})
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let cases = [
        (json!({"sf_fields": "Id"}), "sf_object"),
        (json!({"sf_object": "Case"}), "sf_fields"),
        (json!({"sf_object": "", "sf_fields": "Id"}), "sf_object"),
        (
            json!({"sf_object": "Case WHERE", "sf_fields": "Id"}),
            "sf_object",
        ),
        (
            json!({"sf_object": "Case", "sf_fields": "Id FROM User --"}),
            "sf_fields",
        ),
        (
            json!({"sf_object": "Case", "sf_fields": "Id", "Subject = 'x' OR Id": "y"}),
            "Subject = 'x' OR Id",
        ),
        (
            json!({"sf_object": "Case", "sf_fields": "Id", "Subject": {"nested": true}}),
            "Subject",
        ),
        (
            json!({"sf_object": "Case", "sf_fields": "Id", "MobilePhone": "123"}),
            "MobilePhone",
        ),
        (
            json!({"sf_operation": "create", "sf_object": "Case", "sf_fields": "Id"}),
            "sf_operation",
        ),
        (
            json!({"sf_object": "Case", "sf_fields": "Id", "sf_response_format": "xml"}),
            "sf_response_format",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::Lookup, parameters, named).await;
    }
}

#[tokio::test]
async fn a_query_error_names_salesforces_code() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::Any)
        .with_status(400)
        .with_body(
            r#"[{"message":"\nSELECT Id, Foo FROM Case\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Case'.","errorCode":"INVALID_FIELD"}]"#,
        )
        .create_async()
        .await;
    let function = function(Operation::Lookup, &server);
    let error = invoke(
        &function,
        json!({"sf_object": "Case", "sf_fields": "Id, Foo"}),
    )
    .await
    .unwrap_err();
    assert_eq!(error.error_type(), "SalesforceError");
    assert!(error.to_string().contains("INVALID_FIELD: "), "{error}");
    assert!(
        error.to_string().contains("No such column 'Foo'"),
        "{error}"
    );
}
