//! The HTTP surface: API routes, the sync socket, pages (Leptos SSR), static files, and the two
//! layers every request passes (the origin check, then finding out who is asking).

mod authenticate;
mod origin;
pub mod security_headers;

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use kompromiss_client::app::{App, shell};
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::routes::{
    auth, backup, ballots, comments, documents, drafts, evaluations, exports, health, history, lang, meters, metrics,
    moderation, notifications, sync, sync_tickets, versions,
};
use crate::state::AppState;

/// The largest request body any endpoint takes (forms and server functions are far smaller; sync
/// runs over the WebSocket).
pub const MAX_REQUEST_BODY_BYTES: usize = 1024 * 1024;

/// The pages' routes, generated once per process. Leptos suppresses resource loading for the whole
/// process while it generates them (a global flag in `leptos_server`), so a page rendering in another
/// server of the same process at that moment waited forever for its data (leptos-rs/leptos#4773;
/// seen as a hung test). Later servers reuse the list and never raise the flag.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The router of the separate metrics address (`KOMPROMISS_METRICS_BIND`): `/metrics` only.
pub fn meters_only(state: AppState) -> Router {
    Router::new().route("/metrics", get(meters::get_meters_on_own_address)).with_state(state)
}

/// Builds the router with all routes and layers.
pub fn build(state: AppState) -> Router {
    let routes = page_routes();
    let pages = crate::pages::handle(state.clone());
    let leptos_options = state.leptos.clone();
    let site_root = std::path::PathBuf::from(leptos_options.site_root.as_ref());
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(meters::get_meters))
        .route("/sync", get(sync::sync_socket))
        .route("/api/sync-tickets", post(sync_tickets::issue))
        .route("/api/documents", get(documents::list_documents).post(documents::create_document))
        .route("/api/documents/{id}", get(documents::get_document))
        .route("/api/documents/{id}/snapshot", get(documents::get_snapshot))
        .route("/api/documents/{id}/changes", get(history::get_changes))
        .route("/api/documents/{id}/comments", get(comments::list).post(comments::open_thread))
        .route("/api/documents/{id}/comments/{thread}/replies", post(comments::reply))
        .route("/api/documents/{id}/comments/{thread}/resolve", post(comments::resolve))
        .route("/api/documents/{id}/comments/{thread}/reopen", post(comments::reopen))
        .route("/api/documents/{id}/comments/{thread}/{comment}", patch(comments::edit).delete(comments::delete))
        .route("/api/documents/{id}/comments/{thread}/lock", post(moderation::lock))
        .route("/api/documents/{id}/comments/{thread}/unlock", post(moderation::unlock))
        .route("/api/documents/{id}/comments/{thread}/{comment}/reports", post(moderation::report))
        .route("/api/documents/{id}/comments/{thread}/{comment}/hide", post(moderation::hide))
        .route("/api/documents/{id}/comments/{thread}/{comment}/restore", post(moderation::restore))
        .route("/api/documents/{id}/reports", get(moderation::queue))
        .route("/api/documents/{id}/people", get(notifications::mentionable))
        .route("/api/documents/{id}/drafts", get(drafts::list).post(drafts::create))
        .route("/api/documents/{id}/timeline", get(versions::timeline))
        .route("/api/documents/{id}/at", get(versions::at))
        .route("/api/documents/{id}/authorship", get(versions::authorship))
        .route("/api/documents/{id}/compare", get(versions::compare))
        .route("/api/documents/{id}/versions", post(versions::name))
        .route("/api/documents/{id}/restore", post(versions::restore))
        .route("/api/documents/{id}/ballots", get(ballots::list).post(ballots::open))
        .route("/api/documents/{id}/decisions", get(ballots::decisions))
        .route("/api/documents/{id}/metrics", get(metrics::view).post(metrics::enter))
        .route("/api/documents/{id}/metrics/record", get(metrics::record))
        .route("/api/documents/{id}/metrics/import", post(metrics::import))
        .route("/api/documents/{id}/metrics/example.csv", get(metrics::example))
        .route("/api/documents/{id}/metrics/charts/{figure}", get(metrics::chart))
        .route("/api/documents/{id}/evaluations/{year}", get(evaluations::view).post(evaluations::edit))
        .route("/api/documents/{id}/evaluations/{year}/freeze", post(evaluations::freeze))
        .route("/api/documents/{id}/evaluations/{year}/charts/{figure}", get(evaluations::chart))
        .route("/api/documents/{id}/export/{format}", get(exports::export))
        .route("/api/documents/{id}/evaluations/{year}/export/{format}", get(exports::evaluation))
        .route("/api/ballots/{ballot}", get(ballots::view))
        .route("/api/ballots/{ballot}/vote", post(ballots::vote))
        .route("/api/ballots/{ballot}/close", post(ballots::close))
        .route("/api/ballots/{ballot}/list", get(ballots::published))
        .route("/api/ballots/{ballot}/preview", post(ballots::preview))
        .route("/api/ballots/{ballot}/merge", post(ballots::merge))
        .route("/api/drafts/{draft}", get(drafts::detail))
        .route("/api/drafts/{draft}/catch-up", post(drafts::catch_up))
        .route("/api/drafts/{draft}/withdraw", post(drafts::withdraw))
        .route("/api/drafts/{draft}/reopen", post(drafts::reopen))
        .route("/api/drafts/{draft}/authors", post(drafts::invite))
        .route("/api/drafts/{draft}/preview", post(drafts::preview))
        .route("/api/drafts/{draft}/merge", post(drafts::merge))
        .route("/api/admin/backup", get(backup::download))
        .route("/api/notifications", get(notifications::list))
        .route("/api/notifications/read", post(notifications::mark_read))
        .route("/auth/login", get(auth::login))
        .route("/auth/callback", get(auth::callback))
        .route("/auth/dev-login", post(auth::dev_login))
        .route("/auth/logout", post(auth::logout))
        .route("/sprache/{code}", get(lang::set_lang))
        .route("/sw.js", get(service_worker))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(pages.clone());
                // The page's inline scripts carry this response's CSP nonce.
                let nonce = use_context::<axum::http::request::Parts>()
                    .and_then(|parts| parts.extensions.get::<security_headers::CspNonce>().cloned());
                if let Some(nonce) = nonce {
                    provide_context(Nonce::from_value(nonce.0));
                }
            },
            move || shell(leptos_options.clone()),
        )
        .nest_service("/pkg", ServeDir::new(site_root.join("pkg")))
        .nest_service("/assets", ServeDir::new(site_root.join("assets")))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), authenticate::authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), origin::check_origin))
        // A body that trickles in is cut off (408) instead of holding the connection.
        .layer(RequestBodyTimeoutLayer::new(state.config.body_timeout))
        // Every endpoint: a larger body is answered 413 before any handler reads it.
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers::add))
        // Spans name the path only: queries may carry an access token.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            tracing::info_span!("http", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

async fn not_found() -> Response {
    crate::error::ApiError::NotFound.into_response()
}

/// The service worker script, served from the root so that its scope covers every page.
async fn service_worker() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        include_str!("../assets/sw.js"),
    )
        .into_response()
}
