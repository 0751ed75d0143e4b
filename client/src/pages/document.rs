//! `/d/:id`: one concept document, edited live.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::get_document;
use crate::app::use_lang;
use crate::components::editor::Editor;
use crate::components::header::Header;
use crate::i18n::Key;

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
                    Ok(d) => match d.page {
                        Some(page) => view! { <Header me=d.me.clone()/> <Editor page me=d.me/> }.into_any(),
                        None => view! {
                            <Header me=d.me/>
                            <main><p class="notice">{lang.t(Key::NotFound)}</p><a href="/">{lang.t(Key::Back)}</a></main>
                        }.into_any(),
                    },
                    Err(_) => view! { <p class="error">{lang.t(Key::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
