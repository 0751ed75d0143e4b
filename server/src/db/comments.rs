//! Comment threads and comments in SQL (both backends): rows in, a document's discussion out.

use std::collections::HashMap;

use kompromiss_shared::comments::Stance;
use kompromiss_shared::dto::comments::{CommentView, Person, ThreadTarget, ThreadView};
use kompromiss_shared::ids::DocumentId;

use super::{Db, DbError, on_pool};

/// A new thread's row.
pub struct NewThread<'a> {
    pub id: &'a str,
    pub doc: DocumentId,
    /// JSON of the anchor for passage threads.
    pub anchor: Option<&'a str>,
    pub platform_id: Option<&'a str>,
    pub by: &'a str,
    pub at: i64,
}

/// A new comment's row.
pub struct NewComment<'a> {
    pub id: &'a str,
    pub thread_id: &'a str,
    pub author: &'a str,
    pub body: &'a str,
    pub stance: Option<Stance>,
    pub at: i64,
}

/// What the rules need to know about a thread.
#[derive(Debug, Clone)]
pub struct ThreadFacts {
    pub created_by: String,
    pub resolved: bool,
    pub comments: i64,
    pub platform: bool,
    pub locked: bool,
}

/// What the rules need to know about a comment.
#[derive(Debug, Clone)]
pub struct CommentFacts {
    pub author_id: String,
    pub deleted: bool,
    pub hidden: bool,
}

/// Stores a thread with its first comment, in one transaction.
pub async fn create_thread(db: &Db, thread: NewThread<'_>, first: NewComment<'_>) -> Result<(), DbError> {
    const THREAD: &str = "INSERT INTO comment_threads (id, doc_id, target, anchor, platform_id, created_by, created_at) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let target = if thread.anchor.is_some() { "passage" } else { "platform" };
    let doc = thread.doc.to_string();
    on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(THREAD)
            .bind(thread.id).bind(&doc).bind(target).bind(thread.anchor).bind(thread.platform_id)
            .bind(thread.by).bind(thread.at)
            .execute(&mut *tx).await?;
        sqlx::query(INSERT_COMMENT)
            .bind(first.id).bind(first.thread_id).bind(first.author).bind(first.body)
            .bind(first.stance.map(Stance::as_str)).bind(first.at)
            .execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

const INSERT_COMMENT: &str = "INSERT INTO comments (id, thread_id, author_id, body, stance, created_at) \
                              VALUES ($1, $2, $3, $4, $5, $6)";

/// Adds a reply.
pub async fn add_comment(db: &Db, c: NewComment<'_>) -> Result<(), DbError> {
    on_pool!(db, pool => sqlx::query(INSERT_COMMENT)
        .bind(c.id).bind(c.thread_id).bind(c.author).bind(c.body).bind(c.stance.map(Stance::as_str)).bind(c.at)
        .execute(pool).await.map(drop)?);
    Ok(())
}

/// Threads a document has.
pub async fn thread_count(db: &Db, doc: DocumentId) -> Result<i64, DbError> {
    const SQL: &str = "SELECT COUNT(*) FROM comment_threads WHERE doc_id = $1";
    let (n,): (i64,) = on_pool!(db, pool => sqlx::query_as(SQL).bind(doc.to_string()).fetch_one(pool).await?);
    Ok(n)
}

/// Comments a person wrote since `since` (milliseconds), over all documents.
pub async fn written_since(db: &Db, user_id: &str, since: i64) -> Result<i64, DbError> {
    const SQL: &str = "SELECT COUNT(*) FROM comments WHERE author_id = $1 AND created_at >= $2";
    let (n,): (i64,) = on_pool!(db, pool => sqlx::query_as(SQL).bind(user_id).bind(since).fetch_one(pool).await?);
    Ok(n)
}

/// A thread of this document, if there is one.
pub async fn thread(db: &Db, doc: DocumentId, thread_id: &str) -> Result<Option<ThreadFacts>, DbError> {
    const SQL: &str = "SELECT t.created_by, t.resolved_at, t.target, \
                       (SELECT COUNT(*) FROM comments c WHERE c.thread_id = t.id), t.locked_at \
                       FROM comment_threads t WHERE t.id = $1 AND t.doc_id = $2";
    type Row = (String, Option<i64>, String, i64, Option<i64>);
    let row: Option<Row> = on_pool!(db, pool => sqlx::query_as(SQL)
        .bind(thread_id).bind(doc.to_string()).fetch_optional(pool).await?);
    Ok(row.map(|(created_by, resolved_at, target, comments, locked_at)| ThreadFacts {
        created_by,
        resolved: resolved_at.is_some(),
        comments,
        platform: target == "platform",
        locked: locked_at.is_some(),
    }))
}

/// A comment of this thread, if there is one.
pub async fn comment(db: &Db, thread_id: &str, comment_id: &str) -> Result<Option<CommentFacts>, DbError> {
    const SQL: &str = "SELECT author_id, deleted_at, hidden_at FROM comments WHERE id = $1 AND thread_id = $2";
    let row: Option<(String, Option<i64>, Option<i64>)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(comment_id).bind(thread_id).fetch_optional(pool).await?);
    Ok(row.map(|(author_id, deleted_at, hidden_at)| CommentFacts {
        author_id,
        deleted: deleted_at.is_some(),
        hidden: hidden_at.is_some(),
    }))
}

