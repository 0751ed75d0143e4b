//! Counts the changes and ops that Automerge chunks decode to, without decoding them.

use std::io::{self, Read, Write};

use flate2::bufread::DeflateDecoder;

/// The four bytes every chunk starts with.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// Length of a change hash.
const HASH_LEN: usize = 32;
/// Column spec bit: the column data is raw DEFLATE.
const DEFLATE_BIT: u32 = 0x08;
/// Column types (the low three bits of a column spec; the bits above the deflate bit are the
/// column id) that need special handling. Every other type holds uLEB values.
const GROUP: u32 = 0;
const DELTA: u32 = 3;
const BOOLEAN: u32 = 4;
const STRING: u32 = 5;
const VALUE_RAW: u32 = 7;

/// Limits on what one [`measure`] call accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Most ops in total. No single column may claim more rows than the budget left, which
    /// also bounds preds, succs, deps and changes.
    pub max_ops: u64,
    /// Most bytes that DEFLATE data may inflate to, summed over the whole call.
    pub max_inflated_bytes: usize,
}

/// What a run of chunks decodes to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodedSize {
    /// One per change chunk, plus the changes stored in each document.
    pub changes: u64,
    /// Exact (the sum of `Change::len`) for change chunks. For documents: stored ops plus succ
    /// entries, an upper bound on the rebuilt history's ops, as deletes are stored only as succs.
    pub ops: u64,
    /// Document chunks.
    pub documents: u64,
}

/// Why a run of chunks was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    /// The bytes are not a well-formed chunk sequence.
    #[error("malformed automerge data: {0}")]
    Malformed(&'static str),
    /// Decoding would produce more than `max` ops (or rows in one column).
    #[error("automerge data decodes to more than {max} ops (at least {ops})")]
    TooManyOps { ops: u64, max: u64 },
    /// Compressed data inflates to more than `max` bytes.
    #[error("automerge data inflates to more than {max} bytes")]
    Inflated { max: usize },
}

type Result<T> = std::result::Result<T, SizeError>;

/// Measures every chunk in `bytes` (a concatenation of chunks, as in a sync message's change list
/// entry or a stored file). Empty input measures as zero.
pub fn measure(bytes: &[u8], caps: &Caps) -> Result<DecodedSize> {
    measure_all([bytes], caps)
}

/// Measures several byte strings of chunks (a sync message's change list) under one budget: the
/// caps apply to their sum.
pub fn measure_all<'a>(blobs: impl IntoIterator<Item = &'a [u8]>, caps: &Caps) -> Result<DecodedSize> {
    let mut meter = Meter { caps: *caps, inflate_left: caps.max_inflated_bytes, size: DecodedSize::default() };
    for blob in blobs {
        meter.chunks(blob)?;
    }
    Ok(meter.size)
}

/// Running totals and budgets for one [`measure`] call.
struct Meter {
    caps: Caps,
    inflate_left: usize,
    size: DecodedSize,
}

impl Meter {
    /// Measures a concatenation of chunks.
    fn chunks(&mut self, bytes: &[u8]) -> Result<()> {
        let mut input = Reader(bytes);
        while !input.is_empty() {
            if input.take(MAGIC.len(), "truncated chunk header")? != MAGIC {
                return Err(SizeError::Malformed("bad magic bytes"));
            }
            input.take(4, "truncated chunk header")?; // checksum: not verified here
            let kind = input.byte()?;
            let len = input.len()?;
            let body = input.take(len, "chunk longer than input")?;
            match kind {
                0 => self.document(body)?,
                1 => self.change(body)?,
                2 => {
                    let mut inflated = Vec::new();
                    self.inflate(body, &mut inflated)?;
                    self.change(&inflated)?;
                }
                _ => return Err(SizeError::Malformed("unknown chunk type")),
            }
        }
        Ok(())
    }

