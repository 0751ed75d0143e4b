//! People: who they are at the sign-in provider, their groups from the last sign-in.

use super::{Db, DbError, now_millis, on_pool};

/// Issuer recorded for people of the development sign-in.
pub const DEV_ISSUER: &str = "dev";
/// Issuer recorded for accounts made on the command line (scripts, bots).
pub const LOCAL_ISSUER: &str = "local";

/// A person as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub display_name: String,
    /// The sign-in provider's issuer URL, or `dev` / `local`.
    pub issuer: String,
    /// The provider's subject: stable, unlike name and e-mail.
    pub subject: String,
    pub email: Option<String>,
    /// Groups from the last sign-in's claims.
    pub groups: Vec<String>,
    pub last_sign_in_at: Option<i64>,
}

/// What a sign-in says about a person.
#[derive(Debug, Clone)]
pub struct SignedIn<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub groups: &'a [String],
}

type Row = (String, String, String, Option<String>, Option<String>, String, Option<i64>);
const COLUMNS: &str = "id, display_name, issuer, subject, email, groups, last_sign_in_at";

fn from_row((id, display_name, issuer, subject, email, groups, last_sign_in_at): Row) -> User {
    let groups = serde_json::from_str(&groups).unwrap_or_default();
    let subject = subject.unwrap_or_else(|| id.clone());
    User { id, display_name, issuer, subject, email, groups, last_sign_in_at }
}

/// Records a sign-in: creates the person or refreshes name, e-mail and groups.
pub async fn sign_in(db: &Db, who: &SignedIn<'_>) -> Result<User, DbError> {
    const SQL: &str = "INSERT INTO users (id, display_name, issuer, subject, email, groups, created_at, last_sign_in_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (issuer, subject) DO UPDATE SET display_name = excluded.display_name, \
         email = excluded.email, groups = excluded.groups, last_sign_in_at = excluded.last_sign_in_at";
    let groups = serde_json::to_string(who.groups).unwrap_or_else(|_| "[]".into());
    on_pool!(db, pool => sqlx::query(SQL)
        .bind(super::random_id("u")).bind(who.display_name).bind(who.issuer).bind(who.subject).bind(who.email)
        .bind(&groups).bind(now_millis()).execute(pool).await.map(|_| ())?);
    find_by_subject(db, who.issuer, who.subject).await?.ok_or(DbError::Sqlx(sqlx::Error::RowNotFound))
}

/// Creates a person without a sign-in provider (`dev` or `local` issuer).
pub async fn create_local(db: &Db, issuer: &str, display_name: &str) -> Result<User, DbError> {
    let subject = super::random_id(&format!("{issuer}:"));
    sign_in(db, &SignedIn { issuer, subject: &subject, display_name, email: None, groups: &[] }).await
}

/// A person by id.
pub async fn by_id(db: &Db, id: &str) -> Result<Option<User>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let row: Option<Row> =
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?);
    Ok(row.map(from_row))
}

/// A person by issuer and subject.
pub async fn find_by_subject(db: &Db, issuer: &str, subject: &str) -> Result<Option<User>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE issuer = $1 AND subject = $2");
    let row: Option<Row> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(issuer).bind(subject).fetch_optional(pool).await?);
    Ok(row.map(from_row))
}

/// People whose id, subject or e-mail is `key` (the command line's way to name someone).
pub async fn find(db: &Db, key: &str) -> Result<Vec<User>, DbError> {
    let sql =
        format!("SELECT {COLUMNS} FROM users WHERE id = $1 OR subject = $1 OR lower(email) = lower($1) ORDER BY id");
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(key).fetch_all(pool).await?);
    Ok(rows.into_iter().map(from_row).collect())
}

/// Everybody, by name.
pub async fn list(db: &Db) -> Result<Vec<User>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY display_name, id");
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?);
    Ok(rows.into_iter().map(from_row).collect())
}
