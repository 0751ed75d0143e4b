//! Drafts on their pages: the same rules as the JSON API (crate::drafts), answered as refusals.

use kompromiss_client::api::drafts::DraftPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::drafts::{CaughtUp, DraftDetail, MergeInfo, MergePreview, MergeRequest, NewDraft};
use kompromiss_shared::dto::refusal::Refusal;

use super::access::{parse_doc, principal};
use super::{PageServer, internal};
use crate::drafts::{self, DraftError};

impl From<DraftError> for Refusal {
    fn from(e: DraftError) -> Self {
        match e {
            DraftError::NotFound => Refusal::NotFound,
            DraftError::SignIn => Refusal::SignIn,
            DraftError::Forbidden => Refusal::Forbidden,
            DraftError::Invalid(field) | DraftError::Conflict(field) => Refusal::Invalid(field.into()),
            DraftError::TooFast => Refusal::Invalid("rate".into()),
            DraftError::Write(crate::sync::actor::WriteError::Refused(_)) => Refusal::Invalid("limit".into()),
            other => internal(other),
        }
    }
}

impl DraftPages for PageServer {
    fn draft<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, DraftDetail> {
        Box::pin(async move { Ok(drafts::detail(&self.state, &principal(req), parse_doc(&id)?).await?) })
    }

    fn create_draft<'a>(
        &'a self,
        req: &'a Req,
        concept: String,
        title: String,
        reason: String,
        scope: String,
    ) -> Answer<'a, String> {
        Box::pin(async move {
            // Ids never hold commas; the domain checks each names a part of the concept.
            let scope = scope.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
            let new = NewDraft { title, reason, scope };
            let id = drafts::create(&self.state, &principal(req), parse_doc(&concept)?, new).await?;
            Ok(id.to_string())
        })
    }

    fn catch_up<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, CaughtUp> {
        Box::pin(async move { Ok(drafts::catch_up(&self.state, &principal(req), parse_doc(&id)?).await?) })
    }

    fn invite_author<'a>(&'a self, req: &'a Req, id: String, user: String) -> Answer<'a, ()> {
        Box::pin(async move { Ok(drafts::invite(&self.state, &principal(req), parse_doc(&id)?, &user).await?) })
    }

    fn set_draft_open<'a>(&'a self, req: &'a Req, id: String, open: bool) -> Answer<'a, ()> {
        Box::pin(async move { Ok(drafts::set_open(&self.state, &principal(req), parse_doc(&id)?, open).await?) })
    }

    fn preview_merge<'a>(
        &'a self,
        req: &'a Req,
        id: String,
        version: String,
        parts: Vec<String>,
    ) -> Answer<'a, MergePreview> {
        Box::pin(async move {
            let request = MergeRequest { version, parts };
            Ok(drafts::preview(&self.state, &principal(req), parse_doc(&id)?, request).await?)
        })
    }

    fn merge_draft<'a>(
        &'a self,
        req: &'a Req,
        id: String,
        version: String,
        parts: Vec<String>,
    ) -> Answer<'a, MergeInfo> {
        Box::pin(async move {
            let request = MergeRequest { version, parts };
            Ok(drafts::merge(&self.state, &principal(req), parse_doc(&id)?, request).await?)
        })
    }
}
