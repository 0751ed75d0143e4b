//! Server-side sessions: the cookie carries a random token, the table its hash and the expiries.

use super::users::User;
use super::{Db, DbError, now_millis, on_pool};

/// A session row as the auth layer needs it.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// Hint for logging out at the provider.
    pub id_token: Option<String>,
}

/// Stores a new session under the hash of its token.
pub async fn create(
    db: &Db,
    token_hash: &str,
    user_id: &str,
    expires_at: i64,
    id_token: Option<&str>,
) -> Result<(), DbError> {
    const SQL: &str = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, id_token) \
         VALUES ($1, $2, $3, $3, $4, $5)";
    on_pool!(db, pool => sqlx::query(SQL).bind(token_hash).bind(user_id).bind(now_millis()).bind(expires_at)
        .bind(id_token).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// The session and its user, if the session exists (expiry is the caller's rule).
pub async fn find(db: &Db, token_hash: &str) -> Result<Option<(Session, User)>, DbError> {
    const SQL: &str =
        "SELECT s.user_id, s.last_seen_at, s.expires_at, s.id_token FROM sessions s WHERE s.token_hash = $1";
    let row: Option<(String, i64, i64, Option<String>)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(token_hash).fetch_optional(pool).await?);
    let Some((user_id, last_seen_at, expires_at, id_token)) = row else { return Ok(None) };
    let Some(user) = super::users::by_id(db, &user_id).await? else { return Ok(None) };
    Ok(Some((Session { user_id, last_seen_at, expires_at, id_token }, user)))
}

/// Records activity (callers throttle this).
pub async fn touch(db: &Db, token_hash: &str) -> Result<(), DbError> {
    const SQL: &str = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";
    on_pool!(db, pool => sqlx::query(SQL).bind(token_hash).bind(now_millis()).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Ends a session; true when one existed.
pub async fn delete(db: &Db, token_hash: &str) -> Result<bool, DbError> {
    const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1";
    let n = on_pool!(db, pool => sqlx::query(SQL).bind(token_hash).execute(pool).await?.rows_affected());
    Ok(n > 0)
}

/// Removes sessions past their absolute expiry.
pub async fn purge_expired(db: &Db) -> Result<u64, DbError> {
    const SQL: &str = "DELETE FROM sessions WHERE expires_at <= $1";
    Ok(on_pool!(db, pool => sqlx::query(SQL).bind(now_millis()).execute(pool).await?.rows_affected()))
}
