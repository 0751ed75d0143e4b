//! The archive's lines: a header, per table a heading and its rows (JSON arrays), and an end line.
//!
//! Pure: encoding and checked decoding of single lines. Streaming, hashing and compression are in
//! `writer` and `reader`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::tables::{ColType, Table};

/// The format's name, the first thing in every archive.
pub const FORMAT: &str = "kompromiss-backup";
/// The layout of the lines; a reader refuses versions it does not know.
pub const FORMAT_VERSION: u32 = 1;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Bool(bool),
}

/// A line that is not a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mark {
    /// The first line.
    Header(Header),
    /// The rows that follow belong to this table, with these columns in this order.
    Table { name: String, columns: Vec<String> },
    /// The last line: rows per table and the SHA-256 (hex) of every byte before this line.
    End { rows: Vec<(String, u64)>, sha256: String },
}

/// What the archive is and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// Milliseconds since the Unix epoch when the snapshot was taken.
    pub created_at: i64,
    /// `sqlite` or `postgres`.
    pub source: String,
    /// Migrations the source database had run; a restore needs the same number.
    pub schema_version: u32,
}

/// Why one line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("kein gültiges JSON / not valid JSON")]
    Json,
    #[error("{found} statt {expected} Spalten / {found} instead of {expected} columns")]
    Width { expected: usize, found: usize },
    #[error("Spalte {column}: {problem}")]
    Cell { column: &'static str, problem: &'static str },
}

/// Appends one row as a JSON array and a newline.
pub fn encode_row(out: &mut Vec<u8>, cells: &[Cell]) -> Result<(), LineError> {
    out.push(b'[');
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match cell {
            Cell::Null => out.extend_from_slice(b"null"),
            Cell::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Cell::Real(x) => {
                let number = serde_json::Number::from_f64(*x)
                    .ok_or(LineError::Cell { column: "?", problem: "keine endliche Zahl / not a finite number" })?;
                out.extend_from_slice(number.to_string().as_bytes());
            }
            Cell::Text(s) => serde_json::to_writer(&mut *out, s).map_err(|_| LineError::Json)?,
            Cell::Blob(b) => {
                out.push(b'"');
                out.extend_from_slice(STANDARD.encode(b).as_bytes());
                out.push(b'"');
            }
            Cell::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        }
    }
    out.extend_from_slice(b"]\n");
    Ok(())
}

/// Appends a mark as one JSON line.
pub fn encode_mark(out: &mut Vec<u8>, mark: &Mark) {
    // A `Mark` holds only strings and numbers: serializing it cannot fail.
    if serde_json::to_writer(&mut *out, mark).is_ok() {
        out.push(b'\n');
    }
}

/// Reads a mark line (without its newline).
pub fn decode_mark(line: &[u8]) -> Result<Mark, LineError> {
    serde_json::from_slice(line).map_err(|_| LineError::Json)
}

