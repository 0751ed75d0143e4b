//! The actor with a real database: what a reload keeps, and whom it makes start over.

use std::time::Duration;

use automerge::sync;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ScalarValue};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{DocHandle, Outbox, Refusal};
use crate::db::{Db, chunks};
use crate::sync::doc_sync::DocLimits;
use crate::sync::registry::Registry;
use crate::sync::{ConnId, DocAccess};
use kompromiss_shared::ids::{DocumentId, PeerId};

/// A peer of the actor: its refusals can be read; what is sent to it goes nowhere.
async fn attach(handle: &DocHandle, conn: u64) -> mpsc::Receiver<Refusal> {
    let (refusals, refused) = mpsc::channel(8);
    let outbox = Outbox {
        out: crate::sync::outbound::Outbound::new(Box::new(tokio::io::sink())),
        server: PeerId::new("server").expect("peer id"),
        peer: PeerId::new(format!("peer-{conn}")).expect("peer id"),
        refusals,
        kick: CancellationToken::new(),
    };
    handle.attach(ConnId(conn), DocAccess::Edit, None, outbox).await.expect("attach");
    refused
}

/// A sync message (V1) carrying these changes on top of `heads`.
fn carrying(heads: Vec<automerge::ChangeHash>, changes: Vec<Vec<u8>>) -> Vec<u8> {
    sync::Message {
        heads,
        need: Vec::new(),
        have: Vec::new(),
        changes: sync::ChunkList::from(changes),
        supported_capabilities: None,
        version: sync::MessageVersion::V1,
    }
    .encode()
}

/// Waits until the actor has handled and flushed everything sent so far: a read is answered
/// within its batch, before the batch is stored; a second read comes in the batch after.
async fn settled(handle: &DocHandle) {
    handle.read(|_| ()).await.expect("read");
    handle.read(|_| ()).await.expect("read");
}

/// The heads storage holds for the document.
async fn stored_heads(db: &Db, id: DocumentId) -> Vec<automerge::ChangeHash> {
    let stored = chunks::load(db, id).await.expect("load").expect("stored");
    automerge::Automerge::load(&stored.data).expect("loads").get_heads()
}

/// An honest edit and a flood of changes whose dependency never comes, handled in one batch:
/// the flood is refused and dropped, the honest edit is stored (a reload from storage used to
/// drop it, and the honest peer, whose sync state counted it as delivered, never sent it again:
/// its every later edit waited for it, the document frozen for that person).
/// One document's actor on a fresh SQLite database, with an honest peer (1) and Mallory (2), and
/// the honest peer's first edit stored.
struct Setup {
    dir: std::path::PathBuf,
    db: Db,
    tracker: TaskTracker,
    cancel: CancellationToken,
    id: DocumentId,
    handle: DocHandle,
    honest: mpsc::Receiver<Refusal>,
    mallory: mpsc::Receiver<Refusal>,
    anna: AutoCommit,
}

