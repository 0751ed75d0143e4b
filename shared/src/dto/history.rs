//! Who wrote what in a document: the runs of changes the server stored with their authors.

use serde::{Deserialize, Serialize};

/// How a change reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A browser session (the editor on the page).
    Session,
    /// A personal API token (scripts, the JS client, desktop apps).
    Token,
    /// The server made the change itself on someone's behalf (a new concept from a template).
    Server,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 3] = [Channel::Session, Channel::Token, Channel::Server];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Session => "session",
            Channel::Token => "token",
            Channel::Server => "server",
        }
    }

    /// The channel with this code, if there is one.
    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// A person named in the history: the same as everywhere (id and display name).
pub use crate::dto::comments::Person;

/// Consecutive changes of one Automerge actor that one person sent through one channel and the
/// server stored in one write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRun {
    /// The Automerge actor id, hex.
    pub actor: String,
    pub first_seq: u64,
    pub last_seq: u64,
    /// `None` only for changes the server made on nobody's behalf.
    pub author: Option<Person>,
    pub channel: Channel,
    /// When the server stored them (ms since the epoch).
    pub at: i64,
}

/// A document's attributed history, newest runs last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeHistory {
    /// Changes in the document.
    pub changes: u64,
    /// Changes no run covers: stored before the server recorded authors ("unbekannt / unknown").
    pub unattributed: u64,
    /// Runs stored in all.
    pub runs_total: u64,
    /// The newest runs, at most [`MAX_RUNS`].
    pub runs: Vec<ChangeRun>,
}

/// Most runs one answer carries.
pub const MAX_RUNS: usize = 1000;
