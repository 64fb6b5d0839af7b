//! A local stand-in for a Salesforce org that speaks the real REST wire protocol,
//! for the Lambdas' integration tests (started in-process) and for `make demo`
//! (the `sf-sandbox` binary).
//!
//! [`Sandbox::start`] serves on `127.0.0.1` and answers, in Salesforce's shapes:
//!
//! - `POST /services/oauth2/token` (form body): grants `password` (password +
//!   security token), `client_credentials` and JWT bearer
//!   (`urn:ietf:params:oauth:grant-type:jwt-bearer`, RS256, `iss` = client id,
//!   `sub` = username, `aud` = the login server of the org kind the sandbox
//!   plays, [`PRODUCTION_JWT_AUDIENCE`] unless configured, `exp` in the future), with `instance_url` = the sandbox's URL;
//! - `GET /services/data/` (the versions served: 31.0 to 66.0; 30.0 and older
//!   answer 410 `GONE`, later ones 404);
//! - `GET /services/data/vNN.N/query?q=` (a SOQL subset: SELECT with parent
//!   paths such as `Account.Owner.Name`, FROM, WHERE with `= != < > <= >= LIKE IN`,
//!   `AND OR NOT` and parentheses, ORDER BY, LIMIT, OFFSET) and its
//!   `nextRecordsUrl` batches;
//! - `POST /services/data/vNN.N/parameterizedSearch` and
//!   `GET /services/data/vNN.N/search?q=FIND {…} IN … FIELDS RETURNING …` (SOSL's
//!   search text: reserved characters refused unless escaped, whole-word,
//!   case-insensitive matching with `*`/`?` wildcards and `AND`/`OR`/`AND NOT`,
//!   digits-only matching on phone fields, at most 2,000 records);
//! - `POST|GET|PATCH|DELETE /services/data/vNN.N/sobjects/<Object>[/<id>]`;
//! - `POST /services/data/vNN.N/chatter/feed-elements` and
//!   `…/feed-elements/<id>/capabilities/comments/items`.
//!
//! Data routes need `Authorization: Bearer <token>` from the token endpoint. With
//! [`SandboxConfig::tls`] the same routes are served over HTTPS only, with a
//! certificate signed by a [`TestCa`] ([`tls`]), and tokens name an `https://`
//! instance URL.
//! The org lives in memory, seeded from JSON ([`SeedData`]; by default the
//! committed sample org `data/sample-org.json`). [`Faults`] injects latency,
//! error statuses, `REQUEST_LIMIT_EXCEEDED`, truncated JSON, dropped connections
//! and token expiry at runtime; [`Stats`] counts token and data requests.
//!
//! Default credentials ([`Credentials::default`]): client id
//! [`DEFAULT_CLIENT_ID`], secret [`DEFAULT_CLIENT_SECRET`], username
//! [`DEFAULT_USERNAME`], password [`DEFAULT_PASSWORD`] + security token
//! [`DEFAULT_SECURITY_TOKEN`], and for the JWT grant the committed test-only key
//! pair [`TEST_JWT_PUBLIC_KEY_PEM`] / [`TEST_JWT_PRIVATE_KEY_PEM`]. Tokens live
//! [`DEFAULT_TOKEN_LIFETIME`]; queries answer [`DEFAULT_BATCH_SIZE`] records per
//! batch.
//!
//! The code is laid out like moto's stand-ins for AWS services, so that "where
//! does rule X live" is answered by a file name:
//!
//! - `resources/`: one module per Salesforce resource (`oauth`, `query`,
//!   `sobjects`, `search/`, `chatter`, `versions`), reading requests and shaping
//!   answers;
//! - `model/`: the org and Salesforce's rules for it (`schema`, `field_paths`,
//!   `store`, `records`, `values`, `ids`, `tokens`, `seed`), with no HTTP in it;
//! - `soql/`: the SOQL pipeline (tokenizer, parser, evaluator);
//! - `sosl/`: SOSL's search text and statements, their WHERE handed to `soql/`;
//! - `http/`: `routes`, how a path is read before routing (`paths`: a trailing
//!   slash), the `guard` every data request passes, Salesforce's error answers
//!   (`errors`) and JSON bodies (`json`);
//! - `error_codes` (every `errorCode` answered), `api_usage` (the org's daily API
//!   allocation and `Sforce-Limit-Info`), `faults`, `stats`, and `admin`
//!   (the sandbox's own `/__sandbox/` endpoints); `config` and `state` hold what a
//!   sandbox is started with and what its handlers share.
//!
//! ```no_run
//! # async fn demo() -> Result<(), sf_sandbox::SandboxError> {
//! use sf_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("login URL: {}", sandbox.url());
//! sandbox.faults().fail_next(2, 503);
//! assert_eq!(sandbox.stats().token_requests(), 0);
//! # Ok(()) }
//! ```

mod admin;
mod api_usage;
mod config;
mod error_codes;
mod faults;
mod http;
mod lock;
mod model;
mod resources;
mod soql;
mod sosl;
mod state;
mod stats;
pub mod tls;

use std::sync::{Arc, Mutex};

