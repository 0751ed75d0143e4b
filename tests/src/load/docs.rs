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
    let mut doc = AutoCommit::new();
    let text = doc.put_object(ROOT, TEXT, ObjType::Text)?;
    doc.commit();
    replay(trace, &mut doc, &text, cache)?;
    Ok(doc)
}

/// Types the trace into the empty text `text` of `doc`, one change per transaction, checks the
/// result against the trace's end and saves the document to `cache`.
fn replay(trace: &Path, doc: &mut AutoCommit, text: &automerge::ObjId, cache: &Path) -> anyhow::Result<()> {
    let file = std::fs::File::open(trace).with_context(|| format!("open {}", trace.display()))?;
    let trace: Trace = serde_json::from_reader(flate2::read::GzDecoder::new(file)).context("parse trace")?;
    for txn in &trace.txns {
        for (pos, del, ins) in &txn.patches {
            doc.splice_text(text, *pos, *del as isize, ins)?;
        }
        doc.commit();
    }
    anyhow::ensure!(doc.text(text)? == trace.end_content, "replayed text differs from endContent");
    if let Some(dir) = cache.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(cache, doc.save())?;
    Ok(())
}

/// The concept template with the automerge-paper trace typed into its first section's body
/// (104,852 characters, one change per transaction), cached next to `cache`: a concept page as
/// large as a long motion gets. Returns the document and the body's field.
pub fn paper_concept(trace: &Path, cache: &Path) -> anyhow::Result<(AutoCommit, kompromiss_shared::schema::FieldPath)> {
    use kompromiss_shared::schema::{FieldPath, KEY_BODY};
    let template = kompromiss_shared::template::builtin().into_iter().next().context("a built-in template")?;
    let first = template.sections.first().context("a section")?.key.clone();
    let field = FieldPath::Section { id: first, field: KEY_BODY.into() };
    if let Ok(bytes) = std::fs::read(cache) {
        return Ok((AutoCommit::load(&bytes).context("cached paper concept")?, field));
    }
    let mut doc = AutoCommit::new();
    let mut n = 0u32;
    kompromiss_shared::schema::init_from_template(&mut doc, &template, || {
        n += 1;
        format!("p{n}")
    })?;
    doc.commit();
    let text = kompromiss_shared::anchor::text_of(&doc, &field).context("the body's text")?;
    let old = doc.length(&text);
    doc.splice_text(&text, 0, old as isize, "")?;
    doc.commit();
    replay(trace, &mut doc, &text, cache)?;
    Ok((doc, field))
}
