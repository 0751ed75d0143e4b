//! Telling a concept's open pages that its ballots changed (opened, voted in, closed), so that
//! turnout is live: at most twice a second per concept, however many vote, and never naming who.
//! Half a second leaves room for the hop to pages on other instances within a second.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use kompromiss_shared::doc_events::{self, DocEvent};
use kompromiss_shared::ids::DocumentId;

use crate::state::AppState;

/// How long announcements for one concept are gathered into one.
pub const GATHER: Duration = Duration::from_millis(500);

/// Concepts with an announcement on its way.
#[derive(Default)]
pub struct Pending(Mutex<HashSet<DocumentId>>);

/// Announces a ballot event on `concept` within `GATHER`, once for all events until then.
pub fn announce(state: &AppState, concept: &str) {
    let Ok(concept) = concept.parse::<DocumentId>() else { return };
    if !state.ballot_events.0.lock().unwrap_or_else(PoisonError::into_inner).insert(concept) {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        tokio::time::sleep(GATHER).await;
        state.ballot_events.0.lock().unwrap_or_else(PoisonError::into_inner).remove(&concept);
        state.registry.announce(concept, doc_events::encode(DocEvent::Ballots)).await;
    });
}
