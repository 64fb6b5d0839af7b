//! Every function, run as its real binary through the Lambda Runtime API, against the
//! local Salesforce sandbox: the documented example of each operation (the events in
//! `events/`, the same `make demo` sends), the error path of each, and the recoveries
//! that matter in a live contact centre. The fault suite is in `faults`, the logs and
//! secrets checks in `logs`, the metric lines in `metrics`, Salesforce's own rules
//! (search text, unquoted dates, names in URL paths, LIKE wildcards) in
//! `salesforce_rules`, the SOSL statements of searchSOSL and searchOneSOSL in
//! `search_sosl`.

mod faults;
mod logs;
mod metrics;
mod salesforce_rules;
mod search_sosl;

use serde_json::{Value, json};
use sf_sandbox::Fault;
use sf_test_kit::{Moto, Stack, demo_event, demo_lookup_answer, event, sandbox_credentials};

#[tokio::test]
async fn lookup_answers_the_case_with_relationship_fields() {
    let stack = Stack::start("sf-lookup").await;
    let answer = stack.invoke(demo_event("lookup")).await.answer();
    assert_eq!(answer, demo_lookup_answer());
}

#[tokio::test]
async fn lookup_all_answers_every_match() {
    let stack = Stack::start("sf-lookup").await;
    let answer = stack
        .invoke(event(
            json!({"sf_operation": "lookup_all", "sf_object": "Case", "sf_fields": "Id",
                              "ContactId": "0038V0000000001QAA", "Status": "New"}),
        ))
        .await
        .answer();
    let expected: Vec<Value> = stack
        .sandbox
        .records("Case")
        .into_iter()
        .filter(|case| case["ContactId"] == "0038V0000000001QAA" && case["Status"] == "New")
        .collect();
    assert!(
        expected.len() >= 2,
        "the sample org has several new cases for Jim"
    );
    assert_eq!(answer["sf_count"], expected.len().to_string());
    for (index, case) in expected.iter().enumerate() {
        assert_eq!(answer[format!("sf_records_{index}_Id")], case["Id"]);
    }
}

#[tokio::test]
async fn create_makes_the_case_and_answers_its_id() {
    let stack = Stack::start("sf-create").await;
    let answer = stack.invoke(demo_event("create")).await.answer();
    let id = answer["Id"].as_str().unwrap();
    assert!(id.starts_with("500") && id.len() == 18, "{answer}");
    assert_eq!(answer.as_object().unwrap().len(), 1);
    let case = stack.sandbox.record("Case", id).unwrap();
    assert_eq!(case["Subject"], "Caller reported a broken widget");
    assert_eq!(case["ContactId"], "0038V0000000001QAA");
}

#[tokio::test]
async fn create_resolves_relative_dates() {
    let stack = Stack::start("sf-create").await;
    let answer = stack
        .invoke(event(
            json!({"sf_object": "Task", "Subject": "Call back", "ActivityDate": "1d|date",
                              "WhoId": "0038V0000000001QAA"}),
        ))
        .await
        .answer();
    let task = stack
        .sandbox
        .record("Task", answer["Id"].as_str().unwrap())
        .unwrap();
    let date = task["ActivityDate"].as_str().unwrap();
    assert!(date.len() == 10 && date.as_bytes()[4] == b'-', "{date}");
}

#[tokio::test]
async fn update_sets_the_fields_and_answers_204() {
    let stack = Stack::start("sf-update").await;
    let answer = stack.invoke(demo_event("update")).await.answer();
    assert_eq!(answer, json!({"Status": "204"}));
    let case = stack.sandbox.record("Case", "5008V0000000002QAA").unwrap();
    assert_eq!(case["Status"], "Escalated");
    assert_eq!(case["IsEscalated"], true);
}

#[tokio::test]
async fn phone_lookup_finds_the_caller_in_any_punctuation() {
    let stack = Stack::start("sf-phone-lookup").await;
    let answer = stack.invoke(demo_event("phoneLookup")).await.answer();
    assert_eq!(
        answer,
        json!({"Id": "0038V0000000001QAA", "Name": "Jim Smith", "Email": "jim.smith@acme.example",
               "Account.Name": "Acme Corporation", "sf_count": "1"})
    );
    let anonymous = stack
        .invoke(event(json!({"sf_phone": "anonymous", "sf_fields": "Id"})))
        .await
        .answer();
    assert_eq!(anonymous, json!({"sf_count": "0"}));
}

#[tokio::test]
async fn delete_removes_the_record() {
    let stack = Stack::start("sf-delete").await;
    assert!(stack.sandbox.record("Task", "00T8V0000000003UAA").is_some());
    let answer = stack.invoke(demo_event("delete")).await.answer();
    assert_eq!(answer, json!({"Response": "None"}));
    assert!(stack.sandbox.record("Task", "00T8V0000000003UAA").is_none());
}

