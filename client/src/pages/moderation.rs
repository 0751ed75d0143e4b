//! `/d/:id/moderation`: a concept's reported comments, for its moderators (editors and admins):
//! hide a comment with a reason everyone sees in its place, or keep it.

use kompromiss_shared::dto::comments::{ModerationQueue, ReportView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::me::get_me;
use crate::api::moderation::{get_moderation, moderate_comment};
use crate::components::header::Header;
use crate::components::notice::Refused;
use crate::i18n::{Key, use_lang};
use crate::time::format_ms;

/// The moderation page of one document.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let version = RwSignal::new(0u32);
    let me = Resource::new(|| (), |_| get_me());
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), version.get()),
        |(id, _)| get_moderation(id),
    );
    view! {
        <Title text=lang.t(Key::Moderation)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let doc = params.read_untracked().get("id").unwrap_or_default();
                let body = match data.await {
                    Ok(queue) => view! { <Queue queue doc version/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

#[component]
fn Queue(queue: ModerationQueue, doc: String, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let back = format!("/d/{doc}");
    let list = if queue.reports.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoReports)}</p> }.into_any()
    } else {
        let doc = StoredValue::new(doc);
        queue.reports.into_iter().map(|r| view! { <Report report=r doc version/> }).collect_view().into_any()
    };
    view! {
        <main class="page moderation">
            <a href=back>{lang.t(Key::BackToConcept)}</a>
            <h1>{lang.t(Key::Moderation)}</h1>
            <p class="hint">{lang.t(Key::ModerationHint)}</p>
            {list}
        </main>
    }
}

#[component]
fn Report(report: ReportView, doc: StoredValue<String>, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Key>);
    let ids = StoredValue::new((report.thread_id.clone(), report.comment_id.clone()));
    let act = move |hide: bool| {
        let ((thread, comment), doc) = (ids.get_value(), doc.get_value());
        let why = if hide { reason.get() } else { String::new() };
        if hide && why.trim().is_empty() {
            error.set(Some(Key::HideNeedsReason));
            return;
        }
        leptos::task::spawn_local(async move {
            match moderate_comment(doc, thread, comment, why).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(_) => error.set(Some(Key::ActionFailed)),
            }
        });
    };
    let (reason_id, label_for) = (format!("hide-reason-{}", report.id), format!("hide-reason-{}", report.id));
    view! {
        <article class="card report" data-comment=report.comment_id.clone()>
            <p class="meta">
                <strong>{report.reporter.name.clone()}</strong> " · " {format_ms(report.created_at)} " · "
                <span class="badge">{report.reason.as_str().to_owned()}</span>
            </p>
            {(!report.note.is_empty()).then(|| view! { <p class="note">{report.note.clone()}</p> })}
            <blockquote>
                <p class="meta"><strong>{report.author.name.clone()}</strong></p>
                <p>{report.body.clone()}</p>
            </blockquote>
            {(!report.earlier.is_empty()).then(|| view! {
                <details class="earlier">
                    <summary>{lang.t(Key::EarlierWordings)}</summary>
                    <ol>{report.earlier.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ol>
                </details>
            })}
            <label class="field" for=label_for>
                <span class="label">{lang.t(Key::HideReason)}</span>
                <input id=reason_id prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <button type="button" on:click=move |_| act(true)>{lang.t(Key::HideComment)}</button>
            " "
            <button type="button" class="secondary" on:click=move |_| act(false)>{lang.t(Key::KeepComment)}</button>
            {move || error.get().map(|k| view! { <p class="error" role="alert">{lang.t(k)}</p> })}
        </article>
    }
}
