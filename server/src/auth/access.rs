//! Document access: the level a principal has on a document, from their role and the document's grants.

use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{self, Level};

use super::Principal;
use crate::db::{Db, DbError, grants};
use crate::sync::DocAccess;

/// The principal's level on a document.
pub async fn doc_level(db: &Db, principal: &Principal, doc: DocumentId) -> Result<Level, DbError> {
    let grants: Vec<perm::Grant> = grants::for_doc(db, doc).await?.into_iter().map(|g| g.grant).collect();
    Ok(perm::level(&principal.who(), &grants))
}

/// What a level means for the sync protocol.
pub fn sync_access(level: Level) -> DocAccess {
    match level {
        Level::None => DocAccess::None,
        Level::Read | Level::Participate => DocAccess::Read,
        Level::Edit | Level::Administer => DocAccess::Edit,
    }
}
