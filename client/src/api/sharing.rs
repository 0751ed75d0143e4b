//! A document's grants: listing and changing who may do what with it beyond their role.

use kompromiss_shared::dto::sharing::DocSharing;
#[cfg(feature = "ssr")]
use kompromiss_shared::perm::{Level, Subject};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask, invalid, optional};

/// What the server answers and does about a document's grants (administer level).
#[cfg(feature = "ssr")]
pub trait SharingPages {
    fn sharing<'a>(&'a self, req: &'a Req, doc: String) -> Answer<'a, DocSharing>;
    /// Sets a document grant, or removes it (`level: None`).
    fn set_grant<'a>(&'a self, req: &'a Req, doc: String, subject: Subject, level: Option<Level>) -> Answer<'a, ()>;
    /// Names a person as moderator of the document's discussion (`named`), or removes them.
    fn set_moderator<'a>(&'a self, req: &'a Req, doc: String, user: String, named: bool) -> Answer<'a, ()>;
}

/// A document's grants.
#[server(prefix = "/api/fn", endpoint = "get_sharing")]
pub async fn get_sharing(doc: String) -> Result<DocSharing, ServerFnError> {
    ask!(|p, r| p.sharing(r, doc))
}

/// Sets a document grant. `kind` is `public`, `role`, `group` or `user`; `name` the role, group
/// or user id; `level` is `read`, `participate`, `edit`, `administer`, or empty to remove it.
#[server(prefix = "/api/fn", endpoint = "set_grant")]
pub async fn set_grant(doc: String, kind: String, name: String, level: String) -> Result<(), ServerFnError> {
    let subject = Subject::from_parts(&kind, &name).ok_or_else(|| invalid("subject"))?;
    let level = optional(&level, Level::parse, "level")?;
    ask!(|p, r| p.set_grant(r, doc, subject, level))
}

/// Names a person (`user`: their id) as moderator of a document's discussion, or removes them
/// (`named` false). At most 50 per document.
#[server(prefix = "/api/fn", endpoint = "set_moderator")]
pub async fn set_moderator(doc: String, user: String, named: bool) -> Result<(), ServerFnError> {
    ask!(|p, r| p.set_moderator(r, doc, user, named))
}
