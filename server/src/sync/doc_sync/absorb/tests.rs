//! Absorbing what other instances stored: durable at once, never a peer's unstored change.

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT, ReadDoc};

use super::super::{DocLimits, DocSync, Outgoing, StoredSize};
use crate::db::chunks::{ChunkKind, StoredChunk};
use crate::sync::{ConnId, DocAccess};

const LIMITS: DocLimits = DocLimits { bytes: 1 << 20, ops: 100_000 };
const P: ConnId = ConnId(7);

fn chunk(seq: i64, kind: ChunkKind, data: Vec<u8>) -> StoredChunk {
    StoredChunk { seq, kind, data, created_at: 0 }
}

/// The stored document both instances start from, and this instance's core of it.
fn start() -> (AutoCommit, DocSync) {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "Konzept").expect("put");
    doc.commit();
    let core = DocSync::new(Automerge::load(&doc.save()).expect("load"), StoredSize::default(), LIMITS);
    (doc, core)
}

/// Saves and fans out until the peer is quiet; returns whether any frame went out.
fn settle(core: &mut DocSync, peer: &mut AutoCommit, state: &mut sync::State) -> bool {
    let mut sent = false;
    for _ in 0..10 {
        if let Some(unsaved) = core.unsaved() {
            core.mark_saved(&unsaved);
        }
        let out = core.outgoing();
        if out.is_empty() {
            return sent;
        }
        for (_, message) in out {
            if let Outgoing::Sync(bytes) = message {
                sent = true;
                let m = sync::Message::decode(&bytes).expect("decode");
                peer.sync().receive_sync_message(state, m).expect("apply");
                if let Some(reply) = peer.sync().generate_sync_message(state) {
                    core.receive(P, &reply.encode(), false).expect("reply");
                }
            }
        }
    }
    panic!("no quiescence");
}

fn attached_peer(core: &mut DocSync) -> (AutoCommit, sync::State) {
    let (mut peer, mut state) = (AutoCommit::new(), sync::State::new());
    core.attach(P, DocAccess::Edit);
    let hello = peer.sync().generate_sync_message(&mut state).expect("hello").encode();
    core.receive(P, &hello, true).expect("request");
    settle(core, &mut peer, &mut state);
    (peer, state)
}

#[test]
fn chunks_stored_by_another_instance_are_absorbed_marked_durable_and_sent_to_every_peer() {
    let (mut elsewhere, mut core) = start();
    let (mut peer, mut state) = attached_peer(&mut core);
    elsewhere.put(ROOT, "title", "Konzept 2027").expect("edit");
    elsewhere.put(ROOT, "ziel", "Reichweite").expect("edit");
    elsewhere.commit();
    let heads = core.doc().get_heads();
    let stored: Vec<u8> = elsewhere.get_changes(&heads).iter().flat_map(|c| c.raw_bytes().to_vec()).collect();

    assert_eq!(core.absorb(&[chunk(2, ChunkKind::Incremental, stored.clone())]).expect("absorbed"), 1);
    assert!(core.unsaved().is_none(), "stored elsewhere: nothing for this instance to store");
    assert!(settle(&mut core, &mut peer, &mut state), "the peer is told");
    assert_eq!(peer.get_heads(), elsewhere.get_heads());
    assert_eq!(core.absorb(&[chunk(2, ChunkKind::Incremental, stored)]).expect("again"), 0, "read twice: no news");
}

#[test]
fn absorbing_never_marks_a_peers_unstored_change_durable() {
    let (mut elsewhere, mut core) = start();
    let (mut peer, mut state) = attached_peer(&mut core);
    // Another instance stores a change; this instance's peer got it there first and builds on it.
    let mut other_peer = elsewhere.fork();
    other_peer.put(ROOT, "title", "Konzept 2027").expect("edit");
    other_peer.commit();
    let first = other_peer.get_last_local_change().expect("first").clone();
    peer.merge(&mut other_peer).expect("merge");
    peer.put(ROOT, "ziel", "Reichweite").expect("edit");
    peer.commit();
    let second = peer.get_last_local_change().expect("second").clone();
    // The peer sends only its own change (its sync state thinks the server has the first).
    let message = sync::Message {
        heads: peer.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: vec![second.raw_bytes().to_vec()].into(),
        supported_capabilities: None,
        version: sync::MessageVersion::V2,
    };
    core.receive(P, &message.encode(), false).expect("accepted, held back");
    assert!(core.doc().get_change_by_hash(&second.hash()).is_none(), "waits for its dependency");

    core.absorb(&[chunk(2, ChunkKind::Incremental, first.raw_bytes().to_vec())]).expect("absorbed");
    assert!(core.doc().get_change_by_hash(&second.hash()).is_some(), "released by the absorbed dependency");
    let unsaved = core.unsaved().expect("the peer's change is not stored anywhere yet");
    assert_eq!(unsaved.change_count(), 1, "only the peer's change is this instance's to store");
    assert!(!unsaved.snapshot);
    let _ = &mut state;
    let _ = &mut elsewhere;
}

#[test]
fn a_change_held_unsaved_here_becomes_durable_when_another_instance_stored_it() {
    let (_, mut core) = start();
    let (mut peer, mut state) = attached_peer(&mut core);
    peer.put(ROOT, "title", "Konzept 2027").expect("edit");
    peer.commit();
    let message = peer.sync().generate_sync_message(&mut state).expect("edit").encode();
    core.receive(P, &message, false).expect("accepted");
    assert!(core.unsaved().is_some());
    let change = peer.get_last_local_change().expect("change").raw_bytes().to_vec();
    assert_eq!(core.absorb(&[chunk(2, ChunkKind::Incremental, change)]).expect("absorbed"), 0, "nothing new");
    assert!(core.unsaved().is_none(), "stored by the other instance: durable");
}

#[test]
fn a_snapshot_from_another_instance_is_absorbed_only_when_it_holds_something_new() {
    let (mut elsewhere, mut core) = start();
    let heads = core.doc().get_heads();
    assert_eq!(core.absorb(&[chunk(2, ChunkKind::Snapshot, elsewhere.save())]).expect("known"), 0);
    assert_eq!(core.doc().get_heads(), heads, "a compaction of what is held changes nothing");

    elsewhere.put(ROOT, "ziel", "Reichweite").expect("edit");
    elsewhere.commit();
    assert_eq!(core.absorb(&[chunk(3, ChunkKind::Snapshot, elsewhere.save())]).expect("new"), 1);
    assert_eq!(core.doc().get_heads(), elsewhere.get_heads());
    assert!(core.unsaved().is_none());
    assert!(core.absorb(&[chunk(4, ChunkKind::Snapshot, b"kein Dokument".to_vec())]).is_err());
}
