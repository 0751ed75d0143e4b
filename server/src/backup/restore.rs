//! Rebuilds an empty instance from an archive in one transaction that commits only after the
//! archive's end line, row counts and SHA-256 checked out: a truncated or altered archive leaves
//! the target exactly as empty as it was.

use std::io::Read;

use kompromiss_shared::audit::AuditAction;
use sqlx::AssertSqlSafe;
use tokio::sync::mpsc;

use super::format::{Cell, Header};
use super::reader::{ArchiveReader, Item};
use super::tables::{TABLES, Table};
use super::{BackupError, CLI_ACTOR, SCHEMA_VERSION, Summary, cells};
use crate::db::{Db, now_millis, on_pool};

/// Rows per `INSERT` at most (fewer for wide tables: SQLite takes 32,766 parameters).
const BATCH_ROWS: usize = 500;
const BATCH_PARAMS: usize = 30_000;
/// Bytes of text and blobs per `INSERT` at most.
const BATCH_BYTES: usize = 8 * 1024 * 1024;
/// Items read ahead of the inserts (each at most one line of `reader::MAX_LINE_BYTES`).
const READ_AHEAD: usize = 16;

/// Rows of one table waiting to be inserted together.
struct Batch {
    table: &'static Table,
    rows: Vec<Vec<Cell>>,
    bytes: usize,
}

impl Batch {
    fn new(table: &'static Table) -> Self {
        Batch { table, rows: Vec::new(), bytes: 0 }
    }

    fn push(&mut self, row: Vec<Cell>) {
        self.bytes += row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.len(),
                Cell::Blob(b) => b.len(),
                _ => 8,
            })
            .sum::<usize>();
        self.rows.push(row);
    }

    fn full(&self) -> bool {
        let most = BATCH_ROWS.min(BATCH_PARAMS / self.table.columns.len().max(1));
        self.rows.len() >= most || self.bytes >= BATCH_BYTES
    }

    /// `INSERT INTO t (…) VALUES ($1, …), (…)` for the rows held.
    fn sql(&self) -> String {
        let names: Vec<&str> = self.table.columns.iter().map(|c| c.name).collect();
        let width = names.len();
        let values: Vec<String> = (0..self.rows.len())
            .map(|r| {
                let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        format!("INSERT INTO {} ({}) VALUES {}", self.table.name, names.join(", "), values.join(", "))
    }
}

/// Whether a table holds any row (`COUNT` over at most one row: the same integer on both backends).
fn any_row(table: &Table) -> String {
    format!("SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) AS probe", table.name)
}

/// The same restore for either backend's transaction.
macro_rules! restore_in {
    ($tx:expr, $items:expr, $bind:path, $after:expr) => {{
        let header: Header = match $items.recv().await {
            Some(Ok(Item::Header(h))) => h,
            Some(Err(e)) => return Err(e),
            _ => return Err(BackupError::NotAnArchive),
        };
        let here: i64 = sqlx::query_scalar(super::APPLIED_MIGRATIONS).fetch_one(&mut *$tx).await?;
        if header.schema_version != SCHEMA_VERSION || here != i64::from(SCHEMA_VERSION) {
            return Err(BackupError::SchemaVersion { archive: Some(header.schema_version), here });
        }
        for table in TABLES.iter().filter(|t| !t.seeded) {
            let rows: i64 = sqlx::query_scalar(AssertSqlSafe(any_row(table))).fetch_one(&mut *$tx).await?;
            if rows > 0 {
                return Err(BackupError::NotEmpty(table.name));
            }
        }
        let mut batch: Option<Batch> = None;
        let mut stored: u64 = 0;
        macro_rules! flush {
            () => {
                if let Some(b) = batch.as_mut().filter(|b| !b.rows.is_empty()) {
                    let sql = b.sql();
                    let mut q = sqlx::query(AssertSqlSafe(sql));
                    let first = stored + 1;
                    let n = b.rows.len() as u64;
                    for row in b.rows.drain(..) {
                        for (cell, column) in row.into_iter().zip(b.table.columns) {
                            q = $bind(q, cell, column);
                        }
                    }
                    b.bytes = 0;
                    q.execute(&mut *$tx).await.map_err(|e| BackupError::Store {
                        table: b.table.name,
                        first,
                        source: e,
                    })?;
                    stored += n;
                }
            };
        }
        let rows = loop {
            match $items.recv().await {
                Some(Ok(Item::Table(table))) => {
                    flush!();
                    if table.seeded {
                        let clear = format!("DELETE FROM {}", table.name);
                        sqlx::query(AssertSqlSafe(clear)).execute(&mut *$tx).await?;
                    }
                    batch = Some(Batch::new(table));
                }
                Some(Ok(Item::Row(row))) => {
                    if let Some(b) = batch.as_mut() {
                        b.push(row);
                    }
                    if batch.as_ref().is_some_and(Batch::full) {
                        flush!();
                    }
                }
                Some(Ok(Item::Verified { rows })) => {
                    flush!();
                    break rows;
                }
                Some(Ok(Item::Header(_))) => return Err(BackupError::NotAnArchive),
                Some(Err(e)) => return Err(e),
                // The reader stopped without a verdict: it panicked or was cut off.
                None => return Err(BackupError::Truncated),
            }
        };
        if stored != rows {
            return Err(BackupError::Damaged {
                line: 0,
                reason: format!("{stored} Zeilen gespeichert, {rows} gezählt"),
            });
        }
        for table in TABLES {
            if let Some(column) = table.serial {
                for sql in $after(table.name, column) {
                    sqlx::query(AssertSqlSafe(sql)).execute(&mut *$tx).await?;
                }
            }
        }
        let detail = format!(
            "Sicherung vom / archive of {} ({}, {} Zeilen / rows)",
            super::day_and_time(header.created_at),
            header.source,
            rows
        );
        sqlx::query(crate::db::audit::INSERT)
            .bind(now_millis())
            .bind(None::<String>)
            .bind(CLI_ACTOR)
            .bind(AuditAction::BackupRestored.as_str())
            .bind(None::<String>)
            .bind(detail)
            .execute(&mut *$tx)
            .await?;
        Summary {
            created_at: header.created_at,
            source: header.source,
            schema_version: header.schema_version,
            tables: TABLES.len(),
            rows,
        }
    }};
}

/// SQLite keeps `AUTOINCREMENT` counters past explicit ids by itself.
fn sqlite_after(_table: &str, _column: &str) -> Vec<String> {
    Vec::new()
}

/// PostgreSQL's sequence of an identity or serial column, moved past the restored ids.
fn postgres_after(table: &str, column: &str) -> Vec<String> {
    vec![format!(
        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
    )]
}

/// Refuses a target that holds anything, before a restore migrates it: a database with tables of
/// another program or another Kompromiss version, or this version's schema with rows. A database
/// without tables passes (the restore migrates it). The restore checks again in its transaction.
pub async fn refuse_unless_empty(db: &Db) -> Result<(), BackupError> {
    let (tables, ours): (i64, i64) = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE name = '_sqlx_migrations') FROM sqlite_master \
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_one(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE table_name = '_sqlx_migrations') \
             FROM information_schema.tables WHERE table_schema = current_schema()",
            )
            .fetch_one(pool)
            .await?
        }
    };
    if tables == 0 {
        return Ok(());
    }
    let applied: i64 = if ours == 1 {
        on_pool!(db, pool => sqlx::query_scalar(super::APPLIED_MIGRATIONS).fetch_one(pool).await?)
    } else {
        0
    };
    if applied != i64::from(SCHEMA_VERSION) {
        return Err(BackupError::ForeignSchema { tables });
    }
    for table in TABLES.iter().filter(|t| !t.seeded) {
        let rows: i64 = on_pool!(db, pool => sqlx::query_scalar(AssertSqlSafe(any_row(table))).fetch_one(pool).await?);
        if rows > 0 {
            return Err(BackupError::NotEmpty(table.name));
        }
    }
    Ok(())
}

