//! Sections and platforms of two concepts matched by id, put in the new order, each diffed field by field.

use std::collections::HashMap;

use super::{FieldDiff, ItemChange, Piece, PieceKind, PlatformDiff, SectionDiff, changed_lines, text_diff, union};
use crate::decision::Decision;
use crate::lines::{FieldKind, NumberedField, Numbering};
use crate::schema::{ConceptView, PlatformView, SectionView};

/// A section or platform seen alike: its id, its text fields in numbering order (the first one
/// names it), and a platform's decision.
struct Item<'a> {
    id: &'a str,
    texts: Vec<(FieldKind, &'a str)>,
    decision: Option<Decision>,
}

impl<'a> Item<'a> {
    fn section(s: &'a SectionView) -> Self {
        Item { id: &s.id, texts: vec![(FieldKind::Heading, &s.heading), (FieldKind::Body, &s.body)], decision: None }
    }

    fn platform(p: &'a PlatformView) -> Self {
        let texts = vec![
            (FieldKind::Name, p.name.as_str()),
            (FieldKind::TargetGroups, p.target_groups.as_str()),
            (FieldKind::Rationale, p.rationale.as_str()),
        ];
        Item { id: &p.id, texts, decision: Some(p.decision) }
    }

    fn label(&self) -> String {
        self.texts.first().map(|(_, t)| (*t).to_owned()).unwrap_or_default()
    }
}

/// The diff of one item before it is typed as a section or platform.
struct ItemDiff {
    id: String,
    label: String,
    change: ItemChange,
    decision: Option<(Decision, Decision)>,
    fields: Vec<FieldDiff>,
    lines: Option<(u32, u32)>,
}

/// The changed, added and removed sections and platforms of `new` against `old`, whose lines
/// `numbering` holds.
pub(super) fn item_diffs(
    old: &ConceptView,
    new: &ConceptView,
    numbering: &Numbering,
) -> (Vec<SectionDiff>, Vec<PlatformDiff>) {
    let (section_fields, platform_fields) =
        numbering.fields.split_at((2 * old.sections.len()).min(numbering.fields.len()));
    let sections = diff_list(
        &old.sections.iter().map(Item::section).collect::<Vec<_>>(),
        &new.sections.iter().map(Item::section).collect::<Vec<_>>(),
        section_fields,
        0,
    );
    let platforms_start = section_fields.last().map_or(0, last_line);
    let platforms = diff_list(
        &old.platforms.iter().map(Item::platform).collect::<Vec<_>>(),
        &new.platforms.iter().map(Item::platform).collect::<Vec<_>>(),
        platform_fields,
        platforms_start,
    );
    let sections = sections
        .into_iter()
        .map(|d| SectionDiff { id: d.id, heading: d.label, change: d.change, fields: d.fields, lines: d.lines })
        .collect();
    let platforms = platforms
        .into_iter()
        .map(|d| PlatformDiff {
            id: d.id,
            name: d.label,
            change: d.change,
            decision: d.decision,
            fields: d.fields,
            lines: d.lines,
        })
        .collect();
    (sections, platforms)
}

/// Diffs two lists of items of one sort. `fields` holds the numbered fields of `old`'s items in
/// order; `start` is the old line before the list (where an item added at its head goes).
fn diff_list(old: &[Item], new: &[Item], fields: &[NumberedField], start: u32) -> Vec<ItemDiff> {
    let per_item = old.first().or(new.first()).map_or(1, |i| i.texts.len());
    let numbered = |i: usize| fields.get(i * per_item..(i + 1) * per_item).unwrap_or_default();
    let item_last = |i: usize| numbered(i).last().map_or(start, last_line);

    // First occurrence of an id wins; a repeated id in `new` counts as added.
    let mut index = HashMap::new();
    for (i, item) in old.iter().enumerate().rev() {
        index.insert(item.id, i);
    }
    let mut matched = vec![false; old.len()];
    let partner: Vec<Option<usize>> = new
        .iter()
        .map(|item| {
            let i = *index.get(item.id)?;
            let free = matched.get(i).is_some_and(|m| !m);
            free.then(|| {
                matched[i] = true;
                i
            })
        })
        .collect();

    // A removed item stands after the nearest old item before it that is still there.
    let mut removed_after: Vec<Vec<usize>> = vec![Vec::new(); old.len()];
    let mut removed_first = Vec::new();
    let mut anchor = None;
    for (i, kept) in matched.iter().enumerate() {
        match (kept, anchor) {
            (true, _) => anchor = Some(i),
            (false, Some(a)) => removed_after[a].push(i),
            (false, None) => removed_first.push(i),
        }
    }

    let mut out = Vec::new();
    let mut after = start;
    let push_removed = |list: &[usize], out: &mut Vec<ItemDiff>, after: &mut u32| {
        for &r in list {
            out.push(removed(&old[r], numbered(r)));
            *after = item_last(r);
        }
    };
    push_removed(&removed_first, &mut out, &mut after);
    for (item, partner) in new.iter().zip(partner) {
        match partner {
            Some(i) => {
                out.extend(changed(&old[i], item, numbered(i)));
                after = item_last(i);
                push_removed(&removed_after[i], &mut out, &mut after);
            }
            None => out.push(added(item, after)),
        }
    }
    out
}