#[tokio::test]
async fn query_substitutes_parameters_and_answers_every_record() {
    let stack = Stack::start("sf-query").await;
    let answer = stack.invoke(demo_event("query")).await.answer();
    let mut expected: Vec<Value> = stack
        .sandbox
        .records("Case")
        .into_iter()
        .filter(|case| case["ContactId"] == "0038V0000000001QAA" && case["Status"] == "New")
        .collect();
    expected.sort_by_key(|case| case["CaseNumber"].as_str().unwrap().to_owned());
    assert_eq!(answer["sf_count"], expected.len().to_string());
    for (index, case) in expected.iter().enumerate() {
        assert_eq!(answer[format!("sf_records_{index}_Id")], case["Id"]);
        assert_eq!(
            answer[format!("sf_records_{index}_CaseNumber")],
            case["CaseNumber"]
        );
    }
}

#[tokio::test]
async fn query_one_answers_the_single_match() {
    let stack = Stack::start("sf-query-one").await;
    let answer = stack.invoke(demo_event("queryOne")).await.answer();
    assert_eq!(
        answer,
        json!({"Id": "0038V0000000002QAA", "Name": "Olivia Brown", "Title": "Finance Director", "sf_count": "1"})
    );
}

#[tokio::test]
async fn chatter_post_and_comment() {
    let stack = Stack::start("sf-create-chatter-post").await;
    let answer = stack.invoke(demo_event("createChatterPost")).await.answer();
    let id = answer["Id"].as_str().unwrap();
    assert!(id.starts_with("0D5"), "{answer}");
    let post = stack.sandbox.record("FeedItem", id).unwrap();
    assert!(
        post.to_string()
            .contains("My contact id is 5ca32fbd-8f92-46af-92a5-6b0f970f0efe."),
        "{post}"
    );

    let stack = Stack::start("sf-create-chatter-comment").await;
    let answer = stack
        .invoke(demo_event("createChatterComment"))
        .await
        .answer();
    let id = answer["Id"].as_str().unwrap();
    assert!(id.starts_with("0D7"), "{answer}");
    let comment = stack.sandbox.record("FeedComment", id).unwrap();
    assert!(comment.to_string().contains("case 00001001."), "{comment}");
}

#[tokio::test]
async fn search_and_search_one() {
    let stack = Stack::start("sf-search").await;
    let answer = stack.invoke(demo_event("search")).await.answer();
    let count: usize = answer["sf_count"].as_str().unwrap().parse().unwrap();
    assert!(count >= 1, "{answer}");
    for index in 0..count {
        assert_eq!(answer[format!("sf_records_{index}_Status")], "New");
        let subject = answer[format!("sf_records_{index}_Subject")]
            .as_str()
            .unwrap();
        assert!(subject.contains("test subject"), "{answer}");
    }

    let stack = Stack::start("sf-search-one").await;
    let answer = stack.invoke(demo_event("searchOne")).await.answer();
    assert_eq!(answer["Id"], "0018V0000000002QAA", "{answer}");
    assert_eq!(answer["Name"], "Globex Ltd");
    assert_eq!(answer["sf_count"], "1");
}

/// Each function with an event it must refuse: the Error branch, a message naming the
/// parameter, and not one request to Salesforce.
#[tokio::test]
async fn every_function_refuses_bad_input_before_calling_salesforce() {
    let cases = [
        ("sf-lookup", json!({"sf_fields": "Id"}), "sf_object"),
        (
            "sf-create",
            json!({"sf_object": "Case; DROP", "Subject": "x"}),
            "sf_object",
        ),
        (
            "sf-update",
            json!({"sf_object": "Case", "sf_id": "../../x", "Status": "New"}),
            "sf_id",
        ),
        (
            "sf-phone-lookup",
            json!({"sf_phone": "+15551234567"}),
            "sf_fields",
        ),
        ("sf-delete", json!({"sf_object": "Case"}), "sf_id"),
        (
            "sf-query",
            json!({"query": "select Id from obj", "obj": "Case WHERE Id != null"}),
            "obj",
        ),
        (
            "sf-query-one",
            json!({"queryText": "select Id from Case"}),
            "query",
        ),
        (
            "sf-create-chatter-post",
            json!({"sf_feedElementType": "FeedItem", "sf_subjectId": "me",
            "sf_messageType": "Text", "sf_message": "case {{caseId"}),
            "sf_message",
        ),
        (
            "sf-create-chatter-comment",
            json!({"sf_feedElementId": "0D58V0000000001SAA",
            "sf_commentMessage": "hi"}),
            "sf_commentType",
        ),
        (
            "sf-search",
            json!({"q": "x", "sf_fields": "Id", "sf_object": "Case", "overallLimit": "lots"}),
            "overallLimit",
        ),
        (
            "sf-search-one",
            json!({"sf_operation": "search", "q": "x", "sf_fields": "Id", "sf_object": "Case"}),
            "sf_operation",
        ),
    ];
    for (function, parameters, named) in cases {
        let stack = Stack::start(function).await;
        let error = stack.invoke(event(parameters)).await.error();
        let message = error["errorMessage"].as_str().unwrap();
        assert!(
            message.contains(&format!("`{named}`")),
            "{function}: {message}"
        );
        assert!(
            matches!(
                error["errorType"].as_str(),
                Some("MissingParameter" | "InvalidParameter")
            ),
            "{function}: {error}"
        );
        assert_eq!(stack.sandbox.stats().data_requests(), 0, "{function}");
    }
}

