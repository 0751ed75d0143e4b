//! One actor per open document: applies sync messages, stores changes durably, then fans out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::{ActorId, Automerge, ChangeHash, ReadDoc};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::ids::{DocumentId, PeerId};
use kompromiss_shared::protocol::{self, Message};
use kompromiss_shared::schema::{self, ConceptView};
use kompromiss_shared::whole_document::save_applied;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

use super::cluster::live::Live;
use super::decoded_size::{self, Caps};
use super::doc_sync::{DocLimits, StoredSize};
use super::doc_sync::{DocSync, Outgoing, ReceiveError};
use super::news::News;
use super::outbound::{Outbound, SendError};
use super::registry::Registry;
use super::{ConnId, DocAccess};
use crate::db::attribution::Author;
use crate::db::chunks::{self, ChunkKind};
use crate::db::documents::{self, NewDocument};
use crate::db::{Db, DbError};
use crate::meters::Meters;

/// Commands queued per document before the sender waits.
const QUEUE: usize = 1024;
/// Presence senders a document remembers to drop echoes; with peer and session ids of at most
/// 128 bytes each this map holds at most about 300 KiB (then it starts over).
const MAX_EPHEMERAL_SEEN: usize = 1024;
/// Most commands applied in one batch before storing and fanning out.
const BATCH: usize = 512;
/// Incremental chunks after which an idle document is compacted into a snapshot.
const COMPACT_AFTER: usize = 64;
/// A storage write slower than this (ms) is logged: nobody hears of an edit before it is stored.
const SLOW_STORE_MS: u64 = 50;
/// While people type, the document list's change time is rewritten at most this often (ms); the
/// last edit's time reaches the list within this interval (a title change at once).
const LIST_EVERY_MS: i64 = 1000;

/// Why an actor closes a connection; its task records it, tells the peer, and closes.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub doc: DocumentId,
    pub reason: String,
    /// What the audit log records about it, if anything (a write without write access, a change
    /// under another person's actor id).
    pub audit: Option<AuditAction>,
    /// Not a refusal: the server dropped changes the peer sent (they were never acknowledged);
    /// the connection closes without an error so that the client reconnects and resends.
    pub resync: bool,
    /// The reason in the metrics.
    pub label: &'static str,
}

impl Refusal {
    /// A refusal with a reason the peer is told.
    pub fn new(doc: DocumentId, reason: String, audit: Option<AuditAction>, label: &'static str) -> Self {
        Refusal { doc, reason, audit, resync: false, label }
    }

    /// See `resync`.
    pub fn resync(doc: DocumentId) -> Self {
        let reason = "Synchronisation beginnt neu / sync restarts: reconnect and resend".to_string();
        Refusal { doc, reason, audit: None, resync: true, label: "resync" }
    }
}

/// Why the document in memory must be replaced by the durable one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Poison {
    /// A peer's waiting changes passed a bound: what is applied is sound and is stored first.
    Waiting,
    /// An apply failed midway: nothing in memory since the last write can be trusted.
    Corrupt,
}

/// An ephemeral message relayed unchanged to the other peers of a document.
#[derive(Debug)]
pub struct EphemeralRelay {
    pub sender_id: PeerId,
    pub count: u64,
    pub session_id: String,
    pub data: Vec<u8>,
}

/// How an actor reaches one connection: frames go straight into its socket (see `outbound`).
#[derive(Clone, Debug)]
pub struct Outbox {
    pub out: Outbound,
    /// This server's peer id and the connection's: every frame names both.
    pub server: PeerId,
    pub peer: PeerId,
    pub refusals: mpsc::Sender<Refusal>,
    /// Closes the connection.
    pub kick: CancellationToken,
}

impl Outbox {
    /// Sends a sync message; its payload is shared with every other peer that gets it. False when
    /// the peer is too slow or gone: its connection is then closed.
    fn sync(&self, doc_name: &str, data: &Arc<[u8]>) -> bool {
        let mut head = Vec::with_capacity(96 + self.server.as_str().len() + self.peer.as_str().len());
        protocol::encode_sync_head(&mut head, &self.server, &self.peer, doc_name, data.len());
        self.delivered(self.out.binary(&head, Some(data.clone())))
    }

