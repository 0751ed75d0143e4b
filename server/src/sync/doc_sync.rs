//! The pure part of a document actor: the Automerge document, each peer's sync state, and what to send.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use automerge::sync::{self, SyncDoc};

use automerge::{ActorId, Automerge, ChangeHash, ReadDoc};
use kompromiss_shared::sync_steps::{self as fast, Broadcast, FreshDoc};
use kompromiss_shared::whole_document::save_applied;

use super::decoded_size::SizeError;
use super::validate::{InspectError, InspectedChange};
use super::waiting::Waiting;
use super::{ConnId, DocAccess, runs};
use crate::db::attribution::{Author, AuthorRun};

/// Senders remembered for changes that are not applied yet (waiting for their dependencies);
/// beyond this the remembered senders are forgotten and such changes are stored without author.
const MAX_WAITING_SENDERS: usize = 1024;
/// Actor ids remembered as recorded for their author; beyond this they are claimed again
/// (idempotent, one more statement per write).
const MAX_CLAIMED: usize = 4096;

/// Why an incoming sync message was refused. The document is unchanged, except after `Apply`,
/// `TooManyWaiting` and `ForgedActor { applied: true }`, when the actor reloads it from storage
/// before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiveError {
    #[error("not an Automerge sync message")]
    Decode,
    #[error("no write access to this document")]
    ReadOnly,
    #[error("the document would exceed its size limit")]
    TooLarge,
    #[error("the changes could not be applied")]
    Apply,
    #[error("not attached to this document")]
    NotAttached,
    /// The message would take the document past its operation limit (counted before decoding).
    #[error("Dokument würde zu groß / the document would exceed its limit of {max} operations")]
    TooManyOps { max: u64 },
    /// A peer's changes waiting for dependencies it never sent passed a bound; the document is
    /// reloaded from storage (which drops them).
    #[error("zu viele Änderungen ohne ihre Vorgänger / too many changes waiting for changes they depend on")]
    TooManyWaiting,
    /// A new change under an actor id that belongs to another person. `applied`: found only
    /// after applying a whole document (the document must be reloaded from storage).
    #[error("Autor-Kennung gehört einer anderen Person / this change's actor id belongs to another person")]
    ForgedActor { applied: bool },
}

impl ReceiveError {
    /// The reason in the metrics.
    pub fn label(&self) -> &'static str {
        match self {
            ReceiveError::Decode => "undecodable",
            ReceiveError::ReadOnly => "read_only",
            ReceiveError::TooLarge => "document_too_large",
            ReceiveError::Apply => "apply_failed",
            ReceiveError::NotAttached => "not_attached",
            ReceiveError::TooManyOps { .. } => "too_many_operations",
            ReceiveError::TooManyWaiting => "too_many_waiting",
            ReceiveError::ForgedActor { .. } => "actor_forged",
        }
    }
}

/// Something to send to one peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// An encoded Automerge sync message, shared by every peer that gets the same bytes.
    Sync(Arc<[u8]>),
    /// The document does not exist (or must look so).
    Unavailable,
}

/// Changes that are not in storage yet.
#[derive(Debug)]
pub struct Unsaved {
    /// One chunk: a whole document if `snapshot`, else the changes since the last write.
    pub bytes: Vec<u8>,
    /// The heads storage holds once this chunk is written.
    pub heads: Vec<ChangeHash>,
    pub snapshot: bool,
    /// Who sent the chunk's changes, to be stored with them.
    pub authors: Vec<AuthorRun>,
    /// The chunk's changes.
    hashes: Vec<ChangeHash>,
}

impl Unsaved {
    /// How many changes the chunk holds.
    pub fn change_count(&self) -> usize {
        self.hashes.len()
    }
}

/// Per-peer bookkeeping.
struct PeerSync {
    state: sync::State,
    access: DocAccess,
    /// The peer sent something since we last generated for it.
    dirty: bool,
    /// The peer asked for a document we did not have; it hears from us once the document exists.
    waiting_for_doc: bool,
    /// The peer was sent the whole document; nothing more until it answers (else the library
    /// would resend the whole history as changes).
    awaiting_reply: bool,
    /// Who sends this peer's changes (none: they are stored without author).
    author: Option<Arc<Author>>,
    /// The peer sent changes that are not in storage yet: if the document must be reloaded
    /// before they are stored, the peer's sync state (which counts them as delivered) is void.
    sent_unsaved: bool,
}