    /// Measures a change chunk body (after the header, inflated if it was compressed).
    fn change(&mut self, body: &[u8]) -> Result<()> {
        let mut r = Reader(body);
        r.skip_hashes()?; // dependencies
        r.skip_bytes()?; // actor
        r.uleb()?; // seq
        r.uleb()?; // start op
        r.sleb()?; // time
        r.skip_bytes()?; // message
        let others = r.uleb()?;
        for _ in 0..others {
            r.skip_bytes()?; // each pass eats a byte, so a huge count ends at end of input
        }
        let cols = columns(&mut r)?;
        let data = r.take(data_len(&cols)?, "column data longer than change")?;
        // The rest is extra bytes for future format versions.
        let rows = self.count_columns(&cols, data, false)?;
        self.size.changes = self.size.changes.saturating_add(1);
        self.add_ops(rows.top)
    }

    /// Measures a document chunk body.
    fn document(&mut self, body: &[u8]) -> Result<()> {
        let mut r = Reader(body);
        let actors = r.uleb()?;
        for _ in 0..actors {
            r.skip_bytes()?;
        }
        r.skip_hashes()?; // heads
        let change_cols = columns(&mut r)?;
        let op_cols = columns(&mut r)?;
        let change_data = r.take(data_len(&change_cols)?, "change columns longer than document")?;
        let op_data = r.take(data_len(&op_cols)?, "op columns longer than document")?;
        // The rest holds head indices, which cost nothing worth counting.
        let changes = self.count_columns(&change_cols, change_data, true)?;
        let ops = self.count_columns(&op_cols, op_data, true)?;
        self.size.changes = self.size.changes.saturating_add(changes.top);
        self.size.documents = self.size.documents.saturating_add(1);
        self.add_ops(ops.top.saturating_add(ops.grouped))
    }

    /// Counts the rows of a set of columns, inflating deflated ones if `deflate_ok`.
    fn count_columns(&mut self, cols: &[Column], data: &[u8], deflate_ok: bool) -> Result<Rows> {
        let mut data = Reader(data);
        let mut rows = Rows::default();
        let mut group = None;
        for col in cols {
            let raw = data.take(col.len, "column data longer than block")?;
            let (id, kind, deflated) = (col.spec >> 4, col.spec & 7, col.spec & DEFLATE_BIT != 0);
            // Columns that follow a group column with its id hold one entry per group member.
            let grouped = kind != GROUP && group == Some(id);
            if kind == GROUP {
                group = Some(id);
            } else if !grouped {
                group = None;
            }
            if deflated && !deflate_ok {
                return Err(SizeError::Malformed("deflated column in a change"));
            }
            if kind == VALUE_RAW {
                // No rows, but automerge inflates it, so it still counts against the byte budget.
                if deflated {
                    self.inflate(raw, &mut io::sink())?;
                }
                continue;
            }
            let mut inflated = Vec::new();
            let raw = if deflated {
                self.inflate(raw, &mut inflated)?;
                &inflated[..]
            } else {
                raw
            };
            let n = count_rows(raw, kind, self.size.ops, self.caps.max_ops)?;
            let slot = if grouped { &mut rows.grouped } else { &mut rows.top };
            *slot = (*slot).max(n);
        }
        Ok(rows)
    }

    /// Adds `ops` to the running total, failing once it passes the cap.
    fn add_ops(&mut self, ops: u64) -> Result<()> {
        self.size.ops = self.size.ops.saturating_add(ops);
        if self.size.ops > self.caps.max_ops {
            return Err(SizeError::TooManyOps { ops: self.size.ops, max: self.caps.max_ops });
        }
        Ok(())
    }

    /// Inflates raw DEFLATE `data` into `out`, spending (and enforcing) the inflate budget.
    fn inflate(&mut self, data: &[u8], out: &mut impl Write) -> Result<()> {
        let limit = u64::try_from(self.inflate_left).unwrap_or(u64::MAX).saturating_add(1);
        let mut decoder = DeflateDecoder::new(data).take(limit);
        let n = io::copy(&mut decoder, out).map_err(|_| SizeError::Malformed("bad DEFLATE data"))?;
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        self.inflate_left =
            self.inflate_left.checked_sub(n).ok_or(SizeError::Inflated { max: self.caps.max_inflated_bytes })?;
        Ok(())
    }
}

