//! The audit log for admins.

use kompromiss_client::api::audit::AuditPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::audit::{AuditPage, AuditQuery};

use super::access::require_admin;
use super::{PageServer, internal};
use crate::db::audit;

impl AuditPages for PageServer {
    fn audit<'a>(&'a self, req: &'a Req, query: AuditQuery) -> Answer<'a, AuditPage> {
        Box::pin(async move {
            let p = require_admin(req)?;
            let entries = audit::list(&self.state.db, &query).await.map_err(internal)?;
            Ok(AuditPage { me: self.me_of(&p), entries })
        })
    }
}
