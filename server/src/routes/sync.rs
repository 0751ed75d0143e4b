//! `GET /sync`: upgrades to the automerge-repo WebSocket after authentication and the connection cap.

use axum::Extension;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kompromiss_shared::limits::MAX_FRAME_BYTES;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;
use crate::sync::connection::{self, ConnContext};

/// Takes a connection slot and hands the socket to its task. The principal (session cookie, bearer
/// token or `access_token` query) was resolved by the authentication layer; anonymous peers may
/// connect but only see documents readable without sign-in.
pub async fn sync_socket(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
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
        authz: state.authz.clone(),
        shutdown: state.shutdown.clone(),
        permit,
        max_messages_per_sec: state.max_messages_per_sec,
    };
    // Frames up to twice the limit reach our own check and get a protocol error; larger ones
    // are cut off by the WebSocket layer itself.
    // A small read buffer: see `WS_READ_BUFFER_BYTES`.
    Ok(upgrade
        .read_buffer_size(kompromiss_shared::limits::WS_READ_BUFFER_BYTES)
        .max_message_size(MAX_FRAME_BYTES * 2)
        .max_frame_size(MAX_FRAME_BYTES * 2)
        .on_upgrade(move |socket| connection::serve(socket, ctx)))
}
