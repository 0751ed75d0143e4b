//! What one sync connection may do with each document it touched, cached and recomputed when
//! authorization changes. Bounded: asking for documents one may not read costs a lookup each,
//! at a limited rate and up to a cap, and an authorization change re-checks readable ones only.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use kompromiss_shared::ids::DocumentId;

use super::DocAccess;
use super::rate::RateLimit;
use crate::auth::{Principal, access};
use crate::db::{Db, DbError};

/// Distinct unavailable documents one connection may ask for before it is closed. A client asks
/// again for documents it knew (deleted, or access withdrawn); thousands are a scan.
pub const MAX_UNAVAILABLE: usize = 1024;
/// Lookups of documents not yet in the cache, per second and connection (bursts twice that).
pub const LOOKUPS_PER_SEC: u32 = 200;

/// Why the cache gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("too many unavailable documents asked for")]
    TooManyUnavailable,
    #[error("documents looked up too fast")]
    TooFast,
}

/// What one connection may do with each document it touched.
#[derive(Debug)]
pub struct AccessCache {
    /// Documents it may read or write (at most the documents it opens, plus a few).
    readable: HashMap<DocumentId, DocAccess>,
    /// Documents that are missing or not readable for it: answered from here, never re-checked
    /// one by one; forgotten when authorization changes.
    unavailable: HashSet<DocumentId>,
    lookups: RateLimit,
}

impl Default for AccessCache {
    fn default() -> Self {
        Self { readable: HashMap::new(), unavailable: HashSet::new(), lookups: RateLimit::new(LOOKUPS_PER_SEC) }
    }
}

impl AccessCache {
    /// The access to a document, asking the database the first time.
    pub async fn get(&mut self, db: &Db, principal: &Principal, doc: DocumentId) -> Result<DocAccess, AccessError> {
        if let Some(access) = self.readable.get(&doc) {
            return Ok(*access);
        }
        if self.unavailable.contains(&doc) {
            return Ok(DocAccess::None);
        }
        if self.unavailable.len() >= MAX_UNAVAILABLE {
            return Err(AccessError::TooManyUnavailable);
        }
        if !self.lookups.take(Instant::now()) {
            return Err(AccessError::TooFast);
        }
        let access = DocAccess::from_level(access::doc_level(db, principal, doc).await?);
        if access == DocAccess::None {
            self.unavailable.insert(doc);
        } else {
            self.readable.insert(doc, access);
        }
        Ok(access)
    }

    /// Recomputes the readable documents; returns the ones whose access changed, with the new
    /// access. Unavailable ones are forgotten (asked again on their next use), so the cost of an
    /// authorization change follows the documents in use, not the ones a peer probed.
    pub async fn refresh(&mut self, db: &Db, principal: &Principal) -> Result<Vec<(DocumentId, DocAccess)>, DbError> {
        self.unavailable.clear();
        let mut changed = Vec::new();
        for (doc, access) in &mut self.readable {
            let now = DocAccess::from_level(access::doc_level(db, principal, *doc).await?);
            if now != *access {
                *access = now;
                changed.push((*doc, now));
            }
        }
        self.readable.retain(|_, access| *access != DocAccess::None);
        Ok(changed)
    }

    /// Documents the next `refresh` re-checks.
    pub fn rechecked_on_refresh(&self) -> usize {
        self.readable.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite() -> Db {
        let dir = std::env::temp_dir().join(format!("kompromiss-access-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
        Db::connect(&url, crate::db::settings::SqliteDurability::Full).await.expect("database")
    }

    #[tokio::test]
    async fn probing_ids_is_capped_and_an_authorization_change_rechecks_only_readable_documents() {
        let db = sqlite().await;
        let anonymous = Principal::Anonymous;
        let mut cache = AccessCache { lookups: RateLimit::new(1_000_000), ..AccessCache::default() };
        for _ in 0..MAX_UNAVAILABLE {
            let doc = DocumentId::from_random(rand::random());
            assert_eq!(cache.get(&db, &anonymous, doc).await.expect("answer"), DocAccess::None);
        }
        let one_more = DocumentId::from_random(rand::random());
        assert!(matches!(cache.get(&db, &anonymous, one_more).await, Err(AccessError::TooManyUnavailable)));
        assert_eq!(cache.rechecked_on_refresh(), 0, "probed ids cost nothing on an authorization change");
        assert!(cache.refresh(&db, &anonymous).await.expect("refresh").is_empty());
        assert!(cache.get(&db, &anonymous, one_more).await.is_ok(), "forgotten after the change");
    }

    #[tokio::test]
    async fn lookups_faster_than_the_rate_are_refused() {
        let db = sqlite().await;
        let mut cache = AccessCache::default();
        let mut refused = 0;
        for _ in 0..(LOOKUPS_PER_SEC * 3) {
            if let Err(AccessError::TooFast) =
                cache.get(&db, &Principal::Anonymous, DocumentId::from_random(rand::random())).await
            {
                refused += 1;
            }
        }
        assert!(refused > 0, "a burst of three seconds' worth is cut");
    }
}
