//! OAuth 2.0 against the org's token endpoint, and the access token kept for the
//! container's life.
//!
//! [`request_token`] runs one of the three flows Salesforce offers server-to-server
//! integrations: the JWT bearer flow (an RS256 assertion signed with the connected app's
//! certificate key), the client credentials flow and the username-password flow. Every
//! parameter travels in a form-encoded POST body, never in the URL, where proxies and
//! access logs would keep it.
//!
//! [`TokenCache`] holds the token between invocations. Salesforce blocks a user after
//! 3,600 logins an hour, so a token is fetched once and replaced only when Salesforce
//! says it is no longer valid; concurrent callers wait for one fetch instead of each
//! making their own.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::config::LOGIN_URL;
use crate::credentials::{AuthFlow, Credentials};
use crate::deadline::Deadline;
use crate::error::{Error, Result};

/// How long a JWT assertion is valid: Salesforce allows at most three minutes.
const ASSERTION_LIFETIME_SECONDS: u64 = 180;

/// An access token and the instance it is valid for.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub access_token: String,
    /// Where data calls go, without a trailing slash: never the login URL.
    pub instance_url: String,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"<redacted>")
            .field("instance_url", &self.instance_url)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    instance_url: String,
}

#[derive(Deserialize)]
struct TokenRefusal {
    error: String,
    #[serde(default)]
    error_description: String,
}

#[derive(serde::Serialize)]
struct Assertion<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
}

/// The host of `login_url`, in lower case, without port or trailing dot.
fn login_host(login_url: &str) -> Option<String> {
    let url = reqwest::Url::parse(login_url).ok()?;
    let host = url.host_str()?.trim_end_matches('.');
    Some(host.to_ascii_lowercase())
}

/// The `aud` of a JWT assertion. Salesforce wants the login server's URL; a My Domain
/// login URL belongs to production (`login.salesforce.com`) or, for a sandbox domain,
/// to `test.salesforce.com`.
pub fn audience(login_url: &str) -> String {
    let host = login_url
        .split_once("://")
        .map_or(login_url, |(_, rest)| rest)
        .to_ascii_lowercase();
    if host.ends_with(".sandbox.my.salesforce.com") {
        "https://test.salesforce.com".to_owned()
    } else if host.ends_with(".my.salesforce.com") {
        "https://login.salesforce.com".to_owned()
    } else {
        login_url.to_owned()
    }
}

/// Refuses a login URL that cannot serve `flow`. Salesforce grants client credentials
/// only at the org's own My Domain: `login.salesforce.com` and `test.salesforce.com`
/// answer `invalid_grant: request not supported on this domain`. Checked when the
/// credentials are read, so the function says what to change before any login.
pub fn check_login_url(flow: AuthFlow, login_url: &str) -> Result<()> {
    let generic = login_host(login_url)
        .is_some_and(|host| host == "login.salesforce.com" || host == "test.salesforce.com");
    if flow != AuthFlow::ClientCredentials || !generic {
        return Ok(());
    }
    Err(Error::configuration(
        LOGIN_URL,
        format!(
            "the client credentials flow works only at your org's My Domain login URL, \
             not at {login_url} (Salesforce refuses it there with invalid_grant: request not \
             supported on this domain): set {LOGIN_URL} to https://<your-domain>.my.salesforce.com \
             (a sandbox's is https://<your-domain>--<sandbox>.sandbox.my.salesforce.com), \
             or log in with the JWT bearer flow"
        ),
    ))
}

/// The signed assertion of the JWT bearer flow.
pub fn jwt_assertion(
    credentials: &Credentials,
    login_url: &str,
    now: SystemTime,
) -> Result<String> {
    let invalid_key = || Error::Credentials {
        source_name: "`PrivateKey`".to_owned(),
        problem: "not an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or \
                  -----BEGIN RSA PRIVATE KEY-----)"
            .to_owned(),
    };
    let pem = credentials.private_key.as_deref().ok_or_else(invalid_key)?;
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| invalid_key())?;
    let issued = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let audience = audience(login_url);
    let claims = Assertion {
        iss: &credentials.consumer_key,
        sub: credentials.username.as_deref().unwrap_or_default(),
        aud: &audience,
        exp: issued + ASSERTION_LIFETIME_SECONDS,
    };
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &key,
    )
    .map_err(|_| invalid_key())
}

