//! The fast paths must do exactly what Automerge 0.6.1 does: same bytes, same states.

use automerge::sync::{Message, State, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ObjType, ROOT, ReadDoc};
use rand::{Rng, SeedableRng};

use super::*;

struct Client {
    doc: AutoCommit,
    state: State,
}

impl Client {
    fn message(&mut self) -> Option<Vec<u8>> {
        self.doc.sync().generate_sync_message(&mut self.state).map(|m| m.encode())
    }
    fn take(&mut self, bytes: &[u8]) {
        let m = Message::decode(bytes).expect("decode");
        self.doc.sync().receive_sync_message(&mut self.state, m).expect("receive");
    }
    fn type_char(&mut self, rng: &mut impl Rng) {
        let text = match self.doc.get(ROOT, "text").expect("get") {
            Some((_, id)) => id,
            None => self.doc.put_object(ROOT, "text", ObjType::Text).expect("text"),
        };
        let len = self.doc.length(&text);
        self.doc.splice_text(&text, rng.random_range(0..=len), 0, "x").expect("splice");
        self.doc.commit();
    }
}

/// A server doc with per-peer states, once driven by the library and once by the fast paths.
struct Twin {
    lib: Automerge,
    fast: Automerge,
    lib_states: Vec<State>,
    fast_states: Vec<State>,
    /// How often `quiet` said there was nothing to send.
    quiet_seen: usize,
}

impl Twin {
    fn receive(&mut self, peer: usize, bytes: &[u8]) {
        self.lib
            .receive_sync_message(&mut self.lib_states[peer], Message::decode(bytes).expect("decode"))
            .expect("lib");
        receive(&mut self.fast, &mut self.fast_states[peer], Message::decode(bytes).expect("decode")).expect("fast");
        assert_eq!(self.lib_states[peer], self.fast_states[peer], "state after receive");
        assert_eq!(self.lib.get_heads(), self.fast.get_heads());
    }

    /// Generates for a peer on both sides; the fast side tries the broadcast first.
    /// A state `quiet` calls silent must get nothing from the library and stay unchanged.
    fn generate(&mut self, peer: usize, broadcast: Option<&Broadcast>) -> (Option<Vec<u8>>, bool) {
        let silent = quiet(&self.fast.get_heads(), &self.fast_states[peer]);
        self.quiet_seen += usize::from(silent);
        let lib = self.lib.generate_sync_message(&mut self.lib_states[peer]).map(|m| m.encode());
        if silent {
            assert_eq!(lib, None, "quiet, but the library had something to say");
            assert_eq!(self.lib_states[peer], self.fast_states[peer], "quiet changed nothing");
        }
        let (fast, used) = match broadcast.and_then(|b| b.for_peer(&mut self.fast_states[peer])) {
            Some(bytes) => (Some(bytes.to_vec()), true),
            None => (self.fast.generate_sync_message(&mut self.fast_states[peer]).map(|m| m.encode()), false),
        };
        assert_eq!(lib, fast, "message bytes");

        assert_eq!(self.lib_states[peer], self.fast_states[peer], "state after generate");
        (lib, used)
    }
}

