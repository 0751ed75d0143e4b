//! Authors inviting a co-author: search people who may read the concept, pick one.

use kompromiss_shared::dto::comments::Person;
use leptos::prelude::*;

use crate::api::comments::mentionable;
use crate::api::drafts::invite_author;
use crate::components::notice::refusal_text;
use crate::i18n::{Key, use_lang};

/// The invitation form; `invited` runs after someone was added.
#[component]
pub fn InviteAuthor(id: String, invited: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(id);
    let found = RwSignal::new(Vec::<Person>::new());
    let error = RwSignal::new(None::<&'static str>);
    let search = move |ev: leptos::ev::Event| {
        let q = event_target_value(&ev);
        if q.trim().chars().count() < 2 {
            found.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(people) = mentionable(id.get_value(), q).await {
                found.set(people);
            }
        });
    };
    let invite = move |user: String| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match invite_author(id.get_value(), user).await {
                Ok(()) => {
                    found.set(Vec::new());
                    invited.run(());
                }
                Err(e) => error.set(Some(refusal_text(lang, &e))),
            }
        });
    };
    view! {
        <details class="invite">
            <summary>{lang.t(Key::InviteAuthor)}</summary>
            <label class="field">
                <span class="label">{lang.t(Key::InviteSearch)}</span>
                <input type="search" data-testid="invite-search" on:input=search autocomplete="off"/>
            </label>
            <ul class="rows">
                <For each=move || found.get() key=|p| p.id.clone() children=move |p| {
                    let user = p.id.clone();
                    view! {
                        <li><span>{p.name.clone()}</span>
                            <button type="button" class="secondary" data-testid="invite" on:click=move |_| invite(user.clone())>
                                {lang.t(Key::Invite)}
                            </button>
                        </li>
                    }
                }/>
            </ul>
            {move || error.get().map(|t| view! { <p class="error" role="alert">{t}</p> })}
        </details>
    }
}
