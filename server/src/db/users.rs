//! People and their sessions (development sign-in for now; OpenID Connect joins later).

use super::{Db, DbError, now_millis, on_pool};

/// A signed-in person as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub display_name: String,
}

/// Creates a user with a fresh id.
pub async fn create(db: &Db, id: &str, display_name: &str) -> Result<User, DbError> {
    const SQL: &str = "INSERT INTO users (id, display_name, created_at) VALUES ($1, $2, $3)";
    on_pool!(db, pool => sqlx::query(SQL).bind(id).bind(display_name).bind(now_millis()).execute(pool).await.map(|_| ())?);
    Ok(User { id: id.to_owned(), display_name: display_name.to_owned() })
}

/// Stores a session under the hash of its token.
pub async fn create_session(db: &Db, token_hash: &str, user_id: &str, expires_at: i64) -> Result<(), DbError> {
    const SQL: &str =
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)";
    on_pool!(db, pool => sqlx::query(SQL).bind(token_hash).bind(user_id).bind(now_millis()).bind(expires_at).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// The user of a live session, if the session exists and has not expired.
pub async fn session_user(db: &Db, token_hash: &str) -> Result<Option<User>, DbError> {
    const SQL: &str = "SELECT u.id, u.display_name FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2";
    let row: Option<(String, String)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(token_hash).bind(now_millis()).fetch_optional(pool).await?);
    Ok(row.map(|(id, display_name)| User { id, display_name }))
}

/// Ends a session.
pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), DbError> {
    const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1";
    on_pool!(db, pool => sqlx::query(SQL).bind(token_hash).execute(pool).await.map(|_| ())?);
    Ok(())
}
