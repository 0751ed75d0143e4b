//! "Herunterladen als PDF · Word · ODT · HTML · Markdown": the download links of a concept, a
//! draft (as a motion text and as tracked changes) or an evaluation.

use leptos::prelude::*;

use crate::i18n::{Key, use_lang};

/// What the links download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exported {
    Concept,
    Draft,
    Evaluation,
}

/// The links under `base` (`/api/documents/{id}` or `…/evaluations/{year}`), each `…/export/{ext}`;
/// `testid` prefixes the links' test ids.
#[component]
pub fn ExportLinks(base: String, what: Exported, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    let (pdf, word) = match what {
        Exported::Draft => (lang.t(Key::ExportMotion), lang.t(Key::ExportTracked)),
        Exported::Concept => (lang.t(Key::ExportPdf), "Word"),
        Exported::Evaluation => ("PDF", "Word"),
    };
    let link = move |ext: &'static str, label: &'static str| {
        view! { <a href=format!("{base}/export/{ext}") download data-testid=format!("{testid}-{ext}")>{label}</a> }
    };
    view! {
        <span class="exports">{lang.t(Key::ExportAs)} " "
            {link("pdf", pdf)} " · " {link("docx", word)} " · " {link("odt", "ODT")} " · "
            {link("html", "HTML")} " · " {link("md", "Markdown")}
        </span>
    }
}
