//! Automerge storage: incremental change chunks appended per write, compacted into snapshots.

use kompromiss_shared::ids::DocumentId;

use super::attribution::{AuthorRun, record_runs};
use super::documents::{INSERT_IF_MISSING, NewDocument, TOUCH, stamp};
use super::{Db, DbError, on_pool};

/// What a chunk holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// A whole saved document.
    Snapshot,
    /// Changes made after earlier chunks.
    Incremental,
}

impl ChunkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChunkKind::Snapshot => "snapshot",
            ChunkKind::Incremental => "incremental",
        }
    }
}

/// A stored document: its chunks in order, ready for `Automerge::load`.
#[derive(Debug, Clone, Default)]
pub struct StoredDoc {
    /// Highest chunk number read; a later compaction may delete chunks up to it.
    pub last_seq: i64,
    /// Chunks since (and including) the last snapshot.
    pub chunks_since_snapshot: usize,
    /// Total stored bytes.
    pub bytes: usize,
    /// The chunks concatenated; Automerge loads a concatenation of chunks.
    pub data: Vec<u8>,
}

/// Reads all chunks of a document. `None` when the document has never been stored.
pub async fn load(db: &Db, id: DocumentId) -> Result<Option<StoredDoc>, DbError> {
    const SQL: &str = "SELECT seq, kind, data FROM doc_chunks WHERE doc_id = $1 ORDER BY seq";
    let rows: Vec<(i64, String, Vec<u8>)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(id.to_string()).fetch_all(pool).await?);
    if rows.is_empty() {
        return Ok(None);
    }
    let mut doc = StoredDoc::default();
    for (seq, kind, data) in rows {
        doc.last_seq = seq;
        doc.chunks_since_snapshot = if kind == "snapshot" { 1 } else { doc.chunks_since_snapshot + 1 };
        doc.bytes += data.len();
        doc.data.extend_from_slice(&data);
    }
    Ok(Some(doc))
}

/// A chunk read back after the cursor of an open document: what other instances stored (and
/// this one's own writes past a gap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChunk {
    pub seq: i64,
    pub kind: ChunkKind,
    pub data: Vec<u8>,
    /// When it was stored (milliseconds since the epoch, the writer's clock).
    pub created_at: i64,
}

/// Most chunks one catch-up reads; a document further behind catches up over several reads.
pub const MAX_SINCE: i64 = 512;

/// The chunks after `cursor`, in order, at most [`MAX_SINCE`]. A gap between `cursor` and the
/// first number means chunks were compacted away: their content is in a snapshot after them.
pub async fn since(db: &Db, id: DocumentId, cursor: i64) -> Result<Vec<StoredChunk>, DbError> {
    const SQL: &str = "SELECT seq, kind, data, created_at FROM doc_chunks WHERE doc_id = $1 AND seq > $2 \
                       ORDER BY seq LIMIT $3";
    let rows: Vec<(i64, String, Vec<u8>, i64)> = on_pool!(db, pool => sqlx::query_as(SQL)
        .bind(id.to_string()).bind(cursor).bind(MAX_SINCE).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(seq, kind, data, created_at)| StoredChunk {
            seq,
            kind: if kind == "snapshot" { ChunkKind::Snapshot } else { ChunkKind::Incremental },
            data,
            created_at,
        })
        .collect())
}

