//! Ballots (both backends): what is asked, who may vote, who voted, the papers, and the close in
//! one transaction. Secret ballots never store a person beside a choice: participation and papers
//! live in separate tables, without times, and the papers are sealed until the close rewrites
//! them, in random order, as the published list.

use super::{Db, DbError, on_pool};

/// Most ballots one concept may have in all.
pub const MAX_PER_CONCEPT: i64 = 200;
/// Most people one ballot may name as eligible.
pub const MAX_VOTERS: usize = 100_000;

/// A stored ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub id: String,
    pub concept: String,
    pub title: String,
    pub kind: String,
    pub secret: bool,
    pub changeable: bool,
    pub spec: String,
    pub options: String,
    pub eligibility: String,
    pub eligible: i64,
    pub open: bool,
    pub opened_at: i64,
    pub closes_at: Option<i64>,
    pub created_by: Option<String>,
    pub closed_at: Option<i64>,
    pub result: Option<String>,
    pub merged_heads: Option<String>,
    pub merged_by: Option<String>,
    pub merged_at: Option<i64>,
}

const COLUMNS: &str = "id, concept_id, title, kind, secret, changeable, spec, options, eligibility, eligible_count, \
     status, opened_at, closes_at, created_by, closed_at, result, merged_heads, merged_by, merged_at";

/// A row of `ballots` as stored.
#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    concept_id: String,
    title: String,
    kind: String,
    secret: i64,
    changeable: i64,
    spec: String,
    options: String,
    eligibility: String,
    eligible_count: i64,
    status: String,
    opened_at: i64,
    closes_at: Option<i64>,
    created_by: Option<String>,
    closed_at: Option<i64>,
    result: Option<String>,
    merged_heads: Option<String>,
    merged_by: Option<String>,
    merged_at: Option<i64>,
}

fn from_row(r: Row) -> Ballot {
    Ballot {
        id: r.id,
        concept: r.concept_id,
        title: r.title,
        kind: r.kind,
        secret: r.secret != 0,
        changeable: r.changeable != 0,
        spec: r.spec,
        options: r.options,
        eligibility: r.eligibility,
        eligible: r.eligible_count,
        open: r.status == "open",
        opened_at: r.opened_at,
        closes_at: r.closes_at,
        created_by: r.created_by,
        closed_at: r.closed_at,
        result: r.result,
        merged_heads: r.merged_heads,
        merged_by: r.merged_by,
        merged_at: r.merged_at,
    }
}

/// A ballot by id.
pub async fn get(db: &Db, id: &str) -> Result<Option<Ballot>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM ballots WHERE id = $1");
    let row: Option<Row> =
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?);
    Ok(row.map(from_row))
}

/// A concept's ballots, newest first.
pub async fn for_concept(db: &Db, concept: &str) -> Result<Vec<Ballot>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM ballots WHERE concept_id = $1 ORDER BY opened_at DESC, id");
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(concept).fetch_all(pool).await?);
    Ok(rows.into_iter().map(from_row).collect())
}

/// The options (JSON) and, once closed, the result (JSON) of a concept's ballots whose decision
/// is not merged yet.
pub async fn unmerged(db: &Db, concept: &str) -> Result<Vec<(String, Option<String>)>, DbError> {
    const SQL: &str = "SELECT options, result FROM ballots WHERE concept_id = $1 AND merged_heads IS NULL";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(concept).fetch_all(pool).await?))
}

