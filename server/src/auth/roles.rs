//! A person's roles and why they hold them: claim groups mapped by configuration or admins, direct grants, admins named in configuration.

use kompromiss_shared::dto::people::{RoleHolding, RoleReason};
use kompromiss_shared::perm::Role;

use super::settings::AuthSettings;
use crate::db::roles::HeldRole;
use crate::db::users::User;
use crate::db::{Db, DbError, roles};

/// Everything that decides roles, loaded once per request (or once for a whole list of people).
#[derive(Debug, Clone, Default)]
pub struct RoleSources {
    /// Admin-managed mappings; configuration mappings come from the settings.
    pub mappings: Vec<(String, Role)>,
    /// Direct roles.
    pub held: Vec<HeldRole>,
}

impl RoleSources {
    /// Loads the mappings and the direct roles of one user (or of everybody).
    pub async fn load(db: &Db, user_id: Option<&str>) -> Result<Self, DbError> {
        Ok(Self { mappings: roles::mappings(db).await?, held: roles::held(db, user_id).await? })
    }
}

/// The roles a person holds with their reasons, and the highest of them.
pub fn resolve(settings: &AuthSettings, sources: &RoleSources, user: &User) -> (Option<Role>, Vec<RoleHolding>) {
    let mut holdings = Vec::new();
    let named = |key: &str| settings.admins.iter().any(|a| a == &key.to_lowercase());
    let is_provider_user = user.issuer != crate::db::users::DEV_ISSUER && user.issuer != crate::db::users::LOCAL_ISSUER;
    if is_provider_user && (named(&user.subject) || user.email.as_deref().is_some_and(named)) {
        holdings.push(RoleHolding { role: Role::Admin, reason: RoleReason::Config });
    }
    for group in &user.groups {
        let mapped = settings.role_map.iter().chain(&sources.mappings).filter(|(g, _)| g == group);
        for (_, role) in mapped {
            holdings.push(RoleHolding { role: *role, reason: RoleReason::Claim { group: group.clone() } });
        }
    }
    for held in sources.held.iter().filter(|h| h.user_id == user.id) {
        holdings.push(RoleHolding { role: held.role, reason: RoleReason::Grant { by: held.granted_by.clone() } });
    }
    holdings.sort_by_key(|h| std::cmp::Reverse(h.role));
    holdings.dedup();
    (holdings.first().map(|h| h.role), holdings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::settings::{AuthArgs, AuthSettings};

    fn user(issuer: &str, groups: &[&str], email: Option<&str>) -> User {
        User {
            id: "u1".into(),
            display_name: "Mia".into(),
            issuer: issuer.into(),
            subject: "sub-1".into(),
            email: email.map(str::to_owned),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            last_sign_in_at: None,
        }
    }

    fn settings(admins: &str) -> AuthSettings {
        let mut args = AuthArgs::defaults();
        args.admins = admins.into();
        AuthSettings::resolve(&args, false, false).expect("settings")
    }

    #[test]
    fn claims_map_to_roles_and_the_highest_wins() {
        let s = settings("");
        let (role, holdings) = resolve(&s, &RoleSources::default(), &user("https://id", &["mitglieder"], None));
        assert_eq!(role, Some(Role::Member));
        assert_eq!(holdings[0].reason, RoleReason::Claim { group: "mitglieder".into() });
        let (role, _) =
            resolve(&s, &RoleSources::default(), &user("https://id", &["mitglieder", "lag-digitales"], None));
        assert_eq!(role, Some(Role::Editor));
        let (role, holdings) = resolve(&s, &RoleSources::default(), &user("https://id", &["unbekannt"], None));
        assert_eq!((role, holdings.len()), (None, 0));
    }

    #[test]
    fn admin_mappings_grants_and_configured_admins_count_with_their_reason() {
        let s = settings("MIA@example.org");
        let sources = RoleSources {
            mappings: vec![("kv-leipzig".into(), Role::Editor)],
            held: vec![HeldRole { user_id: "u1".into(), role: Role::Member, granted_by: Some("Ada".into()) }],
        };
        let (role, holdings) = resolve(&s, &sources, &user("https://id", &["kv-leipzig"], Some("mia@example.org")));
        assert_eq!(role, Some(Role::Admin));
        let reasons: Vec<_> = holdings.iter().map(|h| (h.role, h.reason.clone())).collect();
        assert_eq!(
            reasons,
            vec![
                (Role::Admin, RoleReason::Config),
                (Role::Editor, RoleReason::Claim { group: "kv-leipzig".into() }),
                (Role::Member, RoleReason::Grant { by: Some("Ada".into()) }),
            ]
        );
    }

    #[test]
    fn configured_admins_never_match_development_or_local_accounts() {
        let s = settings("sub-1");
        assert_eq!(resolve(&s, &RoleSources::default(), &user("dev", &[], None)).0, None);
        assert_eq!(resolve(&s, &RoleSources::default(), &user("https://id", &[], None)).0, Some(Role::Admin));
    }
}
