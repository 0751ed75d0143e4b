//! `/api/documents/{id}/drafts` and `/api/drafts/{draft}…`: a concept's drafts, one draft with
//! its changes, and what authors (catch up, withdraw, reopen, invite) and the concept's editors
//! (preview, merge) do with it. Rules in `crate::drafts`; a draft one may not read answers 404.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kompromiss_shared::dto::drafts::{
    CaughtUp, CreatedDraft, DraftDetail, DraftList, InviteAuthor, MergeInfo, MergePreview, MergeRequest, NewDraft,
};

use super::comments::body;
use super::documents::parse_id;
use crate::auth::Principal;
use crate::drafts::{self, DraftError};
use crate::error::ApiError;
use crate::state::AppState;

impl From<DraftError> for ApiError {
    fn from(e: DraftError) -> Self {
        match e {
            DraftError::NotFound => ApiError::NotFound,
            DraftError::SignIn => ApiError::Unauthorized,
            DraftError::Forbidden => ApiError::Forbidden,
            DraftError::Invalid(field) => ApiError::BadRequest(field),
            DraftError::Conflict(what) => ApiError::Conflict(what),
            DraftError::Concept(e) => e.into(),
            DraftError::Db(e) => ApiError::Db(e),
            DraftError::Write(crate::sync::actor::WriteError::Refused(_)) => ApiError::Conflict("limit"),
            DraftError::Write(e) => ApiError::Internal(e.to_string()),
            DraftError::TooFast => ApiError::TooManyRequests,
        }
    }
}

/// `GET /api/documents/{id}/drafts`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<DraftList>, ApiError> {
    Ok(Json(drafts::list(&state, &principal, parse_id(&raw)?).await?))
}

/// `POST /api/documents/{id}/drafts`: starts a draft of the concept.
pub async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<NewDraft>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedDraft>), ApiError> {
    let concept = parse_id(&raw)?;
    let new = body(json)?;
    let id = drafts::create(&state, &principal, concept, new).await?;
    Ok((StatusCode::CREATED, Json(CreatedDraft { id: id.to_string() })))
}

/// `GET /api/drafts/{draft}`.
pub async fn detail(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<DraftDetail>, ApiError> {
    Ok(Json(drafts::detail(&state, &principal, parse_id(&raw)?).await?))
}

/// `POST /api/drafts/{draft}/catch-up`.
pub async fn catch_up(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<CaughtUp>, ApiError> {
    Ok(Json(drafts::catch_up(&state, &principal, parse_id(&raw)?).await?))
}

/// `POST /api/drafts/{draft}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    drafts::set_open(&state, &principal, parse_id(&raw)?, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/drafts/{draft}/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    drafts::set_open(&state, &principal, parse_id(&raw)?, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/drafts/{draft}/authors`: an author invites a co-author.
pub async fn invite(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<InviteAuthor>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let who = body(json)?;
    drafts::invite(&state, &principal, parse_id(&raw)?, &who.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/drafts/{draft}/preview`: the concept as a merge would leave it.
pub async fn preview(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<MergeRequest>, JsonRejection>,
) -> Result<Json<MergePreview>, ApiError> {
    let req = body(json)?;
    Ok(Json(drafts::preview(&state, &principal, parse_id(&raw)?, req).await?))
}

/// `POST /api/drafts/{draft}/merge`.
pub async fn merge(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<MergeRequest>, JsonRejection>,
) -> Result<Json<MergeInfo>, ApiError> {
    let req = body(json)?;
    Ok(Json(drafts::merge(&state, &principal, parse_id(&raw)?, req).await?))
}
