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

const PRODUCTION_LOGIN_URL: &str = "https://login.salesforce.com";
const SANDBOX_LOGIN_URL: &str = "https://test.salesforce.com";

/// The token endpoint, below the login URL.
const TOKEN_PATH: &str = "/services/oauth2/token";

/// What a login URL's host says about the org behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LoginServer {
    /// `login.salesforce.com`, or a production org's My Domain (Developer Edition and
    /// Trailhead orgs included).
    Production,
    /// `test.salesforce.com`, or a sandbox's or scratch org's My Domain.
    Sandbox,
    /// An Experience Cloud site (`*.my.site.com`, or a `*.force.com` site).
    Site,
    /// A stand-in org on this machine (`http://127.0.0.1:PORT`): the local sandbox
    /// plays a production org.
    Local,
    /// Any other host, such as a custom domain serving a site.
    Other,
}

impl LoginServer {
    /// The kind of login server at `host` (lower case, no port). The My Domain forms are
    /// Salesforce's "My Domain URL Formats" (Salesforce Help, `domain_name_app_url_changes`):
    /// with enhanced domains a sandbox's login host is
    /// `<mydomain>--<sandbox>.sandbox.my.salesforce.com` and a scratch org's
    /// `<mydomain>.scratch.my.salesforce.com`; without them a sandbox's is
    /// `<mydomain>--<sandbox>.my.salesforce.com` (or, older still,
    /// `<mydomain>--<sandbox>.cs<N>.my.salesforce.com`): the `--` between the My Domain
    /// name and the sandbox name marks a sandbox. Sandboxes once lived on
    /// `cs<N>.salesforce.com` instances.
    fn of(host: &str) -> Self {
        let first_label = host.split('.').next().unwrap_or_default();
        match host {
            "login.salesforce.com" => LoginServer::Production,
            "test.salesforce.com" => LoginServer::Sandbox,
            "127.0.0.1" | "localhost" | "[::1]" => LoginServer::Local,
            _ if host.ends_with(".sandbox.my.salesforce.com")
                || host.ends_with(".scratch.my.salesforce.com") =>
            {
                LoginServer::Sandbox
            }
            _ if host.ends_with(".my.salesforce.com") && first_label.contains("--") => {
                LoginServer::Sandbox
            }
            _ if host.ends_with(".my.salesforce.com") => LoginServer::Production,
            // An instance, such as eu55.salesforce.com: a sandbox's is cs<N>.
            _ if host.ends_with(".salesforce.com") && host.matches('.').count() == 2 => {
                let sandbox_instance = first_label
                    .strip_prefix("cs")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                if sandbox_instance {
                    LoginServer::Sandbox
                } else {
                    LoginServer::Production
                }
            }
            _ if host.ends_with(".my.site.com")
                || (host.ends_with(".force.com") && !host.ends_with(".lightning.force.com")) =>
            {
                LoginServer::Site
            }
            _ => LoginServer::Other,
        }
    }
}

/// The host of `login_url`, in lower case, without port or trailing dot.
fn login_host(login_url: &str) -> Option<String> {
    let url = reqwest::Url::parse(login_url).ok()?;
    let host = url.host_str()?.trim_end_matches('.');
    Some(host.to_ascii_lowercase())
}

/// The `aud` of a JWT assertion sent to `login_url` (where `SF_JWT_AUDIENCE` does not
/// set it). Salesforce wants the login server of the org's kind: `login.salesforce.com`
/// for a production org, `test.salesforce.com` for a sandbox or scratch org, and the
/// site's URL for an Experience Cloud site ("OAuth 2.0 JWT Bearer Flow for
/// Server-to-Server Integration", Salesforce Help, `remoteaccess_oauth_jwt_flow`).
/// A host this does not know is taken for a site on a custom domain.
pub fn audience(login_url: &str) -> String {
    let kind = login_host(login_url).map_or(LoginServer::Other, |host| LoginServer::of(&host));
    match kind {
        LoginServer::Production | LoginServer::Local => PRODUCTION_LOGIN_URL.to_owned(),
        LoginServer::Sandbox => SANDBOX_LOGIN_URL.to_owned(),
        LoginServer::Site | LoginServer::Other => login_url.trim_end_matches('/').to_owned(),
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

/// The HTTP client's redirect policy. A token request follows no redirect: a login URL
/// that redirects (a Lightning host such as `*.lightning.force.com` answers 302) is not
/// the org's token endpoint, and a 307 would carry the secret in its body to the new
/// host. Other requests keep reqwest's default (up to ten redirects): Salesforce's REST
/// API does not redirect, and nothing documented says a data call must refuse one.
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let from_token_endpoint = attempt
            .previous()
            .first()
            .is_some_and(|url| url.path().ends_with(TOKEN_PATH));
        if from_token_endpoint {
            attempt.stop()
        } else {
            reqwest::redirect::Policy::default().redirect(attempt)
        }
    })
}

