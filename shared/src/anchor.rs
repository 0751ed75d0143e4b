//! Comment anchors: a passage of one text field of the concept, held by two Automerge cursors
//! (its first and last character) and resolved against any replica: the server for pages, the
//! browser after every sync. The same anchor gives the same range on every replica that has the
//! same changes, and the passage counts as removed exactly when none of its characters is left.

use automerge::{ChangeHash, Cursor, ObjId, ObjType, ROOT, ReadDoc, Value};
use serde::{Deserialize, Serialize};

use crate::schema::{
    FieldPath, KEY_BODY, KEY_HEADING, KEY_NAME, KEY_PLATFORMS, KEY_RATIONALE, KEY_SECTIONS, KEY_TARGET_GROUPS,
    KEY_TITLE, find_item,
};

/// Longest cursor text accepted: a counter, `@` and an actor id of at most 32 bytes in hex.
pub const MAX_CURSOR_CHARS: usize = 100;
/// Longest quote kept with an anchor, in characters (a longer passage is quoted up to here).
pub const MAX_QUOTE_CHARS: usize = 1_000;
/// Most heads an anchor records (a document has one head per concurrent writer).
pub const MAX_HEADS: usize = 64;

/// An Automerge cursor in its text form (`{counter}@{actor hex}`), checked before Automerge
/// parses it: its parser slices bytes and would panic on some non-ASCII input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CursorText(String);

impl CursorText {
    /// The cursor, if Automerge reads it.
    pub fn cursor(&self) -> Option<Cursor> {
        Cursor::try_from(self.0.as_str()).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CursorText {
    type Error = AnchorError;

    fn try_from(s: String) -> Result<Self, AnchorError> {
        let (counter, actor) = s.split_once('@').ok_or(AnchorError::Cursor)?;
        let counter_ok = !counter.is_empty() && counter.len() <= 20 && counter.bytes().all(|b| b.is_ascii_digit());
        let actor_ok = !actor.is_empty()
            && actor.len() <= 64
            && actor.len().is_multiple_of(2)
            && actor.bytes().all(|b| b.is_ascii_hexdigit());
        if s.len() > MAX_CURSOR_CHARS || !counter_ok || !actor_ok {
            return Err(AnchorError::Cursor);
        }
        let text = CursorText(s);
        text.cursor().ok_or(AnchorError::Cursor)?;
        Ok(text)
    }
}

impl From<CursorText> for String {
    fn from(c: CursorText) -> String {
        c.0
    }
}

/// A passage of a text field, as stored with a comment thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub field: FieldPath,
    /// The passage's first character (when it is deleted, the passage starts at the next one).
    pub start: CursorText,
    /// The passage's last character.
    pub end: CursorText,
    /// The passage's words when the comment was made (cut to [`MAX_QUOTE_CHARS`]).
    pub quote: String,
    /// The document's heads then (hex): the text as it was.
    pub heads: Vec<String>,
}

/// Where an anchor's passage is in a replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// Characters `start..end` (Unicode code points) of the field's text.
    Passage { start: usize, end: usize },
    /// None of the passage's characters is left (or its field is gone).
    Removed,
    /// This replica lacks changes the anchor was made on: nothing to show yet.
    Unknown,
}

/// Why an anchor cannot be made or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    #[error("Textfeld nicht gefunden / no such text field")]
    NoField,
    #[error("ungültige Textstelle / the passage is empty or outside the text")]
    Range,
    #[error("ungültige Cursor-Angabe / malformed cursor")]
    Cursor,
}

/// The Text object of a field, if the document has one there (read only: never creates it).
pub fn text_of(doc: &impl ReadDoc, field: &FieldPath) -> Option<ObjId> {
    let (obj, key) = match field {
        FieldPath::Title => (ROOT, KEY_TITLE),
        FieldPath::Section { id, field } if field == KEY_HEADING || field == KEY_BODY => {
            (find_item(doc, KEY_SECTIONS, id)?, field.as_str())
        }
        FieldPath::Platform { id, field } if [KEY_NAME, KEY_TARGET_GROUPS, KEY_RATIONALE].contains(&field.as_str()) => {
            (find_item(doc, KEY_PLATFORMS, id)?, field.as_str())
        }
        _ => return None,
    };
    match doc.get(&obj, key) {
        Ok(Some((Value::Object(ObjType::Text), text))) => Some(text),
        _ => None,
    }
}

