//! Personal API tokens: `kmp_` + 32 random bytes in hex, shown once, stored as a hash.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::account::TokenInfo;

use super::secret;
use crate::db::users::User;
use crate::db::{Db, DbError, audit, now_millis, tokens};

/// Prefix that makes tokens recognisable (e.g. by secret scanners).
pub const PREFIX: &str = "kmp_";

/// A fresh token secret.
pub fn new_secret() -> String {
    format!("{PREFIX}{}", secret::random_hex(32))
}

/// True when the string has a token's shape.
pub fn looks_like_token(raw: &str) -> bool {
    raw.strip_prefix(PREFIX).is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The bearer token of a request, if it carries one.
pub fn from_headers(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

/// The `access_token` query parameter (for clients that cannot set headers, such as browser WebSockets).
pub fn from_query(query: Option<&str>) -> Option<&str> {
    query?.split('&').filter_map(|pair| pair.split_once('=')).find(|(k, _)| *k == "access_token").map(|(_, v)| v)
}

/// The live token's id and its user; records the use at most once a minute.
pub async fn resolve(db: &Db, raw: &str) -> Result<Option<(String, User)>, DbError> {
    if !looks_like_token(raw) {
        return Ok(None);
    }
    let Some((row, user)) = tokens::find(db, &secret::hash(raw)).await? else { return Ok(None) };
    if row.last_used_at.is_none_or(|t| now_millis() - t > 60_000) {
        tokens::touch(db, &row.id).await?;
    }
    Ok(Some((row.id, user)))
}

/// Issues an API token for a person (from their account page or the command line) and records it;
/// returns its listing and the secret, which is shown this once and stored only as a hash.
pub async fn issue(db: &Db, user: &User, name: &str, issued_by: &str) -> Result<(TokenInfo, String), DbError> {
    let secret = new_secret();
    let id = format!("t{}", secret::random_hex(6));
    let row = tokens::create(db, &id, &user.id, name, &secret::hash(&secret)).await?;
    let record = audit::Record {
        actor_id: None,
        actor_name: Some(issued_by),
        action: AuditAction::TokenCreated,
        target: Some(&user.display_name),
        detail: Some(name),
    };
    audit::record(db, record).await?;
    let info = TokenInfo { id: row.id, name: row.name, created_at: row.created_at, last_used_at: None };
    Ok((info, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_a_recognisable_shape_and_are_read_from_header_or_query() {
        let token = new_secret();
        assert!(looks_like_token(&token));
        assert!(!looks_like_token("kmp_123") && !looks_like_token(&token.replace("kmp_", "xyz_")));
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, format!("Bearer {token}").parse().expect("header"));
        assert_eq!(from_headers(&headers), Some(token.as_str()));
        headers.insert(AUTHORIZATION, "Basic abc".parse().expect("header"));
        assert_eq!(from_headers(&headers), None);
        assert_eq!(from_query(Some(&format!("x=1&access_token={token}"))), Some(token.as_str()));
        assert_eq!(from_query(Some("x=1")), None);
    }
}
