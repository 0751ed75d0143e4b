//! Moderation of a document's discussion: readers report comments, moderators (the document's
//! editors and admins, and people its administrators name) see the queue, hide and restore comments with a reason, and lock threads.
//! Every step goes to the audit log (without the comment's words).

use kompromiss_shared::audit::AuditAction;
use kompromiss_shared::comments::{self as rules, MAX_REPORTS_PER_HOUR};
use kompromiss_shared::dto::comments::{HideComment, ModerationQueue, NewReport};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::Level;

use crate::comments::{self, CommentError, Commenter};
use crate::db::{Db, DbError, audit, comments as store, moderation, now_millis, random_id};
use crate::notifications;
use crate::state::AppState;

/// Files a report on a comment, and tells the document's open pages (the counts); false when this
/// person had reported it already.
pub async fn report(
    state: &AppState,
    doc: DocumentId,
    (thread_id, comment_id): (&str, &str),
    who: &Commenter<'_>,
    new: NewReport,
) -> Result<bool, CommentError> {
    let db = &state.db;
    if !rules::may_report(who.level) {
        return Err(CommentError::Forbidden);
    }
    comment_of(db, doc, thread_id, comment_id).await?;
    let now = now_millis();
    if moderation::reported_since(db, who.id(), now - 3_600_000).await? >= MAX_REPORTS_PER_HOUR {
        return Err(CommentError::TooFast);
    }
    let id = random_id("r");
    let row = moderation::NewReport {
        id: &id,
        comment_id,
        doc,
        reporter: who.id(),
        reason: new.reason,
        note: new.note.as_str(),
        at: now,
    };
    let filed = moderation::report(db, row).await?;
    comments::announce(&state.registry, doc).await;
    if filed {
        let target = format!("{doc} {comment_id}");
        let detail = new.reason.as_str();
        let record = audit::Record {
            target: Some(&target),
            detail: Some(detail),
            ..audit::Record::by(Some(who.user), AuditAction::CommentReported)
        };
        audit::record_or_log(db, record).await;
    }
    Ok(filed)
}

/// May this person moderate `doc`'s discussion: by their level (editors and admins) or because
/// the document's administrators named them (and they can read it).
pub async fn moderates(db: &Db, doc: DocumentId, user: &str, level: Level) -> Result<bool, DbError> {
    if rules::may_moderate(level) {
        return Ok(true);
    }
    Ok(level >= Level::Read && crate::db::moderators::is_named(db, doc, user).await?)
}

/// `Forbidden` unless this person may moderate `doc`'s discussion.
async fn must_moderate(db: &Db, doc: DocumentId, who: &Commenter<'_>) -> Result<(), CommentError> {
    if moderates(db, doc, who.id(), who.level).await? { Ok(()) } else { Err(CommentError::Forbidden) }
}

/// The open reports of a document, for its moderators.
pub async fn queue(db: &Db, doc: DocumentId, who: &Commenter<'_>) -> Result<ModerationQueue, CommentError> {
    must_moderate(db, doc, who).await?;
    Ok(ModerationQueue { reports: moderation::open_reports(db, doc).await? })
}

/// Hides a comment with the reason everyone sees (`Some`) or restores it (`None`); the comment's
/// author.
pub async fn set_hidden(
    db: &Db,
    doc: DocumentId,
    (thread_id, comment_id): (&str, &str),
    who: &Commenter<'_>,
    hide: Option<HideComment>,
) -> Result<String, CommentError> {
    must_moderate(db, doc, who).await?;
    let comment = comment_of(db, doc, thread_id, comment_id).await?;
    if hide.as_ref().is_some_and(|h| !rules::may_hide_with(&h.reason)) {
        return Err(CommentError::Invalid("reason"));
    }
    let reason = hide.as_ref().map(|h| h.reason.as_str());
    moderation::set_hidden(db, comment_id, reason.map(|r| (who.id(), r)), who.id(), now_millis()).await?;
    let action = if hide.is_some() { AuditAction::CommentHidden } else { AuditAction::CommentRestored };
    let target = format!("{doc} {comment_id}");
    let record = audit::Record { target: Some(&target), detail: reason, ..audit::Record::by(Some(who.user), action) };
    audit::record_or_log(db, record).await;
    Ok(comment.author_id)
}

/// Hides (with the reason) or keeps a comment as `set_hidden`, tells its author when hidden, and
/// the document's open pages. (Routes and pages both act through this.)
pub async fn set_hidden_and_tell(
    state: &AppState,
    doc: DocumentId,
    (thread_id, comment_id): (&str, &str),
    who: &Commenter<'_>,
    hide: Option<HideComment>,
) -> Result<(), CommentError> {
    let hiding = hide.is_some();
    let author = set_hidden(&state.db, doc, (thread_id, comment_id), who, hide).await?;
    if hiding {
        let told = notifications::after_hide(&state.db, doc, (thread_id, comment_id), &author, who.user).await;
        notifications::log_failure(told);
    }
    comments::announce(&state.registry, doc).await;
    Ok(())
}

/// Locks or unlocks a thread, and tells the document's open pages.
pub async fn set_locked(
    state: &AppState,
    doc: DocumentId,
    thread_id: &str,
    who: &Commenter<'_>,
    locked: bool,
) -> Result<(), CommentError> {
    let db = &state.db;
    must_moderate(db, doc, who).await?;
    store::thread(db, doc, thread_id).await?.ok_or(CommentError::NotFound)?;
    moderation::set_locked(db, thread_id, locked.then_some(who.id()), now_millis()).await?;
    let action = if locked { AuditAction::ThreadLocked } else { AuditAction::ThreadUnlocked };
    let target = format!("{doc} {thread_id}");
    audit::record_or_log(db, audit::Record { target: Some(&target), ..audit::Record::by(Some(who.user), action) })
        .await;
    comments::announce(&state.registry, doc).await;
    Ok(())
}

async fn comment_of(
    db: &Db,
    doc: DocumentId,
    thread_id: &str,
    comment_id: &str,
) -> Result<store::CommentFacts, CommentError> {
    store::thread(db, doc, thread_id).await?.ok_or(CommentError::NotFound)?;
    let comment = store::comment(db, thread_id, comment_id).await?.ok_or(CommentError::NotFound)?;
    if comment.deleted {
        return Err(CommentError::NotFound);
    }
    Ok(comment)
}
