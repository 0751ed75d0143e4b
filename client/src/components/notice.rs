//! Messages for refused page loads and failed form submissions.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::refusal_code;
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};

/// The text for a refused or failed server call.
pub fn refusal_text(lang: Lang, error: &ServerFnError) -> &'static str {
    let code = refusal_code(error).unwrap_or_default();
    lang.t(match code.as_str() {
        "sign-in" => Key::SignInRequired,
        "forbidden" => Key::NoPermission,
        "not-found" => Key::NotFound,
        c if c.starts_with("invalid") => Key::InvalidInput,
        _ => Key::ActionFailed,
    })
}

/// A page whose data was refused: "Keine Berechtigung", a sign-in link, "nicht gefunden", or a
/// general failure, with a way back.
#[component]
pub fn Refused(error: ServerFnError) -> impl IntoView {
    let lang = use_lang();
    let body = match refusal_code(&error).as_deref() {
        Some("forbidden") => {
            view! { <p class="error" role="alert" data-testid="forbidden">{lang.t(Key::NoPermission)}</p> }.into_any()
        }
        Some("sign-in") => view! {
            <p class="notice" data-testid="sign-in-required">
                {lang.t(Key::SignInRequired)} " " <a href="/anmelden">{lang.t(Key::SignIn)}</a>
            </p>
        }
        .into_any(),
        Some("not-found") => view! { <p class="notice" data-testid="not-found">{lang.t(Key::NotFound)}</p> }.into_any(),
        _ => view! { <p class="error" role="alert">{lang.t(Key::LoadFailed)}</p> }.into_any(),
    };
    view! {
        <main class="page">
            {body}
            <a href="/">{lang.t(Key::Back)}</a>
        </main>
    }
}

/// Marks the server-rendered response as 404 (a page that loaded but found nothing).
pub fn not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// The last failure of a form's action, as text (none while it has not failed).
pub fn failure<S>(action: ServerAction<S>) -> Signal<Option<&'static str>>
where
    S: ServerFn<Error = ServerFnError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let lang = use_lang();
    Signal::derive(move || {
        action.value().with(|v| match v {
            Some(Err(e)) => Some(refusal_text(lang, e)),
            _ => None,
        })
    })
}

/// Shows a form's failure next to it, announced to screen readers.
#[component]
pub fn FormError(error: Signal<Option<&'static str>>) -> impl IntoView {
    move || error.get().map(|text| view! { <p class="error" role="alert" data-testid="form-error">{text}</p> })
}
