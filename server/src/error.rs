//! The HTTP error type: each variant maps to a status; internal details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::db::DbError;

/// Errors a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("invalid field {0}")]
    BadRequest(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    Unauthorized,
    #[error("temporarily unavailable")]
    Unavailable,
    #[error("too many requests")]
    TooManyRequests,
    /// Not possible in the current state: a documented limit is reached (threads per document)
    /// or a moderator locked the thread; the field names which.
    #[error("not possible now: {0}")]
    Conflict(&'static str),
    #[error("storage error: {0}")]
    Db(#[from] DbError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, de, en) = match &self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "Nicht gefunden", "Not found"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "Ungültige Eingabe", "Invalid input"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "Keine Berechtigung", "Not allowed"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "Bitte anmelden", "Please sign in"),
            ApiError::Unavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "Vorübergehend nicht verfügbar", "Temporarily unavailable")
            }
            ApiError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "Zu viele Anfragen, bitte kurz warten",
                "Too many requests, retry shortly",
            ),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "Jetzt nicht möglich", "Not possible now"),
            ApiError::Db(_) | ApiError::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "Interner Fehler", "Internal error")
            }
        };
        let field = match &self {
            ApiError::BadRequest(f) | ApiError::Conflict(f) => Some(*f),
            _ => None,
        };
        (status, Json(serde_json::json!({ "error": { "de": de, "en": en, "field": field } }))).into_response()
    }
}

impl From<crate::auth::access::Denied> for ApiError {
    fn from(denied: crate::auth::access::Denied) -> Self {
        use crate::auth::access::Denied;
        match denied {
            Denied::SignIn => ApiError::Unauthorized,
            Denied::Hidden => ApiError::NotFound,
            Denied::Forbidden => ApiError::Forbidden,
            Denied::Db(e) => ApiError::Db(e),
        }
    }
}

impl From<crate::concepts::ConceptError> for ApiError {
    fn from(e: crate::concepts::ConceptError) -> Self {
        use crate::concepts::ConceptError as E;
        match e {
            E::UnknownTemplate => ApiError::BadRequest("template"),
            E::NotFound => ApiError::NotFound,
            E::Unavailable => ApiError::Unavailable,
            E::Db(db) => ApiError::Db(db),
            E::Automerge(err) => ApiError::Internal(err.to_string()),
        }
    }
}
