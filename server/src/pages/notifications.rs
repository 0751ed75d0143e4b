//! The bell and the notifications page.

use kompromiss_client::api::notifications::NotificationPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::notifications::Notifications;
use kompromiss_shared::dto::refusal::Refusal;

use super::access::principal;
use super::{PageServer, internal};
use crate::db::{notifications as store, now_millis};
use crate::notifications;

impl NotificationPages for PageServer {
    fn notifications<'a>(&'a self, req: &'a Req) -> Answer<'a, Notifications> {
        Box::pin(async move { notifications::list(&self.state.db, &principal(req)).await.map_err(internal) })
    }

    fn mark_read<'a>(&'a self, req: &'a Req, ids: Vec<String>, all: bool) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = principal(req);
            let user = p.user().ok_or(Refusal::SignIn)?;
            store::mark_read(&self.state.db, &user.id, &ids, all, now_millis()).await.map_err(internal)
        })
    }
}
