//! The document core with an in-memory network: sync, refusal rules, and the durability rule.

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT, ReadDoc};

use super::*;

const LIMITS: DocLimits = DocLimits { bytes: 1 << 20, ops: 100_000 };

const A: ConnId = ConnId(1);
const B: ConnId = ConnId(2);

fn core() -> DocSync {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "Konzept").expect("put");
    let doc = Automerge::load(&doc.save()).expect("load");
    DocSync::new(doc, StoredSize { bytes: 100, ops: 0 }, LIMITS)
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
fn settle(core: &mut DocSync, peers: &mut [&mut Peer]) {
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

fn save(core: &mut DocSync) {
    if let Some(unsaved) = core.unsaved() {
        core.mark_saved(&unsaved);
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
    let mut core = DocSync::new(Automerge::new(), StoredSize::default(), LIMITS);
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
    let mut core = DocSync::new(Automerge::new(), StoredSize::default(), LIMITS);
    core.attach(A, DocAccess::Edit);
    let upload = kompromiss_shared::whole_document::message(&source.get_heads(), source.save());
    core.receive(A, &upload, false).expect("upload accepted");
    let unsaved = core.unsaved().expect("something to store");
    assert!(unsaved.snapshot);
    let change_by_change = core.doc().save_after(&[]).len();
    assert!(unsaved.bytes.len() * 10 < change_by_change, "{} vs {change_by_change}", unsaved.bytes.len());
    core.mark_saved(&unsaved);
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

impl Peer {
    fn new(conn: ConnId) -> Peer {
        Peer { conn, doc: AutoCommit::new(), state: sync::State::new() }
    }

    /// Applies a message from the server and returns the answer, as the clients do.
    fn take(&mut self, bytes: &[u8]) -> Option<Vec<u8>> {
        let m = sync::Message::decode(bytes).expect("decode");
        self.doc.sync().receive_sync_message(&mut self.state, m).expect("apply");
        self.doc.sync().generate_sync_message(&mut self.state).map(|m| m.encode())
    }

    /// The clients' "saved" rule: the heads the server last advertised cover every local change.
    fn saved(&mut self) -> bool {
        let Some(theirs) = self.state.their_heads.clone() else { return false };
        theirs.iter().all(|h| self.doc.get_change_by_hash(h).is_some()) && self.doc.get_changes(&theirs).is_empty()
    }
}

fn message_for(out: &[(ConnId, Outgoing)], conn: ConnId) -> Vec<u8> {
    match out.iter().find(|(to, _)| *to == conn) {
        Some((_, Outgoing::Sync(bytes))) => bytes.to_vec(),
        other => panic!("expected a sync message for {conn:?}, got {other:?}"),
    }
}

/// The actor handles every queued message before it stores and fans out once. Here A's edit and
/// A's answer to the server's previous message (heads equal to the server's, no changes) land in
/// the same batch. Automerge's receive counts "the peer reports our heads" as "the peer was told
/// our heads", so without care the server never sends A heads that cover A's edit and A stays
/// unsaved forever (the 3-peer convergence test's intermittent failure).
#[test]
fn an_edit_and_the_next_answer_in_one_batch_still_get_heads_that_cover_the_edit() {
    let mut core = core();
    let (mut a, mut b) = (Peer::new(A), Peer::new(B));
    for p in [&mut a, &mut b] {
        core.attach(p.conn, DocAccess::Edit);
        let m = client_message(&mut p.doc, &mut p.state);
        core.receive(p.conn, &m, true).expect("request");
    }
    settle(&mut core, &mut [&mut a, &mut b]);

    // B edits; the server stores it and fans it out (A has been caught up: the broadcast).
    b.doc.put(ROOT, "b", 1).expect("edit");
    core.receive(B, &client_message(&mut b.doc, &mut b.state), false).expect("b's edit");
    save(&mut core);
    let out = core.outgoing();
    let (to_a, to_b) = (message_for(&out, A), message_for(&out, B));
    assert!(b.take(&to_b).is_none(), "b is acknowledged");

    // Meanwhile A edits and sends it, then reads B's edit and answers with the merged heads.
    a.doc.put(ROOT, "a", 1).expect("edit");
    let edit = client_message(&mut a.doc, &mut a.state);
    let answer = a.take(&to_a).expect("a answers");
    assert_eq!(a.doc.get_heads(), {
        let mut h = core.doc().get_heads();
        h.extend(a.doc.get_last_local_change().map(|c| c.hash()));
        h.sort();
        h
    });

    // Both reach the server before its next fan-out.
    core.receive(A, &edit, false).expect("a's edit");
    core.receive(A, &answer, false).expect("a's answer");
    settle(&mut core, &mut [&mut a, &mut b]);

    assert_eq!(a.doc.get_heads(), core.doc().get_heads());
    assert_eq!(b.doc.get_heads(), core.doc().get_heads());
    assert!(a.saved(), "a was never told that the server holds its edit");
    assert!(b.saved());
}

/// Random edits by three library clients, with the server's batching (several messages handled
/// per fan-out) and clients that read their messages late: after draining, every replica equals
/// the server's document and every client was told heads that cover its own edits.
#[test]
fn random_sessions_with_batching_converge_and_every_peer_ends_saved() {
    use rand::{Rng, SeedableRng};
    use std::collections::VecDeque;

    let mut broadcasts = 0;
    for seed in 0..300u64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut core = core();
        let mut peers: Vec<Peer> = (1..=3).map(|i| Peer::new(ConnId(i))).collect();
        let mut inbox: VecDeque<(ConnId, Vec<u8>)> = VecDeque::new();
        let mut queues: Vec<VecDeque<Vec<u8>>> = vec![VecDeque::new(); peers.len()];
        for p in &mut peers {
            core.attach(p.conn, DocAccess::Edit);
            let m = client_message(&mut p.doc, &mut p.state);
            inbox.push_back((p.conn, m));
        }
        let mut fan_out = |core: &mut DocSync,
                           inbox: &mut VecDeque<(ConnId, Vec<u8>)>,
                           n: usize,
                           queues: &mut [VecDeque<Vec<u8>>]| {
            for (conn, m) in inbox.drain(..n.min(inbox.len())) {
                core.receive(conn, &m, false).expect("accepted");
            }
            save(core);
            let out = core.outgoing();
            broadcasts += shared_messages(&out);
            for (to, o) in out {
                if let Outgoing::Sync(bytes) = o {
                    queues[to.0 as usize - 1].push_back(bytes.to_vec());
                }
            }
        };
        for _ in 0..80 {
            let i = rng.random_range(0..peers.len());
            match rng.random_range(0..10) {
                0..=2 => {
                    let p = &mut peers[i];
                    p.doc.put(ROOT, "title", format!("{}", rng.random::<u16>())).expect("edit");
                    if let Some(m) = p.doc.sync().generate_sync_message(&mut p.state) {
                        inbox.push_back((p.conn, m.encode()));
                    }
                }
                3..=5 => {
                    if let Some(m) = queues[i].pop_front()
                        && let Some(answer) = peers[i].take(&m)
                    {
                        inbox.push_back((peers[i].conn, answer));
                    }
                }
                _ => {
                    let n = rng.random_range(1..=inbox.len().max(1));
                    fan_out(&mut core, &mut inbox, n, &mut queues);
                }
            }
        }
        for _ in 0..50 {
            if inbox.is_empty() && queues.iter().all(VecDeque::is_empty) {
                break;
            }
            let n = inbox.len();
            fan_out(&mut core, &mut inbox, n, &mut queues);
            for (i, q) in queues.iter_mut().enumerate() {
                while let Some(m) = q.pop_front() {
                    if let Some(answer) = peers[i].take(&m) {
                        inbox.push_back((peers[i].conn, answer));
                    }
                }
            }
        }
        assert!(inbox.is_empty() && queues.iter().all(VecDeque::is_empty), "seed {seed}: no quiescence");
        for p in &mut peers {
            assert_eq!(p.doc.get_heads(), core.doc().get_heads(), "seed {seed}: {:?} converged", p.conn);
            assert!(p.saved(), "seed {seed}: {:?} was told heads that cover its edits", p.conn);
        }
    }
    assert!(broadcasts > 300, "the shared message was exercised ({broadcasts} times)");
}

/// Messages of one fan-out that went to more than one peer byte for byte (the broadcast).
fn shared_messages(out: &[(ConnId, Outgoing)]) -> usize {
    let mut seen = std::collections::HashMap::<&[u8], usize>::new();
    for (_, o) in out {
        if let Outgoing::Sync(bytes) = o {
            *seen.entry(&bytes[..]).or_default() += 1;
        }
    }
    seen.values().filter(|n| **n > 1).sum()
}

/// Readers that have not answered the last edits yet (the official client answers at most every
/// 100 ms) are all in the same sync state: the fan-out runs the library once for them and gives
/// each exactly what the library would have given it alone.
#[test]
fn peers_in_identical_states_get_what_the_library_would_give_each() {
    let mut core = core();
    let (r1, r2, r3) = (ConnId(11), ConnId(12), ConnId(13));
    let mut writer = Peer::new(A);
    let mut readers = [Peer::new(r1), Peer::new(r2), Peer::new(r3)];
    for conn in [A, r1, r2, r3] {
        core.attach(conn, DocAccess::Edit);
    }
    {
        let mut all: Vec<&mut Peer> = readers.iter_mut().collect();
        all.push(&mut writer);
        for p in all.iter_mut() {
            let m = client_message(&mut p.doc, &mut p.state);
            core.receive(p.conn, &m, true).expect("request");
        }
        settle(&mut core, &mut all);
    }
    let text = writer.doc.put_object(ROOT, "text", automerge::ObjType::Text).expect("text");
    for i in 0..4 {
        writer.doc.splice_text(&text, 0, 0, &i.to_string()).expect("splice");
        let m = client_message(&mut writer.doc, &mut writer.state);
        core.receive(A, &m, false).expect("edit");
        save(&mut core);
        // What the library alone says for each reader, on copies of the states.
        let expected: Vec<(Option<Vec<u8>>, sync::State)> = [r1, r2, r3]
            .iter()
            .map(|c| {
                let mut st = core.peers[c].state.clone();
                let bytes = core.doc.generate_sync_message(&mut st).map(|m| m.encode());
                (bytes, st)
            })
            .collect();
        let same_states = [r2, r3].iter().all(|c| core.peers[c].state == core.peers[&r1].state);
        let out = core.outgoing();
        for (k, c) in [r1, r2, r3].iter().enumerate() {
            let got = out.iter().find(|(to, _)| to == c).map(|(_, o)| match o {
                Outgoing::Sync(b) => b.to_vec(),
                Outgoing::Unavailable => panic!("unavailable"),
            });
            // The first fan-out goes through the shared broadcast; the others through the memo.
            if i > 0 {
                assert!(same_states, "edit {i}: the readers were in the same state");
                assert_eq!(got, expected[k].0, "edit {i}: reader {k} got the library's message");
                assert_eq!(core.peers[c].state, expected[k].1, "edit {i}: reader {k} state as the library leaves it");
            }
            // Readers apply but do not answer (throttled).
            if let Some(bytes) = got {
                let m = sync::Message::decode(&bytes).expect("decode");
                readers[k].doc.sync().receive_sync_message(&mut readers[k].state, m).expect("apply");
            }
        }
        if let Some(Outgoing::Sync(bytes)) = out.iter().find(|(to, _)| *to == A).map(|(_, o)| o.clone()) {
            writer.take(&bytes).into_iter().for_each(|reply| core.receive(A, &reply, false).expect("ack"));
        }
    }
    for r in &mut readers {
        assert_eq!(r.doc.get_heads(), core.doc().get_heads(), "every reader has every edit");
    }
}

#[test]
fn a_new_change_under_a_foreign_actor_is_refused_untouched_and_a_resent_one_passes() {
    use automerge::ActorId;
    let mut core = core();
    let template_actor = core.doc().get_changes(&[]).first().expect("template change").actor_id().clone();
    let mut a = Peer { conn: A, doc: AutoCommit::new(), state: sync::State::new() };
    core.attach(A, DocAccess::Edit);
    let m = client_message(&mut a.doc, &mut a.state);
    core.receive(A, &m, true).expect("request");
    settle(&mut core, &mut [&mut a]);

    // A resend of the template's change (as clients do after a whole document) is harmless.
    let carrying = |change: Vec<u8>, heads: Vec<automerge::ChangeHash>| {
        sync::Message {
            heads,
            need: Vec::new(),
            have: Vec::new(),
            changes: sync::ChunkList::from(vec![change]),
            supported_capabilities: None,
            version: sync::MessageVersion::V1,
        }
        .encode()
    };
    let template = core.doc().get_changes(&[])[0].raw_bytes().to_vec();
    let foreign = [template_actor.clone()];
    let resend = carrying(template, core.doc().get_heads());
    core.receive_checked(A, &resend, false, &foreign).expect("a change the document has passes");

    // A new change under the template's actor id is refused before anything is applied.
    let heads = core.doc().get_heads();
    a.doc.set_actor(template_actor.clone());
    a.doc.put(ROOT, "title", "Gefälscht").expect("edit");
    let m = client_message(&mut a.doc, &mut a.state);
    let refused = core.receive_checked(A, &m, false, &foreign);
    assert_eq!(refused, Err(ReceiveError::ForgedActor { applied: false }));
    assert_eq!(core.doc().get_heads(), heads, "nothing applied");
    assert!(core.unsaved().is_none(), "nothing to store");

    // The same change from a peer whose person owns the actor id is taken.
    core.attach(B, DocAccess::Edit);
    let change = a.doc.get_last_local_change().expect("the change").raw_bytes().to_vec();
    let own = carrying(change, a.doc.get_heads());
    core.receive_checked(B, &own, false, &[ActorId::random()]).expect("not foreign for B");
    assert_ne!(core.doc().get_heads(), heads, "applied");
}
