//! An access token shared by every container of the functions, kept in an SSM
//! parameter (`SF_TOKEN_CACHE_PARAMETER`, a SecureString).
//!
//! Salesforce blocks a user after 3,600 logins an hour, and a busy contact centre can
//! start hundreds of containers at once (eleven functions, each scaled out). With this
//! store the first container to need a token logs in and stores it; the others read it
//! instead of logging in. When Salesforce rejects the stored token, one container
//! replaces it while the others wait for the new one.
//!
//! "One container" is a lease: a second parameter, `<name>-lock`, created with
//! `Overwrite = false`, which SSM creates for exactly one caller. A lease older than
//! [`LEASE`] belonged to a container that died mid-login and is taken over.
//!
//! The store only ever saves logins; it never costs a caller more than a moment. Each
//! SSM call is bounded by [`CALL_TIMEOUT`], and when SSM fails the container logs in
//! by itself ([`Next::LogInAlone`]) and the call goes on.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_ssm::types::ParameterType;
use serde::{Deserialize, Serialize};

use crate::auth::Token;
use crate::deadline::Deadline;

/// How long a lease protects a login in progress.
pub const LEASE: Duration = Duration::from_secs(5);
/// The longest one SSM call of the store may take, its SDK retries included; SSM
/// answers in tens of milliseconds when it is well.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(500);
/// The first pause while another container logs in; it grows by half each time.
const FIRST_POLL: Duration = Duration::from_millis(50);
const LONGEST_POLL: Duration = Duration::from_millis(400);
/// How long a container waits for another's login before logging in itself.
const LONGEST_WAIT: Duration = Duration::from_secs(3);

#[derive(Serialize, Deserialize)]
struct StoredToken {
    access_token: String,
    instance_url: String,
}

pub struct SharedTokenStore {
    ssm: aws_sdk_ssm::Client,
    parameter: String,
    lock: String,
}

/// What a container should do to get a token.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Another container's token, not the one just rejected.
    Use(Token),
    /// This container holds the lease: log in, then [`SharedTokenStore::publish`] (or
    /// [`SharedTokenStore::release_lease`] when the login fails).
    LogIn,
    /// The store cannot help now (SSM failed, or another container's login takes too
    /// long): log in without touching the store again.
    LogInAlone,
}

/// SSM could not be used: it failed, or did not answer within [`CALL_TIMEOUT`].
struct Unavailable;

impl SharedTokenStore {
    /// The store in `parameter`, reached through `ssm`'s configuration less its
    /// retries: the store polls at its own pace, and an SDK backoff after a throttle
    /// would only outlast [`CALL_TIMEOUT`].
    pub fn new(ssm: aws_sdk_ssm::Client, parameter: &str) -> Self {
        let without_retries = ssm
            .config()
            .to_builder()
            .retry_config(aws_sdk_ssm::config::retry::RetryConfig::disabled())
            .build();
        SharedTokenStore {
            ssm: aws_sdk_ssm::Client::from_conf(without_retries),
            parameter: parameter.to_owned(),
            lock: format!("{parameter}-lock"),
        }
    }

    /// A stored token other than `rejected`; or, once this container holds the lease,
    /// [`Next::LogIn`]. Waits for another container's login while it holds the lease,
    /// up to [`LONGEST_WAIT`] or the deadline, then logs in regardless: a slow peer must
    /// not make a caller wait.
    pub async fn next(&self, rejected: Option<&Token>, deadline: Deadline) -> Next {
        let mut pause = FIRST_POLL;
        let mut waited = Duration::ZERO;
        loop {
            match self.other_token(rejected).await {
                Ok(Some(token)) => return Next::Use(token),
                Ok(None) => {}
                Err(Unavailable) => return Next::LogInAlone,
            }
            match self.take_lease().await {
                Ok(true) => {
                    // Another container may have stored its token and given up the lease
                    // between the read above and now: look once more before logging in.
                    return match self.other_token(rejected).await {
                        Ok(Some(token)) => {
                            self.release_lease().await;
                            Next::Use(token)
                        }
                        _ => Next::LogIn,
                    };
                }
                Ok(false) => {}
                Err(Unavailable) => return Next::LogInAlone,
            }
            let room = deadline.remaining("").unwrap_or_default();
            if waited >= LONGEST_WAIT || room < pause * 4 {
                tracing::info!("another container is logging in for too long; logging in here");
                return Next::LogInAlone;
            }
            tokio::time::sleep(pause + jitter(pause)).await;
            waited += pause;
            pause = (pause * 3 / 2).min(LONGEST_POLL);
        }
    }

    /// Stores the token this container got, and gives up its lease.
    pub async fn publish(&self, token: &Token) {
        let value = serde_json::to_string(&StoredToken {
            access_token: token.access_token.clone(),
            instance_url: token.instance_url.clone(),
        })
        .unwrap_or_default();
        let stored = bounded(
            self.ssm
                .put_parameter()
                .name(&self.parameter)
                .value(value)
                .r#type(ParameterType::SecureString)
                .overwrite(true)
                .send(),
        )
        .await;
        if let Err(problem) = stored {
            tracing::warn!(parameter = %self.parameter, %problem, "could not share the token");
        }
        self.release_lease().await;
    }

