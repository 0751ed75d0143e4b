//! Passages two diffs against the same old concept both change (a draft and the concept since the draft's base).

use super::{ConceptDiff, FieldDiff, ItemChange};
use crate::decision::Decision;
use crate::lines::{FieldKind, FieldRef};

/// One side's change to an item, as [`overlaps`] compares it.
struct Side<'a> {
    change: ItemChange,
    fields: &'a [FieldDiff],
    decision: Option<(Decision, Decision)>,
}

/// The fields that both `a` and `b` (diffs against the same old concept) change where their old
/// line ranges intersect, in `a`'s order. Also: a platform decision both change (reported as its
/// [`FieldKind::Name`]), and an item one removes while the other changes (reported as its heading
/// or name). Identical changes to a field or decision on both sides do not count.
pub fn overlaps(a: &ConceptDiff, b: &ConceptDiff) -> Vec<FieldRef> {
    let mut out = Vec::new();
    for sa in &a.sections {
        if let Some(sb) = b.sections.iter().find(|s| s.id == sa.id) {
            let side_a = Side { change: sa.change, fields: &sa.fields, decision: None };
            let side_b = Side { change: sb.change, fields: &sb.fields, decision: None };
            item_overlaps(&sa.id, FieldKind::Heading, &side_a, &side_b, &mut out);
        }
    }
    for pa in &a.platforms {
        if let Some(pb) = b.platforms.iter().find(|p| p.id == pa.id) {
            let side_a = Side { change: pa.change, fields: &pa.fields, decision: pa.decision };
            let side_b = Side { change: pb.change, fields: &pb.fields, decision: pb.decision };
            item_overlaps(&pa.id, FieldKind::Name, &side_a, &side_b, &mut out);
        }
    }
    out
}

/// Adds the overlaps of two changes to item `id`, whose first field is `head`.
fn item_overlaps(id: &str, head: FieldKind, a: &Side, b: &Side, out: &mut Vec<FieldRef>) {
    let mut push = |kind: FieldKind| {
        let field = FieldRef { item: id.to_owned(), kind };
        if !out.contains(&field) {
            out.push(field);
        }
    };
    match (a.change, b.change) {
        (ItemChange::Removed, ItemChange::Changed) | (ItemChange::Changed, ItemChange::Removed) => push(head),
        (ItemChange::Changed, ItemChange::Changed) => {
            for fa in a.fields {
                let clash = b
                    .fields
                    .iter()
                    .any(|fb| fb.kind == fa.kind && fb.pieces != fa.pieces && intersect(fa.lines, fb.lines));
                if clash {
                    push(fa.kind);
                }
            }
            if a.decision.is_some() && b.decision.is_some() && a.decision != b.decision {
                push(FieldKind::Name);
            }
        }
        _ => {}
    }
}

/// Whether two line ranges share a line.
fn intersect(a: Option<(u32, u32)>, b: Option<(u32, u32)>) -> bool {
    matches!((a, b), (Some((a1, a2)), Some((b1, b2))) if a1 <= b2 && b1 <= a2)
}
