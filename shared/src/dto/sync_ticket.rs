//! A sync ticket: opens `/sync?ticket=…` once, within seconds.

use serde::{Deserialize, Serialize};

/// The answer to `POST /api/sync-tickets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncTicket {
    pub ticket: String,
    pub expires_in_secs: u64,
}
