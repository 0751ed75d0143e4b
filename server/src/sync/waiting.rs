//! Changes Automerge holds back until their dependencies arrive, counted per sender, so that a
//! peer sending changes whose dependencies never come cannot make the server hoard them.
//!
//! Honest peers cause waiting changes too: the sync protocol's Bloom filter sometimes makes a
//! client believe the server has a change it lacks, so the client sends only its descendants
//! until the next round asks for the missing one. After a long offline stretch that can be a few
//! thousand small changes for a moment; the bounds leave room for that.

use std::collections::HashMap;

use automerge::{Automerge, ChangeHash, ReadDoc};

use super::ConnId;
use super::doc_sync::ReceiveError;

/// Most changes of one peer waiting at once.
pub const MAX_CHANGES_PER_PEER: usize = 20_000;
/// Most bytes of one peer's waiting changes.
pub const MAX_BYTES_PER_PEER: usize = 8 * 1024 * 1024;
/// Most changes waiting in one document, all peers together.
pub const MAX_CHANGES_PER_DOC: usize = 50_000;
/// Most bytes waiting in one document, all peers together.
pub const MAX_BYTES_PER_DOC: usize = 32 * 1024 * 1024;

/// The waiting changes of one document with who sent them.
#[derive(Debug, Default)]
pub struct Waiting {
    changes: HashMap<ChangeHash, (ConnId, usize)>,
}

impl Waiting {
    /// After `conn`'s message was applied: remembers which of its new changes (hash, bytes)
    /// Automerge holds back, forgets the ones that were applied meanwhile, and checks the bounds.
    /// Past a bound the caller must drop the held-back changes (reload the document).
    pub fn track(&mut self, conn: ConnId, fresh: &[(ChangeHash, usize)], doc: &Automerge) -> Result<(), ReceiveError> {
        for (hash, bytes) in fresh {
            if doc.get_change_by_hash(hash).is_none() {
                self.changes.insert(*hash, (conn, *bytes));
            }
        }
        if self.changes.is_empty() {
            return Ok(());
        }
        self.changes.retain(|hash, _| doc.get_change_by_hash(hash).is_none());
        let (mut peer_changes, mut peer_bytes, mut doc_bytes) = (0, 0, 0);
        for (from, bytes) in self.changes.values() {
            doc_bytes += bytes;
            if *from == conn {
                peer_changes += 1;
                peer_bytes += bytes;
            }
        }
        let over = peer_changes > MAX_CHANGES_PER_PEER
            || peer_bytes > MAX_BYTES_PER_PEER
            || self.changes.len() > MAX_CHANGES_PER_DOC
            || doc_bytes > MAX_BYTES_PER_DOC;
        if over { Err(ReceiveError::TooManyWaiting) } else { Ok(()) }
    }

    /// Forgets the changes that were applied meanwhile (their dependencies came from elsewhere).
    pub fn prune(&mut self, doc: &Automerge) {
        self.changes.retain(|hash, _| doc.get_change_by_hash(hash).is_none());
    }

    /// The peers with changes waiting.
    pub fn senders(&self) -> std::collections::HashSet<ConnId> {
        self.changes.values().map(|(conn, _)| *conn).collect()
    }

    /// How many changes wait.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True when none waits.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    use super::*;

    fn hash(n: u32) -> ChangeHash {
        let mut bytes = [0u8; 32];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        ChangeHash(bytes)
    }

    #[test]
    fn a_peer_past_its_count_or_byte_bound_is_refused_and_applied_changes_are_forgotten() {
        let doc = Automerge::new();
        let mut waiting = Waiting::default();
        let many: Vec<(ChangeHash, usize)> = (0..MAX_CHANGES_PER_PEER as u32).map(|n| (hash(n), 1)).collect();
        waiting.track(ConnId(1), &many, &doc).expect("at the bound");
        let one_more = [(hash(u32::MAX), 1)];
        assert_eq!(waiting.track(ConnId(1), &one_more, &doc), Err(ReceiveError::TooManyWaiting));

        let mut bytes = Waiting::default();
        bytes.track(ConnId(2), &[(hash(1), MAX_BYTES_PER_PEER)], &doc).expect("at the bound");
        assert_eq!(bytes.track(ConnId(2), &[(hash(2), 1)], &doc), Err(ReceiveError::TooManyWaiting));
        assert!(bytes.track(ConnId(3), &[(hash(3), 1)], &doc).is_ok(), "another peer has its own budget");

        // A change the document has applied is not waiting.
        let mut real = AutoCommit::new();
        real.put(ROOT, "title", "Konzept").expect("put");
        let applied = real.get_last_local_change().expect("change").hash();
        let mut none = Waiting::default();
        none.track(ConnId(1), &[(applied, 100)], real.document()).expect("applied");
        assert!(none.is_empty());
    }

    #[test]
    fn all_peers_of_a_document_together_have_a_bound() {
        let doc = Automerge::new();
        let mut waiting = Waiting::default();
        let per_peer = MAX_CHANGES_PER_PEER as u32;
        let mut peers = 0;
        let refused = loop {
            let batch: Vec<(ChangeHash, usize)> = (0..per_peer).map(|n| (hash(peers * per_peer + n), 1)).collect();
            if waiting.track(ConnId(u64::from(peers)), &batch, &doc).is_err() {
                break peers;
            }
            peers += 1;
        };
        assert_eq!(
            refused as usize,
            MAX_CHANGES_PER_DOC / MAX_CHANGES_PER_PEER,
            "refused once the document's bound is passed"
        );
        assert!(waiting.len() > MAX_CHANGES_PER_DOC);
    }
}
