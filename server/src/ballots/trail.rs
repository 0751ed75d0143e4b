//! A concept's decisions: every ballot with its rules and result, the trail from a draft's
//! discussion through the ballot to the merged version, and for each platform entry the ballot
//! that set its current decision.

use kompromiss_shared::dto::ballots::{
    DecisionTrail, EXCERPT_CHARS, PlatformDecision, TrailBallot, TrailMerge, TrailOption, TrailThread,
};
use kompromiss_shared::dto::history::Person;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::read_concept;

use super::BallotError;
use crate::auth::{Principal, access};
use crate::concepts::ask;
use crate::db::ballots;
use crate::db::drafts;
use crate::drafts::person;
use crate::state::AppState;

/// Most ballots the page shows (a concept holds at most `ballots::MAX_PER_CONCEPT`).
pub const MAX_SHOWN: usize = 50;
/// Most threads shown per draft.
pub const MAX_THREADS: usize = 10;

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// The decisions of `concept` (anyone who may read it).
pub async fn trail(state: &AppState, principal: &Principal, concept: DocumentId) -> Result<DecisionTrail, BallotError> {
    access::require(&state.db, principal, concept, Level::Read).await?;
    let view = ask(&state.registry, concept, |h| async move { h.read(read_concept).await }).await?;
    let mut out = Vec::new();
    // Platforms whose decision a merged ballot set: the newest such ballot for each.
    let mut set_by: Vec<(String, (String, String, i64, kompromiss_shared::decision::Decision))> = Vec::new();
    for ballot in ballots::for_concept(&state.db, &concept.to_string()).await?.into_iter().take(MAX_SHOWN) {
        let ballot = super::read::current(state, ballot).await?;
        let summary = super::read::summary(state, &ballot).await?;
        let spec = super::spec_of(&ballot)?;
        let frozen = super::frozen_of(&ballot)?;
        let adopted = summary.outcome.as_ref().and_then(|o| o.adopted()).map(|won| frozen.adopted_options(&won));
        let adopted = adopted.unwrap_or_default();
        let merged = match (&ballot.merged_heads, ballot.merged_at) {
            (Some(version), Some(at)) => Some(TrailMerge {
                version: version.clone(),
                at,
                by: person(&state.db, ballot.merged_by.as_deref()).await?,
            }),
            _ => None,
        };
        let mut options = Vec::new();
        for (index, option) in frozen.options.iter().enumerate() {
            let Some(draft) = option.draft.as_deref().and_then(|d| d.parse::<DocumentId>().ok()) else { continue };
            let authors =
                drafts::authors(&state.db, draft).await?.into_iter().map(|(id, name)| Person { id, name }).collect();
            let discussion = crate::comments::discussion_for(state, principal, draft, Level::Read)
                .await
                .map_err(|_| BallotError::Conflict("discussion"))?;
            let threads = discussion
                .threads
                .iter()
                .take(MAX_THREADS)
                .map(|t| TrailThread {
                    id: t.id.clone(),
                    by: t.created_by.clone(),
                    excerpt: t.comments.first().and_then(|c| c.body.as_deref()).map(excerpt).unwrap_or_default(),
                    comments: u32::try_from(t.comments.len()).unwrap_or(u32::MAX),
                })
                .collect();
            let taken = adopted.contains(&index);
            if taken && merged.is_some() {
                let diff = super::read::option_diff(state, &draft.to_string(), &option.version, &option.base).await?;
                for platform in diff.platforms {
                    if let Some((before, _)) = platform.decision
                        && !set_by.iter().any(|(id, _)| *id == platform.id)
                    {
                        let at = merged.as_ref().map_or(0, |m| m.at);
                        set_by.push((platform.id, (ballot.id.clone(), ballot.title.clone(), at, before)));
                    }
                }
            }
            options.push(TrailOption {
                draft: draft.to_string(),
                title: option.title.clone(),
                authors,
                threads,
                adopted: taken,
            });
        }
        out.push(TrailBallot {
            summary,
            majority: spec.majority,
            quorum: spec.quorum,
            opened_at: ballot.opened_at,
            closed_at: ballot.closed_at,
            options,
            merged,
        });
    }
    let platforms = view
        .platforms
        .iter()
        .map(|p| PlatformDecision {
            id: p.id.clone(),
            name: p.name.clone(),
            decision: p.decision,
            by_ballot: set_by.iter().find(|(id, _)| *id == p.id).map(|(_, b)| b.clone()),
        })
        .collect();
    Ok(DecisionTrail { concept_id: concept.to_string(), concept_title: view.title, ballots: out, platforms })
}