/// New words for a comment; the old ones are kept as a revision (same transaction).
pub async fn edit(db: &Db, comment_id: &str, body: &str, at: i64) -> Result<(), DbError> {
    const KEEP: &str = "INSERT INTO comment_revisions (comment_id, body, replaced_at) \
                        SELECT id, body, $2 FROM comments WHERE id = $1";
    const SET: &str = "UPDATE comments SET body = $2, edited_at = $3 WHERE id = $1";
    on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(KEEP).bind(comment_id).bind(at).execute(&mut *tx).await?;
        sqlx::query(SET).bind(comment_id).bind(body).bind(at).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Earlier wordings of a comment, oldest first (for moderators).
pub async fn revisions(db: &Db, comment_id: &str) -> Result<Vec<(String, i64)>, DbError> {
    const SQL: &str =
        "SELECT body, replaced_at FROM comment_revisions WHERE comment_id = $1 ORDER BY replaced_at, body";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(comment_id).fetch_all(pool).await?))
}

/// Marks a comment deleted by its author (the thread shows a placeholder).
pub async fn delete(db: &Db, comment_id: &str, at: i64) -> Result<(), DbError> {
    const SQL: &str = "UPDATE comments SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL";
    on_pool!(db, pool => sqlx::query(SQL).bind(comment_id).bind(at).execute(pool).await.map(drop)?);
    Ok(())
}

/// Resolves a thread (`Some((by, at))`) or reopens it (`None`).
pub async fn set_resolved(db: &Db, thread_id: &str, resolved: Option<(&str, i64)>) -> Result<(), DbError> {
    const SQL: &str = "UPDATE comment_threads SET resolved_by = $2, resolved_at = $3 WHERE id = $1";
    let (by, at) = resolved.map_or((None, None), |(by, at)| (Some(by), Some(at)));
    on_pool!(db, pool => sqlx::query(SQL).bind(thread_id).bind(by).bind(at).execute(pool).await.map(drop)?);
    Ok(())
}

type ThreadRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);
type CommentRow =
    (String, String, String, String, String, Option<String>, i64, Option<i64>, Option<i64>, Option<String>);

/// Who reads a discussion: hidden words reach only their author and moderators.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub user_id: Option<&'a str>,
    pub moderator: bool,
}

/// Most characters of comment words one listing carries (the newest threads that fit; the rest is
/// asked for with `before`). Bounds a page or an API answer whatever a discussion grows to.
pub const MAX_LISTED_CHARS: i64 = 4_000_000;

/// One listing of a discussion: threads oldest first, and the thread to ask `before` for the
/// older ones when they did not fit.
pub struct Listing {
    pub threads: Vec<ThreadView>,
    pub older: Option<String>,
}

/// The threads of `doc` created before thread `before` (all when `None`; nothing when `before`
/// is not a thread of `doc`), newest first: id, creation time, characters of their comments.
async fn sizes(db: &Db, doc: &str, before: Option<&str>) -> Result<Vec<(String, i64, i64)>, DbError> {
    const SQL: &str = "SELECT t.id, t.created_at, COALESCE(SUM(LENGTH(c.body)), 0) \
                       FROM comment_threads t LEFT JOIN comments c ON c.thread_id = t.id \
                       WHERE t.doc_id = $1 AND ($2 IS NULL OR (t.created_at, t.id) < \
                         (SELECT b.created_at, b.id FROM comment_threads b WHERE b.id = $2 AND b.doc_id = $1)) \
                       GROUP BY t.id, t.created_at ORDER BY t.created_at DESC, t.id DESC";
    let rows: Vec<(String, i64, i64)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(doc).bind(before).fetch_all(pool).await?);
    Ok(rows)
}