/// Whether a ballot still needs `draft`: it runs and votes on it, or it adopted it and its
/// decision is not merged yet.
pub async fn needs_draft(db: &Db, concept: &str, draft: &str) -> Result<bool, DbError> {
    use kompromiss_shared::ballots::Outcome;
    use kompromiss_shared::dto::ballots::Frozen;
    for (options, result) in unmerged(db, concept).await? {
        let Ok(frozen) = serde_json::from_str::<Frozen>(&options) else { continue };
        let Some(index) = frozen.options.iter().position(|o| o.draft.as_deref() == Some(draft)) else { continue };
        let adopted = match result.as_deref().map(serde_json::from_str::<Outcome>) {
            None => return Ok(true),
            Some(Ok(outcome)) => outcome.adopted(),
            Some(Err(_)) => None,
        };
        let Some(won) = adopted else { continue };
        let taken = frozen.adopted_options(&won).contains(&index);
        if taken {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Open ballots whose closing time has come.
pub async fn due(db: &Db, now: i64) -> Result<Vec<String>, DbError> {
    const SQL: &str = "SELECT id FROM ballots WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at <= $1 \
                       ORDER BY closes_at LIMIT 100";
    let rows: Vec<(String,)> = on_pool!(db, pool => sqlx::query_as(SQL).bind(now).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A new ballot and the people it names as eligible.
pub struct NewBallot<'a> {
    pub id: &'a str,
    pub concept: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub secret: bool,
    pub changeable: bool,
    pub spec: &'a str,
    pub options: &'a str,
    pub eligibility: &'a str,
    pub voters: &'a [String],
    pub opened_at: i64,
    pub closes_at: Option<i64>,
    pub created_by: &'a str,
}

/// Stores a ballot with its voters in one transaction; false when the concept has
/// `MAX_PER_CONCEPT` ballots already.
pub async fn create(db: &Db, new: NewBallot<'_>) -> Result<bool, DbError> {
    const INSERT: &str = "INSERT INTO ballots (id, concept_id, title, kind, secret, changeable, spec, options, \
         eligibility, eligible_count, status, opened_at, closes_at, created_by) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12, $13 \
         WHERE (SELECT COUNT(*) FROM ballots WHERE concept_id = $2) < $14";
    const VOTER: &str = "INSERT INTO ballot_voters (ballot_id, user_id) VALUES ($1, $2)";
    let eligible = i64::try_from(new.voters.len()).unwrap_or(i64::MAX);
    Ok(on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        let n = sqlx::query(INSERT)
            .bind(new.id).bind(new.concept).bind(new.title).bind(new.kind).bind(i64::from(new.secret))
            .bind(i64::from(new.changeable)).bind(new.spec).bind(new.options).bind(new.eligibility).bind(eligible)
            .bind(new.opened_at).bind(new.closes_at).bind(new.created_by).bind(MAX_PER_CONCEPT)
            .execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            tx.rollback().await?;
            false
        } else {
            for voter in new.voters {
                sqlx::query(VOTER).bind(new.id).bind(voter).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            true
        }
    }))
}

/// How many have voted.
pub async fn turnout(db: &Db, id: &str) -> Result<i64, DbError> {
    const SQL: &str = "SELECT COUNT(*) FROM ballot_participation WHERE ballot_id = $1";
    let (n,): (i64,) = on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_one(pool).await?);
    Ok(n)
}

/// Whether a person may vote in the ballot, and whether they have.
pub async fn standing(db: &Db, id: &str, user: &str) -> Result<(bool, bool), DbError> {
    const SQL: &str = "SELECT (SELECT COUNT(*) FROM ballot_voters WHERE ballot_id = $1 AND user_id = $2), \
                       (SELECT COUNT(*) FROM ballot_participation WHERE ballot_id = $1 AND user_id = $2)";
    let (eligible, voted): (i64, i64) =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(id).bind(user).fetch_one(pool).await?);
    Ok((eligible > 0, voted > 0))
}

/// A ballot paper to store with a vote.
pub enum Paper<'a> {
    /// Open ballots: the choice under the voter's name.
    Open { choice: &'a str },
    /// Secret ballots: the sealed paper under the keyed hash of its receipt.
    Sealed { lookup: &'a str, sealed: &'a str },
}

/// What became of a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voted {
    Stored,
    /// A changeable ballot: the earlier choice was replaced.
    Replaced,
    NotEligible,
    AlreadyVoted,
    /// Voting has not begun.
    NotYet,
    Closed,
    /// A change of a secret vote named a receipt the ballot does not hold.
    UnknownReceipt,
}

/// Takes the ballot's row lock (PostgreSQL) so that a close waits for votes under way and votes
/// after it see it closed. SQLite's single writer gives the same order.
const LOCK_PG: &str = "SELECT status FROM ballots WHERE id = $1 FOR SHARE";
/// The ballot is open, voting has begun and its closing time has not come (`$1` ballot, `$3` now).
const OPEN: &str = "EXISTS (SELECT 1 FROM ballots WHERE id = $1 AND status = 'open' AND opened_at <= $3 \
                    AND (closes_at IS NULL OR closes_at > $3))";