/// What a document may become; a message that would pass either is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocLimits {
    /// Stored bytes.
    pub bytes: usize,
    /// Operations once decoded.
    pub ops: u64,
}

/// How big a document is in storage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoredSize {
    pub bytes: usize,
    pub ops: u64,
}

/// A document with its peers. All I/O happens outside.
pub struct DocSync {
    doc: Automerge,
    peers: HashMap<ConnId, PeerSync>,
    /// Heads that are durable in storage; nothing newer is ever advertised.
    saved_heads: Vec<ChangeHash>,
    /// Heads at the last fan-out: when the document moves past them, every peer hears of it.
    fanout_heads: Vec<ChangeHash>,
    /// Bytes in storage, to enforce the document size limit.
    stored_bytes: usize,
    /// Operations the document holds, applied or waiting for dependencies (an upper bound).
    ops: u64,
    /// The document's limits.
    limits: DocLimits,
    /// The whole-document message for fresh peers, cached per heads.
    fresh: Option<FreshDoc>,
    /// Who sent each change that is not stored yet.
    senders: HashMap<ChangeHash, Arc<Author>>,
    /// Actor ids (hex) already recorded as belonging to a person (by id).
    claimed: HashSet<(String, String)>,
    /// Changes Automerge holds back until their dependencies arrive, by sender: bounded.
    waiting: Waiting,
}

impl DocSync {
    /// Wraps a document loaded from storage (or a new empty one, stored as nothing).
    pub fn new(doc: Automerge, stored: StoredSize, limits: DocLimits) -> Self {
        let heads = doc.get_heads();
        Self {
            doc,
            peers: HashMap::new(),
            saved_heads: heads.clone(),
            fanout_heads: heads,
            stored_bytes: stored.bytes,
            ops: stored.ops,
            limits,
            fresh: None,
            senders: HashMap::new(),
            claimed: HashSet::new(),
            waiting: Waiting::default(),
        }
    }

    /// The document's limits.
    pub fn limits(&self) -> DocLimits {
        self.limits
    }

    /// The document (for rendering and snapshots).
    pub fn doc(&self) -> &Automerge {
        &self.doc
    }

    /// True when the document has any content.
    pub fn exists(&self) -> bool {
        !self.saved_heads.is_empty()
    }

