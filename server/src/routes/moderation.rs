//! Moderation over the JSON API: reports by readers; the queue, hiding, restoring and locking by
//! the document's moderators (its editors and admins).

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kompromiss_shared::dto::comments::{HideComment, ModerationQueue, NewReport};
use serde_json::{Value, json};

use super::comments::{body, commenter, readable};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::moderation;
use crate::state::AppState;

/// `POST …/comments/{thread}/{comment}/reports`: 201 for a new report, 200 when this person had
/// reported the comment already.
pub async fn report(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread, comment)): Path<(String, String, String)>,
    json: Result<Json<NewReport>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    let new = body(json)?;
    let filed = moderation::report(&state, id, (&thread, &comment), &who, new).await?;
    let status = if filed { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "filed": filed }))))
}

/// `GET /api/documents/{id}/reports`: the open reports, for moderators.
pub async fn queue(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<ModerationQueue>, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    Ok(Json(moderation::queue(&state.db, id, &who).await?))
}

/// `POST …/comments/{thread}/{comment}/hide` `{ "reason" }`.
pub async fn hide(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread, comment)): Path<(String, String, String)>,
    json: Result<Json<HideComment>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    let hide = body(json)?;
    moderation::set_hidden_and_tell(&state, id, (&thread, &comment), &who, Some(hide)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/comments/{thread}/{comment}/restore`.
pub async fn restore(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread, comment)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    moderation::set_hidden_and_tell(&state, id, (&thread, &comment), &who, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/comments/{thread}/lock`.
pub async fn lock(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    set_locked(state, principal, raw, thread, true).await
}

/// `POST …/comments/{thread}/unlock`.
pub async fn unlock(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    set_locked(state, principal, raw, thread, false).await
}

async fn set_locked(
    state: AppState,
    principal: Principal,
    raw: String,
    thread: String,
    locked: bool,
) -> Result<StatusCode, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    moderation::set_locked(&state, id, &thread, &who, locked).await?;
    Ok(StatusCode::NO_CONTENT)
}
