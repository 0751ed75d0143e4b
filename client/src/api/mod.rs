//! Server functions: how pages get their data and act, during server rendering and from the browser.
//!
//! Each one asks the server's `Backend`, which authorizes the request itself; a refusal becomes an
//! error `refused:<code>` with the matching HTTP status.

use kompromiss_shared::dto::{
    Account, AdminData, AuditPage, CreatedToken, DocPage, DocSharing, DocSummary, Me, TemplateSummary,
};
#[cfg(feature = "ssr")]
use kompromiss_shared::{
    dto::AuditQuery,
    perm::{Level, Role, Subject},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod backend;

/// The overview page's data in one round trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub me: Me,
    pub documents: Vec<DocSummary>,
    pub templates: Vec<TemplateSummary>,
}

/// A document page's data: the visitor, and the document if it exists and is readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentData {
    pub me: Me,
    pub page: Option<DocPage>,
}

/// The refusal code inside a server-function error (`sign-in`, `forbidden`, `not-found`, `invalid:<field>`).
pub fn refusal_code(error: &ServerFnError) -> Option<String> {
    let text = error.to_string();
    text.find("refused:").map(|i| text[i + "refused:".len()..].trim().to_owned())
}

/// Runs a backend call inside a server function.
#[cfg(feature = "ssr")]
macro_rules! ask {
    (|$backend:ident, $headers:ident| $call:expr) => {{
        let (handle, parts) = backend::parts()?;
        let $backend = &handle.0;
        let $headers = &parts;
        $call.await.map_err(backend::refused)
    }};
}

/// Who is visiting: name, role, and which sign-ins are offered.
#[server(prefix = "/api/fn")]
pub async fn get_me() -> Result<Me, ServerFnError> {
    ask!(|b, h| b.me(h))
}

/// The document list, templates and the visitor.
#[server(prefix = "/api/fn")]
pub async fn get_overview() -> Result<Overview, ServerFnError> {
    ask!(|b, h| b.overview(h))
}

/// One document's first render.
#[server(prefix = "/api/fn")]
pub async fn get_document(id: String) -> Result<DocumentData, ServerFnError> {
    ask!(|b, h| b.document(h, id))
}

/// The signed-in person's account: groups and API tokens.
#[server(prefix = "/api/fn")]
pub async fn get_account() -> Result<Account, ServerFnError> {
    ask!(|b, h| b.account(h))
}

/// Creates a personal API token; its secret is in the answer and nowhere else.
#[server(prefix = "/api/fn")]
pub async fn create_token(name: String) -> Result<CreatedToken, ServerFnError> {
    ask!(|b, h| b.create_token(h, name))
}

/// Revokes one of my API tokens.
#[server(prefix = "/api/fn")]
pub async fn revoke_token(id: String) -> Result<(), ServerFnError> {
    ask!(|b, h| b.revoke_token(h, id))
}

/// The admin overview: people, their roles and why, role mappings, documents.
#[server(prefix = "/api/fn")]
pub async fn get_admin() -> Result<AdminData, ServerFnError> {
    ask!(|b, h| b.admin(h))
}

/// Maps a claim group to a role (`role` is `member`, `editor`, `admin`, or empty to remove the mapping).
#[server(prefix = "/api/fn")]
pub async fn set_role_mapping(group: String, role: String) -> Result<(), ServerFnError> {
    let role = optional(&role, Role::parse, "role")?;
    ask!(|b, h| b.set_role_mapping(h, group, role))
}

/// Grants (`change` = `grant`) or revokes (`revoke`) a role held directly by a person.
#[server(prefix = "/api/fn")]
pub async fn set_user_role(user_id: String, role: String, change: String) -> Result<(), ServerFnError> {
    let role = Role::parse(&role).ok_or_else(|| invalid("role"))?;
    let grant = match change.as_str() {
        "grant" => true,
        "revoke" => false,
        _ => return Err(invalid("change")),
    };
    ask!(|b, h| b.set_user_role(h, user_id, role, grant))
}

/// A document's grants.
#[server(prefix = "/api/fn")]
pub async fn get_sharing(doc: String) -> Result<DocSharing, ServerFnError> {
    ask!(|b, h| b.sharing(h, doc))
}

/// Sets a document grant. `kind` is `public`, `role`, `group` or `user`; `name` the role, group
/// or user id; `level` is `read`, `participate`, `edit`, `administer`, or empty to remove it.
#[server(prefix = "/api/fn")]
pub async fn set_grant(doc: String, kind: String, name: String, level: String) -> Result<(), ServerFnError> {
    let subject = Subject::from_parts(&kind, &name).ok_or_else(|| invalid("subject"))?;
    let level = optional(&level, Level::parse, "level")?;
    ask!(|b, h| b.set_grant(h, doc, subject, level))
}

/// The audit log, newest first, optionally filtered by action and actor name; `before` pages back.
#[server(prefix = "/api/fn")]
pub async fn get_audit(
    action: Option<String>,
    actor: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, ServerFnError> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let query = AuditQuery { action: nonempty(action), actor: nonempty(actor), before, limit: None };
    ask!(|b, h| b.audit(h, query))
}

#[cfg(feature = "ssr")]
/// A server-function error for an invalid field, in the same shape as the backend's refusals.
fn invalid(field: &str) -> ServerFnError {
    ServerFnError::new(format!("refused:invalid:{field}"))
}

#[cfg(feature = "ssr")]
/// An optional value from a form field: empty means none.
fn optional<T>(raw: &str, parse: impl Fn(&str) -> Option<T>, field: &str) -> Result<Option<T>, ServerFnError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    parse(raw).map(Some).ok_or_else(|| invalid(field))
}
