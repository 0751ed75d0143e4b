//! Structural check of the change data in a sync message before Automerge sees it, and what it
//! says about its authors: Automerge silently skips a truncated chunk, but a peer that sends one
//! is broken or hostile and is refused.

use automerge::{ActorId, Change, ChangeHash};

/// First bytes of every Automerge chunk.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;

/// What the chunks of a sync message carry.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// Each change chunk's hash and actor.
    pub changes: Vec<(ChangeHash, ActorId)>,
    /// The actors named by whole-document chunks (their changes are not listed one by one).
    pub document_actors: Vec<ActorId>,
    /// How many whole-document chunks there were.
    pub documents: usize,
}

impl Inspected {
    /// Every actor the chunks name, each once.
    pub fn actors(&self) -> Vec<ActorId> {
        let mut actors: Vec<ActorId> =
            self.changes.iter().map(|(_, a)| a.clone()).chain(self.document_actors.iter().cloned()).collect();
        actors.sort();
        actors.dedup();
        actors
    }

    /// True when a whole-document chunk was among them.
    pub fn has_document(&self) -> bool {
        self.documents > 0
    }
}

/// Inspects the change data of a sync message (one or more byte strings, each a sequence of
/// chunks). `None` when any of it is not a sequence of complete, well-formed chunks.
pub fn inspect<'a>(blobs: impl IntoIterator<Item = &'a [u8]>) -> Option<Inspected> {
    let mut found = Inspected::default();
    for blob in blobs {
        inspect_blob(blob, &mut found)?;
    }
    Some(found)
}

/// True when `bytes` is a sequence of complete chunks and every change chunk parses as a change.
pub fn chunks_are_well_formed(bytes: &[u8]) -> bool {
    inspect([bytes]).is_some()
}

fn inspect_blob(mut bytes: &[u8], found: &mut Inspected) -> Option<()> {
    if bytes.is_empty() {
        return None;
    }
    while !bytes.is_empty() {
        let (len, body_start) = chunk_len(bytes)?;
        let (chunk, rest) = bytes.split_at(len);
        match chunk[8] {
            CHANGE | COMPRESSED_CHANGE => {
                let change = Change::try_from(chunk).ok()?;
                found.changes.push((change.hash(), change.actor_id().clone()));
            }
            DOCUMENT => {
                found.document_actors.extend(document_actors(&chunk[body_start..])?);
                found.documents += 1;
            }
            _ => return None,
        }
        bytes = rest;
    }
    Some(())
}

/// The actor table at the start of a document chunk's body: a count, then each actor id as
/// length and bytes (Automerge's binary format). Read without decompressing anything.
fn document_actors(mut body: &[u8]) -> Option<Vec<ActorId>> {
    let count = uleb(&mut body)?;
    let mut actors = Vec::new();
    for _ in 0..count {
        let len = usize::try_from(uleb(&mut body)?).ok()?;
        if len > body.len() {
            return None;
        }
        let (id, rest) = body.split_at(len);
        actors.push(ActorId::from(id));
        body = rest;
    }
    Some(actors)
}

/// Reads one unsigned LEB128 number.
fn uleb(bytes: &mut &[u8]) -> Option<u64> {
    let (mut value, mut shift) = (0u64, 0u32);
    loop {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// The total length of the chunk at the start of `bytes` and where its body starts, if it is complete.
fn chunk_len(bytes: &[u8]) -> Option<(usize, usize)> {
    if bytes.len() < 10 || bytes[..4] != MAGIC {
        return None;
    }
    // magic (4) + checksum (4) + type (1), then the body length as unsigned LEB128.
    let mut rest = &bytes[9..];
    let value = uleb(&mut rest)?;
    let pos = bytes.len() - rest.len();
    let total = pos.checked_add(usize::try_from(value).ok()?)?;
    (total <= bytes.len()).then_some((total, pos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;

    #[test]
    fn complete_changes_pass_and_cut_or_foreign_bytes_do_not() {
        let mut doc = automerge::AutoCommit::new();
        doc.put(automerge::ROOT, "a", 1).expect("put");
        doc.put(automerge::ROOT, "b", 2).expect("put");
        let changes: Vec<Vec<u8>> = doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect();
        assert!(chunks_are_well_formed(&changes[0]));
        assert!(chunks_are_well_formed(&changes.concat()), "concatenated changes (sync v2)");
        assert!(chunks_are_well_formed(&doc.save()), "a whole document");
        let cut = &changes[0][..changes[0].len() - 1];
        assert!(!chunks_are_well_formed(cut));
        assert!(!chunks_are_well_formed(b"\x85\x6f\x4a\x83 nonsense"));
        assert!(!chunks_are_well_formed(&[]));
    }

    #[test]
    fn the_authors_of_changes_and_of_whole_documents_are_read_without_loading_them() {
        let mut ada = automerge::AutoCommit::new().with_actor(ActorId::from(&[0xad; 16][..]));
        ada.put(automerge::ROOT, "title", "Konzept").expect("put");
        ada.commit();
        let mut bob = ada.fork().with_actor(ActorId::from(&[0xb0; 16][..]));
        bob.put(automerge::ROOT, "title", "Konzept 2027").expect("put");
        bob.commit();

        let change = bob.get_last_local_change().expect("change").clone();
        let seen = inspect([change.raw_bytes()]).expect("well formed");
        assert_eq!(seen.changes, vec![(change.hash(), bob.get_actor().clone())]);
        assert!(!seen.has_document());

        let whole = bob.save();
        let seen = inspect([&whole[..]]).expect("well formed");
        assert!(seen.changes.is_empty() && seen.has_document());
        assert_eq!(seen.actors(), vec![ada.get_actor().clone(), bob.get_actor().clone()]);

        let both = [change.raw_bytes(), &whole[..]];
        assert_eq!(inspect(both).expect("well formed").actors().len(), 2, "each actor once");
    }
}
