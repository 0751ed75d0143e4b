//! Voting: the choice checked against what the ballot asks, then stored with the participation
//! in one transaction. A secret paper is sealed with a new receipt, which only the voter gets;
//! nothing about a vote is logged.

use kompromiss_shared::dto::ballots::{Vote, Voted};
use kompromiss_shared::perm::Level;
use serde::{Deserialize, Serialize};

use super::seal::{new_receipt, parse_receipt};
use super::{BallotError, ballot_for};
use crate::auth::Principal;
use crate::db::ballots::{self, Paper};
use crate::db::now_millis;
use crate::state::AppState;

/// What a secret paper holds: its receipt (published with it after the close) and the choice.
#[derive(Serialize, Deserialize)]
pub(super) struct SealedPaper {
    pub receipt: String,
    pub choice: kompromiss_shared::ballots::Choice,
}

/// Casts or changes the caller's vote.
pub async fn vote(state: &AppState, principal: &Principal, id: &str, vote: Vote) -> Result<Voted, BallotError> {
    let user = principal.user().ok_or(BallotError::SignIn)?;
    let (ballot, _) = ballot_for(&state.db, principal, id, Level::Read).await?;
    let spec = super::spec_of(&ballot)?;
    if !vote.choice.fits(&spec.shape) {
        return Err(BallotError::Invalid("choice"));
    }
    let now = now_millis();
    let (result, receipt) = if ballot.secret {
        // A change names the receipt of the first vote; a first vote gets a new one.
        let (receipt, change) = match &vote.receipt {
            Some(raw) => (parse_receipt(raw).ok_or(BallotError::Invalid("receipt"))?, true),
            None => (new_receipt(), false),
        };
        let paper = SealedPaper { receipt: receipt.clone(), choice: vote.choice };
        let plain = serde_json::to_vec(&paper).map_err(|_| BallotError::Invalid("choice"))?;
        let sealed = state.ballot_key.seal(&ballot.id, &plain);
        let lookup = state.ballot_key.lookup(&ballot.id, &receipt);
        let paper = Paper::Sealed { lookup: &lookup, sealed: &sealed };
        let result = if change {
            ballots::change(&state.db, &ballot.id, &user.id, paper, now).await?
        } else {
            ballots::vote(&state.db, &ballot.id, &user.id, paper, now).await?
        };
        (result, (!change).then_some(receipt))
    } else {
        let choice = serde_json::to_string(&vote.choice).map_err(|_| BallotError::Invalid("choice"))?;
        let result = match ballots::vote(&state.db, &ballot.id, &user.id, Paper::Open { choice: &choice }, now).await? {
            ballots::Voted::AlreadyVoted if ballot.changeable => {
                ballots::change(&state.db, &ballot.id, &user.id, Paper::Open { choice: &choice }, now).await?
            }
            other => other,
        };
        (result, None)
    };
    match result {
        ballots::Voted::Stored | ballots::Voted::Replaced => {
            super::announce::announce(state, &ballot.concept);
            Ok(Voted { receipt })
        }
        ballots::Voted::NotEligible => Err(BallotError::Forbidden),
        ballots::Voted::AlreadyVoted => Err(BallotError::Conflict("voted")),
        ballots::Voted::Closed => Err(BallotError::Conflict("closed")),
        ballots::Voted::NotYet => Err(BallotError::Conflict("not-yet")),
        ballots::Voted::UnknownReceipt => Err(BallotError::Invalid("receipt")),
    }
}
