//! Ballots on their pages: a concept's ballots, one ballot, opening one, voting, closing, and
//! carrying a decision into the concept.

use kompromiss_shared::dto::ballots::{BallotSummary, BallotView, DecisionTrail, NewBallot, Turnout, Vote, Voted};
use kompromiss_shared::dto::drafts::MergePreview;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers and does about ballots.
#[cfg(feature = "ssr")]
pub trait BallotPages {
    /// A concept's ballots, if the visitor may read it.
    fn ballots<'a>(&'a self, req: &'a Req, concept: String) -> Answer<'a, Vec<BallotSummary>>;
    /// One ballot as the visitor may see it.
    fn ballot<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, BallotView>;
    /// A concept's decisions, if the visitor may read it.
    fn decisions<'a>(&'a self, req: &'a Req, concept: String) -> Answer<'a, DecisionTrail>;
    /// A ballot's turnout.
    fn turnout<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, Turnout>;
    /// Opens a ballot on a concept (editors); its id.
    fn open_ballot<'a>(&'a self, req: &'a Req, concept: String, new: NewBallot) -> Answer<'a, String>;
    /// Casts or changes the visitor's vote.
    fn cast_vote<'a>(&'a self, req: &'a Req, id: String, vote: Vote) -> Answer<'a, Voted>;
    /// Closes a ballot (editors).
    fn close_ballot<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, ()>;
    /// The concept as the ballot's decision would leave it (editors).
    fn preview_decision<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, MergePreview>;
    /// Carries the decision into the concept (editors); the concept's new version.
    fn merge_decision<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, String>;
}

/// A concept's ballots, newest first.
#[server(prefix = "/api/fn", endpoint = "get_ballots")]
pub async fn get_ballots(concept: String) -> Result<Vec<BallotSummary>, ServerFnError> {
    ask!(|p, r| p.ballots(r, concept))
}

/// One ballot.
#[server(prefix = "/api/fn", endpoint = "get_ballot")]
pub async fn get_ballot(id: String) -> Result<BallotView, ServerFnError> {
    ask!(|p, r| p.ballot(r, id))
}

/// A concept's decisions: ballots, their trail, and how each platform's decision came about.
#[server(prefix = "/api/fn", endpoint = "get_decisions")]
pub async fn get_decisions(concept: String) -> Result<DecisionTrail, ServerFnError> {
    ask!(|p, r| p.decisions(r, concept))
}

/// A ballot's turnout (open ballot pages follow it).
#[server(prefix = "/api/fn", endpoint = "get_turnout")]
pub async fn get_turnout(id: String) -> Result<Turnout, ServerFnError> {
    ask!(|p, r| p.turnout(r, id))
}

/// Opens a ballot on `concept`; the ballot's id.
#[server(prefix = "/api/fn", endpoint = "open_ballot", input = leptos::server_fn::codec::Json)]
pub async fn open_ballot(concept: String, new: NewBallot) -> Result<String, ServerFnError> {
    ask!(|p, r| p.open_ballot(r, concept, new))
}

/// Casts or changes a vote; a secret ballot's receipt.
#[server(prefix = "/api/fn", endpoint = "cast_vote", input = leptos::server_fn::codec::Json)]
pub async fn cast_vote(id: String, vote: Vote) -> Result<Voted, ServerFnError> {
    ask!(|p, r| p.cast_vote(r, id, vote))
}

/// Closes a ballot.
#[server(prefix = "/api/fn", endpoint = "close_ballot")]
pub async fn close_ballot(id: String) -> Result<(), ServerFnError> {
    ask!(|p, r| p.close_ballot(r, id))
}

/// What the decision would make of the concept.
#[server(prefix = "/api/fn", endpoint = "preview_decision")]
pub async fn preview_decision(id: String) -> Result<MergePreview, ServerFnError> {
    ask!(|p, r| p.preview_decision(r, id))
}

/// Carries the decision into the concept; the concept's new version.
#[server(prefix = "/api/fn", endpoint = "merge_decision")]
pub async fn merge_decision(id: String) -> Result<String, ServerFnError> {
    ask!(|p, r| p.merge_decision(r, id))
}
