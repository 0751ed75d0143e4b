//! Word-level diff of two texts into merged pieces, with a size bound instead of a clock.

use similar::{Algorithm, ChangeTag, TextDiff};

use super::{Piece, PieceKind};

/// Above this many bytes (old and new together) [`text_diff`] gives up on words and reports the
/// middle that differs as one deletion and one insertion. A bound on size rather than a deadline:
/// `Instant` panics on wasm, and the result should not depend on the machine's speed.
pub const MAX_DIFF_BYTES: usize = 256 * 1024;

/// The word-level difference of two texts. Words and the whitespace runs between them are the
/// tokens; adjacent pieces of one kind are merged and none is empty. Changed words separated
/// only by spaces (not line breaks) read as one deletion followed by one insertion. Joining the `Same` and `Deleted` pieces gives `old`, the `Same` and `Inserted` ones
/// `new`. See [`MAX_DIFF_BYTES`] for the bound.
pub fn text_diff(old: &str, new: &str) -> Vec<Piece> {
    let mut out = Pieces::default();
    if old.len() + new.len() > MAX_DIFF_BYTES {
        let prefix = common_prefix(old, new);
        let suffix = common_suffix(&old[prefix..], &new[prefix..]);
        out.push(PieceKind::Same, &old[..prefix]);
        out.push(PieceKind::Deleted, &old[prefix..old.len() - suffix]);
        out.push(PieceKind::Inserted, &new[prefix..new.len() - suffix]);
        out.push(PieceKind::Same, &old[old.len() - suffix..]);
        return out.finish();
    }
    let diff = TextDiff::configure().algorithm(Algorithm::Myers).diff_words(old, new);
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => PieceKind::Same,
            ChangeTag::Delete => PieceKind::Deleted,
            ChangeTag::Insert => PieceKind::Inserted,
        };
        out.push(kind, change.value());
    }
    out.finish()
}

/// Collects pieces. A change (the deletions and insertions since the last unchanged text, with
/// the unchanged spaces between them) is held until unchanged text other than spaces follows; it
/// then comes out as one deletion and one insertion if both sides keep more than whitespace.
#[derive(Default)]
struct Pieces {
    done: Vec<Piece>,
    change: Vec<Piece>,
    /// Unchanged spaces after a change: they join the change if another change follows.
    spaces: String,
}

impl Pieces {
    fn push(&mut self, kind: PieceKind, text: &str) {
        if text.is_empty() {
            return;
        }
        match kind {
            PieceKind::Same if !self.change.is_empty() && text.chars().all(|c| c.is_whitespace() && c != '\n') => {
                self.spaces.push_str(text);
            }
            PieceKind::Same => {
                self.flush();
                self.emit(PieceKind::Same, text);
            }
            PieceKind::Deleted | PieceKind::Inserted => {
                if !self.spaces.is_empty() {
                    let text = std::mem::take(&mut self.spaces);
                    self.change.push(Piece { kind: PieceKind::Same, text });
                }
                self.change.push(Piece { kind, text: text.to_owned() });
            }
        }
    }

    /// Emits the held change and the spaces after it.
    fn flush(&mut self) {
        let change = std::mem::take(&mut self.change);
        let side =
            |skip: PieceKind| -> String { change.iter().filter(|p| p.kind != skip).map(|p| p.text.as_str()).collect() };
        let (deleted, inserted) = (side(PieceKind::Inserted), side(PieceKind::Deleted));
        let words = |s: &str| s.chars().any(|c| !c.is_whitespace());
        if words(&deleted) && words(&inserted) {
            self.emit(PieceKind::Deleted, &deleted);
            self.emit(PieceKind::Inserted, &inserted);
        } else {
            change.iter().for_each(|p| self.emit(p.kind, &p.text));
        }
        let spaces = std::mem::take(&mut self.spaces);
        self.emit(PieceKind::Same, &spaces);
    }

    /// Appends a piece, merging it into the last one of the same kind.
    fn emit(&mut self, kind: PieceKind, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.done.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => self.done.push(Piece { kind, text: text.to_owned() }),
        }
    }

    fn finish(mut self) -> Vec<Piece> {
        self.flush();
        self.done
    }
}

/// Bytes at the start both texts share, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(c, _)| c.len_utf8()).sum()
}

/// Bytes at the end both texts share, on a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).map(|(c, _)| c.len_utf8()).sum()
}