/// Row counts of a set of columns.
#[derive(Default)]
struct Rows {
    /// Most rows of any top-level column: one row per op (or per change).
    top: u64,
    /// Most rows of any grouped column: one row per group member (pred, succ, dep).
    grouped: u64,
}

/// One column's metadata: its spec and the length of its data.
struct Column {
    spec: u32,
    len: usize,
}

/// Reads column metadata: a count, then a spec and data length per column.
fn columns(r: &mut Reader<'_>) -> Result<Vec<Column>> {
    let count = r.uleb()?;
    let mut cols = Vec::new();
    let mut last = None;
    for _ in 0..count {
        let spec = u32::try_from(r.uleb()?).map_err(|_| SizeError::Malformed("column spec too large"))?;
        let len = r.len()?;
        // Automerge requires increasing specs (ignoring the deflate bit); groups rely on it.
        let normal = spec & !DEFLATE_BIT;
        if last.is_some_and(|last| last >= normal) {
            return Err(SizeError::Malformed("columns out of order"));
        }
        last = Some(normal);
        cols.push(Column { spec, len });
    }
    Ok(cols)
}

/// Total data length of a set of columns.
fn data_len(cols: &[Column]) -> Result<usize> {
    cols.iter()
        .try_fold(0usize, |sum, col| sum.checked_add(col.len))
        .ok_or(SizeError::Malformed("column lengths overflow"))
}

/// Counts a column's rows in O(runs). Fails once `used` plus the rows passes `max`.
fn count_rows(data: &[u8], kind: u32, used: u64, max: u64) -> Result<u64> {
    let mut r = Reader(data);
    let mut rows = 0u64;
    while !r.is_empty() {
        let run = if kind == BOOLEAN {
            r.uleb()? // alternating false/true run lengths
        } else {
            match r.sleb()? {
                n if n > 0 => {
                    skip_value(&mut r, kind)?; // one value, repeated n times
                    n.unsigned_abs()
                }
                0 => r.uleb()?, // a run of nulls
                n => {
                    let n = n.unsigned_abs(); // n literal values, each at least one byte
                    if n > u64::try_from(r.0.len()).unwrap_or(u64::MAX) {
                        return Err(SizeError::Malformed("literal run longer than column"));
                    }
                    for _ in 0..n {
                        skip_value(&mut r, kind)?;
                    }
                    n
                }
            }
        };
        rows = rows.saturating_add(run);
        let total = used.saturating_add(rows);
        if total > max {
            return Err(SizeError::TooManyOps { ops: total, max });
        }
    }
    Ok(rows)
}

/// Skips one value of an RLE column of type `kind`.
fn skip_value(r: &mut Reader<'_>, kind: u32) -> Result<()> {
    match kind {
        DELTA => r.sleb().map(drop),
        STRING => r.skip_bytes(),
        _ => r.uleb().map(drop),
    }
}

