//! A document's attributed history: the runs of changes the server stored with their authors,
//! beside how many changes the document has (the rest were stored before authors were recorded).

use kompromiss_shared::dto::history::{ChangeHistory, ChangeRun, MAX_RUNS, Person};
use kompromiss_shared::ids::DocumentId;

use crate::concepts::{ConceptError, ask};
use crate::db::{Db, attribution};
use crate::sync::registry::Registry;

/// Who wrote what in a document, newest runs last (at most `MAX_RUNS` of them).
pub async fn of(db: &Db, registry: &Registry, id: DocumentId) -> Result<ChangeHistory, ConceptError> {
    let changes = ask(registry, id, |h| async move { h.read(|doc| doc.get_changes(&[]).len() as u64).await }).await?;
    let stored = attribution::for_doc(db, id).await?;
    let attributed: u64 = stored.iter().map(|r| r.last_seq - r.first_seq + 1).sum();
    let runs_total = stored.len() as u64;
    let runs = stored
        .into_iter()
        .rev()
        .take(MAX_RUNS)
        .rev()
        .map(|r| ChangeRun {
            actor: r.actor,
            first_seq: r.first_seq,
            last_seq: r.last_seq,
            author: r.user_id.map(|id| Person { name: r.user_name.unwrap_or_else(|| id.clone()), id }),
            channel: r.channel,
            at: r.at,
        })
        .collect();
    Ok(ChangeHistory { changes, unattributed: changes.saturating_sub(attributed), runs_total, runs })
}
