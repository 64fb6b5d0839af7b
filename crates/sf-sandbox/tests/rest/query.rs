//! SOQL over `GET /query?q=`: record shapes, batches behind `nextRecordsUrl`, and
//! refusals.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sf_sandbox::SandboxConfig;

use crate::support::{JANE_AGENT, JIM_SMITH, V, call_json, error_code, query, start, start_with};

#[tokio::test]
async fn query_answers_records_with_attributes_and_parent_fields() {
    let sandbox = start().await;
    let (status, body) = query(
        &sandbox,
        "SELECT Id, Name, Account.Name, Account.Owner.Name FROM Contact WHERE MobilePhone LIKE '%555%987%6543%'",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "totalSize": 1,
            "done": true,
            "records": [{
                "attributes": {"type": "Contact", "url": format!("/services/data/{V}/sobjects/Contact/{JIM_SMITH}")},
                "Id": JIM_SMITH,
                "Name": "Jim Smith",
                "Account": {
                    "attributes": {"type": "Account", "url": format!("/services/data/{V}/sobjects/Account/0018V0000000001QAA")},
                    "Name": "Acme Corporation",
                    "Owner": {
                        "attributes": {"type": "User", "url": format!("/services/data/{V}/sobjects/User/{JANE_AGENT}")},
                        "Name": "Jane Agent",
                    },
                },
            }],
        })
    );
    let (_, orphan) = query(
        &sandbox,
        "SELECT Account.Name FROM Contact WHERE LastName = 'Wei'",
    )
    .await;
    assert_eq!(orphan["records"][0]["Account"], Value::Null);
    let (_, none) = query(&sandbox, "SELECT Id FROM Contact WHERE LastName = 'Nobody'").await;
    assert_eq!(none, json!({"totalSize": 0, "done": true, "records": []}));
}

#[tokio::test]
async fn query_pages_through_next_records_url() {
    let sandbox = start_with(SandboxConfig {
        batch_size: 4,
        ..SandboxConfig::default()
    })
    .await;
    let (status, mut page) = query(&sandbox, "SELECT Id FROM Contact ORDER BY LastName").await;
    assert_eq!(status, StatusCode::OK);
    let total = sandbox.records("Contact").len();
    assert_eq!(page["totalSize"], total);
    let mut seen = Vec::new();
    let token = sandbox.issue_token();
    loop {
        for record in page["records"].as_array().unwrap() {
            seen.push(record["Id"].as_str().unwrap().to_string());
        }
        if page["done"] == true {
            assert!(page.get("nextRecordsUrl").is_none());
            break;
        }
        let next = page["nextRecordsUrl"].as_str().unwrap();
        assert!(
            next.starts_with(&format!("/services/data/{V}/query/01g")),
            "{next}"
        );
        assert_eq!(page["records"].as_array().unwrap().len(), 4);
        page = Client::new()
            .get(format!("{}{next}", sandbox.url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["totalSize"], total);
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (total, total));
}

#[tokio::test]
async fn unknown_query_locator_is_refused() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::GET,
        "/query/01g8V0000000zzzAAA-2000",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_QUERY_LOCATOR");
}

#[tokio::test]
async fn malformed_query_is_refused_with_the_caret_message() {
    let sandbox = start().await;
    let (status, body) = query(&sandbox, "SELECT Id FROM Contact WHERE").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{
            "message": "\nSELECT Id FROM Contact WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'",
            "errorCode": "MALFORMED_QUERY",
        }])
    );
    let (status, body) = call_json(&sandbox, Method::GET, "/query", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "MALFORMED_QUERY");
}

#[tokio::test]
async fn unknown_field_in_query_is_invalid_field() {
    let sandbox = start().await;
    let (status, body) = query(&sandbox, "SELECT Id, Nope FROM Contact").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_FIELD");
    assert!(
        body[0]["message"]
            .as_str()
            .unwrap()
            .contains("No such column 'Nope' on entity 'Contact'")
    );
}

#[tokio::test]
async fn unknown_object_in_query_is_invalid_type() {
    let sandbox = start().await;
    let (status, body) = query(&sandbox, "SELECT Id FROM Nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_TYPE");
    assert!(
        body[0]["message"]
            .as_str()
            .unwrap()
            .contains("sObject type 'Nope' is not supported.")
    );
}

#[tokio::test]
async fn mistyped_filter_value_is_invalid_query_filter_operator() {
    let sandbox = start().await;
    let (status, body) = query(&sandbox, "SELECT Id FROM Case WHERE IsEscalated = 'true'").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_QUERY_FILTER_OPERATOR");
}

/// `Sforce-Query-Options: batchSize=N` sets the batch size, within Salesforce's 200 to
/// 2,000, on the query and on each `nextRecordsUrl` that follows.
#[tokio::test]
async fn the_query_options_header_sets_the_batch_size() {
    let sandbox = start().await;
    for n in 0..450 {
        sandbox
            .insert("Task", json!({"Subject": format!("Batched {n}")}))
            .unwrap();
    }
    let token = sandbox.issue_token();
    let get = |path: String, options: &'static str| {
        Client::new()
            .get(format!("{}{path}", sandbox.url()))
            .bearer_auth(&token)
            .header("Sforce-Query-Options", options)
            .send()
    };
    let soql = "/services/data/v66.0/query?q=SELECT+Id+FROM+Task+WHERE+Subject+LIKE+'Batched%25'";
    let first: Value = get(soql.into(), "batchSize=200")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["totalSize"], 450);
    assert_eq!(first["records"].as_array().unwrap().len(), 200);
    let next = first["nextRecordsUrl"].as_str().unwrap().to_string();
    let second: Value = get(next, "batchSize=200")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["records"].as_array().unwrap().len(), 200);
    let last: Value = get(
        second["nextRecordsUrl"].as_str().unwrap().into(),
        "batchSize=200",
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(last["records"].as_array().unwrap().len(), 50);
    assert_eq!(last["done"], true);
    // Below the minimum is the minimum.
    let small: Value = get(soql.into(), "batchSize=5")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(small["records"].as_array().unwrap().len(), 200);
    // Without the header, the org's batch size (2,000): one batch.
    let (_, all) = query(
        &sandbox,
        "SELECT Id FROM Task WHERE Subject LIKE 'Batched%'",
    )
    .await;
    assert_eq!(all["records"].as_array().unwrap().len(), 450);
    assert_eq!(all["done"], true);
}
