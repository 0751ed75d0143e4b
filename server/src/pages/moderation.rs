//! The moderation page: a document's open reports, and hiding or keeping the reported comments.

use kompromiss_client::api::moderation::ModerationPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::comments::ModerationText;
use kompromiss_shared::dto::comments::{HideComment, ModerationQueue};
use kompromiss_shared::dto::refusal::Refusal;

use super::PageServer;
use super::access::principal;
use crate::comments::Commenter;
use crate::moderation;

impl ModerationPages for PageServer {
    fn queue<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, ModerationQueue> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let who = Commenter { user: p.user().ok_or(Refusal::SignIn)?, level };
            Ok(moderation::queue(&self.state.db, doc, &who).await?)
        })
    }

    fn decide<'a>(
        &'a self,
        req: &'a Req,
        doc: String,
        thread: String,
        comment: String,
        hide: Option<ModerationText>,
    ) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = principal(req);
            let (doc, level) = self.readable(&p, &doc).await?;
            let who = Commenter { user: p.user().ok_or(Refusal::SignIn)?, level };
            let hide = hide.map(|reason| HideComment { reason });
            Ok(moderation::set_hidden_and_tell(&self.state, doc, (&thread, &comment), &who, hide).await?)
        })
    }
}