/// An event nested deeper than JSON parsers allow (serde_json stops at 128 levels) is
/// refused by the runtime before the handler, and the container lives on.
#[tokio::test]
async fn an_event_nested_too_deep_is_an_error_not_a_crash() {
    let stack = Stack::start("sf-create").await;
    let deep = (0..200).fold(json!("x"), |inner, _| json!([inner]));
    let error = stack
        .invoke(event(json!({"sf_object": "Case", "Subject": deep})))
        .await
        .error();
    assert!(error["errorMessage"].is_string(), "{error}");
    assert_eq!(stack.sandbox.stats().data_requests(), 0);
    stack.invoke(demo_event("create")).await.answer();
}

#[tokio::test]
async fn salesforce_errors_reach_the_flow_with_their_code() {
    let stack = Stack::start("sf-lookup").await;
    let error = stack
        .invoke(event(
            json!({"sf_object": "Case", "sf_fields": "Id, NoSuchField__c"}),
        ))
        .await
        .error();
    assert_eq!(error["errorType"], "SalesforceError");
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("INVALID_FIELD"),
        "{error}"
    );
}

#[tokio::test]
async fn an_expired_token_is_replaced_mid_run() {
    let stack = Stack::start("sf-lookup").await;
    stack.invoke(demo_event("lookup")).await.answer();
    stack.sandbox.faults().expire_tokens();
    let answer = stack.invoke(demo_event("lookup")).await.answer();
    assert_eq!(answer["Id"], "5008V0000000001QAA");
    assert_eq!(stack.sandbox.stats().token_requests(), 2);
}

#[tokio::test]
async fn a_read_is_retried_after_a_503() {
    let stack = Stack::start("sf-lookup").await;
    stack.invoke(demo_event("lookup")).await.answer();
    stack.sandbox.faults().fail_next(1, 503);
    let answer = stack.invoke(demo_event("lookup")).await.answer();
    assert_eq!(answer["Id"], "5008V0000000001QAA");
    assert_eq!(stack.sandbox.stats().requests("GET", "/query"), 3);
}

#[tokio::test]
async fn a_write_is_never_repeated() {
    let stack = Stack::start("sf-create").await;
    let cases_before = stack.sandbox.records("Case").len();
    stack
        .sandbox
        .faults()
        .inject_next(1, Fault::DropConnectionAfterProcessing);
    let error = stack.invoke(demo_event("create")).await.error();
    assert_eq!(error["errorType"], "Unreachable", "{error}");
    assert_eq!(stack.sandbox.stats().requests("POST", "/sobjects/Case"), 1);
    // The write landed once; Connect's own retry is the flow's decision.
    assert_eq!(stack.sandbox.records("Case").len(), cases_before + 1);

    stack.sandbox.faults().fail_next(1, 503);
    let error = stack.invoke(demo_event("create")).await.error();
    assert_eq!(error["errorType"], "SalesforceError", "{error}");
    assert_eq!(stack.sandbox.stats().requests("POST", "/sobjects/Case"), 2);
}

#[tokio::test]
async fn credentials_from_ssm_and_from_a_secrets_manager_reference() {
    let moto = Moto::start();
    let password_flow = sandbox_credentials::password();
    moto.put_parameter("/connect/salesforce", &password_flow)
        .await;
    moto.create_secret("connect/sfInvokeAPI", &password_flow)
        .await;
    for parameter in [
        "/connect/salesforce",
        "/aws/reference/secretsmanager/connect/sfInvokeAPI",
    ] {
        let env = moto.aws_env().credentials_parameter(parameter);
        let stack = Stack::start_with("sf-phone-lookup", env).await;
        let answer = stack.invoke(demo_event("phoneLookup")).await.answer();
        assert_eq!(answer["Name"], "Jim Smith", "{parameter}: {answer}");
        assert_eq!(stack.sandbox.stats().token_requests(), 1);
    }
}

#[tokio::test]
async fn a_missing_parameter_is_reported_and_recovered_from() {
    let moto = Moto::start();
    let env = moto.aws_env().credentials_parameter("/connect/later");
    let stack = Stack::start_with("sf-lookup", env).await;
    let error = stack.invoke(demo_event("lookup")).await.error();
    assert_eq!(error["errorType"], "CredentialsError");
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("`/connect/later`"),
        "{error}"
    );
    moto.put_parameter("/connect/later", &sandbox_credentials::client_credentials())
        .await;
    let answer = stack.invoke(demo_event("lookup")).await.answer();
    assert_eq!(answer["Id"], "5008V0000000001QAA");
}
