//! `GET /api/documents/{id}/export/{md,html,pdf,odt,docx}`: a concept, draft or evaluation as a file
//! (reading rights; the typeset and packed formats paced per person).

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::documents::parse_id;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::exports::{self, Caller, ExportError, Format};
use crate::state::AppState;

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::NotFound => ApiError::NotFound,
            ExportError::SignIn => ApiError::Unauthorized,
            ExportError::Forbidden => ApiError::Forbidden,
            ExportError::Concept(e) => e.into(),
            ExportError::Db(e) => ApiError::Db(e),
            ExportError::TooFast => ApiError::TooManyRequests,
            ExportError::Render(e) => ApiError::Internal(e),
            ExportError::Evaluation(e) => e.into(),
        }
    }
}

fn format_of(raw: &str) -> Result<Format, ApiError> {
    Format::from_extension(raw).ok_or(ApiError::NotFound)
}

fn file(file: exports::Exported) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    (
        [
            (header::CONTENT_TYPE, file.content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        file.body,
    )
        .into_response()
}

/// `GET /api/documents/{id}/evaluations/{year}/export/{format}`: a year's evaluation as a file.
pub async fn evaluation(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, year, format)): Path<(String, u16, String)>,
    client: Option<Extension<crate::listen::ClientAddr>>,
) -> Result<Response, ApiError> {
    let format = format_of(&format)?;
    let caller = Caller { principal: &principal, address: client.map(|Extension(c)| c.0) };
    Ok(file(exports::evaluation(&state, &caller, parse_id(&raw)?, year, format).await?))
}

/// `GET /api/documents/{id}/export/{format}` with `format` `md`, `html`, `pdf`, `odt` or `docx`.
pub async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, format)): Path<(String, String)>,
    client: Option<Extension<crate::listen::ClientAddr>>,
) -> Result<Response, ApiError> {
    let format = format_of(&format)?;
    let caller = Caller { principal: &principal, address: client.map(|Extension(c)| c.0) };
    Ok(file(exports::document(&state, &caller, parse_id(&raw)?, format).await?))
}
