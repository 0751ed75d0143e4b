//! Metric values and imports (both backends). Rows are only ever added: a correction or a
//! removal is a new row, the current value of a cell is its newest row.

use super::{Db, DbError, on_pool};

/// Most value rows (corrections included) one concept may hold: 40 platforms, 16 metrics and
/// 25 years, each corrected more than thirty times.
pub const MAX_ROWS_PER_CONCEPT: i64 = 500_000;
/// Rows written per statement (8 parameters each, below both backends' limits).
const BATCH: usize = 400;

/// A cell: a metric of a platform in a month (`YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub platform: String,
    pub metric: String,
    pub month: String,
}

/// A value as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub cell: Cell,
    /// Hundredths; `None`: removed.
    pub value: Option<i64>,
    pub source: String,
    pub by: Option<String>,
    pub at: i64,
    /// The file name of its import, if imported.
    pub file: Option<String>,
    /// Rows the cell has in all (current values only; 1 in a cell's record).
    pub entries: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    platform_id: String,
    metric: String,
    month: String,
    value: Option<i64>,
    source: String,
    entered_by: Option<String>,
    entered_at: i64,
    file_name: Option<String>,
    entries: i64,
}

fn entry(r: Row) -> Entry {
    Entry {
        cell: Cell { platform: r.platform_id, metric: r.metric, month: r.month },
        value: r.value,
        source: r.source,
        by: r.entered_by,
        at: r.entered_at,
        file: r.file_name,
        entries: r.entries,
    }
}

/// The newest row of every cell of a concept between two months (inclusive), removed ones too.
pub async fn current(db: &Db, concept: &str, from: &str, to: &str) -> Result<Vec<Entry>, DbError> {
    const SQL: &str = "SELECT v.platform_id, v.metric, v.month, v.value, v.source, v.entered_by, v.entered_at, \
           i.file_name, c.entries \
         FROM (SELECT platform_id, metric, month, MAX(seq) AS newest, COUNT(*) AS entries FROM metric_values \
               WHERE concept_id = $1 AND month >= $2 AND month <= $3 GROUP BY platform_id, metric, month) c \
         JOIN metric_values v ON v.seq = c.newest \
         LEFT JOIN metric_imports i ON i.id = v.import_id \
         ORDER BY v.month, v.platform_id, v.metric";
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(concept).bind(from).bind(to).fetch_all(pool).await?);
    Ok(rows.into_iter().map(entry).collect())
}

/// Every row of one cell, newest first (at most `limit`).
pub async fn record(db: &Db, concept: &str, cell: &Cell, limit: i64) -> Result<Vec<Entry>, DbError> {
    const SQL: &str = "SELECT v.platform_id, v.metric, v.month, v.value, v.source, v.entered_by, v.entered_at, \
           i.file_name, CAST(1 AS BIGINT) AS entries \
         FROM metric_values v LEFT JOIN metric_imports i ON i.id = v.import_id \
         WHERE v.concept_id = $1 AND v.month = $2 AND v.platform_id = $3 AND v.metric = $4 \
         ORDER BY v.seq DESC LIMIT $5";
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(SQL)
        .bind(concept).bind(&cell.month).bind(&cell.platform).bind(&cell.metric).bind(limit)
        .fetch_all(pool).await?);
    Ok(rows.into_iter().map(entry).collect())
}

/// The years a concept has values in, ascending.
pub async fn years(db: &Db, concept: &str) -> Result<Vec<i64>, DbError> {
    const SQL: &str = "SELECT DISTINCT CAST(SUBSTR(month, 1, 4) AS BIGINT) AS y FROM metric_values \
                       WHERE concept_id = $1 ORDER BY y";
    let rows: Vec<(i64,)> = on_pool!(db, pool => sqlx::query_as(SQL).bind(concept).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(y,)| y).collect())
}

/// An import, stored with its values.
pub struct NewImport<'a> {
    pub id: &'a str,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub rows: i64,
}

/// Values to add: cell, value (`None` removes), source.
pub struct NewValue {
    pub cell: Cell,
    pub value: Option<i64>,
    pub source: String,
}