#[test]
fn fast_receive_and_broadcast_match_the_library_byte_for_byte_over_random_sessions() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut seed = AutoCommit::new();
    let mut writer_tmp = Client { doc: AutoCommit::new(), state: State::new() };
    writer_tmp.type_char(&mut rng);
    seed.merge(&mut writer_tmp.doc).expect("merge");
    let base = Automerge::load(&seed.save()).expect("load");
    let mut twin = Twin {
        lib: base.clone(),
        fast: base,
        lib_states: vec![State::new(); 3],
        fast_states: vec![State::new(); 3],
        quiet_seen: 0,
    };
    let mut clients: Vec<Client> = (0..3)
        .map(|i| Client { doc: if i == 0 { seed.fork() } else { AutoCommit::new() }, state: State::new() })
        .collect();
    let mut broadcasts_used = 0;
    for step in 0..300 {
        let before = twin.fast.get_heads();
        // Somebody edits: mostly the writer (0), sometimes a reader.
        let who = if rng.random_bool(0.8) { 0 } else { rng.random_range(1..3) };
        if rng.random_bool(0.7) {
            clients[who].type_char(&mut rng);
        }
        // Clients send what they have (sometimes a message is delayed to the next step). Sometimes a
        // client edits again and sends a second message before the server answers: the server
        // handles a batch of messages per fan-out.
        for (i, c) in clients.iter_mut().enumerate() {
            if rng.random_bool(0.85)
                && let Some(m) = c.message()
            {
                twin.receive(i, &m);
                if rng.random_bool(0.2) {
                    c.type_char(&mut rng);
                    if let Some(m) = c.message() {
                        twin.receive(i, &m);
                    }
                }
            }
        }
        let broadcast = if twin.fast.get_heads() != before { Broadcast::build(&twin.fast, &before) } else { None };
        for (i, c) in clients.iter_mut().enumerate() {
            let (message, used) = twin.generate(i, broadcast.as_ref());
            broadcasts_used += usize::from(used);
            if let Some(m) = message {
                c.take(&m);
            }
        }
        if step % 50 == 49 {
            // Drain everything: the protocol converges with both kinds of messages mixed.
            for _ in 0..20 {
                let mut quiet = true;
                for (i, c) in clients.iter_mut().enumerate() {
                    if let Some(m) = c.message() {
                        quiet = false;
                        twin.receive(i, &m);
                    }
                    if let (Some(m), _) = twin.generate(i, None) {
                        quiet = false;
                        c.take(&m);
                    }
                }
                if quiet {
                    break;
                }
            }
            for c in &mut clients {
                assert_eq!(c.doc.get_heads(), twin.fast.get_heads(), "converged at step {step}");
            }
        }
    }
    assert!(broadcasts_used > 100, "the steady path was exercised ({broadcasts_used} times)");
    assert!(twin.quiet_seen > 100, "the quiet check said so often ({} times)", twin.quiet_seen);
}

#[test]
fn a_fresh_peer_gets_the_cached_whole_document_and_then_syncs_normally() {
    let mut writer = AutoCommit::new();
    let text = writer.put_object(ROOT, "text", ObjType::Text).expect("text");
    for i in 0..200 {
        writer.splice_text(&text, i, 0, "a").expect("splice");
        writer.commit();
    }
    let mut server = Automerge::load(&writer.save()).expect("load");
    let mut cache = None;
    let mut reader = Client { doc: AutoCommit::new(), state: State::new() };
    let mut st = State::new();
    receive(&mut server, &mut st, Message::decode(&reader.message().expect("request")).expect("decode"))
        .expect("receive");
    assert!(FreshDoc::wanted_by(&st));
    let bytes = FreshDoc::current(&mut cache, &server).to_vec();
    FreshDoc::sent(&mut st, &server.get_heads());
    reader.take(&bytes);
    assert_eq!(reader.doc.get_heads(), server.get_heads());
    // The reader's answer makes it a normal peer; the next edit reaches it by broadcast.
    receive(&mut server, &mut st, Message::decode(&reader.message().expect("ack")).expect("decode")).expect("ack");
    let before = server.get_heads();
    writer.splice_text(&text, 0, 0, "b").expect("splice");
    writer.commit();
    let change = writer.get_last_local_change().expect("change").raw_bytes().to_vec();
    server.load_incremental(&change).expect("apply");
    let broadcast = Broadcast::build(&server, &before).expect("built");
    let out = broadcast.for_peer(&mut st).expect("steady peer").to_vec();
    reader.take(&out);
    assert_eq!(reader.doc.get_heads(), server.get_heads());
    assert!(out.len() < 1000, "only the new change travels ({} bytes)", out.len());
}
