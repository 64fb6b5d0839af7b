//! The Salesforce REST client shared by every operation: one HTTP client, the
//! credentials and the access token, all kept for the container's life. A token comes
//! from the credentials' cached `AuthToken`, from the containers' shared store when one
//! is configured ([`crate::shared_token`]), or from a login. A login the token endpoint
//! refuses (`invalid_grant`, `invalid_client`, `invalid_client_id`) reads the
//! credentials again and, when they have changed, logs in once more
//! ([`crate::credentials::CredentialsCache::reread`]).
//!
//! [`Salesforce::send`] carries one [`ApiRequest`] to the org's instance, within the
//! deadline of an [`InvocationContext`] where it records what happened (calls, retries,
//! logins, time waited), and turns Salesforce's error arrays into [`Error::Salesforce`].
//! Two recoveries are built in:
//! - a 401 (an expired or revoked session) fetches one new token and retries once, for
//!   every request: Salesforce refused it before doing anything;
//! - a 5xx or a dropped connection repeats a *read* a few times with a short backoff,
//!   inside the invocation's deadline. A write is repeated only when the connection
//!   failed before the request was sent: Connect itself retries a failed invocation,
//!   and a create that may have reached Salesforce must not happen twice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::auth::{Token, TokenCache, refuses_credentials, request_token, transport_error};
use crate::config::{Config, CredentialsSource};
use crate::credentials::{Credentials, CredentialsCache, CredentialsReader};
use crate::deadline::Deadline;
use crate::error::{Error, Result, SalesforceError};
use crate::invocation_context::{ApiUsage, InvocationContext};
use crate::masking::mask_phone_numbers;
use crate::shared_token::{Next, SharedTokenStore};

/// Reads are tried at most this many times in all.
const READ_ATTEMPTS: u32 = 3;
/// The first pause before a repeat; it doubles with each.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// Bounds the TCP and TLS handshake, so an unreachable host fails fast.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Idle connections are dropped before Salesforce's side would close them, so a
/// container thawed after a pause does not write into a dead socket.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// Bounds every SSM call (credentials, shared token) with its retries, so a slow or
/// unreachable AWS endpoint costs a cold start two seconds, not Connect's whole budget.
const SSM_OPERATION_TIMEOUT: Duration = Duration::from_secs(2);
const SSM_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// The SSM client of the Lambda environment (region and credentials from it;
/// `AWS_ENDPOINT_URL` honoured), trusting the roots the Salesforce client trusts.
async fn ssm_client() -> aws_sdk_ssm::Client {
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(SSM_CONNECT_TIMEOUT)
        .operation_timeout(SSM_OPERATION_TIMEOUT)
        .build();
    let aws = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(crate::root_certificates::aws_http_client())
        .timeout_config(timeouts)
        .load()
        .await;
    aws_sdk_ssm::Client::new(&aws)
}

/// One call to the REST API.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    method: Method,
    /// Below `/services/data/vNN.N` (`/query`), or a full `/services/data/…` path as
    /// Salesforce hands out in `nextRecordsUrl`.
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    /// Whether repeating the call after it may have reached Salesforce is harmless.
    repeatable: bool,
    /// Names the call in errors and logs.
    what: &'static str,
}

impl ApiRequest {
    /// A GET: repeatable.
    pub fn read(what: &'static str, path: impl Into<String>) -> Self {
        ApiRequest {
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            body: None,
            repeatable: true,
            what,
        }
    }

    /// A POST that changes nothing, such as a parameterized search: repeatable.
    pub fn post_read(what: &'static str, path: impl Into<String>, body: Value) -> Self {
        ApiRequest {
            method: Method::POST,
            body: Some(body),
            ..Self::read(what, path)
        }
    }

    /// A create, update or delete: never repeated once it may have been received.
    pub fn write(
        what: &'static str,
        method: Method,
        path: impl Into<String>,
        body: Option<Value>,
    ) -> Self {
        ApiRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            body,
            repeatable: false,
            what,
        }
    }

    pub fn with_query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// The query parameters and body as a debug log shows them, with phone numbers
    /// masked: a SOQL condition or a search body may hold the caller's number.
    fn logged_detail(&self) -> String {
        let mut detail: Vec<String> = self
            .query
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if let Some(body) = &self.body {
            detail.push(body.to_string());
        }
        mask_phone_numbers(&detail.join(" "))
    }
}

/// What a login does when the token endpoint refuses the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnRefusal {
    /// Read them again and, when they have changed, log in once more.
    Reread,
    /// Fail with the refusal.
    Fail,
}