impl Setup {
    async fn new() -> Setup {
        let dir = std::env::temp_dir().join(format!("kompromiss-actor-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
        let db = Db::connect(&url, crate::db::settings::SqliteDurability::Full).await.expect("database");
        let (tracker, cancel) = (TaskTracker::new(), CancellationToken::new());
        let limits = DocLimits { bytes: 64 << 20, ops: 100_000 };
        let registry = Registry::new(db.clone(), tracker.clone(), cancel.clone(), Duration::from_secs(60), limits);
        let id = DocumentId::from_random(rand::random());
        let handle = registry.open(id);
        let honest = attach(&handle, 1).await;
        let mallory = attach(&handle, 2).await;
        let mut anna = AutoCommit::new();
        anna.put(ROOT, "title", "Konzept").expect("put");
        anna.commit();
        let first = anna.get_last_local_change().expect("change").raw_bytes().to_vec();
        handle.sync(ConnId(1), carrying(anna.get_heads(), vec![first]), false, Vec::new()).await.expect("sync");
        settled(&handle).await;
        assert_eq!(stored_heads(&db, id).await, anna.get_heads());
        Setup { dir, db, tracker, cancel, id, handle, honest, mallory, anna }
    }

    /// Anna's next edit, as a change chunk.
    fn edit(&mut self, title: &str) -> Vec<u8> {
        self.anna.put(ROOT, "title", title).expect("put");
        self.anna.commit();
        self.anna.get_last_local_change().expect("change").raw_bytes().to_vec()
    }

    async fn stop(self) {
        self.cancel.cancel();
        self.tracker.close();
        self.tracker.wait().await;
        self.db.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn a_refused_flood_of_waiting_changes_keeps_an_honest_edit_of_the_same_batch() {
    let mut t = Setup::new().await;
    let (id, base) = (t.id, t.anna.get_heads());

    // Three 3 MB changes on top of one the server never sees: past the 8 MiB a peer may leave waiting.
    let mut hidden = t.anna.fork();
    hidden.put(ROOT, "verborgen", 1).expect("put");
    hidden.commit();
    let mut orphans = Vec::new();
    for n in 0..3u8 {
        let blob: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ n).collect();
        hidden.put(ROOT, "anhang", ScalarValue::Bytes(blob)).expect("put");
        hidden.commit();
        orphans.push(hidden.get_last_local_change().expect("change").raw_bytes().to_vec());
    }
    let edit = t.edit("Ehrlich bearbeitet");

    // Both queued before the actor runs (one thread: it runs when this task waits): one batch.
    t.handle.sync(ConnId(1), carrying(base.clone(), vec![edit]), false, Vec::new()).await.expect("sync");
    t.handle.sync(ConnId(2), carrying(base, orphans), false, Vec::new()).await.expect("sync");
    settled(&t.handle).await;

    let refusal = t.mallory.try_recv().expect("the flood is refused");
    assert!(refusal.reason.contains("waiting") && !refusal.resync, "{}", refusal.reason);
    assert!(t.honest.try_recv().is_err(), "the honest peer goes on undisturbed");
    assert_eq!(stored_heads(&t.db, id).await, t.anna.get_heads(), "the honest edit is stored");

    // The honest peer's next edit builds on it and is applied, not left waiting.
    let next = t.edit("Weiter");
    let heads = stored_heads(&t.db, id).await;
    t.handle.sync(ConnId(1), carrying(heads, vec![next]), false, Vec::new()).await.expect("sync");
    settled(&t.handle).await;
    assert_eq!(stored_heads(&t.db, id).await, t.anna.get_heads());
    t.stop().await;
}

/// A message that breaks the document midway (here: a whole document whose new changes turn out
/// to be under another person's actor id) makes the actor reload from storage, dropping what
/// others sent in the same batch: those peers are told to start their sync over (they resend),
/// instead of being left believing the server has their edits.
#[tokio::test]
async fn peers_whose_unstored_edits_a_reload_drops_are_made_to_resync() {
    let mut t = Setup::new().await;
    let base = t.anna.get_heads();
    let edit = t.edit("Ehrlich bearbeitet");
    let mut forged = AutoCommit::new().with_actor(automerge::ActorId::from(b"someone-else".as_slice()));
    forged.merge(&mut t.anna.fork_at(&base).expect("fork")).expect("merge");
    forged.put(ROOT, "title", "Gefälscht").expect("put");
    forged.commit();
    let whole = forged.save();
    let foreign = vec![automerge::ActorId::from(b"someone-else".as_slice())];

    t.handle.sync(ConnId(1), carrying(base.clone(), vec![edit]), false, Vec::new()).await.expect("sync");
    t.handle.sync(ConnId(2), carrying(base.clone(), vec![whole]), false, foreign).await.expect("sync");
    settled(&t.handle).await;

    let refusal = t.mallory.try_recv().expect("the forgery is refused");
    assert!(refusal.reason.contains("actor id") && !refusal.resync, "{}", refusal.reason);
    let resync = t.honest.try_recv().expect("the honest peer is told to start over");
    assert!(resync.resync, "{resync:?}");
    assert_eq!(stored_heads(&t.db, t.id).await, base, "nothing of the broken batch is stored");
    t.stop().await;
}
