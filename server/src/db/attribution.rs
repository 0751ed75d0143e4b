//! Who wrote what: runs of stored changes with the person and channel that sent them, and the
//! person each Automerge actor id belongs to. Written in the same transaction as the changes
//! (see `chunks::append`); a change no run covers was stored before attribution existed.

use std::collections::HashMap;
use std::sync::Arc;

pub use kompromiss_shared::dto::history::Channel;
use kompromiss_shared::ids::DocumentId;

use super::{Db, DbError, on_pool};

/// Who sent changes, and how: one per sync connection, or per server-side action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Author {
    /// The person; `None` only for changes the server makes on nobody's behalf.
    pub user_id: Option<String>,
    pub channel: Channel,
    /// The API token's id, for `Channel::Token`.
    pub token_id: Option<String>,
}

/// Consecutive changes of one actor sent by one author, to be stored with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorRun {
    /// The Automerge actor id, lower-case hex.
    pub actor: String,
    pub first_seq: u64,
    pub last_seq: u64,
    pub author: Arc<Author>,
    /// The actor id is new to this writer: record that it belongs to the author, and fail the
    /// write if it already belongs to somebody else.
    pub claim: bool,
}

/// A stored run, as the history reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRun {
    pub actor: String,
    pub first_seq: u64,
    pub last_seq: u64,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub channel: Channel,
    pub token_id: Option<String>,
    /// When the server stored it (ms since the epoch).
    pub at: i64,
}

pub(super) const INSERT_RUN: &str = "INSERT INTO change_authors \
     (doc_id, actor, first_seq, last_seq, user_id, channel, token_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (doc_id, actor, first_seq) DO NOTHING";
pub(super) const CLAIM: &str =
    "INSERT INTO actor_owners (actor, user_id, first_doc, at) VALUES ($1, $2, $3, $4) ON CONFLICT (actor) DO NOTHING";
pub(super) const OWNER: &str = "SELECT user_id FROM actor_owners WHERE actor = $1";

/// Stores runs and claims inside the transaction `$tx` of a chunk write (either backend); fails
/// with `DbError::ActorOwned` when a claimed actor id belongs to somebody else.
macro_rules! record_runs {
    ($tx:expr, $doc:expr, $runs:expr, $now:expr) => {{
        let mut result: Result<(), $crate::db::DbError> = Ok(());
        for run in $runs {
            let user = run.author.user_id.as_deref();
            if let (true, Some(user)) = (run.claim, user) {
                sqlx::query($crate::db::attribution::CLAIM)
                    .bind(&run.actor)
                    .bind(user)
                    .bind($doc)
                    .bind($now)
                    .execute(&mut *$tx)
                    .await?;
                let (owner,): (String,) =
                    sqlx::query_as($crate::db::attribution::OWNER).bind(&run.actor).fetch_one(&mut *$tx).await?;
                if owner != user {
                    result = Err($crate::db::DbError::ActorOwned { actor: run.actor.clone(), owner });
                    break;
                }
            }
            sqlx::query($crate::db::attribution::INSERT_RUN)
                .bind($doc)
                .bind(&run.actor)
                .bind(run.first_seq as i64)
                .bind(run.last_seq as i64)
                .bind(user)
                .bind(run.author.channel.as_str())
                .bind(run.author.token_id.as_deref())
                .bind($now)
                .execute(&mut *$tx)
                .await?;
        }
        result
    }};
}
pub(crate) use record_runs;

/// Actor ids looked up in one query.
const OWNERS_PER_QUERY: usize = 256;

/// The person each of these actor ids belongs to (absent: nobody yet), in one query per 256 ids.
pub async fn owners(db: &Db, actors: &[String]) -> Result<HashMap<String, String>, DbError> {
    let mut found = HashMap::new();
    for batch in actors.chunks(OWNERS_PER_QUERY) {
        let marks: Vec<String> = (1..=batch.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT actor, user_id FROM actor_owners WHERE actor IN ({})", marks.join(", "));
        let rows: Vec<(String, String)> = on_pool!(db, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for actor in batch {
                query = query.bind(actor);
            }
            query.fetch_all(pool).await?
        });
        found.extend(rows);
    }
    Ok(found)
}

type Row = (String, i64, i64, Option<String>, Option<String>, String, Option<String>, i64);

/// Every run stored for a document, oldest first.
pub async fn for_doc(db: &Db, doc: DocumentId) -> Result<Vec<StoredRun>, DbError> {
    const SQL: &str = "SELECT a.actor, a.first_seq, a.last_seq, a.user_id, u.display_name, a.channel, a.token_id, a.at \
         FROM change_authors a LEFT JOIN users u ON u.id = a.user_id WHERE a.doc_id = $1 \
         ORDER BY a.at, a.actor, a.first_seq";
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(SQL).bind(doc.to_string()).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .filter_map(|(actor, first, last, user_id, user_name, channel, token_id, at)| {
            Some(StoredRun {
                actor,
                first_seq: u64::try_from(first).ok()?,
                last_seq: u64::try_from(last).ok()?,
                user_id,
                user_name,
                channel: Channel::parse(&channel)?,
                token_id,
                at,
            })
        })
        .collect())
}

/// Copies a document's runs to another that holds the same changes (a draft catching up with
/// its concept); runs it has already are kept.
pub async fn copy(db: &Db, from: DocumentId, to: DocumentId) -> Result<(), DbError> {
    const SQL: &str = "INSERT INTO change_authors (doc_id, actor, first_seq, last_seq, user_id, channel, token_id, at) \
         SELECT $1, actor, first_seq, last_seq, user_id, channel, token_id, at FROM change_authors WHERE doc_id = $2 \
         ON CONFLICT (doc_id, actor, first_seq) DO NOTHING";
    on_pool!(db, pool => sqlx::query(SQL).bind(to.to_string()).bind(from.to_string()).execute(pool).await.map(|_| ())?);
    Ok(())
}
