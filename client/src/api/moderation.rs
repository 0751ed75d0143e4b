//! A document's moderation queue and the moderators' steps, on the moderation page.

use kompromiss_shared::dto::comments::ModerationQueue;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask, invalid};

/// What the server answers and does for a document's moderators (its editors and admins).
#[cfg(feature = "ssr")]
pub trait ModerationPages {
    /// The open reports.
    fn queue<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, ModerationQueue>;
    /// Hides a comment with a reason everyone sees (`Some`), or keeps it visible (`None`); either
    /// way its reports are handled.
    fn decide<'a>(
        &'a self,
        req: &'a Req,
        doc: String,
        thread: String,
        comment: String,
        hide: Option<kompromiss_shared::comments::ModerationText>,
    ) -> Answer<'a, ()>;
}

/// The open reports of a document.
#[server(prefix = "/api/fn", endpoint = "get_moderation")]
pub async fn get_moderation(doc: String) -> Result<ModerationQueue, ServerFnError> {
    ask!(|p, r| p.queue(r, doc))
}

/// Hides a comment with `reason` (shown to everyone in its place), or keeps it when `reason` is
/// empty; either way its reports are handled.
#[server(prefix = "/api/fn", endpoint = "moderate_comment")]
pub async fn moderate_comment(
    doc: String,
    thread: String,
    comment: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let hide = if reason.trim().is_empty() {
        None
    } else {
        Some(kompromiss_shared::comments::ModerationText::try_from(reason).map_err(|_| invalid("reason"))?)
    };
    ask!(|p, r| p.decide(r, doc, thread, comment, hide))
}
