//! Per-document grants: who gets which level on one document, beyond what roles give.

use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{Grant, Level, Subject};

use super::{Db, DbError, authz_version, now_millis, on_pool};

/// A stored grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGrant {
    pub grant: Grant,
    pub created_at: i64,
}

/// The grants of one document.
pub async fn for_doc(db: &Db, doc: DocumentId) -> Result<Vec<StoredGrant>, DbError> {
    const SQL: &str = "SELECT subject_kind, subject, level, created_at FROM doc_grants WHERE doc_id = $1 \
         ORDER BY subject_kind, subject";
    let rows: Vec<(String, String, String, i64)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(doc.to_string()).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .filter_map(|(kind, name, level, created_at)| {
            let grant = Grant { subject: Subject::from_parts(&kind, &name)?, level: Level::parse(&level)? };
            Some(StoredGrant { grant, created_at })
        })
        .collect())
}

/// Sets a grant (replacing the subject's earlier one) or removes it.
pub async fn set(
    db: &Db,
    doc: DocumentId,
    subject: &Subject,
    level: Option<Level>,
    by: Option<&str>,
) -> Result<(), DbError> {
    const UPSERT: &str = "INSERT INTO doc_grants (doc_id, subject_kind, subject, level, granted_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (doc_id, subject_kind, subject) \
         DO UPDATE SET level = excluded.level, granted_by = excluded.granted_by";
    const DELETE: &str = "DELETE FROM doc_grants WHERE doc_id = $1 AND subject_kind = $2 AND subject = $3";
    let (kind, name) = subject.parts();
    let doc = doc.to_string();
    match level.filter(|l| *l > Level::None) {
        Some(level) => on_pool!(db, pool => sqlx::query(UPSERT).bind(&doc).bind(kind).bind(name)
            .bind(level.as_str()).bind(by).bind(now_millis()).execute(pool).await.map(|_| ())?),
        None => on_pool!(db, pool => sqlx::query(DELETE).bind(&doc).bind(kind).bind(name)
            .execute(pool).await.map(|_| ())?),
    }
    authz_version::bump(db).await
}

/// Every document's grants, for filtering lists.
pub async fn all(db: &Db) -> Result<std::collections::HashMap<String, Vec<Grant>>, DbError> {
    const SQL: &str = "SELECT doc_id, subject_kind, subject, level FROM doc_grants";
    let rows: Vec<(String, String, String, String)> = on_pool!(db, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
    let mut map: std::collections::HashMap<String, Vec<Grant>> = std::collections::HashMap::new();
    for (doc, kind, name, level) in rows {
        if let (Some(subject), Some(level)) = (Subject::from_parts(&kind, &name), Level::parse(&level)) {
            map.entry(doc).or_default().push(Grant { subject, level });
        }
    }
    Ok(map)
}
