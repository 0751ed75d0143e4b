//! The authorization version: bumped with every change to who may do what, polled by servers.

use super::{Db, DbError, on_pool};

/// Marks that roles, grants, tokens or sessions changed.
pub async fn bump(db: &Db) -> Result<(), DbError> {
    const SQL: &str = "UPDATE authz_version SET version = version + 1 WHERE id = 1";
    on_pool!(db, pool => sqlx::query(SQL).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// The current version.
pub async fn current(db: &Db) -> Result<i64, DbError> {
    const SQL: &str = "SELECT version FROM authz_version WHERE id = 1";
    let (v,): (i64,) = on_pool!(db, pool => sqlx::query_as(SQL).fetch_one(pool).await?);
    Ok(v)
}
