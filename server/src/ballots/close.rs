//! Closing: by an editor or at the closing time (a sweeper), in one transaction that counts the
//! papers with the pure rules and writes the result and, for secret ballots, the published list
//! in random order.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::ballots::{Choice, count};
use kompromiss_shared::perm::Level;
use rand::seq::SliceRandom;

use super::vote::SealedPaper;
use super::{BallotError, ballot_for};
use crate::auth::Principal;
use crate::db::ballots::{self, Ballot, Closing, Papers};
use crate::db::{audit, now_millis};
use crate::state::AppState;

/// How often the sweeper looks for ballots whose time has come.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Counts a ballot's papers: the result, and the list to publish.
fn tally(state: &AppState, ballot: &Ballot, papers: Papers) -> Result<Closing, BallotError> {
    let spec = super::spec_of(ballot)?;
    let (choices, mut list): (Vec<Choice>, Vec<(String, String)>) = match papers {
        Papers::Open(rows) => {
            let choices = rows.iter().filter_map(|(_, c)| serde_json::from_str(c).ok()).collect();
            (choices, Vec::new())
        }
        Papers::Sealed(rows) => {
            let mut choices = Vec::with_capacity(rows.len());
            let mut list = Vec::with_capacity(rows.len());
            for sealed in rows {
                let plain = state.ballot_key.open(&ballot.id, &sealed).ok_or(BallotError::Key)?;
                let paper: SealedPaper = serde_json::from_slice(&plain).map_err(|_| BallotError::Key)?;
                list.push((paper.receipt, serde_json::to_string(&paper.choice).unwrap_or_default()));
                choices.push(paper.choice);
            }
            (choices, list)
        }
    };
    let eligible = u32::try_from(ballot.eligible).unwrap_or(u32::MAX);
    let outcome = count(&spec, eligible, &choices).map_err(|_| BallotError::Conflict("count"))?;
    // Stored in an order that follows nothing: neither the voting nor the receipts.
    list.shuffle(&mut rand::rng());
    Ok(Closing { result: serde_json::to_string(&outcome).unwrap_or_default(), list })
}

pub(super) async fn close_now(
    state: &AppState,
    ballot: &Ballot,
    by: Option<&crate::db::users::User>,
) -> Result<bool, BallotError> {
    let closed = ballots::close(&state.db, &ballot.id, by.map(|u| u.id.as_str()), now_millis(), |papers| {
        tally(state, ballot, papers)
    })
    .await?;
    if closed {
        let entry = audit::Record { target: Some(&ballot.id), ..audit::Record::by(by, AuditAction::BallotClosed) };
        audit::record_or_log(&state.db, entry).await;
        tracing::info!(ballot = %ballot.id, "ballot closed");
        super::announce::announce(state, &ballot.concept);
    }
    Ok(closed)
}

/// An editor of the concept closes an open ballot.
pub async fn close(state: &AppState, principal: &Principal, id: &str) -> Result<(), BallotError> {
    let (ballot, _) = ballot_for(&state.db, principal, id, Level::Edit).await?;
    if !ballot.open {
        return Err(BallotError::Conflict("closed"));
    }
    if !close_now(state, &ballot, principal.user()).await? {
        return Err(BallotError::Conflict("closed"));
    }
    Ok(())
}

/// Closes every open ballot whose closing time has come; how many it closed.
pub async fn close_due(state: &AppState) -> Result<usize, BallotError> {
    let mut closed = 0;
    for id in ballots::due(&state.db, now_millis()).await? {
        if let Some(ballot) = ballots::get(&state.db, &id).await?
            && close_now(state, &ballot, None).await?
        {
            closed += 1;
        }
    }
    Ok(closed)
}

/// Closes ballots at their time until shutdown.
pub async fn sweep(state: AppState) {
    let mut every = tokio::time::interval(SWEEP_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = every.tick() => {
                if let Err(e) = close_due(&state).await {
                    tracing::error!(error = %e, "closing ballots at their time failed");
                }
            }
        }
    }
}