    /// Number of attached peers.
    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }

    /// Starts syncing with a peer (or updates its access).
    pub fn attach(&mut self, conn: ConnId, access: DocAccess) {
        self.peers.entry(conn).and_modify(|p| p.access = access).or_insert(PeerSync {
            state: sync::State::new(),
            access,
            dirty: false,
            waiting_for_doc: false,
            awaiting_reply: false,
            author: None,
            sent_unsaved: false,
        });
    }

    /// The peers that sent changes not in storage yet (see `PeerSync::sent_unsaved`).
    pub fn unsaved_senders(&self) -> Vec<ConnId> {
        self.peers.iter().filter(|(_, p)| p.sent_unsaved).map(|(c, _)| *c).collect()
    }

    /// The peers whose changes wait for dependencies (a reload drops them).
    pub fn waiting_senders(&self) -> Vec<ConnId> {
        self.waiting.senders().into_iter().filter(|c| self.peers.contains_key(c)).collect()
    }

    /// The peers whose changes this author sends.
    pub fn peers_sent_by(&self, author: &Author) -> Vec<ConnId> {
        self.peers.iter().filter(|(_, p)| p.author.as_deref() == Some(author)).map(|(c, _)| *c).collect()
    }

    /// Names who sends an attached peer's changes.
    pub fn set_author(&mut self, conn: ConnId, author: Option<Arc<Author>>) {
        if let Some(peer) = self.peers.get_mut(&conn) {
            peer.author = author;
        }
    }

    /// A peer's access (None when not attached).
    pub fn access(&self, conn: ConnId) -> DocAccess {
        self.peers.get(&conn).map_or(DocAccess::None, |p| p.access)
    }

    /// Makes the next fan-out consider this peer even if the document did not move.
    pub fn mark_dirty(&mut self, conn: ConnId) {
        if let Some(p) = self.peers.get_mut(&conn) {
            p.dirty = true;
        }
    }

    /// Stops syncing with a peer.
    pub fn detach(&mut self, conn: ConnId) {
        self.peers.remove(&conn);
    }

    /// Applies a peer's sync message. `request` marks the automerge-repo `request` message.
    pub fn receive(&mut self, conn: ConnId, data: &[u8], request: bool) -> Result<(), ReceiveError> {
        self.receive_checked(conn, data, request, &[])
    }

    /// `receive`, where `foreign` are the actor ids in the message that belong to somebody other
    /// than the peer's person: a new change under one of them is refused, nothing applied (one
    /// the document already has is a harmless resend, as clients do after a whole document).
    pub fn receive_checked(
        &mut self,
        conn: ConnId,
        data: &[u8],
        request: bool,
        foreign: &[ActorId],
    ) -> Result<(), ReceiveError> {
        let message = sync::Message::decode(data).map_err(|_| ReceiveError::Decode)?;
        let (doc, saved_heads) = (&mut self.doc, &self.saved_heads);
        let peer = self.peers.get_mut(&conn).ok_or(ReceiveError::NotAttached)?;
        let mut whole_document = false;
        let mut fresh_changes: Vec<(ChangeHash, usize)> = Vec::new();
        let mut added_ops = 0;
        let before = (!message.changes.is_empty()).then(|| doc.get_heads());
        if !message.changes.is_empty() {
            if peer.access < DocAccess::Edit {
                return Err(ReceiveError::ReadOnly);
            }
            // No message may decode to more than a whole document may hold (checked before decoding).
            let blobs: Vec<&[u8]> = message.changes.iter().map(<[u8]>::as_ref).collect();
            let inspected = super::validate::inspect(&blobs, self.limits.ops).map_err(|error| match error {
                InspectError::Malformed => ReceiveError::Decode,
                InspectError::Size(SizeError::TooManyOps { .. }) => ReceiveError::TooManyOps { max: self.limits.ops },
                InspectError::Size(_) => ReceiveError::TooLarge,
            })?;
            let incoming: usize = message.changes.iter().map(<[u8]>::len).sum();
            if self.stored_bytes + incoming > self.limits.bytes {
                return Err(ReceiveError::TooLarge);
            }
            // Changes the document has are resent, not added: their operations do not count twice.
            // A whole document (the official client sends one to catch a peer up) holds, besides
            // its news, what this document has.
            let mut new: Vec<&InspectedChange> = Vec::new();
            let mut known_ops = 0u64;
            for change in &inspected.changes {
                match doc.get_change_by_hash(&change.hash) {
                    Some(have) => known_ops += have.len() as u64,
                    None => new.push(change),
                }
            }
            let known = if inspected.has_document() { self.ops } else { known_ops };
            added_ops = inspected.ops.saturating_sub(known);
            if self.ops.saturating_add(added_ops) > self.limits.ops {
                return Err(ReceiveError::TooManyOps { max: self.limits.ops });
            }
            if new.iter().any(|c| foreign.contains(&c.actor)) {
                return Err(ReceiveError::ForgedActor { applied: false });
            }
            if let Some(author) = &peer.author {
                // Remembered before applying: a change waiting for its dependencies is applied
                // later, within someone else's message, and is still this peer's.
                for change in &new {
                    self.senders.entry(change.hash).or_insert_with(|| author.clone());
                }
            }
            fresh_changes = new.into_iter().map(|c| (c.hash, c.bytes)).collect();
            whole_document = inspected.has_document();
        }
        let no_changes = message.changes.is_empty();
        let had_nothing = saved_heads.is_empty() && doc.get_heads().is_empty();
        // Automerge's receive takes a peer reporting our heads (without changes) as a peer that knows
        // them: it sets `last_sent_heads` to them, and the next generate sends nothing. That holds
        // when a reply was generated after each message; this core handles a whole batch per
        // fan-out. A peer's edit and its next message (reporting the merged heads) in one batch would
        // leave the peer never told heads covering its edit: it stays unsaved forever. So the
        // heads the peer was actually sent are kept.
        let told = (no_changes && !message.heads.is_empty() && message.heads == doc.get_heads())
            .then(|| peer.state.last_sent_heads.clone());
        fast::receive(doc, &mut peer.state, message).map_err(|_| ReceiveError::Apply)?;
        if let (true, Some(before)) = (whole_document, &before) {
            // A whole document names no changes one by one: what it added is this peer's, and
            // none of it may be under another person's actor id.
            let added = doc.get_changes(before);
            if added.iter().any(|c| foreign.contains(c.actor_id())) {
                return Err(ReceiveError::ForgedActor { applied: true });
            }
            if let Some(author) = &peer.author {
                for change in added {
                    self.senders.entry(change.hash()).or_insert_with(|| author.clone());
                }
            }
        }
        peer.sent_unsaved |= !fresh_changes.is_empty() || whole_document;
        self.waiting.track(conn, &fresh_changes, doc)?;
        self.ops = self.ops.saturating_add(added_ops);
        if let Some(told) = told {
            peer.state.last_sent_heads = told;
        }
        // Most messages of a fan-out are acknowledgements that leave nothing to say: skip the
        // library's generate for them (it would build a Bloom filter to find that out).
        peer.dirty |= !fast::quiet(&doc.get_heads(), &peer.state);
        peer.awaiting_reply = false;
        peer.waiting_for_doc = request && no_changes && had_nothing;
        Ok(())
    }

    /// Adds changes the server brings over from another document (a catch-up, a merge), each
    /// with who wrote it. Within the same limits as a peer's message; nothing is added when a
    /// limit would pass. After `Apply` the document may be half-changed (the actor reloads it).
    pub fn apply_local(
        &mut self,
        changes: Vec<automerge::Change>,
        sender: impl Fn(&automerge::Change) -> Option<Arc<Author>>,
    ) -> Result<(), ReceiveError> {
        let changes: Vec<automerge::Change> =
            changes.into_iter().filter(|c| self.doc.get_change_by_hash(&c.hash()).is_none()).collect();
        let bytes: usize = changes.iter().map(|c| c.raw_bytes().len()).sum();
        if self.stored_bytes + bytes > self.limits.bytes {
            return Err(ReceiveError::TooLarge);
        }
        let ops: u64 = changes.iter().map(|c| c.len() as u64).sum();
        if self.ops.saturating_add(ops) > self.limits.ops {
            return Err(ReceiveError::TooManyOps { max: self.limits.ops });
        }
        for change in &changes {
            if let Some(author) = sender(change) {
                self.senders.entry(change.hash()).or_insert(author);
            }
        }
        self.doc.apply_changes(changes).map_err(|_| ReceiveError::Apply)?;
        self.ops = self.ops.saturating_add(ops);
        Ok(())
    }

    /// Makes one change of the server's own on somebody's behalf (a section adopted from a
    /// draft, an earlier wording restored), under a fresh actor id so that the id belongs to
    /// that person alone.
    pub fn edit(
        &mut self,
        author: Arc<Author>,
        edit: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), automerge::AutomergeError>,
    ) -> Result<(), automerge::AutomergeError> {
        self.doc.set_actor(ActorId::random());
        let before = self.doc.get_heads();
        let mut tx = self.doc.transaction();
        match edit(&mut tx) {
            Ok(()) => {
                tx.commit();
            }
            Err(error) => {
                tx.rollback();
                return Err(error);
            }
        }
        for change in self.doc.get_changes(&before) {
            self.ops = self.ops.saturating_add(change.len() as u64);
            self.senders.insert(change.hash(), author.clone());
        }
        Ok(())
    }

    /// Changes not yet in storage, as one incremental chunk, with the heads they reach.
    ///
    /// The first write of a document is a compressed snapshot (`save()`): a document that arrives
    /// whole (a fresh upload with a long history) would otherwise be stored change by change,
    /// hundreds of times larger.
    pub fn unsaved(&self) -> Option<Unsaved> {
        let heads = self.doc.get_heads();
        if heads == self.saved_heads {
            return None;
        }
        let snapshot = self.saved_heads.is_empty();
        let changes = self.doc.get_changes(&self.saved_heads);
        if changes.is_empty() {
            // The durable tips (after absorbing another instance's chunks) cover every head.
            return None;
        }
        let bytes = if snapshot {
            save_applied(&self.doc)
        } else {
            changes.iter().flat_map(|c| c.raw_bytes()).copied().collect()
        };
        let authors = runs::group(
            changes.iter().copied(),
            |c| self.senders.get(&c.hash()).cloned(),
            |actor, author| {
                author
                    .user_id
                    .as_ref()
                    .is_some_and(|user| self.claimed.contains(&(actor.to_hex_string(), user.clone())))
            },
        );
        let hashes = changes.iter().map(|c| c.hash()).collect();
        Some(Unsaved { bytes, heads, snapshot, authors, hashes })
    }

    /// Records that storage now holds this chunk.
    pub fn mark_saved(&mut self, saved: &Unsaved) {
        self.saved_heads.clone_from(&saved.heads);
        for peer in self.peers.values_mut() {
            peer.sent_unsaved = false;
        }
        self.stored_bytes += saved.bytes.len();
        for hash in &saved.hashes {
            self.senders.remove(hash);
        }
        if self.senders.len() > MAX_WAITING_SENDERS {
            self.senders.clear();
        }
        if self.claimed.len() > MAX_CLAIMED {
            self.claimed.clear();
        }
        let owned = saved.authors.iter().filter_map(|r| Some((r.actor.clone(), r.author.user_id.clone()?)));
        self.claimed.extend(owned);
    }

    /// Records a compaction: storage now holds one snapshot of `bytes`.
    pub fn mark_compacted(&mut self, bytes: usize) {
        self.stored_bytes = bytes;
    }

    /// Generates what each peer needs now. Call only after `unsaved()` was stored.
    pub fn outgoing(&mut self) -> Vec<(ConnId, Outgoing)> {
        let heads = self.doc.get_heads();
        if heads != self.saved_heads {
            // Never advertise what storage does not hold (the durability rule): the caller stores
            // first. Checked in release builds too: a slip here would lose confirmed words.
            tracing::error!("fan-out before the document's changes were stored; nothing sent");
            return Vec::new();
        }
        let moved = heads != self.fanout_heads;
        let broadcast = if moved { Broadcast::build(&self.doc, &self.fanout_heads) } else { None };
        self.fanout_heads = heads;
        let exists = self.exists();
        let mut out = Vec::new();
        let mut memo = Memo::default();
        for (conn, peer) in &mut self.peers {
            if !(peer.dirty || moved) || peer.access == DocAccess::None {
                continue;
            }
            peer.dirty = false;
            if peer.waiting_for_doc && !exists {
                out.push((*conn, Outgoing::Unavailable));
                continue;
            }
            peer.waiting_for_doc = false;
            if peer.awaiting_reply {
                continue;
            }
            if FreshDoc::wanted_by(&peer.state) && exists {
                let bytes = FreshDoc::current(&mut self.fresh, &self.doc);
                FreshDoc::sent(&mut peer.state, &self.fanout_heads);
                peer.awaiting_reply = true;
                out.push((*conn, Outgoing::Sync(bytes)));
                continue;
            }
            if let Some(bytes) = broadcast.as_ref().and_then(|b| b.for_peer(&mut peer.state)) {
                out.push((*conn, Outgoing::Sync(bytes.clone())));
                continue;
            }
            if let Some(bytes) = memo.generate(&self.doc, &mut peer.state) {
                out.push((*conn, Outgoing::Sync(bytes)));
            }
        }
        out
    }
}

/// Distinct sync states seen in one fan-out, with what the library made of them: peers in
/// identical states (readers that have not answered the last edits yet, all alike) get the same
/// message and end in the same state, so the library runs once per distinct state, not per peer.
#[derive(Default)]
struct Memo {
    seen: Vec<Seen>,
}

/// A state before the library's generate, the state after, and the message it made.
type Seen = (sync::State, sync::State, Option<Arc<[u8]>>);

impl Memo {
    /// Distinct states remembered per fan-out; past this, peers go to the library one by one.
    const MAX: usize = 8;

    /// What `generate_sync_message` returns for this state, updating it the same way.
    fn generate(&mut self, doc: &Automerge, state: &mut sync::State) -> Option<Arc<[u8]>> {
        if let Some((_, after, bytes)) = self.seen.iter().find(|(before, ..)| before == state) {
            state.clone_from(after);
            return bytes.clone();
        }
        let before = (self.seen.len() < Self::MAX).then(|| state.clone());
        let bytes: Option<Arc<[u8]>> = doc.generate_sync_message(state).map(|m| m.encode().into());
        if let Some(before) = before {
            self.seen.push((before, state.clone(), bytes.clone()));
        }
        bytes
    }
}

mod absorb;
#[cfg(test)]
mod tests;