/// A successful answer: its status and JSON body (`Null` when empty, as for a 204).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    pub status: u16,
    pub body: Value,
}

pub struct Salesforce {
    http: reqwest::Client,
    login_url: String,
    api_version: String,
    credentials: CredentialsCache,
    tokens: TokenCache,
    shared_tokens: Option<SharedTokenStore>,
}

impl Salesforce {
    /// The client for the function, reading credentials and sharing tokens as `config`
    /// says. One SSM client serves both, built only when one of them needs it.
    pub async fn from_config(config: &Config) -> Result<Self> {
        let needs_ssm = matches!(config.credentials, CredentialsSource::Parameter(_))
            || config.token_cache_parameter.is_some();
        let ssm = if needs_ssm {
            Some(ssm_client().await)
        } else {
            None
        };
        let reader = CredentialsReader::with_ssm_client(config, ssm.clone());
        let salesforce = Self::new(config, reader)?;
        Ok(match (&config.token_cache_parameter, ssm) {
            (Some(parameter), Some(ssm)) => {
                salesforce.with_shared_tokens(SharedTokenStore::new(ssm, parameter))
            }
            _ => salesforce,
        })
    }

    /// Shares access tokens with the function's other containers through `store`.
    pub fn with_shared_tokens(mut self, store: SharedTokenStore) -> Self {
        self.shared_tokens = Some(store);
        self
    }

