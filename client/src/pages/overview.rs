//! `/`: the list of concept documents and the form to start a new one from a template.

use kompromiss_shared::dto::documents::DocSummary;
use leptos::prelude::*;

use crate::api::documents::get_overview;
use crate::components::header::Header;
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};
use crate::time::format_ms;
use kompromiss_shared::dto::documents::Overview;

/// The overview page.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| get_overview());
    view! {
        <Suspense fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <OverviewBody data=o lang/> }.into_any(),
                    Err(_) => view! { <p class="error">{lang.t(Key::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OverviewBody(data: Overview, lang: Lang) -> impl IntoView {
    let Overview { me, documents, templates } = data;
    let list = if documents.is_empty() {
        let empty = if me.can_create() { Key::NoDocuments } else { Key::NoDocumentsYet };
        view! { <p class="empty">{lang.t(empty)}</p> }.into_any()
    } else {
        view! {
            <ul class="doc-list">
                {documents.into_iter().map(|d| view! { <DocItem doc=d lang/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let create = me.can_create().then(|| {
        view! {
            <form class="new-doc" method="post" action="/api/documents">
                <label>
                    {lang.t(Key::NewFromTemplate)} " "
                    <select name="template">
                        {templates
                            .into_iter()
                            .map(|t| {
                                let name = if lang == Lang::En { t.name_en } else { t.name_de };
                                view! { <option value=t.id>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" data-testid="create">{lang.t(Key::Create)}</button>
            </form>
        }
    });
    view! {
        <Header me/>
        <main class="overview">
            <h1>{lang.t(Key::Documents)}</h1>
            <p class="tagline">{lang.t(Key::Tagline)}</p>
            {list}
            {create}
        </main>
    }
}

#[component]
fn DocItem(doc: DocSummary, lang: Lang) -> impl IntoView {
    let title = if doc.title.trim().is_empty() { lang.t(Key::Untitled).to_owned() } else { doc.title };
    view! {
        <li>
            <a href=format!("/d/{}", doc.id)>{title}</a>
            <span class="meta">{lang.t(Key::LastChanged)} ": " <time data-ms=doc.updated_at.to_string()>{format_ms(doc.updated_at)}</time></span>
        </li>
    }
}
