//! The one list of what a backup holds: every table, in an order that satisfies its foreign keys.

/// A column's type as the archive carries it, the same on both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// SQLite `INTEGER`/`BIGINT`, PostgreSQL `integer`/`bigint`: a JSON number.
    Int,
    /// SQLite `REAL`, PostgreSQL `double precision`: a JSON number.
    Real,
    /// `TEXT`: a JSON string.
    Text,
    /// SQLite `BLOB`, PostgreSQL `bytea`: a base64 string (automerge chunks, byte-exact).
    Blob,
    /// SQLite `BOOLEAN`, PostgreSQL `boolean`: `true`/`false`.
    Bool,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColType,
    /// Whether the column takes `NULL`; a `null` in a column that does not is refused on restore.
    pub nullable: bool,
}

/// One table of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [Column],
    /// The dump's row order: the primary key, so that a restore does not repeat the order rows
    /// were written in (ballot participation is in voting order on disk; the archive is not).
    pub order_by: &'static str,
    /// Filled by the migrations or at the first start (`authz_version`, `server_identity`): an
    /// empty instance may hold rows here; a restore replaces them.
    pub seeded: bool,
    /// A column numbered by the database (SQLite `AUTOINCREMENT`, PostgreSQL identity or
    /// `BIGSERIAL`): after a restore with explicit numbers, PostgreSQL's sequence is moved past them.
    pub serial: Option<&'static str>,
}

const fn col(name: &'static str, ty: ColType) -> Column {
    Column { name, ty, nullable: false }
}

const fn opt(name: &'static str, ty: ColType) -> Column {
    Column { name, ty, nullable: true }
}

use ColType::{Blob, Int, Text};

const fn table(name: &'static str, columns: &'static [Column], order_by: &'static str) -> Table {
    Table { name, columns, order_by, seeded: false, serial: None }
}

