//! What a draft changes against the concept: word-level pieces per field, with the concept's line numbers.

mod items;
mod overlap;
mod text;

use serde::{Deserialize, Serialize};

use crate::decision::Decision;
use crate::lines::{FieldKind, NumberedField, number};
use crate::schema::ConceptView;

pub use overlap::overlaps;
pub use text::{MAX_DIFF_BYTES, text_diff};

/// Whether a piece of a text diff is in both texts, only the old or only the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PieceKind {
    Same,
    Deleted,
    Inserted,
}

/// A run of text of one kind; see [`text_diff`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub kind: PieceKind,
    pub text: String,
}

/// How one text field changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub kind: FieldKind,
    /// The whole field as [`text_diff`] pieces.
    pub pieces: Vec<Piece>,
    /// First and last line of the concept (old text) that the changes touch: deleted text at the
    /// lines it stood on, inserted text at the line it joins ([`NumberedField::insertion_line`]; in
    /// an empty field its [`NumberedField::first`]; in an added item the item's insertion point).
    /// `None` if nothing changed.
    pub lines: Option<(u32, u32)>,
}

/// Whether a section or platform is new, gone, or edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemChange {
    Added,
    Removed,
    Changed,
}

/// How one section changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionDiff {
    pub id: String,
    /// The new heading, or the old one if the section was removed.
    pub heading: String,
    pub change: ItemChange,
    /// Only the changed fields; for an added or removed section each non-empty field as one
    /// inserted or deleted piece.
    pub fields: Vec<FieldDiff>,
    /// The concept lines the change touches: a removed section's whole range; for an added one
    /// `(n, n)`, `n` the old line it follows (0 at the very start).
    pub lines: Option<(u32, u32)>,
}

/// How one platform changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformDiff {
    pub id: String,
    /// The new name, or the old one if the platform was removed.
    pub name: String,
    pub change: ItemChange,
    /// (old, new) when the decision changed; an added or removed platform counts as
    /// [`Decision::Offen`] on its missing side, so an open one reports none.
    pub decision: Option<(Decision, Decision)>,
    /// As in [`SectionDiff::fields`].
    pub fields: Vec<FieldDiff>,
    /// As in [`SectionDiff::lines`]; a changed decision counts at the name's first line.
    pub lines: Option<(u32, u32)>,
}

/// Everything a draft changes against the concept.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConceptDiff {
    /// The title's pieces if it changed (the title has no line numbers).
    pub title: Option<Vec<Piece>>,
    /// Changed, added and removed sections in the new document's order; a removed one stands
    /// where it stood in the old document (after the nearest old section before it).
    pub sections: Vec<SectionDiff>,
    /// The same for platforms.
    pub platforms: Vec<PlatformDiff>,
}

/// How many sections and platforms a diff touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    pub sections: usize,
    pub platforms: usize,
}

impl ConceptDiff {
    /// True when the two concepts have the same text and decisions (a mere reordering of
    /// sections or platforms counts as no change).
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.sections.is_empty() && self.platforms.is_empty()
    }

    /// How many sections and platforms were changed, added or removed.
    pub fn summary(&self) -> Summary {
        Summary { sections: self.sections.len(), platforms: self.platforms.len() }
    }
}

/// What `new` changes against `old`; sections and platforms are matched by id, line numbers are
/// those of `old`.
pub fn concept_diff(old: &ConceptView, new: &ConceptView) -> ConceptDiff {
    let numbering = number(old);
    let title = (old.title != new.title).then(|| text_diff(&old.title, &new.title));
    let (sections, platforms) = items::item_diffs(old, new, &numbering);
    ConceptDiff { title, sections, platforms }
}

/// The old lines that the changes in `pieces` touch, `field` being the old text's numbering.
fn changed_lines(pieces: &[Piece], field: &NumberedField) -> Option<(u32, u32)> {
    let mut at = 0;
    let mut span: Option<(u32, u32)> = None;
    for piece in pieces {
        let touched = match piece.kind {
            PieceKind::Same => None,
            PieceKind::Deleted => Some(field.span(at..at + piece.text.len())),
            PieceKind::Inserted => Some((field.insertion_line(at), field.insertion_line(at))),
        };
        if piece.kind != PieceKind::Inserted {
            at += piece.text.len();
        }
        span = union(span, touched);
    }
    span
}

/// The smallest line range holding both.
fn union(a: Option<(u32, u32)>, b: Option<(u32, u32)>) -> Option<(u32, u32)> {
    match (a, b) {
        (Some((a1, a2)), Some((b1, b2))) => Some((a1.min(b1), a2.max(b2))),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests;
