//! What one sync connection may do with each document it touched, cached and recomputed when
//! authorization changes.

use std::collections::HashMap;

use kompromiss_shared::ids::DocumentId;

use super::DocAccess;
use crate::auth::{Principal, access};
use crate::db::{Db, DbError};

/// What one connection may do with each document it touched; recomputed when authorization changes.
#[derive(Debug, Default)]
pub struct AccessCache {
    docs: HashMap<DocumentId, DocAccess>,
}

impl AccessCache {
    /// The access to a document, asking the database the first time.
    pub async fn get(&mut self, db: &Db, principal: &Principal, doc: DocumentId) -> Result<DocAccess, DbError> {
        if let Some(access) = self.docs.get(&doc) {
            return Ok(*access);
        }
        let access = DocAccess::from_level(access::doc_level(db, principal, doc).await?);
        self.docs.insert(doc, access);
        Ok(access)
    }

    /// Recomputes every cached document; returns the ones whose access changed, with the new access.
    pub async fn refresh(&mut self, db: &Db, principal: &Principal) -> Result<Vec<(DocumentId, DocAccess)>, DbError> {
        let mut changed = Vec::new();
        for (doc, access) in &mut self.docs {
            let now = DocAccess::from_level(access::doc_level(db, principal, *doc).await?);
            if now != *access {
                *access = now;
                changed.push((*doc, now));
            }
        }
        Ok(changed)
    }
}