    /// Sends a message encoded for this peer alone.
    fn message(&self, message: &Message) -> bool {
        self.delivered(self.out.binary(&protocol::encode(message), None))
    }

    fn delivered(&self, sent: Result<(), SendError>) -> bool {
        if sent.is_err() {
            self.kick.cancel();
        }
        sent.is_ok()
    }

    /// Makes the connection say why and close.
    fn refuse(&self, refusal: Refusal) {
        let _ = self.refusals.try_send(refusal);
        self.kick.cancel();
    }
}

enum Command {
    Attach {
        conn: ConnId,
        access: DocAccess,
        author: Option<Arc<Author>>,
        outbox: Outbox,
        reply: oneshot::Sender<()>,
    },
    Detach {
        conn: ConnId,
    },
    Sync {
        conn: ConnId,
        data: Vec<u8>,
        request: bool,
        /// Actor ids in the message that belong to somebody other than the peer's person.
        foreign: Vec<ActorId>,
    },
    Ephemeral {
        /// The peer of this instance it came from; `None`: another instance relayed it.
        conn: Option<ConnId>,
        relay: Arc<EphemeralRelay>,
    },
    /// An event from the server to every peer (see shared::doc_events).
    Announce {
        data: Vec<u8>,
    },
    View {
        reply: oneshot::Sender<Option<ConceptView>>,
    },
    /// Runs a read of the document (`None`: it does not exist) on the actor.
    Read {
        read: Reader,
    },
    /// Adds changes brought from another document; answered once they are stored.
    Apply {
        changes: Vec<automerge::Change>,
        senders: Senders,
        reply: oneshot::Sender<Result<Vec<ChangeHash>, WriteError>>,
    },
    /// Makes a change of the server's own; answered once it is stored.
    Edit {
        author: Arc<Author>,
        edit: Editor,
        reply: oneshot::Sender<Result<Vec<ChangeHash>, WriteError>>,
    },
}

/// Who wrote each change brought over (`None`: nobody known, or attributed already).
pub type Senders = Box<dyn Fn(&automerge::Change) -> Option<Arc<Author>> + Send>;

/// A server-side edit of the document.
pub type Editor =
    Box<dyn FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), automerge::AutomergeError> + Send>;

/// Why a server-side write did not happen (nothing of it is stored).
#[derive(Debug, Clone, thiserror::Error)]
pub enum WriteError {
    #[error("the document does not exist")]
    Missing,
    #[error("{0}")]
    Refused(String),
    #[error("storage failed")]
    Storage,
}

/// A read of the document run on its actor; it sends its own answer.
type Reader = Box<dyn FnOnce(Option<&Automerge>) + Send>;

/// The actor went away (evicted or failed); open it again through the registry.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("document actor stopped")]
pub struct Gone;

/// Cloneable handle to a document actor.
#[derive(Clone, Debug)]
pub struct DocHandle {
    tx: mpsc::Sender<Command>,
    /// What storage holds beyond the actor's cursor (told by the cluster listener and sweeps).
    news: Arc<News>,
}

impl DocHandle {
    /// Storage holds chunks of this document up to `seq` (another instance's write): the actor
    /// reads and merges what it lacks, then tells its peers. Never blocks.
    pub fn tell_stored(&self, seq: i64) {
        self.news.tell(seq);
    }

