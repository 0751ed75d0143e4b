//! typst markup for the PDF exports: A4, German hyphenation, a header with organisation and
//! title, page numbers, and for a concept the continuous line numbers of [`crate::lines`] in the
//! margin, each numbered line printed as a line of its own so that the numbers are the web's.
//!
//! Every text of a person's enters as a typst string literal (`#"…"`, see [`lit`]), never as
//! markup, so that no one's words can run typst code or change the layout.

use super::blocks::{self, Block, Span};
use super::{assessment_lines, decision_de};
use crate::lines::{FieldKind, NumberedField, number};
use crate::schema::ConceptView;
use crate::template::Template;

/// What the running header and footer say.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The organisation ("BÜNDNIS 90/DIE GRÜNEN Sachsen"); the header leaves it out if empty.
    pub organisation: &'a str,
    pub title: &'a str,
    /// "Stand 12/2026", "vorgestellt am …": printed at the foot of every page.
    pub stand: &'a str,
}

/// `text` as a typst string literal.
pub fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs of text as markup.
fn spans(runs: &[Span]) -> String {
    runs.iter()
        .filter(|s| !s.text.is_empty())
        .map(|s| {
            let text = if s.strike { format!("strike({})", lit(&s.text)) } else { lit(&s.text) };
            match (s.strong, s.emph) {
                (false, false) => format!("#{text}"),
                (true, false) => format!("#strong({text})"),
                (false, true) => format!("#emph({text})"),
                (true, true) => format!("#strong(emph({text}))"),
            }
        })
        .collect()
}

/// Blocks as markup.
pub fn blocks(list: &[Block]) -> String {
    let mut out = String::new();
    for block in list {
        match block {
            Block::Heading { level, spans: s } => out.push_str(&format!("#heading(level: {level})[{}]\n", spans(s))),
            Block::Para(s) => out.push_str(&format!("#par[{}]\n", spans(s))),
            Block::Item { depth, marker, spans: s } => out.push_str(&format!(
                "#pad(left: {}em)[#{}{}]\n",
                f32::from((*depth).min(6)) * 1.2 + 0.3,
                lit(&format!("{marker} ")),
                spans(s)
            )),
            Block::Table(rows) => {
                let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
                out.push_str(&format!("#table(columns: {columns}, stroke: 0.4pt + luma(170), inset: 4pt,\n"));
                for (i, row) in rows.iter().enumerate() {
                    let cells: String = (0..columns)
                        .map(|c| format!("[{}], ", row.get(c).map_or_else(String::new, |s| spans(s))))
                        .collect();
                    if i == 0 {
                        out.push_str(&format!("  table.header({cells}),\n"));
                    } else {
                        out.push_str(&format!("  {cells}\n"));
                    }
                }
                out.push_str(")\n");
            }
            Block::Rule => out.push_str("#line(length: 100%, stroke: 0.4pt + luma(170))\n"),
        }
    }
    out
}

/// Page, fonts, header, footer and the line helper `z` every export starts with.
pub fn preamble(page: &Page<'_>) -> String {
    format!(
        r#"#set document(title: {title})
#set page(paper: "a4", margin: (left: 2.8cm, right: 2cm, top: 2.6cm, bottom: 2.4cm),
  header: [#set text(size: 8pt, fill: luma(80)); #{org} #h(1fr) #{title} #v(-0.5em) #line(length: 100%, stroke: 0.4pt + luma(170))],
  footer: context [#set text(size: 8pt, fill: luma(80)); #{stand} #h(1fr) Seite #counter(page).display() von #counter(page).final().first()],
)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "de", region: "DE", hyphenate: true)
#set par(justify: false, leading: 0.55em, spacing: 0.8em)
#show heading: set block(above: 1.3em, below: 0.7em)
#let z(n, kopf: 0, body) = block(above: if kopf > 0 {{ 1.1em }} else {{ 0pt }}, below: 0.48em, {{
  place(dx: -1.6cm, box(width: 1.2cm, align(right, text(size: 7.5pt, weight: "regular", fill: luma(90), str(n)))))
  if kopf == 1 {{ text(size: 13pt, weight: "bold", body) }} else if kopf == 2 {{ text(size: 11.5pt, weight: "bold", body) }} else {{ body }}
}})
#let luecke = v(0.45em)
"#,
        title = lit(page.title),
        org = lit(page.organisation),
        stand = lit(page.stand),
    )
}

