//! Documents for the load generator: a small concept, and the 104,852-character automerge-paper trace.

use std::path::Path;

use anyhow::Context;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use serde::Deserialize;

/// Key of the text the writer edits.
pub const TEXT: &str = "text";

/// A small document: a title and a few hundred characters of text.
pub fn small() -> AutoCommit {
    let mut doc = AutoCommit::new();
    let text = doc.put_object(ROOT, TEXT, ObjType::Text).expect("text");
    doc.splice_text(&text, 0, 0, &"Social-Media-Konzept des Landesverbandes. ".repeat(8)).expect("splice");
    doc.commit();
    doc
}

#[derive(Deserialize)]
struct Trace {
    txns: Vec<Txn>,
    #[serde(rename = "endContent")]
    end_content: String,
}

#[derive(Deserialize)]
struct Txn {
    patches: Vec<(usize, usize, String)>,
}

/// The automerge-paper editing trace replayed with one change per transaction (259,778 changes),
/// cached as a saved document next to `cache` so later runs only load it.
pub fn paper(trace: &Path, cache: &Path) -> anyhow::Result<AutoCommit> {
    if let Ok(bytes) = std::fs::read(cache) {
        return AutoCommit::load(&bytes).context("cached paper document");
    }
    let file = std::fs::File::open(trace).with_context(|| format!("open {}", trace.display()))?;
    let trace: Trace = serde_json::from_reader(flate2::read::GzDecoder::new(file)).context("parse trace")?;
    let mut doc = AutoCommit::new();
    let text = doc.put_object(ROOT, TEXT, ObjType::Text)?;
    doc.commit();
    for txn in &trace.txns {
        for (pos, del, ins) in &txn.patches {
            doc.splice_text(&text, *pos, *del as isize, ins)?;
        }
        doc.commit();
    }
    anyhow::ensure!(doc.text(&text)? == trace.end_content, "replayed text differs from endContent");
    if let Some(dir) = cache.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(cache, doc.save())?;
    Ok(doc)
}
