//! The one line-numbering rule (web page, diff, exports): wrapping at [`LINE_WIDTH`], "Zeile 12–14".
//!
//! Lines are numbered across the whole concept, as motion tools do. The rule: a text is cut into
//! source lines at `'\n'` (a `'\r'` before it is ignored); a source line that is empty or holds
//! only whitespace gets no number. Every other source line is wrapped greedily into lines of at
//! most `width` characters (`char`s, so `ä` and `ß` count one each): a line may end before a run
//! of spaces or tabs, or after a hyphen that directly follows a letter and is not followed by a
//! space ("Social-Media-|Konzept"); a word that does not fit on a line of its own is cut hard after
//! `width` characters. Markdown list items are source lines like any other. A line's byte range
//! starts at its first character (leading indentation of a source line stays inside its first
//! line) and ends after its last non-whitespace character: the spaces at a break and trailing
//! whitespace belong to no line. So the ranges cover every non-whitespace byte exactly once, and
//! joining them loses only whitespace.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::schema::ConceptView;

/// Characters (not bytes) per numbered line.
pub const LINE_WIDTH: usize = 80;

/// The byte ranges of `text`'s numbered lines when wrapped at `width` characters (at least 1), in
/// order; see the module documentation for the rule.
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut base = 0;
    for source in text.split('\n') {
        let content = source.trim_end();
        if !content.trim_start().is_empty() {
            wrap_source_line(content, base, width, &mut out);
        }
        base += source.len() + 1;
    }
    out
}

/// Spaces a line may break at (a no-break space is whitespace, but no break).
fn is_break_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Wraps one source line without trailing whitespace that starts at byte `base` of the text.
fn wrap_source_line(line: &str, base: usize, width: usize, out: &mut Vec<Range<usize>>) {
    let mut pos = 0;
    while pos < line.len() {
        let (end, next) = next_break(&line[pos..], width);
        let kept = line[pos..pos + end].trim_end();
        if !kept.trim_start().is_empty() {
            out.push(base + pos..base + pos + kept.len());
        }
        pos += next;
    }
}

/// Where the line starting `rest` ends and where the following one starts (bytes into `rest`,
/// the latter always past 0 so wrapping advances).
fn next_break(rest: &str, width: usize) -> (usize, usize) {
    let mut best = None;
    let mut prev: Option<char> = None;
    for (n, (i, c)) in rest.char_indices().enumerate() {
        if is_break_space(c) {
            if prev.is_some_and(|p| !is_break_space(p)) {
                let skipped = rest[i..].find(|d| !is_break_space(d)).unwrap_or(rest.len() - i);
                best = Some((i, i + skipped));
            }
        } else {
            // `c` would be character `n + 1` of the line.
            if n >= width {
                return best.unwrap_or((i, i));
            }
            let next_is_word = rest[i + c.len_utf8()..].chars().next().is_some_and(|d| !is_break_space(d));
            if c == '-' && prev.is_some_and(char::is_alphabetic) && next_is_word {
                best = Some((i + 1, i + 1));
            }
        }
        prev = Some(c);
    }
    (rest.len(), rest.len())
}

/// Which text field of a section or platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldKind {
    Heading,
    Body,
    Name,
    TargetGroups,
    Rationale,
}

/// One text field of the concept: the section or platform id and which field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldRef {
    /// The id of the section or platform.
    pub item: String,
    pub kind: FieldKind,
}

/// A field's numbered lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedField {
    pub field: FieldRef,
    /// The number of its first line; for a field without lines the number the next line gets.
    pub first: u32,
    /// Byte ranges into the field's text, as [`wrap`] gives them at [`LINE_WIDTH`].
    pub lines: Vec<Range<usize>>,
}

impl NumberedField {
    /// The number of the line holding byte `byte` of the field's text; for a byte in whitespace
    /// between lines the next line, past the end the last line, for a field without lines `first`.
    pub fn line_of(&self, byte: usize) -> u32 {
        self.number(self.lines.partition_point(|r| r.end <= byte))
    }

    /// First and last number of the lines that the bytes `bytes` touch (a non-empty range); bytes
    /// only in whitespace between lines count as the next line.
    pub fn span(&self, bytes: Range<usize>) -> (u32, u32) {
        let first = self.line_of(bytes.start);
        let last = self.number(self.lines.partition_point(|r| r.start < bytes.end).saturating_sub(1));
        (first, last.max(first))
    }

    /// The number of the line that text inserted at byte `at` joins: the line holding `at` or ending
    /// right at it, else the next line (clamped like [`line_of`](Self::line_of)).
    pub fn insertion_line(&self, at: usize) -> u32 {
        self.number(self.lines.partition_point(|r| r.end < at))
    }

    /// The number after its last line (`first` for a field without lines).
    pub fn end(&self) -> u32 {
        self.first.saturating_add(to_u32(self.lines.len()))
    }

    /// The number of line `index`, clamped to the last line.
    fn number(&self, index: usize) -> u32 {
        self.first.saturating_add(to_u32(index.min(self.lines.len().saturating_sub(1))))
    }
}

/// The numbered lines of a whole concept.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Numbering {
    /// Every numbered field in document order: per section heading and body, then per platform
    /// name, target groups and rationale. The title is not numbered.
    pub fields: Vec<NumberedField>,
}

impl Numbering {
    /// The first field `kind` of the section or platform `item`.
    pub fn field(&self, item: &str, kind: FieldKind) -> Option<&NumberedField> {
        self.fields.iter().find(|f| f.field.kind == kind && f.field.item == item)
    }

    /// How many lines the concept has.
    pub fn total(&self) -> u32 {
        self.fields.last().map_or(0, |f| f.end().saturating_sub(1))
    }
}

/// Numbers the lines of a concept continuously from 1 (see [`Numbering::fields`] for the order).
pub fn number(view: &ConceptView) -> Numbering {
    let mut numbering = Numbering::default();
    let mut next = 1;
    let mut push = |item: &str, kind: FieldKind, text: &str| {
        let lines = wrap(text, LINE_WIDTH);
        let field = NumberedField { field: FieldRef { item: item.to_owned(), kind }, first: next, lines };
        next = field.end();
        numbering.fields.push(field);
    };
    for s in &view.sections {
        push(&s.id, FieldKind::Heading, &s.heading);
        push(&s.id, FieldKind::Body, &s.body);
    }
    for p in &view.platforms {
        push(&p.id, FieldKind::Name, &p.name);
        push(&p.id, FieldKind::TargetGroups, &p.target_groups);
        push(&p.id, FieldKind::Rationale, &p.rationale);
    }
    numbering
}

/// A count as a line number, saturating (no concept comes near 4 billion lines).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
