//! The yearly evaluation on its pages: the same rules as the JSON API (crate::evaluations),
//! answered as refusals.

use kompromiss_client::api::evaluations::EvaluationPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::evaluations::{EvaluationEdit, EvaluationView, Freeze};
use kompromiss_shared::dto::refusal::Refusal;

use super::access::{parse_doc, principal};
use super::{PageServer, internal};
use crate::evaluations::{self, EvaluationError};

impl From<EvaluationError> for Refusal {
    fn from(e: EvaluationError) -> Self {
        match e {
            EvaluationError::NotFound => Refusal::NotFound,
            EvaluationError::SignIn => Refusal::SignIn,
            EvaluationError::Forbidden => Refusal::Forbidden,
            EvaluationError::Invalid(field) => Refusal::Invalid(field.into()),
            EvaluationError::Stale => Refusal::Invalid("stale".into()),
            EvaluationError::Frozen => Refusal::Invalid("frozen".into()),
            EvaluationError::TooFast => Refusal::Invalid("rate".into()),
            other => internal(other),
        }
    }
}

impl EvaluationPages for PageServer {
    fn evaluation<'a>(&'a self, req: &'a Req, concept: String, year: u16) -> Answer<'a, EvaluationView> {
        Box::pin(async move { Ok(evaluations::view(&self.state, &principal(req), parse_doc(&concept)?, year).await?) })
    }

    fn edit_evaluation<'a>(
        &'a self,
        req: &'a Req,
        concept: String,
        year: u16,
        edit: EvaluationEdit,
    ) -> Answer<'a, i64> {
        Box::pin(
            async move { Ok(evaluations::edit(&self.state, &principal(req), parse_doc(&concept)?, year, edit).await?) },
        )
    }

    fn freeze_evaluation<'a>(&'a self, req: &'a Req, concept: String, year: u16, freeze: Freeze) -> Answer<'a, ()> {
        Box::pin(async move {
            Ok(evaluations::freeze(&self.state, &principal(req), parse_doc(&concept)?, year, freeze).await?)
        })
    }
}
