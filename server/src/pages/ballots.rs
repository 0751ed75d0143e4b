//! Ballots on their pages: the same rules as the JSON API (crate::ballots), answered as refusals.

use kompromiss_client::api::ballots::BallotPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::ballots::{BallotSummary, BallotView, DecisionTrail, NewBallot, Turnout, Vote, Voted};
use kompromiss_shared::dto::drafts::MergePreview;
use kompromiss_shared::dto::refusal::Refusal;

use super::access::{parse_doc, principal};
use super::{PageServer, internal};
use crate::ballots::{self, BallotError};

impl From<BallotError> for Refusal {
    fn from(e: BallotError) -> Self {
        match e {
            BallotError::NotFound => Refusal::NotFound,
            BallotError::SignIn => Refusal::SignIn,
            BallotError::Forbidden => Refusal::Forbidden,
            BallotError::Invalid(field) | BallotError::Conflict(field) => Refusal::Invalid(field.into()),
            BallotError::TooFast => Refusal::Invalid("rate".into()),
            other => internal(other),
        }
    }
}

impl BallotPages for PageServer {
    fn ballots<'a>(&'a self, req: &'a Req, concept: String) -> Answer<'a, Vec<BallotSummary>> {
        Box::pin(async move { Ok(ballots::list(&self.state, &principal(req), parse_doc(&concept)?).await?) })
    }

    fn ballot<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, BallotView> {
        Box::pin(async move { Ok(ballots::view(&self.state, &principal(req), &id).await?) })
    }

    fn decisions<'a>(&'a self, req: &'a Req, concept: String) -> Answer<'a, DecisionTrail> {
        Box::pin(async move { Ok(ballots::trail(&self.state, &principal(req), parse_doc(&concept)?).await?) })
    }

    fn turnout<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, Turnout> {
        Box::pin(async move { Ok(ballots::turnout(&self.state, &principal(req), &id).await?) })
    }

    fn open_ballot<'a>(&'a self, req: &'a Req, concept: String, new: NewBallot) -> Answer<'a, String> {
        Box::pin(async move { Ok(ballots::open(&self.state, &principal(req), parse_doc(&concept)?, new).await?) })
    }

    fn cast_vote<'a>(&'a self, req: &'a Req, id: String, vote: Vote) -> Answer<'a, Voted> {
        Box::pin(async move { Ok(ballots::vote(&self.state, &principal(req), &id, vote).await?) })
    }

    fn close_ballot<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, ()> {
        Box::pin(async move { Ok(ballots::close(&self.state, &principal(req), &id).await?) })
    }

    fn preview_decision<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, MergePreview> {
        Box::pin(async move { Ok(ballots::preview(&self.state, &principal(req), &id).await?) })
    }

    fn merge_decision<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, String> {
        Box::pin(async move { Ok(ballots::merge(&self.state, &principal(req), &id).await?) })
    }
}
