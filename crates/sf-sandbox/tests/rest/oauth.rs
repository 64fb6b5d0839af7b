//! The token endpoint, `POST /services/oauth2/token`: each grant's success and
//! each way it is refused.

use jsonwebtoken::get_current_timestamp;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sf_sandbox::{
    Credentials, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD, SandboxConfig,
};

use crate::support::{
    JIM_SMITH, assert_token_refused, call_with_token, good_claims, jwt, jwt_form, password_form,
    start, start_with, token_request, with,
};

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
    // An audience list passes when it holds the org's login server (RFC 7519 4.1.3).
    let mut claims = good_claims();
    claims["aud"] = json!(["https://example.com", "https://login.salesforce.com"]);
    let (status, _) = token_request(&sandbox, &jwt_form(&jwt(claims))).await;
    assert_eq!(status, StatusCode::OK);
}

/// A production org wants `https://login.salesforce.com`, whatever host the assertion
/// is posted to: its own URL (the login URL the client used) and the sandbox org
/// kind's login server are refused.
#[tokio::test]
async fn production_org_refuses_any_other_audience() {
    let sandbox = start().await;
    for aud in [
        sandbox.url().to_string(),
        "https://test.salesforce.com".into(),
        "https://acme.my.salesforce.com".into(),
        "http://login.salesforce.com".into(),
    ] {
        let mut claims = good_claims();
        claims["aud"] = json!(aud);
        assert_token_refused(
            &sandbox,
            &jwt_form(&jwt(claims)),
            "invalid_grant",
            "audience is invalid",
        )
        .await;
    }
    let mut claims = good_claims();
    claims.as_object_mut().unwrap().remove("aud");
    assert_token_refused(
        &sandbox,
        &jwt_form(&jwt(claims)),
        "invalid_grant",
        "audience is invalid",
    )
    .await;
}

/// Playing a sandbox org: `https://test.salesforce.com` is the audience, and the
/// production login server is refused.
#[tokio::test]
async fn sandbox_org_wants_the_test_login_server() {
    let sandbox = start_with(SandboxConfig {
        credentials: Credentials {
            jwt_audience: "https://test.salesforce.com".into(),
            ..Credentials::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let mut claims = good_claims();
    claims["aud"] = json!("https://test.salesforce.com");
    let (status, body) = token_request(&sandbox, &jwt_form(&jwt(claims))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_token_refused(
        &sandbox,
        &jwt_form(&jwt(good_claims())),
        "invalid_grant",
        "audience is invalid",
    )
    .await;
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
