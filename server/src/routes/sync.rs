//! `GET /sync`: upgrades to the automerge-repo WebSocket after authentication and the connection cap.

use axum::Extension;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;
use crate::sync::connection::{self, ConnContext};
use crate::sync::upgrade::Handshake;

/// Takes a connection slot and hands the socket to its task. The principal (session cookie, bearer
/// token or `access_token` query) was resolved by the authentication layer; anonymous peers may
/// connect but only see documents readable without sign-in.
pub async fn sync_socket(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    mut request: Request,
) -> Result<Response, ApiError> {
    let handshake = match Handshake::parse(&mut request) {
        Ok(handshake) => handshake,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    let Ok(permit) = state.connections.clone().try_acquire_owned() else {
        tracing::warn!("sync connection refused: connection limit reached");
        return Ok((StatusCode::SERVICE_UNAVAILABLE, "too many connections").into_response());
    };
    let ctx = ConnContext {
        registry: state.registry.clone(),
        server_peer: state.server_peer.clone(),
        principal,
        db: state.db.clone(),
        auth: state.auth.clone(),
        authz_version: state.authz_version.clone(),
        shutdown: state.shutdown.clone(),
        permit,
        max_messages_per_sec: state.max_messages_per_sec,
    };
    Ok(handshake.accept(move |socket, out| connection::serve(socket, out, ctx)))
}
