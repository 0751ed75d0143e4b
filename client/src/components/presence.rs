//! Who else is in the document, and in which field.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::i18n::use_lang;
use crate::sync::PeerPresence;

/// The list of people present.
#[component]
pub fn PresenceList(presence: RwSignal<Vec<PeerPresence>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="presence" data-testid="presence">
            <span class="label">{lang.t(Key::Present)} ": "</span>
            <ul>
                {move || presence.get().into_iter().map(|p| {
                    let where_ = p.field_label.map(|f| format!(" – {} {}", lang.t(Key::Editing), f));
                    view! { <li data-name=p.name.clone()>{p.name.clone()}{where_}</li> }
                }).collect_view()}
            </ul>
        </div>
    }
}