/// Restores the archive read from `input` into `db`, which must be migrated and empty.
pub async fn restore(db: &Db, input: impl Read + Send + 'static) -> Result<Summary, BackupError> {
    let (send, mut items) = mpsc::channel::<Result<Item, BackupError>>(READ_AHEAD);
    let reading = tokio::task::spawn_blocking(move || {
        let mut reader = match ArchiveReader::new(input) {
            Ok(r) => r,
            Err(e) => {
                let _ = send.blocking_send(Err(e));
                return;
            }
        };
        loop {
            let item = reader.next_item();
            let last = !matches!(item, Ok(Some(Item::Header(_) | Item::Table(_) | Item::Row(_))));
            match item {
                Ok(Some(item)) => {
                    if send.blocking_send(Ok(item)).is_err() {
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    let _ = send.blocking_send(Err(e));
                }
            }
            if last {
                return;
            }
        }
    });
    let result = async {
        Ok::<_, BackupError>(match db {
            Db::Sqlite(pool) => {
                // IMMEDIATE: the write lock from the start, so nobody writes between the check
                // that the target is empty and the commit.
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let summary = restore_in!(tx, items, cells::bind_sqlite, sqlite_after);
                tx.commit().await?;
                summary
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let summary = restore_in!(tx, items, cells::bind_postgres, postgres_after);
                tx.commit().await?;
                summary
            }
        })
    }
    .await;
    // Stops the reader if the restore ended early (it sees the channel closed).
    drop(items);
    let _ = reading.await;
    result
}
