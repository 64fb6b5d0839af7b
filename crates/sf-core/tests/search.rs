//! search, searchOne and phoneLookup over HTTP: the parameterized search each sends and
//! the answer it returns.

mod support;

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use sf_core::{Error, Operation};
use support::*;

/// A `POST /parameterizedSearch` with exactly `body`, answered with `records`.
async fn expect_search(server: &mut ServerGuard, body: Value, records: Value) -> Mock {
    server
        .mock("POST", data_path("/parameterizedSearch").as_str())
        .match_header("authorization", bearer(TOKEN).as_str())
        .match_header("content-type", "application/json")
        .match_body(Matcher::Json(body))
        .with_status(200)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body(json!({"searchRecords": records, "metadata": {}}).to_string())
        .expect(1)
        .create_async()
        .await
}

fn case(id: &str, subject: &str) -> Value {
    record("Case", id, json!({"Subject": subject, "Status": "New"}))
}

// ---- search ----

#[tokio::test]
async fn search_sends_the_default_limit_and_answers_the_documented_records() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({
            "q": "test subject",
            "fields": ["Id", "Subject", "Status"],
            "sobjects": [{"name": "Case", "where": "Status = 'New'"}],
            "overallLimit": 100
        }),
        json!([
            case("50001000001B9e6AAG", "test subject"),
            case("50001000001B9eWAAS", "test subject"),
            case("50001000001BDgiAAG", "test subject")
        ]),
    )
    .await;
    let function = function(Operation::Search, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "search", "q": "test subject", "sf_fields": "Id, Subject ,Status",
               "sf_object": "Case", "where": "Status = 'New'"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0_Id": "50001000001B9e6AAG",
            "sf_records_0_Subject": "test subject",
            "sf_records_0_Status": "New",
            "sf_records_1_Id": "50001000001B9eWAAS",
            "sf_records_1_Subject": "test subject",
            "sf_records_1_Status": "New",
            "sf_records_2_Id": "50001000001BDgiAAG",
            "sf_records_2_Subject": "test subject",
            "sf_records_2_Status": "New",
            "sf_count": "3"
        })
    );
    token.assert_async().await;
    search.assert_async().await;
}

#[tokio::test]
async fn search_sends_the_given_limit_and_no_where_when_absent() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({
            "q": "Acme",
            "fields": ["Id", "Name"],
            "sobjects": [{"name": "Account"}],
            "overallLimit": 5
        }),
        json!([record(
            "Account",
            "001000000000001AAA",
            json!({"Name": "Acme"})
        )]),
    )
    .await;
    let function = function(Operation::Search, &server);
    let answer = invoke(
        &function,
        json!({"q": "Acme", "sf_fields": "Id, Name", "sf_object": "Account", "overallLimit": "5"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({"sf_records_0_Id": "001000000000001AAA", "sf_records_0_Name": "Acme", "sf_count": "1"})
    );
    search.assert_async().await;
}

#[tokio::test]
async fn search_with_no_match_answers_zero() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({"q": "nothing", "fields": ["Id"], "sobjects": [{"name": "Case"}], "overallLimit": 100}),
        json!([]),
    )
    .await;
    let function = function(Operation::Search, &server);
    let answer = invoke(
        &function,
        json!({"q": "nothing", "sf_fields": "Id", "sf_object": "Case"}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"sf_count": "0"}));
    search.assert_async().await;
}

#[tokio::test]
async fn search_refuses_bad_input_before_any_request() {
    let base = || json!({"q": "test", "sf_fields": "Id", "sf_object": "Case"});
    let with = |name: &str, value: Value| {
        let mut parameters = base();
        parameters[name] = value;
        parameters
    };
    let without = |name: &str| {
        let mut parameters = base();
        parameters.as_object_mut().unwrap().remove(name);
        parameters
    };
    let cases = [
        (with("overallLimit", json!("0")), "overallLimit"),
        (with("overallLimit", json!("abc")), "overallLimit"),
        (with("overallLimit", json!("2001")), "overallLimit"),
        (with("overallLimit", json!("-5")), "overallLimit"),
        (without("q"), "q"),
        (with("q", json!("")), "q"),
        (without("sf_fields"), "sf_fields"),
        (with("sf_fields", json!("Id FROM User")), "sf_fields"),
        (without("sf_object"), "sf_object"),
        (with("sf_object", json!("Case WHERE")), "sf_object"),
        (with("sf_operation", json!("searchOne")), "sf_operation"),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::Search, parameters, named).await;
    }
}

// ---- searchOne ----

#[tokio::test]
async fn search_one_with_one_match_answers_its_fields_without_a_limit() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({
            "q": "test subject unique",
            "fields": ["Id", "Subject", "Status"],
            "sobjects": [{"name": "Case", "where": "Status = 'New'"}]
        }),
        json!([case("50001000001BIn6AAG", "test subject unique")]),
    )
    .await;
    let function = function(Operation::SearchOne, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "searchOne", "q": "test subject unique",
               "sf_fields": "Id, Subject, Status", "sf_object": "Case", "where": "Status = 'New'"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({
            "Id": "50001000001BIn6AAG",
            "Subject": "test subject unique",
            "Status": "New",
            "sf_count": "1"
        })
    );
    search.assert_async().await;
}