/// The newest chunk number of each of these documents that has any (the sweep that finds what
/// other instances stored while a notification was lost).
pub async fn newest(db: &Db, ids: &[DocumentId]) -> Result<Vec<(DocumentId, i64)>, DbError> {
    let mut found = Vec::new();
    // In slices, so that no statement carries more parameters than SQLite allows.
    for part in ids.chunks(500) {
        let marks = (1..=part.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let sql = format!("SELECT doc_id, MAX(seq) FROM doc_chunks WHERE doc_id IN ({marks}) GROUP BY doc_id");
        let rows: Vec<(String, i64)> = on_pool!(db, pool => {
            // Only numbered placeholders are formatted in; every value is bound.
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for id in part {
                query = query.bind(id.to_string());
            }
            query.fetch_all(pool).await?
        });
        found.extend(rows.into_iter().filter_map(|(id, seq)| Some((id.parse().ok()?, seq))));
    }
    Ok(found)
}

/// Classifies a failed chunk insert: a taken chunk number (another writer's chunk committed
/// first) is [`DbError::SeqTaken`].
fn taken(error: sqlx::Error) -> DbError {
    let is_taken = error.as_database_error().is_some_and(|e| {
        e.is_unique_violation() && (e.constraint() == Some("doc_chunks_pkey") || e.message().contains("doc_chunks.seq"))
    });
    if is_taken { DbError::SeqTaken } else { DbError::Sqlx(error) }
}

pub(super) const APPEND: &str = "INSERT INTO doc_chunks (doc_id, seq, kind, data, created_at) \
     SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4 FROM doc_chunks WHERE doc_id = $1 RETURNING seq";

/// One write of a document: a chunk, who sent its changes, and what the document list shows.
#[derive(Debug, Clone, Copy)]
pub struct Write<'a> {
    pub kind: ChunkKind,
    pub data: &'a [u8],
    /// Who sent the chunk's changes (empty: unknown, as for changes stored before attribution).
    pub authors: &'a [AuthorRun],
    /// Also updates the list's title and change time, in the same transaction.
    pub listed_title: Option<&'a str>,
    /// Creates the document row first (a document's first write).
    pub new_doc: Option<&'a NewDocument>,
}

impl<'a> Write<'a> {
    /// A chunk with nothing else.
    pub fn chunk(kind: ChunkKind, data: &'a [u8]) -> Self {
        Write { kind, data, authors: &[], listed_title: None, new_doc: None }
    }
}

/// Appends one chunk with its authors, in one transaction; returns the chunk's number once it is
/// durable. Fails with `DbError::ActorOwned`, storing nothing, when a claimed actor id belongs to
/// somebody else.
///
/// A chunk without authors, title or new row is one statement (one trip to the database, one
/// commit); the list's row need not be rewritten for each keystroke (see [`super::documents::touch`]).
pub async fn append(db: &Db, id: DocumentId, write: Write<'_>) -> Result<i64, DbError> {
    let now = stamp();
    let id = id.to_string();
    let Write { kind, data, authors, listed_title, new_doc } = write;
    if listed_title.is_none() && new_doc.is_none() && authors.is_empty() {
        let (seq,): (i64,) = on_pool!(db, pool => sqlx::query_as(APPEND)
            .bind(&id).bind(kind.as_str()).bind(data).bind(now)
            .fetch_one(pool).await.map_err(taken)?);
        return Ok(seq);
    }
    let seq = on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        if let Some(new_doc) = new_doc {
            sqlx::query(INSERT_IF_MISSING)
                .bind(&id).bind(&new_doc.title).bind(&new_doc.template).bind(&new_doc.created_by).bind(now)
                .execute(&mut *tx).await?;
        }
        let (seq,): (i64,) = sqlx::query_as(APPEND)
            .bind(&id).bind(kind.as_str()).bind(data).bind(now)
            .fetch_one(&mut *tx).await.map_err(taken)?;
        record_runs!(tx, &id, authors, now)?;
        if let Some(title) = listed_title {
            sqlx::query(TOUCH).bind(title).bind(now).bind(&id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        seq
    });
    Ok(seq)
}

/// Stores a snapshot and deletes the chunks it covers (up to `covers_seq`), in one transaction:
/// a crash leaves either the old chunks or the snapshot, never neither.
pub async fn compact(db: &Db, id: DocumentId, snapshot: &[u8], covers_seq: i64) -> Result<i64, DbError> {
    const DELETE: &str = "DELETE FROM doc_chunks WHERE doc_id = $1 AND seq <= $2";
    let now = stamp();
    let id = id.to_string();
    let seq = on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        let (seq,): (i64,) = sqlx::query_as(APPEND)
            .bind(&id).bind(ChunkKind::Snapshot.as_str()).bind(snapshot).bind(now)
            .fetch_one(&mut *tx).await.map_err(taken)?;
        sqlx::query(DELETE).bind(&id).bind(covers_seq).execute(&mut *tx).await?;
        tx.commit().await?;
        seq
    });
    Ok(seq)
}

/// How many chunks a document has in storage (for operations and tests of compaction).
pub async fn count(db: &Db, id: DocumentId) -> Result<i64, DbError> {
    const SQL: &str = "SELECT COUNT(*) FROM doc_chunks WHERE doc_id = $1";
    let (n,): (i64,) = on_pool!(db, pool => sqlx::query_as(SQL).bind(id.to_string()).fetch_one(pool).await?);
    Ok(n)
}
