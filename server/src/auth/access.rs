//! Document access: the level a principal has on a document, from their role and the document's grants.

use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{self, Level};

use super::Principal;
use crate::db::{Db, DbError, drafts, grants};

/// The principal's level on a document (a concept, or a draft: see `perm::draft_level`).
pub async fn doc_level(db: &Db, principal: &Principal, doc: DocumentId) -> Result<Level, DbError> {
    let Some(draft) = drafts::get(db, doc).await? else {
        return own_level(db, principal, doc).await;
    };
    let concept = own_level(db, principal, draft.concept).await?;
    let author = match principal.user() {
        Some(user) if concept >= Level::Participate => drafts::is_author(db, doc, &user.id).await?,
        _ => false,
    };
    Ok(perm::draft_level(concept, author, draft.status == drafts::Status::Open))
}

/// The level from a document's own grants and the principal's role.
async fn own_level(db: &Db, principal: &Principal, doc: DocumentId) -> Result<Level, DbError> {
    let grants: Vec<perm::Grant> = grants::for_doc(db, doc).await?.into_iter().map(|g| g.grant).collect();
    Ok(perm::level(&principal.who(), &grants))
}

/// Why a principal may not do something with a document.
#[derive(Debug, thiserror::Error)]
pub enum Denied {
    /// Not signed in and the document is not public: sign in first.
    #[error("sign-in required")]
    SignIn,
    /// No read access: answered like a missing document (no existence oracle).
    #[error("not found")]
    Hidden,
    /// Readable, but the level is too low for the action.
    #[error("forbidden")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The principal's level on a document if it is at least `needed`.
pub async fn require(db: &Db, principal: &Principal, doc: DocumentId, needed: Level) -> Result<Level, Denied> {
    match doc_level(db, principal, doc).await? {
        Level::None if principal.user().is_none() => Err(Denied::SignIn),
        Level::None => Err(Denied::Hidden),
        level if level < needed => Err(Denied::Forbidden),
        level => Ok(level),
    }
}
