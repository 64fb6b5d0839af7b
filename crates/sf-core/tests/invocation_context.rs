//! The facts `Salesforce::send` records in an invocation's context: calls, retries,
//! logins after a rejected session, and the API usage Salesforce reports.

mod support;

use mockito::{Matcher, Mock, ServerGuard};
use sf_core::credentials::CredentialsReader;
use sf_core::deadline::{CONNECT_BUDGET, Deadline};
use sf_core::invocation_context::{ApiUsage, InvocationContext};
use sf_core::salesforce::ApiRequest;
use sf_core::{Error, Salesforce};
use support::{CLIENT_CREDENTIALS, TOKEN, config, data_path, token_endpoint};

const SOQL: &str = "SELECT Id FROM Account";

async fn query_answering(server: &mut ServerGuard, status: usize, body: &str) -> Mock {
    server
        .mock("GET", data_path("/query").as_str())
        .match_query(Matcher::UrlEncoded("q".into(), SOQL.into()))
        .with_status(status)
        .with_header("content-type", "application/json")
        .with_header("sforce-limit-info", "api-usage=25/5000")
        .with_body(body)
        .expect(1)
        .create_async()
        .await
}

async fn send(server: &ServerGuard) -> (sf_core::Result<u16>, InvocationContext) {
    let config = config(server, CLIENT_CREDENTIALS);
    let salesforce =
        Salesforce::new(&config, CredentialsReader::with_ssm_client(&config, None)).unwrap();
    let context = InvocationContext::new(Deadline::after(CONNECT_BUDGET));
    let request = ApiRequest::read("query", "/query").with_query("q", SOQL);
    let outcome = salesforce
        .send(&request, &context)
        .await
        .map(|answer| answer.status);
    (outcome, context)
}

const EMPTY: &str = r#"{"totalSize":0,"done":true,"records":[]}"#;

#[tokio::test]
async fn a_rejected_session_counts_a_refresh_and_a_second_login() {
    let mut server = mockito::Server::new_async().await;
    let token = token_endpoint(&mut server, TOKEN).await;
    let rejected = query_answering(
        &mut server,
        401,
        r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#,
    )
    .await;
    let answered = query_answering(&mut server, 200, EMPTY).await;
    let (outcome, context) = send(&server).await;
    assert_eq!(outcome, Ok(200));
    let facts = context.facts();
    assert_eq!(facts.salesforce_calls, 2);
    assert_eq!(facts.token_refreshes, 1);
    assert_eq!(facts.logins, 2);
    assert_eq!(facts.retries, 0);
    assert_eq!(facts.shared_tokens_used, 0);
    assert_eq!(
        facts.api_usage,
        Some(ApiUsage {
            used: 25,
            limit: 5000
        })
    );
    rejected.assert_async().await;
    answered.assert_async().await;
    token.expect(2).assert_async().await;
}

#[tokio::test]
async fn a_repeated_read_counts_a_retry() {
    let mut server = mockito::Server::new_async().await;
    token_endpoint(&mut server, TOKEN).await;
    let unavailable =
        r#"[{"message":"Service temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}]"#;
    query_answering(&mut server, 503, unavailable).await;
    query_answering(&mut server, 503, unavailable).await;
    query_answering(&mut server, 503, unavailable).await;
    let (outcome, context) = send(&server).await;
    assert!(
        matches!(outcome, Err(Error::Salesforce { status: 503, .. })),
        "{outcome:?}"
    );
    let facts = context.facts();
    assert_eq!(facts.salesforce_calls, 3);
    assert_eq!(facts.retries, 2);
    assert_eq!(facts.logins, 1);
    assert_eq!(facts.token_refreshes, 0);
}
