//! Drives an in-process sandbox over HTTP with reqwest, one test per answer shape:
//! the token endpoint's success and failures, query and its batches, search,
//! sObject create/read/update/delete, Chatter, session expiry, and each fault.

use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header, get_current_timestamp};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sf_sandbox::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD, DEFAULT_SECURITY_TOKEN,
    DEFAULT_USERNAME, Fault, Sandbox, SandboxConfig, TEST_JWT_PRIVATE_KEY_PEM,
};

const V: &str = "v66.0";
const JIM_SMITH: &str = "0038V0000000001QAA";
const OLIVIA_BROWN: &str = "0038V0000000002QAA";
const BROKEN_WIDGET_CASE: &str = "5008V0000000001QAA";
const SEED_FEED_ITEM: &str = "0D58V0000000001SAA";
const JANE_AGENT: &str = "0058V0000000002QAA";

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

async fn start_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.unwrap()
}

fn password_form() -> Vec<(&'static str, String)> {
    vec![
        ("grant_type", "password".into()),
        ("client_id", DEFAULT_CLIENT_ID.into()),
        ("client_secret", DEFAULT_CLIENT_SECRET.into()),
        ("username", DEFAULT_USERNAME.into()),
        (
            "password",
            format!("{DEFAULT_PASSWORD}{DEFAULT_SECURITY_TOKEN}"),
        ),
    ]
}

fn with(
    mut form: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value.to_string()));
    form
}

async fn token_request(sandbox: &Sandbox, form: &[(&str, String)]) -> (StatusCode, Value) {
    let response = Client::new()
        .post(sandbox.token_url())
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

fn jwt(claims: Value) -> String {
    let key = EncodingKey::from_rsa_pem(TEST_JWT_PRIVATE_KEY_PEM.as_bytes()).unwrap();
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap()
}

fn good_claims() -> Value {
    json!({
        "iss": DEFAULT_CLIENT_ID,
        "sub": DEFAULT_USERNAME,
        "aud": "https://login.salesforce.com",
        "exp": get_current_timestamp() + 180,
    })
}

fn jwt_form(assertion: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "grant_type",
            "urn:ietf:params:oauth:grant-type:jwt-bearer".into(),
        ),
        ("assertion", assertion.into()),
    ]
}

async fn assert_token_refused(
    sandbox: &Sandbox,
    form: &[(&str, String)],
    error: &str,
    description: &str,
) {
    let (status, body) = token_request(sandbox, form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error": error, "error_description": description})
    );
}

/// A data request with a fresh token; answers status and body text.
async fn call(
    sandbox: &Sandbox,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, String) {
    let token = sandbox.issue_token();
    call_with_token(sandbox, &token, method, path, body).await
}

async fn call_with_token(
    sandbox: &Sandbox,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, String) {
    let mut request = Client::new()
        .request(method, format!("{}/services/data/{V}{path}", sandbox.url()))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn call_json(
    sandbox: &Sandbox,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let (status, text) = call(sandbox, method, path, body).await;
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, value)
}