/// The form fields the token endpoint takes for `credentials`' flow.
fn token_form(credentials: &Credentials, login_url: &str) -> Result<Vec<(&'static str, String)>> {
    let secret = || credentials.consumer_secret.clone().unwrap_or_default();
    Ok(match credentials.flow {
        AuthFlow::Jwt => vec![
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:jwt-bearer".to_owned(),
            ),
            (
                "assertion",
                jwt_assertion(credentials, login_url, SystemTime::now())?,
            ),
        ],
        AuthFlow::ClientCredentials => vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", credentials.consumer_key.clone()),
            ("client_secret", secret()),
        ],
        AuthFlow::Password => vec![
            ("grant_type", "password".to_owned()),
            ("client_id", credentials.consumer_key.clone()),
            ("client_secret", secret()),
            ("username", credentials.username.clone().unwrap_or_default()),
            (
                "password",
                format!(
                    "{}{}",
                    credentials.password.as_deref().unwrap_or_default(),
                    credentials.security_token.as_deref().unwrap_or_default()
                ),
            ),
        ],
    })
}

/// Logs in at `login_url` with `credentials`' flow.
pub async fn request_token(
    http: &reqwest::Client,
    login_url: &str,
    credentials: &Credentials,
    deadline: Deadline,
) -> Result<Token> {
    const WHAT: &str = "the Salesforce token endpoint";
    let flow = credentials.flow.name();
    let response = http
        .post(format!("{login_url}/services/oauth2/token"))
        .form(&token_form(credentials, login_url)?)
        .timeout(deadline.remaining(WHAT)?)
        .send()
        .await
        .map_err(|error| transport_error(WHAT, error, deadline))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|error| transport_error(WHAT, error, deadline))?;
    if status.is_success() {
        let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|_| {
            Error::UnexpectedResponse(format!(
                "the token endpoint answered HTTP {status} without access_token and instance_url"
            ))
        })?;
        return Ok(Token {
            access_token: answer.access_token,
            instance_url: answer.instance_url.trim_end_matches('/').to_owned(),
        });
    }
    let refusal = serde_json::from_slice::<TokenRefusal>(&body).unwrap_or(TokenRefusal {
        error: format!("HTTP {}", status.as_u16()),
        error_description: "the token endpoint gave no OAuth error".to_owned(),
    });
    Err(Error::Authentication {
        flow,
        code: refusal.error,
        description: refusal.error_description,
    })
}

/// The error for a request to `what` that got no answer. The URL is left out: a query
/// string carries the caller's data, which belongs in no error message.
pub fn transport_error(what: &str, error: reqwest::Error, deadline: Deadline) -> Error {
    if error.is_timeout() {
        return deadline.timeout(what);
    }
    let error = error.without_url();
    let mut reason = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        reason = format!("{reason}: {cause}");
        source = cause.source();
    }
    Error::Unreachable {
        what: what.to_owned(),
        reason,
    }
}

/// The container's access token.
#[derive(Default)]
pub struct TokenCache {
    current: Mutex<Option<Arc<Token>>>,
}

