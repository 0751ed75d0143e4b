//! The development sign-in: pick a display name, get a session. Only for the embedded default.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session;
use crate::db::{now_millis, users};
use crate::error::ApiError;
use crate::state::AppState;

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct DevLoginForm {
    pub display_name: String,
}

/// A display name: 1 to 60 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Checks and normalizes a display name.
    pub fn parse(raw: &str) -> Option<Self> {
        let name = raw.trim();
        let ok = !name.is_empty() && name.chars().count() <= 60 && !name.chars().any(char::is_control);
        ok.then(|| Self(name.to_owned()))
    }
}

/// `POST /auth/dev-login`: signs in under a chosen display name.
pub async fn dev_login(State(state): State<AppState>, Form(form): Form<DevLoginForm>) -> Result<Response, ApiError> {
    if !state.config.dev_login {
        return Err(ApiError::NotFound);
    }
    let name = DisplayName::parse(&form.display_name).ok_or(ApiError::BadRequest("display_name"))?;
    let user = users::create(&state.db, &format!("dev-{}", &session::new_token()[..16]), &name.0).await?;
    let token = session::new_token();
    let expires = now_millis() + session::SESSION_DAYS * 24 * 3600 * 1000;
    users::create_session(&state.db, &session::token_hash(&token), &user.id, expires).await?;
    tracing::info!(user = %user.id, "development sign-in");
    let mut response = Redirect::to("/").into_response();
    session::set_cookie(response.headers_mut(), session::cookie(&token, state.config.secure_cookies));
    Ok(response)
}

/// `POST /auth/logout`: ends the session server-side and clears the cookie.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session::token_from_headers(&headers) {
        users::delete_session(&state.db, &session::token_hash(&token)).await?;
    }
    let mut response = (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, "/")]).into_response();
    session::set_cookie(response.headers_mut(), session::clear_cookie());
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::DisplayName;

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Anna  ").map(|n| n.0), Some("Anna".into()));
        assert!(DisplayName::parse("   ").is_none());
        assert!(DisplayName::parse(&"x".repeat(61)).is_none());
        assert!(DisplayName::parse("a\nb").is_none());
    }
}
