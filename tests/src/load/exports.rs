//! Export timings in one process: the concept as PDF (typst), as ODT content XML, as Markdown and
//! as HTML (through the sanitizer), each the median of `repeat` runs, so the PDF's cost reads
//! beside the text formats' in one run.

use std::path::Path;
use std::time::Instant;

use kompromiss_shared::export::{self, blocks, odt, typst::Page};
use kompromiss_shared::schema::ConceptView;
use kompromiss_shared::template::builtin_or_default;

/// Milliseconds of the median run of `f`.
fn median_ms<T>(repeat: usize, mut f: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        last = Some(f()?);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], last.ok_or_else(|| anyhow::anyhow!("no run"))?))
}

/// The timings as JSON; the last PDF is written to `pdf_out` if given.
pub fn run(view: &ConceptView, repeat: usize, pdf_out: Option<&Path>) -> anyhow::Result<serde_json::Value> {
    let template = builtin_or_default(&view.template);
    let page = Page { organisation: "BÜNDNIS 90/DIE GRÜNEN Sachsen", title: &view.title, stand: "Stand 12/2026" };
    let chars: usize = view.sections.iter().map(|s| s.body.chars().count()).sum();
    let (markdown_ms, md) = median_ms(repeat, || Ok(export::markdown(view, template.as_ref())))?;
    let (html_ms, _) = median_ms(repeat, || Ok(kompromiss_server::exports::html(&view.title, &md, "Stand 12/2026")))?;
    let (odt_ms, _) = median_ms(repeat, || Ok(odt::content(&blocks::parse(&md), "", &[])))?;
    let (pdf_ms, pdf) = median_ms(repeat, || {
        let markup = export::typst::concept(view, template.as_ref(), &page);
        kompromiss_pdf::render(&markup, Vec::new()).map_err(|e| anyhow::anyhow!("{e}"))
    })?;
    if let Some(path) = pdf_out {
        std::fs::write(path, &pdf)?;
    }
    Ok(serde_json::json!({
        "body_chars": chars,
        "lines": kompromiss_shared::lines::number(view).total(),
        "pdf_ms": pdf_ms,
        "pdf_bytes": pdf.len(),
        "html_ms": html_ms,
        "markdown_ms": markdown_ms,
        "odt_xml_ms": odt_ms,
        "pdf_over_html": pdf_ms / html_ms.max(1e-6),
    }))
}
