//! Structural check of the change data in a sync message before Automerge sees it: Automerge
//! silently skips a truncated chunk, but a peer that sends one is broken or hostile and is refused.

/// First bytes of every Automerge chunk.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;

/// True when `bytes` is a sequence of complete chunks and every change chunk parses as a change.
pub fn chunks_are_well_formed(mut bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    while !bytes.is_empty() {
        let Some(len) = chunk_len(bytes) else { return false };
        let (chunk, rest) = bytes.split_at(len);
        let kind = chunk[8];
        let ok = match kind {
            CHANGE | COMPRESSED_CHANGE => automerge::Change::try_from(chunk).is_ok(),
            DOCUMENT => true,
            _ => false,
        };
        if !ok {
            return false;
        }
        bytes = rest;
    }
    true
}

/// The total length of the chunk at the start of `bytes`, if it is complete.
fn chunk_len(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 10 || bytes[..4] != MAGIC {
        return None;
    }
    // magic (4) + checksum (4) + type (1), then the body length as unsigned LEB128.
    let (mut value, mut shift, mut pos) = (0u64, 0u32, 9usize);
    loop {
        let byte = *bytes.get(pos)?;
        pos += 1;
        value |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
    let total = pos.checked_add(usize::try_from(value).ok()?)?;
    (total <= bytes.len()).then_some(total)
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
}
