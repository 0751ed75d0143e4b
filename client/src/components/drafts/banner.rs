//! The head of a draft's page: what it is and for which concept, who writes it, whether the
//! concept moved on (and catching up), what it changes (live, against its base), and for the
//! concept's editors the merge; for its authors withdrawing and reopening.

use kompromiss_shared::diff::concept_diff;
use kompromiss_shared::dto::drafts::{DraftDetail, DraftStatus};
use kompromiss_shared::schema::ConceptView;
use leptos::prelude::*;

use super::diff_view::DiffView;
use super::invite::InviteAuthor;
use super::list::status_label;
use super::merge::MergeBox;
use crate::api::drafts::{catch_up_draft, get_draft, set_draft_open};
use crate::components::notice::refusal_text;
use crate::i18n::{Key, use_lang};

/// The draft banner; `view` is the live draft.
#[component]
pub fn DraftBanner(detail: DraftDetail, view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(detail.id.clone());
    let d = RwSignal::new(detail);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let note = RwSignal::new(None::<&'static str>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = get_draft(id.get_value()).await {
                d.set(fresh);
            }
        });
    };
    // What the draft changes, as its authors type: the live text against the concept at its base.
    let diff = Memo::new(move |_| d.with(|d| view.with(|v| concept_diff(&d.base_view, v))));
    let catch_up = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match catch_up_draft(id.get_value()).await {
                Ok(_) => {
                    note.set(Some(Key::CaughtUp).map(|k| lang.t(k)));
                    refresh();
                }
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
            busy.set(false);
        });
    };
    let set_open = move |open: bool| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match set_draft_open(id.get_value(), open).await {
                // Writing rights change with the status: the page starts afresh.
                Ok(()) => {
                    #[cfg(feature = "hydrate")]
                    let _ = web_sys::window().map(|w| w.location().reload());
                }
                Err(e) if crate::api::refusal_code(&e).as_deref() == Some("invalid:in-ballot") => {
                    error.set(Some(lang.t(Key::DraftInBallot)))
                }
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
            busy.set(false);
        });
    };
    let merged_cb = Callback::new(move |()| {
        #[cfg(feature = "hydrate")]
        let _ = web_sys::window().map(|w| w.location().reload());
    });
    let head = move || {
        d.with(|d| {
            let authors = d.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
            let name = |id: &String| {
                let section = d.base_view.sections.iter().find(|s| &s.id == id).map(|s| s.heading.clone());
                section.or_else(|| d.base_view.platforms.iter().find(|p| &p.id == id).map(|p| p.name.clone()))
            };
            let scope = d.scope.iter().filter_map(name).collect::<Vec<_>>().join(", ");
            view! {
                <p class="draft-of">{lang.t(Key::DraftOf)} " „" <a href=format!("/d/{}", d.concept_id)>{d.concept_title.clone()}</a> "“"</p>
                <h2 class="draft-title">{d.title.clone()} " " <span class="badge" data-testid="draft-status">{status_label(lang, d.status)}</span></h2>
                {(!d.reason.is_empty()).then(|| view! { <p class="draft-reason"><strong>{lang.t(Key::DraftReason)} ": "</strong>{d.reason.clone()}</p> })}
                <p class="authors">{lang.t(Key::AuthorsLabel)} " " {authors}</p>
                {(!scope.is_empty()).then(|| view! {
                    <p class="draft-scope" data-testid="draft-scope-shown">{lang.t(Key::DraftScopeShown)} " " {scope}</p>
                })}
            }
        })
    };
    let merged = move || {
        d.with(|d| {
            d.merged.clone().map(|m| {
                let parts = (!m.parts.is_empty()).then(|| view! { <p>{lang.t(Key::MergedParts)} " " {m.parts.len()}</p> });
                view! {
                    <div class="notice" data-testid="merged-note">
                        <p>{lang.t(Key::MergedNote)} " " <a href=format!("/d/{}", d.concept_id)>{lang.t(Key::ToConcept)}</a></p>
                        {parts}
                    </div>
                }
            })
        })
    };
    let behind = move || {
        d.with(|d| {
            d.meanwhile.clone().map(|meanwhile| {
                let can = d.can_edit;
                view! {
                    <div class="notice behind" data-testid="draft-behind">
                        <p>{lang.t(Key::DraftBehind)}</p>
                        <details>
                            <summary>{lang.t(Key::DraftMeanwhile)}</summary>
                            <DiffView diff=Signal::derive(move || meanwhile.clone())/>
                        </details>
                        {can.then(|| view! {
                            <button type="button" data-testid="catch-up" on:click=catch_up disabled=move || busy.get()>
                                {move || lang.t(if busy.get() { Key::CatchingUp } else { Key::CatchUp })}
                            </button>
                        })}
                    </div>
                }
            })
        })
    };
    let conflicts = move || {
        d.with(|d| {
            (!d.conflicts.is_empty()).then(|| {
                let names: Vec<String> = d
                    .conflicts
                    .iter()
                    .map(|f| {
                        let section = d.base_view.sections.iter().find(|s| s.id == f.item).map(|s| s.heading.clone());
                        let platform = d.base_view.platforms.iter().find(|p| p.id == f.item).map(|p| p.name.clone());
                        section.or(platform).unwrap_or_else(|| f.item.clone())
                    })
                    .collect();
                view! {
                    <div class="notice" role="status" data-testid="draft-conflicts">
                        <p>{lang.t(Key::DraftConflicts)}</p>
                        <ul>{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    </div>
                }
            })
        })
    };
    let merge_box =
        move || d.with(|d| d.can_merge.then(|| view! { <MergeBox id=d.id.clone() diff=diff merged=merged_cb/> }));
    let invite = move || {
        d.with(|d| {
            (d.is_author && d.status != DraftStatus::Merged).then(|| {
                let on_invite = Callback::new(move |()| refresh());
                view! { <InviteAuthor id=d.id.clone() invited=on_invite/> }
            })
        })
    };
    let author_tools = move || {
        d.with(|d| {
            d.is_author.then(|| match d.status {
                DraftStatus::Open => view! {
                    <button type="button" class="secondary" data-testid="withdraw" on:click=move |_| set_open(false)>{lang.t(Key::Withdraw)}</button>
                }
                .into_any(),
                DraftStatus::Withdrawn => view! {
                    <button type="button" class="secondary" data-testid="reopen" on:click=move |_| set_open(true)>{lang.t(Key::Reopen)}</button>
                }
                .into_any(),
                DraftStatus::Merged => ().into_any(),
            })
        })
    };
    view! {
       <section class="draft-banner" data-testid="draft-banner" aria-label=lang.t(Key::Drafts)>
           {head}
           {merged}
           {behind}
           {move || note.get().map(|t| view! { <p class="notice" role="status">{t}</p> })}
           {conflicts}
           <h3>{lang.t(Key::DraftChanges)}</h3>
           <DiffView diff=diff/>
           {merge_box}
           {invite}
           {author_tools}
           {move || error.get().map(|t| view! { <p class="error" role="alert">{t}</p> })}
       </section>
    }
    .into_any()
}
