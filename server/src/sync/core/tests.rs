//! The document core with an in-memory network: sync, refusal rules, and the durability rule.

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT, ReadDoc};

use super::*;

const A: ConnId = ConnId(1);
const B: ConnId = ConnId(2);

fn core() -> DocCore {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "Konzept").expect("put");
    let doc = Automerge::load(&doc.save()).expect("load");
    DocCore::new(doc, 100, 1 << 20)
}

fn client_message(doc: &mut AutoCommit, state: &mut sync::State) -> Vec<u8> {
    doc.sync().generate_sync_message(state).expect("a message").encode()
}

/// One peer's replica in the in-memory network.
struct Peer {
    conn: ConnId,
    doc: AutoCommit,
    state: sync::State,
}

/// Saves, fans out, delivers to the peers, and feeds their answers back until everyone is quiet.
fn settle(core: &mut DocCore, peers: &mut [&mut Peer]) {
    for _ in 0..10 {
        save(core);
        let out = core.outgoing();
        if out.is_empty() {
            return;
        }
        for (to, message) in out {
            let Some(peer) = peers.iter_mut().find(|p| p.conn == to) else { continue };
            if let Outgoing::Sync(bytes) = message {
                let m = sync::Message::decode(&bytes).expect("decode");
                peer.doc.sync().receive_sync_message(&mut peer.state, m).expect("apply");
                if let Some(reply) = peer.doc.sync().generate_sync_message(&mut peer.state) {
                    core.receive(peer.conn, &reply.encode(), false).expect("reply accepted");
                }
            }
        }
    }
    panic!("no quiescence");
}

fn save(core: &mut DocCore) {
    if let Some(unsaved) = core.unsaved() {
        core.mark_saved(unsaved.heads, unsaved.bytes.len());
    }
}

#[test]
fn a_peer_receives_the_document_and_an_edit_reaches_the_other_peer() {
    let mut core = core();
    let mut a = Peer { conn: A, doc: AutoCommit::new(), state: sync::State::new() };
    let mut b = Peer { conn: B, doc: AutoCommit::new(), state: sync::State::new() };
    core.attach(A, DocAccess::Edit);
    core.attach(B, DocAccess::Read);
    for p in [&mut a, &mut b] {
        let m = client_message(&mut p.doc, &mut p.state);
        core.receive(p.conn, &m, true).expect("request");
    }
    settle(&mut core, &mut [&mut a, &mut b]);
    assert_eq!(a.doc.get_heads(), core.doc().get_heads());

    a.doc.put(ROOT, "title", "Neu").expect("edit");
    let m = client_message(&mut a.doc, &mut a.state);
    core.receive(A, &m, false).expect("edit accepted");
    assert!(core.unsaved().is_some(), "the edit waits for storage");
    settle(&mut core, &mut [&mut a, &mut b]);
    assert_eq!(b.doc.get(ROOT, "title").expect("get").map(|(v, _)| v.to_string()), Some("\"Neu\"".into()));
}

#[test]
fn a_reader_cannot_write_and_the_document_stays_unchanged() {
    let mut core = core();
    let heads = core.doc().get_heads();
    core.attach(B, DocAccess::Read);
    let mut b = Peer { conn: B, doc: AutoCommit::new(), state: sync::State::new() };
    let m = client_message(&mut b.doc, &mut b.state);
    core.receive(B, &m, true).expect("request");
    settle(&mut core, &mut [&mut b]);
    b.doc.put(ROOT, "title", "Übernahme").expect("edit");
    let m = client_message(&mut b.doc, &mut b.state);
    assert_eq!(core.receive(B, &m, false), Err(ReceiveError::ReadOnly));
    assert_eq!(core.doc().get_heads(), heads);
}

#[test]
fn undecodable_and_truncated_payloads_are_refused_without_touching_the_document() {
    let mut core = core();
    let heads = core.doc().get_heads();
    core.attach(A, DocAccess::Edit);
    assert_eq!(core.receive(A, b"kein automerge", false), Err(ReceiveError::Decode));
    let mut a = AutoCommit::new();
    a.put(ROOT, "x", 1).expect("put");
    let mut msg = a.sync().generate_sync_message(&mut sync::State::new()).expect("message");
    let mut change = a.get_changes(&[]).first().expect("change").raw_bytes().to_vec();
    change.truncate(change.len() - 10);
    msg.changes = vec![change].into();
    let result = core.receive(A, &msg.encode(), false);
    assert!(result.is_err(), "truncated change accepted: {result:?}");
    assert_eq!(core.doc().get_heads(), heads);
}

#[test]
fn a_request_for_a_document_nobody_has_is_answered_with_unavailable() {
    let mut core = DocCore::new(Automerge::new(), 0, 1 << 20);
    core.attach(A, DocAccess::Edit);
    let mut a = AutoCommit::new();
    core.receive(A, &client_message(&mut a, &mut sync::State::new()), true).expect("request");
    assert_eq!(core.outgoing(), vec![(A, Outgoing::Unavailable)]);
}

#[test]
fn a_document_uploaded_whole_is_stored_as_one_compressed_snapshot() {
    let mut source = AutoCommit::new();
    let text = source.put_object(ROOT, "text", automerge::ObjType::Text).expect("text");
    for i in 0..2000 {
        source.splice_text(&text, i, 0, "x").expect("splice");
        source.commit();
    }
    let mut core = DocCore::new(Automerge::new(), 0, 1 << 20);
    core.attach(A, DocAccess::Edit);
    let upload = kompromiss_shared::syncmsg::whole_document(&source.get_heads(), source.save());
    core.receive(A, &upload, false).expect("upload accepted");
    let unsaved = core.unsaved().expect("something to store");
    assert!(unsaved.snapshot);
    let change_by_change = core.doc().save_after(&[]).len();
    assert!(unsaved.bytes.len() * 10 < change_by_change, "{} vs {change_by_change}", unsaved.bytes.len());
    core.mark_saved(unsaved.heads, unsaved.bytes.len());
    // Later writes are incremental.
    source.splice_text(&text, 0, 0, "y").expect("splice");
    source.commit();
    let change = source.get_last_local_change().expect("change").raw_bytes().to_vec();
    let m = automerge::sync::Message {
        heads: source.get_heads(),
        need: vec![],
        have: vec![],
        changes: vec![change].into(),
        supported_capabilities: None,
        version: automerge::sync::MessageVersion::V1,
    };
    core.receive(A, &m.encode(), false).expect("edit");
    assert!(!core.unsaved().expect("the edit").snapshot);
}