    /// True when the actor has stopped.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    /// Starts syncing the document with a connection; `author` is who sends its changes.
    pub async fn attach(
        &self,
        conn: ConnId,
        access: DocAccess,
        author: Option<Arc<Author>>,
        outbox: Outbox,
    ) -> Result<(), Gone> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Attach { conn, access, author, outbox, reply }).await?;
        rx.await.map_err(|_| Gone)
    }

    /// Stops syncing with a connection.
    pub async fn detach(&self, conn: ConnId) {
        let _ = self.tx.send(Command::Detach { conn }).await;
    }

    /// Hands a peer's sync (or request) message to the actor.
    /// `foreign`: the actor ids in it that belong to somebody other than the peer's person.
    pub async fn sync(&self, conn: ConnId, data: Vec<u8>, request: bool, foreign: Vec<ActorId>) -> Result<(), Gone> {
        self.send(Command::Sync { conn, data, request, foreign }).await
    }

    /// Relays an ephemeral message to the document's other peers.
    pub async fn ephemeral(&self, conn: ConnId, relay: EphemeralRelay) -> Result<(), Gone> {
        self.send(Command::Ephemeral { conn: Some(conn), relay: Arc::new(relay) }).await
    }

    /// Tells every peer of the document an event (an ephemeral message from the server's peer).
    pub async fn announce(&self, data: Vec<u8>) -> Result<(), Gone> {
        self.send(Command::Announce { data }).await
    }

    /// Passes on what another instance relayed (presence or an event) to every peer here,
    /// unless the actor's queue is full (then it is dropped: live events are not stored).
    pub fn try_remote(&self, live: Live) -> bool {
        let command = match live {
            Live::Presence { sender_id, session_id, count, data, .. } => Command::Ephemeral {
                conn: None,
                relay: Arc::new(EphemeralRelay { sender_id, count, session_id, data }),
            },
            Live::Event { data, .. } => Command::Announce { data },
        };
        self.tx.try_send(command).is_ok()
    }

    /// The concept as stored; `None` when the document does not exist.
    pub async fn view(&self) -> Result<Option<ConceptView>, Gone> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::View { reply }).await?;
        rx.await.map_err(|_| Gone)
    }

    /// Reads the document on its actor (between batches, so keep it short); `None` when it does
    /// not exist.
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Automerge) -> T + Send + 'static,
    ) -> Result<Option<T>, Gone> {
        let (reply, rx) = oneshot::channel();
        let read: Reader = Box::new(move |doc: Option<&Automerge>| {
            let _ = reply.send(doc.map(read));
        });
        self.send(Command::Read { read }).await?;
        rx.await.map_err(|_| Gone)
    }

    /// Adds changes from another document (see `DocSync::apply_local`); the document's heads
    /// once they are durable.
    pub async fn apply(
        &self,
        changes: Vec<automerge::Change>,
        senders: Senders,
    ) -> Result<Result<Vec<ChangeHash>, WriteError>, Gone> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Apply { changes, senders, reply }).await?;
        rx.await.map_err(|_| Gone)
    }

    /// Makes a server-side change on `author`'s behalf (see `DocSync::edit`); the document's
    /// heads once it is durable.
    pub async fn edit(&self, author: Arc<Author>, edit: Editor) -> Result<Result<Vec<ChangeHash>, WriteError>, Gone> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Edit { author, edit, reply }).await?;
        rx.await.map_err(|_| Gone)
    }

    async fn send(&self, command: Command) -> Result<(), Gone> {
        self.tx.send(command).await.map_err(|_| Gone)
    }
}

/// Everything an actor needs to start.
pub struct ActorConfig {
    pub id: DocumentId,
    pub generation: u64,
    pub db: Db,
    pub registry: Registry,
    pub tracker: TaskTracker,
    pub cancel: CancellationToken,
    pub idle: Duration,
    pub limits: DocLimits,
}

/// Starts the actor; it loads the document from storage before handling its first command.
pub fn spawn(config: ActorConfig) -> DocHandle {
    let (tx, rx) = mpsc::channel(QUEUE);
    let span = tracing::info_span!(parent: None, "doc", doc = %config.id);
    let tracker = config.tracker.clone();
    let news = Arc::new(News::default());
    tracker.spawn(run(config, rx, news.clone()).instrument(span));
    DocHandle { tx, news }
}