impl TokenCache {
    /// The token held, or the one `fetch` gets when none is.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<Token>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref() {
            return Ok(token.clone());
        }
        let token = Arc::new(fetch().await?);
        *current = Some(token.clone());
        Ok(token)
    }

    /// Replaces `rejected`, which Salesforce refused, with the token `fetch` gets; when
    /// another caller has replaced it already, that newer token is used instead.
    pub async fn replace<F, Fut>(&self, rejected: &Arc<Token>, fetch: F) -> Result<Arc<Token>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref()
            && !Arc::ptr_eq(token, rejected)
        {
            return Ok(token.clone());
        }
        *current = None;
        let token = Arc::new(fetch().await?);
        *current = Some(token.clone());
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn token(value: &str) -> Token {
        Token {
            access_token: value.into(),
            instance_url: "https://x.my.salesforce.com".into(),
        }
    }

    #[test]
    fn audience_for_each_kind_of_login_url() {
        assert_eq!(
            audience("https://login.salesforce.com"),
            "https://login.salesforce.com"
        );
        assert_eq!(
            audience("https://test.salesforce.com"),
            "https://test.salesforce.com"
        );
        assert_eq!(
            audience("https://Acme.my.salesforce.com"),
            "https://login.salesforce.com"
        );
        assert_eq!(
            audience("https://acme--uat.sandbox.my.salesforce.com"),
            "https://test.salesforce.com"
        );
        assert_eq!(audience("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
    }

    #[test]
    fn client_credentials_need_the_orgs_my_domain() {
        for login_url in [
            "https://login.salesforce.com",
            "https://LOGIN.Salesforce.COM",
            "https://login.salesforce.com/",
            "https://login.salesforce.com:443",
            "https://test.salesforce.com",
            "HTTPS://Test.Salesforce.com/",
        ] {
            let error = check_login_url(AuthFlow::ClientCredentials, login_url).unwrap_err();
            assert_eq!(error.error_type(), "ConfigurationError", "{login_url}");
            let message = error.to_string();
            assert!(
                message.starts_with("invalid configuration `SF_LOGIN_URL`"),
                "{message}"
            );
            assert!(
                message.contains("https://<your-domain>.my.salesforce.com"),
                "{message}"
            );
            for flow in [AuthFlow::Jwt, AuthFlow::Password] {
                assert_eq!(check_login_url(flow, login_url), Ok(()), "{login_url}");
            }
        }
        for login_url in [
            "https://acme.my.salesforce.com",
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://login.salesforce.com.acme.example",
            "http://127.0.0.1:8800",
        ] {
            assert_eq!(
                check_login_url(AuthFlow::ClientCredentials, login_url),
                Ok(()),
                "{login_url}"
            );
        }
    }

    #[test]
    fn token_debug_is_redacted() {
        assert!(!format!("{:?}", token("00Dsecret")).contains("00Dsecret"));
    }

    #[test]
    fn password_flow_appends_the_security_token() {
        let credentials = Credentials::from_json(
            r#"{"ConsumerKey":"k","ConsumerSecret":"s","Username":"u","Password":"pw","AccessToken":"TOK"}"#,
            "x",
            None,
        )
        .unwrap();
        let form = token_form(&credentials, "https://login.salesforce.com").unwrap();
        assert!(form.contains(&("password", "pwTOK".to_owned())));
        assert!(form.contains(&("grant_type", "password".to_owned())));
    }

    #[test]
    fn a_bad_private_key_is_a_clear_error() {
        let credentials = Credentials::from_json(
            r#"{"ConsumerKey":"k","Username":"u","PrivateKey":"not a key"}"#,
            "x",
            None,
        )
        .unwrap();
        let error = jwt_assertion(
            &credentials,
            "https://login.salesforce.com",
            SystemTime::now(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("`PrivateKey`"), "{error}");
        assert!(!error.to_string().contains("not a key"), "{error}");
    }

    #[tokio::test]
    async fn cache_fetches_once_and_replaces_only_the_rejected_token() {
        let cache = TokenCache::default();
        let fetches = AtomicUsize::new(0);
        let fetch = |value: &'static str| {
            fetches.fetch_add(1, Ordering::SeqCst);
            async move { Ok(token(value)) }
        };
        let first = cache.get(|| fetch("one")).await.unwrap();
        let again = cache.get(|| fetch("unused")).await.unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        let second = cache.replace(&first, || fetch("two")).await.unwrap();
        assert_eq!(second.access_token, "two");
        // A caller still holding the first token gets the second, not a third login.
        let still_second = cache.replace(&first, || fetch("three")).await.unwrap();
        assert_eq!(still_second.access_token, "two");
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_fetch_leaves_the_cache_empty() {
        let cache = TokenCache::default();
        let error = cache
            .get(|| async {
                Err(Error::Authentication {
                    flow: "jwt",
                    code: "invalid_grant".into(),
                    description: "expired".into(),
                })
            })
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Authentication { .. }));
        let token = cache.get(|| async { Ok(token("later")) }).await.unwrap();
        assert_eq!(token.access_token, "later");
    }
}
