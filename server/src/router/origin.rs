//! The origin check: refuses cross-site state changes and WebSocket upgrades (CSRF).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Refuses cross-site state changes and WebSocket upgrades: a present `Origin` must be our own.
pub(super) async fn check_origin(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let upgrade = request.headers().contains_key(header::UPGRADE);
    let foreign = request.headers().get(header::ORIGIN).is_some_and(|origin| !same_origin(&state, &request, origin));
    if (changes_state || upgrade) && foreign {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-origin request refused");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(request).await
}

/// The origin is the configured public URL, or, when none is configured, the host the request was sent to.
fn same_origin(state: &AppState, request: &Request<Body>, origin: &axum::http::HeaderValue) -> bool {
    let Ok(origin) = origin.to_str() else { return false };
    if origin == state.config.public_url {
        return true;
    }
    if state.config.public_url_configured {
        return false;
    }
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    host.is_some() && authority == host
}
