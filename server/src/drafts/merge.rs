//! Merging a draft into its concept: whole (the draft's own changes, an Automerge merge) or
//! section-wise (the chosen items' final wording, written anew), always from a recorded version.

use std::collections::HashMap;
use std::sync::Arc;

use automerge::{Automerge, Change, ChangeHash};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::diff;
use kompromiss_shared::drafts::{adopt, has_version, own_changes};
use kompromiss_shared::dto::drafts::{MergeInfo, MergePreview, MergeRequest};
use kompromiss_shared::dto::history::Person;
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{ConceptView, read_concept, read_concept_at};

use super::create::parts;
use super::{DraftError, draft_for};
use crate::auth::{Principal, access};
use crate::concepts::{ConceptError, ask};
use crate::db::attribution::{self, Author, Channel};
use crate::db::drafts::{self, Draft, Merge, Status};
use crate::db::{audit, now_millis};
use crate::state::AppState;

/// What a merge takes from the draft, read at the recorded version.
struct Taken {
    version: Vec<ChangeHash>,
    /// The draft's own changes up to the version (a whole merge).
    own: Vec<Change>,
    /// The draft at the version, and the concept version it started from.
    draft: ConceptView,
    base: ConceptView,
    /// The items to adopt (empty: the whole draft).
    parts: Vec<String>,
}

/// Checks the caller may merge (edit the concept) and reads what the merge takes.
async fn take(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    req: &MergeRequest,
) -> Result<(Draft, Taken), DraftError> {
    let (draft, _) = draft_for(&state.db, principal, id, Level::Read).await?;
    access::require(&state.db, principal, draft.concept, Level::Edit).await?;
    if draft.status != Status::Open {
        return Err(DraftError::Conflict("status"));
    }
    let version = heads::parse(&req.version).filter(|v| !v.is_empty()).ok_or(DraftError::Invalid("version"))?;
    let base = heads::parse(&draft.base_heads).ok_or(DraftError::Conflict("base"))?;
    let whole = req.parts.is_empty();
    let read_version = version.clone();
    let read = ask(&state.registry, id, move |h| {
        let (version, base) = (read_version.clone(), base.clone());
        async move {
            h.read(move |doc| {
                if !has_version(doc, &version) {
                    return None;
                }
                let own = if whole { own_changes(doc, &base, &version) } else { Vec::new() };
                Some((own, read_concept_at(doc, Some(&version)), read_concept_at(doc, Some(&base))))
            })
            .await
        }
    })
    .await?;
    let (own, draft_view, base_view) = read.ok_or(DraftError::Invalid("version"))?;
    // A removed item is named by its id in the base; an added one by its id in the draft.
    let mut known = draft_view.clone();
    known.sections.extend(base_view.sections.iter().cloned());
    known.platforms.extend(base_view.platforms.iter().cloned());
    let parts = parts(&req.parts, &known, "parts")?;
    Ok((draft, Taken { version, own, draft: draft_view, base: base_view, parts }))
}

/// Applies a merge to a concept document in memory (for the preview).
fn merged(doc: &Automerge, taken: &Taken) -> Result<ConceptView, automerge::AutomergeError> {
    let mut fork = doc.fork();
    if taken.parts.is_empty() {
        fork.apply_changes(taken.own.iter().cloned())?;
    } else {
        let mut tx = fork.transaction();
        adopt(&mut tx, &taken.draft, &taken.base, &taken.parts)?;
        tx.commit();
    }
    Ok(read_concept(&fork))
}

/// What the concept will look like after merging the draft as requested (editors of the concept).
pub async fn preview(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    req: MergeRequest,
) -> Result<MergePreview, DraftError> {
    super::pace(state, principal)?;
    let (draft, taken) = take(state, principal, id, &req).await?;
    let taken = Arc::new(taken);
    let result = ask(&state.registry, draft.concept, move |h| {
        let taken = taken.clone();
        async move { h.read(move |doc| merged(doc, &taken).map(|after| (read_concept(doc), after))).await }
    })
    .await?;
    let (now, after) = result.map_err(ConceptError::from)?;
    Ok(MergePreview { diff: diff::concept_diff(&now, &after), concept: after })
}

/// Who wrote each of the draft's changes, from the attribution stored with the draft.
async fn senders(state: &AppState, draft: DocumentId) -> Result<crate::sync::actor::Senders, DraftError> {
    let mut by_actor: HashMap<String, Vec<(u64, u64, Arc<Author>)>> = HashMap::new();
    for run in attribution::for_doc(&state.db, draft).await? {
        let author = Arc::new(Author { user_id: run.user_id, channel: run.channel, token_id: run.token_id });
        by_actor.entry(run.actor).or_default().push((run.first_seq, run.last_seq, author));
    }
    Ok(Box::new(move |change: &Change| {
        let runs = by_actor.get(&change.actor_id().to_hex_string())?;
        let seq = change.seq();
        runs.iter().find(|(first, last, _)| (*first..=*last).contains(&seq)).map(|(_, _, a)| a.clone())
    }))
}

/// Merges the draft as requested into its concept (editors of the concept); the merge recorded.
pub async fn merge(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    req: MergeRequest,
) -> Result<MergeInfo, DraftError> {
    super::pace(state, principal)?;
    let (draft, taken) = take(state, principal, id, &req).await?;
    let user = principal.user().ok_or(DraftError::SignIn)?;
    let handle = state.registry.open(draft.concept);
    let written = if taken.parts.is_empty() {
        handle.apply(taken.own, senders(state, id).await?).await
    } else {
        // The adopted wording is the draft's authors' (its first author's name stands for them).
        let first = drafts::authors(&state.db, id).await?.into_iter().next().map(|(id, _)| id);
        let author =
            Arc::new(Author { user_id: first.or(draft.created_by.clone()), channel: Channel::Server, token_id: None });
        let (draft_view, base_view, parts) = (taken.draft, taken.base, taken.parts.clone());
        handle.edit(author, Box::new(move |tx| adopt(tx, &draft_view, &base_view, &parts).map(|_| ()))).await
    };
    let concept_heads = written.map_err(|_| ConceptError::Unavailable)??;
    let record = Merge {
        from: heads::encode(&taken.version),
        heads: heads::encode(&concept_heads),
        parts: taken.parts,
        by: Some(user.id.clone()),
        at: now_millis(),
    };
    if !drafts::merged(&state.db, id, &record).await? {
        return Err(DraftError::Conflict("status"));
    }
    let target = id.to_string();
    let entry = audit::Record { target: Some(&target), ..audit::Record::by(Some(user), AuditAction::DraftMerged) };
    audit::record_or_log(&state.db, entry).await;
    tracing::info!(draft = %id, concept = %draft.concept, parts = record.parts.len(), "draft merged");
    Ok(MergeInfo {
        concept_version: record.heads,
        draft_version: record.from,
        parts: record.parts,
        by: Some(Person { id: user.id.clone(), name: user.display_name.clone() }),
        at: record.at,
    })
}
