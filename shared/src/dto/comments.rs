//! Comment threads over the JSON API and to the page: what is asked for, and what is shown.

use serde::{Deserialize, Serialize};

use crate::anchor::Anchor;
use crate::comments::{CommentBody, ModerationText, ReportReason, Stance};

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
    /// Hidden by the moderation, with the reason everyone sees in its place ("Ausgeblendet durch
    /// die Moderation: …"); `body` is then only there for its author and moderators.
    pub hidden: Option<String>,
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
    /// Locked by the moderation: no more replies or edits.
    pub locked: bool,
    /// A passage thread whose words are all gone from the document (as the server found it).
    #[serde(default)]
    pub removed: bool,
    /// Where a passage thread's words are now (characters `start..end` of its field, as the
    /// server found them); the browser places them again after every sync.
    #[serde(default)]
    pub at: Option<(usize, usize)>,
    pub comments: Vec<CommentView>,
    /// Sent without its comments (a server-rendered page carries only the panel's first page of
    /// passage threads in full); the page fetches them after it loads.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// `POST …/comments/{thread}/{comment}/reports`: a reader reports a comment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewReport {
    pub reason: ReportReason,
    #[serde(default)]
    pub note: ModerationText,
}

/// `POST …/comments/{thread}/{comment}/hide`: the reason everyone will see.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HideComment {
    pub reason: ModerationText,
}

/// One open report in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: String,
    pub thread_id: String,
    pub comment_id: String,
    pub reason: ReportReason,
    pub note: String,
    pub reporter: Person,
    pub created_at: i64,
    /// The comment's author and words as they are now (a moderator sees hidden words too).
    pub author: Person,
    pub body: String,
    pub hidden: Option<String>,
    /// Earlier wordings of the comment, oldest first (moderators see what was changed).
    #[serde(default)]
    pub earlier: Vec<String>,
}

/// A document's moderation queue: open reports, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModerationQueue {
    pub reports: Vec<ReportView>,
}

impl Discussion {
    /// The discussion as a server-rendered page carries it: platform threads and the newest
    /// [`PANEL_THREADS`](crate::comments::PANEL_THREADS) open passage threads whole, the other
    /// passage threads without their comments (their anchors and places stay, for the
    /// highlights). The page fetches the whole discussion once it runs.
    pub fn for_first_render(mut self) -> Discussion {
        let open_passages: Vec<usize> = self
            .threads
            .iter()
            .enumerate()
            .filter(|(_, t)| t.resolved.is_none() && matches!(t.target, ThreadTarget::Passage { .. }))
            .map(|(i, _)| i)
            .collect();
        let whole_from = open_passages.len().saturating_sub(crate::comments::PANEL_THREADS);
        let keep: std::collections::HashSet<usize> = open_passages[whole_from..].iter().copied().collect();
        for (i, t) in self.threads.iter_mut().enumerate() {
            if matches!(t.target, ThreadTarget::Passage { .. }) && !keep.contains(&i) {
                t.comments = Vec::new();
                t.partial = true;
            }
        }
        self
    }

    /// True when some thread came without its comments.
    pub fn is_partial(&self) -> bool {
        self.threads.iter().any(|t| t.partial)
    }
}

/// A document's discussion.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Discussion {
    pub threads: Vec<ThreadView>,
    /// The person asking may moderate it (an editor or admin, or named by the document's
    /// administrators): the page offers the queue and locking.
    #[serde(default)]
    pub can_moderate: bool,
    /// Set when older threads did not fit into this answer: ask again with `?before=` this
    /// thread's id for them (the answer carries the newest threads up to a size bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub older: Option<String>,
}

#[cfg(test)]
mod tests;