struct Actor {
    id: DocumentId,
    /// The id in its text form, encoded once: every frame about the document carries it.
    name: String,
    db: Db,
    sync: DocSync,
    peers: std::collections::HashMap<ConnId, Outbox>,
    /// Every chunk up to this number is applied here: compaction may delete up to it, and a
    /// catch-up reads after it.
    cursor: i64,
    /// A chunk of this actor's own landed past `cursor + 1`: another instance stored the ones
    /// between, which must be read before the cursor moves (or anything is compacted).
    gap: bool,
    /// News from storage (shared with the handle).
    news: Arc<News>,
    chunks_since_snapshot: usize,
    last_activity: Instant,
    /// The document in memory must be replaced by the durable one (see `Poison`).
    poisoned: Option<Poison>,
    /// Title and change time last written to the document list (`None`: not known since loading).
    listed: Option<(String, i64)>,
    /// Time of the newest stored edit the list does not show yet.
    unlisted_edit: Option<i64>,
    /// Highest ephemeral count relayed per (sender, session), to drop echoes.
    ephemeral_seen: std::collections::HashMap<(PeerId, String), u64>,
    /// Events announced so far (the count of the server's own ephemeral messages).
    announced: u64,
    /// Server-side writes waiting to hear that they are stored.
    writes: Vec<oneshot::Sender<Result<Vec<ChangeHash>, WriteError>>>,
    /// What the server counts (storage latency, changes, fan-out latency).
    meters: Arc<Meters>,
    /// The open documents, and the way to other instances (presence is passed on there).
    registry: Registry,
    /// When the batch being handled began: its fan-out latency is measured from here.
    batch_started: Option<Instant>,
}

/// The session id of the server's own ephemeral messages.
const ANNOUNCE_SESSION: &str = "kompromiss-server";

async fn run(config: ActorConfig, mut rx: mpsc::Receiver<Command>, news: Arc<News>) {
    let Some(mut actor) = Actor::load(config.id, config.db.clone(), config.limits, config.registry.clone(), news).await
    else {
        config.registry.remove(config.id, config.generation);
        return;
    };
    let mut tick = tokio::time::interval(Duration::from_secs(1).min(config.idle));
    let news = actor.news.clone();
    loop {
        tokio::select! {
            command = rx.recv() => {
                let Some(command) = command else { break };
                actor.batch_started = Some(Instant::now());
                actor.handle(command);
                let mut n = 1;
                while n < BATCH {
                    let Ok(command) = rx.try_recv() else { break };
                    actor.handle(command);
                    n += 1;
                }
                actor.flush().await;
            }
            () = news.arrived() => {
                actor.batch_started = Some(Instant::now());
                actor.flush().await;
            }
            _ = tick.tick() => {
                if actor.sync.peer_count() == 0 && actor.last_activity.elapsed() >= config.idle {
                    config.registry.remove(config.id, config.generation);
                    rx.close();
                    break;
                }
                if actor.behind() {
                    // A catch-up that read its most chunks at once, or news a wake-up missed.
                    actor.flush().await;
                }
                actor.list_if_due(false).await;
                if actor.last_activity.elapsed() >= Duration::from_secs(2) {
                    actor.compact_if_due(COMPACT_AFTER).await;
                }
            }
            () = config.cancel.cancelled() => {
                config.registry.remove(config.id, config.generation);
                break;
            }
        }
    }
    actor.flush().await;
    actor.list_if_due(true).await;
    actor.compact_if_due(2).await;
    tracing::debug!("document closed");
}

/// Waits before each retry of a failed storage write: a dropped connection passes at once, a
/// PostgreSQL restart within seconds; after about 15 s the write is given up (nothing of it is
/// acknowledged and the peers resend after reconnecting). Meanwhile the peers' edits wait.
const STORE_RETRIES: [Duration; 8] = [
    Duration::from_millis(50),
    Duration::from_millis(200),
    Duration::from_millis(500),
    Duration::from_millis(1000),
    Duration::from_millis(2000),
    Duration::from_millis(3000),
    Duration::from_millis(4000),
    Duration::from_millis(4000),
];
/// Times a write is tried again at once because another instance took its chunk number.
const SEQ_RETRIES: usize = 16;

