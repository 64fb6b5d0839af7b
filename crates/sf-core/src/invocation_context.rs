//! What one invocation may spend and what happened during it: its [`Deadline`], and
//! the [`Facts`] [`crate::Salesforce::send`] records as it goes (calls made, retries,
//! logins and shared tokens, time spent waiting on Salesforce, the org's API usage).
//! Metrics read the facts after the operation, so neither the operations nor
//! [`crate::function::Function::handle`] need to know what is counted.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::deadline::Deadline;

/// The context of one invocation (or of the warm-up before the first).
#[derive(Debug)]
pub struct InvocationContext {
    deadline: Deadline,
    facts: Mutex<Facts>,
}

/// What happened while an invocation talked to Salesforce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// HTTP requests sent to the REST API, repeats included.
    pub salesforce_calls: u32,
    /// Requests repeated after a 5xx or a dropped connection.
    pub retries: u32,
    /// Sessions Salesforce rejected (401) and that a new token replaced.
    pub token_refreshes: u32,
    /// Logins this container made at the token endpoint.
    pub logins: u32,
    /// Tokens taken from the shared store, logged in by another container.
    pub shared_tokens_used: u32,
    /// Time spent waiting for the REST API's answers.
    pub salesforce_wait: Duration,
    /// The org's API usage from the last `Sforce-Limit-Info` header seen.
    pub api_usage: Option<ApiUsage>,
}

/// `api-usage=<used>/<limit>`: the org's API requests in the last 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiUsage {
    pub used: u64,
    pub limit: u64,
}

impl ApiUsage {
    /// Reads a `Sforce-Limit-Info` header value such as `api-usage=18/15000`.
    pub fn from_header(value: &str) -> Option<Self> {
        value.split(',').find_map(|part| {
            let (used, limit) = part.trim().strip_prefix("api-usage=")?.split_once('/')?;
            Some(ApiUsage {
                used: used.trim().parse().ok()?,
                limit: limit.trim().parse().ok()?,
            })
        })
    }
}

impl InvocationContext {
    pub fn new(deadline: Deadline) -> Self {
        InvocationContext {
            deadline,
            facts: Mutex::new(Facts::default()),
        }
    }

    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// What has happened so far.
    pub fn facts(&self) -> Facts {
        self.lock().clone()
    }

    /// Records something that happened.
    pub fn record(&self, change: impl FnOnce(&mut Facts)) {
        change(&mut self.lock());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Facts> {
        // Counters stay usable even if a holder panicked: they are only ever incremented.
        self.facts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::CONNECT_BUDGET;

    #[test]
    fn api_usage_is_read_from_sforce_limit_info() {
        assert_eq!(
            ApiUsage::from_header("api-usage=18/15000"),
            Some(ApiUsage {
                used: 18,
                limit: 15000
            })
        );
        assert_eq!(
            ApiUsage::from_header("per-app-api-usage=2/250(appName=x), api-usage=25/5000"),
            Some(ApiUsage {
                used: 25,
                limit: 5000
            })
        );
        assert_eq!(ApiUsage::from_header("api-usage=many"), None);
    }

    #[test]
    fn recorded_facts_add_up() {
        let context = InvocationContext::new(crate::deadline::Deadline::after(CONNECT_BUDGET));
        context.record(|facts| facts.retries += 1);
        context.record(|facts| facts.retries += 1);
        assert_eq!(context.facts().retries, 2);
        assert_eq!(context.facts().salesforce_calls, 0);
    }
}
