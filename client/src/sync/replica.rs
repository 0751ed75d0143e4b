//! The local replica of one document and its sync state with the server. No I/O: testable natively.

use automerge::AutoCommit;
use automerge::sync::{self, SyncDoc};
use kompromiss_shared::schema::{self, ConceptView};

/// A document replica in the browser.
pub struct Replica {
    doc: AutoCommit,
    state: sync::State,
}

impl Default for Replica {
    fn default() -> Self {
        Self::new()
    }
}

impl Replica {
    /// An empty replica (the document arrives by sync).
    pub fn new() -> Self {
        Self { doc: AutoCommit::new(), state: sync::State::new() }
    }

    /// A replica from saved bytes (local storage or the server's snapshot).
    pub fn load(bytes: &[u8]) -> Result<Self, String> {
        let doc = AutoCommit::load(bytes).map_err(|e| e.to_string())?;
        Ok(Self { doc, state: sync::State::new() })
    }

    /// True when the replica has no changes at all.
    pub fn is_empty(&mut self) -> bool {
        self.doc.get_heads().is_empty()
    }

    /// Forgets the sync state; call on every new connection.
    pub fn reset_sync(&mut self) {
        self.state = sync::State::new();
    }

    /// Applies the server's sync message. Returns whether the document changed.
    pub fn receive(&mut self, data: &[u8]) -> Result<bool, String> {
        let message = sync::Message::decode(data).map_err(|e| e.to_string())?;
        let before = self.doc.get_heads();
        kompromiss_shared::sync_steps::receive(&mut self.doc, &mut self.state, message).map_err(|e| e.to_string())?;
        Ok(self.doc.get_heads() != before)
    }

    /// The next message for the server, if any.
    pub fn generate(&mut self) -> Option<Vec<u8>> {
        self.doc.sync().generate_sync_message(&mut self.state).map(|m| m.encode())
    }

    /// True when the server has confirmed (by its heads) every change this replica has.
    /// The server advertises heads only after storing them, so this means "durably saved".
    /// Local changes the server's last known heads do not cover (0 when they are unknown).
    pub fn unacknowledged(&mut self) -> usize {
        let Some(theirs) = self.state.their_heads.clone() else { return 0 };
        if theirs.iter().any(|h| self.doc.get_change_by_hash(h).is_none()) {
            return 0;
        }
        self.doc.get_changes(&theirs).len()
    }

    pub fn is_saved(&mut self) -> bool {
        let Some(theirs) = self.state.their_heads.clone() else {
            return false;
        };
        if theirs.iter().any(|h| self.doc.get_change_by_hash(h).is_none()) {
            return false;
        }
        self.doc.get_changes(&theirs).is_empty()
    }

    /// The concept for display.
    pub fn view(&self) -> ConceptView {
        schema::read_concept(&self.doc)
    }

    /// The document, for local edits.
    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// The whole replica as bytes, for local storage.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::sync::SyncDoc;
    use kompromiss_shared::schema::FieldPath;

    /// Runs the sync protocol between a replica and a server-side document until both are quiet.
    fn sync_with(replica: &mut Replica, server: &mut automerge::Automerge, state: &mut sync::State) {
        for _ in 0..10 {
            let up = replica.generate();
            if let Some(m) = &up {
                server.receive_sync_message(state, sync::Message::decode(m).expect("decode")).expect("receive");
            }
            let down = server.generate_sync_message(state);
            if let Some(m) = &down {
                replica.receive(&m.clone().encode()).expect("receive");
            }
            if up.is_none() && down.is_none() {
                break;
            }
        }
    }

    #[test]
    fn the_replica_is_saved_only_after_the_server_acknowledged_its_change() {
        let mut replica = Replica::new();
        schema::set_text(replica.doc_mut(), &FieldPath::Title, "x").expect("edit");
        let mut server = automerge::Automerge::new();
        let mut state = sync::State::new();
        assert!(!replica.is_saved());
        // The change reaches the server, but its answer has not arrived yet.
        sync_with_held_answer(&mut replica, &mut server, &mut state);
        sync_with(&mut replica, &mut server, &mut state);
        assert!(replica.is_saved());
        assert_eq!(schema::read_string(&server, &automerge::ROOT, "title"), "x");
        schema::set_text(replica.doc_mut(), &FieldPath::Title, "xy").expect("edit");
        assert!(!replica.is_saved(), "a new local change is not saved yet");
        sync_with(&mut replica, &mut server, &mut state);
        assert!(replica.is_saved());
    }

    /// Delivers the replica's messages until the server has its change; checks that the replica
    /// does not count as saved before the server's answer arrives, then delivers that answer.
    fn sync_with_held_answer(replica: &mut Replica, server: &mut automerge::Automerge, state: &mut sync::State) {
        for _ in 0..10 {
            let up = replica.generate().expect("the replica has something to send");
            server.receive_sync_message(state, sync::Message::decode(&up).expect("decode")).expect("receive");
            let answer = server.generate_sync_message(state).expect("the server answers");
            let has_change = !server.get_heads().is_empty();
            assert!(!replica.is_saved(), "saved before the server's answer arrived");
            replica.receive(&answer.encode()).expect("answer");
            if has_change {
                return;
            }
        }
        panic!("the change never reached the server");
    }
}
