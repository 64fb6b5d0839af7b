//! Which path goes to which handler: the data resources behind the guard, the
//! token endpoint behind its own lighter guard, the admin endpoints and the Versions
//! resource unguarded, and Salesforce's answers for unknown paths and methods. A
//! path is read by [`paths::normalize`] before it is routed.

use std::sync::Arc;

use axum::Router;
use axum::http::{Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::admin;
use crate::error_codes::ErrorCode;
use crate::http::errors::ApiError;
use crate::http::guard;
use crate::http::paths;
use crate::resources::{chatter, oauth, query, search, sobjects, versions};
use crate::state::AppState;

pub fn router(app: Arc<AppState>) -> Router {
    let data = Router::new()
        .route("/services/data/{version}/query", get(query::query))
        .route(
            "/services/data/{version}/query/{locator}",
            get(query::query_more),
        )
        .route(
            "/services/data/{version}/parameterizedSearch",
            post(search::parameterized::parameterized_search),
        )
        .route("/services/data/{version}/search", get(search::sosl::search))
        .route(
            "/services/data/{version}/sobjects/{object}",
            post(sobjects::create),
        )
        .route(
            "/services/data/{version}/sobjects/{object}/{id}",
            get(sobjects::read)
                .patch(sobjects::update)
                .delete(sobjects::delete),
        )
        .route(
            "/services/data/{version}/chatter/feed-elements",
            post(chatter::post_feed_element),
        )
        .route(
            "/services/data/{version}/chatter/feed-elements/{id}/capabilities/comments/items",
            post(chatter::post_comment),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            guard::data_guard,
        ));
    let login = Router::new()
        .route("/services/oauth2/token", post(oauth::token))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            guard::token_guard,
        ));
    let admin = Router::new()
        .route(
            "/__sandbox/faults",
            get(admin::show_faults).post(admin::set_faults),
        )
        .route(
            "/__sandbox/stats",
            get(admin::show_stats).delete(admin::reset_stats),
        );
    // The Versions resource needs no token and is not counted.
    let versions = Router::new()
        .route("/services/data", get(versions::list))
        .route("/services/data/", get(versions::list));
    let routes = Router::new()
        .merge(data)
        .merge(login)
        .merge(admin)
        .merge(versions)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app);
    // A layer on a router runs after routing, so the path is read (a trailing slash
    // dropped) by an outer router that hands every request to the routes.
    Router::new()
        .fallback_service(routes)
        .layer(middleware::map_request(paths::normalize))
}

async fn not_found() -> Response {
    ApiError::not_found().into_response()
}

async fn method_not_allowed(method: Method) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        format!("HTTP Method '{method}' not allowed."),
    )
    .into_response()
}
