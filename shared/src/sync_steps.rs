//! Automerge 0.6.1 sync steps done cheaply: receiving without a walk over the whole history, one
//! shared message for every caught-up peer, a cached whole document for fresh peers (servers with many
//! peers and clients of documents with a long history).
//!
//! The library's `receive_sync_message` walks the whole change history on every message
//! (`filter_changes` → `traverse_ancestors`), and its `generate_sync_message` builds a message per
//! peer. Here: `receive` updates the state identically using the clock-based `get_changes`;
//! `Broadcast` encodes one steady-state message per document change and reuses it for every
//! caught-up peer; `FreshDoc` sends a cached whole document to new peers. The tests check
//! byte- and state-equality with the library, which is why automerge is pinned to `=0.6.1`.

use std::collections::HashSet;
use std::sync::Arc;

use automerge::sync::{BloomFilter, Capability, ChunkList, Have, Message, MessageVersion, State};
use automerge::{AutoCommit, Automerge, AutomergeError, ChangeHash, ReadDoc};

/// What `receive` needs of a document; implemented for `Automerge` (server) and `AutoCommit` (clients).
pub trait SyncTarget {
    fn heads(&mut self) -> Vec<ChangeHash>;
    fn load_chunk(&mut self, chunk: &[u8]) -> Result<(), AutomergeError>;
    fn knows(&mut self, hash: &ChangeHash) -> bool;
    /// Hashes of the changes that are not ancestors of `heads`.
    fn hashes_since(&mut self, heads: &[ChangeHash]) -> HashSet<ChangeHash>;
}

/// Both document types offer the same calls (AutoCommit's take `&mut self` to close a transaction).
macro_rules! sync_target {
    ($t:ty) => {
        impl SyncTarget for $t {
            fn heads(&mut self) -> Vec<ChangeHash> {
                self.get_heads()
            }
            fn load_chunk(&mut self, chunk: &[u8]) -> Result<(), AutomergeError> {
                self.load_incremental(chunk).map(|_| ())
            }
            fn knows(&mut self, hash: &ChangeHash) -> bool {
                self.get_change_by_hash(hash).is_some()
            }
            fn hashes_since(&mut self, heads: &[ChangeHash]) -> HashSet<ChangeHash> {
                self.get_changes(heads).iter().map(|c| c.hash()).collect()
            }
        }
    };
}
sync_target!(Automerge);
sync_target!(AutoCommit);

/// True when the peer said it understands V2 messages (concatenated changes, whole documents).
pub fn supports_v2(st: &State) -> bool {
    st.their_capabilities.as_ref().is_some_and(|caps| caps.contains(&Capability::MessageV2))
}

/// Same effect as `SyncDoc::receive_sync_message`, without the walk over the whole history.
pub fn receive(doc: &mut impl SyncTarget, st: &mut State, message: Message) -> Result<(), AutomergeError> {
    st.in_flight = false;
    let before = doc.heads();
    let Message { heads, need, have, changes, supported_capabilities, .. } = message;
    if let Some(caps) = supported_capabilities {
        st.their_capabilities = Some(caps);
    }
    let changes_is_empty = changes.is_empty();
    if !changes_is_empty {
        for chunk in changes.iter() {
            doc.load_chunk(chunk)?;
        }
        st.shared_heads = advance_heads(&before, &doc.heads(), &st.shared_heads);
    }
    let known: Vec<ChangeHash> = heads.iter().filter(|h| doc.knows(h)).copied().collect();
    // The library's filter_changes: keep only sent hashes that are not ancestors of their heads.
    if !known.is_empty() && !st.sent_hashes.is_empty() {
        let ours: HashSet<ChangeHash> = doc.heads().into_iter().collect();
        if known.iter().copied().collect::<HashSet<_>>() == ours {
            st.sent_hashes.clear();
        } else {
            let newer = doc.hashes_since(&known);
            st.sent_hashes.retain(|h| newer.contains(h));
        }
    }
    if changes_is_empty && heads == before {
        st.last_sent_heads.clone_from(&heads);
    }
    if known.len() == heads.len() {
        st.shared_heads.clone_from(&heads);
        if heads.is_empty() {
            st.last_sent_heads = Vec::new();
            st.sent_hashes.clear();
        }
    } else {
        let mut shared: Vec<ChangeHash> = st.shared_heads.iter().chain(known.iter()).copied().collect();
        shared.sort();
        shared.dedup();
        st.shared_heads = shared;
    }
    st.their_have = Some(have);
    st.their_heads = Some(heads);
    st.their_need = Some(need);
    Ok(())
}

/// The library's private `advance_heads`.
fn advance_heads(old: &[ChangeHash], new: &[ChangeHash], old_shared: &[ChangeHash]) -> Vec<ChangeHash> {
    let old: HashSet<&ChangeHash> = old.iter().collect();
    let new_set: HashSet<&ChangeHash> = new.iter().collect();
    let mut advanced: Vec<ChangeHash> = new
        .iter()
        .filter(|h| !old.contains(h))
        .chain(old_shared.iter().filter(|h| new_set.contains(h)))
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    advanced.sort();
    advanced
}

