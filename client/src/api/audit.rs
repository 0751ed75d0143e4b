//! The audit log for admins: newest first, filtered by action and actor name.

use kompromiss_shared::dto::audit::AuditPage;
#[cfg(feature = "ssr")]
use kompromiss_shared::{audit::AuditAction, dto::audit::AuditQuery};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask, optional};

/// What the server answers from the audit log (admins only).
#[cfg(feature = "ssr")]
pub trait AuditPages {
    fn audit<'a>(&'a self, req: &'a Req, query: AuditQuery) -> Answer<'a, AuditPage>;
}

/// The audit log, newest first, optionally filtered by action and actor name; `before` pages back.
#[server(prefix = "/api/fn", endpoint = "get_audit")]
pub async fn get_audit(
    action: Option<String>,
    actor: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, ServerFnError> {
    let action = optional(action.as_deref().unwrap_or_default(), AuditAction::parse, "action")?;
    let actor = actor.filter(|s| !s.trim().is_empty());
    let query = AuditQuery { action, actor, before, limit: None };
    ask!(|p, r| p.audit(r, query))
}
