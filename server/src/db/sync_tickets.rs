//! Sync tickets: single-use, short-lived, stored as hashes.

use super::{Db, DbError, on_pool};

/// Stores a ticket unless the person already holds `max_open` live ones; expired ones go first.
/// True when it was stored.
pub async fn create(
    db: &Db,
    ticket_hash: &str,
    user_id: &str,
    token_id: &str,
    now: i64,
    expires_at: i64,
    max_open: i64,
) -> Result<bool, DbError> {
    const PURGE: &str = "DELETE FROM sync_tickets WHERE expires_at <= $1";
    const COUNT: &str = "SELECT COUNT(*) FROM sync_tickets WHERE user_id = $1";
    const INSERT: &str =
        "INSERT INTO sync_tickets (ticket_hash, user_id, token_id, expires_at) VALUES ($1, $2, $3, $4)";
    on_pool!(db, pool => {
        sqlx::query(PURGE).bind(now).execute(pool).await?;
        let (open,): (i64,) = sqlx::query_as(COUNT).bind(user_id).fetch_one(pool).await?;
        if open >= max_open {
            return Ok(false);
        }
        sqlx::query(INSERT).bind(ticket_hash).bind(user_id).bind(token_id).bind(expires_at).execute(pool).await?;
        Ok(true)
    })
}

/// Uses a ticket up: the token it was issued with, if it was live at `now`. A ticket works once.
pub async fn consume(db: &Db, ticket_hash: &str, now: i64) -> Result<Option<String>, DbError> {
    const SQL: &str = "DELETE FROM sync_tickets WHERE ticket_hash = $1 RETURNING token_id, expires_at";
    let row: Option<(String, i64)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(ticket_hash).fetch_optional(pool).await?);
    Ok(row.and_then(|(token_id, expires_at)| (expires_at > now).then_some(token_id)))
}
