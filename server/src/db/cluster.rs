//! PostgreSQL's LISTEN/NOTIFY for several instances on one database: the channel every stored
//! chunk is announced on (by a trigger, at commit) and the connection that listens.

use sqlx::postgres::PgListener;

use super::DbError;

/// The channel the `doc_chunks` trigger notifies on: payload `<document id> <seq>`.
pub const CHUNKS: &str = "kompromiss_chunks";

/// A listener on its own connection (outside the pool, so that closing the pool at shutdown
/// does not wait for it), listening on `channels`.
pub async fn listen(url: &str, channels: &[&str]) -> Result<PgListener, DbError> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen_all(channels.iter().copied()).await?;
    Ok(listener)
}

/// Sends a notification on `channel` (PostgreSQL; on SQLite there is nobody to tell).
pub async fn notify(db: &super::Db, channel: &str, payload: &str) -> Result<(), DbError> {
    if let super::Db::Postgres(pool) = db {
        sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(pool).await?;
    }
    Ok(())
}

/// Reads a chunk notification's payload.
pub fn parse_chunk(payload: &str) -> Option<(kompromiss_shared::ids::DocumentId, i64)> {
    let (doc, seq) = payload.split_once(' ')?;
    Some((doc.parse().ok()?, seq.parse().ok()?))
}
