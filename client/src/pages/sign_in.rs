//! `/anmelden`: the ways to sign in offered by this server, and why the last attempt failed.

use kompromiss_shared::dto::me::Me;
use kompromiss_shared::perm::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::me::get_me;
use crate::components::header::Header;
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};
use kompromiss_shared::links;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let me = Resource::new(|| (), |_| get_me());
    view! {
        <Title text=lang.t(Key::SignIn)/>
        <Suspense fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                // `get_me` is never refused; if it fails anyway, offer nothing rather than a broken form.
                let me = me.await.unwrap_or_default();
                let (next, error) = query.with(|q| (links::return_path(q.get_str("next")), q.get("fehler")));
                view! { <Header me=me.clone()/> <SignInBody me next error lang/> }
            })}
        </Suspense>
    }
}

#[component]
fn SignInBody(me: Me, next: String, error: Option<String>, lang: Lang) -> impl IntoView {
    let error = error.map(|code| {
        let key = if code == "abgelaufen" { Key::SessionExpired } else { Key::SignInFailed };
        view! { <p class="error" role="alert" data-testid="sign-in-error" data-code=code>{lang.t(key)}</p> }
    });
    let content = if me.display_name.is_some() {
        view! {
            <p data-testid="already-signed-in">{lang.t(Key::AlreadySignedIn)}</p>
            <p><a href="/">{lang.t(Key::Back)}</a></p>
        }
        .into_any()
    } else if !me.oidc && !me.dev_login {
        view! { <p class="notice" data-testid="sign-in-unavailable">{lang.t(Key::SignInUnavailable)}</p> }.into_any()
    } else {
        let oidc = me.oidc.then(|| {
            let href = format!("/auth/login{}", links::query(&[("next", &next)]));
            // `rel="external"`: a server route that leaves for the provider, not a page of the app.
            view! {
                <p><a class="button primary" rel="external" href=href data-testid="oidc-sign-in">{lang.t(Key::SignInOidc)}</a></p>
            }
        });
        let dev = me.dev_login.then(|| view! { <DevSignInForm next=next.clone() lang/> });
        view! { {oidc} {dev} }.into_any()
    };
    view! {
        <main class="page sign-in">
            <h1>{lang.t(Key::SignIn)}</h1>
            <p class="tagline">{lang.t(Key::SignInIntro)}</p>
            {error}
            {content}
        </main>
    }
}

/// The development sign-in: any name, any role; only offered when the server allows it (the
/// header then shows the warning banner).
#[component]
fn DevSignInForm(next: String, lang: Lang) -> impl IntoView {
    view! {
        <section class="card dev-sign-in">
            <h2>{lang.t(Key::DevSignIn)}</h2>
            <form class="stack" method="post" action="/auth/dev-login">
                <label class="field">
                    <span class="label">{lang.t(Key::DisplayName)}</span>
                    <input name="display_name" required maxlength="60" autocomplete="nickname"/>
                </label>
                <label class="field">
                    <span class="label">{lang.t(Key::Role)}</span>
                    <select name="role">
                        {Role::ALL
                            .into_iter()
                            .map(|r| view! { <option value=r.as_str() selected=r == Role::Editor>{lang.t(Key::role(r))}</option> })
                            .collect_view()}
                    </select>
                </label>
                <input type="hidden" name="next" value=next/>
                <button type="submit" data-testid="dev-sign-in">{lang.t(Key::SignInDev)}</button>
            </form>
        </section>
    }
}
