//! The moderators part of a concept's sharing page: people named to moderate its discussion.

use leptos::prelude::*;

use crate::api::sharing::SetModerator;
use crate::components::notice::{FormError, failure};
use crate::i18n::{Key, Lang};

/// The named moderators with a button to remove each, and a form to name another.
#[component]
pub fn Moderators(
    doc: String,
    moderators: Vec<(String, String)>,
    people: Vec<(String, String)>,
    set: ServerAction<SetModerator>,
    lang: Lang,
) -> impl IntoView {
    let named: Vec<String> = moderators.iter().map(|(id, _)| id.clone()).collect();
    let candidates: Vec<(String, String)> = people.into_iter().filter(|(id, _)| !named.contains(id)).collect();
    let list = if moderators.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoModerators)}</p> }.into_any()
    } else {
        let doc = doc.clone();
        view! {
            <ul class="rows">
                {moderators.into_iter().map(|(id, name)| {
                    let (doc, user) = (doc.clone(), id.clone());
                    view! {
                    <li data-testid="moderator-row" data-user=id>
                        <span>{name}</span>
                        <ActionForm action=set>
                            <input type="hidden" name="doc" value=doc/>
                            <input type="hidden" name="user" value=user/>
                            <input type="hidden" name="named" value="false"/>
                            <button type="submit" class="remove" data-testid="remove-moderator">{lang.t(Key::RemoveModerator)}</button>
                        </ActionForm>
                    </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h2>{lang.t(Key::ModeratorsHeading)}</h2>
        <p class="hint">{lang.t(Key::ModeratorsHint)}</p>
        {list}
        <ActionForm action=set>
            <div class="inline-form">
                <input type="hidden" name="doc" value=doc/>
                <input type="hidden" name="named" value="true"/>
                <label class="field">
                    <span class="label">{lang.t(Key::Person)}</span>
                    <select name="user" required data-testid="moderator-user">
                        {candidates.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" data-testid="name-moderator">{lang.t(Key::NameModerator)}</button>
            </div>
        </ActionForm>
        <FormError error=failure(set)/>
    }
}
