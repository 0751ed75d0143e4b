//! Word files (docx-rs): a concept or evaluation as plain text, and a draft as tracked changes
//! against the concept at its base: every insertion attributed to the person who wrote it (the
//! document's authorship), every deletion to the draft's authors, so Word's "accept or reject"
//! works passage by passage. Markdown marks of a body stay as written (one paragraph per line).

use docx_rs::{
    Delete, Docx, Footer, Header, Insert, PageMargin, PageNum, Paragraph, Run, Style, StyleType, Table, TableCell,
    TableRow,
};
use kompromiss_shared::diff::{ConceptDiff, FieldDiff, ItemChange, Piece, PieceKind};
use kompromiss_shared::dto::timeline::{Authorship, FieldAuthors};
use kompromiss_shared::export::blocks::{Block, Span};
use kompromiss_shared::export::{decision_de, typst::Page};
use kompromiss_shared::lines::FieldKind;
use kompromiss_shared::schema::{ConceptView, FieldPath};

use super::ExportError;

/// Text Word can carry: characters XML 1.0 forbids are dropped (docx-rs escapes the rest).
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || *c == '\t' || *c == '\n').collect()
}

/// An A4 document with heading styles, the header and the page numbers.
fn document(page: &Page<'_>) -> Docx {
    let heading = |id: &str, name: &str, size: usize| {
        Style::new(id, StyleType::Paragraph).name(name).based_on("Normal").bold().size(size)
    };
    Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(1474).bottom(1361).left(1588).right(1134))
        .add_style(heading("Heading1", "heading 1", 34))
        .add_style(heading("Heading2", "heading 2", 28))
        .add_style(heading("Heading3", "heading 3", 24))
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().size(16).add_text(clean(&format!("{} · {}", page.organisation, page.title)))),
            ),
        )
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().size(16).add_text(clean(&format!("{} · Seite ", page.stand))))
                    .add_page_num(PageNum::new()),
            ),
        )
}

fn run(span: &Span) -> Run {
    let r = Run::new().add_text(clean(&span.text));
    let r = if span.strong { r.bold() } else { r };
    let r = if span.strike { r.strike() } else { r };
    if span.emph { r.italic() } else { r }
}

fn paragraph(spans: &[Span]) -> Paragraph {
    spans.iter().fold(Paragraph::new(), |p, s| p.add_run(run(s)))
}

/// The archive of a built document.
fn pack(docx: Docx) -> Result<Vec<u8>, ExportError> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| ExportError::Render(format!("docx: {e}")))?;
    Ok(out.into_inner())
}

/// A Word file of `blocks` (a concept's or an evaluation's Markdown export).
pub(super) fn plain(blocks: &[Block], page: &Page<'_>) -> Result<Vec<u8>, ExportError> {
    let mut docx = document(page);
    for block in blocks {
        docx = match block {
            Block::Heading { level, spans } => {
                docx.add_paragraph(paragraph(spans).style(&format!("Heading{}", level.min(&3))))
            }
            Block::Para(spans) => docx.add_paragraph(paragraph(spans)),
            Block::Item { depth, marker, spans } => {
                let indent = 360 * (i32::from(*depth) + 1);
                let p = Paragraph::new().add_run(Run::new().add_text(format!("{marker} ")));
                docx.add_paragraph(spans.iter().fold(p, |p, s| p.add_run(run(s))).indent(
                    Some(indent),
                    None,
                    None,
                    None,
                ))
            }
            Block::Table(rows) => docx.add_table(Table::new(
                rows.iter()
                    .map(|row| {
                        TableRow::new(row.iter().map(|cell| TableCell::new().add_paragraph(paragraph(cell))).collect())
                    })
                    .collect(),
            )),
            Block::Rule => docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text("—"))),
        };
    }
    pack(docx)
}

/// What a tracked-changes file is made of.
pub(super) struct Tracked<'a> {
    /// The concept at the draft's base.
    pub base: &'a ConceptView,
    pub draft: &'a ConceptView,
    pub diff: &'a ConceptDiff,
    /// The draft's authors by name: deletions are theirs.
    pub authors: &'a [String],
    /// Who wrote which characters of the draft; without it insertions are the authors' too.
    pub authorship: Option<&'a Authorship>,
    pub page: &'a Page<'a>,
}

/// The date Word shows beside each change: now.
fn now_iso() -> String {
    let ms = crate::db::now_millis();
    let (y, m, d) = kompromiss_shared::metrics::month::civil_date(ms);
    let rem = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Builds the paragraphs of one field with its changes marked.
struct Marker<'a> {
    tracked: &'a Tracked<'a>,
    deleter: String,
    date: String,
}

