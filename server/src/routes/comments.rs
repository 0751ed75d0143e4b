//! `/api/documents/{id}/comments…`: a document's discussion for scripts and the page. Reading
//! needs read access (a document one may not read answers 404, like a missing one); writing
//! needs sign-in and `participate`; the rules of shared::comments decide the rest.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kompromiss_shared::dto::comments::{Discussion, EditComment, NewReply, NewThread};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use serde_json::{Value, json};

use crate::auth::{Principal, access};
use crate::comments::{self, CommentError, Commenter};
use crate::db::documents;
use crate::error::ApiError;
use crate::state::AppState;

impl From<CommentError> for ApiError {
    fn from(e: CommentError) -> Self {
        match e {
            CommentError::NotFound => ApiError::NotFound,
            CommentError::Forbidden => ApiError::Forbidden,
            CommentError::Invalid(field) => ApiError::BadRequest(field),
            CommentError::Limit(what) => ApiError::Conflict(what),
            CommentError::Locked => ApiError::Conflict("locked"),
            CommentError::TooFast => ApiError::TooManyRequests,
            CommentError::Concept(e) => e.into(),
            CommentError::Db(e) => ApiError::Db(e),
        }
    }
}

/// The document id from the path, and the caller's level on it (at least reading).
/// A document that does not exist answers 404 even to those whose role reaches every document.
pub(super) async fn readable(
    state: &AppState,
    principal: &Principal,
    raw: &str,
) -> Result<(DocumentId, Level), ApiError> {
    let id = DocumentId::parse_url_or_id(raw).map_err(|_| ApiError::NotFound)?;
    let level = access::require(&state.db, principal, id, Level::Read).await?;
    if documents::get(&state.db, id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    Ok((id, level))
}

/// The signed-in person acting, with their level; anonymous readers may not write.
pub(super) fn commenter<'a>(principal: &'a Principal, level: Level) -> Result<Commenter<'a>, ApiError> {
    let user = principal.user().ok_or(ApiError::Unauthorized)?;
    Ok(Commenter { user, level })
}

pub(super) fn body<T>(json: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    json.map(|Json(t)| t).map_err(|_| ApiError::BadRequest("body"))
}

/// `GET …/comments[?before=thread]`: the threads with their comments, as many of the newest as
/// fit one answer; `older` names the thread to ask `before` for the rest.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    Query(page): Query<ListQuery>,
) -> Result<Json<Discussion>, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    if page.before.as_ref().is_some_and(|b| b.len() > 64) {
        return Err(ApiError::BadRequest("before"));
    }
    Ok(Json(comments::discussion_before(&state, &principal, id, level, page.before.as_deref()).await?))
}

/// The query of `GET …/comments`.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    before: Option<String>,
}

/// `POST …/comments`: a new thread.
pub async fn open_thread(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<NewThread>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    let new = body(json)?;
    let (thread, comment) = comments::open_thread_and_tell(&state, id, &who, new).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": thread, "comment": comment }))))
}

/// `POST …/comments/{thread}/replies`: a reply.
pub async fn reply(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread)): Path<(String, String)>,
    json: Result<Json<NewReply>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    let new = body(json)?;
    let comment = comments::reply_and_tell(&state, id, &thread, &who, new).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": comment }))))
}

/// `PATCH …/comments/{thread}/{comment}`: new words for one's own comment.
pub async fn edit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread, comment)): Path<(String, String, String)>,
    json: Result<Json<EditComment>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    let new = body(json)?;
    comments::edit(&state, id, &thread, &comment, &who, new.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE …/comments/{thread}/{comment}`: deletes one's own comment.
pub async fn delete(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread, comment)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    comments::delete(&state, id, &thread, &comment, &who).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/comments/{thread}/resolve`.
pub async fn resolve(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    set_resolved(state, principal, raw, thread, true).await
}

/// `POST …/comments/{thread}/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, thread)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    set_resolved(state, principal, raw, thread, false).await
}

async fn set_resolved(
    state: AppState,
    principal: Principal,
    raw: String,
    thread: String,
    resolved: bool,
) -> Result<StatusCode, ApiError> {
    let (id, level) = readable(&state, &principal, &raw).await?;
    let who = commenter(&principal, level)?;
    comments::set_resolved_and_tell(&state, id, &thread, &who, resolved).await?;
    Ok(StatusCode::NO_CONTENT)
}
