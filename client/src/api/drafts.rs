//! Drafts on their pages: one draft with its changes, starting one, catching it up, withdrawing
//! and reopening it, and an editor's preview and merge.

use kompromiss_shared::dto::drafts::{CaughtUp, DraftDetail, MergeInfo, MergePreview};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers and does about drafts.
#[cfg(feature = "ssr")]
pub trait DraftPages {
    /// One draft with its changes, if the visitor may read it.
    fn draft<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, DraftDetail>;
    /// Starts a draft of a concept; its id.
    /// `scope`: the ids of the sections and platform entries it means to change, comma-separated.
    fn create_draft<'a>(
        &'a self,
        req: &'a Req,
        concept: String,
        title: String,
        reason: String,
        scope: String,
    ) -> Answer<'a, String>;
    /// Brings the concept's news into a draft.
    fn catch_up<'a>(&'a self, req: &'a Req, id: String) -> Answer<'a, CaughtUp>;
    /// Invites a co-author (authors only).
    fn invite_author<'a>(&'a self, req: &'a Req, id: String, user: String) -> Answer<'a, ()>;
    /// Withdraws (`open` false) or reopens a draft.
    fn set_draft_open<'a>(&'a self, req: &'a Req, id: String, open: bool) -> Answer<'a, ()>;
    /// The concept as a merge would leave it.
    fn preview_merge<'a>(
        &'a self,
        req: &'a Req,
        id: String,
        version: String,
        parts: Vec<String>,
    ) -> Answer<'a, MergePreview>;
    /// Merges a draft (or the named parts of it) into its concept.
    fn merge_draft<'a>(
        &'a self,
        req: &'a Req,
        id: String,
        version: String,
        parts: Vec<String>,
    ) -> Answer<'a, MergeInfo>;
}

/// One draft with its changes.
#[server(prefix = "/api/fn", endpoint = "get_draft")]
pub async fn get_draft(id: String) -> Result<DraftDetail, ServerFnError> {
    ask!(|p, r| p.draft(r, id))
}

/// Starts a draft of the concept `concept`; the new draft's id.
#[server(prefix = "/api/fn", endpoint = "create_draft")]
pub async fn create_draft(
    concept: String,
    title: String,
    reason: String,
    scope: String,
) -> Result<String, ServerFnError> {
    ask!(|p, r| p.create_draft(r, concept, title, reason, scope))
}

/// Brings what changed in the concept into the draft.
#[server(prefix = "/api/fn", endpoint = "catch_up_draft")]
pub async fn catch_up_draft(id: String) -> Result<CaughtUp, ServerFnError> {
    ask!(|p, r| p.catch_up(r, id))
}

/// Invites `user` to write the draft.
#[server(prefix = "/api/fn", endpoint = "invite_author")]
pub async fn invite_author(id: String, user: String) -> Result<(), ServerFnError> {
    ask!(|p, r| p.invite_author(r, id, user))
}

/// Withdraws or reopens a draft.
#[server(prefix = "/api/fn", endpoint = "set_draft_open")]
pub async fn set_draft_open(id: String, open: bool) -> Result<(), ServerFnError> {
    ask!(|p, r| p.set_draft_open(r, id, open))
}

/// What the concept will look like after the merge.
#[server(prefix = "/api/fn", endpoint = "preview_merge", input = leptos::server_fn::codec::Json)]
pub async fn preview_merge(id: String, version: String, parts: Vec<String>) -> Result<MergePreview, ServerFnError> {
    ask!(|p, r| p.preview_merge(r, id, version, parts))
}

/// Merges the draft as it was at `version` (only `parts`, when named) into its concept.
#[server(prefix = "/api/fn", endpoint = "merge_draft", input = leptos::server_fn::codec::Json)]
pub async fn merge_draft(id: String, version: String, parts: Vec<String>) -> Result<MergeInfo, ServerFnError> {
    ask!(|p, r| p.merge_draft(r, id, version, parts))
}
