//! The Salesforce credentials: where they are read from and what they hold.
//!
//! They live in an SSM Parameter Store SecureString (or a Secrets Manager secret read
//! through Parameter Store's `/aws/reference/secretsmanager/<id>` path), as JSON with
//! the older integration's keys (`ConsumerKey`, `ConsumerSecret`, `Password`,
//! `AccessToken` = the security token, `AuthToken` = a cached access token) plus
//! `Username`, `PrivateKey`, `AuthFlow` and `InstanceUrl`. [`CredentialsReader`] reads
//! them; [`Credentials`] checks that the chosen flow has what it needs;
//! [`CredentialsCache`] keeps them for the container's life, and reads them again when
//! the token endpoint refuses them, so that a rotated secret reaches warm containers.
//!
//! Nothing here ever formats a secret: `Debug` is redacted, and errors name keys, never
//! values (the JSON is parsed as an untyped value first, because serde's typed errors
//! quote the offending value).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Mutex;

use crate::auth;
use crate::config::{Config, CredentialsSource};
use crate::deadline::Deadline;
use crate::error::{Error, Result};

/// The OAuth 2.0 flow used to obtain an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFlow {
    /// JWT bearer flow: an RS256 assertion signed with `PrivateKey`.
    Jwt,
    /// Client credentials flow: the connected app's key and secret.
    ClientCredentials,
    /// Username-password flow: password plus security token.
    Password,
}

impl AuthFlow {
    pub fn name(self) -> &'static str {
        match self {
            AuthFlow::Jwt => "jwt",
            AuthFlow::ClientCredentials => "client_credentials",
            AuthFlow::Password => "password",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub flow: AuthFlow,
    pub consumer_key: String,
    pub consumer_secret: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The security token appended to the password (`AccessToken` in the older secret).
    pub security_token: Option<String>,
    /// PEM-encoded RSA private key for the JWT bearer flow.
    pub private_key: Option<String>,
    /// A still-valid access token to use before logging in (`AuthToken`), with the
    /// instance it belongs to (`InstanceUrl`).
    pub cached_token: Option<(String, String)>,
    /// The JWT assertion's `aud` from `SF_JWT_AUDIENCE`; without it the login URL
    /// decides ([`crate::auth::audience`]). Like `SF_USERNAME`, a claim the
    /// environment supplies where the secret does not.
    pub jwt_audience: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("flow", &self.flow)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Reads the credentials JSON. `source` names where it came from in errors;
    /// `username` is `SF_USERNAME`, used where the JSON has no `Username`.
    pub fn from_json(json: &str, source: &str, username: Option<&str>) -> Result<Self> {
        let problem = |problem: String| Error::Credentials {
            source_name: source.to_owned(),
            problem,
        };
        let value: Value = serde_json::from_str(json).map_err(|error| {
            problem(format!(
                "not valid JSON (line {}, column {})",
                error.line(),
                error.column()
            ))
        })?;
        let object = value
            .as_object()
            .ok_or_else(|| problem("expected a JSON object of credential keys".into()))?;
        let key = |name: &str| -> Result<Option<String>> {
            match object.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.trim().to_owned())),
                Some(_) => Err(problem(format!("`{name}` must be a string"))),
            }
        };
        let private_key = key("PrivateKey")?.map(|pem| unescape_newlines(&pem));
        let password = key("Password")?;
        let flow = match key("AuthFlow")?.as_deref() {
            Some("jwt") => AuthFlow::Jwt,
            Some("client_credentials") => AuthFlow::ClientCredentials,
            Some("password") => AuthFlow::Password,
            Some(_) => {
                return Err(problem(
                    "`AuthFlow` must be \"jwt\", \"client_credentials\" or \"password\"".into(),
                ));
            }
            None if private_key.is_some() => AuthFlow::Jwt,
            None if password.is_some() => AuthFlow::Password,
            None => AuthFlow::ClientCredentials,
        };
        let credentials = Credentials {
            flow,
            consumer_key: key("ConsumerKey")?.unwrap_or_default(),
            consumer_secret: key("ConsumerSecret")?,
            username: key("Username")?.or_else(|| username.map(str::to_owned)),
            password,
            security_token: key("AccessToken")?,
            private_key,
            cached_token: match (key("AuthToken")?, key("InstanceUrl")?) {
                (Some(token), Some(instance)) => {
                    Some((token, instance.trim_end_matches('/').into()))
                }
                _ => None,
            },
            jwt_audience: None,
        };
        credentials.check(source)?;
        Ok(credentials)
    }

    /// Every key the flow needs is present.
    fn check(&self, source: &str) -> Result<()> {
        let mut needed = vec![("ConsumerKey", !self.consumer_key.is_empty())];
        match self.flow {
            AuthFlow::Jwt => {
                needed.push(("Username (or SF_USERNAME)", self.username.is_some()));
                needed.push(("PrivateKey", self.private_key.is_some()));
            }
            AuthFlow::ClientCredentials => {
                needed.push(("ConsumerSecret", self.consumer_secret.is_some()));
            }
            AuthFlow::Password => {
                needed.push(("ConsumerSecret", self.consumer_secret.is_some()));
                needed.push(("Username (or SF_USERNAME)", self.username.is_some()));
                needed.push(("Password", self.password.is_some()));
            }
        }
        let missing: Vec<&str> = needed
            .into_iter()
            .filter(|(_, present)| !present)
            .map(|(name, _)| name)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::Credentials {
            source_name: source.to_owned(),
            problem: format!("the {} flow needs {}", self.flow.name(), missing.join(", ")),
        })
    }
}

