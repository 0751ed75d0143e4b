//! `/api/documents/{id}/ballots` and `/api/ballots/{ballot}…`: a concept's ballots, opening one,
//! one ballot, voting, closing, and the published list (JSON or CSV). Rules in `crate::ballots`;
//! a ballot on a concept one may not read answers 404.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kompromiss_shared::dto::ballots::{BallotSummary, BallotView, DecisionTrail, NewBallot, Vote, Voted};
use kompromiss_shared::dto::drafts::MergePreview;
use serde::Deserialize;

use super::comments::body;
use super::documents::parse_id;
use crate::auth::Principal;
use crate::ballots::{self, BallotError};
use crate::error::ApiError;
use crate::state::AppState;

impl From<BallotError> for ApiError {
    fn from(e: BallotError) -> Self {
        match e {
            BallotError::NotFound => ApiError::NotFound,
            BallotError::SignIn => ApiError::Unauthorized,
            BallotError::Forbidden => ApiError::Forbidden,
            BallotError::Invalid(field) => ApiError::BadRequest(field),
            BallotError::Conflict(what) => ApiError::Conflict(what),
            BallotError::Concept(e) => e.into(),
            BallotError::Db(e) => ApiError::Db(e),
            BallotError::Key => ApiError::Internal(e.to_string()),
            BallotError::TooFast => ApiError::TooManyRequests,
        }
    }
}

/// `GET /api/documents/{id}/ballots`.
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<Vec<BallotSummary>>, ApiError> {
    Ok(Json(ballots::list(&state, &principal, parse_id(&raw)?).await?))
}

/// `GET /api/documents/{id}/decisions`: the concept's decisions and their trail.
pub async fn decisions(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Json<DecisionTrail>, ApiError> {
    Ok(Json(ballots::trail(&state, &principal, parse_id(&raw)?).await?))
}

/// The id of an opened ballot.
#[derive(serde::Serialize)]
pub struct Opened {
    id: String,
}

/// `POST /api/documents/{id}/ballots`: opens a ballot on the concept.
pub async fn open(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<NewBallot>, JsonRejection>,
) -> Result<(StatusCode, Json<Opened>), ApiError> {
    let concept = parse_id(&raw)?;
    let id = ballots::open(&state, &principal, concept, body(json)?).await?;
    Ok((StatusCode::CREATED, Json(Opened { id })))
}

/// `GET /api/ballots/{ballot}`.
pub async fn view(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<BallotView>, ApiError> {
    Ok(Json(ballots::view(&state, &principal, &id).await?))
}

/// `POST /api/ballots/{ballot}/vote`.
pub async fn vote(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    json: Result<Json<Vote>, JsonRejection>,
) -> Result<Json<Voted>, ApiError> {
    Ok(Json(ballots::vote(&state, &principal, &id, body(json)?).await?))
}

/// `POST /api/ballots/{ballot}/close`.
pub async fn close(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    ballots::close(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?format=csv` or JSON (the default).
#[derive(Deserialize)]
pub struct Format {
    #[serde(default)]
    format: Option<String>,
}

/// `GET /api/ballots/{ballot}/list[?format=csv]`: the published list of a closed ballot.
pub async fn published(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(format): Query<Format>,
) -> Result<Response, ApiError> {
    let list = ballots::published(&state, &principal, &id).await?;
    let name = format!("abstimmung-{}", list.ballot);
    if format.format.as_deref() == Some("csv") {
        let frozen = ballots::frozen(&state, &principal, &id).await?;
        let disposition = format!("attachment; filename=\"{name}.csv\"");
        let headers =
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)];
        return Ok((headers, ballots::export::csv(&list, &frozen)).into_response());
    }
    let disposition = format!("attachment; filename=\"{name}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(list)).into_response())
}

/// `POST /api/ballots/{ballot}/preview`: the concept as the decision would leave it.
pub async fn preview(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<MergePreview>, ApiError> {
    Ok(Json(ballots::preview(&state, &principal, &id).await?))
}

/// The concept's version a merged decision produced.
#[derive(serde::Serialize)]
pub struct Merged {
    version: String,
}

/// `POST /api/ballots/{ballot}/merge`: carries the decision into the concept.
pub async fn merge(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Merged>, ApiError> {
    Ok(Json(Merged { version: ballots::merge(&state, &principal, &id).await? }))
}