/// True when the library's `generate_sync_message` would return `None` for this state without
/// touching it: the peer was already told `heads` and either has not answered yet or knows
/// everything. A cheap check for the many acknowledgements of a fan-out (the library builds a
/// Bloom filter and looks for changes to send before it finds out there is nothing to say).
pub fn quiet(heads: &[ChangeHash], st: &State) -> bool {
    if !st.have_responded || st.last_sent_heads != heads {
        return false;
    }
    let ours: HashSet<&ChangeHash> = heads.iter().collect();
    let have = st.their_have.as_deref().unwrap_or_default();
    // The library answers a `have` naming changes it does not know with a reset message.
    if have.first().is_some_and(|h| !h.last_sync.iter().all(|x| ours.contains(x))) {
        return false;
    }
    if st.in_flight {
        return true;
    }
    // Nothing to send: they report our heads, need nothing, and have synced up to our heads.
    st.their_heads.as_deref() == Some(heads)
        && st.their_need.as_ref().is_none_or(Vec::is_empty)
        && have.iter().all(|h| h.last_sync.iter().collect::<HashSet<_>>() == ours)
}

/// The message every caught-up peer gets after the document moved from `before` to `after`.
pub struct Broadcast {
    before: Vec<ChangeHash>,
    after: Vec<ChangeHash>,
    hashes: Vec<ChangeHash>,
    v1: Arc<[u8]>,
    v2: Arc<[u8]>,
}

impl Broadcast {
    /// Builds the message once; `None` when the document waits for missing dependencies
    /// (then the library path handles everyone).
    pub fn build(doc: &Automerge, before: &[ChangeHash]) -> Option<Broadcast> {
        if !doc.get_missing_deps(&[]).is_empty() || before.is_empty() {
            return None;
        }
        let changes = doc.get_changes(before);
        let hashes: Vec<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
        let have = vec![Have { last_sync: before.to_vec(), bloom: BloomFilter::from_hashes(hashes.iter()) }];
        let after = doc.get_heads();
        let message = |changes: ChunkList, version| {
            Message {
                heads: after.clone(),
                need: Vec::new(),
                have: have.clone(),
                changes,
                supported_capabilities: None,
                version,
            }
            .encode()
            .into()
        };
        let v2 = message(
            ChunkList::from(changes.iter().flat_map(|c| c.raw_bytes().to_vec()).collect::<Vec<u8>>()),
            MessageVersion::V2,
        );
        let v1 = message(
            ChunkList::from(changes.iter().map(|c| c.raw_bytes().to_vec()).collect::<Vec<Vec<u8>>>()),
            MessageVersion::V1,
        );
        Some(Broadcast { before: before.to_vec(), after, hashes, v1, v2 })
    }

    /// For a peer that had everything up to `before` and acknowledged it: updates its state as the
    /// library would and returns the shared bytes. `None`: use the library for this peer.
    pub fn for_peer(&self, st: &mut State) -> Option<&Arc<[u8]>> {
        let before = self.before.as_slice();
        let steady = st.have_responded
            && !st.in_flight
            && st.shared_heads == before
            && st.last_sent_heads == before
            && st.their_heads.as_deref() == Some(before)
            && st.their_need.as_ref().is_some_and(Vec::is_empty)
            && st.sent_hashes.is_empty()
            && matches!(st.their_have.as_deref(), Some([h]) if h.last_sync == before && h.bloom.to_bytes().is_empty());
        if !steady {
            return None;
        }
        st.last_sent_heads.clone_from(&self.after);
        st.sent_hashes.extend(self.hashes.iter().copied());
        st.in_flight = true;
        Some(if supports_v2(st) { &self.v2 } else { &self.v1 })
    }
}

/// A whole-document message for peers that have nothing yet, built once per document state.
pub struct FreshDoc {
    heads: Vec<ChangeHash>,
    bytes: Arc<[u8]>,
}

impl FreshDoc {
    /// True for a peer that has nothing, understands whole documents, and has not been answered yet.
    pub fn wanted_by(st: &State) -> bool {
        st.their_heads.as_ref().is_some_and(Vec::is_empty) && supports_v2(st) && !st.have_responded
    }

    /// The cached message for the document's current heads (rebuilt when they changed).
    pub fn current(cache: &mut Option<FreshDoc>, doc: &Automerge) -> Arc<[u8]> {
        let heads = doc.get_heads();
        match cache {
            Some(c) if c.heads == heads => c.bytes.clone(),
            _ => {
                let bytes: Arc<[u8]> =
                    crate::whole_document::message(&heads, crate::whole_document::save_applied(doc)).into();
                *cache = Some(FreshDoc { heads, bytes: bytes.clone() });
                bytes
            }
        }
    }

    /// Records in the peer's state that it was sent the whole document at `heads`.
    pub fn sent(st: &mut State, heads: &[ChangeHash]) {
        st.have_responded = true;
        st.last_sent_heads = heads.to_vec();
        st.in_flight = true;
    }
}

#[cfg(test)]
mod tests;
