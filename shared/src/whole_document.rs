//! Sync messages the Automerge library does not build: a whole saved document in one message.

use automerge::ChangeHash;
use automerge::sync::{BloomFilter, Capability, ChunkList, Have, Message, MessageVersion};

/// The document as saved bytes, with only the changes it has applied: a change still waiting for
/// its dependencies is left out (the library's `save()` keeps such orphans, so one peer's junk
/// would be stored, served and counted as the document's size).
pub fn save_applied(doc: &automerge::Automerge) -> Vec<u8> {
    doc.save_with_options(automerge::SaveOptions { deflate: true, retain_orphans: false })
}

/// A sync message (V2) that carries a whole saved document up to `heads`.
///
/// It says "I have everything up to `heads`" with an empty bloom filter, so the receiver answers
/// with only what it has beyond that. Only peers that advertised `MessageV2` understand it.
pub fn message(heads: &[ChangeHash], saved: Vec<u8>) -> Vec<u8> {
    Message {
        heads: heads.to_vec(),
        need: Vec::new(),
        have: vec![Have { last_sync: heads.to_vec(), bloom: BloomFilter::default() }],
        changes: ChunkList::from(saved),
        supported_capabilities: Some(vec![Capability::MessageV1, Capability::MessageV2]),
        version: MessageVersion::V2,
    }
    .encode()
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::sync::{State, SyncDoc};
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT, ReadDoc};

    #[test]
    fn a_fresh_peer_loads_a_whole_document_from_one_message_and_then_syncs_normally() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "title", "Konzept").expect("put");
        let bytes = message(&doc.get_heads(), doc.save());
        let mut fresh = AutoCommit::new();
        let mut state = State::new();
        let message = automerge::sync::Message::decode(&bytes).expect("decode");
        fresh.sync().receive_sync_message(&mut state, message).expect("receive");
        assert_eq!(fresh.get_heads(), doc.get_heads());
        assert!(fresh.get(ROOT, "title").expect("get").is_some());
    }
}
