//! The time an invocation may spend, so that every call ends in time for the flow.
//!
//! Amazon Connect waits at most 8 seconds for a Lambda and the invocation has its own
//! deadline; each request to Salesforce or AWS gets what is left of the earlier of the
//! two, less a margin to send the error back, so the flow reaches its Error branch
//! instead of timing out blind.

use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, Result};

/// What a function may spend of Connect's 8 seconds: the rest covers Connect's own
/// round trip to Lambda and the answer's way back.
pub const CONNECT_BUDGET: Duration = Duration::from_millis(7_000);

/// What reading the credentials and logging in may take at a cold start, before the
/// first event is taken. Connect's 8 seconds run from its call, so a cold start's
/// set-up eats into the first invocation's time: a slow or silent SSM or login server
/// is given up on early, and the first invocation tries again with its own deadline.
pub const WARM_UP_BUDGET: Duration = Duration::from_millis(3_000);

/// Kept free before the invocation's deadline to report an error.
pub const ERROR_MARGIN: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Deadline {
            at: Instant::now() + budget,
            budget,
        }
    }

    /// The deadline for an invocation that Lambda ends at `lambda_deadline`.
    ///
    /// Lambda's deadline is always ahead when an invocation starts; one that is not is
    /// an emulator's (`cargo lambda watch` sends a duration, not a time), and only
    /// Connect's budget applies.
    pub fn for_invocation(lambda_deadline: SystemTime) -> Self {
        match lambda_deadline.duration_since(SystemTime::now()) {
            Ok(until_lambda_ends) if !until_lambda_ends.is_zero() => Self::after(
                until_lambda_ends
                    .saturating_sub(ERROR_MARGIN)
                    .min(CONNECT_BUDGET),
            ),
            _ => Self::after(CONNECT_BUDGET),
        }
    }

    /// Time left for `what`, or a timeout error naming it when none is.
    pub fn remaining(&self, what: &str) -> Result<Duration> {
        let left = self.at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(self.timeout(what))
        } else {
            Ok(left)
        }
    }

    /// The error for `what` running out of this deadline.
    pub fn timeout(&self, what: &str) -> Error {
        Error::Timeout {
            what: what.to_owned(),
            budget_ms: self.budget.as_millis(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn connect_budget_caps_a_long_lambda_timeout() {
        let deadline = Deadline::for_invocation(SystemTime::now() + Duration::from_secs(900));
        let left = deadline.remaining("x").unwrap();
        assert!(
            left <= CONNECT_BUDGET && left > CONNECT_BUDGET / 2,
            "{left:?}"
        );
    }

    #[test]
    fn lambda_deadline_leaves_a_margin() {
        let deadline = Deadline::for_invocation(SystemTime::now() + Duration::from_secs(3));
        let left = deadline.remaining("x").unwrap();
        assert!(left <= Duration::from_secs(3) - ERROR_MARGIN, "{left:?}");
    }

    #[test]
    fn a_deadline_already_past_is_an_emulators_and_connects_budget_applies() {
        let deadline = Deadline::for_invocation(UNIX_EPOCH + Duration::from_millis(600_000));
        let left = deadline.remaining("x").unwrap();
        assert!(
            left <= CONNECT_BUDGET && left > CONNECT_BUDGET / 2,
            "{left:?}"
        );
    }

    #[test]
    fn a_spent_deadline_is_a_timeout_naming_the_call() {
        let deadline = Deadline::for_invocation(SystemTime::now() + ERROR_MARGIN / 2);
        let error = deadline.remaining("Salesforce query").unwrap_err();
        assert!(matches!(error, Error::Timeout { .. }));
        assert!(error.to_string().contains("Salesforce query"), "{error}");
    }
}