/// The error for a token endpoint that answered `status`, a redirect, towards
/// `location`. Only the host is named: a redirect's URL can carry anything.
fn redirected(login_url: &str, status: reqwest::StatusCode, location: Option<String>) -> Error {
    let towards = location.map_or_else(String::new, |host| format!(" to {host}"));
    Error::configuration(
        LOGIN_URL,
        format!(
            "the token endpoint at {login_url} answered HTTP {} with a redirect{towards}, and a \
             login follows no redirect: set {LOGIN_URL} to the org's login URL, \
             https://<your-domain>.my.salesforce.com (not a Lightning URL such as \
             https://<your-domain>.lightning.force.com)",
            status.as_u16()
        ),
    )
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
    let audience = credentials
        .jwt_audience
        .clone()
        .unwrap_or_else(|| audience(login_url));
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
        .post(format!("{login_url}{TOKEN_PATH}"))
        .form(&token_form(credentials, login_url)?)
        .timeout(deadline.remaining(WHAT)?)
        .send()
        .await
        .map_err(|error| transport_error(WHAT, error, deadline))?;
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|location| location.to_str().ok())
            .and_then(|location| response.url().join(location).ok())
            .and_then(|location| location.host_str().map(str::to_owned));
        return Err(redirected(login_url, status, location));
    }
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

/// Whether `error` is the token endpoint refusing the credentials themselves, as it does
/// after they were rotated: `invalid_grant` (a wrong password or security token, a key
/// whose certificate the app no longer holds), `invalid_client` (a wrong consumer
/// secret) or `invalid_client_id` (a consumer key it does not know). Reading the
/// credentials again may help with these, and with no other error.
pub fn refuses_credentials(error: &Error) -> bool {
    matches!(
        error,
        Error::Authentication { code, .. }
            if matches!(code.as_str(), "invalid_grant" | "invalid_client" | "invalid_client_id")
    )
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
        const PRODUCTION: &str = "https://login.salesforce.com";
        const SANDBOX: &str = "https://test.salesforce.com";
        for (login_url, expected) in [
            ("https://login.salesforce.com", PRODUCTION),
            ("https://LOGIN.Salesforce.com/", PRODUCTION),
            ("https://test.salesforce.com", SANDBOX),
            ("https://Test.Salesforce.com:443", SANDBOX),
            // My Domain of a production org, a Developer Edition and a Trailhead org.
            ("https://Acme.my.salesforce.com", PRODUCTION),
            ("https://acme-dev-ed.develop.my.salesforce.com", PRODUCTION),
            ("https://acme.trailblaze.my.salesforce.com", PRODUCTION),
            // Sandboxes and scratch orgs, with and without enhanced domains.
            ("https://acme--uat.sandbox.my.salesforce.com", SANDBOX),
            ("https://ACME--UAT.SANDBOX.MY.SALESFORCE.COM", SANDBOX),
            ("https://acme.scratch.my.salesforce.com", SANDBOX),
            ("https://acme--uat.my.salesforce.com", SANDBOX),
            ("https://acme--uat.cs42.my.salesforce.com", SANDBOX),
            ("https://cs42.salesforce.com", SANDBOX),
            ("https://eu55.salesforce.com", PRODUCTION),
            // Experience Cloud sites, and a custom domain: the site's own URL.
            ("https://acme.my.site.com", "https://acme.my.site.com"),
            (
                "https://acme--uat.sandbox.my.site.com/",
                "https://acme--uat.sandbox.my.site.com",
            ),
            ("https://acme.force.com", "https://acme.force.com"),
            (
                "https://acme.secure.force.com",
                "https://acme.secure.force.com",
            ),
            (
                "https://support.acme.example",
                "https://support.acme.example",
            ),
            // The local sandbox plays a production org.
            ("http://127.0.0.1:9000", PRODUCTION),
            ("http://localhost:9000", PRODUCTION),
            ("http://[::1]:9000", PRODUCTION),
        ] {
            assert_eq!(audience(login_url), expected, "{login_url}");
        }
    }

    #[test]
    fn jwt_audience_overrides_the_login_urls() {
        let mut credentials = Credentials::from_json(
            &serde_json::json!({"ConsumerKey": "k", "Username": "u",
                "PrivateKey": include_str!("../tests/fixtures/test-only-rsa-private-key.pem")})
            .to_string(),
            "x",
            None,
        )
        .unwrap();
        let aud = |credentials: &Credentials| {
            let assertion = jwt_assertion(
                credentials,
                "https://test.salesforce.com",
                SystemTime::now(),
            )
            .unwrap();
            let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
            validation.validate_aud = false;
            let key = jsonwebtoken::DecodingKey::from_rsa_pem(include_bytes!(
                "../tests/fixtures/test-only-rsa-public-key.pem"
            ))
            .unwrap();
            jsonwebtoken::decode::<serde_json::Value>(&assertion, &key, &validation)
                .unwrap()
                .claims["aud"]
                .clone()
        };
        assert_eq!(aud(&credentials), "https://test.salesforce.com");
        credentials.jwt_audience = Some("https://acme.my.site.com/support".into());
        assert_eq!(aud(&credentials), "https://acme.my.site.com/support");
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

    #[test]
    fn only_refused_credentials_are_worth_a_reread() {
        let refusal = |code: &str| Error::Authentication {
            flow: "password",
            code: code.into(),
            description: "authentication failure".into(),
        };
        for code in ["invalid_grant", "invalid_client", "invalid_client_id"] {
            assert!(refuses_credentials(&refusal(code)), "{code}");
        }
        for code in ["unsupported_grant_type", "inactive_user", "HTTP 503"] {
            assert!(!refuses_credentials(&refusal(code)), "{code}");
        }
        assert!(!refuses_credentials(&Error::UnexpectedResponse(
            "invalid_grant".into()
        )));
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
