//! Sign-in and sign-out: the OpenID Connect code flow, the development sign-in, and logout.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::links::return_path;
use kompromiss_shared::perm::Role;
use serde::Deserialize;

use crate::auth::{Principal, secret, session};
use crate::db::{audit, logins, now_millis, roles, users};
use crate::error::ApiError;
use crate::state::AppState;

/// Cookie binding a sign-in in progress to this browser.
const LOGIN_COOKIE: &str = "kompromiss_login";
/// How long a sign-in at the provider may take.
const LOGIN_TTL_SECS: i64 = 600;

fn sign_in_failed() -> Response {
    Redirect::to("/anmelden?fehler=anmeldung-fehlgeschlagen").into_response()
}

/// Query of `/auth/login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub next: Option<String>,
}

/// `GET /auth/login`: starts the sign-in at the provider.
pub async fn login(State(state): State<AppState>, Query(query): Query<LoginQuery>) -> Result<Response, ApiError> {
    let oidc = state.oidc.clone().ok_or(ApiError::NotFound)?;
    let start = oidc.start().await.map_err(|error| {
        tracing::warn!(%error, "cannot start sign-in");
        ApiError::Unavailable
    })?;
    let binding = secret::random_hex(32);
    let pending = logins::PendingLogin {
        csrf_state: start.csrf_state,
        nonce: start.nonce,
        pkce_verifier: start.pkce_verifier,
        return_to: return_path(query.next.as_deref()),
        expires_at: now_millis() + LOGIN_TTL_SECS * 1000,
    };
    logins::create(&state.db, &secret::hash(&binding), &pending).await?;
    let mut response = Redirect::to(&start.url).into_response();
    session::set_cookie(
        response.headers_mut(),
        session::cookie(LOGIN_COOKIE, &binding, LOGIN_TTL_SECS, state.auth.secure_cookies),
    );
    Ok(response)
}

/// Query of `/auth/callback`.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// `GET /auth/callback`: checks state, exchanges the code, verifies the ID token, starts a session.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, ApiError> {
    let oidc = state.oidc.clone().ok_or(ApiError::NotFound)?;
    let pending = match session::cookie_value(&headers, LOGIN_COOKIE) {
        Some(binding) => logins::take(&state.db, &secret::hash(binding)).await?,
        None => None,
    };
    let clear = session::clear_cookie(LOGIN_COOKIE, state.auth.secure_cookies);
    // `label` names the reason in the metrics, `reason` in the log and the audit trail.
    let failed = |label: &'static str, reason: &'static str| {
        let (db, clear) = (state.db.clone(), clear.clone());
        state.registry.meters().sign_in_failures.inc(label);
        async move {
            tracing::warn!(reason, "sign-in refused");
            audit::record_or_log(
                &db,
                audit::Record { detail: Some(reason), ..audit::Record::by(None, AuditAction::SignInFailed) },
            )
            .await;
            let mut response = sign_in_failed();
            session::set_cookie(response.headers_mut(), clear);
            Ok(response)
        }
    };
    let Some(pending) = pending else {
        return failed("no_sign_in_pending", "no sign-in in progress in this browser").await;
    };
    if query.error.is_some() {
        return failed("provider_error", "the provider reported an error").await;
    }
    let (Some(code), Some(returned_state)) = (query.code.as_deref(), query.state.as_deref()) else {
        return failed("code_missing", "code or state missing").await;
    };
    if !secret::equal(returned_state, &pending.csrf_state) {
        return failed("state_mismatch", "state does not match").await;
    }
    let verified = match oidc.finish(code, &pending.pkce_verifier, &pending.nonce, &state.auth.groups_claim).await {
        Ok(v) => v,
        Err(error) => {
            tracing::warn!(%error, "sign-in failed at code exchange or ID token verification");
            let (label, reason) = match error {
                crate::auth::oidc::OidcError::Verify(_) => ("id_token_rejected", "ID token rejected"),
                _ => ("code_exchange_failed", "code exchange failed"),
            };
            return failed(label, reason).await;
        }
    };
    let name = verified.name.clone().or_else(|| verified.email.clone()).unwrap_or_else(|| "Unbenannt".into());
    let user = users::sign_in(
        &state.db,
        &users::SignedIn {
            issuer: &verified.issuer,
            subject: &verified.subject,
            display_name: &name,
            email: verified.email.as_deref(),
            groups: &verified.groups,
        },
    )
    .await?;
    crate::db::authz_version::bump(&state.db).await?;
    tracing::info!(user = %user.id, "signed in");
    let mut response = signed_in(&state, &headers, &user, Some(&verified.id_token), None, &pending.return_to).await?;
    session::set_cookie(response.headers_mut(), clear);
    Ok(response)
}

/// Finishes any sign-in: a fresh session (the browser's old one ends), an audit entry, and the
/// redirect to where the person wanted to go.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    user: &users::User,
    id_token: Option<&str>,
    detail: Option<&str>,
    return_to: &str,
) -> Result<Response, ApiError> {
    let cookie = session::start(&state.db, &state.auth, headers, &user.id, id_token).await?;
    audit::record_or_log(&state.db, audit::Record { detail, ..audit::Record::by(Some(user), AuditAction::SignIn) })
        .await;
    let mut response = Redirect::to(return_to).into_response();
    session::set_cookie(response.headers_mut(), cookie);
    Ok(response)
}

/// The development sign-in form.
#[derive(Debug, Deserialize)]
pub struct DevLoginForm {
    pub display_name: String,
    pub role: Option<String>,
    pub next: Option<String>,
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

/// `POST /auth/dev-login`: signs in under a chosen name and role (development only).
pub async fn dev_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<DevLoginForm>,
) -> Result<Response, ApiError> {
    if !state.config.dev_login {
        return Err(ApiError::NotFound);
    }
    let name = DisplayName::parse(&form.display_name).ok_or(ApiError::BadRequest("display_name"))?;
    let role = match form.role.as_deref() {
        None | Some("") => Role::Editor,
        Some(raw) => Role::parse(raw).ok_or(ApiError::BadRequest("role"))?,
    };
    let user = users::create_local(&state.db, users::DEV_ISSUER, &name.0).await?;
    roles::grant(&state.db, &user.id, role, Some("Entwicklungs-Anmeldung")).await?;
    tracing::info!(user = %user.id, "development sign-in");
    let return_to = return_path(form.next.as_deref());
    signed_in(&state, &headers, &user, None, Some("development sign-in"), &return_to).await
}

/// `POST /auth/logout`: ends the session here, then at the provider when it offers that.
pub async fn logout(
    State(state): State<AppState>,
    principal: axum::Extension<Principal>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id_token = session::end(&state.db, &headers).await?;
    if let Some(user) = principal.user() {
        audit::record_or_log(&state.db, audit::Record::by(Some(user), AuditAction::SignOut)).await;
    }
    let target = match &state.oidc {
        Some(oidc) => oidc.logout_url(id_token.as_deref()).await.unwrap_or_else(|| "/anmelden".into()),
        None => "/anmelden".into(),
    };
    let mut response = Redirect::to(&target).into_response();
    session::set_cookie(response.headers_mut(), session::clear_cookie(session::COOKIE_NAME, state.auth.secure_cookies));
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
