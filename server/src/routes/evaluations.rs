//! `/api/documents/{id}/evaluations/{year}…`: a year's evaluation, writing its texts, freezing it
//! as presented, and its charts. Rules in `crate::evaluations`; a concept one may not read
//! answers 404.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kompromiss_shared::dto::evaluations::{EvaluationEdit, EvaluationView, Freeze};
use serde::Deserialize;

use super::comments::body;
use super::documents::parse_id;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::evaluations::{self, EvaluationError};
use crate::state::AppState;

impl From<EvaluationError> for ApiError {
    fn from(e: EvaluationError) -> Self {
        match e {
            EvaluationError::NotFound => ApiError::NotFound,
            EvaluationError::SignIn => ApiError::Unauthorized,
            EvaluationError::Forbidden => ApiError::Forbidden,
            EvaluationError::Invalid(field) => ApiError::BadRequest(field),
            EvaluationError::Stale => ApiError::Conflict("stale"),
            EvaluationError::Frozen => ApiError::Conflict("frozen"),
            EvaluationError::TooFast => ApiError::TooManyRequests,
            EvaluationError::Concept(e) => e.into(),
            EvaluationError::Db(e) => ApiError::Db(e),
        }
    }
}

/// `GET /api/documents/{id}/evaluations/{year}`.
pub async fn view(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, year)): Path<(String, u16)>,
) -> Result<Json<EvaluationView>, ApiError> {
    Ok(Json(evaluations::view(&state, &principal, parse_id(&raw)?, year).await?))
}

/// The revision an edit made.
#[derive(serde::Serialize)]
pub struct Revision {
    revision: i64,
}

/// `POST /api/documents/{id}/evaluations/{year}`: the summary or a platform's commentary.
pub async fn edit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, year)): Path<(String, u16)>,
    json: Result<Json<EvaluationEdit>, JsonRejection>,
) -> Result<Json<Revision>, ApiError> {
    let revision = evaluations::edit(&state, &principal, parse_id(&raw)?, year, body(json)?).await?;
    Ok(Json(Revision { revision }))
}

/// `POST /api/documents/{id}/evaluations/{year}/freeze`.
pub async fn freeze(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, year)): Path<(String, u16)>,
    json: Result<Json<Freeze>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    evaluations::freeze(&state, &principal, parse_id(&raw)?, year, body(json)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?lang=en`.
#[derive(Deserialize)]
pub struct Lang {
    lang: Option<String>,
}

/// `GET /api/documents/{id}/evaluations/{year}/charts/{figure}` (`.svg` optional).
pub async fn chart(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, year, figure)): Path<(String, u16, String)>,
    Query(q): Query<Lang>,
) -> Result<Response, ApiError> {
    let english = q.lang.as_deref() == Some("en");
    let figure = figure.trim_end_matches(".svg");
    let svg = evaluations::chart(&state, &principal, parse_id(&raw)?, year, figure, english).await?;
    let headers = [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-cache")];
    Ok((headers, svg).into_response())
}
