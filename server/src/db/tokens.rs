//! Personal API tokens: hashed secrets with a name, usable until revoked.

use super::users::User;
use super::{Db, DbError, authz_version, now_millis, on_pool};

/// A token as listed (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Stores a new token under the hash of its secret.
pub async fn create(db: &Db, id: &str, user_id: &str, name: &str, token_hash: &str) -> Result<TokenRow, DbError> {
    const SQL: &str = "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
    let now = now_millis();
    on_pool!(db, pool => sqlx::query(SQL).bind(id).bind(user_id).bind(name).bind(token_hash).bind(now)
        .execute(pool).await.map(|_| ())?);
    Ok(TokenRow { id: id.into(), user_id: user_id.into(), name: name.into(), created_at: now, last_used_at: None })
}

/// A user's tokens that are not revoked, newest first.
pub async fn list(db: &Db, user_id: &str) -> Result<Vec<TokenRow>, DbError> {
    const SQL: &str = "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens \
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id";
    let rows: Vec<(String, String, String, i64, Option<i64>)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(user_id).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, user_id, name, created_at, last_used_at)| TokenRow { id, user_id, name, created_at, last_used_at })
        .collect())
}

/// Revokes a token; with `owner` only if it belongs to them. Returns the revoked token's owner.
pub async fn revoke(db: &Db, id: &str, owner: Option<&str>) -> Result<Option<String>, DbError> {
    const SQL: &str = "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL \
         AND ($3 IS NULL OR user_id = $3) RETURNING user_id";
    let row: Option<(String,)> = on_pool!(db, pool => sqlx::query_as(SQL).bind(id).bind(now_millis())
        .bind(owner).fetch_optional(pool).await?);
    if row.is_some() {
        authz_version::bump(db).await?;
    }
    Ok(row.map(|(user,)| user))
}

/// The live token with this hash and its user.
pub async fn find(db: &Db, token_hash: &str) -> Result<Option<(TokenRow, User)>, DbError> {
    const SQL: &str = "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL";
    let row: Option<(String, String, String, i64, Option<i64>)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(token_hash).fetch_optional(pool).await?);
    let Some((id, user_id, name, created_at, last_used_at)) = row else { return Ok(None) };
    let Some(user) = super::users::by_id(db, &user_id).await? else { return Ok(None) };
    Ok(Some((TokenRow { id, user_id, name, created_at, last_used_at }, user)))
}

/// Records that a token was used (callers throttle this).
pub async fn touch(db: &Db, id: &str) -> Result<(), DbError> {
    const SQL: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";
    on_pool!(db, pool => sqlx::query(SQL).bind(id).bind(now_millis()).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// The user of a live token, by the token's id (re-checking open connections).
pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<User>, DbError> {
    const SQL: &str = "SELECT user_id FROM api_tokens WHERE id = $1 AND revoked_at IS NULL";
    let row: Option<(String,)> = on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await?);
    match row {
        Some((user_id,)) => super::users::by_id(db, &user_id).await,
        None => Ok(None),
    }
}
