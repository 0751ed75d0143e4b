//! Structural check of the change data in a sync message before Automerge sees it, and what it
//! says about its authors: Automerge silently skips a truncated chunk, but a peer that sends one
//! is broken or hostile and is refused.

use automerge::{ActorId, Change, ChangeHash};
use kompromiss_shared::limits::MAX_INFLATED_BYTES;
use sha2::{Digest, Sha256};

use super::decoded_size::{self, Caps, SizeError};

/// First bytes of every Automerge chunk.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;

/// One change chunk of a sync message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectedChange {
    pub hash: ChangeHash,
    pub actor: ActorId,
    /// The chunk's length in bytes.
    pub bytes: usize,
}

/// What the chunks of a sync message carry.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// Each change chunk.
    pub changes: Vec<InspectedChange>,
    /// The actors named by whole-document chunks (their changes are not listed one by one).
    pub document_actors: Vec<ActorId>,
    /// Operations the chunks decode to (an upper bound for whole documents), counted before
    /// Automerge decoded anything.
    pub ops: u64,
    /// How many whole-document chunks there were.
    pub documents: usize,
}

impl Inspected {
    /// Every actor the chunks name, each once.
    pub fn actors(&self) -> Vec<ActorId> {
        let mut actors: Vec<ActorId> =
            self.changes.iter().map(|c| c.actor.clone()).chain(self.document_actors.iter().cloned()).collect();
        actors.sort();
        actors.dedup();
        actors
    }

    /// True when a whole-document chunk was among them.
    pub fn has_document(&self) -> bool {
        self.documents > 0
    }
}

/// Why change data is refused before Automerge decodes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InspectError {
    #[error("not a sequence of complete, well-formed chunks")]
    Malformed,
    #[error(transparent)]
    Size(#[from] SizeError),
}

/// Inspects the change data of a sync message (one or more byte strings, each a sequence of
/// chunks), measuring what it decodes to first: more than `max_ops` operations, or compressed
/// parts inflating past [`MAX_INFLATED_BYTES`], are refused before Automerge decodes anything.
pub fn inspect(blobs: &[&[u8]], max_ops: u64) -> Result<Inspected, InspectError> {
    let caps = Caps { max_ops, max_inflated_bytes: MAX_INFLATED_BYTES };
    let size = decoded_size::measure_all(blobs.iter().copied(), &caps).map_err(|error| match error {
        SizeError::Malformed(_) => InspectError::Malformed,
        other => InspectError::Size(other),
    })?;
    let mut found = Inspected { ops: size.ops, ..Inspected::default() };
    for blob in blobs {
        inspect_blob(blob, &mut found).ok_or(InspectError::Malformed)?;
    }
    Ok(found)
}

/// True when `bytes` is a sequence of complete chunks and every change chunk parses as a change.
#[cfg(test)]
fn chunks_are_well_formed(bytes: &[u8]) -> bool {
    inspect(&[bytes], u64::MAX).is_ok()
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
                // The header's checksum is the first bytes of the change's hash (of its
                // uncompressed form); Automerge would drop a mismatching change without a word.
                if change.hash().0[..4] != chunk[4..8] {
                    return None;
                }
                let (hash, actor) = (change.hash(), change.actor_id().clone());
                found.changes.push(InspectedChange { hash, actor, bytes: chunk.len() });
            }
            DOCUMENT => {
                if Sha256::digest(&chunk[8..])[..4] != chunk[4..8] {
                    return None;
                }
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

/// The hashes of the change chunks in `bytes` (a stored chunk: changes were measured when they
/// were received, so no size caps apply here); `None` when it is not a sequence of well-formed
/// chunks.
pub fn change_hashes(bytes: &[u8]) -> Option<Vec<ChangeHash>> {
    let mut found = Inspected::default();
    inspect_blob(bytes, &mut found)?;
    Some(found.changes.into_iter().map(|c| c.hash).collect())
}

/// The heads a whole-document chunk (as `save()` writes it) records in its header, read without
/// decompressing anything: after the actor table, a count and that many 32-byte hashes. `None`
/// for anything that is not one complete document chunk.
pub fn document_heads(chunk: &[u8]) -> Option<Vec<ChangeHash>> {
    let (len, body_start) = chunk_len(chunk)?;
    if len != chunk.len() || chunk[8] != DOCUMENT {
        return None;
    }
    let mut body = &chunk[body_start..];
    let actors = uleb(&mut body)?;
    for _ in 0..actors {
        let len = usize::try_from(uleb(&mut body)?).ok()?;
        body = body.get(len..)?;
    }
    let count = usize::try_from(uleb(&mut body)?).ok()?;
    let mut heads = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        let (hash, rest) = body.split_at_checked(32)?;
        heads.push(ChangeHash::try_from(hash).ok()?);
        body = rest;
    }
    Some(heads)
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
        let mut wrong_checksum = changes[0].clone();
        wrong_checksum[4] ^= 0xff;
        assert!(!chunks_are_well_formed(&wrong_checksum), "a change whose checksum does not match");
        let mut whole = doc.save();
        whole[5] ^= 0xff;
        assert!(!chunks_are_well_formed(&whole), "a document whose checksum does not match");
        let cut = &changes[0][..changes[0].len() - 1];
        assert!(!chunks_are_well_formed(cut));
        assert!(!chunks_are_well_formed(b"\x85\x6f\x4a\x83 nonsense"));
        assert!(!chunks_are_well_formed(&[]));
    }

    #[test]
    fn a_saved_documents_heads_are_read_from_its_header() {
        let mut ada = automerge::AutoCommit::new();
        ada.put(automerge::ROOT, "title", "Konzept").expect("put");
        ada.commit();
        let mut bob = ada.fork();
        bob.put(automerge::ROOT, "title", "Konzept 2027").expect("put");
        bob.commit();
        ada.put(automerge::ROOT, "ziel", "Reichweite").expect("put");
        ada.commit();
        ada.merge(&mut bob).expect("merge");
        let mut expected = ada.get_heads();
        expected.sort();
        assert_eq!(expected.len(), 2, "two heads after the merge");
        let mut read = document_heads(&ada.save()).expect("a document");
        read.sort();
        assert_eq!(read, expected);
        let change = ada.get_last_local_change().expect("change").raw_bytes().to_vec();
        assert_eq!(document_heads(&change), None, "a change is no document");
        let whole = ada.save();
        assert_eq!(document_heads(&whole[..whole.len() - 1]), None, "cut short");
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
        let seen = inspect(&[change.raw_bytes()], u64::MAX).expect("well formed");
        let expected =
            InspectedChange { hash: change.hash(), actor: bob.get_actor().clone(), bytes: change.raw_bytes().len() };
        assert_eq!(seen.changes, vec![expected]);
        assert!(!seen.has_document());

        let whole = bob.save();
        let seen = inspect(&[&whole[..]], u64::MAX).expect("well formed");
        assert!(seen.changes.is_empty() && seen.has_document());
        assert_eq!(seen.actors(), vec![ada.get_actor().clone(), bob.get_actor().clone()]);

        let both = [change.raw_bytes(), &whole[..]];
        assert_eq!(inspect(&both, u64::MAX).expect("well formed").actors().len(), 2, "each actor once");
    }
}
