//! `POST /api/sync-tickets`: trades the request's API token for a single-use sync ticket.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kompromiss_shared::dto::sync_ticket::SyncTicket;

use crate::auth::Principal;
use crate::auth::sync_tickets::{self, TICKET_TTL, TicketError};
use crate::error::ApiError;
use crate::state::AppState;

/// Issues a ticket for `/sync?ticket=…`, valid once within [`TICKET_TTL`]; only for requests that
/// authenticate with `Authorization: Bearer` (browsers send their session cookie with the socket).
pub async fn issue(State(state): State<AppState>, Extension(principal): Extension<Principal>) -> Response {
    if principal.identity().is_none() {
        return ApiError::Unauthorized.into_response();
    }
    match sync_tickets::issue(&state.db, &principal).await {
        Ok(ticket) => {
            (StatusCode::CREATED, Json(SyncTicket { ticket, expires_in_secs: TICKET_TTL.as_secs() })).into_response()
        }
        Err(TicketError::NotAToken) => ApiError::BadRequest("authorization").into_response(),
        Err(TicketError::TooMany) => ApiError::TooManyRequests.into_response(),
        Err(TicketError::Db(error)) => ApiError::Db(error).into_response(),
    }
}
