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

/// Longest note with a report, or reason for hiding a comment, in characters.
pub const MAX_MODERATION_TEXT_CHARS: usize = 1_000;
/// Most reports one person may file per hour.
pub const MAX_REPORTS_PER_HOUR: i64 = 30;
/// Threads the discussion panel draws at first (and more with each "show older"); the
/// server-rendered page carries the comments of only these.
pub const PANEL_THREADS: usize = 50;

/// Why a comment is reported (the report dialog offers these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportReason {
    /// Beleidigung
    Insult,
    /// Hassrede
    Hate,
    /// Bedrohung
    Threat,
    /// Desinformation
    Disinformation,
    Spam,
    /// Sonstiges
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 6] = [
        ReportReason::Insult,
        ReportReason::Hate,
        ReportReason::Threat,
        ReportReason::Disinformation,
        ReportReason::Spam,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Insult => "insult",
            ReportReason::Hate => "hate",
            ReportReason::Threat => "threat",
            ReportReason::Disinformation => "disinformation",
            ReportReason::Spam => "spam",
            ReportReason::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<ReportReason> {
        ReportReason::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// A report's note or a moderator's reason: trimmed, at most [`MAX_MODERATION_TEXT_CHARS`]
/// characters, no control characters besides line breaks (may be empty; a reason for hiding
/// must not be, see [`may_hide_with`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ModerationText(String);

impl TryFrom<String> for ModerationText {
    type Error = BodyError;

    fn try_from(raw: String) -> Result<Self, BodyError> {
        let text = raw.trim();
        if text.chars().count() > MAX_MODERATION_TEXT_CHARS {
            return Err(BodyError::TooLong);
        }
        if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r')) {
            return Err(BodyError::Control);
        }
        Ok(ModerationText(text.to_owned()))
    }
}

impl From<ModerationText> for String {
    fn from(t: ModerationText) -> String {
        t.0
    }
}

impl ModerationText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A hidden comment shows its reason in its place: there must be one.
pub fn may_hide_with(reason: &ModerationText) -> bool {
    !reason.as_str().is_empty()
}

/// May moderate a document's discussion (queue, hide, restore, lock): its editors and admins.
pub fn may_moderate(level: Level) -> bool {
    level >= Level::Edit
}

/// May report a comment: anyone signed in who can read the document.
pub fn may_report(level: Level) -> bool {
    level >= Level::Read
}

/// May read a hidden comment's words: its author and moderators.
pub fn may_read_hidden(level: Level, is_author: bool) -> bool {
    is_author || may_moderate(level)
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

    #[test]
    fn moderators_are_editors_and_admins_and_hidden_words_reach_only_them_and_the_author() {
        use Level::*;
        assert_eq!([Read, Participate, Edit, Administer].map(may_moderate), [false, false, true, true]);
        assert_eq!([None, Read, Participate].map(may_report), [false, true, true]);
        assert!(may_read_hidden(Read, true) && may_read_hidden(Edit, false) && !may_read_hidden(Participate, false));
        for reason in ReportReason::ALL {
            assert_eq!(ReportReason::parse(reason.as_str()), Some(reason));
        }
        assert!(!may_hide_with(&ModerationText::default()));
        let reason = ModerationText::try_from("  Beleidigung  ".to_string()).expect("ok");
        assert!(may_hide_with(&reason) && reason.as_str() == "Beleidigung");
        assert_eq!(ModerationText::try_from("x".repeat(1_001)), Err(BodyError::TooLong));
    }
}