/// A PEM pasted into a JSON editor often arrives with `\n` written out; a PEM never
/// holds a backslash, so turning them back into newlines is safe.
fn unescape_newlines(pem: &str) -> String {
    pem.replace("\\r\\n", "\n").replace("\\n", "\n")
}

/// Reads the credentials from their source, and checks them against the rest of the
/// configuration: this is where the secret's login flow meets `SF_LOGIN_URL`. Holds
/// the SSM client, built once.
pub struct CredentialsReader {
    source: CredentialsSource,
    username: Option<String>,
    login_url: String,
    jwt_audience: Option<String>,
    ssm: Option<aws_sdk_ssm::Client>,
}

impl CredentialsReader {
    /// With the SSM client the credentials are read through, when they live in SSM
    /// ([`crate::Salesforce::from_config`] builds the function's; tests point one at a
    /// local endpoint).
    pub fn with_ssm_client(config: &Config, ssm: Option<aws_sdk_ssm::Client>) -> Self {
        CredentialsReader {
            source: config.credentials.clone(),
            username: config.username.clone(),
            login_url: config.login_url.clone(),
            jwt_audience: config.jwt_audience.clone(),
            ssm,
        }
    }

    /// Whether a second read can return anything else: inline credentials
    /// (`SF_CREDENTIALS`) are the environment's, fixed for the container's life.
    fn can_change(&self) -> bool {
        matches!(self.source, CredentialsSource::Parameter(_))
    }

    /// [`CredentialsReader::read`], or a timeout error naming the source when `deadline`
    /// passes first: an SSM endpoint that accepts connections and never answers would
    /// otherwise hold the invocation past Connect's limit.
    pub async fn read_within(&self, deadline: Deadline) -> Result<Credentials> {
        let what = self.source.describe();
        let budget = deadline.remaining(&what)?;
        tokio::time::timeout(budget, self.read())
            .await
            .unwrap_or_else(|_| Err(deadline.timeout(&what)))
    }

    /// The credentials, or a configuration error when `SF_LOGIN_URL` cannot serve
    /// their flow ([`auth::check_login_url`]).
    pub async fn read(&self) -> Result<Credentials> {
        let description = self.source.describe();
        let json = match &self.source {
            CredentialsSource::Inline(json) => json.clone(),
            CredentialsSource::Parameter(name) => self.read_parameter(name).await?,
        };
        let credentials = Credentials::from_json(&json, &description, self.username.as_deref())?;
        auth::check_login_url(credentials.flow, &self.login_url)?;
        Ok(Credentials {
            jwt_audience: self.jwt_audience.clone(),
            ..credentials
        })
    }

    async fn read_parameter(&self, name: &str) -> Result<String> {
        use aws_sdk_ssm::error::{DisplayErrorContext, ProvideErrorMetadata};

        let failed = |problem: String| Error::Credentials {
            source_name: format!("SSM parameter `{name}`"),
            problem,
        };
        let ssm = self
            .ssm
            .as_ref()
            .ok_or_else(|| failed("no SSM client configured".into()))?;
        let output = ssm
            .get_parameter()
            .name(name)
            .with_decryption(true)
            .send()
            .await
            .map_err(|error| match error.as_service_error() {
                Some(service) if service.is_parameter_not_found() => failed(
                    "not found: create it (a SecureString holding the credentials JSON) or \
                     correct SF_CREDENTIALS_PARAMETER"
                        .into(),
                ),
                Some(service) => failed(format!(
                    "{}: {}",
                    service.code().unwrap_or("error"),
                    service.message().unwrap_or("no message")
                )),
                None => failed(format!(
                    "could not reach SSM: {}",
                    DisplayErrorContext(&error)
                )),
            })?;
        output
            .parameter
            .and_then(|parameter| parameter.value)
            .ok_or_else(|| failed("the parameter has no value".into()))
    }
}

