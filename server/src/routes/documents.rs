//! Concept documents over HTTP: list, create from a template, read, and fetch a snapshot.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kompromiss_shared::dto::{DocPage, DocSummary};
use kompromiss_shared::ids::DocumentId;
use serde::Deserialize;

use crate::auth::{self, session};
use crate::concepts;
use crate::error::ApiError;
use crate::state::AppState;
use crate::sync::DocAccess;

/// Body of a create request.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    pub template: String,
}

fn parse_id(raw: &str) -> Result<DocumentId, ApiError> {
    DocumentId::parse_url_or_id(raw).map_err(|_| ApiError::NotFound)
}

/// `GET /api/documents`
pub async fn list_documents(State(state): State<AppState>) -> Result<Json<Vec<DocSummary>>, ApiError> {
    Ok(Json(concepts::list(&state.db).await?))
}

/// `POST /api/documents` (HTML form): creates a document and opens it.
pub async fn create_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CreateForm>,
) -> Result<Response, ApiError> {
    let principal = session::principal(&state.db, &headers).await?;
    let id = concepts::create(&state.db, &form.template, principal.user().map(|u| u.id.as_str())).await?;
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
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Json<DocPage>, ApiError> {
    let id = parse_id(&raw)?;
    let principal = session::principal(&state.db, &headers).await?;
    let access = auth::doc_access(&principal, id);
    if access == DocAccess::None {
        return Err(ApiError::NotFound);
    }
    let view = concepts::view(&state.registry, id).await?;
    Ok(Json(DocPage { id: id.to_string(), view, can_edit: access == DocAccess::Edit }))
}

/// `GET /api/documents/{id}/snapshot`: the Automerge document as bytes.
pub async fn get_snapshot(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&raw)?;
    let principal = session::principal(&state.db, &headers).await?;
    if auth::doc_access(&principal, id) == DocAccess::None {
        return Err(ApiError::NotFound);
    }
    let bytes = concepts::snapshot(&state.registry, id).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream"), (header::CACHE_CONTROL, "no-store")], bytes)
        .into_response())
}
