//! From result to text: an editor carries a closed ballot's decision into the concept — the
//! adopted draft (or ranking winner) merged whole from its frozen version, or section by section
//! the winning variants, each from its draft's frozen version — after a preview of the result.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::ballots::{Outcome, Shape};
use kompromiss_shared::diff;
use kompromiss_shared::drafts::adopt;
use kompromiss_shared::dto::drafts::{MergePreview, MergeRequest};
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{ConceptView, read_concept, read_concept_at};

use super::{BallotError, ballot_for};
use crate::auth::Principal;
use crate::concepts::{ConceptError, ask};
use crate::db::ballots::{self, Ballot};
use crate::db::{audit, now_millis};
use crate::drafts::{self, DraftError};
use crate::state::AppState;

impl From<DraftError> for BallotError {
    fn from(e: DraftError) -> Self {
        match e {
            DraftError::NotFound => BallotError::NotFound,
            DraftError::SignIn => BallotError::SignIn,
            DraftError::Forbidden => BallotError::Forbidden,
            DraftError::Invalid(what) | DraftError::Conflict(what) => BallotError::Conflict(what),
            DraftError::Concept(e) => BallotError::Concept(e),
            DraftError::Db(e) => BallotError::Db(e),
            DraftError::Write(_) => BallotError::Concept(ConceptError::Unavailable),
            DraftError::TooFast => BallotError::TooFast,
        }
    }
}

/// What a decision carries into the concept: per draft, its frozen version, its base, and the
/// parts it wins (empty: the whole draft).
struct Decision {
    takes: Vec<(DocumentId, String, String, Vec<String>)>,
}

/// The decision of a closed ballot, if it adopts any draft text.
fn decision(ballot: &Ballot) -> Result<Decision, BallotError> {
    if ballot.open {
        return Err(BallotError::Conflict("open"));
    }
    if ballot.merged_heads.is_some() {
        return Err(BallotError::Conflict("merged"));
    }
    let spec = super::spec_of(ballot)?;
    let frozen = super::frozen_of(ballot)?;
    let outcome: Outcome =
        ballot.result.as_deref().and_then(|r| serde_json::from_str(r).ok()).ok_or(BallotError::Conflict("result"))?;
    let adopted = outcome.adopted().ok_or(BallotError::Conflict("nothing-adopted"))?;
    let option = |i: usize| -> Result<(DocumentId, String, String), BallotError> {
        let o = frozen.options.get(i).ok_or(BallotError::Conflict("options"))?;
        let draft = o.draft.as_deref().and_then(|d| d.parse().ok()).ok_or(BallotError::Conflict("options"))?;
        Ok((draft, o.version.clone(), o.base.clone()))
    };
    let mut takes: Vec<(DocumentId, String, String, Vec<String>)> = Vec::new();
    match spec.shape {
        Shape::Proposal | Shape::Ranking { .. } => {
            let winner = adopted.first().copied().unwrap_or(0);
            if winner == 0 {
                return Err(BallotError::Conflict("nothing-adopted"));
            }
            let (draft, version, base) = option(winner)?;
            takes.push((draft, version, base, Vec::new()));
        }
        Shape::Sections { .. } => {
            for (part, &won) in frozen.parts.iter().zip(&adopted) {
                let Some(&index) = part.variants.get(won).filter(|&&i| i != 0) else { continue };
                let (draft, version, base) = option(index)?;
                match takes.iter_mut().find(|t| t.0 == draft) {
                    Some(take) => take.3.push(part.id.clone()),
                    None => takes.push((draft, version, base, vec![part.id.clone()])),
                }
            }
            if takes.is_empty() {
                return Err(BallotError::Conflict("nothing-adopted"));
            }
        }
    }
    Ok(Decision { takes })
}

/// The views a section-wise decision adopts from: each draft at its frozen version and at its base.
async fn views(
    state: &AppState,
    decision: &Decision,
) -> Result<Vec<(ConceptView, ConceptView, Vec<String>)>, BallotError> {
    let mut out = Vec::new();
    for (draft, version, base, parts) in &decision.takes {
        let version = heads::parse(version).ok_or(BallotError::Conflict("options"))?;
        let base = heads::parse(base).ok_or(BallotError::Conflict("options"))?;
        let (at, before) =
            ask(&state.registry, *draft, move |h| {
                let (version, base) = (version.clone(), base.clone());
                async move {
                    h.read(move |doc| (read_concept_at(doc, Some(&version)), read_concept_at(doc, Some(&base)))).await
                }
            })
            .await?;
        out.push((at, before, parts.clone()));
    }
    Ok(out)
}

/// What the concept will look like once the decision is carried in (editors of the concept).
pub async fn preview(state: &AppState, principal: &Principal, id: &str) -> Result<MergePreview, BallotError> {
    let (ballot, _) = ballot_for(&state.db, principal, id, Level::Edit).await?;
    let decision = decision(&ballot)?;
    if let [(draft, version, _, parts)] = decision.takes.as_slice()
        && parts.is_empty()
    {
        let req = MergeRequest { version: version.clone(), parts: Vec::new() };
        return Ok(drafts::preview(state, principal, *draft, req).await?);
    }
    let adopted = std::sync::Arc::new(views(state, &decision).await?);
    let concept: DocumentId = ballot.concept.parse().map_err(|_| BallotError::NotFound)?;
    let result = ask(&state.registry, concept, move |h| {
        let adopted = adopted.clone();
        async move {
            h.read(move |doc| {
                let mut fork = doc.fork();
                let mut tx = fork.transaction();
                for (draft, base, parts) in adopted.iter() {
                    adopt(&mut tx, draft, base, parts)?;
                }
                tx.commit();
                Ok::<_, automerge::AutomergeError>((read_concept(doc), read_concept(&fork)))
            })
            .await
        }
    })
    .await?;
    let (now, after) = result.map_err(ConceptError::from)?;
    Ok(MergePreview { diff: diff::concept_diff(&now, &after), concept: after })
}

/// Carries the decision into the concept (editors): each adopted draft merged from its frozen
/// version through the drafts' merge, so that its words keep their authors; the ballot records
/// the concept's version it produced.
pub async fn merge(state: &AppState, principal: &Principal, id: &str) -> Result<String, BallotError> {
    let (ballot, _) = ballot_for(&state.db, principal, id, Level::Edit).await?;
    let user = principal.user().ok_or(BallotError::SignIn)?;
    let decision = decision(&ballot)?;
    let mut heads = String::new();
    for (draft, version, _, parts) in decision.takes {
        let req = MergeRequest { version, parts };
        heads = drafts::merge(state, principal, draft, req).await?.concept_version;
    }
    if !ballots::merged(&state.db, &ballot.id, &heads, &user.id, now_millis()).await? {
        return Err(BallotError::Conflict("merged"));
    }
    let entry = audit::Record { target: Some(&ballot.id), ..audit::Record::by(Some(user), AuditAction::BallotMerged) };
    audit::record_or_log(&state.db, entry).await;
    tracing::info!(ballot = %ballot.id, "ballot decision merged");
    Ok(heads)
}