impl Marker<'_> {
    /// Who wrote the characters `from..to` (counted in `char`s) of the draft's field `path`, as
    /// runs `(from, to, name)`; the draft's authors where nobody of them is recorded or `path` is `None`.
    fn writers(&self, path: Option<&FieldPath>, from: u32, to: u32) -> Vec<(u32, u32, String)> {
        let field: Option<&FieldAuthors> =
            self.tracked.authorship.and_then(|a| a.fields.iter().find(|f| Some(&f.field) == path));
        let (Some(field), Some(authorship)) = (field, self.tracked.authorship) else {
            return vec![(from, to, self.deleter.clone())];
        };
        let mut out = Vec::new();
        let mut at = from;
        for &(start, end, who) in &field.runs {
            if end <= at || start >= to {
                continue;
            }
            // Characters an author of the draft typed are theirs; characters the word diff counts
            // as new but that were kept from the concept (the "?" after a replaced word) are the
            // draft's, like its deletions.
            let name = who
                .and_then(|i| authorship.people.get(i as usize))
                .filter(|p| self.tracked.authors.contains(&p.name))
                .map_or_else(|| self.deleter.clone(), |p| clean(&p.name));
            let (s, e) = (start.max(at), end.min(to));
            if s > at {
                out.push((at, s, self.deleter.clone()));
            }
            out.push((s, e, name));
            at = e;
        }
        if at < to {
            out.push((at, to, self.deleter.clone()));
        }
        // One insertion per writer and stretch.
        let mut merged: Vec<(u32, u32, String)> = Vec::new();
        for run in out {
            match merged.last_mut() {
                Some(last) if last.2 == run.2 && last.1 == run.0 => last.1 = run.1,
                _ => merged.push(run),
            }
        }
        merged
    }

    /// The field's pieces as paragraphs (a new one at each line break), `prefix` in bold first.
    fn field(&self, path: Option<&FieldPath>, pieces: &[Piece], prefix: &str, style: Option<&str>) -> Vec<Paragraph> {
        let start = || {
            let p = Paragraph::new();
            let p = if prefix.is_empty() { p } else { p.add_run(Run::new().bold().add_text(prefix)) };
            match style {
                Some(s) => p.style(s),
                None => p,
            }
        };
        let mut out = Vec::new();
        let mut current = start();
        let mut new_at: u32 = 0;
        for piece in pieces {
            let lines: Vec<&str> = piece.text.split('\n').collect();
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    out.push(std::mem::replace(&mut current, if style.is_some() { start() } else { Paragraph::new() }));
                    if piece.kind != PieceKind::Deleted {
                        new_at += 1;
                    }
                }
                if line.is_empty() {
                    continue;
                }
                let len = u32::try_from(line.chars().count()).unwrap_or(u32::MAX);
                current = match piece.kind {
                    PieceKind::Same => current.add_run(Run::new().add_text(clean(line))),
                    PieceKind::Deleted => current.add_delete(
                        Delete::new()
                            .author(&self.deleter)
                            .date(&self.date)
                            .add_run(Run::new().add_delete_text(clean(line))),
                    ),
                    PieceKind::Inserted => {
                        self.writers(path, new_at, new_at + len).into_iter().fold(current, |p, (s, e, who)| {
                            let text: String =
                                line.chars().skip((s - new_at) as usize).take((e - s) as usize).collect();
                            p.add_insert(Insert::new(Run::new().add_text(clean(&text))).author(who).date(&self.date))
                        })
                    }
                };
                if piece.kind != PieceKind::Deleted {
                    new_at += len;
                }
            }
        }
        out.push(current);
        out
    }
}

/// The pieces of field `kind` in `fields`, or the whole `text` unchanged.
fn pieces_of(fields: &[FieldDiff], kind: FieldKind, text: &str) -> Vec<Piece> {
    fields
        .iter()
        .find(|f| f.kind == kind)
        .map_or_else(|| vec![Piece { kind: PieceKind::Same, text: text.to_owned() }], |f| f.pieces.clone())
}

/// All of `old`'s pieces as one kind (a whole item added or removed).
fn all(kind: PieceKind, text: &str) -> Vec<Piece> {
    if text.is_empty() { Vec::new() } else { vec![Piece { kind, text: text.to_owned() }] }
}

