//! The yearly evaluation as a domain: assembled from the concept's decisions and assessments, the
//! year's metrics, changes and ballots; editors write a summary and commentary per platform, then
//! freeze it as presented to the party council, after which it is read from its snapshot only.

mod assemble;
mod write;

pub use assemble::{chart, view};
pub use write::{edit, freeze};

use crate::auth::access;
use crate::concepts::ConceptError;
use crate::db::DbError;

/// Earliest and latest year an evaluation may be for.
pub const YEARS: std::ops::RangeInclusive<u16> = 2000..=2100;
/// Largest snapshot kept for a frozen evaluation, in bytes.
pub const MAX_SNAPSHOT_BYTES: usize = 8 * 1024 * 1024;

/// Why an evaluation action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    /// Missing, a draft, or not readable by the caller (the same answer).
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    SignIn,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// Someone saved a newer revision first.
    #[error("someone changed the evaluation meanwhile")]
    Stale,
    /// It is frozen and never changes.
    #[error("the evaluation is frozen")]
    Frozen,
    #[error("too many requests")]
    TooFast,
    #[error(transparent)]
    Concept(#[from] ConceptError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<access::Denied> for EvaluationError {
    fn from(denied: access::Denied) -> Self {
        match denied {
            access::Denied::SignIn => EvaluationError::SignIn,
            access::Denied::Hidden => EvaluationError::NotFound,
            access::Denied::Forbidden => EvaluationError::Forbidden,
            access::Denied::Db(e) => EvaluationError::Db(e),
        }
    }
}

impl From<crate::metrics::MetricsError> for EvaluationError {
    fn from(e: crate::metrics::MetricsError) -> Self {
        use crate::metrics::MetricsError as M;
        match e {
            M::NotFound => EvaluationError::NotFound,
            M::SignIn => EvaluationError::SignIn,
            M::Forbidden => EvaluationError::Forbidden,
            M::Invalid(f) => EvaluationError::Invalid(f),
            M::Full | M::TooFast => EvaluationError::TooFast,
            M::Concept(e) => EvaluationError::Concept(e),
            M::Db(e) => EvaluationError::Db(e),
        }
    }
}