/// Appends a write, retrying failures that may pass (a retried write that had in fact committed
/// stores the same changes twice, which loading deduplicates; attribution rows are idempotent).
async fn append_with_retry(db: &Db, id: DocumentId, write: chunks::Write<'_>) -> Result<i64, DbError> {
    let mut waits = STORE_RETRIES.iter();
    let mut taken = 0;
    loop {
        match chunks::append(db, id, write).await {
            Err(DbError::SeqTaken) if taken < SEQ_RETRIES => taken += 1,
            Err(error @ DbError::Sqlx(_)) => match waits.next() {
                Some(wait) => {
                    tracing::warn!(%error, retry_in_ms = wait.as_millis() as u64, "storage write failed; retrying");
                    tokio::time::sleep(*wait).await;
                }
                None => return Err(error),
            },
            other => return other,
        }
    }
}

/// The operations a stored document holds (an upper bound, read without decoding it).
fn stored_ops(data: &[u8]) -> u64 {
    let uncapped = Caps { max_ops: u64::MAX, max_inflated_bytes: usize::MAX };
    decoded_size::measure(data, &uncapped).map_or(0, |size| size.ops)
}

impl Actor {
    async fn load(id: DocumentId, db: Db, limits: DocLimits, registry: Registry, news: Arc<News>) -> Option<Actor> {
        let started = Instant::now();
        let stored = match chunks::load(&db, id).await {
            Ok(stored) => stored.unwrap_or_default(),
            Err(error) => {
                tracing::error!(%error, "cannot read the document from storage");
                return None;
            }
        };
        let doc = match Automerge::load(&stored.data) {
            Ok(doc) => doc,
            Err(error) => {
                tracing::error!(%error, "stored document does not load");
                return None;
            }
        };
        tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, bytes = stored.bytes, "document loaded");
        Some(Actor {
            id,
            name: id.to_string(),
            db,
            sync: DocSync::new(doc, StoredSize { bytes: stored.bytes, ops: stored_ops(&stored.data) }, limits),
            peers: Default::default(),
            cursor: stored.last_seq,
            gap: false,
            news,
            chunks_since_snapshot: stored.chunks_since_snapshot,
            last_activity: Instant::now(),
            poisoned: None,
            listed: None,
            unlisted_edit: None,
            ephemeral_seen: Default::default(),
            announced: 0,
            writes: Vec::new(),
            meters: registry.meters().clone(),
            registry,
            batch_started: None,
        })
    }

    fn handle(&mut self, command: Command) {
        self.last_activity = Instant::now();
        match command {
            Command::Attach { conn, access, author, outbox, reply } => {
                self.sync.attach(conn, access);
                self.sync.set_author(conn, author);
                self.peers.insert(conn, outbox);
                let _ = reply.send(());
            }
            Command::Detach { conn } => {
                self.sync.detach(conn);
                self.peers.remove(&conn);
            }
            Command::Sync { conn, data, request, foreign } => {
                match self.sync.receive_checked(conn, &data, request, &foreign) {
                    Ok(()) => {}
                    Err(ReceiveError::NotAttached) => {}
                    Err(error) => self.refuse(conn, error),
                }
            }
            Command::Ephemeral { conn, relay } => {
                // Clients forward what they receive; relay each (sender, session, count) once.
                let key = (relay.sender_id.clone(), relay.session_id.clone());
                if self.ephemeral_seen.get(&key).is_some_and(|seen| *seen >= relay.count) {
                    return;
                }
                if self.ephemeral_seen.len() >= MAX_EPHEMERAL_SEEN {
                    self.ephemeral_seen.clear();
                }
                self.ephemeral_seen.insert(key, relay.count);
                let mut gone = Vec::new();
                if conn.is_some() {
                    // A peer of this instance: the people on other instances see it too.
                    self.registry.publish(Live::Presence {
                        doc: self.id,
                        sender_id: relay.sender_id.clone(),
                        session_id: relay.session_id.clone(),
                        count: relay.count,
                        data: relay.data.clone(),
                    });
                }
                for (other, outbox) in &self.peers {
                    if Some(*other) == conn {
                        continue;
                    }
                    let message = Message::Ephemeral {
                        sender_id: relay.sender_id.clone(),
                        target_id: outbox.peer.clone(),
                        count: relay.count,
                        session_id: relay.session_id.clone(),
                        document_id: self.id,
                        data: relay.data.clone(),
                    };
                    if !outbox.message(&message) {
                        gone.push(*other);
                    }
                }
                for other in gone {
                    self.drop_slow_peer(other);
                }
            }
            Command::Announce { data } => {
                self.announced += 1;
                let mut gone = Vec::new();
                for (conn, outbox) in &self.peers {
                    let message = Message::Ephemeral {
                        sender_id: outbox.server.clone(),
                        target_id: outbox.peer.clone(),
                        count: self.announced,
                        session_id: ANNOUNCE_SESSION.to_owned(),
                        document_id: self.id,
                        data: data.clone(),
                    };
                    if !outbox.message(&message) {
                        gone.push(*conn);
                    }
                }
                for conn in gone {
                    self.drop_slow_peer(conn);
                }
            }
            Command::View { reply } => {
                let view = self.sync.exists().then(|| schema::read_concept(self.sync.doc()));
                let _ = reply.send(view);
            }
            Command::Read { read } => read(self.sync.exists().then(|| self.sync.doc())),
            Command::Apply { changes, senders, reply } => {
                if !self.sync.exists() {
                    let _ = reply.send(Err(WriteError::Missing));
                    return;
                }
                match self.sync.apply_local(changes, senders) {
                    Ok(()) => self.writes.push(reply),
                    Err(error) => {
                        if error == ReceiveError::Apply {
                            self.poisoned = Some(Poison::Corrupt);
                        }
                        let _ = reply.send(Err(WriteError::Refused(error.to_string())));
                    }
                }
            }
            Command::Edit { author, edit, reply } => {
                if !self.sync.exists() {
                    let _ = reply.send(Err(WriteError::Missing));
                    return;
                }
                match self.sync.edit(author, edit) {
                    Ok(()) => self.writes.push(reply),
                    Err(error) => {
                        let _ = reply.send(Err(WriteError::Refused(error.to_string())));
                    }
                }
            }
        }
    }

    /// Refuses a peer's message: tells it why, closes its connection, and forgets it here.
    fn refuse(&mut self, conn: ConnId, error: ReceiveError) {
        // The connection logs its close with the reason (once per run of refusals).
        tracing::debug!(conn = conn.0, %error, "sync message refused");
        match error {
            // The document may be half-applied: the durable state is the truth.
            ReceiveError::Apply | ReceiveError::ForgedActor { applied: true } => self.poisoned = Some(Poison::Corrupt),
            ReceiveError::TooManyWaiting => {
                self.poisoned.get_or_insert(Poison::Waiting);
            }
            _ => {}
        }
        if let Some(outbox) = self.peers.remove(&conn) {
            let audit = match error {
                ReceiveError::ReadOnly => Some(AuditAction::WriteRefused),
                ReceiveError::ForgedActor { .. } => Some(AuditAction::ActorForged),
                _ => None,
            };
            outbox.refuse(Refusal::new(self.id, error.to_string(), audit, error.label()));
        }
        self.sync.detach(conn);
    }

    /// Forgets a peer whose connection could not take a frame (it is being closed).
    fn drop_slow_peer(&mut self, conn: ConnId) {
        tracing::info!(conn = conn.0, "peer too slow or gone; disconnected");
        self.peers.remove(&conn);
        self.sync.detach(conn);
    }
}

