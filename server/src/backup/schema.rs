//! The table list against the live schema: every table and column of the database must be listed
//! with its type, nullability and numbering, so that no migration is silently left out of backups.

use sqlx::{PgConnection, SqliteConnection};

use super::tables::{ColType, TABLES};

/// A column as the database describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveColumn {
    pub table: String,
    pub column: String,
    /// The declared type as the database names it.
    pub declared: String,
    pub nullable: bool,
    /// Numbered by the database (SQLite `AUTOINCREMENT`, PostgreSQL identity or serial).
    pub serial: bool,
}

/// The portable type of a declared SQLite or PostgreSQL column type, if the archive knows it.
pub fn portable(declared: &str) -> Option<ColType> {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "int" | "smallint" => Some(ColType::Int),
        "real" | "double" | "double precision" | "float" => Some(ColType::Real),
        "text" => Some(ColType::Text),
        "blob" | "bytea" => Some(ColType::Blob),
        "boolean" => Some(ColType::Bool),
        _ => None,
    }
}

/// Every column of every table of a SQLite database (not SQLite's or sqlx's own tables).
pub async fn sqlite_columns(conn: &mut SqliteConnection) -> Result<Vec<LiveColumn>, sqlx::Error> {
    const SQL: &str = "SELECT m.name, p.name, p.type, p.\"notnull\" = 0 AND p.pk = 0, \
         p.pk = 1 AND upper(m.sql) LIKE '%AUTOINCREMENT%' \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'";
    let rows: Vec<(String, String, String, bool, bool)> = sqlx::query_as(SQL).fetch_all(conn).await?;
    Ok(rows.into_iter().map(live).collect())
}

/// Every column of every table in the current schema of a PostgreSQL database (not sqlx's).
pub async fn postgres_columns(conn: &mut PgConnection) -> Result<Vec<LiveColumn>, sqlx::Error> {
    const SQL: &str = "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable = 'YES', \
         c.is_identity = 'YES' OR COALESCE(c.column_default, '') LIKE 'nextval(%' \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> '_sqlx_migrations'";
    let rows: Vec<(String, String, String, bool, bool)> = sqlx::query_as(SQL).fetch_all(conn).await?;
    Ok(rows.into_iter().map(live).collect())
}

fn live((table, column, declared, nullable, serial): (String, String, String, bool, bool)) -> LiveColumn {
    LiveColumn { table, column, declared, nullable, serial }
}

/// What differs between `TABLES` and the live schema, one sentence each; empty when they agree.
pub fn differences(live: &[LiveColumn]) -> Vec<String> {
    let mut found = Vec::new();
    for c in live {
        let Some(table) = TABLES.iter().find(|t| t.name == c.table) else {
            if !found.iter().any(|f: &String| f.contains(&format!("table {} ", c.table))) {
                found.push(format!("table {} is not in the backup's list", c.table));
            }
            continue;
        };
        let Some(listed) = table.columns.iter().find(|l| l.name == c.column) else {
            found.push(format!("column {}.{} is not in the backup's list", c.table, c.column));
            continue;
        };
        if portable(&c.declared) != Some(listed.ty) {
            found.push(format!("column {}.{} is {} but listed as {:?}", c.table, c.column, c.declared, listed.ty));
        }
        if c.nullable != listed.nullable {
            found.push(format!(
                "column {}.{}: nullable {} but listed {}",
                c.table, c.column, c.nullable, listed.nullable
            ));
        }
        if c.serial != (table.serial == Some(listed.name)) {
            found.push(format!(
                "column {}.{}: numbered by the database {} but listed otherwise",
                c.table, c.column, c.serial
            ));
        }
    }
    for table in TABLES {
        for listed in table.columns {
            if !live.iter().any(|c| c.table == table.name && c.column == listed.name) {
                found.push(format!("column {}.{} is listed but not in the database", table.name, listed.name));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed_as_live() -> Vec<LiveColumn> {
        TABLES
            .iter()
            .flat_map(|t| {
                t.columns.iter().map(|c| LiveColumn {
                    table: t.name.into(),
                    column: c.name.into(),
                    declared: match c.ty {
                        ColType::Int => "BIGINT",
                        ColType::Real => "REAL",
                        ColType::Text => "TEXT",
                        ColType::Blob => "BLOB",
                        ColType::Bool => "BOOLEAN",
                    }
                    .into(),
                    nullable: c.nullable,
                    serial: t.serial == Some(c.name),
                })
            })
            .collect()
    }

    #[test]
    fn a_new_table_a_new_column_a_dropped_column_or_a_changed_type_are_each_named() {
        let mut live = listed_as_live();
        assert!(differences(&live).is_empty());
        live.push(LiveColumn {
            table: "reactions".into(),
            column: "id".into(),
            declared: "TEXT".into(),
            nullable: false,
            serial: false,
        });
        live.push(LiveColumn {
            table: "users".into(),
            column: "pronouns".into(),
            declared: "TEXT".into(),
            nullable: true,
            serial: false,
        });
        live.retain(|c| !(c.table == "comments" && c.column == "stance"));
        if let Some(c) = live.iter_mut().find(|c| c.table == "doc_chunks" && c.column == "data") {
            c.declared = "TEXT".into();
        }
        let found = differences(&live).join("\n");
        for expected in ["table reactions", "users.pronouns", "comments.stance", "doc_chunks.data is TEXT"] {
            assert!(found.contains(expected), "{expected} missing in:\n{found}");
        }
    }
}
