//! The concept's drafts: one line each (title, status, what it changes, authors) and the form to
//! start one.

use kompromiss_shared::dto::drafts::{DraftList, DraftStatus, DraftSummary};
use kompromiss_shared::schema::ConceptView;
use leptos::prelude::*;

use crate::api::drafts::CreateDraft;
use crate::components::notice::{FormError, failure};
use crate::i18n::{Key, Lang, use_lang};

/// The word for a draft's status.
pub(super) fn status_label(lang: Lang, status: DraftStatus) -> &'static str {
    lang.t(match status {
        DraftStatus::Open => Key::DraftStatusOpen,
        DraftStatus::Withdrawn => Key::DraftStatusWithdrawn,
        DraftStatus::Merged => Key::DraftStatusMerged,
    })
}

fn row(lang: Lang, d: DraftSummary) -> impl IntoView {
    let authors = d.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
    let summary =
        (d.status == DraftStatus::Open).then(|| lang.changes_summary(d.changes.sections, d.changes.platforms));
    view! {
        <li data-testid="draft-row">
            <a href=format!("/d/{}", d.id)>{d.title}</a>
            " "
            <span class=format!("badge status-{:?}", d.status).to_lowercase()>{status_label(lang, d.status)}</span>
            {summary.map(|s| view! { " · " <span class="summary" data-testid="draft-summary">{s}</span> })}
            {d.behind.then(|| view! { " · " <span class="hint">{lang.t(Key::DraftBehindShort)}</span> })}
            <span class="authors">" · " {lang.t(Key::DraftBy)} " " {authors}</span>
        </li>
    }
}

/// Checkboxes for the sections and platform entries a new draft means to change; the chosen ids
/// travel comma-separated in the hidden field `scope`.
#[component]
fn ScopePicker(view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(Vec::<String>::new());
    let parts = move || {
        let v = view.get();
        let sections = v.sections.into_iter().map(|s| (s.id, s.heading));
        sections.chain(v.platforms.into_iter().map(|p| (p.id, p.name))).collect::<Vec<_>>()
    };
    let toggle = move |id: String, on: bool| {
        chosen.update(|c| {
            c.retain(|x| *x != id);
            if on {
                c.push(id);
            }
        })
    };
    view! {
        <fieldset class="scope" data-testid="draft-scope">
            <legend>{lang.t(Key::DraftScope)}</legend>
            <input type="hidden" name="scope" prop:value=move || chosen.get().join(",")/>
            <For each=parts key=|(id, name)| (id.clone(), name.clone()) children=move |(id, name)| {
                let value = id.clone();
                view! {
                    <label class="check">
                        <input type="checkbox" value=id.clone()
                            on:change=move |ev| toggle(value.clone(), event_target_checked(&ev))/>
                        " " {if name.trim().is_empty() { "…".to_owned() } else { name }}
                    </label>
                }
            }/>
        </fieldset>
    }
}

/// The drafts of a concept, below its title.
#[component]
pub fn DraftsSection(concept: String, list: DraftList, view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateDraft>::new();
    let open = RwSignal::new(false);
    // A created draft opens at once, as a page of its own (its live editor starts afresh).
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = web_sys::window().map(|w| w.location().set_href(&format!("/d/{id}")));
            #[cfg(not(feature = "hydrate"))]
            let _ = id;
        }
    });
    let rows = if list.drafts.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoDrafts)}</p> }.into_any()
    } else {
        view! { <ul class="draft-list">{list.drafts.into_iter().map(|d| row(lang, d)).collect_view()}</ul> }.into_any()
    };
    let concept = StoredValue::new(concept);
    let form = list.can_create.then(|| {
        view! {
            <button type="button" class="secondary" data-testid="new-draft" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {lang.t(Key::NewDraft)}
            </button>
            <Show when=move || open.get()>
                <ActionForm action=create>
                    <input type="hidden" name="concept" value=concept.get_value()/>
                    <p class="hint">{lang.t(Key::NewDraftHint)}</p>
                    <label class="field">
                        <span class="label">{lang.t(Key::DraftTitle)}</span>
                        <input name="title" required maxlength="200" data-testid="draft-title"/>
                    </label>
                    <label class="field">
                        <span class="label">{lang.t(Key::DraftReason)}</span>
                        <textarea name="reason" rows="3" maxlength="10000" data-testid="draft-reason"></textarea>
                    </label>
                    <ScopePicker view/>
                    <button type="submit" data-testid="create-draft" disabled=move || create.pending().get()>
                        {move || lang.t(if create.pending().get() { Key::DraftCreating } else { Key::DraftCreate })}
                    </button>
                    <FormError error=failure(create)/>
                </ActionForm>
            </Show>
        }
    });
    view! {
       <section class="drafts" aria-labelledby="drafts-heading" data-testid="drafts">
           <h2 id="drafts-heading">{lang.t(Key::Drafts)}</h2>
           {rows}
           {form}
       </section>
    }
    .into_any()
}
