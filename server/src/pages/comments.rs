//! The document page's discussion: reading it and writing threads and replies, through the same
//! rules and notifications as the JSON API.

use kompromiss_client::api::comments::CommentPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::comments::{CommentBody, ModerationText, ReportReason, Stance};
use kompromiss_shared::dto::comments::{Discussion, NewReply, NewReport, NewThread, Person, ThreadTarget};
use kompromiss_shared::dto::refusal::Refusal;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;

use super::access::principal;
use super::{PageServer, internal};
use crate::auth::Principal;
use crate::comments::{self, CommentError, Commenter};
use crate::db::documents;

impl From<CommentError> for Refusal {
    fn from(e: CommentError) -> Self {
        match e {
            CommentError::NotFound => Refusal::NotFound,
            CommentError::Forbidden => Refusal::Forbidden,
            CommentError::Invalid(field) => Refusal::Invalid(field.into()),
            CommentError::Limit(what) => Refusal::Invalid(what.into()),
            CommentError::TooFast => Refusal::Invalid("rate".into()),
            CommentError::Locked => Refusal::Invalid("locked".into()),
            other => internal(other),
        }
    }
}

impl PageServer {
    /// The document (which must exist) and the visitor's level on it, at least reading.
    pub(super) async fn readable(&self, p: &Principal, raw: &str) -> Result<(DocumentId, Level), Refusal> {
        let doc = DocumentId::parse_url_or_id(raw).map_err(|_| Refusal::NotFound)?;
        let level = self.level_at_least(p, doc, Level::Read).await?;
        if documents::get(&self.state.db, doc).await.map_err(internal)?.is_none() {
            return Err(Refusal::NotFound);
        }
        Ok((doc, level))
    }

    /// The discussion as this visitor may see it.
    pub(super) async fn discussion_for(
        &self,
        p: &Principal,
        doc: DocumentId,
        level: Level,
    ) -> Result<Discussion, Refusal> {
        Ok(comments::discussion_for(&self.state, p, doc, level).await?)
    }
}

fn body_of(raw: String) -> Result<CommentBody, Refusal> {
    CommentBody::try_from(raw).map_err(|_| Refusal::Invalid("body".into()))
}

impl CommentPages for PageServer {
    fn discussion<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, Discussion> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            self.discussion_for(&p, doc, level).await
        })
    }

    fn open_thread<'a>(
        &'a self,
        req: &'a Req,
        doc: String,
        target: ThreadTarget,
        body: String,
        stance: Option<Stance>,
    ) -> Answer<'a, String> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let user = p.user().ok_or(Refusal::SignIn)?;
            let who = Commenter { user, level };
            let new = NewThread { target, body: body_of(body)?, stance };
            let (thread, _) = comments::open_thread_and_tell(&self.state, doc, &who, new).await?;
            Ok(thread)
        })
    }

    fn reply<'a>(&'a self, req: &'a Req, doc: String, thread: String, body: String) -> Answer<'a, String> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let user = p.user().ok_or(Refusal::SignIn)?;
            let who = Commenter { user, level };
            let new = NewReply { body: body_of(body)?, stance: None };
            Ok(comments::reply_and_tell(&self.state, doc, &thread, &who, new).await?)
        })
    }

    fn resolve<'a>(&'a self, req: &'a Req, doc: String, thread: String, resolved: bool) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let who = Commenter { user: p.user().ok_or(Refusal::SignIn)?, level };
            Ok(comments::set_resolved_and_tell(&self.state, doc, &thread, &who, resolved).await?)
        })
    }

    fn mentionable<'a>(&'a self, req: &'a Req, doc: String, q: String) -> Answer<'a, Vec<Person>> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            p.user().ok_or(Refusal::SignIn)?;
            if !kompromiss_shared::comments::may_comment(level) {
                return Err(Refusal::Forbidden);
            }
            crate::notifications::mentionable(&self.state.db, &self.state.auth, doc, &q).await.map_err(internal)
        })
    }

    fn edit<'a>(&'a self, req: &'a Req, doc: String, thread: String, comment: String, body: String) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let who = Commenter { user: p.user().ok_or(Refusal::SignIn)?, level };
            Ok(comments::edit(&self.state, doc, &thread, &comment, &who, body_of(body)?).await?)
        })
    }

    fn lock<'a>(&'a self, req: &'a Req, doc: String, thread: String, locked: bool) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let who = Commenter { user: p.user().ok_or(Refusal::SignIn)?, level };
            Ok(crate::moderation::set_locked(&self.state, doc, &thread, &who, locked).await?)
        })
    }

    fn delete<'a>(&'a self, req: &'a Req, doc: String, thread: String, comment: String) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let who = Commenter { user: p.user().ok_or(Refusal::SignIn)?, level };
            Ok(comments::delete(&self.state, doc, &thread, &comment, &who).await?)
        })
    }

    fn report<'a>(
        &'a self,
        req: &'a Req,
        doc: String,
        thread: String,
        comment: String,
        reason: ReportReason,
        note: String,
    ) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let who = Commenter { user: p.user().ok_or(Refusal::SignIn)?, level };
            let note = ModerationText::try_from(note).map_err(|_| Refusal::Invalid("note".into()))?;
            crate::moderation::report(&self.state, doc, (&thread, &comment), &who, NewReport { reason, note }).await?;
            Ok(())
        })
    }
}