/// An anchor on characters `start..end` (code points) of a field as `doc` holds it now; `heads`
/// are the document's heads (`get_heads`).
pub fn create(
    doc: &impl ReadDoc,
    heads: &[ChangeHash],
    field: &FieldPath,
    start: usize,
    end: usize,
) -> Result<Anchor, AnchorError> {
    let text = text_of(doc, field).ok_or(AnchorError::NoField)?;
    if start >= end || end > doc.length(&text) {
        return Err(AnchorError::Range);
    }
    let cursor = |at: usize| -> Result<CursorText, AnchorError> {
        let c = doc.get_cursor(&text, at, None).map_err(|_| AnchorError::Range)?;
        CursorText::try_from(c.to_string())
    };
    let quote = doc.text(&text).map_err(|_| AnchorError::NoField)?;
    let quote: String = quote.chars().skip(start).take((end - start).min(MAX_QUOTE_CHARS)).collect();
    let heads = heads.iter().take(MAX_HEADS).map(ChangeHash::to_string).collect();
    Ok(Anchor { field: field.clone(), start: cursor(start)?, end: cursor(end - 1)?, quote, heads })
}

/// Where the anchor's passage is in `doc` now.
pub fn resolve(doc: &impl ReadDoc, anchor: &Anchor) -> Resolved {
    let heads = known_heads(doc, anchor);
    let gone = if heads.is_some() { Resolved::Removed } else { Resolved::Unknown };
    let Some(text) = text_of(doc, &anchor.field) else { return gone };
    let (Some(start), Some(end)) = (anchor.start.cursor(), anchor.end.cursor()) else { return Resolved::Removed };
    // A cursor's position: its character's index, or (deleted) the index of the next character left.
    let (Ok(from), Ok(last)) =
        (doc.get_cursor_position(&text, &start, None), doc.get_cursor_position(&text, &end, None))
    else {
        return gone;
    };
    let start_left = is_at(doc, &text, &start, from);
    let end_left = is_at(doc, &text, &end, last);
    let to = last + usize::from(end_left);
    if to <= from {
        return Resolved::Removed;
    }
    if !start_left && !end_left {
        // Both ends are gone; what lies between may be only text typed since.
        match heads {
            Some(heads) if !any_original(doc, &text, &heads, from, to) => return Resolved::Removed,
            None => return Resolved::Unknown,
            Some(_) => {}
        }
    }
    Resolved::Passage { start: from, end: to }
}

/// The field's whole text as it was when the anchor was made (for a passage that is gone);
/// `None` when the field or the anchor's changes are not in this replica.
pub fn text_then(doc: &impl ReadDoc, anchor: &Anchor) -> Option<String> {
    let heads = known_heads(doc, anchor)?;
    let text = text_of(doc, &anchor.field)?;
    doc.text_at(&text, &heads).ok()
}

/// The anchor's heads, if this replica has every one of them.
fn known_heads(doc: &impl ReadDoc, anchor: &Anchor) -> Option<Vec<ChangeHash>> {
    let heads: Vec<ChangeHash> =
        anchor.heads.iter().take(MAX_HEADS).map(|h| h.parse::<ChangeHash>().ok()).collect::<Option<_>>()?;
    heads.iter().all(|h| doc.get_change_by_hash(h).is_some()).then_some(heads)
}

/// True when the character at `index` is the cursor's own.
fn is_at(doc: &impl ReadDoc, text: &ObjId, cursor: &Cursor, index: usize) -> bool {
    doc.get_cursor(text, index, None).is_ok_and(|c| c == *cursor)
}

/// True when a character in `from..to` already existed at `heads` (so was part of the passage:
/// Automerge never brings a deleted character back).
fn any_original(doc: &impl ReadDoc, text: &ObjId, heads: &[ChangeHash], from: usize, to: usize) -> bool {
    (from..to)
        .any(|i| doc.get_cursor(text, i, None).is_ok_and(|c| doc.get_cursor_position(text, &c, Some(heads)).is_ok()))
}

#[cfg(test)]
mod tests;