/// What adding values did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Rows written and values left alone because they equal the current ones.
    Stored { changed: usize, unchanged: usize },
    /// The concept would hold more than `MAX_ROWS_PER_CONCEPT` rows.
    Full,
}

/// Adds values (and the import they come from) in one transaction; a value equal to the cell's
/// current one is not stored again. With `dry_run` nothing is written, the counts are the same.
pub async fn add(
    db: &Db,
    concept: &str,
    values: &[NewValue],
    import: Option<NewImport<'_>>,
    by: &str,
    at: i64,
    dry_run: bool,
) -> Result<Added, DbError> {
    let months: std::collections::BTreeSet<&str> = values.iter().map(|v| v.cell.month.as_str()).collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Added::Stored { changed: 0, unchanged: 0 });
    };
    const COUNT: &str = "SELECT COUNT(*) FROM metric_values WHERE concept_id = $1";
    const IMPORT: &str = "INSERT INTO metric_imports (id, concept_id, file_name, sha256, row_count, value_count, \
                          imported_by, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    Ok(on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT v.platform_id, v.metric, v.month, v.value, v.source, v.entered_by, v.entered_at, \
               CAST(NULL AS TEXT) AS file_name, CAST(1 AS BIGINT) AS entries \
             FROM metric_values v WHERE v.concept_id = $1 AND v.month >= $2 AND v.month <= $3 \
               AND v.seq = (SELECT MAX(seq) FROM metric_values w WHERE w.concept_id = v.concept_id \
                 AND w.month = v.month AND w.platform_id = v.platform_id AND w.metric = v.metric)")
            .bind(concept).bind(*first).bind(*last).fetch_all(&mut *tx).await?;
        let now: std::collections::HashMap<Cell, Option<i64>> =
            rows.into_iter().map(|r| { let e = entry(r); (e.cell, e.value) }).collect();
        let changed: Vec<&NewValue> =
            values.iter().filter(|v| now.get(&v.cell).copied().flatten() != v.value).collect();
        let unchanged = values.len() - changed.len();
        let (held,): (i64,) = sqlx::query_as(COUNT).bind(concept).fetch_one(&mut *tx).await?;
        if held + changed.len() as i64 > MAX_ROWS_PER_CONCEPT {
            tx.rollback().await?;
            return Ok(Added::Full);
        }
        if dry_run || changed.is_empty() {
            tx.rollback().await?;
            return Ok(Added::Stored { changed: changed.len(), unchanged });
        }
        let import_id = import.as_ref().map(|i| i.id.to_owned());
        if let Some(i) = &import {
            sqlx::query(IMPORT).bind(i.id).bind(concept).bind(i.file_name).bind(i.sha256).bind(i.rows)
                .bind(changed.len() as i64).bind(by).bind(at).execute(&mut *tx).await?;
        }
        for batch in changed.chunks(BATCH) {
            let mut sql = String::from("INSERT INTO metric_values (concept_id, platform_id, metric, month, value, \
                                        source, import_id, entered_by, entered_at) VALUES ");
            for i in 0..batch.len() {
                let n = i * 5;
                if i > 0 { sql.push(','); }
                sql.push_str(&format!("($1, ${}, ${}, ${}, ${}, ${}, $2, $3, $4)", n + 5, n + 6, n + 7, n + 8, n + 9));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(concept).bind(&import_id).bind(by).bind(at);
            for v in batch {
                q = q.bind(&v.cell.platform).bind(&v.cell.metric).bind(&v.cell.month).bind(v.value).bind(&v.source);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Added::Stored { changed: changed.len(), unchanged }
    }))
}

/// A stored import, for the record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Import {
    pub id: String,
    pub file_name: String,
    pub sha256: String,
    pub row_count: i64,
    pub value_count: i64,
    pub imported_by: Option<String>,
    pub imported_at: i64,
}

/// A concept's latest imports, newest first.
pub async fn imports(db: &Db, concept: &str, limit: i64) -> Result<Vec<Import>, DbError> {
    const SQL: &str = "SELECT id, file_name, sha256, row_count, value_count, imported_by, imported_at \
                       FROM metric_imports WHERE concept_id = $1 ORDER BY imported_at DESC, id LIMIT $2";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(concept).bind(limit).fetch_all(pool).await?))
}
