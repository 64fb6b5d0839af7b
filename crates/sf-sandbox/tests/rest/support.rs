//! What the sandbox's HTTP tests share: starting a sandbox, the seed org's ids,
//! token requests and JWTs, data requests with a fresh token.

use jsonwebtoken::{Algorithm, EncodingKey, Header, get_current_timestamp};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sf_sandbox::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD, DEFAULT_SECURITY_TOKEN,
    DEFAULT_USERNAME, Sandbox, SandboxConfig, TEST_JWT_PRIVATE_KEY_PEM,
};

pub const V: &str = "v66.0";
pub const JIM_SMITH: &str = "0038V0000000001QAA";
pub const OLIVIA_BROWN: &str = "0038V0000000002QAA";
pub const BROKEN_WIDGET_CASE: &str = "5008V0000000001QAA";
pub const SEED_FEED_ITEM: &str = "0D58V0000000001SAA";
pub const JANE_AGENT: &str = "0058V0000000002QAA";

pub async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

pub async fn start_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.unwrap()
}

pub fn password_form() -> Vec<(&'static str, String)> {
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

pub fn with(
    mut form: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value.to_string()));
    form
}

pub async fn token_request(sandbox: &Sandbox, form: &[(&str, String)]) -> (StatusCode, Value) {
    let response = Client::new()
        .post(sandbox.token_url())
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

pub fn jwt(claims: Value) -> String {
    let key = EncodingKey::from_rsa_pem(TEST_JWT_PRIVATE_KEY_PEM.as_bytes()).unwrap();
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap()
}

pub fn good_claims() -> Value {
    json!({
        "iss": DEFAULT_CLIENT_ID,
        "sub": DEFAULT_USERNAME,
        "aud": "https://login.salesforce.com",
        "exp": get_current_timestamp() + 180,
    })
}

pub fn jwt_form(assertion: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "grant_type",
            "urn:ietf:params:oauth:grant-type:jwt-bearer".into(),
        ),
        ("assertion", assertion.into()),
    ]
}

pub async fn assert_token_refused(
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
pub async fn call(
    sandbox: &Sandbox,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, String) {
    let token = sandbox.issue_token();
    call_with_token(sandbox, &token, method, path, body).await
}

pub async fn call_with_token(
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

pub async fn call_json(
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

/// `GET <path>?q=<q>` with a fresh token: a SOQL query or a SOSL search.
pub async fn get_q(sandbox: &Sandbox, path: &str, q: &str) -> (StatusCode, Value) {
    let response = Client::new()
        .get(format!("{}/services/data/{V}{path}", sandbox.url()))
        .query(&[("q", q)])
        .bearer_auth(sandbox.issue_token())
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

pub async fn query(sandbox: &Sandbox, soql: &str) -> (StatusCode, Value) {
    get_q(sandbox, "/query", soql).await
}

pub fn error_code(body: &Value) -> &str {
    body[0]["errorCode"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error array: {body}"))
}