/// A cursor over input bytes; every read checks bounds.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn take(&mut self, n: usize, why: &'static str) -> Result<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n).ok_or(SizeError::Malformed(why))?;
        self.0 = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8> {
        let (&b, tail) = self.0.split_first().ok_or(SizeError::Malformed("truncated input"))?;
        self.0 = tail;
        Ok(b)
    }

    /// Reads an unsigned LEB128 number of at most 64 bits.
    fn uleb(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0u32..64).step_by(7) {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return Err(SizeError::Malformed("leb128 too large"));
            }
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(SizeError::Malformed("leb128 too large"))
    }

    /// Reads a signed LEB128 number of at most 64 bits.
    fn sleb(&mut self) -> Result<i64> {
        let mut value = 0i64;
        for shift in (0u32..64).step_by(7) {
            let b = self.byte()?;
            if shift == 63 {
                // The tenth byte may only carry the sign.
                return match b {
                    0 => Ok(value),
                    0x7f => Ok(value | i64::MIN),
                    _ => Err(SizeError::Malformed("leb128 too large")),
                };
            }
            value |= i64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                if b & 0x40 != 0 {
                    value |= -1i64 << (shift + 7); // sign-extend; shift + 7 <= 63 here
                }
                return Ok(value);
            }
        }
        Err(SizeError::Malformed("leb128 too large"))
    }

    /// Reads an unsigned LEB128 length that must fit in `usize`.
    fn len(&mut self) -> Result<usize> {
        usize::try_from(self.uleb()?).map_err(|_| SizeError::Malformed("length too large"))
    }

    /// Skips a length-prefixed byte string.
    fn skip_bytes(&mut self) -> Result<()> {
        let n = self.len()?;
        self.take(n, "truncated byte string").map(drop)
    }

    /// Skips a count-prefixed list of change hashes.
    fn skip_hashes(&mut self) -> Result<()> {
        let n = self.len()?;
        let bytes = n.checked_mul(HASH_LEN).ok_or(SizeError::Malformed("too many hashes"))?;
        self.take(bytes, "truncated hash list").map(drop)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, Change, ObjType, ROOT, ReadDoc, ScalarValue};
    use flate2::{Compression, write::DeflateEncoder};
    use proptest::prelude::*;

    use super::*;

    const MIB: usize = 1 << 20;
    const NO_CAPS: Caps = Caps { max_ops: u64::MAX, max_inflated_bytes: 64 * MIB };
    const SERVER_CAPS: Caps = Caps { max_ops: 500_000, max_inflated_bytes: 8 * MIB };

    fn put_uleb(out: &mut Vec<u8>, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                return out.push(byte);
            }
            out.push(byte | 0x80);
        }
    }

    fn put_sleb(out: &mut Vec<u8>, mut v: i64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) {
                return out.push(byte);
            }
            out.push(byte | 0x80);
        }
    }

    /// A chunk with a zero checksum.
    fn chunk(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend([0; 4]);
        out.push(kind);
        put_uleb(&mut out, body.len() as u64);
        out.extend(body);
        out
    }

    /// A change body whose op columns are `cols` (spec, data).
    fn change_body(cols: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let mut body = vec![0, 16]; // no deps; a 16-byte actor
        body.extend([7; 16]);
        body.extend([1, 1, 0, 0, 0]); // seq, start op, time, message, other actors
        put_uleb(&mut body, cols.len() as u64);
        for (spec, data) in cols {
            put_uleb(&mut body, u64::from(*spec));
            put_uleb(&mut body, data.len() as u64);
        }
        cols.iter().for_each(|(_, data)| body.extend(data));
        body
    }

    /// Raw DEFLATE of `mib` MiB of zeros.
    fn deflated_zeros(mib: usize) -> Vec<u8> {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        let block = vec![0; MIB];
        (0..mib).for_each(|_| encoder.write_all(&block).expect("deflate"));
        encoder.finish().expect("deflate")
    }

    fn concat<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
        chunks.into_iter().flatten().copied().collect()
    }

    /// Changes, ops (sum of `len()`), delete ops and pred entries of a document's history.
    fn history(doc: &mut AutoCommit) -> (Vec<Change>, u64, u64, u64) {
        let changes: Vec<Change> = doc.get_changes(&[]).into_iter().cloned().collect();
        let (mut ops, mut deletes, mut preds) = (0, 0, 0);
        for change in &changes {
            ops += change.len() as u64;
            for op in change.decode().operations {
                preds += op.pred.len() as u64;
                // `legacy::OpType` is not nameable outside automerge.
                deletes += u64::from(format!("{:?}", op.action) == "Delete");
            }
        }
        (changes, ops, deletes, preds)
    }

    #[test]
    fn counts_match_automerge() {
        let mut doc = AutoCommit::new();
        let text = doc.put_object(ROOT, "text", ObjType::Text).expect("make text");
        doc.splice_text(&text, 0, 0, "0123456789").expect("splice");
        for key in ["a", "b", "c"] {
            doc.put(ROOT, key, 1).expect("put");
        }
        doc.commit();
        let first = doc.get_last_local_change().expect("a local change");
        assert_eq!(first.len(), 14);
        assert_eq!(measure(first.raw_bytes(), &NO_CAPS), Ok(DecodedSize { changes: 1, ops: 14, documents: 0 }));

        doc.splice_text(&text, 10, 0, &"xyz".repeat(3_330)).expect("splice");
        doc.commit();
        doc.put(ROOT, "d", "v").expect("put");
        doc.commit();
        let (changes, ops, _, _) = history(&mut doc);
        assert_eq!(ops, 14 + 9_990 + 1);
        let raw = concat(changes.iter().map(|c| c.raw_bytes()));
        assert_eq!(measure(&raw, &NO_CAPS), Ok(DecodedSize { changes: 3, ops, documents: 0 }));

        // `Change::bytes` deflates big changes into a type 2 chunk.
        let compressed: Vec<Vec<u8>> = changes.into_iter().map(|mut c| c.bytes().into_owned()).collect();
        assert_eq!(compressed.iter().map(|c| c[8]).collect::<Vec<_>>(), [1, 2, 1]);
        let compressed = concat(compressed.iter().map(|c| &c[..]));
        assert_eq!(measure(&compressed, &NO_CAPS), Ok(DecodedSize { changes: 3, ops, documents: 0 }));

        // `save` deflates big columns; `save_nocompress` does not.
        let (saved, plain) = (doc.save(), doc.save_nocompress());
        assert!(saved.len() * 4 < plain.len(), "{} vs {}", saved.len(), plain.len());
        for bytes in [&saved, &plain] {
            assert_eq!(measure(bytes, &NO_CAPS), Ok(DecodedSize { changes: 3, ops, documents: 1 }));
        }
        let both = concat([&saved[..], &compressed]);
        assert_eq!(measure(&both, &NO_CAPS), Ok(DecodedSize { changes: 6, ops: 2 * ops, documents: 1 }));
    }

    /// Automerge's own bytes for one change splicing 1,000,000 characters into a text, compressed
    /// (1,107 bytes) and as a saved document (1,168 bytes); see tests/data/README.md.
    const MILLION_CHANGE: &[u8] = include_bytes!("../../../tests/data/million-chars.change");
    const MILLION_DOC: &[u8] = include_bytes!("../../../tests/data/million-chars.automerge");

    #[test]
    fn million_char_splice_is_refused_quickly() {
        assert_eq!(MILLION_CHANGE[8], 2, "a compressed change chunk");
        let change = Change::try_from(MILLION_CHANGE).expect("automerge reads it");
        assert_eq!(change.len(), 1_000_001);
        for bytes in [MILLION_CHANGE, change.raw_bytes(), MILLION_DOC] {
            let start = Instant::now();
            let err = measure(bytes, &SERVER_CAPS).expect_err("refused");
            assert!(matches!(err, SizeError::TooManyOps { ops: 500_001.., max: 500_000 }), "{err:?}");
            assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
            assert_eq!(measure(bytes, &NO_CAPS).map(|s| s.ops), Ok(1_000_001));
        }
    }

    #[test]
    fn huge_run_lengths_neither_loop_nor_overflow() {
        let big = 1u64 << 62;
        let mut rle = Vec::new(); // actor/int: a run of 2^62 copies of 1
        put_sleb(&mut rle, 1 << 62);
        put_uleb(&mut rle, 1);
        let mut nulls = Vec::new(); // 2^64 - 1 nulls
        put_sleb(&mut nulls, 0);
        put_uleb(&mut nulls, u64::MAX);
        let mut delta = Vec::new();
        put_sleb(&mut delta, 1 << 62);
        put_sleb(&mut delta, -1);
        let mut string = Vec::new();
        put_sleb(&mut string, 1 << 62);
        string.extend([3, b'a', b'b', b'c']);
        let mut booleans = Vec::new();
        put_uleb(&mut booleans, big);
        put_uleb(&mut booleans, big);
        let cols = [(0x01, nulls), (0x13, delta), (0x15, string), (0x34, booleans), (0x42, rle.clone())];
        let expected = [u64::MAX, big, big, 2 * big, big];
        let start = Instant::now();
        for ((spec, data), rows) in cols.iter().zip(expected) {
            let bytes = chunk(1, &change_body(&[(*spec, data.clone())]));
            // Counting stops at the first run past the cap.
            let err = measure(&bytes, &SERVER_CAPS).expect_err("refused");
            assert!(matches!(err, SizeError::TooManyOps { ops, max: 500_000 } if ops >= big), "{err:?}");
            assert_eq!(measure(&bytes, &NO_CAPS).map(|s| s.ops), Ok(rows));
        }
        // Totals saturate rather than overflow.
        let all = chunk(1, &change_body(&cols));
        assert_eq!(measure(&all.repeat(3), &NO_CAPS).map(|s| s.ops), Ok(u64::MAX));
        // A literal run cannot claim more values than the column has bytes.
        let mut literal = Vec::new();
        put_sleb(&mut literal, i64::MIN);
        let bytes = chunk(1, &change_body(&[(0x42, literal)]));
        assert_eq!(measure(&bytes, &NO_CAPS), Err(SizeError::Malformed("literal run longer than column")));
        // One op with 2^62 preds: the op count is 1, but the pred columns still hit the cap.
        let mut one = Vec::new();
        put_sleb(&mut one, 1);
        put_uleb(&mut one, 1);
        let mut pred_num = Vec::new();
        put_sleb(&mut pred_num, 1);
        put_uleb(&mut pred_num, big);
        let preds = [(0x42, one), (0x70, pred_num), (0x71, rle)];
        let bytes = chunk(1, &change_body(&preds));
        assert_eq!(measure(&bytes, &NO_CAPS).map(|s| s.ops), Ok(1));
        assert_eq!(measure(&bytes, &SERVER_CAPS), Err(SizeError::TooManyOps { ops: big, max: 500_000 }));
        assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
    }

    #[test]
    fn deflate_bombs_are_cut_off() {
        let bomb = chunk(2, &deflated_zeros(100));
        assert!(bomb.len() < MIB, "{}", bomb.len());
        let start = Instant::now();
        assert_eq!(measure(&bomb, &SERVER_CAPS), Err(SizeError::Inflated { max: 8 * MIB }));
        assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());

        // 1 MiB of zeros is a valid, empty change body; the budget is shared by all chunks.
        let small = chunk(2, &deflated_zeros(1));
        let eight = DecodedSize { changes: 8, ops: 0, documents: 0 };
        assert_eq!(measure(&small.repeat(8), &SERVER_CAPS), Ok(eight));
        assert_eq!(measure(&small.repeat(9), &SERVER_CAPS), Err(SizeError::Inflated { max: 8 * MIB }));

        // Deflated document columns count too, raw value columns included.
        for spec in [0x4a, 0x5f] {
            let zeros = deflated_zeros(100);
            let mut body = vec![0, 0, 0, 1]; // no actors, heads or change columns; one op column
            put_uleb(&mut body, spec);
            put_uleb(&mut body, zeros.len() as u64);
            body.extend(zeros);
            let bytes = chunk(0, &body);
            assert_eq!(measure(&bytes, &SERVER_CAPS), Err(SizeError::Inflated { max: 8 * MIB }));
        }
        // Change chunks may not have deflated columns at all.
        let bytes = chunk(1, &change_body(&[(0x4a, deflated_zeros(1))]));
        assert_eq!(measure(&bytes, &NO_CAPS), Err(SizeError::Malformed("deflated column in a change")));
    }

    /// Real chunks to damage: a change, its compressed form, and a document saved both ways.
    fn samples() -> &'static [Vec<u8>] {
        static SAMPLES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
        SAMPLES.get_or_init(|| {
            let mut doc = AutoCommit::new();
            let text = doc.put_object(ROOT, "text", ObjType::Text).expect("make text");
            doc.put(ROOT, "n", ScalarValue::counter(1)).expect("put");
            doc.commit();
            doc.splice_text(&text, 0, 0, &"hello world ".repeat(100)).expect("splice");
            doc.splice_text(&text, 5, 20, "").expect("splice");
            doc.put(ROOT, "k", "v").expect("put");
            doc.increment(ROOT, "n", 2).expect("increment");
            doc.commit();
            let mut change = doc.get_last_local_change().expect("a local change").clone();
            let compressed = change.bytes().into_owned();
            assert_eq!(compressed[8], 2);
            vec![change.raw_bytes().to_vec(), compressed, doc.save(), doc.save_nocompress()]
        })
    }

    #[test]
    fn every_truncation_is_handled() {
        for sample in samples() {
            assert!(measure(sample, &SERVER_CAPS).is_ok());
            for end in 0..sample.len() {
                let _ = measure(&sample[..end], &SERVER_CAPS);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn mutations_never_panic(
            which in 0..4usize,
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8),
        ) {
            let mut bytes = samples()[which].clone();
            for (at, byte, edit) in edits {
                let i = at.index(bytes.len());
                match edit {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ => drop(bytes.remove(i)),
                }
            }
            let _ = measure(&bytes, &SERVER_CAPS);
        }

        #[test]
        fn random_bodies_never_panic(kind in 0..3u8, body in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = measure(&chunk(kind, &body), &SERVER_CAPS);
        }
    }

    /// SplitMix64, for seeded histories without a rand dependency.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) % n
        }
    }

    /// Two peers editing a map, a text and a counter, merging now and then.
    fn random_history(seed: u64) -> AutoCommit {
        let mut rng = Rng(seed);
        let mut a = AutoCommit::new();
        let text = a.put_object(ROOT, "text", ObjType::Text).expect("make text");
        a.put(ROOT, "n", ScalarValue::counter(0)).expect("put");
        a.commit();
        let mut b = a.fork();
        for _ in 0..5 + rng.below(30) {
            let doc = if rng.below(3) == 0 { &mut b } else { &mut a };
            let key = ["a", "b", "c", "d"][rng.below(4) as usize];
            let len = doc.length(&text) as u64;
            match rng.below(7) {
                0 | 1 => doc.put(ROOT, key, rng.below(100) as i64).expect("put"),
                2 => drop(doc.delete(ROOT, key)),
                3 => doc
                    .splice_text(&text, rng.below(len + 1) as usize, 0, &"xy".repeat(rng.below(5) as usize))
                    .expect("splice"),
                4 if len > 0 => {
                    doc.splice_text(&text, rng.below(len) as usize, 1 + rng.below(3) as isize, "").expect("splice")
                }
                5 => doc.increment(ROOT, "n", 1).expect("increment"),
                _ => drop(doc.commit()),
            }
            match rng.below(6) {
                0 => drop(a.merge(&mut b).expect("merge")),
                1 => drop(b.merge(&mut a).expect("merge")),
                _ => {}
            }
        }
        a.merge(&mut b).expect("merge");
        a
    }

    #[test]
    fn document_counts_agree_with_history() {
        let (mut all_deletes, mut all_preds) = (0, 0);
        for seed in 0..50 {
            let mut doc = random_history(seed);
            let (changes, ops, deletes, preds) = history(&mut doc);
            (all_deletes, all_preds) = (all_deletes + deletes, all_preds + preds);
            let raw = concat(changes.iter().map(|c| c.raw_bytes()));
            let count = changes.len() as u64;
            assert_eq!(measure(&raw, &NO_CAPS), Ok(DecodedSize { changes: count, ops, documents: 0 }));
            // A document stores non-delete ops and one succ entry per pred.
            let doc_ops = ops - deletes + preds;
            assert!(doc_ops >= ops);
            for bytes in [doc.save(), doc.save_nocompress()] {
                let expected = DecodedSize { changes: count, ops: doc_ops, documents: 1 };
                assert_eq!(measure(&bytes, &NO_CAPS), Ok(expected), "seed {seed}");
            }
        }
        assert!(all_deletes > 50 && all_preds > all_deletes, "{all_deletes} {all_preds}");
    }
}
