//! `GET /api/admin/backup`: the whole instance as one archive, streamed as a download (admins only).

use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kompromiss_shared::audit::AuditAction;

use crate::auth::Principal;
use crate::backup;
use crate::db::{audit, now_millis};
use crate::error::ApiError;
use crate::state::AppState;

/// Streams an archive of everything (the same file `kompromiss backup` writes), audited first:
/// whoever started a download is in the log even if it breaks off.
pub async fn download(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Response, ApiError> {
    let user = principal.user().ok_or(ApiError::Unauthorized)?;
    if !kompromiss_shared::perm::is_admin(principal.role()) {
        return Err(ApiError::Forbidden);
    }
    let Some((pieces, _task)) = backup::stream(state.db.clone()) else {
        return Err(ApiError::TooManyRequests);
    };
    let entry = audit::Record { detail: Some("Download"), ..audit::Record::by(Some(user), AuditAction::BackupTaken) };
    audit::record(&state.db, entry).await?;
    let body = Body::from_stream(futures::stream::unfold(pieces, |mut pieces| async move {
        pieces.recv().await.map(|piece| (piece, pieces))
    }));
    let disposition = format!("attachment; filename=\"{}\"", backup::file_name(now_millis()));
    Ok((
        [
            (header::CONTENT_TYPE, "application/gzip".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
