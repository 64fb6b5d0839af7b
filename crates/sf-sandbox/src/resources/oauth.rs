//! The OAuth 2.0 token endpoint, `POST /services/oauth2/token`, with Salesforce's
//! three server-to-server grants (username-password, client credentials, JWT
//! bearer) and Salesforce's error answers for each way they fail. The tokens it
//! issues are kept in [`crate::model::tokens`]. Grant parameters are read from
//! the form-encoded body only: the contract forbids secrets in URLs, and a client
//! that puts them there should fail here rather than in production logs.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use jsonwebtoken::{Algorithm, EncodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::json::json_response;
use crate::state::AppState;

/// A token endpoint refusal: HTTP 400 `{"error", "error_description"}`.
fn refuse(error: &str, description: &str) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({"error": error, "error_description": description}),
    )
}

#[derive(Deserialize)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Value>,
    exp: Option<u64>,
}

pub async fn token(
    State(app): State<Arc<AppState>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(params)) = form else {
        return refuse("unsupported_grant_type", "grant type not supported");
    };
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or("");
    let expected = &app.credentials;
    match param("grant_type") {
        "password" => {
            if param("client_id") != expected.client_id {
                return refuse("invalid_client_id", "client identifier invalid");
            }
            if param("client_secret") != expected.client_secret {
                return refuse("invalid_client", "invalid client credentials");
            }
            let password = format!("{}{}", expected.password, expected.security_token);
            if !param("username").eq_ignore_ascii_case(&expected.username)
                || param("password") != password
            {
                return refuse("invalid_grant", "authentication failure");
            }
        }
        "client_credentials" => {
            if param("client_id") != expected.client_id {
                return refuse("invalid_client_id", "client identifier invalid");
            }
            if param("client_secret") != expected.client_secret {
                return refuse("invalid_client", "invalid client credentials");
            }
        }
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
            if let Err((error, description)) = check_assertion(&app, param("assertion")) {
                return refuse(error, description);
            }
        }
        _ => return refuse("unsupported_grant_type", "grant type not supported"),
    }
    issue_token_response(&app)
}

/// Checks a JWT bearer assertion the way Salesforce does, answering its
/// `(error, error_description)` for the first thing wrong.
fn check_assertion(app: &AppState, assertion: &str) -> Result<(), (&'static str, &'static str)> {
    let Some(key) = &app.jwt_key else {
        return Err(("invalid_grant", "invalid assertion"));
    };
    // Expiry, audience and subject are checked below, one by one, so that each
    // gets Salesforce's own error; the library checks only the signature.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<Claims>(assertion, key, &validation)
        .map_err(|_| ("invalid_grant", "invalid assertion"))?
        .claims;
    if claims.iss.as_deref() != Some(app.credentials.client_id.as_str()) {
        return Err(("invalid_client_id", "client identifier invalid"));
    }
    let audiences: Vec<&str> = match &claims.aud {
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    // Salesforce wants the login server of the org's kind, whichever host the
    // assertion is posted to: a production org refuses `https://test.salesforce.com`
    // and its own My Domain URL alike.
    let expected = app.credentials.jwt_audience.trim_end_matches('/');
    let accepted = |aud: &&str| aud.trim_end_matches('/') == expected;
    if !audiences.iter().any(accepted) {
        return Err(("invalid_grant", "audience is invalid"));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    if claims.exp.is_none_or(|exp| exp <= now) {
        return Err(("invalid_grant", "expired authorization code"));
    }
    let subject = claims.sub.unwrap_or_default();
    if !subject.eq_ignore_ascii_case(&app.credentials.username) {
        return Err(("invalid_grant", "user hasn't approved this consumer"));
    }
    Ok(())
}

/// Salesforce's success answer with a fresh token.
fn issue_token_response(app: &AppState) -> Response {
    let (organization_id, user_id) = {
        let store = app.store();
        (
            store.organization_id.clone(),
            store.integration_user_id.clone(),
        )
    };
    let token = app.issue_token();
    let issued_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
        .to_string();
    let id = format!("{}/id/{organization_id}/{user_id}", app.base_url);
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "instance_url": app.base_url,
            "id": id,
            "token_type": "Bearer",
            "issued_at": issued_at,
            "signature": signature(&id, &issued_at, &app.credentials.client_secret),
        }),
    )
}

/// Salesforce signs `id + issued_at` with HMAC-SHA256 keyed by the consumer
/// secret and answers it in standard Base64.
fn signature(id: &str, issued_at: &str, client_secret: &str) -> String {
    let url_safe = jsonwebtoken::crypto::sign(
        format!("{id}{issued_at}").as_bytes(),
        &EncodingKey::from_secret(client_secret.as_bytes()),
        Algorithm::HS256,
    )
    .unwrap_or_default();
    let mut standard: String = url_safe
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    standard
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_standard_base64_of_a_sha256_mac() {
        let signature = signature("https://x/id/00D/005", "1700000000000", "secret");
        assert_eq!(signature.len(), 44);
        assert!(signature.ends_with('='));
        assert!(!signature.contains(['-', '_']));
    }
}
