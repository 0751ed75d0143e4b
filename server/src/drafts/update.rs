//! Changing a draft's standing: catching up with the concept, withdrawing and reopening,
//! inviting co-authors.

use automerge::Change;
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::diff;
use kompromiss_shared::drafts::has_version;
use kompromiss_shared::dto::drafts::CaughtUp;
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{read_concept, read_concept_at};

use super::read::own_diff;
use super::{DraftError, draft_for, require_author};
use crate::auth::Principal;
use crate::concepts::{ConceptError, ask};
use crate::db::drafts::{self, Status};
use crate::db::{attribution, audit, now_millis, users};
use crate::state::AppState;

/// Brings what changed in the concept since the draft's base into the draft (an Automerge
/// merge: nobody's words are lost) and flags the passages both sides changed. Authors only.
pub async fn catch_up(state: &AppState, principal: &Principal, id: DocumentId) -> Result<CaughtUp, DraftError> {
    super::pace(state, principal)?;
    let (draft, _) = draft_for(&state.db, principal, id, Level::Edit).await?;
    let base = heads::parse(&draft.base_heads).ok_or(DraftError::Conflict("base"))?;
    let read_base = base.clone();
    let (news, now, theirs) = ask(&state.registry, draft.concept, move |h| {
        let base = read_base.clone();
        async move {
            h.read(move |doc| {
                if !has_version(doc, &base) {
                    return None;
                }
                let news: Vec<Change> = doc.get_changes(&base).into_iter().cloned().collect();
                let theirs = (!news.is_empty())
                    .then(|| diff::concept_diff(&read_concept_at(doc, Some(&base)), &read_concept(doc)));
                Some((news, doc.get_heads(), theirs))
            })
            .await
        }
    })
    .await?
    .ok_or(DraftError::Conflict("base"))?;
    let Some(theirs) = theirs else {
        return Ok(CaughtUp { changes: 0, conflicts: Vec::new() });
    };
    let (mine, _) = own_diff(&state.registry, &draft).await?;
    let conflicts = diff::overlaps(&mine, &theirs);
    let changes = news.len();
    let handle = state.registry.open(id);
    let _heads = handle.apply(news, Box::new(|_| None)).await.map_err(|_| ConceptError::Unavailable)??;
    // The concept's changes came with their authors' names.
    attribution::copy(&state.db, draft.concept, id).await?;
    let json = serde_json::to_string(&conflicts).unwrap_or_else(|_| "[]".into());
    drafts::caught_up(&state.db, id, &heads::encode(&now), &json, now_millis()).await?;
    tracing::info!(draft = %id, changes, conflicts = conflicts.len(), "draft caught up");
    Ok(CaughtUp { changes, conflicts })
}

/// Withdraws (`open` false) or reopens a draft. Authors only; a merged draft stays merged.
pub async fn set_open(state: &AppState, principal: &Principal, id: DocumentId, open: bool) -> Result<(), DraftError> {
    let (draft, _) = draft_for(&state.db, principal, id, Level::Read).await?;
    require_author(&state.db, principal, &draft).await?;
    if draft.status == Status::Merged {
        return Err(DraftError::Conflict("merged"));
    }
    // What a ballot votes on stays available until its decision is merged.
    if !open && crate::db::ballots::needs_draft(&state.db, &draft.concept.to_string(), &id.to_string()).await? {
        return Err(DraftError::Conflict("in-ballot"));
    }
    let status = if open { Status::Open } else { Status::Withdrawn };
    if !drafts::set_status(&state.db, id, status, now_millis()).await? {
        return Err(DraftError::Conflict("merged"));
    }
    let action = if open { AuditAction::DraftReopened } else { AuditAction::DraftWithdrawn };
    let target = id.to_string();
    let entry = audit::Record { target: Some(&target), ..audit::Record::by(principal.user(), action) };
    audit::record_or_log(&state.db, entry).await;
    Ok(())
}

/// An author invites a co-author (who writes the draft as long as they may take part in its
/// concept). At most `drafts::MAX_AUTHORS`.
pub async fn invite(state: &AppState, principal: &Principal, id: DocumentId, user_id: &str) -> Result<(), DraftError> {
    let (draft, _) = draft_for(&state.db, principal, id, Level::Read).await?;
    let by = require_author(&state.db, principal, &draft).await?;
    if draft.status == Status::Merged {
        return Err(DraftError::Conflict("merged"));
    }
    if user_id.len() > 200 || users::by_id(&state.db, user_id).await?.is_none() {
        return Err(DraftError::Invalid("user"));
    }
    if drafts::is_author(&state.db, id, user_id).await? {
        return Ok(());
    }
    if !drafts::add_author(&state.db, id, user_id, &by, now_millis()).await? {
        return Err(DraftError::Conflict("authors"));
    }
    Ok(())
}
