//! The bell in the top bar: a link to the notifications with the unread count, fetched again
//! whenever a page says something may have changed (the context's [`BellVersion`]).

use leptos::prelude::*;

use crate::api::notifications::get_notifications;
use crate::i18n::{Key, use_lang};

/// Bumped when notifications may have changed (a document page heard its discussion change).
#[derive(Clone, Copy)]
pub struct BellVersion(pub RwSignal<u64>);

/// The bell, for signed-in people.
#[component]
pub fn Bell() -> impl IntoView {
    let lang = use_lang();
    let version = use_context::<BellVersion>().map(|v| v.0);
    let unread = Resource::new(move || version.map(|v| v.get()), |_| get_notifications());
    view! {
        <a class="bell" href="/benachrichtigungen" data-testid="bell">
            {lang.t(Key::Notifications)}
            <Transition fallback=|| ()>
                {move || unread.get().and_then(Result::ok).map(|n| {
                    (n.unread > 0).then(|| {
                        let label = format!("{} {}", n.unread, lang.t(Key::Unread));
                        view! { " " <span class="badge count" data-testid="unread" aria-label=label>{n.unread.min(99)}</span> }
                    })
                })}
            </Transition>
        </a>
    }
}