impl Actor {
    /// Stores what changed, then tells every peer what it needs: heads go out only once durable.
    async fn flush(&mut self) {
        if self.behind() {
            self.catch_up().await;
        }
        if self.poisoned == Some(Poison::Corrupt) {
            // Whoever sent changes since the last write loses them with the reload.
            let void = self.sync.unsaved_senders();
            self.settle_writes(false);
            self.reload(&void).await;
        }
        if let Some(unsaved) = self.sync.unsaved() {
            let snapshot = unsaved.snapshot;
            let title = schema::read_string(self.sync.doc(), &automerge::ROOT, schema::KEY_TITLE);
            // Only a document's first write (a snapshot: nothing stored yet) needs its row.
            let new_doc = snapshot.then(|| {
                let template = match self.sync.doc().get(automerge::ROOT, schema::KEY_TEMPLATE) {
                    Ok(Some((automerge::Value::Scalar(s), _))) => s.to_str().map(str::to_owned),
                    _ => None,
                };
                // A document that arrived whole over sync was created by whoever sent it.
                let created_by = unsaved.authors.iter().find_map(|r| r.author.user_id.clone());
                NewDocument { title: title.clone(), template, created_by }
            });
            let kind = if snapshot { ChunkKind::Snapshot } else { ChunkKind::Incremental };
            let now = crate::db::now_millis();
            let list = match &self.listed {
                Some((listed, at)) => *listed != title || now - at >= LIST_EVERY_MS,
                None => true,
            };
            let listed_title = list.then_some(title.as_str());
            let store_started = Instant::now();
            let write = chunks::Write {
                kind,
                data: &unsaved.bytes,
                authors: &unsaved.authors,
                listed_title,
                new_doc: new_doc.as_ref(),
            };
            let stored = append_with_retry(&self.db, self.id, write).await;
            let store_took = store_started.elapsed();
            self.meters.storage_writes.observe(store_took);
            let store_ms = store_took.as_millis() as u64;
            if store_ms >= SLOW_STORE_MS {
                // Every peer waits for this write: a slow disk shows up as typing lag for everyone.
                tracing::warn!(store_ms, "slow storage write; edits wait for it before they are sent on");
            }
            match stored {
                Ok(seq) => {
                    if list {
                        self.listed = Some((title.clone(), now));
                        self.unlisted_edit = None;
                    } else {
                        self.unlisted_edit = Some(now);
                    }
                    self.advance(seq);
                    self.meters.changes.add("stored", unsaved.change_count() as u64);
                    self.chunks_since_snapshot = if snapshot { 1 } else { self.chunks_since_snapshot + 1 };
                    self.sync.mark_saved(&unsaved);
                    self.settle_writes(true);
                }
                Err(DbError::ActorOwned { actor, owner }) => {
                    // The connections check owners before anything is applied; only two people
                    // claiming one actor id in the same moment get here. Refuse the claimant
                    // whose claim lost, and take the batch back: the others' peers resync.
                    tracing::warn!("change under another person's actor id refused at storage");
                    let claimants = unsaved
                        .authors
                        .iter()
                        .filter(|r| r.claim && r.actor == actor && r.author.user_id.as_ref() != Some(&owner));
                    let conns: Vec<ConnId> = claimants.flat_map(|r| self.sync.peers_sent_by(&r.author)).collect();
                    for conn in conns {
                        if let Some(outbox) = self.peers.remove(&conn) {
                            let reason = ReceiveError::ForgedActor { applied: true }.to_string();
                            outbox.refuse(Refusal::new(
                                self.id,
                                reason,
                                Some(AuditAction::ActorForged),
                                "actor_forged",
                            ));
                        }
                        self.sync.detach(conn);
                    }
                    self.settle_writes(false);
                    self.reload(&[]).await;
                    return;
                }
                Err(error) => {
                    tracing::error!(%error, "cannot store changes; peers will resend after reconnecting");
                    for (conn, outbox) in self.peers.drain() {
                        let reason = "storage failed".into();
                        outbox.refuse(Refusal::new(self.id, reason, None, "storage_failed"));
                        self.sync.detach(conn);
                    }
                    self.settle_writes(false);
                    self.reload(&[]).await;
                    return;
                }
            }
        }
        // A write that changed nothing (its changes were there already) is settled too.
        self.settle_writes(true);
        if self.poisoned == Some(Poison::Waiting) {
            // What was applied is stored now; the reload drops only the waiting changes.
            let void = self.sync.waiting_senders();
            self.reload(&void).await;
        }
        // Straight into each peer's socket: one system call per peer, no task woken.
        let mut gone = Vec::new();
        let mut sent = false;
        for (conn, out) in self.sync.outgoing() {
            sent = true;
            let Some(outbox) = self.peers.get(&conn) else { continue };
            let delivered = match out {
                Outgoing::Sync(data) => outbox.sync(&self.name, &data),
                Outgoing::Unavailable => outbox.message(&Message::DocUnavailable {
                    sender_id: outbox.server.clone(),
                    target_id: outbox.peer.clone(),
                    document_id: self.id,
                }),
            };
            if !delivered {
                gone.push(conn);
            }
        }
        for conn in gone {
            self.drop_slow_peer(conn);
        }
        if let Some(started) = self.batch_started.take()
            && sent
        {
            self.meters.fanout.observe(started.elapsed());
        }
    }

