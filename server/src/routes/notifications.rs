//! `/api/notifications`: the signed-in person's notifications (the bell), marking them read; and
//! `/api/documents/{id}/people?q=`: whom `@` can name in that document's comments.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kompromiss_shared::dto::notifications::{MAX_MARK_READ, MarkRead, Mentionable, Notifications};
use serde::Deserialize;

use super::comments::{body, commenter, readable};
use crate::auth::Principal;
use crate::db::{notifications as store, now_millis};
use crate::error::ApiError;
use crate::notifications;
use crate::state::AppState;

/// Longest search text for the picker.
const MAX_QUERY_CHARS: usize = 100;

/// `GET /api/notifications`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Notifications>, ApiError> {
    principal.user().ok_or(ApiError::Unauthorized)?;
    Ok(Json(notifications::list(&state.db, &principal).await?))
}

/// `POST /api/notifications/read` `{ "ids": [...] }` or `{ "all": true }`.
pub async fn mark_read(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    json: Result<Json<MarkRead>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let user = principal.user().ok_or(ApiError::Unauthorized)?;
    let marks = body(json)?;
    if marks.ids.len() > MAX_MARK_READ {
        return Err(ApiError::BadRequest("ids"));
    }
    store::mark_read(&state.db, &user.id, &marks.ids, marks.all, now_millis()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
}

/// `GET /api/documents/{id}/people?q=`: people who may read the document whose name contains
/// the text (case-insensitive), for those who may comment.
pub async fn mentionable(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    Query(query): Query<PeopleQuery>,
) -> Result<Json<Mentionable>, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    if !kompromiss_shared::comments::may_comment(who.level) {
        return Err(ApiError::Forbidden);
    }
    if query.q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::BadRequest("q"));
    }
    let people = notifications::mentionable(&state.db, &state.auth, id, &query.q).await?;
    Ok(Json(Mentionable { people }))
}
