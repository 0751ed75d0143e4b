//! Notifications in SQL (both backends), kept per person up to a bound.

use kompromiss_shared::dto::comments::Person;
use kompromiss_shared::dto::notifications::{MAX_KEPT, NotificationKind, NotificationView};
use kompromiss_shared::ids::DocumentId;

use super::{Db, DbError, on_pool, random_id};

/// One notification to store.
pub struct New<'a> {
    pub user_id: &'a str,
    pub doc: DocumentId,
    pub thread_id: &'a str,
    pub comment_id: Option<&'a str>,
    pub kind: NotificationKind,
    pub actor_id: &'a str,
    pub at: i64,
}

/// Stores a notification and drops that person's oldest beyond [`MAX_KEPT`].
pub async fn add(db: &Db, n: New<'_>) -> Result<(), DbError> {
    const INSERT: &str = "INSERT INTO notifications (id, user_id, doc_id, thread_id, comment_id, kind, actor_id, created_at) \
                          VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    const PRUNE: &str = "DELETE FROM notifications WHERE user_id = $1 AND id NOT IN \
                         (SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)";
    let id = random_id("n");
    on_pool!(db, pool => {
        sqlx::query(INSERT)
            .bind(&id).bind(n.user_id).bind(n.doc.to_string()).bind(n.thread_id).bind(n.comment_id)
            .bind(n.kind.as_str()).bind(n.actor_id).bind(n.at)
            .execute(pool).await?;
        sqlx::query(PRUNE).bind(n.user_id).bind(MAX_KEPT).execute(pool).await?;
    });
    Ok(())
}

type Row = (String, String, String, String, String, Option<String>, String, String, i64, Option<i64>);

/// A person's newest notifications (at most `limit`), with the document's title.
pub async fn newest(db: &Db, user_id: &str, limit: i64) -> Result<Vec<NotificationView>, DbError> {
    const SQL: &str = "SELECT n.id, n.kind, n.doc_id, d.title, n.thread_id, n.comment_id, n.actor_id, u.display_name, \
                       n.created_at, n.read_at FROM notifications n JOIN documents d ON d.id = n.doc_id \
                       JOIN users u ON u.id = n.actor_id WHERE n.user_id = $1 \
                       ORDER BY n.created_at DESC, n.id DESC LIMIT $2";
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(SQL).bind(user_id).bind(limit).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, kind, doc_id, doc_title, thread_id, comment_id, actor_id, actor_name, created_at, read_at)| {
                let link = format!("/d/{doc_id}#thread-{thread_id}");
                Some(NotificationView {
                    id,
                    kind: NotificationKind::parse(&kind)?,
                    doc_id,
                    doc_title,
                    thread_id,
                    comment_id,
                    actor: Person { id: actor_id, name: actor_name },
                    created_at,
                    read: read_at.is_some(),
                    link,
                })
            },
        )
        .collect())
}

/// Marks a person's notifications read: these ids, or all of them.
pub async fn mark_read(db: &Db, user_id: &str, ids: &[String], all: bool, at: i64) -> Result<(), DbError> {
    const ALL: &str = "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL";
    const ONE: &str = "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND id = $2 AND read_at IS NULL";
    on_pool!(db, pool => {
        if all {
            sqlx::query(ALL).bind(user_id).bind(at).execute(pool).await?;
        } else {
            for id in ids {
                sqlx::query(ONE).bind(user_id).bind(id).bind(at).execute(pool).await?;
            }
        }
    });
    Ok(())
}

/// A person's unread notifications.
pub async fn unread_ids(db: &Db, user_id: &str) -> Result<Vec<(String, String)>, DbError> {
    const SQL: &str = "SELECT id, doc_id FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(user_id).fetch_all(pool).await?))
}

/// The people who wrote in a thread (first comment and replies).
pub async fn participants(db: &Db, thread_id: &str) -> Result<Vec<String>, DbError> {
    const SQL: &str = "SELECT DISTINCT author_id FROM comments WHERE thread_id = $1";
    let rows: Vec<(String,)> = on_pool!(db, pool => sqlx::query_as(SQL).bind(thread_id).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
