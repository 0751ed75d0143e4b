//! The admin area: people with their roles and why, claim-group mappings, all documents.

use kompromiss_client::api::admin::AdminPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::dto::documents::DocSummary;
use kompromiss_shared::dto::people::{AdminData, RoleMapping, UserEntry};
use kompromiss_shared::dto::refusal::Refusal;
use kompromiss_shared::perm::Role;

use super::access::{require_admin, short_name};
use super::{PageServer, internal, record};
use crate::auth::Principal;
use crate::auth::roles::{self, RoleSources};
use crate::db::{DbError, audit, documents, users};
use crate::state::AppState;

impl AdminPages for PageServer {
    fn admin<'a>(&'a self, req: &'a Req) -> Answer<'a, AdminData> {
        Box::pin(async move {
            let p = require_admin(req)?;
            let (users, mappings, documents) = overview(&self.state).await.map_err(internal)?;
            Ok(AdminData { me: self.me_of(&p), users, mappings, documents })
        })
    }

    fn set_role_mapping<'a>(&'a self, req: &'a Req, group: String, role: Option<Role>) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = require_admin(req)?;
            let group = short_name(&group, "group")?;
            set_mapping(&self.state, &p, &group, role).await
        })
    }

    fn set_user_role<'a>(&'a self, req: &'a Req, user_id: String, role: Role, grant: bool) -> Answer<'a, ()> {
        Box::pin(async move {
            let p = require_admin(req)?;
            set_user_role(&self.state, &p, &user_id, role, grant).await
        })
    }
}

/// People with their roles and reasons, all role mappings, all documents.
async fn overview(state: &AppState) -> Result<(Vec<UserEntry>, Vec<RoleMapping>, Vec<DocSummary>), DbError> {
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

/// Maps a claim group to a role, or removes the mapping.
async fn set_mapping(state: &AppState, p: &Principal, group: &str, role: Option<Role>) -> Result<(), Refusal> {
    let by = p.user().map(|u| u.display_name.as_str());
    crate::db::roles::set_mapping(&state.db, group, role, by).await.map_err(internal)?;
    let detail = format!("{group} → {}", role.map_or("—", Role::as_str));
    audit::record_or_log(&state.db, record(p, AuditAction::MappingChanged, Some(group), Some(&detail))).await;
    Ok(())
}

/// Grants or revokes a role held directly.
async fn set_user_role(state: &AppState, p: &Principal, user_id: &str, role: Role, grant: bool) -> Result<(), Refusal> {
    let target = users::by_id(&state.db, user_id).await.map_err(internal)?.ok_or(Refusal::NotFound)?;
    let by = p.user().map(|u| u.display_name.as_str());
    let changed = if grant {
        crate::db::roles::grant(&state.db, &target.id, role, by).await
    } else {
        crate::db::roles::revoke(&state.db, &target.id, role).await
    }
    .map_err(internal)?;
    if changed {
        let action = if grant { AuditAction::RoleGranted } else { AuditAction::RoleRevoked };
        audit::record_or_log(&state.db, record(p, action, Some(&target.display_name), Some(role.as_str()))).await;
    }
    Ok(())
}
