//! searchSOSL and searchOneSOSL through the real sf-search and sf-search-one binaries
//! against the sandbox, which reads the statement as Salesforce's SOSL reference does:
//! replacements find records across objects, a caller's reserved characters search for
//! themselves, and a statement of another form is refused before any request.

use serde_json::json;

use super::{Stack, demo_event, event};

/// The sample org's Account Acme Corporation, its Contact Jim Smith (of Springfield),
/// and the Contact Aoife O'Brien.
const ACME: &str = "0018V0000000001QAA";
const JIM_SMITH: &str = "0038V0000000001QAA";
const OBRIEN: &str = "0038V0000000005QAA";

#[tokio::test]
async fn search_sosl_with_replacements_finds_records_across_objects() {
    let stack = Stack::start("sf-search").await;
    let answer = stack.invoke(demo_event("searchSOSL")).await.answer();
    let account = stack.sandbox.record("Account", ACME).unwrap();
    let contact = stack.sandbox.record("Contact", JIM_SMITH).unwrap();
    assert_eq!(
        answer,
        json!({
            "sf_records_0_Id": ACME,
            "sf_records_0_Name": account["Name"],
            "sf_records_0_Phone": account["Phone"],
            "sf_records_1_Id": JIM_SMITH,
            "sf_records_1_Name": contact["Name"],
            "sf_records_1_Email": contact["Email"],
            "sf_count": "2"
        })
    );
    // The WHERE literal's replacement narrows the Contacts: another city finds none.
    let mut other_city = demo_event("searchSOSL");
    other_city["Details"]["Parameters"]["callerCity"] = json!("Shelbyville");
    let answer = stack.invoke(other_city).await.answer();
    assert_eq!(answer["sf_count"], "1", "{answer}");
    assert_eq!(answer["sf_records_0_Id"], ACME);
}

#[tokio::test]
async fn search_one_sosl_answers_exactly_one_or_the_count() {
    let stack = Stack::start("sf-search-one").await;
    let answer = stack.invoke(demo_event("searchOneSOSL")).await.answer();
    let obrien = stack.sandbox.record("Contact", OBRIEN).unwrap();
    assert_eq!(
        answer,
        json!({
            "Id": OBRIEN,
            "Name": obrien["Name"],
            "Title": obrien["Title"],
            "Email": obrien["Email"],
            "sf_count": "1"
        })
    );

    let several = stack
        .invoke(event(json!({
            "sf_operation": "searchOneSOSL",
            "query": "FIND {words} RETURNING Case(Id, Subject WHERE Status = 'status')",
            "words": "test subject", "status": "New"
        })))
        .await
        .answer();
    let count: usize = several["sf_count"].as_str().unwrap().parse().unwrap();
    assert!(count >= 2, "{several}");
    assert_eq!(several.as_object().unwrap().len(), 1, "{several}");

    let none = stack
        .invoke(event(json!({
            "sf_operation": "searchOneSOSL",
            "query": "FIND {words} RETURNING Contact(Id), Lead(Id)", "words": "Zyzzogeton"
        })))
        .await
        .answer();
    assert_eq!(none, json!({"sf_count": "0"}));
}

/// Unescaped, the caller's `'` or `{` would make Salesforce refuse the statement
/// (MALFORMED_SEARCH), and a `}` would end the search text and let the caller write
/// the rest of the statement; escaped, each searches for itself.
#[tokio::test]
async fn a_callers_reserved_characters_search_for_themselves() {
    let stack = Stack::start("sf-search").await;
    for words in ["O'Brien", "O'Brien {", "Aoife O'Brien}"] {
        let answer = stack
            .invoke(event(json!({
                "sf_operation": "searchSOSL",
                "query": "FIND {words} IN NAME FIELDS RETURNING Contact(Id WHERE LastName = 'last')",
                "words": words, "last": "O'Brien"
            })))
            .await
            .answer();
        assert_eq!(
            answer,
            json!({"sf_records_0_Id": OBRIEN, "sf_count": "1"}),
            "{words}"
        );
    }
    let answer = stack
        .invoke(event(json!({
            "sf_operation": "searchSOSL",
            "query": "FIND {words} RETURNING Contact(Id)",
            "words": "x} RETURNING User(Id, Email) LIMIT 5"
        })))
        .await
        .answer();
    assert_eq!(answer, json!({"sf_count": "0"}));
}

#[tokio::test]
async fn a_statement_of_another_form_names_query_before_any_request() {
    for (function, parameters) in [
        (
            "sf-search",
            json!({"sf_operation": "searchSOSL", "query": "SELECT Id FROM Contact WHERE LastName = 'who'", "who": "Smith"}),
        ),
        (
            "sf-search-one",
            json!({"sf_operation": "searchOneSOSL", "query": "FIND {who} IN NAME FIELDS", "who": "Smith"}),
        ),
    ] {
        let stack = Stack::start(function).await;
        let error = stack.invoke(event(parameters)).await.error();
        let message = error["errorMessage"].as_str().unwrap();
        assert!(message.contains("`query`"), "{function}: {message}");
        assert!(message.contains("FIND {…}"), "{function}: {message}");
        assert_eq!(
            error["errorType"], "InvalidParameter",
            "{function}: {error}"
        );
        assert_eq!(stack.sandbox.stats().data_requests(), 0, "{function}");
    }
}
