//! Counters of what reached the sandbox: token requests, and every data request
//! with its method, path and the status it was answered with, so that tests can
//! assert things like "the create was sent exactly once" or "one login served
//! ten invocations". [`Stats`] is a cheap handle shared with the server.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::lock::lock;

/// One data request as the sandbox saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    /// The path without the query string (`/services/data/v66.0/sobjects/Case`).
    pub path: String,
    /// The query string as sent, without its `?` (`q=SELECT+Id+FROM+Case`).
    pub query: Option<String>,
    /// The request body as sent (empty for a GET), so a benchmark can replay the
    /// exact call.
    pub body: Vec<u8>,
    /// The status answered; `None` when the connection was dropped (by a fault,
    /// or by the client before the answer was ready).
    pub status: Option<u16>,
}

#[derive(Default)]
struct StatsState {
    token_requests: usize,
    requests: Vec<RequestRecord>,
}

/// Handle on the sandbox's counters; clones share the same counters.
#[derive(Clone, Default)]
pub struct Stats {
    state: Arc<Mutex<StatsState>>,
}

impl Stats {
    fn state(&self) -> MutexGuard<'_, StatsState> {
        lock(&self.state)
    }

    /// Requests to `/services/oauth2/token`, successful or not.
    pub fn token_requests(&self) -> usize {
        self.state().token_requests
    }

    /// Requests to `/services/data/…`, whatever their answer.
    pub fn data_requests(&self) -> usize {
        self.state().requests.len()
    }

    /// Data requests with `method` (any case) whose path ends with `path_suffix`,
    /// so tests need not know the API version: `requests("POST", "/sobjects/Case")`.
    pub fn requests(&self, method: &str, path_suffix: &str) -> usize {
        self.state()
            .requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.ends_with(path_suffix))
            .count()
    }

    /// Every data request so far, oldest first.
    pub fn request_log(&self) -> Vec<RequestRecord> {
        self.state().requests.clone()
    }

    /// Forgets everything counted so far.
    pub fn reset(&self) {
        *self.state() = StatsState::default();
    }

    pub(crate) fn count_token_request(&self) {
        self.state().token_requests += 1;
    }

    /// Logs a data request as it arrives; its answer is filled in by `answered`.
    /// Logging on arrival means a request the client gave up on still counts.
    pub(crate) fn arrived(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        body: &[u8],
    ) -> usize {
        let mut state = self.state();
        state.requests.push(RequestRecord {
            method: method.to_string(),
            path: path.to_string(),
            query: query.map(str::to_owned),
            body: body.to_vec(),
            status: None,
        });
        state.requests.len() - 1
    }

    pub(crate) fn answered(&self, entry: usize, status: u16) {
        if let Some(record) = self.state().requests.get_mut(entry) {
            record.status = Some(status);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_method_and_path_suffix() {
        let stats = Stats::default();
        let first = stats.arrived(
            "POST",
            "/services/data/v66.0/sobjects/Case",
            None,
            br#"{"Subject":"x"}"#,
        );
        stats.answered(first, 201);
        stats.arrived(
            "GET",
            "/services/data/v66.0/sobjects/Case/500",
            Some("fields=Id"),
            b"",
        );
        stats.count_token_request();
        assert_eq!(stats.requests("post", "/sobjects/Case"), 1);
        assert_eq!(stats.requests("GET", "/sobjects/Case"), 0);
        assert_eq!(stats.data_requests(), 2);
        assert_eq!(stats.token_requests(), 1);
        assert_eq!(stats.request_log()[0].status, Some(201));
        assert_eq!(stats.request_log()[1].status, None);
        assert_eq!(stats.request_log()[0].body, br#"{"Subject":"x"}"#);
        assert_eq!(stats.request_log()[1].query.as_deref(), Some("fields=Id"));
        stats.reset();
        assert_eq!(stats.data_requests(), 0);
    }
}
