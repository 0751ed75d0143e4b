//! Sign-ins in progress at the provider: state, nonce and PKCE verifier, used once.

use super::{Db, DbError, now_millis, on_pool};

/// What the callback needs to finish a sign-in.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    pub csrf_state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    pub expires_at: i64,
}

/// Stores a sign-in in progress under the hash of the browser's login cookie.
pub async fn create(db: &Db, id_hash: &str, login: &PendingLogin) -> Result<(), DbError> {
    const SQL: &str = "INSERT INTO pending_logins (id_hash, csrf_state, nonce, pkce_verifier, return_to, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)";
    const PURGE: &str = "DELETE FROM pending_logins WHERE expires_at <= $1";
    on_pool!(db, pool => sqlx::query(PURGE).bind(now_millis()).execute(pool).await.map(|_| ())?);
    on_pool!(db, pool => sqlx::query(SQL).bind(id_hash).bind(&login.csrf_state).bind(&login.nonce)
        .bind(&login.pkce_verifier).bind(&login.return_to).bind(login.expires_at).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Takes (reads and deletes) a pending sign-in: each can be finished at most once.
pub async fn take(db: &Db, id_hash: &str) -> Result<Option<PendingLogin>, DbError> {
    const SQL: &str = "DELETE FROM pending_logins WHERE id_hash = $1 \
         RETURNING csrf_state, nonce, pkce_verifier, return_to, expires_at";
    let row: Option<(String, String, String, String, i64)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(id_hash).fetch_optional(pool).await?);
    Ok(row
        .map(|(csrf_state, nonce, pkce_verifier, return_to, expires_at)| PendingLogin {
            csrf_state,
            nonce,
            pkce_verifier,
            return_to,
            expires_at,
        })
        .filter(|login| login.expires_at > now_millis()))
}
