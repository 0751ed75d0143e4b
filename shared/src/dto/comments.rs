//! Comment threads over the JSON API and to the page: what is asked for, and what is shown.

use serde::{Deserialize, Serialize};

use crate::anchor::Anchor;
use crate::comments::{CommentBody, Stance};

/// What a thread is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ThreadTarget {
    /// A passage of a text field.
    Passage { anchor: Anchor },
    /// A platform entry's decision.
    Platform { platform_id: String },
}

/// `POST /api/documents/{id}/comments`: a new thread with its first comment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewThread {
    pub target: ThreadTarget,
    pub body: CommentBody,
    /// Only on platform threads.
    #[serde(default)]
    pub stance: Option<Stance>,
}

/// `POST …/comments/{thread}/replies`: a reply.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewReply {
    pub body: CommentBody,
    #[serde(default)]
    pub stance: Option<Stance>,
}

/// `PATCH …/comments/{thread}/{comment}`: new words for one's own comment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EditComment {
    pub body: CommentBody,
}

/// A person as a comment shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
}

/// One comment as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: String,
    pub author: Person,
    /// `None` once deleted: the thread shows a placeholder.
    pub body: Option<String>,
    pub stance: Option<Stance>,
    /// Milliseconds since 1970.
    pub created_at: i64,
    /// Set when the author changed the words ("bearbeitet").
    pub edited_at: Option<i64>,
    pub deleted: bool,
}

/// One thread with its comments, oldest first (the first one opened the thread).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: String,
    pub target: ThreadTarget,
    pub created_by: Person,
    pub created_at: i64,
    /// Who resolved it, and when; `None` while open.
    pub resolved: Option<(Person, i64)>,
    pub comments: Vec<CommentView>,
}

/// A document's discussion.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Discussion {
    pub threads: Vec<ThreadView>,
}