#[tokio::test]
async fn search_one_with_several_matches_answers_the_count_alone() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({
            "q": "test subject",
            "fields": ["Id", "Subject", "Status"],
            "sobjects": [{"name": "Case"}]
        }),
        json!([
            case("50001000001B9e6AAG", "test subject"),
            case("50001000001B9eWAAS", "test subject")
        ]),
    )
    .await;
    let function = function(Operation::SearchOne, &server);
    let answer = invoke(
        &function,
        json!({"q": "test subject", "sf_fields": "Id, Subject, Status", "sf_object": "Case"}),
    )
    .await
    .unwrap();
    assert_eq!(answer, json!({"sf_count": "2"}));
    search.assert_async().await;
}

// ---- phoneLookup ----

#[tokio::test]
async fn phone_lookup_searches_the_national_number_and_answers_as_documented() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({"q": "1122334455", "in": "PHONE", "fields": ["Id", "Name"],
               "sobjects": [{"name": "Contact"}]}),
        json!([record(
            "Contact",
            "5006g00000BLqurAAD",
            json!({"Name": "Jim Smith"})
        )]),
    )
    .await;
    let function = function(Operation::PhoneLookup, &server);
    let answer = invoke(
        &function,
        json!({"sf_operation": "phoneLookup", "sf_phone": "+441122334455", "sf_fields": "Id, Name"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({"Id": "5006g00000BLqurAAD", "sf_count": "1", "Name": "Jim Smith"})
    );
    token.assert_async().await;
    search.assert_async().await;
}

#[tokio::test]
async fn phone_lookup_answers_the_first_match_and_counts_all() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({"q": "5551234567", "in": "PHONE", "fields": ["Id", "Name"],
               "sobjects": [{"name": "Contact"}]}),
        json!([
            record(
                "Contact",
                "003000000000001AAA",
                json!({"Name": "Jim Smith"})
            ),
            record("Contact", "003000000000002AAA", json!({"Name": "Jo Smith"}))
        ]),
    )
    .await;
    let function = function(Operation::PhoneLookup, &server);
    let answer = invoke(
        &function,
        json!({"sf_phone": "+15551234567", "sf_fields": "Id,Name"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({"Id": "003000000000001AAA", "Name": "Jim Smith", "sf_count": "2"})
    );
    search.assert_async().await;
}

#[tokio::test]
async fn phone_lookup_honours_sf_object() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let search = expect_search(
        &mut server,
        json!({"q": "1122334455", "in": "PHONE", "fields": ["Id", "Company"],
               "sobjects": [{"name": "Lead"}]}),
        json!([record(
            "Lead",
            "00Q000000000001AAA",
            json!({"Company": "Acme"})
        )]),
    )
    .await;
    let function = function(Operation::PhoneLookup, &server);
    let answer = invoke(
        &function,
        json!({"sf_phone": "+441122334455", "sf_fields": "Id, Company", "sf_object": "Lead"}),
    )
    .await
    .unwrap();
    assert_eq!(
        answer,
        json!({"Id": "00Q000000000001AAA", "Company": "Acme", "sf_count": "1"})
    );
    search.assert_async().await;
}

#[tokio::test]
async fn phone_lookup_of_a_withheld_or_unusable_number_answers_zero_without_any_request() {
    for phone in [
        json!("anonymous"),
        json!("Anonymous"),
        json!(""),
        json!("garbage"),
        json!(null),
    ] {
        let mut server = mockito::Server::new_async().await;
        let forbidden = forbid_requests(&mut server).await;
        let function = function(Operation::PhoneLookup, &server);
        let answer = invoke(
            &function,
            json!({"sf_phone": phone, "sf_fields": "Id, Name"}),
        )
        .await
        .unwrap_or_else(|error| panic!("{phone}: {error}"));
        assert_eq!(answer, json!({"sf_count": "0"}), "{phone}");
        assert_all(&forbidden);
    }
}

#[tokio::test]
async fn phone_lookup_refuses_bad_input_before_any_request() {
    let cases = [
        (json!({"sf_fields": "Id"}), "sf_phone"),
        (json!({"sf_phone": "+441122334455"}), "sf_fields"),
        (
            json!({"sf_phone": "+441122334455", "sf_fields": "Id; x"}),
            "sf_fields",
        ),
        (
            json!({"sf_phone": "+441122334455", "sf_fields": "Id", "sf_object": "Lead x"}),
            "sf_object",
        ),
        (json!({"sf_phone": {"n": 1}, "sf_fields": "Id"}), "sf_phone"),
        (
            json!({"sf_operation": "lookup", "sf_phone": "+441122334455", "sf_fields": "Id"}),
            "sf_operation",
        ),
    ];
    for (parameters, named) in cases {
        assert_refused(Operation::PhoneLookup, parameters, named).await;
    }
    // A missing number is the flow's mistake, not a withheld caller.
    let mut server = mockito::Server::new_async().await;
    let forbidden = forbid_requests(&mut server).await;
    let error = invoke(
        &function(Operation::PhoneLookup, &server),
        json!({"sf_fields": "Id, Name"}),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, Error::MissingParameter { .. }), "{error:?}");
    assert_eq!(error.error_type(), "MissingParameter");
    assert!(error.to_string().contains("`sf_phone`"), "{error}");
    assert_all(&forbidden);
}
