//! Drafts' metadata (both backends): what a draft is, whose it is, where it stands.

use kompromiss_shared::ids::DocumentId;

use super::chunks::APPEND;
use super::documents::{INSERT_IF_MISSING, NewDocument};
use super::{Db, DbError, authz_version, on_pool};

/// Most drafts one concept may have in all (open, withdrawn and merged).
pub const MAX_PER_CONCEPT: i64 = 500;
/// Most authors one draft may have.
pub const MAX_AUTHORS: i64 = 20;

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Withdrawn,
    Merged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Withdrawn => "withdrawn",
            Status::Merged => "merged",
        }
    }

    fn parse(raw: &str) -> Status {
        match raw {
            "withdrawn" => Status::Withdrawn,
            "merged" => Status::Merged,
            _ => Status::Open,
        }
    }
}

/// A stored draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: DocumentId,
    pub concept: DocumentId,
    pub title: String,
    pub reason: String,
    /// Item ids it means to change (empty: the whole concept).
    pub scope: Vec<String>,
    /// The concept's version it started from or last caught up with.
    pub base_heads: String,
    pub status: Status,
    /// Passages both sides changed at the last catch-up (JSON of `Vec<FieldRef>`).
    pub conflicts: String,
    pub merge: Option<Merge>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A recorded merge of a draft into its concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The draft's version that was taken.
    pub from: String,
    /// The concept's version it produced.
    pub heads: String,
    /// The items adopted (empty: the whole draft).
    pub parts: Vec<String>,
    pub by: Option<String>,
    pub at: i64,
}

const COLUMNS: &str = "id, concept_id, title, reason, scope, base_heads, status, conflicts, merged_from, merged_heads, \
     merged_parts, merged_by, merged_at, created_by, created_at, updated_at";

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
    i64,
);

fn list_of(raw: &str) -> Vec<String> {
    raw.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn from_row(row: Row) -> Option<Draft> {
    let (
        id,
        concept,
        title,
        reason,
        scope,
        base_heads,
        status,
        conflicts,
        from,
        heads,
        parts,
        by,
        at,
        created_by,
        c,
        u,
    ) = row;
    let merge = match (from, heads, at) {
        (Some(from), Some(heads), Some(at)) => {
            Some(Merge { from, heads, parts: list_of(parts.as_deref().unwrap_or_default()), by, at })
        }
        _ => None,
    };
    Some(Draft {
        id: id.parse().ok()?,
        concept: concept.parse().ok()?,
        title,
        reason,
        scope: list_of(&scope),
        base_heads,
        status: Status::parse(&status),
        conflicts,
        merge,
        created_by,
        created_at: c,
        updated_at: u,
    })
}

/// A draft by its document id; `None` when that document is no draft (or missing).
pub async fn get(db: &Db, id: DocumentId) -> Result<Option<Draft>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM drafts WHERE id = $1");
    let row: Option<Row> =
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).fetch_optional(pool).await?);
    Ok(row.and_then(from_row))
}

/// A concept's drafts, newest first.
pub async fn for_concept(db: &Db, concept: DocumentId) -> Result<Vec<Draft>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM drafts WHERE concept_id = $1 ORDER BY created_at DESC, id");
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(concept.to_string()).fetch_all(pool).await?);
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// Authors of a draft (user id, display name), first author first.
pub async fn authors(db: &Db, draft: DocumentId) -> Result<Vec<(String, String)>, DbError> {
    const SQL: &str = "SELECT a.user_id, u.display_name FROM draft_authors a JOIN users u ON u.id = a.user_id \
                       WHERE a.draft_id = $1 ORDER BY a.created_at, a.user_id";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(draft.to_string()).fetch_all(pool).await?))
}

/// True when `user` is an author of `draft`.
pub async fn is_author(db: &Db, draft: DocumentId, user: &str) -> Result<bool, DbError> {
    const SQL: &str = "SELECT COUNT(*) FROM draft_authors WHERE draft_id = $1 AND user_id = $2";
    let (n,): (i64,) =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(draft.to_string()).bind(user).fetch_one(pool).await?);
    Ok(n > 0)
}

/// A new draft: its document's first snapshot and what it is.
pub struct NewDraft<'a> {
    pub id: DocumentId,
    pub concept: DocumentId,
    pub title: &'a str,
    pub reason: &'a str,
    pub scope: &'a [String],
    pub base_heads: &'a str,
    pub template: Option<String>,
    pub created_by: &'a str,
    pub snapshot: &'a [u8],
    pub at: i64,
}

/// Why a draft could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the concept has too many drafts")]
    TooMany,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Stores a new draft in one transaction: its document (snapshot), the concept's attribution
