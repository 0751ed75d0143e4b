//! The registry of open documents: hands out the one actor per document, starting it on demand.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use kompromiss_shared::ids::DocumentId;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::actor::{self, DocHandle};
use super::cluster::live::Live;
use super::doc_sync::DocLimits;
use crate::db::Db;
use crate::meters::Meters;

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
    /// Size limits per document.
    limits: DocLimits,
    /// What this server counts; actors and connections reach it through the registry.
    meters: Arc<Meters>,
    /// Live events for the other instances (set when there are others to tell: PostgreSQL).
    live: OnceLock<mpsc::Sender<Live>>,
}

impl Registry {
    /// A registry whose actors run on `tracker` and stop on `cancel`.
    pub fn new(db: Db, tracker: TaskTracker, cancel: CancellationToken, idle: Duration, limits: DocLimits) -> Self {
        Self::counted(db, tracker, cancel, idle, limits, Arc::default())
    }

    /// A registry whose actors and connections count into `meters`.
    pub fn counted(
        db: Db,
        tracker: TaskTracker,
        cancel: CancellationToken,
        idle: Duration,
        limits: DocLimits,
        meters: Arc<Meters>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                docs: Mutex::new(HashMap::new()),
                next_generation: 0.into(),
                db,
                tracker,
                cancel,
                idle,
                limits,
                meters,
                live: OnceLock::new(),
            }),
        }
    }

    /// What this server counts.
    pub fn meters(&self) -> &Arc<Meters> {
        &self.inner.meters
    }

    /// What each document may become.
    pub fn limits(&self) -> DocLimits {
        self.inner.limits
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
            limits: self.inner.limits,
        });
        docs.insert(id, (generation, handle.clone()));
        handle
    }

    /// The actor of a document if it is open (no document is opened for this).
    pub fn if_open(&self, id: DocumentId) -> Option<DocHandle> {
        self.lock().get(&id).map(|(_, handle)| handle.clone()).filter(|h| !h.is_closed())
    }

    /// Removes an actor's entry if it is still the current one; called by the actor as it stops.
    pub(super) fn remove(&self, id: DocumentId, generation: u64) {
        let mut docs = self.lock();
        if docs.get(&id).is_some_and(|(g, _)| *g == generation) {
            docs.remove(&id);
        }
    }

    /// The documents in memory.
    pub fn open_ids(&self) -> Vec<DocumentId> {
        self.lock().keys().copied().collect()
    }

    /// Storage holds chunks of `id` up to `seq` (another instance's write): its actor, if open,
    /// catches up. Costs nothing for a document that is not open.
    pub fn tell_stored(&self, id: DocumentId, seq: i64) {
        if let Some((_, handle)) = self.lock().get(&id) {
            handle.tell_stored(seq);
        }
    }

    /// Tells every page that has the document open, here and on the other instances, of an
    /// event (`shared::doc_events`).
    pub async fn announce(&self, id: DocumentId, data: Vec<u8>) {
        self.publish(Live::Event { doc: id, data: data.clone() });
        if let Some(handle) = self.if_open(id) {
            let _ = handle.announce(data).await;
        }
    }

    /// Hands a live event to the other instances, if there are any; never waits (a full queue
    /// drops it, counted).
    pub fn publish(&self, live: Live) {
        if let Some(tx) = self.inner.live.get()
            && tx.try_send(live).is_err()
        {
            self.inner.meters.cluster_dropped.inc("queue_full");
        }
    }

    /// Where live events for other instances go (once, by the cluster).
    pub(super) fn connect_live(&self, tx: mpsc::Sender<Live>) {
        let _ = self.inner.live.set(tx);
    }

    /// Passes another instance's live event to the document here, if it is open.
    pub(super) fn remote(&self, live: Live) {
        if let Some(handle) = self.if_open(live.doc())
            && !handle.try_remote(live)
        {
            self.inner.meters.cluster_dropped.inc("document_busy");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::actor::Outbox;
    use crate::sync::{ConnId, DocAccess};

    /// Polls `done` every 20 ms for up to `limit`.
    async fn eventually(limit: Duration, done: impl Fn() -> bool) -> bool {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if done() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        done()
    }

    #[tokio::test]
    async fn a_document_stays_open_while_a_peer_is_attached_and_is_evicted_once_idle() {
        let dir = std::env::temp_dir().join(format!("kompromiss-registry-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
        let db = Db::connect(&url, crate::db::settings::SqliteDurability::Full).await.expect("database");
        let idle = Duration::from_millis(200);
        let (tracker, cancel) = (TaskTracker::new(), CancellationToken::new());
        let registry = Registry::new(
            db.clone(),
            tracker.clone(),
            cancel.clone(),
            idle,
            DocLimits { bytes: 1 << 20, ops: 100_000 },
        );
        let id = DocumentId::from_random(rand::random());

        let handle = registry.open(id);
        let (refusals, _refused) = tokio::sync::mpsc::channel(8);
        let outbox = Outbox {
            out: crate::sync::outbound::Outbound::new(Box::new(tokio::io::sink())),
            server: kompromiss_shared::ids::PeerId::new("server").expect("peer id"),
            peer: kompromiss_shared::ids::PeerId::new("peer").expect("peer id"),
            refusals,
            kick: CancellationToken::new(),
        };
        handle.attach(ConnId(1), DocAccess::Edit, None, outbox).await.expect("attach");
        assert_eq!(registry.open_count(), 1);
        assert!(!handle.is_closed());
        registry.open(id);
        assert_eq!(registry.open_count(), 1, "one actor per document");

        tokio::time::sleep(idle * 5).await;
        assert_eq!(registry.open_count(), 1, "a document with a peer stays open however long it is quiet");
        assert!(!handle.is_closed());

        handle.detach(ConnId(1)).await;
        let evicted = eventually(Duration::from_secs(5), || registry.open_count() == 0 && handle.is_closed()).await;
        assert!(evicted, "idle without peers: evicted");

        let again = registry.open(id);
        assert!(!again.is_closed() && registry.open_count() == 1, "opened again with a new actor");
        cancel.cancel();
        tracker.close();
        tracker.wait().await;
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
