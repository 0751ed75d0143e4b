//! The audit log as admins read it: entries, the filter, the page.

use serde::{Deserialize, Serialize};

use super::me::Me;
use crate::audit::AuditAction;

/// One audit log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    /// Display name of who did it (none for the system or a failed sign-in).
    pub actor: Option<String>,
    /// The action's code ([`AuditAction::as_str`]); kept as stored, so that a row written by a newer
    /// version still shows (by its code) instead of disappearing.
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
}

/// A filter over the audit log; newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditQuery {
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Part of the actor's display name.
    pub actor: Option<String>,
    /// Only entries with an id below this (paging).
    pub before: Option<i64>,
    /// At most this many (server caps at 200).
    pub limit: Option<u32>,
}

/// The audit page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub me: Me,
    pub entries: Vec<AuditEntry>,
}
