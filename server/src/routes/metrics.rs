//! `/api/documents/{id}/metrics…`: a year of a concept's metrics, entering values, one value's
//! record, importing a CSV file (raw body; `?dry_run=true` only checks it), the example file and
//! charts as SVG. Rules in `crate::metrics`; a concept one may not read answers 404.

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kompromiss_shared::dto::metrics::{CellEntry, ImportAnswer, MetricsView, NewValues};
use kompromiss_shared::metrics::Month;
use serde::Deserialize;

use super::comments::body;
use super::documents::parse_id;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::metrics::charts::{self, ChartRequest};
use crate::metrics::{self, MetricsError};
use crate::state::AppState;

impl From<MetricsError> for ApiError {
    fn from(e: MetricsError) -> Self {
        match e {
            MetricsError::NotFound => ApiError::NotFound,
            MetricsError::SignIn => ApiError::Unauthorized,
            MetricsError::Forbidden => ApiError::Forbidden,
            MetricsError::Invalid(field) => ApiError::BadRequest(field),
            MetricsError::Full => ApiError::Conflict("metrics-full"),
            MetricsError::TooFast => ApiError::TooManyRequests,
            MetricsError::Concept(e) => e.into(),
            MetricsError::Db(e) => ApiError::Db(e),
        }
    }
}

/// `?year=2026`.
#[derive(Deserialize)]
pub struct Year {
    year: Option<u16>,
}

/// `GET /api/documents/{id}/metrics[?year=]`.
pub async fn view(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    Query(q): Query<Year>,
) -> Result<Json<MetricsView>, ApiError> {
    Ok(Json(metrics::view(&state, &principal, parse_id(&raw)?, q.year).await?))
}

/// How many values an entry changed.
#[derive(serde::Serialize)]
pub struct Entered {
    changed: u32,
}

/// `POST /api/documents/{id}/metrics`: a platform's values for a month.
pub async fn enter(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    json: Result<Json<NewValues>, JsonRejection>,
) -> Result<Json<Entered>, ApiError> {
    let changed = metrics::enter(&state, &principal, parse_id(&raw)?, body(json)?).await?;
    Ok(Json(Entered { changed }))
}

/// `?platform=&metric=&month=2026-03`.
#[derive(Deserialize)]
pub struct CellQuery {
    platform: String,
    metric: String,
    month: String,
}

/// `GET /api/documents/{id}/metrics/record?…`: every entry of one value, newest first.
pub async fn record(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    Query(q): Query<CellQuery>,
) -> Result<Json<Vec<CellEntry>>, ApiError> {
    let month: Month = q.month.parse().map_err(|_| ApiError::BadRequest("month"))?;
    Ok(Json(metrics::cell_record(&state, &principal, parse_id(&raw)?, &q.platform, &q.metric, month).await?))
}

/// `?dry_run=true&name=file.csv`.
#[derive(Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
    name: Option<String>,
}

/// `POST /api/documents/{id}/metrics/import`: the file as the body. 200 with what was stored (or
/// would be), 422 with every problem when nothing was stored.
pub async fn import(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
    Query(q): Query<ImportQuery>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let name = q.name.unwrap_or_default();
    let answer = metrics::import(&state, &principal, parse_id(&raw)?, &name, &bytes, q.dry_run).await?;
    let status =
        if matches!(answer, ImportAnswer::Rejected(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, Json(answer)).into_response())
}

fn csv_response(name: &str, text: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], text)
        .into_response()
}

/// `GET /api/documents/{id}/metrics/example.csv`.
pub async fn example(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    Ok(csv_response("kennzahlen-beispiel.csv", metrics::example(&state, &principal, parse_id(&raw)?).await?))
}

/// `?year=2026&platform=…&lang=en`.
#[derive(Deserialize)]
pub struct ChartQuery {
    year: Option<u16>,
    platform: Option<String>,
    lang: Option<String>,
}

/// `GET /api/documents/{id}/metrics/charts/{figure}` (`figure` may end in `.svg`): the chart as SVG.
pub async fn chart(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((raw, figure)): Path<(String, String)>,
    Query(q): Query<ChartQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let english = q.lang.as_deref() == Some("en")
        || (q.lang.is_none()
            && headers.get(header::COOKIE).and_then(|c| c.to_str().ok()).is_some_and(|c| {
                kompromiss_client::i18n::Lang::from_cookie_header(c) == kompromiss_client::i18n::Lang::En
            }));
    let year = q.year.unwrap_or_else(|| Month::of_millis(crate::db::now_millis()).year());
    let figure = figure.trim_end_matches(".svg").to_owned();
    let req = ChartRequest { figure, year, platform: q.platform.filter(|p| !p.is_empty()), english };
    let svg = charts::chart(&state, &principal, parse_id(&raw)?, req).await?;
    let headers = [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-cache")];
    Ok((headers, svg).into_response())
}