/// Casts a first vote: participation and paper in one transaction; the participation key makes
/// a second vote impossible.
pub async fn vote(db: &Db, id: &str, user: &str, paper: Paper<'_>, now: i64) -> Result<Voted, DbError> {
    let participate = format!(
        "INSERT INTO ballot_participation (ballot_id, user_id) SELECT $1, $2 WHERE {OPEN} \
         AND EXISTS (SELECT 1 FROM ballot_voters WHERE ballot_id = $1 AND user_id = $2) ON CONFLICT DO NOTHING"
    );
    const OPEN_CHOICE: &str = "INSERT INTO ballot_open_choices (ballot_id, user_id, choice) VALUES ($1, $2, $3)";
    const SEALED: &str = "INSERT INTO ballot_sealed (ballot_id, lookup, sealed) VALUES ($1, $2, $3)";
    let stored = on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        if matches!(db, Db::Postgres(_)) {
            sqlx::query(LOCK_PG).bind(id).execute(&mut *tx).await?;
        }
        let n = sqlx::query(sqlx::AssertSqlSafe(participate))
            .bind(id).bind(user).bind(now).execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            match paper {
                Paper::Open { choice } => sqlx::query(OPEN_CHOICE).bind(id).bind(user).bind(choice).execute(&mut *tx).await?,
                Paper::Sealed { lookup, sealed } => sqlx::query(SEALED).bind(id).bind(lookup).bind(sealed).execute(&mut *tx).await?,
            };
            tx.commit().await?;
            true
        } else {
            tx.rollback().await?;
            false
        }
    });
    if stored {
        return Ok(Voted::Stored);
    }
    why_not(db, id, user, now).await
}

/// Why a vote was not stored.
async fn why_not(db: &Db, id: &str, user: &str, now: i64) -> Result<Voted, DbError> {
    let ballot = get(db, id).await?;
    if ballot.as_ref().is_some_and(|b| b.open && b.opened_at > now) {
        return Ok(Voted::NotYet);
    }
    let open = ballot.is_some_and(|b| b.open && b.closes_at.is_none_or(|c| c > now));
    if !open {
        return Ok(Voted::Closed);
    }
    let (eligible, voted) = standing(db, id, user).await?;
    Ok(if !eligible {
        Voted::NotEligible
    } else if voted {
        Voted::AlreadyVoted
    } else {
        Voted::Closed
    })
}

/// Changes a vote in a changeable ballot: an open ballot's choice under the voter's name, or the
/// secret paper found by the keyed hash of its receipt (its voter must have voted).
pub async fn change(db: &Db, id: &str, user: &str, paper: Paper<'_>, now: i64) -> Result<Voted, DbError> {
    let changeable = format!(
        "{OPEN} AND EXISTS (SELECT 1 FROM ballots WHERE id = $1 AND changeable = 1) \
         AND EXISTS (SELECT 1 FROM ballot_participation WHERE ballot_id = $1 AND user_id = $2)"
    );
    let (sql, second, third) = match paper {
        Paper::Open { choice } => (
            format!(
                "UPDATE ballot_open_choices SET choice = $4 WHERE ballot_id = $1 AND user_id = $2 AND {changeable}"
            ),
            choice,
            "",
        ),
        Paper::Sealed { lookup, sealed } => (
            format!("UPDATE ballot_sealed SET sealed = $4 WHERE ballot_id = $1 AND lookup = $5 AND {changeable}"),
            sealed,
            lookup,
        ),
    };
    let n = on_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        if matches!(db, Db::Postgres(_)) {
            sqlx::query(LOCK_PG).bind(id).execute(&mut *tx).await?;
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(user).bind(now).bind(second);
        if !third.is_empty() {
            q = q.bind(third);
        }
        let n = q.execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        n
    });
    if n == 1 {
        return Ok(Voted::Replaced);
    }
    match why_not(db, id, user, now).await? {
        Voted::AlreadyVoted if third.is_empty() => Ok(Voted::AlreadyVoted),
        Voted::AlreadyVoted => Ok(Voted::UnknownReceipt),
        other => Ok(other),
    }
}

/// The papers of a ballot at its close.
pub enum Papers {
    /// Open ballots: (user id, choice).
    Open(Vec<(String, String)>),
    /// Secret ballots: the sealed papers, in key order (random).
    Sealed(Vec<String>),
}

/// What the close writes: the result and, for secret ballots, the list (receipt, choice) in the
/// order to store it.
pub struct Closing {
    pub result: String,
    pub list: Vec<(String, String)>,
}