    pub fn new(config: &Config, reader: CredentialsReader) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .user_agent(concat!("sf-connect-lambdas/", env!("CARGO_PKG_VERSION")))
            .redirect(crate::auth::redirect_policy())
            .tls_backend_preconfigured(crate::root_certificates::salesforce_tls())
            .build()
            .map_err(|error| Error::Unreachable {
                what: "the HTTP client".into(),
                reason: error.to_string(),
            })?;
        Ok(Salesforce {
            http,
            login_url: config.login_url.clone(),
            api_version: config.api_version.clone(),
            credentials: CredentialsCache::new(reader),
            tokens: TokenCache::default(),
            shared_tokens: None,
        })
    }

    /// Reads the credentials and gets a token now, so that the first invocation does not
    /// wait for them. A failure is left for that invocation to meet and report again.
    ///
    /// A refused login here does not read the credentials again: they were read a
    /// moment ago, and the re-read allowed per interval is kept for the invocations.
    pub async fn warm_up(&self, deadline: Deadline) -> Result<()> {
        let context = InvocationContext::new(deadline);
        let credentials = self.credentials.get(deadline).await?;
        self.tokens
            .get(|| self.first_token(&credentials, &context, OnRefusal::Fail))
            .await
            .map(drop)
    }

    /// A cached `AuthToken` when the credentials hold one, else a new token.
    async fn first_token(
        &self,
        credentials: &Arc<Credentials>,
        context: &InvocationContext,
        on_refusal: OnRefusal,
    ) -> Result<Token> {
        match &credentials.cached_token {
            Some((access_token, instance_url)) => Ok(Token {
                access_token: access_token.clone(),
                instance_url: instance_url.clone(),
            }),
            None => self.new_token(credentials, None, context, on_refusal).await,
        }
    }

    /// A token other than `rejected`: another container's from the shared store when it
    /// holds one, else a login of this container's own, shared when a store is set.
    async fn new_token(
        &self,
        credentials: &Arc<Credentials>,
        rejected: Option<&Token>,
        context: &InvocationContext,
        on_refusal: OnRefusal,
    ) -> Result<Token> {
        let Some(store) = &self.shared_tokens else {
            return self.login(credentials, context, on_refusal).await;
        };
        match store.next(rejected, context.deadline()).await {
            Next::Use(token) => {
                tracing::debug!("using the token another container shared");
                context.record(|facts| facts.shared_tokens_used += 1);
                Ok(token)
            }
            Next::LogInAlone => self.login(credentials, context, on_refusal).await,
            Next::LogIn => {
                // The lease is held through a re-read and second login too, so the other
                // containers wait for the token of the rotated credentials.
                let login = self.login(credentials, context, on_refusal).await;
                match &login {
                    Ok(token) => store.publish(token).await,
                    Err(_) => store.release_lease().await,
                }
                login
            }
        }
    }

    /// Logs in with `credentials`; when the token endpoint refuses them and `on_refusal`
    /// allows, reads them again and logs in once more if they have changed. Otherwise
    /// the refusal stands.
    async fn login(
        &self,
        credentials: &Arc<Credentials>,
        context: &InvocationContext,
        on_refusal: OnRefusal,
    ) -> Result<Token> {
        let refusal = match self.request_token(credentials, context).await {
            Err(error) if on_refusal == OnRefusal::Reread && refuses_credentials(&error) => error,
            outcome => return outcome,
        };
        match self
            .credentials
            .reread(credentials, context.deadline())
            .await?
        {
            Some(fresh) => self.request_token(&fresh, context).await,
            None => Err(refusal),
        }
    }

    async fn request_token(
        &self,
        credentials: &Credentials,
        context: &InvocationContext,
    ) -> Result<Token> {
        tracing::debug!(flow = credentials.flow.name(), "requesting an access token");
        context.record(|facts| facts.logins += 1);
        request_token(&self.http, &self.login_url, credentials, context.deadline()).await
    }

    /// Sends `request` within `context`'s deadline, recovering as the module says, and
    /// returns the answer or Salesforce's error; what happened on the way is recorded
    /// in `context`.
    pub async fn send(
        &self,
        request: &ApiRequest,
        context: &InvocationContext,
    ) -> Result<ApiResponse> {
        let deadline = context.deadline();
        let credentials = self.credentials.get(deadline).await?;
        let mut token = self
            .tokens
            .get(|| self.first_token(&credentials, context, OnRefusal::Reread))
            .await?;
        let mut token_replaced = false;
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(request, &token, context).await;
            let retry = match &outcome {
                Ok((401, _)) if !token_replaced => {
                    tracing::info!(call = request.what, "session rejected; logging in again");
                    context.record(|facts| facts.token_refreshes += 1);
                    token = self
                        .tokens
                        .replace(&token, || {
                            self.new_token(&credentials, Some(&token), context, OnRefusal::Reread)
                        })
                        .await?;
                    token_replaced = true;
                    continue;
                }
                Ok((status, _)) => request.repeatable && *status >= 500,
                Err(error) => request.repeatable || error.is_connect(),
            };
            if retry && attempt < READ_ATTEMPTS && self.pause_before_retry(attempt, deadline).await
            {
                tracing::warn!(call = request.what, attempt, "retrying after a failure");
                context.record(|facts| facts.retries += 1);
                attempt += 1;
                continue;
            }
            return match outcome {
                Ok((status, body)) => interpret(status, &body),
                Err(error) => Err(transport_error(
                    &format!("Salesforce ({})", request.what),
                    error,
                    deadline,
                )),
            };
        }
    }

    /// Waits before attempt `attempt + 1`; false when the deadline leaves no room for it.
    async fn pause_before_retry(&self, attempt: u32, deadline: Deadline) -> bool {
        let pause = FIRST_BACKOFF * 2u32.pow(attempt - 1);
        match deadline.remaining("") {
            Ok(left) if left > pause * 2 => {
                tokio::time::sleep(pause).await;
                true
            }
            _ => false,
        }
    }

    /// One HTTP exchange: the status and the raw body.
    async fn attempt(
        &self,
        request: &ApiRequest,
        token: &Token,
        context: &InvocationContext,
    ) -> std::result::Result<(u16, Vec<u8>), reqwest::Error> {
        let deadline = context.deadline();
        let url = if request.path.starts_with("/services/data/") {
            format!("{}{}", token.instance_url, request.path)
        } else {
            format!(
                "{}/services/data/{}{}",
                token.instance_url, self.api_version, request.path
            )
        };
        // Past the deadline the request still goes out with a minimal timeout, so the
        // caller gets the same timeout error from one place.
        let timeout = deadline
            .remaining(request.what)
            .unwrap_or(Duration::from_millis(1));
        let mut builder = self
            .http
            .request(request.method.clone(), url)
            .bearer_auth(&token.access_token)
            .timeout(timeout);
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        tracing::debug!(
            method = %request.method,
            path = %mask_phone_numbers(&request.path),
            call = request.what,
            detail = %request.logged_detail(),
            "calling Salesforce"
        );
        context.record(|facts| facts.salesforce_calls += 1);
        let started = Instant::now();
        let exchange = async {
            let response = builder.send().await?;
            let api_usage = response
                .headers()
                .get("sforce-limit-info")
                .and_then(|value| value.to_str().ok())
                .and_then(ApiUsage::from_header);
            let status = response.status().as_u16();
            Ok((status, api_usage, response.bytes().await?))
        };
        let exchange: std::result::Result<_, reqwest::Error> = exchange.await;
        context.record(|facts| {
            facts.salesforce_wait += started.elapsed();
            if let Ok((_, Some(usage), _)) = &exchange {
                facts.api_usage = Some(*usage);
            }
        });
        let (status, _, body) = exchange?;
        tracing::debug!(
            status,
            bytes = body.len(),
            call = request.what,
            "Salesforce answered"
        );
        Ok((status, body.to_vec()))
    }
}

