//! The concept document's shape inside Automerge: keys, a typed read model, and edit helpers.

use automerge::transaction::Transactable;
use automerge::{AutomergeError, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use serde::{Deserialize, Serialize};

pub use crate::decision::Decision;
use crate::template::Template;

/// Marks a document as a Kompromiss concept and names the layout version.
pub const SCHEMA: &str = "kompromiss/konzept/1";

pub const KEY_SCHEMA: &str = "schema";
pub const KEY_TEMPLATE: &str = "template";
pub const KEY_TITLE: &str = "title";
pub const KEY_SECTIONS: &str = "sections";
pub const KEY_PLATFORMS: &str = "platforms";
pub const KEY_ID: &str = "id";
pub const KEY_HEADING: &str = "heading";
pub const KEY_BODY: &str = "body";
pub const KEY_NAME: &str = "name";
pub const KEY_DECISION: &str = "decision";
pub const KEY_TARGET_GROUPS: &str = "target_groups";
pub const KEY_RATIONALE: &str = "rationale";

/// A section as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: String,
    pub heading: String,
    pub body: String,
}

/// A platform entry as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformView {
    pub id: String,
    pub name: String,
    pub decision: Decision,
    pub target_groups: String,
    pub rationale: String,
    /// The structured assessment: the template's criteria by key (`a_…`), as texts; a checklist
    /// item holds one of [`CHECK_STATES`].
    #[serde(default)]
    pub assessment: std::collections::BTreeMap<String, String>,
}

/// The states of a checklist item of an assessment.
pub const CHECK_STATES: [&str; 3] = ["erfuellt", "nicht_erfuellt", "ungeklaert"];
/// Most assessment fields read from one platform entry.
pub const MAX_ASSESSMENT_FIELDS: usize = 64;

/// Whether `key` names an assessment field: `a_`, then lowercase ASCII letters, digits and `_`,
/// at most 48 bytes.
pub fn is_assessment_key(key: &str) -> bool {
    key.len() <= 48
        && key.strip_prefix("a_").is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// A platform's assessment fields (at most [`MAX_ASSESSMENT_FIELDS`]).
fn read_assessment(
    doc: &impl ReadDoc,
    obj: &ObjId,
    at: Option<&[ChangeHash]>,
) -> std::collections::BTreeMap<String, String> {
    let keys: Vec<String> = match at {
        Some(heads) => doc.keys_at(obj, heads).collect(),
        None => doc.keys(obj).collect(),
    };
    keys.into_iter()
        .filter(|k| is_assessment_key(k))
        .take(MAX_ASSESSMENT_FIELDS)
        .map(|k| {
            let v = read_string_at(doc, obj, &k, at);
            (k, v)
        })
        .collect()
}

/// The whole concept as the UI shows it. Tolerates documents of other shapes (fields stay empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConceptView {
    pub title: String,
    /// The template it was made from (its id); it defines the assessment's criteria.
    #[serde(default)]
    pub template: String,
    pub sections: Vec<SectionView>,
    pub platforms: Vec<PlatformView>,
}

/// Fills an empty document from a template. `new_id` supplies ids for sections and platforms.
pub fn init_from_template(
    doc: &mut impl Transactable,
    template: &Template,
    mut new_id: impl FnMut() -> String,
) -> Result<(), AutomergeError> {
    doc.put(ROOT, KEY_SCHEMA, SCHEMA)?;
    doc.put(ROOT, KEY_TEMPLATE, template.id.as_str())?;
    put_text(doc, &ROOT, KEY_TITLE, &template.title)?;
    let sections = doc.put_object(ROOT, KEY_SECTIONS, ObjType::List)?;
    for (i, s) in template.sections.iter().enumerate() {
        let obj = doc.insert_object(&sections, i, ObjType::Map)?;
        doc.put(&obj, KEY_ID, s.key.as_str())?;
        put_text(doc, &obj, KEY_HEADING, &s.heading)?;
        put_text(doc, &obj, KEY_BODY, &s.body)?;
    }
    let platforms = doc.put_object(ROOT, KEY_PLATFORMS, ObjType::List)?;
    for (i, p) in template.platforms.iter().enumerate() {
        let obj = doc.insert_object(&platforms, i, ObjType::Map)?;
        doc.put(&obj, KEY_ID, new_id())?;
        put_text(doc, &obj, KEY_NAME, &p.name)?;
        doc.put(&obj, KEY_DECISION, p.decision.as_str())?;
        put_text(doc, &obj, KEY_TARGET_GROUPS, &p.target_groups)?;
        put_text(doc, &obj, KEY_RATIONALE, &p.rationale)?;
        for key in template.assessment_texts() {
            put_text(doc, &obj, &key, "")?;
        }
    }
    Ok(())
}