/// The numbered lines of one field: each line's source cut from `text`, a gap where the source
/// has an empty line, `label` before the first line and `after` behind the last.
fn numbered(out: &mut String, field: Option<&NumberedField>, text: &str, kopf: u8, label: &str, after: &str) {
    let Some(field) = field else { return };
    let mut prev_end: Option<usize> = None;
    let last = field.lines.len().saturating_sub(1);
    for (i, range) in field.lines.iter().enumerate() {
        if let Some(end) = prev_end
            && text.get(end..range.start).is_some_and(|gap| gap.matches('\n').count() >= 2)
        {
            out.push_str("#luecke\n");
        }
        // A line that starts a source line may start Markdown blocks; one that continues a
        // wrapped source line may not.
        let starts_source = prev_end.is_none_or(|end| text.get(end..range.start).is_some_and(|gap| gap.contains('\n')));
        prev_end = Some(range.end);
        let source = text.get(range.clone()).unwrap_or_default();
        let runs = if kopf > 0 || field.field.kind != FieldKind::Body {
            vec![Span { text: source.to_owned(), ..Span::default() }]
        } else if starts_source {
            blocks::line(source)
        } else {
            blocks::continuation(source)
        };
        let label = if i == 0 && !label.is_empty() { format!("#strong({})", lit(label)) } else { String::new() };
        let after = if i == last && !after.is_empty() {
            format!("#text(weight: \"regular\", {})", lit(after))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "#z({}, kopf: {kopf})[{label}{}{after}]\n",
            field.first + u32::try_from(i).unwrap_or(0),
            spans(&runs)
        ));
    }
}

/// The concept as a document with line numbers: title, sections, then each platform with its
/// decision, target groups, rationale and (unnumbered) assessment.
pub fn concept(view: &ConceptView, template: Option<&Template>, page: &Page<'_>) -> String {
    let numbering = number(view);
    let mut out = preamble(page);
    out.push_str(&format!("#block(below: 1.2em, text(size: 18pt, weight: \"bold\", {}))\n", lit(&view.title)));
    for s in &view.sections {
        numbered(&mut out, numbering.field(&s.id, FieldKind::Heading), &s.heading, 1, "", "");
        numbered(&mut out, numbering.field(&s.id, FieldKind::Body), &s.body, 0, "", "");
    }
    if !view.platforms.is_empty() {
        out.push_str("#heading(level: 1)[Plattformen im Einzelnen]\n");
    }
    for p in &view.platforms {
        let decision = format!(" – {}", decision_de(p.decision));
        numbered(&mut out, numbering.field(&p.id, FieldKind::Name), &p.name, 2, "", &decision);
        numbered(&mut out, numbering.field(&p.id, FieldKind::TargetGroups), &p.target_groups, 0, "Zielgruppen: ", "");
        numbered(&mut out, numbering.field(&p.id, FieldKind::Rationale), &p.rationale, 0, "Begründung: ", "");
        let criteria = template.map_or(&[][..], |t| t.assessment.as_slice());
        if !criteria.is_empty() {
            out.push_str("#block(above: 0.8em, below: 0.3em, strong[Bewertung])\n");
            out.push_str(&blocks(&blocks::parse(&assessment_lines(criteria, &p.assessment))));
        }
    }
    out
}

/// A Markdown export (a motion text, an evaluation) as a document, with `figures` (names of the
/// embedded SVG files and their captions) after the text under `figures_heading`.
pub fn markdown(md: &str, page: &Page<'_>, figures_heading: &str, figures: &[(String, String)]) -> String {
    let mut out = preamble(page);
    out.push_str(&blocks(&blocks::parse(md)));
    if !figures.is_empty() {
        out.push_str(&format!("#heading(level: 2)[#{}]\n", lit(figures_heading)));
    }
    for (file, caption) in figures {
        out.push_str(&format!("#figure(image({}, width: 100%), caption: [#{}])\n", lit(file), lit(caption)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_escapes_quotes_backslashes_and_line_breaks() {
        assert_eq!(lit("a \"b\" \\ #c\nd\u{7}"), "\"a \\\"b\\\" \\\\ #c\\nd\"");
    }

    #[test]
    fn struck_bold_and_italic_runs_become_typst_functions_around_literals() {
        let markup = blocks(&crate::export::blocks::parse("Wir ~~alle~~ **neu** *~~X~~*"));
        assert!(markup.contains("#strike(\"alle\")"), "{markup}");
        assert!(markup.contains("#strong(\"neu\")"), "{markup}");
        assert!(markup.contains("#emph(strike(\"X\"))"), "{markup}");
    }

    #[test]
    fn the_template_concept_numbers_every_line_in_order() {
        let (view, template) = super::super::tests::template_concept();
        let page = Page { organisation: "BÜNDNIS 90/DIE GRÜNEN Sachsen", title: &view.title, stand: "Stand 12/2026" };
        let markup = concept(&view, Some(&template), &page);
        let total = number(&view).total();
        let mut at = 0;
        for n in 1..=total {
            let found = markup[at..].find(&format!("#z({n}, ")).unwrap_or_else(|| panic!("line {n} missing"));
            at += found;
        }
        assert!(!markup.contains(&format!("#z({}, ", total + 1)));
    }
}
