//! Document metadata: the list people browse, kept beside the Automerge chunks.

use kompromiss_shared::ids::DocumentId;

use super::{Db, DbError, now_millis, on_pool};

/// One row of the document list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    pub id: DocumentId,
    pub title: String,
    pub template: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

type Row = (String, String, Option<String>, i64, i64);

fn from_row((id, title, template, created_at, updated_at): Row) -> Option<DocumentMeta> {
    Some(DocumentMeta { id: id.parse().ok()?, title, template, created_at, updated_at })
}

/// All documents, most recently changed first.
pub async fn list(db: &Db) -> Result<Vec<DocumentMeta>, DbError> {
    // Drafts are documents too; they are listed with their concept, not here.
    const SQL: &str = "SELECT id, title, template, created_at, updated_at FROM documents \
         WHERE NOT EXISTS (SELECT 1 FROM drafts WHERE drafts.id = documents.id) ORDER BY updated_at DESC, id";
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// One document's metadata, if it exists.
pub async fn get(db: &Db, id: DocumentId) -> Result<Option<DocumentMeta>, DbError> {
    const SQL: &str = "SELECT id, title, template, created_at, updated_at FROM documents WHERE id = $1";
    let row: Option<Row> = on_pool!(db, pool => sqlx::query_as(SQL).bind(id.to_string()).fetch_optional(pool).await?);
    Ok(row.and_then(from_row))
}

/// What a first write knows about a document that may not have a row yet.
#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    pub title: String,
    pub template: Option<String>,
    pub created_by: Option<String>,
}

/// Inserts the row unless it exists, inside the caller's transaction.
pub(super) const INSERT_IF_MISSING: &str = "INSERT INTO documents (id, title, template, created_by, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (id) DO NOTHING";

/// Keeps the list's title and change time current (inside a chunk's transaction, or alone).
pub(super) const TOUCH: &str = "UPDATE documents SET title = $1, updated_at = $2 WHERE id = $3";

/// Sets the list's title and change time (`at`, milliseconds) of a stored document.
pub async fn touch(db: &Db, id: DocumentId, title: &str, at: i64) -> Result<(), DbError> {
    on_pool!(db, pool => sqlx::query(TOUCH).bind(title).bind(at).bind(id.to_string()).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Timestamp used for a write happening now.
pub(super) fn stamp() -> i64 {
    now_millis()
}