/// Every table of the schema at [`crate::backup::SCHEMA_VERSION`], parents before children.
/// `tests/tests/integration/backup.rs` checks it against the migrated schema of both backends,
/// so a new migration fails that test until its tables and columns are listed here.
pub const TABLES: &[Table] = &[
    table(
        "users",
        &[
            col("id", Text),
            col("display_name", Text),
            col("created_at", Int),
            col("issuer", Text),
            opt("subject", Text),
            opt("email", Text),
            col("groups", Text),
            opt("last_sign_in_at", Int),
        ],
        "id",
    ),
    table(
        "documents",
        &[
            col("id", Text),
            col("title", Text),
            opt("template", Text),
            opt("created_by", Text),
            col("created_at", Int),
            col("updated_at", Int),
        ],
        "id",
    ),
    table(
        "doc_chunks",
        &[col("doc_id", Text), col("seq", Int), col("kind", Text), col("data", Blob), col("created_at", Int)],
        "doc_id, seq",
    ),
    table(
        "sessions",
        &[
            col("token_hash", Text),
            col("user_id", Text),
            col("created_at", Int),
            col("last_seen_at", Int),
            col("expires_at", Int),
            opt("id_token", Text),
        ],
        "token_hash",
    ),
    table(
        "user_roles",
        &[col("user_id", Text), col("role", Text), opt("granted_by", Text), col("created_at", Int)],
        "user_id, role",
    ),
    table(
        "role_mappings",
        &[col("group_name", Text), col("role", Text), opt("created_by", Text), col("created_at", Int)],
        "group_name",
    ),
    table(
        "doc_grants",
        &[
            col("doc_id", Text),
            col("subject_kind", Text),
            col("subject", Text),
            col("level", Text),
            opt("granted_by", Text),
            col("created_at", Int),
        ],
        "doc_id, subject_kind, subject",
    ),
    table(
        "api_tokens",
        &[
            col("id", Text),
            col("user_id", Text),
            col("name", Text),
            col("token_hash", Text),
            col("created_at", Int),
            opt("last_used_at", Int),
            opt("revoked_at", Int),
        ],
        "id",
    ),
    table(
        "pending_logins",
        &[
            col("id_hash", Text),
            col("csrf_state", Text),
            col("nonce", Text),
            col("pkce_verifier", Text),
            col("return_to", Text),
            col("expires_at", Int),
        ],
        "id_hash",
    ),
    Table {
        serial: Some("id"),
        ..table(
            "audit_log",
            &[
                col("id", Int),
                col("at", Int),
                opt("actor_id", Text),
                opt("actor_name", Text),
                col("action", Text),
                opt("target", Text),
                opt("detail", Text),
            ],
            "id",
        )
    },
    Table { seeded: true, ..table("authz_version", &[col("id", Int), col("version", Int)], "id") },
    table(
        "change_authors",
        &[
            col("doc_id", Text),
            col("actor", Text),
            col("first_seq", Int),
            col("last_seq", Int),
            opt("user_id", Text),
            col("channel", Text),
            opt("token_id", Text),
            col("at", Int),
        ],
        "doc_id, actor, first_seq",
    ),
    table("actor_owners", &[col("actor", Text), col("user_id", Text), col("first_doc", Text), col("at", Int)], "actor"),
    Table { seeded: true, ..table("server_identity", &[col("name", Text), col("value", Text)], "name") },
    table(
        "sync_tickets",
        &[col("ticket_hash", Text), col("user_id", Text), col("token_id", Text), col("expires_at", Int)],
        "ticket_hash",
    ),
    table(
        "comment_threads",
        &[
            col("id", Text),
            col("doc_id", Text),
            col("target", Text),
            opt("anchor", Text),
            opt("platform_id", Text),
            col("created_by", Text),
            col("created_at", Int),
            opt("resolved_by", Text),
            opt("resolved_at", Int),
            opt("locked_at", Int),
            opt("locked_by", Text),
        ],
        "id",
    ),
    table(
        "comments",
        &[
            col("id", Text),
            col("thread_id", Text),
            col("author_id", Text),
            col("body", Text),
            opt("stance", Text),
            col("created_at", Int),
            opt("edited_at", Int),
            opt("deleted_at", Int),
            opt("hidden_at", Int),
            opt("hidden_by", Text),
            opt("hidden_reason", Text),
        ],
        "id",
    ),
    table(
        "comment_revisions",
        &[col("comment_id", Text), col("body", Text), col("replaced_at", Int)],
        "comment_id, replaced_at, body",
    ),
    table(
        "comment_reports",
        &[
            col("id", Text),
            col("comment_id", Text),
            col("doc_id", Text),
            col("reporter_id", Text),
            col("reason", Text),
            col("note", Text),
            col("created_at", Int),
            opt("handled_at", Int),
            opt("handled_by", Text),
        ],
        "id",
    ),
    table(
        "notifications",
        &[
            col("id", Text),
            col("user_id", Text),
            col("doc_id", Text),
            col("thread_id", Text),
            opt("comment_id", Text),
            col("kind", Text),
            col("actor_id", Text),
            col("created_at", Int),
            opt("read_at", Int),
        ],
        "id",
    ),
    table(
        "doc_moderators",
        &[col("doc_id", Text), col("user_id", Text), opt("granted_by", Text), col("created_at", Int)],
        "doc_id, user_id",
    ),
    table(
        "drafts",
        &[
            col("id", Text),
            col("concept_id", Text),
            col("title", Text),
            col("reason", Text),
            col("scope", Text),
            col("base_heads", Text),
            col("status", Text),
            col("conflicts", Text),
            opt("merged_from", Text),
            opt("merged_heads", Text),
            opt("merged_parts", Text),
            opt("merged_by", Text),
            opt("merged_at", Int),
            opt("created_by", Text),
            col("created_at", Int),
            col("updated_at", Int),
        ],
        "id",
    ),
    table(
        "draft_authors",
        &[col("draft_id", Text), col("user_id", Text), opt("added_by", Text), col("created_at", Int)],
        "draft_id, user_id",
    ),
    table(
        "named_versions",
        &[
            col("doc_id", Text),
            col("id", Text),
            col("name", Text),
            col("heads", Text),
            opt("created_by", Text),
            col("created_at", Int),
        ],
        "doc_id, id",
    ),
    table(
        "ballots",
        &[
            col("id", Text),
            col("concept_id", Text),
            col("title", Text),
            col("kind", Text),
            col("secret", Int),
            col("changeable", Int),
            col("spec", Text),
            col("options", Text),
            col("eligibility", Text),
            col("eligible_count", Int),
            col("status", Text),
            col("opened_at", Int),
            opt("closes_at", Int),
            opt("created_by", Text),
            opt("closed_at", Int),
            opt("closed_by", Text),
            opt("result", Text),
            opt("merged_heads", Text),
            opt("merged_by", Text),
            opt("merged_at", Int),
        ],
        "id",
    ),
    table("ballot_voters", &[col("ballot_id", Text), col("user_id", Text)], "ballot_id, user_id"),
    table("ballot_participation", &[col("ballot_id", Text), col("user_id", Text)], "ballot_id, user_id"),
    table(
        "ballot_open_choices",
        &[col("ballot_id", Text), col("user_id", Text), col("choice", Text)],
        "ballot_id, user_id",
    ),
    table("ballot_sealed", &[col("ballot_id", Text), col("lookup", Text), col("sealed", Text)], "ballot_id, lookup"),
    table("ballot_list", &[col("ballot_id", Text), col("receipt", Text), col("choice", Text)], "ballot_id, receipt"),
    table(
        "metric_imports",
        &[
            col("id", Text),
            col("concept_id", Text),
            col("file_name", Text),
            col("sha256", Text),
            col("row_count", Int),
            col("value_count", Int),
            opt("imported_by", Text),
            col("imported_at", Int),
        ],
        "id",
    ),
    Table {
        serial: Some("seq"),
        ..table(
            "metric_values",
            &[
                col("seq", Int),
                col("concept_id", Text),
                col("platform_id", Text),
                col("metric", Text),
                col("month", Text),
                opt("value", Int),
                col("source", Text),
                opt("import_id", Text),
                opt("entered_by", Text),
                col("entered_at", Int),
            ],
            "seq",
        )
    },
    table(
        "evaluations",
        &[
            col("concept_id", Text),
            col("year", Int),
            col("summary", Text),
            col("revision", Int),
            opt("updated_by", Text),
            col("updated_at", Int),
            opt("presented_on", Text),
            opt("presented_to", Text),
            opt("frozen_by", Text),
            opt("frozen_at", Int),
            opt("snapshot", Text),
        ],
        "concept_id, year",
    ),
    table(
        "evaluation_commentary",
        &[
            col("concept_id", Text),
            col("year", Int),
            col("platform_id", Text),
            col("body", Text),
            opt("updated_by", Text),
            col("updated_at", Int),
        ],
        "concept_id, year, platform_id",
    ),
];

/// The table of this name.
pub fn by_name(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_every_order_names_listed_columns() {
        let mut names = std::collections::HashSet::new();
        for t in TABLES {
            assert!(names.insert(t.name), "{} twice", t.name);
            for key in t.order_by.split(',').map(str::trim) {
                assert!(t.columns.iter().any(|c| c.name == key), "{}: order by unknown {key}", t.name);
            }
            if let Some(serial) = t.serial {
                assert!(t.columns.iter().any(|c| c.name == serial && c.ty == Int), "{}: serial {serial}", t.name);
            }
        }
    }
}
