//! Ballots in the page: a concept's list with the form to open one, the voting forms, and the
//! result with its tables.

mod list;
mod result;
mod vote;

pub use list::{BallotsSection, verdict_text};
pub use result::ResultView;
pub use vote::VoteForm;

use leptos::prelude::ServerFnError;

use crate::api::refusal_code;
use crate::components::notice::refusal_text;
use crate::i18n::{Key, Lang};

/// A clear sentence for a refused ballot action.
pub(crate) fn ballot_refusal(lang: Lang, error: &ServerFnError) -> &'static str {
    let key = match refusal_code(error).as_deref() {
        Some("invalid:voted") => Key::BallotAlreadyVoted,
        Some("invalid:closed") => Key::BallotIsClosed,
        Some("invalid:receipt") => Key::BallotBadReceipt,
        Some("invalid:eligibility") => Key::BallotNobodyEligible,
        Some("invalid:drafts") => Key::BallotBadDrafts,
        Some("invalid:parts") => Key::BallotNoParts,
        Some("invalid:closes_at" | "invalid:opens_at") => Key::BallotBadClose,
        Some("invalid:not-yet") => Key::BallotNotYet,
        Some("invalid:rate") => Key::BallotTooFast,
        Some("invalid:nothing-adopted") => Key::NothingAdopted,
        _ => return refusal_text(lang, error),
    };
    lang.t(key)
}