/// The shortest time between two re-reads of the credentials in one container. A wrong
/// secret makes every login fail; without a bound each failure would read SSM again.
pub const REREAD_INTERVAL: Duration = Duration::from_secs(30);

/// The container's credentials: read on first use and kept, since reading them costs
/// an SSM call. When the token endpoint refuses them, [`CredentialsCache::reread`]
/// reads them again (an admin may have rotated the password, security token, consumer
/// secret or key in SSM or Secrets Manager), at most once per [`REREAD_INTERVAL`].
pub struct CredentialsCache {
    reader: CredentialsReader,
    state: Mutex<KeptCredentials>,
}

#[derive(Default)]
struct KeptCredentials {
    current: Option<Arc<Credentials>>,
    /// When the credentials were last read again after a refusal. The first read does
    /// not count: the first refusal after a container starts may be a rotation that
    /// happened since, and must be able to read them at once.
    last_reread: Option<Instant>,
}

impl CredentialsCache {
    pub fn new(reader: CredentialsReader) -> Self {
        CredentialsCache {
            reader,
            state: Mutex::default(),
        }
    }

    /// The credentials kept, or those read within `deadline` when none are; a failed
    /// read is tried again by the next caller.
    pub async fn get(&self, deadline: Deadline) -> Result<Arc<Credentials>> {
        let mut state = self.state.lock().await;
        if let Some(credentials) = &state.current {
            return Ok(credentials.clone());
        }
        let credentials = Arc::new(self.reader.read_within(deadline).await?);
        state.current = Some(credentials.clone());
        Ok(credentials)
    }

