//! Exports of a concept or a draft for people who read away from the site: Markdown, and a
//! standalone HTML file with print CSS (A4), both built from the one Markdown export in
//! `kompromiss_shared::export`. Reading rights are those of the document (a draft's are its
//! concept's).

use kompromiss_shared::export;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::read_concept;
use kompromiss_shared::template::builtin_or_default;

use crate::auth::{Principal, access};
use crate::concepts::{ConceptError, ask};
use crate::state::AppState;

/// The formats a document exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

/// A finished export: its file name, content type and bytes.
pub struct Exported {
    pub file_name: String,
    pub content_type: &'static str,
    pub body: String,
}

/// Why an export did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    SignIn,
    #[error("forbidden")]
    Forbidden,
    #[error(transparent)]
    Concept(#[from] ConceptError),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

impl From<access::Denied> for ExportError {
    fn from(denied: access::Denied) -> Self {
        match denied {
            access::Denied::SignIn => ExportError::SignIn,
            access::Denied::Hidden => ExportError::NotFound,
            access::Denied::Forbidden => ExportError::Forbidden,
            access::Denied::Db(e) => ExportError::Db(e),
        }
    }
}

/// A concept or draft in `format`, if the caller may read it.
pub async fn document(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    format: Format,
) -> Result<Exported, ExportError> {
    let governing = match crate::db::drafts::get(&state.db, id).await? {
        Some(draft) => draft.concept,
        None => id,
    };
    access::require(&state.db, principal, governing, Level::Read).await?;
    let view = ask(&state.registry, id, |h| async move { h.read(read_concept).await }).await?;
    let template = builtin_or_default(&view.template);
    let md = export::markdown(&view, template.as_ref());
    let stem = file_stem(&view.title);
    Ok(match format {
        Format::Markdown => {
            Exported { file_name: format!("{stem}.md"), content_type: "text/markdown; charset=utf-8", body: md }
        }
        Format::Html => {
            let today = kompromiss_shared::metrics::Month::of_millis(crate::db::now_millis());
            let stand = format!("{:02}/{}", today.number(), today.year());
            Exported {
                file_name: format!("{stem}.html"),
                content_type: "text/html; charset=utf-8",
                body: html(&view.title, &md, &stand),
            }
        }
    })
}

/// A year's evaluation in `format`, if the caller may read it; the HTML carries its charts (SVG
/// drawn from the evaluation's own values, after the sanitized text, so the sanitizer never sees
/// them: they are ours, and plotters escapes their text).
pub async fn evaluation(
    state: &AppState,
    principal: &Principal,
    id: DocumentId,
    year: u16,
    format: Format,
) -> Result<Exported, crate::evaluations::EvaluationError> {
    let ev = crate::evaluations::view(state, principal, id, year).await?;
    let md = export::evaluation::markdown(&ev);
    let stem = format!("evaluation-{year}-{}", file_stem(&ev.concept_title));
    Ok(match format {
        Format::Markdown => {
            Exported { file_name: format!("{stem}.md"), content_type: "text/markdown; charset=utf-8", body: md }
        }
        Format::Html => {
            let title = format!("Evaluation {year} – {}", ev.concept_title);
            let stand = ev.presented.as_ref().map_or_else(|| "Entwurf".to_owned(), |p| format!("vorgestellt {}", p.on));
            let m = &ev.metrics;
            let figures = m.metrics.iter().map(|d| d.key.as_str()).chain(m.derived.iter().map(|d| d.key.as_str()));
            let charts: String = figures
                .filter_map(|key| crate::metrics::charts::all_platforms(m, key, false).ok())
                .map(|svg| format!("<figure class=\"chart\">{svg}</figure>\n"))
                .collect();
            let extra = format!("<h2>Diagramme</h2>\n{charts}");
            Exported {
                file_name: format!("{stem}.html"),
                content_type: "text/html; charset=utf-8",
                body: html_with(&title, &md, &stand, &extra),
            }
        }
    })
}

/// A file name from a title: letters, digits and dashes, at most 60 characters.
fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem: String = stem.chars().take(60).collect();
    if stem.is_empty() { "konzept".to_owned() } else { stem }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The style of the HTML export: readable on screen, A4 with the title and page numbers in print.
const STYLE: &str = "body{font:11pt/1.5 \"DejaVu Sans\",system-ui,sans-serif;color:#1d1d1b;max-width:42rem;margin:2rem auto;padding:0 1rem}\
h1{font-size:1.8rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.2rem .5rem}figure.chart svg{max-width:100%;height:auto}h2{margin-top:2rem;border-bottom:1px solid #ccc}h3{margin-top:1.5rem}\
header.export{color:#5f6368;font-size:.9rem;border-bottom:2px solid #1b5e20;margin-bottom:1rem}\
@page{size:A4;margin:2cm 2cm 2.5cm;@bottom-right{content:\"Seite \" counter(page) \" von \" counter(pages)}}\
@media print{body{margin:0;max-width:none}header.export{position:running(header)}h2,h3{break-after:avoid}li{break-inside:avoid}}";

/// A standalone HTML file from the Markdown export (rendered through the sanitizer).
pub fn html(title: &str, markdown: &str, stand: &str) -> String {
    html_with(title, markdown, stand, "")
}

/// As [`html`], with `trusted` HTML of our own (charts) after the text.
fn html_with(title: &str, markdown: &str, stand: &str, trusted: &str) -> String {
    let body = kompromiss_client::markdown::render(markdown);
    format!(
        "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header class=\"export\">{t} · Stand {s}</header>\n<main>\n{body}{trusted}</main>\n</body>\n</html>\n",
        t = escape(title),
        s = escape(stand),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_concept_exports_to_the_golden_html() {
        let md = include_str!("../../tests/golden/konzept.md");
        let out = html("Social-Media-Konzept des Landesverbandes", md, "12/2026");
        let golden_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/konzept.html");
        if std::env::var("KOMPROMISS_BLESS").is_ok() {
            std::fs::write(golden_path, &out).expect("bless");
        }
        let golden = std::fs::read_to_string(golden_path).expect("golden file");
        assert_eq!(out, golden, "set KOMPROMISS_BLESS=1 to accept a deliberate change");
        assert!(out.contains("<h3>Mastodon – nutzen</h3>"), "platforms as headings");
        assert!(out.contains("<strong>Zielgruppen:</strong>"));
    }

    #[test]
    fn unsafe_markdown_does_not_reach_the_file_and_names_are_filesystem_safe() {
        let out = html(
            "<Titel>",
            "# A\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
            "01/2027",
        );
        assert!(
            !out.contains("<script>alert") && !out.contains("href=\"javascript") && !out.contains("onerror"),
            "{out}"
        );
        assert!(out.contains("&lt;Titel&gt;"));
        assert_eq!(file_stem("Social-Media-Konzept: Entwurf 2/2026"), "Social-Media-Konzept-Entwurf-2-2026");
        assert_eq!(file_stem("???"), "konzept");
    }
}
