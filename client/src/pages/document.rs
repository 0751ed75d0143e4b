//! `/d/:id`: one concept document, edited live.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::documents::get_document;
use crate::components::editor::Editor;
use crate::components::header::Header;
use crate::components::notice::{Refused, not_found_status};
use crate::i18n::Key;
use crate::i18n::use_lang;
use kompromiss_shared::dto::documents::DocumentData;

/// The document page.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("id").unwrap_or_default(), get_document);
    view! {
        <Suspense fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(DocumentData { me, page: Some(page) }) => {
                        view! { <Header me=me.clone()/> <Editor page me/> }.into_any()
                    }
                    Ok(DocumentData { me, page: None }) => {
                        not_found_status();
                        view! {
                            <Header me/>
                            <main><p class="notice">{lang.t(Key::NotFound)}</p><a href="/">{lang.t(Key::Back)}</a></main>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <Refused error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
