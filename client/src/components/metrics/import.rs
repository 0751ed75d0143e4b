//! Importing a CSV file (editors): check it first — how each column is read, what would change,
//! or every bad line with its reason — then import all of it. The recent imports are listed
//! with who made them and the file's checksum.

use kompromiss_shared::dto::metrics::{ImportAnswer, ImportFile, ImportSummary, MetricsView};
use kompromiss_shared::metrics::import::Rejected;
use kompromiss_shared::template::MetricDef;
use leptos::prelude::*;

use super::entry::Said;
use super::metrics_refusal;
use crate::api::metrics::import_metrics;
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_berlin;

/// What the page remembers of an import across reloads of its data.
#[derive(Clone, Copy)]
pub struct ImportState {
    pub file: RwSignal<Option<ImportFile>>,
    pub answer: RwSignal<Option<ImportAnswer>>,
    pub said: Said,
}

impl ImportState {
    pub fn new() -> Self {
        ImportState { file: RwSignal::new(None), answer: RwSignal::new(None), said: RwSignal::new(None) }
    }
}

impl Default for ImportState {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads the chosen file as an upload (name and base64 bytes).
#[cfg(feature = "hydrate")]
async fn read_file(input: &web_sys::HtmlInputElement) -> Option<ImportFile> {
    use base64::Engine;
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Some(ImportFile { name: file.name(), data: base64::engine::general_purpose::STANDARD.encode(bytes) })
}

/// The import section.
#[component]
pub fn ImportSection(concept: String, view: MetricsView, state: ImportState, changed: RwSignal<u64>) -> impl IntoView {
    let lang = use_lang();
    let concept = StoredValue::new(concept);
    let input = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(None::<Key>);
    let metrics = StoredValue::new(view.metrics.clone());
    let send = move |file: ImportFile, store: bool| {
        busy.set(Some(if store { Key::Importing } else { Key::CheckingFile }));
        state.said.set(None);
        leptos::task::spawn_local(async move {
            match import_metrics(concept.get_value(), file, store).await {
                Ok(answer) => {
                    if matches!(answer, ImportAnswer::Stored(_)) {
                        state.file.set(None);
                        changed.update(|n| *n += 1);
                    }
                    state.answer.set(Some(answer));
                }
                Err(e) => state.said.set(Some((false, metrics_refusal(lang, &e).to_owned()))),
            }
            busy.set(None);
        });
    };
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.answer.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(element) = input.get_untracked() else { return };
            if element.files().is_none_or(|f| f.length() == 0) {
                state.said.set(Some((false, lang.t(Key::NoFileChosen).to_owned())));
                return;
            }
            leptos::task::spawn_local(async move {
                match read_file(&element).await {
                    Some(file) => {
                        state.file.set(Some(file.clone()));
                        send(file, false);
                    }
                    None => state.said.set(Some((false, lang.t(Key::FileUnreadable).to_owned()))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (input, send);
    };
    let store = move |_| {
        if let Some(file) = state.file.get_untracked() {
            send(file, true);
        }
    };
    let answer = move || {
        let metrics = metrics.get_value();
        state.answer.get().map(|a| match a {
            ImportAnswer::Ready(s) => view! {
                <div class="import-answer" data-testid="import-ready">
                    <p class="notice" role="status">{lang.import_ready(s.rows, s.values, s.changed, s.unchanged)}</p>
                    {mapping(lang, &s, &metrics)}
                    <button type="button" data-testid="import-now" disabled=move || busy.get().is_some() || state.file.get().is_none()
                        on:click=store>{lang.t(Key::ImportNow)}</button>
                </div>
            }
            .into_any(),
            ImportAnswer::Stored(s) => view! {
                <p class="notice" role="status" data-testid="import-stored">{lang.import_stored(s.changed, s.unchanged)}</p>
            }
            .into_any(),
            ImportAnswer::Rejected(r) => rejected(lang, &r, &metrics).into_any(),
        })
    };
    let imports = if view.imports.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoImports)}</p> }.into_any()
    } else {
        let items = view
            .imports
            .iter()
            .map(|i| {
                let by = i.by.as_ref().map_or_else(|| lang.t(Key::UnknownAuthor).to_owned(), |p| p.name.clone());
                view! {
                    <li>
                        <code>{i.file_name.clone()}</code> " – " {by} ", " {format_berlin(i.at)} " · "
                        {i.values} " " {lang.t(Key::Values)} " · SHA-256 " <code class="hash" title=i.sha256.clone()>{i.sha256[..12.min(i.sha256.len())].to_owned()}</code>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="imports">{items}</ul> }.into_any()
    };
    view! {
        <section class="metric-import" aria-labelledby="import-heading" data-testid="metric-import">
            <h2 id="import-heading">{lang.t(Key::ImportCsv)}</h2>
            <p class="hint">{lang.t(Key::ImportHint)}</p>
            <p><a href=format!("/api/documents/{}/metrics/example.csv", concept.get_value()) download="kennzahlen-beispiel.csv">{lang.t(Key::DownloadExample)}</a></p>
            <form on:submit=check data-testid="import-form">
                <label class="field">
                    <span class="label">{lang.t(Key::ChooseFile)}</span>
                    <input type="file" accept=".csv,text/csv,text/plain" node_ref=input data-testid="import-file"
                        on:change=move |_| { state.answer.set(None); state.file.set(None); }/>
                </label>
                <button type="submit" class="secondary" disabled=move || busy.get().is_some() data-testid="check-file">
                    {move || lang.t(busy.get().unwrap_or(Key::CheckFile))}
                </button>
            </form>
            {move || busy.get().map(|k| view! { <p class="notice" role="status"><span class="spinner" aria-hidden="true"></span> {lang.t(k)}</p> })}
            {move || state.said.get().map(|(_, text)| view! { <p class="error" role="alert">{text}</p> })}
            {answer}
            <h3>{lang.t(Key::RecentImports)}</h3>
            {imports}
        </section>
    }
    .into_any()
}

fn mapping(lang: Lang, s: &ImportSummary, metrics: &[MetricDef]) -> impl IntoView + use<> {
    let rows = s
        .columns
        .iter()
        .map(|c| {
            let read = lang.column_use(&c.column, metrics);
            view! { <tr><td>{c.header.clone()}</td><td>{read}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.t(Key::ColumnMapping)>
            <table class="column-mapping" data-testid="column-mapping">
                <caption>{lang.t(Key::ColumnMapping)}</caption>
                <thead><tr><th scope="col">{lang.t(Key::ColumnInFile)}</th><th scope="col">{lang.t(Key::ReadAs)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn rejected(lang: Lang, r: &Rejected, metrics: &[MetricDef]) -> impl IntoView + use<> {
    let items = r
        .problems
        .iter()
        .map(|p| view! { <li data-testid="import-problem">{lang.import_problem(p, metrics)}</li> })
        .collect_view();
    let more = (r.more > 0).then(|| view! { <li>{lang.more_problems(r.more)}</li> });
    view! {
        <div class="import-answer" role="alert" data-testid="import-rejected">
            <p class="error">{lang.t(Key::ImportRejected)}</p>
            <ul class="problems">{items}{more}</ul>
        </div>
    }
}
