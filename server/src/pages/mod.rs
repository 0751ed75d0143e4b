//! Page data and actions for the server-rendered UI: implements the client's page traits (one file
//! per resource), authorizing every call itself.

mod access;
mod account;
mod admin;
mod audit;
mod ballots;
mod comments;
mod documents;
mod drafts;
mod evaluations;
mod history;
mod me;
mod metrics;
mod moderation;
mod notifications;
mod sharing;

use std::sync::Arc;

use kompromiss_client::api::PagesHandle;
use kompromiss_shared::dto::me::Me;
use kompromiss_shared::dto::refusal::Refusal;

use kompromiss_shared::audit::AuditAction;

use crate::auth::Principal;
use crate::db::audit::Record;
use crate::state::AppState;

/// Serves every page trait from the shared state.
struct PageServer {
    state: AppState,
}

/// The pages handle put into every page's context.
pub fn handle(state: AppState) -> PagesHandle {
    PagesHandle(Arc::new(PageServer { state }))
}

impl PageServer {
    /// What every page says about the visitor.
    fn me_of(&self, principal: &Principal) -> Me {
        Me {
            display_name: principal.user().map(|u| u.display_name.clone()),
            dev_login: self.state.config.dev_login,
            oidc: self.state.oidc.is_some(),
            role: principal.role(),
            user_id: principal.user().map(|u| u.id.clone()),
        }
    }
}

/// Logs an internal failure once and refuses without details.
fn internal(e: impl std::fmt::Display) -> Refusal {
    tracing::error!(error = %e, "page data failed");
    Refusal::Internal
}

/// An audit entry for something the principal did.
fn record<'a>(p: &'a Principal, action: AuditAction, target: Option<&'a str>, detail: Option<&'a str>) -> Record<'a> {
    Record { target, detail, ..Record::by(p.user(), action) }
}
