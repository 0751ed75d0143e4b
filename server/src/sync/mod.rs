//! Live co-editing: the `/sync` WebSocket, the registry of open documents and one actor per document.

pub mod actor;
pub mod authz;
pub mod connection;
pub mod core;
pub mod outbound;
pub mod rate;
pub mod registry;
pub mod upgrade;
pub mod validate;

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
