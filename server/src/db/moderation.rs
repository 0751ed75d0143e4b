//! Moderation in SQL (both backends): reports, hidden comments, locked threads.

use kompromiss_shared::comments::ReportReason;
use kompromiss_shared::dto::comments::{Person, ReportView};
use kompromiss_shared::ids::DocumentId;

use super::{Db, DbError, on_pool};

/// A new report.
pub struct NewReport<'a> {
    pub id: &'a str,
    pub comment_id: &'a str,
    pub doc: DocumentId,
    pub reporter: &'a str,
    pub reason: ReportReason,
    pub note: &'a str,
    pub at: i64,
}

/// Files a report; false when this person has an open report on this comment already.
pub async fn report(db: &Db, r: NewReport<'_>) -> Result<bool, DbError> {
    const SQL: &str = "INSERT INTO comment_reports (id, comment_id, doc_id, reporter_id, reason, note, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (comment_id, reporter_id) DO NOTHING";
    let done = on_pool!(db, pool => sqlx::query(SQL)
        .bind(r.id).bind(r.comment_id).bind(r.doc.to_string()).bind(r.reporter).bind(r.reason.as_str())
        .bind(r.note).bind(r.at)
        .execute(pool).await?.rows_affected());
    Ok(done == 1)
}

/// Reports a person filed since `since` (milliseconds).
pub async fn reported_since(db: &Db, reporter: &str, since: i64) -> Result<i64, DbError> {
    const SQL: &str = "SELECT COUNT(*) FROM comment_reports WHERE reporter_id = $1 AND created_at >= $2";
    let (n,): (i64,) = on_pool!(db, pool => sqlx::query_as(SQL).bind(reporter).bind(since).fetch_one(pool).await?);
    Ok(n)
}

type ReportRow = (String, String, String, String, String, String, String, i64, String, String, String, Option<String>);

/// A document's open reports, oldest first, with the comment as it is.
pub async fn open_reports(db: &Db, doc: DocumentId) -> Result<Vec<ReportView>, DbError> {
    const SQL: &str = "SELECT r.id, c.thread_id, r.comment_id, r.reason, r.note, r.reporter_id, ru.display_name, \
                       r.created_at, c.author_id, au.display_name, c.body, c.hidden_reason \
                       FROM comment_reports r JOIN comments c ON c.id = r.comment_id \
                       JOIN users ru ON ru.id = r.reporter_id JOIN users au ON au.id = c.author_id \
                       WHERE r.doc_id = $1 AND r.handled_at IS NULL ORDER BY r.created_at, r.id";
    let rows: Vec<ReportRow> = on_pool!(db, pool => sqlx::query_as(SQL).bind(doc.to_string()).fetch_all(pool).await?);
    let mut reports: Vec<ReportView> = rows
        .into_iter()
        .filter_map(|(id, thread_id, comment_id, reason, note, rid, rname, created_at, aid, aname, body, hidden)| {
            Some(ReportView {
                id,
                thread_id,
                comment_id,
                reason: ReportReason::parse(&reason)?,
                note,
                reporter: Person { id: rid, name: rname },
                created_at,
                author: Person { id: aid, name: aname },
                body,
                hidden,
                earlier: Vec::new(),
            })
        })
        .collect();
    for report in &mut reports {
        report.earlier =
            super::comments::revisions(db, &report.comment_id).await?.into_iter().map(|(b, _)| b).collect();
    }
    Ok(reports)
}

/// Hides a comment with a reason (`Some`) or restores it (`None`); either way its open reports
/// count as handled.
pub async fn set_hidden(
    db: &Db,
    comment_id: &str,
    hidden: Option<(&str, &str)>,
    by: &str,
    at: i64,
) -> Result<(), DbError> {
    const HIDE: &str = "UPDATE comments SET hidden_at = $2, hidden_by = $3, hidden_reason = $4 WHERE id = $1";
    const HANDLED: &str =
        "UPDATE comment_reports SET handled_at = $2, handled_by = $3 WHERE comment_id = $1 AND handled_at IS NULL";
    let (hidden_by, reason, hidden_at) = match hidden {
        Some((by, reason)) => (Some(by), Some(reason), Some(at)),
        None => (None, None, None),
    };
    on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(HIDE).bind(comment_id).bind(hidden_at).bind(hidden_by).bind(reason).execute(&mut *tx).await?;
        sqlx::query(HANDLED).bind(comment_id).bind(at).bind(by).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Locks (`Some(by)`) or unlocks a thread.
pub async fn set_locked(db: &Db, thread_id: &str, locked: Option<&str>, at: i64) -> Result<(), DbError> {
    const SQL: &str = "UPDATE comment_threads SET locked_at = $2, locked_by = $3 WHERE id = $1";
    let at = locked.map(|_| at);
    on_pool!(db, pool => sqlx::query(SQL).bind(thread_id).bind(at).bind(locked).execute(pool).await.map(drop)?);
    Ok(())
}