/// Closes an open ballot in one transaction: marks it closed (votes under way finish first,
/// later ones are refused), counts its papers with `count`, writes the list and the result and
/// deletes the sealed papers. False when it was closed already. On PostgreSQL the sealed papers'
/// dead rows are vacuumed afterwards.
pub async fn close<E: From<DbError>>(
    db: &Db,
    id: &str,
    by: Option<&str>,
    now: i64,
    count: impl FnOnce(Papers) -> Result<Closing, E>,
) -> Result<bool, E> {
    const MARK: &str = "UPDATE ballots SET status = 'closed', closed_at = $2, closed_by = $3 \
                        WHERE id = $1 AND status = 'open'";
    const SECRET: &str = "SELECT secret FROM ballots WHERE id = $1";
    const OPEN: &str = "SELECT user_id, choice FROM ballot_open_choices WHERE ballot_id = $1 ORDER BY user_id";
    const SEALED: &str = "SELECT sealed FROM ballot_sealed WHERE ballot_id = $1 ORDER BY lookup";
    const LIST: &str = "INSERT INTO ballot_list (ballot_id, receipt, choice) VALUES ($1, $2, $3)";
    const DROP: &str = "DELETE FROM ballot_sealed WHERE ballot_id = $1";
    const RESULT: &str = "UPDATE ballots SET result = $2 WHERE id = $1";
    let mut count = Some(count);
    let closed: Result<bool, E> = on_pool!(db, pool => {
        let mut tx = pool.begin().await.map_err(DbError::from)?;
        let n = sqlx::query(MARK).bind(id).bind(now).bind(by).execute(&mut *tx).await.map_err(DbError::from)?.rows_affected();
        if n == 0 {
            tx.rollback().await.map_err(DbError::from)?;
            Ok(false)
        } else {
            let (secret,): (i64,) = sqlx::query_as(SECRET).bind(id).fetch_one(&mut *tx).await.map_err(DbError::from)?;
            let papers = if secret != 0 {
                let rows: Vec<(String,)> = sqlx::query_as(SEALED).bind(id).fetch_all(&mut *tx).await.map_err(DbError::from)?;
                Papers::Sealed(rows.into_iter().map(|(s,)| s).collect())
            } else {
                Papers::Open(sqlx::query_as(OPEN).bind(id).fetch_all(&mut *tx).await.map_err(DbError::from)?)
            };
            let closing = match count.take() {
                Some(count) => count(papers),
                None => unreachable!("counted once"),
            };
            match closing {
                Err(e) => {
                    tx.rollback().await.map_err(DbError::from)?;
                    Err(e)
                }
                Ok(closing) => {
                    for (receipt, choice) in &closing.list {
                        sqlx::query(LIST).bind(id).bind(receipt).bind(choice).execute(&mut *tx).await.map_err(DbError::from)?;
                    }
                    sqlx::query(DROP).bind(id).execute(&mut *tx).await.map_err(DbError::from)?;
                    sqlx::query(RESULT).bind(id).bind(&closing.result).execute(&mut *tx).await.map_err(DbError::from)?;
                    tx.commit().await.map_err(DbError::from)?;
                    Ok(true)
                }
            }
        }
    });
    if matches!(closed, Ok(true))
        && let Db::Postgres(pool) = db
        && let Err(e) = sqlx::query("VACUUM ballot_sealed").execute(pool).await
    {
        tracing::warn!(error = %e, "vacuuming sealed ballot papers failed");
    }
    closed
}

/// An open ballot's choices with the voters' names, by name.
pub async fn open_choices(db: &Db, id: &str) -> Result<Vec<(String, String, String)>, DbError> {
    const SQL: &str = "SELECT c.user_id, COALESCE(u.display_name, c.user_id), c.choice FROM ballot_open_choices c \
                       LEFT JOIN users u ON u.id = c.user_id WHERE c.ballot_id = $1 ORDER BY 2, 1";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_all(pool).await?))
}

/// A person's own choice in an open ballot.
pub async fn own_choice(db: &Db, id: &str, user: &str) -> Result<Option<String>, DbError> {
    const SQL: &str = "SELECT choice FROM ballot_open_choices WHERE ballot_id = $1 AND user_id = $2";
    let row: Option<(String,)> =
        on_pool!(db, pool => sqlx::query_as(SQL).bind(id).bind(user).fetch_optional(pool).await?);
    Ok(row.map(|(c,)| c))
}

/// A closed secret ballot's published list (receipt, choice), by receipt.
pub async fn list(db: &Db, id: &str) -> Result<Vec<(String, String)>, DbError> {
    const SQL: &str = "SELECT receipt, choice FROM ballot_list WHERE ballot_id = $1 ORDER BY receipt";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(id).fetch_all(pool).await?))
}

/// Records that the ballot's decision went into the concept; false when it already had.
pub async fn merged(db: &Db, id: &str, heads: &str, by: &str, at: i64) -> Result<bool, DbError> {
    const SQL: &str = "UPDATE ballots SET merged_heads = $2, merged_by = $3, merged_at = $4 \
                       WHERE id = $1 AND status = 'closed' AND merged_heads IS NULL";
    let n = on_pool!(db, pool => sqlx::query(SQL).bind(id).bind(heads).bind(by).bind(at).execute(pool).await?.rows_affected());
    Ok(n == 1)
}
