//! People, their roles and why they hold them, and claim-group mappings: the admin area's overview.

use serde::{Deserialize, Serialize};

use super::documents::DocSummary;
use super::me::Me;
use crate::perm::Role;

/// Why someone holds a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum RoleReason {
    /// The sign-in claims named a group that is mapped to the role.
    Claim { group: String },
    /// An admin (or the command line) granted it.
    Grant { by: Option<String> },
    /// Named in `KOMPROMISS_ADMINS`.
    Config,
}

/// One role a person holds, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleHolding {
    pub role: Role,
    pub reason: RoleReason,
}

/// A person as admins see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEntry {
    pub id: String,
    pub display_name: String,
    pub email: Option<String>,
    /// The sign-in provider's subject (or `dev:…` for the development sign-in).
    pub subject: String,
    pub groups: Vec<String>,
    /// The highest role held, if any.
    pub role: Option<Role>,
    pub holdings: Vec<RoleHolding>,
    pub last_sign_in_at: Option<i64>,
}

/// A claim group mapped to a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMapping {
    pub group: String,
    pub role: Role,
    /// From configuration (`KOMPROMISS_ROLE_MAP`): shown, not editable in the UI.
    pub from_config: bool,
}

/// The admin overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminData {
    pub me: Me,
    pub users: Vec<UserEntry>,
    pub mappings: Vec<RoleMapping>,
    pub documents: Vec<DocSummary>,
}
