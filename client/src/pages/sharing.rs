//! `/d/:id/freigaben`: one concept's grants, which add to what roles give; for those who may
//! administer the concept.

use kompromiss_shared::dto::sharing::{DocSharing, GrantEntry};
use kompromiss_shared::perm::{Level, Role, Subject};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::me::get_me;
use crate::api::sharing::{SetGrant, SetModerator, get_sharing};
use crate::components::header::Header;
use crate::components::moderators::Moderators;
use crate::components::notice::{FormError, Refused, failure};
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};
use crate::pages::admin::role_options;

/// The sharing page of one document.
#[component]
pub fn SharingPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let set = ServerAction::<SetGrant>::new();
    let name = ServerAction::<SetModerator>::new();
    let me = Resource::new(|| (), |_| get_me());
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), set.version().get(), name.version().get()),
        |(id, _, _)| get_sharing(id),
    );
    view! {
        <Title text=lang.t(Key::Sharing)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(sharing) => view! { <SharingBody sharing set name lang/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

#[component]
fn SharingBody(
    sharing: DocSharing,
    set: ServerAction<SetGrant>,
    name: ServerAction<SetModerator>,
    lang: Lang,
) -> impl IntoView {
    let DocSharing { doc, grants, people, moderators, .. } = sharing;
    let (moderation_doc, moderation_people) = (doc.id.clone(), people.clone());
    let title = if doc.title.trim().is_empty() { lang.t(Key::Untitled).to_owned() } else { doc.title };
    let list = if grants.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoGrants)}</p> }.into_any()
    } else {
        let doc_id = doc.id.clone();
        view! {
            <div class="table-wrap">
                <table class="list">
                    <thead><tr>
                        <th scope="col">{lang.t(Key::GrantFor)}</th>
                        <th scope="col">{lang.t(Key::Kind)}</th>
                        <th scope="col">{lang.t(Key::Level)}</th>
                        <th scope="col"><span class="visually-hidden">{lang.t(Key::Change)}</span></th>
                    </tr></thead>
                    <tbody>
                        {grants.into_iter().map(|g| view! { <GrantRow grant=g doc=doc_id.clone() set lang/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <main class="page sharing">
            <p><a href=format!("/d/{}", doc.id) data-testid="to-document">{lang.t(Key::ToDocument)}</a></p>
            <h1>{lang.t(Key::Sharing)} ": " {title}</h1>
            <p class="hint">{lang.t(Key::SharingIntro)}</p>
            {list}
            <FormError error=failure(set)/>
            <h2>{lang.t(Key::AddGrant)}</h2>
            <GrantForm doc=doc.id people set lang/>
            <Moderators doc=moderation_doc moderators people=moderation_people set=name lang/>
        </main>
    }
}

fn kind_key(subject: &Subject) -> Key {
    match subject {
        Subject::Public => Key::KindPublic,
        Subject::Role(_) => Key::Role,
        Subject::Group(_) => Key::Group,
        Subject::User(_) => Key::KindUser,
    }
}

#[component]
fn GrantRow(grant: GrantEntry, doc: String, set: ServerAction<SetGrant>, lang: Lang) -> impl IntoView {
    let GrantEntry { subject, label, level, .. } = grant;
    let who = match &subject {
        Subject::Public => lang.t(Key::KindPublic).to_owned(),
        Subject::Role(role) => lang.t(Key::role(*role)).to_owned(),
        _ => label,
    };
    let (kind, name) = subject.parts();
    let (name, data_name) = (name.to_owned(), name.to_owned());
    let kind_text = if subject == Subject::Public { "" } else { lang.t(kind_key(&subject)) };
    view! {
        <tr data-testid="grant-row" data-kind=kind data-name=data_name data-level=level.as_str()>
            <td>{who}</td>
            <td>{kind_text}</td>
            <td>{lang.t(Key::level(level))}</td>
            <td>
                <ActionForm action=set>
                    <input type="hidden" name="doc" value=doc/>
                    <input type="hidden" name="kind" value=kind/>
                    <input type="hidden" name="name" value=name/>
                    <input type="hidden" name="level" value=""/>
                    <button type="submit" class="remove" data-testid="remove-grant">{lang.t(Key::Remove)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// The form adding a grant: who (the name field follows the kind) and how much.
#[component]
fn GrantForm(doc: String, people: Vec<(String, String)>, set: ServerAction<SetGrant>, lang: Lang) -> impl IntoView {
    let kind = RwSignal::new("role".to_owned());
    let kinds = [("public", Key::KindPublic), ("role", Key::Role), ("group", Key::Group), ("user", Key::KindUser)];
    let name_field = move || {
        match kind.get().as_str() {
        "public" => view! { <input type="hidden" name="name" value=""/> }.into_any(),
        "group" => view! {
            <label class="field">
                <span class="label">{lang.t(Key::Group)}</span>
                <input name="name" required maxlength="200" autocomplete="off" data-testid="grant-name"/>
            </label>
        }
        .into_any(),
        "user" => view! {
            <label class="field">
                <span class="label">{lang.t(Key::KindUser)}</span>
                <select name="name" required data-testid="grant-name">
                    {people.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                </select>
            </label>
        }
        .into_any(),
        _ => view! {
            <label class="field">
                <span class="label">{lang.t(Key::Role)}</span>
                <select name="name" data-testid="grant-name">{role_options(lang, Role::Member)}</select>
            </label>
        }
        .into_any(),
    }
    };
    // The public only ever reads; offer nothing more.
    let levels = move || {
        let public = kind.with(|k| k == "public");
        Level::GRANTABLE
            .into_iter()
            .filter(|l| !public || *l == Level::Read)
            .map(|l| view! { <option value=l.as_str() selected=l == Level::Read>{lang.t(Key::level(l))}</option> })
            .collect_view()
    };
    view! {
        <ActionForm action=set>
            <div class="inline-form">
                <input type="hidden" name="doc" value=doc/>
                <label class="field">
                    <span class="label">{lang.t(Key::Kind)}</span>
                    <select name="kind" data-testid="grant-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {kinds
                            .into_iter()
                            .map(|(value, key)| view! { <option value=value selected=value == "role">{lang.t(key)}</option> })
                            .collect_view()}
                    </select>
                </label>
                {name_field}
                <label class="field">
                    <span class="label">{lang.t(Key::Level)}</span>
                    <select name="level" data-testid="grant-level">{levels}</select>
                </label>
                <button type="submit" data-testid="add-grant">{lang.t(Key::AddGrant)}</button>
            </div>
        </ActionForm>
    }
}