/// A 2xx answer's JSON, or the error Salesforce's body describes.
fn interpret(status: u16, body: &[u8]) -> Result<ApiResponse> {
    if (200..300).contains(&status) {
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(body).map_err(|_| {
                Error::UnexpectedResponse(format!(
                    "HTTP {status} with a body that is not valid JSON"
                ))
            })?
        };
        return Ok(ApiResponse { status, body });
    }
    // Salesforce answers errors as an array of {errorCode, message}; a few resources
    // (Chatter among them) answer a single such object.
    let errors: Vec<SalesforceError> = serde_json::from_slice::<Vec<SalesforceError>>(body)
        .or_else(|_| serde_json::from_slice::<SalesforceError>(body).map(|one| vec![one]))
        .unwrap_or_default();
    let errors: Vec<SalesforceError> = errors
        .into_iter()
        .filter(|error| !error.error_code.is_empty() || !error.message.is_empty())
        .collect();
    if errors.is_empty() {
        return Err(Error::UnexpectedResponse(format!(
            "HTTP {status} without Salesforce's error details"
        )));
    }
    Err(Error::Salesforce { status, errors })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn success_bodies_are_json_or_nothing() {
        assert_eq!(
            interpret(200, br#"{"totalSize":0}"#).unwrap(),
            ApiResponse {
                status: 200,
                body: json!({"totalSize": 0})
            }
        );
        assert_eq!(interpret(204, b"").unwrap().body, Value::Null);
        assert!(matches!(
            interpret(200, br#"{"totalSize":"#),
            Err(Error::UnexpectedResponse(_))
        ));
    }

    #[test]
    fn error_arrays_become_salesforce_errors() {
        let error = interpret(
            400,
            br#"[{"message":"unexpected token: FROM","errorCode":"MALFORMED_QUERY"}]"#,
        )
        .unwrap_err();
        assert_eq!(
            error,
            Error::Salesforce {
                status: 400,
                errors: vec![SalesforceError::new(
                    "MALFORMED_QUERY",
                    "unexpected token: FROM"
                )]
            }
        );
        let two = interpret(
            400,
            br#"[{"message":"a","errorCode":"REQUIRED_FIELD_MISSING","fields":["Subject"]},{"message":"b","errorCode":"INVALID_FIELD"}]"#,
        )
        .unwrap_err();
        assert_eq!(
            two.to_string(),
            "Salesforce error (HTTP 400): REQUIRED_FIELD_MISSING, INVALID_FIELD: a; b"
        );
        let Error::Salesforce { errors, .. } = &two else {
            panic!("{two:?}");
        };
        assert_eq!(errors[0].fields, ["Subject"]);
        assert_eq!(errors[1].error_code, "INVALID_FIELD");
        let null_fields =
            interpret(400, br#"[{"errorCode":"X","message":"m","fields":null}]"#).unwrap_err();
        assert_eq!(null_fields.to_string(), "Salesforce error (HTTP 400): X: m");
        let single = interpret(404, br#"{"errorCode":"NOT_FOUND","message":"gone"}"#).unwrap_err();
        assert!(single.to_string().contains("NOT_FOUND: gone"));
    }

    #[test]
    fn logged_detail_masks_the_callers_number() {
        let query = ApiRequest::read("query", "/query").with_query(
            "q",
            "SELECT Id FROM Contact WHERE MobilePhone LIKE '%555%123%4567%'",
        );
        assert_eq!(
            query.logged_detail(),
            "q=SELECT Id FROM Contact WHERE MobilePhone LIKE '%***%***%4567%'"
        );
        let search = ApiRequest::post_read(
            "parameterizedSearch",
            "/parameterizedSearch",
            json!({"q": "1122334455", "in": "PHONE"}),
        );
        assert_eq!(search.logged_detail(), r#"{"q":"******4455","in":"PHONE"}"#);
    }

    #[test]
    fn errors_without_details_say_so() {
        for body in [&b"<html>Bad gateway</html>"[..], b"", b"[]", b"[{}]"] {
            assert!(matches!(
                interpret(502, body),
                Err(Error::UnexpectedResponse(_))
            ));
        }
    }
}
