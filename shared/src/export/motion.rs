//! A draft as a motion text: "In Zeile 12 bis 14 „…“ ersetzen durch „…“", one instruction per
//! changed passage, numbered by the concept's lines (those of the draft's base, as the web page
//! shows them), in Markdown so that every export format prints it.

use std::ops::Range;

use super::{decision_de, inline};
use crate::diff::{ConceptDiff, FieldDiff, ItemChange, Piece, PieceKind};
use crate::lines::{FieldKind, Numbering, number};
use crate::schema::ConceptView;

/// Who and what the motion is.
#[derive(Debug, Clone)]
pub struct MotionHead<'a> {
    pub draft_title: &'a str,
    pub concept_title: &'a str,
    /// The draft's authors, as they are named on the site.
    pub authors: &'a [String],
}

/// "Nach Zeile 12" for text added after line 12, "Vor Zeile 1" at the very start.
fn after_line(n: u32) -> String {
    if n == 0 { "Vor Zeile 1".to_owned() } else { format!("Nach Zeile {n}") }
}

/// "Zeile 12 bis 14 streichen", or without lines (an item with no text) "streichen".
fn strike(lines: Option<(u32, u32)>) -> String {
    lines.map_or_else(|| "Streichen".to_owned(), |l| format!("{} streichen", zeilen(l)))
}

/// "Zeile 12" or "Zeile 12 bis 14".
fn zeilen((a, b): (u32, u32)) -> String {
    if a == b { format!("Zeile {a}") } else { format!("Zeile {a} bis {b}") }
}

/// A changed passage of a field: its bytes in the old text, what goes and what comes.
#[derive(Debug, PartialEq, Eq)]
struct Passage {
    old: Range<usize>,
    deleted: String,
    inserted: String,
}

/// The runs of changed pieces of a field, with their place in the old text.
fn passages(pieces: &[Piece]) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    let mut at = 0;
    let mut open: Option<Passage> = None;
    for piece in pieces {
        match piece.kind {
            PieceKind::Same => {
                out.extend(open.take());
                at += piece.text.len();
            }
            PieceKind::Deleted => {
                let p = open.get_or_insert_with(|| Passage {
                    old: at..at,
                    deleted: String::new(),
                    inserted: String::new(),
                });
                p.deleted.push_str(&piece.text);
                at += piece.text.len();
                p.old.end = at;
            }
            PieceKind::Inserted => {
                let p = open.get_or_insert_with(|| Passage {
                    old: at..at,
                    deleted: String::new(),
                    inserted: String::new(),
                });
                p.inserted.push_str(&piece.text);
            }
        }
    }
    out.extend(open);
    out
}

/// Up to `n` words at the end of `text`, for "nach „…“ einfügen".
fn last_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

/// Up to `n` words at the start of `text`, for "vor „…“ einfügen".
fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// Quoted for the motion: Markdown escaped, line breaks as spaces.
fn quote(text: &str) -> String {
    format!("„{}“", inline(text))
}

/// The field's name in an instruction.
fn field_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Heading => "Überschrift",
        FieldKind::Body => "Text",
        FieldKind::Name => "Name",
        FieldKind::TargetGroups => "Zielgruppen",
        FieldKind::Rationale => "Begründung",
    }
}

/// The instructions for one changed field of an item that exists in the old concept.
fn field_instructions(numbering: &Numbering, old: &str, item: &str, where_: &str, field: &FieldDiff) -> Vec<String> {
    let Some(numbered) = numbering.field(item, field.kind) else { return Vec::new() };
    let what = format!("({where_}, {})", field_name(field.kind));
    passages(&field.pieces)
        .into_iter()
        // A passage of whitespace only (a new paragraph break, a double space) changes no wording.
        .filter(|p| !(p.deleted.trim().is_empty() && p.inserted.trim().is_empty()))
        .map(|p| {
            let (deleted, inserted) = (p.deleted.trim(), p.inserted.trim());
            if deleted.is_empty() {
                let line = numbered.insertion_line(p.old.start);
                let before = last_words(old.get(..p.old.start).unwrap_or_default(), 3);
                if numbered.lines.is_empty() {
                    format!("{} {what} einfügen: {}", after_line(numbered.first.saturating_sub(1)), quote(inserted))
                } else if before.is_empty() {
                    let after = first_words(old.get(p.old.start..).unwrap_or_default(), 3);
                    format!("In Zeile {line} {what} vor {} einfügen: {}", quote(&after), quote(inserted))
                } else {
                    format!("In Zeile {line} {what} nach {} einfügen: {}", quote(&before), quote(inserted))
                }
            } else {
                let lines = zeilen(numbered.span(p.old.clone()));
                if inserted.is_empty() {
                    format!("In {lines} {what} streichen: {}", quote(deleted))
                } else {
                    format!("In {lines} {what} {} ersetzen durch {}", quote(deleted), quote(inserted))
                }
            }
        })
        .collect()
}

