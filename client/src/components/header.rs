//! The top bar: app name, language switch, who is signed in, and the development sign-in banner.

use kompromiss_shared::dto::Me;
use leptos::prelude::*;

use crate::app::use_lang;
use crate::i18n::Key;

/// Header with sign-in state.
#[component]
pub fn Header(me: Me) -> impl IntoView {
    let lang = use_lang();
    let banner = me.dev_login.then(|| view! { <div class="dev-banner" role="alert">{lang.t(Key::DevBanner)}</div> });
    let account = match me.display_name.clone() {
        Some(name) => view! {
            <form class="account" method="post" action="/auth/logout">
                <span>{lang.t(Key::SignedInAs)} " " <strong data-testid="me">{name}</strong></span>
                <button type="submit">{lang.t(Key::SignOut)}</button>
            </form>
        }
        .into_any(),
        None if me.dev_login => view! {
            <form class="account" method="post" action="/auth/dev-login">
                <label>
                    {lang.t(Key::DisplayName)} " "
                    <input name="display_name" required maxlength="60" autocomplete="nickname"/>
                </label>
                <button type="submit">{lang.t(Key::SignInDev)}</button>
            </form>
        }
        .into_any(),
        None => view! { <span></span> }.into_any(),
    };
    view! {
        {banner}
        <header class="top">
            <a class="brand" href="/">{lang.t(Key::AppName)}</a>
            {account}
            <a class="lang" href=format!("/sprache/{}", lang.other().code())>{lang.t(Key::SwitchLang)}</a>
        </header>
    }
}