/// The draft as a Word file with tracked changes against the concept at its base.
pub(super) fn tracked(t: &Tracked<'_>) -> Result<Vec<u8>, ExportError> {
    let deleter = if t.authors.is_empty() { "Entwurf".to_owned() } else { clean(&t.authors.join(", ")) };
    let m = Marker { tracked: t, deleter, date: now_iso() };
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let title = t.diff.title.clone().unwrap_or_else(|| all(PieceKind::Same, &t.draft.title));
    paragraphs.extend(m.field(Some(&FieldPath::Title), &title, "", Some("Heading1")));
    // Sections in the draft's order; a removed one after the section that preceded it in the base.
    // A removed section goes after the section that preceded it in the base and is still there.
    let kept_before = |id: &str| -> Option<String> {
        let i = t.base.sections.iter().position(|s| s.id == id).unwrap_or(0);
        t.base.sections[..i].iter().rev().find(|s| t.draft.sections.iter().any(|n| n.id == s.id)).map(|s| s.id.clone())
    };
    let emit_removed = |paragraphs: &mut Vec<Paragraph>, prev: Option<&str>| {
        let removed = t.diff.sections.iter().filter(|d| d.change == ItemChange::Removed);
        for d in removed.filter(|d| kept_before(&d.id).as_deref() == prev) {
            let old = t.base.sections.iter().find(|s| s.id == d.id);
            let path = |f: &str| FieldPath::Section { id: d.id.clone(), field: f.into() };
            let heading = all(PieceKind::Deleted, old.map_or("", |s| &s.heading));
            paragraphs.extend(m.field(Some(&path("heading")), &heading, "", Some("Heading2")));
            paragraphs.extend(m.field(
                Some(&path("body")),
                &all(PieceKind::Deleted, old.map_or("", |s| &s.body)),
                "",
                None,
            ));
        }
    };
    emit_removed(&mut paragraphs, None);
    for s in &t.draft.sections {
        let d = t.diff.sections.iter().find(|d| d.id == s.id);
        let path = |f: &str| FieldPath::Section { id: s.id.clone(), field: f.into() };
        let (heading, body) = match d {
            Some(d) if d.change == ItemChange::Added => {
                (all(PieceKind::Inserted, &s.heading), all(PieceKind::Inserted, &s.body))
            }
            Some(d) => {
                (pieces_of(&d.fields, FieldKind::Heading, &s.heading), pieces_of(&d.fields, FieldKind::Body, &s.body))
            }
            None => (all(PieceKind::Same, &s.heading), all(PieceKind::Same, &s.body)),
        };
        paragraphs.extend(m.field(Some(&path("heading")), &heading, "", Some("Heading2")));
        paragraphs.extend(m.field(Some(&path("body")), &body, "", None));
        emit_removed(&mut paragraphs, Some(&s.id));
    }
    if !t.draft.platforms.is_empty() {
        paragraphs.push(Paragraph::new().style("Heading2").add_run(Run::new().add_text("Plattformen im Einzelnen")));
    }
    let removed_platforms = t
        .diff
        .platforms
        .iter()
        .filter(|d| d.change == ItemChange::Removed)
        .filter_map(|d| t.base.platforms.iter().find(|p| p.id == d.id).map(|p| (p, ItemChange::Removed)));
    let platforms = t.draft.platforms.iter().map(|p| {
        let change = t.diff.platforms.iter().find(|d| d.id == p.id).map_or(ItemChange::Changed, |d| d.change);
        (p, change)
    });
    for (p, change) in platforms.chain(removed_platforms) {
        let d = t.diff.platforms.iter().find(|d| d.id == p.id);
        let path = |f: &str| FieldPath::Platform { id: p.id.clone(), field: f.into() };
        let texts = [
            (FieldKind::Name, &p.name, ""),
            (FieldKind::TargetGroups, &p.target_groups, "Zielgruppen: "),
            (FieldKind::Rationale, &p.rationale, "Begründung: "),
        ];
        for (kind, text, prefix) in texts {
            let pieces = match (change, d) {
                (ItemChange::Added, _) => all(PieceKind::Inserted, text),
                (ItemChange::Removed, _) => all(PieceKind::Deleted, text),
                (_, Some(d)) => pieces_of(&d.fields, kind, text),
                (_, None) => all(PieceKind::Same, text),
            };
            let key = match kind {
                FieldKind::Name => "name",
                FieldKind::TargetGroups => "target_groups",
                _ => "rationale",
            };
            let style = (kind == FieldKind::Name).then_some("Heading3");
            paragraphs.extend(m.field(Some(&path(key)), &pieces, prefix, style));
            if kind == FieldKind::Name {
                let decision = match d.and_then(|d| d.decision) {
                    Some((from, to)) => vec![
                        Piece { kind: PieceKind::Same, text: "Entscheidung: ".into() },
                        Piece { kind: PieceKind::Deleted, text: decision_de(from).into() },
                        Piece { kind: PieceKind::Inserted, text: decision_de(to).into() },
                    ],
                    None => all(PieceKind::Same, &format!("Entscheidung: {}", decision_de(p.decision))),
                };
                paragraphs.extend(m.field(None, &decision, "", None));
            }
        }
    }
    let docx = paragraphs.into_iter().fold(document(t.page), Docx::add_paragraph);
    pack(docx)
}
