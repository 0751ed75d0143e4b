//! Session cookies: random tokens in HttpOnly SameSite cookies, stored server-side as hashes.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::{Db, DbError, users};

use super::Principal;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "kompromiss_session";
/// Absolute lifetime of a session.
pub const SESSION_DAYS: i64 = 14;

/// A fresh random session token (the cookie value).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The hash under which a token is stored; a leaked table does not yield usable cookies.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session token from the request's cookies, if present.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Resolves the request's principal from its session cookie.
pub async fn principal(db: &Db, headers: &HeaderMap) -> Result<Principal, DbError> {
    let Some(token) = token_from_headers(headers) else {
        return Ok(Principal::Anonymous);
    };
    Ok(users::session_user(db, &token_hash(&token)).await?.map_or(Principal::Anonymous, Principal::User))
}

/// The `Set-Cookie` header for a session; `secure` when the public URL is https.
pub fn cookie(token: &str, secure: bool) -> HeaderValue {
    let max_age = SESSION_DAYS * 24 * 3600;
    let secure = if secure { "; Secure" } else { "" };
    let value = format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` header that removes the session cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("kompromiss_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Adds a `Set-Cookie` header.
pub fn set_cookie(headers: &mut HeaderMap, value: HeaderValue) {
    headers.append(SET_COOKIE, value);
}
