//! In-app notifications: the bell's list and the people a comment can mention.

use serde::{Deserialize, Serialize};

use crate::dto::comments::Person;

/// Why a person is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotificationKind {
    /// Someone named them with `@`.
    Mention,
    /// Someone replied in a thread they wrote in.
    Reply,
    /// Their thread was resolved.
    Resolved,
    /// The moderation hid their comment.
    Hidden,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Mention => "mention",
            NotificationKind::Reply => "reply",
            NotificationKind::Resolved => "resolved",
            NotificationKind::Hidden => "hidden",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Mention, Self::Reply, Self::Resolved, Self::Hidden].into_iter().find(|k| k.as_str() == raw)
    }
}

/// One notification; `link` jumps to the thread on the document's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: String,
    pub kind: NotificationKind,
    pub doc_id: String,
    pub doc_title: String,
    pub thread_id: String,
    pub comment_id: Option<String>,
    pub actor: Person,
    pub created_at: i64,
    pub read: bool,
    pub link: String,
}

/// `GET /api/notifications`: the newest notifications and how many are unread.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Notifications {
    pub unread: u64,
    pub items: Vec<NotificationView>,
}

/// `POST /api/notifications/read`: mark these (or all) as read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MarkRead {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub all: bool,
}

/// Most ids one `MarkRead` may name.
pub const MAX_MARK_READ: usize = 200;
/// Most notifications one list returns (newest first).
pub const MAX_LISTED: usize = 100;
/// Notifications kept per person (older ones are dropped).
pub const MAX_KEPT: i64 = 1_000;

/// `GET /api/documents/{id}/people?q=`: whom `@` can name, for the picker.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mentionable {
    pub people: Vec<Person>,
}
