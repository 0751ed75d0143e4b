//! A document's grants: who may read, participate, edit or administer it beyond their role.

use serde::{Deserialize, Serialize};

use super::documents::DocSummary;
use super::me::Me;
use crate::perm::{Level, Subject};

/// A grant on a document as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantEntry {
    pub subject: Subject,
    /// A readable name: the person's display name for user grants, else the group or role.
    pub label: String,
    pub level: Level,
    pub created_at: i64,
}

/// A document's sharing settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSharing {
    pub me: Me,
    pub doc: DocSummary,
    pub grants: Vec<GrantEntry>,
    /// People who can be named in a user grant (id, display name).
    pub people: Vec<(String, String)>,
    /// People named as moderators of the document's discussion (id, display name).
    #[serde(default)]
    pub moderators: Vec<(String, String)>,
}
