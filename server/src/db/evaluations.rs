//! Yearly evaluations (both backends): the texts while a draft, the snapshot once frozen. Every
//! write names the revision it was made on and happens only while the evaluation is a draft.

use super::{Db, DbError, on_pool};

/// A stored evaluation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Evaluation {
    pub year: i64,
    pub summary: String,
    pub revision: i64,
    pub presented_on: Option<String>,
    pub presented_to: Option<String>,
    pub frozen_by: Option<String>,
    pub frozen_at: Option<i64>,
    pub snapshot: Option<String>,
}

const COLUMNS: &str = "year, summary, revision, presented_on, presented_to, frozen_by, frozen_at, snapshot";

/// One year's evaluation of a concept.
pub async fn get(db: &Db, concept: &str, year: i64) -> Result<Option<Evaluation>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM evaluations WHERE concept_id = $1 AND year = $2");
    Ok(
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(concept).bind(year).fetch_optional(pool).await?),
    )
}

/// Every evaluation of a concept, newest year first (without snapshots).
pub async fn list(db: &Db, concept: &str) -> Result<Vec<(i64, Option<String>, Option<String>)>, DbError> {
    const SQL: &str =
        "SELECT year, presented_on, presented_to FROM evaluations WHERE concept_id = $1 ORDER BY year DESC LIMIT 200";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(concept).fetch_all(pool).await?))
}

/// The commentary of an evaluation: platform id and text.
pub async fn commentary(db: &Db, concept: &str, year: i64) -> Result<Vec<(String, String)>, DbError> {
    const SQL: &str = "SELECT platform_id, body FROM evaluation_commentary WHERE concept_id = $1 AND year = $2";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(concept).bind(year).fetch_all(pool).await?))
}

/// Creates an evaluation at revision 0 if the year has none yet (a write then bumps it).
const CREATE: &str = "INSERT INTO evaluations (concept_id, year, summary, revision, updated_by, updated_at) \
                      VALUES ($1, $2, '', 0, $3, $4) ON CONFLICT (concept_id, year) DO NOTHING";
/// Why a write on a revision found nothing to update: frozen (set) or a newer revision (null).
const FROZEN: &str = "SELECT frozen_at FROM evaluations WHERE concept_id = $1 AND year = $2";

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// Stored; the new revision.
    Stored(i64),
    /// Someone stored a newer revision first.
    Stale,
    /// It is frozen.
    Frozen,
}

/// Which evaluation a write is for, the revision it was made on, by whom and when.
pub struct Stamp<'a> {
    pub concept: &'a str,
    pub year: i64,
    pub revision: i64,
    pub by: &'a str,
    pub at: i64,
}

/// Stores the summary (`platform` None) or a platform's commentary, if the evaluation is a draft
/// at the stamp's revision (an evaluation not stored yet is at revision 0 and is created).
pub async fn edit(db: &Db, stamp: &Stamp<'_>, platform: Option<&str>, text: &str) -> Result<Edited, DbError> {
    let Stamp { concept, year, revision, by, at } = *stamp;
    const BUMP: &str = "UPDATE evaluations SET revision = revision + 1, updated_by = $4, updated_at = $5 \
                        WHERE concept_id = $1 AND year = $2 AND revision = $3 AND frozen_at IS NULL";
    const SUMMARY: &str = "UPDATE evaluations SET summary = $3 WHERE concept_id = $1 AND year = $2";
    const COMMENTARY: &str = "INSERT INTO evaluation_commentary (concept_id, year, platform_id, body, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (concept_id, year, platform_id) \
         DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    Ok(on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(CREATE).bind(concept).bind(year).bind(by).bind(at).execute(&mut *tx).await?;
        let n = sqlx::query(BUMP).bind(concept).bind(year).bind(revision).bind(by).bind(at).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            let (frozen,): (Option<i64>,) = sqlx::query_as(FROZEN).bind(concept).bind(year).fetch_one(&mut *tx).await?;
            tx.rollback().await?;
            return Ok(if frozen.is_some() { Edited::Frozen } else { Edited::Stale });
        }
        match platform {
            None => { sqlx::query(SUMMARY).bind(concept).bind(year).bind(text).execute(&mut *tx).await?; }
            Some(p) => { sqlx::query(COMMENTARY).bind(concept).bind(year).bind(p).bind(text).bind(by).bind(at).execute(&mut *tx).await?; }
        }
        tx.commit().await?;
        Edited::Stored(revision + 1)
    }))
}

/// Freezes a draft at the stamp's revision with its snapshot; `Stale` or `Frozen` as for edits.
pub async fn freeze(db: &Db, stamp: &Stamp<'_>, on: &str, to: &str, snapshot: &str) -> Result<Edited, DbError> {
    let Stamp { concept, year, revision, by, at } = *stamp;
    const FREEZE: &str = "UPDATE evaluations SET revision = revision + 1, presented_on = $4, presented_to = $5, \
         snapshot = $6, frozen_by = $7, frozen_at = $8, updated_by = $7, updated_at = $8 \
         WHERE concept_id = $1 AND year = $2 AND revision = $3 AND frozen_at IS NULL";
    Ok(on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(CREATE).bind(concept).bind(year).bind(by).bind(at).execute(&mut *tx).await?;
        let n = sqlx::query(FREEZE).bind(concept).bind(year).bind(revision).bind(on).bind(to).bind(snapshot)
            .bind(by).bind(at).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            let (frozen,): (Option<i64>,) = sqlx::query_as(FROZEN).bind(concept).bind(year).fetch_one(&mut *tx).await?;
            tx.rollback().await?;
            return Ok(if frozen.is_some() { Edited::Frozen } else { Edited::Stale });
        }
        tx.commit().await?;
        Edited::Stored(revision + 1)
    }))
}
