//! The browser side of live co-editing: local replica, WebSocket, presence and offline support.

pub mod replica;
pub mod session;

#[cfg(feature = "hydrate")]
mod live;

#[cfg(feature = "hydrate")]
pub mod dom;
#[cfg(feature = "hydrate")]
pub mod offline;
#[cfg(feature = "hydrate")]
mod socket;

/// What the indicator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not yet connected; the page shows what the server rendered.
    Connecting,
    /// Local changes the server has not confirmed as stored.
    Saving,
    /// The server's heads cover every local change: it is durably stored.
    Saved,
    /// No connection; edits are kept on this device.
    Offline,
    /// The document is gone or the server refused us.
    Error,
}

impl Status {
    /// Stable code for tests and styling (`data-status`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Connecting => "connecting",
            Status::Saving => "saving",
            Status::Saved => "saved",
            Status::Offline => "offline",
            Status::Error => "error",
        }
    }
}

/// Another person in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerPresence {
    pub name: String,
    /// Human label of the field they are in, if any.
    pub field_label: Option<String>,
}
