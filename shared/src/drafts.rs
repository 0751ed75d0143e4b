//! Drafts as forks of a concept, in pure Automerge terms: a draft's own changes, and adopting
//! chosen sections or platform entries of a draft into the concept.

use std::collections::{HashMap, HashSet};

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, Change, ChangeHash, ObjType, ROOT, ReadDoc};

use crate::schema::{
    self, ConceptView, FieldPath, KEY_BODY, KEY_DECISION, KEY_HEADING, KEY_ID, KEY_NAME, KEY_PLATFORMS, KEY_RATIONALE,
    KEY_SECTIONS, KEY_TARGET_GROUPS, PlatformView, SectionView,
};

/// True when the document holds every change of `heads`.
pub fn has_version(doc: &Automerge, heads: &[ChangeHash]) -> bool {
    heads.iter().all(|h| doc.get_change_by_hash(h).is_some())
}

/// The changes of `doc` that came after `base` (not among its ancestors) and are `version` or
/// among its ancestors: what a draft at `version` adds to the concept version `base`, in an order
/// that applies (each change after its dependencies). `version` and `base` must be in `doc`.
pub fn own_changes(doc: &Automerge, base: &[ChangeHash], version: &[ChangeHash]) -> Vec<Change> {
    let after: Vec<&Change> = doc.get_changes(base);
    let by_hash: HashMap<ChangeHash, &Change> = after.iter().map(|c| (c.hash(), *c)).collect();
    let mut wanted: HashSet<ChangeHash> = HashSet::new();
    let mut stack: Vec<ChangeHash> = version.iter().copied().filter(|h| by_hash.contains_key(h)).collect();
    while let Some(hash) = stack.pop() {
        if !wanted.insert(hash) {
            continue;
        }
        if let Some(change) = by_hash.get(&hash) {
            stack.extend(change.deps().iter().copied().filter(|d| by_hash.contains_key(d) && !wanted.contains(d)));
        }
    }
    after.into_iter().filter(|c| wanted.contains(&c.hash())).cloned().collect()
}

/// Carries the chosen items (section or platform ids) of `draft` into the concept `doc` as it
/// is now: changed fields take the draft's final wording (smallest splices), items the draft
/// added are inserted after the item they follow there, items the draft removed (present in
/// `base`, the version the draft started from) are removed. Other items stay as they are.
/// Returns the ids that changed something.
pub fn adopt<D: Transactable + ReadDoc>(
    doc: &mut D,
    draft: &ConceptView,
    base: &ConceptView,
    parts: &[String],
) -> Result<Vec<String>, AutomergeError> {
    let mut changed = Vec::new();
    for part in parts {
        let did = if let Some(section) = draft.sections.iter().find(|s| &s.id == part) {
            adopt_section(doc, draft, section)?
        } else if let Some(platform) = draft.platforms.iter().find(|p| &p.id == part) {
            adopt_platform(doc, draft, platform)?
        } else if base.sections.iter().any(|s| &s.id == part) {
            schema::remove_item(doc, KEY_SECTIONS, part)?
        } else if base.platforms.iter().any(|p| &p.id == part) {
            schema::remove_item(doc, KEY_PLATFORMS, part)?
        } else {
            false
        };
        if did {
            changed.push(part.clone());
        }
    }
    Ok(changed)
}

/// Where an item the draft added goes in the concept: after the nearest item before it in the
/// draft that the concept has (at the start when none).
fn insert_index<D: ReadDoc>(doc: &D, list_key: &str, ids_before: &[&str]) -> usize {
    let concept: Vec<String> =
        schema::list_items(doc, list_key).iter().map(|obj| schema::read_string(doc, obj, KEY_ID)).collect();
    ids_before.iter().rev().find_map(|id| concept.iter().position(|c| c == id)).map_or(0, |i| i + 1)
}

fn adopt_section<D: Transactable + ReadDoc>(
    doc: &mut D,
    draft: &ConceptView,
    section: &SectionView,
) -> Result<bool, AutomergeError> {
    if schema::find_item(doc, KEY_SECTIONS, &section.id).is_some() {
        let mut did = false;
        for (field, value) in [(KEY_HEADING, &section.heading), (KEY_BODY, &section.body)] {
            let path = FieldPath::Section { id: section.id.clone(), field: field.into() };
            did |= schema::set_text(doc, &path, value)?;
        }
        return Ok(did);
    }
    let before: Vec<&str> = draft.sections.iter().take_while(|s| s.id != section.id).map(|s| s.id.as_str()).collect();
    let index = insert_index(doc, KEY_SECTIONS, &before);
    let list = list_or_new(doc, KEY_SECTIONS)?;
    let obj = doc.insert_object(&list, index, ObjType::Map)?;
    doc.put(&obj, KEY_ID, section.id.as_str())?;
    for (key, value) in [(KEY_HEADING, &section.heading), (KEY_BODY, &section.body)] {
        let text = doc.put_object(&obj, key, ObjType::Text)?;
        doc.splice_text(&text, 0, 0, value)?;
    }
    Ok(true)
}

fn adopt_platform<D: Transactable + ReadDoc>(
    doc: &mut D,
    draft: &ConceptView,
    platform: &PlatformView,
) -> Result<bool, AutomergeError> {
    let fields = [
        (KEY_NAME, &platform.name),
        (KEY_TARGET_GROUPS, &platform.target_groups),
        (KEY_RATIONALE, &platform.rationale),
    ];
    if let Some(obj) = schema::find_item(doc, KEY_PLATFORMS, &platform.id) {
        let mut did = false;
        for (field, value) in fields {
            let path = FieldPath::Platform { id: platform.id.clone(), field: field.into() };
            did |= schema::set_text(doc, &path, value)?;
        }
        let decision = schema::read_string(doc, &obj, KEY_DECISION);
        if decision != platform.decision.as_str() {
            did |= schema::set_decision(doc, &platform.id, platform.decision)?;
        }
        return Ok(did);
    }
    let before: Vec<&str> = draft.platforms.iter().take_while(|p| p.id != platform.id).map(|p| p.id.as_str()).collect();
    let index = insert_index(doc, KEY_PLATFORMS, &before);
    let list = list_or_new(doc, KEY_PLATFORMS)?;
    let obj = doc.insert_object(&list, index, ObjType::Map)?;
    doc.put(&obj, KEY_ID, platform.id.as_str())?;
    for (key, value) in fields {
        let text = doc.put_object(&obj, key, ObjType::Text)?;
        doc.splice_text(&text, 0, 0, value)?;
    }
    doc.put(&obj, KEY_DECISION, platform.decision.as_str())?;
    Ok(true)
}

fn list_or_new<D: Transactable + ReadDoc>(doc: &mut D, key: &str) -> Result<automerge::ObjId, AutomergeError> {
    match schema::child(doc, &ROOT, key) {
        Some(list) => Ok(list),
        None => doc.put_object(ROOT, key, ObjType::List),
    }
}

#[cfg(test)]
mod tests;
