//! Exports of a concept as text: Markdown (the source of the HTML export too). German, as the
//! party's documents are: section bodies are Markdown already and go in as written; the other
//! fields are single lines and are escaped so that they cannot start Markdown of their own.

pub mod blocks;
pub mod evaluation;
pub mod motion;
pub mod odt;
pub mod typst;

use std::collections::BTreeMap;

use crate::decision::Decision;
use crate::schema::{CHECK_STATES, ConceptView};
use crate::template::{Criterion, CriterionKind, Template, Unit};

/// The German word for a decision, as exports print it.
pub fn decision_de(d: Decision) -> &'static str {
    match d {
        Decision::Nutzen => "nutzen",
        Decision::Evaluieren => "evaluieren",
        Decision::Verlassen => "verlassen",
        Decision::Offen => "offen",
    }
}

/// The German words for a checklist state.
pub fn check_de(state: &str) -> &'static str {
    match CHECK_STATES.iter().position(|s| *s == state) {
        Some(0) => "erfüllt",
        Some(1) => "nicht erfüllt",
        Some(2) => "ungeklärt",
        _ => "noch nicht bewertet",
    }
}

/// A one-line field as Markdown text: characters that would start or change Markdown are escaped,
/// line breaks become spaces.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// The concept as Markdown: title, sections, then each platform with its decision, target groups,
/// rationale and assessment by the template's criteria.
pub fn markdown(view: &ConceptView, template: Option<&Template>) -> String {
    let mut out = format!("# {}\n", inline(&view.title));
    for s in &view.sections {
        out.push_str(&format!("\n## {}\n\n", inline(&s.heading)));
        let body = s.body.trim();
        if !body.is_empty() {
            out.push_str(body);
            out.push('\n');
        }
    }
    if !view.platforms.is_empty() {
        out.push_str("\n## Plattformen im Einzelnen\n");
    }
    for p in &view.platforms {
        out.push_str(&format!("\n### {} – {}\n\n", inline(&p.name), decision_de(p.decision)));
        out.push_str(&format!("**Zielgruppen:** {}\n\n", inline(&p.target_groups)));
        out.push_str(&format!("**Begründung:** {}\n", inline(&p.rationale)));
        let criteria = template.map_or(&[][..], |t| t.assessment.as_slice());
        if criteria.is_empty() {
            continue;
        }
        out.push_str("\n**Bewertung:**\n\n");
        out.push_str(&assessment_lines(criteria, &p.assessment));
    }
    out
}

/// A platform's assessment as a Markdown list, one line per criterion.
pub fn assessment_lines(criteria: &[Criterion], assessment: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for c in criteria {
        let value = assessment.get(&c.key).map(String::as_str).unwrap_or_default();
        let answer = match c.kind {
            CriterionKind::Check => {
                let note = assessment.get(&format!("{}_note", c.key)).map(|n| inline(n)).unwrap_or_default();
                if note.is_empty() { check_de(value).to_owned() } else { format!("{} – {note}", check_de(value)) }
            }
            _ if value.trim().is_empty() => "–".to_owned(),
            CriterionKind::Number => format!("{}{}", inline(value), c.unit.map_or("", Unit::suffix)),
            _ => inline(value),
        };
        let label = inline(&c.label.de);
        let colon = if label.ends_with('?') { "" } else { ":" };
        out.push_str(&format!("- {label}{colon} {answer}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::builtin_or_default;

    /// The template concept, with fixed platform ids.
    pub(crate) fn template_concept() -> (ConceptView, Template) {
        let template = builtin_or_default("social-media-konzept").expect("template");
        (crate::schema::template_view(&template).expect("init"), template)
    }

    #[test]
    fn the_template_concept_exports_to_the_golden_markdown() {
        let (view, template) = template_concept();
        let md = markdown(&view, Some(&template));
        let golden = include_str!("../../tests/golden/konzept.md");
        if md != golden && std::env::var("KOMPROMISS_BLESS").is_ok() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/konzept.md"), &md).expect("bless");
            return;
        }
        assert_eq!(md, golden, "set KOMPROMISS_BLESS=1 to accept a deliberate change");
    }

    #[test]
    fn single_line_fields_cannot_start_markdown_of_their_own() {
        assert_eq!(inline("# *Neu* <b>\nzwei"), "\\# \\*Neu\\* \\<b\\> zwei");
    }
}
