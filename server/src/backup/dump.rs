//! Dumps every table inside one read transaction: a consistent snapshot of a server that keeps
//! running, streamed row by row (the whole database is never held in memory).

use futures::TryStreamExt;
use sqlx::AssertSqlSafe;

use super::format::{Cell, FORMAT, FORMAT_VERSION, Header};
use super::writer::{ArchiveWriter, Pieces};
use super::{BackupError, SCHEMA_VERSION, Summary, cells, schema};
use crate::db::{Db, now_millis};

/// PostgreSQL: every read of the transaction sees the same committed state, and nothing is written.
const PG_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

fn select(table: &super::tables::Table) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    format!("SELECT {} FROM {} ORDER BY {}", columns.join(", "), table.name, table.order_by)
}

/// The same dump for either backend's transaction; `$cell` reads one value of its row type.
macro_rules! dump_in {
    ($tx:expr, $source:expr, $out:expr, $columns:path, $cell:path) => {{
        // SQLite: the snapshot begins with the transaction's first read, which is this one.
        let applied: i64 = sqlx::query_scalar(super::APPLIED_MIGRATIONS).fetch_one(&mut *$tx).await?;
        if applied != i64::from(SCHEMA_VERSION) {
            return Err(BackupError::SchemaVersion { archive: None, here: applied });
        }
        let found = schema::differences(&$columns(&mut *$tx).await?);
        if !found.is_empty() {
            return Err(BackupError::SchemaNotCovered(found.join("; ")));
        }
        let header = Header {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            created_at: now_millis(),
            source: $source.into(),
            schema_version: SCHEMA_VERSION,
        };
        let mut writer = ArchiveWriter::start($out, &header).await?;
        let mut cells: Vec<Cell> = Vec::new();
        for table in super::tables::TABLES {
            writer.table(table).await?;
            let sql = select(table);
            let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *$tx);
            while let Some(row) = rows.try_next().await? {
                cells.clear();
                for (i, column) in table.columns.iter().enumerate() {
                    cells.push($cell(&row, i, column)?);
                }
                writer.row(&cells).await?;
            }
        }
        let rows = writer.finish().await?;
        Summary {
            created_at: header.created_at,
            source: header.source,
            schema_version: SCHEMA_VERSION,
            tables: rows.len(),
            rows: rows.iter().map(|(_, n)| n).sum(),
        }
    }};
}

/// Writes an archive of everything in `db` to `out`, from one snapshot; the caller reads `out`.
pub async fn dump(db: &Db, out: Pieces) -> Result<Summary, BackupError> {
    let summary = match db {
        Db::Sqlite(pool) => {
            // In WAL mode a read transaction sees one snapshot from its first read on, while the
            // server goes on writing.
            let mut tx = pool.begin().await?;
            let summary = dump_in!(tx, "sqlite", out, schema::sqlite_columns, cells::from_sqlite);
            tx.rollback().await?;
            summary
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin_with(PG_SNAPSHOT).await?;
            let summary = dump_in!(tx, "postgres", out, schema::postgres_columns, cells::from_postgres);
            tx.rollback().await?;
            summary
        }
    };
    Ok(summary)
}
