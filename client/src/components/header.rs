//! The top bar: app name, navigation, who is signed in with which role, sign-out, language
//! switch, and the development sign-in banner.

use kompromiss_shared::dto::me::Me;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::bell::Bell;
use crate::i18n::Key;
use crate::i18n::use_lang;
use kompromiss_shared::links;

/// Header with sign-in state.
#[component]
pub fn Header(me: Me) -> impl IntoView {
    let lang = use_lang();
    let banner = me.dev_login.then(|| view! { <div class="dev-banner" role="alert">{lang.t(Key::DevBanner)}</div> });
    let admin = me.is_admin();
    let account = match me.display_name.clone() {
        Some(name) => view! {
            <nav class="nav" aria-label=lang.t(Key::MainNav)>
                <a href="/konto" data-testid="nav-account">{lang.t(Key::MyAccount)}</a>
                <Bell/>
                {admin.then(|| view! {
                    <a href="/admin" data-testid="nav-admin">{lang.t(Key::Administration)}</a>
                    <a href="/admin/protokoll" data-testid="nav-audit">{lang.t(Key::AuditLog)}</a>
                })}
            </nav>
            <form class="account" method="post" action="/auth/logout">
                <span><span class="signed-in-as">{lang.t(Key::SignedInAs)} " "</span><strong data-testid="me">{name}</strong></span>
                {me.role.map(|r| view! { <span class="badge role" data-testid="role" data-role=r.as_str()>{lang.t(Key::role(r))}</span> })}
                <button type="submit" data-testid="sign-out">{lang.t(Key::SignOut)}</button>
            </form>
        }
        .into_any(),
        None => {
            let path = use_location().pathname.get_untracked();
            let href = if path == "/anmelden" {
                "/anmelden".to_owned()
            } else {
                format!("/anmelden{}", links::query(&[("next", &path)]))
            };
            view! { <a class="sign-in" href=href data-testid="sign-in">{lang.t(Key::SignIn)}</a> }.into_any()
        }
    };
    view! {
        {banner}
        <header class="top">
            <a class="brand" href="/">{lang.t(Key::AppName)}</a>
            {account}
            // A server route, not a page: the router must leave it to the browser.
            <a class="lang" rel="external" href=format!("/sprache/{}", lang.other().code())>{lang.t(Key::SwitchLang)}</a>
        </header>
    }
}