    /// Answers the server-side writes of this batch: stored (with the heads now durable), or not.
    fn settle_writes(&mut self, stored: bool) {
        let heads = self.sync.doc().get_heads();
        for reply in self.writes.drain(..) {
            let _ = reply.send(if stored { Ok(heads.clone()) } else { Err(WriteError::Storage) });
        }
    }

    /// Replaces the in-memory document with the durable one; peers start their sync afresh.
    /// `void`: peers that sent changes the reload drops. Their side of the sync counts those as
    /// delivered and would never send them again, so their connections are closed and they
    /// reconnect with a fresh state (and resend).
    async fn reload(&mut self, void: &[ConnId]) {
        self.poisoned = None;
        for conn in void {
            if let Some(outbox) = self.peers.remove(conn) {
                tracing::info!(conn = conn.0, "peer's unstored changes dropped by a reload; it resyncs");
                outbox.refuse(Refusal::resync(self.id));
            }
            self.sync.detach(*conn);
        }
        let Some(fresh) =
            Actor::load(self.id, self.db.clone(), self.sync.limits(), self.registry.clone(), self.news.clone()).await
        else {
            return;
        };
        let access: Vec<(ConnId, DocAccess)> = self.peers.keys().map(|c| (*c, self.sync.access(*c))).collect();
        self.sync = fresh.sync;
        self.cursor = fresh.cursor;
        self.gap = false;
        self.chunks_since_snapshot = fresh.chunks_since_snapshot;
        for (conn, access) in access {
            self.sync.attach(conn, access);
            self.sync.mark_dirty(conn);
        }
    }

