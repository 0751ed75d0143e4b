//! Cells out of either backend's rows and back into its queries, by the column's portable type.

use sqlx::Row;
use sqlx::postgres::{PgArguments, PgRow, Postgres};
use sqlx::query::Query;
use sqlx::sqlite::{Sqlite, SqliteArguments, SqliteRow};
use sqlx::{Column as _, TypeInfo as _};

use super::format::Cell;
use super::tables::{ColType, Column};

fn cell<T>(value: Option<T>, wrap: impl FnOnce(T) -> Cell) -> Cell {
    value.map_or(Cell::Null, wrap)
}

/// The `i`-th value of a SQLite row.
pub fn from_sqlite(row: &SqliteRow, i: usize, column: &Column) -> Result<Cell, sqlx::Error> {
    Ok(match column.ty {
        ColType::Int => cell(row.try_get::<Option<i64>, _>(i)?, Cell::Int),
        ColType::Real => cell(row.try_get::<Option<f64>, _>(i)?, Cell::Real),
        ColType::Text => cell(row.try_get::<Option<String>, _>(i)?, Cell::Text),
        ColType::Blob => cell(row.try_get::<Option<Vec<u8>>, _>(i)?, Cell::Blob),
        ColType::Bool => cell(row.try_get::<Option<bool>, _>(i)?, Cell::Bool),
    })
}

/// The `i`-th value of a PostgreSQL row (`integer` and `smallint` columns widened to 64 bits).
pub fn from_postgres(row: &PgRow, i: usize, column: &Column) -> Result<Cell, sqlx::Error> {
    Ok(match column.ty {
        ColType::Int => match row.column(i).type_info().name() {
            "INT2" => cell(row.try_get::<Option<i16>, _>(i)?, |n| Cell::Int(n.into())),
            "INT4" => cell(row.try_get::<Option<i32>, _>(i)?, |n| Cell::Int(n.into())),
            _ => cell(row.try_get::<Option<i64>, _>(i)?, Cell::Int),
        },
        ColType::Real => cell(row.try_get::<Option<f64>, _>(i)?, Cell::Real),
        ColType::Text => cell(row.try_get::<Option<String>, _>(i)?, Cell::Text),
        ColType::Blob => cell(row.try_get::<Option<Vec<u8>>, _>(i)?, Cell::Blob),
        ColType::Bool => cell(row.try_get::<Option<bool>, _>(i)?, Cell::Bool),
    })
}

/// Binds a cell, typed by its column (a `NULL` too, so PostgreSQL knows its type).
macro_rules! bind_fn {
    ($name:ident, $db:ty, $args:ty) => {
        /// Binds one cell as its column's type.
        pub fn $name<'q>(q: Query<'q, $db, $args>, cell: Cell, column: &Column) -> Query<'q, $db, $args> {
            match (cell, column.ty) {
                (Cell::Int(n), _) => q.bind(n),
                (Cell::Real(x), _) => q.bind(x),
                (Cell::Text(s), _) => q.bind(s),
                (Cell::Blob(b), _) => q.bind(b),
                (Cell::Bool(b), _) => q.bind(b),
                (Cell::Null, ColType::Int) => q.bind(None::<i64>),
                (Cell::Null, ColType::Real) => q.bind(None::<f64>),
                (Cell::Null, ColType::Text) => q.bind(None::<String>),
                (Cell::Null, ColType::Blob) => q.bind(None::<Vec<u8>>),
                (Cell::Null, ColType::Bool) => q.bind(None::<bool>),
            }
        }
    };
}
bind_fn!(bind_sqlite, Sqlite, SqliteArguments);
bind_fn!(bind_postgres, Postgres, PgArguments);
