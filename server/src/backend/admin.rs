//! Administration behind the pages: people and their roles, role mappings, document grants.

use kompromiss_shared::dto::{DocSummary, GrantEntry, Refusal, RoleMapping, UserEntry};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{Level, Role, Subject};

use super::internal;
use crate::auth::Principal;
use crate::auth::roles::{self, RoleSources};
use crate::db::{DbError, audit, documents, grants, users};
use crate::state::AppState;

/// People with their roles and reasons, all role mappings, all documents.
pub async fn overview(state: &AppState) -> Result<(Vec<UserEntry>, Vec<RoleMapping>, Vec<DocSummary>), DbError> {
    let sources = RoleSources::load(&state.db, None).await?;
    let people = users::list(&state.db).await?;
    let entries = people
        .into_iter()
        .map(|user| {
            let (role, holdings) = roles::resolve(&state.auth, &sources, &user);
            UserEntry {
                id: user.id,
                display_name: user.display_name,
                email: user.email,
                subject: user.subject,
                groups: user.groups,
                role,
                holdings,
                last_sign_in_at: user.last_sign_in_at,
            }
        })
        .collect();
    let mut mappings: Vec<RoleMapping> = state
        .auth
        .role_map
        .iter()
        .map(|(group, role)| RoleMapping { group: group.clone(), role: *role, from_config: true })
        .collect();
    mappings.extend(sources.mappings.into_iter().map(|(group, role)| RoleMapping { group, role, from_config: false }));
    let docs = documents::list(&state.db).await?;
    let docs = docs
        .into_iter()
        .map(|d| DocSummary { id: d.id.to_string(), title: d.title, updated_at: d.updated_at })
        .collect();
    Ok((entries, mappings, docs))
}

fn record<'a>(
    p: &'a Principal,
    action: &'a str,
    target: Option<&'a str>,
    detail: Option<&'a str>,
) -> audit::Record<'a> {
    audit::Record { target, detail, ..audit::Record::by(p.user(), action) }
}

/// Maps a claim group to a role, or removes the mapping.
pub async fn set_mapping(state: &AppState, p: &Principal, group: &str, role: Option<Role>) -> Result<(), Refusal> {
    let by = p.user().map(|u| u.display_name.as_str());
    crate::db::roles::set_mapping(&state.db, group, role, by).await.map_err(internal)?;
    let detail = format!("{group} → {}", role.map_or("—", Role::as_str));
    audit::record_or_log(&state.db, record(p, "mapping-changed", Some(group), Some(&detail))).await;
    Ok(())
}

/// Grants or revokes a role held directly.
pub async fn set_user_role(
    state: &AppState,
    p: &Principal,
    user_id: &str,
    role: Role,
    grant: bool,
) -> Result<(), Refusal> {
    let target = users::by_id(&state.db, user_id).await.map_err(internal)?.ok_or(Refusal::NotFound)?;
    let by = p.user().map(|u| u.display_name.as_str());
    let changed = if grant {
        crate::db::roles::grant(&state.db, &target.id, role, by).await
    } else {
        crate::db::roles::revoke(&state.db, &target.id, role).await
    }
    .map_err(internal)?;
    if changed {
        let action = if grant { "role-granted" } else { "role-revoked" };
        audit::record_or_log(&state.db, record(p, action, Some(&target.display_name), Some(role.as_str()))).await;
    }
    Ok(())
}

/// A document's summary, grants and the people who can be named in a grant.
pub async fn sharing(
    state: &AppState,
    doc: DocumentId,
) -> Result<(DocSummary, Vec<GrantEntry>, Vec<(String, String)>), Refusal> {
    let meta = documents::get(&state.db, doc).await.map_err(internal)?;
    let summary = match meta {
        Some(d) => DocSummary { id: d.id.to_string(), title: d.title, updated_at: d.updated_at },
        None => DocSummary { id: doc.to_string(), title: String::new(), updated_at: 0 },
    };
    let people: Vec<(String, String)> =
        users::list(&state.db).await.map_err(internal)?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let entries = grants::for_doc(&state.db, doc)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|g| {
            let label = match &g.grant.subject {
                Subject::User(id) => people.iter().find(|(pid, _)| pid == id).map_or(id.clone(), |(_, n)| n.clone()),
                Subject::Group(name) => name.clone(),
                Subject::Role(role) => role.as_str().to_owned(),
                Subject::Public => "public".to_owned(),
            };
            GrantEntry { subject: g.grant.subject, label, level: g.grant.level, created_at: g.created_at }
        })
        .collect();
    Ok((summary, entries, people))
}

/// Sets or removes a document grant.
pub async fn set_grant(
    state: &AppState,
    p: &Principal,
    doc: DocumentId,
    subject: Subject,
    level: Option<Level>,
) -> Result<(), Refusal> {
    if let Subject::User(id) = &subject
        && users::by_id(&state.db, id).await.map_err(internal)?.is_none()
    {
        return Err(Refusal::Invalid("subject".into()));
    }
    if level.is_some_and(|l| l > subject.cap()) {
        return Err(Refusal::Invalid("level".into()));
    }
    let by = p.user().map(|u| u.display_name.as_str());
    grants::set(&state.db, doc, &subject, level, by).await.map_err(internal)?;
    let (kind, name) = subject.parts();
    let detail = format!("{kind}:{name} → {}", level.map_or("—", Level::as_str));
    let target = doc.to_string();
    audit::record_or_log(&state.db, record(p, "grant-changed", Some(&target), Some(&detail))).await;
    Ok(())
}
