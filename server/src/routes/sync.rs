//! `GET /sync`: upgrades to the automerge-repo WebSocket after authentication and the connection cap.

use axum::Extension;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::listen::ClientAddr;
use crate::state::AppState;
use crate::sync::connection::{self, ConnContext};
use crate::sync::slots::NoSlot;
use crate::sync::upgrade::Handshake;

/// Takes a connection slot (anonymous peers from their share and within their address's cap) and hands the socket to its task. The principal (session cookie, bearer
/// token or `access_token` query) was resolved by the authentication layer; anonymous peers may
/// connect but only see documents readable without sign-in.
pub async fn sync_socket(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    client: Option<Extension<ClientAddr>>,
    mut request: Request,
) -> Result<Response, ApiError> {
    let handshake = match Handshake::parse(&mut request) {
        Ok(handshake) => handshake,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    let address = client.map_or(std::net::IpAddr::from([0, 0, 0, 0]), |Extension(ClientAddr(ip))| ip);
    let who = crate::keyed_rate::key_for(&principal, Some(address));
    let slot = match state.slots.take(principal.identity().is_none(), address) {
        Ok(slot) => slot,
        Err(full) => {
            // Per attempt, so not above debug: a reconnecting client would fill the log.
            tracing::debug!(reason = %full, "sync connection refused");
            state.registry.meters().slots_refused.inc(full.label());
            let status = match full {
                NoSlot::AddressFull | NoSlot::AddressTooFast => StatusCode::TOO_MANY_REQUESTS,
                NoSlot::Full | NoSlot::AnonymousFull => StatusCode::SERVICE_UNAVAILABLE,
            };
            return Ok((status, full.to_string()).into_response());
        }
    };
    let pending = state.inbound.account();
    let ctx = ConnContext {
        registry: state.registry.clone(),
        server_peer: state.server_peer.clone(),
        storage_id: state.storage_id.clone(),
        principal,
        db: state.db.clone(),
        auth: state.auth.clone(),
        authz_version: state.authz_version.clone(),
        shutdown: state.shutdown.clone(),
        slot,
        join_deadline: state.join_deadline,
        refusals: state.refusals.clone(),
        pending: pending.clone(),
        message_deadline: state.message_deadline,
        refused_as: who,
        max_messages_per_sec: state.max_messages_per_sec,
    };
    Ok(handshake.accept(pending, move |socket, out| connection::serve(socket, out, ctx)))
}
