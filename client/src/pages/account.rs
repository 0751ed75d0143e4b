//! `/konto`: who I am according to the sign-in, and my personal API tokens.

use kompromiss_shared::dto::account::{Account, CreatedToken, TokenInfo};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::{CreateToken, RevokeToken, get_account};
use crate::api::me::get_me;
use crate::components::header::Header;
use crate::components::notice::{FormError, Refused, failure};
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};
use crate::time::format_ms;

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let me = Resource::new(|| (), |_| get_me());
    let data = Resource::new(move || (create.version().get(), revoke.version().get()), |_| get_account());
    view! {
        <Title text=lang.t(Key::MyAccount)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(account) => view! { <AccountBody account create revoke lang/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

#[component]
fn AccountBody(
    account: Account,
    create: ServerAction<CreateToken>,
    revoke: ServerAction<RevokeToken>,
    lang: Lang,
) -> impl IntoView {
    let Account { me, groups, tokens } = account;
    let role = me.role.map_or(lang.t(Key::NoRole), |r| lang.t(Key::role(r)));
    let groups = if groups.is_empty() { lang.t(Key::NoGroups).to_owned() } else { groups.join(", ") };
    let tokens = if tokens.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoTokens)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="list">
                    <thead><tr>
                        <th scope="col">{lang.t(Key::TokenName)}</th>
                        <th scope="col">{lang.t(Key::Created)}</th>
                        <th scope="col">{lang.t(Key::LastUsed)}</th>
                        <th scope="col"><span class="visually-hidden">{lang.t(Key::Change)}</span></th>
                    </tr></thead>
                    <tbody>{tokens.into_iter().map(|t| view! { <TokenRow token=t revoke lang/> }).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <main class="page account">
            <h1>{lang.t(Key::MyAccount)}</h1>
            <dl class="facts">
                <dt>{lang.t(Key::Name)}</dt><dd data-testid="account-name">{me.display_name.unwrap_or_default()}</dd>
                <dt>{lang.t(Key::Role)}</dt><dd data-testid="account-role">{role}</dd>
                <dt>{lang.t(Key::Groups)}</dt><dd data-testid="account-groups">{groups}</dd>
            </dl>
            <p class="hint">{lang.t(Key::AccountIntro)}</p>
            <h2>{lang.t(Key::ApiTokens)}</h2>
            <p class="hint">{lang.t(Key::ApiTokensIntro)}</p>
            {tokens}
            <FormError error=failure(revoke)/>
            <ActionForm action=create>
                <div class="inline-form">
                    <label class="field">
                        <span class="label">{lang.t(Key::TokenName)}</span>
                        <input name="name" required maxlength="100" autocomplete="off" data-testid="token-name"/>
                    </label>
                    <button type="submit" data-testid="create-token">{lang.t(Key::CreateToken)}</button>
                </div>
            </ActionForm>
            <FormError error=failure(create)/>
            <NewSecret create lang/>
        </main>
    }
}

#[component]
fn TokenRow(token: TokenInfo, revoke: ServerAction<RevokeToken>, lang: Lang) -> impl IntoView {
    let last_used = token.last_used_at.map_or_else(|| lang.t(Key::Never).to_owned(), format_ms);
    let id = token.id.clone();
    view! {
        <tr data-testid="token-row" data-token-id=token.id.clone()>
            <td>{token.name}</td>
            <td>{format_ms(token.created_at)}</td>
            <td>{last_used}</td>
            <td>
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="remove" data-testid="revoke-token">{lang.t(Key::Revoke)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// The secret of the token just created: shown this once, with how to use it.
#[component]
fn NewSecret(create: ServerAction<CreateToken>, lang: Lang) -> impl IntoView {
    let created = move || create.value().with(|v| v.as_ref().and_then(|r| r.as_ref().ok()).cloned());
    move || {
        created().map(|CreatedToken { info, secret }| {
            view! {
                <section class="card secret" role="status">
                    <h3>{lang.t(Key::TokenCreated)} ": " {info.name}</h3>
                    <p><code data-testid="token-secret">{secret}</code></p>
                    <p class="warning">{lang.t(Key::TokenSecretNote)}</p>
                    <p>{lang.t(Key::TokenUseHeader)} ": " <code>"Authorization: Bearer …"</code></p>
                    <p>{lang.t(Key::TokenUseQuery)} ": " <code>"/sync?access_token=…"</code></p>
                </section>
            }
        })
    }
}
