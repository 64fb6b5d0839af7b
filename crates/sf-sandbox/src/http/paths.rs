//! How a REST path is read before routing. Salesforce accepts a trailing slash on
//! its REST resources (`/query/`, `/sobjects/Case/`, `/parameterizedSearch/`), and
//! client libraries such as simple-salesforce send one, so the sandbox reads
//! `/services/data/vNN.N/<resource>/` as `/services/data/vNN.N/<resource>`. The
//! Versions resource is `/services/data/` itself and keeps its slash.

use axum::extract::Request;
use axum::http::Uri;
use axum::http::uri::PathAndQuery;

const DATA_PREFIX: &str = "/services/data/";

/// The path `path` names, without the trailing slash of a resource under a version.
fn resource_path(path: &str) -> Option<&str> {
    let under_version = path.strip_prefix(DATA_PREFIX)?;
    let (_version, resource) = under_version.split_once('/')?;
    let trimmed = path.strip_suffix('/')?;
    (!resource.trim_end_matches('/').is_empty()).then_some(trimmed)
}

/// Rewrites the request's path as routing reads it; the query string is kept.
pub async fn normalize(mut request: Request) -> Request {
    let Some(path) = resource_path(request.uri().path()) else {
        return request;
    };
    let path_and_query = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    let mut parts = request.uri().clone().into_parts();
    if let Ok(rewritten) = path_and_query.parse::<PathAndQuery>() {
        parts.path_and_query = Some(rewritten);
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_resource_under_a_version_loses_its_trailing_slash() {
        let cases = [
            (
                "/services/data/v66.0/query/",
                Some("/services/data/v66.0/query"),
            ),
            (
                "/services/data/v66.0/sobjects/Case/500x/",
                Some("/services/data/v66.0/sobjects/Case/500x"),
            ),
            ("/services/data/v66.0/query", None),
            ("/services/data/v66.0/", None),
            ("/services/data/", None),
            ("/services/oauth2/token/", None),
            ("/__sandbox/stats/", None),
        ];
        for (path, expected) in cases {
            assert_eq!(resource_path(path), expected, "{path}");
        }
    }

    #[tokio::test]
    async fn the_query_string_is_kept() {
        let request = Request::builder()
            .uri("/services/data/v66.0/query/?q=SELECT+Id+FROM+Case")
            .body(axum::body::Body::empty())
            .unwrap();
        let request = normalize(request).await;
        assert_eq!(
            request.uri().to_string(),
            "/services/data/v66.0/query?q=SELECT+Id+FROM+Case"
        );
    }
}
