//! Reading ballots: a concept's list, one ballot with its frozen options and the caller's
//! standing, and the published list of a closed one. A ballot whose time has come is closed
//! before it is shown.

use kompromiss_shared::ballots::{Choice, Outcome};
use kompromiss_shared::diff::{self, ConceptDiff};
use kompromiss_shared::dto::ballots::{
    BallotKind, BallotList, BallotSummary, BallotView, Eligibility, Frozen, ListedVote, NamedVote, OptionView, Turnout,
};
use kompromiss_shared::dto::history::Person;
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::read_concept_at;

use super::{BallotError, ballot_for};
use crate::auth::{Principal, access};
use crate::concepts::ask;
use crate::db::ballots::{self, Ballot};
use crate::db::now_millis;
use crate::drafts::person;
use crate::state::AppState;

fn outcome(ballot: &Ballot) -> Option<Outcome> {
    ballot.result.as_deref().and_then(|r| serde_json::from_str(r).ok())
}

fn count_of(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The ballot, closed first if its time has come (only this one: the sweeper closes the rest).
pub(super) async fn current(state: &AppState, ballot: Ballot) -> Result<Ballot, BallotError> {
    if ballot.open && ballot.closes_at.is_some_and(|c| c <= now_millis()) {
        super::close::close_now(state, &ballot, None).await?;
        return ballots::get(&state.db, &ballot.id).await?.ok_or(BallotError::NotFound);
    }
    Ok(ballot)
}

/// A ballot in a list: what it asks, whether it runs, turnout and result.
pub(super) async fn summary(state: &AppState, ballot: &Ballot) -> Result<BallotSummary, BallotError> {
    Ok(BallotSummary {
        id: ballot.id.clone(),
        title: ballot.title.clone(),
        kind: BallotKind::parse(&ballot.kind).unwrap_or(BallotKind::Proposal),
        secret: ballot.secret,
        open: ballot.open,
        closes_at: ballot.closes_at,
        eligible: count_of(ballot.eligible),
        voted: count_of(ballots::turnout(&state.db, &ballot.id).await?),
        outcome: outcome(ballot),
    })
}

/// A concept's ballots (anyone who may read the concept).
pub async fn list(
    state: &AppState,
    principal: &Principal,
    concept: DocumentId,
) -> Result<Vec<BallotSummary>, BallotError> {
    access::require(&state.db, principal, concept, Level::Read).await?;
    let mut out = Vec::new();
    for ballot in ballots::for_concept(&state.db, &concept.to_string()).await? {
        let ballot = current(state, ballot).await?;
        out.push(summary(state, &ballot).await?);
    }
    Ok(out)
}

/// The changes of a frozen draft option against the concept at its base.
pub(super) async fn option_diff(
    state: &AppState,
    draft: &str,
    version: &str,
    base: &str,
) -> Result<ConceptDiff, BallotError> {
    let id: DocumentId = draft.parse().map_err(|_| BallotError::Conflict("options"))?;
    let (version, base) = (
        heads::parse(version).ok_or(BallotError::Conflict("options"))?,
        heads::parse(base).ok_or(BallotError::Conflict("options"))?,
    );
    Ok(ask(&state.registry, id, move |h| {
        let (version, base) = (version.clone(), base.clone());
        async move {
            h.read(move |doc| {
                diff::concept_diff(&read_concept_at(doc, Some(&base)), &read_concept_at(doc, Some(&version)))
            })
            .await
        }
    })
    .await?)
}

/// One ballot as the caller may see it (anyone who may read its concept).
pub async fn view(state: &AppState, principal: &Principal, id: &str) -> Result<BallotView, BallotError> {
    let (ballot, level) = ballot_for(&state.db, principal, id, Level::Read).await?;
    let ballot = current(state, ballot).await?;
    let spec = super::spec_of(&ballot)?;
    let frozen = super::frozen_of(&ballot)?;
    let eligibility: Eligibility = serde_json::from_str(&ballot.eligibility).unwrap_or_default();
    let mut options = Vec::with_capacity(frozen.options.len());
    for option in frozen.options {
        let diff = match &option.draft {
            Some(draft) => option_diff(state, draft, &option.version, &option.base).await?,
            None => ConceptDiff::default(),
        };
        options.push(OptionView { option, diff });
    }
    let (eligible, has_voted) = match principal.user() {
        Some(user) => ballots::standing(&state.db, &ballot.id, &user.id).await?,
        None => (false, false),
    };
    let my_choice = match principal.user() {
        Some(user) if !ballot.secret => ballots::own_choice(&state.db, &ballot.id, &user.id)
            .await?
            .and_then(|c| serde_json::from_str::<Choice>(&c).ok()),
        _ => None,
    };
    // Open ballots show who chose what; secret ones never do.
    let mut votes = Vec::new();
    if !ballot.secret {
        for (user_id, name, choice) in ballots::open_choices(&state.db, &ballot.id).await? {
            if let Ok(choice) = serde_json::from_str(&choice) {
                votes.push(NamedVote { voter: Person { id: user_id, name }, choice });
            }
        }
    }
    let concept: DocumentId = ballot.concept.parse().map_err(|_| BallotError::NotFound)?;
    let concept_title = ask(&state.registry, concept, |h| async move {
        h.read(|doc| kompromiss_shared::schema::read_concept(doc).title).await
    })
    .await?;
    Ok(BallotView {
        id: ballot.id.clone(),
        concept_id: ballot.concept.clone(),
        concept_title,
        title: ballot.title.clone(),
        kind: BallotKind::parse(&ballot.kind).unwrap_or(BallotKind::Proposal),
        secret: ballot.secret,
        changeable: ballot.changeable,
        spec,
        eligibility,
        open: ballot.open,
        opened_at: ballot.opened_at,
        starts_later: ballot.open && ballot.opened_at > now_millis(),
        closes_at: ballot.closes_at,
        closed_at: ballot.closed_at,
        opened_by: person(&state.db, ballot.created_by.as_deref()).await?,
        eligible: count_of(ballot.eligible),
        voted: count_of(ballots::turnout(&state.db, &ballot.id).await?),
        options,
        parts: frozen.parts,
        may_vote: ballot.open && ballot.opened_at <= now_millis() && eligible && (!has_voted || ballot.changeable),
        has_voted,
        my_choice,
        votes,
        outcome: outcome(&ballot),
        merged: ballot.merged_heads.clone(),
        can_manage: level >= Level::Edit,
    })
}

/// Turnout (anyone who may read the concept): cheap, for pages that follow it.
pub async fn turnout(state: &AppState, principal: &Principal, id: &str) -> Result<Turnout, BallotError> {
    let (ballot, _) = ballot_for(&state.db, principal, id, Level::Read).await?;
    let ballot = current(state, ballot).await?;
    Ok(Turnout {
        voted: count_of(ballots::turnout(&state.db, &ballot.id).await?),
        eligible: count_of(ballot.eligible),
        open: ballot.open,
    })
}

/// What a ballot asks, frozen (anyone who may read its concept).
pub async fn frozen(state: &AppState, principal: &Principal, id: &str) -> Result<Frozen, BallotError> {
    let (ballot, _) = ballot_for(&state.db, principal, id, Level::Read).await?;
    super::frozen_of(&ballot)
}

/// The published list of a closed ballot (anyone who may read its concept).
pub async fn published(state: &AppState, principal: &Principal, id: &str) -> Result<BallotList, BallotError> {
    let (ballot, _) = ballot_for(&state.db, principal, id, Level::Read).await?;
    let ballot = current(state, ballot).await?;
    let Some(outcome) = outcome(&ballot).filter(|_| !ballot.open) else {
        return Err(BallotError::Conflict("open"));
    };
    let spec = super::spec_of(&ballot)?;
    let votes = if ballot.secret {
        let rows = ballots::list(&state.db, &ballot.id).await?;
        rows.into_iter()
            .filter_map(|(receipt, c)| {
                serde_json::from_str(&c).ok().map(|choice| ListedVote { receipt: Some(receipt), voter: None, choice })
            })
            .collect()
    } else {
        let rows = ballots::open_choices(&state.db, &ballot.id).await?;
        rows.into_iter()
            .filter_map(|(_, name, c)| {
                serde_json::from_str(&c).ok().map(|choice| ListedVote { receipt: None, voter: Some(name), choice })
            })
            .collect()
    };
    let frozen = super::frozen_of(&ballot)?;
    Ok(BallotList {
        ballot: ballot.id.clone(),
        title: ballot.title.clone(),
        options: frozen.options.into_iter().map(|o| o.title).collect(),
        parts: frozen.parts.into_iter().map(|p| p.name).collect(),
        spec,
        eligible: count_of(ballot.eligible),
        votes,
        outcome,
    })
}
