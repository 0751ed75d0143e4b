//! Metrics as a domain: editors enter or import values per platform and month, members read
//! them with who entered each and from where, charts and the yearly evaluation use them. Values
//! are only added, never overwritten (`db::metrics`); the CSV rules are the pure ones in
//! `kompromiss_shared::metrics::import`.

pub mod charts;
mod read;
mod record;

pub use read::{cell_record, example, view};
pub use record::{decode_upload, enter, import};

use std::collections::HashMap;

use kompromiss_shared::dto::comments::Person;
use kompromiss_shared::dto::metrics::PlatformRef;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{KEY_TEMPLATE, read_concept, read_string};
use kompromiss_shared::template::{self, Template};

use crate::auth::{Principal, access};
use crate::concepts::{ConceptError, ask};
use crate::db::{Db, DbError};
use crate::state::AppState;

/// Why a metrics action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// Missing, a draft, or not readable by the caller (the same answer).
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    SignIn,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// The concept holds as many value rows as it may (`db::metrics::MAX_ROWS_PER_CONCEPT`).
    #[error("the concept holds as many metric values as it may")]
    Full,
    #[error("too many requests")]
    TooFast,
    #[error(transparent)]
    Concept(#[from] ConceptError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<access::Denied> for MetricsError {
    fn from(denied: access::Denied) -> Self {
        match denied {
            access::Denied::SignIn => MetricsError::SignIn,
            access::Denied::Hidden => MetricsError::NotFound,
            access::Denied::Forbidden => MetricsError::Forbidden,
            access::Denied::Db(e) => MetricsError::Db(e),
        }
    }
}

/// A concept as metrics see it: its template (which defines the metrics) and its platforms.
struct Subject {
    title: String,
    template: Template,
    platforms: Vec<PlatformRef>,
    level: Level,
}

/// The concept if the caller may act on it at `needed` (drafts have no metrics of their own).
async fn subject(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
    needed: Level,
) -> Result<Subject, MetricsError> {
    let level = access::require(&state.db, principal, concept, needed).await?;
    if crate::db::drafts::get(&state.db, concept).await?.is_some() {
        return Err(MetricsError::NotFound);
    }
    let (template_id, title, platforms) = ask(&state.registry, concept, |h| async move {
        h.read(|doc| {
            let concept = read_concept(doc);
            let platforms = concept.platforms.into_iter().map(|p| PlatformRef { id: p.id, name: p.name });
            (read_string(doc, &automerge::ROOT, KEY_TEMPLATE), concept.title, platforms.collect::<Vec<_>>())
        })
        .await
    })
    .await?;
    let template = template::builtin_or_default(&template_id).ok_or(MetricsError::NotFound)?;
    Ok(Subject { title, template, platforms, level })
}

/// Takes one of the caller's metric writes (see `state::METRIC_WRITES_PER_SEC`).
fn pace(state: &AppState, principal: &Principal) -> Result<(), MetricsError> {
    let key = crate::keyed_rate::key_for(principal, None);
    if state.metric_rate.take(&key, std::time::Instant::now()) { Ok(()) } else { Err(MetricsError::TooFast) }
}

/// Names people by id, asking the database once per person.
#[derive(Default)]
struct People(HashMap<String, Option<Person>>);

impl People {
    async fn get(&mut self, db: &Db, id: Option<&str>) -> Result<Option<Person>, DbError> {
        let Some(id) = id else { return Ok(None) };
        if let Some(known) = self.0.get(id) {
            return Ok(known.clone());
        }
        let person = crate::drafts::person(db, Some(id)).await?;
        self.0.insert(id.to_owned(), person.clone());
        Ok(person)
    }
}
