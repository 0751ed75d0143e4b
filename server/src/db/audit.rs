//! The audit log: who did what, when; appended by the server and the command line, read by admins.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::audit::{AuditEntry, AuditQuery};

use super::{Db, DbError, now_millis, on_pool};

/// Most entries one query returns.
pub const MAX_PAGE: u32 = 200;
/// Entries per page when the query names no limit.
pub const PAGE: u32 = 50;

/// One thing to record.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub actor_id: Option<&'a str>,
    pub actor_name: Option<&'a str>,
    pub action: AuditAction,
    pub target: Option<&'a str>,
    pub detail: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// An entry for something a person (or nobody, when `None`) did.
    pub fn by(user: Option<&'a super::users::User>, action: AuditAction) -> Self {
        Record {
            actor_id: user.map(|u| u.id.as_str()),
            actor_name: user.map(|u| u.display_name.as_str()),
            action,
            target: None,
            detail: None,
        }
    }
}

/// Appends an entry: at, actor id, actor name, action, target, detail (also used inside a
/// restore's transaction).
pub const INSERT: &str =
    "INSERT INTO audit_log (at, actor_id, actor_name, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)";

/// Appends an entry.
pub async fn record(db: &Db, entry: Record<'_>) -> Result<(), DbError> {
    on_pool!(db, pool => sqlx::query(INSERT).bind(now_millis()).bind(entry.actor_id).bind(entry.actor_name)
        .bind(entry.action.as_str()).bind(entry.target).bind(entry.detail).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Appends an entry; a failure is logged, not raised (the action itself already happened).
pub async fn record_or_log(db: &Db, entry: Record<'_>) {
    let action = entry.action;
    if let Err(error) = record(db, entry).await {
        tracing::error!(%error, action = action.as_str(), "cannot write the audit log");
    }
}

type Row = (i64, i64, Option<String>, String, Option<String>, Option<String>);

/// Entries matching the query, newest first.
pub async fn list(db: &Db, query: &AuditQuery) -> Result<Vec<AuditEntry>, DbError> {
    const SQL: &str = "SELECT id, at, actor_name, action, target, detail FROM audit_log \
         WHERE ($1 IS NULL OR action = $1) \
         AND ($2 IS NULL OR lower(actor_name) LIKE '%' || lower($2) || '%') \
         AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4";
    let limit = i64::from(query.limit.unwrap_or(PAGE).clamp(1, MAX_PAGE));
    let rows: Vec<Row> = on_pool!(db, pool =>
        sqlx::query_as(SQL).bind(query.action.map(AuditAction::as_str)).bind(query.actor.as_deref()).bind(query.before)
            .bind(limit).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, at, actor, action, target, detail)| AuditEntry { id, at, actor, action, target, detail })
        .collect())
}
