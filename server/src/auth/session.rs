//! Session cookies: random tokens in HttpOnly SameSite cookies, stored server-side as hashes, with idle and absolute expiry.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};

use super::secret;
use super::settings::AuthSettings;
use crate::db::users::User;
use crate::db::{Db, DbError, now_millis, sessions};

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "kompromiss_session";
/// Activity is recorded at most this often (milliseconds), not on every request.
const TOUCH_EVERY_MS: i64 = 60_000;

/// A cookie's value from the request, if present and of the expected shape (64 hex digits).
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What the session cookie leads to.
#[derive(Debug)]
pub enum Lookup {
    /// No cookie, or no such session.
    None,
    /// The session existed but is past its idle or absolute expiry (now deleted).
    Expired,
    Live {
        user: User,
        token_hash: String,
        expires_at: i64,
    },
}

/// Looks up the request's session, ending it if it has expired.
pub async fn resolve(db: &Db, settings: &AuthSettings, headers: &HeaderMap) -> Result<Lookup, DbError> {
    let Some(token) = cookie_value(headers, COOKIE_NAME) else { return Ok(Lookup::None) };
    let token_hash = secret::hash(token);
    let Some((session, user)) = sessions::find(db, &token_hash).await? else { return Ok(Lookup::None) };
    let now = now_millis();
    if now >= session.expires_at || now >= session.last_seen_at.saturating_add(settings.session_idle_ms) {
        sessions::delete(db, &token_hash).await?;
        return Ok(Lookup::Expired);
    }
    if now - session.last_seen_at > TOUCH_EVERY_MS {
        sessions::touch(db, &token_hash).await?;
    }
    Ok(Lookup::Live { user, token_hash, expires_at: session.expires_at })
}

/// Starts a session for a user; returns the cookie to set. Any session the browser had is ended
/// first, so a sign-in always gets a fresh token (no session fixation).
pub async fn start(
    db: &Db,
    settings: &AuthSettings,
    old: &HeaderMap,
    user_id: &str,
    id_token: Option<&str>,
) -> Result<HeaderValue, DbError> {
    if let Some(previous) = cookie_value(old, COOKIE_NAME) {
        sessions::delete(db, &secret::hash(previous)).await?;
    }
    let token = secret::random_hex(32);
    let expires_at = now_millis().saturating_add(settings.session_max_ms);
    sessions::create(db, &secret::hash(&token), user_id, expires_at, id_token).await?;
    Ok(cookie(COOKIE_NAME, &token, settings.session_max_ms / 1000, settings.secure_cookies))
}

/// Ends the request's session; returns its ID token (the hint for logging out at the provider).
pub async fn end(db: &Db, headers: &HeaderMap) -> Result<Option<String>, DbError> {
    let Some(token) = cookie_value(headers, COOKIE_NAME) else { return Ok(None) };
    let hash = secret::hash(token);
    let id_token = sessions::find(db, &hash).await?.and_then(|(s, _)| s.id_token);
    sessions::delete(db, &hash).await?;
    crate::db::authz_version::bump(db).await?;
    Ok(id_token)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure when the public URL is https.
pub fn cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes a cookie.
pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    cookie(name, "", 0, secure)
}

/// Adds a `Set-Cookie` header.
pub fn set_cookie(headers: &mut HeaderMap, value: HeaderValue) {
    headers.append(SET_COOKIE, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_same_site_and_secure_on_https() {
        let c = cookie(COOKIE_NAME, "ab", 60, true);
        let c = c.to_str().expect("ascii");
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure") && c.contains("Max-Age=60")
        );
        assert!(!cookie(COOKIE_NAME, "ab", 60, false).to_str().expect("ascii").contains("Secure"));
    }

    #[test]
    fn only_well_formed_cookie_values_are_read() {
        let good = "a".repeat(64);
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, format!("lang=de; {COOKIE_NAME}={good}").parse().expect("header"));
        assert_eq!(cookie_value(&headers, COOKIE_NAME), Some(good.as_str()));
        headers.insert(COOKIE, format!("{COOKIE_NAME}=short").parse().expect("header"));
        assert_eq!(cookie_value(&headers, COOKIE_NAME), None);
    }
}
