//! The registry of open documents: hands out the one actor per document, starting it on demand.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kompromiss_shared::ids::DocumentId;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::actor::{self, DocHandle};
use crate::db::Db;

/// Cloneable access to the open documents.
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

struct Inner {
    /// Open documents with the generation of their actor, so a stale actor cannot remove a newer one.
    docs: Mutex<HashMap<DocumentId, (u64, DocHandle)>>,
    next_generation: std::sync::atomic::AtomicU64,
    db: Db,
    tracker: TaskTracker,
    cancel: CancellationToken,
    /// How long a document without peers stays in memory.
    idle: Duration,
    /// Size limit per document, in bytes.
    max_document_bytes: usize,
}

impl Registry {
    /// A registry whose actors run on `tracker` and stop on `cancel`.
    pub fn new(
        db: Db,
        tracker: TaskTracker,
        cancel: CancellationToken,
        idle: Duration,
        max_document_bytes: usize,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                docs: Mutex::new(HashMap::new()),
                next_generation: 0.into(),
                db,
                tracker,
                cancel,
                idle,
                max_document_bytes,
            }),
        }
    }

    /// The actor of a document, started (and loading from storage) if it is not open.
    pub fn open(&self, id: DocumentId) -> DocHandle {
        let mut docs = self.lock();
        if let Some((_, handle)) = docs.get(&id)
            && !handle.is_closed()
        {
            return handle.clone();
        }
        let generation = self.inner.next_generation.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let handle = actor::spawn(actor::ActorConfig {
            id,
            generation,
            db: self.inner.db.clone(),
            registry: self.clone(),
            tracker: self.inner.tracker.clone(),
            cancel: self.inner.cancel.clone(),
            idle: self.inner.idle,
            max_document_bytes: self.inner.max_document_bytes,
        });
        docs.insert(id, (generation, handle.clone()));
        handle
    }

    /// Removes an actor's entry if it is still the current one; called by the actor as it stops.
    pub(super) fn remove(&self, id: DocumentId, generation: u64) {
        let mut docs = self.lock();
        if docs.get(&id).is_some_and(|(g, _)| *g == generation) {
            docs.remove(&id);
        }
    }

    /// Number of documents in memory.
    pub fn open_count(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DocumentId, (u64, DocHandle)>> {
        // A panic while holding this lock leaves the map consistent (single inserts/removes).
        self.inner.docs.lock().unwrap_or_else(|e| e.into_inner())
    }
}
