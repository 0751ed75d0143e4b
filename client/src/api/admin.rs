//! The admin area: people with their roles and why, claim-group mappings, all documents.

use kompromiss_shared::dto::people::AdminData;
#[cfg(feature = "ssr")]
use kompromiss_shared::perm::Role;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask, invalid, optional};

/// What the server answers and does for admins.
#[cfg(feature = "ssr")]
pub trait AdminPages {
    fn admin<'a>(&'a self, req: &'a Req) -> Answer<'a, AdminData>;
    /// Maps a claim group to a role, or removes the mapping (`role: None`).
    fn set_role_mapping<'a>(&'a self, req: &'a Req, group: String, role: Option<Role>) -> Answer<'a, ()>;
    /// Grants (`grant: true`) or revokes a role held directly by a user.
    fn set_user_role<'a>(&'a self, req: &'a Req, user_id: String, role: Role, grant: bool) -> Answer<'a, ()>;
}

/// The admin overview: people, their roles and why, role mappings, documents.
#[server(prefix = "/api/fn", endpoint = "get_admin")]
pub async fn get_admin() -> Result<AdminData, ServerFnError> {
    ask!(|p, r| p.admin(r))
}

/// Maps a claim group to a role (`role` is `member`, `editor`, `admin`, or empty to remove the mapping).
#[server(prefix = "/api/fn", endpoint = "set_role_mapping")]
pub async fn set_role_mapping(group: String, role: String) -> Result<(), ServerFnError> {
    let role = optional(&role, Role::parse, "role")?;
    ask!(|p, r| p.set_role_mapping(r, group, role))
}

/// Grants (`change` = `grant`) or revokes (`revoke`) a role held directly by a person.
#[server(prefix = "/api/fn", endpoint = "set_user_role")]
pub async fn set_user_role(user_id: String, role: String, change: String) -> Result<(), ServerFnError> {
    let role = Role::parse(&role).ok_or_else(|| invalid("role"))?;
    let grant = match change.as_str() {
        "grant" => true,
        "revoke" => false,
        _ => return Err(invalid("change")),
    };
    ask!(|p, r| p.set_user_role(r, user_id, role, grant))
}
