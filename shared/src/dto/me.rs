//! Who is visiting: what every page needs to know about the visitor.

use serde::{Deserialize, Serialize};

use crate::perm::Role;

/// What the page needs to know about the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Me {
    /// Display name when signed in.
    pub display_name: Option<String>,
    /// The development sign-in is on (and announced in a banner).
    pub dev_login: bool,
    /// Sign-in through the party's OpenID Connect provider is configured.
    pub oidc: bool,
    /// The effective role, when signed in and holding one.
    pub role: Option<Role>,
    /// The person's id when signed in (to tell their own comments apart).
    #[serde(default)]
    pub user_id: Option<String>,
}

impl Me {
    /// May create documents (editors and admins).
    pub fn can_create(&self) -> bool {
        crate::perm::may_create_documents(self.role)
    }

    /// May administer roles, grants and read the audit log.
    pub fn is_admin(&self) -> bool {
        crate::perm::is_admin(self.role)
    }
}
