//! `GET /api/documents/{id}/export.{md,html}`: a concept or draft as a file (reading rights).

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::documents::parse_id;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::exports::{self, ExportError, Format};
use crate::state::AppState;

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::NotFound => ApiError::NotFound,
            ExportError::SignIn => ApiError::Unauthorized,
            ExportError::Forbidden => ApiError::Forbidden,
            ExportError::Concept(e) => e.into(),
            ExportError::Db(e) => ApiError::Db(e),
        }
    }
}

fn format_of(raw: &str) -> Result<Format, ApiError> {
    match raw {
        "md" => Ok(Format::Markdown),
        "html" => Ok(Format::Html),
        _ => Err(ApiError::NotFound),
    }
}

fn file(file: exports::Exported) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    ([(header::CONTENT_TYPE, file.content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], file.body)
        .into_response()
}

/// `GET /api/documents/{id}/evaluations/{year}/export/{format}`: a year's evaluation as a file.
pub async fn evaluation(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, year, format)): Path<(String, u16, String)>,
) -> Result<Response, ApiError> {
    let format = format_of(&format)?;
    Ok(file(exports::evaluation(&state, &principal, parse_id(&raw)?, year, format).await?))
}

/// `GET /api/documents/{id}/export/{format}` with `format` `md` or `html`.
pub async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, format)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let format = format_of(&format)?;
    Ok(file(exports::document(&state, &principal, parse_id(&raw)?, format).await?))
}
