//! The org's daily API request allocation ("API Request Limits and Allocations",
//! Salesforce Developer Limits and Allocations Quick Reference): every REST request
//! that reaches the org with a valid token counts, and its answer carries
//! `Sforce-Limit-Info: api-usage=N/M` ("Limit Info Header", REST API Developer
//! Guide). Once the allocation is spent, requests answer 403
//! `REQUEST_LIMIT_EXCEEDED`. Token requests and the Versions resource do not count.
//! The sandbox never lives a day, so its count never resets.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;

/// An Enterprise Edition org's base allocation (100,000 requests a day, before the
/// 1,000 each license adds); a Developer Edition org has 15,000.
pub const DEFAULT_DAILY_API_REQUESTS: u64 = 100_000;

const LIMIT_INFO: HeaderName = HeaderName::from_static("sforce-limit-info");

pub struct ApiUsage {
    used: AtomicU64,
    limit: u64,
}

/// The org's usage after a request: `api-usage=used/limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub used: u64,
    pub limit: u64,
}

impl ApiUsage {
    pub fn new(limit: u64) -> ApiUsage {
        ApiUsage {
            used: AtomicU64::new(0),
            limit,
        }
    }

    /// Counts one request, or refuses it (uncounted) when the allocation is spent.
    pub fn count(&self) -> Result<Usage, (ApiError, Usage)> {
        let limit = self.limit;
        match self
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                (used < limit).then_some(used + 1)
            }) {
            Ok(before) => Ok(Usage {
                used: before + 1,
                limit,
            }),
            Err(used) => Err((
                ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::RequestLimitExceeded,
                    "TotalRequests Limit exceeded.",
                ),
                Usage { used, limit },
            )),
        }
    }
}

impl Usage {
    /// Adds the `Sforce-Limit-Info` header to an answer.
    pub fn stamp(self, mut response: Response) -> Response {
        let value = format!("api-usage={}/{}", self.used, self.limit);
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(LIMIT_INFO, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_to_the_limit_then_refuses_without_counting() {
        let usage = ApiUsage::new(2);
        assert_eq!(usage.count().unwrap(), Usage { used: 1, limit: 2 });
        assert_eq!(usage.count().unwrap(), Usage { used: 2, limit: 2 });
        for _ in 0..2 {
            let (error, now) = usage.count().unwrap_err();
            assert_eq!(error.status, StatusCode::FORBIDDEN);
            assert_eq!(error.code, ErrorCode::RequestLimitExceeded);
            assert_eq!(now, Usage { used: 2, limit: 2 });
        }
    }
}