    /// Writes the newest stored edit's time to the document list once `LIST_EVERY_MS` have passed
    /// since it, or at once with `now` (closing).
    async fn list_if_due(&mut self, now: bool) {
        let Some(at) = self.unlisted_edit else { return };
        let Some((title, _)) = &self.listed else { return };
        if !now && crate::db::now_millis() - at < LIST_EVERY_MS {
            return;
        }
        match documents::touch(&self.db, self.id, title, at).await {
            Ok(()) => {
                self.listed = Some((title.clone(), at));
                self.unlisted_edit = None;
            }
            Err(error) => tracing::warn!(%error, "cannot update the document list; will retry"),
        }
    }

    /// Folds the incremental chunks into one snapshot once there are `threshold` or more.
    ///
    /// The snapshot covers exactly the chunks up to the cursor, so never while another
    /// instance's chunks wait to be read (they would be deleted unread).
    async fn compact_if_due(&mut self, threshold: usize) {
        if self.chunks_since_snapshot < threshold || self.poisoned.is_some() || self.behind() {
            return;
        }
        let snapshot = save_applied(self.sync.doc());
        match chunks::compact(&self.db, self.id, &snapshot, self.cursor).await {
            Ok(seq) => {
                self.advance(seq);
                self.chunks_since_snapshot = 1;
                self.sync.mark_compacted(snapshot.len());
                tracing::debug!(bytes = snapshot.len(), "document compacted");
            }
            Err(error) => tracing::warn!(%error, "compaction failed; chunks kept"),
        }
    }
}

mod catch_up;
#[cfg(test)]
mod tests;
