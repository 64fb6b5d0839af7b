//! A Lambda Runtime API for one function process, as documented for custom runtimes:
//! `GET /2018-06-01/runtime/invocation/next` long-polls for the next event and
//! answers it with the `Lambda-Runtime-*` headers; the function posts its answer to
//! `…/invocation/<id>/response`, a failure to `…/invocation/<id>/error`, and a failed
//! start to `/2018-06-01/runtime/init/error`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::Value;
use tokio::sync::{Mutex as AsyncMutex, mpsc, oneshot};

/// What a function answered to one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Invocation {
    /// The answer body.
    Answer(Value),
    /// The error body (`errorType`, `errorMessage`) and the `Lambda-Runtime-Function-Error-Type` header.
    Error(Value),
}

impl Invocation {
    pub fn answer(self) -> Value {
        match self {
            Invocation::Answer(answer) => answer,
            Invocation::Error(error) => panic!("expected an answer, got the error {error}"),
        }
    }

    pub fn error(self) -> Value {
        match self {
            Invocation::Error(error) => error,
            Invocation::Answer(answer) => panic!("expected an error, got the answer {answer}"),
        }
    }
}

struct Pending {
    id: String,
    event: Value,
    deadline_ms: u128,
    reply: oneshot::Sender<Invocation>,
}

#[derive(Clone)]
struct Shared {
    queue: Arc<AsyncMutex<mpsc::Receiver<Pending>>>,
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<Invocation>>>>,
    init_error: Arc<Mutex<Option<Value>>>,
    /// When the function first asked for an event: the end of its init phase.
    first_poll: Arc<Mutex<Option<std::time::Instant>>>,
}

pub struct RuntimeApi {
    address: String,
    sender: mpsc::Sender<Pending>,
    shared: Shared,
    counter: std::sync::atomic::AtomicU64,
    server: tokio::task::JoinHandle<()>,
}

impl RuntimeApi {
    pub async fn start() -> RuntimeApi {
        let (sender, receiver) = mpsc::channel(64);
        let shared = Shared {
            queue: Arc::new(AsyncMutex::new(receiver)),
            waiting: Arc::default(),
            init_error: Arc::default(),
            first_poll: Arc::default(),
        };
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        RuntimeApi {
            address,
            sender,
            shared,
            counter: Default::default(),
            server,
        }
    }

    /// `host:port`, as `AWS_LAMBDA_RUNTIME_API` takes it.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Sends `event` to the function with `timeout` to answer (the invocation's
    /// deadline), and waits for what it answers.
    pub async fn invoke_with_timeout(&self, event: Value, timeout: Duration) -> Invocation {
        let number = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (reply, answer) = oneshot::channel();
        let deadline = SystemTime::now() + timeout;
        self.sender
            .send(Pending {
                id: format!("e2e-{number:08}-8f2b-4c0e-9f1d-0a1b2c3d4e5f"),
                event,
                deadline_ms: deadline.duration_since(UNIX_EPOCH).unwrap().as_millis(),
                reply,
            })
            .await
            .unwrap();
        // Lambda would end the invocation at its deadline; a little more here, so a
        // function that overruns is seen as such rather than hanging the test.
        tokio::time::timeout(timeout + Duration::from_secs(5), answer)
            .await
            .expect("the function did not answer before the invocation's deadline")
            .expect("the runtime API dropped the invocation")
    }

    /// [`RuntimeApi::invoke_with_timeout`] with Amazon Connect's 8 seconds.
    pub async fn invoke(&self, event: Value) -> Invocation {
        self.invoke_with_timeout(event, Duration::from_secs(8))
            .await
    }

    /// When the function first asked for an event, that is, finished its init; `None`
    /// before then.
    pub fn first_poll_at(&self) -> Option<std::time::Instant> {
        *self.shared.first_poll.lock().unwrap()
    }

    /// The error the function reported at start-up, if any.
    pub fn init_error(&self) -> Option<Value> {
        self.shared.init_error.lock().unwrap().clone()
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn next(State(shared): State<Shared>) -> impl IntoResponse {
    shared
        .first_poll
        .lock()
        .unwrap()
        .get_or_insert_with(std::time::Instant::now);
    let pending = shared.queue.lock().await.recv().await;
    let Some(pending) = pending else {
        return (StatusCode::GONE, HeaderMap::new(), Bytes::new());
    };
    let mut headers = HeaderMap::new();
    let header = |value: &str| HeaderValue::from_str(value).unwrap();
    headers.insert("lambda-runtime-aws-request-id", header(&pending.id));
    headers.insert(
        "lambda-runtime-deadline-ms",
        header(&pending.deadline_ms.to_string()),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        header("arn:aws:lambda:us-east-1:123456789012:function:e2e"),
    );
    headers.insert(
        "lambda-runtime-trace-id",
        header("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0"),
    );
    headers.insert("content-type", header("application/json"));
    shared
        .waiting
        .lock()
        .unwrap()
        .insert(pending.id, pending.reply);
    (
        StatusCode::OK,
        headers,
        Bytes::from(pending.event.to_string()),
    )
}

fn reply(shared: &Shared, id: &str, outcome: Invocation) -> StatusCode {
    match shared.waiting.lock().unwrap().remove(id) {
        Some(sender) => {
            let _ = sender.send(outcome);
            StatusCode::ACCEPTED
        }
        None => StatusCode::BAD_REQUEST,
    }
}

fn json_or_text(body: &Bytes) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

async fn response(State(shared): State<Shared>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    reply(&shared, &id, Invocation::Answer(json_or_text(&body)))
}

async fn error(State(shared): State<Shared>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    reply(&shared, &id, Invocation::Error(json_or_text(&body)))
}

async fn init_error(State(shared): State<Shared>, body: Bytes) -> StatusCode {
    *shared.init_error.lock().unwrap() = Some(json_or_text(&body));
    StatusCode::ACCEPTED
}