/// The text of an added item's fields, for "einfügen: …".
fn added_text(fields: &[FieldDiff]) -> String {
    fields
        .iter()
        .filter(|f| f.kind != FieldKind::Heading && f.kind != FieldKind::Name)
        .map(|f| {
            let text: String =
                f.pieces.iter().filter(|p| p.kind != PieceKind::Deleted).map(|p| p.text.as_str()).collect();
            format!("{}: {}", field_name(f.kind), quote(text.trim()))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The draft as a motion text in Markdown: a head naming the concept and the authors, then the
/// numbered instructions; `base` is the concept at the draft's base, `diff` the draft against it.
pub fn markdown(head: &MotionHead<'_>, base: &ConceptView, diff: &ConceptDiff) -> String {
    let numbering = number(base);
    let mut out = format!("# Änderungsantrag: {}\n\n", inline(head.draft_title));
    out.push_str(&format!("**Zum Konzept:** {}\n\n", inline(head.concept_title)));
    if !head.authors.is_empty() {
        let names: Vec<String> = head.authors.iter().map(|a| inline(a)).collect();
        out.push_str(&format!("**Antragsteller\\*innen:** {}\n\n", names.join(", ")));
    }
    out.push_str("## Änderungen\n\n");
    let mut steps: Vec<String> = Vec::new();
    if let Some(pieces) = &diff.title {
        let new: String = pieces.iter().filter(|p| p.kind != PieceKind::Deleted).map(|p| p.text.as_str()).collect();
        steps.push(format!("Den Titel {} ändern in {}", quote(&base.title), quote(&new)));
    }
    for s in &diff.sections {
        let where_ = format!("Abschnitt {}", quote(&s.heading));
        match s.change {
            ItemChange::Added => steps.push(format!(
                "{} neuen Abschnitt {} einfügen – {}",
                after_line(s.lines.map_or(0, |l| l.0)),
                quote(&s.heading),
                added_text(&s.fields)
            )),
            ItemChange::Removed => {
                steps.push(format!("{} ({where_})", strike(s.lines)));
            }
            ItemChange::Changed => {
                let old = base.sections.iter().find(|x| x.id == s.id);
                for f in &s.fields {
                    let text = old.map_or("", |o| if f.kind == FieldKind::Heading { &o.heading } else { &o.body });
                    steps.extend(field_instructions(&numbering, text, &s.id, &where_, f));
                }
            }
        }
    }
    for p in &diff.platforms {
        let where_ = format!("Plattform {}", quote(&p.name));
        match p.change {
            ItemChange::Added => steps.push(format!(
                "{} neue Plattform {} einfügen (Entscheidung: {}) – {}",
                after_line(p.lines.map_or(0, |l| l.0)),
                quote(&p.name),
                p.decision.map_or("offen", |(_, new)| decision_de(new)),
                added_text(&p.fields)
            )),
            ItemChange::Removed => {
                steps.push(format!("{} ({where_})", strike(p.lines)));
            }
            ItemChange::Changed => {
                let old = base.platforms.iter().find(|x| x.id == p.id);
                if let Some((from, to)) = p.decision {
                    let line = numbering.field(&p.id, FieldKind::Name).map_or(0, |f| f.first);
                    steps.push(format!(
                        "In Zeile {line} ({where_}) die Entscheidung „{}“ ändern in „{}“",
                        decision_de(from),
                        decision_de(to)
                    ));
                }
                for f in &p.fields {
                    let text = old.map_or("", |o| match f.kind {
                        FieldKind::Name => &o.name,
                        FieldKind::TargetGroups => &o.target_groups,
                        _ => &o.rationale,
                    });
                    steps.extend(field_instructions(&numbering, text, &p.id, &where_, f));
                }
            }
        }
    }
    if steps.is_empty() {
        out.push_str("Der Entwurf ändert nichts am Konzept.\n");
    }
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!("{}. {step}.\n", i + 1));
    }
    out
}

#[cfg(test)]
mod tests;
