//! The automerge-paper editing trace: reading the gzip JSON and replaying it into reference texts.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use flate2::read::GzDecoder;
use serde_json::Value;

/// Edits in the trace (one change each when replayed).
pub const EDITS: usize = 259_778;
/// Characters of the final text.
pub const END_CHARS: usize = 104_852;
/// The "old" point of the history scenarios: heads after change #26,000 (about 10 %).
pub const H10: usize = 26_000;
/// The "late" point of the diff scenario: heads after change #233,800 (about 90 %).
pub const H90: usize = 233_800;

/// One patch of the trace; positions and lengths count Unicode code points.
#[derive(Debug, Clone)]
pub struct Edit {
    pub pos: usize,
    pub del: usize,
    pub ins: String,
}

#[derive(Debug)]
pub struct Trace {
    pub edits: Vec<Edit>,
    pub end: String,
    /// Text after `H10` edits, replayed without Automerge.
    pub at_h10: String,
    /// Text after `H90` edits, replayed without Automerge.
    pub at_h90: String,
}

/// Reads the trace, checks its shape and replays it into plain texts at `H10`, `H90` and the end.
pub fn load(path: &Path) -> Result<Trace> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let json: Value = serde_json::from_reader(BufReader::new(GzDecoder::new(file)))
        .with_context(|| format!("reading {}", path.display()))?;
    let start = json["startContent"].as_str().context("no startContent")?;
    ensure!(start.is_empty(), "the trace should start from an empty text");
    let end = json["endContent"].as_str().context("no endContent")?.to_owned();
    let txns = json["txns"].as_array().context("no txns")?;
    let mut edits = Vec::with_capacity(txns.len());
    for txn in txns {
        let patches = txn["patches"].as_array().context("txn without patches")?;
        ensure!(patches.len() == 1, "expected one patch per txn");
        let (Some(pos), Some(del), Some(ins)) =
            (patches[0][0].as_u64(), patches[0][1].as_u64(), patches[0][2].as_str())
        else {
            bail!("malformed patch {}", patches[0]);
        };
        edits.push(Edit { pos: usize::try_from(pos)?, del: usize::try_from(del)?, ins: ins.to_owned() });
    }
    ensure!(edits.len() == EDITS, "expected {EDITS} edits, found {}", edits.len());
    ensure!(end.chars().count() == END_CHARS, "expected {END_CHARS} final characters");

    let mut text: Vec<char> = Vec::new();
    let (mut at_h10, mut at_h90) = (String::new(), String::new());
    for (i, edit) in edits.iter().enumerate() {
        text.splice(edit.pos..edit.pos + edit.del, edit.ins.chars());
        if i + 1 == H10 {
            at_h10 = text.iter().collect();
        } else if i + 1 == H90 {
            at_h90 = text.iter().collect();
        }
    }
    ensure!(text.iter().collect::<String>() == end, "replaying the trace does not give endContent");
    Ok(Trace { edits, end, at_h10, at_h90 })
}
