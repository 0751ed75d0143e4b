//! Reading what a database holds and what an archive holds, table by table, without the server's
//! own dump code, so that the two can be compared row by row.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kompromiss_server::backup::tables::{ColType, TABLES};
use kompromiss_server::db::Db;
use serde_json::Value;

/// Rows per table, each row a JSON array in the archive's conventions (blobs as base64), rows
/// sorted (the backends sort text differently).
pub type Tables = BTreeMap<String, Vec<Vec<Value>>>;

/// Everything `db` holds, read with plain queries.
pub async fn of_database(db: &Db) -> Tables {
    use sqlx::Row;
    let mut out = Tables::new();
    for table in TABLES {
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let sql = format!("SELECT {} FROM {}", names.join(", "), table.name);
        macro_rules! read {
            ($pool:expr) => {{
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all($pool).await.expect("rows");
                rows.iter()
                    .map(|r| {
                        table
                            .columns
                            .iter()
                            .enumerate()
                            .map(|(i, c)| match c.ty {
                                ColType::Int => r
                                    .try_get::<Option<i64>, _>(i)
                                    .or_else(|_| r.try_get::<Option<i32>, _>(i).map(|n| n.map(i64::from)))
                                    .expect("integer")
                                    .map_or(Value::Null, Value::from),
                                ColType::Text => {
                                    r.try_get::<Option<String>, _>(i).expect("text").map_or(Value::Null, Value::from)
                                }
                                ColType::Blob => r
                                    .try_get::<Option<Vec<u8>>, _>(i)
                                    .expect("blob")
                                    .map_or(Value::Null, |b| Value::from(STANDARD.encode(b))),
                                ColType::Real => {
                                    r.try_get::<Option<f64>, _>(i).expect("real").map_or(Value::Null, Value::from)
                                }
                                ColType::Bool => {
                                    r.try_get::<Option<bool>, _>(i).expect("bool").map_or(Value::Null, Value::from)
                                }
                            })
                            .collect::<Vec<Value>>()
                    })
                    .collect::<Vec<_>>()
            }};
        }
        let rows = match db {
            Db::Sqlite(pool) => read!(pool),
            Db::Postgres(pool) => read!(pool),
        };
        out.insert(table.name.to_owned(), sorted(rows));
    }
    out
}

/// The header and the rows of an archive file (gzip-compressed JSON lines).
pub fn of_archive(path: &Path) -> (Value, Tables) {
    let file = std::fs::File::open(path).expect("archive");
    let lines = BufReader::new(flate2::read::MultiGzDecoder::new(file)).lines();
    let (mut header, mut tables, mut current) = (Value::Null, Tables::new(), String::new());
    for line in lines {
        let line = line.expect("line");
        let value: Value = serde_json::from_str(&line).expect("every line is JSON");
        match value {
            Value::Array(row) => tables.get_mut(&current).expect("rows follow a table").push(row),
            Value::Object(ref mark) => match mark["kind"].as_str() {
                Some("header") => header = value,
                Some("table") => {
                    current = mark["name"].as_str().expect("name").to_owned();
                    tables.insert(current.clone(), Vec::new());
                }
                Some("end") => {}
                other => panic!("unknown line kind {other:?}"),
            },
            other => panic!("unexpected line {other}"),
        }
    }
    for rows in tables.values_mut() {
        *rows = sorted(std::mem::take(rows));
    }
    (header, tables)
}

fn sorted(mut rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    rows.sort_by_cached_key(|r| serde_json::to_string(r).expect("json"));
    rows
}

/// Takes the restore's own audit entry out of `restored` (asserting there is exactly one), so
/// that the rest compares with the source.
pub fn without_restore_entry(mut restored: Tables) -> Tables {
    let log = restored.get_mut("audit_log").expect("audit log");
    let before = log.len();
    log.retain(|row| row[4] != "backup-restored");
    assert_eq!(before - log.len(), 1, "the restore is audited once");
    restored
}

/// Fails naming the first table whose rows differ.
pub fn assert_same(expected: &Tables, found: &Tables, what: &str) {
    assert_eq!(expected.keys().collect::<Vec<_>>(), found.keys().collect::<Vec<_>>(), "{what}: tables");
    for (table, rows) in expected {
        let other = &found[table];
        assert_eq!(rows.len(), other.len(), "{what}: rows of {table}");
        for (a, b) in rows.iter().zip(other) {
            assert_eq!(a, b, "{what}: a row of {table}");
        }
    }
}

/// Rows in every table that an empty instance leaves empty (all but the seeded ones).
pub async fn rows_outside_seeded(db: &Db) -> usize {
    let tables = of_database(db).await;
    TABLES.iter().filter(|t| !t.seeded).map(|t| tables[t.name].len()).sum()
}