    /// Credentials to log in with in place of `refused`, which the token endpoint
    /// refused: those another caller has read since, or a new read of the source within
    /// `deadline`. `None` when there are none worth a login: the source cannot change
    /// (inline credentials), the last re-read was less than [`REREAD_INTERVAL`] ago,
    /// or the source still holds the same credentials (a login would fail the same way
    /// and count against Salesforce's logins an hour).
    pub async fn reread(
        &self,
        refused: &Arc<Credentials>,
        deadline: Deadline,
    ) -> Result<Option<Arc<Credentials>>> {
        if !self.reader.can_change() {
            return Ok(None);
        }
        let mut state = self.state.lock().await;
        if let Some(current) = &state.current
            && !Arc::ptr_eq(current, refused)
        {
            return Ok(Some(current.clone()));
        }
        if state
            .last_reread
            .is_some_and(|at| at.elapsed() < REREAD_INTERVAL)
        {
            return Ok(None);
        }
        // Counted before the read, so that a read that fails is not repeated at once.
        state.last_reread = Some(Instant::now());
        let fresh = self.reader.read_within(deadline).await;
        let changed = fresh.as_ref().is_ok_and(|fresh| fresh != &**refused);
        tracing::info!(
            source = %self.reader.source.describe(),
            read = fresh.is_ok(),
            changed,
            "the token endpoint refused the credentials; read them again"
        );
        let fresh = fresh?;
        if !changed {
            return Ok(None);
        }
        let fresh = Arc::new(fresh);
        state.current = Some(fresh.clone());
        Ok(Some(fresh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Credentials> {
        Credentials::from_json(json, "`SF_CREDENTIALS`", None)
    }

    #[test]
    fn the_older_integrations_secret_works_unchanged() {
        let credentials = read(
            r#"{"ConsumerKey":"key","ConsumerSecret":"secret","Username":"u@x.com",
                "Password":"pw","AccessToken":"sectoken","AuthToken":"00Dxx!old"}"#,
        )
        .unwrap();
        assert_eq!(credentials.flow, AuthFlow::Password);
        assert_eq!(credentials.security_token.as_deref(), Some("sectoken"));
        // Without its instance an old access token cannot be used.
        assert_eq!(credentials.cached_token, None);
    }

    #[test]
    fn flow_is_chosen_from_the_keys_present() {
        let jwt =
            read(r#"{"ConsumerKey":"k","Username":"u","PrivateKey":"-----BEGIN\\nX"}"#).unwrap();
        assert_eq!(jwt.flow, AuthFlow::Jwt);
        assert_eq!(jwt.private_key.as_deref(), Some("-----BEGIN\nX"));
        let client = read(r#"{"ConsumerKey":"k","ConsumerSecret":"s"}"#).unwrap();
        assert_eq!(client.flow, AuthFlow::ClientCredentials);
        let explicit = read(
            r#"{"AuthFlow":"client_credentials","ConsumerKey":"k","ConsumerSecret":"s","Password":"p"}"#,
        )
        .unwrap();
        assert_eq!(explicit.flow, AuthFlow::ClientCredentials);
    }

    #[test]
    fn username_falls_back_to_the_environment() {
        let credentials = Credentials::from_json(
            r#"{"ConsumerKey":"k","PrivateKey":"pem"}"#,
            "src",
            Some("env-user"),
        )
        .unwrap();
        assert_eq!(credentials.username.as_deref(), Some("env-user"));
    }

    #[test]
    fn cached_token_needs_its_instance() {
        let credentials = read(
            r#"{"ConsumerKey":"k","ConsumerSecret":"s","AuthToken":"tok","InstanceUrl":"https://x.my.salesforce.com/"}"#,
        )
        .unwrap();
        assert_eq!(
            credentials.cached_token,
            Some(("tok".into(), "https://x.my.salesforce.com".into()))
        );
    }

    #[test]
    fn missing_keys_are_named() {
        let error =
            read(r#"{"AuthFlow":"password","ConsumerKey":"k","Password":"p"}"#).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("ConsumerSecret"), "{message}");
        assert!(message.contains("Username"), "{message}");
        assert!(!message.contains("Password,"), "{message}");
        let error = read(r#"{"AuthFlow":"saml","ConsumerKey":"k"}"#).unwrap_err();
        assert!(error.to_string().contains("`AuthFlow`"));
    }

    #[test]
    fn errors_never_quote_secret_values() {
        for json in [
            r#"{"ConsumerKey":"k","Password":12345678}"#,
            r#"{"ConsumerKey":"k","Password":"hunter2""#,
            r#"["hunter2"]"#,
            r#"{"ConsumerKey":"k","ConsumerSecret":["hunter2"]}"#,
        ] {
            let message = read(json).unwrap_err().to_string();
            assert!(!message.contains("hunter2"), "{message}");
            assert!(!message.contains("12345678"), "{message}");
        }
    }

    /// Reads `json` inline with `SF_LOGIN_URL` = `login_url` (the default when `None`).
    async fn read_with_login_url(json: &str, login_url: Option<&str>) -> Result<Credentials> {
        let config = Config::from_lookup(|name| match name {
            "SF_CREDENTIALS" => Some(json.to_owned()),
            "SF_LOGIN_URL" => login_url.map(str::to_owned),
            _ => None,
        })
        .unwrap();
        CredentialsReader::with_ssm_client(&config, None)
            .read()
            .await
    }

    #[tokio::test]
    async fn client_credentials_at_a_generic_login_url_are_a_configuration_error() {
        let explicit = r#"{"AuthFlow":"client_credentials","ConsumerKey":"k","ConsumerSecret":"s","Password":"p"}"#;
        let inferred = r#"{"ConsumerKey":"k","ConsumerSecret":"s"}"#;
        for (json, login_url) in [
            (explicit, None),
            (inferred, None),
            (inferred, Some("https://test.salesforce.com/")),
        ] {
            let error = read_with_login_url(json, login_url).await.unwrap_err();
            assert!(
                matches!(&error, Error::Configuration { variable, .. } if variable == "SF_LOGIN_URL"),
                "{error:?}"
            );
        }
        let password = r#"{"ConsumerKey":"k","ConsumerSecret":"s","Username":"u","Password":"p"}"#;
        assert!(read_with_login_url(password, None).await.is_ok());
        let my_domain = Some("https://acme.my.salesforce.com");
        assert!(read_with_login_url(inferred, my_domain).await.is_ok());
    }

    #[test]
    fn debug_is_redacted() {
        let credentials = read(r#"{"ConsumerKey":"key1","ConsumerSecret":"secret1"}"#).unwrap();
        let debug = format!("{credentials:?}");
        assert!(
            !debug.contains("key1") && !debug.contains("secret1"),
            "{debug}"
        );
    }
}