async fn query(sandbox: &Sandbox, soql: &str) -> (StatusCode, Value) {
    let token = sandbox.issue_token();
    let response = Client::new()
        .get(format!("{}/services/data/{V}/query", sandbox.url()))
        .query(&[("q", soql)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

fn error_code(body: &Value) -> &str {
    body[0]["errorCode"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error array: {body}"))
}

// ---- token endpoint ----

#[tokio::test]
async fn password_grant_answers_a_token_for_the_sandbox_instance() {
    let sandbox = start().await;
    let (status, body) = token_request(&sandbox, &password_form()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["instance_url"], sandbox.url());
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("00D8V0000000001!")
    );
    assert!(
        body["id"]
            .as_str()
            .unwrap()
            .ends_with("/id/00D8V0000000001UAA/0058V0000000001QAA")
    );
    assert!(body["issued_at"].as_str().unwrap().parse::<u64>().is_ok());
    assert!(body["signature"].as_str().unwrap().ends_with('='));
    assert_eq!(sandbox.stats().token_requests(), 1);
    // The token it gave works on a data route.
    let token = body["access_token"].as_str().unwrap();
    let (status, _) = call_with_token(
        &sandbox,
        token,
        Method::GET,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn client_credentials_grant_answers_a_token() {
    let sandbox = start().await;
    let form = vec![
        ("grant_type", "client_credentials".to_string()),
        ("client_id", DEFAULT_CLIENT_ID.into()),
        ("client_secret", DEFAULT_CLIENT_SECRET.into()),
    ];
    let (status, body) = token_request(&sandbox, &form).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["instance_url"], sandbox.url());
}

#[tokio::test]
async fn jwt_bearer_grant_answers_a_token_for_a_signed_assertion() {
    let sandbox = start().await;
    let (status, body) = token_request(&sandbox, &jwt_form(&jwt(good_claims()))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    // The sandbox's own URL is an accepted audience too.
    let mut claims = good_claims();
    claims["aud"] = json!(sandbox.url());
    let (status, _) = token_request(&sandbox, &jwt_form(&jwt(claims))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn wrong_password_is_an_authentication_failure() {
    let sandbox = start().await;
    let form = with(password_form(), "password", DEFAULT_PASSWORD);
    assert_token_refused(&sandbox, &form, "invalid_grant", "authentication failure").await;
    let form = with(password_form(), "username", "someone@else.example");
    assert_token_refused(&sandbox, &form, "invalid_grant", "authentication failure").await;
    assert_eq!(sandbox.stats().token_requests(), 2);
}

#[tokio::test]
async fn wrong_client_id_is_invalid_client_id() {
    let sandbox = start().await;
    let form = with(password_form(), "client_id", "nope");
    assert_token_refused(
        &sandbox,
        &form,
        "invalid_client_id",
        "client identifier invalid",
    )
    .await;
}

#[tokio::test]
async fn wrong_client_secret_is_invalid_client() {
    let sandbox = start().await;
    let form = with(password_form(), "client_secret", "nope");
    assert_token_refused(
        &sandbox,
        &form,
        "invalid_client",
        "invalid client credentials",
    )
    .await;
    let form = vec![
        ("grant_type", "client_credentials".to_string()),
        ("client_id", DEFAULT_CLIENT_ID.into()),
        ("client_secret", "nope".into()),
    ];
    assert_token_refused(
        &sandbox,
        &form,
        "invalid_client",
        "invalid client credentials",
    )
    .await;
}

#[tokio::test]
async fn unknown_grant_type_is_unsupported() {
    let sandbox = start().await;
    let form = with(password_form(), "grant_type", "authorization_code");
    assert_token_refused(
        &sandbox,
        &form,
        "unsupported_grant_type",
        "grant type not supported",
    )
    .await;
}

#[tokio::test]
async fn grant_parameters_in_the_url_are_not_read() {
    let sandbox = start().await;
    let response = Client::new()
        .post(sandbox.token_url())
        .query(&password_form())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn jwt_with_a_bad_signature_is_an_invalid_assertion() {
    let sandbox = start().await;
    let token = jwt(good_claims());
    let (head, signature) = token.rsplit_once('.').unwrap();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{head}.{flipped}{}", &signature[1..]);
    assert_token_refused(
        &sandbox,
        &jwt_form(&tampered),
        "invalid_grant",
        "invalid assertion",
    )
    .await;
    assert_token_refused(
        &sandbox,
        &jwt_form("not-a-jwt"),
        "invalid_grant",
        "invalid assertion",
    )
    .await;
}

#[tokio::test]
async fn jwt_claims_are_checked_one_by_one() {
    let sandbox = start().await;
    let mut expired = good_claims();
    expired["exp"] = json!(get_current_timestamp() - 3600);
    assert_token_refused(
        &sandbox,
        &jwt_form(&jwt(expired)),
        "invalid_grant",
        "expired authorization code",
    )
    .await;
    let mut wrong_audience = good_claims();
    wrong_audience["aud"] = json!("https://example.com");
    assert_token_refused(
        &sandbox,
        &jwt_form(&jwt(wrong_audience)),
        "invalid_grant",
        "audience is invalid",
    )
    .await;
    let mut wrong_issuer = good_claims();
    wrong_issuer["iss"] = json!("someone-else");
    assert_token_refused(
        &sandbox,
        &jwt_form(&jwt(wrong_issuer)),
        "invalid_client_id",
        "client identifier invalid",
    )
    .await;
    let mut wrong_subject = good_claims();
    wrong_subject["sub"] = json!("nobody@sandbox.example");
    assert_token_refused(
        &sandbox,
        &jwt_form(&jwt(wrong_subject)),
        "invalid_grant",
        "user hasn't approved this consumer",
    )
    .await;
}

// ---- sessions ----

#[tokio::test]
async fn missing_or_unknown_token_is_invalid_session() {
    let sandbox = start().await;
    let url = format!(
        "{}/services/data/{V}/sobjects/Contact/{JIM_SMITH}",
        sandbox.url()
    );
    let response = Client::new().get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    );
    let (status, _) = call_with_token(
        &sandbox,
        "00D!forged",
        Method::GET,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_answer_401_after_expiry() {
    let sandbox = start().await;
    let token = sandbox.issue_token();
    let path = format!("/sobjects/Contact/{JIM_SMITH}");
    assert_eq!(
        call_with_token(&sandbox, &token, Method::GET, &path, None)
            .await
            .0,
        StatusCode::OK
    );
    sandbox.faults().expire_tokens();
    let (status, body) = call_with_token(&sandbox, &token, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("INVALID_SESSION_ID"));
    // A token issued after the expiry works.
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn token_lifetime_is_configurable() {
    let sandbox = start_with(SandboxConfig {
        token_lifetime: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let (status, _) = call(
        &sandbox,
        Method::GET,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

// ---- query ----

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

// ---- search ----

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
        search(json!({"q": "555-222-3333", "in": "PHONE", "sobjects": [{"name": "Contact"}]}))
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

// ---- sObjects ----

#[tokio::test]
async fn create_read_update_delete_round_trip() {
    let sandbox = start().await;
    let (status, created) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(
            json!({"Subject": "Caller reports outage", "ContactId": JIM_SMITH, "Origin": "Phone"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created, json!({"id": id, "success": true, "errors": []}));
    assert!(id.starts_with("500") && id.len() == 18);

    let (status, record) =
        call_json(&sandbox, Method::GET, &format!("/sobjects/Case/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        record["attributes"],
        json!({"type": "Case", "url": format!("/services/data/{V}/sobjects/Case/{id}")})
    );
    assert_eq!(record["Subject"], "Caller reports outage");
    assert_eq!(record["Status"], "New");
    assert_eq!(record["ContactId"], JIM_SMITH);

    let (status, body) = call(
        &sandbox,
        Method::PATCH,
        &format!("/sobjects/Case/{id}"),
        Some(json!({"Status": "Closed"})),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    assert_eq!(sandbox.record("Case", &id).unwrap()["Status"], "Closed");

    let (status, body) = call(
        &sandbox,
        Method::DELETE,
        &format!("/sobjects/Case/{id}"),
        None,
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    let (status, body) =
        call_json(&sandbox, Method::GET, &format!("/sobjects/Case/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!([{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}])
    );
    assert_eq!(sandbox.stats().requests("POST", "/sobjects/Case"), 1);
    assert_eq!(
        sandbox
            .stats()
            .requests("PATCH", &format!("/sobjects/Case/{id}")),
        1
    );
}

#[tokio::test]
async fn read_accepts_fifteen_character_ids_and_a_field_list() {
    let sandbox = start().await;
    let (status, record) = call_json(
        &sandbox,
        Method::GET,
        &format!("/sobjects/Contact/{}?fields=Name,phone", &JIM_SMITH[..15]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        record,
        json!({
            "attributes": {"type": "Contact", "url": format!("/services/data/{V}/sobjects/Contact/{JIM_SMITH}")},
            "Name": "Jim Smith",
            "Phone": "(555) 123-4567",
        })
    );
}

#[tokio::test]
async fn unknown_object_or_id_is_not_found() {
    let sandbox = start().await;
    let not_found =
        json!([{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]);
    for (method, path, body) in [
        (
            Method::POST,
            "/sobjects/Nope".to_string(),
            Some(json!({"Name": "x"})),
        ),
        (
            Method::GET,
            "/sobjects/Nope/0038V0000000001QAA".to_string(),
            None,
        ),
        (
            Method::GET,
            "/sobjects/Contact/0038V000000zzzzAAA".to_string(),
            None,
        ),
        (
            Method::PATCH,
            format!("/sobjects/Account/{JIM_SMITH}"),
            Some(json!({"Name": "x"})),
        ),
        (
            Method::DELETE,
            "/sobjects/Contact/nonsense".to_string(),
            None,
        ),
    ] {
        let (status, answer) = call_json(&sandbox, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(answer, not_found, "{method} {path}");
    }
}

#[tokio::test]
async fn unknown_field_in_a_body_is_invalid_field() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"LastName": "X", "Nope__c": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{"message": "No such column 'Nope__c' on sobject of type Contact", "errorCode": "INVALID_FIELD"}])
    );
    let (status, body) = call_json(
        &sandbox,
        Method::PATCH,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        Some(json!({"Nope": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_FIELD");
}

#[tokio::test]
async fn record_errors_carry_their_fields() {
    let sandbox = start().await;
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"FirstName": "X"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!([{"message": "Required fields are missing: [LastName]", "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["LastName"]}])
    );
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(json!({"ContactId": "abc"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "MALFORMED_ID");
    let (status, body) = call(&sandbox, Method::POST, "/sobjects/Case", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("JSON_PARSER_ERROR"));
}

// ---- Chatter ----

#[tokio::test]
async fn chatter_post_and_comment_answer_connect_shapes() {
    let sandbox = start().await;
    let post = json!({
        "feedElementType": "FeedItem",
        "subjectId": BROKEN_WIDGET_CASE,
        "body": {"messageSegments": [
            {"type": "Text", "text": "Caller needs help with case 00001001 "},
            {"type": "Mention", "id": JANE_AGENT},
        ]},
    });
    let (status, item) =
        call_json(&sandbox, Method::POST, "/chatter/feed-elements", Some(post)).await;
    assert_eq!(status, StatusCode::CREATED);
    let item_id = item["id"].as_str().unwrap().to_string();
    assert!(item_id.starts_with("0D5") && item_id.len() == 18);
    assert_eq!(
        item["body"]["text"],
        "Caller needs help with case 00001001 @Jane Agent"
    );
    assert_eq!(item["parent"]["id"], BROKEN_WIDGET_CASE);
    assert_eq!(item["parent"]["type"], "Case");
    assert_eq!(item["feedElementType"], "FeedItem");
    assert_eq!(
        sandbox.record("FeedItem", &item_id).unwrap()["ParentId"],
        BROKEN_WIDGET_CASE
    );

    let comment = json!({"body": {"messageSegments": [{"type": "Text", "text": "On it."}]}});
    let path = format!("/chatter/feed-elements/{item_id}/capabilities/comments/items");
    let (status, answer) = call_json(&sandbox, Method::POST, &path, Some(comment)).await;
    assert_eq!(status, StatusCode::CREATED);
    let comment_id = answer["id"].as_str().unwrap();
    assert!(comment_id.starts_with("0D7"));
    assert_eq!(answer["body"]["text"], "On it.");
    assert_eq!(answer["feedElement"]["id"], item_id.as_str());
    assert_eq!(
        sandbox.record("FeedComment", comment_id).unwrap()["CommentBody"],
        "On it."
    );
}

#[tokio::test]
async fn chatter_refusals() {
    let sandbox = start().await;
    let unknown_subject = json!({
        "feedElementType": "FeedItem",
        "subjectId": "0038V000000zzzzAAA",
        "body": {"messageSegments": [{"type": "Text", "text": "x"}]},
    });
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/chatter/feed-elements",
        Some(unknown_subject),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "NOT_FOUND");
    let no_body = json!({"feedElementType": "FeedItem", "subjectId": BROKEN_WIDGET_CASE});
    let (status, body) = call_json(
        &sandbox,
        Method::POST,
        "/chatter/feed-elements",
        Some(no_body),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_API_INPUT");
    let comment = json!({"body": {"messageSegments": [{"type": "Text", "text": "x"}]}});
    let path = "/chatter/feed-elements/0D58V000000zzzzAAA/capabilities/comments/items";
    let (status, _) = call_json(&sandbox, Method::POST, path, Some(comment.clone())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let path = format!("/chatter/feed-elements/{SEED_FEED_ITEM}/capabilities/comments/items");
    let (status, body) = call_json(&sandbox, Method::POST, &path, Some(json!({"body": {}}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "INVALID_API_INPUT");
    assert_eq!(
        call_json(&sandbox, Method::POST, &path, Some(comment))
            .await
            .0,
        StatusCode::CREATED
    );
}

// ---- routing ----

#[tokio::test]
async fn unknown_resources_versions_and_methods() {
    let sandbox = start().await;
    let token = sandbox.issue_token();
    let get = |path: String| {
        let token = token.clone();
        async move {
            Client::new()
                .get(path)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        get(format!("{}/services/data/{V}/nope", sandbox.url())).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!(
            "{}/services/data/latest/sobjects/Contact/{JIM_SMITH}",
            sandbox.url()
        ))
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!(
            "{}/services/data/v58.0/sobjects/Contact/{JIM_SMITH}",
            sandbox.url()
        ))
        .await,
        StatusCode::OK
    );
    let (status, body) = call_json(
        &sandbox,
        Method::PUT,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(&body), "METHOD_NOT_ALLOWED");
}

// ---- faults ----

#[tokio::test]
async fn fail_next_answers_the_status_then_recovers() {
    let sandbox = start().await;
    sandbox.faults().fail_next(2, 503);
    let path = format!("/sobjects/Contact/{JIM_SMITH}");
    for _ in 0..2 {
        let (status, body) = call_json(&sandbox, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(error_code(&body), "SERVER_UNAVAILABLE");
    }
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::OK
    );
    sandbox.faults().fail_next(1, 500);
    let (status, body) = call_json(&sandbox, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_code(&body), "UNKNOWN_EXCEPTION");
    let log = sandbox.stats().request_log();
    let statuses: Vec<Option<u16>> = log.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(503), Some(503), Some(200), Some(500)]);
}

#[tokio::test]
async fn failed_writes_are_not_processed() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox.faults().fail_next(1, 503);
    let (status, _) = call(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(json!({"Subject": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sandbox.records("Case").len(), before);
    assert_eq!(sandbox.stats().requests("POST", "/sobjects/Case"), 1);
}

#[tokio::test]
async fn request_limit_exceeded_answers_403() {
    let sandbox = start().await;
    sandbox.faults().inject_next(1, Fault::RequestLimitExceeded);
    let (status, body) = call_json(
        &sandbox,
        Method::GET,
        &format!("/sobjects/Contact/{JIM_SMITH}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!([{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}])
    );
}

#[tokio::test]
async fn truncated_json_is_processed_but_unreadable() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox.faults().inject_next(1, Fault::TruncatedJson);
    let (status, body) = call(
        &sandbox,
        Method::POST,
        "/sobjects/Case",
        Some(json!({"Subject": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(!body.is_empty());
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    assert_eq!(sandbox.records("Case").len(), before + 1);
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error_and_nothing_is_written() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox.faults().inject_next(1, Fault::DropConnection);
    let result = Client::new()
        .post(format!("{}/services/data/{V}/sobjects/Case", sandbox.url()))
        .bearer_auth(sandbox.issue_token())
        .json(&json!({"Subject": "x"}))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(sandbox.records("Case").len(), before);
    assert_eq!(sandbox.stats().request_log()[0].status, None);
}

#[tokio::test]
async fn connection_dropped_after_processing_still_writes() {
    let sandbox = start().await;
    let before = sandbox.records("Case").len();
    sandbox
        .faults()
        .inject_next(1, Fault::DropConnectionAfterProcessing);
    let result = Client::new()
        .post(format!("{}/services/data/{V}/sobjects/Case", sandbox.url()))
        .bearer_auth(sandbox.issue_token())
        .json(&json!({"Subject": "x"}))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(sandbox.records("Case").len(), before + 1);
    assert_eq!(sandbox.stats().requests("POST", "/sobjects/Case"), 1);
}

#[tokio::test]
async fn latency_delays_but_does_not_fail_requests() {
    let sandbox = start().await;
    sandbox.faults().set_latency(Duration::from_millis(20));
    assert_eq!(sandbox.faults().latency(), Duration::from_millis(20));
    let (status, _) = token_request(&sandbox, &password_form()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        call(
            &sandbox,
            Method::GET,
            &format!("/sobjects/Contact/{JIM_SMITH}"),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    sandbox.faults().clear();
    assert_eq!(sandbox.faults().latency(), Duration::ZERO);
}

#[tokio::test]
async fn admin_endpoint_sets_faults_and_reports_stats() {
    let sandbox = start().await;
    let client = Client::new();
    let admin = format!("{}/__sandbox/faults", sandbox.url());
    let state: Value = client
        .post(&admin)
        .json(&json!({"failNext": {"count": 1, "status": 503}, "inject": {"count": 1, "fault": "request_limit_exceeded"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state,
        json!({"latencyMs": 0, "pending": ["status:503", "request_limit_exceeded"]})
    );
    let path = format!("/sobjects/Contact/{JIM_SMITH}");
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        call(&sandbox, Method::GET, &path, None).await.0,
        StatusCode::FORBIDDEN
    );
    let response = client
        .post(&admin)
        .json(&json!({"expireTokens": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bad = client
        .post(&admin)
        .json(&json!({"inject": {"fault": "nope"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let stats: Value = client
        .get(format!("{}/__sandbox/stats", sandbox.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["dataRequests"], 2);
    assert_eq!(stats["tokenRequests"], 0);
    assert_eq!(stats["requests"][0]["status"], 503);
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sandbox = start().await;
    let url = sandbox.token_url();
    sandbox.shutdown().await;
    assert!(Client::new().post(url).send().await.is_err());
}
