//! What the audit log records: one enum of actions, stored by its code, offered by the log's filter.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($($variant:ident => $code:literal, $doc:literal;)*) => {
        /// Something the audit log records. The code is what the database stores; new features add
        /// variants here (and a label in the client's i18n, which the compiler asks for).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum AuditAction {
            $(#[doc = $doc] $variant,)*
        }

        impl AuditAction {
            /// Every action, in the order the log's filter offers them.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),*];

            /// The code stored in the database and used in links (`?action=…`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $code,)*
                }
            }

            /// The action with this code, if there is one.
            pub fn parse(code: &str) -> Option<AuditAction> {
                match code {
                    $($code => Some(AuditAction::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    SignIn => "sign-in", "A person signed in.";
    SignInFailed => "sign-in-failed", "A sign-in failed (state, nonce, token or provider error).";
    SignOut => "sign-out", "A person signed out.";
    RoleGranted => "role-granted", "A role was granted to a person directly.";
    RoleRevoked => "role-revoked", "A directly held role was revoked.";
    MappingChanged => "mapping-changed", "A claim group's role mapping was set or removed.";
    GrantChanged => "grant-changed", "A document grant was set or removed.";
    TokenCreated => "token-created", "An API token was created.";
    TokenRevoked => "token-revoked", "An API token was revoked.";
    WriteRefused => "write-refused", "A sync write without write access was refused.";
    ActorForged => "actor-forged", "A change under an actor id that belongs to another person was refused.";
    DocumentCreated => "document-created", "A concept was created.";
    CommentReported => "comment-reported", "A comment was reported to the moderation.";
    CommentHidden => "comment-hidden", "A moderator hid a comment.";
    CommentRestored => "comment-restored", "A moderator restored a hidden comment.";
    ThreadLocked => "thread-locked", "A moderator locked a comment thread.";
    ThreadUnlocked => "thread-unlocked", "A moderator unlocked a comment thread.";
    ModeratorNamed => "moderator-named", "A document's administrator named a moderator of its discussion.";
    ModeratorRemoved => "moderator-removed", "A document's administrator removed a named moderator.";
    DraftCreated => "draft-created", "A member started a draft of a concept.";
    DraftWithdrawn => "draft-withdrawn", "A draft's author withdrew it.";
    DraftReopened => "draft-reopened", "A draft's author reopened it.";
    DraftMerged => "draft-merged", "An editor merged a draft (or some of its sections) into its concept.";
    VersionNamed => "version-named", "An editor named a version of a concept.";
    WordingRestored => "wording-restored", "An editor restored a section's earlier wording.";
    BallotOpened => "ballot-opened", "An editor opened a ballot on a concept.";
    BallotClosed => "ballot-closed", "A ballot closed (by an editor, or at its closing time).";
    BallotMerged => "ballot-merged", "An editor carried a ballot's decision into its concept.";
    MetricsImported => "metrics-imported", "An editor imported a file of platform metrics.";
    EvaluationFrozen => "evaluation-frozen", "An editor froze a yearly evaluation as presented.";
    BackupTaken => "backup-taken", "An admin downloaded a backup of the whole instance, or the command line wrote one.";
    BackupRestored => "backup-restored", "The instance was rebuilt from a backup on the command line.";
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_code_and_codes_are_distinct() {
        let mut codes = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(*action));
            assert!(codes.insert(action.as_str()), "{action} twice");
            let json = serde_json::to_string(action).expect("serialize");
            assert_eq!(json, format!("\"{}\"", action.as_str()), "the wire form is the stored code");
        }
        assert_eq!(AuditAction::parse("something-new"), None);
    }
}