/// Reads a row line (without its newline) of `table`, checking every cell against its column.
pub fn decode_row(line: &[u8], table: &Table) -> Result<Vec<Cell>, LineError> {
    let values: Vec<serde_json::Value> = serde_json::from_slice(line).map_err(|_| LineError::Json)?;
    if values.len() != table.columns.len() {
        return Err(LineError::Width { expected: table.columns.len(), found: values.len() });
    }
    values
        .into_iter()
        .zip(table.columns)
        .map(|(value, column)| {
            let wrong = |problem| LineError::Cell { column: column.name, problem };
            match (value, column.ty) {
                (serde_json::Value::Null, _) if column.nullable => Ok(Cell::Null),
                (serde_json::Value::Null, _) => Err(wrong("leer, aber Pflicht / null in a required column")),
                (serde_json::Value::Number(n), ColType::Int) => {
                    n.as_i64().map(Cell::Int).ok_or(wrong("keine ganze Zahl / not an integer"))
                }
                (serde_json::Value::Number(n), ColType::Real) => {
                    n.as_f64().map(Cell::Real).ok_or(wrong("keine Zahl / not a number"))
                }
                (serde_json::Value::String(s), ColType::Text) => Ok(Cell::Text(s)),
                (serde_json::Value::String(s), ColType::Blob) => {
                    STANDARD.decode(s).map(Cell::Blob).map_err(|_| wrong("kein Base64 / not base64"))
                }
                (serde_json::Value::Bool(b), ColType::Bool) => Ok(Cell::Bool(b)),
                _ => Err(wrong("falscher Typ / wrong type")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::backup::tables::{Column, TABLES};

    const MIXED: Table = Table {
        name: "mixed",
        columns: &[
            Column { name: "i", ty: ColType::Int, nullable: false },
            Column { name: "r", ty: ColType::Real, nullable: true },
            Column { name: "t", ty: ColType::Text, nullable: true },
            Column { name: "b", ty: ColType::Blob, nullable: false },
            Column { name: "f", ty: ColType::Bool, nullable: false },
        ],
        order_by: "i",
        seeded: false,
        serial: None,
    };

    fn line_of(cells: &[Cell]) -> Vec<u8> {
        let mut out = Vec::new();
        encode_row(&mut out, cells).expect("encode");
        assert_eq!(out.pop(), Some(b'\n'), "one line");
        assert!(!out.contains(&b'\n'), "no newline inside a row");
        out
    }

    proptest! {
        #[test]
        fn every_row_reads_back_exactly(
            i in any::<i64>(),
            // Quarters are exact in binary and in decimal (the archive's reals are JSON numbers).
            r in proptest::option::of((-1_000_000i64..1_000_000).prop_map(|n| n as f64 / 4.0)),
            t in proptest::option::of(".*"),
            b in proptest::collection::vec(any::<u8>(), 0..200),
            f in any::<bool>(),
        ) {
            let cells = vec![
                Cell::Int(i),
                r.map_or(Cell::Null, Cell::Real),
                t.map_or(Cell::Null, Cell::Text),
                Cell::Blob(b),
                Cell::Bool(f),
            ];
            prop_assert_eq!(decode_row(&line_of(&cells), &MIXED).expect("decode"), cells);
        }

        #[test]
        fn garbage_is_refused_without_panicking(line in proptest::collection::vec(any::<u8>(), 0..300)) {
            for table in TABLES {
                let _ = decode_row(&line, table);
            }
            let _ = decode_mark(&line);
        }
    }

    #[test]
    fn a_wrong_width_type_or_null_is_refused_naming_the_column() {
        let ok = [Cell::Int(1), Cell::Null, Cell::Null, Cell::Blob(vec![0, 255]), Cell::Bool(true)];
        assert!(decode_row(&line_of(&ok), &MIXED).is_ok());
        assert_eq!(decode_row(b"[1,null]", &MIXED), Err(LineError::Width { expected: 5, found: 2 }));
        assert!(matches!(decode_row(b"[null,null,null,\"\",true]", &MIXED), Err(LineError::Cell { column: "i", .. })));
        assert!(matches!(decode_row(b"[1.5,null,null,\"\",true]", &MIXED), Err(LineError::Cell { column: "i", .. })));
        assert!(matches!(decode_row(b"[1,null,null,\"*\",true]", &MIXED), Err(LineError::Cell { column: "b", .. })));
        assert!(matches!(decode_row(b"[1,null,7,\"\",true]", &MIXED), Err(LineError::Cell { column: "t", .. })));
        assert_eq!(decode_row(b"[1,null,null,\"\",true", &MIXED), Err(LineError::Json));
    }

    #[test]
    fn marks_read_back() {
        let marks = [
            Mark::Header(Header {
                format: FORMAT.into(),
                version: FORMAT_VERSION,
                created_at: 1,
                source: "sqlite".into(),
                schema_version: 13,
            }),
            Mark::Table { name: "users".into(), columns: vec!["id".into()] },
            Mark::End { rows: vec![("users".into(), 3)], sha256: "00".into() },
        ];
        for mark in marks {
            let mut out = Vec::new();
            encode_mark(&mut out, &mark);
            assert_eq!(decode_mark(out.trim_ascii_end()).expect("decode"), mark);
        }
    }
}
