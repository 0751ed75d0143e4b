//! The local replica of one document and its sync state with the server. No I/O: testable natively.

use std::collections::HashSet;

use automerge::sync::{self, SyncDoc};
use automerge::{AutoCommit, ChangeHash};
use kompromiss_shared::schema::{self, ConceptView};

/// A document replica in the browser.
pub struct Replica {
    doc: AutoCommit,
    state: sync::State,
    /// Changes the server sent before advertising them (it passes co-editors' changes on before
    /// storing them): theirs to store, not this replica's unsaved work. Forgotten once advertised.
    from_server: HashSet<ChangeHash>,
}

impl Default for Replica {
    fn default() -> Self {
        Self::new()
    }
}

impl Replica {
    /// An empty replica (the document arrives by sync).
    pub fn new() -> Self {
        Self { doc: AutoCommit::new(), state: sync::State::new(), from_server: HashSet::new() }
    }

    /// A replica from saved bytes (local storage or the server's snapshot).
    pub fn load(bytes: &[u8]) -> Result<Self, String> {
        let doc = AutoCommit::load(bytes).map_err(|e| e.to_string())?;
        Ok(Self { doc, state: sync::State::new(), from_server: HashSet::new() })
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
        kompromiss_shared::sync_fast::receive(&mut self.doc, &mut self.state, message).map_err(|e| e.to_string())?;
        let changed = self.doc.get_heads() != before;
        match self.unconfirmed() {
            Some(pending) if pending.is_empty() => self.from_server.clear(),
            Some(_) if changed => {
                let arrived = self.doc.get_changes(&before).iter().map(|c| c.hash()).collect::<Vec<_>>();
                self.from_server.extend(arrived);
            }
            _ => {}
        }
        Ok(changed)
    }

    /// The next message for the server, if any.
    pub fn generate(&mut self) -> Option<Vec<u8>> {
        self.doc.sync().generate_sync_message(&mut self.state).map(|m| m.encode())
    }

    /// True when the server has confirmed (by its heads) every change made here. The server
    /// advertises heads only after storing them, so this means "durably saved". Changes that came
    /// from the server do not count: it may send a co-editor's change before storing it.
    pub fn is_saved(&mut self) -> bool {
        self.unconfirmed().is_some_and(|pending| pending.iter().all(|h| self.from_server.contains(h)))
    }

    /// Changes the server's advertised heads do not cover; `None` before it advertised any we know.
    fn unconfirmed(&mut self) -> Option<Vec<ChangeHash>> {
        let theirs = self.state.their_heads.clone()?;
        if theirs.iter().any(|h| self.doc.get_change_by_hash(h).is_none()) {
            return None;
        }
        Some(self.doc.get_changes(&theirs).iter().map(|c| c.hash()).collect())
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

    /// The server passes a co-editor's change on before storing it, under the heads it has stored:
    /// that change is not this replica's unsaved work (the indicator must not flicker on every
    /// remote keystroke), while the replica's own edit stays unsaved until advertised.
    #[test]
    fn a_change_passed_on_before_the_server_stored_it_does_not_make_the_replica_unsaved() {
        let mut server = automerge::Automerge::new();
        let mut state = sync::State::new();
        let mut replica = Replica::new();
        schema::set_text(replica.doc_mut(), &FieldPath::Title, "Konzept").expect("edit");
        sync_with(&mut replica, &mut server, &mut state);
        assert!(replica.is_saved());
        for own_edit in [false, true] {
            let mut other = AutoCommit::load(&server.save()).expect("load");
            let title = format!("Konzept {own_edit}");
            schema::set_text(&mut other, &FieldPath::Title, &title).expect("edit");
            let change = other.get_last_local_change().expect("change").clone();
            if own_edit {
                automerge::transaction::Transactable::put(replica.doc_mut(), automerge::ROOT, "own", 1).expect("edit");
            }
            let stored = server.get_heads();
            server.apply_changes([change]).expect("apply");
            let passed_on =
                kompromiss_shared::sync_fast::forward(&server, &mut state, &stored).expect("a change to pass on");
            assert_eq!(passed_on.heads, stored, "only stored heads are named");
            assert!(replica.receive(&passed_on.encode()).expect("receive"), "the change arrived");
            assert_eq!(replica.view().title, title);
            assert_eq!(replica.is_saved(), !own_edit, "own edit: {own_edit}");
            sync_with(&mut replica, &mut server, &mut state);
            assert!(replica.is_saved());
            assert_eq!(replica.doc_mut().get_heads(), server.get_heads());
        }
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