/// (the draft shares the concept's history, and who wrote it), its row and its first author.
pub async fn create(db: &Db, new: NewDraft<'_>) -> Result<(), CreateError> {
    const COPY_AUTHORS: &str = "INSERT INTO change_authors (doc_id, actor, first_seq, last_seq, user_id, channel, token_id, at) \
         SELECT $1, actor, first_seq, last_seq, user_id, channel, token_id, at FROM change_authors WHERE doc_id = $2";
    // One statement: the count and the insert cannot be split by a concurrent creation.
    const INSERT: &str = "INSERT INTO drafts (id, concept_id, title, reason, scope, base_heads, status, created_by, \
         created_at, updated_at) SELECT $1, $2, $3, $4, $5, $6, 'open', $7, $8, $8 \
         WHERE (SELECT COUNT(*) FROM drafts WHERE concept_id = $2) < $9";
    const AUTHOR: &str = "INSERT INTO draft_authors (draft_id, user_id, added_by, created_at) VALUES ($1, $2, $2, $3)";
    let id = new.id.to_string();
    let concept = new.concept.to_string();
    let meta = NewDocument {
        title: new.title.to_owned(),
        template: new.template.clone(),
        created_by: Some(new.created_by.to_owned()),
    };
    let scope = new.scope.join(",");
    let stored: bool = on_pool!(db, pool => {
        let mut tx = pool.begin().await.map_err(DbError::from)?;
        sqlx::query(INSERT_IF_MISSING)
            .bind(&id).bind(&meta.title).bind(&meta.template).bind(&meta.created_by).bind(new.at)
            .execute(&mut *tx).await.map_err(DbError::from)?;
        let _: (i64,) = sqlx::query_as(APPEND).bind(&id).bind("snapshot").bind(new.snapshot).bind(new.at)
            .fetch_one(&mut *tx).await.map_err(DbError::from)?;
        sqlx::query(COPY_AUTHORS).bind(&id).bind(&concept).execute(&mut *tx).await.map_err(DbError::from)?;
        let inserted = sqlx::query(INSERT)
            .bind(&id).bind(&concept).bind(new.title).bind(new.reason).bind(&scope).bind(new.base_heads)
            .bind(new.created_by).bind(new.at).bind(MAX_PER_CONCEPT)
            .execute(&mut *tx).await.map_err(DbError::from)?.rows_affected();
        if inserted == 0 {
            tx.rollback().await.map_err(DbError::from)?;
            false
        } else {
            sqlx::query(AUTHOR).bind(&id).bind(new.created_by).bind(new.at)
                .execute(&mut *tx).await.map_err(DbError::from)?;
            tx.commit().await.map_err(DbError::from)?;
            true
        }
    });
    if !stored {
        return Err(CreateError::TooMany);
    }
    authz_version::bump(db).await?;
    Ok(())
}

/// Adds a co-author; false when they already are one or the draft has `MAX_AUTHORS`.
pub async fn add_author(db: &Db, draft: DocumentId, user: &str, by: &str, at: i64) -> Result<bool, DbError> {
    const SQL: &str = "INSERT INTO draft_authors (draft_id, user_id, added_by, created_at) \
                       SELECT $1, $2, $3, $4 WHERE (SELECT COUNT(*) FROM draft_authors WHERE draft_id = $1) < $5 \
                       ON CONFLICT (draft_id, user_id) DO NOTHING";
    let n = on_pool!(db, pool => sqlx::query(SQL)
        .bind(draft.to_string()).bind(user).bind(by).bind(at).bind(MAX_AUTHORS)
        .execute(pool).await?.rows_affected());
    if n > 0 {
        authz_version::bump(db).await?;
    }
    Ok(n > 0)
}

/// Sets an open or withdrawn draft's status (withdraw, reopen); false when it is merged already.
pub async fn set_status(db: &Db, draft: DocumentId, status: Status, at: i64) -> Result<bool, DbError> {
    const SQL: &str = "UPDATE drafts SET status = $1, updated_at = $2 WHERE id = $3 AND status <> 'merged'";
    let n = on_pool!(db, pool => sqlx::query(SQL)
        .bind(status.as_str()).bind(at).bind(draft.to_string()).execute(pool).await?.rows_affected());
    authz_version::bump(db).await?;
    Ok(n > 0)
}

/// Records a catch-up: the concept's version the draft now contains, and the passages both changed.
pub async fn caught_up(db: &Db, draft: DocumentId, base_heads: &str, conflicts: &str, at: i64) -> Result<(), DbError> {
    const SQL: &str = "UPDATE drafts SET base_heads = $1, conflicts = $2, updated_at = $3 WHERE id = $4";
    on_pool!(db, pool => sqlx::query(SQL)
        .bind(base_heads).bind(conflicts).bind(at).bind(draft.to_string()).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Records a merge; false when the draft was merged already (by someone else meanwhile).
pub async fn merged(db: &Db, draft: DocumentId, merge: &Merge) -> Result<bool, DbError> {
    const SQL: &str = "UPDATE drafts SET status = 'merged', merged_from = $1, merged_heads = $2, merged_parts = $3, \
                       merged_by = $4, merged_at = $5, updated_at = $5 WHERE id = $6 AND status <> 'merged'";
    let n = on_pool!(db, pool => sqlx::query(SQL)
        .bind(&merge.from).bind(&merge.heads).bind(merge.parts.join(",")).bind(&merge.by).bind(merge.at)
        .bind(draft.to_string()).execute(pool).await?.rows_affected());
    authz_version::bump(db).await?;
    Ok(n > 0)
}
