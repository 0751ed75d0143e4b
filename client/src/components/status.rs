//! The connection and "gespeichert" indicator.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::i18n::use_lang;
use crate::sync::Status;

/// Shows whether changes are stored on the server; "saved" only once the server's heads cover ours.
#[component]
pub fn StatusIndicator(
    status: RwSignal<Status>,
    local_pending: RwSignal<bool>,
    waiting: RwSignal<usize>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        let text = lang.t(match status.get() {
            Status::Connecting => Key::StatusConnecting,
            Status::Saving => Key::StatusSaving,
            Status::Saved => Key::StatusSaved,
            Status::Offline => Key::StatusOffline,
            Status::Error => Key::StatusError,
        });
        match (status.get(), waiting.get()) {
            (Status::Offline, 0) => text.to_owned(),
            (Status::Offline, n) => format!("{text} ({})", lang.waiting_changes(n)),
            _ => text.to_owned(),
        }
    };
    view! {
        <span class="status" data-testid="status" data-status=move || status.get().code()
            data-local=move || if local_pending.get() { "pending" } else { "stored" }
            data-waiting=move || waiting.get() role="status" aria-live="polite">
            {text}
        </span>
    }
}
