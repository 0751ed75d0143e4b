//! The yearly evaluation on its page: reading it, writing its texts, freezing it as presented.

use kompromiss_shared::dto::evaluations::{EvaluationEdit, EvaluationView, Freeze};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers and does about evaluations.
#[cfg(feature = "ssr")]
pub trait EvaluationPages {
    /// A year's evaluation of a concept.
    fn evaluation<'a>(&'a self, req: &'a Req, concept: String, year: u16) -> Answer<'a, EvaluationView>;
    /// Stores the summary or a platform's commentary (editors); the new revision.
    fn edit_evaluation<'a>(&'a self, req: &'a Req, concept: String, year: u16, edit: EvaluationEdit)
    -> Answer<'a, i64>;
    /// Freezes it as presented (editors).
    fn freeze_evaluation<'a>(&'a self, req: &'a Req, concept: String, year: u16, freeze: Freeze) -> Answer<'a, ()>;
}

/// A year's evaluation of a concept.
#[server(prefix = "/api/fn", endpoint = "get_evaluation")]
pub async fn get_evaluation(concept: String, year: u16) -> Result<EvaluationView, ServerFnError> {
    ask!(|p, r| p.evaluation(r, concept, year))
}

/// Stores the summary or a platform's commentary; the new revision.
#[server(prefix = "/api/fn", endpoint = "edit_evaluation", input = leptos::server_fn::codec::Json)]
pub async fn edit_evaluation(concept: String, year: u16, edit: EvaluationEdit) -> Result<i64, ServerFnError> {
    ask!(|p, r| p.edit_evaluation(r, concept, year, edit))
}

/// Freezes the evaluation as presented.
#[server(prefix = "/api/fn", endpoint = "freeze_evaluation", input = leptos::server_fn::codec::Json)]
pub async fn freeze_evaluation(concept: String, year: u16, freeze: Freeze) -> Result<(), ServerFnError> {
    ask!(|p, r| p.freeze_evaluation(r, concept, year, freeze))
}
