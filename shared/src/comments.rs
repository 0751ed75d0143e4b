//! The pure rules of comments: what a comment may contain, its limits, and who may change a
//! thread or a comment.

use serde::{Deserialize, Serialize};

use crate::perm::Level;

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;
/// Most threads one document may have (open and resolved together).
pub const MAX_THREADS_PER_DOC: i64 = 10_000;
/// Most comments (first ones and replies) in one thread.
pub const MAX_COMMENTS_PER_THREAD: i64 = 500;
/// Most comments one person may write per minute, over all documents.
pub const MAX_COMMENTS_PER_MINUTE: i64 = 20;
/// Longest platform id a platform thread may name (ids the server makes are far shorter).
pub const MAX_PLATFORM_ID_CHARS: usize = 64;

/// A comment's text: trimmed, not empty, at most [`MAX_COMMENT_CHARS`] characters, no control
/// characters besides line breaks and tabs. Markdown, rendered through the sanitizer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CommentBody(String);

/// Why a comment's text is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("Der Kommentar ist leer / the comment is empty")]
    Empty,
    #[error(
        "Der Kommentar ist zu lang (höchstens 10.000 Zeichen) / the comment is too long (at most 10,000 characters)"
    )]
    TooLong,
    #[error("Der Kommentar enthält Steuerzeichen / the comment contains control characters")]
    Control,
}

impl TryFrom<String> for CommentBody {
    type Error = BodyError;

    fn try_from(raw: String) -> Result<Self, BodyError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(BodyError::Empty);
        }
        if text.chars().count() > MAX_COMMENT_CHARS {
            return Err(BodyError::TooLong);
        }
        if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
            return Err(BodyError::Control);
        }
        Ok(CommentBody(text.to_owned()))
    }
}

impl From<CommentBody> for String {
    fn from(b: CommentBody) -> String {
        b.0
    }
}

impl CommentBody {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stance on a platform entry's decision, carried by a comment in the platform's discussion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// dafür
    For,
    /// dagegen
    Against,
    Neutral,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::For => "for",
            Stance::Against => "against",
            Stance::Neutral => "neutral",
        }
    }

    pub fn parse(raw: &str) -> Option<Stance> {
        match raw {
            "for" => Some(Stance::For),
            "against" => Some(Stance::Against),
            "neutral" => Some(Stance::Neutral),
            _ => None,
        }
    }
}

/// Who asks to change a thread or a comment, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The person's level on the document.
    pub level: Level,
    /// The person wrote the thread's first comment (for a thread) or the comment itself.
    pub is_author: bool,
}

/// May write a new thread or a reply.
pub fn may_comment(level: Level) -> bool {
    level >= Level::Participate
}

/// May resolve or reopen a thread: its author, and whoever may edit the document.
pub fn may_resolve(actor: Actor) -> bool {
    (actor.is_author && actor.level >= Level::Participate) || actor.level >= Level::Edit
}

/// May edit or delete a comment: only its author, while they may still take part.
pub fn may_change_comment(actor: Actor) -> bool {
    actor.is_author && actor.level >= Level::Participate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_is_trimmed_and_bounded_and_control_characters_are_refused() {
        assert_eq!(CommentBody::try_from("  Mastodon zuerst!\n".to_string()).expect("ok").as_str(), "Mastodon zuerst!");
        assert_eq!(CommentBody::try_from(" \n\t ".to_string()), Err(BodyError::Empty));
        assert_eq!(
            CommentBody::try_from("ä".repeat(MAX_COMMENT_CHARS)).map(|b| b.as_str().chars().count()),
            Ok(10_000)
        );
        assert_eq!(CommentBody::try_from("ä".repeat(MAX_COMMENT_CHARS + 1)), Err(BodyError::TooLong));
        assert_eq!(CommentBody::try_from("a\u{0}b".to_string()), Err(BodyError::Control));
        assert!(CommentBody::try_from("Zeile 1\nZeile 2\tTab".to_string()).is_ok());
        assert!(serde_json::from_str::<CommentBody>("\"\"").is_err());
    }

    #[test]
    fn authors_editors_and_readers_may_do_what_the_rules_say() {
        use Level::*;
        let (author, other) = (true, false);
        for (level, is_author, comment, resolve, change) in [
            (Read, author, false, false, false),
            (Participate, author, true, true, true),
            (Participate, other, true, false, false),
            (Edit, other, true, true, false),
            (Administer, other, true, true, false),
            (Administer, author, true, true, true),
        ] {
            let actor = Actor { level, is_author };
            assert_eq!(may_comment(level), comment, "{actor:?}");
            assert_eq!(may_resolve(actor), resolve, "{actor:?}");
            assert_eq!(may_change_comment(actor), change, "{actor:?}");
        }
        for stance in [Stance::For, Stance::Against, Stance::Neutral] {
            assert_eq!(Stance::parse(stance.as_str()), Some(stance));
        }
    }
}
