//! Chunks another instance stored, read back from the database and merged in. They are durable
//! already: they widen what may be advertised, never what this instance has to store.

use std::collections::HashSet;

use automerge::{ChangeHash, ReadDoc};

use super::{DocSync, ReceiveError};
use crate::db::chunks::{ChunkKind, StoredChunk};
use crate::sync::validate;

impl DocSync {
    /// Merges chunks read from storage, in their order; returns how many changes were new here.
    ///
    /// Every change in them counts as durable from now on, also one this instance holds unsaved
    /// (a peer that sent it to two instances). Changes of a peer that Automerge was holding back
    /// for a dependency these chunks brought are applied now but stay unsaved: the next write of
    /// this instance stores them, before anyone is told of them. After `Apply` the document may
    /// be half-changed (the actor reloads it).
    pub fn absorb(&mut self, chunks: &[StoredChunk]) -> Result<usize, ReceiveError> {
        let mut durable: Vec<ChangeHash> = Vec::new();
        let mut fresh = 0usize;
        for chunk in chunks {
            match chunk.kind {
                ChunkKind::Incremental => {
                    let hashes = validate::change_hashes(&chunk.data).ok_or(ReceiveError::Decode)?;
                    let new: Vec<ChangeHash> =
                        hashes.iter().copied().filter(|h| self.doc.get_change_by_hash(h).is_none()).collect();
                    durable.extend(hashes);
                    if new.is_empty() {
                        continue;
                    }
                    self.doc.load_incremental(&chunk.data).map_err(|_| ReceiveError::Apply)?;
                    let ops: u64 =
                        new.iter().filter_map(|h| self.doc.get_change_by_hash(h)).map(|c| c.len() as u64).sum();
                    self.ops = self.ops.saturating_add(ops);
                    self.stored_bytes = self.stored_bytes.saturating_add(chunk.data.len());
                    fresh += new.len();
                }
                ChunkKind::Snapshot => {
                    let heads = validate::document_heads(&chunk.data).ok_or(ReceiveError::Decode)?;
                    durable.extend(heads.iter().copied());
                    // A snapshot replaced the chunks before it (or is a document's first write);
                    // what this batch holds after it is added as it comes.
                    self.stored_bytes = chunk.data.len();
                    if heads.iter().all(|h| self.doc.get_change_by_hash(h).is_some()) {
                        // A compaction of what this instance holds: nothing new in it.
                        continue;
                    }
                    let before = self.doc.get_heads();
                    self.doc.load_incremental(&chunk.data).map_err(|_| ReceiveError::Apply)?;
                    let added = self.doc.get_changes(&before);
                    fresh += added.len();
                    self.ops = self.ops.saturating_add(added.iter().map(|c| c.len() as u64).sum());
                }
            }
        }
        if durable.is_empty() {
            return Ok(fresh);
        }
        self.widen_durable(&durable);
        self.waiting.prune(&self.doc);
        Ok(fresh)
    }

    /// Adds changes to what storage holds: the durable set's tips become the old ones plus these,
    /// without those another tip depends on. Nothing beyond them: every head is durable.
    fn widen_durable(&mut self, durable: &[ChangeHash]) {
        for hash in durable {
            self.senders.remove(hash);
        }
        let mut tips: Vec<ChangeHash> = self.saved_heads.clone();
        tips.extend(durable.iter().filter(|h| self.doc.get_change_by_hash(h).is_some()));
        tips.sort();
        tips.dedup();
        let covered: HashSet<ChangeHash> =
            tips.iter().filter_map(|h| self.doc.get_change_by_hash(h)).flat_map(|c| c.deps().iter().copied()).collect();
        tips.retain(|h| !covered.contains(h));
        if self.doc.get_changes(&tips).is_empty() {
            self.saved_heads = self.doc.get_heads();
            for peer in self.peers.values_mut() {
                peer.sent_unsaved = false;
            }
        } else {
            self.saved_heads = tips;
        }
    }
}

#[cfg(test)]
mod tests;