use jsonwebtoken::DecodingKey;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    Credentials, DEFAULT_BATCH_SIZE, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    DEFAULT_DAILY_API_REQUESTS, DEFAULT_PASSWORD, DEFAULT_SECURITY_TOKEN, DEFAULT_TOKEN_LIFETIME,
    DEFAULT_USERNAME, PRODUCTION_JWT_AUDIENCE, SandboxConfig, TEST_JWT_PRIVATE_KEY_PEM,
    TEST_JWT_PUBLIC_KEY_PEM,
};
pub use error_codes::ErrorCode;
pub use faults::{Fault, Faults};
pub use model::ids;
pub use model::seed::{SeedData, SeedError};
pub use model::store::WriteError;
/// The SOQL tokenizer, for clients' tests: what Salesforce would read a statement as.
pub use soql::{SoqlError, tokenizer};
/// The SOSL search-text reader, for clients' tests: what Salesforce would read the
/// text of `FIND {…}` (or a parameterized search's `q`) as.
pub use sosl::{SoslError, text as search_text};
pub use stats::{RequestRecord, Stats};
pub use tls::TestCa;

use api_usage::ApiUsage;
use lock::lock;
use model::store::{Store, Writer};
use state::AppState;

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error("the JWT public key is not a PEM RSA public key: {0}")]
    JwtKey(String),
    #[error(transparent)]
    Tls(#[from] tls::CertificateError),
}

/// A running sandbox. Dropping it shuts the server down.
pub struct Sandbox {
    url: String,
    app: Arc<AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts serving on `127.0.0.1:config.port` on the current Tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let store = Store::from_seed(&config.seed)?;
        let jwt_key = config
            .credentials
            .jwt_public_key_pem
            .as_deref()
            .map(|pem| {
                DecodingKey::from_rsa_pem(pem.as_bytes())
                    .map_err(|e| SandboxError::JwtKey(e.to_string()))
            })
            .transpose()?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|source| SandboxError::Bind {
                port: config.port,
                source,
            })?;
        let port = listener
            .local_addr()
            .map_err(|source| SandboxError::Bind {
                port: config.port,
                source,
            })?
            .port();
        let server_tls = config
            .tls
            .as_deref()
            .map(TestCa::server_config)
            .transpose()?;
        let scheme = if server_tls.is_some() {
            "https"
        } else {
            "http"
        };
        let url = format!("{scheme}://127.0.0.1:{port}");
        let app = Arc::new(AppState {
            base_url: url.clone(),
            credentials: config.credentials,
            jwt_key,
            token_lifetime: config.token_lifetime,
            batch_size: config.batch_size.max(1),
            store: Mutex::new(store),
            tokens: Mutex::default(),
            cursors: Mutex::default(),
            faults: Faults::default(),
            stats: Stats::default(),
            api_usage: ApiUsage::new(config.daily_api_requests),
        });
        let (shutdown, stop) = oneshot::channel::<()>();
        let router = http::routes::router(app.clone());
        let stop = async {
            let _ = stop.await;
        };
        let server = tokio::spawn(async move {
            match server_tls {
                Some(server_tls) => tls::serve(listener, router, server_tls, stop).await,
                None => {
                    let serving = axum::serve(listener, router).with_graceful_shutdown(stop);
                    // A failing accept loop ends the sandbox; tests then see refused
                    // connections, which is the honest signal.
                    let _ = serving.await;
                }
            }
        });
        Ok(Sandbox {
            url,
            app,
            shutdown: Some(shutdown),
            server: Some(server),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT` (`https://` with [`SandboxConfig::tls`]):
    /// both the login URL and the instance URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `{url}/services/oauth2/token`
    pub fn token_url(&self) -> String {
        format!("{}/services/oauth2/token", self.url)
    }

    pub fn faults(&self) -> &Faults {
        &self.app.faults
    }

    pub fn stats(&self) -> &Stats {
        &self.app.stats
    }

    /// A record's stored fields (canonical names, no `attributes`), by a 15- or
    /// 18-character id; `None` if `object` has no such record.
    pub fn record(&self, object: &str, id: &str) -> Option<Value> {
        let store = self.app.store();
        let (_, record) = store.get(object, id).ok()?;
        Some(Value::Object(record.clone()))
    }

    /// All records of `object`, in insertion order (empty for an unknown object).
    pub fn records(&self, object: &str) -> Vec<Value> {
        let store = self.app.store();
        let Some(def) = store.schema().object(object) else {
            return Vec::new();
        };
        store
            .records(&def.name)
            .iter()
            .map(|r| Value::Object(r.clone()))
            .collect()
    }

    /// Adds a record directly (not counted, no faults), answering its id. Any
    /// field may be set, read-only ones included; unknown fields and bad values
    /// are still refused.
    pub fn insert(&self, object: &str, fields: Value) -> Result<String, WriteError> {
        let fields = match fields {
            Value::Object(map) => map,
            _ => {
                return Err(WriteError::BadValue {
                    code: ErrorCode::JsonParserError,
                    message: "a record is a JSON object".into(),
                    field: String::new(),
                });
            }
        };
        self.app.store().create(object, fields, Writer::System)
    }

    /// A valid access token without a token request (not counted).
    pub fn issue_token(&self) -> String {
        self.app.issue_token()
    }

    /// Every access token this sandbox has issued (by the token endpoint or
    /// [`Sandbox::issue_token`]), expired ones included: what a client must never log.
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.app.tokens).all()
    }

    /// Stops accepting requests and waits for the server to finish.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
