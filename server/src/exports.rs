//! Exports of a concept, a draft or a year's evaluation for people who read away from the site:
//! Markdown, standalone HTML with print CSS, PDF (typst, line-numbered), ODT (line numbering on)
//! and DOCX (a draft as tracked changes). Reading rights are those of the document (a draft's
//! are its concept's); the formats that typeset or pack are paced per person like snapshots.

mod docx;
mod html;
mod odt;
mod pdf;

use kompromiss_shared::diff::ConceptDiff;
use kompromiss_shared::export::{self, blocks, motion, typst::Page};
use kompromiss_shared::heads;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;
use kompromiss_shared::schema::{ConceptView, read_concept, read_concept_at};
use kompromiss_shared::template::builtin_or_default;

use crate::auth::{Principal, access};
use crate::concepts::{ConceptError, ask};
use crate::state::AppState;

pub use html::html;

/// The formats a document exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Pdf,
    Odt,
    Docx,
}

impl Format {
    /// The format named by a file extension (`md`, `html`, `pdf`, `odt`, `docx`).
    pub fn from_extension(ext: &str) -> Option<Self> {
        Some(match ext {
            "md" => Format::Markdown,
            "html" => Format::Html,
            "pdf" => Format::Pdf,
            "odt" => Format::Odt,
            "docx" => Format::Docx,
            _ => return None,
        })
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Odt => "odt",
            Format::Docx => "docx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Odt => export::odt::MIMETYPE,
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    /// Whether making the file costs more than writing out text (typesetting, packing).
    fn is_heavy(self) -> bool {
        matches!(self, Format::Pdf | Format::Odt | Format::Docx)
    }
}

/// A finished export: its file name, content type and bytes.
pub struct Exported {
    pub file_name: String,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Exported {
    fn new(stem: &str, format: Format, body: Vec<u8>) -> Self {
        Exported { file_name: format!("{stem}.{}", format.extension()), content_type: format.content_type(), body }
    }
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
    #[error("too many exports at once")]
    TooFast,
    #[error("the file could not be made: {0}")]
    Render(String),
    #[error(transparent)]
    Concept(#[from] ConceptError),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Evaluation(#[from] crate::evaluations::EvaluationError),
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

/// Who asks, for pacing: the person, or the address of an anonymous reader.
pub struct Caller<'a> {
    pub principal: &'a Principal,
    pub address: Option<std::net::IpAddr>,
}

/// Takes one of the caller's heavy exports (shared with snapshot downloads, a few per second).
fn pace(state: &AppState, caller: &Caller<'_>, format: Format) -> Result<(), ExportError> {
    let key = crate::keyed_rate::key_for(caller.principal, caller.address);
    if !format.is_heavy() || state.snapshot_rate.take(&key, std::time::Instant::now()) {
        Ok(())
    } else {
        Err(ExportError::TooFast)
    }
}

/// "Stand 12/2026": this month, for the foot of a concept's pages.
fn stand_now() -> String {
    let today = kompromiss_shared::metrics::Month::of_millis(crate::db::now_millis());
    format!("Stand {:02}/{}", today.number(), today.year())
}

/// What a draft export needs besides the draft: the concept at its base, the diff against it,
/// and its authors.
struct DraftParts {
    base: ConceptView,
    diff: ConceptDiff,
    authors: Vec<String>,
    concept_title: String,
    /// The draft's own title (the document's title is the concept's, as the draft would make it).
    draft_title: String,
}

/// A concept or draft in `format`, if the caller may read it. A draft prints as a motion text
/// (PDF, ODT) or as tracked changes against its base (DOCX); Markdown and HTML give its text.
pub async fn document(
    state: &AppState,
    caller: &Caller<'_>,
    id: DocumentId,
    format: Format,
) -> Result<Exported, ExportError> {
    let draft = crate::db::drafts::get(&state.db, id).await?;
    let governing = draft.as_ref().map_or(id, |d| d.concept);
    access::require(&state.db, caller.principal, governing, Level::Read).await?;
    pace(state, caller, format)?;
    // Only the motion and the tracked changes need the base; Markdown and HTML give the text.
    let base = match draft.as_ref().filter(|_| format.is_heavy()) {
        Some(d) => {
            Some(heads::parse(&d.base_heads).ok_or_else(|| ExportError::Render("draft base unreadable".into()))?)
        }
        None => None,
    };
    let (view, at_base) = ask(&state.registry, id, |h| {
        let base = base.clone();
        async move { h.read(move |doc| (read_concept(doc), base.map(|b| read_concept_at(doc, Some(&b))))).await }
    })
    .await?;
    let template = builtin_or_default(&view.template);
    let stem = file_stem(&view.title);
    let stand = stand_now();
    let organisation = state.config.organisation.clone();
    let parts = match (&draft, at_base) {
        (Some(d), Some(base)) => {
            let authors =
                crate::db::drafts::authors(&state.db, d.id).await?.into_iter().map(|(_, name)| name).collect();
            let concept_title = base.title.clone();
            let diff = kompromiss_shared::diff::concept_diff(&base, &view);
            Some(DraftParts { diff, base, authors, concept_title, draft_title: d.title.clone() })
        }
        _ => None,
    };
    let authorship = match (format, &parts) {
        (Format::Docx, Some(_)) => {
            Some(crate::authorship::read(state, id).await.map_err(|e| ExportError::Render(e.to_string()))?)
        }
        _ => None,
    };
    let page_title =
        parts.as_ref().map_or_else(|| view.title.clone(), |p| format!("Änderungsantrag: {}", p.draft_title));
    let body = match format {
        Format::Markdown => export::markdown(&view, template.as_ref()).into_bytes(),
        Format::Html => html(&view.title, &export::markdown(&view, template.as_ref()), &stand).into_bytes(),
        Format::Pdf => {
            let page = Page { organisation: &organisation, title: &page_title, stand: &stand };
            let markup = match &parts {
                None => export::typst::concept(&view, template.as_ref(), &page),
                Some(p) => export::typst::markdown(&motion_markdown(p), &page, "", &[]),
            };
            pdf::render(markup, Vec::new()).await?
        }
        // Packing runs on a blocking thread in a typesetting turn too: a long concept takes time.
        Format::Odt | Format::Docx => {
            pdf::in_turn(move || {
                let page = Page { organisation: &organisation, title: &page_title, stand: &stand };
                match (format, &parts) {
                    (Format::Odt, None) => {
                        odt::pack(&blocks::parse(&export::markdown(&view, template.as_ref())), &page, &[])
                    }
                    (Format::Odt, Some(p)) => odt::pack(&blocks::parse(&motion_markdown(p)), &page, &[]),
                    (_, None) => docx::plain(&blocks::parse(&export::markdown(&view, template.as_ref())), &page),
                    (_, Some(p)) => docx::tracked(&docx::Tracked {
                        base: &p.base,
                        draft: &view,
                        diff: &p.diff,
                        authors: &p.authors,
                        authorship: authorship.as_ref(),
                        page: &page,
                    }),
                }
            })
            .await?
        }
    };
    Ok(Exported::new(&stem, format, body))
}

/// The motion text of a draft.
fn motion_markdown(p: &DraftParts) -> String {
    let head = motion::MotionHead { draft_title: &p.draft_title, concept_title: &p.concept_title, authors: &p.authors };
    motion::markdown(&head, &p.base, &p.diff)
}

/// A year's evaluation in `format`, if the caller may read it, with its charts (SVG drawn from
/// the evaluation's own values) in HTML, PDF and ODT.
pub async fn evaluation(
    state: &AppState,
    caller: &Caller<'_>,
    id: DocumentId,
    year: u16,
    format: Format,
) -> Result<Exported, ExportError> {
    let ev = crate::evaluations::view(state, caller.principal, id, year).await?;
    pace(state, caller, format)?;
    let md = export::evaluation::markdown(&ev);
    let stem = format!("evaluation-{year}-{}", file_stem(&ev.concept_title));
    let title = format!("Evaluation {year} – {}", ev.concept_title);
    let stand = ev.presented.as_ref().map_or_else(|| "Entwurf".to_owned(), |p| format!("vorgestellt {}", p.on));
    let m = &ev.metrics;
    let figures = if format == Format::Markdown { &[][..] } else { &m.metrics[..] };
    let derived = if format == Format::Markdown { &[][..] } else { &m.derived[..] };
    let charts: Vec<(String, String)> = figures
        .iter()
        .map(|d| (d.key.as_str(), d.name.de.as_str()))
        .chain(derived.iter().map(|d| (d.key.as_str(), d.name.de.as_str())))
        .filter_map(|(key, name)| {
            crate::metrics::charts::all_platforms(m, key, false).ok().map(|svg| (svg, name.to_owned()))
        })
        .take(kompromiss_pdf::MAX_FILES)
        .collect();
    let page = Page { organisation: state.config.organisation.as_str(), title: &title, stand: &stand };
    let body = match format {
        Format::Markdown => md.into_bytes(),
        Format::Html => {
            let figures: String =
                charts.iter().map(|(svg, _)| format!("<figure class=\"chart\">{svg}</figure>\n")).collect();
            html::html_with(&title, &md, &stand, &format!("<h2>Diagramme</h2>\n{figures}")).into_bytes()
        }
        Format::Pdf => {
            let figures: Vec<(String, String)> =
                charts.iter().enumerate().map(|(i, (_, name))| (kompromiss_pdf::file_name(i), name.clone())).collect();
            let markup = export::typst::markdown(&md, &page, "Diagramme", &figures);
            pdf::render(markup, charts.into_iter().map(|(svg, _)| svg.into_bytes()).collect()).await?
        }
        Format::Odt | Format::Docx => {
            let (organisation, title) = (state.config.organisation.clone(), title.clone());
            pdf::in_turn(move || {
                let page = Page { organisation: &organisation, title: &title, stand: &stand };
                if format == Format::Odt {
                    odt::pack(&blocks::parse(&md), &page, &charts)
                } else {
                    docx::plain(&blocks::parse(&md), &page)
                }
            })
            .await?
        }
    };
    Ok(Exported::new(&stem, format, body))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_filesystem_safe() {
        assert_eq!(file_stem("Social-Media-Konzept: Entwurf 2/2026"), "Social-Media-Konzept-Entwurf-2-2026");
        assert_eq!(file_stem("???"), "konzept");
        assert_eq!(Format::from_extension("pdf"), Some(Format::Pdf));
        assert_eq!(Format::from_extension("exe"), None);
    }
}
