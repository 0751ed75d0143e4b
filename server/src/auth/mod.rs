//! Who is asking, and what they may do: sessions, the development sign-in, and document access.

pub mod dev_login;
pub mod session;

use kompromiss_shared::ids::DocumentId;

use crate::db::users::User;
use crate::sync::DocAccess;

/// The identity behind a request or a sync connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// No session.
    Anonymous,
    /// A signed-in person.
    User(User),
}

impl Principal {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&User> {
        match self {
            Principal::User(u) => Some(u),
            Principal::Anonymous => None,
        }
    }
}

/// What a principal may do with a document. Checked on every page, API call and sync message.
///
/// Until roles and grants exist (OpenID Connect sign-in), everybody who reaches the server may edit:
/// the embedded default is a single-team development setup.
pub fn doc_access(_principal: &Principal, _doc: DocumentId) -> DocAccess {
    DocAccess::Edit
}
