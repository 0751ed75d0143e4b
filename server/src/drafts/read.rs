//! Reading drafts: the concept's list with a one-line summary each, and one draft with its diff.

use automerge::ReadDoc;
use kompromiss_shared::diff::{self, ConceptDiff, Summary};
use kompromiss_shared::dto::drafts::{DraftDetail, DraftList, DraftStatus, DraftSummary, MergeInfo};
use kompromiss_shared::dto::history::Person;
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::lines::FieldRef;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{ConceptView, read_concept, read_concept_at};

use super::{DraftError, draft_for};
use crate::auth::{Principal, access};
use crate::concepts::ask;
use crate::db::Db;
use crate::db::drafts::{self, Draft, Status};
use crate::state::AppState;
use crate::sync::registry::Registry;

/// Open drafts whose changes the list summarises (each costs a read of the draft); older ones
/// are listed without a summary.
pub const SUMMARISED: usize = 50;

/// The wire form of a status.
pub(super) fn status(s: Status) -> DraftStatus {
    match s {
        Status::Open => DraftStatus::Open,
        Status::Withdrawn => DraftStatus::Withdrawn,
        Status::Merged => DraftStatus::Merged,
    }
}

fn people(rows: Vec<(String, String)>) -> Vec<Person> {
    rows.into_iter().map(|(id, name)| Person { id, name }).collect()
}

async fn merge_info(db: &Db, draft: &Draft) -> Result<Option<MergeInfo>, DraftError> {
    let Some(merge) = &draft.merge else { return Ok(None) };
    let by = super::person(db, merge.by.as_deref()).await?;
    Ok(Some(MergeInfo {
        concept_version: merge.heads.clone(),
        draft_version: merge.from.clone(),
        parts: merge.parts.clone(),
        by,
        at: merge.at,
    }))
}

/// The concept's heads now.
pub(super) async fn concept_heads(registry: &Registry, concept: DocumentId) -> Result<String, DraftError> {
    Ok(ask(registry, concept, |h| async move { h.read(|doc| heads::encode(&doc.get_heads())).await }).await?)
}

/// A draft's own changes (against the concept at its base) and its version now.
pub(super) async fn own_diff(registry: &Registry, draft: &Draft) -> Result<(ConceptDiff, String), DraftError> {
    let (diff, version, _) = own_diff_and_base(registry, draft).await?;
    Ok((diff, version))
}

/// `own_diff`, and the concept at the draft's base.
async fn own_diff_and_base(
    registry: &Registry,
    draft: &Draft,
) -> Result<(ConceptDiff, String, ConceptView), DraftError> {
    let base = heads::parse(&draft.base_heads).ok_or(DraftError::Conflict("base"))?;
    Ok(ask(registry, draft.id, move |h| {
        let base = base.clone();
        async move {
            h.read(move |doc| {
                let at_base = read_concept_at(doc, Some(&base));
                (diff::concept_diff(&at_base, &read_concept(doc)), heads::encode(&doc.get_heads()), at_base)
            })
            .await
        }
    })
    .await?)
}

/// What a draft changes, with the versions it was computed from: still true while the draft's
/// version and base are these.
#[derive(Clone, Debug)]
pub struct DraftSummaryAt {
    base: String,
    version: String,
    summary: Summary,
}

/// What an open draft changes, from `state.draft_summaries` while the draft stays as it was.
async fn summary(state: &AppState, draft: &Draft) -> Result<Summary, DraftError> {
    let base = heads::parse(&draft.base_heads).ok_or(DraftError::Conflict("base"))?;
    let known = state.draft_summaries.get(&draft.id).filter(|k| k.base == draft.base_heads);
    let fresh = ask(&state.registry, draft.id, move |h| {
        let (base, known) = (base.clone(), known.clone());
        async move {
            h.read(move |doc| {
                let version = heads::encode(&doc.get_heads());
                match known.filter(|k| k.version == version) {
                    Some(k) => (k.summary, None),
                    None => {
                        let summary =
                            diff::concept_diff(&read_concept_at(doc, Some(&base)), &read_concept(doc)).summary();
                        (summary, Some(version))
                    }
                }
            })
            .await
        }
    })
    .await?;
    if let (summary, Some(version)) = fresh {
        let at = DraftSummaryAt { base: draft.base_heads.clone(), version, summary };
        state.draft_summaries.put(draft.id, at);
    }
    Ok(fresh.0)
}

/// A concept's drafts (anyone who may read the concept).
pub async fn list(state: &AppState, principal: &Principal, concept: DocumentId) -> Result<DraftList, DraftError> {
    let level = access::require(&state.db, principal, concept, Level::Read).await?;
    let all = drafts::for_concept(&state.db, concept).await?;
    let now = if all.is_empty() { String::new() } else { concept_heads(&state.registry, concept).await? };
    let mut summarised = 0;
    let mut out = Vec::with_capacity(all.len());
    for draft in all {
        let changes = if draft.status == Status::Open && summarised < SUMMARISED {
            summarised += 1;
            summary(state, &draft).await?
        } else {
            Summary { sections: 0, platforms: 0 }
        };
        out.push(DraftSummary {
            id: draft.id.to_string(),
            title: draft.title.clone(),
            status: status(draft.status),
            authors: people(drafts::authors(&state.db, draft.id).await?),
            changes,
            behind: draft.status == Status::Open && draft.base_heads != now,
            created_at: draft.created_at,
            merged: merge_info(&state.db, &draft).await?,
        });
    }
    Ok(DraftList { drafts: out, can_create: principal.user().is_some() && level >= Level::Participate })
}

/// One draft with its changes (anyone who may read its concept).
pub async fn detail(state: &AppState, principal: &Principal, id: DocumentId) -> Result<DraftDetail, DraftError> {
    let (draft, level) = draft_for(&state.db, principal, id, Level::Read).await?;
    let concept_level = access::doc_level(&state.db, principal, draft.concept).await?;
    let authors = people(drafts::authors(&state.db, id).await?);
    let is_author = principal.user().is_some_and(|u| authors.iter().any(|a| a.id == u.id));
    let (diff, version, base_view) = own_diff_and_base(&state.registry, &draft).await?;
    let base = heads::parse(&draft.base_heads).ok_or(DraftError::Conflict("base"))?;
    let (concept_title, meanwhile) = ask(&state.registry, draft.concept, move |h| {
        let base = base.clone();
        async move {
            h.read(move |doc| {
                let now = read_concept(doc);
                let moved = heads::encode(&doc.get_heads()) != heads::encode(&base)
                    && base.iter().all(|b| doc.get_change_by_hash(b).is_some());
                let meanwhile = moved.then(|| diff::concept_diff(&read_concept_at(doc, Some(&base)), &now));
                (now.title, meanwhile.filter(|d| !d.is_empty()))
            })
            .await
        }
    })
    .await?;
    let conflicts: Vec<FieldRef> = serde_json::from_str(&draft.conflicts).unwrap_or_default();
    Ok(DraftDetail {
        id: id.to_string(),
        concept_id: draft.concept.to_string(),
        concept_title,
        title: draft.title.clone(),
        reason: draft.reason.clone(),
        scope: draft.scope.clone(),
        status: status(draft.status),
        authors,
        created_at: draft.created_at,
        base_version: draft.base_heads.clone(),
        version,
        base_view,
        diff,
        meanwhile: if draft.status == Status::Open { meanwhile } else { None },
        conflicts,
        merged: merge_info(&state.db, &draft).await?,
        can_edit: level >= Level::Edit,
        is_author,
        can_merge: draft.status == Status::Open && concept_level >= Level::Edit,
    })
}
