//! An in-process SSM Parameter Store endpoint for the shared-token tests and the
//! benchmarks: `GetParameter`, `PutParameter` and `DeleteParameter` over the AWS JSON 1.1
//! protocol the SDK speaks, with every call counted, over HTTP or HTTPS.
//!
//! `moto_server` plays SSM everywhere else. It cannot here: its `PutParameter` checks
//! whether a name exists and appends the new version in two steps on a threaded server,
//! so two concurrent creates with `Overwrite = false` can both succeed, which real SSM
//! never allows and which is the very guarantee the shared token's lease relies on.
//! Here one mutex makes every call atomic, as in SSM.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use crate::Tls;
use crate::moto::REGION;

#[derive(Default)]
struct Store {
    /// Name → (value, type, version).
    parameters: HashMap<String, (String, String, u64)>,
    /// Calls answered, by operation (`GetParameter`, …).
    calls: HashMap<String, usize>,
    /// While set, every call is answered with this HTTP 500, as an SSM outage.
    outage: bool,
    /// The next calls answered `ThrottlingException`, as SSM does past the account's
    /// request rate.
    throttled: usize,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Store>>);

impl Shared {
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A running endpoint; stops when dropped.
pub struct ParameterStore {
    url: String,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl ParameterStore {
    /// The endpoint over plain HTTP.
    pub async fn start() -> ParameterStore {
        Self::serve(None).await
    }

    /// The endpoint over HTTPS, its certificate signed by `tls`'s CA, as SSM is only
    /// reachable over HTTPS.
    pub async fn start_tls(tls: &Tls) -> ParameterStore {
        Self::serve(Some(tls)).await
    }

    async fn serve(tls: Option<&Tls>) -> ParameterStore {
        let shared = Shared::default();
        let app = Router::new()
            .route("/", post(call))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (url, server) = match tls {
            Some(tls) => {
                let config = tls.ca().server_config().unwrap();
                let server = tokio::spawn(sf_sandbox::tls::serve(
                    listener,
                    app,
                    config,
                    std::future::pending(),
                ));
                (format!("https://{address}"), server)
            }
            None => {
                let server = tokio::spawn(async move {
                    axum::serve(listener, app).await.unwrap();
                });
                (format!("http://{address}"), server)
            }
        };
        ParameterStore {
            url,
            shared,
            server,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The variables that point an AWS SDK at this endpoint.
    pub fn aws_env(&self) -> crate::Env {
        crate::moto::aws_env(&self.url)
    }

    /// Stores `value` under `name` as a SecureString.
    pub fn put(&self, name: &str, value: &str) {
        let mut store = self.shared.store();
        let version = store.parameters.get(name).map_or(1, |(_, _, v)| v + 1);
        store.parameters.insert(
            name.to_owned(),
            (value.to_owned(), "SecureString".into(), version),
        );
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.shared
            .store()
            .parameters
            .get(name)
            .map(|(value, _, _)| value.clone())
    }

    /// Calls of `operation` (`GetParameter`, `PutParameter`, `DeleteParameter`) so far.
    pub fn calls(&self, operation: &str) -> usize {
        self.shared
            .store()
            .calls
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// Every call so far, whatever its operation.
    pub fn total_calls(&self) -> usize {
        self.shared.store().calls.values().sum()
    }

    /// The next `count` calls fail with `ThrottlingException`.
    pub fn throttle_next(&self, count: usize) {
        self.shared.store().throttled = count;
    }

    /// While `down`, every call fails with HTTP 500 `InternalServerError`.
    pub fn set_outage(&self, down: bool) {
        self.shared.store().outage = down;
    }
}

impl Drop for ParameterStore {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        [("content-type", "application/x-amz-json-1.1")],
        json!({"__type": kind, "message": message}).to_string(),
    )
        .into_response()
}

fn answer(body: Value) -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/x-amz-json-1.1")],
        body.to_string(),
    )
        .into_response()
}

async fn call(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let operation = headers
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok())
        .and_then(|target| target.strip_prefix("AmazonSSM."))
        .unwrap_or_default()
        .to_owned();
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "SerializationException",
            "not JSON",
        );
    };
    let name = request["Name"].as_str().unwrap_or_default().to_owned();
    let mut store = shared.store();
    *store.calls.entry(operation.clone()).or_default() += 1;
    if store.throttled > 0 {
        store.throttled -= 1;
        return error(
            StatusCode::BAD_REQUEST,
            "ThrottlingException",
            "Rate exceeded",
        );
    }
    if store.outage {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "injected outage",
        );
    }
    match operation.as_str() {
        "GetParameter" => match store.parameters.get(&name) {
            Some((value, kind, version)) => answer(json!({"Parameter": {
                "Name": name,
                "Type": kind,
                "Value": value,
                "Version": version,
                "LastModifiedDate": 1_767_225_600.0,
                "ARN": format!("arn:aws:ssm:{REGION}:123456789012:parameter/{}", name.trim_start_matches('/')),
                "DataType": "text",
            }})),
            None => error(StatusCode::BAD_REQUEST, "ParameterNotFound", ""),
        },
        "PutParameter" => {
            let overwrite = request["Overwrite"].as_bool().unwrap_or(false);
            let previous = store.parameters.get(&name).map(|(_, _, version)| *version);
            if previous.is_some() && !overwrite {
                return error(
                    StatusCode::BAD_REQUEST,
                    "ParameterAlreadyExists",
                    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
                );
            }
            let version = previous.map_or(1, |version| version + 1);
            let kind = request["Type"].as_str().unwrap_or("String").to_owned();
            let value = request["Value"].as_str().unwrap_or_default().to_owned();
            store.parameters.insert(name, (value, kind, version));
            answer(json!({"Version": version, "Tier": "Standard"}))
        }
        "DeleteParameter" => match store.parameters.remove(&name) {
            Some(_) => answer(json!({})),
            None => error(StatusCode::BAD_REQUEST, "ParameterNotFound", ""),
        },
        _ => error(
            StatusCode::BAD_REQUEST,
            "UnknownOperationException",
            "this endpoint serves GetParameter, PutParameter and DeleteParameter",
        ),
    }
}
