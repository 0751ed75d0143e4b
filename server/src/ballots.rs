//! Ballots as a domain: an editor opens one on frozen drafts, the eligible vote (openly or
//! secretly), it closes by hand or at its time in one transaction, and the count is the pure one
//! in `kompromiss_shared::ballots`, published with a list anyone eligible can recount.

pub mod announce;
mod close;
pub mod export;
mod merge;
mod open;
mod read;
pub mod seal;
mod trail;
mod vote;

pub use close::{close, close_due, sweep};
pub use merge::{merge, preview};
pub use open::open;
pub use read::{frozen, list, published, turnout, view};
pub use trail::trail;
pub use vote::vote;

use kompromiss_shared::perm::Level;

use crate::auth::{Principal, access};
use crate::concepts::ConceptError;
use crate::db::ballots::{self, Ballot};
use crate::db::{Db, DbError};

/// Why a ballot action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BallotError {
    /// Missing, or its concept not readable by the caller (the same answer).
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    SignIn,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// Not possible in the ballot's state or past a limit; names which.
    #[error("not possible now: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Concept(#[from] ConceptError),
    #[error(transparent)]
    Db(#[from] DbError),
    /// A sealed paper did not open with the ballot key (a replaced key file).
    #[error("a sealed ballot paper does not open with this server's ballot key")]
    Key,
    #[error("too many requests")]
    TooFast,
}

impl From<access::Denied> for BallotError {
    fn from(denied: access::Denied) -> Self {
        match denied {
            access::Denied::SignIn => BallotError::SignIn,
            access::Denied::Hidden => BallotError::NotFound,
            access::Denied::Forbidden => BallotError::Forbidden,
            access::Denied::Db(e) => BallotError::Db(e),
        }
    }
}

/// How a stored ballot is counted.
fn spec_of(ballot: &Ballot) -> Result<kompromiss_shared::ballots::Spec, BallotError> {
    serde_json::from_str(&ballot.spec).map_err(|_| BallotError::Conflict("spec"))
}

/// What a stored ballot asks, frozen.
fn frozen_of(ballot: &Ballot) -> Result<kompromiss_shared::dto::ballots::Frozen, BallotError> {
    serde_json::from_str(&ballot.options).map_err(|_| BallotError::Conflict("options"))
}

/// A ballot whose concept the caller may act on at `needed`, with their level on it.
async fn ballot_for(db: &Db, principal: &Principal, id: &str, needed: Level) -> Result<(Ballot, Level), BallotError> {
    let ballot = if id.len() <= 64 { ballots::get(db, id).await? } else { None };
    let Some(ballot) = ballot else {
        return Err(match principal.user() {
            None => BallotError::SignIn,
            Some(_) => BallotError::NotFound,
        });
    };
    let concept = ballot.concept.parse().map_err(|_| BallotError::NotFound)?;
    let level = access::require(db, principal, concept, needed).await?;
    Ok((ballot, level))
}
