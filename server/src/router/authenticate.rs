//! The request layer that finds out who is asking, once per request, and sends anonymous visitors of pages to the sign-in.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;

use crate::auth::{self, Authn, Principal, access, session, sync_tickets, tokens};
use crate::error::ApiError;
use crate::state::AppState;

/// Paths anyone may fetch without a session (besides public documents).
fn open_path(path: &str) -> bool {
    const PREFIXES: &[&str] = &["/pkg/", "/assets/", "/auth/", "/sprache/", "/api/", "/anmelden"];
    const EXACT: &[&str] = &["/healthz", "/readyz", "/sw.js", "/sync", "/favicon.ico"];
    EXACT.contains(&path) || PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Static files need no identity at all.
fn static_path(path: &str) -> bool {
    ["/pkg/", "/assets/"].iter().any(|p| path.starts_with(p))
        || ["/healthz", "/readyz", "/sw.js", "/metrics"].contains(&path)
}

/// Resolves the principal into the request's extensions; redirects anonymous page visits to `/anmelden`.
pub(super) async fn authenticate(State(state): State<AppState>, mut request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if static_path(&path) {
        return next.run(request).await;
    }
    // The query carries a token only for the sync socket (browsers cannot set its headers).
    let query_token = (path == "/sync").then(|| tokens::from_query(request.uri().query()).map(str::to_owned)).flatten();
    let ticket =
        (path == "/sync").then(|| sync_tickets::from_query(request.uri().query()).map(str::to_owned)).flatten();
    let authn = match ticket {
        // A sync ticket opens the socket once (scripts use it instead of a token in the URL).
        Some(ticket) => sync_tickets::redeem(&state.db, &state.auth, &ticket)
            .await
            .map(|principal| Authn { principal, expired: false }),
        None => auth::authenticate(&state.db, &state.auth, request.headers(), query_token.as_deref()).await,
    };
    let authn = match authn {
        Ok(authn) => authn,
        Err(error) => return ApiError::Db(error).into_response(),
    };
    let page_visit = matches!(*request.method(), Method::GET | Method::HEAD) && !open_path(&path);
    if page_visit && matches!(authn.principal, Principal::Anonymous) && !public_document(&state, &path).await {
        return to_sign_in(&state, &request, &authn);
    }
    request.extensions_mut().insert(authn.principal);
    next.run(request).await
}

/// `/d/<id>` of a document readable without sign-in.
async fn public_document(state: &AppState, path: &str) -> bool {
    let Some(id) = path.strip_prefix("/d/").and_then(|rest| rest.parse::<DocumentId>().ok()) else { return false };
    access::doc_level(&state.db, &Principal::Anonymous, id).await.is_ok_and(|l| l >= Level::Read)
}

fn to_sign_in(state: &AppState, request: &Request<Body>, authn: &Authn) -> Response {
    let next = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let mut target = format!("/anmelden{}", kompromiss_shared::links::query(&[("next", next)]));
    if authn.expired {
        target.push_str("&fehler=abgelaufen");
    }
    let mut response = Redirect::to(&target).into_response();
    if authn.expired {
        session::set_cookie(
            response.headers_mut(),
            session::clear_cookie(session::COOKIE_NAME, state.auth.secure_cookies),
        );
    }
    response
}