/// The number of a field's last line, or of the line before it if it has none.
fn last_line(field: &NumberedField) -> u32 {
    field.end().saturating_sub(1)
}

/// How `new` differs from `old`, whose numbered fields are `numbered`; `None` if it does not.
fn changed(old: &Item, new: &Item, numbered: &[NumberedField]) -> Option<ItemDiff> {
    let mut fields = Vec::new();
    for (j, ((kind, before), (_, after))) in old.texts.iter().zip(&new.texts).enumerate() {
        if before != after {
            let pieces = text_diff(before, after);
            let lines = numbered.get(j).and_then(|f| changed_lines(&pieces, f));
            fields.push(FieldDiff { kind: *kind, pieces, lines });
        }
    }
    let decision = match (old.decision, new.decision) {
        (Some(a), Some(b)) if a != b => Some((a, b)),
        _ => None,
    };
    if fields.is_empty() && decision.is_none() {
        return None;
    }
    let name_line = numbered.first().filter(|_| decision.is_some()).map(|f| (f.first, f.first));
    let lines = fields.iter().fold(name_line, |span, f| union(span, f.lines));
    Some(ItemDiff { id: new.id.to_owned(), label: new.label(), change: ItemChange::Changed, decision, fields, lines })
}

/// An item only `new` has, inserted after old line `after`.
fn added(new: &Item, after: u32) -> ItemDiff {
    let fields = whole_fields(new, PieceKind::Inserted, |_| Some((after, after)));
    let decision = new.decision.filter(|d| *d != Decision::Offen).map(|d| (Decision::Offen, d));
    ItemDiff {
        id: new.id.to_owned(),
        label: new.label(),
        change: ItemChange::Added,
        decision,
        fields,
        lines: Some((after, after)),
    }
}

/// An item only `old` has, whose numbered fields are `numbered`.
fn removed(old: &Item, numbered: &[NumberedField]) -> ItemDiff {
    let fields = whole_fields(old, PieceKind::Deleted, |j| {
        let field = numbered.get(j)?;
        Some((field.first, last_line(field).max(field.first)))
    });
    let first = numbered.first().map_or(0, |f| f.first);
    let last = numbered.last().map_or(0, last_line);
    let lines = if last >= first { (first, last) } else { (last, last) };
    let decision = old.decision.filter(|d| *d != Decision::Offen).map(|d| (d, Decision::Offen));
    ItemDiff {
        id: old.id.to_owned(),
        label: old.label(),
        change: ItemChange::Removed,
        decision,
        fields,
        lines: Some(lines),
    }
}

/// Each non-empty field of `item` as one piece of `kind`, with the lines `lines` gives field `j`.
fn whole_fields(item: &Item, kind: PieceKind, lines: impl Fn(usize) -> Option<(u32, u32)>) -> Vec<FieldDiff> {
    item.texts
        .iter()
        .enumerate()
        .filter(|(_, (_, text))| !text.is_empty())
        .map(|(j, (field, text))| FieldDiff {
            kind: *field,
            pieces: vec![Piece { kind, text: (*text).to_owned() }],
            lines: lines(j),
        })
        .collect()
}
