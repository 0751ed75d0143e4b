//! `GET /sync`: upgrades to the automerge-repo WebSocket after authentication and the connection cap.

use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kompromiss_shared::limits::MAX_FRAME_BYTES;

use crate::auth::session;
use crate::error::ApiError;
use crate::state::AppState;
use crate::sync::connection::{self, ConnContext};

/// Authenticates, takes a connection slot, and hands the socket to its task.
pub async fn sync_socket(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let principal = session::principal(&state.db, &headers).await?;
    let Ok(permit) = state.connections.clone().try_acquire_owned() else {
        tracing::warn!("sync connection refused: connection limit reached");
        return Ok((StatusCode::SERVICE_UNAVAILABLE, "too many connections").into_response());
    };
    let ctx = ConnContext {
        registry: state.registry.clone(),
        server_peer: state.server_peer.clone(),
        principal,
        shutdown: state.shutdown.clone(),
        permit,
        max_messages_per_sec: state.max_messages_per_sec,
    };
    // Frames up to twice the limit reach our own check and get a protocol error; larger ones
    // are cut off by the WebSocket layer itself.
    Ok(upgrade
        .max_message_size(MAX_FRAME_BYTES * 2)
        .max_frame_size(MAX_FRAME_BYTES * 2)
        .on_upgrade(move |socket| connection::serve(socket, ctx)))
}
