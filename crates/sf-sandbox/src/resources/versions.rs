//! The Versions resource, `GET /services/data/`, and the API versions an org serves
//! ("API End-of-Life Policy", REST API Developer Guide): 31.0 up to the sandbox's
//! latest release answer; 7.0 to 30.0 are retired, and any request to them answers
//! 410 `GONE`; a version newer than the org's latest release does not exist there
//! (404 `NOT_FOUND`), nor does the `latest` alias, which the REST API Developer
//! Guide documents only from a later release. The Versions resource needs no
//! authentication and does not count against the org's API requests.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;
use crate::http::json::json_response;

/// The latest release the sandbox plays: Spring '26, API version 66.0.
pub const LATEST_API_VERSION: u32 = 66;
/// The oldest version still served; 30.0 and older were retired in Summer '25.
pub const OLDEST_API_VERSION: u32 = 31;

/// Whether a path's version segment (`v66.0`) names a version the org serves, or
/// Salesforce's refusal: 410 `GONE` for a retired one, 404 for anything else.
pub fn check(segment: &str) -> Result<(), ApiError> {
    let major = segment
        .strip_prefix('v')
        .and_then(|v| v.strip_suffix(".0"))
        .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(major) if (OLDEST_API_VERSION..=LATEST_API_VERSION).contains(&major) => Ok(()),
        Some(major) if major < OLDEST_API_VERSION => Err(ApiError::new(
            StatusCode::GONE,
            ErrorCode::Gone,
            format!(
                "API version {major}.0 is retired and unavailable: use version \
                 {OLDEST_API_VERSION}.0 or later"
            ),
        )),
        _ => Err(ApiError::not_found()),
    }
}

/// The release a version came with: 31.0 was Summer '14, and three releases follow
/// each year (Winter, Spring, Summer), Winter named for the next year.
fn label(major: u32) -> String {
    let since = major - OLDEST_API_VERSION;
    let season = ["Summer", "Winter", "Spring"][(since % 3) as usize];
    let year = 14 + since.div_ceil(3);
    format!("{season} '{year:02}")
}

/// `GET /services/data/`: every version served, oldest first.
pub async fn list() -> Response {
    let versions: Vec<Value> = (OLDEST_API_VERSION..=LATEST_API_VERSION)
        .map(|major| {
            json!({
                "label": label(major),
                "url": format!("/services/data/v{major}.0"),
                "version": format!("{major}.0"),
            })
        })
        .collect();
    json_response(StatusCode::OK, &Value::Array(versions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_release_calendar() {
        assert_eq!(label(31), "Summer '14");
        assert_eq!(label(32), "Winter '15");
        assert_eq!(label(33), "Spring '15");
        assert_eq!(label(60), "Spring '24");
        assert_eq!(label(62), "Winter '25");
        assert_eq!(label(66), "Spring '26");
    }

    #[test]
    fn served_retired_and_unknown_versions() {
        assert_eq!(check("v31.0"), Ok(()));
        assert_eq!(check("v66.0"), Ok(()));
        assert_eq!(check("v30.0").unwrap_err().status, StatusCode::GONE);
        assert_eq!(check("v7.0").unwrap_err().code, ErrorCode::Gone);
        for unknown in ["v67.0", "v66.1", "v66", "66.0", "vx.0", "v.0", ""] {
            assert_eq!(check(unknown), Err(ApiError::not_found()), "{unknown}");
        }
    }
}