    /// Gives up the lease without a token (the login failed), so another container
    /// can try at once.
    pub async fn release_lease(&self) {
        let _ = bounded(self.ssm.delete_parameter().name(&self.lock).send()).await;
    }

    /// The stored token unless it is `rejected`; `None` when there is none.
    async fn other_token(
        &self,
        rejected: Option<&Token>,
    ) -> std::result::Result<Option<Token>, Unavailable> {
        let output = bounded(
            self.ssm
                .get_parameter()
                .name(&self.parameter)
                .with_decryption(true)
                .send(),
        )
        .await;
        let value = match output {
            Ok(output) => output.parameter.and_then(|parameter| parameter.value),
            Err(SsmError::Service(service)) if service.is_parameter_not_found() => None,
            Err(SsmError::Throttled) => None,
            Err(problem) => {
                tracing::warn!(parameter = %self.parameter, %problem, "could not read the shared token");
                return Err(Unavailable);
            }
        };
        // A value that is not ours (edited by hand) is as good as none: a login replaces it.
        let token = value
            .and_then(|value| serde_json::from_str::<StoredToken>(&value).ok())
            .map(|stored| Token {
                access_token: stored.access_token,
                instance_url: stored.instance_url,
            });
        Ok(token.filter(|token| Some(token) != rejected))
    }

    /// Creates the lease parameter; true when this container now holds it. A lease
    /// older than [`LEASE`] is removed first.
    async fn take_lease(&self) -> std::result::Result<bool, Unavailable> {
        for _ in 0..2 {
            let created = bounded(
                self.ssm
                    .put_parameter()
                    .name(&self.lock)
                    .value(now_ms().to_string())
                    .r#type(ParameterType::String)
                    .overwrite(false)
                    .send(),
            )
            .await;
            match created {
                Ok(_) => return Ok(true),
                Err(SsmError::Service(service)) if service.is_parameter_already_exists() => {
                    if !self.lease_is_stale().await {
                        return Ok(false);
                    }
                    tracing::info!(lock = %self.lock, "taking over a stale lease");
                    self.release_lease().await;
                }
                Err(SsmError::Throttled) => return Ok(false),
                Err(problem) => {
                    tracing::warn!(lock = %self.lock, %problem, "could not take the login lease");
                    return Err(Unavailable);
                }
            }
        }
        Ok(false)
    }

    async fn lease_is_stale(&self) -> bool {
        let taken_at = bounded(self.ssm.get_parameter().name(&self.lock).send())
            .await
            .ok()
            .and_then(|output| output.parameter?.value?.parse::<u128>().ok());
        match taken_at {
            Some(taken_at) => now_ms().saturating_sub(taken_at) > LEASE.as_millis(),
            // Gone since: the next attempt to create it decides.
            None => true,
        }
    }
}

/// Why an SSM call of the store failed.
enum SsmError<E> {
    /// SSM answered with an error of the operation.
    Service(E),
    /// SSM refused the call for the account's request rate, as it will when hundreds
    /// of containers start at once: a reason to wait, not to log in.
    Throttled,
    /// Anything else, described for the log: no answer in time, a dropped
    /// connection, a throttle.
    Other(String),
}

impl<E> std::fmt::Display for SsmError<E>
where
    E: std::error::Error,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SsmError::Service(error) => write!(f, "{error}"),
            SsmError::Throttled => f.write_str("throttled"),
            SsmError::Other(problem) => f.write_str(problem),
        }
    }
}

/// Runs one SDK call within [`CALL_TIMEOUT`].
async fn bounded<T, E, R>(
    call: impl Future<Output = std::result::Result<T, aws_sdk_ssm::error::SdkError<E, R>>>,
) -> std::result::Result<T, SsmError<E>>
where
    E: std::error::Error + aws_sdk_ssm::error::ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(error))
            if aws_sdk_ssm::error::ProvideErrorMetadata::code(&error)
                == Some("ThrottlingException") =>
        {
            Err(SsmError::Throttled)
        }
        Ok(Err(aws_sdk_ssm::error::SdkError::ServiceError(service))) => {
            Err(SsmError::Service(service.into_err()))
        }
        Ok(Err(error)) => Err(SsmError::Other(
            aws_sdk_ssm::error::DisplayErrorContext(&error).to_string(),
        )),
        Err(_) => Err(SsmError::Other(format!(
            "no answer within {} ms",
            CALL_TIMEOUT.as_millis()
        ))),
    }
}

/// Up to a quarter of `pause`, so that containers started together do not poll SSM in
/// step. The clock's nanoseconds are random enough for that, and need no crate.
fn jitter(pause: Duration) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    pause / 4 * (nanos % 1000) / 1000
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}
