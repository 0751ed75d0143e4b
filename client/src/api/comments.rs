//! A document's discussion on its page: reading it, and writing threads and replies.

use kompromiss_shared::dto::comments::Discussion;
#[cfg(feature = "ssr")]
use kompromiss_shared::dto::comments::ThreadTarget;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask, invalid, optional};

/// What the server answers and does about a document's comments.
#[cfg(feature = "ssr")]
pub trait CommentPages {
    /// The discussion as the visitor may see it.
    fn discussion<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, Discussion>;
    /// Opens a thread; its id.
    fn open_thread<'a>(
        &'a self,
        req: &'a Req,
        doc: String,
        target: ThreadTarget,
        body: String,
        stance: Option<kompromiss_shared::comments::Stance>,
    ) -> Answer<'a, String>;
    /// Replies in a thread; the reply's id.
    fn reply<'a>(&'a self, req: &'a Req, doc: String, thread: String, body: String) -> Answer<'a, String>;
    /// Resolves or reopens a thread.
    fn resolve<'a>(&'a self, req: &'a Req, doc: String, thread: String, resolved: bool) -> Answer<'a, ()>;
    /// People who may read the document whose name contains `q`, for `@`.
    fn mentionable<'a>(
        &'a self,
        req: &'a Req,
        doc: String,
        q: String,
    ) -> Answer<'a, Vec<kompromiss_shared::dto::comments::Person>>;
    /// Gives one's own comment new words.
    fn edit<'a>(&'a self, req: &'a Req, doc: String, thread: String, comment: String, body: String) -> Answer<'a, ()>;
    /// Locks or unlocks a thread (moderators).
    fn lock<'a>(&'a self, req: &'a Req, doc: String, thread: String, locked: bool) -> Answer<'a, ()>;
    /// Deletes one's own comment.
    fn delete<'a>(&'a self, req: &'a Req, doc: String, thread: String, comment: String) -> Answer<'a, ()>;
    /// Reports a comment to the moderation.
    fn report<'a>(
        &'a self,
        req: &'a Req,
        doc: String,
        thread: String,
        comment: String,
        reason: kompromiss_shared::comments::ReportReason,
        note: String,
    ) -> Answer<'a, ()>;
}

/// The discussion of a document (fetched again when the page hears that it changed).
#[server(prefix = "/api/fn", endpoint = "get_discussion")]
pub async fn get_discussion(doc: String) -> Result<Discussion, ServerFnError> {
    ask!(|p, r| p.discussion(r, doc))
}

/// Opens a thread on a platform entry; `stance` is `for`, `against`, `neutral` or empty.
#[server(prefix = "/api/fn", endpoint = "comment_platform")]
pub async fn comment_platform(
    doc: String,
    platform: String,
    body: String,
    stance: String,
) -> Result<String, ServerFnError> {
    let stance = optional(&stance, kompromiss_shared::comments::Stance::parse, "stance")?;
    let target = ThreadTarget::Platform { platform_id: platform };
    ask!(|p, r| p.open_thread(r, doc, target, body, stance))
}

/// Opens a thread on a passage; `anchor` is the JSON of `shared::anchor::Anchor`.
#[server(prefix = "/api/fn", endpoint = "comment_passage")]
pub async fn comment_passage(doc: String, anchor: String, body: String) -> Result<String, ServerFnError> {
    if anchor.len() > 16 * 1024 {
        return Err(invalid("anchor"));
    }
    let anchor = serde_json::from_str(&anchor).map_err(|_| invalid("anchor"))?;
    ask!(|p, r| p.open_thread(r, doc, ThreadTarget::Passage { anchor }, body, None))
}

/// Replies in a thread.
#[server(prefix = "/api/fn", endpoint = "reply_comment")]
pub async fn reply_comment(doc: String, thread: String, body: String) -> Result<String, ServerFnError> {
    ask!(|p, r| p.reply(r, doc, thread, body))
}

/// Resolves (`resolved = true`) or reopens a thread.
#[server(prefix = "/api/fn", endpoint = "resolve_thread")]
pub async fn resolve_thread(doc: String, thread: String, resolved: bool) -> Result<(), ServerFnError> {
    ask!(|p, r| p.resolve(r, doc, thread, resolved))
}

/// Deletes one's own comment.
#[server(prefix = "/api/fn", endpoint = "delete_comment")]
pub async fn delete_comment(doc: String, thread: String, comment: String) -> Result<(), ServerFnError> {
    ask!(|p, r| p.delete(r, doc, thread, comment))
}

/// Reports a comment; `reason` is `insult`, `hate`, `threat`, `disinformation`, `spam` or `other`.
#[server(prefix = "/api/fn", endpoint = "report_comment")]
pub async fn report_comment(
    doc: String,
    thread: String,
    comment: String,
    reason: String,
    note: String,
) -> Result<(), ServerFnError> {
    let reason = kompromiss_shared::comments::ReportReason::parse(&reason).ok_or_else(|| invalid("reason"))?;
    ask!(|p, r| p.report(r, doc, thread, comment, reason, note))
}

/// Gives one's own comment new words (the old ones are kept for moderators).
#[server(prefix = "/api/fn", endpoint = "edit_comment")]
pub async fn edit_comment(doc: String, thread: String, comment: String, body: String) -> Result<(), ServerFnError> {
    ask!(|p, r| p.edit(r, doc, thread, comment, body))
}

/// Locks (`locked = true`) or unlocks a thread; for moderators.
#[server(prefix = "/api/fn", endpoint = "lock_thread")]
pub async fn lock_thread(doc: String, thread: String, locked: bool) -> Result<(), ServerFnError> {
    ask!(|p, r| p.lock(r, doc, thread, locked))
}

/// Whom `@` can name: people who may read the document whose name contains `q` (at most 20).
#[server(prefix = "/api/fn", endpoint = "mentionable")]
pub async fn mentionable(
    doc: String,
    q: String,
) -> Result<Vec<kompromiss_shared::dto::comments::Person>, ServerFnError> {
    if q.chars().count() > 100 {
        return Err(invalid("q"));
    }
    ask!(|p, r| p.mentionable(r, doc, q))
}
