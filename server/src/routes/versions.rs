//! `/api/documents/{id}/timeline|at|compare|versions|restore`: a document's history and what
//! editors do with old versions. Reading needs read access (404 otherwise), the rest editing.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kompromiss_shared::diff::ConceptDiff;
use kompromiss_shared::dto::timeline::{NameVersion, RestoreWording, Timeline};
use kompromiss_shared::schema::ConceptView;
use serde::Deserialize;
use serde_json::{Value, json};

use super::comments::body;
use super::documents::parse_id;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;
use crate::versions;

/// `GET …/timeline`.
pub async fn timeline(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<Timeline>, ApiError> {
    Ok(Json(versions::timeline(&state, &principal, parse_id(&raw)?).await?))
}

/// `GET …/authorship`: who wrote each passage of the document now.
pub async fn authorship(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<kompromiss_shared::dto::timeline::Authorship>, ApiError> {
    Ok(Json(crate::authorship::of(&state, &principal, parse_id(&raw)?).await?))
}

/// The query of `GET …/at`.
#[derive(Debug, Deserialize)]
pub struct AtQuery {
    v: String,
}

/// `GET …/at?v=version`: the document as it was then.
pub async fn at(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<Json<ConceptView>, ApiError> {
    Ok(Json(versions::at(&state, &principal, parse_id(&raw)?, &q.v).await?))
}

/// The query of `GET …/compare`.
#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    #[serde(default)]
    from: String,
    to: String,
}

/// `GET …/compare?from=&to=`: what changed between two versions.
pub async fn compare(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Result<Json<ConceptDiff>, ApiError> {
    Ok(Json(versions::compare(&state, &principal, parse_id(&raw)?, &q.from, &q.to).await?))
}

/// `POST …/versions`: names a version.
pub async fn name(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<NameVersion>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let req = body(json)?;
    versions::name(&state, &principal, parse_id(&raw)?, &req.name, &req.version).await?;
    Ok(StatusCode::CREATED)
}

/// `POST …/restore`: a section's earlier wording, as a new change.
pub async fn restore(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<RestoreWording>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let req = body(json)?;
    let version = versions::restore(&state, &principal, parse_id(&raw)?, &req.version, &req.item).await?;
    Ok(Json(json!({ "version": version })))
}
