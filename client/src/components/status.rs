//! The connection and "gespeichert" indicator.

use leptos::prelude::*;

use crate::app::use_lang;
use crate::i18n::Key;
use crate::sync::Status;

/// Shows whether changes are stored on the server; "saved" only once the server's heads cover ours.
#[component]
pub fn StatusIndicator(status: RwSignal<Status>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        lang.t(match status.get() {
            Status::Connecting => Key::StatusConnecting,
            Status::Saving => Key::StatusSaving,
            Status::Saved => Key::StatusSaved,
            Status::Offline => Key::StatusOffline,
            Status::Error => Key::StatusError,
        })
    };
    view! {
        <span class="status" data-testid="status" data-status=move || status.get().code() role="status" aria-live="polite">
            {text}
        </span>
    }
}