/// A document's threads with their comments, oldest first (the newest that fit in
/// [`MAX_LISTED_CHARS`], or those before thread `before`); deleted comments without their words,
/// hidden ones with their reason (and their words only for their author and moderators).
pub async fn discussion(
    db: &Db,
    doc: DocumentId,
    reader: Reader<'_>,
    before: Option<&str>,
) -> Result<Listing, DbError> {
    let doc = doc.to_string();
    // Which threads fit: the newest first, at least one. They are one stretch in
    // (created_at, id) order, from `oldest` to `newest`.
    let mut budget = MAX_LISTED_CHARS;
    let mut truncated = false;
    let (mut newest, mut oldest) = (None, None);
    for (id, created_at, chars) in sizes(db, &doc, before).await? {
        if newest.is_some() && chars > budget {
            truncated = true;
            break;
        }
        budget -= chars;
        newest.get_or_insert((created_at, id.clone()));
        oldest = Some((created_at, id));
    }
    let (Some((from_at, from_id)), Some((to_at, to_id))) = (oldest, newest) else {
        return Ok(Listing { threads: Vec::new(), older: None });
    };
    // Only the stretch's rows are read.
    const THREADS: &str = "SELECT t.id, t.target, t.anchor, t.platform_id, t.created_by, u.display_name, t.created_at, \
                           t.resolved_by, r.display_name, t.resolved_at, t.locked_at \
                           FROM comment_threads t JOIN users u ON u.id = t.created_by \
                           LEFT JOIN users r ON r.id = t.resolved_by \
                           WHERE t.doc_id = $1 AND (t.created_at, t.id) >= ($2, $3) \
                           AND (t.created_at, t.id) <= ($4, $5) ORDER BY t.created_at, t.id";
    const COMMENTS: &str = "SELECT c.thread_id, c.id, c.author_id, u.display_name, c.body, c.stance, \
                            c.created_at, c.edited_at, c.deleted_at, c.hidden_reason \
                            FROM comments c JOIN comment_threads t ON t.id = c.thread_id \
                            JOIN users u ON u.id = c.author_id \
                            WHERE t.doc_id = $1 AND (t.created_at, t.id) >= ($2, $3) \
                            AND (t.created_at, t.id) <= ($4, $5) ORDER BY c.created_at, c.id";
    let (threads, comments): (Vec<ThreadRow>, Vec<CommentRow>) = on_pool!(db, pool => (
        sqlx::query_as(THREADS)
            .bind(&doc).bind(from_at).bind(&from_id).bind(to_at).bind(&to_id)
            .fetch_all(pool).await?,
        sqlx::query_as(COMMENTS)
            .bind(&doc).bind(from_at).bind(&from_id).bind(to_at).bind(&to_id)
            .fetch_all(pool).await?,
    ));
    let older = if truncated { threads.first().map(|t| t.0.clone()) } else { None };
    let mut by_thread: HashMap<String, Vec<CommentView>> = HashMap::new();
    for (thread_id, id, author_id, name, body, stance, created_at, edited_at, deleted_at, hidden) in comments {
        let may_read = hidden.is_none() || reader.moderator || reader.user_id == Some(author_id.as_str());
        by_thread.entry(thread_id).or_default().push(CommentView {
            body: (deleted_at.is_none() && may_read).then_some(body),
            id,
            author: Person { id: author_id, name },
            hidden,
            stance: stance.as_deref().and_then(Stance::parse),
            created_at,
            edited_at,
            deleted: deleted_at.is_some(),
        });
    }
    let mut out = Vec::with_capacity(threads.len());
    for (id, target, anchor, platform_id, by, by_name, created_at, resolved_by, resolver, resolved_at, locked_at) in
        threads
    {
        let target = match (target.as_str(), anchor, platform_id) {
            ("passage", Some(anchor), _) => match serde_json::from_str(&anchor) {
                Ok(anchor) => ThreadTarget::Passage { anchor },
                Err(error) => {
                    tracing::warn!(thread = %id, %error, "stored anchor unreadable; thread skipped");
                    continue;
                }
            },
            (_, _, Some(platform_id)) => ThreadTarget::Platform { platform_id },
            _ => continue,
        };
        let resolved = match (resolved_by, resolver, resolved_at) {
            (Some(rid), Some(name), Some(at)) => Some((Person { id: rid, name }, at)),
            _ => None,
        };
        let comments = by_thread.remove(&id).unwrap_or_default();
        out.push(ThreadView {
            id,
            target,
            created_by: Person { id: by, name: by_name },
            created_at,
            resolved,
            locked: locked_at.is_some(),
            removed: false,
            at: None,
            comments,
            partial: false,
        });
    }
    Ok(Listing { threads: out, older })
}
