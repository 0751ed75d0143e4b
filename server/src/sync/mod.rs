//! Live co-editing: the `/sync` WebSocket, the registry of open documents and one actor per document.

pub mod access_cache;
pub mod actor;
pub mod cluster;
pub mod connection;
pub mod decoded_size;
pub mod doc_sync;
pub mod inbound;
pub mod news;
pub mod outbound;
pub mod rate;
pub mod refusals;
pub mod registry;
pub mod runs;
pub mod slots;
pub mod upgrade;
pub mod validate;
pub mod waiting;

use kompromiss_shared::perm::Level;

/// Identifies one WebSocket connection inside this server process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

/// What a connection may do with one document, decided by the server on every message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocAccess {
    /// Learns nothing: the document looks missing.
    None,
    /// Receives the document and its changes; changes it sends are refused.
    Read,
    /// Reads and writes.
    Edit,
}

impl DocAccess {
    /// What a document level means for the sync protocol.
    pub fn from_level(level: Level) -> DocAccess {
        match level {
            Level::None => DocAccess::None,
            Level::Read | Level::Participate => DocAccess::Read,
            Level::Edit | Level::Administer => DocAccess::Edit,
        }
    }
}
