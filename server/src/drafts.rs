//! Compromise drafts as a domain: forks of a concept that their authors co-edit live, catch up
//! with the concept and an editor merges (whole or section-wise). Metadata in SQL (db::drafts),
//! content as an Automerge document of its own, changed only through the documents' actors.

mod create;
mod merge;
mod read;
mod update;

pub use create::create;
pub use merge::{merge, preview};
pub use read::{DraftSummaryAt, detail, list};
pub use update::{catch_up, invite, set_open};

use kompromiss_shared::dto::history::Person;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;

use crate::auth::{Principal, access};
use crate::concepts::ConceptError;
use crate::db::drafts::{self, Draft};
use crate::db::{Db, DbError};
use crate::sync::actor::WriteError;

/// Why a draft action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// Missing, or not readable by the caller (the same answer).
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    SignIn,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// Not possible in the draft's state or past a limit; names which.
    #[error("not possible now: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Concept(#[from] ConceptError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("write failed: {0}")]
    Write(#[from] WriteError),
    /// More version reads or draft operations than `state::VERSION_OPS_PER_SEC` allows.
    #[error("too many requests")]
    TooFast,
}

/// Takes one of the caller's version operations (see `state::VERSION_OPS_PER_SEC`).
pub(crate) fn pace(state: &crate::state::AppState, principal: &Principal) -> Result<(), DraftError> {
    let key = crate::keyed_rate::key_for(principal, None);
    if state.version_rate.take(&key, std::time::Instant::now()) { Ok(()) } else { Err(DraftError::TooFast) }
}

impl From<access::Denied> for DraftError {
    fn from(denied: access::Denied) -> Self {
        match denied {
            access::Denied::SignIn => DraftError::SignIn,
            access::Denied::Hidden => DraftError::NotFound,
            access::Denied::Forbidden => DraftError::Forbidden,
            access::Denied::Db(e) => DraftError::Db(e),
        }
    }
}

/// A draft the caller may act on at `needed` (on the draft itself), with their level.
async fn draft_for(
    db: &Db,
    principal: &Principal,
    id: DocumentId,
    needed: Level,
) -> Result<(Draft, Level), DraftError> {
    let draft = drafts::get(db, id).await?;
    // A concept's id is no draft id: the same answer as for a missing draft.
    let Some(draft) = draft else {
        return Err(match principal.user() {
            None => DraftError::SignIn,
            Some(_) => DraftError::NotFound,
        });
    };
    let level = access::require(db, principal, id, needed).await?;
    Ok((draft, level))
}

/// A person by their user id, as history and drafts name them (`None`: nobody or deleted).
pub(crate) async fn person(db: &Db, id: Option<&str>) -> Result<Option<Person>, DbError> {
    let Some(id) = id else { return Ok(None) };
    Ok(crate::db::users::by_id(db, id).await?.map(|u| Person { id: u.id, name: u.display_name }))
}

/// The caller is one of the draft's authors (and may still take part in its concept).
async fn require_author(db: &Db, principal: &Principal, draft: &Draft) -> Result<String, DraftError> {
    let user = principal.user().ok_or(DraftError::SignIn)?;
    access::require(db, principal, draft.concept, Level::Participate).await?;
    if !drafts::is_author(db, draft.id, &user.id).await? {
        return Err(DraftError::Forbidden);
    }
    Ok(user.id.clone())
}