/// The concept a template creates, with platform ids `p1`, `p2`, …: what a new concept looks
/// like, for previews and for tests that compare an export with its source.
pub fn template_view(template: &Template) -> Result<ConceptView, AutomergeError> {
    let mut doc = automerge::AutoCommit::new();
    let mut n = 0;
    init_from_template(&mut doc, template, || {
        n += 1;
        format!("p{n}")
    })?;
    Ok(read_concept(&doc))
}

fn put_text(doc: &mut impl Transactable, obj: &ObjId, key: &str, value: &str) -> Result<ObjId, AutomergeError> {
    let text = doc.put_object(obj, key, ObjType::Text)?;
    doc.splice_text(&text, 0, 0, value)?;
    Ok(text)
}

/// Reads a string stored either as Automerge text or as a plain string scalar.
pub fn read_string(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> String {
    read_string_at(doc, obj, key, None)
}

/// `read_string` as the document was at `at` (its heads; `None`: now).
pub fn read_string_at(doc: &impl ReadDoc, obj: &ObjId, key: &str, at: Option<&[ChangeHash]>) -> String {
    let got = match at {
        Some(heads) => doc.get_at(obj, key, heads),
        None => doc.get(obj, key),
    };
    match got {
        Ok(Some((Value::Object(ObjType::Text), id))) => match at {
            Some(heads) => doc.text_at(&id, heads),
            None => doc.text(&id),
        }
        .unwrap_or_default(),
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// The object id of a list or map under `key`, if it is one.
pub fn child(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<ObjId> {
    child_at(doc, obj, key, None)
}

fn child_at(doc: &impl ReadDoc, obj: &ObjId, key: &str, at: Option<&[ChangeHash]>) -> Option<ObjId> {
    let got = match at {
        Some(heads) => doc.get_at(obj, key, heads),
        None => doc.get(obj, key),
    };
    match got {
        Ok(Some((Value::Object(_), id))) => Some(id),
        _ => None,
    }
}

/// The maps stored in the list under `key` of the root, in order.
pub fn list_items(doc: &impl ReadDoc, key: &str) -> Vec<ObjId> {
    list_items_at(doc, key, None)
}

/// `list_items` as the document was at `at`.
pub fn list_items_at(doc: &impl ReadDoc, key: &str, at: Option<&[ChangeHash]>) -> Vec<ObjId> {
    let Some(list) = child_at(doc, &ROOT, key, at) else {
        return Vec::new();
    };
    let length = match at {
        Some(heads) => doc.length_at(&list, heads),
        None => doc.length(&list),
    };
    (0..length)
        .filter_map(|i| {
            let got = match at {
                Some(heads) => doc.get_at(&list, i, heads),
                None => doc.get(&list, i),
            };
            match got {
                Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
                _ => None,
            }
        })
        .collect()
}

/// Reads the whole concept for display.
pub fn read_concept(doc: &impl ReadDoc) -> ConceptView {
    read_concept_at(doc, None)
}

/// Reads the concept as it was at `at` (a version's heads, all of them in `doc`; `None`: now).
pub fn read_concept_at(doc: &impl ReadDoc, at: Option<&[ChangeHash]>) -> ConceptView {
    let field = |obj: &ObjId, key: &str| read_string_at(doc, obj, key, at);
    let sections = list_items_at(doc, KEY_SECTIONS, at)
        .into_iter()
        .map(|obj| SectionView {
            id: field(&obj, KEY_ID),
            heading: field(&obj, KEY_HEADING),
            body: field(&obj, KEY_BODY),
        })
        .collect();
    let platforms = list_items_at(doc, KEY_PLATFORMS, at)
        .into_iter()
        .map(|obj| PlatformView {
            id: field(&obj, KEY_ID),
            name: field(&obj, KEY_NAME),
            decision: Decision::parse(&field(&obj, KEY_DECISION)),
            target_groups: field(&obj, KEY_TARGET_GROUPS),
            rationale: field(&obj, KEY_RATIONALE),
            assessment: read_assessment(doc, &obj, at),
        })
        .collect();
    ConceptView { title: field(&ROOT, KEY_TITLE), template: field(&ROOT, KEY_TEMPLATE), sections, platforms }
}

/// The smallest splice turning `old` into `new`: (position, deleted, inserted count), in elements.
/// Used on characters for Automerge and on UTF-16 units for caret positions in the browser.
pub fn splice_of<T: PartialEq>(old: &[T], new: &[T]) -> Option<(usize, usize, usize)> {
    if old == new {
        return None;
    }
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old.iter().rev().zip(new.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    Some((prefix, old.len() - prefix - suffix, new.len() - prefix - suffix))
}

/// The smallest splice turning `old` into `new`, in characters: (position, deleted, inserted text).
pub fn text_splice(old: &str, new: &str) -> Option<(usize, usize, String)> {
    let new_chars: Vec<char> = new.chars().collect();
    let (pos, del, ins) = splice_of(&old.chars().collect::<Vec<_>>(), &new_chars)?;
    Some((pos, del, new_chars[pos..pos + ins].iter().collect()))
}

/// Where a caret at `x` goes when the text around it is spliced at `pos` (`del` removed, `ins` added).
pub fn map_caret(x: usize, (pos, del, ins): (usize, usize, usize)) -> usize {
    if x <= pos {
        x
    } else if x >= pos + del {
        x - del + ins
    } else {
        pos + ins
    }
}

/// Where a caret at `x` in `old` goes in `new` when the difference is more than one splice (two
/// people typing at both ends of a field arrive as one update): the text just before the caret
/// and the text just after it (up to 16 units each) are looked up in `new`, the occurrence nearest
/// to `x` wins. An edit close to the caret can split that text (half of a word typed before it
/// arrived, the rest with the next update): then shorter pieces of it are looked up, and the side
/// with the longer piece found wins. `None` when the text on both sides is gone.
pub fn map_caret_by_context<T: PartialEq>(old: &[T], new: &[T], x: usize) -> Option<usize> {
    const CONTEXT: usize = 16;
    let x = x.min(old.len());
    let nearest = |places: &mut dyn Iterator<Item = usize>| places.min_by_key(|&p| p.abs_diff(x));
    let before = (1..=x.min(CONTEXT)).rev().find_map(|len| {
        let piece = &old[x - len..x];
        nearest(&mut (len..=new.len()).filter(|&end| new[..end].ends_with(piece))).map(|at| (len, at))
    });
    let after = (1..=(old.len() - x).min(CONTEXT).min(new.len())).rev().find_map(|len| {
        let piece = &old[x..x + len];
        nearest(&mut (0..=new.len() - len).filter(|&start| new[start..].starts_with(piece))).map(|at| (len, at))
    });
    match (before, after) {
        (Some((b, at)), Some((a, _))) if b >= a => Some(at),
        (_, Some((_, at))) | (Some((_, at)), None) => Some(at),
        (None, None) => None,
    }
}

/// Where a caret at `x` goes from `old` to `new`: through their single splice, or, when the caret
/// sat inside what that splice replaces (several edits at once), by the text around it.
pub fn map_caret_between<T: PartialEq>(old: &[T], new: &[T], x: usize) -> usize {
    let Some(splice) = splice_of(old, new) else { return x };
    let (pos, del, _) = splice;
    if x > pos
        && x < pos + del
        && let Some(mapped) = map_caret_by_context(old, new, x)
    {
        return mapped;
    }
    map_caret(x, splice)
}

#[cfg(test)]
mod tests;

/// Which text field of the concept an edit targets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldPath {
    Title,
    /// `field` is [`KEY_HEADING`] or [`KEY_BODY`].
    Section {
        id: String,
        field: String,
    },
    /// `field` is [`KEY_NAME`], [`KEY_TARGET_GROUPS`] or [`KEY_RATIONALE`].
    Platform {
        id: String,
        field: String,
    },
}

impl FieldPath {
    /// A stable string for DOM ids and presence ("in which section").
    pub fn dom_id(&self) -> String {
        match self {
            FieldPath::Title => "f-title".into(),
            FieldPath::Section { id, field } => format!("f-s-{id}-{field}"),
            FieldPath::Platform { id, field } => format!("f-p-{id}-{field}"),
        }
    }
}

/// The map of the list item with `id` under the root list `list`.
pub fn find_item(doc: &impl ReadDoc, list: &str, id: &str) -> Option<ObjId> {
    list_items(doc, list).into_iter().find(|obj| read_string(doc, obj, KEY_ID) == id)
}

/// The text object of a field, creating it if the item has a plain string or nothing there.
fn text_object<D: Transactable + ReadDoc>(doc: &mut D, path: &FieldPath) -> Result<Option<ObjId>, AutomergeError> {
    let (obj, key) = match path {
        FieldPath::Title => (ROOT, KEY_TITLE),
        FieldPath::Section { id, field } => match find_item(doc, KEY_SECTIONS, id) {
            Some(obj) if field == KEY_HEADING || field == KEY_BODY => (obj, field.as_str()),
            _ => return Ok(None),
        },
        FieldPath::Platform { id, field } => match find_item(doc, KEY_PLATFORMS, id) {
            Some(obj)
                if [KEY_NAME, KEY_TARGET_GROUPS, KEY_RATIONALE].contains(&field.as_str())
                    || is_assessment_key(field) =>
            {
                (obj, field.as_str())
            }
            _ => return Ok(None),
        },
    };
    match doc.get(&obj, key)? {
        Some((Value::Object(ObjType::Text), text)) => Ok(Some(text)),
        _ => {
            let old = read_string(doc, &obj, key);
            Ok(Some(put_text(doc, &obj, key, &old)?))
        }
    }
}

/// Turns a field's text into `new_value` with the smallest splice. Returns false when nothing changed
/// or the field no longer exists (e.g. its section was deleted concurrently).
pub fn set_text<D: Transactable + ReadDoc>(
    doc: &mut D,
    path: &FieldPath,
    new_value: &str,
) -> Result<bool, AutomergeError> {
    let Some(text) = text_object(doc, path)? else {
        return Ok(false);
    };
    let old = doc.text(&text)?;
    let Some((pos, del, ins)) = text_splice(&old, new_value) else {
        return Ok(false);
    };
    doc.splice_text(&text, pos, del as isize, &ins)?;
    Ok(true)
}

/// Sets a platform's decision.
pub fn set_decision<D: Transactable + ReadDoc>(
    doc: &mut D,
    platform_id: &str,
    decision: Decision,
) -> Result<bool, AutomergeError> {
    let Some(obj) = find_item(doc, KEY_PLATFORMS, platform_id) else {
        return Ok(false);
    };
    doc.put(&obj, KEY_DECISION, decision.as_str())?;
    Ok(true)
}

/// Sets a checklist item of a platform's assessment to one of [`CHECK_STATES`].
pub fn set_check<D: Transactable + ReadDoc>(
    doc: &mut D,
    platform_id: &str,
    key: &str,
    state: &str,
) -> Result<bool, AutomergeError> {
    if !is_assessment_key(key) || !CHECK_STATES.contains(&state) {
        return Ok(false);
    }
    let Some(obj) = find_item(doc, KEY_PLATFORMS, platform_id) else {
        return Ok(false);
    };
    if read_string(doc, &obj, key) == state {
        return Ok(false);
    }
    doc.put(&obj, key, state)?;
    Ok(true)
}

/// Appends an empty platform entry with the given id, with empty texts for the template's
/// assessment (`texts`, see `Template::assessment_texts`).
pub fn add_platform<D: Transactable + ReadDoc>(doc: &mut D, id: &str, texts: &[String]) -> Result<(), AutomergeError> {
    let list = match child(doc, &ROOT, KEY_PLATFORMS) {
        Some(list) => list,
        None => doc.put_object(ROOT, KEY_PLATFORMS, ObjType::List)?,
    };
    let obj = doc.insert_object(&list, doc.length(&list), ObjType::Map)?;
    doc.put(&obj, KEY_ID, id)?;
    for key in [KEY_NAME, KEY_TARGET_GROUPS, KEY_RATIONALE].into_iter().chain(texts.iter().map(String::as_str)) {
        if key.starts_with("a_") && !is_assessment_key(key) {
            continue;
        }
        put_text(doc, &obj, key, "")?;
    }
    doc.put(&obj, KEY_DECISION, Decision::Offen.as_str())?;
    Ok(())
}

/// Appends a section with the given id and heading.
pub fn add_section<D: Transactable + ReadDoc>(doc: &mut D, id: &str, heading: &str) -> Result<(), AutomergeError> {
    let list = match child(doc, &ROOT, KEY_SECTIONS) {
        Some(list) => list,
        None => doc.put_object(ROOT, KEY_SECTIONS, ObjType::List)?,
    };
    let obj = doc.insert_object(&list, doc.length(&list), ObjType::Map)?;
    doc.put(&obj, KEY_ID, id)?;
    put_text(doc, &obj, KEY_HEADING, heading)?;
    put_text(doc, &obj, KEY_BODY, "")?;
    Ok(())
}

/// Removes the item with `id` from a root list (sections or platforms).
pub fn remove_item<D: Transactable + ReadDoc>(doc: &mut D, list_key: &str, id: &str) -> Result<bool, AutomergeError> {
    let Some(list) = child(doc, &ROOT, list_key) else {
        return Ok(false);
    };
    for i in 0..doc.length(&list) {
        if let Ok(Some((Value::Object(ObjType::Map), obj))) = doc.get(&list, i)
            && read_string(doc, &obj, KEY_ID) == id
        {
            doc.delete(&list, i)?;
            return Ok(true);
        }
    }
    Ok(false)
}
