//! `/admin/protokoll`: the audit log, newest first, filtered by action and actor through the URL
//! (`?action=…&actor=…&before=<id>`), so that a filtered view can be linked and paged. Admins only.

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::audit::{AuditEntry, AuditPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::get_audit;
use crate::api::me::get_me;
use crate::components::header::Header;
use crate::components::notice::Refused;
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};
use crate::time::format_ms;
use kompromiss_shared::links;

/// The server returns at most this many entries by default; a full page may have older ones.
const PAGE_SIZE: usize = 50;

/// The filter as read from the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filter {
    action: String,
    actor: String,
    before: Option<i64>,
}

/// The audit log page.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| Filter {
            action: q.get("action").unwrap_or_default(),
            actor: q.get("actor").unwrap_or_default(),
            before: q.get_str("before").and_then(|b| b.parse().ok()),
        })
    });
    let me = Resource::new(|| (), |_| get_me());
    let data = Resource::new(
        move || filter.get(),
        |f| get_audit(Some(f.action).filter(|a| !a.is_empty()), Some(f.actor).filter(|a| !a.is_empty()), f.before),
    );
    view! {
        <Title text=lang.t(Key::AuditLog)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(page) => view! { <AuditBody page filter=filter.get_untracked() lang/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

#[component]
fn AuditBody(page: AuditPage, filter: Filter, lang: Lang) -> impl IntoView {
    let AuditPage { entries, .. } = page;
    let older = (entries.len() >= PAGE_SIZE).then(|| entries.last().map(|e| e.id)).flatten().map(|last| {
        let href = format!(
            "/admin/protokoll{}",
            links::query(&[("action", &filter.action), ("actor", &filter.actor), ("before", &last.to_string())])
        );
        view! { <a href=href data-testid="older-entries">{lang.t(Key::OlderEntries)}</a> }
    });
    let newest = filter.before.is_some().then(|| {
        let href = format!("/admin/protokoll{}", links::query(&[("action", &filter.action), ("actor", &filter.actor)]));
        view! { <a href=href data-testid="newest-entries">{lang.t(Key::NewestEntries)}</a> }
    });
    let list = if entries.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoEntries)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="list audit">
                    <thead><tr>
                        <th scope="col">{lang.t(Key::Time)}</th>
                        <th scope="col">{lang.t(Key::Actor)}</th>
                        <th scope="col">{lang.t(Key::Action)}</th>
                        <th scope="col">{lang.t(Key::Target)}</th>
                        <th scope="col">{lang.t(Key::Detail)}</th>
                    </tr></thead>
                    <tbody>{entries.into_iter().map(|e| view! { <AuditRow entry=e lang/> }).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let selected = filter.action.clone();
    view! {
        <main class="page audit">
            <h1>{lang.t(Key::AuditLog)}</h1>
            <form class="inline-form" method="get" action="/admin/protokoll" role="search">
                <label class="field">
                    <span class="label">{lang.t(Key::Action)}</span>
                    <select name="action" data-testid="audit-action">
                        <option value="" selected=selected.is_empty()>{lang.t(Key::AllActions)}</option>
                        {AuditAction::ALL
                            .iter()
                            .map(|a| {
                                let chosen = a.as_str() == selected;
                                view! { <option value=a.as_str() selected=chosen>{lang.t(Key::audit_action(*a))}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="label">{lang.t(Key::Actor)}</span>
                    <input name="actor" value=filter.actor.clone() autocomplete="off" data-testid="audit-actor"/>
                </label>
                <button type="submit" data-testid="audit-filter">{lang.t(Key::Filter)}</button>
                <a href="/admin/protokoll">{lang.t(Key::ClearFilter)}</a>
            </form>
            {list}
            <p class="pager">{newest} " " {older}</p>
        </main>
    }
}

/// The translated name of an action, or its code if it is new to this client.
fn action_label(lang: Lang, action: &str) -> String {
    AuditAction::parse(action).map_or_else(|| action.to_owned(), |a| lang.t(Key::audit_action(a)).to_owned())
}

#[component]
fn AuditRow(entry: AuditEntry, lang: Lang) -> impl IntoView {
    let AuditEntry { id, at, actor, action, target, detail } = entry;
    view! {
        <tr data-testid="audit-row" data-id=id.to_string() data-action=action.clone()>
            <td class="nowrap"><time data-ms=at.to_string()>{format_ms(at)}</time></td>
            // No actor: the system, or a sign-in that failed before anyone was known.
            <td>{actor.unwrap_or_else(|| "–".to_owned())}</td>
            <td>{action_label(lang, &action)}</td>
            <td class="mono">{target.unwrap_or_default()}</td>
            <td>{detail.unwrap_or_default()}</td>
        </tr>
    }
}
