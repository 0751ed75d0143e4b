//! `/benachrichtigungen`: the signed-in person's notifications, newest first, with links that jump
//! to the thread; marking them read.

use kompromiss_shared::dto::notifications::{NotificationKind, NotificationView, Notifications};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::me::get_me;
use crate::api::notifications::{get_notifications, mark_notifications_read};
use crate::components::bell::BellVersion;
use crate::components::header::Header;
use crate::components::notice::Refused;
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_ms;

/// The notifications page.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let me = Resource::new(|| (), |_| get_me());
    let data = Resource::new(move || version.get(), |_| get_notifications());
    view! {
        <Title text=lang.t(Key::Notifications)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(list) => view! { <List list version/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

fn what(lang: Lang, kind: NotificationKind) -> &'static str {
    lang.t(match kind {
        NotificationKind::Mention => Key::NotifiedMention,
        NotificationKind::Reply => Key::NotifiedReply,
        NotificationKind::Resolved => Key::NotifiedResolved,
        NotificationKind::Hidden => Key::NotifiedHidden,
    })
}

#[component]
fn List(list: Notifications, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let bell = use_context::<BellVersion>();
    let mark_all = move |_| {
        leptos::task::spawn_local(async move {
            if mark_notifications_read(String::new(), true).await.is_ok() {
                version.update(|v| *v += 1);
                if let Some(b) = bell {
                    b.0.update(|v| *v += 1);
                }
            }
        });
    };
    let items = if list.items.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoNotifications)}</p> }.into_any()
    } else {
        view! { <ul class="notifications">{list.items.into_iter().map(|n| view! { <Item n/> }).collect_view()}</ul> }
            .into_any()
    };
    view! {
        <main class="page">
            <h1>{lang.t(Key::Notifications)}</h1>
            {(list.unread > 0).then(|| view! {
                <button type="button" on:click=mark_all data-testid="mark-all-read">{lang.t(Key::MarkAllRead)}</button>
            })}
            {items}
        </main>
    }
}

#[component]
fn Item(n: NotificationView) -> impl IntoView {
    let lang = use_lang();
    let id = n.id.clone();
    // Following the link marks it read; the page it leads to is a full navigation.
    let read = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            let _ = mark_notifications_read(id, false).await;
        });
    };
    let title = if n.doc_title.trim().is_empty() { lang.t(Key::Untitled).to_owned() } else { n.doc_title.clone() };
    view! {
        <li class:unread=!n.read>
            <a href=n.link.clone() rel="external" on:click=read>
                <strong>{n.actor.name.clone()}</strong> " " {what(lang, n.kind)} " – " {title}
            </a>
            <span class="meta">" · " {format_ms(n.created_at)}</span>
        </li>
    }
}
