//! The moderation page: a document's open reports, and hiding or keeping the reported comments.

use kompromiss_client::api::moderation::ModerationPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::comments::ModerationText;
use kompromiss_shared::dto::comments::{HideComment, ModerationQueue};
use kompromiss_shared::dto::refusal::Refusal;

use super::PageServer;
use super::access::principal;
use crate::comments::{self, Commenter};
use crate::{moderation, notifications};

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
            let hiding = hide.is_some();
            let hide = hide.map(|reason| HideComment { reason });
            let author = moderation::set_hidden(&self.state.db, doc, (&thread, &comment), &who, hide).await?;
            if hiding {
                let told = notifications::after_hide(&self.state.db, doc, (&thread, &comment), &author, who.user).await;
                notifications::log_failure(told);
            }
            comments::announce(&self.state.registry, doc).await;
            Ok(())
        })
    }
}
