//! Fault injection, switchable at runtime: latency added to every request, a
//! queue of faults that the next data requests (not token requests) take one
//! each, and expiring every token at once. Tests use these to prove that a
//! client retries what it may retry, never repeats a write, and fails clearly
//! in time. [`Faults`] is a cheap handle shared with the server; what each
//! [`Fault`] does to the request it hits ([`Fault::answer`]) is here too, and the
//! HTTP guard only hands it the request.

use std::collections::VecDeque;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::errors::ApiError;
use crate::lock::lock;

/// What happens to one data request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer this HTTP status with Salesforce's error body for it (500
    /// `UNKNOWN_EXCEPTION`, 503 `SERVER_UNAVAILABLE`, 403 `REQUEST_LIMIT_EXCEEDED`,
    /// …) without processing the request.
    Status(u16),
    /// 403 `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`,
    /// without processing the request.
    RequestLimitExceeded,
    /// Process the request, then answer its status with only the first half of
    /// its JSON body (a write still happens).
    TruncatedJson,
    /// Close the connection without answering, before processing the request.
    DropConnection,
    /// Process the request (a write happens), then close the connection without
    /// answering: the case where a client cannot know whether its write landed.
    DropConnectionAfterProcessing,
}

impl Fault {
    /// The fault's name in the admin endpoint (`status:503`, `truncated_json`, …).
    pub fn name(&self) -> String {
        match self {
            Fault::Status(status) => format!("status:{status}"),
            Fault::RequestLimitExceeded => "request_limit_exceeded".into(),
            Fault::TruncatedJson => "truncated_json".into(),
            Fault::DropConnection => "drop_connection".into(),
            Fault::DropConnectionAfterProcessing => "drop_connection_after_processing".into(),
        }
    }

    /// Whether the request is answered without being processed.
    pub fn preempts(&self) -> bool {
        matches!(
            self,
            Fault::Status(_) | Fault::RequestLimitExceeded | Fault::DropConnection
        )
    }

    /// The answer to the data request this fault hits. `process` handles the
    /// request and is awaited only when the fault does not preempt it; `None`
    /// means the connection is dropped without an answer.
    pub(crate) async fn answer(self, process: impl Future<Output = Response>) -> Option<Response> {
        match self {
            Fault::Status(status) => Some(ApiError::for_status(status).into_response()),
            Fault::RequestLimitExceeded => Some(ApiError::for_status(403).into_response()),
            Fault::DropConnection => None,
            Fault::TruncatedJson => Some(truncated(process.await).await),
            Fault::DropConnectionAfterProcessing => {
                process.await;
                None
            }
        }
    }
}

/// The answer's status and headers with only the first half of its body.
async fn truncated(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let cut = if bytes.is_empty() {
        // A 204 has nothing to cut; a lone brace is still not JSON.
        Bytes::from_static(b"{")
    } else {
        bytes.slice(..bytes.len() / 2)
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    Response::from_parts(parts, Body::from(cut))
}

/// A body that fails before its first byte: hyper then closes the connection
/// without sending anything, which the client sees as a dropped connection.
struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "sandbox fault: connection dropped",
        ))))
    }
}

pub(crate) fn dropped_connection() -> Response {
    Response::new(Body::new(FailingBody))
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(name: &str) -> Result<Fault, String> {
        match name {
            "request_limit_exceeded" => Ok(Fault::RequestLimitExceeded),
            "truncated_json" => Ok(Fault::TruncatedJson),
            "drop_connection" => Ok(Fault::DropConnection),
            "drop_connection_after_processing" => Ok(Fault::DropConnectionAfterProcessing),
            other => other
                .strip_prefix("status:")
                .and_then(|s| s.parse().ok())
                .filter(|s| (100..600).contains(s))
                .map(Fault::Status)
                .ok_or_else(|| format!("unknown fault: {other}")),
        }
    }
}

