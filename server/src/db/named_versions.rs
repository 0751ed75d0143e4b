//! Versions of a document its editors named (both backends).

use kompromiss_shared::ids::DocumentId;

use super::{Db, DbError, on_pool};

/// Most named versions one document may have.
pub const MAX_PER_DOCUMENT: i64 = 200;

/// A named version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedVersion {
    pub id: String,
    pub name: String,
    pub heads: String,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// A document's named versions, oldest first.
pub async fn for_doc(db: &Db, doc: DocumentId) -> Result<Vec<NamedVersion>, DbError> {
    const SQL: &str = "SELECT id, name, heads, created_by, created_at FROM named_versions WHERE doc_id = $1 \
                       ORDER BY created_at, id";
    let rows: Vec<(String, String, String, Option<String>, i64)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(doc.to_string()).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, heads, created_by, created_at)| NamedVersion { id, name, heads, created_by, created_at })
        .collect())
}

/// Names a version; false when the document has `MAX_PER_DOCUMENT` already.
pub async fn add(db: &Db, doc: DocumentId, version: &NamedVersion) -> Result<bool, DbError> {
    const SQL: &str = "INSERT INTO named_versions (doc_id, id, name, heads, created_by, created_at) \
                       SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT COUNT(*) FROM named_versions WHERE doc_id = $1) < $7";
    let n = on_pool!(db, pool => sqlx::query(SQL)
        .bind(doc.to_string()).bind(&version.id).bind(&version.name).bind(&version.heads)
        .bind(&version.created_by).bind(version.created_at).bind(MAX_PER_DOCUMENT)
        .execute(pool).await?.rows_affected());
    Ok(n > 0)
}
