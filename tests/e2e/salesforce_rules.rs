//! Salesforce's own rules, through the real binaries against the sandbox: what a real
//! org would refuse or misread is escaped, written as SOQL requires, or refused before
//! any request. Each test is written against Salesforce's documented behaviour (the SOSL
//! FIND reference, SOQL's date formats and LIKE, the REST sObject resources, the OAuth
//! token endpoint's rules for each flow, time fields).

use serde_json::{Value, json};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use sf_test_kit::{Env, FunctionProcess, RuntimeApi, demo_event, sandbox_credentials};

use super::{Stack, event};

/// The `Id`s of a multi-record answer, in order.
fn ids(answer: &Value) -> Vec<String> {
    let count: usize = answer["sf_count"].as_str().unwrap().parse().unwrap();
    (0..count)
        .map(|index| {
            answer[format!("sf_records_{index}_Id")]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// The sample org's Contact Aoife O'Brien.
const OBRIEN: &str = "0038V0000000005QAA";

/// Search text with SOSL's reserved characters searches for itself: `O'Brien` finds
/// O'Brien, and a reference with a hyphen finds the case that holds it, where the
/// unescaped `'` or `-` would be an error or an operator at Salesforce.
#[tokio::test]
async fn search_text_with_reserved_characters_searches_for_itself() {
    let stack = Stack::start("sf-search-one").await;
    let answer = stack
        .invoke(event(json!({
            "q": "O'Brien", "sf_fields": "Id, LastName", "sf_object": "Contact"
        })))
        .await
        .answer();
    assert_eq!(
        answer,
        json!({"Id": OBRIEN, "LastName": "O'Brien", "sf_count": "1"})
    );

    let stack = Stack::start("sf-search").await;
    let case = stack
        .sandbox
        .insert(
            "Case",
            json!({"Subject": "Parcel AB-123 arrived damaged", "Status": "New"}),
        )
        .unwrap();
    let answer = stack
        .invoke(event(json!({
            "q": "AB-123", "sf_fields": "Id, Subject", "sf_object": "Case"
        })))
        .await
        .answer();
    assert_eq!(ids(&answer), [case], "{answer}");
}

/// A search syntax the function does not know is refused before any request.
#[tokio::test]
async fn an_unknown_search_syntax_is_refused() {
    let stack = Stack::start("sf-search").await;
    let error = stack
        .invoke(event(json!({
            "q": "Smith", "sf_fields": "Id", "sf_object": "Contact", "sf_search_syntax": "lucene"
        })))
        .await
        .error();
    assert_eq!(error["errorType"], "InvalidParameter", "{error}");
    let message = error["errorMessage"].as_str().unwrap();
    assert!(message.contains("`sf_search_syntax`"), "{message}");
    assert_eq!(stack.sandbox.stats().data_requests(), 0);
}

/// Dates, dateTimes with a zone and null stand unquoted in a query, as SOQL requires,
/// and filter by what they say.
#[tokio::test]
async fn query_replacements_take_dates_and_null_unquoted() {
    let stack = Stack::start("sf-query").await;
    // 10:12 at +01:00 is 09:12 UTC: the contacts created after it, with an email.
    let answer = stack
        .invoke(event(json!({
            "query": "SELECT Id FROM Contact WHERE CreatedDate > since AND Email != email",
            "since": "2024-05-03T10:12:00.000+01:00",
            "email": null
        })))
        .await
        .answer();
    let expected: Vec<String> = stack
        .sandbox
        .records("Contact")
        .into_iter()
        .filter(|contact| {
            contact["CreatedDate"].as_str().unwrap() > "2024-05-03T09:12:00.000+0000"
                && contact.get("Email").is_some_and(|email| !email.is_null())
        })
        .map(|contact| contact["Id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty(), "the sample org has such contacts");
    let mut found = ids(&answer);
    found.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(found, expected, "{answer}");
    assert!(found.contains(&OBRIEN.to_owned()));

    let stack = Stack::start("sf-query-one").await;
    let born = stack
        .sandbox
        .records("Contact")
        .into_iter()
        .find(|contact| contact.get("Birthdate").is_some_and(Value::is_string))
        .expect("the sample org has a contact with a birthdate");
    let answer = stack
        .invoke(event(json!({
            "query": "SELECT Id FROM Contact WHERE Birthdate = day",
            "day": born["Birthdate"]
        })))
        .await
        .answer();
    assert_eq!(answer, json!({"Id": born["Id"], "sf_count": "1"}));
}

/// A date followed by a clause is refused, naming the replacement, before any request.
#[tokio::test]
async fn a_date_with_a_clause_is_refused() {
    let stack = Stack::start("sf-query").await;
    let error = stack
        .invoke(event(json!({
            "query": "SELECT Id FROM Contact WHERE CreatedDate > since",
            "since": "2024-05-01 OR Id != null"
        })))
        .await
        .error();
    assert_eq!(error["errorType"], "InvalidParameter", "{error}");
    assert!(
        error["errorMessage"].as_str().unwrap().contains("`since`"),
        "{error}"
    );
    assert_eq!(stack.sandbox.stats().data_requests(), 0);
}

/// `Case.xml` would make Salesforce write the record and answer in XML: refused, and
/// nothing is written.
#[tokio::test]
async fn an_object_with_a_format_suffix_is_refused_and_nothing_is_written() {
    let stack = Stack::start("sf-create").await;
    let cases_before = stack.sandbox.records("Case").len();
    let error = stack
        .invoke(event(json!({"sf_object": "Case.xml", "Subject": "x"})))
        .await
        .error();
    assert_eq!(error["errorType"], "InvalidParameter", "{error}");
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("`sf_object`"),
        "{error}"
    );
    assert_eq!(stack.sandbox.stats().data_requests(), 0);
    assert_eq!(stack.sandbox.records("Case").len(), cases_before);
}

/// In a lookup value holding `%`, only `%` is a wildcard: `jim_smith%` does not match
/// `jimxsmith…`.
#[tokio::test]
async fn a_lookup_like_matches_underscore_only_as_itself() {
    let stack = Stack::start("sf-lookup").await;
    let underscore = stack
        .sandbox
        .insert(
            "Contact",
            json!({"LastName": "Underscore", "Email": "jim_smith@rules.example"}),
        )
        .unwrap();
    stack
        .sandbox
        .insert(
            "Contact",
            json!({"LastName": "Lookalike", "Email": "jimxsmith@rules.example"}),
        )
        .unwrap();
    let answer = stack
        .invoke(event(json!({
            "sf_operation": "lookup_all", "sf_object": "Contact", "sf_fields": "Id",
            "Email": "jim_smith%"
        })))
        .await
        .answer();
    assert_eq!(ids(&answer), [underscore], "{answer}");
}

/// The client credentials flow at the generic login server, which Salesforce refuses
/// for that grant ("request not supported on this domain"), is a configuration error
/// naming `SF_LOGIN_URL` and saying what to put there; the container stays up for the
/// fix in SSM, and nothing is sent anywhere.
#[tokio::test]
async fn client_credentials_at_the_generic_login_server_are_refused_naming_sf_login_url() {
    let api = RuntimeApi::start().await;
    let function = FunctionProcess::start(
        "sf-lookup",
        api.address(),
        &Env::new()
            .credentials(sandbox_credentials::client_credentials())
            .login_url("https://login.salesforce.com"),
    );
    let error = api.invoke(demo_event("lookup")).await.error();
    assert_eq!(error["errorType"], "ConfigurationError", "{error}");
    let message = error["errorMessage"].as_str().unwrap();
    assert!(message.contains("SF_LOGIN_URL"), "{message}");
    assert!(
        message.contains("https://<your-domain>.my.salesforce.com"),
        "{message}"
    );
    assert!(!message.contains("sandbox-consumer-secret"), "{message}");
    assert!(api.init_error().is_none(), "the container must not be lost");
    drop(function);
}

/// A login URL that answers with a redirect (a Lightning host, say) is not followed:
/// the token request would carry the credentials to wherever it points. The error
/// names `SF_LOGIN_URL`.
#[tokio::test]
async fn a_login_url_that_redirects_is_refused_naming_sf_login_url() {
    let redirecting = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = redirecting.local_addr().unwrap().port();
    // Every request (the warm-up's login and the invocation's) gets the redirect.
    let server = tokio::spawn(async move {
        while let Ok((mut connection, _)) = redirecting.accept().await {
            let mut request = [0u8; 8192];
            let _ = connection.read(&mut request).await;
            let answer = "HTTP/1.1 302 Found\r\n\
                 Location: https://acme.lightning.force.com/services/oauth2/token\r\n\
                 Content-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = connection.write_all(answer.as_bytes()).await;
        }
    });
    let api = RuntimeApi::start().await;
    let function = FunctionProcess::start(
        "sf-lookup",
        api.address(),
        &Env::new()
            .credentials(sandbox_credentials::jwt())
            .login_url(format!("http://127.0.0.1:{port}")),
    );
    let error = api.invoke(demo_event("lookup")).await.error();
    assert_eq!(error["errorType"], "ConfigurationError", "{error}");
    let message = error["errorMessage"].as_str().unwrap();
    assert!(message.contains("SF_LOGIN_URL"), "{message}");
    // Followed, the request would have gone to a host that does not resolve here: an
    // `Unreachable` error, not this one.
    assert!(message.contains("acme.lightning.force.com"), "{message}");
    drop(function);
    server.abort();
}

/// `|time` writes a time field as Salesforce takes it (`HH:mm:ss.SSSZ`); the sandbox,
/// like Salesforce, refuses any other form of a time.
#[tokio::test]
async fn a_relative_time_is_written_as_salesforce_time_fields_take_it() {
    let stack = Stack::start("sf-create").await;
    let answer = stack
        .invoke(event(json!({
            "sf_object": "Case", "Subject": "Call me back", "Preferred_Callback_Time__c": "1h|time"
        })))
        .await
        .answer();
    let id = answer["Id"].as_str().unwrap();
    let case = stack.sandbox.record("Case", id).unwrap();
    let time = case["Preferred_Callback_Time__c"].as_str().unwrap();
    assert_eq!(time.len(), 13, "{time}");
    assert!(
        time.bytes().enumerate().all(|(i, b)| match i {
            2 | 5 => b == b':',
            8 => b == b'.',
            12 => b == b'Z',
            _ => b.is_ascii_digit(),
        }),
        "{time}"
    );
}
