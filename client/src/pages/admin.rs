//! `/admin`: people and their roles (and why they hold them), group-to-role mappings, the way to
//! each concept's sharing settings, and the backup download. Admins only.

use kompromiss_shared::dto::documents::DocSummary;
use kompromiss_shared::dto::people::{AdminData, RoleHolding, RoleMapping, RoleReason, UserEntry};
use kompromiss_shared::perm::Role;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{SetRoleMapping, SetUserRole, get_admin};
use crate::api::me::get_me;
use crate::components::header::Header;
use crate::components::notice::{FormError, Refused, failure};
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};

/// The actions of this page, created once so that their results outlive a reload of the data.
#[derive(Clone, Copy)]
struct Actions {
    user_role: ServerAction<SetUserRole>,
    mapping: ServerAction<SetRoleMapping>,
}

/// The administration page.
#[component]
pub fn AdminPage() -> impl IntoView {
    let lang = use_lang();
    let actions = Actions { user_role: ServerAction::new(), mapping: ServerAction::new() };
    let me = Resource::new(|| (), |_| get_me());
    let data =
        Resource::new(move || (actions.user_role.version().get(), actions.mapping.version().get()), |_| get_admin());
    view! {
        <Title text=lang.t(Key::Administration)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(data) => view! { <AdminBody data actions lang/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

#[component]
fn AdminBody(data: AdminData, actions: Actions, lang: Lang) -> impl IntoView {
    let AdminData { users, mappings, documents, .. } = data;
    view! {
        <main class="page admin">
            <h1>{lang.t(Key::Administration)}</h1>
            <section aria-labelledby="people">
                <h2 id="people">{lang.t(Key::People)}</h2>
                <People users action=actions.user_role lang/>
            </section>
            <section aria-labelledby="mappings">
                <h2 id="mappings">{lang.t(Key::RoleMappings)}</h2>
                <Mappings mappings action=actions.mapping lang/>
            </section>
            <section aria-labelledby="concepts">
                <h2 id="concepts">{lang.t(Key::Documents)}</h2>
                <Concepts documents lang/>
            </section>
            <section aria-labelledby="backup">
                <h2 id="backup">{lang.t(Key::Backup)}</h2>
                <p>{lang.t(Key::BackupIntro)}</p>
                // A plain link: the browser streams the file to disk; the server audits the download.
                <p><a href="/api/admin/backup" download="" rel="external">{lang.t(Key::BackupDownload)}</a></p>
            </section>
        </main>
    }
}

#[component]
fn People(users: Vec<UserEntry>, action: ServerAction<SetUserRole>, lang: Lang) -> impl IntoView {
    if users.is_empty() {
        return view! { <p class="empty">{lang.t(Key::NoPeople)}</p> }.into_any();
    }
    view! {
        <FormError error=failure(action)/>
        <div class="table-wrap">
            <table class="list people">
                <thead><tr>
                    <th scope="col">{lang.t(Key::Name)}</th>
                    <th scope="col">{lang.t(Key::Email)}</th>
                    <th scope="col">{lang.t(Key::Subject)}</th>
                    <th scope="col">{lang.t(Key::Groups)}</th>
                    <th scope="col">{lang.t(Key::EffectiveRole)}</th>
                    <th scope="col">{lang.t(Key::Holdings)}</th>
                    <th scope="col">{lang.t(Key::Change)}</th>
                </tr></thead>
                <tbody>{users.into_iter().map(|u| view! { <UserRow user=u action lang/> }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn UserRow(user: UserEntry, action: ServerAction<SetUserRole>, lang: Lang) -> impl IntoView {
    let role = user.role.map_or(lang.t(Key::NoRole), |r| lang.t(Key::role(r)));
    let select_id = format!("role-{}", user.id);
    let (user_id, name) = (user.id.clone(), user.display_name.clone());
    view! {
        <tr data-testid="user-row" data-user-id=user.id.clone() data-role=user.role.map(Role::as_str)>
            <td>{user.display_name.clone()}</td>
            <td>{user.email.unwrap_or_default()}</td>
            <td class="mono">{user.subject}</td>
            <td>{user.groups.join(", ")}</td>
            <td>{role}</td>
            <td>
                <ul class="plain">
                    {user.holdings.into_iter().map(|h| view! { <li data-testid="holding">{holding_text(lang, &h)}</li> }).collect_view()}
                </ul>
            </td>
            <td>
                <ActionForm action>
                    <div class="inline-form compact">
                        <input type="hidden" name="user_id" value=user_id/>
                        <label class="visually-hidden" for=select_id.clone()>{lang.t(Key::Role)} " " {name}</label>
                        <select id=select_id name="role" data-testid="user-role">
                            {role_options(lang, Role::Member)}
                        </select>
                        <button type="submit" name="change" value="grant" data-testid="grant-role">{lang.t(Key::GrantRole)}</button>
                        <button type="submit" name="change" value="revoke" class="remove" data-testid="revoke-role">
                            {lang.t(Key::RevokeRole)}
                        </button>
                    </div>
                </ActionForm>
            </td>
        </tr>
    }
}

/// "Redaktion – über Gruppe lag-digitales", "Admin – direkt vergeben von Anna", "Admin – Konfiguration".
fn holding_text(lang: Lang, holding: &RoleHolding) -> String {
    let why = match &holding.reason {
        RoleReason::Claim { group } => format!("{} {group}", lang.t(Key::ViaGroup)),
        RoleReason::Grant { by: Some(by) } => format!("{} {} {by}", lang.t(Key::DirectGrant), lang.t(Key::GrantedBy)),
        RoleReason::Grant { by: None } => lang.t(Key::DirectGrant).to_owned(),
        RoleReason::Config => lang.t(Key::FromConfigReason).to_owned(),
    };
    format!("{} – {why}", lang.t(Key::role(holding.role)))
}

/// The options of a role select, with one preselected.
pub(crate) fn role_options(lang: Lang, selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{lang.t(Key::role(r))}</option> })
        .collect_view()
}

#[component]
fn Mappings(mappings: Vec<RoleMapping>, action: ServerAction<SetRoleMapping>, lang: Lang) -> impl IntoView {
    let list = if mappings.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoMappings)}</p> }.into_any()
    } else {
        view! {
            <ul class="rows">
                {mappings.into_iter().map(|m| view! { <MappingRow mapping=m action lang/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="hint">{lang.t(Key::RoleMappingsIntro)}</p>
        {list}
        <FormError error=failure(action)/>
        <ActionForm action>
            <div class="inline-form">
                <label class="field">
                    <span class="label">{lang.t(Key::Group)}</span>
                    <input name="group" required maxlength="200" autocomplete="off" data-testid="mapping-group"/>
                </label>
                <label class="field">
                    <span class="label">{lang.t(Key::Role)}</span>
                    <select name="role" data-testid="mapping-role">{role_options(lang, Role::Member)}</select>
                </label>
                <button type="submit" data-testid="add-mapping">{lang.t(Key::AddMapping)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn MappingRow(mapping: RoleMapping, action: ServerAction<SetRoleMapping>, lang: Lang) -> impl IntoView {
    let RoleMapping { group, role, from_config } = mapping;
    let (hidden_group, data_group) = (group.clone(), group.clone());
    let control = if from_config {
        view! { <span class="badge">{lang.t(Key::FromConfig)}</span> }.into_any()
    } else {
        view! {
            <ActionForm action>
                <input type="hidden" name="group" value=hidden_group/>
                <input type="hidden" name="role" value=""/>
                <button type="submit" class="remove" data-testid="remove-mapping">{lang.t(Key::Remove)}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <li data-testid="mapping-row" data-group=data_group data-role=role.as_str()>
            <span><strong>{group}</strong> " → " {lang.t(Key::role(role))}</span>
            {control}
        </li>
    }
}

#[component]
fn Concepts(documents: Vec<DocSummary>, lang: Lang) -> impl IntoView {
    if documents.is_empty() {
        return view! { <p class="empty">{lang.t(Key::NoDocuments)}</p> }.into_any();
    }
    view! {
        <ul class="rows">
            {documents
                .into_iter()
                .map(|d| {
                    let title = if d.title.trim().is_empty() { lang.t(Key::Untitled).to_owned() } else { d.title };
                    view! {
                        <li data-testid="admin-doc" data-doc-id=d.id.clone()>
                            <a href=format!("/d/{}", d.id)>{title}</a>
                            <a href=format!("/d/{}/freigaben", d.id) data-testid="sharing-link">{lang.t(Key::Sharing)}</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