#[derive(Default)]
struct FaultState {
    latency: Duration,
    pending: VecDeque<Fault>,
}

/// Handle on the sandbox's faults; clones share the same state.
#[derive(Clone, Default)]
pub struct Faults {
    state: Arc<Mutex<FaultState>>,
    /// Tokens remember the epoch they were issued in; bumping it expires them all.
    token_epoch: Arc<AtomicU64>,
}

impl Faults {
    fn state(&self) -> MutexGuard<'_, FaultState> {
        lock(&self.state)
    }

    /// Delays every request (token and data) by `latency` before answering it.
    pub fn set_latency(&self, latency: Duration) {
        self.state().latency = latency;
    }

    /// The next `count` data requests answer `status` with Salesforce's error body.
    pub fn fail_next(&self, count: usize, status: u16) {
        self.inject_next(count, Fault::Status(status));
    }

    /// The next `count` data requests (after those already queued) meet `fault`.
    pub fn inject_next(&self, count: usize, fault: Fault) {
        self.state()
            .pending
            .extend(std::iter::repeat_n(fault, count));
    }

    /// Every token issued so far is now invalid (401 `INVALID_SESSION_ID`).
    pub fn expire_tokens(&self) {
        self.token_epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// No latency and no queued faults (tokens stay as they are).
    pub fn clear(&self) {
        *self.state() = FaultState::default();
    }

    pub fn latency(&self) -> Duration {
        self.state().latency
    }

    /// The faults still queued, next first.
    pub fn pending(&self) -> Vec<Fault> {
        self.state().pending.iter().copied().collect()
    }

    /// The fault for the data request arriving now, if any.
    pub(crate) fn take_next(&self) -> Option<Fault> {
        self.state().pending.pop_front()
    }

    pub(crate) fn token_epoch(&self) -> u64 {
        self.token_epoch.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_in_order_once_each() {
        let faults = Faults::default();
        faults.fail_next(2, 503);
        faults.inject_next(1, Fault::DropConnection);
        assert_eq!(faults.take_next(), Some(Fault::Status(503)));
        assert_eq!(faults.take_next(), Some(Fault::Status(503)));
        assert_eq!(faults.take_next(), Some(Fault::DropConnection));
        assert_eq!(faults.take_next(), None);
    }

    #[test]
    fn names_round_trip() {
        for fault in [
            Fault::Status(500),
            Fault::RequestLimitExceeded,
            Fault::TruncatedJson,
            Fault::DropConnection,
            Fault::DropConnectionAfterProcessing,
        ] {
            assert_eq!(fault.name().parse::<Fault>(), Ok(fault));
        }
        assert!("status:99".parse::<Fault>().is_err());
        assert!("nope".parse::<Fault>().is_err());
    }

    #[tokio::test]
    async fn only_faults_that_do_not_preempt_process_the_request() {
        for fault in [
            Fault::Status(503),
            Fault::RequestLimitExceeded,
            Fault::TruncatedJson,
            Fault::DropConnection,
            Fault::DropConnectionAfterProcessing,
        ] {
            let mut processed = false;
            let process = async {
                processed = true;
                StatusCode::CREATED.into_response()
            };
            let answer = fault.answer(process).await;
            assert_eq!(processed, !fault.preempts(), "{fault:?}");
            let dropped = matches!(
                fault,
                Fault::DropConnection | Fault::DropConnectionAfterProcessing
            );
            assert_eq!(answer.is_none(), dropped, "{fault:?}");
        }
    }

    #[test]
    fn expiring_tokens_moves_the_epoch_and_clear_keeps_it() {
        let faults = Faults::default();
        let before = faults.token_epoch();
        faults.expire_tokens();
        faults.set_latency(Duration::from_millis(5));
        faults.clear();
        assert_eq!(faults.token_epoch(), before + 1);
        assert_eq!(faults.latency(), Duration::ZERO);
    }
}
