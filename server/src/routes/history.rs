//! `GET /api/documents/{id}/changes`: who wrote what in a document (anyone who may read it).

use axum::extract::{Path, State};
use axum::{Extension, Json};
use kompromiss_shared::dto::history::ChangeHistory;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;

use crate::auth::{Principal, access};
use crate::error::ApiError;
use crate::history;
use crate::state::AppState;

/// The runs of changes with their authors, and how many changes are unattributed.
pub async fn get_changes(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<ChangeHistory>, ApiError> {
    let id = DocumentId::parse_url_or_id(&raw).map_err(|_| ApiError::NotFound)?;
    access::require(&state.db, &principal, id, Level::Read).await?;
    Ok(Json(history::of(&state.db, &state.registry, id).await?))
}
