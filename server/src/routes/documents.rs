//! Concept documents over HTTP: list, create from a template, read, and fetch a snapshot.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::documents::{DocPage, DocSummary};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{self, Level};
use serde::Deserialize;

use crate::auth::{Principal, access};
use crate::concepts;
use crate::db::audit;
use crate::error::ApiError;
use crate::state::AppState;

/// Body of a create request.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    pub template: String,
}

/// A document id from the path; an unreadable one answers like a missing document.
pub(super) fn parse_id(raw: &str) -> Result<DocumentId, ApiError> {
    DocumentId::parse_url_or_id(raw).map_err(|_| ApiError::NotFound)
}

/// `GET /api/documents`: the documents the caller may read.
pub async fn list_documents(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Vec<DocSummary>>, ApiError> {
    if principal.user().is_none() {
        return Err(ApiError::Unauthorized);
    }
    Ok(Json(concepts::list_readable(&state.db, &principal).await?))
}

/// `POST /api/documents` (HTML form or JSON client): creates a document (editors and admins).
pub async fn create_document(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    Form(form): Form<CreateForm>,
) -> Result<Response, ApiError> {
    let user = principal.user().ok_or(ApiError::Unauthorized)?;
    if !perm::may_create_documents(principal.role()) {
        return Err(ApiError::Forbidden);
    }
    let id = concepts::create(&state.db, &form.template, Some(&user.id)).await?;
    let target = id.to_string();
    let record = audit::Record {
        target: Some(&target),
        detail: Some(&form.template),
        ..audit::Record::by(Some(user), AuditAction::DocumentCreated)
    };
    audit::record_or_log(&state.db, record).await;
    let wants_json =
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"));
    if wants_json {
        let body = serde_json::json!({ "id": id.to_string(), "url": id.to_url() });
        return Ok((StatusCode::CREATED, Json(body)).into_response());
    }
    Ok(Redirect::to(&format!("/d/{id}")).into_response())
}

/// `GET /api/documents/{id}`
pub async fn get_document(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<DocPage>, ApiError> {
    let id = parse_id(&raw)?;
    let level = access::require(&state.db, &principal, id, Level::Read).await?;
    let view = concepts::view(&state.registry, id).await?;
    let discussion = crate::comments::discussion_for(&state, &principal, id, level).await?;
    Ok(Json(DocPage {
        id: id.to_string(),
        view,
        can_edit: level >= Level::Edit,
        level,
        discussion,
        draft: None,
        drafts: None,
    }))
}

/// `GET /api/documents/{id}/snapshot`: the Automerge document as bytes.
pub async fn get_snapshot(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    client: Option<Extension<crate::listen::ClientAddr>>,
) -> Result<Response, ApiError> {
    let id = parse_id(&raw)?;
    access::require(&state.db, &principal, id, Level::Read).await?;
    let who = crate::keyed_rate::key_for(&principal, client.map(|Extension(c)| c.0));
    if !state.snapshot_rate.take(&who, std::time::Instant::now()) {
        return Err(ApiError::TooManyRequests);
    }
    let bytes = concepts::snapshot(&state.db, id).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream"), (header::CACHE_CONTROL, "no-store")], bytes)
        .into_response())
}
