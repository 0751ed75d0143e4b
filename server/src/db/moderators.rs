//! Named moderators of a document's discussion (both backends), besides its editors and admins.

use kompromiss_shared::ids::DocumentId;

use super::{Db, DbError, on_pool};

/// Most people one document names as moderators.
pub const MAX_PER_DOCUMENT: i64 = 50;

/// True when `user` is a named moderator of `doc`.
pub async fn is_named(db: &Db, doc: DocumentId, user: &str) -> Result<bool, DbError> {
    const SQL: &str = "SELECT COUNT(*) FROM doc_moderators WHERE doc_id = $1 AND user_id = $2";
    let (n,): (i64,) =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(doc.to_string()).bind(user).fetch_one(pool).await?);
    Ok(n > 0)
}

/// The named moderators of `doc` (user id, display name), by name.
pub async fn for_doc(db: &Db, doc: DocumentId) -> Result<Vec<(String, String)>, DbError> {
    const SQL: &str = "SELECT m.user_id, u.display_name FROM doc_moderators m JOIN users u ON u.id = m.user_id \
                       WHERE m.doc_id = $1 ORDER BY u.display_name, m.user_id";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(doc.to_string()).fetch_all(pool).await?))
}

/// Names (`true`) or removes a moderator; false when nothing changed, or when naming would pass
/// [`MAX_PER_DOCUMENT`] (the caller says so).
pub async fn set(
    db: &Db,
    doc: DocumentId,
    user: &str,
    named: bool,
    by: Option<&str>,
    at: i64,
) -> Result<bool, DbError> {
    let doc = doc.to_string();
    if !named {
        const SQL: &str = "DELETE FROM doc_moderators WHERE doc_id = $1 AND user_id = $2";
        let n = on_pool!(db, pool => sqlx::query(SQL).bind(&doc).bind(user).execute(pool).await?.rows_affected());
        return Ok(n > 0);
    }
    // One statement: the count and the insert cannot be split by a concurrent naming.
    const SQL: &str = "INSERT INTO doc_moderators (doc_id, user_id, granted_by, created_at) \
                       SELECT $1, $2, $3, $4 WHERE (SELECT COUNT(*) FROM doc_moderators WHERE doc_id = $1) < $5 \
                       ON CONFLICT (doc_id, user_id) DO NOTHING";
    let n = on_pool!(db, pool => sqlx::query(SQL)
        .bind(&doc).bind(user).bind(by).bind(at).bind(MAX_PER_DOCUMENT)
        .execute(pool).await?.rows_affected());
    Ok(n > 0)
}
