//! Who is asking a page, and whether they may: the principal, sign-in, the admin role, a document level.

use kompromiss_shared::dto::refusal::Refusal;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;

use super::{PageServer, internal};
use crate::auth::{Principal, access};

/// The principal the authentication layer put into the request.
pub(super) fn principal(req: &http::request::Parts) -> Principal {
    req.extensions.get::<Principal>().cloned().unwrap_or_default()
}

/// The signed-in principal, or a refusal asking to sign in.
pub(super) fn signed_in(req: &http::request::Parts) -> Result<Principal, Refusal> {
    let p = principal(req);
    if p.user().is_none() {
        return Err(Refusal::SignIn);
    }
    Ok(p)
}

/// An admin, or the refusal for everybody else.
pub(super) fn require_admin(req: &http::request::Parts) -> Result<Principal, Refusal> {
    let p = signed_in(req)?;
    if !kompromiss_shared::perm::is_admin(p.role()) {
        return Err(Refusal::Forbidden);
    }
    Ok(p)
}

/// A document id from a page's argument; an unreadable id answers like a missing document.
pub(super) fn parse_doc(raw: &str) -> Result<DocumentId, Refusal> {
    DocumentId::parse_url_or_id(raw).map_err(|_| Refusal::NotFound)
}

/// A short free-text name (token names, groups): 1 to 100 characters, no control characters.
pub(super) fn short_name(raw: &str, field: &str) -> Result<String, Refusal> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Refusal::Invalid(field.into()));
    }
    Ok(name.to_owned())
}

impl PageServer {
    /// The principal's level on a document if it is at least `needed` (see `access::require`).
    pub(super) async fn level_at_least(
        &self,
        principal: &Principal,
        doc: DocumentId,
        needed: Level,
    ) -> Result<Level, Refusal> {
        access::require(&self.state.db, principal, doc, needed).await.map_err(|denied| match denied {
            access::Denied::SignIn => Refusal::SignIn,
            access::Denied::Hidden => Refusal::NotFound,
            access::Denied::Forbidden => Refusal::Forbidden,
            access::Denied::Db(e) => internal(e),
        })
    }
}
