//! An editor's merge of a draft: the whole draft or ticked parts, a preview of exactly what the
//! concept becomes, then the merge of the version that was previewed.

use kompromiss_shared::diff::ConceptDiff;
use kompromiss_shared::dto::drafts::MergePreview;
use leptos::prelude::*;

use super::diff_view::DiffView;
use crate::api::drafts::{get_draft, merge_draft, preview_merge};
use crate::components::notice::refusal_text;
use crate::i18n::{Key, use_lang};

/// The merge box on a draft page, for the concept's editors. `merged` runs after a merge.
#[component]
pub fn MergeBox(id: String, #[prop(into)] diff: Signal<ConceptDiff>, merged: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(id);
    let chosen = RwSignal::new(Vec::<String>::new());
    // The preview and the version it showed: a merge takes exactly that version.
    let preview = RwSignal::new(None::<(String, MergePreview)>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let items = move || {
        diff.with(|d| {
            let sections =
                d.sections.iter().map(|s| (s.id.clone(), format!("{}: {}", lang.t(Key::Section), s.heading)));
            let platforms =
                d.platforms.iter().map(|p| (p.id.clone(), format!("{}: {}", lang.t(Key::Platform), p.name)));
            sections.chain(platforms).collect::<Vec<_>>()
        })
    };
    let show_preview = move |_| {
        busy.set(true);
        error.set(None);
        preview.set(None);
        leptos::task::spawn_local(async move {
            let answer = async {
                let version = get_draft(id.get_value()).await?.version;
                let shown = preview_merge(id.get_value(), version.clone(), chosen.get_untracked()).await?;
                Ok::<_, ServerFnError>((version, shown))
            };
            match answer.await {
                Ok(shown) => preview.set(Some(shown)),
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
            busy.set(false);
        });
    };
    let confirm = move |_| {
        let Some((version, _)) = preview.get_untracked() else { return };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match merge_draft(id.get_value(), version, chosen.get_untracked()).await {
                Ok(_) => {
                    preview.set(None);
                    merged.run(());
                }
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
            busy.set(false);
        });
    };
    let preview_diff =
        Signal::derive(move || preview.with(|p| p.as_ref().map(|(_, p)| p.diff.clone()).unwrap_or_default()));
    view! {
        <section class="merge-box" aria-labelledby="merge-heading" data-testid="merge-box">
            <h3 id="merge-heading">{lang.t(Key::MergeTitle)}</h3>
            <fieldset>
                <legend>{lang.t(Key::MergeSome)}</legend>
                <For each=items key=|(id, _)| id.clone() children=move |(item, label)| {
                    let item_for_check = item.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" data-testid="merge-part" value=item.clone()
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let item = item_for_check.clone();
                                    chosen.update(|c| { c.retain(|x| *x != item); if on { c.push(item); } });
                                    preview.set(None);
                                }/>
                            " " {label}
                        </label>
                    }
                }/>
            </fieldset>
            <p class="hint">{move || if chosen.with(Vec::is_empty) { lang.t(Key::MergeWhole) } else { lang.t(Key::MergeSome) }}</p>
            <button type="button" class="secondary" data-testid="merge-preview" on:click=show_preview disabled=move || busy.get()>
                {lang.t(Key::MergePreview)}
            </button>
            <Show when=move || preview.with(Option::is_some)>
                <h4>{lang.t(Key::MergePreviewTitle)}</h4>
                <DiffView diff=preview_diff/>
                <button type="button" data-testid="merge-confirm" on:click=confirm disabled=move || busy.get()>
                    {move || lang.t(if busy.get() { Key::Merging } else { Key::MergeConfirm })}
                </button>
            </Show>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </section>
    }
}
